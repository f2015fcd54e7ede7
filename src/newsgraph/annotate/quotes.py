"""Quotes: who said, claimed or believes what (component ``newsgraph_quotes_v1``).

Method: rules over the dependency parse of the loaded model, after Citron
(Newell, BBC R&D, https://github.com/bbc/citron) and the quote extractor of
the Gender Gap Tracker (Asr et al. 2021, "The Gender Gap Tracker: Using
natural language processing to measure gender bias in media", PLoS ONE
16(1)), with the span conventions of PolNeAR (Newell, Margolin & Ruths 2018,
"An attribution relations corpus for political news", LREC): content, cue
and source are span lists, and the source is the speaker mention as written.

1. Quotations. Opening and closing marks are paired line by line, curly or
   straight (a straight mark's direction comes from its neighbours; ``''``
   and ``````` are double marks too). A second opening mark is a nested
   quotation when it is in the other style ('"... “The Journal” wrote ..."')
   or enough closing marks follow on the line; otherwise the first one was
   unbalanced. A quotation still open at the end of its line continues in the
   next line if that opens with a mark (the newspaper convention for
   multi-paragraph quotes). Single marks are the quotation marks of a text
   that opens many more single quotes than it has double ones (British
   style); otherwise they are quotes inside quotes.
2. Verb cues. A verb whose lemma is in ``data/quote_cues.txt`` is a cue when
   it has a content the list allows it: a clausal complement ("said that
   ..."), a colon ("said: ..."), a clause it interrupts ("A, he said, B";
   "as X put it"), a to-infinitive ("vowed to ..."), a direct object
   ("denied the report", "called X a liar") or a prepositional object ("called
   for ..."). The source is the nominal subject, reached through xcomps,
   conjuncts and participles ("..., adding that"); a relative pronoun brings
   its antecedent; the phrase is cut before an apposition or a relative
   clause. A verb inside a quotation is the quoted speaker's, not a cue; a
   cue in the clause another cue reports ("X said she thinks ...") is part of
   that content (PolNeAR's convention). A trailing gloss set off by a comma
   (", stoking fears ...", ", the presumed favourite") is the reporter's.
3. Other cues: "according to X, ..." (the sentence minus the phrase; when
   the sentence's own cue has a speaker, "according to the transcripts, he
   promised ...", that speaker is the source); nouns
   with a that-clause ("his claim that ..."); a line "Name: ..." whose label
   is a name (the tagger's or ``doc._.entities``') or a capitalised
   transcript label; "“...” ― Name".
4. Quotations and attributions. Content touching a quotation takes all of
   it, so quotes over several sentences or paragraphs stay whole. A
   quotation that ends as speech does (a comma, question mark or dash inside)
   takes the cue verb right after it ("“...,” said X"); one introduced by a
   comma or colon takes the cue right before it ("X said, “...”"). One after
   an attribution sentence joins that quote ("“A,” he said. “B.”" is one
   quote with two content spans), and so does a paragraph that is only a
   quotation after a paragraph ending with an attributed one. A paragraph
   that is only a quotation of four words or more, with no cue of its own,
   after any other attribution or after a paragraph naming a person, is a
   ``floating`` quote of that speaker. A quotation with none of these (a
   scare quote, a title, a slogan) is not a quote. A cue says nothing when
   its subject is a thing with an object, infinitive or prepositional
   content or an open question ("the sedan offers ...", "the map shows
   where ..."), when it is negated or a refusal to speak ("has not
   commented", "declined to say"), or when a naming verb names nothing
   ("can call the school office"), or when it is in a clause a law or treaty
   lays down ("mandates that both countries offer assistance").
5. Quotes never overlap (PolNeAR is univocal): candidates are taken by frame
   reliability, the more deeply embedded cue first; a later candidate keeps
   what no earlier one took ("X said Y, who said Z" gives two quotes) and is
   dropped when too little is left.

Measured with ``newsgraph.eval.quotes.evaluate_quotes`` and en_core_web_sm
3.8 on PolNeAR dev (84 articles, 2,192 attributions): P 0.85, R 0.59, F1
0.70; direct quotes F1 0.88; speaker accuracy 0.94 over 1,280 matched pairs;
end-to-end F1 0.65 (PolNeAR counts negated speech, which is no quote here).
For scale, textacy's ``direct_quotations`` scores direct F1 0.44 there and a
quotation-mark regex 0.66.

Limits: sources are mentions as written; pronouns and surnames are resolved
later by ``newsgraph_speakers_v1``. PolNeAR also counts as attributions
what verbs outside the cue list express ("Trump is drawing criticism", "he
discussed his plan") and contents with no source; most misses are those,
and content boundaries that differ from the annotators' (where a reporter's
gloss starts, whether a conjoined clause belongs). Parse errors on long
quoted sentences lose some attributions; nested speech ("he said she told
him ...") is one attribution; a text that wraps whole passages in unclosed
quotation marks makes them one long quotation.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..models import Quote, Span
from .extensions import doc_text

__all__ = ["Quotation", "QuoteFinder", "cue_lexicon", "find_quotations", "find_quotes"]

# ---------------------------------------------------------------------------
# Characters

_OPEN_DOUBLE = "“„‟«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‛"
_MARK_CHARS = "“„‟«”»\"‘‛’'`"
# A character right before an opening mark, or right after a closing one.
_BEFORE_OPEN = "([{<—–―-/:;" + _OPEN_DOUBLE + _OPEN_SINGLE
_AFTER_CLOSE = ".,;:!?)]}>—–―-…" + _CLOSE_DOUBLE + "’"
# Trimmed from the ends of content and source spans (quotation marks are kept).
_EDGE_TRIM = " \t\n\r\u00a0,;:.—–―-"
_DOUBLE_MARK = re.compile(r"''|``|[“”„‟«»\"]")
_SINGLE_MARK = re.compile(r"[‘‛’']")
_WORD = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_LINE = re.compile(r"[^\n]+")


def _tok_end(tok: Token) -> int:
    return tok.idx + len(tok)


def _is_mark(tok: Token) -> bool:
    return all(c in _MARK_CHARS for c in tok.text)


def _trim(text: str, start: int, end: int) -> Span:
    """Return ``(start, end)`` without edge whitespace and punctuation (quotation marks kept)."""
    while start < end and text[start] in _EDGE_TRIM:
        start += 1
    while end > start and text[end - 1] in _EDGE_TRIM:
        end -= 1
    return start, end


def _char_before(text: str, pos: int) -> str:
    """Return the last character before ``pos`` that is not whitespace ("" at the start)."""
    end = _rstrip(text, 0, pos)
    return text[end - 1] if end else ""


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _line_bounds(text: str, pos: int) -> Span:
    """Return the (start, end) of the line holding ``pos``: parse-based content never crosses a line break."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _subtract(spans: list[Span], taken: list[Span]) -> list[Span]:
    pieces = list(spans)
    for ts, te in taken:
        kept = []
        for a, b in pieces:
            if te <= a or ts >= b:
                kept.append((a, b))
                continue
            if a < ts:
                kept.append((a, ts))
            if te < b:
                kept.append((te, b))
        pieces = kept
    return pieces


def _words(text: str, spans: Iterable[Span]) -> int:
    return sum(len(_WORDS.findall(text, s, e)) for s, e in spans)


# ---------------------------------------------------------------------------
# 1. Quotations


@dataclass(slots=True)
class Quotation:
    """A stretch of text in quotation marks: one piece per line it spans, and whether it closes.

    A piece runs from its opening mark to just after its closing mark, or to
    the end of its line when the quotation goes on in the next paragraph.
    """

    pieces: list[Span]
    closed: bool = True

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _classify(text: str, i: int, j: int, line_start: int, line_end: int, single: bool) -> str | None:
    """Return "open", "close", "both" (a straight mark with no clue) or None (an apostrophe).

    ``text[i:j]`` is the mark (two characters for ``''`` and ````).
    """
    c = text[i]
    prev = text[i - 1] if i > line_start else " "
    nxt = text[j] if j < line_end else " "
    left = prev.isspace() or prev in _BEFORE_OPEN
    right = nxt.isspace() or nxt in _AFTER_CLOSE
    if c == "`" or c in _OPEN_DOUBLE or c in _OPEN_SINGLE:
        # “ after a word and before a space is a closing mark typed the wrong way round.
        return "close" if right and not left else "open"
    if c in _CLOSE_DOUBLE or c == "’":
        if left and not right:
            return "open"  # ”Mr. Trump ... : an opening mark typed the wrong way round
        if c == "’" and not right:
            return None  # don’t
        return "close"
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return None if single else "both"


def _style(mark: str) -> str:
    if mark == '"':
        return '"'
    return "`" if mark in "`'" else "“"


# An unclosed quotation is kept when it has at least this many words: a missing
# closing mark at a paragraph's end is common in scraped text, while a stray
# mark (a typo) sits in a short run. No PolNeAR dev score depends on it (2-8).
_MIN_UNCLOSED_WORDS = 4


# Single marks are a text's quotation marks (British style) when their openings
# are at least this many times its pairs of double marks: a British article may
# hold a double pair or two (a quote in a quote), while an American one nests its
# single marks inside at least as many double pairs. No PolNeAR dev article
# (American, double marks) changes style for ratios 1-3.
_SINGLE_STYLE_RATIO = 2
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s(\[—–]))[‘'](?=\w)", re.M)


def _single_style(text: str) -> bool:
    """Return whether ``text`` quotes with single marks ('...' or ‘...’) rather than double ones."""
    double_pairs = (len(_DOUBLE_MARK.findall(text)) + 1) // 2
    return not double_pairs or len(_SINGLE_OPENING.findall(text)) >= _SINGLE_STYLE_RATIO * double_pairs


def find_quotations(text: str) -> list[Quotation]:
    """Return the quotations of ``text`` in order of start (see step 1 of the module docstring)."""
    single = _single_style(text)
    marks = _SINGLE_MARK if single else _DOUBLE_MARK
    found: list[Quotation] = []

    def finish_unclosed(quotation: Quotation) -> None:
        quotation.closed = False
        if _words(text, quotation.pieces) >= _MIN_UNCLOSED_WORDS:
            found.append(quotation)

    pending: Quotation | None = None  # still open at the end of the previous line
    for line in _LINE.finditer(text):
        line_start, line_end = line.span()
        line_marks = [
            (m.start(), m.end(), _classify(text, m.start(), m.end(), line_start, line_end, single))
            for m in marks.finditer(text, line_start, line_end)
        ]
        line_marks = [(i, j, kind) for i, j, kind in line_marks if kind is not None]
        current: Quotation | None = None
        if pending is not None:
            first = line_start + len(line.group()) - len(line.group().lstrip())
            if line_marks and line_marks[0][0] == first and line_marks[0][2] in ("open", "both"):
                current = pending
            else:
                finish_unclosed(pending)
            pending = None
        open_at: int | None = None
        style = ""  # the open quotation's mark style: '"', '“' (curly) or '`' (typewriter)
        depth = 0  # marks nested in the open quotation ("... what he calls “hell” ...")
        for k, (i, j, kind) in enumerate(line_marks):
            if open_at is None:
                if kind in ("open", "both"):
                    open_at, style, depth = i, _style(text[i]), 0
                continue
            if _style(text[i]) != style and {style, _style(text[i])} == {'"', "“"}:
                # A quotation in the other style nests in this one ('"... “The Journal” wrote ..."').
                if kind == "open" or (kind == "both" and not depth):
                    depth += 1
                    continue
                if depth:
                    depth -= 1
                    continue
            elif kind == "open" and sum(1 for _, _, later in line_marks[k + 1 :] if later != "open") >= depth + 2:
                depth += 1
                continue
            if kind in ("close", "both"):
                if depth:
                    depth -= 1
                    continue
                if current is not None:
                    current.pieces.append((open_at, j))
                    current.closed = True
                    found.append(current)
                    current = None
                else:
                    found.append(Quotation([(open_at, j)]))
                open_at = None
                continue
            # A second opening mark with too few closing marks left: the first was unbalanced.
            if current is not None:
                current.pieces.append((open_at, _rstrip(text, open_at, i)))
                finish_unclosed(current)
                current = None
            open_at = i
        if open_at is not None:
            piece = (open_at, _rstrip(text, open_at, line_end))
            if current is not None:
                current.pieces.append(piece)
                pending = current
            else:
                pending = Quotation([piece], closed=False)
    if pending is not None:
        finish_unclosed(pending)
    found.sort(key=lambda q: q.start)
    return found


class _QuoteIndex:
    """The quotation covering a character position, by binary search over the pieces."""

    def __init__(self, quotations: list[Quotation]):
        self.pieces = sorted((s, e, qi) for qi, q in enumerate(quotations) for s, e in q.pieces)
        self.starts = [p[0] for p in self.pieces]

    def at(self, pos: int) -> int:
        """Return the index of the quotation whose piece covers ``pos`` (marks included), or -1."""
        k = bisect.bisect_right(self.starts, pos) - 1
        if k >= 0 and pos < self.pieces[k][1]:
            return self.pieces[k][2]
        return -1

    def overlapping(self, start: int, end: int) -> list[int]:
        """Return the quotations with a piece overlapping ``[start, end)``, in order."""
        k = max(0, bisect.bisect_right(self.starts, start) - 1)
        out: list[int] = []
        while k < len(self.pieces) and self.pieces[k][0] < end:
            s, e, qi = self.pieces[k]
            if max(s, start) < min(e, end) and qi not in out:
                out.append(qi)
            k += 1
        return out


# ---------------------------------------------------------------------------
# 2. The cue lexicon


@dataclass(frozen=True, slots=True)
class _Frames:
    """What a cue word can introduce (the codes of ``data/quote_cues.txt``)."""

    clause: bool = False  # S or Q
    quoted_only: bool = False  # Q: only quotations and colons
    infinitive: bool = False  # X
    obj: bool = False  # O
    noun: bool = False  # N
    preps: frozenset[str] = frozenset()  # P:prep
    speech: bool = False  # in a [speech] group: a verb of speaking

    @property
    def verbal(self) -> bool:
        return self.clause or self.infinitive or self.obj or bool(self.preps)


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, _Frames]:
    """Return lemma -> frames, read from ``data/quote_cues.txt``."""
    path = resources.files("newsgraph") / "data" / "quote_cues.txt"
    lexicon: dict[str, _Frames] = {}
    speech = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# ---"):
            speech = raw.rstrip().endswith("[speech]")
        fields = raw.split("#", 1)[0].split()
        if not fields:
            continue
        lemma, codes = fields[0], set(fields[1:])
        old = lexicon.get(lemma, _Frames())  # a word listed as a verb and as a noun gets both
        lexicon[lemma] = _Frames(
            clause=old.clause or bool(codes & {"S", "Q"}),
            quoted_only=old.quoted_only or "Q" in codes,
            infinitive=old.infinitive or "X" in codes,
            obj=old.obj or "O" in codes,
            noun=old.noun or "N" in codes,
            preps=old.preps | {c[2:] for c in codes if c.startswith("P:")},
            speech=old.speech or speech,
        )
    return lexicon


def cue_lemma(tok: Token) -> str:
    """Return the lemma under which ``tok`` is looked up in the cue lexicon.

    The model's rule lemmatizer drops a final "e" where a shorter verb exists
    ("hopes" -> "hop"); the longer lemma is taken when it is a cue and the word
    is spelled with it.
    """
    lemma = tok.lemma_.lower()
    lexicon = cue_lexicon()
    if lemma not in lexicon and lemma + "e" in lexicon and tok.lower_.startswith(lemma + "e"):
        return lemma + "e"
    return lemma


# ---------------------------------------------------------------------------
# 3. Candidates


@dataclass(slots=True)
class _Article:
    """What every step reads: the parse, its text (``Doc.text`` rebuilds it on each call) and its quotations."""

    doc: Doc
    text: str
    quotations: list[Quotation]
    index: _QuoteIndex
    lexicon: dict[str, _Frames]

    def quoted(self, pos: int) -> bool:
        return self.index.at(pos) >= 0


@dataclass(slots=True)
class _Candidate:
    content: list[Span]
    cue: list[Span]
    source: list[Span]
    cue_word: str
    frame: str
    anchor: int = -1  # the cue token's index, when there is one
    quotations: set[int] = field(default_factory=set)
    antecedent: Span | None = None  # a relative pronoun's antecedent: part of the source, not claimed by it


#: Per frame: rank when contents overlap (lower goes first) and confidence.
#: A confidence is the frame's precision on PolNeAR dev rounded down to 0.05
#: (measured: quotation 0.93, clause 0.88, colon 0.88, dash 0.96, according
#: 0.81, noun 8 of 8, infinitive 0.66, object 0.70, prep 0.82, floating 2 of 3:
#: the speaker right in both, one not annotated as a quote); a quote with
#: no source gets 0.8 of it. The rank follows the same order, except that a
#: cue with a clause or a quotation beats "according to" in the same sentence.
_FRAMES = {
    "quotation": (0, 0.9),
    "clause": (1, 0.85),
    "colon": (2, 0.85),
    "dash": (2, 0.95),
    "according": (3, 0.8),
    "noun": (4, 0.85),
    "infinitive": (5, 0.65),
    "object": (6, 0.7),
    "prep": (6, 0.8),
    "floating": (7, 0.65),
}


def _token_span(text: str, first: Token, last: Token) -> Span:
    return _trim(text, first.idx, _tok_end(last))


def _subtree_span(text: str, tok: Token, line: Span) -> Span:
    """Return the trimmed span of ``tok``'s subtree, clipped to ``line``."""
    return _trim(text, max(tok.left_edge.idx, line[0]), min(_tok_end(tok.right_edge), line[1]))


def _run_span(text: str, tok: Token, line: Span) -> Span:
    """Return the unbroken run of ``tok``'s subtree around ``tok``, clipped to ``line``.

    A clause the parser hangs across its attribution ("A, she said, B") keeps
    only ``tok``'s side of it.
    """
    members = {t.i for t in tok.subtree}
    first = last = tok.i
    while first - 1 in members:
        first -= 1
    while last + 1 in members:
        last += 1
    doc = tok.doc
    return _trim(text, max(doc[first].idx, line[0]), min(_tok_end(doc[last]), line[1]))


# --- sources

_RELATIVE = {"who", "which", "that", "whom"}
_NP_STOP = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "ccomp"}
_NP_BREAK = {",", "(", "—", "–", ";"}


def _np_span(text: str, head: Token) -> Span:
    """Return the noun phrase of ``head`` as written, cut before a comma, an apposition or a clause."""
    left = head.left_edge
    while left.i < head.i and (left.is_punct or left.dep_ == "cc"):
        left = left.nbor()
    right = head
    for child in head.rights:
        if child.dep_ in _NP_STOP or child.is_punct:
            break
        right = child.right_edge
    for tok in head.doc[head.i + 1 : right.i + 1]:
        if tok.text in _NP_BREAK:  # "the director, who ..." inside a right child
            right = head.doc[tok.i - 1]
            break
    return _token_span(text, left, right)


def _speaker(verb: Token) -> list[Token]:
    """Return the head(s) of the verb's speaker: its subject, through xcomps, conjuncts and participles.

    Of several subjects (a parse that takes a quoted word for one) the nearest
    wins; a relative pronoun comes with its antecedent.
    """
    tok = verb
    for _ in range(4):
        subjects = sorted((c for c in tok.children if c.dep_ == "nsubj"), key=lambda c: abs(c.i - tok.i))
        if not subjects and tok is not verb and verb.tag_ == "VBG" and tok.dep_ == "ccomp":
            # "Police said X was arrested, adding that ...": the participle hangs in the
            # reported clause, but the one adding is the one who said it.
            tok = tok.head
            continue
        if subjects:
            subject = subjects[0]
            if subject.lower_ in ("it", "there", "this", "that"):
                return []  # "it appears that ...", "That said, ..."
            if subject.lower_ in _RELATIVE and tok.dep_ == "relcl":
                antecedent = tok.head.head if tok.head.dep_ == "appos" else tok.head  # "X, the leader, who"
                return [antecedent, subject]
            return [subject]
        for child in tok.children:
            if child.dep_ == "agent":
                return [c for c in child.children if c.dep_ == "pobj"][:1]
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return []  # "he was told that ...": the subject heard it
        if tok.dep_ in ("conj", "xcomp") or (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
            tok = tok.head
        elif tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [tok.head]  # "a statement saying ..."
        elif tok.dep_ == "pcomp" and tok.head.dep_ == "prep":
            tok = tok.head.head  # "after saying ..."
        else:
            return []
    return []


def _source_spans(text: str, heads: list[Token]) -> list[Span]:
    spans = [_np_span(text, h) for h in heads if not h.is_punct and not _is_mark(h)]
    return sorted(s for s in spans if s[1] > s[0])


_NAME_PARTS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART"}


def _nearby_source(text: str, verb: Token, content: list[Span]) -> list[Span]:
    """Return the noun phrase written next to the verb ("..., Obama's strategist said" / "said Obama").

    For a parse whose subject is inside the quotation or on another line.
    """
    doc = verb.doc
    line = _line_bounds(text, verb.idx)

    def free(tok: Token) -> bool:
        return line[0] <= tok.idx < line[1] and not tok.is_punct and not any(s <= tok.idx < e for s, e in content)

    def phrase(tok: Token) -> list[Span]:
        first = last = tok.i
        if tok.pos_ == "PRON":
            return [_token_span(text, tok, tok)]
        while first > 0 and doc[first - 1].pos_ in _NAME_PARTS and free(doc[first - 1]):
            first -= 1
        while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and free(doc[last + 1]):
            last += 1
        return [_token_span(text, doc[first], doc[last])]

    for tok in doc[verb.i + 1 : verb.i + 4]:  # "said Obama"
        if not free(tok):
            break
        if tok.pos_ in ("PROPN", "PRON") and tok.dep_ in ("nsubj", "compound", "npadvmod", "dobj", "appos", "conj"):
            return phrase(tok)
    for tok in reversed(doc[max(0, verb.i - 6) : verb.i]):  # "Obama's strategist said"
        if not free(tok):
            break
        if tok.pos_ in ("PROPN", "NOUN", "PRON"):
            return phrase(tok)
    return []


def _fix_source(art: _Article, cand: _Candidate) -> None:
    """Replace a source that the parse put inside the content or on another line."""
    if cand.anchor < 0 or cand.frame in ("according", "colon", "dash", "noun"):
        return
    verb = art.doc[cand.anchor]
    line = _line_bounds(art.text, verb.idx)
    bad = not cand.source or any(
        s < line[0] or e > line[1] or any(cs < e and s < ce for cs, ce in cand.content) for s, e in cand.source
    )
    if bad:
        cand.source = _nearby_source(art.text, verb, cand.content)


def _cue_span(verb: Token) -> Span:
    """Return the cue: the verb with its auxiliaries, negation and particle ("has not said", "pointed out")."""
    first = verb
    for child in verb.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and verb.i - child.i <= 3:
            first = min(first, child, key=lambda t: t.i)
    last = verb
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == last.i + 1:
            last = child
    return first.idx, _tok_end(last)


# --- content of a verb


def _is_gloss(tok: Token) -> bool:
    if tok.dep_ == "advcl" and tok.tag_ == "VBG":
        return True  # ", stoking fears ..."
    if tok.dep_ == "appos":
        return True  # ", the presumed Putin favorite"
    return tok.dep_ == "relcl" and tok.left_edge.lower_ in ("which", "who")  # ", which forced her to ..."


def _cut_gloss(text: str, head: Token, span: Span) -> Span:
    """Return ``span`` without a trailing gloss after a comma: the reporter's words, not the content.

    Glosses are participle clauses, appositions and non-restrictive relative
    clauses that run to the end of the content and hold no quotation mark.
    """
    end = span[1]
    for tok in head.subtree:
        first = tok.left_edge
        if first.i == 0 or first.nbor(-1).text != "," or not span[0] < first.idx < end:
            continue
        if _is_gloss(tok) and _tok_end(tok.right_edge) >= end - 1:
            if not any(c in _MARK_CHARS and c not in "'’" for c in text[first.idx : end]):
                return _trim(text, span[0], first.nbor(-1).idx)
    return span


#: Acts of speaking outside the [speech] groups that a speaker goes on to ("said ... and warned ...");
#: a verb of belief or intention there is still what was said ("said it would offer ... and expected to").
_SPEECH_ACTS = frozenset({"warn", "caution", "urge", "accuse", "call", "demand", "vow", "pledge", "promise",
                          "threaten", "ask", "criticize", "criticise", "blame", "praise", "condemn", "deny"})


def _cut_next_act(art: _Article, comp: Token, span: Span) -> Span:
    """Return a content clause's span ended before the speaker's next act.

    "said it was opposed to the test and warned North Korea to refrain": the
    warning is the speaker's second act, which the parser hangs on the
    reported clause (a bare finite verb: "and could not prove ..." stays
    content); a semicolon outside quotation marks ends the reported
    sentence ("said the timing was not intentional; they only learned ...").
    """
    end = span[1]
    for tok in comp.subtree:
        if not span[0] < tok.idx < end or art.quoted(tok.idx):
            continue
        if tok.text == ";":
            end = tok.idx
        elif tok.dep_ == "conj" and tok.head.i == comp.i and tok.tag_ in ("VBD", "VBZ") \
                and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "neg") for c in tok.children):
            frames = art.lexicon.get(cue_lemma(tok))
            if frames is not None and (frames.speech or cue_lemma(tok) in _SPEECH_ACTS):
                cc = [c for c in comp.children if c.dep_ == "cc" and c.i < tok.i]
                end = min(end, (cc[-1] if cc else tok).idx)
    return _trim(art.text, span[0], end) if end < span[1] else span


def _leads_to(comp: Token, verb: Token) -> bool:
    """Return whether a complement before its verb runs into the attribution ("A, he said").

    A clause that ends in a colon, semicolon or full stop before the verb is a
    sentence of its own ("X happened: Republicans said ...").
    """
    if comp.i > verb.i:
        return True
    doc = comp.doc
    after = comp.right_edge.i + 1
    while after < verb.i and _is_mark(doc[after]):
        after += 1
    return after >= verb.i or doc[after].text not in {":", ";", ".", "!", "?"}


def _misattached_clauses(verb: Token, line: Span) -> list[Token]:
    """Return the verb's content clause where the parser hung it elsewhere, or [].

    "Trump said after the convention he would not ..." (an adverbial clause
    with a subject and no conjunction); "he told a meeting of leaders that few
    people ..." (a that-clause hung on the object).
    """
    for child in verb.rights:
        if not line[0] <= child.idx < line[1]:
            break
        if (
            child.dep_ == "advcl"
            and any(c.dep_ == "nsubj" for c in child.children)
            and not any(c.dep_ == "mark" for c in child.children)
        ):
            return [child]
        if child.dep_ in ("dobj", "dative", "prep") and child.i - verb.i <= 3:
            for tok in child.subtree:
                if tok.dep_ in ("relcl", "acl") and _has_that(tok):
                    return [tok]
    return []


# A colon introduces a verb's content ("told reporters on Monday: ...") within
# this many tokens after the verb (an addressee and a time); 1 to 6 give the
# same PolNeAR dev F1 within 0.001.
_MAX_COLON_GAP = 4
_BOUNDARY = {",", ";", ":", "—", "–", "―", "."}


# Tokens an attribution set off by commas may hold after its verb: "he told me on Friday", "said Mr. Clarke".
_ASIDE_MAX = 8


def _aside(art: _Article, verb: Token, line: Span) -> list[Span]:
    """Return the sentence around an attribution set off by commas ("A, he said, B"), or [].

    The whole sentence is what was said, whichever side the parser hangs the
    clause on ("Lenox was a juggernaut, Mr. Clarke said, until it went
    bankrupt"; "The difference now, he told me, is that ..."). The verb's
    subject (or, inverted, the verb) must follow a comma with words before it,
    and a comma must close the attribution within a few words of the verb,
    none of them a verb.
    """
    doc, text = art.doc, art.text
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return []
    sent = verb.sent
    first = min(subjects[0].left_edge.i, verb.i)
    if first - 1 <= sent.start or doc[first - 1].text != ",":
        return []
    last = None
    for tok in doc[verb.i + 1 : min(verb.i + 2 + _ASIDE_MAX, sent.end)]:
        if tok.text == ",":
            last = tok
            break
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct or _is_mark(tok):
            return []
    if last is None or last.i + 1 >= sent.end:
        return []
    end = min(sent.end_char, line[1])
    for tok in doc[last.i + 1 : sent.end]:
        if tok.text in _CLAUSE_BREAK and not art.quoted(tok.idx):
            end = tok.idx  # "... could be an option — although ..., she said, ...": the next clause is not this one's
            break
    pieces = [_trim(text, max(sent.start_char, line[0]), doc[first - 1].idx), _trim(text, _tok_end(last), end)]
    if not all(_says_something(doc, p) for p in pieces) or any(art.quoted(p[0]) for p in pieces):
        return []  # "Instead, Ferris said, ...": a connective; a quotation is attached as it is quoted
    return pieces


_CLAUSE_BREAK = {";", "—", "–", "―"}
_CONTENT_POS = {"NOUN", "PROPN", "PRON", "VERB", "AUX", "NUM"}


def _says_something(doc: Doc, span: Span) -> bool:
    """Return whether a piece of content holds more than connectives ("Instead", "But") and punctuation."""
    return span[1] - span[0] > 1 and any(
        t.pos_ in _CONTENT_POS for t in doc if span[0] <= t.idx < span[1])


def _clause_content(art: _Article, verb: Token, frames: _Frames) -> tuple[list[Span], str]:
    """Return the content of a verb with a clause frame, and the frame it was found by."""
    doc, text = art.doc, art.text
    line = _line_bounds(text, verb.idx)
    if not frames.quoted_only and (aside := _aside(art, verb, line)):
        return aside, "clause"
    comps = [c for c in verb.children if c.dep_ == "ccomp" and line[0] <= c.idx < line[1] and _leads_to(c, verb)]
    if frames.quoted_only:
        comps = [c for c in comps if art.quoted(c.idx)]
    elif not comps:
        comps = _misattached_clauses(verb, line)
    if comps:
        # "said A, but that B": a second that-clause the parser joins to the verb is said too.
        comps += [c for c in verb.children if c.dep_ == "conj" and line[0] <= c.idx < line[1] and _has_that(c)
                  and not frames.quoted_only]
        return [_cut_next_act(art, c, _cut_gloss(text, c, _run_span(text, c, line))) for c in comps], "clause"

    # "said: ..." / "told reporters: ...": the quotation or the rest of the sentence after the colon.
    for tok in doc[verb.i + 1 : min(verb.i + 2 + _MAX_COLON_GAP, len(doc))]:
        if tok.idx >= line[1] or (tok.is_punct and tok.text != ":") or tok.pos_ == "VERB":
            break
        if tok.text == ":":
            start = _tok_end(tok)
            while start < len(text) and text[start].isspace():
                start += 1
            qi = art.index.at(start)
            if qi >= 0 and art.quotations[qi].start == start:
                return list(art.quotations[qi].pieces), "quotation"
            if start >= line[1]:  # "The statement read:" and the statement in the next paragraph
                return [_trim(text, *_line_bounds(text, start))], "colon"
            return [_trim(text, start, min(max(tok.sent.end_char, start), line[1]))], "colon"

    # "A, he said, B", "A, he said." parsed with the verb hanging from the clause it
    # interrupts, and "As X said, A": the head's clause minus the verb's.
    as_clause = verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    if frames.quoted_only or verb.head.i == verb.i or not (verb.dep_ in ("parataxis", "ccomp") or as_clause):
        return [], ""
    words = [t for t in verb.subtree if not t.is_punct and not t.is_space]
    before = doc[words[0].i - 1] if words[0].i > 0 else None
    after = doc[words[-1].i + 1] if words[-1].i + 1 < len(doc) else None
    apart_before = before is None or as_clause or before.text in _BOUNDARY or _is_mark(before) or before.is_space
    apart_after = after is None or after.text in _BOUNDARY or _is_mark(after) or after.is_space
    if not (apart_before and apart_after):
        return [], ""
    span = _subtree_span(text, verb.head, line)
    cut = _subtree_span(text, verb, line)
    pieces = [_trim(text, span[0], cut[0]), _trim(text, cut[1], span[1])]
    return [p for p in pieces if _says_something(doc, p)], "clause"


# Prepositions whose phrase completes an object frame: "called the plan “reckless”",
# "blasted the media for being ...", "cited X as evidence".
_OBJECT_PREPS = frozenset({"as", "for", "of", "over", "about", "against", "into"})
_COMPLEMENTS = frozenset({"dobj", "oprd", "xcomp", "ccomp", "acomp", "dative"})


def _complement_span(text: str, verb: Token, first: Token, line: Span, preps: frozenset[str]) -> Span:
    """Return the span from ``first`` (a right child of ``verb``) to the end of the complements after it.

    Other prepositional phrases may come between ("called her vote in favor of
    the war a mistake"); any other dependent ends it.
    """
    last = first
    for child in verb.rights:
        if child.i <= first.i:
            continue
        if child.dep_ in _COMPLEMENTS or (child.dep_ == "prep" and child.lower_ in preps):
            last = child
        elif child.dep_ != "prep":
            break
    return _trim(text, max(first.left_edge.idx, line[0]), min(_tok_end(last.right_edge), line[1]))


def _object_content(text: str, verb: Token, frames: _Frames) -> tuple[list[Span], str]:
    """Return the content of a verb's to-infinitive, object or prepositional frame, and which frame."""
    line = _line_bounds(text, verb.idx)
    preps = _OBJECT_PREPS | frames.preps
    if frames.infinitive:
        for child in verb.rights:
            if child.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                # "told his advisers to find ...": the addressee belongs to what was said;
                # "wants the city to run ..." (parsed as a clause with a subject) likewise.
                obj = next((c for c in verb.rights if c.dep_ in ("dobj", "dative") and c.i < child.i), child)
                start, end = max(obj.left_edge.idx, line[0]), min(_tok_end(child.right_edge), line[1])
                return [_cut_gloss(text, child, _trim(text, start, end))], "infinitive"
    if frames.obj:
        for child in verb.rights:
            gerund = child.dep_ == "xcomp" and child.tag_ == "VBG"  # "denies employing mercenaries"
            if gerund or (child.dep_ in ("dobj", "oprd") and child.pos_ != "PRON"):
                return [_cut_gloss(text, child, _complement_span(text, verb, child, line, preps))], "object"
    for child in verb.rights:
        if child.dep_ == "prep" and child.lower_ in frames.preps:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                return [_complement_span(text, verb, objs[0], line, preps)], "prep"
    return [], ""


def _puts_it(verb: Token) -> bool:
    """Return whether ``verb`` is the "put" of "as X put it" or "X put it bluntly: ..."."""
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children):
        return False
    after = verb.doc[verb.i + 1 : verb.i + 2 + _MAX_COLON_GAP]
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children) or any(t.text == ":" for t in after)


def _reported_by_outer(art: _Article, verb: Token) -> bool:
    """Return whether ``verb`` is inside the clause that a cue verb before it reports.

    "Clinton said she thinks ..." is one attribution (PolNeAR's convention);
    the path from ``verb`` up to the outer cue runs through complements only,
    so a relative clause ("..., who said ...") or an adverbial one ("...,
    although Lukashenko has maintained ...") stays an attribution of its own.
    """
    tok = verb
    for _ in range(6):
        if tok.dep_ not in ("ccomp", "xcomp") or tok.head.i == tok.i:
            return False
        head = tok.head
        if tok.dep_ == "ccomp" and head.i < tok.i and head.pos_ == "VERB":
            outer = art.lexicon.get(cue_lemma(head))
            same_line = "\n" not in art.text[head.idx : verb.idx]
            if outer is not None and outer.clause and not outer.quoted_only and same_line:
                return not art.quoted(head.idx)  # a verb in a quotation is the quoted speaker's
        tok = head
    return False


def _verb_candidates(art: _Article) -> Iterator[_Candidate]:
    """Return a candidate for every cue verb outside quotations (its content may still be empty)."""
    text = art.text
    for verb in art.doc:
        if verb.pos_ != "VERB":
            continue
        frames = art.lexicon.get(cue_lemma(verb))
        if frames is None and verb.lemma_ == "put" and _puts_it(verb):
            frames = _Frames(clause=True)
        if frames is None or not frames.verbal or art.quoted(verb.idx) or _reported_by_outer(art, verb):
            continue
        content, frame = _clause_content(art, verb, frames) if frames.clause else ([], "")
        if not content:
            content, frame = _object_content(text, verb, frames)
        if _connective(verb):
            continue  # "That said, ...", "That being said, ..."
        if any(c.dep_ == "prt" and c.lower_ in _OTHER_SENSE for c in verb.children):
            continue  # "can call up the menu", "show off": a phrasal verb of another meaning
        heads = _speaker(verb)
        if heads and not _speaker_like(heads) and (
                not frames.speech or frame != "clause" or _asks(verb) or heads[-1].lower_ == "which"):
            continue  # "the sedan offers heated seats", "tree rings suggest ...", "cold, which told us": a thing says nothing
        if _negated(art, verb) or (verb.lemma_ in _NAMING and frame == "object" and not _named_as(verb)):
            continue  # "has not commented", "declined to say"; "can call the school office"
        if frame == "infinitive" and _ANONYMITY.match(text, content[0][0]):
            continue  # "who asked not to be named": the source's terms, not what the source said
        if _laid_down(verb):
            continue  # "an agreement, which mandates that both countries offer assistance": a duty, not speech
        source = _source_spans(text, heads)
        yield _Candidate(
            content=content,
            cue=[_cue_span(verb)],
            source=source,
            cue_word=cue_lemma(verb),
            frame=frame or "clause",
            anchor=verb.i,
            antecedent=source[0] if len(heads) == 2 and len(source) == 2 else None,
        )


#: Things that report what they hold, as a person would: "a Quinnipiac poll found", "the report said".
_INFORMATION = frozenset(
    "poll polls survey surveys study studies report reports data analysis research video videos footage transcript "
    "record records document documents statement statements letter memo filing filings audit review investigation "
    "assessment estimate estimates figures numbers census tally average averages projection forecast email emails "
    "tweet post book article story editorial column ad ads clip slide complaint lawsuit indictment ruling order "
    "resolution bill law policy plan proposal platform website site page release announcement message campaign "
    "agency".split()
)
#: People and groups no role list names, and the endings of nouns for people ("voter", "lobbyist", "nominee").
_PEOPLE = frozenset(
    "expert source panel team family wife husband relative friend colleague member staff crowd audience public "
    "community side camp people person everyone anyone someone nobody majority minority percent one other police "
    "network "
    "committee board council group party administration government fund mate sibling niece nephew veteran regular "
    "son daughter mother brother sister parent child kid".split()
)
_AGENT_SUFFIXES = ("er", "or", "ist", "ant", "ent", "ian", "ee", "man", "woman", "people", "ary", "ive")
#: Verbs whose object frame names something ("called the plan 'reckless'"): without a name, no speech.
_NAMING = frozenset({"call", "label", "brand", "dub", "term"})


#: The terms of an anonymous source: "asked not to be named", "requested not to be identified".
_ANONYMITY = re.compile(r"not\s+to\s+be\s+(?:named|identified|quoted)\b", re.IGNORECASE)


def _connective(verb: Token) -> bool:
    """Return whether a cue is the connective "That said," (a demonstrative subject, then a comma)."""
    doc = verb.doc
    return verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "that" for c in verb.children)


#: Particles that turn a cue into a verb of another meaning ("call up the menu", "show off", "tell apart").
_OTHER_SENSE = frozenset({"up", "off", "down", "away", "apart", "in"})
#: Words for some of a group ("many of his supporters believe", "most say").
_QUANTIFIERS = frozenset({"many", "most", "some", "few", "several", "all", "both", "each", "others", "more"})


def is_information(tok: Token) -> bool:
    """Return whether a noun names a record that reports as a person would ("poll", "data", "report")."""
    return tok.lemma_.lower() in _INFORMATION or tok.lower_ in _INFORMATION


def _speaker_like(heads: list[Token]) -> bool:
    """Return whether a subject can say or believe: a name, a pronoun, people or a group, or a document.

    ``heads`` is what ``_speaker`` returns: the subject's head, and a relative
    pronoun after it ("an architect who said": "who" speaks of a person). A
    thing cannot speak: "the sedan offers heated seats", "the map shows where ...".
    """
    head = heads[0]
    if head.lower_ == "which":
        return False  # "which" stands for a thing or a fact, never a speaker
    if head.pos_ in ("PROPN", "PRON") or head.ent_type_ in _SPEAKER_TYPES or heads[-1].lower_ in ("who", "whom"):
        return True  # a name, a pronoun, a person
    if head.pos_ != "NOUN":
        if head.lower_ in _QUANTIFIERS or any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
            return True
        return head.pos_ in ("X", "NUM") or not head.is_alpha  # not "clean, which tells you ..."
    if head.is_title and (not head.is_sent_start or any(head.text in ent.text.split() for ent in head.doc.ents)):
        return True  # a name the tagger took for a noun ("Wines believes"; "Giles said" after "Keir Giles")
    lemma = head.lemma_.lower()
    if is_information(head):
        return True
    if lemma in _PEOPLE or lemma.endswith(_AGENT_SUFFIXES):
        return True
    from .entities import _person_roles
    from .events.dictionaries import load_dictionaries, user_files
    from .events.lexicon import _actor_nouns

    agents = load_dictionaries(user_files())  # the events component's copy, not a second one
    return any(w in _person_roles() or w in _actor_nouns() or agents.find_agent((w,)) is not None
               for w in (lemma, head.lower_))


def _laid_down(verb: Token) -> bool:
    """Return whether a cue is in a clause a law or treaty lays down ("mandates that ... offer")."""
    from .events.coding import _DEONTIC

    return verb.dep_ in {"ccomp", "xcomp"} and verb.head.lemma_ in _DEONTIC


def _asks(verb: Token) -> bool:
    """Return whether a cue's clause is an open question ("shows where the flooding was worst")."""
    return any(c.dep_ == "ccomp" and c.left_edge.tag_ in {"WRB", "WP", "WDT"} for c in verb.children)


def _negated(art: _Article, verb: Token) -> bool:
    """Return whether a cue is negated or a refusal to speak: "has not commented", "never said", "declined to say".

    A refusal to do something else stays an attribution of intent ("refused to release his returns").
    A negation the parser hangs on the verb from its content ("'Probably not,' Ms. Moore said")
    is no negation of the verb: it is quoted, or it comes before the verb's subject.
    """
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any((c.dep_ == "neg" or c.lower_ == "never") and not art.quoted(c.idx) and c.i > min(subjects, default=-1)
           for c in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_ in _REFUSING:
        return True
    return verb.lemma_ in _REFUSING and any(
        c.dep_ == "xcomp" and cue_lemma(c) in cue_lexicon() for c in verb.children)


_REFUSING = frozenset({"decline", "refuse"})


def _named_as(verb: Token) -> bool:
    """Return whether a naming verb names: an object complement or a quotation ("called it a 'hoax'")."""
    return any(c.dep_ in {"oprd", "xcomp", "ccomp", "acomp"} for c in verb.children) or any(
        _is_mark(t) for t in verb.doc[verb.i : verb.right_edge.i + 1])


def _according_candidates(art: _Article) -> Iterator[_Candidate]:
    """Return "according to X, ..." attributions: the sentence (on its line) minus the phrase."""
    doc, text = art.doc, art.text
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if not objs:
            continue
        sent = tok.sent
        line = _line_bounds(text, tok.idx)
        phrase_end = _tok_end(doc[max(to.right_edge.i, objs[0].right_edge.i)])
        pieces = [
            _trim(text, max(line[0], sent.start_char), tok.idx),
            _trim(text, phrase_end, min(line[1], sent.end_char)),
        ]
        pieces = [p for p in pieces if p[1] - p[0] > 1 and _WORD.search(text, p[0], p[1])]
        if not pieces:
            continue
        cue, source, cue_word = [(tok.idx, _tok_end(to))], [_np_span(text, objs[0])], "according to"
        verb = tok.head
        if verb.pos_ == "VERB" and cue_lemma(verb) in art.lexicon and (heads := _speaker(verb)) \
                and _speaker_like(heads):
            # "According to the Kremlin's transcripts, he promised ...": his promise, which the record reports
            cue, source, cue_word = cue + [_cue_span(verb)], _source_spans(text, heads), cue_lemma(verb)
        yield _Candidate(content=pieces, cue=cue, source=source, cue_word=cue_word, frame="according", anchor=tok.i)


def _has_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _noun_candidates(art: _Article) -> Iterator[_Candidate]:
    """Return cue nouns with a that-clause: "his claim that ...", "a statement by X that ..."."""
    text = art.text
    for noun in art.doc:
        if noun.pos_ != "NOUN":
            continue
        frames = art.lexicon.get(noun.lemma_.lower())
        if frames is None or not frames.noun or art.quoted(noun.idx):
            continue
        clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp", "relcl") and _has_that(c)), None)
        if clause is None:
            continue
        owners = [c for c in noun.lefts if c.dep_ in ("poss", "compound") and c.pos_ in ("PROPN", "PRON", "NOUN")]
        if not owners:  # "a statement by the club that ..."
            by = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("by", "from")]
            owners = [o for c in by for o in c.children if o.dep_ == "pobj"]
        yield _Candidate(
            content=[_subtree_span(text, clause, _line_bounds(text, noun.idx))],
            cue=[(noun.idx, _tok_end(noun))],
            source=_source_spans(text, owners[:1]),
            cue_word=noun.lemma_.lower(),
            frame="noun",
            anchor=noun.i,
        )


_SPEAKER_TYPES = ("PERSON", "ORG", "NORP", "GPE")


def _named(art: _Article, span) -> bool:
    """Return whether ``span`` holds a name: the tagger's, or a mention the entities component found.

    A surname alone in a headline ("Merkel: ...") is rarely tagged, but the
    entities component links it to the full name in the body.
    """
    if any(t.ent_type_ in _SPEAKER_TYPES for t in span):
        return True
    entities = art.doc._.entities if art.doc.has_extension("entities") else ()
    return any(
        e.type in _SPEAKER_TYPES and m.start < span.end_char and span.start_char < m.end
        for e in entities
        for m in e.mentions
    )


# Labels before a colon that name a section, not a speaker ("UPDATE: ...").
_NOT_SPEAKERS = frozenset(
    "update updated breaking exclusive watch read related photo photos image images video note editor "
    "correction clarification source sources analysis opinion live follow listen subscribe advertisement "
    "caption credit q a".split()
)
# A speaker label is a name of at most this many words ("Sen. Elizabeth Warren").
_MAX_LABEL_WORDS = 4
_LABEL = re.compile(r"\s*[\"“]?([^\s:][^:\n]{0,60}?):[ \u00a0]+(\S)")


def _colon_candidates(art: _Article) -> Iterator[_Candidate]:
    """Return lines "Name: ...": transcript turns ("WALLACE: ...") and headline claims ("Pence: ...")."""
    doc, text = art.doc, art.text
    for line in _LINE.finditer(text):
        m = _LABEL.match(line.group())
        if not m:
            continue
        label_start, label_end = line.start() + m.start(1), line.start() + m.end(1)
        words = text[label_start:label_end].split()
        if not words or len(words) > _MAX_LABEL_WORDS:
            continue
        if any(w.lower().strip(".'’") in _NOT_SPEAKERS for w in words):
            continue
        if not all(w[0].isupper() or w.lower() in {"of", "the", "de", "van", "von"} for w in words):
            continue
        span = doc.char_span(label_start, label_end, alignment_mode="expand")
        if span is None or any(t.pos_ == "VERB" for t in span):
            continue
        transcript = all(w.isupper() and w.isalpha() for w in words)
        if not transcript and not _named(art, span):
            continue
        start = line.start() + m.start(2)
        qi = art.index.at(start)
        if qi >= 0 and art.quotations[qi].start == start:
            content = list(art.quotations[qi].pieces)
        else:
            content = [_trim(text, start, line.end())]
        if _words(text, content) < 2:
            continue
        yield _Candidate(
            content=content,
            cue=[(label_end, label_end + 1)],
            source=[(label_start, label_end)],
            cue_word=":",
            frame="colon",
            anchor=span.start,
        )


# A dash attribution ("“...” ― Sonya Herridge") names the speaker in at most this many words.
_MAX_DASH_WORDS = 6
_DASH_NAME = re.compile(r"[ \u00a0]*(?:[—―–]|--)[ \u00a0]*([A-Z][^\n,;(]{1,60})")


def _dash_candidates(art: _Article) -> Iterator[_Candidate]:
    """Return quotations followed by a dash and a name."""
    text = art.text
    for qi, q in enumerate(art.quotations):
        m = _DASH_NAME.match(text, q.end, q.end + 80)
        if not m:
            continue
        s, e = _trim(text, m.start(1), m.end(1))
        if not 0 < len(text[s:e].split()) <= _MAX_DASH_WORDS:
            continue
        dash = m.start() + len(m.group()) - len(m.group().lstrip(" \u00a0"))
        yield _Candidate(
            content=list(q.pieces),
            cue=[(dash, dash + 1)],
            source=[(s, e)],
            cue_word="—",
            frame="dash",
            quotations={qi},
        )


# ---------------------------------------------------------------------------
# 4. Quotations and their attributions


# The tuned constants of this section were set from the longest attributions
# seen in PolNeAR dev and checked there for sensitivity: halving or doubling
# each moves F1 by at most 0.003.
#
# The two parts of a split quote ("“...,” said Keir Giles, a senior fellow at
# Chatham House, a London think tank, after the hearing. “...”") are at most
# this many words apart.
_MAX_ATTRIBUTION_WORDS = 40
# A quoted paragraph continues the quote that the paragraph before ends with
# when at most this many words follow that quote ("..., he said after the rally.").
_MAX_TRAILING_WORDS = 12
# How a quotation followed by its attribution ends inside its closing mark.
_SPEECH_END = {",", "?", "!", "—", "–", "-", "…"}
_COLON_AFTER = re.compile(r"[ \u00a0]*:\s*")
# A cue verb attributes a quotation next to it when at most this many words
# (the speaker's name, an adverb) stand between them.
_MAX_CUE_DISTANCE = 6


def _attach_quotations(art: _Article, candidates: list[_Candidate]) -> None:
    """Extend contents to whole quotations and give each quotation with a cue nearby to that cue."""
    text, quotations = art.text, art.quotations
    # Content touching a quotation takes all of it -- except a transcript turn
    # ("WALLACE: ...") in a quoted block, which is that speaker's only.
    for cand in candidates:
        if not cand.content or cand.frame == "colon" and cand.cue_word == ":":
            continue
        extra: list[Span] = []
        for s, e in cand.content:
            for qi in art.index.overlapping(s, e):
                shared = [(max(s, ps), min(e, pe)) for ps, pe in quotations[qi].pieces]
                if any(a < b and _WORD.search(text, a, b) for a, b in shared):
                    cand.quotations.add(qi)
                    extra.extend(quotations[qi].pieces)
        if extra:
            cand.content = _merge(cand.content + extra)
        # "... said she has the quality for the job: “Steadiness ...”"
        if cand.frame == "clause":
            m = _COLON_AFTER.match(text, cand.content[-1][1])
            qi = art.index.at(m.end()) if m else -1
            if qi >= 0 and quotations[qi].start == m.end():
                cand.content = _merge(cand.content + list(quotations[qi].pieces))
                cand.quotations.add(qi)
    covered = {qi for c in candidates for qi in c.quotations if c.content}

    # "“...,” said X" / "X said, “...”": the quotation is the content of the cue next to it.
    by_anchor = {c.anchor: c for c in candidates if c.anchor >= 0}
    for qi, q in enumerate(quotations):
        if qi in covered:
            continue
        verb = _cue_after(art, q) or _cue_before(art, q)
        cand = by_anchor.get(verb.i) if verb is not None else None
        if cand is None:
            continue
        if cand.frame in ("object", "prep", "infinitive"):
            cand.content = []  # "called it ...": the quotation is what was said
        cand.content = _merge(cand.content + list(q.pieces))
        cand.quotations.add(qi)
        cand.frame = "quotation"
        covered.add(qi)

    _join_split_quotes(art, candidates, covered)
    _join_quoted_paragraphs(art, candidates, covered)
    _floating_quotes(art, candidates, covered)


def _cue_after(art: _Article, q: Quotation) -> Token | None:
    """Return the cue verb right after a quotation ("“...,” she said"), or None.

    The quotation must end as reported speech does, with a comma, question or
    exclamation mark, or dash inside or a comma after it: a title or a scare
    quote before a verb ("the film “Blue Harbour” says a lot") is not speech.
    """
    doc, text = art.doc, art.text
    inner = q.end
    while inner > q.start and text[inner - 1] in _MARK_CHARS:
        inner -= 1
    after = text[q.end : q.end + 3].lstrip(" \u00a0")
    if not q.closed or not (text[inner - 1 : inner] in _SPEECH_END or after.startswith(",")):
        return None
    span = doc.char_span(q.end, q.end + 1, alignment_mode="expand")
    if span is None:
        return None
    words = 0
    for tok in doc[span.start :]:
        if tok.idx < q.end:
            continue
        if words > _MAX_CUE_DISTANCE or "\n" in tok.text or art.quoted(tok.idx) or tok.text in {".", "!", "?"}:
            return None
        if tok.pos_ == "VERB":
            frames = art.lexicon.get(cue_lemma(tok))
            if frames is not None and frames.clause:
                return tok
            if tok.dep_ not in ("aux", "auxpass"):
                return None  # another verb first
        if not tok.is_punct:
            words += 1
    return None


def _cue_before(art: _Article, q: Quotation) -> Token | None:
    """Return the cue verb right before a quotation on its line ("she said, “...”"), or None.

    A comma or colon must introduce the quotation, and the verb must be a
    clause's own ("a city known as the “jewel of the coast”" is not speech).
    """
    doc, text = art.doc, art.text
    if _char_before(text, q.start) not in (",", ":"):
        return None
    span = doc.char_span(max(0, q.start - 1), q.start, alignment_mode="expand")
    if span is None:
        return None
    words = 0
    for i in range(span.end - 1, -1, -1):
        tok = doc[i]
        if tok.idx >= q.start:
            continue
        if words > _MAX_CUE_DISTANCE or "\n" in tok.text or art.quoted(tok.idx) or tok.text in {".", "!", "?"}:
            return None
        frames = art.lexicon.get(cue_lemma(tok))
        if tok.pos_ == "VERB" and frames is not None and frames.clause:
            return None if tok.dep_ in ("acl", "amod") else tok
        if not tok.is_punct and not tok.is_space:
            words += 1
    return None


def _join_split_quotes(art: _Article, candidates: list[_Candidate], covered: set[int]) -> None:
    """Add "B" to the quote of "A" in “A,” he said. “B.”: only the attribution sentence stands between."""
    doc, text, quotations = art.doc, art.text, art.quotations
    sent_starts = [sent.start_char for sent in doc.sents]
    for qi, q in enumerate(quotations):
        if qi in covered:
            continue
        if _char_before(text, q.start) not in tuple(".,;:!?\"" + _CLOSE_DOUBLE):
            continue  # "... said on “Fox and Friends.”": a title inside the attribution
        line_start = _line_bounds(text, q.start)[0]
        pi = qi - 1
        while pi >= 0 and pi not in covered and quotations[pi].end > line_start:
            pi -= 1  # titles between the two parts
        if pi < 0 or pi not in covered:
            continue
        prev = quotations[pi]
        owner = next((c for c in candidates if pi in c.quotations and c.content), None)
        gap = text[prev.end : q.start]
        if owner is None or owner.anchor < 0 or "\n" in gap or len(gap.split()) > _MAX_ATTRIBUTION_WORDS:
            continue
        cue = doc[owner.anchor]
        if not prev.end <= cue.idx < q.start:
            continue
        k = bisect.bisect_right(sent_starts, max(prev.end, cue.sent.start_char))
        if k < len(sent_starts) and sent_starts[k] < q.start and text[sent_starts[k] : q.start].strip():
            continue  # a sentence of the reporter's own between them
        if any(
            c is not owner
            and c.content
            and c.anchor >= 0
            and prev.end <= doc[c.anchor].idx < q.start
            and doc[c.anchor].head.i != owner.anchor  # "..., emphasizing why ..." is part of the attribution
            for c in candidates
        ):
            continue
        owner.content = _merge(owner.content + list(q.pieces))
        owner.quotations.add(qi)
        covered.add(qi)


def _join_quoted_paragraphs(art: _Article, candidates: list[_Candidate], covered: set[int]) -> None:
    """Add a paragraph that is only a quotation to the attributed quote the previous paragraph ends with."""
    text = art.text
    for qi, q in enumerate(art.quotations):
        if qi in covered:
            continue
        line = _quotation_paragraph(text, q)
        if line is None:
            continue
        prev_line, owner = _last_before(text, candidates, line)
        if owner is None or not owner.quotations:
            continue
        if len(text[owner.content[-1][1] : prev_line[1]].split()) > _MAX_TRAILING_WORDS:
            continue
        owner.content = _merge(owner.content + list(q.pieces))
        owner.quotations.add(qi)
        covered.add(qi)


def _last_before(text: str, candidates: list[_Candidate], line: Span) -> tuple[Span, _Candidate | None]:
    """Return the paragraph before ``line`` and the candidate whose content ends last in it, if any."""
    prev_line = _line_bounds(text, max(0, _rstrip(text, 0, line[0]) - 1))
    in_prev = [c for c in candidates if c.content and prev_line[0] <= c.content[-1][0] < prev_line[1]]
    return prev_line, max(in_prev, key=lambda c: c.content[-1][1], default=None)


def _quotation_paragraph(text: str, q: Quotation) -> Span | None:
    """Return the bounds of the paragraph ``q`` is all of, or None when the paragraph says more."""
    line = _line_bounds(text, q.start)
    if text[line[0] : q.start].strip() or text[q.end : line[1]].strip(" \u00a0.,") or line[0] == 0:
        return None
    return line


def _floating_quotes(art: _Article, candidates: list[_Candidate], covered: set[int]) -> None:
    """Take a paragraph that is only a quotation, with no cue of its own, as a floating quote.

    Its speaker is the source of the attribution the previous paragraph ends with (a quote, direct
    or not, or an earlier floating quote), else the last person the previous paragraph names
    ("Maria Lopez, a teacher, was at the rally. / “We will not give up.”").
    """
    text = art.text
    entities = art.doc._.entities if art.doc.has_extension("entities") else ()
    people = sorted((m.start, m.end) for e in entities if e.type == "PERSON" for m in e.mentions)
    for qi, q in enumerate(art.quotations):
        if qi in covered or _words(text, q.pieces) < _MIN_FLOATING_WORDS:
            continue
        line = _quotation_paragraph(text, q)
        if line is None:
            continue
        prev_line, owner = _last_before(text, [c for c in candidates if c.source], line)
        if owner is not None:
            source = owner.source
        else:
            named = [p for p in people if prev_line[0] <= p[0] and p[1] <= prev_line[1]]
            if not named:
                continue
            source = [named[-1]]
        candidates.append(_Candidate(content=list(q.pieces), cue=[], source=list(source), cue_word="",
                                     frame="floating", quotations={qi}))
        covered.add(qi)


# A floating quote has at least this many words: shorter quoted paragraphs are titles or slogans.
_MIN_FLOATING_WORDS = 4


# ---------------------------------------------------------------------------
# 5. Resolution


# A candidate overlapping a more reliable one keeps the rest of its content if
# that rest has at least this many words and this share of what it had: "X
# said Y, who said Z" keeps Y, while a second cue for the same words
# ("according to ..." beside "said") is dropped. On PolNeAR dev the values
# matter little (1 to 5 words, share 0 to 0.35: F1 0.702 +- 0.001); dropping a
# candidate that lost half its words instead found 9 fewer attributions.
_MIN_REST_WORDS = 3
_MIN_REST_SHARE = 0.2
_FUNCTION_PIECE = re.compile(r"\W*(?:that|and|but|or|as|while|because|if|whether|so|then)?\W*", re.I)


def _depth(doc: Doc, cand: _Candidate) -> int:
    """Return how deep the cue sits in its parse tree (an embedded attribution goes first)."""
    if cand.anchor < 0:
        return 0
    tok, depth = doc[cand.anchor], 0
    while tok.head.i != tok.i and depth < 50:
        tok, depth = tok.head, depth + 1
    return depth


def _resolve(art: _Article, candidates: list[_Candidate]) -> list[_Candidate]:
    """Return the candidates kept after overlaps are settled (step 5), in content order."""
    text = art.text
    order = sorted(candidates, key=lambda c: (_FRAMES[c.frame][0], -_depth(art.doc, c), c.content[0][0]))
    taken: list[Span] = []
    kept: list[_Candidate] = []
    for cand in order:
        before = _words(text, cand.content)
        pieces = _subtract(cand.content, taken + cand.cue + cand.source)
        pieces = [p if p in cand.content else _trim(text, *p) for p in pieces]
        pieces = [p for p in pieces if p[1] > p[0] and not _FUNCTION_PIECE.fullmatch(text, p[0], p[1])]
        after = _words(text, pieces)
        if not after or after < before and (after < _MIN_REST_WORDS or after < before * _MIN_REST_SHARE):
            continue
        cand.content = pieces
        kept.append(cand)
        # An antecedent ("Svetlana Tsikhanouskaya, who said ...") may sit in another quote's content.
        taken = _merge(taken + pieces + cand.cue + [s for s in cand.source if s != cand.antecedent])
    kept.sort(key=lambda c: c.content[0][0])
    return kept


def _kind(art: _Article, content: list[Span]) -> str:
    """Return "direct" (all content quoted), "mixed" or "indirect"."""
    inside = outside = 0
    for s, e in content:
        for i in range(s, e):
            if art.text[i].isalnum():
                if art.quoted(i):
                    inside += 1
                else:
                    outside += 1
    if inside and not outside:
        return "direct"
    return "mixed" if inside else "indirect"


def _candidates(doc: Doc) -> tuple[_Article, list[_Candidate]]:
    """Return the article context and its final candidates (steps 1-5), in content order."""
    text = doc_text(doc)
    quotations = find_quotations(text)
    art = _Article(doc, text, quotations, _QuoteIndex(quotations), cue_lexicon())
    candidates = list(_verb_candidates(art))
    candidates += _according_candidates(art)
    candidates += _noun_candidates(art)
    candidates += _colon_candidates(art)
    candidates += _dash_candidates(art)
    _attach_quotations(art, candidates)
    candidates = [c for c in candidates if c.content]
    for cand in candidates:
        _fix_source(art, cand)
    # Only a clause ("it is expected that ...") may go without a source.
    candidates = [c for c in candidates if c.source or c.frame == "clause"]
    return art, _resolve(art, candidates)


#: A verb of belief, intention, judgement or showing introduces an attribution less
#: often than a verb of speaking: PolNeAR dev, clauses with a resolved speaker,
#: 0.78 against 0.92; on real pages of many outlets 4 of 30 against 41 of 50.
_NOT_SPEAKING = 0.85
_VERBAL_FRAMES = frozenset({"quotation", "clause", "colon", "object", "infinitive", "prep"})


def _confidence(art: _Article, cand: _Candidate) -> float:
    """Return a quote's confidence: its frame's precision, less for a cue that is not speech or no source."""
    confidence = _FRAMES[cand.frame][1]
    frames = art.lexicon.get(cand.cue_word or "")
    if cand.frame in _VERBAL_FRAMES and frames is not None and not frames.speech:
        confidence *= _NOT_SPEAKING
    if not cand.source:
        confidence *= 0.8
    return round(confidence, 2)


def find_quotes(doc: Doc) -> tuple[Quote, ...]:
    """Return the attributions in ``doc`` as ``Quote`` records ordered by content start (ids Q1, Q2 ...)."""
    art, kept = _candidates(doc)
    quotes = []
    for n, cand in enumerate(kept, start=1):
        confidence = _confidence(art, cand)
        quotes.append(
            Quote(
                id=f"Q{n}",
                kind="floating" if cand.frame == "floating" else _kind(art, cand.content),
                content=tuple(cand.content),
                cue=tuple(cand.cue),
                source=tuple(cand.source),
                cue_word=cand.cue_word,
                confidence=round(confidence, 2),
            )
        )
    return tuple(quotes)


@Language.factory("newsgraph_quotes_v1", requires=["token.dep", "doc._.entities"], assigns=["doc._.quotes"])
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    cue_lexicon()  # read with the model, not on the first document
    return QuoteFinder()


class QuoteFinder:
    """spaCy component: computes ``find_quotes(doc)``, then stores it in ``doc._.quotes``."""

    def __call__(self, doc: Doc) -> Doc:
        quotes = find_quotes(doc)
        doc._.quotes = quotes
        return doc
