"""CAMEO code -> PLOVER type and mode.

Written for newsgraph from the PLOVER codebook's category definitions (Open
Event Data Alliance, PLOVER manual, draft 0.8, 2021), which places each CAMEO
category in a PLOVER one. Where the codebook's own text is more specific than
its conversion table, the text wins, as in our lexicon: an embargo or
sanction (CAMEO 163) is SANCTION, not COERCE.

CAMEO 01 (public statements) has no PLOVER category: a statement is no event.
CAMEO 02 (appeals) is REQUEST, as PLOVER merges appeals and demands.
"""

from __future__ import annotations

import functools

__all__ = ["plover_of", "coded_as"]

# Two-digit CAMEO roots.
_ROOT = {
    "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
    "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN",
    "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT",
    "20": "ASSAULT",
}
# Codes (prefixes) whose PLOVER category is not their root's.
_TYPE = {
    "084": "RETREAT", "085": "RETREAT", "086": "RETREAT", "087": "RETREAT", "0813": "RETREAT", "0814": "RETREAT",
    "175": "ASSAULT", "1712": "ASSAULT", "191": "COERCE", "192": "COERCE",
}
# Modes by code prefix; the longest prefix wins.
_MODE = {
    "041": "phone", "042": "visit", "043": "visit", "044": "third-party",
    "0841": "release", "0842": "return", "085": "ease", "086": "access", "087": "disarm", "0871": "ceasefire",
    "0872": "withdraw",
    "09": "investigate",
    "021": "assist", "022": "assist", "023": "assist", "024": "change", "025": "yield", "026": "meet", "027": "meet",
    "028": "meet",
    "101": "assist", "102": "assist", "103": "assist", "104": "change", "105": "change", "1051": "yield",
    "1052": "yield", "1053": "yield", "1054": "yield", "1055": "yield", "1056": "yield", "106": "meet",
    "107": "meet", "108": "meet",
    "110": "disapprove", "111": "disapprove", "112": "disapprove", "1121": "allege", "1122": "allege",
    "1123": "allege", "1124": "allege", "1125": "allege", "113": "disapprove", "114": "allege", "115": "allege",
    "116": "disapprove",
    "121": "assist", "122": "assist", "123": "change", "124": "change", "1243": "yield", "1244": "yield",
    "1245": "yield", "1246": "yield", "125": "meet", "126": "meet", "127": "meet", "128": "yield", "129": "yield",
    "1311": "relations", "1312": "restrict", "1313": "relations", "132": "ban", "133": "relations",
    "134": "relations", "135": "relations", "136": "expel", "137": "violence", "138": "violence",
    "1381": "restrict", "1382": "territory", "139": "relations",
    "141": "demo", "142": "hunger", "143": "boycott", "144": "obstruct", "145": "riot",
    "151": "police", "152": "troops", "153": "police", "154": "troops",
    "161": "withdraw", "162": "discontinue", "163": "restrict", "164": "withdraw", "165": "withdraw",
    "166": "expel",
    "171": "seize", "172": "restrict", "1722": "ban", "1723": "curfew", "1724": "martial-law", "173": "arrest",
    "174": "deport", "191": "restrict", "192": "seize",
    "181": "abduct", "182": "beat", "1821": "sexual", "1822": "torture", "183": "suicide-attack",
    "1832": "explosives", "1833": "explosives", "184": "abduct", "185": "assassinate", "186": "assassinate",
    "193": "firearms", "194": "heavy-weapons", "195": "heavy-weapons", "200": "massacre", "201": "cleansing",
    "202": "massacre", "203": "cleansing", "204": "unconventional",
}


def _by_prefix(table: dict[str, str], code: str) -> str | None:
    for n in range(len(code), 1, -1):
        hit = table.get(code[:n])
        if hit is not None:
            return hit
    return None


@functools.lru_cache(maxsize=1024)
def plover_of(cameo: str | None) -> tuple[str, str | None] | None:
    """Return (PLOVER type, mode or None) of a CAMEO code, or None when no PLOVER category exists."""
    code = (cameo or "").strip()
    if len(code) < 2 or not code[:2].isdigit():
        return None
    etype = _by_prefix(_TYPE, code) or _ROOT.get(code[:2])
    if etype is None:
        return None
    return etype, _by_prefix(_MODE, code)


def coded_as(code: str, user: bool) -> tuple[str, str | None] | None:
    """Return (type, mode) a dictionary code is stored with: its PLOVER category; ``OTHER`` for a
    user's code that has none (the user asked for it); None for a built-in one (no event)."""
    return plover_of(code) or (("OTHER", None) if user else None)
