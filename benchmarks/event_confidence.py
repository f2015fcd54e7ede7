"""Calibrate event confidence: the share of coded events that are right, by the features confidence reads.

    python benchmarks/event_confidence.py [--data ../shared/eval/events/plover-gsr.dev.jsonl]

Each coded event (every member pair, as stored) is right when ``newsgraph eval
events``'s type matching pairs it with a gold event. The table gives, for each
feature value and each (pattern, source evidence) pair, the events and the
share right; ``annotate/events/confidence.py`` holds the values set from it.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from newsgraph.annotate import load_nlp
from newsgraph.annotate.events.confidence import features
from newsgraph.eval.common import read_jsonl
from newsgraph.eval.events import SCORED_STATUSES, match_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "events"
                                              / "plover-gsr.dev.jsonl"))
    args = parser.parse_args()
    records = read_jsonl(args.data)
    nlp = load_nlp()
    tally: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        events = [e for e in doc._.events if e.status in SCORED_STATUSES or e.type == "REJECT"]
        predicted = [{"type": e.type, "source": [e.source.text] if e.source else [],
                      "target": [e.target.text] if e.target else []} for e in events]
        typed, _ = match_events(record["events"], predicted)
        right = {pi for _, pi in typed}
        for i, e in enumerate(events):
            span = doc.char_span(*e.trigger, alignment_mode="expand")
            nominal = span is not None and span.root.pos_ in {"NOUN", "PROPN"}
            pattern, evidence, has_target, asserted = features(nominal, " " in doc.text[e.trigger[0]:e.trigger[1]],
                                                               e.source, e.target, e.status)
            for key in (("all",), ("pattern", pattern), ("source", evidence), ("target", has_target),
                        ("asserted", asserted), ("pattern+source", pattern, evidence)):
                tally[key][0] += 1
                tally[key][1] += i in right
    print(f"{'feature':32} {'events':>6} {'right':>6}")
    for key in sorted(tally, key=str):
        n, ok = tally[key]
        print(f"{' '.join(map(str, key)):32} {n:6d} {ok / n:6.2f}")


if __name__ == "__main__":
    main()
