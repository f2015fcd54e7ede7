"""Run the pipeline on a Ray cluster with Ray Data; the caller stays the one store writer.

1. **plan**: the driver makes one descriptor (index, path) per input file,
   leaving out plain files whose source is already stored (``skip_sources``),
   and groups them into calls of consecutive files, largest calls first.
   Only paths travel: the files must be on storage every node reaches at the
   same path.
2. **read and analyse**: ``map_batches`` with a callable class, a fixed pool
   of ``workers`` actors. Each actor builds one ``Pipeline`` (the spaCy model
   is loaded once for the whole run), reads its files with ``iter_documents``
   and analyses them in chunks with the local engine's ``analyse_chunk``, so an
   unexpected error costs only its own document. Every result becomes a row
   keyed by (file index, record index); a last ``done`` row per file says the
   file was read to the end.
3. **shard**: the workers write the rows as Parquet (``write_parquet``) in a
   directory of the run's own under ``shard_dir``.
4. **collect**: the driver reads the shards back and yields each ``Article``
   or ``Failure`` in input order (file index, record index), one shard at a
   time. A file with no ``done`` row (its worker died and Ray's retries did
   too) yields a ``Failure`` (E998), as in the local engine.

Limits: nothing is yielded before Ray has written every shard, so an
interrupted run loses the analysis done so far (resuming re-sends every file
not stored). Shards are read in key order one at a time; memory holds one
batch of rows when a shard's rows are in order (the usual case: Ray writes
one shard per task), else the shards whose key ranges overlap, at worst all.
A container (JSONL, WARC, feed) is read and analysed by one actor, so one
large archive does not spread over the cluster.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import socket
import uuid
import warnings
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import EngineError, NewsgraphError, UnsupportedInputError, WorkerCrashed
from ..ingest import iter_documents
from ..ingest.files import STDIN, SUFFIXES
from ..models import Article, Failure, RawDocument
from ..pipeline import BATCH_SIZE
from .local import analyse_chunk

__all__ = ["analyse_on_ray", "ray_session"]

# Input files per map_batches call: an actor that dies costs at most this many
# files' results (the local engine loses at most a chunk of 4 documents), and
# a small run still spreads over every actor (the 200-article test makes 14
# calls for 2 actors). Not tuned for speed: spaCy's batches are per call.
FILES_PER_CALL = 8

# How often Ray re-runs a call whose actor died (a crash in native code, a
# node going away) before its files become WorkerCrashed failures: a transient
# loss is retried, a document that kills the process every time is not
# retried for ever (Ray Data's default).
CRASH_RETRIES = 2

# Rows per Arrow batch when a shard is streamed back: bounded memory, few calls.
READ_BATCH_ROWS = 256

_PLAIN = {suffix for suffix, kind in SUFFIXES.items() if kind in ("html", "text")}


def _ray():
    """Return the ``ray`` module, or raise the error that names the extra to install."""
    try:
        import ray
    except ImportError:
        raise EngineError("the Ray engine needs the optional extra: pip install 'newsgraph[ray]'", source="ray") from None
    return ray


def _schema():
    import pyarrow as pa

    return pa.schema([
        ("file", pa.int64()),
        ("record", pa.int64()),
        ("kind", pa.string()),
        ("source_hash", pa.string()),
        ("data", pa.large_string()),
    ])


@contextmanager
def ray_session(address: str | None = None, workers: int | None = None) -> Iterator[None]:
    """Connect this process to Ray for the block: a cluster at ``address``, else a new local Ray.

    ``address`` is what ``ray.init`` takes (``auto``, ``HOST:6379``,
    ``ray://HOST:10001``). Without one, a local Ray with ``workers`` CPUs (all
    by default) is started: no dashboard, no usage report, warnings only. If
    this process is already connected, that connection is used and left open.
    """
    ray = _ray()
    if ray.is_initialized():
        yield
        return
    # Read by ray.init: no usage report leaves the machine.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address:
        ray.init(address=address, logging_level=logging.WARNING)
    else:
        # A new local Ray turns on token authentication (a token in ~/.ray) and
        # warns that it did: a good default, not news for our users.
        notice = logging.getLogger("ray._private.authentication.authentication_token_setup")
        level = notice.level
        notice.setLevel(logging.ERROR)
        try:
            # "local": a new Ray for this run even if RAY_ADDRESS names a cluster.
            ray.init(address="local", num_cpus=workers, include_dashboard=False, logging_level=logging.WARNING)
        finally:
            notice.setLevel(level)
    try:
        yield
    finally:
        ray.shutdown()


def analyse_on_ray(
    files: list[Path | str],
    *,
    model: str | None,
    published: str | None,
    max_bytes: int,
    address: str | None,
    workers: int | None,
    shard_dir: Path,
    skip_sources: Collection[str] = (),
    roots: Collection[str | Path] | None = None,
) -> Iterator[Article | Failure]:
    """Return an iterator of the ``Article`` or ``Failure`` of every document in ``files``, in input order.

    ``files`` are paths as ``collect_files`` returns them, on storage every
    Ray node reaches at the same path. The work runs in ``workers`` Ray actors
    (default: the cluster's CPU count), each loading ``model`` once; their
    results go through Parquet shards under ``shard_dir`` (which every node
    and this process must reach too; this run's shards are removed once all
    were read). Plain files (HTML, text) whose path is in ``skip_sources`` are
    not sent. ``address`` as for ``ray_session``. ``roots``: the folders feeds
    may link into (``ingest.input_roots`` of the user's paths; default: each
    feed's own folder).

    Raises at once ``UnsupportedInputError`` for standard input (workers cannot
    read it) and ``EngineError`` if Ray is not installed; a model that
    cannot be loaded raises ``ModelError`` when iteration starts.
    """
    paths = [Path(f) for f in files]
    for path in paths:
        if str(path) == STDIN:
            raise UnsupportedInputError(
                "standard input cannot be sent to Ray workers; save it to a file on shared storage, "
                "or use the local engine",
                source=STDIN,
            )
    _ray()  # before any work: the error names the extra to install
    skip = set(skip_sources)
    todo = [(index, str(path)) for index, path in enumerate(paths) if not (_is_plain(path) and str(path) in skip)]
    roots = tuple(str(r) for r in roots) if roots is not None else None
    return _run(todo, model, published, max_bytes, roots, address, workers, Path(shard_dir))


def _is_plain(path: Path) -> bool:
    """Return whether ``path`` holds one document whose source is its path (not a container)."""
    name = path.name.lower().removesuffix(".gz")
    return os.path.splitext(name)[1] in _PLAIN


def _run(todo, model, published, max_bytes, roots, address, workers, shard_dir) -> Iterator[Article | Failure]:
    if not todo:
        return
    run_dir = shard_dir / f"newsgraph-{uuid.uuid4().hex[:12]}"
    with ray_session(address, workers):
        _write_shards(todo, model, published, max_bytes, roots, workers, run_dir)
    shards = sorted(run_dir.glob("*.parquet"))
    yield from _collect(shards, todo)
    # Only once the caller took every record: a run stopped early leaves its shards to look at.
    shutil.rmtree(run_dir, ignore_errors=True)


def _write_shards(todo, model, published, max_bytes, roots, workers, run_dir: Path) -> None:
    """Analyse every file of ``todo`` on Ray and write the result rows as Parquet shards in ``run_dir``."""
    import ray
    from ray.data import ActorPoolStrategy, DataContext

    calls = _plan(todo)
    workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    # An actor without a call would load the model for nothing.
    workers = min(workers, len(calls))
    context = DataContext.get_current()
    saved = {name: getattr(context, name, None) for name in
             ("max_errored_blocks", "enable_progress_bars", "print_on_execution_start")}
    # A call that failed for good (its actor died CRASH_RETRIES + 1 times) drops
    # its rows instead of ending the run; _collect reports its files.
    context.max_errored_blocks = -1
    # The caller reports progress as records come back; Ray's bars and notes
    # would be noise (they stay in the session's ray-data.log).
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    console = [h for h in logging.getLogger("ray.data").handlers if h.name == "console"]
    levels = [h.level for h in console]
    for handler in console:
        handler.setLevel(logging.ERROR)
    try:
        # One row (and block) per call, so the calls are the ones _plan made.
        dataset = ray.data.from_items(calls, override_num_blocks=len(calls))
        options = dict(
            fn_constructor_kwargs={"model": model, "published": published, "max_bytes": max_bytes,
                                   "roots": roots},
            batch_size=None,
            batch_format="pyarrow",
            # One call in flight per actor: when an actor dies, only that call's files are lost.
            compute=ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
            num_cpus=1,
        )
        try:
            with warnings.catch_warnings():
                # Ray 2.60 deprecates extra remote options; there is no named one for this yet.
                warnings.simplefilter("ignore", DeprecationWarning)
                dataset = dataset.map_batches(_Analyser, max_task_retries=CRASH_RETRIES, **options)
        except TypeError:  # a Ray that dropped them: Ray Data's default, retry for ever
            dataset = dataset.map_batches(_Analyser, **options)
        # The writes take no CPU slot: the actors hold them all, and a write
        # waiting for one would wait for the end of the run.
        dataset.write_parquet(str(run_dir), ray_remote_args={"num_cpus": 0})
    except Exception as err:
        if getattr(err, "actor_init_failed", False):
            _raise_start_error(model)
        raise
    finally:
        for name, value in saved.items():
            setattr(context, name, value)
        for handler, level in zip(console, levels):
            handler.setLevel(level)


def _plan(todo: list[tuple[int, str]]) -> list[dict[str, list]]:
    """Return the map_batches calls: runs of consecutive files, largest first.

    A run holds at most FILES_PER_CALL files and a container (JSONL, WARC,
    feed) is alone in its own, so the slowest calls start first and the last
    ones are short. Runs of consecutive files keep each shard's keys in one
    range, which lets the driver read the shards back one at a time.
    """
    runs: list[list[tuple[int, str]]] = []
    for index, path in todo:
        plain = _is_plain(Path(path))
        if not runs or not plain or len(runs[-1]) >= FILES_PER_CALL or not _is_plain(Path(runs[-1][-1][1])):
            runs.append([])
        runs[-1].append((index, path))
    runs.sort(key=lambda run: -sum(_size(path) for _, path in run))
    return [{"files": [i for i, _ in run], "paths": [p for _, p in run]} for run in runs]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # not visible here: the worker will say so
        return 0


def _raise_start_error(model: str | None) -> None:
    """Raise the ``NewsgraphError`` (a model that cannot load) a Ray worker meets building a ``Pipeline``, if any.

    Ray reports an actor that failed to start with its traceback as text only;
    a plain task that does the same keeps the error itself.
    """
    import ray

    try:
        ray.get(ray.remote(_build_pipeline).options(num_cpus=0, max_retries=0).remote(model))
    except ray.exceptions.RayTaskError as err:
        if isinstance(err.cause, NewsgraphError):
            raise err.cause from None


def _build_pipeline(model: str | None) -> None:
    from ..pipeline import Pipeline

    Pipeline(model)


class _Analyser:
    """A Ray actor's work: one ``Pipeline`` for the run, then files -> result rows."""

    def __init__(self, model: str | None, published: str | None, max_bytes: int,
                 roots: tuple[str, ...] | None = None) -> None:
        from ..pipeline import Pipeline

        self.pipeline = Pipeline(model)
        self.published = published
        self.max_bytes = max_bytes
        self.roots = tuple(Path(r) for r in roots) if roots is not None else None

    def __call__(self, batch) -> Iterator[Any]:
        """Yield an Arrow table of result rows per chunk of documents read from the batch's files."""
        import pyarrow as pa

        files = [f for call in batch.column("files").to_pylist() for f in call]
        paths = [p for call in batch.column("paths").to_pylist() for p in call]
        stream = self._read(zip(files, paths))
        while chunk := list(islice(stream, BATCH_SIZE)):
            docs = [entry[2] for entry in chunk if entry[2] is not None]
            results = dict(analyse_chunk(self.pipeline, docs, self.published))
            rows: dict[str, list] = {name: [] for name in _schema().names}
            position = 0
            for file, record, item in chunk:
                if item is None:
                    row = (file, record, "done", None, "")
                else:
                    row = _row(file, record, results[position])
                    position += 1
                for name, value in zip(rows, row):
                    rows[name].append(value)
            yield pa.table(rows, schema=_schema())

    def _read(self, files) -> Iterator[tuple[int, int, RawDocument | Failure | None]]:
        """Yield (file, record, item) for every document of ``files``, then (file, count, None) per file."""
        for file, path in files:
            record = 0
            try:
                if not os.path.exists(path):
                    raise UnsupportedInputError(
                        f"no such file on Ray node {socket.gethostname()} (inputs must be on storage every "
                        "node reaches at the same path)", source=path)
                for item in iter_documents([path], max_bytes=self.max_bytes, roots=self.roots):
                    yield file, record, item
                    record += 1
            except Exception as err:  # a bug in a reader: the file's records so far stay, the rest is one failure
                yield file, record, Failure.from_error(err, path)
                record += 1
            yield file, record, None


def _row(file: int, record: int, result: Article | Failure) -> tuple:
    if isinstance(result, Article):
        return file, record, "article", result.source_hash, json.dumps(result.to_dict(), ensure_ascii=False)
    data = {"source": result.source, "error": result.error, "message": result.message}
    return file, record, "failure", None, json.dumps(data, ensure_ascii=False)


def _collect(shards: list[Path], todo: list[tuple[int, str]]) -> Iterator[Article | Failure]:
    """Yield the results in ``shards`` in (file, record) order, and a ``Failure`` for each file not finished."""
    paths = dict(todo)
    pending = iter(sorted(paths))  # file indices sent, in order
    current, finished = None, False
    last_key = None
    for row in _ordered_rows(shards):
        key = (row["file"], row["record"])
        if key == last_key:  # a retried call whose first output was already written
            continue
        last_key = key
        if row["file"] != current:
            if current is not None and not finished:
                yield _crashed(paths[current])
            for index in pending:
                if index == row["file"]:
                    break
                yield _crashed(paths[index])  # no row at all: the whole call was lost
            current, finished = row["file"], False
        if row["kind"] == "done":
            finished = True
        elif row["kind"] == "article":
            article = Article.from_dict(json.loads(row["data"]))
            yield dataclasses.replace(article, source_hash=row["source_hash"])
        else:
            yield Failure(**json.loads(row["data"]))
    if current is not None and not finished:
        yield _crashed(paths[current])
    for index in pending:
        yield _crashed(paths[index])


def _crashed(path: str) -> Failure:
    crash = WorkerCrashed(f"Ray worker died while analysing this file (tried {CRASH_RETRIES + 1} times)", source=path)
    return Failure.from_error(crash, path)


def _ordered_rows(shards: list[Path]) -> Iterator[dict[str, Any]]:
    """Yield the rows of ``shards`` in (file, record) order, holding one shard (or overlapping ones) at a time."""
    import pyarrow.parquet as pq

    spans = []  # (first key, last key, shard, rows in key order)
    for shard in shards:
        keys = pq.read_table(shard, columns=["file", "record"])
        if not keys.num_rows:
            continue
        pairs = list(zip(keys.column("file").to_pylist(), keys.column("record").to_pylist()))
        spans.append((min(pairs), max(pairs), shard, all(a <= b for a, b in zip(pairs, pairs[1:]))))
    spans.sort(key=lambda s: s[:2])
    group: list = []
    for span in spans:
        if group and span[0] > max(s[1] for s in group):
            yield from _group_rows(group)
            group = []
        group.append(span)
    if group:
        yield from _group_rows(group)


def _group_rows(group) -> Iterator[dict[str, Any]]:
    """Yield the rows of shards whose key ranges overlap, in key order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if len(group) == 1 and group[0][3]:
        for batch in pq.ParquetFile(group[0][2]).iter_batches(batch_size=READ_BATCH_ROWS):
            yield from batch.to_pylist()
        return
    table = pa.concat_tables(pq.read_table(span[2]) for span in group)
    table = table.sort_by([("file", "ascending"), ("record", "ascending")])
    for batch in table.to_batches(max_chunksize=READ_BATCH_ROWS):
        yield from batch.to_pylist()
