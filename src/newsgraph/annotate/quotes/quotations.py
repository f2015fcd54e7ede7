"""Step 1, quotations: opening and closing marks paired line by line, into ``Quotation`` records,
and the index that tells which quotation covers a character.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ...models import Span
from .spans import (_AFTER_CLOSE, _BEFORE_OPEN, _CLOSE_DOUBLE, _DOUBLE_MARK, _LINE, _OPEN_DOUBLE, _OPEN_SINGLE,
                    _SINGLE_MARK, _rstrip, _words)


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
            # It goes on only in a paragraph that opens with a mark of its own style: a stray
            # straight mark does not swallow the curly quotations of the paragraphs after it.
            if line_marks and line_marks[0][0] == first and line_marks[0][2] in ("open", "both") \
                    and _style(text[first]) == _style(text[pending.pieces[0][0]]):
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
