"""p50/p95 latency of the web UI's article page and the quote search on a large store.

    python benchmarks/latency.py                 # 10,000 articles, 200 requests each, one client
    python benchmarks/latency.py --clients 20    # 20 clients at once, each waiting for its answer
    python benchmarks/latency.py --articles 2000 --requests 100 --json
    python benchmarks/latency.py --store /tmp/large.duckdb   # build once, reuse on later runs

How the store is made: the bundled sample corpus (8 real analysed articles with
quotes, entities, events) is ingested once; then every table's rows are copied
with new article ids (and shifted dates) until the store holds ``--articles``
articles, so the server sees the row counts and index sizes of a real 10,000-
article store without 10,000 parses (about an hour on this machine). A real
``newsgraph serve`` process answers over HTTP on 127.0.0.1; the client measures
wall time per request after a warm-up. Quote searches use words that occur in
the corpus, so they return results.

With ``--clients N`` (default 1), N clients each send their share of the
``--requests`` one after another, all at once (a closed loop: a client sends its
next request when the last is answered), so the figures include waiting for
the server; errors (non-2xx answers, dropped connections) are counted, not
raised. The clients run in this process on one event loop, so on a small
machine they take some of the CPU the server could use. ``server_cpu_ms`` is
the server process's CPU time per request (Linux), which other work on the
machine does not change as it changes wall times: the cores divided by it is
the most requests per second the server can answer here. ``static_file`` (the
UI's style sheet) is the floor: what the clients and HTTP cost on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import httpx

from newsgraph import Database, Pipeline, ingest
from newsgraph.store import TABLES

# Tables whose rows belong to one article (copied per clone); the rest are corpus-wide.
PER_ARTICLE = [t for t in TABLES if t not in {"runs", "failures", "canonical_entities", "canonical_keys"}]
QUERIES = ["government", "workers", "drought", "protest", "union", "said", "water", "museum"]


def build_store(path: Path, n_articles: int) -> None:
    """Fill ``path`` with ``n_articles`` articles cloned from the analysed sample corpus."""
    sample = resources.files("newsgraph") / "data" / "sample"
    with Database(path) as db:
        with resources.as_file(sample) as folder:
            ingest([folder], db, Pipeline())
        base = db.counts()["articles"]
        copies = (n_articles - 1) // base
        conn = db.conn
        for table in PER_ARTICLE:
            column = "id" if table == "articles" else "article_id"
            cols = [r[0] for r in conn.execute(f"DESCRIBE {table}").fetchall()]
            select = []
            for c in cols:
                if c == column:
                    select.append(f"{c} || '-' || CAST(k AS VARCHAR)")
                elif table == "articles" and c == "published":
                    select.append("published - CAST(k AS INTEGER)")  # spread dates over the years
                elif (table, c) in {("articles", "source_hash"), ("journal", "source")}:
                    select.append(f"{c} || CAST(k AS VARCHAR)")  # the journal's key is (run_id, source)
                else:
                    select.append(c)
            conn.execute(
                f"INSERT INTO {table} SELECT {', '.join(select)} FROM {table}, range(1, ?) AS r(k)",
                [copies + 1],
            )
        print(f"store: {db.counts()['articles']:,} articles, {db.counts()['quotes']:,} quotes", file=sys.stderr)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(base_url: str, paths: list[str], requests: int, clients: int = 1, server_pid: int | None = None) -> dict:
    """Return p50/p95/max latency in ms, errors and requests/s over ``requests`` GETs by ``clients`` at once."""
    before = _cpu_seconds(server_pid)
    result = asyncio.run(_measure(base_url, paths, requests, clients))
    after = _cpu_seconds(server_pid)
    result["server_cpu_ms"] = (after - before) * 1000 / requests if before is not None and after is not None else None
    return result


def _cpu_seconds(pid: int | None) -> float | None:
    """Return the user + system CPU seconds process ``pid`` and its descendants (serve --workers) used, else None.

    Linux /proc only; a descendant that ended is not counted (the server's workers live as long as it).
    """
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we listed
    if pid not in stats:
        return None
    tree, grew = {pid}, True
    while grew:
        found = {p for p, fields in stats.items() if int(fields[1]) in tree}
        grew = not found <= tree
        tree |= found
    ticks = sum(int(stats[p][11]) + int(stats[p][12]) for p in tree)
    return ticks / os.sysconf("SC_CLK_TCK")


async def _measure(base_url: str, paths: list[str], requests: int, clients: int) -> dict:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        for path in paths[:5]:
            await client.get(path)  # warm-up (counted in server_cpu_ms: 5 requests)
        times: list[float] = []
        errors: list[str] = []
        todo = iter(range(requests))

        async def one_client() -> None:
            for i in todo:  # a shared iterator: each request index is taken by one client
                start = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                    if response.is_error:
                        errors.append(f"{response.status_code} {paths[i % len(paths)]}")
                except httpx.HTTPError as err:
                    errors.append(f"{type(err).__name__} {paths[i % len(paths)]}")
                times.append((time.perf_counter() - start) * 1000)

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[max(int(0.95 * len(times)) - 1, 0)],
            "max_ms": times[-1], "requests": requests, "clients": clients, "errors": len(errors),
            "error_examples": sorted(set(errors))[:5], "per_s": requests / elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per measurement, all clients together")
    parser.add_argument("--clients", type=int, default=1, help="clients sending at the same time")
    parser.add_argument("--store", type=Path, help="keep the built store here (reused when it exists)")
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for 'newsgraph serve' (repeat), e.g. --serve-arg=--workers=1")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.store or Path(tmp) / "large.duckdb"
        if not db_path.exists():
            build_store(db_path, args.articles)
        port = _port()
        server = subprocess.Popen(
            [sys.executable, "-m", "newsgraph", "serve", "--db", str(db_path), "--port", str(port), *args.serve_arg],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base_url, timeout=120) as client:
                for _ in range(600):
                    try:
                        if client.get("/api/stats").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.2)
                articles = client.get("/api/stats").json()["counts"]["articles"]
                ids = [i["id"] for i in client.get("/api/articles", params={"limit": 200}).json()["items"]]
            run = dict(requests=args.requests, clients=args.clients, server_pid=server.pid)
            results = {
                "articles": articles,
                "clients": args.clients,
                "cores": os.cpu_count(),
                "load": os.getloadavg()[0],  # other work on the machine, before the measurements
                "article_page": measure(base_url, [f"/articles/{i}" for i in ids], **run),
                "quote_search": measure(base_url, [f"/api/quotes?q={q}" for q in QUERIES], **run),
                "quote_search_page": measure(base_url, [f"/quotes?q={q}" for q in QUERIES], **run),
                # The floor: a static file costs the server ~2 ms, so its figures are the clients' and HTTP's.
                "static_file": measure(base_url, ["/static/ui.css"], **run),
            }
        finally:
            server.terminate()
            server.wait(30)
    if args.json:
        print(json.dumps(results))
    else:
        print(f"{results['articles']:,} articles, {args.clients} client(s) at once, {results['cores']} cores, "
              f"load {results['load']:.1f} before")
        for name in ("article_page", "quote_search", "quote_search_page", "static_file"):
            r = results[name]
            cpu = f"   server CPU {r['server_cpu_ms']:5.1f} ms/request" if r["server_cpu_ms"] is not None else ""
            print(f"  {name:18} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   max {r['max_ms']:7.1f} ms"
                  f"   {r['per_s']:6.1f} req/s   errors {r['errors']}/{r['requests']}{cpu}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
