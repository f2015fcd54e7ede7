"""``Database``: the one owner of a newsgraph DuckDB file.

DuckDB allows a single process to hold a file read-write (and then no other
process can even read it), so one ``Database`` owns the connection, serialises
writes behind a lock, and every other part of newsgraph goes through it.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from ..models import Actor, Article, Caption, DateExpression, Entity, Event, Failure, Mention, Place, Quote, Role
from .canonical import link_entities
from .schema import MIGRATIONS, SCHEMA_VERSION, TABLES

__all__ = ["Database", "DEFAULT_DB"]

DEFAULT_DB = "newsgraph.duckdb"


def _spans(rows) -> tuple[tuple[int, int], ...]:
    return tuple((s, e) for s, e in rows)


def _actor_row(actor: Actor | None) -> list:
    if actor is None:
        return [None] * 6
    return [actor.text, *(actor.span or (None, None)), actor.entity_id, actor.country, actor.sector]


def _actor(row) -> Actor | None:
    text, start, end, entity_id, country, sector = row
    if text is None:
        return None
    return Actor(text, (start, end) if start is not None else None, entity_id, country, sector)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Database:
    """A newsgraph store in one DuckDB file (created and migrated on open)."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.Lock()
        if read_only and not self.path.exists():
            raise StoreError("no such database file", source=str(self.path))
        if not read_only and self.path.parent and not self.path.parent.exists():
            raise StoreError("the folder for the database file does not exist", source=str(self.path))
        try:
            self.conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as err:
            if "lock" in str(err).lower():
                raise StoreError(
                    "the database is in use by another process (stop the other 'newsgraph ingest' "
                    "or 'newsgraph serve' first)",
                    source=str(self.path),
                ) from None
            raise StoreError(f"cannot open database ({err})", source=str(self.path)) from None
        except duckdb.Error as err:
            raise StoreError(f"not a DuckDB database ({err})", source=str(self.path)) from None
        self._migrate()

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        """Return the schema version of the open file (0 for an empty file)."""
        exists = self.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not exists:
            return 0
        return self.conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {current} is newer than this newsgraph ({SCHEMA_VERSION}); upgrade newsgraph",
                source=str(self.path),
            )
        if current == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError(
                f"database schema version {current} needs migrating to {SCHEMA_VERSION}; open it once read-write",
                source=str(self.path),
            )
        with self._lock:
            if current == 0:
                self.conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self.conn.execute("BEGIN TRANSACTION")
                try:
                    for statement in MIGRATIONS[version]:
                        self.conn.execute(statement)
                    self.conn.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                    self.conn.execute("COMMIT")
                except duckdb.Error:
                    self.conn.execute("ROLLBACK")
                    raise

    # -- runs and failures ------------------------------------------------------------

    def start_run(self, info: dict[str, str], command: str | None = None) -> str:
        """Record a new run (pipeline and model versions) and return its id."""
        run_id = uuid.uuid4().hex[:12]
        with self._lock:
            self.conn.execute(
                "INSERT INTO runs (run_id, started_at, command, pipeline_version, model, model_version) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, _now(), command, info["pipeline_version"], info["model"], info["model_version"]],
            )
        return run_id

    def finish_run(self, run_id: str, stored: int, duplicates: int, failed: int) -> None:
        with self._lock:
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, stored = ?, duplicates = ?, failed = ? WHERE run_id = ?",
                [_now(), stored, duplicates, failed, run_id],
            )

    def add_failure(self, run_id: str, failure: Failure) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT INTO failures VALUES (?, ?, ?, ?, ?)",
                [run_id, failure.source, failure.error, failure.message, _now()],
            )

    # -- articles -----------------------------------------------------------------------

    def has_source(self, source_hash: str) -> bool:
        """Return True if an article read from exactly these bytes is stored."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE source_hash = ? LIMIT 1", [source_hash]).fetchone()
        return row is not None

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def add_article(self, article: Article, run_id: str) -> bool:
        """Store ``article`` with its annotations; return False (and change nothing) if it is stored."""
        with self._lock:
            if self.has_article(article.id):
                return False
            self.conn.execute("BEGIN TRANSACTION")
            try:
                self._insert_article(article, run_id)
                self.conn.execute("COMMIT")
            except duckdb.Error as err:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"cannot store article {article.id} ({err})", source=article.source) from None
        return True

    def _insert_article(self, a: Article, run_id: str) -> None:
        c = self.conn
        c.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [a.id, a.source, a.source_hash, a.url, a.title, a.dek, a.byline, a.site, a.published, a.language,
             a.tone, a.text, [list(p) for p in a.paragraphs], list(a.boilerplate), run_id, _now()],
        )
        if a.captions:
            c.executemany(
                "INSERT INTO captions VALUES (?, ?, ?, ?, ?)",
                [[a.id, i, cap.alt, cap.text, cap.credit] for i, cap in enumerate(a.captions)],
            )
        if a.entities:
            c.executemany(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                [[a.id, e.id, e.name, e.type, list(e.aliases)] for e in a.entities],
            )
            mentions = [[a.id, e.id, m.start, m.end, m.text] for e in a.entities for m in e.mentions]
            if mentions:
                c.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?)", mentions)
        roles = [[a.id, e.id, i, r.title, r.organisation, *(r.span or (None, None))]
                 for e in a.entities for i, r in enumerate(e.roles)]
        if roles:
            c.executemany("INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?, ?)", roles)
        if a.quotes:
            c.executemany(
                "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[a.id, q.id, q.kind, " ... ".join(a.text[s:e] for s, e in q.content),
                  [list(s) for s in q.content], [list(s) for s in q.source], [list(s) for s in q.cue],
                  q.cue_word, q.speaker_id, q.speaker, q.confidence, q.tone] for q in a.quotes],
            )
        link_entities(c, a.id, a.entities)
        if a.dates:
            c.executemany(
                "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[a.id, d.id, d.text, *(d.span or (None, None)), d.value, d.granularity] for d in a.dates],
            )
        if a.places:
            c.executemany(
                "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[a.id, p.id, p.name, [list(m) for m in p.mentions], p.country, p.admin1, p.latitude, p.longitude,
                  p.geonameid, p.feature] for p in a.places],
            )
        if a.events:
            c.executemany(
                "INSERT INTO events VALUES (" + ", ".join("?" * 28) + ")",
                [[a.id, e.id, e.type, e.mode, e.cameo, e.status, *_actor_row(e.source), *_actor_row(e.target),
                  *e.trigger, *e.evidence, e.date, e.date_id, e.place, e.place_id, e.quote_id, e.confidence]
                 for e in a.events],
            )

    def get_article(self, article_id: str) -> Article | None:
        """Return the stored ``Article`` with this id, or None."""
        row = self.conn.execute(
            "SELECT id, source, source_hash, url, title, dek, byline, site, published, language, text, "
            "paragraphs, boilerplate, tone FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        (aid, source, source_hash, url, title, dek, byline, site, published, language, text,
         paragraphs, boilerplate, tone) = row
        captions = tuple(
            Caption(alt, ctext, credit)
            for alt, ctext, credit in self.conn.execute(
                "SELECT alt, text, credit FROM captions WHERE article_id = ? ORDER BY idx", [aid]
            ).fetchall()
        )
        mentions: dict[str, list[Mention]] = {}
        for eid, start, end, mtext in self.conn.execute(
            "SELECT entity_id, start_char, end_char, text FROM mentions WHERE article_id = ? ORDER BY start_char",
            [aid],
        ).fetchall():
            mentions.setdefault(eid, []).append(Mention(start, end, mtext))
        roles: dict[str, list[Role]] = {}
        for eid, role_title, org, start, end in self.conn.execute(
            "SELECT entity_id, title, organisation, start_char, end_char FROM roles WHERE article_id = ? "
            "ORDER BY entity_id, idx", [aid]
        ).fetchall():
            roles.setdefault(eid, []).append(Role(role_title, org, (start, end) if start is not None else None))
        entities = tuple(
            Entity(eid, name, etype, tuple(aliases), tuple(mentions.get(eid, ())), tuple(roles.get(eid, ())))
            for eid, name, etype, aliases in self.conn.execute(
                "SELECT entity_id, name, type, aliases FROM entities WHERE article_id = ? "
                "ORDER BY CAST(regexp_extract(entity_id, '[0-9]+') AS INTEGER)",
                [aid],
            ).fetchall()
        )
        quotes = tuple(
            Quote(qid, kind, _spans(content), _spans(cue), _spans(source), cue_word, speaker_id, speaker, confidence,
                  qtone)
            for qid, kind, content, cue, source, cue_word, speaker_id, speaker, confidence, qtone in self.conn.execute(
                "SELECT quote_id, kind, content_spans, cue_spans, source_spans, cue_word, speaker_entity_id, "
                "speaker, confidence, tone FROM quotes WHERE article_id = ? "
                "ORDER BY CAST(regexp_extract(quote_id, '[0-9]+') AS INTEGER)",
                [aid],
            ).fetchall()
        )
        dates = tuple(
            DateExpression(did, dtext, (start, end) if start is not None else None, value, granularity)
            for did, dtext, start, end, value, granularity in self.conn.execute(
                "SELECT date_id, text, start_char, end_char, value, granularity FROM dates WHERE article_id = ? "
                "ORDER BY CAST(regexp_extract(date_id, '[0-9]+') AS INTEGER)", [aid]
            ).fetchall()
        )
        places = tuple(
            Place(pid, name, _spans(mentions), country, admin1, lat, lon, geonameid, feature)
            for pid, name, mentions, country, admin1, lat, lon, geonameid, feature in self.conn.execute(
                "SELECT place_id, name, mentions, country, admin1, latitude, longitude, geonameid, feature "
                "FROM places WHERE article_id = ? ORDER BY CAST(regexp_extract(place_id, '[0-9]+') AS INTEGER)", [aid]
            ).fetchall()
        )
        events = tuple(
            Event(row[0], row[1], (row[17], row[18]), (row[19], row[20]), row[2], row[3], _actor(row[5:11]),
                  _actor(row[11:17]), row[4], *row[21:])
            for row in self.conn.execute(
                "SELECT event_id, type, mode, cameo, status, source_text, source_start, source_end, source_entity_id, "
                "source_country, source_sector, target_text, target_start, target_end, target_entity_id, "
                "target_country, target_sector, trigger_start, trigger_end, evidence_start, evidence_end, date, "
                "date_id, place, place_id, quote_id, confidence FROM events WHERE article_id = ? "
                "ORDER BY CAST(regexp_extract(event_id, '[0-9]+') AS INTEGER)", [aid]
            ).fetchall()
        )
        return Article(
            id=aid, source=source, source_hash=source_hash, url=url, title=title, dek=dek, byline=byline,
            site=site, published=published.isoformat() if published else None, language=language, text=text,
            paragraphs=tuple((s, e) for s, e in paragraphs), boilerplate=tuple(boilerplate),
            captions=captions, entities=entities, quotes=quotes, events=events, dates=dates, places=places,
            tone=tone,
        )

    # -- queries -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        """Return the rows of a read query (parameters only; never format values into ``sql``)."""
        return self.conn.execute(sql, params or []).fetchall()
