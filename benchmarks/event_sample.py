"""Print a random sample of the events a store holds, each with its sentence, for reading by hand.

Precision on real pages is read, not computed: ingest pages nobody tuned on
(``newsgraph ingest ../shared/eval/extraction/dev/html --db pages.duckdb``),
then print a sample and judge each event (is it a real event? right type,
source, target?). ``--json`` writes the same sample for a second, blind reader.

    python benchmarks/event_sample.py --db pages.duckdb --n 30 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random

import duckdb


def sentence_around(text: str, start: int, end: int) -> str:
    """Return the sentence-ish stretch of ``text`` around [start, end), trigger in [[ ]]."""
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    hi_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    hi = min(hi_candidates) + 1 if hi_candidates else len(text)
    return (text[lo:start] + "[[" + text[start:end] + "]]" + text[end:hi]).strip()


def sampled(description: str, table: str, query: str, n: int) -> tuple[argparse.Namespace, list[tuple]]:
    """Read ``--db --n --seed --json``, print how many rows of ``table`` the store holds an article,
    and return the arguments and a random sample of ``query``'s rows (the same for the same seed)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True)
    parser.add_argument("--n", type=int, default=n)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object a line instead of text")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    n_rows, n_articles = con.execute(
        f"SELECT count(*), (SELECT count(*) FROM articles WHERE copy_of IS NULL) FROM {table}").fetchone()
    rows = con.execute(query).fetchall()
    print(f"# {n_rows} {table} in {n_articles} articles ({n_rows / max(n_articles, 1):.2f} an article)")
    random.Random(args.seed).shuffle(rows)
    return args, rows[: args.n]


def main() -> None:
    args, rows = sampled(
        __doc__.splitlines()[0], "events",
        "SELECT e.article_id, e.event_id, e.type, e.mode, e.cameo, e.status, e.source_text, e.source_country,"
        " e.source_sector, e.target_text, e.target_country, e.target_sector, e.trigger_start, e.trigger_end,"
        " e.date, e.confidence, a.text, a.site FROM events e JOIN articles a ON a.id = e.article_id"
        " ORDER BY e.article_id, e.event_id", 30)
    for k, r in enumerate(rows, 1):
        (aid, eid, etype, mode, cameo, status, src, sc, ss, tgt, tc, ts, t0, t1, date, conf, text, site) = r
        item = {"n": k, "article": aid[:12], "event": eid, "site": site, "type": etype, "mode": mode, "cameo": cameo,
                "status": status, "source": src, "source_code": f"{sc or ''}{ss or ''}", "target": tgt,
                "target_code": f"{tc or ''}{ts or ''}", "date": date, "confidence": conf,
                "sentence": sentence_around(text, t0, t1)}
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
        else:
            print(f"{k:2d}. {etype}/{mode or '-'} {cameo or ''} [{status}] conf {conf}  "
                  f"{src!r} ({item['source_code']}) -> {tgt!r} ({item['target_code']})  date {date}  {site}")
            print(f"    {item['sentence'][:400]}")


if __name__ == "__main__":
    main()
