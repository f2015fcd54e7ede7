import subprocess
import sys

import duckdb
import pytest

from newsgraph.errors import StoreError
from newsgraph.models import Article, Caption, Entity, Failure, Mention
from newsgraph.store import SCHEMA_VERSION, TABLES, Database

INFO = {"pipeline_version": "t", "model": "m", "model_version": "1"}


def article(aid="a1") -> Article:
    text = "Keir Giles said so.\n\nGiles added more."
    giles = Entity("E1", "Keir Giles", "PERSON", ("Giles",), (Mention(0, 10, "Keir Giles"), Mention(21, 26, "Giles")))
    return Article(id=aid, source="x.txt", text=text, paragraphs=((0, 19), (21, 38)), title="T",
                   published="2020-08-17", language="en", source_hash="h" + aid,
                   captions=(Caption("alt", "cap", "AP"),), boilerplate=("Share",), entities=(giles,))


def test_new_file_gets_every_table_and_the_schema_version(db_path):
    with Database(db_path) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert set(db.counts()) == set(TABLES)
    with Database(db_path) as db:  # reopening migrates nothing
        assert db.schema_version() == SCHEMA_VERSION


def test_store_and_read_back(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO, "test")
        assert db.add_article(article(), run) == "stored"
        assert db.get_article("a1") == article()
        assert db.has_source("ha1") and not db.has_source("nope")
        assert db.get_article("missing") is None


def test_storing_the_same_article_twice_changes_nothing(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(article(), run)
        before = db.counts()
        assert db.add_article(article(), run) == "duplicate"
        assert db.counts() == before
        assert before["articles"] == 1 and before["mentions"] == 2 and before["captions"] == 1


def test_failures_and_runs_are_recorded(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO, "newsgraph ingest x")
        db.add_failure(run, Failure("bad.txt", "EmptyInputError", "bad.txt: file is empty [E101]"))
        assert db.finish_run(run)["failed"] == 1
        assert db.query("SELECT source, error FROM failures") == [("bad.txt", "EmptyInputError")]
        assert db.query("SELECT model, failed FROM runs") == [("m", 1)]


def test_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(StoreError, match="no such database file"):
        Database(tmp_path / "none.duckdb", read_only=True)


def test_newer_schema_is_refused(db_path):
    Database(db_path).close()
    conn = duckdb.connect(str(db_path))
    conn.execute("INSERT INTO schema_version VALUES (?, now())", [SCHEMA_VERSION + 1])
    conn.close()
    with pytest.raises(StoreError, match="newer than this newsgraph"):
        Database(db_path)


def test_not_a_database(tmp_path):
    path = tmp_path / "text.duckdb"
    path.write_text("hello, I am not a database" * 100)
    with pytest.raises(StoreError, match="text.duckdb"):
        Database(path)


def test_a_second_process_gets_a_clear_error_while_the_store_is_held(db_path):
    with Database(db_path):
        code = (
            "import sys; from newsgraph.store import Database\n"
            "from newsgraph.errors import StoreError\n"
            f"try:\n    Database({str(db_path)!r}, read_only=True)\n"
            "except StoreError as e:\n    print(e); sys.exit(7)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 7, proc.stderr
    assert "in use by another process" in proc.stdout


def test_reconnect_reopens_the_same_store(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(article(), run)
        db.reconnect()
        assert db.get_article("a1") == article()
        assert db.add_article(article("a2"), run) == "stored"
