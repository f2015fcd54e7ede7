import json

import pytest

from newsgraph.eval.quotes import core, evaluate_quotes, is_direct, match_quotes, score_quotes

TEXT = "“We will win,” said Ana Diaz. The mayor said taxes would fall. Critics disagree."


def span(part: str, text: str = TEXT) -> list[int]:
    start = text.index(part)
    return [start, start + len(part)]


def quote(content: list[str], source: list[str] = (), direct: bool = False, text: str = TEXT) -> dict:
    return {
        "content": [span(c, text) for c in content],
        "source": [span(s, text) for s in source],
        "cue": [],
        "direct": direct,
    }


def record(quotes: list[dict], text: str = TEXT, rid: str = "a1") -> dict:
    return {"id": rid, "source": "test", "text": text, "quotes": quotes}


GOLD = record([
    quote(["“We will win,”"], ["Ana Diaz"], direct=True),
    quote(["taxes would fall"], ["The mayor"]),
])


@pytest.mark.parametrize(
    "part, expected",
    [
        ("“We will win,”", "We will win,"),  # marks trimmed; the comma inside stays
        ("  taxes would fall ", "taxes would fall"),  # whitespace trimmed
        ("'quoted'", "quoted"),
    ],
)
def test_core_trims_whitespace_and_quotation_marks(part, expected):
    text = f"x {part} y"
    start = text.index(part)
    positions = core([[start, start + len(part)]], text)
    assert "".join(text[i] for i in sorted(positions)) == expected


def test_core_trims_each_span_of_a_list():
    text = '“A b,” he said. “C d.”'
    positions = core([span("“A b,”", text), span("“C d.”", text)], text)
    assert "".join(text[i] for i in sorted(positions)) == "A b,C d."


@pytest.mark.parametrize(
    "parts, direct",
    [(["“We will win,”"], True), (["taxes would fall"], False), (['x "y" z'], True), (["it’s ‘fine’"], False)],
)
def test_is_direct_looks_for_double_marks_only(parts, direct):
    text = TEXT + ' x "y" z it’s ‘fine’'
    assert is_direct([span(p, text) for p in parts], text) is direct


def test_perfect_prediction_scores_one():
    scores = score_quotes([GOLD], [GOLD])
    for key in ("precision", "recall", "f1", "direct_f1", "speaker_accuracy", "e2e_f1"):
        assert scores[key] == 1.0
    assert scores["speaker_pairs"] == 2 and scores["tp"] == 2


def test_missing_prediction_record_counts_as_empty():
    scores = score_quotes([GOLD], [])
    assert scores["recall"] == 0.0 and scores["precision"] == 0.0 and scores["gold"] == 2


def test_overlap_must_reach_half_of_the_longer_core():
    short = record([quote(["taxes"], ["The mayor"])])  # 5 of 16 characters
    assert score_quotes([GOLD], [short])["tp"] == 0
    half = record([quote(["taxes would"], ["The mayor"])])  # 11 of 16
    assert score_quotes([GOLD], [half])["tp"] == 1


def test_matching_is_greedy_by_overlap_and_one_to_one():
    gold = [frozenset(range(0, 10)), frozenset(range(20, 30))]
    predicted = [frozenset(range(0, 8)), frozenset(range(0, 10)), frozenset(range(21, 30))]
    # Gold 0 takes predicted 1 (overlap 10), not predicted 0 (overlap 8), which stays unmatched.
    assert sorted(match_quotes(gold, predicted)) == [(0, 1), (1, 2)]


def test_ties_go_to_the_lower_gold_then_the_lower_predicted_index():
    gold = [frozenset(range(0, 10)), frozenset(range(0, 10))]
    predicted = [frozenset(range(0, 10)), frozenset(range(0, 10))]
    assert match_quotes(gold, predicted) == [(0, 0), (1, 1)]


def test_direct_scores_use_gold_flag_and_predicted_text():
    # The prediction claims direct=False, but its text holds “ ”: it counts as direct.
    pred = record([dict(quote(["“We will win,”"], ["Ana Diaz"]), direct=False)])
    scores = score_quotes([GOLD], [pred])
    assert scores["direct_tp"] == 1 and scores["direct_predicted"] == 1 and scores["direct_gold"] == 1
    # An indirect prediction is not a direct one, whatever its flag says.
    pred = record([dict(quote(["taxes would fall"], ["The mayor"]), direct=True)])
    assert score_quotes([GOLD], [pred])["direct_predicted"] == 0


def test_speaker_is_correct_when_raw_source_spans_share_a_character():
    pred = record([
        quote(["“We will win,”"], ["Diaz"], direct=True),  # overlaps "Ana Diaz"
        quote(["taxes would fall"], ["Critics"]),  # wrong speaker
    ])
    scores = score_quotes([GOLD], [pred])
    assert scores["speaker_pairs"] == 2
    assert scores["speaker_accuracy"] == 0.5
    assert scores["e2e_tp"] == 1 and scores["e2e_precision"] == 0.5


def test_end_to_end_with_empty_gold_source():
    gold = record([quote(["taxes would fall"])])
    # No speaker in the gold: not a speaker pair; end-to-end needs an empty predicted source too.
    assert score_quotes([gold], [record([quote(["taxes would fall"])])])["e2e_tp"] == 1
    scores = score_quotes([gold], [record([quote(["taxes would fall"], ["The mayor"])])])
    assert scores["speaker_pairs"] == 0 and scores["tp"] == 1 and scores["e2e_tp"] == 0


def test_counts_are_micro_averaged_over_records():
    other_text = "Rain, the forecaster said, is coming."
    other = record([quote(["Rain", "is coming"], ["the forecaster"], text=other_text)], other_text, "a2")
    scores = score_quotes([GOLD, other], [GOLD])
    assert (scores["tp"], scores["predicted"], scores["gold"]) == (2, 2, 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["documents"] == 2


def test_evaluate_quotes_runs_the_pipeline_and_returns_gold_format_predictions(nlp, tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    scores, predictions = evaluate_quotes(path, nlp)
    assert scores["f1"] == 1.0 and scores["speaker_accuracy"] == 1.0
    (pred,) = predictions
    assert pred["id"] == "a1" and pred["text"] == TEXT
    starts = [q["content"][0][0] for q in pred["quotes"]]
    assert starts == sorted(starts)
    first = pred["quotes"][0]
    assert set(first) == {"content", "source", "cue", "direct", "speaker"}
    assert first["direct"] is True and TEXT[slice(*first["cue"][0])] == "said"
