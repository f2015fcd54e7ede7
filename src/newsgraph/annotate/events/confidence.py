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

# Calibrated on PLOVER-GSR dev (see the module docstring): P(type right | feature).
_BASE = 0.55
_PATTERN = {"multi": 0.15, "verb": 0.1, "noun": 0.0}
_SOURCE = {"dictionary": 0.15, "entity": 0.1, "agent": 0.0}
_TARGET = 0.05
_NOT_ASSERTED = -0.05


def features(c, source: Actor, target: Actor | None) -> tuple[str, str, bool, bool]:
    """Return (pattern kind, source evidence, has target, asserted) of a coded event."""
    pattern = "noun" if c.nominal else ("multi" if len(c.words) > 1 else "verb")
    if source.country and source.sector and not source.entity_id:
        evidence = "dictionary"
    elif source.entity_id:
        evidence = "entity"
    else:
        evidence = "agent"
    return pattern, evidence, target is not None, c.status == "asserted"


def confidence(c, source: Actor, target: Actor | None) -> float:
    """Return the event's confidence in [0.05, 0.95] (see the module docstring)."""
    pattern, evidence, has_target, asserted = features(c, source, target)
    value = _BASE + _PATTERN[pattern] + _SOURCE[evidence] + (_TARGET if has_target else 0.0)
    value += 0.0 if asserted else _NOT_ASSERTED
    return round(min(max(value, 0.05), 0.95), 2)
