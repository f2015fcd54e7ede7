"""Speakers and roles (component ``newsgraph_speakers_v1``).

Runs after the entity and quote components and does two things:

1. **Resolves each quote's speaker mention to an entity.** A mention that
   overlaps an entity mention takes that entity (a PERSON over others, then
   the one holding the phrase's head: "White House spokesman Josh Earnest" ->
   Josh Earnest). A surname or alias the tagger missed is looked up among the
   entities' names. A pronoun (he, she, it, who ...) takes its antecedent
   from a light, salience-ranked pass over the whole article: every subject
   pronoun is resolved in reading order to the most salient earlier mention
   of a compatible entity (subjects and recent speakers rank first, then
   recency; Lappin & Leass 1994, "An algorithm for pronominal anaphora
   resolution"), and a resolved pronoun becomes a mention itself, so chains
   ("Putin has not commented ... he spoke ... he promised") follow. Gender is
   learned on the way: an entity once referred to as "she" is not taken for
   "he". A specific nominal speaker with no entity ("Belarusian
   authorities") becomes an entity of its own (type ORG).
2. **Reads roles from descriptors** next to a person's or group's mentions:
   an apposition ("Emily Ferris, a Russia research fellow at the Royal United
   Services Institute" -> title "Russia research fellow", organisation
   "Royal United Services Institute"; "Linas Linkevicius, foreign minister of
   neighboring Lithuania") and pre-modifiers ("White House spokesman Josh
   Earnest", "Russian President Vladimir Putin" -> "President", "Russia").
   A nationality adjective stands for the country named in the article that
   it derives from ("Belarusian" -> "Belarus").

Limits: pronoun resolution is heuristic (no gender lexicon, no cataphora,
"they" only for groups); roles are read from the dependency parse, so a
misparsed apposition loses its role; an organisation is taken only after
at/of/for/with/from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..models import Entity, Mention, Quote, Role
from .entities import LABEL_MAP, _normalise, _person_roles, _role_word
from .extensions import doc_text
from .quotes import is_information

__all__ = ["resolve_speakers", "find_roles", "roles_in_doc", "merge_roles"]

_PERSONAL = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_GROUP_TYPES = {"ORG", "GPE", "NORP"}
# Entity types whose names may be people mistyped by the tagger; a person's role
# next to one of them settles it.
_PERSON_LIKE = {"PERSON", "ORG", "GPE", "LOC", "FAC", "MISC"}
_ORG_PREPS = {"at", "of", "for", "with", "from"}
# How many sentences back a pronoun looks for its antecedent. News rarely
# refers to a person by pronoun more than a paragraph (2-4 sentences) after
# the name; a wider window mostly adds wrong candidates.
_PRONOUN_WINDOW_SENTS = 6
# Salience in the manner of Lappin & Leass (1994): every mention starts with a
# base weight; being a subject or a quote's speaker adds to it; the pronoun's
# own reported speech points at its reporter ("X said she ..."); salience
# halves with each sentence back, so a subject in the same sentence beats a
# speaker one sentence earlier. Checked on the seed article and our tests.
_BASE = 100.0
_SUBJECT_BONUS = 80.0
_SPEAKER_BONUS = 50.0
_REPORTER_BONUS = 200.0
_DECAY = 0.5


def _mention_index(entities: Iterable[Entity]) -> list[tuple[int, int, Entity]]:
    """Return (start, end, entity) of every mention, by position; two entities may share a span."""
    return sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda item: item[:2])


def _overlapping(index, start: int, end: int) -> list[tuple[int, int, Entity]]:
    return [item for item in index if item[0] < end and start < item[1]]


def _country_for(adjective: str, entities: Iterable[Entity]) -> str | None:
    """Return the GPE named in the article that a nationality adjective derives from."""
    adj = adjective.casefold()
    best = None
    for entity in entities:
        # Small taggers often call a country an ORG ("Belarus is in turmoil").
        if entity.type not in {"GPE", "LOC", "ORG"}:
            continue
        name = entity.name.casefold()
        # "Belarusian"/"Belarus", "Russian"/"Russia", "Lithuanian"/"Lithuania":
        # the country name minus a final vowel starts the adjective.
        stem = name[:-1] if len(name) > 4 and name[-1] in "aeiouy" else name
        if len(stem) >= 4 and adj.startswith(stem) and (best is None or len(name) > len(best.name)):
            best = entity
    return best.name if best else None


def _entity_label(span_tokens: list[Token], index, entities) -> str | None:
    """Return the organisation a phrase names: an ORG/GPE entity in it, a country for a NORP, or None.

    Entities are looked up in ``index`` (the article's mentions); tokens the
    tagger marked but the index does not cover (a caption's own text) are
    read from their entity labels.
    """
    if not span_tokens:
        return None
    start, end = span_tokens[0].idx, span_tokens[-1].idx + len(span_tokens[-1])
    hits = [(e.type, e.name) for _, _, e in _overlapping(index, start, end)]
    if not hits:
        hits = [(LABEL_MAP.get(t.ent_type_), _ent_text(t)) for t in span_tokens if t.ent_iob_ == "B"]
    for etype, name in hits:
        if etype in {"ORG", "GPE", "FAC", "LOC"}:
            return name
    for etype, name in hits:
        if etype == "NORP":
            return _country_for(name, entities) or name
    return None


def _ent_text(token: Token) -> str:
    """Return the text of the entity that starts at ``token``."""
    end = token.i + 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    return token.doc[token.i : end].text


def _appositive_roles(head: Token, index, entities) -> list[tuple[str, str | None, Span]]:
    roles = []
    for child in head.children:
        if child.dep_ != "appos" or child.pos_ not in {"NOUN", "PROPN"}:
            continue
        if child.ent_type_ in {"PERSON", "GPE", "ORG"} and not _role_word(child):
            continue  # "Ferris, or RUSI" style aliases are not roles
        words = [t for t in child.lefts if t.dep_ in {"compound", "amod", "nmod", "nummod"}]
        # Keep only the contiguous modifiers next to the head ("a Russia research fellow").
        title_tokens = sorted([*words, child], key=lambda t: t.i)
        if not any(_role_word(t) for t in title_tokens):
            continue  # "a political think tank": a description, not a person's role
        title = " ".join(t.text for t in title_tokens)
        org = None
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ in _ORG_PREPS:
                pobj = [t for t in prep.children if t.dep_ == "pobj"]
                if pobj:
                    subtree = list(pobj[0].subtree)
                    org = _entity_label(subtree, index, entities)
                    if org is None and any(t.pos_ == "PROPN" for t in subtree):
                        org = _strip_det(subtree)
                    elif org is None and prep.lower_ == "of":
                        # "director of operations": part of the title, not an organisation
                        title = f"{title} of {_strip_det(subtree)}"
                break
        # A NORP or ORG inside the title ("a Russia research fellow", "a White House aide")
        # names the organisation when no prepositional phrase does.
        if org is None:
            org = _entity_label([t for t in words if t.ent_type_], index, entities)
        evidence = head.doc[min(t.i for t in title_tokens) : max(t.i for t in child.subtree) + 1]
        roles.append((title, org, evidence))
    return roles


def _strip_det(tokens: list[Token]) -> str:
    while tokens and tokens[0].dep_ in {"det", "poss"}:
        tokens = tokens[1:]
    return " ".join(t.text for t in tokens if t.dep_ != "punct") or None


def _premodifier_role(head: Token, name_start: int, index, entities) -> tuple[str, str | None, Span] | None:
    """Return the title written before a name ("Russian President Vladimir Putin"), if any."""
    left = [t for t in head.lefts if t.i < name_start and t.dep_ in {"compound", "amod", "nmod"}]
    if not left:
        return None
    first = min(t.left_edge.i for t in left)  # "Belarusian" hangs on "President"
    prefix = list(head.doc[first:name_start])
    role_tokens = [t for t in prefix if not t.ent_type_ or _role_word(t)]
    if not any(_role_word(t) for t in role_tokens):
        return None
    title = " ".join(t.text for t in role_tokens).strip()
    org = _entity_label([t for t in prefix if t.ent_type_ and not _role_word(t)], index, entities)
    return title, org, head.doc[first:name_start]


def roles_in_doc(doc: Doc, entities: tuple[Entity, ...], by_name: bool = False) -> dict[str, list[Role]]:
    """Return entity id -> roles stated in ``doc`` next to the entity's mentions.

    With ``by_name`` the entities' mentions are found by name in ``doc``
    (for captions, whose text is not the article body) and the roles carry no span.
    """
    # A caption's offsets are not the article's: there, labels come from the caption's own tags.
    index = [] if by_name else _mention_index(entities)
    found: dict[str, list[Role]] = {}
    targets = _name_heads(doc, entities) if by_name else _mention_heads(doc, entities)
    for entity, head, name_start in targets:
        candidates = _appositive_roles(head, index, entities)
        pre = _premodifier_role(head, name_start, index, entities)
        if pre:
            candidates.insert(0, pre)
        for title, org, evidence in candidates:
            span = None if by_name else (evidence.start_char, evidence.end_char)
            _add_role(found.setdefault(entity.id, []), Role(title=title, organisation=org, span=span))
    return found


def _add_role(roles: list[Role], role: Role) -> None:
    """Add ``role`` unless known; a role with an organisation replaces the same title without one."""
    for i, known in enumerate(roles):
        if (known.title or "").casefold() == (role.title or "").casefold():
            if known.organisation is None and role.organisation is not None:
                roles[i] = role
            return
    roles.append(role)


def merge_roles(entities: tuple[Entity, ...], extra: dict[str, list[Role]]) -> tuple[Entity, ...]:
    """Return ``entities`` with the roles in ``extra`` (entity id -> roles) merged in."""
    out = []
    for entity in entities:
        if entity.id in extra:
            roles = list(entity.roles)
            for role in extra[entity.id]:
                _add_role(roles, role)
            entity = dataclasses.replace(entity, roles=tuple(roles))
        out.append(entity)
    return tuple(out)


def _mention_heads(doc: Doc, entities):
    for entity in entities:
        if entity.type not in _PERSON_LIKE:
            continue
        for m in entity.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                yield entity, span.root, span.start


def _name_heads(doc: Doc, entities):
    names = {}
    for entity in entities:
        if entity.type == "PERSON":
            for form in (entity.name, *entity.aliases):
                names.setdefault(_normalise(form), entity)
    for ent in doc.ents:
        entity = names.get(_normalise(ent.text))
        if entity is not None:
            yield entity, ent.root, ent.start


def find_roles(doc: Doc, entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """Return ``entities`` with the roles stated in ``doc`` attached.

    A name the tagger typed otherwise but that holds a person's role ("Keir
    Giles, a senior consulting fellow", tagged ORG) becomes a PERSON.
    """
    found = roles_in_doc(doc, entities)
    entities = tuple(
        dataclasses.replace(e, type="PERSON") if e.id in found and e.type != "PERSON" else e for e in entities
    )
    return merge_roles(entities, found)


# -- speaker resolution -------------------------------------------------------------


def _pronoun_antecedents(doc: Doc, entities: tuple[Entity, ...], quotes: tuple[Quote, ...]) -> dict[int, Entity]:
    """Return token index -> entity for the article's subject pronouns, resolved in reading order."""
    index = _mention_index(entities)
    speaker_starts = {q.source[0][0] for q in quotes if q.source}
    sent_of = {tok.i: n for n, sent in enumerate(doc.sents) for tok in sent}
    mention_tokens: dict[int, tuple[Entity, bool, bool]] = {}
    for s, e, entity in index:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            mention_tokens[span.root.i] = (entity, span.root.dep_ in {"nsubj", "nsubjpass"}, s in speaker_starts)
    gender: dict[str, str] = {}
    # (token index, entity, is_subject, was_speaker) for every mention seen so far.
    history: list[tuple[int, Entity, bool, bool]] = []
    resolved: dict[int, Entity] = {}

    def speaker_of(quote: Quote) -> Entity | None:
        span = doc.char_span(quote.source[0][0], quote.source[-1][1], alignment_mode="expand")
        for tok in span or ():
            if tok.i in resolved:
                return resolved[tok.i]
            if tok.i in mention_tokens:
                return mention_tokens[tok.i][0]
        return None

    for tok in doc:
        if tok.i in mention_tokens:
            entity, subj, spoke = mention_tokens[tok.i]
            history.append((tok.i, entity, subj, spoke))
            continue
        lower = tok.lower_
        if tok.pos_ != "PRON" or lower not in {"he", "she", "it", "they", "who"}:
            continue
        spoke = tok.idx in speaker_starts
        if lower == "who":
            entity = _relative_antecedent(tok, mention_tokens)
        else:
            # The quote this pronoun attributes (its own content is no antecedent), and the
            # reported speech it stands in ("Tsikhanouskaya said she was ready": she = the speaker).
            own = [q for q in quotes if q.source and q.source[0][0] <= tok.idx < q.source[-1][1]]
            within = [q for q in quotes if q.kind != "direct" and q.source and _inside(tok.idx, q.content)]
            reporter = speaker_of(within[0]) if within else None
            excluded = own[0].content if own else ()
            entity = _best_antecedent(tok, history, sent_of, gender, doc, excluded, reporter)
        if entity is None:
            continue
        resolved[tok.i] = entity
        if lower in _PERSONAL:
            gender.setdefault(entity.id, _PERSONAL[lower])
        history.append((tok.i, entity, tok.dep_ in {"nsubj", "nsubjpass"}, spoke))
    return resolved


def _inside(offset: int, spans) -> bool:
    return any(s <= offset < e for s, e in spans)


def _relative_antecedent(tok: Token, mention_tokens) -> Entity | None:
    """Return the entity a relative "who" refers to ("Svetlana Tsikhanouskaya, ..., who said")."""
    if tok.head.dep_ != "relcl":
        return None
    target = tok.head.head
    for t in target.subtree:
        if t.i > target.i:
            break
        if t.i in mention_tokens:
            return mention_tokens[t.i][0]
    return None


def _best_antecedent(tok: Token, history, sent_of, gender, doc, excluded, reporter) -> Entity | None:
    """Return the most salient earlier entity compatible with the pronoun ``tok``, or None."""
    lower = tok.lower_
    here = sent_of[tok.i]
    best, best_score = None, 0.0
    for i, entity, subj, spoke in reversed(history):
        distance = here - sent_of[i]
        if distance > _PRONOUN_WINDOW_SENTS:
            break
        if lower in _PERSONAL:
            if entity.type != "PERSON" or gender.get(entity.id, _PERSONAL[lower]) != _PERSONAL[lower]:
                continue
        elif lower == "it":
            if entity.type not in {"ORG", "GPE"}:
                continue
        elif lower == "they":
            if entity.type not in _GROUP_TYPES:
                continue
        if excluded and _inside(doc[i].idx, excluded):
            continue  # "'... Lukashenko ...,' she said": the quote is about him, not by him
        weight = _BASE + _SUBJECT_BONUS * subj + _SPEAKER_BONUS * spoke + _REPORTER_BONUS * (entity is reporter)
        score = weight * _DECAY**distance
        if score > best_score:
            best, best_score = entity, score
    return best


#: A speaker link's confidence, by how it was made, ordered by how direct the evidence is and
#: checked per band with ``benchmarks/confidence.py`` (PolNeAR dev, where the gold source is a name
#: and the entity must hold it: high band 0.94 right, medium 0.85; the seed: all 21 right; a blind
#: reading of 60 real-page quotes: 32 of 34 resolved speakers right).
_LINK = {
    "head": 0.95,  # the source's head is a mention of the entity ("Ferris said")
    "apposition": 0.9,  # "a police spokesman, Superintendent Kunle Ajayi,"
    "name": 0.85,  # a surname or alias the tagger missed, found among the entities' names
    "owner": 0.8,  # "the Kremlin's transcripts", "data from MarketAxess"
    "group": 0.8,  # a specific group named by the source itself ("Belarusian authorities")
    "inside": 0.75,  # a name inside the source phrase that is not its head
    "pronoun": 0.7,  # "he said": the antecedent chosen by salience
}


def resolve_speakers(doc: Doc, quotes: tuple[Quote, ...], entities: tuple[Entity, ...]) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
    """Return the quotes with ``speaker_id``/``speaker`` set, and the entities (plus new group speakers)."""
    if not quotes:
        return quotes, entities
    entities = list(entities)
    index = _mention_index(entities)
    antecedents = _pronoun_antecedents(doc, tuple(entities), quotes)
    by_form = {}
    for entity in entities:
        if entity.type == "DATE":
            continue
        for form in (entity.name, *entity.aliases):
            by_form.setdefault(_normalise(form), entity)
    out = []
    for quote in quotes:
        entity = None
        if quote.source:
            start, end = quote.source[0][0], quote.source[-1][1]
            entity, sure = _resolve_mention(doc, start, end, index, antecedents, by_form)
            if entity is None:
                entity, sure = _group_speaker(doc, start, end, entities, index), _LINK["group"]
                if entity is not None:
                    index = _mention_index(entities)
                    by_form.setdefault(_normalise(entity.name), entity)
        if entity is not None:
            quote = dataclasses.replace(quote, speaker_id=entity.id, speaker=entity.name, speaker_confidence=sure)
        out.append(quote)
    return tuple(out), tuple(entities)


def _resolve_mention(doc, start, end, index, antecedents, by_form) -> tuple[Entity | None, float]:
    """Return the entity a speaker mention refers to (or None: then it may be a group speaker) and how sure."""
    span = doc.char_span(start, end, alignment_mode="expand")
    # Dates never speak ("Videos shared on Thursday appeared to show ...").
    hits = [h for h in _overlapping(index, start, end) if h[2].type != "DATE"]
    root = span.root if span is not None else None
    if root is not None:
        for s, e, entity in hits:
            if s <= root.idx < e:
                return entity, _LINK["head"]  # the head speaks
        # "A Lagos police spokesman, Superintendent Kunle Ajayi, denied ...": the
        # person in apposition is the speaker the description stands for.
        for appos in (t for t in root.children if t.dep_ == "appos"):
            people = [h for h in _overlapping(index, appos.idx, appos.idx + len(appos)) if h[2].type == "PERSON"]
            if people:
                return people[0][2], _LINK["apposition"]
        owners = [t for t in root.children if t.dep_ == "poss"]
        if owners and (_role_word(root) or root.lemma_.lower() in _person_roles()):
            # "Morrison's lawyer said": the lawyer speaks, not Morrison.
            owned = {h[2].id for h in hits for o in owners if h[0] <= o.idx < h[1]}
            hits = [h for h in hits if h[2].id not in owned]
    if hits:
        people = [h for h in hits if h[2].type == "PERSON"]
        if people:
            return people[-1][2], _LINK["inside"]
        if root is None:
            return hits[-1][2], _LINK["inside"]
        # The head is a common noun: "the Kremlin's transcripts" and "data from
        # MarketAxess" speak for their owner; "Belarusian authorities" are a group of their own.
        if is_information(root):
            owners = owners + [o for p in root.children if p.dep_ == "prep" and p.lower_ in ("from", "by", "of")
                               for o in p.children if o.dep_ == "pobj"]
        for s, e, entity in hits:
            if any(s <= t.idx < e for t in owners):
                return entity, _LINK["owner"]
        return None, 0.0
    if span is None:
        return None, 0.0
    for tok in span:
        if tok.i in antecedents:
            return antecedents[tok.i], _LINK["pronoun"]
    entity = by_form.get(_normalise(span.text)) or by_form.get(_normalise(span.root.text))
    return entity, _LINK["name"] if entity else 0.0


def _group_speaker(doc, start, end, entities: list[Entity], index) -> Entity | None:
    """Return a new ORG entity for a specific nominal speaker ("Belarusian authorities"), or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.root.pos_ != "NOUN" or is_information(span.root):
        return None  # "data from MarketAxess" is no group
    tokens = [t for t in span if t.dep_ not in {"det", "poss", "punct"}]
    # Only specific groups: named by a nationality or organisation modifier (tagged,
    # or an adjective of a country the article names, which the tagger may miss).
    country = next((c for t in tokens if t.pos_ in {"ADJ", "PROPN"} and (c := _country_for(t.text, entities))), None)
    if not tokens or not (country or any(t.ent_type_ in {"NORP", "ORG", "GPE"} for t in tokens)):
        return None
    name = " ".join(t.text for t in tokens)
    s, e = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    org = _entity_label([t for t in tokens if t.ent_type_], index, entities) or country
    entity = Entity(
        id=f"E{len(entities) + 1}",
        name=name,
        type="ORG",
        mentions=(Mention(s, e, doc_text(doc)[s:e]),),
        roles=(Role(title=None, organisation=org, span=(s, e)),) if org else (),
    )
    entities.append(entity)
    return entity


@Language.factory(
    "newsgraph_speakers_v1",
    requires=["doc._.quotes", "doc._.entities", "token.dep"],
    assigns=["doc._.quotes", "doc._.entities"],
)
def make_speaker_resolver(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        entities = find_roles(doc, doc._.entities)
        quotes, entities = resolve_speakers(doc, doc._.quotes, entities)
        doc._.entities, doc._.quotes = entities, quotes
        return doc

    return component
