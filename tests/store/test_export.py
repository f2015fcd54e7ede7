import dataclasses
import json

import duckdb
import pytest

from newsgraph import ingest
from newsgraph.errors import InputError, NewsgraphError, StoreError
from newsgraph.models import Article, Entity, Mention, Place, Quote
from newsgraph.store import Database
from newsgraph.store.export import EXPORT_TABLES, FORMATS, GKG_COLUMNS, export, gkg_row


@pytest.fixture(scope="session")
def store(tmp_path_factory, pipeline, sample_dir):
    """The bundled sample corpus, ingested once into a real DuckDB file."""
    db = Database(tmp_path_factory.mktemp("export") / "sample.duckdb")
    report = ingest([sample_dir], db, pipeline)
    assert report.stored and not report.failures
    yield db
    db.close()


def store_counts(db: Database) -> dict[str, int]:
    return {t: n for t, n in db.counts().items() if t in EXPORT_TABLES}


def ids(db: Database, where: str = "TRUE", params=None) -> set[str]:
    return {r[0] for r in db.query(f"SELECT id FROM articles WHERE {where}", params)}


def gkg_rows(path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")[:-1]]


def test_parquet_reloads_with_the_store_row_counts(store, tmp_path):
    result = export(store, "parquet", tmp_path / "pq")
    expected = store_counts(store)
    assert result["rows"] == expected and result["articles"] == expected["articles"]
    for table, path in result["files"].items():
        assert duckdb.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == expected[table]
    # Types survive: spans stay integer lists.
    quotes = result["files"]["quotes"]
    spans = duckdb.execute(f"SELECT content_spans FROM read_parquet('{quotes}') LIMIT 1").fetchone()[0]
    assert isinstance(spans[0][0], int)
    # Every fact carries its confidence, speaker links theirs.
    for table, column in (("quotes", "confidence"), ("quotes", "speaker_confidence"), ("entities", "confidence"),
                          ("events", "confidence")):
        low, high = duckdb.execute(f"SELECT min({column}), max({column}) FROM read_parquet('{result['files'][table]}')"
                                   ).fetchone()
        assert 0 < low <= high <= 1, (table, column)


def test_csv_round_trip_counts_and_lists_as_json(store, tmp_path):
    result = export(store, "csv", tmp_path / "csv")
    expected = store_counts(store)
    for table, path in result["files"].items():
        count = duckdb.execute(f"SELECT count(*) FROM read_csv('{path}', header = true)").fetchone()[0]
        assert count == expected[table]
    # Article text holds newlines and quotes: the CSV quoting must keep each article one record.
    texts = duckdb.execute(f"SELECT id, text, paragraphs FROM read_csv('{result['files']['articles']}', "
                       "header = true, all_varchar = true)").fetchall()
    for aid, text, paragraphs in texts:
        stored = store.get_article(aid)
        assert text == stored.text
        assert [tuple(p) for p in json.loads(paragraphs)] == list(stored.paragraphs)


def test_jsonl_records_rebuild_the_stored_articles(store, tmp_path):
    result = export(store, "jsonl", tmp_path / "articles.jsonl")
    lines = (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == result["rows"]["articles"] == store.counts()["articles"]
    for line in lines:
        article = Article.from_dict(json.loads(line))
        # The record form carries no source_hash (docs/record.md); everything else must match.
        assert article == dataclasses.replace(store.get_article(article.id), source_hash=None)


def test_gkg_has_one_row_per_article_with_every_column(store, tmp_path):
    out = tmp_path / "sample.gkg.tsv"
    result = export(store, "gkg", out)
    rows = gkg_rows(out)
    assert len(rows) == result["rows"]["articles"] == store.counts()["articles"]
    assert all(len(row) == len(GKG_COLUMNS) == 27 for row in rows)
    assert {row[0] for row in rows} == ids(store)
    assert "\r" not in out.read_text(encoding="utf-8")
    col = {name: i for i, name in enumerate(GKG_COLUMNS)}
    for row in rows:
        assert len(row[col["V2.1DATE"]]) == 14 and row[col["V2.1DATE"]].endswith("000000")
        for entry in filter(None, row[col["V2ENHANCEDPERSONS"]].split(";")):
            name, offset = entry.rsplit(",", 1)
            assert name and offset.isdigit()
        for entry in filter(None, row[col["V2.1ENHANCEDDATES"]].split(";")):
            assert len(entry.split("#")) == 5 and entry[0] in "124"


def test_gkg_quotations_carry_the_speaker(store, tmp_path):
    out = tmp_path / "q.tsv"
    export(store, "gkg", out)
    col = GKG_COLUMNS.index("V2.1QUOTATIONS")
    quotes = [q.split("|") for row in gkg_rows(out) for q in filter(None, row[col].split("#"))]
    assert len(quotes) == store.counts()["quotes"]
    assert all(len(q) == 5 and q[0].isdigit() and q[1].isdigit() for q in quotes)
    speakers = {r[0] for r in store.query("SELECT DISTINCT speaker FROM quotes WHERE speaker IS NOT NULL")}
    assert speakers and speakers == {q[4] for q in quotes if q[4]}


def test_gkg_row_keeps_fields_on_one_line_and_delimiters_out_of_values():
    text = 'Ann\tLee said "yes | no # maybe"\n\nin Paris.'
    article = Article(
        id="a1", source="x.txt", text=text, paragraphs=((0, 31), (33, 42)), published="2026-03-20", tone=-0.25,
        entities=(Entity("E1", "Ann\tLee, Jr; x", "PERSON", (), (Mention(0, 7, "Ann\tLee"),)),),
        quotes=(Quote("Q1", "direct", ((13, 31),), ((8, 12),), ((0, 7),), "say", "E1", "Ann\tLee, Jr; x"),),
        places=(Place("P1", "Paris", ((36, 41),), "FRA", "FR.11", 48.85, 2.35, 2988507, "city"),),
    )
    row = gkg_row(article)
    assert len(row) == 27 and not any(ch in field for field in row for ch in "\t\n\r")
    field = dict(zip(GKG_COLUMNS, row))
    assert field["V2ENHANCEDPERSONS"] == "Ann Lee Jr x,0"
    assert field["V2.1QUOTATIONS"] == '13|18|say|"yes no maybe"|Ann Lee, Jr; x'
    assert field["V1LOCATIONS"] == "4#Paris#FRA#FR.11#48.85#2.35#2988507"
    assert field["V2ENHANCEDLOCATIONS"] == "4#Paris#FRA#FR.11##48.85#2.35#2988507#36"
    assert field["V1.5TONE"] == "-25.00,,,,,,10"
    assert field["V2.1DATE"] == "20260320000000" and field["V2SOURCECOLLECTIONIDENTIFIER"] == "2"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "filters, where",
    [
        ({"since": "2026-03-10"}, "published >= DATE '2026-03-10'"),
        ({"until": "2026-02-17"}, "published <= DATE '2026-02-17'"),
        ({"since": "2026-03-01", "until": "2026-03-14"}, "published BETWEEN DATE '2026-03-01' AND DATE '2026-03-14'"),
        ({"outlet": "meridian wire"}, "site = 'Meridian Wire'"),
        ({"outlet": "No Such Outlet"}, "FALSE"),
    ],
)
def test_filters_narrow_every_format(store, tmp_path, fmt, filters, where):
    wanted = ids(store, where)
    assert len(wanted) < store.counts()["articles"]
    out = tmp_path / "out"
    result = export(store, fmt, out, **filters)
    assert result["articles"] == len(wanted)
    if fmt == "jsonl":
        got = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()}
    elif fmt == "gkg":
        got = {row[0] for row in gkg_rows(out)}
    else:
        got = {r[0] for r in duckdb.execute(f"SELECT id FROM '{out}/articles.{fmt}'").fetchall()}
        # Rows of other tables belong to the selected articles only.
        quotes = duckdb.execute(f"SELECT DISTINCT article_id FROM '{out}/quotes.{fmt}'").fetchall()
        assert {r[0] for r in quotes} <= wanted
    assert got == wanted


def test_article_ids_select_those_articles_and_their_canonical_entities(store, tmp_path):
    chosen = sorted(ids(store))[:2]
    result = export(store, "parquet", tmp_path / "two", article_ids=chosen)
    assert result["rows"]["articles"] == 2
    linked = store.query(
        "SELECT count(DISTINCT canonical_id) FROM entity_links WHERE article_id IN (SELECT unnest(?))", [chosen]
    )[0][0]
    assert result["rows"]["canonical_entities"] == linked < store.counts()["canonical_entities"]


def test_an_empty_output_folder_or_file_is_accepted(store, tmp_path):
    (tmp_path / "empty").mkdir()
    assert export(store, "csv", tmp_path / "empty", outlet="Meridian Wire")["rows"]["articles"] == 1
    (tmp_path / "empty.jsonl").touch()
    assert export(store, "jsonl", tmp_path / "empty.jsonl", outlet="Meridian Wire")["rows"]["articles"] == 1


@pytest.mark.parametrize(
    "fmt, out, kwargs, error, message",
    [
        ("xml", "x", {}, StoreError, "unknown export format 'xml'"),
        ("parquet", "full", {}, StoreError, "output folder exists and is not empty"),
        ("csv", "file.txt", {}, StoreError, "output exists and is not a folder"),
        ("jsonl", "file.txt", {}, StoreError, "output file exists and is not empty"),
        ("gkg", "full", {}, StoreError, "output is a folder"),
        ("jsonl", "missing/x.jsonl", {}, StoreError, "the folder for the output does not exist"),
        ("jsonl", "x.jsonl", {"since": "last week"}, InputError, "'last week' is not YYYY-MM-DD"),
        ("gkg", "x.tsv", {"since": "2026-03-02", "until": "2026-03-01"}, StoreError, "is after until"),
        ("parquet", "x", {"article_ids": ["nope"]}, StoreError, "no stored article with id nope"),
    ],
)
def test_bad_arguments_raise_one_line_errors_and_write_nothing(store, tmp_path, fmt, out, kwargs, error, message):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    (tmp_path / "file.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(error, match=message) as info:
        export(store, fmt, tmp_path / out, **kwargs)
    assert isinstance(info.value, NewsgraphError) and "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
