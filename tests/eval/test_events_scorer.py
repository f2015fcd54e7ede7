import json

import pytest

from newsgraph.eval.events import (
    SCORED_STATUSES,
    actor_words,
    actors_agree,
    evaluate_events,
    match_events,
    predict_events,
    score_events,
)


def event(etype, source=(), target=(), source_code=(), target_code=(), **extra) -> dict:
    return {"type": etype, "source": list(source), "target": list(target), "source_code": list(source_code),
            "target_code": list(target_code), **extra}


def record(events, rid="s1", text="A sentence.") -> dict:
    return {"id": rid, "source": "test", "text": text, "events": events}


# --- actor agreement


@pytest.mark.parametrize(
    "text, words",
    [
        ("The Government of Sudan", {"government", "sudan"}),
        ("Israel's Cabinet", {"israel", "cabinet"}),  # the possessive s is a stop word
        ("a man and the state", {"man", "state"}),
        ("to the end, for a start", {"end", "start"}),
    ],
)
def test_actor_words_drop_stop_words_and_lower_case(text, words):
    assert actor_words(text) == words


@pytest.mark.parametrize(
    "gold, predicted, agree",
    [
        (event("ASSAULT", ["Bosnian town of Gorazde"]), event("ASSAULT", ["Gorazde"]), True),
        (event("ASSAULT", ["Sudanese rebels"]), event("ASSAULT", ["rebel forces"]), False),  # rebels != rebel
        (event("ASSAULT", ["the state of Texas"]), event("ASSAULT", ["the end of the war"]), False),  # stop words only
        (event("ASSAULT", ["Hezbollah"], source_code=["LBN"]),
         event("ASSAULT", ["militants"], source_code=["lbn"]), True),
        (event("ASSAULT", [], source_code=["ARN"]), event("ASSAULT", ["Arnor"]), False),  # text never meets a code
        (event("ASSAULT", ["Israel"]), event("ASSAULT", []), False),
        (event("ASSAULT", []), event("ASSAULT", ["Israel"]), False),
    ],
)
def test_actor_agreement_by_shared_word_or_equal_code(gold, predicted, agree):
    assert actors_agree(gold, predicted, "source") is agree


def test_actor_lists_agree_when_any_member_does():
    gold = event("CONSULT", ["French warships", "Egyptian warships"])
    assert actors_agree(gold, event("CONSULT", ["Egypt", "the Egyptian navy"]), "source")


# --- matching


def test_type_matching_prefers_the_pair_with_more_agreeing_actors():
    gold = [event("ASSAULT", ["Serbia"], ["Croatia"]), event("ASSAULT", ["Croatia"], ["Serbia"])]
    pred = [event("ASSAULT", ["Croatia"], ["Serbia"]), event("ASSAULT", ["Serbia"], ["Croatia"])]
    typed, untyped = match_events(gold, pred)
    assert typed == [(0, 1), (1, 0)] and untyped == []


def test_type_matching_ties_go_to_lower_gold_then_lower_predicted_index():
    gold = [event("PROTEST", ["students"]), event("PROTEST", ["students"])]
    pred = [event("PROTEST", ["students"]), event("PROTEST", ["students"])]
    assert match_events(gold, pred)[0] == [(0, 0), (1, 1)]


def test_events_of_different_types_never_match():
    typed, _ = match_events([event("ACCUSE", ["Albania"])], [event("REJECT", ["Albania"])])
    assert typed == []


# --- scores


GOLD = [
    record([event("AGREE", ["Finland"], ["Tanzania"])], "r1"),
    record([event("ASSAULT", ["rebels"], ["Juba"]), event("COERCE", ["police"], ["journalists"])], "r2"),
    record([], "r3"),
]
PRED = [
    record([event("AGREE", ["Finland"], ["the grant"]), event("AID", ["Finland"], ["Tanzania"])], "r1"),
    record([event("ASSAULT", ["Sudanese rebels"], ["Juba"])], "r2"),
    record([event("PROTEST", ["students"])], "r3"),
]


def test_type_and_detection_scores_are_micro_averaged():
    scores = score_events(GOLD, PRED)
    assert (scores["tp"], scores["predicted"], scores["gold"]) == (2, 4, 3)
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    # detection: r1 min(1, 2) = 1, r2 min(2, 1) = 1, r3 min(0, 1) = 0
    assert (scores["detection_tp"], scores["detection_predicted"], scores["detection_gold"]) == (2, 4, 3)


def test_per_type_scores_come_from_the_same_counts():
    per_type = score_events(GOLD, PRED)["per_type"]
    assert per_type["AGREE"]["tp"] == 1 and per_type["AGREE"]["precision"] == 1.0
    assert per_type["COERCE"]["recall"] == 0.0 and per_type["COERCE"]["gold"] == 1
    assert per_type["AID"]["predicted"] == 1 and per_type["AID"]["tp"] == 0
    assert per_type["PROTEST"]["predicted"] == 1


def test_actor_accuracy_is_over_type_matched_pairs_with_a_gold_actor():
    scores = score_events(GOLD, PRED)
    assert scores["source_pairs"] == 2 and scores["source_accuracy"] == 1.0
    assert scores["target_pairs"] == 2 and scores["target_accuracy"] == 0.5  # "the grant" is not Tanzania


def test_an_empty_predicted_actor_list_is_wrong_and_an_empty_gold_one_is_not_scored():
    gold = [record([event("RETREAT", ["Uganda"], [])])]
    pred = [record([event("RETREAT", [], ["Kenya"])])]
    scores = score_events(gold, pred)
    assert scores["source_pairs"] == 1 and scores["source_accuracy"] == 0.0
    assert scores["target_pairs"] == 0


def test_untyped_gold_lets_as_many_unmatched_predictions_go_uncounted():
    gold = [record([event(None, ["ARN"], ["GON"], ["ARN"], ["GON"], cameo="064")])]
    pred = [record([event("COOPERATE", ["Arnor"], ["Gondor"], ["ARN"], ["GON"], cameo="061"),
                    event("ASSAULT", ["Mordor"], ["Gondor"], cameo="190")])]
    scores = score_events(gold, pred)
    assert scores["ignored"] == 1
    assert (scores["tp"], scores["predicted"], scores["gold"]) == (0, 1, 0)
    # the prediction that fits the untyped gold event best is the ignored one, and its actors are scored
    assert scores["per_type"]["ASSAULT"]["predicted"] == 1 and "COOPERATE" not in scores["per_type"]
    assert scores["source_accuracy"] == 1.0 and scores["target_accuracy"] == 1.0
    assert scores["cameo_pairs"] == 1 and scores["cameo_accuracy"] == 1.0  # 06 == 06
    assert scores["detection_precision"] == 0.5 and scores["detection_recall"] == 1.0


def test_a_gold_record_without_prediction_counts_as_no_events():
    scores = score_events([record([event("AGREE", ["Finland"])], "only")], [])
    assert (scores["tp"], scores["predicted"], scores["gold"]) == (0, 0, 1)
    assert scores["f1"] == 0.0 and scores["source_accuracy"] == 0.0


# --- predictions from the real pipeline


def test_predictions_keep_statements_of_intent_and_drop_negated_events(nlp):
    texts = {
        "asserted": "Police arrested three journalists in Istanbul.",
        "future": "Finland will give Tanzania a grant of 5 million euros.",
        "negated": "Russia did not attack Ukraine.",
        "refusal": "The minister said the government would not negotiate with the kidnappers.",
    }
    records = [{"id": k, "text": t} for k, t in texts.items()]
    predicted = {r["id"]: r["events"] for r in predict_events(records, nlp)}
    assert [e["type"] for e in predicted["asserted"]] == ["COERCE"]
    assert predicted["asserted"][0]["source"] == ["Police"]
    assert [(e["type"], e["status"]) for e in predicted["future"]] == [("AGREE", "future")]
    assert predicted["negated"] == []
    assert [e["type"] for e in predicted["refusal"]] == ["REJECT"]  # a negated promise is a refusal
    assert "negated" not in SCORED_STATUSES


def test_evaluate_events_scores_a_file(nlp, tmp_path):
    path = tmp_path / "events.jsonl"
    gold = record([event("SANCTION", ["European Union"], ["Belarus"], ["EUR"], ["BLR"])], "e1",
                  "The European Union imposed sanctions on Belarus.")
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    scores, predictions = evaluate_events(path, nlp)
    assert scores["tp"] == 1 and scores["source_accuracy"] == 1.0 and scores["target_accuracy"] == 1.0
    # the verb pattern "impose ... sanctions" (CAMEO 163) or the noun alone
    assert predictions[0]["events"][0]["trigger"] in {"sanctions", "imposed sanctions"}
