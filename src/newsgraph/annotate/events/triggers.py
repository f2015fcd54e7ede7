"""Steps 1 and 2, triggers and nesting: the candidate events of a sentence
(``_Cand``), the most specific lexicon sense a token triggers, the REQUEST of a
reported "must", and the nesting of a trigger inside another one's complement
as that event's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from .crosswalk import coded_as
from .dictionaries import Dictionaries
from .grammar import _CLAUSE_STOP, _NO_ENTITY_TRIGGER, _SEPARATE_PREPS, _child, _depth_between, _keys, _near, _preps
from .lexicon import Sense, _order, lexicon
from .patterns import VerbMatch, match_verb


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
    # The members of a compound source or target ("Gondor and Osgiliath"), one actor each, or None.
    source_members: list | None = None
    target_members: list | None = None

    @property
    def nominal(self) -> bool:
        return self.sense.pos == "N"

    @property
    def flags(self) -> frozenset[str]:
        return self.sense.flags


def _trigger(tok: Token, dicts: Dictionaries | None = None) -> tuple[Sense, list[Token]] | None:
    """Return the sense ``tok`` triggers and the tokens of its pattern, or None.

    A verb is looked up in the verb dictionary (``patterns.match_verb``) and in
    our lexicon. A user's dictionary decides alone. Otherwise our lexicon's
    multi-word patterns ("call off strike") and its single verbs win over the
    dictionary's bare verb codes, and a dictionary pattern that names more
    than the verb ("* (FOR {FINANCIAL AID})") wins over a single lexicon verb;
    the lexicon's flags (how the verb reads its content and actors) are kept.
    The dictionary alone brings the verbs our lexicon does not know.
    """
    ours = _lexicon_trigger(tok)
    if dicts is None or tok.pos_ != "VERB" or tok.ent_type_ in _NO_ENTITY_TRIGGER or tok.dep_ in {"compound", "amod"}:
        return ours
    if tok.dep_ in {"dobj", "pobj", "nsubj", "nsubjpass", "attr"} and not any(
        c.dep_ in {"aux", "auxpass", "nsubj", "dobj", "prep", "xcomp", "ccomp"} for c in tok.children
    ):
        return ours  # a participle used as a noun
    match = match_verb(tok, dicts)
    if match is None:
        return ours
    sense = _dictionary_sense(match, ours[0] if ours else None)
    if sense is None:
        return ours
    # The pattern's words are the trigger's, but not a subject it asked for ("%": "A and B agree").
    words = [tok] + [t for t in dict.fromkeys(match.tokens[1:])
                     if t.i != tok.i and t.dep_ not in {"nsubj", "nsubjpass"}]
    if match.user or (ours is None and match.pattern is not None):
        return sense, words
    return ours


def _bare(code: str) -> str:
    """Return a dictionary code without blanks and marks ("080!" -> "080")."""
    return "".join(ch for ch in code if ch.isalnum())


def _dictionary_sense(match: VerbMatch, ours: Sense | None) -> Sense | None:
    """Return the sense a dictionary code gives (PLOVER type and mode by the crosswalk), or None.

    A code with no PLOVER category (CAMEO 01x statements) is no event, unless a
    user's dictionary gave it: then it is coded as type ``OTHER`` with its code.
    Codes ``A:B`` are A; ``:B`` is B done to the subject (flag ``swap``).
    """
    code = match.code
    flags = set(ours.flags) if ours is not None else set()
    main, _, back = (_bare(part) for part in code.partition(":"))
    if not main and back:
        main, back = back, ""
        flags.add("swap")
    elif main and back:
        # "042:043": A visits B and B hosts A; "030:030" between the members of a compound: both ways
        flags.add("back:" + back)
        if back == main:
            flags.add("symmetric")  # between equals: the other party comes with "with" or "between" only
    if not main:
        return None
    plover = coded_as(main, match.user)
    if plover is None:
        return None
    if ours is None and main.startswith("03"):
        flags.add("frame")  # a statement of intent takes its content's kind ("plans to impose": THREATEN)
    if match.user:
        flags.add("user")
    if ours is None:
        flags.add("dictionary")  # only the dictionary knows this use: see records._records
    words = tuple(t.lemma_.lower() for t in match.tokens)
    # The pattern's "+" marks where the target is: "(WITH +)" -> the object of "with" is tried first.
    to = ours.to if ours else ()
    if match.pattern is not None and match.pattern.target:
        to = (match.pattern.target, *to)
    return Sense(words, "V", plover[0], plover[1], main, frozenset(flags), (), to)


def _adjectival(tok: Token) -> bool:
    """Return whether a participle is used as an adjective: "is prepared to", "ready", "were willing"."""
    return tok.pos_ == "ADJ" or tok.dep_ == "acomp" or any(
        c.dep_ in {"aux", "auxpass"} and c.lemma_ == "be" for c in tok.children)


def _lexicon_trigger(tok: Token) -> tuple[Sense, list[Token]] | None:
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
    lemma = tok.lemma_.lower()
    verb_heads = {sense.words[0] for sense in senses if sense.pos == "V"}
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
        if sense.pos == "V" and head_word != lemma and lemma in verb_heads and not _adjectival(tok):
            continue  # "the army prepared to resume shelling" is the verb prepare, not "is prepared to"
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
        if "asks" in sense.flags and not _asks_for(tok):
            continue
        if "content" in sense.flags and not _has_content(tok):
            continue
        if "obj" in sense.flags and _child(tok, "dobj") is None:
            continue
        score = (len(sense.words), -_order(sense))
        if best is None or score > best[0]:
            best = (score, sense, matched)
    return (best[1], best[2]) if best else None


def _asks_for(tok: Token) -> bool:
    """Return whether a verb of asking asks for something: "to" infinitive, "for" phrase or "that" clause."""
    for c in tok.children:
        if c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for"):
            return True
        if c.dep_ == "ccomp" and any(m.lower_ == "that" or m.lemma_ in {"should", "must"} for m in c.children):
            return True
    return False


def _has_content(tok: Token) -> bool:
    """Return whether ``tok`` has a clause, infinitive or object to report ("warned that ...")."""
    for c in tok.children:
        if c.dep_ in {"ccomp", "xcomp", "dobj"}:
            return True
        if c.dep_ == "prep" and any(p.dep_ in {"pobj", "pcomp"} for p in c.children):
            return True
    return tok.head.dep_ == "acomp"


def _candidates(sent, dicts: Dictionaries | None = None) -> list[_Cand]:
    cands = []
    taken: set[int] = set()
    for tok in sent:
        if tok.i in taken:
            continue
        found = _trigger(tok, dicts)
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
            if dep == "acl" and cur.tag_ == "VBN" and cur.head.i not in by_tok:
                break  # a participle describes its noun: "a lunch hosted by X" is no content of "held a meeting"
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


def _content(c: _Cand) -> _Cand | None:
    """Return the content event nearest the trigger in the parse, if any."""
    if not c.children:
        return None
    return min(c.children, key=lambda d: (_depth_between(d.tok, c.tok), d.tok.i))
