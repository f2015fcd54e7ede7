"""Web sources -> ``RawDocument``: pages at URLs, and the article links of feeds, sitemaps and section pages.

``fetch`` fetches politely (robots.txt, a delay and one connection per host,
retries, caps, a log of every request); ``discover`` reads a fetched source's
links; ``urls`` holds what a URL is (canonical form, host, where a found link
may lead). The watch loop over them is ``run.watch``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from ...errors import InputError
from ...models import Failure, RawDocument
from ..decode import decode_bytes
from .discover import Discovery, discover, looks_like_article
from .fetch import DEFAULT_USER_AGENT, PAGE_TYPES, Fetcher, FetchOptions, FetchRecord, Page, Target
from .urls import LinkPolicy, canonical_url, host_key, is_web_url

__all__ = [
    "DEFAULT_USER_AGENT",
    "Discovery",
    "FetchOptions",
    "FetchRecord",
    "Fetcher",
    "LinkPolicy",
    "Page",
    "Target",
    "canonical_url",
    "discover",
    "fetch_documents",
    "host_key",
    "is_web_url",
    "looks_like_article",
    "page_document",
    "read_url_list",
]


def page_document(page: Page, target: Target | None = None) -> RawDocument:
    """Return the ``RawDocument`` of a fetched article page (``text/plain``: scraped page text)."""
    text, encoding = decode_bytes(page.body, page.url, declared=page.charset)
    hints = dict(target.hints) if target else {}
    return RawDocument(
        source=page.url,
        format="text" if page.content_type == "text/plain" else "html",
        body=text,
        source_hash=hashlib.sha256(page.body).hexdigest(),
        encoding=encoding,
        url=page.url,
        title=hints.get("title"),
        published=hints.get("published"),
        final_url=page.final_url,
        fetched_at=page.fetched_at,
    )


#: Seconds ``fetch_documents`` waits for a page before it yields None ("nothing ready yet").
WAIT_SECONDS = 0.05


def fetch_documents(targets: Iterable[Target], fetcher: Fetcher) -> Iterator[RawDocument | Failure | None]:
    """Yield a ``RawDocument`` (or a ``Failure``) for each target's page, as they are fetched (``Fetcher.fetch_all``).

    Yields None while no page is ready, so a consumer can store results meanwhile (``run.batch``).
    """
    for item in fetcher.fetch_all(targets, PAGE_TYPES, wait=WAIT_SECONDS):
        if item is None:
            yield None
            continue
        target, outcome = item
        if isinstance(outcome, InputError):
            yield Failure.from_error(outcome, target.url)
            continue
        try:
            yield page_document(outcome, target)
        except InputError as err:
            yield Failure.from_error(err, target.url)


def read_url_list(path) -> list[str]:
    """Return the URLs in a text file, one a line (blank lines and ``#`` comments skipped), in order, each once.

    Raises ``UnsupportedInputError`` naming the line of anything that is not an http(s) URL.
    """
    from pathlib import Path

    from ...errors import UnsupportedInputError
    from ..decode import source_name

    path = Path(path)
    source = source_name(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnsupportedInputError(f"cannot read the URL list ({err.strerror})", source=source) from None
    text, _ = decode_bytes(data, source)
    urls: dict[str, None] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_web_url(line):
            raise UnsupportedInputError(f"line {lineno} is not an http(s) URL ('{line}')", source=source)
        urls[line] = None
    return list(urls)
