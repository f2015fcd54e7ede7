"""On real pages of many outlets (the extraction dev set, the `pages_db` store of conftest.py), every stored event
has an actor for a source."""

from newsgraph.annotate.events.dictionaries import load_dictionaries, text_words, words_of
from newsgraph.store import Database


def test_every_stored_event_has_an_actor_as_its_source(pages_db):
    dicts = load_dictionaries()
    with Database(pages_db, read_only=True) as db:
        rows = db.query("SELECT e.source_text, e.source_entity_id, n.type FROM events e "
                        "LEFT JOIN entities n ON n.article_id = e.article_id AND n.entity_id = e.source_entity_id")
    assert rows, "the dev pages give some events"
    for text, entity_id, entity_type in rows:
        named = entity_id is not None and entity_type in {"PERSON", "ORG", "GPE", "NORP"}
        in_dictionary = dicts.find_actor(text_words(text)) is not None or dicts.find_agent(words_of(text)) is not None
        assert named or in_dictionary, f"{text!r} is no entity, dictionary actor or agent"


def test_events_only_on_political_pages(pages_db):
    with Database(pages_db, read_only=True) as db:
        other = db.query("SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id "
                         "WHERE a.genre = 'other'")[0][0]
        genres = dict(db.query("SELECT genre, count(*) FROM articles GROUP BY genre"))
    assert other == 0
    assert genres.get("other", 0) > 0 and genres.get("political", 0) > 0
