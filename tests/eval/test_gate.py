"""Quality gate: scores on the shared dev data must stay at or above the pinned floors."""

import json
from pathlib import Path

import pytest

BASELINE = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text())
FLOORS = [(name, metric, floor) for name, metrics in BASELINE.items() if not name.startswith("_")
          for metric, floor in metrics.items()]


@pytest.mark.parametrize("name, metric, floor", FLOORS, ids=[f"{n}:{m}" for n, m, _ in FLOORS])
def test_score_at_or_above_floor(name, metric, floor, shared, nlp):
    from newsgraph.eval.entities import evaluate_entities
    from newsgraph.eval.extraction import evaluate_extraction

    path = shared / "eval" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    scores = evaluate_extraction(path) if name.startswith("extraction") else evaluate_entities(path, nlp)
    assert scores[metric] >= floor, f"{name} {metric} fell to {scores[metric]:.4f} (floor {floor})"
