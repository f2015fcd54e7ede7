"""The lexicon of step 1 (triggers): the PLOVER category sets, ``Sense`` and the
readers of ``data/plover_lexicon.tsv`` and ``data/plover_actor_nouns.txt``, with the
order in which equally specific senses are tried.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


# ---------------------------------------------------------------------------
# Categories

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
VERBAL = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
MATERIAL_CONFLICT = frozenset({"COERCE", "SANCTION", "ASSAULT", "MOBILIZE", "PROTEST"})
# Events whose recipient may be a place ("a curfew in Cizre", "shelled Juba").
_PLACE_TARGETS = frozenset({"COERCE", "CONCEDE", "RETREAT", "SANCTION", "THREATEN", "ASSAULT", "MOBILIZE"})
# Prepositions whose object is a recipient when the lexicon names none.
_TARGET_PREPS = ("against", "with", "to", "on", "at", "into", "toward", "towards", "upon", "from")


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


@functools.lru_cache(maxsize=1)
def _sense_order() -> dict[Sense, int]:
    order: dict[Sense, int] = {}
    for senses in lexicon().values():
        for s in senses:
            order.setdefault(s, len(order))
    return order


def _order(sense: Sense) -> int:
    return _sense_order().get(sense, 0)


@functools.lru_cache(maxsize=1)
def _actor_nouns() -> frozenset[str]:
    path = resources.files("newsgraph") / "data" / "plover_actor_nouns.txt"
    return frozenset(w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))
