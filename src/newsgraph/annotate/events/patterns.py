"""Step 1b: match a verb against the dictionary's verb patterns, over the dependency parse.

PETRARCH matched its patterns against a constituency parse's verb phrase; we
match the same patterns against spaCy's dependency parse, our own way:

* the words before the ``*`` must stand in the verb's left dependents (its
  subject, auxiliaries, negation: "WILL NOT * ...", "&MILITARY * EXERCISES");
* the words after it in its right dependents, not entering other clauses
  (complements, adverbial and relative clauses, conjuncts);
* a word matches a token by lemma or lower-case form; a ``{...}`` phrase by
  its head word with the other words inside that token's phrase; a synset by
  any member; ``(PREP X)`` by a preposition dependent whose phrase holds X;
* a multi-word verb ("CORDON_OFF", "WIRE_+TAP") needs its other words next to
  the verb or as its particle; ``%`` asks for a compound subject.

Of the patterns that match, the one asking for most elements wins (the first
in the file on a tie); with none, the verb's own code applies. The lookups are
dictionary hits on the lemma (no scan over the 15,000 patterns), then a check
of that verb block's patterns against a word index of the verb's phrase.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from .dictionaries import Dictionaries, VerbEntry, VerbPattern

__all__ = ["VerbMatch", "match_verb"]

# Dependents that start another clause: their words belong to other verbs' patterns.
_OTHER_CLAUSE = {"ccomp", "xcomp", "advcl", "conj", "relcl", "parataxis", "csubj", "punct", "cc", "mark", "meta",
                 "discourse", "intj", "acl"}


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """A verb's dictionary code: the entry, the pattern that matched (None: the verb's own code) and its tokens."""

    entry: VerbEntry
    pattern: VerbPattern | None
    code: str
    tokens: tuple[Token, ...]
    target: Token | None = None

    @property
    def user(self) -> bool:
        return self.entry.user


def _region(verb: Token, left: bool) -> list[Token]:
    """Return the tokens a pattern half may name: the verb's own phrase on that side.

    Its dependents and their dependents (an object and its modifiers, a
    preposition and its object, the subject and its modifiers), but not what
    hangs deeper ("for a possible war against Iraq" is no "against" of the
    verb's) nor other clauses.
    """
    out = []
    for child in verb.children:
        if (child.i < verb.i) != left or child.dep_ in _OTHER_CLAUSE or child.is_punct:
            continue
        out.append(child)
        for grand in child.children:
            if grand.dep_ in _OTHER_CLAUSE or grand.is_punct:
                continue
            if child.dep_ == "prep" or grand.dep_ != "prep":
                out.append(grand)
    return out


def _index(tokens: list[Token]) -> dict[str, list[Token]]:
    index: dict[str, list[Token]] = {}
    for t in tokens:
        for key in {t.lower_, t.lemma_.lower()}:
            index.setdefault(key, []).append(t)
    return index


def _words(words: tuple[str, ...], index: dict[str, list[Token]]) -> Token | None:
    """Return the head token of a word phrase (head last) found in ``index``, or None."""
    for head in index.get(words[-1], ()):
        if len(words) == 1:
            return head
        phrase = {k for t in head.subtree for k in (t.lower_, t.lemma_.lower())}
        left = {k for t in head.doc[max(head.i - 4, 0) : head.i] for k in (t.lower_, t.lemma_.lower())}
        if all(w in phrase or w in left for w in words[:-1]):
            return head
    return None


def _element(el: tuple, index: dict[str, list[Token]], dicts: Dictionaries) -> Token | None:
    kind = el[0]
    if kind == "&":
        for member in dicts.synsets.get(el[1], ()):
            hit = _words(member, index)
            if hit is not None:
                return hit
        return None
    if kind == "(":
        _, prep, obj = el
        for p in index.get(prep, ()):
            if p.dep_ not in {"prep", "agent", "dative", "prt"}:
                continue
            if obj is None:
                return p
            if obj[0] in {"$", "+", "^", "%"}:
                return p
            if _element(obj, _index([t for t in p.subtree if t.i != p.i]), dicts) is not None:
                return p
        return None
    if kind in {"$", "+", "^", "%"}:
        return None
    return _words(el, index)


def _neighbours_ok(verb: Token, entry: VerbEntry) -> bool:
    doc = verb.doc
    for k, word in enumerate(reversed(entry.before), 1):
        if verb.i - k < 0 or doc[verb.i - k].lower_ != word:
            return False
    for k, word in enumerate(entry.after, 1):
        after = doc[verb.i + k] if verb.i + k < len(doc) else None
        if (after is None or after.lower_ != word) and not any(
            c.dep_ in {"prt", "prep", "advmod"} and c.lower_ == word for c in verb.children
        ):
            return False
    return True


def _pattern_target(verb: Token, pattern: VerbPattern, found: list[Token]) -> Token | None:
    if pattern.target is None:
        return None
    if pattern.target == "":
        return next((c for c in verb.children if c.dep_ in {"dobj", "dative"}), None)
    for p in found:
        if p.lower_ == pattern.target:
            return next((c for c in p.children if c.dep_ in {"pobj", "pcomp"}), None)
    return None


def _compound_subject(verb: Token) -> Token | None:
    """Return the verb's subject when it is a compound ("Gondor and Osgiliath agree"), else None."""
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject if subject is not None and any(c.dep_ == "conj" for c in subject.children) else None


def match_verb(verb: Token, dicts: Dictionaries) -> VerbMatch | None:
    """Return the dictionary code of ``verb`` (its most specific matching pattern, else its own), or None."""
    entries = dicts.verbs.get(verb.lemma_.lower()) or dicts.verbs.get(verb.lower_)
    if not entries:
        return None
    entries = [e for e in entries if _neighbours_ok(verb, e)]
    if not entries:
        return None
    # The most specific verb form first: "cordon off" before "cordon".
    entries.sort(key=lambda e: -(len(e.before) + len(e.after)))
    entry = entries[0]
    before = after = None
    best: tuple[int, VerbPattern, list[Token]] | None = None
    for pattern in entry.patterns:
        if best is not None and pattern.size <= best[0]:
            continue
        if pattern.before and before is None:
            before = _index(_region(verb, left=True))
        if pattern.after and after is None:
            after = _index(_region(verb, left=False))
        found = []
        for el, index in [(el, before) for el in pattern.before] + [(el, after) for el in pattern.after]:
            hit = _compound_subject(verb) if el == ("%",) else _element(el, index, dicts)
            if hit is None:
                found = None
                break
            found.append(hit)
        if found is not None and (pattern.before or pattern.after):
            best = (pattern.size, pattern, found)
    if best is not None:
        _, pattern, found = best
        return VerbMatch(entry, pattern, pattern.code, (verb, *found), _pattern_target(verb, pattern, found))
    if entry.code is None:
        return None
    return VerbMatch(entry, None, entry.code, (verb,))
