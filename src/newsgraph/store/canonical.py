"""Link each article's entities to canonical entities across the corpus.

"Vladimir Putin" in one article, "Putin" in another and "Vladimir Putin"
again are one canonical person with one stable id. Rules, per entity (dates
are not linked):

1. a canonical entity of the same type already known by this name or one of
   its aliases (normalised: case, leading "the", possessive);
2. a person named by one word only ("Putin") joins the one known person
   whose surname that is (several: it stays apart, as the article does not
   say which);
3. a person with a full name joins a person so far known only by that
   surname, whose display name then becomes the fuller one;
4. otherwise a new canonical entity, whose id is a hash of type and name, so
   the same input gives the same ids in any order of first sight on any engine.

Ids never change once given; names and aliases only grow. Limits: two
different people with the same full name are one; a surname shared by two
known people links to neither.
"""

from __future__ import annotations

import hashlib

from ..annotate.entities import _normalise
from ..models import Entity

__all__ = ["link_entities", "canonical_id"]

_SURNAME = "~"


def canonical_id(etype: str, key: str) -> str:
    """Return the stable id of a canonical entity first seen as ``key`` with type ``etype``."""
    return "C" + hashlib.sha256(f"{etype}\t{key}".encode("utf-8")).hexdigest()[:15]


def _lookup(conn, etype: str, key: str) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT canonical_id FROM canonical_keys WHERE type = ? AND key = ?", [etype, key]
    ).fetchall()
    return [r[0] for r in rows]


def _keys(entity: Entity) -> set[str]:
    """Return the normalised forms an entity is known by.

    A person's one-word aliases ("Ferris") are surnames that other people
    share: they are kept under the surname key instead (rule 2).
    """
    keys = {_normalise(entity.name)}
    for alias in entity.aliases:
        key = _normalise(alias)
        if entity.type != "PERSON" or len(key.split()) > 1:
            keys.add(key)
    return {k for k in keys if k}


def link_entities(conn, article_id: str, entities: tuple[Entity, ...]) -> dict[str, str]:
    """Link ``entities`` to canonical entities (creating them as needed); return entity id -> canonical id.

    Runs inside the caller's transaction on ``conn``.
    """
    links: dict[str, str] = {}
    for entity in entities:
        if entity.type == "DATE":
            continue
        keys = _keys(entity)
        name_key = _normalise(entity.name)
        words = name_key.split()
        found = next((ids[0] for k in sorted(keys) if (ids := _lookup(conn, entity.type, k))), None)
        if found is None and entity.type == "PERSON" and len(words) == 1:
            candidates = _lookup(conn, "PERSON", _SURNAME + words[0])
            found = candidates[0] if len(candidates) == 1 else None
        upgrade = False
        if found is None and entity.type == "PERSON" and len(words) > 1:
            known = [c for c in _lookup(conn, "PERSON", words[-1]) if _is_surname_only(conn, c)]
            if len(known) == 1:
                found, upgrade = known[0], True
        if found is None:
            found = canonical_id(entity.type, name_key)
            conn.execute(
                "INSERT INTO canonical_entities VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [found, entity.name, entity.type, []],
            )
        _add_forms(conn, found, entity, keys, upgrade)
        links[entity.id] = found
    if links:
        conn.executemany(
            "INSERT INTO entity_links VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [[article_id, eid, cid] for eid, cid in links.items()],
        )
    return links


def _is_surname_only(conn, cid: str) -> bool:
    name = conn.execute("SELECT name FROM canonical_entities WHERE canonical_id = ?", [cid]).fetchone()[0]
    return len(_normalise(name).split()) == 1


def _add_forms(conn, cid: str, entity: Entity, keys: set[str], upgrade: bool) -> None:
    name, aliases = conn.execute(
        "SELECT name, aliases FROM canonical_entities WHERE canonical_id = ?", [cid]
    ).fetchone()
    forms = {name, *aliases, entity.name, *entity.aliases}
    if upgrade or len(entity.name) > len(name) and _normalise(entity.name).endswith(_normalise(name)):
        name = entity.name
    new_aliases = sorted(f for f in forms if _normalise(f) != _normalise(name))
    conn.execute(
        "UPDATE canonical_entities SET name = ?, aliases = ? WHERE canonical_id = ?", [name, new_aliases, cid]
    )
    known = {k for (k,) in conn.execute(
        "SELECT key FROM canonical_keys WHERE canonical_id = ?", [cid]).fetchall()}
    new = set(keys)
    if entity.type == "PERSON":
        words = _normalise(entity.name).split()
        if len(words) > 1:
            new.add(_SURNAME + words[-1])
    rows = [[entity.type, k, cid] for k in sorted(new - known)]
    if rows:
        conn.executemany("INSERT INTO canonical_keys VALUES (?, ?, ?)", rows)
