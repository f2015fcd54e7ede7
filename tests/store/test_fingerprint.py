"""Near-duplicates: MinHash signatures tell copies from distinct articles; the store links copies to originals."""

from __future__ import annotations

import dataclasses

from newsgraph.models import Article, Entity, Mention, Quote
from newsgraph.store import Database
from newsgraph.store.fingerprint import BANDS, MIN_WORDS, PERMUTATIONS, band_keys, signature, similarity

INFO = {"pipeline_version": "t", "model": "m", "model_version": "1"}

STORY = (
    "The regional council voted on Tuesday to close two rural bus lines from the spring, saying the routes had lost "
    "more than half of their passengers since 2019. Residents of the valley villages said they would be cut off from "
    "the hospital and the market town. \"We were never asked,\" said Ilse Brandt, who runs the village shop in "
    "Oberau. The council said a dial-a-ride service would replace the buses on weekday mornings."
)
OTHER = (
    "Fishing boats returned on Wednesday to the harbour, which had been closed for three weeks after a storm tore "
    "away part of the breakwater. Repairs cost 2.3 million kronor and were finished ahead of schedule, the port "
    "authority said, adding that a second phase of work would start in the autumn once the weather allows divers in."
)


def test_signatures_compare_copies_high_and_distinct_texts_low():
    sig = signature(STORY)
    assert len(sig) == PERMUTATIONS and len(band_keys(sig)) == BANDS
    assert signature(STORY) == sig  # fixed seeds: the same in every process and run
    assert similarity(sig, signature("VALLEY (Wire) - " + STORY + " Reporting by A. Writer.")) > 0.8
    assert similarity(sig, signature(OTHER)) < 0.2
    assert signature(" ".join(["word"] * (MIN_WORDS - 1))) is None  # too short to mean anything


def _article(aid: str, text: str, title: str) -> Article:
    name = "Ilse Brandt"
    start = text.find(name)
    brandt = Entity("E1", name, "PERSON", (), (Mention(start, start + len(name), name),))
    quote_start = text.find('"We')
    quote = Quote("Q1", "direct", ((quote_start, quote_start + 20),), (), (), "said", "E1", name, 0.9)
    return Article(id=aid, source=f"{aid}.html", text=text, paragraphs=((0, len(text)),), title=title,
                   entities=(brandt,), quotes=(quote,))


def test_a_copy_is_stored_as_a_link_without_its_annotations(db_path):
    wire_copy = "VALLEY (Wire) - " + STORY + "\n\nReporting by A. Writer; editing by B. Editor"
    with Database(db_path) as db:
        run = db.start_run(INFO)
        assert db.add_article(_article("orig", STORY, "Bus lines to close"), run) == "stored"
        assert db.add_article(_article("copy", wire_copy, "Valley buses axed"), run) == "copy"
        # A copy of the copy (another re-publication) links to the same original.
        assert db.add_article(_article("copy2", wire_copy + " More at 11.", "Buses"), run) == "copy"
        assert db.add_article(_article("other", OTHER, "Harbour reopens"), run) == "stored"
        assert db.copy_of("copy") == db.copy_of("copy2") == "orig" and db.copy_of("other") is None
        assert db.query("SELECT DISTINCT article_id FROM quotes ORDER BY 1") == [("orig",), ("other",)]
        assert db.query("SELECT DISTINCT article_id FROM entity_links ORDER BY 1") == [("orig",), ("other",)]
        assert db.query("SELECT count(*) FROM articles") == [(4,)]
        similarity_of_copy = db.query("SELECT copy_similarity FROM articles WHERE id = 'copy'")[0][0]
        assert 0.6 <= similarity_of_copy <= 1.0
        assert db.finish_run(run) == {"stored": 2, "copy": 2, "duplicate": 0, "failed": 0}


def test_a_batch_is_stored_as_one_by_one_would_store_it(tmp_path):
    # In one batch, a later article can be a duplicate or a copy of an earlier one.
    wire_copy = "VALLEY (Wire) - " + STORY + "\n\nReporting by A. Writer; editing by B. Editor"
    articles = [_article("orig", STORY, "Bus lines to close"), _article("orig", STORY, "Bus lines to close"),
                _article("copy", wire_copy, "Valley buses axed"), _article("other", OTHER, "Harbour reopens")]
    articles[1] = dataclasses.replace(articles[1], source="orig-again.html")
    stores = []
    for name, batch in (("batch", True), ("single", False)):
        with Database(tmp_path / f"{name}.duckdb") as db:
            run = db.start_run(INFO)
            if batch:
                outcomes = db.add_articles(articles, run)
            else:
                outcomes = [db.add_article(a, run) for a in articles]
            assert outcomes == ["stored", "duplicate", "copy", "stored"]
            stores.append({t: db.query(f"SELECT * FROM {t} ORDER BY ALL")
                           for t in ("entities", "mentions", "quotes", "canonical_entities", "entity_links",
                                     "fingerprints", "fingerprint_bands")}
                          | {"articles": db.query("SELECT id, copy_of, copy_similarity FROM articles ORDER BY 1"),
                             "journal": db.query("SELECT source, outcome, article_id FROM journal ORDER BY 1")})
    assert stores[0] == stores[1]
