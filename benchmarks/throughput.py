"""Throughput of ingest with 1 and N local workers, and on Ray, against plain spaCy ``nlp.pipe`` (the ceiling).

Usage: python benchmarks/throughput.py [--data DIR] [--workers N] [--reps N] [--no-ray] [--json]

1. **ceiling**: the texts newsgraph's model reads (each page's English article
   text; pages refused as not English or not articles are left out, as newsgraph
   leaves them) through the full spaCy model, no newsgraph components, with
   ``nlp.pipe(n_process=N)``.
2. **newsgraph, 1 worker**: raw pages -> temp DuckDB, in-process.
3. **newsgraph, N workers**: the same, with N local worker processes; peak RSS
   per worker is read from /proc/<pid>/status (VmHWM).
4. **newsgraph on Ray**: the same with ``engine="ray"`` on a local Ray with N
   actors (if the ``ray`` extra is installed).

Each newsgraph run is a fresh Python process, as a user's command is (no model
or cache left warm by an earlier run). ``articles_per_s`` (and ``ratio``,
``scaling_1_to_n``) count from the moment the model is loaded (in-process, or
the first worker reports ready) to the last article stored, like the ceiling,
whose forked processes start with the model loaded; the ``*_end_to_end`` rates
include the model loads, as a user waits for them. Ray is end to end only. The
ceiling and both local runs are repeated ``--reps`` times (default 3),
interleaved, and the median rates kept: on a 2-core machine one run varies by
10% or more. Peak RSS is over every worker of every repetition.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "extraction" / "dev" / "html"


def _texts(data: Path) -> list[str]:
    """Return the texts newsgraph's model reads: each page's English article text (others are refused)."""
    from newsgraph.errors import NewsgraphError
    from newsgraph.ingest import iter_documents
    from newsgraph.models import RawDocument
    from newsgraph.pipeline import prepare

    texts = []
    for item in iter_documents([data]):
        if isinstance(item, RawDocument):
            try:
                texts.append(prepare(item)[1])
            except NewsgraphError:
                pass
    return texts


def _ceiling(texts: list[str], workers: int) -> float:
    import spacy

    from newsgraph.annotate.nlp import resolve_model_name

    nlp = spacy.load(resolve_model_name())
    start = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=workers, batch_size=16):
        pass
    return time.perf_counter() - start


def _newsgraph(data: Path, workers: int, stats: dict, engine: str = "local") -> tuple[float, float, int, int]:
    """Return (end-to-end seconds, seconds after the model was loaded, articles stored, words).

    Runs in a fresh Python process, as a user's ``newsgraph ingest`` would: no
    model, lexicon or cache left warm by an earlier measurement. ``stats``
    receives ``peak_rss_mb`` per worker.
    """
    command = [sys.executable, __file__, "--data", str(data), "--workers", str(workers), "--one", engine]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    stats["peak_rss_mb"] = {int(pid): mb for pid, mb in result["peak_rss_mb"].items()}
    return result["seconds"], result["steady_seconds"], result["articles"], result["words"]


def _one(data: Path, workers: int, engine: str) -> None:
    """Measure one ingest in this process and print it as JSON (the child side of ``_newsgraph``)."""
    from newsgraph.pipeline import Pipeline
    from newsgraph.run import batch
    from newsgraph.store import Database

    real_run_workers = batch.run_workers
    ready: list[float] = []
    stats: dict = {}

    def run_workers(*args, on_ready=None, **kwargs):  # collect the workers' peak RSS and when they were ready
        def note_ready(info):
            ready.append(time.perf_counter())
            on_ready(info)

        return real_run_workers(*args, stats=stats, on_ready=note_ready, **kwargs)

    batch.run_workers = run_workers
    with tempfile.TemporaryDirectory() as tmp, Database(Path(tmp) / "bench.duckdb") as db:
        start = time.perf_counter()
        pipeline = None
        if engine == "local" and workers == 1:
            pipeline = Pipeline()  # the model load, in this process
            ready.append(time.perf_counter())
        report = batch.ingest([data], db, pipeline, workers=workers, engine=engine)
        end = time.perf_counter()
        words = db.query("SELECT coalesce(sum(len(string_split(text, ' '))), 0) FROM articles")[0][0]
    print(json.dumps({
        "seconds": end - start, "steady_seconds": end - ready[0] if ready else end - start,
        "articles": len(report.stored) + len(report.copies), "words": words,
        "peak_rss_mb": stats.get("peak_rss_mb", {}),
    }))


def _median_run(runs: list[tuple[float, float, int, int]]) -> tuple[float, float, int, int]:
    """Return the run with the median steady rate."""
    return sorted(runs, key=lambda r: r[2] / r[1])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray engine")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each local measurement (median kept)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", choices=("local", "ray"), help=argparse.SUPPRESS)  # one measured run (child)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no corpus folder at {args.data}")
    if args.one:
        _one(args.data, args.workers, args.one)
        return

    texts = _texts(args.data)
    words = sum(len(t.split(" ")) for t in texts)
    # Each measurement is repeated (interleaved, so a busy moment of the machine
    # hits all of them alike) and the median rate kept.
    ceilings, ones, manys, rss = [], [], [], {}
    for _ in range(args.reps):
        ceilings.append(len(texts) / _ceiling(texts, args.workers))
        ones.append(_newsgraph(args.data, 1, {}))
        stats: dict = {}
        manys.append(_newsgraph(args.data, args.workers, stats))
        for pid, mb in stats.get("peak_rss_mb", {}).items():
            rss[pid] = mb
    ceiling = statistics.median(ceilings)
    one_s, one_steady, one_n, one_words = _median_run(ones)
    many_s, many_steady, many_n, many_words = _median_run(manys)
    ray = None
    if not args.no_ray:
        try:
            import ray  # noqa: F401
        except ImportError:
            print("note: the ray extra is not installed; skipping the Ray engine", file=sys.stderr)
        else:
            ray = _newsgraph(args.data, args.workers, {}, engine="ray")
    rate, rate_e2e = many_n / many_steady, many_n / many_s
    one_rate, one_rate_e2e = one_n / one_steady, one_n / one_s
    result = {
        "articles": many_n,
        "workers": args.workers,
        "reps": args.reps,
        "ceiling_articles_per_s": round(ceiling, 2),
        "ceiling_words_per_s": round(words / len(texts) * ceiling),
        # Like the ceiling (whose forked processes start with the model loaded): once loaded.
        "articles_per_s": round(rate, 2),
        "words_per_s": round(many_words / many_steady),
        "ratio": round(rate / ceiling, 3),
        "articles_per_s_1_worker": round(one_rate, 2),
        "scaling_1_to_n": round(rate / one_rate, 3),
        # As a user waits for it: model loads and store set-up included.
        "articles_per_s_end_to_end": round(rate_e2e, 2),
        "words_per_s_end_to_end": round(many_words / many_s),
        "ratio_end_to_end": round(rate_e2e / ceiling, 3),
        "articles_per_s_1_worker_end_to_end": round(one_rate_e2e, 2),
        "scaling_1_to_n_end_to_end": round(rate_e2e / one_rate_e2e, 3),
        "articles_per_s_ray": round(ray[2] / ray[0], 2) if ray else None,
        "words_per_s_ray": round(ray[3] / ray[0]) if ray else None,
        "ratio_ray": round((ray[2] / ray[0]) / ceiling, 3) if ray else None,
        "peak_rss_mb": round(max(rss.values()), 1) if rss else None,
        "peak_rss_mb_per_worker": [round(v, 1) for v in rss.values()],
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'articles/s (median of ' + str(args.reps) + ')':<36}{'model loaded':>14}{'end to end':>12}")
    print(f"{f'spaCy nlp.pipe n_process={args.workers} (ceiling)':<36}{result['ceiling_articles_per_s']:>14}{'':>12}")
    print(f"{'newsgraph, 1 worker':<36}{result['articles_per_s_1_worker']:>14}"
          f"{result['articles_per_s_1_worker_end_to_end']:>12}")
    print(f"{f'newsgraph, {args.workers} workers':<36}{result['articles_per_s']:>14}"
          f"{result['articles_per_s_end_to_end']:>12}")
    if ray:
        print(f"{f'newsgraph on Ray, {args.workers} actors':<36}{'':>14}{result['articles_per_s_ray']:>12}")
    print(f"words/s: ceiling {result['ceiling_words_per_s']}, {args.workers} workers {result['words_per_s']} "
          f"({result['words_per_s_end_to_end']} end to end)")
    print(f"ratio to ceiling: {result['ratio']} ({result['ratio_end_to_end']} end to end; Ray {result['ratio_ray']}); "
          f"1 -> {args.workers} workers: x{result['scaling_1_to_n']} (x{result['scaling_1_to_n_end_to_end']} end to "
          f"end); peak RSS per worker (MB): {result['peak_rss_mb_per_worker']}")

if __name__ == "__main__":
    main()
