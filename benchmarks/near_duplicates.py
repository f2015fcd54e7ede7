"""How well MinHash signatures (newsgraph.store.fingerprint) separate copies from distinct articles.

Texts: the extraction dev pages (../shared/eval/extraction/dev/html), extracted
with newsgraph. For each text we make the edits a wire copy or re-published page
shows, and count, for each similarity threshold, how many copies reach it with
their original (recall: linked) and how many pairs of *distinct* dev articles
do (false links); also whether the band lookup finds the pair (LSH recall).
Edits:

- ``dateline``: "WASHINGTON (Reuters) - " put before the text;
- ``trailer``: "Reporting by ...; Editing by ..." appended;
- ``drop-last``: the last paragraph removed;
- ``words-2%``: 2% of the words replaced by other words;
- ``all``: dateline, trailer, drop-last and words-2% together.

Usage: python benchmarks/near_duplicates.py [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from itertools import combinations
from pathlib import Path

from newsgraph.store.fingerprint import NEAR_DUPLICATE_SIMILARITY, band_keys, signature, similarity
from newsgraph.extract import extract
from newsgraph.ingest import read_document

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "extraction" / "dev" / "html"


def _edits(text: str, rng: random.Random) -> dict[str, str]:
    paragraphs = text.split("\n\n")
    words = text.split(" ")

    def reword(t: str) -> str:
        ws = t.split(" ")
        for i in rng.sample(range(len(ws)), max(1, len(ws) // 50)):
            ws[i] = rng.choice(["also", "then", "new", "reported", "major", "local"])
        return " ".join(ws)

    dateline = "WASHINGTON (Reuters) - " + text
    trailer = text + "\n\nReporting by Jane Doe; Editing by John Roe"
    drop_last = "\n\n".join(paragraphs[:-1]) if len(paragraphs) > 1 else " ".join(words[: len(words) * 9 // 10])
    combined = "WASHINGTON (Reuters) - " + reword(drop_last) + "\n\nReporting by Jane Doe; Editing by John Roe"
    return {"dateline": dateline, "trailer": trailer, "drop-last": drop_last, "words-2%": reword(text),
            "all": combined}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"error: {args.data}: no such folder (the extraction dev pages)", file=sys.stderr)
        return 1
    texts = []
    for path in sorted(args.data.iterdir()):
        try:
            page = extract(read_document(path))
        except Exception:
            continue
        text = "\n\n".join(p for p in page.paragraphs if p.strip())
        if len(text.split()) >= 50:
            texts.append(text)
    rng = random.Random(13)
    sigs = [signature(t) for t in texts]
    distinct = [similarity(a, b) for a, b in combinations(sigs, 2)]
    copies: dict[str, list[tuple[float, bool]]] = {}
    for text, sig in zip(texts, sigs):
        for name, edited in _edits(text, rng).items():
            other = signature(edited)
            if other is None:  # too short to be fingerprinted: never linked
                copies.setdefault(name, []).append((0.0, False))
                continue
            found = bool(set(band_keys(sig)) & set(band_keys(other)))  # the lookup would offer the original
            copies.setdefault(name, []).append((similarity(sig, other), found))
    result = {"articles": len(texts), "distinct_pairs": len(distinct), "threshold": NEAR_DUPLICATE_SIMILARITY,
              "max_distinct_similarity": max(distinct), "by_threshold": {}}
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        row = {"false_links": sum(d >= threshold for d in distinct)}
        row.update({f"recall_{name}": round(sum(s >= threshold and f for s, f in ds) / len(ds), 3)
                    for name, ds in copies.items()})
        result["by_threshold"][threshold] = row
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{len(texts)} articles, {len(distinct)} distinct pairs (most similar: {max(distinct):.3f}); "
          f"newsgraph links copies at >= {NEAR_DUPLICATE_SIMILARITY}")
    names = list(copies)
    print("threshold  false-links  " + "  ".join(f"{n:>9}" for n in names))
    for threshold, row in result["by_threshold"].items():
        print(f"{threshold:<10} {row['false_links']:>11}  "
              + "  ".join(f"{row['recall_' + n]:>9.3f}" for n in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
