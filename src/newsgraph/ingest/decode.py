"""Bytes -> text: size limits, gzip, binary detection, encoding detection, and file names as text."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path

from ..errors import (
    BinaryInputError,
    CorruptArchiveError,
    DecodeError,
    EmptyInputError,
    InputTooLargeError,
)

__all__ = ["decode_bytes", "gunzip", "check_size", "check_not_binary", "source_name", "DEFAULT_MAX_BYTES"]

#: Inputs above this size are refused. The largest real news page we have seen
#: (HTML with inline scripts and styles) is about 3 MB; 20 MB leaves room for
#: heavy pages while keeping a stray video, dump or log file from eating memory.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_CHARSET_DECL = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Control characters that never occur in text (tab, LF, FF and CR are fine).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# A share of control bytes above this means binary data, not text with a stray byte:
# text files we have seen carry at most a handful of control characters.
_MAX_CONTROL_SHARE = 0.01


def source_name(path: str | Path) -> str:
    """Return how a path is named in records, messages and the store: its bytes that are not UTF-8 as ``\\xNN``.

    Python keeps such bytes of a file name as lone surrogates, which no store or
    terminal takes; the name is for people, the ``Path`` is what is read.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_size(size: int, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Raise ``InputTooLargeError`` when ``size`` is over ``max_bytes``."""
    if size > max_bytes:
        raise InputTooLargeError(
            f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:g} MiB limit "
            "(raise it with --max-bytes)",
            source=source,
        )


def gunzip(data: bytes, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Return the decompressed bytes of a gzip file, refusing truncated or oversized data."""
    decomp = zlib.decompressobj(wbits=31)  # 31: gzip header and trailer
    try:
        out = decomp.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise CorruptArchiveError(f"damaged gzip data ({err})", source=source) from None
    if len(out) > max_bytes:  # only max_bytes + 1 were decompressed: the true size is unknown, and larger
        raise InputTooLargeError(
            f"gzip data decompresses to over the {max_bytes / 2**20:g} MiB limit (raise it with --max-bytes)",
            source=source,
        )
    if not decomp.eof:
        raise CorruptArchiveError("truncated gzip file (the compressed stream ends early)", source=source)
    return out


def check_not_binary(data: bytes, source: str) -> None:
    """Raise ``BinaryInputError`` when the first 64 KB of ``data`` hold a NUL or many control bytes."""
    sample = data[:65536]
    if b"\x00" in sample or len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise BinaryInputError("binary data, not text or HTML", source=source)


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``, or raise an ``InputError`` that names the problem.

    Order: a BOM; then UTF-8; then the charset the document declares (``declared``
    or an HTML ``<meta charset>``); then charset-normalizer's best guess for
    8-bit legacy encodings. Bytes that are *mostly* valid UTF-8 (they contain
    multi-byte UTF-8 sequences) but break somewhere are corrupted UTF-8, not
    another encoding: those raise ``DecodeError`` with the byte offset rather
    than being silently decoded as mojibake.
    """
    if not data.strip():
        raise EmptyInputError("file is empty", source=source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise DecodeError(f"invalid UTF-16 at byte {err.start}", source=source) from None
    check_not_binary(data, source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    else:
        return _check_text(text, source), "utf-8"

    match = declared or _declared_charset(data[:65536])
    if match and match.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        try:
            return _check_text(data.decode(match), source), match.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    if _has_utf8_sequences(data):
        raise DecodeError(
            f"invalid UTF-8 at byte {utf8_error.start} (the file is UTF-8 elsewhere; it looks corrupted)",
            source=source,
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("not valid UTF-8 and no other text encoding fits", source=source)
    return _check_text(str(best), source), best.encoding


def _declared_charset(sample: bytes) -> str | None:
    match = _CHARSET_DECL.search(sample)
    return match.group(1).decode("ascii", "ignore") if match else None


def _has_utf8_sequences(data: bytes) -> bool:
    """Return True if ``data`` holds a well-formed multi-byte UTF-8 sequence anywhere.

    Such sequences are very unlikely in legacy 8-bit text (cp1252 "Ã©" is the
    classic exception), so their presence marks the file as damaged UTF-8.
    """
    return _UTF8_MULTIBYTE.search(data) is not None


def _check_text(text: str, source: str) -> str:
    if not text.strip():
        raise EmptyInputError("file has no text (only whitespace)", source=source)
    return text
