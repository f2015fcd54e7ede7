"""A batch with one bad input of each kind: the bad one is reported and recorded, the rest stored."""

import gzip
import json

import pytest

from newsgraph import Database, ingest

GOOD_HTML = """<!DOCTYPE html><html lang="en"><head><title>Council approves new bridge</title></head>
<body><article><h1>Council approves new bridge</h1>
<p>The city council voted on Tuesday to approve a new pedestrian bridge across the river, ending
a debate that has lasted more than two years.</p>
<p>"This bridge will connect two neighbourhoods that have been cut off from each other for far too
long," said Mayor Helen Achterberg after the vote.</p>
<p>Construction is expected to begin in the spring and to cost about 14 million euros, according to
the council's planning department.</p></article></body></html>"""

GOOD_TEXT = """Accept cookies to continue

Harbour reopens after storm damage repaired

Fishing boats returned on Wednesday to the harbour, which had been closed for three weeks after a storm tore away part of the breakwater.

"We lost nearly a month of work," said Tomas Lindqvist, who chairs the local fishermen's association. "Today feels like a new start."

The port authority said repairs cost 2.3 million kronor and were finished ahead of schedule.

Share this article
"""

GERMAN_HTML = ("<html lang=de><body><article><h1>Neue Brücke</h1>" + "<p>Der Stadtrat hat am Dienstag den Bau "
               "einer neuen Fußgängerbrücke über den Fluss beschlossen, teilte die Verwaltung mit. Die Arbeiten "
               "sollen im Frühjahr beginnen und etwa vierzehn Millionen Euro kosten.</p>" * 3 + "</article></body></html>")


def _write_bad(kind: str, folder):
    if kind == "empty":
        (folder / "empty.html").write_bytes(b"")
    elif kind == "binary":
        (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    elif kind == "too-large":
        with (folder / "huge.html").open("wb") as fh:
            fh.truncate(50 * 1024 * 1024)
    elif kind == "invalid-utf8":
        (folder / "broken.txt").write_bytes(GOOD_TEXT.encode("utf-8").replace(b"Fishing", b"Fish\xc3\x28ing") + "“x”".encode())
    elif kind == "truncated-gzip":
        data = gzip.compress(GOOD_HTML.encode().replace(b"bridge", b"tunnel"))
        (folder / "cut.html.gz").write_bytes(data[: len(data) // 2])
    elif kind == "malformed-html":
        (folder / "malformed.html").write_text("<html><<body>><div><span>< / ></html")
    elif kind == "non-english":
        (folder / "german.html").write_text(GERMAN_HTML)
    elif kind == "jsonl-not-json":
        good = json.dumps({"id": "j1", "title": "Library extends hours", "published": "2024-02-01",
                           "text": "The public library will stay open until 9 p.m. on weekdays from March, "
                                   "the city announced on Thursday.\n\n\"Students asked for this,\" said librarian Ana Ruiz."})
        (folder / "batch.jsonl").write_text(good + "\n{\"id\": \"j2\", \"title\": \n")


BAD = {
    "empty": ("empty.html", "EmptyInputError"),
    "binary": ("photo.html", "BinaryInputError"),
    "too-large": ("huge.html", "InputTooLargeError"),
    "invalid-utf8": ("broken.txt", "DecodeError"),
    "truncated-gzip": ("cut.html.gz", "CorruptArchiveError"),
    "malformed-html": ("malformed.html", "NoContentError"),
    "non-english": ("german.html", "UnsupportedLanguageError"),
    "jsonl-not-json": ("batch.jsonl:2", "MalformedRecordError"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_input_is_reported_recorded_and_the_rest_stored(kind, tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.html").write_text(GOOD_HTML)
    (corpus / "good.txt").write_text(GOOD_TEXT)
    _write_bad(kind, corpus)
    with Database(tmp_path / "store.duckdb") as db:
        report = ingest([corpus], db, pipeline)
        name, error = BAD[kind]
        assert [(f.source.endswith(name), f.error) for f in report.failures] == [(True, error)]
        message = report.failures[0].message
        assert "\n" not in message and name in message
        expected = 3 if kind == "jsonl-not-json" else 2
        assert len(report.stored) == expected
        assert db.counts()["articles"] == expected
        assert db.query("SELECT error, message FROM failures") == [(error, message)]


def test_reingesting_stores_nothing_new(tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.html").write_text(GOOD_HTML)
    (corpus / "good.txt").write_text(GOOD_TEXT)
    with Database(tmp_path / "store.duckdb") as db:
        first = ingest([corpus], db, pipeline)
        counts = db.counts()
        second = ingest([corpus], db, pipeline)
        assert len(first.stored) == 2 and second.stored == [] and len(second.duplicates) == 2
        # Only the run record and its journal grow.
        assert {k: v for k, v in db.counts().items() if k not in ("runs", "journal")} == {
            k: v for k, v in counts.items() if k not in ("runs", "journal")}


def test_same_article_from_other_bytes_is_a_duplicate(tmp_path, pipeline):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD_TEXT)
    (corpus / "b.txt").write_text(GOOD_TEXT.replace("Share this article", "Share on Facebook"))
    with Database(tmp_path / "store.duckdb") as db:
        report = ingest([corpus], db, pipeline)
        assert len(report.stored) == 1 and len(report.duplicates) == 1


def test_reopening_the_store_during_a_run_changes_nothing(tmp_path, pipeline, sample_dir, monkeypatch):
    from corpus import store_rows

    from newsgraph.run import batch

    with Database(tmp_path / "plain.duckdb") as db:
        ingest([sample_dir], db, pipeline)
        expected = store_rows(db)
    monkeypatch.setattr(batch, "RECONNECT_EVERY", 2)
    with Database(tmp_path / "reopened.duckdb") as db:
        ingest([sample_dir], db, pipeline)
        assert store_rows(db) == expected


def test_odd_file_names_are_stored_and_reported_on_one_line(tmp_path, pipeline):
    import os

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Bytes that are not UTF-8 (Python holds them as lone surrogates, which DuckDB refuses),
    # and a newline that would split a printed failure into a forged second line.
    (corpus / os.fsdecode(b"bad\xffname.txt")).write_text(GOOD_TEXT)
    (corpus / "empty\nfailed: forged.html").write_text("")
    with Database(tmp_path / "store.duckdb") as db:
        report = ingest([corpus], db, pipeline)
        assert len(report.stored) == 1
        assert db.query("SELECT source FROM articles") == [(str(corpus / "bad\\xffname.txt"),)]
        [failure] = report.failures
        assert failure.error == "EmptyInputError" and "\n" not in failure.message
        assert "empty\\nfailed: forged.html: file is empty" in failure.message
