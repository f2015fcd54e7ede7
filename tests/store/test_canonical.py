from newsgraph.models import Article, Entity, Mention, Quote, Role
from newsgraph.store import Database
from newsgraph.store.canonical import canonical_id

INFO = {"pipeline_version": "t", "model": "m", "model_version": "1"}


def person(eid, name, *aliases):
    return Entity(eid, name, "PERSON", tuple(aliases), (Mention(0, len(name), name),))


def art(aid, *entities):
    return Article(id=aid, source=f"{aid}.txt", text="x" * 40, paragraphs=((0, 40),), entities=entities)


def links(db):
    return dict(((a, e), c) for a, e, c in db.query("SELECT article_id, entity_id, canonical_id FROM entity_links"))


def test_full_name_and_surname_across_articles_are_one_person(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(art("a", person("E1", "Vladimir Putin", "Putin")), run)
        db.add_article(art("b", person("E1", "Putin")), run)
        db.add_article(art("c", person("E3", "Vladimir Putin")), run)
        ids = links(db)
        assert ids[("a", "E1")] == ids[("b", "E1")] == ids[("c", "E3")] == canonical_id("PERSON", "vladimir putin")
        assert db.query("SELECT name, aliases FROM canonical_entities") == [("Vladimir Putin", ["Putin"])]


def test_surname_first_then_full_name_keeps_the_id_and_upgrades_the_name(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(art("a", person("E1", "Giles")), run)
        db.add_article(art("b", person("E2", "Keir Giles", "Giles")), run)
        ids = links(db)
        assert ids[("a", "E1")] == ids[("b", "E2")] == canonical_id("PERSON", "giles")
        assert db.query("SELECT name FROM canonical_entities") == [("Keir Giles",)]


def test_a_surname_two_known_people_share_links_to_neither(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(art("a", person("E1", "John Smith", "Smith"), person("E2", "Anna Smith")), run)
        db.add_article(art("b", person("E1", "Smith")), run)
        ids = links(db)
        assert len({ids[("a", "E1")], ids[("a", "E2")], ids[("b", "E1")]}) == 3


def test_types_and_dates_are_kept_apart(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        georgia = [Entity("E1", "Georgia", "GPE", (), ()), Entity("E2", "Georgia", "PERSON", (), ()),
                   Entity("E3", "Monday", "DATE", (), ())]
        db.add_article(art("a", *georgia), run)
        ids = links(db)
        assert ids[("a", "E1")] != ids[("a", "E2")] and ("a", "E3") not in ids


def test_quotes_and_roles_round_trip(db_path):
    text = '"It is over," said Keir Giles, a senior fellow at Chatham House.'
    giles = Entity("E1", "Keir Giles", "PERSON", (), (Mention(19, 29, "Keir Giles"),),
                   (Role("senior fellow", "Chatham House", (31, 64)), Role("analyst", None, None)), confidence=0.75)
    quote = Quote("Q1", "direct", ((0, 13),), ((14, 18),), ((19, 29),), "say", "E1", "Keir Giles", 0.9,
                  speaker_confidence=0.95)
    article = Article(id="q", source="q.txt", text=text, paragraphs=((0, len(text)),), entities=(giles,),
                      quotes=(quote,))
    with Database(db_path) as db:
        db.add_article(article, db.start_run(INFO))
        assert db.get_article("q") == article
        assert db.query("SELECT text, speaker FROM quotes") == [('"It is over,"', "Keir Giles")]


def test_events_dates_places_and_tone_round_trip(db_path):
    from newsgraph.models import Actor, DateExpression, Event, Place

    text = "Putin spoke to Lukashenko over the weekend in Minsk."
    article = Article(
        id="x", source="x.txt", text=text, paragraphs=((0, len(text)),), tone=-0.2,
        dates=(DateExpression("D1", "over the weekend", (26, 42), "2020-08-15/2020-08-16", "interval"),
               DateExpression("D2", "on Sunday", None, "2020-08-16", "day")),
        places=(Place("P1", "Minsk", ((46, 51),), "BLR", "Minsk City", 53.9, 27.56, 625144, "city"),),
        events=(Event("V1", "CONSULT", (6, 11), (0, len(text)), None, "040", Actor("Putin", (0, 5), None, "RUS", "GOV"),
                      Actor("Lukashenko", (15, 25), None, "BLR", "GOV"), "asserted", "2020-08-15/2020-08-16", "D1",
                      "Minsk", "P1", None, 0.7),),
    )
    with Database(db_path) as db:
        db.add_article(article, db.start_run(INFO))
        assert db.get_article("x") == article
        assert Article.from_dict(article.to_dict()) == article


def test_names_of_one_country_across_articles_are_one_place(db_path):
    with Database(db_path) as db:
        run = db.start_run(INFO)
        db.add_article(art("a", Entity("E1", "United States", "GPE", (), ())), run)
        db.add_article(art("b", Entity("E1", "U.S.", "GPE", (), ())), run)
        ids = links(db)
        assert ids[("a", "E1")] == ids[("b", "E1")]
