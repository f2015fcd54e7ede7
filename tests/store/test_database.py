import json
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


# The primary keys and indexes a lookup or an ON CONFLICT needs; no other is kept (migration 3). urls is
# looked up by key before every fetch of a watch round (and ON CONFLICT), web_sources per source checked.
KEPT = ({"schema_version", "runs", "articles", "canonical_entities", "journal", "urls", "web_sources"},
        {"articles_source_hash"})


def _constraints(db: Database) -> tuple[set[str], set[str]]:
    """Return the tables with a primary key and the names of the explicit indexes."""
    keyed = {t for (t,) in db.query(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'")}
    return keyed, {name for (name,) in db.query("SELECT index_name FROM duckdb_indexes()")}


def test_only_looked_up_columns_are_indexed(db_path):
    # DuckDB holds a table's whole index in memory from the first insert after opening:
    # an index on a table every article writes to makes the writer grow with the store.
    with Database(db_path) as db:
        assert _constraints(db) == KEPT


def test_a_version_2_store_is_migrated_without_losing_rows_or_not_null(db_path):
    from newsgraph.store.schema import MIGRATIONS

    conn = duckdb.connect(str(db_path))
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    for version in (1, 2):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    conn.execute("INSERT INTO entities VALUES ('a1', 'E1', 'Keir Giles', 'PERSON', ['Giles'])")
    conn.execute("INSERT INTO fingerprint_bands VALUES (7, 'a1')")
    conn.close()
    with Database(db_path) as db:
        assert db.schema_version() == SCHEMA_VERSION
        assert _constraints(db) == KEPT
        # columns added later are NULL on old rows (confidence, schema 5)
        assert db.query("SELECT * FROM entities") == [("a1", "E1", "Keir Giles", "PERSON", ["Giles"], None)]
        assert db.query("SELECT * FROM fingerprint_bands") == [(7, "a1")]
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            db.query("INSERT INTO entities VALUES ('a2', 'E1', NULL, 'PERSON', [], NULL)")
        run = db.start_run(INFO)
        assert db.add_article(article("a2"), run) == "stored"
        assert db.get_article("a2") == article("a2")


def test_an_article_reads_the_same_from_its_annotations_row_and_from_the_tables(db_path):
    with Database(db_path) as db:
        run = db.start_run({"pipeline_version": "t", "model": "m", "model_version": "1"})
        db.add_article(article(), run)
        (annotations,) = db.query("SELECT annotations FROM articles WHERE id = 'a1'")[0]
        assert json.loads(annotations)["entities"][0]["name"] == "Keir Giles"  # the one-row path holds them
        from_row = db.get_article("a1")
        db.conn.execute("UPDATE articles SET annotations = NULL")  # as an article stored before schema 6
        assert db.get_article("a1") == from_row == article()
