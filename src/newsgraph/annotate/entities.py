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

Limits: no pronoun resolution here (the quotes component resolves speakers);
names that differ in spelling ("U.S." / "United States") stay apart; two
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

    @property
    def type(self) -> str:
        # Majority label; ties go to the label seen first.
        return self.labels.most_common(1)[0][0]

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
    while end > start and doc_text[end - 1] in _EDGE_PUNCT:
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
    _link_acronyms(names, text)
    names = _merge_surnames(_merge_acronyms(names))
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
    return sorted(spans)


#: Entity types that are names: their words start with a capital somewhere ("iPad" too).
_NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
#: A score or a tally after a name: "Botic van de Zandschulp 6-2", "Jarry 6-4, 7-5".
_SCORE = re.compile(r"\d+(?:[-–]\d+)?(?:\(\d+\))?,?")


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
    while toks and _SCORE.fullmatch(toks[-1].text):
        toks.pop()
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _link_acronyms(clusters: list[_Cluster], text: str) -> None:
    """Record an acronym introduced right after a mention ("Name, or ACR") as an alias."""
    for cluster in clusters:
        if len(cluster.tokens) < 2:
            continue
        for m in cluster.mentions:
            match = _ACRONYM_AFTER.match(text[m.end : m.end + 40])
            if match and match.group(1).isupper():
                cluster.aliases.add(match.group(1))


def _merge_acronyms(clusters: list[_Cluster]) -> list[_Cluster]:
    by_key = {c.key: c for c in clusters}
    for cluster in clusters:
        if len(cluster.tokens) < 2:
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
    return Entity(id=entity_id, name=name, type=etype, aliases=aliases, mentions=mentions)


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
