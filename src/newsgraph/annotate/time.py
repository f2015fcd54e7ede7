"""Time expressions resolved against the publication date (component ``newsgraph_time_v1``).

``resolve(text, published)`` turns one expression into a value; ``resolve_dates(doc)``
finds the expressions of a ``Doc`` and resolves each against ``doc._.published``.
Values follow ``models.DateExpression``: a day ``2020-08-17``, a month
``2020-08``, a year ``2020`` or an interval ``start/end`` (ISO 8601), with the
granularity ``day``, ``week``, ``month``, ``year`` or ``interval``.

Method: rules after HeidelTime's news domain (Strötgen & Gertz 2013,
"Multilingual and cross-domain temporal tagging", LRE 47(2)): relative
expressions are anchored on the document creation time, and the tense of the
verb a bare name hangs on picks the direction.

1. Finding. The model's DATE entities; its TIME entities when they name a day
   ("Tuesday night", "last night") or touch a DATE ("Monday" + "afternoon");
   and a regex pass for the forms below that the small model misses. Regex
   hits inside a PERSON/ORG/EVENT/... name are ignored unless they carry a
   digit ("USA Today", "Bloody Sunday" are names; "the Aug. 9 election" is a
   date). Where candidates overlap, one that resolves beats one that does not,
   then the longer, then the model's. Ages ("65-year-old") are not times.
2. Spans. A span starts with "on", "in", "over" or "during" when one comes
   right before it: these only place the event inside the time, so the
   expression is read the same with or without them ("over the weekend", "in
   December", "on Sunday"; but "Monday" in "laughed at Monday", "Aug. 9" in
   "the Aug. 9 election"). "since", "until", "by", "before" and "after" relate
   the event to the time in other ways and stay outside. A leading "the" is
   dropped before a date ("the Aug. 9 ..."), kept in "the weekend", "the 1980s".
3. Resolution (``published`` is the anchor; ISO weeks run Monday to Sunday):

   * explicit: "2020-08-17"; "Aug. 9, 2020" / "9 August 2020" / "Monday, Aug.
     17, 2020" -> day; "March 2026" -> month; "2014", "a 1994 agreement" ->
     year; "2014-2016", "between 2014 and 2016" -> ``2014/2016``; "the
     1980s" -> ``1980/1989``. These resolve without a publication date.
   * "Aug. 9" (no year): the latest such day at most ``FUTURE_WINDOW_DAYS``
     (about four months) after publication: in the publication year unless
     that is further ahead (then the year before), or the next year's when
     that is within the window ("Jan. 20" read in late September). A
     past-tense verb takes the latest on or before publication, a future one
     the earliest on or after it.
   * "Monday": the latest Monday on or before publication (the day itself
     when published on a Monday), the news convention that a bare weekday is
     in the past week; after "will" (and "plans/expects/is set ... to") the
     next one on or after publication. The verb is the one the expression
     hangs on, directly, through a preposition, or through the subject or
     object it is the possessive of ("Monday's debate will ..."). "last Monday" / "this past Monday":
     strictly before; "next Monday" / "this coming Monday": strictly after;
     "this Monday": in the publication week (see the weeks below). "Tuesday night", "Monday
     afternoon", "early Monday", "Monday at 3 p.m." -> that day.
   * "yesterday", "today", "tomorrow", "the day before yesterday", "last
     night" (yesterday), "tonight"/"this morning" (today) -> day.
   * "the weekend" / "over the weekend": the Saturday-Sunday of the latest
     Saturday on or before publication (the coming one after "will"); "last
     weekend": the latest weekend over before publication day; "this
     weekend": the publication week's; "next weekend": the first starting
     after publication.
   * "last/this/next week" -> the ISO week before / of / after publication's,
     as an interval; a Sunday article counts as the next week's (Sunday
     papers look forward: "this week" is the one starting tomorrow and "last
     week" the one ending today).
   * "December" / "in December": the latest December on or before the
     publication month (that December when published in December); "last
     December" strictly before, "next December" strictly after, "this
     December" in the publication year; after "will", the next on or after.
   * "last/this/next month" -> month; "last/this/next year" -> year.
   * "three days ago" -> day; "two weeks ago" -> that week; "a month ago" ->
     month; "two years ago" -> year.
   * Leading prepositions and qualifiers are read past: "since 2014" is
     2014, "early last year" / "the end of last year" is last year (the value
     is the time referred to, not the relation to it, nor which part of it).
4. Anything else that names a time ("years", "every day", "for years", "two
   days", "the next day", "recent weeks") is kept with value None, so the
   evidence stays visible; so is every relative expression when there is no
   publication date (``doc._.published`` None or not a date). A DATE entity
   that resolves to nothing and has no time word in it ("70", "under 30") is
   the tagger's noise and is dropped.

Limits: seasons, quarters, fiscal years, holidays ("Christmas"), numeric
dates other than ISO ("8/9/2020" is ambiguous between US and European
order), two-digit years ("'14") and ranges of days ("Aug. 9-10") are not
resolved. Expressions anchored on another event ("two days later", "the
next day") are not chained. Tense comes from the dependency parse, so a
parse error can turn a future weekday into a past one; a bare month is
always read as the past one unless a future-tense verb governs it ("the
November election", with no verb, is last November's).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc

from ..models import DateExpression
from .extensions import doc_text

__all__ = ["FUTURE_WINDOW_DAYS", "TimeResolver", "resolve", "resolve_dates"]

Tense = Literal["past", "future"]
#: ``(value, granularity)``, as stored in ``DateExpression``.
Resolution = tuple[str, str]

# An undated day ("Aug. 9") is read in the latest year that puts it at most this
# many days after publication. News style (AP) drops the year for dates in the
# current year, so the window must reach as far ahead as reporters announce
# things (elections, inaugurations, deadlines), yet stop short of the early
# months of the publication year read from its autumn. Calibrated on the 26
# undated days the component finds in PolNeAR dev (84 articles, Sept.-Oct.
# 2016), years read by hand: 31 days gets 6 wrong ("Nov. 8", the election, as
# 2015), 60-100 get 2 wrong ("Jan. 20", the inauguration, as 2016), 120-133
# get none, 150 and more get "Feb. 9" as 2017. The seed's "Aug. 9" fits any.
FUTURE_WINDOW_DAYS = 120

# Four-digit numbers read as years; outside this range they are counts or codes.
MIN_YEAR, MAX_YEAR = 1000, 2199

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_SATURDAY = 5


def _alternation(words) -> str:
    # Longest first, so "sept" is tried before "sep" and "june" before "jun".
    return "|".join(sorted(words, key=len, reverse=True))


# --------------------------------------------------------------------------
# Resolution: one cleaned, lower-case expression -> (value, granularity)
# --------------------------------------------------------------------------

_MONTH = rf"(?P<month>{_alternation(_MONTHS)})\.?"
_ANY_WEEKDAY = rf"(?:{_alternation(_WEEKDAYS)})"
_ORDINAL = r"(?:st|nd|rd|th)?"
_MODIFIER = r"(?:(?P<mod>this past|this coming|last|this|next|past|coming) )?"

# Words before an expression that relate an event to it or pick a part of it;
# read past, so "since 2014" is 2014 and "the end of last year" is last year.
_LEADING = re.compile(
    r"^(?:(?:on|in|over|during|at|since|until|till|by|before|after|from|through|throughout|as of|around"
    r"|about|circa|between|early|late|earlier|later|the (?:beginning|start|end|middle|turn|rest) of"
    r"|the (?:first|second|last) (?:half|week|days?) of|the (?:morning|afternoon|evening|night) of) +|mid-? *)"
)
_POSSESSIVE = re.compile(r"(?<!\d0)'s?$")  # but "the 1980's" is a decade
_EDGE = " \t\n,;:!?()[]{}\"“”."
# Clock times carry no day of their own: "Monday at 3 p.m." is Monday.
_CLOCK = re.compile(r"(?:\bat )?\b\d{1,2}(?:[:.]\d{2})? ?(?:a\.?m\b\.?|p\.?m\b\.?)|(?:\bat )?\b(?:noon|midnight)\b")
_PART_OF_DAY = re.compile(r"(?:^| )(?:morning|afternoon|evening|night|overnight)$")
_SAME_DAY = {"last night": "yesterday", "tonight": "today", "this morning": "today",
             "this afternoon": "today", "this evening": "today"}  # fmt: skip


def _clean(text: str) -> str:
    """Return the expression lower-cased, without prepositions, qualifiers, clock times or part of day."""
    text = " ".join(text.replace("’", "'").replace("‘", "'").split()).lower()
    text = _POSSESSIVE.sub("", text.strip(_EDGE)).strip(_EDGE)
    previous = None
    while previous != text:
        previous, text = text, _LEADING.sub("", text)
    text = _SAME_DAY.get(text, text)
    text = " ".join(_CLOCK.sub(" ", text).split())
    text = _PART_OF_DAY.sub("", text).strip()
    return _SAME_DAY.get(text, text).strip(_EDGE)


def _day(d: date) -> Resolution:
    return d.isoformat(), "day"


def _month(year: int, month: int) -> Resolution:
    return f"{year:04d}-{month:02d}", "month"


def _year(year: int) -> Resolution:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{year} is not read as a year")
    return f"{year:04d}", "year"


def _interval(start, end, granularity: str = "interval") -> Resolution:
    return f"{start}/{end}", granularity


def _week_start(published: date) -> date:
    """Return the Monday of the week an article published then calls "this week"."""
    if published.weekday() == 6:  # a Sunday paper looks at the week starting tomorrow
        published += timedelta(days=1)
    return published - timedelta(days=published.weekday())


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _undated_day(month: int, day: int, published: date, tense: Tense | None) -> date:
    years = range(published.year - 1, published.year + 2)
    candidates = []
    for year in years:
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # Feb. 29 outside a leap year, "Aug. 45"
            continue
    if tense == "past":
        chosen = [c for c in candidates if c <= published]
    elif tense == "future":
        chosen = [c for c in candidates if c >= published][:1]
    else:
        chosen = [c for c in candidates if c <= published + timedelta(days=FUTURE_WINDOW_DAYS)]
    if not chosen:
        raise ValueError(f"no {month}/{day} near {published}")
    return chosen[-1]


def _r_iso(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    return _day(date(int(m["year"]), int(m["mm"]), int(m["dd"])))


def _r_day(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    month, day = _MONTHS[m["month"]], int(m["day"])
    if m["year"]:
        _year(int(m["year"]))
        return _day(date(int(m["year"]), month, day))
    if published is None:
        return None
    return _day(_undated_day(month, day, published, tense))


def _r_month_year(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    _year(int(m["year"]))
    return _month(int(m["year"]), _MONTHS[m["month"]])


def _r_month(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    month, mod, year = _MONTHS[m["month"]], m["mod"], published.year
    if mod == "this":
        return _month(year, month)
    if mod in ("last", "past", "this past"):
        return _month(year if month < published.month else year - 1, month)
    if mod in ("next", "coming", "this coming"):
        return _month(year if month > published.month else year + 1, month)
    if tense == "future":
        return _month(year if month >= published.month else year + 1, month)
    return _month(year if month <= published.month else year - 1, month)


def _r_year(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    return _year(int(m["year"]))


def _r_year_range(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    first, last = _year(int(m["y1"]))[0], _year(int(m["y2"]))[0]
    return _interval(first, last) if first < last else None


def _r_decade(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if m["century"]:
        start = int(m["century"]) * 100 + int(m["decade"]) * 10
    elif published is None:
        return None  # "the '80s": which century depends on when it was written
    else:
        start = 2000 + int(m["decade"]) * 10
        if start > published.year:
            start -= 100
    _year(start)
    return _interval(f"{start:04d}", f"{start + 9:04d}")


def _r_weekday(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    weekday, mod = _WEEKDAYS[m["weekday"]], m["mod"]
    back = (published.weekday() - weekday) % 7  # days since the latest such weekday (0: today)
    ahead = (weekday - published.weekday()) % 7  # days until the next one (0: today)
    if mod in ("last", "past", "this past"):
        return _day(published - timedelta(days=back or 7))
    if mod in ("next", "coming", "this coming"):
        return _day(published + timedelta(days=ahead or 7))
    if mod == "this":
        return _day(_week_start(published) + timedelta(days=weekday))
    if tense == "future":
        return _day(published + timedelta(days=ahead))
    return _day(published - timedelta(days=back))


def _r_day_word(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "day before yesterday": -2, "day after tomorrow": 2}
    return _day(published + timedelta(days=offset[m["word"]]))


def _r_weekend(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    mod = m["mod"]
    latest = published - timedelta(days=(published.weekday() - _SATURDAY) % 7)  # Saturday on or before
    if mod in ("last", "past", "this past"):
        # The latest weekend already over: on a Saturday or Sunday, the one before.
        saturday = latest if published > latest + timedelta(days=1) else latest - timedelta(days=7)
    elif mod == "this":  # the ISO week's, so on a Sunday this weekend is the one ending today
        saturday = published + timedelta(days=_SATURDAY - published.weekday())
    elif mod in ("next", "coming", "this coming"):
        saturday = published + timedelta(days=(_SATURDAY - published.weekday() - 1) % 7 + 1)
    elif tense == "future":
        saturday = published + timedelta(days=(_SATURDAY - published.weekday()) % 7)
    else:
        saturday = latest
    return _interval(saturday, saturday + timedelta(days=1))


def _r_unit(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    delta = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m["mod"]]
    unit = m["unit"]
    if unit == "week":
        start = _week_start(published) + timedelta(days=7 * delta)
        return _interval(start, start + timedelta(days=6), "week")
    if unit == "month":
        return _month(*_add_months(published.year, published.month, delta))
    return _year(published.year + delta)


def _r_ago(m: re.Match, published: date | None, tense: Tense | None) -> Resolution | None:
    if published is None:
        return None
    n = _NUMBERS.get(m["n"]) or int(m["n"])
    unit = m["unit"]
    if unit == "day":
        return _day(published - timedelta(days=n))
    if unit == "week":
        then = published - timedelta(days=7 * n)
        start = then - timedelta(days=then.weekday())
        return _interval(start, start + timedelta(days=6), "week")
    if unit == "month":
        return _month(*_add_months(published.year, published.month, -n))
    return _year(published.year - n)


_Rule = Callable[[re.Match, date | None, Tense | None], Resolution | None]

# Tried in order on the whole cleaned expression (fullmatch).
_RULES: tuple[tuple[re.Pattern, _Rule], ...] = tuple(
    (re.compile(pattern), rule)
    for pattern, rule in (
        (r"(?P<year>\d{4})-(?P<mm>\d{2})-(?P<dd>\d{2})", _r_iso),
        (rf"(?:{_ANY_WEEKDAY},? )?{_MONTH} (?P<day>\d{{1,2}}){_ORDINAL}(?:,? (?P<year>\d{{4}}))?", _r_day),
        (rf"(?:{_ANY_WEEKDAY},? )?(?:the )?(?P<day>\d{{1,2}}){_ORDINAL} (?:of )?{_MONTH}(?:,? (?P<year>\d{{4}}))?",
         _r_day),
        (rf"{_MONTH},? (?P<year>\d{{4}})", _r_month_year),
        (rf"{_MODIFIER}{_MONTH}", _r_month),
        (r"(?P<year>\d{4})", _r_year),
        (r"(?P<y1>\d{4}) ?(?:-|–|—|/|to|and|through) ?(?P<y2>\d{4})", _r_year_range),
        (r"(?:the )?(?:(?P<century>1\d|2[01])|')(?P<decade>\d)0'?s", _r_decade),
        (rf"{_MODIFIER}(?P<weekday>{_alternation(_WEEKDAYS)})", _r_weekday),
        (r"(?:the )?(?P<word>yesterday|today|tomorrow|day before yesterday|day after tomorrow)", _r_day_word),
        (r"(?:(?P<mod>the|this past|this coming|last|this|next|past|coming) )?weekend", _r_weekend),
        (r"(?P<mod>last|past|this|next|coming) (?P<unit>week|month|year)", _r_unit),
        (rf"(?P<n>\d+|{_alternation(_NUMBERS)}) (?P<unit>day|week|month|year)s? ago", _r_ago),
    )
)


def resolve(text: str, published: date | None, tense: Tense | None = None) -> Resolution | None:
    """Return ``(value, granularity)`` for one time expression, or None if it cannot be resolved.

    ``published`` anchors relative expressions ("Monday", "last year"); without
    it only explicit ones ("Aug. 9, 2020", "2014") resolve. ``tense`` is the
    tense of the verb the expression modifies, when known: ``future`` reads a
    bare "Monday", "December" or "the weekend" forwards, ``past`` reads an
    undated "Sept. 1" backwards. The rules are in the module docstring.
    """
    cleaned = _clean(text)
    for pattern, rule in _RULES:
        match = pattern.fullmatch(cleaned)
        if match:
            try:
                return rule(match, published, tense)
            except ValueError:  # "Feb. 30", "Aug. 9, 3050"
                return None
    return None


# --------------------------------------------------------------------------
# Finding expressions in a Doc
# --------------------------------------------------------------------------

# Case matters here: "May", "March" and "Sunday" are only names of times when
# capitalised; the other words may be ("Last week", "Today").
_F_MONTH = rf"(?:{_alternation(m.capitalize() for m in _MONTHS)})\b\.?"
_F_WEEKDAY = rf"(?:{_alternation(d.capitalize() for d in _WEEKDAYS)})\b"
_F_MODIFIER = r"(?i:(?:this past|this coming|last|this|next|coming) )"
_F_PART = r"(?: (?i:morning|afternoon|evening|night)\b)?"

# The forms the resolver reads, as they appear in running text; a group named
# ``x`` marks the expression where the pattern also needs the word before it.
_FINDERS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b\d{4}-\d{2}-\d{2}\b",
        rf"\b(?:{_F_WEEKDAY},? )?{_F_MONTH} \d{{1,2}}{_ORDINAL}\b(?:,? \d{{4}}\b)?",
        rf"\b(?:{_F_WEEKDAY},? )?\d{{1,2}}{_ORDINAL} (?:of )?{_F_MONTH}(?:,? \d{{4}}\b)?",
        rf"\b{_F_MONTH},? \d{{4}}\b",
        rf"\b{_F_MODIFIER}?{_F_WEEKDAY}{_F_PART}",
        rf"\b(?i:yesterday|today|tomorrow|tonight|last night)\b{_F_PART}",
        r"\b(?i:(?:the|this past|this coming|last|this|next|coming) weekend)\b",
        r"\b(?i:(?:last|this|next) (?:week|month|year))\b",
        rf"\b{_F_MODIFIER}{_F_MONTH}",
        rf"(?:\b(?i:in|since|until|by|early|late) |\bmid-)(?P<x>{_F_MONTH})(?! \d)",
        r"\b(?i:in|since|by|until|from|before|after|during|between|through) (?P<x>(?:1\d|20|21)\d{2})\b"
        r"(?![-–.,]?\d| ?%| percent)",
        r"(?:\b(?i:the) )?(?:\b(?:1\d|20|21)\d0s\b|(?<!\w)['’]\d0s\b)",
        rf"\b(?i:(?:\d+|{_alternation(_NUMBERS)}) (?:day|week|month|year)s? ago)\b",
    )
)

# TIME entities kept on their own: those naming a day ("Tuesday night").
_DAY_WORD = re.compile(
    rf"\b(?:{_alternation(_WEEKDAYS)}|yesterday|today|tonight|tomorrow|last night"
    r"|this (?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
# An unresolved expression is kept only with one of these in it; the small model
# also tags bare numbers ("70", "under 30") and acronyms as DATE.
_TIME_WORD = re.compile(
    r"day|week|fortnight|month|year|decade|centur|quarter|season|spring|summer|autumn|\bfall\b|winter"
    r"|morning|afternoon|evening|night|annual|hourly|\bago\b|christmas|easter|holiday|\btime"
    rf"|{_alternation(_MONTHS)}|\d{{4}}",
    re.IGNORECASE,
)
# Ages are tagged DATE by the model but are not times ("65-year-old", "65 years old").
_AGE = re.compile(r"\d[- ](?:year|month|week|day)s?[- ]old\b|\byears? of age\b", re.IGNORECASE)
# A regex hit inside one of these names is part of the name ("USA Today", "Bloody Sunday").
_NAME_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "NORP"}
# Prepositions taken into the span (see the module docstring, step 2).
_PREPOSITION_BEFORE = re.compile(r"(?<!\w)(?:on|in|over|during|On|In|Over|During) $")
_LEADING_THE = re.compile(rf"(?i:the) (?=\d(?!\d*0s\b)|{_F_MONTH}|{_F_WEEKDAY})")  # not "the 1980s"
_TRIM = " \t\n,;:!?()[]{}\"“”‘’-–—"
# A final period is the sentence's, except after a month's abbreviation ("Aug.").
_ABBREVIATION_END = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.$")
# Verbs that put an infinitive's time in the future ("plans to meet on Thursday").
_FUTURE_HEADS = {"plan", "expect", "schedule", "set", "due", "go", "intend", "aim", "hope", "prepare"}
_FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo"}


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    from_model: bool


def _model_candidates(doc: Doc) -> Iterator[_Candidate]:
    """Yield the model's DATE entities, joined with a TIME entity they touch, and day-naming TIMEs."""
    text = doc_text(doc)
    ents = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, has_date = ent.start_char, ent.end_char, ent.label_ == "DATE"
        has_day = has_date or bool(_DAY_WORD.search(ent.text))
        # "Monday afternoon", "3 p.m. Monday", "Monday, 3 p.m.": a DATE and a TIME that touch are one.
        while i + 1 < len(ents) and "TIME" in (ents[i].label_, ents[i + 1].label_):
            gap = text[end : ents[i + 1].start_char]
            if gap.strip(" ,") or "\n" in gap:
                break
            i += 1
            end = ents[i].end_char
            has_day = has_day or ents[i].label_ == "DATE" or bool(_DAY_WORD.search(ents[i].text))
        i += 1
        if has_day:
            yield _Candidate(start, end, True)


def _regex_candidates(doc: Doc) -> Iterator[_Candidate]:
    """Yield the regex pass's hits, except those inside a name that carry no digit."""
    text = doc_text(doc)
    names = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _NAME_LABELS]
    for finder in _FINDERS:
        for match in finder.finditer(text):
            start, end = match.span("x") if "x" in finder.groupindex else match.span()
            inside_name = any(s < end and start < e for s, e in names)
            if inside_name and not any(c.isdigit() for c in text[start:end]):
                continue
            yield _Candidate(start, end, False)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return the expression's bounds without edge punctuation, a possessive or a "the" before a date."""
    cut = text.find("\n", start, end)
    if cut != -1:
        end = cut
    while end > start and text[end - 1] in _TRIM + "." and not _ABBREVIATION_END.search(text, start, end):
        end -= 1
    while start < end and text[start] in _TRIM and text[start] not in "‘’":  # keep "’80s"
        start += 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    match = _LEADING_THE.match(text, start, end)
    if match:
        start = match.end()
    return (start, end) if end > start else None


def _tense(doc: Doc, start: int, end: int) -> Tense | None:
    """Return the tense of the verb the expression modifies, or None (no verb, a noun's modifier)."""
    if not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    if token.dep_ == "poss":  # "Monday's debate will be ...": the tense of the debate's verb
        token = token.head
        if token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
            return None
    head = token.head
    if token.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    # A date that modifies a noun ("the Aug. 9 election") says nothing about tense.
    if head is token or head.pos_ not in ("VERB", "AUX"):
        return None
    aux = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in aux):
        return "future"
    if any(c.lower_ == "to" for c in aux) and head.head.lemma_ in _FUTURE_HEADS:
        return "future"
    if head.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return "past"
    return None


def _published(doc: Doc) -> date | None:
    """Return ``doc._.published`` as a date, or None when it is missing or unreadable."""
    value = doc._.published
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:  # an unreadable date is no anchor, not an error
        return None


def resolve_dates(doc: Doc) -> tuple[DateExpression, ...]:
    """Return the time expressions of ``doc``, resolved against ``doc._.published``, in text order."""
    text = doc_text(doc)
    published = _published(doc)
    scored = []
    for cand in [*_model_candidates(doc), *_regex_candidates(doc)]:
        bounds = _trim(text, cand.start, cand.end)
        if bounds is None or _AGE.search(text[bounds[0] : bounds[1] + 6]):
            continue
        start, end = bounds
        if not any(c.isalnum() for c in text[start:end]):
            continue
        resolution = resolve(text[start:end], published, _tense(doc, start, end))
        if resolution is None and not _TIME_WORD.search(text[start:end]):
            continue
        scored.append((start, end, cand.from_model, resolution))
    # One that resolves beats one that does not, then the longer, then the model's.
    scored.sort(key=lambda c: (c[3] is None, -(c[1] - c[0]), not c[2], c[0]))
    kept: list[tuple[int, int, Resolution | None]] = []
    for start, end, _, resolution in scored:
        if all(end <= s or e <= start for s, e, _ in kept):
            kept.append((start, end, resolution))
    dates = []
    for number, (start, end, resolution) in enumerate(sorted(kept), start=1):
        window = max(0, start - 8)  # room for "During " and the character before it
        before = _PREPOSITION_BEFORE.search(text[window:start])
        if before:
            start = window + before.start()
        value, granularity = resolution if resolution else (None, None)
        dates.append(DateExpression(f"D{number}", text[start:end], (start, end), value, granularity))
    return tuple(dates)


@Language.factory("newsgraph_time_v1", requires=["doc.ents", "token.dep"], assigns=["doc._.dates"])
def make_time_resolver(nlp: Language, name: str) -> TimeResolver:
    return TimeResolver()


class TimeResolver:
    """spaCy component: computes ``resolve_dates(doc)``, then stores it in ``doc._.dates``."""

    def __call__(self, doc: Doc) -> Doc:
        dates = resolve_dates(doc)
        doc._.dates = dates
        return doc
