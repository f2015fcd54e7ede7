"""Every ``Doc._`` extension newsgraph uses, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["doc_text", "register_extensions"]


def register_extensions() -> None:
    """Declare our ``Doc._`` attributes (idempotent)."""
    # The document's text, kept by ``doc_text`` for the components after the first.
    if not Doc.has_extension("text"):
        Doc.set_extension("text", default=None)
    # Entities clustered within the document (tuple of models.Entity).
    if not Doc.has_extension("entities"):
        Doc.set_extension("entities", default=())
    # Quotes with their speakers (tuple of models.Quote), set by newsgraph_quotes_v1
    # and resolved to entities by newsgraph_speakers_v1.
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=())
    # The publication date (ISO string or None), set before the pipeline runs; the
    # time component resolves "Monday" against it.
    if not Doc.has_extension("published"):
        Doc.set_extension("published", default=None)
    # Time expressions (tuple of models.DateExpression), set by newsgraph_time_v1.
    if not Doc.has_extension("dates"):
        Doc.set_extension("dates", default=())
    # Places resolved to a gazetteer (tuple of models.Place), set by newsgraph_places_v1.
    if not Doc.has_extension("places"):
        Doc.set_extension("places", default=())
    # The article's tone (float in [-1, 1]), set by newsgraph_tone_v1.
    if not Doc.has_extension("tone"):
        Doc.set_extension("tone", default=None)
    # Events (tuple of models.Event), set by newsgraph_events_v1.
    if not Doc.has_extension("events"):
        Doc.set_extension("events", default=())
    # The page's genre ("political", "other" or None: too short to tell) and its political
    # share (float), set by newsgraph_events_v1 (annotate/events/genre.py).
    if not Doc.has_extension("genre"):
        Doc.set_extension("genre", default=None)
    if not Doc.has_extension("political_share"):
        Doc.set_extension("political_share", default=None)


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, built once per document.

    spaCy joins every token again on each ``doc.text``; our components each read
    the whole text, so the first one keeps it (a Doc's text never changes).
    """
    text = doc._.text
    if text is None:
        text = doc._.text = doc.text
    return text
