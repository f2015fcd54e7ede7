"""Does memory stay flat as a run grows? Resident memory of the writer and each worker, 1,000 to 20,000 articles.

Usage: python benchmarks/memory.py [--articles 20000] [--workers N] [--json]

The corpus is written on the fly as one JSONL file: each article is 6 to 10
sentences drawn at random from the bundled sample corpus's articles (real news
prose with quotes, names, dates and places), so no two articles are the same
and none is a near-duplicate copy of another. The run is a real
``newsgraph.ingest`` into a DuckDB file with local worker processes. Every
``SAMPLE_EVERY`` stored articles we read the resident memory (VmRSS) of this
process (the one writer: queues, reorder buffer, DuckDB) and of each worker,
and report the highest reading of each 1,000 articles: the writer reopens the
store every 1,000 articles (``run.batch.RECONNECT_EVERY``), so a reading taken
just then is the low point of its cycle, not its high one. The first 1,000
articles and the last are compared. Each report also has DuckDB's own account
of its memory in the writer (``duckdb_memory()``: ``base_table`` is its cache of
table blocks, ``art_index`` the indexes), read at the report.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from newsgraph import Database
from newsgraph.extract import extract
from newsgraph.ingest import collect_files, iter_documents
from newsgraph.models import Article, RawDocument
from newsgraph.run import ingest

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "data" / "sample"
# Articles between readings of /proc (a few microseconds each).
SAMPLE_EVERY = 50
_SENTENCE = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")


def _sentences() -> list[str]:
    found = []
    for item in iter_documents(collect_files([SAMPLE])):
        if isinstance(item, RawDocument):
            for para in extract(item).paragraphs:
                found.extend(s.strip() for s in _SENTENCE.split(para) if len(s.split()) >= 6)
    return found


def write_corpus(path: Path, articles: int, seed: int = 1) -> None:
    """Write ``articles`` JSONL records of shuffled sample sentences to ``path``."""
    pool = _sentences()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(articles):
            picked = rng.sample(pool, rng.randint(6, 10))
            text = "\n\n".join(" ".join(picked[j:j + 2]) for j in range(0, len(picked), 2))
            record = {"id": f"m{i}", "title": f"Story {i}", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      "text": text}
            out.write(json.dumps(record) + "\n")


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--every", type=int, default=1_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("error: reads /proc (Linux only)", file=sys.stderr)
        return 1
    samples: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, args.articles)
        done = 0
        start = time.perf_counter()
        writer_peak, worker_peak = 0.0, {}

        def on_result(result) -> None:
            nonlocal done, writer_peak, worker_peak
            done += 1
            if done % SAMPLE_EVERY == 0:
                writer_peak = max(writer_peak, _rss_mb(os.getpid()) or 0.0)
                # The multiprocessing resource tracker is a child too: workers are the big ones.
                for pid in _children(os.getpid()):
                    mb = _rss_mb(pid)
                    if mb and mb > 100:
                        worker_peak[pid] = max(worker_peak.get(pid, 0.0), mb)
            if done % args.every == 0:
                # DuckDB's own account of the writer's share: cached table blocks, indexes, ...
                duckdb_mb = {tag.lower(): round(size / 2**20, 1) for tag, size in db.query(
                    "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes >= 2^20")}
                samples.append({"articles": done, "seconds": round(time.perf_counter() - start, 1),
                                "writer_rss_mb": round(writer_peak, 1),
                                "worker_rss_mb": [round(m, 1) for m in worker_peak.values()],
                                "writer_duckdb_mb": duckdb_mb})
                writer_peak, worker_peak = 0.0, {}
                if not args.json:
                    print(samples[-1], flush=True)

        with Database(Path(tmp) / "memory.duckdb") as db:
            report = ingest([corpus], db, workers=args.workers, on_result=on_result)
            db_mb = os.path.getsize(db.path) / 2**20
    first, last = samples[0], samples[-1]
    result = {
        "articles": len(report.stored) + len(report.copies), "copies": len(report.copies),
        "failed": len(report.failures), "workers": args.workers, "store_mb": round(db_mb, 1),
        "seconds": last["seconds"], "samples": samples,
        "writer_growth": round(last["writer_rss_mb"] / first["writer_rss_mb"], 3),
        "worker_growth": round(max(last["worker_rss_mb"]) / max(first["worker_rss_mb"]), 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['articles']} articles in {result['seconds']} s, store {result['store_mb']} MB; "
              f"RSS at {first['articles']} -> {last['articles']} articles: writer {first['writer_rss_mb']} -> "
              f"{last['writer_rss_mb']} MB (x{result['writer_growth']}), workers {first['worker_rss_mb']} -> "
              f"{last['worker_rss_mb']} MB (x{result['worker_growth']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
