import json
from datetime import date

import pytest

from newsgraph.annotate.time import FUTURE_WINDOW_DAYS, resolve
from newsgraph.models import DateExpression

# The seed article's publication date, a Monday.
MON = "2020-08-17"


def _resolve(text, published, tense=None):
    result = resolve(text, date.fromisoformat(published) if published else None, tense)
    return result[0] if result else None


# --------------------------------------------------------------------------
# resolve(): one expression against a publication date
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        # Weekdays: the latest on or before publication (the day itself if it is that day).
        ("Monday", MON, "2020-08-17"),
        ("on Monday", MON, "2020-08-17"),
        ("on Sunday", MON, "2020-08-16"),
        ("Tuesday", MON, "2020-08-11"),
        ("Tuesday night", MON, "2020-08-11"),
        ("Monday afternoon", MON, "2020-08-17"),
        ("early Monday", MON, "2020-08-17"),
        ("Monday at 3 p.m.", MON, "2020-08-17"),
        ("Sunday's", MON, "2020-08-16"),
        ("next Monday", MON, "2020-08-24"),
        ("next Tuesday", MON, "2020-08-18"),
        ("last Monday", MON, "2020-08-10"),
        ("last Friday", MON, "2020-08-14"),
        ("this past Monday", MON, "2020-08-10"),
        ("this coming Friday", MON, "2020-08-21"),
        ("this Friday", MON, "2020-08-21"),
        ("this Monday", "2020-08-23", "2020-08-24"),  # a Sunday article's week is the coming one
        # Undated days: the latest at most FUTURE_WINDOW_DAYS (120) after publication.
        ("Aug. 9", MON, "2020-08-09"),
        ("August 9", MON, "2020-08-09"),
        ("9 August", MON, "2020-08-09"),
        ("August 9th", MON, "2020-08-09"),
        ("the 9th of August", MON, "2020-08-09"),
        ("on March 1", MON, "2020-03-01"),
        ("Sept. 1", MON, "2020-09-01"),
        ("Nov. 3", MON, "2020-11-03"),
        ("Dec. 15", MON, "2020-12-15"),
        ("Dec. 16", MON, "2019-12-16"),
        ("Dec. 25", MON, "2019-12-25"),
        ("Feb. 30", MON, None),
        # Explicit dates need no anchor.
        ("2020-08-17", MON, "2020-08-17"),
        ("Aug. 9, 2019", MON, "2019-08-09"),
        ("Monday, Aug. 17, 2020", MON, "2020-08-17"),
        ("17 August 2020", MON, "2020-08-17"),
        ("March 2026", MON, "2026-03"),
        ("in March 2026", MON, "2026-03"),
        ("in 2014", MON, "2014"),
        ("2014", MON, "2014"),
        ("since 2014", MON, "2014"),
        ("between 2014 and 2016", MON, "2014/2016"),
        ("2014-2016", MON, "2014/2016"),
        ("the 1980s", MON, "1980/1989"),
        ("the 1980's", MON, "1980/1989"),
        ("the '80s", MON, "1980/1989"),
        ("the ’10s", MON, "2010/2019"),
        # Days around publication.
        ("yesterday", MON, "2020-08-16"),
        ("today", MON, "2020-08-17"),
        ("tomorrow", MON, "2020-08-18"),
        ("yesterday morning", MON, "2020-08-16"),
        ("last night", MON, "2020-08-16"),
        ("tonight", MON, "2020-08-17"),
        ("this morning", MON, "2020-08-17"),
        ("the day before yesterday", MON, "2020-08-15"),
        ("three days ago", MON, "2020-08-14"),
        ("two weeks ago", MON, "2020-08-03/2020-08-09"),
        ("a month ago", MON, "2020-07"),
        ("two years ago", MON, "2018"),
        # Weekends.
        ("over the weekend", MON, "2020-08-15/2020-08-16"),
        ("the weekend", MON, "2020-08-15/2020-08-16"),
        ("last weekend", MON, "2020-08-15/2020-08-16"),
        ("this past weekend", MON, "2020-08-15/2020-08-16"),
        ("this weekend", MON, "2020-08-22/2020-08-23"),
        ("next weekend", MON, "2020-08-22/2020-08-23"),
        # Weeks (ISO, Monday to Sunday), months, years.
        ("last week", MON, "2020-08-10/2020-08-16"),
        ("this week", MON, "2020-08-17/2020-08-23"),
        ("earlier this week", MON, "2020-08-17/2020-08-23"),
        ("next week", MON, "2020-08-24/2020-08-30"),
        ("in December", MON, "2019-12"),
        ("December", MON, "2019-12"),
        ("in August", MON, "2020-08"),
        ("in March", MON, "2020-03"),
        ("mid-March", MON, "2020-03"),
        ("last December", MON, "2019-12"),
        ("last August", MON, "2019-08"),
        ("next August", MON, "2021-08"),
        ("this December", MON, "2020-12"),
        ("last month", MON, "2020-07"),
        ("this month", MON, "2020-08"),
        ("next month", MON, "2020-09"),
        ("last year", MON, "2019"),
        ("last year's", MON, "2019"),
        ("early last year", MON, "2019"),
        ("the end of last year", MON, "2019"),
        ("this year", MON, "2020"),
        ("next year", MON, "2021"),
        # Vague: no value.
        ("years", MON, None),
        ("for years", MON, None),
        ("every day", MON, None),
        ("two days", MON, None),
        ("the next day", MON, None),
        ("recent weeks", MON, None),
    ],
)
def test_resolve_against_a_monday(text, published, value):
    assert _resolve(text, published) == value


@pytest.mark.parametrize(
    ("published", "monday", "friday", "weekend", "last_week"),
    [
        ("2020-08-17", "2020-08-17", "2020-08-14", "2020-08-15/2020-08-16", "2020-08-10/2020-08-16"),  # Monday
        ("2020-08-18", "2020-08-17", "2020-08-14", "2020-08-15/2020-08-16", "2020-08-10/2020-08-16"),  # Tuesday
        ("2020-08-19", "2020-08-17", "2020-08-14", "2020-08-15/2020-08-16", "2020-08-10/2020-08-16"),  # Wednesday
        ("2020-08-20", "2020-08-17", "2020-08-14", "2020-08-15/2020-08-16", "2020-08-10/2020-08-16"),  # Thursday
        ("2020-08-21", "2020-08-17", "2020-08-21", "2020-08-15/2020-08-16", "2020-08-10/2020-08-16"),  # Friday
        ("2020-08-22", "2020-08-17", "2020-08-21", "2020-08-22/2020-08-23", "2020-08-10/2020-08-16"),  # Saturday
        # A Sunday paper's "last week" is the one ending that day.
        ("2020-08-23", "2020-08-17", "2020-08-21", "2020-08-22/2020-08-23", "2020-08-17/2020-08-23"),  # Sunday
    ],
)
def test_publication_on_each_weekday(published, monday, friday, weekend, last_week):
    assert _resolve("Monday", published) == monday
    assert _resolve("on Friday", published) == friday
    assert _resolve("over the weekend", published) == weekend
    assert _resolve("last week", published) == last_week


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        # Published on Sunday 2021-01-03.
        ("in December", "2021-01-03", "2020-12"),
        ("last week", "2021-01-03", "2020-12-28/2021-01-03"),
        ("this week", "2021-01-03", "2021-01-04/2021-01-10"),
        ("this weekend", "2021-01-03", "2021-01-02/2021-01-03"),
        ("last weekend", "2021-01-03", "2020-12-26/2020-12-27"),
        ("last month", "2021-01-03", "2020-12"),
        ("last year", "2021-01-03", "2020"),
        ("Dec. 30", "2021-01-03", "2020-12-30"),
        ("Thursday", "2021-01-03", "2020-12-31"),
        ("yesterday", "2021-01-03", "2021-01-02"),
        # Published on Wednesday 2021-01-06: last week crosses the year.
        ("last week", "2021-01-06", "2020-12-28/2021-01-03"),
        ("over the weekend", "2021-01-06", "2021-01-02/2021-01-03"),
        # Published late in December: early January is the coming one.
        ("Jan. 3", "2021-12-28", "2022-01-03"),
        ("next month", "2021-12-28", "2022-01"),
        ("in December", "2021-12-28", "2021-12"),
        ("next week", "2021-12-28", "2022-01-03/2022-01-09"),
        ("tomorrow", "2021-12-31", "2022-01-01"),
        # Leap day: only the publication year and its neighbours are tried.
        ("Feb. 29", "2020-03-10", "2020-02-29"),
        ("Feb. 29", "2021-03-10", "2020-02-29"),
        ("Feb. 29", "2022-03-10", None),
    ],
)
def test_month_and_year_boundaries(text, published, value):
    assert _resolve(text, published) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2020-08-17", "2020-08-17"),
        ("Aug. 9, 2020", "2020-08-09"),
        ("March 2026", "2026-03"),
        ("in 2014", "2014"),
        ("the 1980s", "1980/1989"),
        ("Aug. 9", None),
        ("Monday", None),
        ("in December", None),
        ("over the weekend", None),
        ("last year", None),
        ("yesterday", None),
        ("the '80s", None),
    ],
)
def test_without_publication_date_only_explicit_dates_resolve(text, value):
    assert _resolve(text, None) == value


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("Thursday", "future", "2020-08-20"),
        ("Monday", "future", "2020-08-17"),
        ("Thursday", "past", "2020-08-13"),
        ("the weekend", "future", "2020-08-22/2020-08-23"),
        ("in December", "future", "2020-12"),
        ("in March", "future", "2021-03"),
        ("Sept. 1", "past", "2019-09-01"),
        ("Aug. 9", "future", "2021-08-09"),
        ("next Monday", "past", "2020-08-24"),  # an explicit "next" beats the tense
    ],
)
def test_tense_picks_the_direction_of_bare_names(text, tense, value):
    assert _resolve(text, MON, tense) == value


@pytest.mark.parametrize(
    ("text", "granularity"),
    [
        ("Monday", "day"),
        ("last week", "week"),
        ("in December", "month"),
        ("last year", "year"),
        ("over the weekend", "interval"),
        ("the 1980s", "interval"),
    ],
)
def test_granularity(text, granularity):
    assert resolve(text, date(2020, 8, 17))[1] == granularity


def test_undated_day_window_edge():
    published = date(2020, 8, 17)
    assert FUTURE_WINDOW_DAYS == 120
    assert resolve("Dec. 15", published)[0] == "2020-12-15"  # 120 days after
    assert resolve("Dec. 16", published)[0] == "2019-12-16"  # 121 days after
    # Read in late September, the inauguration is next year's and February this year's.
    assert resolve("Jan. 20", date(2016, 9, 27))[0] == "2017-01-20"
    assert resolve("Feb. 9", date(2016, 9, 27))[0] == "2016-02-09"


# --------------------------------------------------------------------------
# The component: expressions found in a Doc
# --------------------------------------------------------------------------


def _dates(pipeline, text, published=MON):
    return pipeline.nlp(pipeline.make_doc(text, published))._.dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Protesters laughed at Monday's rally after the Aug. 9 election.",
            [("Monday", "2020-08-17"), ("Aug. 9", "2020-08-09")],
        ),
        (
            "He spoke to Lukashenko twice over the weekend and met him in December.",
            [("over the weekend", "2020-08-15/2020-08-16"), ("in December", "2019-12")],
        ),
        (
            "Protests began on Tuesday night and continued Monday afternoon.",
            [("on Tuesday night", "2020-08-11"), ("Monday afternoon", "2020-08-17")],
        ),
        (
            "Voters went to the polls on 9 August, after the August 9 vote was called.",
            [("on 9 August", "2020-08-09"), ("August 9", "2020-08-09")],
        ),
        (
            "The deal was signed on March 1 and expires in March 2026.",
            [("on March 1", "2020-03-01"), ("in March 2026", "2026-03")],
        ),
        (
            "Inflation peaked in the 1980s and again in 2014; a 1994 agreement still holds.",
            [("in the 1980s", "1980/1989"), ("in 2014", "2014"), ("1994", "1994")],
        ),
        (
            "Prices rose last month and will fall next month, officials said this week.",
            [("last month", "2020-07"), ("next month", "2020-09"), ("this week", "2020-08-17/2020-08-23")],
        ),
        (
            "The report, dated 2020-08-17, was released yesterday; a vote is due tomorrow.",
            [("2020-08-17", "2020-08-17"), ("yesterday", "2020-08-16"), ("tomorrow", "2020-08-18")],
        ),
        (
            "Sales grew this year and should grow next year, after a drop last year.",
            [("this year", "2020"), ("next year", "2021"), ("last year", "2019")],
        ),
        (
            "The minister said on Monday that talks would resume next Monday.",
            [("on Monday", "2020-08-17"), ("next Monday", "2020-08-24")],
        ),
        (
            "The company has lost money for years, and workers protest every day.",
            [("years", None), ("every day", None)],
        ),
        # A future-tense verb reads a bare weekday forwards.
        (
            "The talks will resume on Thursday, and the ministers will meet again over the weekend.",
            [("on Thursday", "2020-08-20"), ("over the weekend", "2020-08-22/2020-08-23")],
        ),
        # A date that modifies a noun keeps the default reading; a past-tense verb reads back.
        (
            "The Sept. 1 deadline is close. Talks began Sept. 1.",
            [("Sept. 1", "2020-09-01"), ("Sept. 1", "2019-09-01")],
        ),
    ],
)
def test_component_finds_and_resolves(pipeline, text, expected):
    dates = _dates(pipeline, text)
    assert [(d.text, d.value) for d in dates] == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Monday's debate will be his first against a single opponent.", "2020-08-24"),
        ("Monday's debate was his first against a single opponent.", "2020-08-17"),
        ("She will visit Minsk on Thursday.", "2020-08-27"),
        ("She plans to visit Minsk on Friday.", "2020-08-21"),
        ("She visited Minsk on Thursday.", "2020-08-20"),
    ],
)
def test_tense_through_the_parse_published_on_a_friday(pipeline, text, value):
    assert [d.value for d in _dates(pipeline, text, "2020-08-21")] == [value]


def test_spans_point_into_the_text_and_ids_follow_position(pipeline):
    text = "On Monday, officials said the Aug. 9 vote, like the one in 2015, was fair. Last week was calm."
    dates = _dates(pipeline, text)
    assert [d.id for d in dates] == [f"D{i}" for i in range(1, len(dates) + 1)]
    assert [d.span[0] for d in dates] == sorted(d.span[0] for d in dates)
    for d in dates:
        assert isinstance(d, DateExpression)
        assert text[d.span[0] : d.span[1]] == d.text
    assert [d.text for d in dates] == ["On Monday", "Aug. 9", "in 2015", "Last week"]


def test_names_and_ages_are_not_dates(pipeline):
    text = "The 65-year-old leader, who reads USA Today, spoke about Bloody Sunday in May."
    assert [(d.text, d.value) for d in _dates(pipeline, text)] == [("in May", "2020-05")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Turnout among voters under 30 fell.", []),  # the model tags "under 30" as DATE
        ("Her approval among people 70 and older rose.", []),  # and "70"
        ("He served 70 days in office.", [("70 days", None)]),  # a duration is kept, without a value
    ],
)
def test_tagger_noise_without_a_time_word_is_dropped(pipeline, text, expected):
    assert [(d.text, d.value) for d in _dates(pipeline, text)] == expected


def test_without_publication_date_relative_dates_have_no_value(pipeline):
    text = "Putin spoke to Lukashenko on Monday, a week after the Aug. 9 election; the treaty dates from 1994."
    values = {d.text: d.value for d in _dates(pipeline, text, published=None)}
    assert values["on Monday"] is None
    assert values["Aug. 9"] is None
    assert values["1994"] == "1994"


def test_unreadable_publication_date_is_no_anchor(pipeline):
    values = {d.text: d.value for d in _dates(pipeline, "He spoke on Monday.", published="sometime")}
    assert values == {"on Monday": None}


def test_component_is_in_the_pipeline(pipeline):
    names = pipeline.nlp.pipe_names
    assert "newsgraph_time_v1" in names
    assert names.index("ner") < names.index("newsgraph_time_v1")


# --------------------------------------------------------------------------
# The seed article (skips without ../shared)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_gold(seed_path):
    return json.loads(seed_path.with_name("belarus-putin-nbc.gold.json").read_text(encoding="utf-8"))


def _matches(gold, predicted):
    return gold["text"] in predicted.text or predicted.text in gold["text"]


def test_seed_dates(pipeline, seed_path, seed_gold):
    dates = _dates(pipeline, seed_path.read_text(encoding="utf-8"), seed_gold["published"])
    for gold in seed_gold["dates"]:
        found = [d for d in dates if _matches(gold, d)]
        assert found, gold["text"]
        assert all(d.value == gold["value"] for d in found), (gold, found)


def test_seed_dates_resolve_one_by_one(seed_gold):
    published = date.fromisoformat(seed_gold["published"])
    for gold in seed_gold["dates"]:
        assert resolve(gold["text"], published)[0] == gold["value"], gold["text"]


def test_seed_caption_dates(pipeline, seed_gold):
    # Captions are parsed apart from the body text, as the pipeline does.
    found = {}
    for caption in seed_gold["captions"]:
        for d in _dates(pipeline, caption["text"], seed_gold["published"]):
            found[d.text] = d.value
    assert found["in December"] == "2019-12"
    assert found["on Sunday"] == "2020-08-16"
    assert found["on Monday"] == "2020-08-17"
