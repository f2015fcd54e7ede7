"""p50/p95 latency of the web UI's article page and the quote search on a large store.

    python benchmarks/latency.py                 # 10,000 articles, 200 requests each
    python benchmarks/latency.py --articles 2000 --requests 100 --json

How the store is made: the bundled sample corpus (8 real analysed articles with
quotes, entities, events) is ingested once; then every table's rows are copied
with new article ids (and shifted dates) until the store holds ``--articles``
articles, so the server sees the row counts and index sizes of a real 10,000-
article store without 10,000 parses (about an hour on this machine). A real
``newsgraph serve`` process answers over HTTP on 127.0.0.1; the client measures
wall time per request after a warm-up. Quote searches use words that occur in
the corpus, so they return results.
"""

from __future__ import annotations

import argparse
import json
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
                elif table == "articles" and c == "source_hash":
                    select.append("source_hash || CAST(k AS VARCHAR)")
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


def measure(client: httpx.Client, paths: list[str], requests: int) -> dict:
    """Return p50/p95/max latency in ms over ``requests`` GETs cycling through ``paths``."""
    for path in paths[:5]:
        client.get(path)  # warm-up
    times = []
    for i in range(requests):
        start = time.perf_counter()
        response = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * len(times)) - 1], "max_ms": times[-1],
            "requests": requests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "large.duckdb"
        build_store(db_path, args.articles)
        port = _port()
        server = subprocess.Popen(
            [sys.executable, "-m", "newsgraph", "serve", "--db", str(db_path), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
            for _ in range(600):
                try:
                    if client.get("/api/stats").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            ids = [i["id"] for i in client.get("/api/articles", params={"limit": 200}).json()["items"]]
            results = {
                "articles": args.articles,
                "article_page": measure(client, [f"/articles/{i}" for i in ids], args.requests),
                "quote_search": measure(client, [f"/api/quotes?q={q}" for q in QUERIES], args.requests),
                "quote_search_page": measure(client, [f"/quotes?q={q}" for q in QUERIES], args.requests),
            }
        finally:
            server.terminate()
            server.wait(30)
    if args.json:
        print(json.dumps(results))
    else:
        print(f"{args.articles:,} articles")
        for name in ("article_page", "quote_search", "quote_search_page"):
            r = results[name]
            print(f"  {name:18} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   max {r['max_ms']:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
