"""Local worker processes store exactly what one process stores, report every failure, skip what is stored."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from newsgraph import Database
from newsgraph.ingest import read_document
from newsgraph.run import ingest

# Columns that say when or in which run a row was written, not what was read.
RUN_COLUMNS = {"run_id", "ingested_at"}
TABLES = ("articles", "entities", "mentions", "quotes", "events", "dates", "places", "captions")


def _rows(db: Database, table: str) -> list[tuple]:
    columns = [r[0] for r in db.query(f"DESCRIBE {table}") if r[0] not in RUN_COLUMNS]
    return sorted(map(repr, db.query(f"SELECT {', '.join(columns)} FROM {table}")))


def test_two_workers_store_the_same_rows_as_one_and_rerun_adds_nothing(pipeline, sample_dir, tmp_path):
    with Database(tmp_path / "one.duckdb") as one:
        base = ingest([sample_dir], one, pipeline, workers=1)
        expected = {t: _rows(one, t) for t in TABLES}
    seen = []
    with Database(tmp_path / "two.duckdb") as two:
        report = ingest([sample_dir], two, workers=2, on_result=seen.append)
        assert sorted(report.stored) == sorted(base.stored) and report.stored
        assert len(report.failures) == len(base.failures)
        assert len(seen) == len(report.stored) + len(report.duplicates) + len(report.failures)
        for table in TABLES:
            assert _rows(two, table) == expected[table], table
        before = two.counts()
        again = ingest([sample_dir], two, workers=2)
        assert again.stored == [] and not again.failures
        assert len(again.duplicates) == len(report.stored) + len(report.duplicates)
        assert two.counts()["articles"] == before["articles"]
        runs = two.query("SELECT stored, duplicates, failed FROM runs WHERE finished_at IS NOT NULL ORDER BY started_at")
        assert [tuple(r) for r in runs] == [(len(report.stored), len(report.duplicates), len(report.failures)),
                                            (0, len(again.duplicates), 0)]


GOOD_TEXT = """Harbour reopens after storm damage repaired

Fishing boats returned on Wednesday to the harbour, which had been closed for three weeks after a storm tore away part of the breakwater.

"We lost nearly a month of work," said Tomas Lindqvist, who chairs the local fishermen's association. "Today feels like a new start."

The port authority said repairs cost 2.3 million kronor and were finished ahead of schedule.
"""

GERMAN_HTML = ("<html lang=de><body><article><h1>Neue Brücke</h1>" + "<p>Der Stadtrat hat am Dienstag den Bau "
               "einer neuen Fußgängerbrücke über den Fluss beschlossen, teilte die Verwaltung mit. Die Arbeiten "
               "sollen im Frühjahr beginnen und etwa vierzehn Millionen Euro kosten.</p>" * 3 + "</article></body></html>")


def test_two_workers_report_every_failure_and_store_the_rest(sample_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sample_dir.iterdir():
        if path.suffix in {".html", ".txt"}:
            shutil.copy(path, folder / path.name)
    (folder / "harbour.txt").write_text(GOOD_TEXT)
    bad = {
        "empty.html": b"",
        "photo.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        "malformed.html": b"<html><<body>><div><span>< / ></html",
        "german.html": GERMAN_HTML.encode(),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    good = len(list(folder.iterdir())) - len(bad)
    with Database(tmp_path / "bad.duckdb") as db:
        report = ingest([folder], db, workers=2)
        failed = sorted(f.source.rsplit("/", 1)[-1] for f in report.failures)
        assert failed == sorted(bad)
        assert len(report.stored) == good
        assert db.counts()["articles"] == good
        assert db.query("SELECT count(*) FROM failures")[0][0] == len(bad)


def test_workers_default_to_in_process_when_given_a_pipeline(pipeline, sample_dir, tmp_path):
    # A caller that already loaded the model keeps using it (no worker start-up).
    with Database(tmp_path / "db.duckdb") as db:
        report = ingest([sample_dir / "harbour_courier_dock_workers.html"], db, pipeline)
        assert len(report.stored) == 1


@pytest.mark.parametrize("workers", [0, -1])
def test_nonpositive_workers_run_in_process(pipeline, sample_dir, tmp_path, workers):
    with Database(tmp_path / "db.duckdb") as db:
        report = ingest([sample_dir / "harbour_courier_dock_workers.html"], db, pipeline, workers=workers)
        assert len(report.stored) == 1


def _long_article(sample_dir) -> str:
    """A long article (~250,000 characters): several seconds of analysis and a few hundred MiB."""
    text = (sample_dir / "harbour_courier_dock_workers.html").read_text()
    from newsgraph.extract import extract_html

    paragraphs = "\n\n".join(extract_html(text).paragraphs)
    return "\n\n".join([paragraphs] * (250_000 // len(paragraphs) + 1))


@pytest.mark.parametrize(
    "budget, problem",
    [({"time_budget": 2}, "analysis took over 2 s"), ({"memory_budget": 100}, "more than the 100 MiB memory budget")],
    ids=["time", "memory"],
)
def test_an_input_over_its_budget_fails_alone(sample_dir, tmp_path, budget, problem):
    folder = tmp_path / "in"
    folder.mkdir()
    # The long article and the page after it are sent to a worker as one task: when the worker
    # is killed on the first, the second goes to its replacement.
    (folder / "a-long.jsonl").write_text(json.dumps({"text": _long_article(sample_dir)}) + "\n")
    for name in ("harbour_courier_dock_workers.html", "albion_news_hosepipe_ban.txt"):
        shutil.copy(sample_dir / name, folder / name)
    with Database(tmp_path / "db.duckdb") as db:
        report = ingest([folder], db, workers=1, **budget)
        assert [(f.source.rsplit("/", 1)[-1], f.error) for f in report.failures] == [
            ("a-long.jsonl:1", "BudgetExceededError")]
        assert problem in report.failures[0].message
        assert len(report.stored) == 2


def test_a_resident_worker_keeps_its_model_and_fails_only_the_input_over_budget(sample_dir):
    from newsgraph.errors import BudgetExceededError
    from newsgraph.models import Article, Failure, RawDocument
    from newsgraph.run.local import ResidentWorker

    page = read_document(sample_dir / "albion_news_hosepipe_ban.txt")
    long = RawDocument(source="long.txt", format="plain", body=_long_article(sample_dir), source_hash="h")
    worker = ResidentWorker(time_budget=2)
    try:
        assert isinstance(worker.analyse(page), Article)
        first = worker._pool.procs.copy()
        failed = worker.analyse(long)
        assert isinstance(failed, Failure) and failed.error == BudgetExceededError.__name__
        assert worker._pool.procs.keys() != first.keys()  # replaced
        assert isinstance(worker.analyse(page), Article) and worker.info["model"]
        # Idle for longer than the budget: the worker is not taken for one stuck on a document.
        idle = worker._pool.procs.copy()
        time.sleep(2.5)
        assert isinstance(worker.analyse(page), Article) and worker._pool.procs.keys() == idle.keys()
    finally:
        worker.close()


def test_a_resident_worker_without_its_model_fails_every_call_at_once(sample_dir):
    from newsgraph.errors import ModelError
    from newsgraph.run.local import ResidentWorker

    page = read_document(sample_dir / "albion_news_hosepipe_ban.txt")
    worker = ResidentWorker(model="no_such_model_xyz")
    try:
        for _ in range(6):  # more calls than the task queue holds: none may wait on it
            with pytest.raises(ModelError, match="no_such_model_xyz"):
                worker.analyse(page)
    finally:
        worker.close()


def test_a_main_process_slower_than_the_budget_does_not_fail_finished_documents(sample_dir):
    from newsgraph.models import Article
    from newsgraph.run.local import run_workers

    docs = [read_document(p) for p in sorted(sample_dir.iterdir()) if p.suffix in (".html", ".txt")][:4]
    results = []
    for result in run_workers(docs, 1, time_budget=2):
        results.append(result)
        if len(results) == 1:
            time.sleep(4)  # a slow store write: the worker goes on, and is judged by its own clock
    assert [type(r) for r in results] == [Article] * len(docs)
