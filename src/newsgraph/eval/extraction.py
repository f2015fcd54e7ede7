"""Score article-body extraction with the article-extraction-benchmark metric.

The rules are those of ``shared/eval/README.md`` (task "extraction"): 4-token
shingles of ``\\w+`` tokens, per-page precision and recall on normalised
counts, means over pages, F1 of the two means.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import EvalDataError

__all__ = [
    "shingles",
    "score_page",
    "score_extraction",
    "ExtractionCase",
    "load_extraction_cases",
    "read_case",
    "run_extraction",
    "newsgraph_body",
    "evaluate_extraction",
]

_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter:
    """Return the multiset of contiguous 4-token tuples of ``text``."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def score_page(truth: str, pred: str) -> tuple[float, float, float]:
    """Return normalised (TP, FP, FN) for one page."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def score_extraction(truth: dict[str, str], predicted: dict[str, str]) -> dict:
    """Return precision, recall, f1, accuracy and page counts over all pages of ``truth``."""
    precisions, recalls, exact = [], [], 0
    for page_id, body in truth.items():
        pred = predicted.get(page_id) or ""
        tp, fp, fn = score_page(body, pred)
        if fp == 0 and fn == 0:
            p = r = 1.0
        else:
            p = 0.0 if tp == 0 and fp == 0 else tp / (tp + fp)
            r = 0.0 if tp == 0 and fn == 0 else tp / (tp + fn)
        if tp + fp > 0:
            precisions.append(p)
        if tp + fn > 0:
            recalls.append(r)
        exact += _TOKEN.findall(body) == _TOKEN.findall(pred)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": exact / len(truth) if truth else 0.0,
        "pages": len(truth),
    }


@dataclass(frozen=True, slots=True)
class ExtractionCase:
    """One page of an extraction evaluation folder."""

    id: str
    path: Path
    url: str | None
    truth: str


def load_extraction_cases(data_dir: str | Path) -> list[ExtractionCase]:
    """Return the pages of an evaluation folder (``html/<id>.html.gz`` or ``text/<id>.txt``)."""
    root = Path(data_dir)
    gt_path = root / "ground-truth.json"
    if not gt_path.is_file():
        raise EvalDataError("no ground-truth.json in this folder", source=str(root))
    try:
        truth = json.loads(gt_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise EvalDataError(f"ground-truth.json is not readable JSON ({err})", source=str(gt_path)) from None
    cases = []
    for page_id, item in sorted(truth.items()):
        for candidate in (root / "html" / f"{page_id}.html.gz", root / "html" / f"{page_id}.html",
                          root / "text" / f"{page_id}.txt"):
            if candidate.is_file():
                cases.append(ExtractionCase(page_id, candidate, item.get("url"), item.get("articleBody", "")))
                break
        else:
            raise EvalDataError(f"no page file for id {page_id}", source=str(root))
    return cases


def read_case(case: ExtractionCase) -> str:
    """Return the page's decoded content (HTML or page text)."""
    raw = case.path.read_bytes()
    if case.path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def run_extraction(
    cases: list[ExtractionCase], extractor: Callable[[ExtractionCase], str]
) -> tuple[dict, dict[str, str]]:
    """Run ``extractor`` over ``cases``; return (scores with pages_per_s, predictions)."""
    predicted: dict[str, str] = {}
    start = time.perf_counter()
    for case in cases:
        predicted[case.id] = extractor(case) or ""
    elapsed = time.perf_counter() - start
    scores = score_extraction({c.id: c.truth for c in cases}, predicted)
    scores["seconds"] = elapsed
    scores["pages_per_s"] = len(cases) / elapsed if elapsed else 0.0
    return scores, predicted


def newsgraph_body(case: ExtractionCase) -> str:
    """Return the article body newsgraph extracts from an evaluation page (empty on failure).

    The page goes through the same path as ``newsgraph ingest``: file reading
    and decoding, then ``extract()`` (HTML or page-text cleaner by suffix).
    """
    from dataclasses import replace

    from ..errors import NewsgraphError
    from ..extract import extract
    from ..ingest import read_document

    try:
        raw = replace(read_document(case.path), url=case.url)
        return "\n\n".join(extract(raw).paragraphs)
    except NewsgraphError:
        return ""


def evaluate_extraction(data_dir: str | Path) -> dict:
    """Return newsgraph's extraction scores (and pages/s, failures) on an evaluation folder."""
    cases = load_extraction_cases(data_dir)
    scores, predicted = run_extraction(cases, newsgraph_body)
    scores["failures"] = sum(1 for c in cases if not predicted[c.id])
    return scores
