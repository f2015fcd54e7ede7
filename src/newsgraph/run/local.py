"""Run the pipeline in local worker processes, with the main process as the one store writer.

1. **feed**: the main process reads documents, skips those already stored (by
   source hash) and puts chunks of ``RawDocument`` on a bounded task queue.
2. **analyse**: each worker (a "spawn" process: spaCy and DuckDB do not survive
   ``fork`` after loading) builds its own ``Pipeline`` once and sends back an
   ``Article`` or a ``Failure`` per document through a bounded result queue.
3. **store**: the main process alone writes to DuckDB (one writer), in
   input order: results that arrive early wait in a reorder buffer. So the
   store is the same with any number of workers, and the same as a one-process
   run (cross-article links and near-duplicate copies depend on order).

Both queues and the reorder window are bounded (tasks are fed only while the
oldest unfinished task is fewer than ``QUEUE_FACTOR * workers`` tasks behind),
so memory stays flat whatever the input size. A worker that dies mid-chunk (a
crash in native code) costs a ``Failure`` for each document of that chunk it
had not reported; a replacement is started. On Ctrl-C the main process stops
feeding, ends the workers, finishes the run record and re-raises
``KeyboardInterrupt``. If the main process is killed (``kill -9``), the
workers die with it (Linux: the parent-death signal; elsewhere they notice
within ``POLL_SECONDS``), and rerunning the command resumes the run
(``run.batch``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from ..errors import ModelError, WorkerCrashed
from ..libc import die_with_parent
from ..models import Article, Failure, RawDocument

__all__ = ["analyse_chunk", "default_workers", "run_workers"]

# Documents per task. nlp.pipe is no faster per document on batches of 32 than
# of 4 (measured), and small tasks keep the workers evenly busy to the end: at
# ~0.2 s a document, the last task of one worker is all the other waits for.
CHUNK_SIZE = 2

# Tasks in flight per worker: keeps every worker busy while the main process
# stores, and bounds memory to ~ workers * QUEUE_FACTOR * CHUNK_SIZE documents.
QUEUE_FACTOR = 4

# Seconds between liveness checks of the workers while waiting for results.
POLL_SECONDS = 0.5


def default_workers() -> int:
    """Return the default number of worker processes: the machine's CPU count."""
    return os.cpu_count() or 1


def _worker(parent: int, model: str | None, published: str | None, tasks, results) -> None:
    """Worker process: build one ``Pipeline``, then analyse task chunks until a ``None`` arrives."""
    die_with_parent()  # elsewhere than Linux, the poll below notices the parent's death
    if os.getppid() != parent:  # the main process died while this one was starting
        return
    # The main process owns Ctrl-C: it stops feeding and ends the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..pipeline import Pipeline

    try:
        pipeline = Pipeline(model)
    except Exception as err:  # a missing model: tell the main process instead of dying silently
        results.put(("error", os.getpid(), getattr(err, "problem", str(err))))
        return
    results.put(("ready", os.getpid(), pipeline.info))
    while True:
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:  # the main process is gone
                return
            continue
        if task is None:
            break
        task_id, docs = task
        results.put(("take", os.getpid(), task_id))
        for index, result in analyse_chunk(pipeline, docs, published):
            results.put(("result", os.getpid(), (task_id, index, result)))
        results.put(("done", os.getpid(), task_id))
    # Done: flush what is queued for the main process, then exit at once. Tearing
    # down the interpreter (freeing the model's objects one by one) takes half a
    # second that the main process would spend waiting to join this one.
    results.close()
    results.join_thread()
    os._exit(0)


def analyse_chunk(
    pipeline, docs: list[RawDocument | Failure], published: str | None
) -> Iterator[tuple[int, Article | Failure]]:
    """Yield (index, result) for each document (a ``Failure`` passes through); a bug costs only its own document."""
    done = 0
    try:
        for result in pipeline.process(docs, published=published):
            yield done, result
            done += 1
        return
    except Exception:  # a bug, not a bad input: redo the rest one by one to find the culprit
        pass
    for index in range(done, len(docs)):
        try:
            yield index, next(iter(pipeline.process([docs[index]], published=published)))
        except Exception as err:
            yield index, Failure.from_error(err, docs[index].source)


class _Pool:
    """The worker processes, the two bounded queues and the bookkeeping of tasks in flight."""

    def __init__(self, workers: int, model: str | None, published: str | None) -> None:
        self.ctx = mp.get_context("spawn")
        self.size = workers
        self.model, self.published = model, published
        self.tasks = self.ctx.Queue(maxsize=QUEUE_FACTOR * workers)
        # Room for every message of every task in flight (take, a result per document, done):
        # a worker never waits on a full queue while the main process stores a batch.
        self.results_queue = self.ctx.Queue(maxsize=QUEUE_FACTOR * workers * (CHUNK_SIZE + 2))
        self.procs: dict[int, mp.Process] = {}
        self.sent: dict[int, list[RawDocument]] = {}  # task id -> its documents, until all are yielded
        self.results: dict[int, dict[int, Article | Failure]] = {}  # task id -> index -> result not yet yielded
        self.reported: dict[int, set[int]] = {}  # task id -> indices with a result
        self.taken: dict[int, int] = {}  # worker pid -> task id it works on
        self.peak_rss_kb: dict[int, int] = {}
        for _ in range(workers):
            self._start()

    def _start(self) -> None:
        args = (os.getpid(), self.model, self.published, self.tasks, self.results_queue)
        proc = self.ctx.Process(target=_worker, args=args, daemon=True)
        proc.start()
        self.procs[proc.pid] = proc

    def _sample_rss(self) -> None:
        for pid in self.procs:
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            self.peak_rss_kb[pid] = max(self.peak_rss_kb.get(pid, 0), int(line.split()[1]))
            except OSError:
                pass

    def receive(self, task_id: int, index: int, result: Article | Failure) -> None:
        self.reported[task_id].add(index)
        self.results[task_id][index] = result

    def crashed(self) -> None:
        """Record a ``Failure`` for each unreported document of each dead worker's task; replace the dead."""
        for pid, proc in list(self.procs.items()):
            if proc.is_alive():
                continue
            del self.procs[pid]
            task_id = self.taken.pop(pid, None)
            if task_id is not None:
                for index, doc in enumerate(self.sent[task_id]):
                    if index not in self.reported[task_id]:
                        crash = WorkerCrashed(f"worker process died (exit code {proc.exitcode}) "
                                              "while analysing this document", source=doc.source)
                        self.receive(task_id, index, Failure.from_error(crash, doc.source))
            self._start()

    def close(self, terminate: bool) -> None:
        self._sample_rss()
        if not terminate:
            for _ in self.procs:
                self.tasks.put(None)
            for proc in self.procs.values():
                proc.join(timeout=30)
        for proc in self.procs.values():
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        self.tasks.cancel_join_thread()
        self.results_queue.cancel_join_thread()


def run_workers(
    docs: Iterable[RawDocument],
    workers: int,
    model: str | None = None,
    published: str | None = None,
    on_ready: Callable[[dict[str, str]], None] | None = None,
    stats: dict | None = None,
) -> Iterator[Article | Failure]:
    """Yield an ``Article`` or ``Failure`` for every document, analysed by ``workers`` processes.

    Results come in input order. ``on_ready`` gets the
    pipeline info (versions) when the first worker has loaded its model.
    ``stats``, if given, receives ``peak_rss_mb`` per worker at the end. Closing
    the generator (or Ctrl-C) ends the workers.
    """
    pool = _Pool(workers, model, published)
    docs_iter = iter(docs)
    chunks = iter(lambda: list(islice(docs_iter, CHUNK_SIZE)), [])
    next_id, exhausted, ready = 0, False, False
    oldest, position = 0, 0  # the next result to yield: task id and index in its chunk
    terminate = True
    try:
        while True:
            # Feed while the oldest unfinished task is within the window, so put() never blocks
            # and the reorder buffer stays bounded.
            while ready and not exhausted and next_id - oldest < QUEUE_FACTOR * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                pool.sent[next_id] = chunk
                pool.results[next_id] = {}
                pool.reported[next_id] = set()
                pool.tasks.put((next_id, chunk))
                next_id += 1
            # Yield, in input order, every result that is ready.
            while oldest in pool.sent:
                if position in pool.results[oldest]:
                    yield pool.results[oldest].pop(position)
                    position += 1
                elif position == len(pool.sent[oldest]):
                    for table in (pool.sent, pool.results, pool.reported):
                        del table[oldest]
                    oldest, position = oldest + 1, 0
                else:
                    break
            if exhausted and not pool.sent:
                break
            try:
                kind, pid, payload = pool.results_queue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                pool._sample_rss()
                pool.crashed()
                continue
            if kind == "ready":
                if not ready and on_ready:
                    on_ready(payload)
                ready = True
            elif kind == "error":
                raise ModelError(payload, source=model)
            elif kind == "take":
                pool.taken[pid] = payload
            elif kind == "result":
                pool.receive(*payload)
            elif kind == "done":
                pool.taken.pop(pid, None)
        terminate = False
    finally:
        pool.close(terminate)
        if stats is not None:
            stats["peak_rss_mb"] = {pid: kb / 1024 for pid, kb in pool.peak_rss_kb.items()}
