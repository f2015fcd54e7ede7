"""Quotes (component ``newsgraph_quotes_v1``): being written; see the quotes issue."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["find_quotes"]


def find_quotes(doc: Doc) -> tuple:
    """Return the quotes found in ``doc`` (none yet)."""
    return ()


@Language.factory("newsgraph_quotes_v1", requires=["token.dep", "doc._.entities"], assigns=["doc._.quotes"])
def make_quote_finder(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.quotes = find_quotes(doc)
        return doc

    return component
