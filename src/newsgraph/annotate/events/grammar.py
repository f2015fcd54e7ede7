"""Grammar shared by all steps: the word lists that are grammar, not lexicon
(auxiliaries and verbs of status for step 4, prepositions of nesting and
recipients for steps 2 and 3, nouns of crowds and armed groups), and the token
helpers over the dependency parse: a token's lookup keys (step 1) and a verb's
subject, agent, controller, objects and prepositions (step 3).
"""

from __future__ import annotations

from spacy.tokens import Token


# ---------------------------------------------------------------------------
# Word lists that are grammar, not lexicon

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_HYPOTHETICAL_AUX = {"would", "could", "might", "may", "can", "should", "'d", "ca"}
# Verbs whose infinitive complement has not happened yet ("plans to impose").
_FUTURE_VERBS = {"plan", "intend", "expect", "schedule", "set", "due", "aim", "decide", "prepare", "hope",
                 "want", "seek", "look", "propose", "consider", "mull", "weigh", "threaten", "vow", "pledge",
                 "promise", "offer", "agree", "go", "about", "eager", "keen", "anxious", "desperate", "wish",
                 "like", "love"}  # a wish has not happened yet ("eager to withdraw")
# Verbs and adjectives that keep their complement from happening ("wary of offering", "reluctant to send").
_NEGATIVE_VERBS = {"fail", "refrain", "cease", "avoid", "wary", "reluctant", "hesitant", "loath", "unwilling", "refuse",
                   "decline"}
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


def _to_infinitive(verb: Token) -> bool:
    """Return whether a verb has its "to" ("to land")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _finite(verb: Token) -> bool:
    """Return whether a verb is finite or a bare base form, neither participle nor "to" infinitive."""
    return verb.tag_ in {"VBP", "VBZ"} or (verb.tag_ == "VB" and not _to_infinitive(verb))


def _controller(verb: Token) -> Token | None:
    """Return the subject an infinitive, participle or conjunct without one inherits."""
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "xcomp":
        obj = _child(head, "dobj")
        if obj is not None and head.lemma_ in _OBJECT_CONTROL:
            return obj  # "urged the Community to support": the Community supports
        # "Kenya is expected to sign": a passive verb of expecting or saying raises its subject
        return _subject(head) or _child(head, "nsubjpass")
    if verb.dep_ in {"conj", "advcl", "ccomp"} and head.pos_ in {"VERB", "AUX", "ADJ"}:
        if verb.dep_ == "advcl" and (_is_passive(verb) or _finite(verb)):
            return None  # a finite verb with no subject of its own is a misparse, not a participle: no actor
        if verb.dep_ == "conj":
            # "has been indicted ... and will resign": conjuncts share the subject, passive or not
            return _child(head, "nsubj", "nsubjpass") or _subject(head)
        return _subject(head)
    if verb.dep_ in {"acl", "relcl"} and head.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
        return head  # "demonstrators protesting", and a noun root the tagger took for the subject
    if verb.dep_ == "pcomp" and head.head.pos_ in {"VERB", "AUX", "ADJ"}:
        return _subject(head.head)  # "resorted to throwing stones"
    if verb.dep_ == "pcomp" and head.head.dep_ in {"dobj", "attr"} and head.head.head.pos_ in {"VERB", "AUX"}:
        return _subject(head.head.head)  # "Putin shows no sign of propping up": Putin would prop
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


def _depth_between(tok: Token, ancestor: Token) -> int:
    n = 0
    while tok.i != ancestor.i and tok.head.i != tok.i and n < 20:
        tok = tok.head
        n += 1
    return n


def _relative_noun(tok: Token) -> Token | None:
    """Return the noun a relative pronoun stands for ("a group ..., whom the authorities accused")."""
    rel = tok.head
    while rel.dep_ != "relcl" and rel.head.i != rel.i:
        rel = rel.head
    return rel.head if rel.dep_ == "relcl" else None
