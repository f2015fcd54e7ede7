import gzip

import pytest

from newsgraph.errors import (
    BinaryInputError,
    CorruptArchiveError,
    DecodeError,
    EmptyInputError,
    InputTooLargeError,
)
from newsgraph.ingest.decode import check_size, decode_bytes, gunzip


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Café in Minsk".encode("utf-8"), "Café in Minsk", "utf-8"),
        (b"\xef\xbb\xbfWith a BOM", "With a BOM", "utf-8"),
        ("Zürich and Ærø".encode("utf-16"), "Zürich and Ærø", "utf-16"),
        (b'<html><head><meta charset="iso-8859-1"></head><body>caf\xe9</body></html>',
         '<html><head><meta charset="iso-8859-1"></head><body>café</body></html>', "iso-8859-1"),
    ],
)
def test_decodes_text_in_its_encoding(data, text, encoding):
    assert decode_bytes(data, "x") == (text, encoding)


def test_undeclared_legacy_encoding_is_detected():
    data = ("The minister’s café in Zürich was “closed” on Monday, officials said. " * 5).encode("cp1252")
    text, encoding = decode_bytes(data, "x")
    assert "Zürich" in text and "café" in text


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty(data):
    with pytest.raises(EmptyInputError, match="x: file is empty"):
        decode_bytes(data, "x")


def test_binary():
    with pytest.raises(BinaryInputError, match="binary data"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "img.html")


def test_corrupted_utf8_names_the_byte():
    data = "Lukashenko’s rally ".encode("utf-8") + b"\xff\xfe" + " in Minsk".encode("utf-8")
    with pytest.raises(DecodeError, match=r"page.txt: invalid UTF-8 at byte 21"):
        decode_bytes(data, "page.txt")


def test_size_limit():
    with pytest.raises(InputTooLargeError, match="big.html: file is 50.0 MiB, over the 20 MiB limit"):
        check_size(50 * 1024 * 1024, "big.html")


def test_gunzip_round_trip_and_truncation():
    data = gzip.compress(b"<p>hello</p>" * 1000)
    assert gunzip(data, "a.gz") == b"<p>hello</p>" * 1000
    with pytest.raises(CorruptArchiveError, match="truncated gzip"):
        gunzip(data[: len(data) // 2], "a.gz")
    with pytest.raises(CorruptArchiveError, match="damaged gzip"):
        gunzip(b"\x1f\x8b" + b"garbage" * 10, "a.gz")


def test_gunzip_refuses_a_bomb():
    data = gzip.compress(b"\0" * (3 * 1024 * 1024))
    with pytest.raises(InputTooLargeError):
        gunzip(data, "bomb.gz", max_bytes=1024 * 1024)
