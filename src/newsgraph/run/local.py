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
so memory stays flat whatever the input size. A worker tells the main process
when it starts each document, so each input has a budget (``run.budget``): a
worker still on one document after ``time_budget`` seconds is killed, and one
that dies (a crash in native code, or out of its memory budget) is replaced;
either way the document it was on gets a ``Failure`` and the rest of its task
goes to another worker. A worker that catches running out of its memory
budget reports it and ends as well (native code may be left with a heap it
cannot use), so a fresh one takes the rest. On Ctrl-C the main process stops
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
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from ..errors import BudgetExceededError, ModelError, WorkerCrashed
from ..libc import die_with_parent
from ..models import Article, Failure, RawDocument
from .budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET, limit_memory, over_memory, over_time

__all__ = ["ResidentWorker", "analyse_chunk", "default_workers", "run_workers"]

# Documents per task. nlp.pipe is no faster per document on batches of 32 than
# of 4 (measured), and small tasks keep the workers evenly busy to the end: at
# ~0.2 s a document, the last task of one worker is all the other waits for.
CHUNK_SIZE = 2

# Tasks in flight per worker: keeps every worker busy while the main process
# stores, and bounds memory to ~ workers * QUEUE_FACTOR * CHUNK_SIZE documents.
QUEUE_FACTOR = 4

# Seconds between liveness checks of the workers while waiting for results.
POLL_SECONDS = 0.5
# Seconds to wait for results while documents are on their way (being fetched): short, so a
# fetched page goes to a worker soon after it arrives.
WAITING_POLL_SECONDS = 0.02


def default_workers() -> int:
    """Return the default number of worker processes: the machine's CPU count."""
    return os.cpu_count() or 1


def _worker(parent: int, model: str | None, published: str | None, memory_budget: float | None,
            tasks, results) -> None:
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
    limit_memory(memory_budget)  # from here on, what the model holds plus the budget
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
        pid = os.getpid()
        results.put(("take", pid, task_id))

        def started(index: int, task_id: int = task_id) -> None:
            # The worker's own clock (CLOCK_MONOTONIC is one clock for all processes): a main
            # process that reads this late still judges the document's true time.
            results.put(("start", pid, (task_id, index, time.monotonic())))

        spent = False
        for index, result in analyse_chunk(pipeline, docs, published, started, memory_budget):
            results.put(("result", pid, (task_id, index, result)))
            if isinstance(result, Failure) and result.error == BudgetExceededError.__name__:
                # Out of memory mid-analysis: native code (BLAS, the parser) may be left with a heap it
                # cannot use, and once aborted on the next document. This worker ends; a fresh one takes
                # the rest of the task, as after a crash.
                spent = True
                break
        if spent:
            break
        results.put(("done", pid, task_id))
    # Done: flush what is queued for the main process, then exit at once. Tearing
    # down the interpreter (freeing the model's objects one by one) takes half a
    # second that the main process would spend waiting to join this one.
    results.close()
    results.join_thread()
    os._exit(0)


def analyse_chunk(
    pipeline,
    docs: list[RawDocument | Failure] | dict[int, RawDocument | Failure],
    published: str | None,
    on_start: Callable[[int], None] | None = None,
    memory_budget: float | None = None,
) -> Iterator[tuple[int, Article | Failure]]:
    """Yield (index, result) for each document (a ``Failure`` passes through), one at a time.

    ``docs`` is a list, or a dict of the indices and documents left of a task.
    ``on_start(index)`` is called before each document is analysed. A bug costs
    only its own document; so does running out of the memory budget.
    """
    for index, doc in (docs.items() if isinstance(docs, dict) else enumerate(docs)):
        if on_start:
            on_start(index)
        try:
            yield index, next(iter(pipeline.process([doc], published=published)))
        except MemoryError:
            yield index, Failure.from_error(over_memory(doc.source, memory_budget), doc.source)
        except Exception as err:
            yield index, Failure.from_error(err, doc.source)


class _Pool:
    """The worker processes, the two bounded queues and the bookkeeping of tasks in flight."""

    def __init__(self, workers: int, model: str | None, published: str | None,
                 time_budget: float | None, memory_budget: float | None) -> None:
        self.ctx = mp.get_context("spawn")
        self.size = workers
        self.model, self.published = model, published
        self.time_budget, self.memory_budget = time_budget, memory_budget
        self.tasks = self.ctx.Queue(maxsize=QUEUE_FACTOR * workers)
        # Room for every message of every task in flight (take, a start and a result per document,
        # done): a worker never waits on a full queue while the main process stores a batch.
        self.results_queue = self.ctx.Queue(maxsize=QUEUE_FACTOR * workers * (2 * CHUNK_SIZE + 2))
        self.procs: dict[int, mp.Process] = {}
        self.sent: dict[int, list[RawDocument]] = {}  # task id -> its documents, until all are yielded
        self.results: dict[int, dict[int, Article | Failure]] = {}  # task id -> index -> result not yet yielded
        self.reported: dict[int, set[int]] = {}  # task id -> indices with a result
        self.taken: dict[int, int] = {}  # worker pid -> task id it works on
        self.started: dict[int, tuple[int, int, float]] = {}  # worker pid -> (task id, index, when) of its document
        self.peak_rss_kb: dict[int, int] = {}
        self.next_check = time.monotonic() + POLL_SECONDS
        for _ in range(workers):
            self._start()

    def _start(self) -> None:
        args = (os.getpid(), self.model, self.published, self.memory_budget, self.tasks, self.results_queue)
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

    def send(self, task_id: int, docs: list[RawDocument]) -> None:
        """Queue a task for the workers and keep its documents until every result is yielded."""
        self.sent[task_id] = docs
        self.results[task_id] = {}
        self.reported[task_id] = set()
        self.tasks.put((task_id, docs))

    def forget(self, task_id: int) -> None:
        """Drop a task whose results were all handed on."""
        for table in (self.sent, self.results, self.reported):
            del table[task_id]

    def step(self, timeout: float = POLL_SECONDS) -> dict[str, str] | None:
        """Handle the workers' next message, and judge them (crashes, time budgets) every ``POLL_SECONDS``.

        Returns the pipeline info when a worker reports its model loaded, else
        None; raises ``ModelError`` when a worker cannot load the model. Every
        message queued is read before a worker is judged, so one that finished
        its document is never taken for one still on it.
        """
        try:
            info = self._handle(*self.results_queue.get(timeout=timeout))
        except queue.Empty:
            info = None
        if time.monotonic() >= self.next_check:  # also while other workers' results flow
            while True:
                try:
                    info = self._handle(*self.results_queue.get_nowait()) or info
                except queue.Empty:
                    break
            self._sample_rss()
            self.crashed()
            self.overtime()
            self.next_check = time.monotonic() + POLL_SECONDS
        return info

    def _handle(self, kind: str, pid: int, payload) -> dict[str, str] | None:
        if kind == "ready":
            return payload
        if kind == "error":
            raise ModelError(payload, source=self.model)
        if pid not in self.procs:
            return None  # from a worker killed over its budget: its task went to another
        if kind == "take":
            self.taken[pid] = payload
        elif kind == "start":
            self.start(pid, *payload)
        elif kind == "result":
            self.receive(*payload)
        elif kind == "done":
            self.finished(pid)
        return None

    def receive(self, task_id: int, index: int, result: Article | Failure) -> None:
        if task_id in self.results:  # not a task settled and forgotten already
            self.reported[task_id].add(index)
            self.results[task_id][index] = result

    def start(self, pid: int, task_id: int, index: int, since: float) -> None:
        self.taken[pid] = task_id
        self.started[pid] = (task_id, index, since)

    def finished(self, pid: int) -> None:
        self.taken.pop(pid, None)
        self.started.pop(pid, None)

    def crashed(self) -> None:
        """Settle the document each dead worker was on with a ``Failure``; send the rest of its task again."""
        for pid, proc in list(self.procs.items()):
            if not proc.is_alive():
                crash = f"worker process died (exit code {proc.exitcode}) while analysing this document"
                self._replace(pid, lambda source, crash=crash: WorkerCrashed(crash, source=source))

    def overtime(self) -> None:
        """Kill each worker that has spent over the time budget on one document, and replace it."""
        if not self.time_budget:
            return
        now = time.monotonic()
        for pid, (_task_id, _index, since) in list(self.started.items()):
            if now - since > self.time_budget and pid in self.procs:
                self.procs[pid].kill()
                self.procs[pid].join(timeout=5)
                self._replace(pid, lambda source: over_time(source, self.time_budget))

    def _replace(self, pid: int, error: Callable[[str], Exception]) -> None:
        del self.procs[pid]
        try:
            task_id = self.taken.pop(pid, None)
            started = self.started.pop(pid, None)
            if task_id is not None and task_id in self.sent:  # else: settled and forgotten already
                if started is not None and started[0] == task_id and started[1] not in self.reported[task_id]:
                    doc = self.sent[task_id][started[1]]
                    self.receive(task_id, started[1], Failure.from_error(error(doc.source), doc.source))
                rest = {i: d for i, d in enumerate(self.sent[task_id]) if i not in self.reported[task_id]}
                if rest:  # another worker takes them; the one that cost the budget is settled
                    self.tasks.put((task_id, rest))
        finally:
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
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET,
) -> Iterator[Article | Failure]:
    """Yield an ``Article`` or ``Failure`` for every document, analysed by ``workers`` processes.

    Results come in input order. ``docs`` may yield None for "nothing ready
    yet" (pages still being fetched). ``on_ready`` gets the
    pipeline info (versions) when the first worker has loaded its model.
    ``stats``, if given, receives ``peak_rss_mb`` per worker at the end. Closing
    the generator (or Ctrl-C) ends the workers. ``time_budget`` (seconds) and
    ``memory_budget`` (MiB) bound each document (``run.budget``; None: no bound).
    """
    pool = _Pool(workers, model, published, time_budget, memory_budget)
    docs_iter = iter(docs)
    next_id, exhausted, ready = 0, False, False
    oldest, position = 0, 0  # the next result to yield: task id and index in its chunk
    terminate = True
    try:
        while True:
            # Feed while the oldest unfinished task is within the window, so put() never blocks
            # and the reorder buffer stays bounded; also while the models load, so that documents
            # still being fetched keep coming meanwhile (benchmarks/collect.py).
            waiting = False
            while not exhausted and next_id - oldest < QUEUE_FACTOR * workers:
                chunk = _next_chunk(docs_iter)
                if chunk is None:
                    exhausted = True
                    break
                if not chunk:  # nothing ready yet (a page being fetched): look at the workers meanwhile
                    waiting = True
                    break
                pool.send(next_id, chunk)
                next_id += 1
            # Yield, in input order, every result that is ready.
            while oldest in pool.sent:
                if position in pool.results[oldest]:
                    yield pool.results[oldest].pop(position)
                    position += 1
                elif position == len(pool.sent[oldest]):
                    pool.forget(oldest)
                    oldest, position = oldest + 1, 0
                else:
                    break
            if exhausted and not pool.sent:
                break
            info = pool.step(WAITING_POLL_SECONDS if waiting else POLL_SECONDS)
            if info is not None:
                if not ready and on_ready:
                    on_ready(info)
                ready = True
        terminate = False
    finally:
        pool.close(terminate)
        if stats is not None:
            stats["peak_rss_mb"] = {pid: kb / 1024 for pid, kb in pool.peak_rss_kb.items()}


def _next_chunk(docs: Iterator[RawDocument | None]) -> list[RawDocument] | None:
    """Return up to ``CHUNK_SIZE`` documents ready now ([] if none is), or None when ``docs`` is exhausted.

    ``docs`` yields None for "nothing ready yet" (``run.batch``: pages still being fetched).
    """
    chunk: list[RawDocument] = []
    for doc in docs:
        if doc is None:
            return chunk
        chunk.append(doc)
        if len(chunk) == CHUNK_SIZE:
            return chunk
    return chunk or None


class ResidentWorker:
    """One worker process that keeps its model between documents: analysis for a server, within the budgets.

    ``analyse(raw)`` returns one document's ``Article`` or ``Failure``, one
    caller at a time. A document over ``time_budget`` seconds, out of its
    ``memory_budget`` MiB or crashing the worker costs its own ``Failure`` and a
    fresh worker (which loads the model again), never the caller's process.
    ``info`` is the pipeline info (versions) of the worker that answered last.
    """

    def __init__(self, model: str | None = None, time_budget: float | None = DEFAULT_TIME_BUDGET,
                 memory_budget: float | None = DEFAULT_MEMORY_BUDGET) -> None:
        self.model = model
        self.info: dict[str, str] | None = None
        self._pool = _Pool(1, model, None, time_budget, memory_budget)
        self._next_id = 0
        self._error: ModelError | None = None
        self._lock = threading.Lock()

    def analyse(self, raw: RawDocument) -> Article | Failure:
        """Return the ``Article`` or ``Failure`` of ``raw``; raise ``ModelError`` if the model cannot be loaded."""
        with self._lock:
            if self._error is not None:  # the model cannot be loaded: no new worker would do better
                raise self._error
            pool, task_id = self._pool, self._next_id
            self._next_id += 1
            pool.send(task_id, [raw])
            try:
                # Until the result, and the worker's "done" for it (so no start time of it stays behind).
                while 0 not in pool.results[task_id] or task_id in pool.taken.values():
                    info = pool.step()
                    if info is not None:
                        self.info = info
            except ModelError as err:
                self._error = err
                while True:  # the task no worker will take
                    try:
                        pool.tasks.get_nowait()
                    except queue.Empty:
                        break
                raise
            finally:
                result = pool.results[task_id].get(0)
                pool.forget(task_id)
            return result

    def close(self) -> None:
        """End the worker process."""
        with self._lock:
            self._pool.close(terminate=False)
