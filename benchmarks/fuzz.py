"""Hostile inputs against the real ``newsgraph ingest``: does every bad input cost one failure row and nothing else?

Usage: python benchmarks/fuzz.py [--scale small|full] [--seed 0] [--workers 1 2] [--timeout 300]
                                 [--solo ingest|analyze|none] [--input-timeout 120] [--only ID ...]
                                 [--time-budget 60] [--memory-budget 2048] [--src DIR] [--keep DIR]
                                 [--json [FILE]]

1. **corpus**: ``tests/fuzz/hostile.py`` writes the hostile corpus (bombs,
   deep nesting, huge lines, random bytes, truncations, odd file names, feeds
   linking to a secret file outside the input folder) and five good files,
   deterministic from ``--seed``, sized by ``--scale`` (small: 200 MiB bombs;
   full: 1 GiB bombs, a million paragraphs, a 19 MiB page).
2. **whole runs**: ``newsgraph ingest INPUT --db STORE --workers N`` for each
   ``--workers`` value, as a subprocess in its own process group, killed at
   ``--timeout``; the group's resident memory is sampled every 0.1 s.
   ``--time-budget``/``--memory-budget`` are passed on only if ``ingest --help``
   lists them.
3. **store**: each store is read (DuckDB, read-only) and every row is given to
   the input it came from: a bad input must have exactly one row (a failure,
   or the article if it is readable after all), a good file must be stored, a
   ``.xml`` that is no feed nothing, and the secret marker must appear in no
   column of any table.
4. **solo runs** (``--solo ingest``, the default): each input alone, in a fresh
   store (``ingest FILE --workers 1``), killed at ``--input-timeout``: its own
   time, peak memory, exit code, traceback and rows, whatever the other inputs
   do to a whole run. ``--solo analyze`` uses ``newsgraph analyze FILE`` for
   HTML and text files instead (no store, so no rows). Every solo run pays
   the model load: the time of a good file alone is printed as the baseline.

``--src DIR`` runs the command on another copy of the package (``PYTHONPATH``),
e.g. the last commit while the working tree is being edited. The sha256 of the
package's sources is taken before and after, and a change is reported: the
results would mix two versions.

Prints a run table, a per-input table and the details of each input that
misbehaves; ``--json`` prints one JSON object instead (``--json FILE``: both,
the JSON written to FILE).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fuzz import harness, hostile  # noqa: E402  (tests/fuzz is not an installed package)

_ANALYZE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".html.gz", ".htm.gz", ".txt.gz")
BASELINE_CASE = "good-txt-albion"


def _whole_run(corpus: hostile.Corpus, work: Path, workers: int, timeout: float, options: list[str], env) -> dict:
    db = work / f"store-w{workers}.duckdb"
    argv = [*harness.newsgraph_command(), "ingest", str(corpus.inputs), "--db", str(db), "--workers", str(workers),
            *options]
    result = harness.run(argv, timeout=timeout, cwd=work, env=env)
    store = harness.read_store(db, corpus.marker)
    settled, stray = harness.settle(corpus, store)
    return {"workers": workers, "run": result, "store": store, "settled": settled, "stray": stray}


def _solo_run(corpus: hostile.Corpus, case: hostile.Case, work: Path, mode: str, timeout: float,
              ingest_options: list[str], analyze_options: list[str], env) -> dict:
    path = corpus.path(case)
    if mode == "analyze" and case.name.lower().endswith(_ANALYZE_SUFFIXES):
        argv, db = [*harness.newsgraph_command(), "analyze", str(path), *analyze_options], None
    else:
        db = work / f"solo-{case.id}.duckdb"
        argv = [*harness.newsgraph_command(), "ingest", str(path), "--db", str(db), "--workers", "1", *ingest_options]
    result = harness.run(argv, timeout=timeout, cwd=work, env=env)
    settled, marker_hits, stray = None, {}, []
    if db is not None:
        store = harness.read_store(db, corpus.marker)
        (found, stray), marker_hits = harness.settle(corpus, store), store.marker_hits
        settled = found[case.id]
        for suffix in ("", ".wal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return {"run": result, "settled": settled, "marker_hits": marker_hits, "stray": stray}


def _aborted(result: harness.Run) -> bool:
    """Return True if a whole run stopped before settling every input (killed, or died on a traceback)."""
    return result.timed_out or (result.returncode not in (0, 3) and bool(result.tracebacks)) or (
        result.returncode is not None and result.returncode < 0)


def _code_fingerprint(src: Path) -> str:
    """Return a sha256 of the newsgraph sources under ``src``: the code a run measured (it may change under us)."""
    digest = hashlib.sha256()
    for path in sorted((src / "newsgraph").rglob("*.py")):
        digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _traceback_lines(tb: dict[str, str]) -> list[str]:
    lines = [f"traceback: {tb['exception']}", f"    first frame: {tb['first']}"]
    if tb["ours"] and tb["ours"] != tb["last"]:
        lines.append(f"    newsgraph:   {tb['ours']}")
    return lines + [f"    last frame:  {tb['last']}"]


def _cell(settled: harness.Settled) -> str:
    return ("ok  " if settled.ok else "BAD ") + settled.summary()


def _problems(case: hostile.Case, runs: list[dict], solo: dict | None, baseline: float | None) -> list[str]:
    """Return what is wrong with ``case``, one line each (empty: nothing)."""
    lines = []
    for run in runs:
        settled = run["settled"][case.id]
        if not settled.ok and not (_aborted(run["run"]) and settled.rows == 0):  # an aborted run: see the run table
            lines.append(f"--workers {run['workers']}: {settled.verdict} ({settled.summary()})")
        for message in settled.internal_errors[:2]:
            lines.append(f"--workers {run['workers']}: internal error row: {harness.clip(message, 200)}")
    if solo is not None:
        result, settled = solo["run"], solo["settled"]
        if result.timed_out:
            lines.append(f"alone: HANG, killed after {result.seconds:.0f} s (peak {result.peak_tree_mb:.0f} MB)")
        elif result.returncode not in (0, 1, 3) and not (case.expect == hostile.IGNORED and result.returncode == 2):
            # 1 is right for one bad input (nothing stored); a traceback, also exit 1, is reported below
            lines.append(f"alone: exit code {result.returncode}" + (" (killed by a signal)" if result.returncode < 0 else ""))
        for tb in result.tracebacks[:3]:
            lines += [f"alone: {line}" for line in _traceback_lines(tb)]
        if settled is not None and not settled.ok:
            lines.append(f"alone: {settled.verdict} ({settled.summary()})")
        for row in solo["stray"][:3]:
            lines.append(f"alone: a row of no input: {harness.clip(row, 200)}")
        if solo["marker_hits"]:
            lines.append(f"alone: SECRET MARKER stored in {solo['marker_hits']}")
        if settled is not None:
            for message in settled.internal_errors[:2]:
                lines.append(f"alone: internal error row: {harness.clip(message, 200)}")
        if baseline is not None and result.seconds - baseline > 30:
            lines.append(f"alone: slow: {result.seconds:.1f} s ({result.seconds - baseline:.1f} s over the baseline)")
        if result.peak_tree_mb > 1500:
            lines.append(f"alone: memory: peak {result.peak_tree_mb:.0f} MB (process tree)")
    return lines


def _print_report(corpus, runs, solo, baseline, built_seconds, options, mode) -> None:
    print(f"corpus: {len(corpus.cases)} inputs ({len(corpus.good)} to be stored), seed {corpus.seed}, scale {corpus.scale}, "
          f"written in {built_seconds:.1f} s to {corpus.inputs}")
    print(f"budget options passed: {' '.join(options) or 'none (ingest --help lists no budget option)'}")
    print()
    header = (f"{'run':<12}{'exit':>6}{'seconds':>9}{'hang':>6}{'peak MB':>9}{'proc MB':>9}{'articles':>9}"
              f"{'failures':>9}{'stored':>7}{'bad ok':>8}{'secret':>8}{'tracebacks':>12}")
    print(header)
    print("-" * len(header))
    for run in runs:
        result, store, settled = run["run"], run["store"], run["settled"]
        good = [s for s in settled.values() if s.case.expect == hostile.STORED]
        bad = [s for s in settled.values() if s.case.expect != hostile.STORED]
        print(f"{'--workers ' + str(run['workers']):<12}{str(result.returncode):>6}{result.seconds:>9.1f}"
              f"{'YES' if result.timed_out else 'no':>6}{result.peak_tree_mb:>9.0f}{result.peak_process_mb:>9.0f}"
              f"{len(store.articles):>9}{len(store.failures):>9}{sum(s.ok for s in good):>4}/{len(good):<2}"
              f"{sum(s.ok for s in bad):>5}/{len(bad):<2}{'LEAK' if store.marker_hits else 'no':>8}"
              f"{len(result.tracebacks):>12}")
    for run in runs:
        result, store = run["run"], run["store"]
        if _aborted(result):
            print(f"  --workers {run['workers']}: ABORTED ("
                  + ("killed at the timeout" if result.timed_out else f"exit {result.returncode}")
                  + "): inputs it had not reached have no row; their own rows are in the 'alone' columns")
        for tb in result.tracebacks[:3]:
            for line in _traceback_lines(tb):
                print(f"  --workers {run['workers']}: {line}")
        if store.marker_hits:
            print(f"  --workers {run['workers']} secret marker found in: {store.marker_hits}")
        if store.error:
            print(f"  --workers {run['workers']} store unreadable: {store.error}")
        for line in run["stray"][:5]:
            print(f"  --workers {run['workers']} row of no input: {harness.clip(line, 200)}")
    print()
    if solo:
        note = f"; baseline (model load + {BASELINE_CASE} alone): {baseline:.1f} s" if baseline else ""
        print(f"alone: each input in its own 'newsgraph {mode}' run{note}")
    cols = "".join(f"{'--workers ' + str(r['workers']):<26}" for r in runs)
    solo_cols = f"{'alone s':>8}{'MB':>7}{'exit':>6}  {'alone rows':<22}" if solo else ""
    header = f"{'input':<30}{'expect':<9}{cols}{solo_cols}"
    print(header)
    print("-" * len(header))
    for case in corpus.cases:
        line = f"{case.id:<30}{case.expect:<9}"
        line += "".join(f"{harness.clip(_cell(r['settled'][case.id]), 25):<26}" for r in runs)
        if solo:
            one = solo.get(case.id)
            if one is not None:
                res, settled = one["run"], one["settled"]
                exit_code = "HANG" if res.timed_out else str(res.returncode)
                rows = _cell(settled) if settled is not None else ("traceback" if res.tracebacks else "-")
                line += f"{res.seconds:>8.1f}{res.peak_tree_mb:>7.0f}{exit_code:>6}  {harness.clip(rows, 22):<22}"
        print(line)
    print()
    print("misbehaving inputs:")
    found = False
    for case in corpus.cases:
        lines = _problems(case, runs, solo.get(case.id) if solo else None, baseline)
        if lines:
            found = True
            print(f"  {case.id} ({case.name!r}; {case.note or case.family}):")
            for line in lines:
                print(f"    {line}")
    if not found:
        print("  none")


def _to_json(corpus, runs, solo, baseline, built_seconds, options, mode) -> dict:
    def settled_dict(s: harness.Settled | None) -> dict | None:
        if s is None:
            return None
        return {"ok": s.ok, "verdict": s.verdict, "articles": s.articles, "copies": s.copies,
                "duplicates": s.duplicates, "failures": [{"error": e, "message": m} for e, m in s.failures[:5]],
                "failure_rows": len(s.failures)}

    return {
        "corpus": {"seed": corpus.seed, "scale": corpus.scale, "inputs": len(corpus.cases), "good": len(corpus.good),
                   "marker": corpus.marker, "written_seconds": round(built_seconds, 2)},
        "budget_options": options,
        "runs": [{"workers": r["workers"], **r["run"].to_dict(), "aborted": _aborted(r["run"]), "articles": len(r["store"].articles),
                  "failure_rows": len(r["store"].failures), "marker_hits": r["store"].marker_hits,
                  "store_error": r["store"].error, "rows_of_no_input": r["stray"],
                  "inputs": {cid: settled_dict(s) for cid, s in r["settled"].items()}} for r in runs],
        "solo": {"mode": mode, "baseline_seconds": baseline,
                 "inputs": {cid: {**one["run"].to_dict(), "rows": settled_dict(one["settled"]),
                                  "marker_hits": one["marker_hits"], "rows_of_no_input": one["stray"]}
                            for cid, one in (solo or {}).items()}},
        "problems": {c.id: p for c in corpus.cases
                     if (p := _problems(c, runs, solo.get(c.id) if solo else None, baseline))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(hostile.SCALES), default="small")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                        help="one whole run per value (none: solo runs only)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a whole run is killed")
    parser.add_argument("--solo", choices=["ingest", "analyze", "none"], default="ingest")
    parser.add_argument("--input-timeout", type=float, default=120, help="seconds before a solo run is killed")
    parser.add_argument("--only", nargs="+", metavar="ID", help="these cases only (and the ones to be stored)")
    parser.add_argument("--no-heavy", action="store_true", help="leave out the heavy cases (as CI does)")
    parser.add_argument("--time-budget", type=float, default=60, help="passed on if ingest/analyze have it")
    parser.add_argument("--memory-budget", type=int, default=2048, help="MiB; passed on if ingest/analyze have it")
    parser.add_argument("--src", type=Path, metavar="DIR",
                        help="run the CLI on the newsgraph package under DIR (PYTHONPATH), e.g. a commit's export: "
                             "git archive HEAD src | tar -x -C /tmp/head, then --src /tmp/head/src")
    parser.add_argument("--keep", type=Path, help="write the corpus and stores here and keep them")
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        help="print one JSON object instead of tables; with FILE, write it there and print the tables")
    args = parser.parse_args()

    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    json_only = args.json == "-"
    log = (lambda *a: print(*a, file=sys.stderr, flush=True)) if json_only else (lambda *a: print(*a, flush=True))
    try:
        start = time.monotonic()
        corpus = hostile.write_corpus(work / "corpus", seed=args.seed, scale=args.scale, heavy=not args.no_heavy,
                                      only=set(args.only) if args.only else None)
        built = time.monotonic() - start
        env = {"PYTHONPATH": str(args.src.resolve())} if args.src else None
        code_before = _code_fingerprint(args.src or REPO / "src")
        ingest_options = harness.budget_options("ingest", args.time_budget, args.memory_budget, env)
        analyze_options = harness.budget_options("analyze", args.time_budget, args.memory_budget, env)
        runs = []
        for workers in args.workers:
            log(f"whole run, --workers {workers} (timeout {args.timeout:g} s) ...")
            runs.append(_whole_run(corpus, work, workers, args.timeout, ingest_options, env))
            log(f"  {runs[-1]['run'].seconds:.1f} s, exit {runs[-1]['run'].returncode}")
        solo, baseline = {}, None
        if args.solo != "none":
            for i, case in enumerate(corpus.cases, start=1):
                one = _solo_run(corpus, case, work, args.solo, args.input_timeout, ingest_options, analyze_options, env)
                solo[case.id] = one
                log(f"alone {i}/{len(corpus.cases)} {case.id}: {one['run'].seconds:.1f} s, "
                    f"exit {'HANG' if one['run'].timed_out else one['run'].returncode}, "
                    f"{one['run'].peak_tree_mb:.0f} MB")
            if BASELINE_CASE in solo:
                baseline = solo[BASELINE_CASE]["run"].seconds
        code = {"src": str((args.src or REPO / "src").resolve()), "before": code_before,
                "after": _code_fingerprint(args.src or REPO / "src")}
        if code["before"] != code["after"]:
            log(f"WARNING: the newsgraph code under {code['src']} changed during the run: results mix two versions")
        if args.json:
            report = json.dumps({"code": code, **_to_json(corpus, runs, solo, baseline, built, ingest_options,
                                                          args.solo)}, indent=1, ensure_ascii=True)
            if json_only:
                print(report)
            else:
                Path(args.json).write_text(report + "\n", encoding="ascii")
        if not json_only:
            print()
            print(f"code: {code['src']} (sha256 of its .py files {code['before'][:12]}"
                  + (f", then {code['after'][:12]}: CHANGED during the run)" if code["before"] != code["after"] else ")"))
            _print_report(corpus, runs, solo, baseline, built, ingest_options, args.solo)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
