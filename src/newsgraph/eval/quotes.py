"""Score quote attributions against the shared ``quotes`` evaluation files.

Rules of ``shared/eval/README.md`` (task "quotes"):

1. the *core* of a span list is the set of character positions it covers once
   whitespace and quotation marks are trimmed from both ends of each span;
2. gold and predicted quotes are matched one-to-one, greedily by decreasing
   core overlap, a pair being a candidate when the overlap is positive and at
   least half the longer core (ties: lower gold index, then lower predicted);
3. all-quote P/R/F1 are micro-averaged over records;
4. direct-quote P/R/F1 repeat 2-3 on gold quotes with ``direct`` true and on
   predicted quotes whose content text holds a double quotation mark;
5. speaker accuracy is measured over matched pairs whose gold ``source`` is
   non-empty: correct when the raw source spans share a character;
6. end-to-end P/R/F1 count a matched pair when its speaker is correct, or
   when gold and predicted sources are both empty.

Where gold quotes also carry the resolved ``speaker`` name (the seed), a
matched pair whose predicted ``speaker`` is that name (case and spacing
aside) counts in ``speaker_name_matches``, out of ``speaker_name_gold``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .common import greedy_pairs, prf, read_jsonl

__all__ = ["QUOTE_MARKS", "core", "match_quotes", "is_direct", "score_quotes", "predict_quotes", "evaluate_quotes"]

#: Characters trimmed from both ends of every span before overlaps are counted.
QUOTE_MARKS = "“”„\"‘’'«»"
_TRIM = frozenset(QUOTE_MARKS)
#: A content holding one of these is a direct quote (the README's definition).
_DIRECT_MARKS = frozenset("“”\"")

SpanList = Sequence[Sequence[int]]


def core(spans: SpanList, text: str) -> frozenset[int]:
    """Return the character positions of ``spans`` after trimming whitespace and quotation marks."""
    positions: set[int] = set()
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        while start < end and (text[start].isspace() or text[start] in _TRIM):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _TRIM):
            end -= 1
        positions.update(range(start, end))
    return frozenset(positions)


def _positions(spans: SpanList) -> frozenset[int]:
    return frozenset(i for start, end in spans for i in range(start, end))


def is_direct(spans: SpanList, text: str) -> bool:
    """Return whether the text of ``spans`` holds “, ” or ``"``."""
    return any(c in _DIRECT_MARKS for start, end in spans for c in text[start:end])


def match_quotes(gold: list[frozenset[int]], predicted: list[frozenset[int]]) -> list[tuple[int, int]]:
    """Return greedy one-to-one (gold index, predicted index) pairs of content cores."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if not g or not p:
                continue
            overlap = len(g & p)
            if overlap > 0 and overlap >= 0.5 * max(len(g), len(p)):
                candidates.append((-overlap, gi, pi))
    return greedy_pairs(candidates)


def score_quotes(gold_records: Iterable[dict], predicted_records: Iterable[dict]) -> dict[str, Any]:
    """Return all-quote, direct-quote, speaker and end-to-end scores with their counts.

    Predicted records are matched to gold records by ``id``; a gold record
    without a prediction counts as one with no quotes. Every offset refers
    to the gold record's ``text``.
    """
    predictions = {r["id"]: r for r in predicted_records}
    tp = n_pred = n_gold = 0
    d_tp = d_pred = d_gold = 0
    speaker_correct = speaker_pairs = e2e_tp = 0
    name_matches = name_gold = 0
    documents = 0
    for record in gold_records:
        documents += 1
        text = record["text"]
        gold = record.get("quotes", [])
        pred = predictions.get(record["id"], {}).get("quotes", [])
        gold_cores = [core(q["content"], text) for q in gold]
        pred_cores = [core(q["content"], text) for q in pred]
        pairs = match_quotes(gold_cores, pred_cores)
        tp += len(pairs)
        n_pred += len(pred)
        n_gold += len(gold)
        name_gold += sum(1 for q in gold if q.get("speaker"))
        for gi, pi in pairs:
            if gold[gi].get("speaker"):
                name_matches += _same_name(gold[gi]["speaker"], pred[pi].get("speaker"))
            g_source, p_source = gold[gi].get("source", []), pred[pi].get("source", [])
            if g_source:
                speaker_pairs += 1
                correct = bool(_positions(g_source) & _positions(p_source))
                speaker_correct += correct
                e2e_tp += correct
            elif not p_source:
                e2e_tp += 1

        gold_direct = [i for i, q in enumerate(gold) if q.get("direct")]
        pred_direct = [i for i, q in enumerate(pred) if is_direct(q["content"], text)]
        d_pairs = match_quotes([gold_cores[i] for i in gold_direct], [pred_cores[i] for i in pred_direct])
        d_tp += len(d_pairs)
        d_pred += len(pred_direct)
        d_gold += len(gold_direct)

    overall, direct, e2e = prf(tp, n_pred, n_gold), prf(d_tp, d_pred, d_gold), prf(e2e_tp, n_pred, n_gold)
    return {
        "precision": overall["precision"],
        "recall": overall["recall"],
        "f1": overall["f1"],
        "direct_precision": direct["precision"],
        "direct_recall": direct["recall"],
        "direct_f1": direct["f1"],
        "speaker_accuracy": speaker_correct / speaker_pairs if speaker_pairs else 0.0,
        "speaker_pairs": speaker_pairs,
        "e2e_precision": e2e["precision"],
        "e2e_recall": e2e["recall"],
        "e2e_f1": e2e["f1"],
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
        "direct_tp": d_tp,
        "direct_predicted": d_pred,
        "direct_gold": d_gold,
        "speaker_correct": speaker_correct,
        "e2e_tp": e2e_tp,
        "speaker_name_matches": name_matches,
        "speaker_name_gold": name_gold,
        "documents": documents,
    }


def _same_name(gold: str, predicted: str | None) -> bool:
    return predicted is not None and " ".join(gold.casefold().split()) == " ".join(predicted.casefold().split())


def _spans(spans: Iterable[tuple[int, int]]) -> list[list[int]]:
    return [[start, end] for start, end in spans]


def predict_quotes(records: list[dict], nlp) -> list[dict]:
    """Return prediction records (gold format) from running ``nlp`` over each record's ``text``."""
    predictions = []
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        text = record["text"]
        quotes = sorted(doc._.quotes, key=lambda q: (q.content[0][0] if q.content else 0))
        predictions.append({
            "id": record["id"],
            "source": record.get("source", ""),
            "text": text,
            "quotes": [
                {
                    "content": _spans(q.content),
                    "source": _spans(q.source),
                    "cue": _spans(q.cue),
                    "direct": is_direct(q.content, text),
                    "speaker": q.speaker,
                }
                for q in quotes
                if q.content
            ],
        })
    return predictions


def evaluate_quotes(path: str | Path, nlp) -> tuple[dict[str, Any], list[dict]]:
    """Return (``score_quotes`` of ``nlp``'s predictions on the file at ``path``, the predictions)."""
    records = read_jsonl(path)
    predictions = predict_quotes(records, nlp)
    return score_quotes(records, predictions), predictions
