"""Print a random sample of the quotes a store holds, each with its sentence, for reading by hand.

Precision on real pages is read, not computed: ingest pages nobody tuned on
(``newsgraph ingest ../shared/eval/extraction/dev/html --db pages.duckdb``),
then print a sample and judge each quote (is it reported speech or belief?
the right speaker?). ``--json`` writes the same sample for a second, blind reader.

    python benchmarks/quote_sample.py --db pages.duckdb --n 40 --seed 1
"""

from __future__ import annotations

import json

from event_sample import sampled, sentence_around


def main() -> None:
    args, rows = sampled(
        __doc__.splitlines()[0], "quotes",
        "SELECT q.article_id, q.quote_id, q.kind, q.cue_word, q.speaker, q.confidence, q.content_spans,"
        " q.source_spans, q.cue_spans, a.text, a.site FROM quotes q JOIN articles a ON a.id = q.article_id"
        " ORDER BY q.article_id, q.quote_id", 40)
    for k, (aid, qid, kind, cue, speaker, conf, content, source, cues, text, site) in enumerate(rows, 1):
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
