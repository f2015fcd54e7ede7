"""Steps 2 and 3, candidates: cue verbs with their content and source, and the filters that tell
a cue that says nothing; "according to X"; cue nouns with a that-clause; "Name: ..." lines;
"“...” ― Name".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Token

from ...models import Span
from .content import _MAX_COLON_GAP, _clause_content, _has_that, _object_content
from .lexicon import _Frames, cue_lemma, cue_lexicon
from .records import _Article, _Candidate
from .sources import _named, _np_span, _source_spans, _speaker, _speaker_like
from .spans import _LINE, _WORD, _WORDS, _is_mark, _line_bounds, _subtree_span, _tok_end, _trim


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
        lemma = cue_lemma(verb)
        frames = art.lexicon.get(lemma)
        if frames is None and verb.lemma_ == "put" and _puts_it(verb):
            frames = _Frames(clause=True)
        if frames is None or not frames.verbal or art.quoted(verb.idx) or _reported_by_outer(art, verb):
            continue
        if _connective(verb):
            continue  # "That said, ...", "That being said, ..."
        if any(c.dep_ == "prt" and c.lower_ in _OTHER_SENSE for c in verb.children):
            continue  # "can call up the menu", "show off": a phrasal verb of another meaning
        content, frame = _clause_content(art, verb, frames) if frames.clause else ([], "")
        if not content:
            content, frame = _object_content(text, verb, frames)
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
        if _unasserted(verb, frames, heads, art):
            continue  # "If Google decides to ...", "what's called 'farmer's lung'", "you think we should know"
        source = _source_spans(text, heads)
        yield _Candidate(
            content=content,
            cue=[_cue_span(verb)],
            source=source,
            cue_word=lemma,
            frame=frame or "clause",
            anchor=verb.i,
            antecedent=source[0] if len(heads) == 2 and len(source) == 2 else None,
        )


#: Verbs whose object frame names something ("called the plan 'reckless'"): without a name, no speech.
_NAMING = frozenset({"call", "label", "brand", "dub", "term"})


def _unasserted(verb: Token, frames: _Frames, heads: list[Token], art: _Article) -> bool:
    """Return whether a cue reports nobody's actual speech or belief.

    A cue in a condition ("If Google decides to remove ...") is no act yet; a
    naming verb in the passive names a thing ("what's called 'farmer's lung'");
    a belief of the writer or the reader in the article's own prose ("I
    understand that ...", "Is there something you think we should know?") is
    the author's voice, not an attribution (a speaker who says "I" is quoted,
    and quoted words are not read here).
    """
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        return True
    if verb.lemma_ in _NAMING and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) \
            and not any(c.dep_ == "prep" and c.lower_ in frames.preps for c in verb.children):
        return True  # but "who's called for tax hikes" is a demand
    return not frames.speech and bool(heads) and heads[0].lower_ in ("i", "you", "we") and not art.quoted(heads[0].idx)


#: The terms of an anonymous source: "asked not to be named", "requested not to be identified".
_ANONYMITY = re.compile(r"not\s+to\s+be\s+(?:named|identified|quoted)\b", re.IGNORECASE)


def _connective(verb: Token) -> bool:
    """Return whether a cue is the connective "That said," (a demonstrative subject, then a comma)."""
    doc = verb.doc
    return verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "that" for c in verb.children)


#: Particles that turn a cue into a verb of another meaning ("call up the menu", "show off", "tell apart").
_OTHER_SENSE = frozenset({"up", "off", "down", "away", "apart", "in"})


def _laid_down(verb: Token) -> bool:
    """Return whether a cue is in a clause a law or treaty lays down ("mandates that ... offer")."""
    from ..events.coding import _DEONTIC

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


# Labels before a colon that name a section, not a speaker ("UPDATE: ...").
_NOT_SPEAKERS = frozenset(
    "update updated breaking exclusive watch read related photo photos image images video note editor "
    "correction clarification source sources analysis opinion live follow listen subscribe advertisement "
    "caption credit q a".split()
)
# A speaker label is a name of at most this many words ("Sen. Elizabeth Warren").
_MAX_LABEL_WORDS = 4
_LABEL = re.compile(r"\s*[\"“]?([^\s:][^:\n]{0,60}?):[ \u00a0]+(\S)")


def _is_place(label: str) -> bool:
    """Return whether a line's label names a country, capital or dictionary place (a dateline)."""
    from ..entities import known_type

    return known_type(label.title() if label.isupper() else label, "") == "GPE"


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
        if _is_place(text[label_start:label_end]):
            continue  # "NEW DELHI: The weather office ...": a dateline, not a speaker
        start = line.start() + m.start(2)
        qi = art.index.at(start)
        if qi >= 0 and art.quotations[qi].start == start:
            content = list(art.quotations[qi].pieces)
        else:
            content = [_trim(text, start, line.end())]
        if sum(1 for s, e in content for w in _WORDS.findall(text, s, e) if not w.isdigit()) < 2:
            continue  # "VIP : 60,000₩": a price list
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
