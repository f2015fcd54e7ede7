import json

from newsgraph.eval.entities import fold, score_entities, stress_records


def test_types_fold_into_the_dataset_label_set():
    assert fold("GPE", "gum-news") == "LOC" and fold("NORP", "gum-news") is None
    assert fold("NORP", "re3d") == "NORP" and fold("CARDINAL", "re3d") is None


def test_overlapping_gold_names_are_scored_without_error():
    records = [{"id": "d", "source": "re3d", "text": "New York Times",
                "entities": [{"start": 0, "end": 14, "type": "ORG"}, {"start": 4, "end": 8, "type": "LOC"}]}]
    scores = score_entities(records, {"d": [(0, 14, "ORG"), (0, 14, "ORG"), (4, 8, "GPE")]})
    assert scores["tp"] == 2 and scores["predicted"] == 3 and scores["gold"] == 2


def test_the_eval_command_runs_to_the_end_on_overlapping_synthetic_names(nlp, tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    records = stress_records(60, seed=3)
    assert any(a["start"] < b["end"] and b["start"] < a["end"]
               for r in records for a, b in zip(r["entities"], r["entities"][1:])), "no overlapping gold"
    path = tmp_path / "stress.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "entities", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert "all" in result.output
