"""Country codes and sectors from words (newsgraph.annotate.geo): pure look-ups, no model needed."""

from importlib import resources

import pytest

from newsgraph.annotate import geo
from newsgraph.annotate.geo import actor_code, countries_in, country_code, name_key, sector_of


@pytest.mark.parametrize(
    "text, code",
    [
        # names and common variants
        ("Russia", "RUS"),
        ("the United States", "USA"),
        ("United States of America", "USA"),
        ("U.S.", "USA"),
        ("US", "USA"),
        ("the U.S.'s", "USA"),
        ("America", "USA"),
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("U.K.", "GBR"),
        ("Great Britain", "GBR"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Ivory Coast", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Burma", "MMR"),
        ("Holland", "NLD"),
        ("the Netherlands", "NLD"),
        ("Guinea-Bissau", "GNB"),
        ("St. Lucia", "LCA"),
        ("Russia's", "RUS"),
        ("RUSSIA", "RUS"),
        ("belarus", "BLR"),
        ("Kosovo", "XKX"),
        ("Gaza Strip", "PSE"),
        # nationalities
        ("Belarusian", "BLR"),
        ("Belarusians", "BLR"),
        ("Russian", "RUS"),
        ("Hungarian", "HUN"),
        ("Romanian", "ROU"),
        ("Americans", "USA"),
        ("British", "GBR"),
        ("Briton", "GBR"),
        ("Dutch", "NLD"),
        ("Swiss", "CHE"),
        ("Czechs", "CZE"),
        ("Frenchmen", "FRA"),
        ("South Koreans", "KOR"),
        ("Filipino", "PHL"),
        # capitals as metonyms
        ("Moscow", "RUS"),
        ("Washington", "USA"),
        ("Beijing", "CHN"),
        ("Minsk", "BLR"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Tel Aviv", "ISR"),
        ("Belgrade", "SRB"),  # not the dissolved Serbia and Montenegro
        # government institutions as metonyms
        ("the Kremlin", "RUS"),
        ("the White House", "USA"),
        ("Downing Street", "GBR"),
        ("the Elysee", "FRA"),
        ("the Élysée", "FRA"),
        ("the Pentagon", "USA"),
        # international organisations take CAMEO's IGO / NGO in the country slot
        ("United Nations", "IGO"),
        ("the UN", "IGO"),
        ("U.N.", "IGO"),
        ("NATO", "IGO"),
        ("European Union", "IGO"),
        ("Amnesty International", "NGO"),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["us", "who", "Who", "un", "Victoria", "Male", "Lukashenko", "Russian diplomats", "", "the", "Soviet"],
)
def test_no_country_for_words_that_are_not_one(text):
    assert country_code(text) is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("the Kremlin", "RUSGOV"),
        ("White House", "USAGOV"),
        ("Pentagon", "USAMIL"),
        ("Knesset", "ISRLEG"),
        ("United Nations", "IGOUNO"),
        ("UN", "IGOUNO"),
        ("NATO", "IGOWSTNAT"),
        ("EU", "IGOEUREEC"),
        ("WHO", "IGOUNOHLHWHO"),
        ("Human Rights Watch", "NGOHRIHRW"),
        ("Russia", "RUS"),
        ("Belarusian", "BLR"),
    ],
)
def test_actor_code_keeps_the_whole_cameo_code(text, code):
    assert actor_code(text) == code


def test_kinds_limit_the_lookup():
    assert country_code("Moscow", ("name",)) is None
    assert country_code("Belarusian", ("name",)) is None
    assert country_code("Belarus", ("name",)) == "BLR"
    assert country_code("Belarusian", ("demonym",)) == "BLR"


def test_countries_in_a_phrase():
    text = "Belarusian President Alexander Lukashenko met U.S. and Russia's officials in the Kremlin; us too."
    found = countries_in(text)
    assert [(m.text, m.code, m.kind) for m in found] == [
        ("Belarusian", "BLR", "demonym"),
        ("U.S.", "USA", "name"),
        ("Russia", "RUS", "name"),
        ("Kremlin", "RUS", "institution"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_countries_in_prefers_the_longest_name():
    assert [m.code for m in countries_in("South Korean and North Korean troops")] == ["KOR", "PRK"]
    assert [m.text for m in countries_in("He left the United States.")] == ["United States"]


def test_lowercase_words_are_not_countries_in_running_text():
    assert countries_in("a turkey for dinner, and china plates") == ()


@pytest.mark.parametrize(
    "text, key",
    [
        ("the St. Petersburg's", "saint petersburg"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("Guinea-Bissau", "guinea bissau"),
        ("  The  Hague ", "hague"),
    ],
)
def test_name_key(text, key):
    assert name_key(text) == key


@pytest.mark.parametrize(
    "words, sector",
    [
        ("government", "GOV"),
        ("President Vladimir Putin", "GOV"),
        ("Belarusian President Alexander Lukashenko", "GOV"),
        ("Chinese authorities", "GOV"),
        ("Senior Hungarian and Romanian officials", "GOV"),
        ("Mart Kaskmaa, foreign minister of neighboring Estonia", "GOV"),
        ("the Kremlin", "GOV"),
        ("Kremlin spokesman", "GOV"),
        ("U.S. official", "GOV"),
        ("army", "MIL"),
        ("Israeli military", "MIL"),
        ("government troops", "MIL"),
        ("British soldiers", "MIL"),
        ("military official", "MIL"),
        ("head of the army", "MIL"),
        ("Pentagon spokesman", "MIL"),
        ("police", "COP"),
        ("riot police", "COP"),
        ("Algerian security forces", "COP"),
        ("Palestinian police in Jericho", "COP"),
        ("opposition", "OPP"),
        ("opposition leader", "OPP"),
        ("rebels", "REB"),
        ("Sudanese rebels", "REB"),
        ("insurgents", "REB"),
        ("militants", "REB"),
        ("separatists", "REB"),
        ("civilians", "CVL"),
        ("protesters", "CVL"),
        ("demonstrators", "CVL"),
        ("residents", "CVL"),
        ("workers at a state-run factory", "CVL"),
        ("people", "CVL"),
        ("company", "BUS"),
        ("the firm's chief executive", "BUS"),
        ("journalists", "MED"),
        ("a state-run newspaper", "MED"),
        ("Latvian Constitutional Court", "JUD"),
        ("Israel's high court", "JUD"),
        ("judge", "JUD"),
        ("Lithuanian Parliament", "LEG"),
        ("lawmakers", "LEG"),
        ("senator", "LEG"),
        ("Baghdad University Medical School", "EDU"),
        ("hospital", "HLH"),
        ("human rights group", "NGO"),
        ("Royal United Services Institute, or RUSI, a think tank in London", "NGO"),
        ("United Nations", "IGO"),
        ("NATO", "IGO"),
        ("UN refugee agency", "IGO"),
        ("refugees", "REF"),
        ("refugees fleeing the civil war in Liberia", "REF"),
        ("Nigerian Union of Teachers", "LAB"),
    ],
)
def test_sector_of(words, sector):
    assert sector_of(words) == sector


def test_sector_of_a_list_of_words():
    assert sector_of(["Algerian", "security", "forces"]) == "COP"


@pytest.mark.parametrize("words", ["Lukashenko", "Belarus", "Thousands of Belarusians", "", "the weekend"])
def test_no_sector_without_a_role_word(words):
    assert sector_of(words) is None


def test_sectors_are_the_declared_codes():
    terms, _ = geo._sector_terms()
    assert {t.sector for t in terms.values()} <= set(geo.SECTORS)
    assert set(geo._tables().actor_sectors.values()) <= set(geo.SECTORS)


def test_every_country_has_a_row_and_codes_are_known():
    known = set(geo.countries())
    assert len(known) > 240
    for filename in ("geo_demonyms.tsv", "geo_country_names.tsv", "geo_capitals.tsv"):
        for row in geo._data_rows(filename):
            assert row[0] in known or row[0] == "-", (filename, row)
            assert len(row) == 2 and all(f.strip() == f and f for f in row[1].split("|")), (filename, row)
    demonyms = {row[0] for row in geo._data_rows("geo_demonyms.tsv")}
    # Uninhabited territories and dissolved states have no demonym.
    assert len(demonyms) >= 230


def test_data_files_are_tab_separated_text():
    for name in ("geo_demonyms.tsv", "geo_country_names.tsv", "geo_capitals.tsv", "geo_actors.tsv",
                 "geo_sectors.tsv", "geo_admin1.tsv"):
        text = (resources.files("newsgraph") / "data" / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            assert not line.strip() or line.startswith("#") or "\t" in line, (name, line)
