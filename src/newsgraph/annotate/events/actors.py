"""Step 3, actors, and the merging of step 5: a candidate's source and recipient
tokens (subject, agent, objects, the lexicon's prepositions, through event nouns
and content), the ``Actor`` each one names with its entity, country and sector,
``recode_actors`` for the codes learned after coding, and the merging of
same-type, same-actor events of one sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ...models import Actor, Entity, Event, Place
from .. import geo
from ..quotes import cue_lemma, cue_lexicon
from ..speakers import _overlapping
from .coding import _status
from .dictionaries import Dictionaries, text_words, words_of
from .grammar import (
    _ACTOR_ENTS,
    _ARMED,
    _CROWD,
    _NAMED,
    _NOT_LIGHT,
    _RELATIVE,
    _agent,
    _child,
    _depth_between,
    _governing_verb,
    _is_passive,
    _not_actor,
    _passive_target,
    _preps,
    _relative_noun,
    _subject,
)
from .lexicon import _PLACE_TARGETS, _TARGET_PREPS, VERBAL, Sense, _actor_nouns
from .triggers import _MUST, _Cand, _content


# ---------------------------------------------------------------------------
# country and sector codes (annotate/geo.py)


def country_of(texts: list[str]) -> str | None:
    """Return the ISO3 code of the first of ``texts`` that ``geo.country_code`` knows, or None."""
    return next((code for text in texts if text and (code := geo.country_code(text))), None)


def sector_of(words: str | list[str]) -> str | None:
    """Return the sector code ``geo.sector_of`` gives a phrase or a list of words, or None."""
    return geo.sector_of(words) if words else None


# ---------------------------------------------------------------------------
# Actors


def _actor_like(tok: Token) -> bool:
    """Return whether a phrase head names a person, group, institution or place (not a thing or an act)."""
    if _not_actor(tok):
        return False
    if tok.pos_ == "PRON":
        return tok.lower_ not in {"it", "this", "that", "what", "which", "something", "anything"}
    if tok.ent_type_ in _ACTOR_ENTS or tok.pos_ == "PROPN":
        return True
    lemma = tok.lemma_.lower()
    if lemma in _actor_nouns() or tok.lower_ in _actor_nouns():
        return True
    return lemma.endswith(("ist", "ian")) and len(lemma) > 5  # activist, civilian, politician


def _verb_actors(c: _Cand) -> tuple[Token | None, Token | None]:
    """Return (actor, recipient-from-subject) tokens of a verbal trigger."""
    verb = c.tok
    if "subject" in c.flags and not (_is_passive(verb) and _agent(verb) is not None):
        # "is opposed to", "is committed to": the subject acts; "was opposed by X" is X's act
        return _child(verb, "nsubj", "nsubjpass") or _subject(verb), None
    if _is_passive(verb):
        return _agent(verb), _passive_target(verb)
    if "swap" in c.flags:
        src = next((p for prep, p in _preps(verb) if prep in {"from", "by"}), None)
        return src, _subject(verb)
    return _subject(verb), None


def _own_source(n: Token, sense: Sense) -> Token | None:
    """Return the actor an event noun names itself: possessor, nationality, "by"/"from"/"of" phrase."""
    for c in n.children:
        if c.dep_ == "poss" and not _not_actor(c):
            return c
    for c in n.children:
        if c.lower_ in sense.words or c.lemma_.lower() in sense.words:
            continue  # "hunger strike": part of the pattern, not its actor
        if c.dep_ in {"compound", "amod", "nmod"} and not _not_actor(c) and (
            c.ent_type_ in {"GPE", "NORP", "ORG"} or c.pos_ == "PROPN" or (c.pos_ == "NOUN" and _actor_like(c))
        ):
            return c
    for prep, obj in _preps(n):
        if prep == "by" or (prep == "from" and sense.type in VERBAL) or (prep == "between" and "recip" in sense.flags):
            return obj  # "calls by Kofi Annan", "an offer from Kabul", "talks between Serbia and Kosovo"
    for prep, obj in _preps(n):
        # "the withdrawal of Serbian forces": of a noun whose recipient is not an "of" phrase, the actor
        if prep == "of" and "of" not in sense.to and _actor_like(obj):
            return obj
    return None


def _relation_party(noun: Token, depth: int = 0) -> Token | None:
    """Return the other party of a relation a thing is about: "a resumption of ties with Eriador" -> Eriador."""
    if depth > 2:
        return None
    for prep, obj in _preps(noun):
        if prep in {"with", "between"} and _actor_like(obj):
            return obj
        if prep == "of" and obj.pos_ == "NOUN":
            found = _relation_party(obj, depth + 1)
            if found is not None:
                return found
    return None


def _owner(noun: Token) -> Token | None:
    """Return who a thing belongs to or comes from, when stated.

    "Palestinian homes", "the right of Russia troops", "weapons from the rebels", "memos sent by Bree".
    """
    for c in noun.children:
        if c.dep_ == "poss" and _actor_like(c) and c.pos_ != "PRON":
            return c
    for prep, obj in _preps(noun):
        if prep in {"of", "from"} and _actor_like(obj):
            return obj
    for c in noun.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            origin = next((o for prep, o in _preps(c) if prep in {"by", "from"} and _actor_like(o)), None)
            if origin is not None:
                return origin
    for c in noun.children:
        if c.dep_ in {"compound", "amod"} and c.ent_type_ in {"GPE", "NORP", "ORG"}:
            return c
    return None


def _nominal_source(n: Token, sense: Sense) -> Token | None:
    """Return the actor of an event noun: its own (see ``_own_source``), else its light verb's subject."""
    own = _own_source(n, sense)
    verb = _governing_verb(n)
    light = None
    if verb is not None and verb.lemma_ not in _NOT_LIGHT:
        light = _agent(verb) if _is_passive(verb) else _subject(verb)
    if own is not None and own.pos_ == "PRON" and light is not None:
        return light  # "held their first meeting": the subject says who "their" is
    return own if own is not None else light


def _through_events(tok: Token | None, triggers: dict[int, _Cand], depth: int = 0) -> Token | None:
    """Return the participant a phrase names, looking through event nouns ("air links with Serbia" -> Serbia)."""
    if tok is None or depth > 3:
        return tok
    cand = triggers.get(tok.i)
    if cand is None or not cand.nominal:
        return tok
    for prep, obj in _preps(tok):
        # "welcomed a resumption of ties between Gondor and Osgiliath": the parties of the relation
        if (prep in cand.sense.to or prep in _TARGET_PREPS or prep == "between") and not _not_actor(obj):
            return _through_events(obj, triggers, depth + 1)
    return _own_source(tok, cand.sense)


def _usable(tok: Token | None, source: Token | None) -> bool:
    return tok is not None and not _not_actor(tok) and (source is None or tok.i != source.i)


def _target(c: _Cand, triggers: dict[int, _Cand], source: Token | None, depth: int = 0) -> Token | None:
    """Return the recipient token of candidate ``c``, or None.

    In order: an indirect object; a direct object naming people, a group or a
    place (unless the lexicon says the object is what moves: "mobilized
    reservists"); the lexicon's prepositions; the owner of a thing acted on
    ("demolished Palestinian homes"); the requester of a demand a response
    answers; the addressee of a reported demand; the content's recipient
    (step 2); other recipient prepositions ("talks with", "withdrew from");
    for threats, the party of the condition ("unless Israel rescinds"); a
    place for acts of force; the thing acted on itself; the country or place
    "in" which it was done. A verb with no object of its own shares the
    object and prepositions of the verb it is joined to ("donated and
    delivered goods to X"). Content (``depth`` > 0) is read strictly: no
    places, no mere things.
    """
    tok = c.tok
    # The pattern's own nouns hold prepositions too ("contribute florins to X", even misparsed as an adverb).
    holders = [tok] + [w for w in c.words[1:] if w.pos_ in {"NOUN", "PROPN", "ADV", "NUM"}]
    heads = [tok]
    if c.nominal:
        light = _governing_verb(tok)
        if light is not None and tok.dep_ in {"dobj", "attr"} and light.i not in triggers:
            heads.append(light)  # "gave Tanzania a grant", "staged rallies against X"
            holders.append(light)
    obj = None
    for head in heads:
        dative = _child(head, "dative", "iobj")
        if _usable(dative, source) and dative.pos_ in {"NOUN", "PROPN", "PRON"}:
            return dative
    if not c.nominal:
        obj = _child(tok, "dobj")
        if obj is None:
            # Verbs joined by "and" share what follows: "donated and delivered goods to X".
            shared = [w for w in tok.children if w.dep_ == "conj" and w.pos_ == "VERB"]
            shared = [w for w in shared if _child(w, "nsubj", "nsubjpass") is None]
            for partner in shared[:1]:
                holders.append(partner)
                obj = _child(partner, "dobj")
        if obj is not None:
            if obj not in c.words and obj.i not in triggers and _usable(obj, source) and _actor_like(obj) \
                    and "theme" not in c.flags:
                return obj
            holders.append(obj)
    pairs = [(prep, p) for h in holders for prep, p in _preps(h) if p not in c.words]
    for prep, pobj in pairs:
        if prep in c.sense.to and _usable(pobj, source):
            found = _through_events(pobj, triggers)
            if _usable(found, source):
                return found
    things = [obj] if obj is not None and obj not in c.words and obj.i not in triggers else []
    things += [p for prep, p in pairs if prep in {"for", "of"} and p.head.head in c.words and p.i not in triggers]
    for thing in things:
        owner = _owner(thing) if thing.pos_ != "PROPN" else None  # a name is no thing: "warned of the Prince of X"
        if _usable(owner, source):
            return owner
    for thing in things:
        party = _relation_party(thing)
        if _usable(party, source):
            return party
    if c.type in VERBAL:
        for w in c.words[1:]:
            own = _own_source(w, c.sense) if w.pos_ == "NOUN" else None
            if _usable(own, source) and own.pos_ != "PRON":
                return own  # "would not meet hostage-takers' demands"
    if c.type == "REQUEST":
        for clause in (x for h in holders for x in h.children):
            that_clause = clause.dep_ == "acl" and any(m.lower_ == "that" for m in clause.children)
            if clause.dep_ == "ccomp" or that_clause:
                subj = _child(clause, "nsubj", "nsubjpass")
                if _usable(subj, source) and subj.pos_ != "PRON" and _actor_like(subj):
                    return subj  # "demanded that the Sudanese government end ...": the government
    inner = _content(c)
    if inner is not None and depth < 3:
        found = _content_target(c, inner, triggers, source, depth)
        if _usable(found, source):
            return found
    # People, groups and places before things ("held a meeting at a lunch with President Obama"),
    # and a party before the place it was at ("celebrated Eid at the palace with Egypt's president").
    ranked = sorted(pairs, key=lambda pair: (not (_actor_like(pair[1]) or pair[1].i in triggers), pair[0] == "at"))
    for prep, pobj in ranked:
        if "symmetric" in c.flags and prep not in {"with", "between"}:
            continue  # "held talks on border security": the topic, not the other party
        if prep in _TARGET_PREPS and _usable(pobj, source):
            if c.nominal and prep == "of" and pobj.i not in triggers:
                continue
            found = _through_events(pobj, triggers)
            if found is not pobj and found is not None and found.dep_ == "poss" and found.pos_ == "PRON":
                continue  # "arrived on his first visit": his own act, no other party
            if _usable(found, source):
                return found
    if not c.nominal:
        for prep, pobj in _preps(tok):
            if prep in {"of", "about"} and _usable(pobj, source) and (pobj.pos_ == "PROPN" or pobj.ent_type_ in _NAMED):
                return pobj  # whom it is about: "warned of Hezbollah", "complained about Moscow"
        for clause in tok.children:
            subj = _child(clause, "nsubj", "nsubjpass") if clause.dep_ == "ccomp" else None
            if _usable(subj, source) and subj.pos_ != "PRON" and _actor_like(subj):
                return subj  # what is said is about its subject: "warned that Iran would pay", "allowed that Mordor is"
    if c.type == "THREATEN":
        for clause in tok.subtree:
            marks = {m.lower_ for m in clause.children if m.dep_ == "mark"}
            if clause.dep_ == "advcl" and marks & {"unless", "if"}:
                subj = _child(clause, "nsubj")
                if _usable(subj, source):
                    return subj  # "threatened a strike unless Israel rescinded ...": Israel
    if depth:
        return None
    if things and things[0] is obj and not c.nominal and c.type in {"ASSAULT", "COERCE"} and _usable(obj, source):
        return obj  # the object of violence is its victim, person or not ("attacked a police station")
    if c.type in _PLACE_TARGETS:
        place = _place_target(c)
        if place is not None:
            return place
    if things and _usable(things[0], source) and things[0] is obj:
        return obj  # the thing acted upon is all the text says
    for prep, pobj in pairs:
        if prep == "in" and pobj.ent_type_ in {"GPE", "LOC"} and _usable(pobj, source) and "symmetric" not in c.flags \
                and c.type != "PROTEST":
            # the country where it was done: "arrived in Gondor", "an embassy in Tehran"; a protest is
            # against someone, not the city it fills ("a rally in Lagos": the place only)
            return pobj
    return None


def _content_target(c: _Cand, inner: _Cand, triggers, source: Token | None, depth: int) -> Token | None:
    """Return the recipient a statement takes from its content (see step 2)."""
    if inner.nominal:
        own = _own_source(inner.tok, inner.sense)
        if c.type in VERBAL and _usable(own, source) and own.pos_ != "PRON":
            return own  # "rejected a U.S. request", "denounced Serbia's suppression": the other side's act
        return _target(inner, triggers, source, depth + 1)
    inner_src, inner_tgt = _verb_actors(inner)
    if _usable(inner_tgt, source):
        return inner_tgt
    found = _target(inner, triggers, source, depth + 1)
    if found is None and inner.tok.dep_ == "ccomp" and c.type in {"REQUEST", "ACCUSE"}:
        return inner_src
    return found


def _place_target(c: _Cand) -> Token | None:
    """Return a place named with "in" in the trigger's clause ("a curfew in the town of Cizre")."""
    for tok in c.tok.subtree:
        if tok.dep_ != "prep" or tok.lower_ != "in" or _depth_between(tok, c.tok) > 3:
            continue
        obj = _child(tok, "pobj")
        if obj is None:
            continue
        if obj.ent_type_ in {"GPE", "LOC", "FAC"}:
            return obj
        if obj.pos_ == "NOUN" and any(p == "of" and o.ent_type_ in {"GPE", "LOC", "FAC"} for p, o in _preps(obj)):
            return obj  # "in the town of Cizre"
    return None


# ---------------------------------------------------------------------------
# Building events


def _np_bounds(head: Token, avoid: frozenset[int] = frozenset()) -> tuple[int, int]:
    """Return token bounds (start, end) of the phrase headed by ``head``.

    Relative and adverbial clauses, date phrases, and any clause holding an
    event trigger (``avoid``) are left out: a misparse that hangs the main
    verb under the subject ("Doctors from ... groups donated") must not make
    the whole sentence the actor.
    """
    doc = head.doc
    ids = {t.i for t in head.subtree}
    for t in list(head.subtree):
        if t.i == head.i:
            continue
        if t.dep_ in {"relcl", "advcl", "parataxis"} or (
            t.dep_ == "prep" and any(p.ent_type_ in {"DATE", "TIME"} for p in t.children)
        ):
            ids -= {x.i for x in t.subtree}
        elif t.dep_ == "prep" and t.head.i == head.i and head.ent_type_ in _NAMED and not t.ent_type_:
            ids -= {x.i for x in t.subtree}  # "accused Lukashenko of fraud": the charge, not the name
    for i in avoid:
        if i not in ids or i == head.i:
            continue
        top, cur = None, doc[i]
        while cur.i != head.i:
            if cur.pos_ in {"VERB", "AUX"} or cur.i == i:
                top = cur
            cur = cur.head
        if top is not None:
            ids -= {x.i for x in top.subtree}
    start = end = head.i
    while start - 1 in ids:
        start -= 1
    while end + 1 in ids:
        end += 1
    while start < head.i and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an"}
                              or doc[start].dep_ in {"mark", "cc", "prep"}):
        start += 1
    while end > head.i and (doc[end].is_punct or doc[end].dep_ in {"cc", "case"}):
        end -= 1
    return start, end + 1


@dataclass
class _Context:
    doc: Doc
    entities: tuple[Entity, ...]
    index: list
    antecedents: dict[int, Entity]
    by_id: dict[str, Entity]
    text: str  # doc_text(doc)
    ents: tuple[tuple[int, int, str], ...]  # (start, end, text) of the GPE, NORP and ORG doc.ents
    dicts: Dictionaries
    published: dt.date | None  # office holders are coded by the roles they held on this day


def _entity_at(ctx: _Context, start: int, end: int, head: Token) -> Entity | None:
    """Return the entity of the phrase: the one its head belongs to, else a person or other entity in it.

    A possessor is not the phrase's actor: "Obama's involvement" is an
    involvement, "Lisbon's historic trams" are trams. "Thousands of
    Belarusians" are Belarusians (a quantity's "of" phrase is its head).
    (Requiring the head itself to be the entity was measured and not kept:
    PLOVER-GSR dev type F1 0.814 -> 0.783, the PETRARCH2 tests' detection 0.866
    -> 0.782; names that head a phrase with titles or apposition are parsed
    many ways.)
    """
    if head.lower_ in _QUANTITY or head.pos_ == "NUM":
        of = next((p for prep, p in _preps(head) if prep == "of"), None)
        if of is not None:
            head = of
    hits = _overlapping(ctx.index, start, end)
    for s, e, entity in hits:
        if s <= head.idx < e:
            return entity
    # Not a possessor of the head: of "Obama's involvement" Obama is not the actor.
    doc = head.doc
    hits = [h for h in hits if not _possessor(doc, h[1], head)]
    people = [h for h in hits if h[2].type == "PERSON"]
    return (people or hits)[0][2] if hits else None


def _possessor(doc, end_char: int, head: Token) -> bool:
    """Return whether the mention ending at ``end_char`` is followed by a possessive "'s" before ``head``."""
    for t in doc[max(head.i - 8, 0) : head.i]:
        if t.idx >= end_char:
            return t.tag_ == "POS" or t.lower_ in {"'s", "’s", "'"}
    return False


def _actor(ctx: _Context, tok: Token | None, avoid: frozenset[int] = frozenset()) -> Actor | None:
    """Return the ``Actor`` a phrase head names, resolving pronouns and relative pronouns."""
    if tok is None:
        return None
    doc = ctx.doc
    if tok.lower_ in _RELATIVE and tok.tag_ in {"WP", "WDT", "WP$"}:
        noun = _relative_noun(tok)
        return _actor(ctx, noun, avoid) if noun is not None else None
    if tok.pos_ == "PRON" and tok.i in ctx.antecedents:
        # A pronoun reads as its antecedent's phrase ("they" -> "Afghan rebel leaders"); its span stays its own.
        entity = ctx.antecedents[tok.i]
        phrase = _antecedent_phrase(ctx, entity, tok.idx)
        text = doc[phrase[0] : phrase[1]].text if phrase else entity.name
        return _finish(ctx, Actor(text, (tok.idx, tok.idx + len(tok)), entity.id), entity,
                       list(doc[phrase[0] : phrase[1]]) if phrase else [tok])
    start, end = _np_bounds(tok, avoid)
    toks = list(doc[start:end])
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1])
    entity = _entity_at(ctx, s, e, tok)
    # A phrase never runs over a paragraph break (a misparse can glue a heading on).
    text = ctx.text
    cut = text.rfind("\n", s, e)
    if cut != -1:
        s = cut + 1
    while s < e and text[s].isspace():
        s += 1
    return _finish(ctx, Actor(text[s:e], (s, e), entity.id if entity else None), entity, toks)


def _members(ctx: _Context, tok: Token | None, avoid: frozenset[int] = frozenset()) -> list[Actor] | None:
    """Return one actor per member of a compound phrase ("Gondor and Osgiliath"), or None for a simple one.

    PLOVER writes a compound actor as one actor with several names; event data
    sets (Phoenix, PETRARCH's output) are dyadic: one event per pair of
    members. The record keeps one event per pair; ``newsgraph eval events``
    joins them back for the gold sets that list compound actors together.
    """
    if tok is None or tok.pos_ == "PRON" or tok.lower_ in _RELATIVE:
        return None
    conjuncts = [c for c in tok.conjuncts if c.pos_ in {"NOUN", "PROPN"}]
    if not conjuncts:
        return None
    members = []
    for member in sorted([tok, *conjuncts], key=lambda t: t.i):
        cut = frozenset(ch.i for ch in member.children if ch.dep_ in {"conj", "cc"} or ch.text == ",")
        members.append(_actor(ctx, member, avoid | cut))
    return [m for m in members if m is not None] or None


def _antecedent_phrase(ctx: _Context, entity: Entity, before: int) -> tuple[int, int] | None:
    """Return token bounds of the phrase around the last mention of ``entity`` before ``before``."""
    mentions = [m for m in entity.mentions if m.end <= before]
    if not mentions:
        return None
    m = mentions[-1]
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    # "Afghan rebel leaders": a nationality stands for the group it modifies; a possessor stays
    # itself ("he" is Mr. Trump, not "Mr. Trump's theatrical embrace").
    for _ in range(2):
        if root.dep_ in {"amod", "compound", "nmod"} and root.head.pos_ in {"NOUN", "PROPN"}:
            root = root.head
    return _np_bounds(root)


def _finish(ctx: _Context, actor: Actor, entity: Entity | None, toks: list[Token]) -> Actor:
    """Return ``actor`` with its country and sector."""
    texts, titles = _entity_words(entity)
    texts.extend(t.text for t in toks if t.ent_type_ in {"GPE", "NORP"})
    texts.extend(text for start, end, text in ctx.ents if toks and toks[0].i <= start and end <= toks[-1].i + 1)
    country = country_of(texts)
    # A phrase is read as written, so its head comes before any prepositional phrase
    # ("workers at a state-run factory" are workers, not a business).
    sector = sector_of(titles) if titles else sector_of(actor.text)
    if sector is None and titles:
        sector = sector_of([t.text for t in toks])
    return dataclasses.replace(actor, country=country, sector=sector)


def _entity_words(entity: Entity | None) -> tuple[list[str], list[str]]:
    """Return (names that may name a country, role-title words) known for an entity."""
    texts: list[str] = []
    titles: list[str] = []
    if entity is not None:
        texts.append(entity.name)
        for role in entity.roles:
            if role.organisation:
                texts.append(role.organisation)
            if role.title:
                titles.extend(role.title.split())
    return texts, titles


# Sectors of unnamed local groups ("protesters", "residents", "rebels"): with no
# nationality stated, they are taken to be from where the event happens.
_LOCAL_SECTORS = {"CVL", "OPP", "REB", "LAB"}


def recode_actors(
    events: tuple[Event, ...], entities: tuple[Entity, ...], places: tuple[Place, ...] = ()
) -> tuple[Event, ...]:
    """Return ``events`` with the country and sector codes their actors can still get.

    Entity actors take them from roles learned after the events were coded
    (stated in image captions: "Belarusian President Alexander Lukashenko" ->
    BLR, GOV). Local groups with no stated nationality ("protesters") take the
    country of the event's place, else of the first place the article names.
    """
    by_id = {e.id: e for e in entities}
    by_place = {p.id: p.country for p in places if p.country}
    # The lede sets the scene: the first place the article names (places come in
    # order of first mention) is where its unplaced events happen.
    main_country = next((p.country for p in places if p.country), None)

    def recode(actor: Actor | None, event: Event) -> Actor | None:
        if actor is None or (actor.country and actor.sector):
            return actor
        if actor.entity_id in by_id:
            texts, titles = _entity_words(by_id[actor.entity_id])
            actor = dataclasses.replace(actor, country=actor.country or country_of(texts),
                                        sector=actor.sector or (sector_of(titles) if titles else None))
        if actor.country is None and actor.entity_id is None and actor.sector in _LOCAL_SECTORS:
            actor = dataclasses.replace(actor, country=by_place.get(event.place_id) or main_country)
        return actor

    return tuple(dataclasses.replace(e, source=recode(e.source, e), target=recode(e.target, e)) for e in events)


def _crowd(tok: Token | None) -> bool:
    if tok is None:
        return False
    if tok.lemma_.lower() in _CROWD or tok.lower_ in _CROWD:
        return True
    if tok.ent_type_ == "NORP" and tok.tag_ in {"NNPS", "NNS"}:
        return True  # "Belarusians", "Nigerians"
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(_crowd(p) for p in c.children) for c in tok.children)


def _armed(tok: Token | None) -> bool:
    return tok is not None and tok.lemma_.lower() in _ARMED


def _resolve_cand(c: _Cand, triggers: dict[int, _Cand]) -> None:
    """Fill ``source``, ``target`` and ``status`` of a top-level candidate."""
    if c.sense is _MUST:
        verb = c.tok
        speaker_verb = verb.head
        while speaker_verb.dep_ in {"ccomp", "acl", "dobj", "pobj", "prep"} and speaker_verb.head.i != speaker_verb.i \
                and not any(x.dep_ == "nsubj" for x in speaker_verb.children):
            speaker_verb = speaker_verb.head
        if speaker_verb.pos_ == "NOUN":
            speaker_verb = _governing_verb(speaker_verb) or speaker_verb
        c.source = _subject(speaker_verb)
        c.target = _child(verb, "nsubj", "nsubjpass")
        c.status = "asserted"
        return
    if c.nominal:
        c.source, target = _nominal_source(c.tok, c.sense), None
    else:
        c.source, target = _verb_actors(c)
    if c.source is not None and c.source.lower_ in _RELATIVE and c.source.tag_ in {"WP", "WDT"}:
        c.source = _relative_noun(c.source) or c.source
    if c.source is not None and not c.nominal:
        c.source = _reporter(c.tok, c.source) or c.source
    # An actor that is itself an event noun stands for that event's actor ("a rally ... to protest",
    # "a strike that shut down the capital in protest").
    host = triggers.get(c.source.i) if c.source is not None else None
    if host is not None and host is not c and host.nominal:
        c.source = _nominal_source(host.tok, host.sense) or c.source
    if not _usable(target, c.source):
        target = _target(c, triggers, c.source)
    c.target = target
    c.status = _status(c)


def _reporter(verb: Token, subj: Token) -> Token | None:
    """Return who reports a clause whose subject is a pronoun that can only be the reporter.

    "The rebels said they will release him": they are the rebels; "the ministry said it would
    reply": it is the ministry. The pronoun must agree with the reporter in number and kind.
    """
    if subj.pos_ != "PRON" or verb.dep_ != "ccomp" or cue_lemma(verb.head) not in cue_lexicon():
        return None
    speaker = _child(verb.head, "nsubj")
    if speaker is None or speaker.pos_ == "PRON":
        return None
    plural = speaker.tag_ in {"NNS", "NNPS"} or any(x.dep_ == "conj" for x in speaker.children)
    person = speaker.ent_type_ == "PERSON"
    agrees = {"they": plural, "it": not plural and not person, "he": person, "she": person}
    return speaker if agrees.get(subj.lower_, False) else None


def _merge(cands: list[_Cand]) -> list[_Cand]:
    """Return ``cands`` with same-type, same-actor events of one sentence merged (step 5)."""
    kept: list[_Cand] = []
    for c in cands:
        twin = next((k for k in kept if k.type == c.type and _same_actor(k.source, c.source)
                     and k.tok.sent.start == c.tok.sent.start and k.status == c.status), None)
        if twin is None:
            kept.append(c)
        elif twin.target is None and c.target is not None:
            twin.target = c.target
    return kept


def _same_actor(a: Token | None, b: Token | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.i == b.i


# ---------------------------------------------------------------------------
# Actors are actors: the gate and the Phoenix-style codes

#: Entity types that name an actor on their own.
_ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: The writer, the reader and "we": never an actor of a reported event (a quote's "I" is its speaker's
#: and comes through the quote, not the pronoun).
_PERSONAL = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
                       "yours", "yourself", "yourselves"})
#: Words after which a phrase's head is behind: prepositions and relative words.
_PHRASE_BREAK = frozenset({"of", "from", "in", "at", "with", "for", "on", "by", "who", "which", "that", "whose",
                           "loyal", "armed", "based", "near", "to"})
#: Heads that only count the group they are "of".
_QUANTITY = frozenset({"thousands", "hundreds", "dozens", "millions", "scores", "tens", "group", "groups", "number",
                       "some", "many", "most", "several", "all", "members", "crowd", "crowds", "hundred", "thousand",
                       "dozen", "million", "majority", "team", "delegation", "one", "two", "three"})
#: Code prefixes that are not countries: international, non-governmental and multinational bodies.
_NON_STATE = frozenset({"IGO", "NGO", "NGM", "MNC", "IMG", "UAF"})


def _split_code(code: str) -> tuple[str | None, str | None]:
    """Return (country, sector) of a Phoenix code: RUSGOV -> RUS, GOV; IGOUNO -> IGO, IGO; MNCUSAMED -> USA, MNC."""
    code = code.upper()
    head, rest = code[:3], code[3:]
    if head in _NON_STATE:
        country = rest[:3] if len(rest) >= 3 and geo.country_code(rest[:3]) == rest[:3] else head
        return country, head
    return head or None, rest[:3] or None


def _people(word: str) -> bool:
    """Return whether a head word names people or a group (``data/plover_actor_nouns.txt``), plurals too."""
    people = _actor_nouns()
    return word in people or word.rstrip("s") in people or word[:-3] + "y" in people


def code_actor(ctx: _Context, actor: Actor | None, target: bool = False) -> Actor | None:
    """Return ``actor`` with its Phoenix-style country and sector when it is an actor, else None.

    An actor is a named entity (PERSON, ORG, GPE, NORP), a dictionary actor
    (state, office holder, international or non-state body) or a dictionary
    agent ("police", "protesters", "rebels", "authorities"). Its code is, in
    order: the dictionary actor's code on the publication date ("Putin" in 2020
    is RUS GOV), a bare country code completed by the phrase's agent
    ("Belarusian authorities": BLR + GOV), else the country and sector the
    article gives (an entity's stated role, a place in the phrase). I, we and
    you are no actors; nor is any other phrase, except that a target may also
    be people or a group our own noun list names (``data/plover_actor_nouns.txt``:
    "hostages", "civilians", "villagers"): those suffer events, they seldom
    act in the dictionaries' sense.
    """
    if actor is None:
        return None
    words = text_words(actor.text)
    plain = tuple(w.rstrip("\u00b7") for w in words)
    if not words or (len(plain) == 1 and plain[0] in _PERSONAL):
        return None
    entity = ctx.by_id.get(actor.entity_id) if actor.entity_id else None
    if entity is not None and entity.type not in _ACTOR_TYPES:
        entity = None
    d = ctx.dicts
    # The head part of the phrase says what it is: "doctors from two aid groups" are doctors,
    # "thousands of teachers" teachers.
    while len(plain) > 2 and plain[1] == "of" and (plain[0] in _QUANTITY or plain[0].isdigit()):
        words, plain = words[2:], plain[2:]
    cut = next((i for i, w in enumerate(plain) if i and w in _PHRASE_BREAK), len(plain))
    found = d.find_actor(words[:cut]) or d.find_actor(words)
    agent = d.find_agent(plain[:cut])
    if found is not None and found[1] < cut and words[found[1]] == "s\u00b7" and agent is None \
            and not _people(plain[cut - 1]):
        found = None  # a possessor is not the phrase's actor: "Obama's involvement" is an involvement
    if found is None and entity is not None:
        for name in (entity.name, *entity.aliases):
            found = d.find_actor(words_of(name))
            if found is not None:
                break
    code = found[2].code(ctx.published) if found else None
    if entity is None and code is None and agent is None and not (target and _people(plain[cut - 1])):
        return None
    country, sector = _split_code(code) if code else (actor.country, actor.sector)
    if agent is not None and (code is None or len(code) == 3):
        sector = agent[2].strip("~")[:3] or sector
    if sector and any(w in {"former", "ex"} for w in plain[:cut]):
        sector = "ELI"  # out of office: "former security officials" are elites (CAMEO's ELI), not the government
    return dataclasses.replace(actor, country=country or actor.country, sector=sector or actor.sector)
