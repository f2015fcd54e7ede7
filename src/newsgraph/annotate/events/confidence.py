"""Step 6: how sure each event is, from the strength of its pattern and of its actors' evidence.

Four things are read: how specific the pattern was (a lexicon or dictionary
pattern naming more than the verb, a verb alone, a noun), how the source is
known (a dictionary actor code such as RUS GOV; a named entity; only a
generic agent such as "police"), whether a target was found, and whether the
event is asserted. Each combination's value is the share of such events that
were right on PLOVER-GSR dev (``python benchmarks/event_confidence.py``
prints the table it was calibrated from), so a user filtering at 0.8 keeps the
kinds of events that were right about 80% of the time there. Dev sentences
are cleaner than real pages: on pages the values overstate.
"""

from __future__ import annotations

from ...models import Actor

__all__ = ["confidence", "features"]

# Set from ``benchmarks/event_confidence.py`` on PLOVER-GSR dev (160 coded events, 79% right): verb
# patterns 85% right, multi-word 71%, nouns 65%; sources that are named or dictionary actors 81%,
# generic agents 50%; with a target 84%, without 63%; not asserted 71%. Additive, so that a
# verb by a named actor with a target comes to 0.85 (measured 0.86) and a noun with none to 0.55.
_BASE = 0.6
_PATTERN = {"verb": 0.1, "multi": 0.0, "noun": -0.05}
_SOURCE = {"dictionary": 0.1, "entity": 0.1, "agent": -0.15}
_TARGET = {True: 0.05, False: -0.1}
_NOT_ASSERTED = -0.05


def features(nominal: bool, multi: bool, source: Actor, target: Actor | None, status: str
             ) -> tuple[str, str, bool, bool]:
    """Return (pattern kind, source evidence, has target, asserted) of a coded event."""
    pattern = "noun" if nominal else ("multi" if multi else "verb")
    if source.country and source.sector and not source.entity_id:
        evidence = "dictionary"
    elif source.entity_id:
        evidence = "entity"
    else:
        evidence = "agent"
    return pattern, evidence, target is not None, status == "asserted"


def confidence(nominal: bool, multi: bool, source: Actor, target: Actor | None, status: str) -> float:
    """Return the event's confidence in [0.05, 0.95] (see the module docstring)."""
    pattern, evidence, has_target, asserted = features(nominal, multi, source, target, status)
    value = _BASE + _PATTERN[pattern] + _SOURCE[evidence] + _TARGET[has_target]
    value += 0.0 if asserted else _NOT_ASSERTED
    return round(min(max(value, 0.05), 0.95), 2)
