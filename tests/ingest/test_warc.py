import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.ingest import collect_files, iter_documents
from newsgraph.models import Failure, RawDocument

PAGE = "<html><body><h1>Café</h1><p>Ministers met on Tuesday.</p></body></html>"


def _response(writer, uri, payload, status="200 OK", content_type="text/html; charset=utf-8"):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)


def _archive(gz=True):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warc_record("https://news.example/a", "request",
                                                  payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
    writer.write_record(_response(writer, "https://news.example/a", PAGE.encode("utf-8")))
    writer.write_record(_response(writer, "https://news.example/logo.png", b"\x89PNG....", content_type="image/png"))
    writer.write_record(_response(writer, "https://news.example/gone", b"<html>Not found</html>", status="404 Not Found"))
    writer.write_record(_response(writer, "https://news.example/b", PAGE.replace("Café", "Caf\u00e9 B").encode("cp1252"),
                                  content_type="text/html; charset=windows-1252"))
    return buf.getvalue()


@pytest.mark.parametrize("name,gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_only_html_200_responses_become_documents(tmp_path, name, gz):
    path = tmp_path / name
    path.write_bytes(_archive(gz))
    assert collect_files([tmp_path]) == [path]
    items = list(iter_documents([path]))
    assert [type(i) for i in items] == [RawDocument, RawDocument]
    first, second = items
    assert first.format == "html" and first.url == "https://news.example/a"
    assert first.source.startswith(f"{path}#urn:uuid:")
    assert "Café" in first.body and len(first.source_hash) == 64
    assert second.url == "https://news.example/b" and "Café B" in second.body  # charset from the HTTP header


@pytest.mark.parametrize("cut", [30, 200, 0.5])
def test_truncated_archive_is_one_failure_and_other_files_continue(tmp_path, cut):
    data = _archive()
    end = len(data) - cut if isinstance(cut, int) else int(len(data) * cut)
    (tmp_path / "a.warc.gz").write_bytes(data[:end])
    (tmp_path / "b.txt").write_text("Next file text.")
    items = list(iter_documents([tmp_path]))
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1 and failures[0].error == "CorruptArchiveError"
    assert "a.warc.gz" in failures[0].message and "byte offset" in failures[0].message
    assert isinstance(items[-1], RawDocument) and items[-1].source.endswith("b.txt")


def test_garbage_warc_is_a_failure(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(b"this is not an archive\r\n\r\n")
    [item] = iter_documents([path])
    assert isinstance(item, Failure) and item.error == "CorruptArchiveError" and "offset 0" in item.message


def test_record_over_the_size_limit_is_a_failure_and_the_rest_continue(tmp_path):
    path = tmp_path / "big.warc.gz"
    path.write_bytes(_archive())
    items = list(iter_documents([path], max_bytes=len(PAGE.encode("utf-8"))))  # page b is 1 byte longer
    assert [i.error for i in items if isinstance(i, Failure)] == ["InputTooLargeError"]
    assert sum(isinstance(i, RawDocument) for i in items) == 1


def test_gzip_bomb_without_line_breaks_is_one_short_failure(tmp_path):
    # 64 MiB of "a" (64 KB compressed): warcio would read it as one header line, in memory.
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = b"".join(comp.compress(b"a" * 2**20) for _ in range(64)) + comp.flush()
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(data)
    [item] = iter_documents([path])
    assert isinstance(item, Failure) and item.error == "CorruptArchiveError"
    assert len(item.message) < 1000


def test_empty_archive_is_a_failure(tmp_path):
    import gzip

    (tmp_path / "empty.warc.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "empty.warc").write_bytes(b"")
    items = list(iter_documents([tmp_path]))
    assert [(type(i), i.error) for i in items] == [(Failure, "EmptyInputError")] * 2


def test_many_records_without_payload_are_not_one_long_header(tmp_path):
    # 3,000 metadata records of ~500 header bytes and no payload: 1.5 MB of header lines in a row,
    # each record's well under the cap.
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(3000):
        writer.write_record(writer.create_warc_record(f"https://news.example/{i}/" + "a" * 300, "metadata",
                                                      payload=io.BytesIO(b""), warc_content_type="text/plain"))
    writer.write_record(_response(writer, "https://news.example/a", PAGE.encode("utf-8")))
    path = tmp_path / "meta.warc.gz"
    path.write_bytes(buf.getvalue())
    assert [type(i) for i in iter_documents([path])] == [RawDocument]
