"""Step 4, quotations and their attributions: contents extended to whole quotations, quotations
given to the cue next to them, split quotes and quoted paragraphs joined, floating quotes.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Token

from ...models import Span
from .lexicon import cue_lemma
from .quotations import Quotation
from .records import _Article, _Candidate
from .spans import _CLOSE_DOUBLE, _MARK_CHARS, _WORD, _char_before, _line_bounds, _merge, _rstrip, _words


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
