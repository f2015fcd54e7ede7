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
        elif name.startswith("events/petrarch2-unittest"):
            _CACHE[name] = evaluate_events(path, _validate_nlp(path))[0]
        else:
            _CACHE[name] = evaluate_events(path, nlp)[0]
    return _CACHE[name]


def _validate_nlp(path):
    """Return a pipeline with PETRARCH2's own test dictionaries loaded: its unit tests' actors are fictional."""
    from newsgraph.annotate.nlp import _load_nlp

    reference = path.parents[2] / "reference" / "petrarch2"
    files = tuple(str(reference / f"PETR.Validate.{kind}.txt") for kind in ("verbs", "actors", "agents", "discards"))
    if not all(Path(f).is_file() for f in files):
        pytest.skip(f"PETRARCH2 test dictionaries not found in {reference}")
    return _load_nlp(None, files)


def test_no_event_in_non_political_sentences(shared, nlp):
    from newsgraph.eval.events import evaluate_events

    path = shared / "eval" / "events" / "negatives.dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    assert evaluate_events(path, nlp)[0]["detection_predicted"] <= 1
