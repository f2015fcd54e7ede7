"""Stage 2: ``RawDocument`` -> ``Page`` (main text, metadata, captions, boilerplate).

HTML goes through ``extract.html`` (trafilatura plus our figure/caption reader);
scraped page text through ``extract.text`` (our line cleaner); article text that
is already clean (a JSONL ``text`` field) is only split into paragraphs. Then
``extract()`` checks that there is an article, identifies its language and
fills in metadata the source gave. Extraction works for any language; whether
the language can be annotated is the pipeline's decision (``check_language``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import NewsgraphError, NoContentError
from ..models import Page, RawDocument
from .html import extract_html
from .language import identify_language
from .text import extract_text

__all__ = ["extract", "extract_html", "extract_text", "extract_plain"]

_BLANK_LINE = re.compile(r"\n\s*\n")


def extract_plain(text: str) -> Page:
    """Return a ``Page`` whose paragraphs are the blank-line separated blocks of ``text``."""
    blocks = _BLANK_LINE.split(text.strip()) if _BLANK_LINE.search(text) else text.strip().splitlines()
    return Page(title=None, paragraphs=tuple(" ".join(b.split()) for b in blocks if b.strip()))


def extract(raw: RawDocument) -> Page:
    """Return the ``Page`` found in ``raw``; raise ``ExtractionError`` if there is none."""
    try:
        if raw.format == "html":
            page = extract_html(raw.body, url=raw.final_url or raw.url)
        elif raw.format == "text":
            page = extract_text(raw.body)
        else:
            page = extract_plain(raw.body)
    except NewsgraphError as err:
        err.source = err.source or raw.source  # the extractors see text, not where it came from
        raise
    if not any(p.strip() for p in page.paragraphs):
        raise NoContentError("no article text found", source=raw.source)
    language = identify_language(" ".join(page.paragraphs))
    # What the source states (a JSONL record's fields) wins over what we inferred.
    return replace(
        page,
        language=language,
        title=raw.title or page.title,
        published=raw.published or page.published,
        url=raw.url or page.url,
    )
