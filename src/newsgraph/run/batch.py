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
) -> IngestReport:
    """Store every article found under ``paths`` in ``db`` and return the run's report.

    Raises ``UnsupportedInputError`` before doing anything if a path does not
    exist; every later problem is a ``Failure`` in the report and the store's
    ``failures`` table. ``on_result`` is called with each stored ``Article``,
    each ``Failure`` and each duplicate's source (for progress display).
    """
    files = collect_files(paths)
    pipeline = pipeline or Pipeline()
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

    for result in pipeline.process(fresh(iter_documents(files, max_bytes=max_bytes)), published=published):
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
    db.finish_run(report.run_id, len(report.stored), len(report.duplicates), len(report.failures))
    return report


def count_inputs(paths: Iterable[str | Path]) -> int | None:
    """Return the number of documents under ``paths`` if known without reading (no JSONL), else None."""
    files = collect_files(paths)
    if any(f.name.lower().endswith((".jsonl", ".jsonl.gz")) for f in files):
        return None
    return len(files)
