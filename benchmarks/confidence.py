"""Precision per confidence band: quotes, speaker links and entities, on gold data.

    python benchmarks/confidence.py                       # PolNeAR dev + seed, GUM news dev + re3d dev
    python benchmarks/confidence.py --quotes FILE ... --entities FILE ...

A confidence is meant as the share of facts found the same way that are right,
so a band's precision should sit near its values and the bands should be
ordered (``models.CONFIDENCE_BANDS``: high >= 0.8 > medium >= 0.6 > low).

- **Quotes**: a prediction is right when ``newsgraph eval quotes`` matches it
  to a gold attribution.
- **Speaker links** (matched quotes with a speaker): right when the gold
  record names the speaker (the seed) and the names agree, or when the gold
  source is a name or description and the linked entity has a mention
  inside it; a gold pronoun without a name is not scored here (read real
  pages for those: ``benchmarks/quote_sample.py``).
- **Entities**: a mention is right when ``newsgraph eval entities`` counts it
  (exact span, folded type).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from newsgraph.annotate import load_nlp
from newsgraph.eval.common import read_jsonl
from newsgraph.eval.entities import fold
from newsgraph.eval.quotes import core, match_quotes
from newsgraph.models import CONFIDENCE_BANDS, confidence_band

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "him", "her", "them"}


def _table(title: str, tally: dict[str, list[int]]) -> None:
    print(title)
    for band, _ in CONFIDENCE_BANDS:
        n, right = tally.get(band, [0, 0])
        print(f"  {band:7} {n:6d} {right / n if n else 0:6.2f}")


def quotes(path: str, nlp) -> None:
    records = read_jsonl(path)
    bands: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    links: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        text, gold, found = record["text"], record.get("quotes", []), doc._.quotes
        pairs = dict((pi, gi) for gi, pi in match_quotes([core(g["content"], text) for g in gold],
                                                           [core(q.content, text) for q in found]))
        mentions = {e.id: e.mentions for e in doc._.entities}
        for pi, quote in enumerate(found):
            tally = bands[confidence_band(quote.confidence)]
            tally[0] += 1
            tally[1] += pi in pairs
            if pi not in pairs or quote.speaker_id is None:
                continue
            g = gold[pairs[pi]]
            if g.get("speaker"):
                right = " ".join(g["speaker"].casefold().split()) == " ".join((quote.speaker or "").casefold().split())
            elif g["source"] and " ".join(text[s:e] for s, e in g["source"]).casefold() not in PRONOUNS:
                s0, e0 = g["source"][0][0], g["source"][-1][1]
                right = any(s0 <= m.start and m.end <= e0 for m in mentions.get(quote.speaker_id, ()))
            else:
                continue
            link = links[confidence_band(quote.speaker_confidence)]
            link[0] += 1
            link[1] += right
    _table(f"quotes: {path}  (band, predicted, precision)", bands)
    _table("  speaker links (band, scored links, precision)", links)


def entities(path: str, nlp) -> None:
    records = read_jsonl(path)
    bands: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        dataset = record.get("source") or Path(path).name.split(".")[0]
        gold = {(g["start"], g["end"], g["type"]) for g in record["entities"]}
        for entity in doc._.entities:
            folded = fold(entity.type, dataset)
            if folded is None:
                continue
            tally = bands[confidence_band(entity.confidence)]
            for m in entity.mentions:
                tally[0] += 1
                tally[1] += (m.start, m.end, folded) in gold
    _table(f"entities: {path}  (band, mentions, precision)", bands)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", nargs="*", default=[str(SHARED / "quotes" / f)
                                                         for f in ("polnear.dev.jsonl", "seed.dev.jsonl")])
    parser.add_argument("--entities", nargs="*", default=[str(SHARED / "entities" / f)
                                                           for f in ("gum-news.dev.jsonl", "re3d.dev.jsonl")])
    args = parser.parse_args()
    nlp = load_nlp()
    for path in args.quotes:
        quotes(path, nlp)
    for path in args.entities:
        entities(path, nlp)


if __name__ == "__main__":
    main()
