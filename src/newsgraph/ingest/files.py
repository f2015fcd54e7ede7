"""Files and directories -> ``RawDocument`` (or ``Failure``), one at a time.

Readable inputs: ``.html``/``.htm`` pages, ``.txt`` scraped page text, ``.jsonl``
(one article a line: ``id``, ``url``, ``title``, ``published`` and ``html`` or
``text``), each optionally gzip-compressed (``.gz``). A directory is read
recursively in sorted order; files of other types in it are passed over.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError, MalformedRecordError, UnsupportedInputError
from ..models import Failure, RawDocument
from .decode import DEFAULT_MAX_BYTES, check_size, decode_bytes, gunzip

__all__ = ["iter_documents", "read_document", "collect_files", "SUFFIXES"]

#: File suffixes we read, each with the format of its content.
SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "text", ".jsonl": "jsonl"}

_HTML_START = ("<!doctype html", "<html", "<?xml", "<head", "<body")


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return SUFFIXES.get(os.path.splitext(name)[1])


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Return the readable files named by ``paths`` (directories expanded, sorted).

    Raises ``UnsupportedInputError`` for a path that does not exist or, given
    by name, is not a type we read.
    """
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and _kind(p))
        elif path.is_file():
            if not _kind(path):
                raise UnsupportedInputError(
                    "not a file type newsgraph reads (.html, .htm, .html.gz, .txt, .jsonl)", source=str(path)
                )
            files.append(path)
        else:
            raise UnsupportedInputError("no such file or directory", source=str(path))
    return files


def iter_documents(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` for each readable article, a ``Failure`` for each bad one."""
    for path in collect_files(paths):
        source = str(path)
        try:
            if _kind(path) == "jsonl":
                yield from _iter_jsonl(path, max_bytes)
            else:
                yield read_document(path, max_bytes)
        except InputError as err:
            yield Failure.from_error(err, source)
        except OSError as err:
            yield Failure.from_error(InputError(f"cannot read file ({err.strerror})", source=source), source)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    source = str(path)
    check_size(path.stat().st_size, source, max_bytes)
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gunzip(data, source, max_bytes)
    return data


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Return the ``RawDocument`` of one HTML or text file; raise ``InputError`` if unreadable."""
    path = Path(path)
    kind = _kind(path)
    if kind is None or kind == "jsonl":
        raise UnsupportedInputError("expected one .html, .htm, .html.gz or .txt file", source=str(path))
    data = _read_bytes(path, max_bytes)
    text, encoding = decode_bytes(data, str(path))
    if kind == "text" and text.lstrip()[:20].lower().startswith(_HTML_START):
        kind = "html"  # saved with the wrong suffix: the content decides
    return RawDocument(
        source=str(path),
        format=kind,
        body=text,
        source_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


def _iter_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Failure]:
    data = _read_bytes(path, max_bytes)
    for lineno, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{lineno}"
        try:
            yield _jsonl_record(line, source)
        except InputError as err:
            yield Failure.from_error(err, source)


def _jsonl_record(line: bytes, source: str) -> RawDocument:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise MalformedRecordError(f"line is not valid UTF-8 (byte {err.start})", source=source) from None
    except ValueError as err:
        raise MalformedRecordError(f"line is not JSON ({err.msg} at column {err.colno})", source=source) from None
    if not isinstance(record, dict):
        raise MalformedRecordError("line is JSON but not an object", source=source)
    html, text = record.get("html"), record.get("text")
    body = html if isinstance(html, str) and html.strip() else text
    if not isinstance(body, str) or not body.strip():
        raise MalformedRecordError("record has no 'html' or 'text' field with content", source=source)
    fields = {}
    for key in ("id", "url", "title", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise MalformedRecordError(f"field '{key}' must be a string", source=source)
        fields[key] = str(value) if value is not None else None
    return RawDocument(
        source=source,
        format="html" if body is html else "plain",
        body=body,
        source_hash=hashlib.sha256(line).hexdigest(),
        **fields,
    )
