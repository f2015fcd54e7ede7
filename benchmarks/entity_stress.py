"""Robustness: ``newsgraph eval entities`` on 1,000 synthetic documents whose names overlap.

    python benchmarks/entity_stress.py [--n 1000] [--out /tmp/entity-stress.jsonl]

Writes ``newsgraph.eval.entities.stress_records`` (nested gold names, one
surface typed two ways, acronyms and expansions, possessives, hyphens) and
runs the real command on it; prints the time taken and its last lines. The
scores mean nothing (the gold is whatever names were put in); the run must end
with exit status 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from newsgraph.eval.entities import stress_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", default="/tmp/entity-stress.jsonl")
    args = parser.parse_args()
    out = Path(args.out)
    with out.open("w", encoding="utf-8") as f:
        for record in stress_records(args.n):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newsgraph", "eval", "entities", "--data", str(out)],
                          capture_output=True, text=True)
    print(f"{args.n} documents, exit status {done.returncode}, {time.perf_counter() - started:.1f} s")
    print("\n".join((done.stdout + done.stderr).strip().splitlines()[-8:]))
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
