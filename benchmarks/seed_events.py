"""Score the events of the seed article against its hand annotation, event by event.

    python benchmarks/seed_events.py [--seed ../shared/seed/belarus-putin-nbc.txt]

An event counts when one coded event has the gold type (ARREST is PLOVER's
COERCE arrest), and its source and target agree with the gold ones: a shared
word, or the country the gold names (``newsgraph.eval.events.article_event_hits``,
the rule of ``newsgraph eval events``); the gold date is compared too. Every coded
event is listed, with the text of its evidence, so that the extra ones can be read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsgraph import Pipeline
from newsgraph.eval.events import article_event_hits
from newsgraph.ingest import read_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", default=str(Path(__file__).resolve().parents[2] / "shared" / "seed"
                                              / "belarus-putin-nbc.txt"))
    args = parser.parse_args()
    seed = Path(args.seed)
    gold = json.loads(seed.with_name(seed.stem + ".gold.json").read_text(encoding="utf-8"))
    article = Pipeline().article(read_document(seed), published=gold["published"])

    found = dated = 0
    for g, hit in zip(gold["events"], article_event_hits(article.events, gold["events"])):
        found += hit is not None
        dated += hit is not None and hit.date == g.get("date")
        print(f"{'ok ' if hit else 'MISS'} {g['type']:8} {g['source']} -> {g['target']} ({g.get('date')})"
              + (f"  coded date {hit.date}" if hit else ""))
    print(f"# {found} of {len(gold['events'])} gold events with type, source and target; "
          f"{dated} of them with the gold date")
    for e in article.events:
        ev = article.text[e.evidence[0]:e.evidence[1]].replace("\n", " ")
        print(f"  {e.id:5} {e.type:9} {e.status:12} {e.source.text if e.source else None!r} -> "
              f"{e.target.text if e.target else None!r} date={e.date} conf={e.confidence} | {ev[:110]}")


if __name__ == "__main__":
    main()
