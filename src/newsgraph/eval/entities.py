"""Score named entities against the shared ``entities`` evaluation files.

Rules of ``shared/eval/README.md`` (task "entities"): predicted types are
folded into the label set the dataset annotates, then (start, end, type)
triples are compared exactly; micro P/R/F1 overall and per type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..models import Entity
from .common import prf, read_jsonl

__all__ = ["FOLDING", "fold", "score_entities", "predict_entities", "evaluate_entities"]

#: Per dataset: predicted type -> gold label set's type (None: ignored).
FOLDING: dict[str, dict[str, str | None]] = {
    "gum-news": {"GPE": "LOC", "FAC": "LOC", "NORP": None, "DATE": None},
    "re3d": {"GPE": "LOC", "FAC": "LOC"},
    "conll2003": {"GPE": "LOC", "FAC": "LOC", "NORP": "MISC", "DATE": None},
    "worldwide-newswire": {"GPE": "LOC"},
}
_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "MISC"}


def fold(etype: str, dataset: str) -> str | None:
    """Return ``etype`` folded into ``dataset``'s label set, or None if it is not scored there."""
    if etype not in _TYPES:
        return None
    return FOLDING.get(dataset, {}).get(etype, etype)


def predict_entities(entities: Iterable[Entity]) -> list[tuple[int, int, str]]:
    """Return flat (start, end, type) triples for every mention of ``entities``."""
    return sorted({(m.start, m.end, e.type) for e in entities for m in e.mentions})


def score_entities(records: list[dict], predictions: dict[str, list[tuple[int, int, str]]]) -> dict:
    """Return micro P/R/F1 overall and ``per_type`` for ``predictions`` (record id -> triples)."""
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for record in records:
        dataset = record.get("source", "")
        gold = Counter((g["start"], g["end"], g["type"]) for g in record.get("entities", ()))
        for g in gold.elements():
            n_gold[g[2]] += 1
        for start, end, etype in predictions.get(record["id"], ()):
            folded = fold(etype, dataset)
            if folded is None:
                continue
            n_pred[folded] += 1
            if gold[(start, end, folded)] > 0:
                gold[(start, end, folded)] -= 1
                tp[folded] += 1
    result = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    result["per_type"] = {
        t: prf(tp[t], n_pred[t], n_gold[t]) for t in sorted(set(n_gold) | set(n_pred))
    }
    result["documents"] = len(records)
    return result


def evaluate_entities(path: str, nlp) -> dict:
    """Run the spaCy pipeline ``nlp`` over each record's ``text`` and return ``score_entities``."""
    records = read_jsonl(path)
    docs = nlp.pipe(r["text"] for r in records)
    predictions = {r["id"]: predict_entities(doc._.entities) for r, doc in zip(records, docs)}
    return score_entities(records, predictions)
