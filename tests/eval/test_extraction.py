import pytest

from newsgraph.eval.extraction import score_extraction, score_page, shingles


def test_shingles():
    assert shingles("") == {}
    assert shingles("one two") == {("one", "two"): 1}
    assert sum(shingles("a b c d e").values()) == 2


def test_perfect_and_empty_predictions():
    truth = {"p1": "The cat sat on the mat today.", "p2": "Dogs bark at night in the city."}
    assert score_extraction(truth, truth)["f1"] == 1.0
    empty = score_extraction(truth, {})
    # Empty predictions are skipped for precision and count as zero recall.
    assert empty["recall"] == 0.0 and empty["precision"] == 0.0 and empty["f1"] == 0.0


def test_partial_overlap_is_normalised_per_page():
    tp, fp, fn = score_page("a b c d e f", "a b c d x y")
    # truth shingles: abcd bcde cdef; predicted: abcd bcdx cdxy
    assert (tp, fp, fn) == pytest.approx((1 / 5, 2 / 5, 2 / 5))
