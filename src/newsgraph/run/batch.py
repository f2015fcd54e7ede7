"""``ingest()``: read, analyse and store many documents; one bad input never stops the rest.

Every run is journaled: each input's outcome (stored, copy, duplicate, failed)
is written in the same DuckDB transaction as what it produced. A run has a key
(its inputs and options); if a run is stopped before it finishes (Ctrl-C,
``kill -9``, a power cut), running the same command again resumes it: inputs
the journal has are skipped, the rest are analysed and stored in input order,
so the store ends as an uninterrupted run would leave it, each input settled
exactly once.

Engines: in this process (the library default), local worker processes
(``run.local``, the CLI default) or Ray (``run.cluster``). This process is the
one writer in all three.

Inputs may be web URLs: they are fetched politely (``ingest.web``) in
threads while the workers analyse what came before, and every request goes
to the store's fetch log. Fetched articles are stored as they arrive, not in
input order.
"""

from __future__ import annotations

import collections
import hashlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import StoreError, UnsupportedInputError
from ..ingest import collect_files, input_roots, iter_documents
from ..ingest.decode import DEFAULT_MAX_BYTES, source_name
from ..ingest.web import Fetcher, FetchOptions, Target, fetch_documents, is_web_url
from ..models import Article, Failure, RawDocument
from ..pipeline import Pipeline, pipeline_info
from ..store import Database
from .budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET
from .local import run_workers

__all__ = [
    "ENGINES", "IngestReport", "RunWriter", "Stopped", "analyse_and_store", "count_inputs", "ingest", "run_key",
]

ENGINES = ("local", "ray")

# Stored articles between reopenings of the store, which hand back the table blocks
# DuckDB keeps cached (``Database.reconnect``); reopening takes a few milliseconds.
RECONNECT_EVERY = 1_000

# Articles stored per transaction: DuckDB's cost is mostly per statement, so a
# batch of 16 costs about 5 ms an article against 25 ms one by one (91 dev pages). A
# batch is also stored once its first article has waited STORE_SECONDS, so
# progress never lags far behind; an interrupted run redoes at most one batch.
STORE_BATCH = 16
STORE_SECONDS = 2.0


@dataclass
class IngestReport:
    """What one ingest run did: ids stored, copies, inputs skipped as duplicates, failures.

    On a resumed run, the lists hold what this attempt did; ``resumed`` counts
    the inputs an earlier, interrupted attempt had settled, and ``totals``
    (outcome -> inputs, from the journal) covers the whole run.
    """

    run_id: str
    stored: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    resumed: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.totals.get("failed")

    def summary(self) -> str:
        """Return the one-line summary printed after a run."""
        copies = f" ({len(self.copies)} as copies of stored articles)" if self.copies else ""
        resumed = ""
        if self.resumed:
            totals = ", ".join(f"{n} {outcome}" for outcome, n in self.totals.items() if n)
            resumed = f"; resumed run {self.run_id}: {self.resumed} inputs were done before (whole run: {totals})"
        return (
            f"stored {len(self.stored) + len(self.copies)}{copies}, skipped {len(self.duplicates)} as duplicate, "
            f"failed {len(self.failures)}{resumed}"
        )


def run_key(paths: Iterable[str | Path], published: str | None, max_bytes: int, model: str | None) -> str | None:
    """Return the key of a run over ``paths`` with these options (None for stdin: it cannot be read twice)."""
    names = [str(p) for p in paths]
    if "-" in names:
        return None
    resolved = [str(Path(name).resolve()) if Path(name).exists() else name for name in names]
    options = json.dumps([resolved, published, max_bytes, model])
    return hashlib.sha256(options.encode("utf-8")).hexdigest()[:24]


class RunWriter:
    """The run's one writer: settles each input in the store, the journal and the report.

    A new run's record needs the pipeline's versions, which local workers
    report once their model is loaded: what is settled before that waits.
    """

    def __init__(self, db: Database, command: str | None, key: str | None, notify) -> None:
        self.db, self.command, self.key, self.notify = db, command, key, notify
        resumed = db.unfinished_run(key) if key else None
        self.report = IngestReport(run_id=resumed or "")
        self.resuming = resumed is not None
        if self.resuming:
            self.report.resumed = db.settled_count(resumed)
        self._waiting: list[Article | Failure | str] = []
        self._batch: list[Article] = []  # analysed articles not yet stored, in input order
        self._batch_since = 0.0
        self._since_reconnect = 0
        # Requests logged by fetching threads (``ingest.web.FetchRecord``), stored with the next batch.
        self.fetch_log: collections.deque = collections.deque()

    def begin(self, info: dict[str, str]) -> None:
        if not self.report.run_id:
            self.report.run_id = self.db.start_run(info, self.command, self.key)
        waiting, self._waiting = self._waiting, []
        for item in waiting:
            self.settle(item)

    def done_before(self, source: str) -> bool:
        """Return True (and count it as progress) if an interrupted attempt of this run settled ``source``."""
        if self.resuming and self.db.settled(self.report.run_id, source):
            self.notify(source)
            return True
        return False

    def holds(self, source_hash: str) -> bool:
        """Return True if an article read from exactly these bytes waits in the batch to be stored."""
        return any(a.source_hash == source_hash for a in self._batch)

    def settle(self, item: Article | Failure | str) -> None:
        """Store an ``Article``, record a ``Failure``, or journal a duplicate input's source (a ``str``).

        Articles are stored in batches (``STORE_BATCH``); anything else first
        stores the batch, so inputs are settled in the order they come.
        """
        if not self.report.run_id:
            self._waiting.append(item)
            return
        if isinstance(item, Article):
            if not self._batch:
                self._batch_since = time.monotonic()
            self._batch.append(item)
            if len(self._batch) >= STORE_BATCH or time.monotonic() - self._batch_since >= STORE_SECONDS:
                self.flush()
            return
        self.flush()
        if isinstance(item, str):
            self.db.add_duplicate(self.report.run_id, item)
            self.report.duplicates.append(item)
        else:
            self.db.add_failure(self.report.run_id, item)
            self.report.failures.append(item)
        self.notify(item)

    def flush(self) -> None:
        """Store the articles waiting in the batch, in one transaction (and the requests logged meanwhile)."""
        if self.report.run_id and self.fetch_log:
            records = [self.fetch_log.popleft() for _ in range(len(self.fetch_log))]
            self.db.add_fetches(self.report.run_id, records)
        batch, self._batch = self._batch, []
        if not batch:
            return
        for article, outcome in zip(batch, self.db.add_articles(batch, self.report.run_id)):
            if outcome == "duplicate":  # same content read from other bytes (another copy or format of the page)
                self.report.duplicates.append(article.source)
                self.notify(article.source)
                continue
            (self.report.copies if outcome == "copy" else self.report.stored).append(article.id)
            self.notify(article)
        self._since_reconnect += len(batch)
        if self._since_reconnect >= RECONNECT_EVERY:
            self.db.reconnect()
            self._since_reconnect = 0

    def tick(self) -> None:
        """Store what has waited long enough (a batch, the fetch log) while inputs are still coming."""
        if (self._batch and time.monotonic() - self._batch_since >= STORE_SECONDS) or len(self.fetch_log) >= 64:
            self.flush()

    def finish(self, complete: bool) -> None:
        """Store what waits in the batch (even when interrupted: it is done work), then close the run record."""
        try:
            self.flush()
        except StoreError:
            if complete:
                raise
        if self.report.run_id:
            self.report.totals = self.db.finish_run(self.report.run_id, complete)


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
    engine: str = "local",
    address: str | None = None,
    shard_dir: str | Path | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET,
    fetch: FetchOptions | None = None,
    stop: threading.Event | None = None,
) -> IngestReport:
    """Store every article found under ``paths`` (and at the web URLs among them) in ``db``; return the run's report.

    Raises ``UnsupportedInputError`` before doing anything if a path does not
    exist; every later problem is a ``Failure`` in the report and the store's
    ``failures`` table. ``on_result`` is called with each stored ``Article``,
    each ``Failure`` and each skipped input's source (for progress display).
    If an earlier run of the same inputs and options was interrupted, this
    call resumes it (see the module docstring).

    ``engine="local"`` with ``workers`` >= 1 and no ``pipeline`` analyses in
    that many local processes (``run.local``), each loading ``model`` once and
    holding each document to ``time_budget`` seconds and ``memory_budget`` MiB
    (``run.budget``). Given a ``pipeline``, or by default (``workers=None``),
    it runs in this process, without budgets: worker processes are started
    with "spawn", which re-imports the caller's main module, so a script must
    guard its call with ``if __name__ == "__main__":`` before asking for them
    (the CLI asks for all cores). ``engine="ray"`` runs the pipeline on Ray
    Data (``run.cluster``; ``address`` names a cluster, else a local Ray
    starts; results come back through Parquet shards in ``shard_dir``, by
    default ``<db>.shards`` beside the store, which on a cluster must be
    shared storage). Whatever the engine, results are stored in input order
    by this process, so the store is the same. Web URLs among ``paths`` are
    fetched as ``fetch`` says (``ingest.web.FetchOptions``; its ``max_bytes``
    is ``max_bytes``), with the local engines only. Setting ``stop`` (from
    another thread) ends the run early, resumable, with ``Stopped``.
    """
    if engine not in ENGINES:
        raise UnsupportedInputError(f"unknown engine '{engine}' (one of: {', '.join(ENGINES)})", source=engine)
    paths = list(paths)
    urls = [str(p) for p in paths if is_web_url(p)]
    local = [p for p in paths if not is_web_url(p)]
    files = collect_files(local)
    writer = RunWriter(db, command, run_key(paths, published, max_bytes, model), on_result or (lambda _item: None))
    if engine == "ray" and urls:
        raise UnsupportedInputError("URLs are fetched by the local engine only; fetch them with --engine local",
                                    source=urls[0])
    try:
        if engine == "ray":
            shard_dir = Path(shard_dir or f"{db.path}.shards")
            _analyse_on_ray(files, input_roots(local), writer, model, published, max_bytes, workers, address,
                            shard_dir)
        else:
            fetch = replace(fetch or FetchOptions(), max_bytes=max_bytes)
            with Fetcher(fetch, on_request=writer.fetch_log.append) as fetcher:
                docs = iter_documents(files, max_bytes=max_bytes, roots=input_roots(local))
                if urls:  # those an interrupted attempt settled are not asked for again
                    targets = [Target(u) for u in urls if not writer.done_before(u)]
                    docs = itertools.chain(docs, fetch_documents(targets, fetcher))
                analyse_and_store(docs, writer, pipeline, workers, model, published, time_budget, memory_budget,
                                  stop)
    except BaseException:
        # Ctrl-C or an error: the run record counts what was stored and stays open, to be resumed.
        writer.finish(complete=False)
        raise
    writer.finish(complete=True)
    return writer.report


class Stopped(Exception):
    """A run ended early because its ``stop`` event was set (a server shutting down); it resumes when run again."""


def analyse_and_store(docs: Iterable[RawDocument | Failure | None], writer: RunWriter, pipeline: Pipeline | None,
                      workers: int | None, model: str | None, published: str | None,
                      time_budget: float | None, memory_budget: float | None,
                      stop: threading.Event | None = None) -> None:
    """Analyse the fresh ones of ``docs`` and settle every one with ``writer`` (``ingest``'s local engines).

    ``docs`` may hold ``None``: "nothing ready yet" from a fetcher, so the
    workers' results are stored while pages are still being fetched. Raises
    ``Stopped`` once ``stop`` is set.
    """
    fresh = _fresh(_until(docs, stop) if stop is not None else docs, writer)
    # No model is loaded, and no worker started, until a document needs one (a watch round with
    # nothing new, a rerun with everything stored).
    first = next((doc for doc in fresh if doc is not None), None)
    if first is not None:
        fresh = itertools.chain([first], fresh)
        if pipeline is None and (workers or 0) >= 1:
            for result in run_workers(fresh, workers, model=model, published=published, on_ready=writer.begin,
                                      time_budget=time_budget, memory_budget=memory_budget):
                writer.settle(result)
        else:
            pipeline = pipeline or Pipeline(model)
            writer.begin(pipeline.info)
            for result in pipeline.process((doc for doc in fresh if doc is not None), published=published):
                writer.settle(result)
    if not writer.report.run_id:  # nothing needed the model (all done, duplicate or unreadable)
        writer.begin(pipeline.info if pipeline else pipeline_info(model))


def _until(docs: Iterable, stop: threading.Event) -> Iterator:
    """Yield from ``docs`` until ``stop`` is set, then raise ``Stopped``."""
    for doc in docs:
        if stop.is_set():
            raise Stopped("stopped before the end of the inputs")
        yield doc
    if stop.is_set():
        raise Stopped("stopped before the end of the inputs")


def _fresh(docs: Iterable[RawDocument | Failure | None], writer: RunWriter) -> Iterator[RawDocument | None]:
    """Yield the documents that need analysing; settle the rest (unreadable, stored, done before) at once."""
    db = writer.db
    for item in docs:
        if item is None:  # nothing ready yet: store what has waited meanwhile
            writer.tick()
            yield None
            continue
        if writer.done_before(item.source):
            continue
        if isinstance(item, Failure):
            writer.settle(item)
        elif db.has_source(item.source_hash) or writer.holds(item.source_hash):
            # these exact bytes are stored (or about to be): skip before paying for a parse
            writer.settle(item.source)
        else:
            yield item


def _analyse_on_ray(files, roots, writer: RunWriter, model, published, max_bytes, workers, address, shard_dir) -> None:
    from .cluster import analyse_on_ray

    # Plain files an interrupted attempt settled are not sent again; container
    # records are read again on the cluster and skipped here.
    skip = {str(f) for f in files if writer.done_before(source_name(f))}
    writer.begin(Pipeline(model).info if not writer.report.run_id else {})
    for result in analyse_on_ray(files, model=model, published=published, max_bytes=max_bytes, address=address,
                                 workers=workers, shard_dir=shard_dir, skip_sources=skip, roots=roots):
        if not writer.done_before(result.source):
            writer.settle(result)


def count_inputs(paths: Iterable[str | Path]) -> int | None:
    """Return the number of documents under ``paths`` if known without reading (no containers), else None."""
    paths = list(paths)
    urls = sum(1 for p in paths if is_web_url(p))
    files = collect_files([p for p in paths if not is_web_url(p)])
    # Containers (JSONL, web archives, feeds, stdin) hold an unknown number of documents.
    containers = (".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".rss", ".atom", ".xml", ".rss.gz", ".atom.gz")
    if any(str(f) == "-" or f.name.lower().endswith(containers) for f in files):
        return None
    return len(files) + urls
