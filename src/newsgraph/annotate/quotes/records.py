"""The records steps 2-5 pass around: ``_Article``, what every step reads, and ``_Candidate``,
an attribution in the making (content, cue and source spans, and the frame that found it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ...models import Span
from .lexicon import _Frames
from .quotations import Quotation, _QuoteIndex


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
