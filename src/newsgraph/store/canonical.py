"""Link each article's entities to canonical entities across the corpus.

"Vladimir Putin" in one article, "Putin" in another and "Vladimir Putin"
again are one canonical person with one stable id. Rules, per entity (dates
are not linked):

1. a canonical entity of the same type already known by this name or one of
   its aliases (normalised: case, leading "the", possessive), or, for a
   country, by another of its names ("U.S.", "United States": one key from
   ``annotate.entities.identity_key``);
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
from collections.abc import Sequence

from ..annotate.entities import _normalise, identity_key
from ..models import Entity
from .sql import insert_rows

__all__ = ["link_entities", "canonical_id"]

_SURNAME = "~"


def canonical_id(etype: str, key: str) -> str:
    """Return the stable id of a canonical entity first seen as ``key`` with type ``etype``."""
    return "C" + hashlib.sha256(f"{etype}\t{key}".encode("utf-8")).hexdigest()[:15]


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
    keys.add(identity_key(entity.name, entity.type))  # "U.S." and "United States" are one country
    return {k for k in keys if k}


class _Known:
    """What the store knows of the canonical entities a batch of articles' entities may link to.

    Read with a few queries up front, then kept up to date in memory while the
    entities are linked one by one, and written back at the end: a handful of
    statements per batch instead of several per entity.
    """

    def __init__(self, conn, lookups: set[tuple[str, str]], new_ids: set[str]) -> None:
        self.conn = conn
        self.ids: dict[tuple[str, str], set[str]] = {}  # (type, key) -> canonical ids
        keys = sorted({key for _, key in lookups})
        if keys:
            for etype, key, cid in conn.execute(
                "SELECT type, key, canonical_id FROM canonical_keys WHERE key IN (SELECT unnest(?::VARCHAR[]))", [keys]
            ).fetchall():
                if (etype, key) in lookups:
                    self.ids.setdefault((etype, key), set()).add(cid)
        self.entities: dict[str, list] = {}  # canonical id -> [name, aliases]
        self.keys_of: dict[str, set[str]] = {}  # canonical id -> its keys
        # Also the ids new entities would get: one may exist under another form of the name.
        self._load({cid for ids in self.ids.values() for cid in ids} | new_ids)
        self.created: set[str] = set()
        self.changed: set[str] = set()
        self.new_keys: list[list[str]] = []

    def _load(self, cids: set[str]) -> None:
        cids = sorted(cids - set(self.entities))
        if not cids:
            return
        for cid, name, aliases in self.conn.execute(
            "SELECT canonical_id, name, aliases FROM canonical_entities WHERE canonical_id IN (SELECT unnest(?))", [cids]
        ).fetchall():
            self.entities[cid] = [name, list(aliases)]
            self.keys_of[cid] = set()
        for cid, key in self.conn.execute(
            "SELECT canonical_id, key FROM canonical_keys WHERE canonical_id IN (SELECT unnest(?))", [cids]
        ).fetchall():
            self.keys_of[cid].add(key)

    def lookup(self, etype: str, key: str) -> list[str]:
        return sorted(self.ids.get((etype, key), ()))

    def create(self, cid: str, name: str) -> None:
        if cid not in self.entities:  # else: known already (a name first seen in another form)
            self.entities[cid] = [name, []]
            self.keys_of[cid] = set()
            self.created.add(cid)

    def add_key(self, etype: str, key: str, cid: str) -> None:
        self.ids.setdefault((etype, key), set()).add(cid)
        self.keys_of[cid].add(key)
        self.new_keys.append([etype, key, cid])

    def write(self, etypes: dict[str, str]) -> None:
        insert_rows(self.conn, "canonical_entities",
                    [[cid, *self.entities[cid][:1], etypes[cid], self.entities[cid][1]] for cid in sorted(self.created)],
                    "ON CONFLICT DO NOTHING")
        for cid in sorted(self.changed - self.created):
            name, aliases = self.entities[cid]
            self.conn.execute("UPDATE canonical_entities SET name = ?, aliases = ? WHERE canonical_id = ?",
                              [name, aliases, cid])
        insert_rows(self.conn, "canonical_keys", self.new_keys)


def _lookups(entity: Entity) -> set[tuple[str, str]]:
    """Return the (type, key) pairs linking ``entity`` may look up."""
    pairs = {(entity.type, k) for k in _keys(entity)}
    words = _normalise(entity.name).split()
    if entity.type == "PERSON" and len(words) == 1:
        pairs.add(("PERSON", _SURNAME + words[0]))
    elif entity.type == "PERSON" and len(words) > 1:
        pairs.add(("PERSON", words[-1]))
    return pairs


def link_entities(conn, articles: Sequence[tuple[str, tuple[Entity, ...]]]) -> list[list[str]]:
    """Link each article's entities to canonical entities, creating them as needed, article by article.

    ``articles`` are (article id, entities) pairs; a later article's entities
    can link to canonical entities an earlier one created. Returns the
    ``entity_links`` rows (article id, entity id, canonical id) for the caller
    to insert. Runs inside the caller's transaction on ``conn``.
    """
    articles = [(aid, tuple(e for e in entities if e.type != "DATE")) for aid, entities in articles]
    everyone = [e for _, entities in articles for e in entities]
    known = _Known(conn, set().union(*map(_lookups, everyone)) if everyone else set(),
                   {canonical_id(e.type, _normalise(e.name)) for e in everyone})
    links: list[list[str]] = []
    etypes: dict[str, str] = {}
    for article_id, entities in articles:
        for entity in entities:
            found = _link(known, entity)
            etypes[found] = entity.type
            links.append([article_id, entity.id, found])
    known.write(etypes)
    return links


def _link(known: _Known, entity: Entity) -> str:
    """Return the canonical id ``entity`` links to (rules 1 to 4), recording its names in ``known``."""
    keys = _keys(entity)
    name_key = _normalise(entity.name)
    words = name_key.split()
    found = next((ids[0] for k in sorted(keys) if (ids := known.lookup(entity.type, k))), None)
    if found is None and entity.type == "PERSON" and len(words) == 1:
        candidates = known.lookup("PERSON", _SURNAME + words[0])
        found = candidates[0] if len(candidates) == 1 else None
    upgrade = False
    if found is None and entity.type == "PERSON" and len(words) > 1:
        surname_only = [c for c in known.lookup("PERSON", words[-1])
                        if len(_normalise(known.entities[c][0]).split()) == 1]
        if len(surname_only) == 1:
            found, upgrade = surname_only[0], True
    if found is None:
        found = canonical_id(entity.type, name_key)
        known.create(found, entity.name)
    _add_forms(known, found, entity, keys, upgrade)
    return found


def _add_forms(known: _Known, cid: str, entity: Entity, keys: set[str], upgrade: bool) -> None:
    name, aliases = known.entities[cid]
    forms = {name, *aliases, entity.name, *entity.aliases}
    if upgrade or len(entity.name) > len(name) and _normalise(entity.name).endswith(_normalise(name)):
        name = entity.name
    new_aliases = sorted(f for f in forms if _normalise(f) != _normalise(name))
    if [name, new_aliases] != known.entities[cid]:
        known.entities[cid] = [name, new_aliases]
        known.changed.add(cid)
    new = set(keys)
    if entity.type == "PERSON":
        words = _normalise(entity.name).split()
        if len(words) > 1:
            new.add(_SURNAME + words[-1])
    for key in sorted(new - known.keys_of[cid]):
        known.add_key(entity.type, key, cid)
