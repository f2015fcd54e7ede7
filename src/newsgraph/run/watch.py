"""``watch_round()``: collect the new articles of web sources (feeds, sitemaps, section pages) into a store.

A round:

1. **check sources**: fetch each source (politely, ``ingest.web.fetch``),
   conditionally when an earlier round saw its ``ETag``/``Last-Modified``: a 304
   lists nothing new. A sitemap index's sitemaps are fetched the same way
   (``MAX_DEPTH`` levels). What a source lists is read by ``ingest.web.discover``.
2. **new links only**: links are made canonical (``ingest.web.urls``) and
   those the store has settled (``urls``: stored, duplicate, failed for good)
   are dropped before any request.
3. **fetch, analyse, store**: the remaining pages are fetched host by host in
   threads while worker processes analyse what has arrived (``run.batch``);
   a page whose bytes are stored already is a duplicate (the content hash).
4. **remember**: the sources' validators are saved only when the round
   completes, so a round killed midway is redone from its sources' lists.

A round is a run of the journal, keyed by its sources and options: killed
(``kill -9``) and started again, it resumes, and every article is stored
exactly once (the journal, the URL table and the content hash each stop a
second copy). ``watch`` repeats rounds; ``Collector`` runs them, and jobs
handed over by other commands, inside ``serve``.
"""

from __future__ import annotations

import re
import shlex
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InputError, UnsupportedInputError
from ..ingest.decode import DEFAULT_MAX_BYTES
from ..ingest.web import Fetcher, FetchOptions, Target, canonical_url, discover, fetch_documents, is_web_url
from ..ingest.web.fetch import XML_TYPES
from ..models import Article, Failure
from ..store import Database
from .batch import IngestReport, RunWriter, Stopped, analyse_and_store, ingest, run_key
from .budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET

__all__ = [
    "CollectOptions", "Collector", "RoundReport", "SourceCheck", "local_paths", "parse_every", "watch", "watch_round",
]

#: Levels of sitemap indexes followed below a source (an index of indexes of sitemaps is two).
MAX_DEPTH = 2
#: Sitemaps read from one index: news sites' indexes list years of monthly archives; the newest come first.
MAX_SITEMAPS = 50


@dataclass
class SourceCheck:
    """What one check of a source (or a sitemap it lists) found."""

    url: str
    kind: str | None = None
    status: int | None = None
    links: int = 0
    new: int = 0
    not_modified: bool = False
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.url}: {self.error}"
        if self.not_modified:
            return f"{self.url}: not modified since the last round"
        return f"{self.url}: {self.kind}, {self.links} links, {self.new} new"


@dataclass
class RoundReport:
    """One round: its sources' checks and what the run stored."""

    started_at: str
    finished_at: str | None = None
    sources: list[SourceCheck] = field(default_factory=list)
    run: IngestReport | None = None

    def summary(self) -> str:
        new = sum(s.new for s in self.sources)
        unchanged = sum(1 for s in self.sources if s.not_modified)
        failed = sum(1 for s in self.sources if s.error)
        checked = f"checked {len(self.sources)} sources ({unchanged} not modified, {failed} failed), {new} new links"
        return f"{checked}; {self.run.summary() if self.run else 'nothing stored'}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_every(text: str) -> float:
    """Return the seconds of an interval like ``15m``, ``90s``, ``2h``, ``1d`` or ``300``; raise ``ValueError``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"'{text}' is not an interval (write e.g. 30s, 15m, 2h, 1d)")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"'{text}' is not a positive interval")
    return seconds


def _check_sources(sources: list[str]) -> list[str]:
    bad = [s for s in sources if not is_web_url(s)]
    if bad:
        raise UnsupportedInputError("a source to watch must be an http(s) URL of a feed, sitemap or section page",
                                    source=bad[0])
    return list(dict.fromkeys(s.strip() for s in sources))


def watch_round(
    sources: list[str],
    db: Database,
    fetch: FetchOptions | None = None,
    workers: int | None = None,
    model: str | None = None,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET,
    command: str | None = None,
    on_result=None,
    on_source=None,
    stop: threading.Event | None = None,
) -> RoundReport:
    """Run one round over ``sources`` (module docstring) and return its report.

    ``on_result`` gets each stored ``Article``, ``Failure`` and duplicate's
    source, as ``ingest``'s does; ``on_source`` each ``SourceCheck``. Analysis
    runs in ``workers`` processes (None or 0: in this process). Setting
    ``stop`` ends the round early (``run.batch.Stopped``), to be resumed.
    """
    sources = _check_sources(sources)
    fetch = replace(fetch or FetchOptions(), max_bytes=max_bytes)
    command = command or shlex.join(["newsgraph", "watch", *sources])
    report = RoundReport(started_at=_now())
    writer = RunWriter(db, command, run_key(["watch", *sources], published, max_bytes, model),
                       on_result or (lambda _item: None))
    states: dict[str, dict] = {}  # a source's final URL -> its web_sources row (set_source_state's arguments)
    try:
        with Fetcher(fetch, on_request=writer.fetch_log.append) as fetcher:
            targets = _check(sources, fetcher, db, writer, report, states, stop)
            for check in report.sources if on_source else ():
                on_source(check)
            analyse_and_store(fetch_documents(targets, fetcher), writer, None, workers, model, published,
                              time_budget, memory_budget, stop)
    except BaseException:
        writer.finish(complete=False)
        raise
    writer.finish(complete=True)
    # A source whose links failed for now (a 503, a timeout) keeps its old validators: the next round
    # reads it whole again and retries them, where a 304 would list nothing.
    retry = {f.source for f in writer.report.failures if f.transient}
    if writer.resuming:  # the failures of the attempt before are not in this report: list every source again next time
        for state in states.values():
            state["validators"] = None
    for target in targets:
        if target.url in retry and target.origin in states:
            states[target.origin]["validators"] = None
    for state in states.values():  # only now: a round killed before this point is redone from the sources' lists
        db.set_source_state(**state)
    report.run = writer.report
    report.finished_at = _now()
    return report


def _check(sources, fetcher: Fetcher, db: Database, writer: RunWriter, report: RoundReport,
           states: dict, stop: threading.Event | None = None) -> list[Target]:
    """Fetch and read every source (and the sitemaps indexes list); return the new article links to fetch.

    Each link's ``origin`` is the final URL of the source that listed it; ``states`` gets each source's row
    of ``web_sources`` under that URL. An index that is not modified still has its sitemaps checked (each
    conditionally): a site's news sitemap changes while its index stays the same.
    """
    links: dict[str, tuple[Target, SourceCheck]] = {}  # canonical URL -> link, and the source it came from
    level = [Target(url, "source") for url in sources]
    depth, seen = 0, set(sources)
    while level:
        below: list[Target] = []
        known = {t.url: db.source_state(t.url) for t in level}
        level = [replace(t, validators=known[t.url][0]) for t in level]
        for item in fetcher.fetch_all(level, XML_TYPES, wait=0.2):
            if stop is not None and stop.is_set():
                raise Stopped("stopped while checking the sources")
            if item is None:
                continue
            target, outcome = item
            check = SourceCheck(target.url)
            report.sources.append(check)
            state = {"url": target.url, "kind": None, "status": None, "links": 0, "error": None}
            sitemaps = []
            try:
                if isinstance(outcome, InputError):
                    raise outcome
                check.status = outcome.status
                if outcome.not_modified:
                    check.not_modified = True
                    sitemaps = known[target.url][1]
                else:
                    found = discover(outcome)
                    check.kind, check.links = found.kind, len(found.links) + len(found.sitemaps)
                    sitemaps = list(found.sitemaps[:MAX_SITEMAPS])
                    state.update(validators=(outcome.etag, outcome.last_modified), sitemaps=sitemaps)
                    for link in found.links:
                        links.setdefault(canonical_url(link.url), (link, check))
                origin = outcome.final_url
            except Exception as err:  # an InputError, or a bug on this source's bytes: the other sources go on
                failure = Failure.from_error(err, target.url)
                check.error = err.problem if isinstance(err, InputError) else failure.message
                check.status = getattr(err, "status", check.status)
                origin = target.url
                if not writer.done_before(target.url):
                    writer.settle(failure)
            state.update(kind=check.kind, status=check.status, links=check.links, error=check.error)
            states[origin] = state
            if depth < MAX_DEPTH:
                below.extend(Target(url, "sitemap", origin=origin) for url in sitemaps if url not in seen)
                seen.update(sitemaps)
        level, depth = below, depth + 1
    known = db.known_urls(list(links))
    fresh = []
    for url, (target, check) in links.items():
        if url not in known and not writer.done_before(target.url):
            fresh.append(target)
            check.new += 1
    return fresh


def watch(sources: list[str], db: Database, every: float | None = None, stop: threading.Event | None = None,
          on_round=None, **options) -> list[RoundReport]:
    """Run rounds over ``sources`` every ``every`` seconds (None: one round) until ``stop`` is set; return reports.

    ``options`` are ``watch_round``'s. A round that takes longer than
    ``every`` is followed by the next at once.
    """
    stop = stop or threading.Event()
    reports = []
    while True:
        began = time.monotonic()
        report = watch_round(sources, db, **options)
        reports.append(report)
        if on_round:
            on_round(report)
        if every is None or stop.wait(max(0.0, every - (time.monotonic() - began))):
            return reports


@dataclass
class _Job:
    id: int
    kind: str  # "round", "watch" (sources handed over) or "ingest" (paths and URLs handed over)
    inputs: list[str]
    state: str = "queued"
    submitted_at: str = field(default_factory=_now)
    finished_at: str | None = None
    summary: str | None = None
    error: str | None = None
    failed: int = 0  # inputs that failed

    def to_dict(self) -> dict:
        # Local paths by their file name only: the status is public to whoever reaches the server.
        inputs = [i if is_web_url(i) else Path(i).name for i in self.inputs[:20]]
        return {"id": self.id, "kind": self.kind, "inputs": inputs, "state": self.state,
                "submitted_at": self.submitted_at, "finished_at": self.finished_at, "summary": self.summary,
                "failed": self.failed, "error": self.error}


@dataclass(frozen=True)
class CollectOptions:
    """What a server's collector does: its sources and interval, and how it fetches and analyses."""

    sources: tuple[str, ...] = ()
    every: float | None = None  # seconds between rounds; None: one round at start (if there are sources)
    fetch: FetchOptions = FetchOptions()
    workers: int | None = 1
    model: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    time_budget: float | None = DEFAULT_TIME_BUDGET
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET


class Collector:
    """Collect into a store that a server holds: rounds over its sources every ``every`` seconds, and handed-over jobs.

    Runs in one thread of the server's process, writing through its own
    cursor of the server's ``Database`` (one process holds the file; the
    ``Database`` lock serialises writes), analysing in worker processes.
    ``on_stored`` gets the ids of stored articles (the server indexes them
    for search). ``status()`` says what it is doing, for the API and the UI.
    """

    def __init__(self, db: Database, options: CollectOptions = CollectOptions(), on_stored=None) -> None:
        self.sources = _check_sources(list(options.sources)) if options.sources else []
        self.every = options.every
        self._db = db
        self._on_stored = on_stored or (lambda _ids: None)
        self._options = {"fetch": options.fetch, "workers": options.workers, "model": options.model,
                         "max_bytes": options.max_bytes, "time_budget": options.time_budget,
                         "memory_budget": options.memory_budget}
        self._jobs: deque[_Job] = deque()
        self._done: deque[_Job] = deque(maxlen=20)
        self._failures: deque[dict] = deque(maxlen=50)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._next_id = 1
        self._current: _Job | None = None
        self._next_round: float | None = time.time() if self.sources else None
        self._last_round: dict | None = None
        self._thread = threading.Thread(target=self._loop, name="newsgraph-collector", daemon=True)

    def start(self) -> Collector:
        self._thread.start()
        return self

    def stop(self, timeout: float = 90.0) -> bool:
        """Stop after the current job's current page (a round ends resumable); return True if it has not ended yet."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        return self._thread.is_alive()

    def _index(self, ids: list[str]) -> None:
        try:
            self._on_stored(ids)
        except Exception as err:  # the store has them; search finds them after the next start
            with self._lock:
                self._failures.append({"source": "search index", "message": f"cannot index {len(ids)} articles "
                                       f"({type(err).__name__}: {err})", "at": _now(), "job": None})

    def submit(self, kind: str, inputs: list[str]) -> dict:
        """Queue a job handed over by another command (``watch`` sources, ``ingest`` paths and URLs); return it."""
        if kind not in ("watch", "ingest"):
            raise ValueError(f"unknown job kind '{kind}'")
        if kind == "watch":
            inputs = _check_sources(inputs)
        with self._lock:
            job = _Job(self._next_id, kind, list(inputs))
            self._next_id += 1
            self._jobs.append(job)
        self._wake.set()
        return job.to_dict()

    def job(self, job_id: int) -> dict | None:
        with self._lock:
            for job in (*self._done, *self._jobs, *([self._current] if self._current else [])):
                if job.id == job_id:
                    return job.to_dict()
        return None

    def status(self) -> dict:
        """Return what the collector does: sources, interval, current job, last and next round, recent failures."""
        with self._lock:
            return {
                "sources": self.sources,
                "every_seconds": self.every,
                "state": "collecting" if self._current else ("stopped" if self._stop.is_set() else "idle"),
                "current": self._current.to_dict() if self._current else None,
                "queued": [job.to_dict() for job in self._jobs],
                "last_round": self._last_round,
                "next_round": (datetime.fromtimestamp(self._next_round, timezone.utc).isoformat(timespec="seconds")
                               .replace("+00:00", "Z") if self._next_round else None),
                "recent_jobs": [job.to_dict() for job in reversed(self._done)],
                "failures": list(reversed(self._failures)),
            }

    def _loop(self) -> None:
        cursor = self._db.cursor()
        try:
            while not self._stop.is_set():
                job = self._take()
                if job is None:
                    wait = None if self._next_round is None else max(0.0, self._next_round - time.time())
                    self._wake.wait(wait)
                    self._wake.clear()
                    continue
                self._run(job, cursor)
        finally:
            cursor.close()

    def _take(self) -> _Job | None:
        with self._lock:
            if self._jobs:
                self._current = self._jobs.popleft()
            elif self._next_round is not None and time.time() >= self._next_round:
                self._current = _Job(self._next_id, "round", list(self.sources))
                self._next_id += 1
            return self._current

    def _run(self, job: _Job, db: Database) -> None:
        stored: list[str] = []

        def on_result(item) -> None:
            if isinstance(item, Article):
                stored.append(item.id)
                if len(stored) >= 8:  # searchable soon, not one index commit per article
                    self._index(stored[:])
                    stored.clear()
            elif isinstance(item, Failure):
                job.failed += 1
                with self._lock:
                    self._failures.append({"source": item.source, "message": item.message, "at": _now(),
                                           "job": job.id})

        began = time.time()
        job.state = "running"
        try:
            if job.kind == "ingest":
                result = ingest(job.inputs, db, on_result=on_result, command="serve: ingest handed over",
                                stop=self._stop, **self._options)
                job.summary = result.summary()
            else:
                report = watch_round(job.inputs, db, on_result=on_result, command=f"serve: watch ({job.kind})",
                                     stop=self._stop, **self._options)
                job.summary = report.summary()
                if job.kind == "round":
                    with self._lock:
                        self._last_round = {"started_at": report.started_at, "finished_at": report.finished_at,
                                            "summary": job.summary,
                                            "sources": [vars(check) for check in report.sources]}
            job.state = "done"
        except Stopped:
            job.state, job.error = "stopped", "the server stopped; the run resumes when it is handed over again"
        except InputError as err:
            job.state, job.error = "failed", str(err)
        except Exception as err:  # a bug or a store error: the server stays up, the next round tries again
            job.state, job.error = "failed", f"{type(err).__name__}: {err}"
        finally:
            if stored:
                self._index(stored)
            job.finished_at = _now()
            with self._lock:
                self._done.append(job)
                self._current = None
                if job.kind == "round":
                    self._next_round = began + self.every if self.every else None
                    if job.error:
                        self._last_round = {"started_at": job.submitted_at, "finished_at": job.finished_at,
                                            "summary": None, "error": job.error, "sources": []}


def local_paths(inputs: list[str]) -> list[str]:
    """Return ``inputs`` with local paths made absolute (a server handed them works from another folder)."""
    return [item if is_web_url(item) or item == "-" else str(Path(item).resolve()) for item in inputs]
