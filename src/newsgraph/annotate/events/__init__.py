"""Events: who did what to whom, PLOVER-coded (component ``newsgraph_events_v1``).

Method: dictionary patterns over the dependency parse, in the tradition of
the KEDS/TABARI/PETRARCH coders (Schrodt 2006; Norris, Schrodt & Beieler 2017,
PETRARCH2: "Another event coding program", JOSS 2(9)), coded into the PLOVER
ontology (Open Event Data Alliance, PLOVER manual, draft 2021) with the
CAMEO-to-PLOVER crosswalk for CAMEO codes.

0. **Dictionaries and genre.** The PETRARCH2/Phoenix dictionaries
   (``dictionaries.py``, shipped in ``data/petrarch2``) give verb patterns,
   dated actors, agents and discards; a page that seldom names a political
   actor is genre ``other`` and codes nothing (``genre.py``); a sentence with a
   discard phrase (sport, entertainment) codes nothing.
1. **Triggers.** ``data/plover_lexicon.tsv`` maps verb and noun patterns
   ("detain", "take ... streets", "call off ... strike", "crackdown") to a
   PLOVER type, mode and CAMEO code, with flags for how the pattern reads
   its arguments. A verb pattern's verb (a noun pattern's noun) is the
   trigger token; the other words must hang below it in the parse. Nouns
   inside names and noun modifiers ("aid groups", "press release") and
   participles used as nouns ("evacuated the wounded") are not triggers.
   A verb the lexicon does not know is coded when one of its CAMEO
   dictionary patterns matches (``patterns.py``; type and mode by
   ``crosswalk.py``); a user's verb file decides alone for its verbs.
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

Files, by step: ``dictionaries.py`` and ``genre.py`` (0), ``triggers.py`` and
``patterns.py`` find the triggers (1) and nest them (2), ``crosswalk.py`` maps
CAMEO to PLOVER, ``coding.py`` holds the content rules (2) and the status (4),
``actors.py`` the actors, their gate and codes (3) and the merging (5),
``records.py`` the discourse and the records (5), ``confidence.py`` the
confidence; ``lexicon.py`` reads our lexicon, and ``grammar.py`` holds the word
lists and parse helpers they share. docs/events.md tells it for users.

Measured with ``newsgraph eval events`` (asserted, future and hypothetical
events, negated ones only as refusals) and en_core_web_sm 3.8: PLOVER-GSR dev
(158 sentences) type P 0.83, R 0.80, F1 0.81, source accuracy 0.99, target
accuracy 0.83; 0 events in 30 non-political sentences; PETRARCH2 unit tests
with their own dictionaries detection F1 0.86, source code accuracy 0.80,
target 0.68, CAMEO root agreement 0.81; the seed article: 9 of its 11
hand-coded events with the right type, actor and recipient. On real pages
(91 dev pages of many outlets) a blind reading found about half of the
stored events right. For scale: UniversalPetrarch reports 68.1% on its own
suite, NGEC a type macro-F1 of 0.52 on its own.

Limits: dictionary coding sees only what the lexicon, the dictionaries and
the parse give it: unlisted verbs, misparsed clauses and actors that are only
implied are missed; a sentence's other events are coded too (gold sets code
one per sentence, so precision there is a lower bound). Modality comes from
auxiliaries and a few verbs; irony and attributed doubt are not read. Object
pronouns ("him") are not resolved. Office holders are found by the
dictionaries' spellings; otherwise the role the article states codes them.
English only.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...models import Actor, Event
from ..extensions import doc_text
from ..speakers import _mention_index, _pronoun_antecedents
from ..time import _published
from .actors import (
    _actor,
    _armed,
    _Context,
    _crowd,
    _members,
    _merge,
    _resolve_cand,
    country_of,
    recode_actors,
    sector_of,
)
from .coding import _apply_content, _apply_modality, _declines_to_speak, _verbal_attack
from .dictionaries import Dictionaries, load_dictionaries, user_files, words_of
from .genre import genre_of
from .grammar import _depth_between, _keys
from .lexicon import Sense, _actor_nouns, _sense_order, lexicon
from .records import _discourse, _records
from .triggers import _MUST, _Cand, _candidates, _must_candidates, _nest

__all__ = ["Sense", "lexicon", "find_events", "EventCoder", "recode_actors", "country_of", "sector_of", "_keys"]


def _acted_on(c, d) -> bool:
    """Return whether content ``d`` can be what trigger ``c`` ends: not a mere part of another object.

    "eased the curfew" ends the curfew; "eased tensions in their relations" ends no relations.
    """
    obj = next((x for x in c.tok.children if x.dep_ == "dobj"), None)
    return obj is None or d.tok.i == obj.i or not (obj.left_edge.i <= d.tok.i <= obj.right_edge.i)


def find_events(doc: Doc, dicts: Dictionaries | None = None) -> tuple[Event, ...]:
    """Return the PLOVER events of ``doc`` (ids EV1, EV2 ... in text order); see the module docstring.

    ``dicts``: the coding dictionaries (default: the built-in ones plus
    ``$NEWSGRAPH_DICTIONARIES``).
    """
    if dicts is None:
        dicts = load_dictionaries(user_files())
    entities = tuple(doc._.entities)
    quotes = tuple(doc._.quotes)
    try:
        antecedents = _pronoun_antecedents(doc, entities, quotes)
    except Exception:  # noqa: BLE001 - pronoun resolution is a help, not a requirement
        antecedents = {}
    ctx = _Context(doc, entities, _mention_index(entities), antecedents, {e.id: e for e in entities}, doc_text(doc),
                   ents=tuple((e.start, e.end, e.text) for e in doc.ents if e.label_ in {"GPE", "NORP", "ORG"}),
                   dicts=dicts, published=_published(doc))
    found: list[tuple[_Cand, Actor | None, Actor | None]] = []
    for sent in doc.sents:
        discard = dicts.discard(words_of(sent.text))
        if discard is not None:
            if discard[1]:
                return ()  # a story-level discard: the whole page is outside politics
            continue  # a sentence about sport, entertainment ...: no event
        cands = _candidates(sent, dicts)
        cands += _must_candidates(sent, cands)
        _nest(cands)
        triggers = {c.tok.i: c for c in cands if c.sense is not _MUST}
        # Verbs that end something are events only when what they end is one ("eased the curfew",
        # not "eased tensions", nor "eased tensions in their relations").
        top = [c for c in cands if c.parent is None and not (
            {"reverse", "content"} <= c.flags and not any(_acted_on(c, d) for d in c.children))]
        for c in sorted(top, key=lambda c: _depth_between(c.tok, c.tok.sent.root)):
            for d in c.children:
                if "user" not in c.flags:  # a user's codes are theirs (maybe not CAMEO): not rewritten
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
        top = [c for c in top if "contentonly" not in c.flags and not _declines_to_speak(c)]
        for c in top:
            if "user" not in c.flags:
                _apply_modality(c)
            if "crowd" in c.flags and c.type == "PROTEST" and c.source is not None and not _crowd(c.source):
                c.type, c.mode, c.cameo = "ACCUSE", "disapprove", "111"
            if c.type == "ASSAULT" and not c.nominal and _verbal_attack(c.tok):
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
            c.source_members, c.target_members = _members(ctx, c.source, avoid), _members(ctx, c.target, avoid)
            if source is None and "state" not in c.flags and (c.nominal or target is None):
                continue  # PLOVER codes no event without an actor; a passive verb may leave it unsaid
            found.append((c, source, target))
    found = _discourse(ctx, found)
    return _records(ctx, found)


@Language.factory(
    "newsgraph_events_v1",
    requires=["token.dep", "doc._.entities", "doc._.quotes"],
    assigns=["doc._.events"],
    default_config={"dictionaries": None},
)
def make_event_coder(nlp: Language, name: str, dictionaries: list[str] | None = None) -> EventCoder:
    _sense_order(), _actor_nouns()  # read the lexicons with the model, not on the first document
    extra = tuple(dictionaries) if dictionaries is not None else user_files()
    return EventCoder(load_dictionaries(extra))


class EventCoder:
    """spaCy component: computes ``find_events(doc, dictionaries)``, then stores it in ``doc._.events``."""

    def __init__(self, dicts: Dictionaries) -> None:
        self.dicts = dicts

    def __call__(self, doc: Doc) -> Doc:
        genre, share = genre_of(doc, self.dicts)
        events = find_events(doc, self.dicts) if genre != "other" else ()
        doc._.genre, doc._.political_share = genre, share
        doc._.events = events
        return doc
