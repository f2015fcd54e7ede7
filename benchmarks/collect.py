"""Web collection speed: polite fetching across hosts, and whether fetching overlaps parsing.

Usage: python benchmarks/collect.py [--delay 0.5] [--pages 20] [--latency 0.05] [--workers 2]
                                    [--hosts 1,8] [--overlap-hosts N] [--reps 2] [--json]

    python benchmarks/collect.py                  # the defaults: ~2 minutes on 2 quiet cores
    python benchmarks/collect.py --delay 0.2      # a shorter delay: more pages/s, analysis-bound sooner
    python benchmarks/collect.py --hosts 1,4,8 --pages 40 --json

Every "host" is a local ``NewsSite`` (``tests/ingest/web/site.py``) on
127.0.0.1 and a port of its own: newsgraph keys hosts by ``scheme://name:port``,
so distinct ports are distinct hosts for politeness. Each site answers after
``--latency`` seconds; sites have distinct names, hence distinct articles (no
duplicates skipped). Nothing leaves 127.0.0.1.

1. **fetch only**, for each ``--hosts`` count: ``Fetcher.fetch_all`` over
   ``--pages`` article URLs per host with ``FetchOptions(delay=D)`` (each host's
   robots.txt is one more request). Prints pages, seconds, pages/s and two
   bounds: ``hosts / (delay + latency + transfer)`` (``delay`` counted from the
   end of the previous answer, as ``FetchOptions.delay`` is documented: the
   politeness bound) and ``hosts / max(delay, latency + transfer)`` (what
   requests ``delay`` apart start to start would allow), with ``latency + transfer`` the mean request time the
   fetcher logged and ``hosts`` capped at ``FetchOptions.connections``. From
   the sites' own logs (arrival and end of each answer, per host): the least
   start-to-start gap between two requests (must be >= delay: "polite"), the
   least idle gap (end of one answer to the next arrival; the site notes an
   answer's end after writing it, when the client may already have it, so
   this can read a few ms under the delay), the most requests in progress at
   once (must be 1) and the client connections used.
2. **overlap**, for ``--overlap-hosts`` hosts (default: the largest
   ``--hosts``): (a) fetch only (as in 1); (b) analyse only: the same pages,
   already in memory as ``RawDocument``, through ``run_workers(docs,
   workers=W)``, timed from the moment the first worker reports its model
   loaded (``on_ready``) to the last result; the model start-up ``S`` (the
   call to that moment, W processes loading at once) is reported beside it;
   (c) the whole ``ingest(urls, Database(fresh), workers=W,
   fetch=FetchOptions(delay=D))`` on fresh sites: fetch, model start-up,
   analysis and store writes. Fetching one page while parsing another gives
   ``c`` near ``max(a, b)``; one after the other, ``a + b``. Compared both
   with ``b`` alone (``overlap = (a + b - c) / min(a, b)``) and with ``S + b``
   (``c`` contains its own start-up: a serial run is ``a + S + b``).

   Inside (c) (``run.batch.run_workers`` is wrapped for the run, to time it;
   nothing else changes): its own start-up and analysis span; the seconds
   analysis was starved (fewer documents in the pool than workers while pages
   were still to come: the fetch not keeping up); and from the sites' logs
   when fetching ended, how many requests came before the first worker was
   ready, and the longest pause between two requests to any host (fetching
   waits while nothing takes pages: ``fetch_all`` runs at most ``ahead`` = 16
   pages ahead of its reader, and ``run_workers`` takes none until a worker
   has loaded its model).

   ``--reps`` rounds of (a), (b), (c) (default 2; round 1 reuses the section
   1 fetch of that host count as its (a)); the comparisons use the medians,
   and each round's own overlap (with ``S + b``) is printed too.

Each phase reports the CPU seconds of this process and its workers (the sites
run in this process, as threads: their CPU is counted too, a few percent) and
the cores other work kept busy meanwhile (``/proc/stat``): on a shared 2-core
machine another job's tests can double a phase's time, so read the figures
against that column.

``--json`` prints one JSON object instead of the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.ingest.web.site (a bare "site" is the stdlib module)

from newsgraph.ingest.web import Fetcher, FetchOptions, Target, page_document  # noqa: E402
from newsgraph.models import Article  # noqa: E402
from tests.ingest.web.site import NewsSite  # noqa: E402

EPSILON = 0.001  # seconds: float noise allowed when comparing gaps with the delay


class Meter:
    """Wall time, this process's CPU (its reaped children, the workers, included) and the other CPU on the machine.

    ``others`` (cores busy on average) is the machine's busy time (/proc/stat)
    minus ours, over the wall time: other work competing for the cores.
    """

    def __enter__(self) -> Meter:
        self._wall, self._ours, self._busy = time.perf_counter(), _our_cpu(), _machine_busy()
        self._main = _our_cpu(children=False)
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = _our_cpu() - self._ours
        self.main_cpu = _our_cpu(children=False) - self._main
        busy = _machine_busy()
        self.others = None if busy is None or self._busy is None else max(0.0, busy - self._busy - self.cpu) / self.wall

    def as_dict(self) -> dict:
        return {"cpu": self.cpu, "main_cpu": self.main_cpu, "others_cores": self.others}


def _our_cpu(children: bool = True) -> float:
    """CPU seconds of this process (threads included) and, with ``children``, of its ended worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += kids.ru_utime + kids.ru_stime
    return total


def _machine_busy() -> float | None:
    """CPU seconds the whole machine has been busy since boot (Linux), else None."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal (guest is inside user)
    return busy / os.sysconf("SC_CLK_TCK")


class TimedSite(NewsSite):
    """A ``NewsSite`` that also logs when each answer ends, from which client port, and how many run at once.

    Hooks the site's private ``_received`` (called once a request's headers are
    read, before ``latency``) and ``_route`` (writes the whole answer).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spans: list[tuple[float, float, int, str]] = []  # (arrived, answered, client port, path)
        self.in_flight = 0
        self.max_in_flight = 0

    def _received(self, handler) -> int:
        index = super()._received(handler)
        handler.bench_arrived = time.monotonic()
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return index

    def _route(self, h) -> None:
        try:
            return super()._route(h)
        finally:
            end = time.monotonic()
            with self._lock:
                self.in_flight -= 1
                self.spans.append((getattr(h, "bench_arrived", end), end, h.client_address[1], h.path))


def start_sites(stack: ExitStack, hosts: int, pages: int, latency: float, tag: str) -> list[TimedSite]:
    return [stack.enter_context(TimedSite(articles=max(60, pages), name=f"{tag}{i}", latency=latency))
            for i in range(hosts)]


def round_robin(sites: list[TimedSite], pages: int) -> list[str]:
    """The first ``pages`` article URLs of each site, interleaved host by host (as a URL list would mix them)."""
    per_site = [site.article_urls[:pages] for site in sites]
    return [urls[i] for i in range(pages) for urls in per_site]


def politeness(sites: list[TimedSite], delay: float) -> dict:
    """Per host, from the site's log: least start-to-start and idle gaps, most at once, connections used."""
    hosts = []
    for site in sites:
        with site._lock:
            spans = sorted(site.spans)
            most = site.max_in_flight
        starts = [s[0] for s in spans]
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        idle = [nxt[0] - cur[1] for cur, nxt in zip(spans, spans[1:])]
        hosts.append({"host": site.base, "requests": len(spans), "min_gap": min(gaps, default=None),
                      "min_idle": min(idle, default=None), "max_in_flight": most,
                      "connections": len({s[2] for s in spans})})
    gaps = [h["min_gap"] for h in hosts if h["min_gap"] is not None]
    idles = [h["min_idle"] for h in hosts if h["min_idle"] is not None]
    return {
        "hosts": hosts,
        "min_gap": min(gaps, default=None),
        "min_idle": min(idles, default=None),
        "max_in_flight": max(h["max_in_flight"] for h in hosts),
        "connections": sorted({h["connections"] for h in hosts}),
        "gap_ok": all(g >= delay - EPSILON for g in gaps),
        "one_at_a_time": all(h["max_in_flight"] <= 1 for h in hosts),
    }


def fetch_only(hosts: int, pages: int, delay: float, latency: float) -> dict:
    """Fetch ``pages`` articles from each of ``hosts`` fresh sites; time it, check politeness, keep the documents."""
    options = FetchOptions(delay=delay)
    with ExitStack() as stack:
        sites = start_sites(stack, hosts, pages, latency, "fetch")
        urls = round_robin(sites, pages)
        records = []
        lock = threading.Lock()

        def log(record) -> None:
            with lock:
                records.append(record)

        docs, errors = [], []
        with Fetcher(options, on_request=log) as fetcher, Meter() as meter:
            for target, outcome in fetcher.fetch_all([Target(u) for u in urls]):
                if isinstance(outcome, Exception):
                    errors.append(str(outcome))
                else:
                    docs.append(page_document(outcome, target))
        seconds = meter.wall
        check = politeness(sites, delay)
    request_s = sum(r.seconds for r in records) / len(records) if records else 0.0
    active = min(hosts, options.connections)
    return {
        "hosts": hosts, "pages": len(docs), "errors": len(errors), "error_examples": errors[:3],
        "requests": len(records), "seconds": seconds, "pages_per_s": len(docs) / seconds,
        "request_s": request_s,
        "bound_start_to_start": active / max(delay, request_s),
        "bound_end_to_start": active / (delay + request_s),
        "politeness": check, **meter.as_dict(), "docs": docs,
    }


def analyse_only(docs: list, workers: int) -> dict:
    """``run_workers`` over documents in memory: model start-up (call -> first worker ready) and analysis after it."""
    from newsgraph.run.local import run_workers

    marks: dict[str, float] = {}
    began = time.perf_counter()

    def ready(_info) -> None:
        marks.setdefault("ready", time.perf_counter())

    articles = failures = 0
    with Meter() as meter:
        for result in run_workers(docs, workers, on_ready=ready):
            marks.setdefault("first", time.perf_counter())
            if isinstance(result, Article):
                articles += 1
            else:
                failures += 1
        end = time.perf_counter()
    ready_at = marks.get("ready", began)
    return {"docs": len(docs), "articles": articles, "failures": failures, "startup": ready_at - began,
            "seconds": end - ready_at, "from_first_result": end - marks.get("first", end),
            "total": end - began, **meter.as_dict()}


def whole_ingest(hosts: int, pages: int, delay: float, latency: float, workers: int) -> dict:
    """``ingest(urls, Database(fresh), workers=W, fetch=FetchOptions(delay=D))`` on fresh sites, with a timeline.

    To see inside the run, ``newsgraph.run.batch.run_workers`` is wrapped for
    its duration (nothing else changes): when the pool was started, when its
    first worker was ready, when each fetched document was handed to the pool
    and when each result came back.
    """
    from newsgraph.run import batch
    from newsgraph.store import Database

    marks: dict[str, float] = {}
    fed: list[float] = []
    results: list[float] = []
    real_run_workers = batch.run_workers

    def run_workers(docs, workers, **kwargs):
        on_ready = kwargs.get("on_ready")
        marks["call"] = time.monotonic()

        def ready(info):
            marks.setdefault("ready", time.monotonic())
            if on_ready:
                on_ready(info)

        def handed(docs=docs):
            for doc in docs:
                if doc is not None:
                    fed.append(time.monotonic())
                yield doc

        for result in real_run_workers(handed(), workers, **{**kwargs, "on_ready": ready}):
            results.append(time.monotonic())
            yield result

    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        sites = start_sites(stack, hosts, pages, latency, "fetch")  # the same names: the same articles as (a)
        urls = round_robin(sites, pages)
        settled: list[float] = []  # monotonic time of each result the run stored
        with Database(Path(tmp) / "collect.duckdb") as db:
            batch.run_workers = run_workers
            try:
                began = time.monotonic()
                with Meter() as meter:
                    report = batch.ingest(urls, db, workers=workers, fetch=FetchOptions(delay=delay),
                                          on_result=lambda _item: settled.append(time.monotonic()))
            finally:
                batch.run_workers = real_run_workers
            fetches = db.query("SELECT count(*) FROM fetches")[0][0]
        check = politeness(sites, delay)
        spans = sorted(span for site in sites for span in site.spans)
    starts = [s[0] for s in spans]
    pauses = [(b - a, a - began) for a, b in zip(starts, starts[1:])]
    longest = max(pauses, default=(0.0, 0.0))

    def rel(t: float | None) -> float | None:
        return None if t is None else t - began

    ready = marks.get("ready")
    return {
        "starved": _starved(ready, fed, results, workers) if ready and fed else None,
        "hosts": hosts, "urls": len(urls), "seconds": meter.wall, "stored": len(report.stored) + len(report.copies),
        "duplicates": len(report.duplicates), "failures": len(report.failures),
        "failure_examples": [f.message for f in report.failures[:3]],
        "fetch_log_rows": fetches, "site_requests": len(spans),
        "fetch_began": rel(starts[0] if starts else None), "fetch_ended": rel(spans[-1][1] if spans else None),
        "longest_pause": longest[0], "longest_pause_at": longest[1],
        "pool_started": rel(marks.get("call")), "ready": rel(ready),
        "startup": (ready - marks["call"]) if ready and "call" in marks else None,
        "analysis": (results[-1] - ready) if ready and results else None,
        "requests_before_ready": sum(1 for t in starts if ready and t < ready),
        "first_handed": rel(fed[0] if fed else None), "last_handed": rel(fed[-1] if fed else None),
        "first_stored": rel(settled[0] if settled else None), "last_stored": rel(settled[-1] if settled else None),
        "politeness": check, **meter.as_dict(),
    }


def _starved(ready: float, handed: list[float], done: list[float], workers: int) -> float:
    """Seconds from ``ready`` to the last document handed over with fewer than ``workers`` documents in the pool.

    In the pool = handed to ``run_workers`` and no result back yet (results come
    back in input order, so this counts a finished document that waits for an
    earlier one as still in the pool: it errs towards "busy"). Starved time is
    analysis waiting for pages; after the last page only the tail is left.
    """
    events = sorted([(t, 1) for t in handed] + [(t, -1) for t in done])
    end = handed[-1]
    inside, last, starved = 0, ready, 0.0
    for t, step in events:
        if t > end:
            break
        if t > last:
            if inside < workers:
                starved += t - last
            last = t
        inside += step
    return starved


def overlap(a: float, b: float, c: float) -> dict:
    serial, parallel = a + b, max(a, b)
    return {"a": a, "b": b, "c": c, "serial": serial, "parallel": parallel,
            "closer_to": "max(a, b)" if abs(c - parallel) < abs(c - serial) else "a + b",
            "share": (a + b - c) / min(a, b) if min(a, b) > 0 else None}


def overlap_runs(first_fetch: dict | None, hosts: int, args) -> dict:
    """``--reps`` rounds of (a) fetch only, (b) analyse only, (c) ingest; the comparisons on their medians."""
    reps = []
    for rep in range(args.reps):
        a = first_fetch if rep == 0 and first_fetch else fetch_only(hosts, args.pages, args.delay, args.latency)
        b = analyse_only(a["docs"], args.workers)
        c = whole_ingest(hosts, args.pages, args.delay, args.latency, args.workers)
        print(f"overlap round {rep + 1}: a {a['seconds']:.1f} s, start-up {b['startup']:.1f} s, b {b['seconds']:.1f} s,"
              f" c {c['seconds']:.1f} s", file=sys.stderr)
        reps.append({"a": {k: v for k, v in a.items() if k != "docs"}, "b": b, "c": c})
    med = {key: statistics.median(r[part][field] or 0.0 for r in reps)
           for key, part, field in (("a", "a", "seconds"), ("S", "b", "startup"), ("b", "b", "seconds"),
                                    ("c", "c", "seconds"))}
    return {"hosts": hosts, "reps": reps, "median": med,
            "plain": overlap(med["a"], med["b"], med["c"]),
            "with_startup": overlap(med["a"], med["S"] + med["b"], med["c"])}


def _f(value, fmt: str = "6.2f") -> str:
    return "-" if value is None else format(value, fmt)


def print_tables(results: dict) -> None:
    args = results["options"]
    print(f"delay {args['delay']:g} s, latency {args['latency']:g} s, {args['pages']} pages per host, "
          f"{args['workers']} workers, {results['cores']} cores, load {results['load']:.1f} before")
    print()
    print("1. fetch only (Fetcher.fetch_all). bound s-s: hosts/max(delay, req); e-s: hosts/(delay + req); "
          "req: mean request time;")
    print("   min gap: least start-to-start gap at one host; min idle: end of an answer to the next request; "
          "others: cores busy with other work")
    print("  hosts  pages  reqs  seconds  pages/s  bound s-s  bound e-s  of e-s  req ms  min gap  min idle  "
          "at once  conns  polite  cpu s  others")
    for r in results["fetch"]:
        p = r["politeness"]
        polite = "ok" if p["gap_ok"] and p["one_at_a_time"] else "VIOLATED"
        print(f"  {r['hosts']:5d}  {r['pages']:5d}  {r['requests']:4d}  {r['seconds']:7.2f}  {r['pages_per_s']:7.2f}"
              f"  {r['bound_start_to_start']:9.2f}  {r['bound_end_to_start']:9.2f}"
              f"  {r['pages_per_s'] / r['bound_end_to_start']:6.0%}  {r['request_s'] * 1000:6.1f}"
              f"  {_f(p['min_gap'], '7.3f'):>7}  {_f(p['min_idle'], '8.3f'):>8}  {p['max_in_flight']:7d}"
              f"  {','.join(map(str, p['connections'])):>5}  {polite:>6}  {r['cpu']:5.1f}"
              f"  {_f(r['others_cores'], '6.2f'):>6}")
        if r["errors"]:
            print(f"         {r['errors']} fetch errors, e.g. {r['error_examples'][0]}")
    o = results.get("overlap")
    if not o:
        return
    print()
    print(f"2. fetching overlaps parsing: {o['hosts']} hosts x {args['pages']} pages, {args['workers']} workers, "
          f"{len(o['reps'])} round(s)")
    for line in (
        "(a) fetch only; (S) model start-up: run_workers() called -> first worker ready; (b) analyse only (pages in",
        "memory): first worker ready -> last result; (c) ingest(urls, fresh store): fetch, start-up, analyse, store.",
        "Inside (c), seconds from its start: c:pool the first page is in and the workers start; c:S its own start-up;",
        "c:b first worker ready -> last result; starved: seconds after c:S with fewer documents in the pool than",
        "workers while pages were still coming (analysis waiting for the fetch); fetch end: the last answer;",
        "req<ready: requests the sites got before a worker was ready; pause: the longest gap between two requests (to",
        "any host) and when it began. cpu: ours incl. workers (main: the ingest process alone); others: cores other",
        "work kept busy. overlap S+b: this round's (a + S + b - c) / min(a, S + b).",
    ):
        print("   " + line)
    print("  round    (a)    (S)    (b)    (c) c:pool c:S   c:b starved  fetch end  req<ready  pause (at)"
          "   cpu a/b/c (main)   others a/b/c     overlap S+b")
    for i, r in enumerate(o["reps"], start=1):
        a, b, c = r["a"], r["b"], r["c"]
        others = "/".join(_f(x["others_cores"], ".2f") for x in (a, b, c))
        with_s = overlap(a["seconds"], b["startup"] + b["seconds"], c["seconds"])["share"]
        print(f"  {i:5d} {a['seconds']:6.2f} {b['startup']:6.2f} {b['seconds']:6.2f} {c['seconds']:6.2f}"
              f" {_f(c['pool_started'], '6.2f')} {_f(c['startup'], '4.1f')} {_f(c['analysis'], '5.1f')}"
              f" {_f(c['starved'], '7.1f')}  {_f(c['fetch_ended'], '9.2f')}  {c['requests_before_ready']:9d}"
              f"  {c['longest_pause']:4.1f} ({c['longest_pause_at']:4.1f})"
              f"  {a['cpu']:4.1f}/{b['cpu']:4.1f}/{c['cpu']:4.1f} ({c['main_cpu']:3.1f})   {others:15}"
              f"  {_f(with_s, '5.0%'):>11}")
    for r in o["reps"]:
        b, c = r["b"], r["c"]
        notes = []
        if b["failures"] or c["failures"] or c["duplicates"] or c["stored"] != c["urls"]:
            notes.append(f"analysed {b['articles']} articles + {b['failures']} failures; ingest stored {c['stored']} "
                         f"of {c['urls']}, {c['duplicates']} duplicates, {c['failures']} failed")
        notes += [f"failure: {e}" for e in c["failure_examples"]]
        if not (c["politeness"]["gap_ok"] and c["politeness"]["one_at_a_time"]):
            notes.append(f"POLITENESS VIOLATED during (c): min gap {c['politeness']['min_gap']:.3f} s, "
                         f"at once {c['politeness']['max_in_flight']}")
        for note in notes:
            print(f"         {note}")
    m = o["median"]
    label = "median" if len(o["reps"]) > 1 else "      "
    for name, key in (("b    ", "plain"), ("S + b", "with_startup")):
        v = o[key]
        print(f"  {label} with b = {name}: a {v['a']:6.2f}  b {v['b']:6.2f}  c {v['c']:6.2f}   max(a, b) "
              f"{v['parallel']:6.2f}  a + b {v['serial']:6.2f}  -> c is closer to {v['closer_to']:9}  "
              f"overlap (a+b-c)/min(a,b) {_f(v['share'], '4.0%')}")
    print(f"  (S = {m['S']:.2f} s: c contains its own model start-up, so the 'S + b' line compares like with like)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.5,
                        help="FetchOptions.delay: seconds between requests to a host")
    parser.add_argument("--pages", type=int, default=20, help="article pages fetched per host")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each site waits before any answer")
    parser.add_argument("--workers", type=int, default=2, help="analysis worker processes")
    parser.add_argument("--hosts", default="1,8", help="host counts for the fetch-only runs, comma-separated")
    parser.add_argument("--overlap-hosts", type=int, help="hosts for the overlap runs (default: the largest --hosts;"
                        " 0: skip them)")
    parser.add_argument("--reps", type=int, default=2, help="rounds of the overlap runs (a, b, c); medians compared")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.hosts.split(",") if x.strip()]
    overlap_hosts = max(counts) if args.overlap_hosts is None else args.overlap_hosts
    results: dict = {"options": {"delay": args.delay, "pages": args.pages, "latency": args.latency,
                                 "workers": args.workers, "hosts": counts, "overlap_hosts": overlap_hosts,
                                 "reps": args.reps},
                     "cores": os.cpu_count(), "load": os.getloadavg()[0]}
    runs = {}
    for hosts in counts:
        runs[hosts] = fetch_only(hosts, args.pages, args.delay, args.latency)
        print(f"fetched {hosts} host(s): {runs[hosts]['seconds']:.1f} s", file=sys.stderr)
    results["fetch"] = [{k: v for k, v in runs[h].items() if k != "docs"} for h in counts]
    if overlap_hosts and args.reps > 0:
        results["overlap"] = overlap_runs(runs.get(overlap_hosts), overlap_hosts, args)
    if args.json:
        print(json.dumps(results, default=str))
    else:
        print_tables(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
