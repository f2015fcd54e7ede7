"""Article-body extraction: newsgraph against its baseline, side by side.

    python benchmarks/extraction.py                      # both dev folders of ../shared/eval
    python benchmarks/extraction.py --data DIR --json    # one folder, JSON out

For an HTML folder (``html/<id>.html.gz``) the baseline is plain trafilatura
(``trafilatura.extract`` with its defaults); for a page-text folder
(``text/<id>.txt``) it is the uncleaned page text. newsgraph is measured the
way users get it, through ``newsgraph eval extraction``'s path: the file is
read and decoded by ``newsgraph.ingest`` and extracted by
``newsgraph.extract.extract``; a page it refuses counts as an empty body and
as a failure. Scores use ``newsgraph.eval.extraction`` (the shared metric);
pages/s includes reading each page from disk.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from newsgraph.errors import EvalDataError
from newsgraph.eval.extraction import (
    ExtractionCase,
    evaluate_extraction,
    load_extraction_cases,
    read_case,
    run_extraction,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = [
    REPO.parent / "shared" / "eval" / "extraction" / "dev",
    REPO.parent / "shared" / "eval" / "extraction" / "dev-text",
]


def _is_html(cases: list[ExtractionCase]) -> bool:
    """Return True if the folder's pages are HTML (else page text)."""
    return bool(cases) and cases[0].path.parent.name == "html"


def _baseline(html: bool) -> tuple[str, Callable[[ExtractionCase], str]]:
    """Return the baseline's name and extractor for a folder of HTML or page text."""
    if html:
        import trafilatura

        return "trafilatura", lambda case: trafilatura.extract(read_case(case), url=case.url) or ""
    return "uncleaned text", read_case


def benchmark(data_dir: Path) -> dict:
    """Return the scores of the baseline and of newsgraph on one folder."""
    cases = load_extraction_cases(data_dir)
    html = _is_html(cases)
    name, baseline = _baseline(html)
    scores, _ = run_extraction(cases, baseline)
    rows = [{"system": name, **scores, "failures": 0}, {"system": "newsgraph", **evaluate_extraction(data_dir)}]
    return {"data": str(data_dir), "format": "html" if html else "text", "rows": rows}


def _table(result: dict) -> str:
    """Return one folder's results as a fixed-width table."""
    lines = [
        f"{result['data']}  ({result['format']}, {result['rows'][0]['pages']} pages)",
        f"{'system':<26} {'precision':>9} {'recall':>7} {'F1':>7} {'accuracy':>8} {'failures':>8} {'pages/s':>8}",
    ]
    for row in result["rows"]:
        lines.append(
            f"{row['system']:<26} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['f1']:>7.4f}"
            f" {row['accuracy']:>8.3f} {row['failures']:>8d} {row['pages_per_s']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on each data folder and print a table (or JSON); return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        action="append",
        type=Path,
        metavar="DIR",
        help="evaluation folder with ground-truth.json and html/ or text/ (repeatable; "
        "default: ../shared/eval/extraction/dev and dev-text beside the repository)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    folders = args.data or DEFAULT_DATA
    missing = [str(f) for f in folders if not (f / "ground-truth.json").is_file()]
    if missing:
        print(f"error: no extraction evaluation data (ground-truth.json) in: {', '.join(missing)}", file=sys.stderr)
        return 2
    results = []
    for folder in folders:
        try:
            results.append(benchmark(folder))
        except EvalDataError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n\n".join(_table(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
