"""Helpers shared by the scorers: reading JSONL evaluation files and P/R/F1."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import EvalDataError

__all__ = ["greedy_pairs", "prf", "read_jsonl"]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Return precision, recall, F1 (0 where undefined) and the counts they come from."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "predicted": n_pred, "gold": n_gold}


def greedy_pairs(candidates: list[tuple]) -> list[tuple[int, int]]:
    """Return one-to-one (gold, predicted) pairs from ``(key, gold, predicted)`` candidates.

    Candidates are taken in ascending order of the whole tuple (so a better
    pair has a smaller key, and ties go to the lower gold, then the lower
    predicted index) and a pair is accepted when neither side is taken yet:
    the greedy matching the shared scoring rules prescribe.
    """
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def read_jsonl(path: str | Path) -> list[dict]:
    """Return the records of an evaluation JSONL file; raise ``EvalDataError`` naming the bad line."""
    path = Path(path)
    if not path.is_file():
        raise EvalDataError("no such evaluation file", source=str(path))
    records = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as err:
                raise EvalDataError(f"line {lineno} is not JSON ({err.msg})", source=str(path)) from None
            if not isinstance(record, dict) or "id" not in record or "text" not in record:
                raise EvalDataError(f"line {lineno} has no 'id' and 'text'", source=str(path))
            records.append(record)
    return records
