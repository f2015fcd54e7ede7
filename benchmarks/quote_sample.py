"""Print a random sample of the quotes a store holds, each with its sentence, for reading by hand.

Precision on real pages is read, not computed: ingest pages nobody tuned on
(``newsgraph ingest ../shared/eval/extraction/dev/html --db pages.duckdb``),
then print a sample and judge each quote (is it reported speech or belief?
the right speaker?). ``--json`` writes the same sample for a second, blind reader.

    python benchmarks/quote_sample.py --db pages.duckdb --n 40 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random

import duckdb

from event_sample import sentence_around


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object a line instead of text")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    n_quotes, n_articles = con.execute(
        "SELECT count(*), (SELECT count(*) FROM articles WHERE copy_of IS NULL) FROM quotes").fetchone()
    rows = con.execute(
        "SELECT q.article_id, q.quote_id, q.kind, q.cue_word, q.speaker, q.confidence, q.content_spans,"
        " q.source_spans, q.cue_spans, a.text, a.site FROM quotes q JOIN articles a ON a.id = q.article_id"
        " ORDER BY q.article_id, q.quote_id").fetchall()
    print(f"# {n_quotes} quotes in {n_articles} articles ({n_quotes / max(n_articles, 1):.2f} an article)")
    random.Random(args.seed).shuffle(rows)
    for k, (aid, qid, kind, cue, speaker, conf, content, source, cues, text, site) in enumerate(rows[: args.n], 1):
        start, end = (cues[0] if cues else content[0])
        item = {"n": k, "article": aid[:12], "quote": qid, "site": site, "kind": kind, "cue": cue,
                "source": " ".join(text[s:e] for s, e in source), "speaker": speaker, "confidence": conf,
                "content": " ".join(text[s:e] for s, e in content)[:400],
                "context": sentence_around(text, start, end)[:500]}
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            print(f"{k:2d}. [{kind}] cue {cue!r} conf {conf}  source {item['source']!r} -> speaker {speaker!r}  {site}")
            print(f"    {item['context']}")


if __name__ == "__main__":
    main()
