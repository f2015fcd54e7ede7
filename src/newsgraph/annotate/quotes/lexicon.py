"""Step 2, the cue lexicon: what each cue word of ``data/quote_cues.txt`` can introduce, and the
lemma a token is looked up under.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Token


@dataclass(frozen=True, slots=True)
class _Frames:
    """What a cue word can introduce (the codes of ``data/quote_cues.txt``)."""

    clause: bool = False  # S or Q
    quoted_only: bool = False  # Q: only quotations and colons
    infinitive: bool = False  # X
    obj: bool = False  # O
    noun: bool = False  # N
    preps: frozenset[str] = frozenset()  # P:prep
    speech: bool = False  # in a [speech] group: a verb of speaking

    @property
    def verbal(self) -> bool:
        return self.clause or self.infinitive or self.obj or bool(self.preps)


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, _Frames]:
    """Return lemma -> frames, read from ``data/quote_cues.txt``."""
    path = resources.files("newsgraph") / "data" / "quote_cues.txt"
    lexicon: dict[str, _Frames] = {}
    speech = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# ---"):
            speech = raw.rstrip().endswith("[speech]")
        fields = raw.split("#", 1)[0].split()
        if not fields:
            continue
        lemma, codes = fields[0], set(fields[1:])
        old = lexicon.get(lemma, _Frames())  # a word listed as a verb and as a noun gets both
        lexicon[lemma] = _Frames(
            clause=old.clause or bool(codes & {"S", "Q"}),
            quoted_only=old.quoted_only or "Q" in codes,
            infinitive=old.infinitive or "X" in codes,
            obj=old.obj or "O" in codes,
            noun=old.noun or "N" in codes,
            preps=old.preps | {c[2:] for c in codes if c.startswith("P:")},
            speech=old.speech or speech,
        )
    return lexicon


def cue_lemma(tok: Token) -> str:
    """Return the lemma under which ``tok`` is looked up in the cue lexicon.

    The model's rule lemmatizer drops a final "e" where a shorter verb exists
    ("hopes" -> "hop"); the longer lemma is taken when it is a cue and the word
    is spelled with it.
    """
    lemma = tok.lemma_.lower()
    lexicon = cue_lexicon()
    if lemma not in lexicon and lemma + "e" in lexicon and tok.lower_.startswith(lemma + "e"):
        return lemma + "e"
    return lemma
