"""A faster, exact stand-in for the model's rule-based ``attribute_ruler`` and ``lemmatizer``.

en_core_web_sm maps each token's tag to its part of speech and morphology with
an ``attribute_ruler`` (179 token patterns: the tag map and morph rules) run
by spaCy's general ``Matcher``, then looks each lemma up from Python. On the
91 English development articles these two took 2.2 s of the model's 15 s
once warm (more in a fresh process): more than our seven components together.

The patterns are all of a few simple kinds: one or two tokens, each tested on
its tag, lower-case form, dependency label or being a space, by equality,
``IN``, ``NOT_IN`` or ``REGEX``. So this component tests them directly and
caches the answers (tests that do not read the word by tag, label and space;
those that want a given word looked up by it); a token gets the
attributes of every rule that matches it, applied in spaCy's order (by rule
number: a later rule wins). Lemmas then come from the model's own lemmatizer,
cached by what it reads (the word, its part of speech and morphology), as
spaCy's own cache does, and its look-ups of known words go to sets, not lists.

The result is the same annotation as the stock components (the tests compare
every token's tag, part of speech, morphology, lemma and label). A model whose
rules use anything else, or whose two components are not next to each other,
keeps its stock components (``use_fast_attributes`` returns False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["use_fast_attributes"]

_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")


@dataclass(frozen=True, slots=True)
class _Test:
    """One token's test in a rule: ``field`` (an index into the token's key) against ``value`` by ``op``."""

    field: int
    op: str  # "==", "IN", "NOT_IN", "REGEX"
    value: object

    def passes(self, key: tuple[str, str, str, bool]) -> bool:
        got = key[self.field]
        if self.op == "==":
            return got == self.value
        if self.op == "IN":
            return got in self.value
        if self.op == "NOT_IN":
            return got not in self.value
        return re.search(self.value, got) is not None  # REGEX, as the Matcher does it


def _tests(token_spec: dict) -> tuple[_Test, ...] | None:
    """Return the tests of one token's pattern, or None if it uses something this module does not read."""
    tests = []
    for name, value in token_spec.items():
        if name not in _FIELDS:
            return None
        field = _FIELDS.index(name)
        if isinstance(value, dict):
            if len(value) != 1:
                return None
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list):
                tests.append(_Test(field, op, frozenset(arg)))
            elif op == "REGEX" and isinstance(arg, str):
                tests.append(_Test(field, op, arg))
            else:
                return None
        elif isinstance(value, (str, bool)) and (name == "IS_SPACE") == isinstance(value, bool):
            tests.append(_Test(field, "==", value))
        else:
            return None
    return tuple(tests)


class FastAttributes:
    """spaCy component: the model's attribute rules and lemmatizer in one pass (see the module docstring)."""

    def __init__(self, ruler, lemmatizer) -> None:
        from spacy.tokens._retokenize import set_token_attrs  # what the stock attribute_ruler calls

        self._set_attrs = set_token_attrs
        self.vocab = ruler.vocab
        self.rule_attrs = ruler.attrs  # rule number -> attributes to set (normalised, as spaCy keeps them)
        self.lemmatizer = lemmatizer
        # For each new word the lemmatizer asks whether candidate forms are known words, in
        # lists of up to 57,000 words (its lemma_index table): 0.1 ms a word, 1.3 s on the
        # dev articles' first pass. Sets answer the same. (This lemmatizer serves only here.)
        if lemmatizer.lookups.has_table("lemma_index"):
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos in list(index):
                index[pos] = frozenset(index[pos])
        # Each token pattern as a tuple of test ids; test id -> its tests.
        self.tests: list[tuple[_Test, ...]] = []
        self.single: list[tuple[int, int]] = []  # (rule, test id) of one-token patterns
        self.pairs: list[tuple[int, int, int, int]] = []  # (rule, first test id, second test id, index)
        for rule, pattern in enumerate(ruler.patterns):
            for tokens in pattern["patterns"]:
                ids = []
                for spec in tokens:
                    tests = _tests(spec)
                    if tests is None:
                        raise ValueError(f"unsupported token pattern {spec!r}")
                    ids.append(len(self.tests))
                    self.tests.append(tests)
                index = pattern["index"] if pattern["index"] >= 0 else len(ids) + pattern["index"]
                if len(ids) == 1 and index == 0:
                    self.single.append((rule, ids[0]))
                elif len(ids) == 2 and index in (0, 1):
                    self.pairs.append((rule, ids[0], ids[1], index))
                else:
                    raise ValueError(f"unsupported pattern of {len(ids)} tokens, index {pattern['index']}")
        # Token patterns by what they read of the word, so that a new word costs a few
        # look-ups, not every test (news has a new word every other token):
        self._by_word: dict[str, list[int]] = {}  # the word -> patterns that want exactly it (== or IN)
        self._word_other: list[int] = []  # patterns that read the word otherwise (REGEX, NOT_IN)
        self._no_word: list[int] = []  # patterns that do not read the word: cached by (tag, label, space)
        for i, tests in enumerate(self.tests):
            word = [t for t in tests if t.field == _FIELDS.index("LOWER")]
            if not word:
                self._no_word.append(i)
            elif word[0].op in ("==", "IN"):
                for value in ([word[0].value] if word[0].op == "==" else word[0].value):
                    self._by_word.setdefault(value, []).append(i)
            else:
                self._word_other.append(i)
        self._no_word_passed: dict[tuple[int, int, bool], frozenset[int]] = {}
        self._passed: dict[tuple[int, int, int, bool], frozenset[int]] = {}  # token key -> test ids passed
        self._rules: dict[frozenset[int], tuple[int, ...]] = {}  # test ids passed -> one-token rules matched
        self._merged: dict[tuple[int, ...], dict] = {}  # rules matched -> attributes to set, later rules winning
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (word, pos, morph) -> lemma

    def _passes(self, key: tuple[int, int, int, bool]) -> frozenset[int]:
        """Return the ids of the token patterns that a token with ``key`` (tag, word, label, space) passes."""
        strings = self.vocab.strings
        text_key = (strings[key[0]], strings[key[1]], strings[key[2]], key[3])
        context = (key[0], key[2], key[3])
        passed = self._no_word_passed.get(context)
        if passed is None:
            passed = self._no_word_passed[context] = frozenset(
                i for i in self._no_word if all(t.passes(text_key) for t in self.tests[i]))
        word = [i for i in (*self._by_word.get(text_key[1], ()), *self._word_other)
                if all(t.passes(text_key) for t in self.tests[i])]
        return passed.union(word) if word else passed

    def __call__(self, doc: Doc) -> Doc:
        passed = []
        for token in doc:
            key = (token.tag, token.lower, token.dep, token.is_space)
            found = self._passed.get(key)
            if found is None:
                found = self._passed[key] = self._passes(key)
            passed.append(found)
        extra: dict[int, list[int]] = {}  # token -> rules of two-token patterns that set it
        if self.pairs:
            for i in range(len(passed) - 1):
                for rule, first, second, index in self.pairs:
                    if first in passed[i] and second in passed[i + 1]:
                        extra.setdefault(i + index, []).append(rule)
        lemmatize, overwrite, lemmas = self.lemmatizer.lemmatize, self.lemmatizer.overwrite, self._lemmas
        for i, token in enumerate(doc):
            rules = self._rules.get(passed[i])
            if rules is None:
                rules = self._rules[passed[i]] = tuple(sorted(r for r, t in self.single if t in passed[i]))
            if i in extra:
                rules = tuple(sorted({*rules, *extra[i]}))
            if rules:
                attrs = self._merged.get(rules)
                if attrs is None:
                    attrs = self._merged[rules] = {k: v for r in rules for k, v in self.rule_attrs[r].items()}
                self._set_attrs(token, attrs)
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = lemmas.get(key)
                if lemma is None:
                    lemma = lemmas[key] = self.vocab.strings.add(lemmatize(token)[0])
                token.lemma = lemma
        return doc


@Language.factory("newsgraph_attributes_v1")
def make_fast_attributes(nlp: Language, name: str) -> FastAttributes:
    """Build the component from the model's own ``attribute_ruler`` and ``lemmatizer`` (which it stands in for)."""
    return FastAttributes(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def use_fast_attributes(nlp: Language) -> bool:
    """Put ``newsgraph_attributes_v1`` in place of the model's attribute_ruler and lemmatizer, if it can be.

    Returns False (and changes nothing) unless the two are next to each other,
    the lemmatizer works by rules, and every attribute rule is of a kind this
    module reads.
    """
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    at = names.index("attribute_ruler")
    if names[at + 1:at + 2] != ["lemmatizer"] or getattr(nlp.get_pipe("lemmatizer"), "mode", None) != "rule":
        return False
    try:
        nlp.add_pipe("newsgraph_attributes_v1", before="attribute_ruler")
    except (ValueError, ImportError):
        return False
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return True
