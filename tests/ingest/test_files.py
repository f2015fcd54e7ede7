import gzip
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

from newsgraph.errors import UnsupportedInputError
from newsgraph.ingest import collect_files, iter_documents, read_document
from newsgraph.models import Failure, RawDocument


def test_directory_is_read_recursively_and_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.htm").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "one.txt").write_text("text")
    (tmp_path / "three.html.gz").write_bytes(gzip.compress(b"<html></html>"))
    (tmp_path / "notes.md").write_text("not an article")
    assert [p.name for p in collect_files([tmp_path])] == ["two.htm", "one.txt", "three.html.gz"]


def test_missing_path_and_unknown_type_are_usage_errors(tmp_path):
    with pytest.raises(UnsupportedInputError, match="no such file"):
        collect_files([tmp_path / "nope"])
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnsupportedInputError, match="not a file type"):
        collect_files([tmp_path / "x.pdf"])


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><body><p>Hello</p></body></html>")
    assert read_document(path).format == "html"


def test_jsonl_records_and_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "url": "https://example.org/a", "title": "A", "published": "2021-03-04",
                    "text": "First paragraph.\n\nSecond."}),
        "{not json",
        json.dumps({"id": "a2", "html": "<html><body><p>Hi</p></body></html>"}),
        json.dumps(["a list"]),
        json.dumps({"id": "a3", "title": "no body"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = list(iter_documents([path]))
    assert isinstance(items[0], RawDocument) and items[0].format == "plain"
    assert (items[0].id, items[0].title, items[0].published) == ("a1", "A", "2021-03-04")
    assert isinstance(items[1], Failure) and items[1].source.endswith("batch.jsonl:2")
    assert "line is not JSON" in items[1].message
    assert isinstance(items[2], RawDocument) and items[2].format == "html"
    assert isinstance(items[3], Failure) and "not an object" in items[3].message
    assert isinstance(items[4], Failure) and "no 'html' or 'text'" in items[4].message


def test_a_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text("Good text.")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("More good text.")
    items = list(iter_documents([tmp_path]))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Failure", "RawDocument"]


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # a sparse 50 MB file
    [item] = list(iter_documents([path]))
    assert isinstance(item, Failure) and item.error == "InputTooLargeError"
    assert "huge.html: file is 50.0 MiB, over the 20 MiB limit" in item.message


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("corpus/**/*.html", ["a.html", "c.html"]),
        ("corpus/*.html", ["a.html"]),
        ("corpus/**", ["a.html", "b.txt", "c.html"]),  # matched directories are read like any directory
        ("corpus/*.txt", ["b.txt"]),
    ],
)
def test_globs_expand_in_sorted_order(tmp_path, monkeypatch, pattern, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus" / "deep").mkdir(parents=True)
    (tmp_path / "corpus" / "a.html").write_text("<html><body><p>a</p></body></html>")
    (tmp_path / "corpus" / "b.txt").write_text("b")
    (tmp_path / "corpus" / "deep" / "c.html").write_text("<html><body><p>c</p></body></html>")
    (tmp_path / "corpus" / "notes.md").write_text("not read")
    assert [p.name for p in collect_files([pattern])] == expected


@pytest.mark.parametrize("pattern", ["corpus/**/*.html", "corpus/*.md"])
def test_glob_that_matches_nothing_is_a_usage_error(tmp_path, monkeypatch, pattern):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "notes.md").write_text("not read")
    with pytest.raises(UnsupportedInputError, match="no files match"):
        collect_files([pattern])


def test_stdin_reads_jsonl_records(monkeypatch):
    lines = [
        json.dumps({"id": "s1", "url": "https://example.org/s", "title": "S", "text": "From stdin."}),
        "",
        "{broken",
        json.dumps({"id": "s2", "html": "<html><body><p>Hi</p></body></html>"}),
    ]
    stdin = io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert collect_files(["-"]) == [Path("-")]
    items = list(iter_documents(["-"]))
    assert [type(i) for i in items] == [RawDocument, Failure, RawDocument]
    assert [i.source for i in items] == ["stdin:1", "stdin:3", "stdin:4"]
    assert (items[0].id, items[0].title, items[0].format) == ("s1", "S", "plain")
    # Same bytes as the line in a .jsonl file, so the same hash (no newline in it).
    assert items[0].source_hash == hashlib.sha256(lines[0].encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "line, problem",
    [
        (b'{"text": "Hello.", "n": ' + b"9" * 5000 + b"}", "number too long to read"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"text": "Hello.", "id": {"nested": 1}}', "field 'id' must be a string"),
    ],
    ids=["huge-number", "deep-nesting", "object-id"],
)
def test_a_jsonl_line_json_cannot_read_is_one_failure_and_the_next_line_is_read(tmp_path, line, problem):
    path = tmp_path / "batch.jsonl"
    path.write_bytes(line + b"\n" + json.dumps({"text": "Ministers met."}).encode() + b"\n")
    bad, good = iter_documents([path])
    assert isinstance(bad, Failure) and bad.error == "MalformedRecordError" and problem in bad.message
    assert bad.source == f"{path}:1" and isinstance(good, RawDocument)


def test_a_lone_surrogate_in_jsonl_becomes_a_replacement_character(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "Ministers met \\ud800 on Tuesday.", "title": "A \\udc00 title"}\n')
    [doc] = iter_documents([path])
    assert doc.body == "Ministers met \ufffd on Tuesday." and doc.title == "A \ufffd title"


def test_empty_and_binary_jsonl_are_one_failure_each(tmp_path):
    (tmp_path / "a-empty.jsonl").write_bytes(b"")
    (tmp_path / "b-blank.jsonl").write_bytes(b"\n  \n")
    (tmp_path / "c-binary.jsonl").write_bytes(bytes(range(256)) * 4000 + b"\n" * 100)
    items = list(iter_documents([tmp_path]))
    assert [(Path(i.source).name, i.error) for i in items] == [
        ("a-empty.jsonl", "EmptyInputError"), ("b-blank.jsonl", "EmptyInputError"), ("c-binary.jsonl", "BinaryInputError")]
