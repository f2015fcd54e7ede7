"""Quote extraction: newsgraph against textacy's ``direct_quotations``, side by side.

    python benchmarks/quotes.py                    # PolNeAR dev and the seed, from ../shared/eval/quotes
    python benchmarks/quotes.py --data FILE --json

Both systems read the same records in the same run with the same spaCy
model; textacy runs on the model's own parse (our components do not change
it), once over the whole article and once paragraph by paragraph (its quote
pairing works best on short texts). textacy finds direct quotes only, so its
all-quote recall is bounded by the share of direct quotes. Scores use
``newsgraph.eval.quotes`` (the shared rules); articles/s includes parsing.
Needs the ``bench`` extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newsgraph.annotate import load_nlp
from newsgraph.errors import NewsgraphError
from newsgraph.eval.common import read_jsonl
from newsgraph.eval.quotes import predict_quotes, score_quotes

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = [REPO.parent / "shared" / "eval" / "quotes" / name for name in ("polnear.dev.jsonl", "seed.dev.jsonl")]
KEYS = {"precision": "P", "recall": "R", "f1": "F1", "direct_precision": "direct P", "direct_recall": "direct R",
        "direct_f1": "direct F1", "speaker_accuracy": "speaker acc", "e2e_f1": "e2e F1"}


def _span(tokens, offset: int) -> list[list[int]]:
    if not tokens:
        return []
    return [[tokens[0].idx + offset, tokens[-1].idx + len(tokens[-1]) + offset]]


def textacy_predictions(records: list[dict], nlp, by_paragraph: bool) -> list[dict]:
    """Return prediction records from textacy's direct_quotations over each record's text."""
    from textacy.extract.triples import direct_quotations

    out = []
    with nlp.select_pipes(enable=[p for p in nlp.pipe_names if not p.startswith("newsgraph_")]):
        for record in records:
            text = record["text"]
            pieces = [(0, text)]
            if by_paragraph:
                pieces, pos = [], 0
                for para in text.split("\n"):
                    if para.strip():
                        pieces.append((pos, para))
                    pos += len(para) + 1
            quotes = []
            for offset, piece in pieces:
                doc = nlp(piece)
                try:
                    triples = list(direct_quotations(doc))
                except ValueError:
                    triples = []  # textacy refuses texts with unbalanced quotation marks
                for triple in triples:
                    content = triple.content
                    quotes.append({
                        "content": [[content.start_char + offset, content.end_char + offset]],
                        "source": _span(triple.speaker, offset),
                        "cue": _span(triple.cue, offset),
                        "direct": True,
                    })
            quotes.sort(key=lambda q: q["content"][0][0])
            out.append({"id": record["id"], "quotes": quotes})
    return out


def benchmark(path: Path, nlp) -> dict:
    """Return newsgraph's and textacy's scores on one quotes file."""
    records = read_jsonl(path)
    rows = []
    for name, run in (
        ("newsgraph", lambda: predict_quotes(records, nlp)),
        ("textacy", lambda: textacy_predictions(records, nlp, by_paragraph=False)),
        ("textacy by paragraph", lambda: textacy_predictions(records, nlp, by_paragraph=True)),
    ):
        start = time.perf_counter()
        predicted = run()
        seconds = time.perf_counter() - start
        rows.append({"system": name, **score_quotes(records, predicted), "articles_per_s": len(records) / seconds})
    return {"data": str(path), "articles": len(records), "rows": rows}


def _table(result: dict) -> str:
    head = f"{'system':<22}" + "".join(f"{label:>12}" for label in KEYS.values())
    lines = [f"{result['data']}  ({result['articles']} articles)", head + f"{'art/s':>8}"]
    for row in result["rows"]:
        lines.append(f"{row['system']:<22}" + "".join(f"{row[k]:>12.3f}" for k in KEYS) + f"{row['articles_per_s']:>8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", type=Path, metavar="FILE", help="quotes JSONL file (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--model", help="spaCy model (default: newsgraph's)")
    args = parser.parse_args(argv)
    files = args.data or DEFAULT_DATA
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"error: no quotes evaluation file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("error: textacy is not installed; pip install -e '.[bench]'", file=sys.stderr)
        return 2
    try:
        nlp = load_nlp(args.model)
        results = [benchmark(f, nlp) for f in files]
    except NewsgraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(results, indent=2) if args.json else "\n\n".join(_table(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
