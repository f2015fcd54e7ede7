"""Paragraphs (component ``newsgraph_paragraphs_v1``): a line break ends a sentence.

Article text keeps one paragraph per line (a headline, a dateline, a caption
are lines of their own). The model's parser knows nothing of lines and joins
a headline without a full stop to the paragraph after it ("Typhoon kills 12
in Philippines\\n\\nMANILA - Typhoon Kiko killed ..., officials said"), so the
attribution's verb takes the headline as its clause. This component runs
before the parser and starts a sentence at the first token after every
whitespace token holding a newline; the parser keeps boundaries set before
it and only adds its own within lines.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["mark_paragraphs"]


def mark_paragraphs(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token that begins a line (the first token stays as it is)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if not tok.is_space and (prev.is_space and "\n" in prev.text or "\n" in prev.whitespace_):
            tok.is_sent_start = True
    return doc


@Language.component("newsgraph_paragraphs_v1")
def paragraphs_component(doc: Doc) -> Doc:
    return mark_paragraphs(doc)
