"""Events: who did what to whom, PLOVER-coded (component ``newsgraph_events_v1``).

Method: dictionary patterns over the dependency parse, in the tradition of
the KEDS/TABARI/PETRARCH coders (Schrodt 2006; Norris, Schrodt & Beieler 2017,
PETRARCH2: "Another event coding program", JOSS 2(9)), coded into the PLOVER
ontology (Open Event Data Alliance, PLOVER manual, draft 2021) with the
CAMEO-to-PLOVER crosswalk for CAMEO codes.

1. **Triggers.** ``data/plover_lexicon.tsv`` maps verb and noun patterns
   ("detain", "take ... streets", "call off ... strike", "crackdown") to a
   PLOVER type, mode and CAMEO code, with flags for how the pattern reads
   its arguments. A verb pattern's verb (a noun pattern's noun) is the
   trigger token; the other words must hang below it in the parse. Nouns
   inside names and noun modifiers ("aid groups", "press release") and
   participles used as nouns ("evacuated the wounded") are not triggers.
2. **Nesting.** A trigger inside another one's complement (infinitive,
   clause, object, prepositional object) is that event's *content*, not an
   event of its own, as in PETRARCH's verb phrases: "threatened to cut off
   electricity" is one THREATEN, "rejected a U.S. request" one REJECT (whose
   recipient is the requester), "agreed to share information" one AGREE.
   The content sets the mode ("refused to meet": REJECT meet) and, for
   statement-of-intent verbs, the type (a cooperative content makes AGREE, a
   coercive one THREATEN); verbs that end their content turn it around
   ("suspended aid": SANCTION; "lifted a curfew", "called off a strike":
   CONCEDE). A relative clause, an adverbial clause with its own subject,
   and an event after a preposition of time or cause ("after a crackdown")
   are never content: they are events of their own. "X said Y must Z" is a
   REQUEST by X of Y.
3. **Actors.** The actor is the subject (the "by" phrase of a passive, the
   controller of an infinitive, the noun a participle modifies; a light verb's
   subject for a noun: "staged rallies", "imposed sanctions"); a noun's own
   possessor, nationality or "by" phrase comes first ("Serbia's suppression",
   "Israeli air raids"). The recipient is the indirect or direct object, a
   passive subject, or the object of the pattern's prepositions ("talks
   with", "sanctions on", "protest against"), looked for through event nouns
   ("a suspension of air links with Serbia"). Phrases keep their conjuncts
   ("the United States and Jordan" is one actor, PLOVER's compound actor);
   a direct object is the recipient only when it names people, a group or
   a place (``data/plover_actor_nouns.txt``), else its owner is
   ("demolished Palestinian homes"). Dates never are.
   Pronouns take the antecedents that the speakers component resolves
   (``speakers._pronoun_antecedents``); relative pronouns their noun. Each
   actor gets the overlapping entity, an ISO3 country and a sector
   (``annotate.geo`` when installed).
4. **Status.** ``negated`` (not, never, no, without), ``future`` (will, plans
   to, is expected to), ``hypothetical`` (would, could, may, if, unless,
   "should Russia respond"), else ``asserted``. PLOVER folds modality into
   types and so do we: future or hypothetical cooperation is AGREE,
   retreat CONCEDE, coercion or violence THREATEN (the manual: "return the
   single event category, not category + auxiliary"), a negated promise
   ("would not meet the demands") REJECT; the status keeps the modality.
5. **Merging and discourse.** Events of one type with the same actor in one
   sentence are one event ("booed, jeered and laughed at"; "shelled Juba,
   killing 20"); an event noun that is the subject of an event verb gives it
   its actor ("a roadside bombing killed ..."). A cooperative event with no
   recipient takes the one of the same actor's event a sentence or two
   before ("he spoke to Lukashenko ... he promised assistance"); a protest
   with none is against the government actor in view; repression with no
   actor ("a violent crackdown") is the state's, the country most in view.
   Each event gets the date of its sentence (else paragraph), a place named
   in its sentence, and the quote whose cue or content holds its trigger.

Measured with ``newsgraph eval events`` (``newsgraph.eval.events``; asserted,
future and hypothetical events, negated ones only as refusals) and
en_core_web_sm 3.8: PLOVER-GSR dev (158 sentences, 159 events) type P 0.76,
R 0.85, F1 0.80, source accuracy 0.97 (134 pairs), target accuracy 0.83
(120 pairs), detection F1 0.90; PETRARCH2 unit tests detection P 0.89, R 0.48
(its actors are codes of fictional states, so actor accuracy there says
nothing); the seed article: 9 of its 11 hand-coded events with the right
type, actor and recipient. For scale: UniversalPetrarch reports 68.1% on its
own suite, NGEC a type macro-F1 of 0.52 on its own.

Limits: dictionary coding sees only what the lexicon and the parse give it:
unlisted verbs, misparsed clauses and actors that are only implied ("Russia
denies employing mercenaries", aimed at Belarus) are missed; a sentence's
other events are coded too (gold sets code one per sentence, so precision
there is a lower bound). Modality comes from auxiliaries and a few verbs;
irony and attributed doubt are not read. Object pronouns ("him") are not
resolved. Actors are phrases, not Wikidata entries; a compound actor is one
phrase with the first member's country. English only.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..models import Actor, DateExpression, Entity, Event, Place, Quote
from . import geo
from .extensions import doc_text
from .speakers import _mention_index, _overlapping, _pronoun_antecedents

__all__ = ["Sense", "lexicon", "find_events", "EventCoder"]

# ---------------------------------------------------------------------------
# Categories

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
VERBAL = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
MATERIAL_CONFLICT = frozenset({"COERCE", "SANCTION", "ASSAULT", "MOBILIZE", "PROTEST"})
# Events whose recipient may be a place ("a curfew in Cizre", "shelled Juba").
_PLACE_TARGETS = frozenset({"COERCE", "CONCEDE", "RETREAT", "SANCTION", "THREATEN", "ASSAULT", "MOBILIZE"})
# Prepositions whose object is a recipient when the lexicon names none.
_TARGET_PREPS = ("against", "with", "to", "on", "at", "into", "toward", "towards", "upon")

# ---------------------------------------------------------------------------
# The lexicon


@dataclass(frozen=True, slots=True)
class Sense:
    """One lexicon line: pattern words, part of speech, PLOVER type/mode, CAMEO code and flags."""

    words: tuple[str, ...]
    pos: str
    type: str
    mode: str | None
    cameo: str | None
    flags: frozenset[str] = frozenset()
    need: tuple[str, ...] = ()  # prepositions one of which must be present
    to: tuple[str, ...] = ()  # prepositions of the recipient, tried first


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[Sense, ...]]:
    """Return pattern word -> the senses whose pattern holds that word, read from ``data/plover_lexicon.tsv``."""
    path = resources.files("newsgraph") / "data" / "plover_lexicon.tsv"
    index: dict[str, list[Sense]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, pos, etype, mode, cameo, flags = (line.split("\t") + ["-"] * 6)[:6]
        flag_set, need, to = set(), (), ()
        for flag in flags.split(","):
            flag = flag.strip()
            if flag.startswith("prep="):
                need = tuple(flag[5:].split("|"))
            elif flag.startswith("to="):
                to = tuple(flag[3:].split("|"))
            elif flag and flag != "-":
                flag_set.add(flag)
        sense = Sense(
            words=tuple(pattern.split()),
            pos=pos,
            type=etype,
            mode=None if mode == "-" else mode,
            cameo=None if cameo == "-" else cameo,
            flags=frozenset(flag_set),
            need=need,
            to=to,
        )
        for word in set(sense.words):
            index.setdefault(word, []).append(sense)
    return {w: tuple(s) for w, s in index.items()}


# ---------------------------------------------------------------------------
# Word lists that are grammar, not lexicon

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL_AUX = {"would", "could", "might", "may", "can", "should", "'d", "ca"}
# Verbs whose infinitive complement has not happened yet ("plans to impose").
_FUTURE_VERBS = {"plan", "intend", "expect", "schedule", "set", "due", "aim", "decide", "prepare", "hope",
                 "want", "seek", "look", "propose", "consider", "mull", "weigh", "threaten", "vow", "pledge",
                 "promise", "offer", "agree", "go", "about"}
_NEGATIVE_VERBS = {"fail", "refrain", "cease", "avoid"}
# Verbs of saying: transparent for actors and status ("Hungary has said it will support").
_OBJECT_CONTROL = {"urge", "ask", "order", "force", "pressure", "press", "call", "tell", "persuade", "invite",
                   "encourage", "allow", "permit", "compel", "demand", "remind", "push"}
_RELATIVE = {"who", "whom", "which", "that", "whose"}
_CROWD = {"protester", "protestor", "demonstrator", "people", "thousand", "hundred", "dozen", "student",
          "worker", "resident", "citizen", "youth", "crowd", "supporter", "activist", "villager", "farmer",
          "woman", "man", "teacher", "doctor", "nurse", "union", "employee", "opposition", "miner", "driver",
          "trader", "merchant", "inhabitant", "member", "voter", "crowds", "marcher", "rioter", "mob"}
_ARMED = {"rebel", "separatist", "militia", "militant", "insurgent", "guerrilla", "fighter", "paramilitary",
          "faction", "contra", "mujahideen", "army", "force"}
_NO_ENTITY_TRIGGER = {"ORG", "PERSON", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "GPE", "NORP", "LOC"}
_CLAUSE_STOP = {"relcl", "parataxis", "csubj", "meta", "discourse", "intj"}

# Prepositions through which a verb's subject takes part in an event noun ("in protest", "for a rally").
_TAKING_PART = {"in", "for", "during", "at", "into"}
# Prepositions of time and cause: an event noun after them is an event of its own, never content
# ("took to the streets after a violent crackdown").
_SEPARATE_PREPS = {"after", "before", "since", "following", "despite", "amid", "amidst", "until", "because",
                   "during", "over", "ahead", "than"}
# Entity labels that never name an actor ("on Tuesday", "$50,000 worth").
_NOT_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}
_NOT_ACTOR_WORDS = {"today", "yesterday", "tomorrow", "tonight", "week", "month", "year", "day", "time",
                    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend"}
# Nouns that name people, groups or institutions: a direct object among them is a recipient,
# any other object is the thing acted on ("handed over medicine to X": X is the recipient).
_ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
# Names that end where the name ends: "accused Lukashenko of fraud" names Lukashenko only.
_NAMED = {"PERSON", "GPE", "NORP"}
# Verbs of having and being are no light verbs: "it had donations" reports no aid.
_NOT_LIGHT = {"have", "be", "need", "want", "lack", "get", "receive", "face", "draw", "attract", "suffer",
              "escape", "survive", "fear", "see", "expect"}


# ---------------------------------------------------------------------------
# country and sector codes (annotate/geo.py)


def country_of(texts: list[str]) -> str | None:
    """Return the ISO3 code of the first of ``texts`` that ``geo.country_code`` knows, or None."""
    return next((code for text in texts if text and (code := geo.country_code(text))), None)


def sector_of(words: str | list[str]) -> str | None:
    """Return the sector code ``geo.sector_of`` gives a phrase or a list of words, or None."""
    return geo.sector_of(words) if words else None


# ---------------------------------------------------------------------------
# Token helpers


def _keys(tok: Token) -> set[str]:
    """Return the forms under which ``tok`` is looked up: lemma, lower case, crude stems, hyphen joins."""
    lower = tok.lower_
    keys = {tok.lemma_.lower(), lower}
    if len(lower) > 4:
        if lower.endswith("ied"):
            keys.add(lower[:-3] + "y")
        if lower.endswith("ed"):
            keys |= {lower[:-2], lower[:-1]}
        if lower.endswith("ing"):
            keys |= {lower[:-3], lower[:-3] + "e"}
        if lower.endswith("s") and not lower.endswith("ss"):
            keys.add(lower[:-1])
    doc = tok.doc
    # "re-open", "cease-fire", "sit-in": the joined form, lemmatised on its last part.
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ and not doc[tok.i - 2].whitespace_:
        keys |= {doc[tok.i - 2].lower_ + k for k in list(keys)}
    return keys


def _near(tok: Token, depth: int = 2) -> list[Token]:
    """Return ``tok``'s dependents down to ``depth`` levels, not entering other clauses."""
    out, frontier = [], [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ in _CLAUSE_STOP or c.dep_ in {"ccomp", "advcl", "conj", "xcomp"}:
                    continue
                out.append(c)
                nxt.append(c)
        frontier = nxt
    return out


def _not_actor(tok: Token) -> bool:
    return tok.ent_type_ in _NOT_ACTOR_ENTS or tok.lower_ in _NOT_ACTOR_WORDS or tok.pos_ in {"NUM", "SYM"} and \
        not any(c.dep_ == "prep" for c in tok.children)


@functools.lru_cache(maxsize=1)
def _actor_nouns() -> frozenset[str]:
    path = resources.files("newsgraph") / "data" / "plover_actor_nouns.txt"
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


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


def _is_passive(verb: Token) -> bool:
    """Return whether ``verb`` is passive, including bare participles ("a camp attacked by militiamen")."""
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return True
    own = {c.dep_ for c in verb.children}
    if verb.tag_ in {"VBN", "JJ"} and not own & {"nsubj", "dobj", "dative"} and any(
        c.dep_ in {"auxpass", "nsubjpass", "agent"} for v in verb.conjuncts for c in v.children
    ):
        return True  # "being booed, jeered and laughed at by workers": the passive is shared
    if verb.tag_ != "VBN" or verb.dep_ not in {"acl", "advcl"} or "aux" in own:
        return False
    # A participle with an object of its own (or a conjunct's) is active: the tagger took a
    # main verb for a modifier ("Doctors from two groups donated and delivered goods").
    objects = [c for v in (verb, *verb.conjuncts) for c in v.children if c.dep_ in {"nsubj", "dobj", "dative"}]
    return not objects or _agent(verb) is not None


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _preps(tok: Token) -> list[tuple[str, Token]]:
    """Return (preposition, object) pairs hanging on ``tok`` ("talks with X" -> ("with", X))."""
    out = []
    for c in tok.children:
        if c.dep_ in {"prep", "agent"}:
            for p in c.children:
                if p.dep_ in {"pobj", "pcomp"}:
                    out.append((c.lower_, p))
    return out


# ---------------------------------------------------------------------------
# Candidates


@dataclass(eq=False)
class _Cand:
    tok: Token
    sense: Sense
    words: list[Token]
    type: str
    mode: str | None
    cameo: str | None
    parent: _Cand | None = None
    children: list[_Cand] = field(default_factory=list)
    subject_of: _Cand | None = None
    source: Token | None = None
    target: Token | None = None
    status: str = "asserted"

    @property
    def nominal(self) -> bool:
        return self.sense.pos == "N"

    @property
    def flags(self) -> frozenset[str]:
        return self.sense.flags


def _trigger(tok: Token) -> tuple[Sense, list[Token]] | None:
    """Return the most specific lexicon sense ``tok`` triggers and the tokens of its pattern, or None."""
    index = lexicon()
    keys = _keys(tok)
    senses = {s for k in keys for s in index.get(k, ())}
    if not senses:
        return None
    nominal = tok.pos_ in {"NOUN", "PROPN"} or (tok.pos_ == "VERB" and tok.dep_ in {"dobj", "pobj", "nsubj"})
    verbal = tok.pos_ in {"VERB", "ADJ"}
    if tok.ent_type_ in _NO_ENTITY_TRIGGER:
        return None
    if tok.dep_ in {"compound", "amod"} or (tok.dep_ == "nmod" and nominal):
        return None  # "aid groups", "the banned party", "protest leader"
    if verbal and tok.dep_ in {"dobj", "pobj", "nsubj", "nsubjpass", "attr"} and not any(
        c.dep_ in {"aux", "auxpass", "nsubj", "dobj", "prep", "xcomp", "ccomp"} for c in tok.children
    ):
        verbal = False  # "evacuated the wounded": a participle used as a noun
    best = None
    near = _near(tok)
    for sense in senses:
        if sense.pos == "N" and not nominal:
            continue
        if sense.pos == "V" and not verbal:
            continue
        # A verb pattern starts with its verb ("meet demand" is not "demanded a meeting"); a noun
        # pattern ends with its noun ("hunger strike") or starts with it ("state of emergency").
        heads = (sense.words[0],) if sense.pos == "V" else (sense.words[-1], sense.words[0])
        head_word = next((w for w in heads if w in keys), None)
        if head_word is None:
            continue
        matched = [tok]
        ok = True
        for word in sense.words:
            if word == head_word:
                continue
            hit = next((t for t in near if word in _keys(t) and t not in matched), None)
            if hit is None:
                ok = False
                break
            matched.append(hit)
        if not ok:
            continue
        if sense.need and not any(p in sense.need for p, _ in _preps(tok)) and not any(
            t.lower_ in sense.need for t in matched[1:]
        ):
            continue
        if "content" in sense.flags and not _has_content(tok):
            continue
        if "obj" in sense.flags and _child(tok, "dobj") is None:
            continue
        score = (len(sense.words), -_order(sense))
        if best is None or score > best[0]:
            best = (score, sense, matched)
    return (best[1], best[2]) if best else None


@functools.lru_cache(maxsize=1)
def _sense_order() -> dict[Sense, int]:
    order: dict[Sense, int] = {}
    for senses in lexicon().values():
        for s in senses:
            order.setdefault(s, len(order))
    return order


def _order(sense: Sense) -> int:
    return _sense_order().get(sense, 0)


def _has_content(tok: Token) -> bool:
    """Return whether ``tok`` has a clause, infinitive or object to report ("warned that ...")."""
    for c in tok.children:
        if c.dep_ in {"ccomp", "xcomp", "dobj"}:
            return True
        if c.dep_ == "prep" and any(p.dep_ in {"pobj", "pcomp"} for p in c.children):
            return True
    return tok.head.dep_ == "acomp"


def _candidates(sent) -> list[_Cand]:
    cands = []
    taken: set[int] = set()
    for tok in sent:
        if tok.i in taken:
            continue
        found = _trigger(tok)
        if found is None:
            continue
        sense, words = found
        cands.append(_Cand(tok, sense, words, sense.type, sense.mode, sense.cameo))
        taken.update(t.i for t in words[1:])
    # A pattern word of one trigger is no trigger of its own ("called off a strike").
    return [c for c in cands if c.tok.i not in {t.i for d in cands if d is not c for t in d.words[1:]}]


_MUST = Sense(("must",), "V", "REQUEST", None, "100")


def _must_candidates(sent, cands: list[_Cand]) -> list[_Cand]:
    """Return REQUEST candidates for reported obligations: "X said Y must Z"."""
    out = []
    by_tok = {c.tok.i: c for c in cands}
    for tok in sent:
        if tok.lower_ != "must" or tok.dep_ != "aux":
            continue
        verb = tok.head
        if verb.i in by_tok and by_tok[verb.i].type == "REQUEST":
            continue
        if verb.dep_ not in {"ccomp", "acl"}:
            continue  # "Russia must act" with no one reporting it is an opinion, not a demand
        out.append(_Cand(verb, _MUST, [tok], "REQUEST", None, "100"))
    return out


def _nest(cands: list[_Cand]) -> None:
    """Set each candidate's ``parent``: the trigger whose complement holds it (see step 2)."""
    by_tok: dict[int, _Cand] = {}
    for c in cands:
        by_tok.setdefault(c.tok.i, c)
    for c in cands:
        cur = c.tok
        first = True
        while cur.head.i != cur.i:
            dep = cur.dep_
            if dep in _CLAUSE_STOP:
                break
            if dep in {"nsubj", "nsubjpass"}:
                if first and cur.head.i in by_tok and by_tok[cur.head.i] is not c and c.nominal:
                    c.subject_of = by_tok[cur.head.i]
                break
            if dep == "conj" and first:
                break
            if dep == "advcl" and any(x.dep_ in {"nsubj", "nsubjpass"} for x in cur.children):
                break
            if dep == "prep" and cur.lower_ in _SEPARATE_PREPS:
                break
            cur = cur.head
            first = False
            parent = by_tok.get(cur.i)
            if parent is not None and parent is not c:
                if parent.tok.i == c.tok.i:
                    break
                c.parent = parent
                parent.children.append(c)
                break
    # The must-clause's REQUEST sits on the same verb as its content trigger.
    for c in cands:
        if c.sense is _MUST:
            for d in cands:
                if d is not c and d.tok.i == c.tok.i and d.parent is None:
                    d.parent = c
                    c.children.append(d)


# ---------------------------------------------------------------------------
# Actors


def _controller(verb: Token) -> Token | None:
    """Return the subject an infinitive, participle or conjunct without one inherits."""
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "xcomp":
        obj = _child(head, "dobj")
        if obj is not None and head.lemma_ in _OBJECT_CONTROL:
            return obj  # "urged the Community to support": the Community supports
        return _subject(head)
    if verb.dep_ in {"conj", "advcl", "ccomp"} and head.pos_ in {"VERB", "AUX", "ADJ"}:
        if verb.dep_ == "advcl" and _is_passive(verb):
            return None
        if verb.dep_ == "conj":
            # "has been indicted ... and will resign": conjuncts share the subject, passive or not
            return _child(head, "nsubj", "nsubjpass") or _subject(head)
        return _subject(head)
    if verb.dep_ in {"acl", "relcl"} and head.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
        return head  # "demonstrators protesting", and a noun root the tagger took for the subject
    if verb.dep_ == "pcomp" and head.head.pos_ in {"VERB", "AUX", "ADJ"}:
        return _subject(head.head)  # "resorted to throwing stones"
    if verb.dep_ == "acomp":
        return _subject(head)
    return None


def _subject(verb: Token) -> Token | None:
    """Return the active subject of ``verb`` (inherited when it has none of its own)."""
    subj = _child(verb, "nsubj", "csubj")
    if subj is not None:
        return subj
    if verb.dep_ == "acomp" or (verb.pos_ == "ADJ" and verb.head.pos_ == "AUX"):
        return _child(verb.head, "nsubj", "nsubjpass") or _subject(verb.head)
    if _child(verb, "nsubjpass") is not None:
        return None
    return _controller(verb)


def _agent(verb: Token) -> Token | None:
    """Return the "by" phrase of a passive verb, or of a conjunct that shares its passive."""
    for v in (verb, *verb.conjuncts):
        for c in v.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                pobj = _child(c, "pobj")
                if pobj is not None:
                    return pobj
    return None


def _passive_target(verb: Token) -> Token | None:
    subj = _child(verb, "nsubjpass")
    if subj is not None:
        return subj
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head  # "a camp attacked by militiamen"
    if verb.dep_ in {"advcl", "conj", "xcomp"} and verb.head.i != verb.i:
        # "After being booed by workers, President Lukashenko ...": the main clause's subject
        return _child(verb.head, "nsubj", "nsubjpass") or _passive_target(verb.head)
    return None


def _verb_actors(c: _Cand) -> tuple[Token | None, Token | None]:
    """Return (actor, recipient-from-subject) tokens of a verbal trigger."""
    verb = c.tok
    if "subject" in c.flags:
        return _child(verb, "nsubj", "nsubjpass") or _subject(verb), None
    if _is_passive(verb):
        return _agent(verb), _passive_target(verb)
    if "swap" in c.flags:
        src = next((p for prep, p in _preps(verb) if prep in {"from", "by"}), None)
        return src, _subject(verb)
    return _subject(verb), None


def _governing_verb(tok: Token) -> Token | None:
    """Return the verb whose object a noun is: "staged rallies", "joined in a rally", "converged for a rally".

    Through a preposition only those that tell taking part ("in", "for",
    "during", "at", "into"): one who deals "with" protests is not protesting.
    """
    cur = tok
    for _ in range(3):
        if cur.dep_ in {"dobj", "attr", "oprd", "dative"} and cur.head.pos_ in {"VERB", "AUX", "ADJ"}:
            return cur.head
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.lower_ in _TAKING_PART:
            head = cur.head.head
            return head if head.pos_ in {"VERB", "AUX", "ADJ"} else None
        if cur.dep_ in {"conj", "appos"}:
            cur = cur.head
            continue
        return None
    return None


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


def _owner(noun: Token) -> Token | None:
    """Return who a thing belongs to, when stated ("Palestinian homes", "the right of Russia troops")."""
    for c in noun.children:
        if c.dep_ == "poss" and _actor_like(c) and c.pos_ != "PRON":
            return c
    for prep, obj in _preps(noun):
        if prep == "of" and _actor_like(obj):
            return obj
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
        if (prep in cand.sense.to or prep in _TARGET_PREPS) and not _not_actor(obj):
            return _through_events(obj, triggers, depth + 1)
    return _own_source(tok, cand.sense)


def _relative_noun(tok: Token) -> Token | None:
    """Return the noun a relative pronoun stands for ("a group ..., whom the authorities accused")."""
    rel = tok.head
    while rel.dep_ != "relcl" and rel.head.i != rel.i:
        rel = rel.head
    return rel.head if rel.dep_ == "relcl" else None


def _usable(tok: Token | None, source: Token | None) -> bool:
    return tok is not None and not _not_actor(tok) and (source is None or tok.i != source.i)


def _target(c: _Cand, triggers: dict[int, _Cand], source: Token | None, depth: int = 0) -> Token | None:
    """Return the recipient token of candidate ``c``, or None.

    In order: an indirect object; a direct object naming people, a group or a
    place (unless the lexicon says the object is what moves: "mobilized
    reservists"); the lexicon's prepositions; the owner of a thing acted on
    ("demolished Palestinian homes"); the requester of a demand a response
    answers; the addressee of a reported demand; the content's recipient
    (step 2); other recipient prepositions; for threats, the party of the
    condition ("unless Israel rescinds"); a place; the thing acted on itself.
    Content (``depth`` > 0) is read strictly: no places, no mere things.
    """
    tok = c.tok
    holders = [tok] + [w for w in c.words[1:] if w.pos_ in {"NOUN", "PROPN"}]
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
        owner = _owner(thing)
        if _usable(owner, source):
            return owner
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
    for prep, pobj in pairs:
        if prep in _TARGET_PREPS and _usable(pobj, source):
            if c.nominal and prep == "of" and pobj.i not in triggers:
                continue
            found = _through_events(pobj, triggers)
            if _usable(found, source):
                return found
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
# Status


def _clause_chain(c: _Cand) -> list[Token]:
    """Return the verbs whose auxiliaries speak for the trigger: its own, then its infinitive governors."""
    tok = c.tok
    verb = tok
    if c.nominal:
        verb = _governing_verb(tok)
        if verb is None and tok.dep_ in {"nsubj", "nsubjpass"}:
            verb = tok.head
        if verb is None:
            return [tok]
    chain = [verb] if verb is tok else [tok, verb]
    cur = verb
    while cur.dep_ in {"xcomp", "acomp", "conj", "pcomp", "prep"} and cur.head.i != cur.i and len(chain) < 6:
        cur = cur.head
        if cur.pos_ in {"VERB", "AUX", "ADJ"} or cur.dep_ == "prep":
            chain.append(cur)
    return chain


def _status(c: _Cand) -> str:
    """Return ``negated``, ``future``, ``hypothetical`` or ``asserted`` for a top-level candidate."""
    chain = _clause_chain(c)
    negated = hypothetical = future = False
    for i, verb in enumerate(chain):
        for ch in verb.children:
            low = ch.lower_
            if ch.dep_ == "neg":
                negated = True
            elif ch.dep_ == "det" and low == "no":
                negated = True
            elif ch.dep_ in {"aux", "auxpass"}:
                if low in _FUTURE_AUX or ch.lemma_ == "will":
                    future = True
                elif low in _HYPOTHETICAL_AUX:
                    hypothetical = True
                    subj = _child(verb, "nsubj", "nsubjpass")
                    if low == "should" and subj is not None and ch.i < subj.i:
                        hypothetical = True  # "should Russia respond": a condition
            elif ch.dep_ == "mark" and low in {"if", "unless", "whether"}:
                hypothetical = True
            elif ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in ch.children):
                # A condition after a relative clause belongs to that clause, whatever the parse says
                # ("promised assistance under an agreement, which mandates ... if one faces a threat").
                if not any(t.dep_ == "relcl" and verb.i < t.i < ch.i for t in verb.doc[verb.i : ch.i]):
                    hypothetical = True
        if i > 0 and verb.lemma_ in _FUTURE_VERBS and verb.dep_ != "prep":
            if verb is not chain[0]:
                future = True
        if i > 0 and verb.lemma_ in _NEGATIVE_VERBS:
            negated = True
        if verb.dep_ == "prep" and verb.lower_ == "without":
            negated = True
        # "no sign of propping up": the noun that governs the clause is negated
        if verb.dep_ == "pcomp" or verb.dep_ == "pobj":
            holder = verb.head.head if verb.head.dep_ == "prep" else None
            if holder is not None and any(d.dep_ == "det" and d.lower_ == "no" for d in holder.children):
                negated = True
    if c.nominal and any(d.dep_ == "det" and d.lower_ == "no" for d in c.tok.children):
        negated = True
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if future:
        return "future"
    return "asserted"


def _statement_modal(c: _Cand) -> bool:
    """Return whether a negation sits on a modal or future verb ("would not meet"): a refusal."""
    for verb in _clause_chain(c):
        if any(ch.dep_ == "aux" and (ch.lower_ in _FUTURE_AUX | _HYPOTHETICAL_AUX or ch.lemma_ == "will")
               for ch in verb.children):
            return True
    return False


# ---------------------------------------------------------------------------
# Content rules (step 2)

_REQUEST_MODE = {"CONSULT": "meet", "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "AGREE": "assist",
                 "RETREAT": "yield", "CONCEDE": "yield"}
_THREAT_MODE = {"ASSAULT": "violence", "MOBILIZE": "violence", "PROTEST": "restrict", "SANCTION": "relations",
                "COERCE": "restrict"}
_AGREE_CAMEO = {"CONSULT": "036", "AID": "033", "COOPERATE": "031", "SUPPORT": "032", "RETREAT": "035",
                "CONCEDE": "035"}
_THREAT_CAMEO = {"ASSAULT": "138", "MOBILIZE": "138", "PROTEST": "133", "SANCTION": "1313", "COERCE": "132"}
_REQUEST_CAMEO = {"meet": "106", "assist": "101", "yield": "105", "change": "104"}
_REJECT_CAMEO = {"meet": "125", "assist": "121", "yield": "124", "change": "123"}


def _content(c: _Cand) -> _Cand | None:
    """Return the content event nearest the trigger in the parse, if any."""
    if not c.children:
        return None
    return min(c.children, key=lambda d: (_depth_between(d.tok, c.tok), d.tok.i))


def _depth_between(tok: Token, ancestor: Token) -> int:
    n = 0
    while tok.i != ancestor.i and tok.head.i != tok.i and n < 20:
        tok = tok.head
        n += 1
    return n


def _intent(c: _Cand, kind: str | None) -> None:
    """Retype a statement of intent by its content kind (AGREE or THREATEN)."""
    if kind in COOPERATIVE or kind in {"RETREAT", "CONCEDE"}:
        c.type, c.mode, c.cameo = "AGREE", None, _AGREE_CAMEO.get(kind, "030")
    elif kind in MATERIAL_CONFLICT:
        c.type, c.mode, c.cameo = "THREATEN", _THREAT_MODE.get(kind), _THREAT_CAMEO.get(kind, "130")


def _reverse(c: _Cand, inner: _Cand) -> None:
    """Retype a verb that ends its content: ends of cooperation are SANCTION, ends of coercion CONCEDE."""
    kind = inner.type
    if kind == "CONSULT":
        if c.tok.lemma_ in {"cancel", "call"}:
            c.type, c.mode, c.cameo = "REJECT", "meet", "125"
        else:
            c.type, c.mode, c.cameo = "SANCTION", "withdraw", "164"
    elif kind in {"AID", "COOPERATE", "SUPPORT", "AGREE"}:
        c.type, c.mode, c.cameo = "SANCTION", "discontinue", "162" if kind == "AID" else "160"
    elif kind in {"COERCE", "SANCTION"}:
        if inner.mode == "restrict" and inner.cameo == "191":
            c.type, c.mode, c.cameo = "RETREAT", "withdraw", "0872"
        else:
            c.type, c.mode, c.cameo = "CONCEDE", None, "081"
    elif kind == "PROTEST":
        c.type, c.mode, c.cameo = "CONCEDE", None, "082"
    elif kind in {"ASSAULT", "MOBILIZE"}:
        c.type, c.mode, c.cameo = "RETREAT", "ceasefire", "0871"
    elif kind in {"REQUEST", "THREATEN", "ACCUSE"}:
        c.type, c.mode, c.cameo = "CONCEDE", None, "080"


def _apply_content(c: _Cand) -> None:
    inner = _content(c)
    if inner is None:
        return
    if "frame" in c.flags:
        _intent(c, inner.type)
    elif "reverse" in c.flags:
        _reverse(c, inner)
    elif "transparent" in c.flags:
        c.type, c.mode, c.cameo = inner.type, inner.mode, inner.cameo
    elif "order" in c.flags:
        # An order to do something is that act by whoever orders it ("ordered patrols");
        # an order to stop doing something restricts the one ordered ("ordered the paper to
        # suspend publication"), PLOVER's COERCE.
        if "reverse" in inner.flags:
            c.type, c.mode, c.cameo = "COERCE", "restrict", "172"
        else:
            c.type, c.mode, c.cameo = inner.type, inner.mode, inner.cameo
    elif c.type == "REQUEST":
        c.mode = _REQUEST_MODE.get(inner.type, "change")
        c.cameo = _REQUEST_CAMEO[c.mode]
    elif c.type == "REJECT":
        c.mode = _REQUEST_MODE.get(inner.type, "change")
        c.cameo = _REJECT_CAMEO[c.mode]
    elif c.type == "THREATEN":
        c.mode = c.mode or (inner.mode if inner.type == "COERCE" and inner.mode == "arrest" else
                            _THREAT_MODE.get(inner.type))
        c.cameo = _THREAT_CAMEO.get(inner.type, c.cameo)


def _apply_modality(c: _Cand) -> None:
    """Fold future, hypothetical and negated-modal statuses into PLOVER types (step 4)."""
    if c.status in {"future", "hypothetical"}:
        if c.type in COOPERATIVE:
            _intent(c, c.type)
        elif c.type == "RETREAT":
            c.type, c.mode, c.cameo = "CONCEDE", None, "080"
        elif c.type in MATERIAL_CONFLICT:
            _intent(c, c.type)
    elif c.status == "negated" and _statement_modal(c):
        if c.type in COOPERATIVE | {"AGREE", "RETREAT", "CONCEDE"}:
            c.type, c.mode, c.cameo = "REJECT", _REQUEST_MODE.get(c.type), "120"


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
    ents: tuple[tuple[int, int, str], ...] = ()  # (start, end, text) of the GPE, NORP and ORG doc.ents


def _entity_at(ctx: _Context, start: int, end: int, head: Token) -> Entity | None:
    hits = _overlapping(ctx.index, start, end)
    if not hits:
        return None
    for s, e, entity in hits:
        if s <= head.idx < e:
            return entity
    people = [h for h in hits if h[2].type == "PERSON"]
    return (people or hits)[0][2]


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
    # "Afghan rebel leaders": a nationality or possessor stands for the group it modifies.
    for _ in range(2):
        if root.dep_ in {"amod", "compound", "poss", "nmod"} and root.head.pos_ in {"NOUN", "PROPN"}:
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
    # An actor that is itself an event noun stands for that event's actor ("a rally ... to protest",
    # "a strike that shut down the capital in protest").
    host = triggers.get(c.source.i) if c.source is not None else None
    if host is not None and host is not c and host.nominal:
        c.source = _nominal_source(host.tok, host.sense) or c.source
    if not _usable(target, c.source):
        target = _target(c, triggers, c.source)
    c.target = target
    c.status = _status(c)


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


def _event_span(doc: Doc, toks: list[Token]) -> tuple[int, int]:
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t) for t in toks)
    return start, end


def find_events(doc: Doc) -> tuple[Event, ...]:
    """Return the PLOVER events of ``doc`` (ids EV1, EV2 ... in text order); see the module docstring."""
    entities = tuple(doc._.entities)
    quotes = tuple(doc._.quotes)
    try:
        antecedents = _pronoun_antecedents(doc, entities, quotes)
    except Exception:  # noqa: BLE001 - pronoun resolution is a help, not a requirement
        antecedents = {}
    ctx = _Context(doc, entities, _mention_index(entities), antecedents, {e.id: e for e in entities}, doc_text(doc),
                   tuple((e.start, e.end, e.text) for e in doc.ents if e.label_ in {"GPE", "NORP", "ORG"}))
    found: list[tuple[_Cand, Actor | None, Actor | None]] = []
    for sent in doc.sents:
        cands = _candidates(sent)
        cands += _must_candidates(sent, cands)
        _nest(cands)
        triggers = {c.tok.i: c for c in cands if c.sense is not _MUST}
        # Verbs that end something are events only when what they end is one ("eased the curfew",
        # not "eased tensions").
        top = [c for c in cands if c.parent is None and not ({"reverse", "content"} <= c.flags and not c.children)]
        for c in sorted(top, key=lambda c: _depth_between(c.tok, c.tok.sent.root)):
            for d in c.children:
                _apply_content(c)
                break
        for c in top:
            _resolve_cand(c, triggers)
        # An event noun that is the subject of an event verb lends it its actor ("a bombing killed").
        for c in top:
            if c.subject_of is not None and c.subject_of.parent is None:
                host = c.subject_of
                if host.source is None or host.source.i == c.tok.i:
                    host.source = c.source or c.tok
        top = [c for c in top if not (c.subject_of is not None and c.subject_of.parent is None)]
        top = [c for c in top if "contentonly" not in c.flags]
        for c in top:
            _apply_modality(c)
            if "crowd" in c.flags and c.type == "PROTEST" and c.source is not None and not _crowd(c.source):
                c.type, c.mode, c.cameo = "ACCUSE", "disapprove", "111"
            if "armed" in c.flags and c.type == "SUPPORT" and _armed(c.target):
                c.type, c.mode, c.cameo = "AID", "military", "072"
            if "joint" in c.flags and c.type == "MOBILIZE" and (
                any(x.lower_ == "joint" for x in c.tok.children)
                or (c.source is not None and any(x.dep_ == "conj" for x in c.source.children))
            ):
                c.type, c.mode, c.cameo = "COOPERATE", None, "062"
        top = _merge(sorted(top, key=lambda c: c.tok.i))
        for c in top:
            avoid = frozenset(t.i for d in cands for t in d.words)
            source, target = _actor(ctx, c.source, avoid), _actor(ctx, c.target, avoid)
            if source is None and "state" not in c.flags and (c.nominal or target is None):
                continue  # PLOVER codes no event without an actor; a passive verb may leave it unsaid
            found.append((c, source, target))
    found = _discourse(ctx, found)
    return _records(ctx, found)


# ---------------------------------------------------------------------------
# Discourse (step 5) and records


def _sent_index(doc: Doc) -> dict[int, int]:
    return {sent.start: n for n, sent in enumerate(doc.sents)}


def _gov_actor(ctx: _Context, before: int, sent_no: int, sents: list) -> Actor | None:
    """Return the most recent government actor named up to token ``before``, within two sentences."""
    first = sents[max(0, sent_no - 2)].start
    best = None
    for tok in ctx.doc[first:before]:
        entity = ctx.antecedents.get(tok.i)
        if entity is None:
            hits = _overlapping(ctx.index, tok.idx, tok.idx + len(tok))
            entity = hits[0][2] if hits else None
        if entity is None or entity.type not in {"PERSON", "ORG"}:
            continue
        words = [w for r in entity.roles if r.title for w in r.title.split()] or entity.name.split()
        if sector_of(words) == "GOV":
            best = (tok, entity)
    if best is None:
        return None
    tok, entity = best
    return _finish(ctx, Actor(entity.name, (tok.idx, tok.idx + len(tok)), entity.id), entity, [tok])


def _state_actor(ctx: _Context, before: int) -> Actor | None:
    """Return the country most often named before character ``before``: the state in view."""
    counts: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for entity in ctx.entities:
        if entity.type not in {"GPE", "ORG"} or country_of([entity.name]) is None and entity.type != "GPE":
            continue
        for m in entity.mentions:
            if m.end <= before:
                counts[entity.id] += 1
                first.setdefault(entity.id, (m.start, m.end))
    if not counts:
        return None
    entity_id = counts.most_common(1)[0][0]
    entity = ctx.by_id[entity_id]
    return _finish(ctx, Actor(entity.name, first[entity_id], entity.id), entity, [])


def _discourse(ctx: _Context, found):
    sents = list(ctx.doc.sents)
    sent_no = _sent_index(ctx.doc)
    out = []
    for n, (c, source, target) in enumerate(found):
        here = sent_no[c.tok.sent.start]
        if target is None and c.type in COOPERATIVE | {"AGREE"} and source is not None and source.entity_id:
            for prev, psrc, ptgt in reversed(out):
                if here - sent_no[prev.tok.sent.start] > 2:
                    break
                if psrc is not None and psrc.entity_id == source.entity_id and ptgt is not None:
                    target = ptgt
                    break
        if target is None and c.type == "PROTEST":
            target = _gov_actor(ctx, c.tok.i, here, sents)
        if source is None and "state" in c.flags:
            source = _state_actor(ctx, c.tok.idx)
        if source is None and target is None:
            continue
        out.append((c, source, target))
    return out


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start == -1 else start + 2), (len(text) if end == -1 else end)


def _date_for(doc: Doc, text: str, sent_span: tuple[int, int], trigger: int) -> DateExpression | None:
    dates = list(getattr(doc._, "dates", ()) or ())
    for lo, hi in (sent_span, _paragraph(text, trigger)):
        inside = [d for d in dates if d.span and lo <= d.span[0] and d.span[1] <= hi]
        if inside:
            return min(inside, key=lambda d: (d.value is None, abs(d.span[0] - trigger)))
    return None


def _place_for(doc: Doc, sent_span: tuple[int, int], trigger: int) -> Place | None:
    places = list(getattr(doc._, "places", ()) or ())
    lo, hi = sent_span
    best = None
    for place in places:
        for s, e in place.mentions:
            if lo <= s and e <= hi:
                dist = abs(s - trigger)
                if best is None or dist < best[0]:
                    best = (dist, place)
    return best[1] if best else None


def _quote_for(quotes: tuple[Quote, ...], start: int, end: int) -> Quote | None:
    """Return the quote whose cue overlaps the trigger ("he promised ...") or whose content holds it."""
    for quote in quotes:
        if any(s < end and start < e for s, e in quote.cue) or any(s <= start and end <= e for s, e in quote.content):
            return quote
    return None


def _records(ctx: _Context, found) -> tuple[Event, ...]:
    doc = ctx.doc
    quotes = tuple(doc._.quotes)
    events = []
    for c, source, target in sorted(found, key=lambda f: f[0].tok.i):
        trigger = _event_span(doc, c.words if c.sense is not _MUST else [c.words[0], c.tok])
        parts = [(trigger[0], trigger[1])]
        for actor in (source, target):
            if actor is not None and actor.span and c.tok.sent.start_char <= actor.span[0] < c.tok.sent.end_char:
                parts.append(actor.span)
        evidence = (min(p[0] for p in parts), max(p[1] for p in parts))
        sent_span = (c.tok.sent.start_char, c.tok.sent.end_char)
        quote = _quote_for(quotes, *trigger)
        date = _date_for(doc, ctx.text, sent_span, trigger[0])
        place = _place_for(doc, sent_span, trigger[0])
        if source is None and quote is not None and quote.speaker_id:
            # A trigger in a quote's cue ("he promised ...") is done by the quote's speaker.
            if any(s <= trigger[0] < e for s, e in quote.cue):
                entity = ctx.by_id.get(quote.speaker_id)
                if entity is not None:
                    span = quote.source[0] if quote.source else None
                    source = _finish(ctx, Actor(entity.name, span, entity.id), entity, [])
        confidence = 0.5
        confidence += 0.15 if source is not None and source.entity_id else 0.0
        confidence += 0.1 if target is not None else 0.0
        confidence += 0.1 if not c.nominal else 0.0
        events.append(Event(
            id=f"EV{len(events) + 1}",
            type=c.type,
            trigger=trigger,
            evidence=evidence,
            mode=c.mode,
            cameo=c.cameo,
            source=source,
            target=target,
            status=c.status,
            date=date.value if date else None,
            date_id=date.id if date else None,
            place=place.name if place else None,
            place_id=place.id if place else None,
            quote_id=quote.id if quote else None,
            confidence=round(min(confidence, 0.95), 2),
        ))
    return tuple(events)


@Language.factory(
    "newsgraph_events_v1",
    requires=["token.dep", "doc._.entities", "doc._.quotes"],
    assigns=["doc._.events"],
)
def make_event_coder(nlp: Language, name: str) -> EventCoder:
    _sense_order(), _actor_nouns()  # read the lexicons with the model, not on the first document
    return EventCoder()


class EventCoder:
    """spaCy component: computes ``find_events(doc)``, then stores it in ``doc._.events``."""

    def __call__(self, doc: Doc) -> Doc:
        events = find_events(doc)
        doc._.events = events
        return doc
