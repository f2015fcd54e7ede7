import dataclasses
import json

import pytest

from newsgraph.models import Article, Caption, Entity, Failure, Mention
from newsgraph.errors import EmptyInputError


def make_article() -> Article:
    text = "Emily Ferris said so.\n\nFerris added more."
    ferris = Entity("E1", "Emily Ferris", "PERSON", ("Ferris",), (Mention(0, 12, "Emily Ferris"), Mention(23, 29, "Ferris")))
    return Article(
        id="abc", source="x.txt", text=text, paragraphs=((0, 21), (23, 41)), title="T", dek="D",
        published="2020-08-17", language="en", captions=(Caption("alt", "cap", "AP"),),
        boilerplate=("Share this",), entities=(ferris,),
    )


def test_json_round_trip():
    article = make_article()
    data = json.loads(json.dumps(article.to_dict()))
    assert Article.from_dict(data) == article
    assert data["quotes"] == [] and data["events"] == []
    assert data["entities"][0]["mentions"] == [[0, 12], [23, 29]]


def test_records_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        make_article().title = "x"


def test_mention_offsets_point_into_text():
    article = make_article()
    for entity in article.entities:
        for m in entity.mentions:
            assert article.text[m.start:m.end] == m.text


def test_failure_from_error_keeps_the_one_line_message():
    failure = Failure.from_error(EmptyInputError("file is empty", source="a.txt"), "a.txt")
    assert failure == Failure("a.txt", "EmptyInputError", "a.txt: file is empty [E101]")


def test_failure_from_unexpected_error_names_the_input():
    failure = Failure.from_error(ValueError("boom"), "b.html")
    assert failure.source == "b.html" and "b.html" in failure.message and "boom" in failure.message
