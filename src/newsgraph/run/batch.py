"""``ingest()``: read, analyse and store many documents; one bad input never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest import collect_files, iter_documents
from ..ingest.decode import DEFAULT_MAX_BYTES
from ..models import Article, Failure, RawDocument
from ..pipeline import Pipeline
from ..store import Database
from .local import run_workers

__all__ = ["IngestReport", "ingest"]


@dataclass
class IngestReport:
    """What one ingest run did: ids stored, inputs skipped as duplicates, failures."""

    run_id: str
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """Return the one-line summary printed after a run."""
        return (
            f"stored {len(self.stored)}, skipped {len(self.duplicates)} as duplicate, "
            f"failed {len(self.failures)}"
        )


def ingest(
    paths: Iterable[str | Path],
    db: Database,
    pipeline: Pipeline | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    command: str | None = None,
    on_result: Callable[[Article | Failure | str], None] | None = None,
    workers: int | None = None,
    model: str | None = None,
) -> IngestReport:
    """Store every article found under ``paths`` in ``db`` and return the run's report.

    Raises ``UnsupportedInputError`` before doing anything if a path does not
    exist; every later problem is a ``Failure`` in the report and the store's
    ``failures`` table. ``on_result`` is called with each stored ``Article``,
    each ``Failure`` and each duplicate's source (for progress display).

    ``workers`` > 1 analyses in that many local processes (``run.local``), each
    loading ``model`` once; this process stays the one writer and the stored
    rows are the same as with one worker, in completion order. The default
    (``None``) is in-process: worker processes are started with "spawn", which
    re-imports the caller's main module, so a script must guard its call with
    ``if __name__ == "__main__":`` before asking for them (the CLI asks for
    all cores).
    """
    files = collect_files(paths)
    workers = workers or 1
    if workers > 1:
        return _ingest_parallel(files, db, workers, model, pipeline, published, max_bytes, command, on_result)
    pipeline = pipeline or Pipeline(model)
    report = IngestReport(run_id=db.start_run(pipeline.info, command))
    notify = on_result or (lambda _result: None)

    def fresh(items: Iterable[RawDocument | Failure]) -> Iterator[RawDocument | Failure]:
        # Skip inputs whose exact bytes are already stored before paying for a parse.
        for item in items:
            if isinstance(item, RawDocument) and db.has_source(item.source_hash):
                report.duplicates.append(item.source)
                notify(item.source)
                continue
            yield item

    try:
        for result in pipeline.process(fresh(iter_documents(files, max_bytes=max_bytes)), published=published):
            _store(db, report, result, notify)
    finally:
        # Also on Ctrl-C: the run record says what was stored before the stop.
        db.finish_run(report.run_id, len(report.stored), len(report.duplicates), len(report.failures))
    return report


def _store(db: Database, report: IngestReport, result: Article | Failure, notify) -> None:
    """Record one result in ``db`` and ``report``, then tell ``notify``."""
    if isinstance(result, Failure):
        report.failures.append(result)
        db.add_failure(report.run_id, result)
    elif db.add_article(result, report.run_id):
        report.stored.append(result.id)
    else:
        # Same content read from other bytes (another copy or format of the page).
        report.duplicates.append(result.source)
        result = result.source
    notify(result)


def _ingest_parallel(files, db, workers, model, pipeline, published, max_bytes, command, on_result) -> IngestReport:
    """Run ``ingest`` with ``workers`` local processes analysing and this process storing."""
    notify = on_result or (lambda _result: None)
    report: IngestReport | None = None
    early: list[Article | Failure | str] = []  # inputs settled before the run record exists

    def start(info: dict[str, str]) -> None:
        nonlocal report
        # The run record needs the model's versions: from the given pipeline, else the first worker.
        report = IngestReport(run_id=db.start_run(pipeline.info if pipeline else info, command))

    def fresh() -> Iterator[RawDocument]:
        # Only this process touches the store: duplicates and read failures never reach a worker.
        for item in iter_documents(files, max_bytes=max_bytes):
            if isinstance(item, Failure):
                early.append(item)
            elif db.has_source(item.source_hash):
                early.append(item.source)
            else:
                yield item

    def settle_early() -> None:
        while early:
            item = early.pop(0)
            if isinstance(item, str):
                report.duplicates.append(item)
                notify(item)
            else:
                _store(db, report, item, notify)

    try:
        for result in run_workers(fresh(), workers, model=model, published=published, on_ready=start):
            settle_early()
            _store(db, report, result, notify)
        if report is None:  # nothing needed a worker (all duplicates or unreadable)
            start(pipeline.info if pipeline else Pipeline(model).info)
        settle_early()
    finally:
        if report is not None:
            db.finish_run(report.run_id, len(report.stored), len(report.duplicates), len(report.failures))
    return report


def count_inputs(paths: Iterable[str | Path]) -> int | None:
    """Return the number of documents under ``paths`` if known without reading (no containers), else None."""
    files = collect_files(paths)
    # Containers (JSONL, web archives, feeds, stdin) hold an unknown number of documents.
    containers = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".rss", ".atom", ".xml", ".rss.gz", ".atom.gz")
    if any(str(f) == "-" or f.name.lower().endswith(containers) for f in files):
        return None
    return len(files)
