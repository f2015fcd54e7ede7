"""Step 0b: is this page about political or social interaction at all?

Product reviews, recipes, sports reports, self-help and science pages supplied
most of the false events on real pages: their verbs ("offers", "allows",
"defeated") are the dictionary's, and their subjects are named entities. A
page's genre is read from how much of it the dictionaries recognise as
politics: the share of its sentences that name a dictionary actor (a state, a
capital, an office holder, an international or armed body) or a political
agent (government, military, police, opposition, rebels, parties,
legislators, judges, international bodies, refugees); a country or city named
alone does not count (concert tours and car launches name them too). Events are coded only on
pages whose share reaches ``MIN_POLITICAL_SHARE``; pages too short to tell
(fewer than ``MIN_SENTENCES`` sentences: a single sentence, a caption) are not
judged, and each of their sentences stands on its own.

Calibration: on the 91 English pages of ``extraction/dev`` (many outlets,
nobody tuned the coder on them), the political and public-affairs pages
(elections, trade, courts, migration, protests, war) scored 0.18 to 0.88, and
product, recipe, lifestyle, sports, culture and markets pages 0.00 to 0.17,
except four of science and crime news at 0.20 to 0.24 (``benchmarks/genre.py``
prints the list). 0.18 keeps every political page there. The share is stored
with the article, so a user can draw the line elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from .dictionaries import Dictionaries, text_words

__all__ = ["MIN_POLITICAL_SHARE", "MIN_SENTENCES", "POLITICAL_SECTORS", "political_code", "political_share",
           "genre_of"]

MIN_POLITICAL_SHARE = 0.18
MIN_SENTENCES = 5
#: Agent sectors of political and social interaction (CAMEO codes): state, armed, opposition and
#: international actors, refugees, and labour (strikes are social conflict); not business, media,
#: health, education or civilians at large. Adding labour moved no dev page across the line.
POLITICAL_SECTORS = frozenset({"GOV", "MIL", "OPP", "REB", "LEG", "JUD", "COP", "IGO", "SPY", "PTY", "ELI", "UAF",
                               "INS", "SEP", "REF", "NGO", "NGM", "IMG", "HRI", "PRI", "LAB"})


def political_code(code: str | None) -> bool:
    """Return whether a Phoenix code names a political actor: an office, an armed or international body.

    A bare country (a place named in a concert tour or a product launch) is not;
    nor are multinationals (MNC) or business, media and other civilian sectors.
    """
    if not code or len(code) <= 3:
        return False
    head, rest = code[:3].upper(), code[3:].upper()
    if head in {"IGO", "NGO", "NGM", "IMG", "UAF"}:
        return True
    if head == "MNC":
        return False
    return rest[:3] in POLITICAL_SECTORS


def _political(words: tuple[str, ...], dicts: Dictionaries) -> bool:
    n = len(words)
    top = max(dicts.max_actor_words, dicts.max_agent_words)
    plain = tuple(w.rstrip("\u00b7") for w in words)
    starts = dicts.starts
    for i in range(n):
        if plain[i] not in starts:
            continue
        for j in range(min(n, i + top), i, -1):
            key = words[i:j] if j - i == 1 else plain[i:j]
            actor = dicts.actors.get(key)
            if actor is not None and any(political_code(c) for c in (actor.default, *(d[0] for d in actor.dated))):
                return True
            agent = dicts.agents.get(key)
            if agent is not None and agent.strip("~")[:3] in POLITICAL_SECTORS:
                return True
    return False


def political_share(sentences: Iterable[str], dicts: Dictionaries) -> tuple[float, int]:
    """Return (share of sentences naming a political actor or agent, number of sentences of 4+ words)."""
    counted = hits = 0
    for text in sentences:
        words = text_words(text)
        if len(words) < 4:
            continue  # headings, bylines, captions' credits
        counted += 1
        hits += _political(words, dicts)
    return (hits / counted if counted else 0.0), counted


def genre_of(doc: Doc, dicts: Dictionaries) -> tuple[str | None, float | None]:
    """Return (genre, political share) of ``doc``: ``political``, ``other``, or (None, None) when too short."""
    share, n = political_share((s.text for s in doc.sents), dicts)
    if n < MIN_SENTENCES:
        return None, None
    return ("political" if share >= MIN_POLITICAL_SHARE else "other"), round(share, 3)
