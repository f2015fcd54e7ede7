"""Files and directories -> ``RawDocument`` (or ``Failure``), one at a time.

Readable inputs: ``.html``/``.htm`` pages, ``.txt`` scraped page text, ``.jsonl``
(one article a line: ``id``, ``url``, ``title``, ``published`` and ``html`` or
``text``), each optionally gzip-compressed (``.gz``); WARC archives
(``.warc``, ``.warc.gz``, see ``warc.py``); RSS/Atom feeds (``.rss``, ``.atom``,
and ``.xml`` files whose root is a feed, see ``feeds.py``). A directory is read
recursively in sorted order; files of other types in it are passed over. A
path with glob characters (``corpus/**/*.html``) is expanded in sorted order,
and ``-`` reads JSONL records from standard input, one line at a time.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import EmptyInputError, InputError, MalformedRecordError, UnsupportedInputError
from ..models import Failure, RawDocument
from .decode import DEFAULT_MAX_BYTES, check_not_binary, check_size, decode_bytes, gunzip, source_name
from .feeds import iter_feed, looks_like_feed
from .warc import iter_warc

__all__ = ["iter_documents", "input_roots", "read_document", "collect_files", "SUFFIXES", "STDIN"]

#: File suffixes we read, each with the format of its content (``xml``: a feed only if its root says so).
SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".jsonl": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",
}

#: The path that means "JSONL records on standard input".
STDIN = "-"

_READABLE = ".html, .htm, .txt, .jsonl, .warc, .rss, .atom, feed .xml; optionally .gz"

_HTML_START = ("<!doctype html", "<html", "<?xml", "<head", "<body")


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    kind = SUFFIXES.get(os.path.splitext(name)[1])
    if kind == "xml":
        # Only the first bytes are read: enough to see the root element.
        try:
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rb") as fh:
                head = fh.read(4096)
        except (OSError, EOFError):
            return None
        return "feed" if looks_like_feed(head) else None
    return kind


def _readable(path: Path) -> bool:
    return path.is_file() and _kind(path) is not None


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Return the readable files named by ``paths`` (directories and globs expanded, sorted).

    ``-`` (standard input) is kept as ``Path("-")``. Raises ``UnsupportedInputError``
    for a path that does not exist, a glob that matches no readable file, or a
    file given by name that is not a type we read.
    """
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if str(item) == STDIN:
            files.append(Path(STDIN))
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if _readable(p))
        elif path.is_file():
            if not _kind(path):
                raise UnsupportedInputError(f"not a file type newsgraph reads ({_READABLE})", source=source_name(path))
            files.append(path)
        elif glob.has_magic(str(item)):
            files.extend(_expand_glob(str(item)))
        else:
            _check_regular(path)
    return files


def _check_regular(path: Path) -> None:
    """Raise ``UnsupportedInputError`` unless ``path`` is a regular file (or a link to one).

    A pipe, socket or device would block or never end: reading one could hang a batch.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        raise UnsupportedInputError("no such file or directory", source=source_name(path)) from None
    if not stat.S_ISREG(mode):
        raise UnsupportedInputError("not a regular file (a pipe, socket or device)", source=source_name(path))


def _expand_glob(pattern: str) -> list[Path]:
    """Return the readable files a glob matches (matched directories expanded), sorted, each once."""
    found: dict[Path, None] = {}
    for match in sorted(glob.glob(pattern, recursive=True)):
        path = Path(match)
        if path.is_dir():
            found.update((p, None) for p in sorted(path.rglob("*")) if _readable(p))
        elif _readable(path):
            found[path] = None
    if not found:
        raise UnsupportedInputError(f"no files match ({_READABLE})", source=pattern)
    return list(found)


def input_roots(paths: Iterable[str | Path]) -> tuple[Path, ...]:
    """Return the folders the user's ``paths`` name, resolved: a folder itself, a file's folder, a glob's fixed part.

    A feed's links to local files are read only inside these.
    """
    roots = []
    for item in paths:
        if str(item) == STDIN:
            continue
        path = Path(item)
        if glob.has_magic(str(item)):
            fixed = list(itertools.takewhile(lambda part: not glob.has_magic(part), path.parts))
            path = Path(*fixed) if fixed else Path(".")
        roots.append((path if path.is_dir() else path.parent).resolve())
    return tuple(roots)


def iter_documents(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES, roots: Iterable[Path] | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield a ``RawDocument`` for each readable article, a ``Failure`` for each bad one.

    Archives, feeds and JSONL yield one item per record, entry or line; a bad
    one never stops the others, nor does a bad file stop the other files.
    ``roots``: the folders feeds may link into (default: ``input_roots(paths)``;
    pass the roots of the user's own paths when ``paths`` are files already collected).
    """
    paths = list(paths)
    roots = tuple(roots) if roots is not None else input_roots(paths)
    for path in collect_files(paths):
        source = source_name(path)
        try:
            if source == STDIN:
                yield from _iter_jsonl_lines(sys.stdin.buffer, "stdin", max_bytes)
                continue
            kind = _kind(path)
            if kind == "jsonl":
                yield from _iter_jsonl(path, max_bytes)
            elif kind == "warc":
                yield from iter_warc(path, max_bytes)
            elif kind == "feed":
                yield from iter_feed(_read_bytes(path, max_bytes), path, max_bytes, roots)
            else:
                yield read_document(path, max_bytes)
        except InputError as err:
            yield Failure.from_error(err, source)
        except OSError as err:
            yield Failure.from_error(InputError(f"cannot read file ({err.strerror})", source=source), source)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    source = source_name(path)
    check_size(path.stat().st_size, source, max_bytes)
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gunzip(data, source, max_bytes)
    return data


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Return the ``RawDocument`` of one HTML or text file; raise ``InputError`` if unreadable."""
    path = Path(path)
    source = source_name(path)
    _check_regular(path)
    kind = _kind(path)
    if kind not in ("html", "text"):
        raise UnsupportedInputError("expected one .html, .htm, .html.gz or .txt file", source=source)
    data = _read_bytes(path, max_bytes)
    text, encoding = decode_bytes(data, source)
    if kind == "text" and text.lstrip()[:20].lower().startswith(_HTML_START):
        kind = "html"  # saved with the wrong suffix: the content decides
    return RawDocument(
        source=source,
        format=kind,
        body=text,
        source_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )


def _iter_jsonl(path: Path, max_bytes: int) -> Iterator[RawDocument | Failure]:
    data, source = _read_bytes(path, max_bytes), source_name(path)
    # A binary file is one bad input, not thousands of bad lines.
    check_not_binary(data, source)
    yield from _iter_jsonl_lines(data.splitlines(), source, max_bytes)


def _iter_jsonl_lines(lines: Iterable[bytes], prefix: str, max_bytes: int) -> Iterator[RawDocument | Failure]:
    """Yield the record (or ``Failure``) of each non-blank JSONL line, as ``PREFIX:LINE``.

    Raises ``EmptyInputError`` when there is no such line at all.
    """
    empty = True
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        empty = False
        source = f"{prefix}:{lineno}"
        try:
            # Standard input is never read whole, so each line gets the size limit instead.
            check_size(len(line), source, max_bytes)
            yield _jsonl_record(line.rstrip(b"\r\n"), source)
        except InputError as err:
            yield Failure.from_error(err, source)
    if empty:
        raise EmptyInputError("no JSON lines (the input is empty or blank)", source=prefix)


# JSON may escape half of a surrogate pair alone ("\\ud800"): text no encoder takes.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(value):
    """Return a string field with each lone surrogate replaced by U+FFFD; other values as they are."""
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _jsonl_record(line: bytes, source: str) -> RawDocument:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise MalformedRecordError(f"line is not valid UTF-8 (byte {err.start})", source=source) from None
    except json.JSONDecodeError as err:
        raise MalformedRecordError(f"line is not JSON ({err.msg} at column {err.colno})", source=source) from None
    except ValueError:  # valid JSON that Python refuses: an integer of over 4,300 digits
        raise MalformedRecordError("line holds a number too long to read (over 4,300 digits)", source=source) from None
    except RecursionError:
        raise MalformedRecordError("line is JSON nested too deeply to read", source=source) from None
    if not isinstance(record, dict):
        raise MalformedRecordError("line is JSON but not an object", source=source)
    record = {key: _valid_unicode(value) for key, value in record.items()}
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
