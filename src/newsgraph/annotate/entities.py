"""Named entities clustered within one article (component ``newsgraph_entities_v1``).

spaCy factory names may not contain dots, so our versioned names are
``newsgraph_<step>_v<N>`` rather than the registry style ``newsgraph.step.v1``.

Method (rule-based, on top of the statistical NER of the loaded model):

1. Mentions are the model's entities with a label we keep (PERSON, ORG, GPE,
   NORP, LOC, FAC, DATE; EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE as MISC), cut at
   a line break and stripped of a leading "the" (names only), a possessive
   ('s) and surrounding punctuation.
   A run of proper nouns right after a role word or honorific (the list in
   data/person_roles.txt: "chief executive Anneliese Brandt", "Dr. Eze") is
   a PERSON mention whatever the tagger said.
2. Mentions with the same normalised form (case, leading "the", possessive)
   form one cluster whatever their labels; the cluster's type is the majority
   label. This also repairs NER label noise ("Belarus" tagged PERSON once and
   GPE five times is one GPE).
3. A one-word name that is the surname (or the given name) of exactly one
   multi-word person cluster joins it; with several candidates it joins the
   nearest one mentioned before it ("Ferris" -> "Emily Ferris").
4. An acronym introduced as "Name, or ACR" / "Name (ACR)", or equal to the
   initials of a multi-word name, joins that name ("RUSI" -> "Royal United
   Services Institute").
5. Every surname and acronym alias is then searched for in the text, so
   mentions the tagger missed are added (offsets always point into the text).
6. A name's type is what it is known to be, where it is known
   (``known_type``): a platform, company or outlet the model takes for a
   person or a place ("Twitter", "Lucasfilm"); a name written as a product
   ("iPad Pro", "IE9", "Windows 10") is MISC; a designator as its last
   word ("... Convention Centre" is a facility, "Saudi Gazette" an
   organisation); a country, capital or nationality in the GeoNames
   tables; a place or an armed, militant or international group in the
   Phoenix actor dictionaries ("Aleppo", "ISIL"), which also add the names
   of that kind the model misses. The names of one country merge ("U.S." =
   "United States"), and so do a company's one word and its two- or
   three-letter acronym ("VW" = "Volkswagen").

A name ending in an abbreviation keeps its full stop ("U.S.", "Washington D.C.").

Limits: no pronoun resolution here (the quotes component resolves speakers);
names that differ in spelling stay apart unless a rule above joins them; two
people sharing a surname are told apart only by order of mention. The
surname and alias rules follow the classic "same-head" and acronym heuristics
of rule-based coreference (Lee et al. 2013, "Deterministic coreference
resolution based on entity-centric, precision-ranked rules").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from ..models import Entity, Mention
from .extensions import doc_text

__all__ = ["ENTITY_TYPES", "LABEL_MAP", "cluster_entities", "EntityClusterer"]

#: spaCy (OntoNotes) label -> our entity type; labels not listed are not entities.
LABEL_MAP = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "NORP": "NORP",
    "LOC": "LOC",
    "FAC": "FAC",
    "DATE": "DATE",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "LANGUAGE": "MISC",
}
ENTITY_TYPES = tuple(dict.fromkeys(LABEL_MAP.values()))

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_EDGE_PUNCT = " \t\n\"'“”‘’.,;:!?()[]{}-–—/"
_ACRONYM_AFTER = re.compile(r"^\s*(?:,\s*(?:or|aka|known as)\s+|\(\s*)(?:the\s+)?([A-Z][A-Za-z&]{1,9})\b")
_FUNCTION_WORDS = {"of", "the", "and", "for", "on", "in", "at", "to", "de", "&"}


@dataclass
class _Cluster:
    key: str
    mentions: list[Mention] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)

    known: str | None = None  # the type a designator or a dictionary gives the name

    @property
    def type(self) -> str:
        # What the name is known to be; else the majority label, ties to the label seen first.
        return self.known or self.labels.most_common(1)[0][0]

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)

    @property
    def tokens(self) -> list[str]:
        return self.key.split()


def _normalise(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    key = " ".join(text.casefold().split())
    return key[4:] if key.startswith("the ") else key


# A leading article is not part of a name ("the Royal United Services Institute"
# names "Royal United Services Institute"), as in the CoNLL/MUC conventions; date
# expressions keep theirs ("the weekend"). Measured with `newsgraph eval entities`:
# GUM news F1 0.544 -> 0.624; re3d, whose spans keep "the", 0.398 -> 0.346.
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+(?=\S)")


#: A name ending in an abbreviation keeps its full stop: "U.S.", "Washington D.C.", "Jr.".
_ABBREVIATION = re.compile(r"(?:(?<![^\s.])[A-Za-z]|\b(?:Jr|Sr|Inc|Co|Corp|Ltd|St))\.$")


def _mention_bounds(doc_text: str, start: int, end: int, etype: str) -> tuple[int, int] | None:
    """Return the cleaned (start, end) of an entity span, or None if nothing is left."""
    if etype != "DATE":
        match = _LEADING_ARTICLE.match(doc_text, start, end)
        if match:
            start = match.end()
    surface = doc_text[start:end]
    cut = surface.find("\n")
    if cut != -1:
        end = start + cut
    while end > start and doc_text[end - 1] in _EDGE_PUNCT and not _ABBREVIATION.search(doc_text[start:end]):
        end -= 1
    while start < end and doc_text[start] in _EDGE_PUNCT:
        start += 1
    match = _POSSESSIVE.search(doc_text[start:end])
    if match and match.start() > 0:
        end = start + match.start()
    return (start, end) if end > start else None


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in _FUNCTION_WORDS and w[0].isalpha())


def cluster_entities(doc: Doc) -> tuple[Entity, ...]:
    """Return the article's entities: the model's NER mentions clustered as described above."""
    text = doc_text(doc)
    clusters: dict[tuple[str, bool], _Cluster] = {}
    for start_char, end_char, etype in _name_spans(doc):
        bounds = _mention_bounds(text, start_char, end_char, etype)
        if bounds is None:
            continue
        start, end = bounds
        key = _normalise(text[start:end])
        if not key or not any(c.isalpha() for c in key):
            continue
        # Dates and names never share a cluster, even when the words agree.
        ckey = (key, etype == "DATE")
        cluster = clusters.setdefault(ckey, _Cluster(key))
        cluster.mentions.append(Mention(start, end, text[start:end]))
        cluster.labels[etype] += 1

    names = [c for (k, is_date), c in clusters.items() if not is_date]
    for cluster in names:
        cluster.known = known_type(max(cluster.mentions, key=lambda m: len(m.text)).text, cluster.type)
    _link_acronyms(names, text)
    names = _merge_surnames(_merge_acronyms(_merge_identities(names)))
    _add_alias_mentions(names, text)

    dates = [c for (k, is_date), c in clusters.items() if is_date]
    ordered = sorted(names + dates, key=lambda c: c.first)
    return tuple(_to_entity(f"E{i}", c) for i, c in enumerate(ordered, start=1))


@functools.lru_cache(maxsize=1)
def _person_roles() -> frozenset[str]:
    path = resources.files("newsgraph") / "data" / "person_roles.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _role_word(token) -> bool:
    return token.lower_.rstrip(".") in _person_roles()


def _name_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """Return (start_char, end_char, type) of the names to cluster.

    The model's entities, except where a run of proper nouns comes right after
    a role word or honorific ("chief executive Anneliese Brandt", "Dr. Okafor",
    "President Lukashenko"): that run is a PERSON, whatever the tagger said,
    and replaces the entities it overlaps. Small NER models often split or
    mistype unfamiliar names there ("Anneliese"/NORP + "Brandt"/ORG).
    """
    people: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        if doc[i].pos_ != "PROPN" or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i
        while j < n and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].ent_type_ != "DATE":
            j += 1
        run_start = i
        while run_start < j and _role_word(doc[run_start]):  # "President Vladimir Putin"
            run_start += 1
        titled = run_start > i or (i > 0 and _role_word(doc[i - 1]))
        # Names are at most four words; a longer run is an organisation or a headline.
        if titled and 0 < j - run_start <= 4:
            people.append((doc[run_start].idx, doc[j - 1].idx + len(doc[j - 1])))
        i = max(j, i + 1)
    spans = [(s, e, "PERSON") for s, e in people]
    for ent in doc.ents:
        etype = LABEL_MAP.get(ent.label_)
        if etype is None or any(s < ent.end_char and ent.start_char < e for s, e in people):
            continue
        bounds = _name_bounds(ent) if etype in _NAMED_TYPES else (ent.start_char, ent.end_char)
        if bounds is not None:
            spans.append((*bounds, etype))
    taken = [(s, e) for s, e, _ in spans] + [(t.idx, t.idx + len(t)) for ent in doc.ents for t in ent]
    spans += [(s, e, t) for s, e, t in _dictionary_names(doc) if not any(a < e and s < b for a, b in taken)]
    return sorted(spans)


#: Words a name written in capitals may hold in lower case ("Islamic State of Iraq and the Levant").
_INNER_WORDS = frozenset({"of", "the", "and", "for", "al", "el", "de", "-", "’s", "'s"})
_MAX_NAME_TOKENS = 8
_WORDLIKE = re.compile(r"[A-Za-z][A-Za-z’'-]*|(?:[A-Z]\.)+")
#: Last words of a several-word dictionary name that make it a group, not a person.
_GROUP_NOUNS = frozenset({"army", "forces", "front", "brigade", "brigades", "militia", "movement", "party",
                          "council", "union", "nations", "organization", "organisation", "alliance", "committee",
                          "group", "guard", "police", "command", "coalition"})


def _dictionary_names(doc: Doc) -> list[tuple[int, int, str]]:
    """Return names the model missed that the Phoenix actor dictionaries know, with their known type.

    A run of capitalised tokens (lower-case function words inside) whose words
    are a dictionary actor phrase, longest first ("ISIL", "Free Syrian Army",
    "Peshmerga"), typed by ``known_type``: a place or a group; a person or a
    phrase of unknown kind is left to the model.
    """
    from .events.dictionaries import load_dictionaries, user_files, words_of

    actors = load_dictionaries(user_files()).actors
    # Per token, once: is it a capitalised word, may it sit inside a name, and its dictionary words.
    capital = [t.text[:1].isupper() for t in doc]
    inside = [c and bool(_WORDLIKE.fullmatch(t.text)) or t.lower_ in _INNER_WORDS for c, t in zip(capital, doc)]
    token_words = [words_of(t.text) for t in doc]
    found = []
    i, n = 0, len(doc)
    while i < n:
        if not capital[i]:
            i += 1
            continue
        for length in range(min(_MAX_NAME_TOKENS, n - i), 0, -1):
            if not capital[i + length - 1] or not all(inside[i : i + length]):
                continue
            toks = doc[i : i + length]
            words = tuple(w for k in range(i, i + length) for w in token_words[k])
            if not words or words not in actors:
                continue
            etype = known_type(toks.text, "")
            if etype == "ORG" and length > 1 and toks[-1].lower_ not in _GROUP_NOUNS:
                etype = None  # "Regina Ip": a person the dictionaries code by her party
            if etype is not None:
                found.append((toks.start_char, toks.end_char, etype))
                i += length - 1
                break
        i += 1
    return found


#: Entity types that are names: their words start with a capital somewhere ("iPad" too).
_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: A score or a tally after a name: "Botic van de Zandschulp 6-2", "Jarry 6-4, 7-5".
_SCORE = re.compile(r"\d+(?:[-–]\d+)?(?:\(\d+\))?,?")


#: Lower-case words that begin names: "de Gaulle", "van der Leyen", "al-Assad", "bin Salman".
_NAME_PARTICLES = frozenset({"de", "del", "della", "di", "da", "du", "des", "van", "von", "der", "den", "le", "la",
                             "al", "el", "bin", "ibn", "ben", "dos", "das", "ter", "ten", "zu"})


def _capital(tok) -> bool:
    return any(ch.isupper() for ch in tok.text)


def _name_bounds(ent) -> tuple[int, int] | None:
    """Return the character bounds of the name in a model entity, or None when it holds no name.

    A score after a name is cut ("Botic van de Zandschulp 6-2" is the player); a span with no
    capital letter is no name ("clinicians", "n't"). Words the small model takes in before or
    after a name ("similarly fresh Reuters poll") stay: cutting them lowered GUM and re3d F1.
    """
    toks = list(ent)
    if not any(_capital(t) for t in toks):
        return None
    if len(toks) == 1 and toks[0].is_sent_start and toks[0].pos_ in ("NOUN", "VERB", "ADJ", "ADV"):
        return None  # "Aim", "Challenges": a common word capitalised because a sentence starts with it
    while toks and _SCORE.fullmatch(toks[-1].text):
        toks.pop()
    # A description before the name is not part of it: "data from MarketAxess", "governor of
    # South Dakota", "new ABC News poll" (but "de Herengracht", "iPad" are names as written).
    while len(toks) > 1 and toks[0].text[:1].islower() and not _capital(toks[0]) \
            and toks[0].lower_ not in _NAME_PARTICLES:
        toks.pop(0)
        if toks and toks[0].lower_ in ("of", "from", "for", "at", "by") and len(toks) > 1:
            toks.pop(0)
    return toks[0].idx, toks[-1].idx + len(toks[-1])


@functools.lru_cache(maxsize=1)
def _designators() -> dict[str, str]:
    path = resources.files("newsgraph") / "data" / "entity_designators.txt"
    rows = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) == 2}


#: Names written as products are: a lower-case letter before a capital ("iPad", "iPhone 12"), a
#: model word last ("Galaxy S21 Ultra", "MacBook Pro"), a model code of two letters or more and
#: digits ("IE9", "PS5"; not "G7"), a word and a version number ("Pixel 7", "Windows 10").
_PRODUCT = re.compile(r"^[a-z][A-Z][a-z]|\b(?:Pro|Max|Mini|Ultra|Plus|Lite)$"
                      r"|\b(?=\w*\d)(?=(?:\w*[A-Za-z]){2})\w{3,}$|\b[A-Z][a-z]+ \d{1,2}$")


@functools.lru_cache(maxsize=1)
def _known_organisations() -> frozenset[str]:
    path = resources.files("newsgraph") / "data" / "known_organisations.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


#: Phoenix code parts that name a group, not a person or a state: insurgents, militaries,
#: parties, militant groups and international or non-governmental organisations.
_GROUP_CODES = ("REB", "MIL", "OPP", "INS", "SEP", "PTY", "UAF", "IMG", "IGO", "NGO", "MNC")


def known_type(name: str, model_type: str) -> str | None:
    """Return the type a name is known to have, or None to keep the model's.

    In order: a platform, company or outlet the small model takes for a person
    or a place ("Twitter", "Lucasfilm"; ``data/known_organisations.txt``) -> ORG;
    a name written as a product ("iPad Pro", "IE9", "Pixel 7"; not a road or a
    place the model typed so) -> MISC;
    a designator as the last word ("... Convention Centre" -> FAC,
    ``data/entity_designators.txt``); a country, capital or demonym in the
    GeoNames tables (GPE, NORP); a Phoenix actor entry, which makes a name
    filed under a country a place ("Aleppo", "Raqqa" -> GPE) and a name
    coded as an armed, militant, party or international group an
    organisation ("ISIL", "Daesh", "Peshmerga") unless the model took it for
    a person.
    """
    from . import geo
    from .events.dictionaries import load_dictionaries, user_files, words_of

    if " ".join(name.split()) in _known_organisations():
        return "ORG"
    if model_type not in ("LOC", "FAC") and _PRODUCT.search(name):
        return "MISC"  # "Route 66" stays a road
    words = name.split()
    if len(words) >= 2:
        last = words[-1].strip(".,").lower()
        designated = _designators().get(last) or (_designators().get(last[:-1]) if last.endswith("s") else None)
        if designated and words[-1][:1].isupper():
            return designated
    if geo.country_code(name, ("name", "capital")) is not None:
        return "GPE"
    if geo.country_code(name, ("demonym",)) is not None:
        return "NORP"
    words = words_of(name)
    found = load_dictionaries(user_files()).find_actor(words)
    if found is None or (found[0], found[1]) != (0, len(words)):
        return None
    entry = found[2]
    if geo.country_code(entry.name, ("name",)) is not None:
        return "GPE"  # a place the dictionary files under its country
    codes = [c for c in (entry.default, *(c for c, _, _ in entry.dated)) if c]
    if model_type != "PERSON" and any(part in code for code in codes for part in _GROUP_CODES):
        return "ORG"
    return None


def _link_acronyms(clusters: list[_Cluster], text: str) -> None:
    """Record an acronym introduced right after a mention ("Name, or ACR") as an alias."""
    for cluster in clusters:
        if len(cluster.tokens) < 2:
            continue
        for m in cluster.mentions:
            match = _ACRONYM_AFTER.match(text[m.end : m.end + 40])
            if match and match.group(1).isupper():
                cluster.aliases.add(match.group(1))


def _letters_in_order(acronym: str, word: str) -> bool:
    """Return whether an acronym's letters begin ``word`` and follow in it in order ("vw", "volkswagen")."""
    if not acronym or acronym[0] != word[:1]:
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in acronym[1:])


def _merge_acronyms(clusters: list[_Cluster]) -> list[_Cluster]:
    by_key = {c.key: c for c in clusters}
    short = [c for c in clusters if 2 <= len(c.key) <= 3 and c.key.isalpha()]
    for cluster in clusters:
        if len(cluster.tokens) < 2:
            # A one-word name and a two- or three-letter acronym of its letters in order
            # ("VW", "Volkswagen"): a company's short form, when the article has both.
            if len(cluster.key) >= 6 and cluster.type == "ORG":
                for other in short:
                    if other.type == "ORG" and _letters_in_order(other.key, cluster.key) and other.mentions \
                            and all(m.text.isupper() for m in other.mentions):
                        _absorb(cluster, other)
            continue
        acronyms = {a.casefold() for a in cluster.aliases}
        initials = _initials(cluster.key)
        if len(initials) >= 2:
            acronyms.add(initials)
        for acronym in acronyms:
            other = by_key.get(acronym)
            if other is not None and other is not cluster and other.mentions:
                if not any(m.text.isupper() for m in other.mentions):
                    continue  # "Rusi" in running text is a word, not the acronym
                _absorb(cluster, other)
    return [c for c in clusters if c.mentions]


def identity_key(name: str, etype: str) -> str | None:
    """Return a key shared by every name of one country ("U.S.", "United States", "America" -> "=USA"), or None."""
    from . import geo

    if etype not in ("GPE", "LOC", "ORG"):
        return None
    code = geo.actor_code(name, ("name",))
    return f"={code}" if code else None


def _merge_identities(clusters: list[_Cluster]) -> list[_Cluster]:
    """Merge the clusters of one country written in several ways; the one seen first absorbs the others."""
    first: dict[str, _Cluster] = {}
    for cluster in sorted(clusters, key=lambda c: c.first):
        key = identity_key(cluster.mentions[0].text, cluster.type)
        if key is None:
            continue
        if key in first:
            _absorb(first[key], cluster)
        else:
            first[key] = cluster
    return [c for c in clusters if c.mentions]


def _merge_surnames(clusters: list[_Cluster]) -> list[_Cluster]:
    people = [c for c in clusters if c.type == "PERSON" and len(c.tokens) >= 2]
    for cluster in clusters:
        if len(cluster.tokens) != 1 or not cluster.mentions or cluster.type in {"DATE", "NORP"}:
            continue
        word = cluster.key
        candidates = [p for p in people if p is not cluster and p.mentions and word in (p.tokens[-1], p.tokens[0])]
        if not candidates:
            continue
        # Surname matches beat given-name matches; then the nearest earlier full name.
        surname = [p for p in candidates if p.tokens[-1] == word]
        candidates = surname or candidates
        before = [p for p in candidates if p.first < cluster.first]
        target = max(before, key=lambda p: p.first) if before else min(candidates, key=lambda p: p.first)
        if cluster.type != "PERSON" and len(candidates) > 1:
            continue  # an ambiguous non-person one-word name: leave it alone
        _absorb(target, cluster)
    return [c for c in clusters if c.mentions]


def _absorb(target: _Cluster, other: _Cluster) -> None:
    target.aliases.add(other.mentions[0].text)
    target.aliases |= other.aliases
    target.mentions.extend(other.mentions)
    # The absorbing cluster's own labels decide its type.
    for label, count in other.labels.items():
        if label in target.labels:
            target.labels[label] += count
    other.mentions = []


def _add_alias_mentions(clusters: list[_Cluster], text: str) -> None:
    """Add mentions of surnames and acronyms that the tagger missed."""
    taken = sorted((m.start, m.end) for c in clusters for m in c.mentions)
    covered = _Coverage(taken)
    for cluster in clusters:
        forms = set(cluster.aliases)
        if cluster.type == "PERSON" and len(cluster.tokens) >= 2:
            longest = max(cluster.mentions, key=lambda m: len(m.text.split())).text
            forms.add(longest.split()[-1])
        for form in forms:
            if len(form) < 3 or not form[0].isupper():
                continue
            for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                if not covered.overlaps(match.start(), match.end()):
                    cluster.mentions.append(Mention(match.start(), match.end(), match.group()))
                    covered.add(match.start(), match.end())


class _Coverage:
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = list(spans)

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))


def _to_entity(entity_id: str, cluster: _Cluster) -> Entity:
    mentions = tuple(sorted(cluster.mentions, key=lambda m: m.start))
    etype = cluster.type
    # The fullest form names the entity: most words, then longest, then first seen.
    name = max(mentions, key=lambda m: (len(m.text.split()), len(m.text), -m.start)).text
    name = " ".join(name.split())
    aliases = {" ".join(m.text.split()) for m in mentions} | cluster.aliases
    aliases = tuple(sorted(a for a in aliases if a and _normalise(a) != _normalise(name)))
    return Entity(id=entity_id, name=name, type=etype, aliases=aliases, mentions=mentions,
                  confidence=_confidence(cluster))


#: An entity's confidence is the share of mentions of names found the same way that are right,
#: words and type, on GUM news dev (exact spans; ``benchmarks/confidence.py``), rounded down to
#: 0.05, by (type known from a designator or a dictionary, several words, several mentions):
#: a name whose mentions the model labelled differently is right 0.3 of the time.
_CONFIDENCE = {
    (True, True, False): 0.85, (True, False, False): 0.85, (True, True, True): 0.75, (True, False, True): 0.65,
    (False, True, True): 0.75, (False, True, False): 0.55, (False, False, True): 0.55, (False, False, False): 0.4,
}
_DISPUTED = 0.3


def _confidence(cluster: _Cluster) -> float:
    labels = cluster.labels
    if not cluster.known and labels and labels.most_common(1)[0][1] < sum(labels.values()):
        return _DISPUTED
    several_words = max(len(m.text.split()) for m in cluster.mentions) > 1
    return _CONFIDENCE[(cluster.known is not None, several_words, len(cluster.mentions) > 1)]


@Language.factory(
    "newsgraph_entities_v1",
    requires=["doc.ents"],
    assigns=["doc._.entities"],
)
def make_entity_clusterer(nlp: Language, name: str) -> EntityClusterer:
    _person_roles()  # read with the model, not on the first document
    return EntityClusterer()


class EntityClusterer:
    """spaCy component: computes ``cluster_entities(doc)`` and stores it in ``doc._.entities``."""

    def __call__(self, doc: Doc) -> Doc:
        entities = cluster_entities(doc)
        doc._.entities = entities
        return doc
