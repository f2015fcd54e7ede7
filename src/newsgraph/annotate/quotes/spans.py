"""Shared by every step: the characters of quotation marks, and the helpers that cut,
trim and merge the character spans (``(start, end)`` offsets) of contents, cues and sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Token

from ...models import Span


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
