"""Score named entities against the shared ``entities`` evaluation files.

Rules of ``shared/eval/README.md`` (task "entities"): predicted types are
folded into the label set the dataset annotates, then (start, end, type)
triples are compared exactly; micro P/R/F1 overall and per type.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..models import Entity
from .common import prf, read_jsonl

__all__ = ["FOLDING", "fold", "score_entities", "predict_entities", "evaluate_entities", "stress_records"]

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


# Names that overlap each other in every way a tagger and a clusterer can trip on: nested
# ("New York" in "New York Times"), shared words ("Jordan" the country and the person), an
# acronym and its expansion, one surface typed two ways, possessives and hyphens.
_STRESS_NAMES = [
    ("New York Times", "ORG"), ("New York", "GPE"), ("York", "GPE"), ("Jordan", "GPE"),
    ("Michael Jordan", "PERSON"), ("Jordan Peterson", "PERSON"), ("United Nations", "ORG"), ("UN", "ORG"),
    ("U.S.", "GPE"), ("United States", "GPE"), ("Washington", "GPE"), ("George Washington", "PERSON"),
    ("Washington Post", "ORG"), ("Paris Hilton", "PERSON"), ("Paris", "GPE"), ("Hilton", "ORG"),
    ("Volkswagen", "ORG"), ("VW", "ORG"), ("ISIL", "ORG"), ("Islamic State", "ORG"),
    ("Al-Assad", "PERSON"), ("Bashar al-Assad", "PERSON"), ("Saint-Exupéry", "PERSON"), ("St. Louis", "GPE"),
]
_STRESS_TEMPLATES = [
    "{a} said on Monday that {b} would respond to {c}.",
    "“We will not accept this,” {a}'s spokesman told {b}.",
    "{a} and {b}, not {c}, met in {b} — {a}-{c} talks.",
    "According to {c}, {a} ({b}) had warned {a}.",
]


def stress_records(n: int = 1000, seed: int = 0) -> list[dict]:
    """Return ``n`` synthetic documents in the entities format whose gold names overlap and repeat.

    Not a quality benchmark (the gold is whatever names were put in, nested
    ones included): a robustness check that ``newsgraph eval entities`` and
    every component run to the end on names that share spans, words and forms.
    """
    import random

    rng = random.Random(seed)
    records = []
    for i in range(n):
        parts, entities, pos = [], [], 0
        for _ in range(rng.randint(1, 6)):
            names = [rng.choice(_STRESS_NAMES) for _ in range(3)]
            template = rng.choice(_STRESS_TEMPLATES)
            sentence = ""
            for piece in re.split(r"(\{[abc]\})", template):
                if piece in ("{a}", "{b}", "{c}"):
                    name, etype = names["abc".index(piece[1])]
                    start = pos + len(sentence)
                    entities.append({"start": start, "end": start + len(name), "type": etype, "text": name})
                    if " " in name:  # a nested name inside it too: overlapping gold
                        inner = name.split()[-1]
                        offset = start + len(name) - len(inner)
                        entities.append({"start": offset, "end": offset + len(inner), "type": etype, "text": inner})
                    sentence += name
                else:
                    sentence += piece
            parts.append(sentence)
            pos += len(sentence) + 2
        text = "\n\n".join(parts)
        records.append({"id": f"stress-{i}", "source": "stress", "text": text,
                        "entities": sorted(entities, key=lambda e: (e["start"], e["end"]))})
    return records
