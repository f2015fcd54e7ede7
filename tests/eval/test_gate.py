"""Quality gate: scores on the shared dev data must stay at or above the pinned floors."""

import json
from pathlib import Path

import pytest

BASELINE = json.loads((Path(__file__).with_name("eval_baseline.json")).read_text())
FLOORS = [(name, metric, floor) for name, metrics in BASELINE.items() if not name.startswith("_")
          for metric, floor in metrics.items()]


@pytest.mark.parametrize("name, metric, floor", FLOORS, ids=[f"{n}:{m}" for n, m, _ in FLOORS])
def test_score_at_or_above_floor(name, metric, floor, shared, nlp):
    path = shared / "eval" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    scores = _scores(name, path, nlp)
    assert scores[metric] >= floor, f"{name} {metric} fell to {scores[metric]:.4f} (floor {floor})"


_CACHE: dict = {}


def _scores(name, path, nlp) -> dict:
    """Return the scores of one evaluation file, computed once per test session."""
    from newsgraph.eval.entities import evaluate_entities
    from newsgraph.eval.events import evaluate_events
    from newsgraph.eval.extraction import evaluate_extraction
    from newsgraph.eval.quotes import evaluate_quotes

    if name not in _CACHE:
        task = name.split("/")[0]
        if task == "extraction":
            _CACHE[name] = evaluate_extraction(path)
        elif task == "entities":
            _CACHE[name] = evaluate_entities(path, nlp)
        elif task == "quotes":
            _CACHE[name] = evaluate_quotes(path, nlp)[0]
        else:
            _CACHE[name] = evaluate_events(path, nlp)[0]
    return _CACHE[name]
