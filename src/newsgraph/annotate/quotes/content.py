"""Step 2, content: what a cue verb introduces: a clause (with the aside, colon and interrupted-clause
forms), an infinitive, an object or a prepositional object, cut before a reporter's gloss and
before the speaker's next act.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ...models import Span
from .lexicon import _Frames, cue_lemma
from .records import _Article
from .spans import _MARK_CHARS, _is_mark, _line_bounds, _run_span, _subtree_span, _tok_end, _trim


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
            lemma = cue_lemma(tok)
            frames = art.lexicon.get(lemma)
            if frames is not None and (frames.speech or lemma in _SPEECH_ACTS):
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


def _has_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


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
    # The clauses on either side end at a dash or a semicolon: "... could be an option — although
    # ..., she said, Russia decided ...": the clause before the dash is another speaker's.
    start = _after_last_break(art, max(sent.start_char, line[0]), doc[first - 1].idx)
    end = _first_break(art, _tok_end(last), min(sent.end_char, line[1]))
    pieces = [_trim(text, start, doc[first - 1].idx), _trim(text, _tok_end(last), end)]
    if not all(_says_something(doc, p) for p in pieces) or any(art.quoted(p[0]) for p in pieces):
        return []  # "Instead, Ferris said, ...": a connective; a quotation is attached as it is quoted
    return pieces


_CLAUSE_BREAK = frozenset(";—–―")
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
    pieces = [_trim(text, _after_last_break(art, span[0], cut[0]), cut[0]),
              _trim(text, cut[1], _first_break(art, cut[1], span[1]))]
    return [p for p in pieces if _says_something(doc, p)], "clause"


def _first_break(art: _Article, start: int, end: int) -> int:
    """Return where the first dash or semicolon outside quotation marks in [start, end) is, else ``end``."""
    return next((i for i in range(start, end) if art.text[i] in _CLAUSE_BREAK and not art.quoted(i)), end)


def _after_last_break(art: _Article, start: int, end: int) -> int:
    """Return the position after the last dash or semicolon outside quotation marks in [start, end), else ``start``."""
    return next((i + 1 for i in range(end - 1, start - 1, -1)
                 if art.text[i] in _CLAUSE_BREAK and not art.quoted(i)), start)


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
            if not any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                continue
            addressee = next((c for c in verb.rights if c.dep_ in ("dobj", "dative") and c.i < child.i), None)
            # An infinitive the parser reads as a purpose clause is what was said when a verb of
            # speaking has an addressee ("tells his supporters at a rally to 'go ... vote'").
            ordered = child.dep_ == "advcl" and addressee is not None and (
                frames.speech or cue_lemma(verb) in _SPEECH_ACTS)
            if child.dep_ in ("xcomp", "ccomp") or ordered:
                # "told his advisers to find ...": the addressee belongs to what was said;
                # "wants the city to run ..." (parsed as a clause with a subject) likewise.
                obj = addressee or child
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


#: A wire dateline at the start of a paragraph: "VIENNA —", "MANILA, Philippines -",
#: "NAIROBI, Kenya (AP) —", "LONDON (Reuters) -".
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+(?:, [A-Z][A-Za-z .'-]+)?(?: \([A-Za-z]+\))? [—–-] ")


def _after_dateline(text: str, span: Span) -> Span:
    """Return a content span without the dateline it starts with: the place of filing is not what was said."""
    start, end = span
    if start == 0 or text[start - 1] == "\n":
        match = _DATELINE.match(text, start, end)
        if match:
            return _trim(text, match.end(), end)
    return span
