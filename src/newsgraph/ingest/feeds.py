"""RSS and Atom feed files (``.rss``, ``.atom``, feed ``.xml``) -> one ``RawDocument`` per entry.

An entry becomes an HTML document from its ``content`` (or, failing that, its
``summary``), with the entry's link, title and publication date. An entry whose
link names a local file (a path relative to the feed, an absolute path or a
``file://`` URL) is read from that file with ``read_document`` instead, since a
saved page is fuller than a feed excerpt, but only a file inside the inputs the
user named (``roots``; symbolic links resolved): a feed is data, and its links
must not read ``/etc/passwd`` or ``../../secret/notes.txt`` into the store. Web
links are never fetched here. Parsing is feedparser's, which is lenient: a feed
with small XML errors still yields its entries.

Limits: feedparser reads the whole feed at once, so a feed file is bounded by
``max_bytes`` like any other file (feeds are small; archives belong in WARC).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..errors import EmptyInputError, InputError, InputTooLargeError, MalformedRecordError, UnsupportedInputError
from ..models import Failure, RawDocument
from .decode import DEFAULT_MAX_BYTES, source_name

__all__ = ["iter_feed", "iso_date", "looks_like_feed", "root_element", "FEED_ROOTS", "FEED_SUFFIXES"]

FEED_SUFFIXES = (".rss", ".atom", ".xml")

# Root elements of RSS 2.0 / 0.9x, Atom and RSS 1.0 (RDF).
FEED_ROOTS = ("rss", "feed", "rdf:rdf")
# The root element comes after at most an XML declaration, a stylesheet
# instruction, a doctype and comments; 4 KB covers every feed header we have seen.
_SNIFF_BYTES = 4096
_NAME = re.compile(rb"[A-Za-z_][\w:.-]*")
# What may come before the root element, and where each ends.
_PROLOG = ((b"<?", b"?>"), (b"<!--", b"-->"), (b"<!", b">"))


def root_element(head: bytes) -> str | None:
    """Return the name of the root element in the first bytes of an XML or HTML document (lower case), or None.

    Declarations, processing instructions, comments and a doctype before it are passed over.
    """
    data = head[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    while data.startswith(b"<"):
        for start, end in _PROLOG:
            if data.startswith(start):
                close = data.find(end, len(start))
                if close < 0:
                    return None
                data = data[close + len(end):].lstrip()
                break
        else:
            name = _NAME.match(data, 1)
            return name.group().decode("ascii").lower() if name else None
    return None


def looks_like_feed(head: bytes) -> bool:
    """Return True if the first bytes of a file hold an RSS or Atom root element."""
    return root_element(head) in FEED_ROOTS


def iter_feed(
    data: bytes, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, roots: Iterable[Path] | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` for each entry of the feed in ``data`` (read from ``path``), a ``Failure`` for each bad one.

    Local files that entries link to are read only inside ``roots`` (resolved
    folders; default: the feed's own folder). Raises ``InputError`` when
    ``data`` is not a feed at all.
    """
    import feedparser

    feed_source = source_name(path)
    # Bytes, not a string: given a string feedparser may fetch it as a URL.
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise UnsupportedInputError(f"not an RSS or Atom feed{detail}", source=feed_source)
    if not parsed.entries:
        raise EmptyInputError("feed has no entries", source=feed_source)
    base = Path(path).parent
    roots = tuple(roots) if roots is not None else (base.resolve(),)
    for index, entry in enumerate(parsed.entries, start=1):
        source = f"{feed_source}#{entry.get('id') or index}"
        try:
            yield _entry_document(entry, source, base, roots, max_bytes)
        except InputError as err:
            yield Failure.from_error(err, source)
        except OSError as err:
            yield Failure.from_error(InputError(f"cannot read file ({err.strerror})", source=source), source)


def _entry_document(entry, source: str, base: Path, roots: tuple[Path, ...], max_bytes: int) -> RawDocument:
    from .files import read_document  # files imports this module

    link = entry.get("link") or None
    title = entry.get("title") or None
    published = iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
    local = _local_path(link, base)
    inside = _inside(local, roots) if local is not None else True
    if inside is None:
        raise UnsupportedInputError(f"entry links to a path that cannot be resolved ('{link}')", source=source)
    if not inside:
        raise UnsupportedInputError(
            f"entry links to a file outside the inputs named ('{link}'); only files inside them are read",
            source=source,
        )
    if local is not None and local.is_file():
        doc = read_document(local, max_bytes)
        return replace(doc, id=entry.get("id"), title=title, published=published)
    html = _entry_html(entry)
    if not html:
        missing = f" (link '{link}' is not a file)" if local is not None else ""
        raise MalformedRecordError(f"entry has no content and no local file{missing}", source=source)
    data = html.encode("utf-8")
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"entry content is over the {max_bytes / 2**20:g} MiB limit (raise it with --max-bytes)", source=source
        )
    return RawDocument(
        source=source,
        format="html",
        body=html,
        source_hash=hashlib.sha256(data).hexdigest(),
        url=link,
        id=entry.get("id"),
        title=title,
        published=published,
    )


def _entry_html(entry) -> str | None:
    """Return the entry's fullest HTML: its first non-empty ``content``, else its ``summary``."""
    for content in entry.get("content") or ():
        if (content.get("value") or "").strip():
            return content["value"]
    summary = entry.get("summary") or ""
    return summary if summary.strip() else None


def _inside(path: Path, roots: tuple[Path, ...]) -> bool | None:
    """Return whether ``path`` (symbolic links resolved) is inside one of ``roots``; None if it cannot be resolved."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte ("file:///a%00b")
        return None
    return any(resolved.is_relative_to(root) for root in roots)


def _local_path(link: str | None, base: Path) -> Path | None:
    """Return the file a link names (``file://`` URL, absolute or feed-relative path), None for web URLs."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme == "file":
        # feedparser turns file:///tmp/x into file://tmp/x, so a host other than localhost is the first folder.
        host = "" if parts.netloc in ("", "localhost") else f"/{parts.netloc}"
        return Path(url2pathname(host + parts.path))
    if parts.scheme or parts.netloc:
        return None
    path = Path(url2pathname(parts.path))
    return path if path.is_absolute() else base / path


def iso_date(parsed) -> str | None:
    """Return ``YYYY-MM-DD`` for feedparser's UTC ``struct_time`` (the form ``Pipeline`` checks)."""
    if not parsed:
        return None
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
