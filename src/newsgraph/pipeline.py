"""Run newsgraph's stages in order on news documents.

1. **ingest** (``newsgraph.ingest``): files -> ``RawDocument`` (decoded text) or ``Failure``.
2. **extract** (``newsgraph.extract``): ``RawDocument`` -> ``Page``: main text,
   metadata, captions, boilerplate, language; pages with no article refused.
3. **check language**: only languages the model reads (English) go on.
4. **annotate** (``newsgraph.annotate``): the body text through spaCy and our
   components -> entities clustered within the article.
5. **assemble**: one frozen ``Article`` with a content-hash id.

Storing (``newsgraph.store``) and batch runs with progress (``newsgraph.run``)
consume what ``Pipeline.process`` yields.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from .annotate import load_nlp, model_info
from .annotate.events import recode_actors
from .annotate.nlp import MAX_TEXT_CHARS
from .annotate.speakers import merge_roles, roles_in_doc
from .errors import InputError, InputTooLargeError, NewsgraphError
from .extract import extract
from .extract.language import check_language, load_identifier
from .ingest import read_document
from .ingest.decode import DEFAULT_MAX_BYTES
from .models import Article, Failure, Page, RawDocument

__all__ = ["Pipeline", "analyze", "article_id", "normalise_date", "pipeline_info", "prepare"]

#: Stored with every run, so a stored record says which code produced it.
PIPELINE_VERSION = "0.1.0"

PARAGRAPH_SEPARATOR = "\n\n"

# Our components a caption skips: captions are read for roles (from the model's
# parse and entities) and dates (newsgraph_time_v1) only.
CAPTION_SKIPS = (
    "newsgraph_entities_v1", "newsgraph_quotes_v1", "newsgraph_speakers_v1", "newsgraph_places_v1",
    "newsgraph_events_v1", "newsgraph_tone_v1",
)

# Documents handed to spaCy at once: large enough for nlp.pipe's batching to pay,
# small enough that a failure report or progress update is never far behind.
BATCH_SIZE = 32


def article_id(title: str | None, text: str) -> str:
    """Return the article's id: the first 16 hex digits of SHA-256 over title and text."""
    digest = hashlib.sha256(f"{title or ''}\n{text}".encode("utf-8")).hexdigest()
    return digest[:16]


def normalise_date(value: str | None, source: str | None = None) -> str | None:
    """Return ``value`` as ``YYYY-MM-DD`` (an ISO date or date-time is accepted), or None."""
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise InputError(f"published date '{value}' is not YYYY-MM-DD", source=source) from None


def _page_date(value: str | None) -> str | None:
    # A date found on the page (or in a JSONL field) that does not parse is
    # dropped rather than failing the article: the text is still worth having.
    try:
        return normalise_date(value)
    except InputError:
        return None


def prepare(raw: RawDocument, max_chars: int = MAX_TEXT_CHARS) -> tuple[Page, str, tuple[tuple[int, int], ...]]:
    """Return the page, the text the model reads and each paragraph's (start, end) in it.

    The text is the page's body paragraphs joined by blank lines. Raises
    ``NewsgraphError`` for a page with no article, not in English, or with a
    text over ``max_chars``.
    """
    page = extract(raw)
    check_language(page, source=raw.source)  # the model reads English only
    paragraphs = [p for p in page.paragraphs if p.strip()]
    spans, pos = [], 0
    for para in paragraphs:
        spans.append((pos, pos + len(para)))
        pos += len(para) + len(PARAGRAPH_SEPARATOR)
    text = PARAGRAPH_SEPARATOR.join(paragraphs)
    if len(text) > max_chars:
        raise InputTooLargeError(
            f"article text has {len(text):,} characters, over the {max_chars:,} the model reads",
            source=raw.source,
        )
    return page, text, tuple(spans)


class Pipeline:
    """Extract and annotate news documents with one spaCy model loaded once."""

    def __init__(self, model: str | None = None) -> None:
        self.nlp = load_nlp(model)
        load_identifier()
        self.info = {"pipeline_version": PIPELINE_VERSION, **model_info(self.nlp)}

    def article(self, raw: RawDocument, published: str | None = None) -> Article:
        """Return the ``Article`` for one document; raise ``NewsgraphError`` if it has none.

        ``published`` (``YYYY-MM-DD``, already checked with ``normalise_date``)
        overrides the date found on the page.
        """
        page, text, spans = prepare(raw, self.nlp.max_length)
        doc = self.nlp(self.make_doc(text, published or _page_date(page.published)))
        return self._assemble(raw, page, text, spans, doc, published)

    def process(
        self, items: Iterable[RawDocument | Failure], published: str | None = None
    ) -> Iterator[Article | Failure]:
        """Yield an ``Article`` or a ``Failure`` for every item, in input order."""
        pending: list[tuple[RawDocument, Page, str, tuple]] = []
        for item in items:
            if isinstance(item, Failure):
                yield from self._flush(pending, published)
                pending = []
                yield item
                continue
            try:
                pending.append((item, *prepare(item, self.nlp.max_length)))
            except NewsgraphError as err:
                yield from self._flush(pending, published)
                pending = []
                yield Failure.from_error(err, item.source)
                continue
            if len(pending) >= BATCH_SIZE:
                yield from self._flush(pending, published)
                pending = []
        yield from self._flush(pending, published)

    def _flush(self, pending, published) -> Iterator[Article | Failure]:
        if not pending:
            return
        docs = self.nlp.pipe(
            self.make_doc(text, published or _page_date(page.published)) for _, page, text, _ in pending
        )
        for (raw, page, text, spans), doc in zip(pending, docs):
            try:
                yield self._assemble(raw, page, text, spans, doc, published)
            except NewsgraphError as err:
                yield Failure.from_error(err, raw.source)

    def make_doc(self, text: str, published: str | None):
        """Return a tokenised ``Doc`` of ``text`` that knows its publication date (for the time component)."""
        doc = self.nlp.make_doc(text)
        doc._.published = published
        return doc

    def _read_captions(self, captions, doc, published):
        """Return the article's entities and dates with what its image captions add.

        Captions are not part of ``text``, but they state roles ("Belarusian
        President Alexander Lukashenko") and dates ("on Sunday") the body may
        not; their dates carry no span.
        """
        entities, dates = doc._.entities, doc._.dates
        texts = [c.text for c in captions if c.text]
        if not texts:
            return entities, dates
        found: dict = {}
        extra = []
        captions = self.nlp.pipe((self.make_doc(t, published) for t in texts), disable=CAPTION_SKIPS)
        for cdoc in captions:
            for entity_id, roles in roles_in_doc(cdoc, entities, by_name=True).items():
                found.setdefault(entity_id, []).extend(roles)
            extra.extend(cdoc._.dates)
        caption_dates = tuple(
            dataclasses.replace(d, id=f"D{len(dates) + i}", span=None) for i, d in enumerate(extra, start=1)
        )
        return merge_roles(entities, found), dates + caption_dates

    def _assemble(self, raw, page, text, spans, doc, published) -> Article:
        title = page.title.strip() if page.title else None
        published = published or _page_date(page.published)
        entities, dates = self._read_captions(page.captions, doc, published)
        return Article(
            id=article_id(title, text),
            source=raw.source,
            text=text,
            paragraphs=spans,
            title=title,
            dek=page.dek,
            byline=page.byline,
            site=page.site,
            published=published,
            language=page.language,
            url=page.url,
            final_url=raw.final_url,
            fetched_at=raw.fetched_at,
            source_hash=raw.source_hash,
            captions=page.captions,
            boilerplate=page.boilerplate,
            entities=entities,
            quotes=doc._.quotes,
            events=recode_actors(doc._.events, entities, doc._.places),
            dates=dates,
            places=doc._.places,
            tone=doc._.tone,
            genre=doc._.genre,
            political_share=doc._.political_share,
        )


def pipeline_info(model: str | None = None) -> dict[str, str]:
    """Return the versions a run records (``Pipeline.info``), from the model's meta.json when it can be read."""
    from .annotate.nlp import model_package_info

    info = model_package_info(model)
    return {"pipeline_version": PIPELINE_VERSION, **info} if info else Pipeline(model).info


def analyze(
    path: str | Path, published: str | None = None, model: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    """Return the ``Article`` record of one HTML or text file, or of the page at an http(s) URL (fetched politely)."""
    from .ingest.web import Fetcher, FetchOptions, is_web_url, page_document

    if is_web_url(path):
        with Fetcher(FetchOptions(max_bytes=max_bytes)) as fetcher:
            raw = page_document(fetcher.get(str(path)))
    else:
        raw = read_document(path, max_bytes=max_bytes)
    return Pipeline(model).article(raw, published=published)
