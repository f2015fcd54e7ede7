"""The PETRARCH-format dictionaries: reading, actor codes by date, agents, user files, discards, genre."""

import datetime as dt
import subprocess
import sys

import pytest

from newsgraph.annotate.events import find_events, recode_actors
from newsgraph.annotate.events.crosswalk import plover_of
from newsgraph.annotate.events.dictionaries import load_dictionaries, text_words, words_of
from newsgraph.annotate.events.genre import genre_of
from newsgraph.errors import DictionaryError


@pytest.fixture(scope="module")
def builtin():
    return load_dictionaries()


def actor_code(dicts, text, when):
    found = dicts.find_actor(text_words(text))
    return found[2].code(when) if found else None


def test_office_holders_are_coded_by_the_date(builtin):
    assert actor_code(builtin, "Vladimir Putin", dt.date(2020, 8, 17)) == "RUSGOV"
    assert actor_code(builtin, "Putin", dt.date(1995, 1, 1)) == "RUSELI"  # before he held office
    assert actor_code(builtin, "Belarusian", None) is None or actor_code(builtin, "Minsk", None) == "BLR"
    assert actor_code(builtin, "the United Nations", None) == "IGOUNO"


def test_date_restrictions_may_have_spaces_inside():
    from newsgraph.annotate.events.dictionaries import _restriction

    assert _restriction("[HOB < 950601]") == ("HOB", dt.date.min, dt.date(1995, 6, 1))
    assert _restriction("[HOBGOV 19950601 - 19990815]") == ("HOBGOV", dt.date(1995, 6, 1), dt.date(1999, 8, 15))
    assert _restriction("[HOBREB >990816]") == ("HOBREB", dt.date(1999, 8, 16), dt.date.max)
    code, lo, hi = _restriction("[HOB < 95x601]")  # unreadable: the range never applies, not always
    assert lo == hi == dt.date.max


def test_agents_and_their_sectors(builtin):
    assert builtin.find_agent(words_of("riot police officers"))[2] == "~COP"
    assert builtin.find_agent(words_of("protesters"))[2] == "~OPP"  # regular plurals are generated
    assert builtin.find_agent(words_of("the foreign ministry"))[2] == "~GOV"
    assert builtin.find_agent(words_of("the hatchback")) is None


def test_short_lower_case_words_are_no_abbreviations(builtin):
    assert builtin.find_actor(text_words("he told us about it")) is None
    assert builtin.find_actor(text_words("US troops"))[2].default == "USA"


def test_crosswalk_gives_plover_types_and_no_type_for_statements():
    assert plover_of("173") == ("COERCE", "arrest")
    assert plover_of("0871") == ("RETREAT", "ceasefire")
    assert plover_of("163") == ("SANCTION", "restrict")
    assert plover_of("010") is None  # a statement is no event
    assert plover_of("---") is None


def test_discards(builtin):
    assert builtin.discard(words_of("Nadal won the tennis match")) is not None
    assert builtin.discard(words_of("The minister resigned")) is None


@pytest.mark.parametrize("text", [
    "The hatchback offers 30 ambient lighting colors.",
    "I promised to help them.",
    "An Alibaba spokesperson declined to comment on the pricing.",
])
def test_no_actor_no_event(nlp, text):
    assert find_events(nlp(text)) == ()


def test_dictionary_codes_an_actor_and_an_agent(nlp):
    doc = nlp("Police arrested 20 protesters in Minsk.")
    # local groups take the country of the event's place, as the pipeline records them
    events = recode_actors(find_events(doc), doc._.entities, doc._.places)
    event = next(e for e in events if e.type == "COERCE")
    assert event.source.sector == "COP" and event.target.sector == "OPP" and event.target.country == "BLR"


def test_user_dictionaries_add_verbs_actors_and_agents(nlp, tmp_path):
    verbs = tmp_path / "local.verbs.txt"
    verbs.write_text("--- SQUAWK [---] ---\nSQUAWK [111]\n- * (AT +) [112]  # SQUAWK\n", encoding="utf-8")
    actors = tmp_path / "local.actors.txt"
    actors.write_text("ZEBRA_HILLS_MILITIA_ [ZBRREB]\n+ZHM_\n", encoding="utf-8")
    agents = tmp_path / "local.agents.txt"
    agents.write_text("TOWN_ELDER [~ELD]\n", encoding="utf-8")
    dicts = load_dictionaries((str(verbs), str(actors), str(agents)))
    doc = nlp("The Zebra Hills Militia squawked at the town elders.")
    event = next(e for e in find_events(doc, dicts) if e.cameo == "112")
    assert (event.type, event.source.country, event.source.sector) == ("ACCUSE", "ZBR", "REB")
    assert event.target is not None and event.target.sector == "ELD"
    assert find_events(nlp("The Zebra Hills Militia squawked at the town elders.")) == ()  # not built in


def test_a_party_comes_before_the_place_it_was_at(nlp, tmp_path):
    verbs = tmp_path / "feast.verbs.txt"
    verbs.write_text("--- FEAST [---] ---\nFEAST [043]\n", encoding="utf-8")
    dicts = load_dictionaries((str(verbs),))
    event = next(e for e in find_events(nlp("Chile feasted at Lima with Peru."), dicts) if e.cameo == "043")
    assert event.target is not None and event.target.text == "Peru"


def test_an_unreadable_dictionary_is_one_clear_error(tmp_path):
    with pytest.raises(DictionaryError, match="cannot read dictionary file"):
        load_dictionaries((str(tmp_path / "missing.verbs.txt"),))
    odd = tmp_path / "notes.txt"
    odd.write_text("just some words\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="not a PETRARCH dictionary"):
        load_dictionaries((str(odd),))


def test_cli_names_a_bad_dictionary_in_one_line(tmp_path, sample_dir):
    page = next(sample_dir.glob("*.txt"))
    result = subprocess.run([sys.executable, "-m", "newsgraph", "analyze", str(page), "--dictionaries",
                             str(tmp_path / "missing.actors.txt")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "missing.actors.txt" in result.stderr and "E302" in result.stderr


# --- page genre: events only where the page is about politics

PRODUCT = ("The hatchback offers 30 ambient lighting colors. The new engine would deliver 400 horsepower. "
           "The cabin seats five adults in comfort. Audi will offer the car in thirteen finishes. "
           "A panoramic roof is optional. The battery charges in 30 minutes. Reviewers praised the handling.")
POLITICS = ("Belarusian police detained dozens of protesters in Minsk on Sunday. The opposition accused the "
            "government of fraud. Russian President Vladimir Putin spoke to Lukashenko by phone. The European "
            "Union threatened new sanctions. Lithuania offered shelter to the opposition leader. Protesters "
            "marched to the parliament.")


def test_a_product_page_codes_no_events(nlp):
    doc = nlp(PRODUCT)
    assert doc._.genre == "other" and doc._.events == ()


def test_a_political_page_is_coded(nlp, builtin):
    doc = nlp(POLITICS)
    assert doc._.genre == "political" and doc._.political_share >= 0.5 and doc._.events
    assert genre_of(nlp("Police detained him."), builtin) == (None, None)  # too short to tell


# --- dates and status


def test_a_year_inside_the_object_is_not_the_event_date(nlp):
    doc = nlp("Putin promised assistance to Lukashenko under a 1994 security agreement.")
    event = next(e for e in find_events(doc) if e.type == "AGREE")
    assert event.date != "1994"


def test_treaty_clauses_and_counterfactuals_are_not_asserted(nlp):
    clause = nlp("Russia signed the 1994 agreement, which mandates that both countries offer military help to Belarus.")
    assert not [e for e in find_events(clause) if e.type in {"AGREE", "AID"} and e.status == "asserted"
                and "offer" in clause.text[e.trigger[0]:e.trigger[1]]]
    counterfactual = nlp("Lukashenko might not be able to deal with the protests without Putin's help.")
    assert not [e for e in find_events(counterfactual) if e.type == "AID" and e.status == "asserted"]
