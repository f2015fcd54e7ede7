"""Every ``Doc._`` extension newsgraph uses, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["register_extensions"]


def register_extensions() -> None:
    """Declare our ``Doc._`` attributes (idempotent)."""
    # Entities clustered within the document (tuple of models.Entity).
    if not Doc.has_extension("entities"):
        Doc.set_extension("entities", default=())
    # Quotes with their speakers (tuple of models.Quote), set by newsgraph_quotes_v1
    # and resolved to entities by newsgraph_speakers_v1.
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=())
