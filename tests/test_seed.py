"""The seed article's checks from the spine issue, against its hand annotation."""

import json

import pytest


@pytest.fixture(scope="module")
def gold(seed_path):
    return json.loads(seed_path.with_name("belarus-putin-nbc.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article(seed_path, pipeline):
    from newsgraph.ingest import read_document

    return pipeline.article(read_document(seed_path), published="2020-08-17")


def test_title_and_dek_exactly_as_gold(article, gold):
    assert article.title == gold["title"]
    assert article.dek == gold["dek"]


def test_boilerplate_removed(article, gold):
    for line in gold["boilerplate"]:
        assert line not in article.text
        assert line in article.boilerplate


def test_captions_exactly_as_gold_and_not_in_text(article, gold):
    assert [c.to_dict() for c in article.captions] == gold["captions"]
    for caption in gold["captions"]:
        assert caption["text"] not in article.text
        assert caption["credit"] not in article.text
        assert f"Image: {caption['alt']}" not in article.text


def test_text_bounds(article):
    assert article.text.startswith("After being booed")
    assert article.text.endswith('no matter what happens next."')


def test_paragraph_spans_cover_the_paragraphs(article):
    for start, end in article.paragraphs:
        para = article.text[start:end]
        assert para and para == para.strip() and "\n" not in para


def test_entities_clustered(article):
    names = {e.name: e for e in article.entities}
    ferris = names["Emily Ferris"]
    assert "Ferris" in ferris.aliases and ferris.type == "PERSON"
    rusi = names["Royal United Services Institute"]
    assert "RUSI" in rusi.aliases and rusi.type == "ORG"
    assert sum(1 for e in article.entities if "Ferris" in (e.name, *e.aliases)) == 1
    assert sum(1 for e in article.entities if "RUSI" in (e.name, *e.aliases)) == 1


def test_every_gold_speaker_has_its_role_and_organisation(article, gold):
    by_name = {e.name: e for e in article.entities}
    for speaker in gold["speakers"]:
        entity = by_name.get(speaker["name"])
        assert entity is not None, speaker["name"]
        if speaker["role"] is None and speaker["org"] is None:
            continue
        assert (speaker["role"], speaker["org"]) in [(r.title, r.organisation) for r in entity.roles], speaker


def test_quotes_are_attributed_to_resolved_speakers(article, gold):
    speakers = {q.speaker for q in article.quotes}
    assert {g["speaker"] for g in gold["quotes"]} <= speakers
    for quote in article.quotes:
        for start, end in quote.source:
            assert article.text[start:end].strip()


def test_negated_speech_is_no_quote(article):
    # "Although Putin has not publicly commented on the unrest in Belarus, he spoke to Lukashenko ..."
    assert not [q for q in article.quotes if q.cue_word == "comment"]


def test_all_gold_dates_resolved(article, gold):
    found = {(d.text, d.value) for d in article.dates}
    for expected in gold["dates"]:
        assert (expected["text"], expected["value"]) in found, expected
