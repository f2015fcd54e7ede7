"""WARC archives (``.warc``, ``.warc.gz``) -> ``RawDocument`` per archived HTML page, streamed.

Only ``response`` records with HTTP status 200 and an HTML content type are
articles; requests, metadata, redirects, errors and non-HTML responses are
passed over without a ``Failure`` (they are not meant to be read). Records are
read one at a time with warcio's ``ArchiveIterator``, so memory stays flat
however large the archive; each payload is bounded by ``max_bytes``.

Header lines (the WARC record's and the archived HTTP response's) are read
through ``_BoundedReader``: warcio reads a header line whole however long it
is, so a gzip member of 1 GB with no line break (a "gzip bomb") would be held
in memory and quoted whole in the error; here a record's headers may take at
most ``MAX_HEADER_BYTES`` before the archive is reported damaged.

Limits: warcio stops quietly at a truncated gzip member or a cut record; we
detect both (bytes left unread in a record, or an end short of the file's size)
and report a ``CorruptArchiveError`` naming the archive and the byte offset of
the damaged record (compressed offset for ``.warc.gz``). Iteration of that
archive stops there.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import CorruptArchiveError, EmptyInputError, InputError, InputTooLargeError
from ..models import Failure, RawDocument
from .decode import DEFAULT_MAX_BYTES, decode_bytes, source_name

__all__ = ["iter_warc", "WARC_SUFFIXES"]

WARC_SUFFIXES = (".warc", ".warc.gz")

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_CHUNK = 64 * 1024
#: Bytes a record's header lines (WARC and HTTP, together) may take. Real headers
#: are a few KB; cookies and long URLs stay well under 1 MiB.
MAX_HEADER_BYTES = 2**20


def _bounded_reader_class():
    from warcio.bufferedreaders import DecompressingBufferedReader

    class _BoundedReader(DecompressingBufferedReader):
        """warcio's decompressing reader with a cap on header lines read between two payload reads.

        warcio reads headers with ``readline`` and payloads with ``read``, so the
        bytes of consecutive ``readline`` calls are the bytes of one record's
        headers (``iter_warc`` also resets the count at each record: records with
        no payload are never ``read``).
        """

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.header_bytes = 0

        def readline(self, length=None):
            room = MAX_HEADER_BYTES - self.header_bytes
            if room <= 0:
                raise _HeadersTooLong()
            line = super().readline(min(length, room) if length else room)
            self.header_bytes += len(line)
            return line

        def read(self, length=None):
            self.header_bytes = 0
            return super().read(length)

    return _BoundedReader


class _HeadersTooLong(Exception):
    """Raised inside warcio's parser when a record's header lines pass ``MAX_HEADER_BYTES``."""


def iter_warc(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` for each HTML 200 response in a WARC file, a ``Failure`` for each bad one.

    A damaged or truncated archive yields one ``Failure`` (archive and offset) and ends the iteration.
    """
    from warcio.archiveiterator import ArchiveIterator

    archive = source_name(path)
    size = Path(path).stat().st_size
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        # Nothing is read before the first record is asked for: the reader can be swapped here.
        records.reader = _bounded_reader_class()(records.fh, block_size=records.reader.block_size)
        offset, seen, pages = 0, 0, 0
        try:
            if _blank(fh):
                raise EmptyInputError("archive is empty", source=archive)
            for record in records:
                records.reader.header_bytes = 0  # this record's headers passed: the next one's count anew
                seen += 1
                offset = records.offset  # start of this record (set when the previous one ended)
                if record.rec_headers.get_header("Content-Length") is None:
                    raise CorruptArchiveError(
                        f"damaged record at byte offset {offset} (no Content-Length header)", source=archive
                    )
                if not _is_html_page(record):
                    _drain(record, archive, offset)
                    continue
                # content_stream() undoes chunked transfer and gzip/deflate content encoding.
                payload = record.content_stream().read(max_bytes + 1)
                _drain(record, archive, offset)  # a cut record is damage, not a short page
                source = f"{archive}#{_record_id(record) or offset}"
                pages += 1
                try:
                    yield _page(record, payload, source, max_bytes)
                except InputError as err:
                    yield Failure.from_error(err, source)
            end = records.offset
            fh.seek(end)
            if end < size and fh.read(_CHUNK).strip():  # only blank padding may follow the last record
                raise CorruptArchiveError(
                    f"truncated or damaged record at byte offset {end} (the archive ends early)", source=archive
                )
            if not pages:
                raise EmptyInputError(f"archive holds no HTML page ({seen} records, none an HTML 200 response)",
                                      source=archive)
        except (CorruptArchiveError, EmptyInputError) as err:
            yield Failure.from_error(err, archive)
        except _HeadersTooLong:
            problem = (f"damaged record at byte offset {records.offset or offset} (header lines over "
                       f"{MAX_HEADER_BYTES / 2**20:g} MiB: not a WARC record)")
            yield Failure.from_error(CorruptArchiveError(problem, source=archive), archive)
        except Exception as err:  # noqa: BLE001 - warcio, zlib and gzip raise many types for bad data
            problem = f"damaged record at byte offset {records.offset or offset} ({type(err).__name__}: {err})"
            yield Failure.from_error(CorruptArchiveError(problem, source=archive), archive)


def _blank(fh) -> bool:
    """Return True if the archive (gzip-compressed or not) holds nothing but whitespace; rewinds ``fh``."""
    head = fh.read(_CHUNK)
    fh.seek(0)
    if head.startswith(b"\x1f\x8b"):  # gzip: look at what the first member holds
        member = zlib.decompressobj(wbits=31)
        try:
            text = member.decompress(head, _CHUNK)
        except zlib.error:
            return False  # damaged: the iteration reports where
        # Blank only if nothing follows the member (one empty member; records are members of their own).
        return not text.strip() and not (member.eof and member.unused_data)
    return not head.strip()


def _is_html_page(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in _HTML_TYPES


def _record_id(record) -> str | None:
    value = record.rec_headers.get_header("WARC-Record-ID")
    return value.strip("<>") if value else None


def _page(record, payload: bytes, source: str, max_bytes: int) -> RawDocument:
    if len(payload) > max_bytes:
        raise InputTooLargeError(
            f"record payload is over the {max_bytes / 2**20:g} MiB limit (raise it with --max-bytes)", source=source
        )
    content_type = record.http_headers.get_header("Content-Type") or ""
    match = _CHARSET.search(content_type)
    text, encoding = decode_bytes(payload, source, declared=match.group(1) if match else None)
    return RawDocument(
        source=source,
        format="html",
        body=text,
        source_hash=hashlib.sha256(payload).hexdigest(),
        encoding=encoding,
        url=record.rec_headers.get_header("WARC-Target-URI"),
    )


def _drain(record, archive: str, offset: int) -> None:
    """Read the rest of ``record`` in chunks; raise ``CorruptArchiveError`` if the archive cuts it short."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    if getattr(stream, "limit", 0) > 0:
        raise CorruptArchiveError(
            f"truncated record at byte offset {offset} ({stream.limit} bytes missing)", source=archive
        )
