"""``Database``: the one owner of a newsgraph DuckDB file.

DuckDB allows a single process to hold a file read-write (and then no other
process can even read it), so one ``Database`` owns the connection, serialises
writes behind a lock, and every other part of newsgraph goes through it.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError, StoreLockedError
from ..libc import limit_malloc_arenas
from ..models import Actor, Article, Caption, DateExpression, Entity, Event, Failure, Mention, Place, Quote, Role
from .canonical import link_entities
from .fingerprint import NEAR_DUPLICATE_SIMILARITY, band_keys, signature, similarity
from .schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from .sql import insert_rows

__all__ = ["Database", "DEFAULT_DB", "OUTCOMES"]

#: What a run did with one input, as the journal records it.
OUTCOMES = ("stored", "copy", "duplicate", "failed")

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


#: The articles table's columns, in the order ``_article_rows`` gives them.
_ARTICLE_COLUMNS = (
    "id", "source", "source_hash", "url", "title", "dek", "byline", "site", "published", "language", "tone",
    "text", "paragraphs", "boilerplate", "run_id", "ingested_at", "copy_of", "copy_similarity", "genre",
    "political_share", "annotations", "final_url", "fetched_at",
)

#: The parts of ``Article.to_dict()`` the ``annotations`` column holds: what the annotation tables hold.
_ANNOTATIONS = ("captions", "entities", "quotes", "events", "dates", "places")


def _annotations(a: Article | None) -> str:
    """Return the ``annotations`` column of article ``a`` (None: a copy, whose original's annotations stand)."""
    record = a.to_dict() if a is not None else {}
    return json.dumps({key: record.get(key, []) for key in _ANNOTATIONS}, ensure_ascii=False)

# Rows that may be there already: a journal entry of a resumed run, a URL seen before.
_INSERT_SUFFIX = {"journal": "ON CONFLICT DO NOTHING", "urls": "ON CONFLICT DO NOTHING"}


def _timestamp(value: str | None) -> datetime | None:
    """Return an ISO 8601 time (``Z`` or an offset: converted to UTC) as a naive UTC ``datetime``."""
    if not value:
        return None
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def _url_rows(source: str, urls, article_id: str | None, outcome: str) -> list[list]:
    """Return ``urls`` rows for the web URLs among ``urls`` (canonical form, each once)."""
    from ..ingest.web.urls import canonical_url, is_web_url

    found = dict.fromkeys(canonical_url(u) for u in (source, *urls) if u and is_web_url(u))
    return [[url, article_id, outcome, _now()] for url in found]


def _article_rows(rows: dict[str, list[list]], a: Article, run_id: str, original: tuple[str, float] | None) -> None:
    """Add the rows of article ``a`` to ``rows`` (table -> rows): only its article row if it is a copy."""
    def add(table: str, new: list[list]) -> None:
        if new:
            rows.setdefault(table, []).extend(new)

    add("articles", [[a.id, a.source, a.source_hash, a.url, a.title, a.dek, a.byline, a.site, a.published,
                      a.language, a.tone, a.text, [list(p) for p in a.paragraphs], list(a.boilerplate), run_id,
                      _now(), *(original or (None, None)), a.genre, a.political_share,
                      _annotations(None if original else a), a.final_url, _timestamp(a.fetched_at)]])
    if original:
        return  # a copy: its original's annotations stand for it
    add("captions", [[a.id, i, cap.alt, cap.text, cap.credit] for i, cap in enumerate(a.captions)])
    add("entities", [[a.id, e.id, e.name, e.type, list(e.aliases), e.confidence] for e in a.entities])
    add("mentions", [[a.id, e.id, m.start, m.end, m.text] for e in a.entities for m in e.mentions])
    add("roles", [[a.id, e.id, i, r.title, r.organisation, *(r.span or (None, None))]
                  for e in a.entities for i, r in enumerate(e.roles)])
    add("quotes", [
        [a.id, q.id, q.kind, " ... ".join(a.text[s:e] for s, e in q.content), [list(s) for s in q.content],
         [list(s) for s in q.source], [list(s) for s in q.cue], q.cue_word, q.speaker_id, q.speaker,
         q.confidence, q.tone, q.speaker_confidence] for q in a.quotes])
    add("dates", [[a.id, d.id, d.text, *(d.span or (None, None)), d.value, d.granularity] for d in a.dates])
    add("places", [
        [a.id, p.id, p.name, [list(m) for m in p.mentions], p.country, p.admin1, p.latitude, p.longitude,
         p.geonameid, p.feature] for p in a.places])
    add("events", [
        [a.id, e.id, e.type, e.mode, e.cameo, e.status, *_actor_row(e.source), *_actor_row(e.target),
         *e.trigger, *e.evidence, e.date, e.date_id, e.place, e.place_id, e.quote_id, e.confidence]
        for e in a.events])


class _Originals:
    """The stored originals a batch's articles may be near-duplicate copies of.

    Read with two queries (articles sharing a band key, and their
    signatures); the batch's own originals join as they are stored.
    """

    def __init__(self, conn, keys: set[int]) -> None:
        self.by_key: dict[int, set[str]] = {}
        self.signatures: dict[str, list[int]] = {}
        if not keys:
            return
        for key, article_id in conn.execute(
            "SELECT key, article_id FROM fingerprint_bands WHERE key IN (SELECT unnest(?::UBIGINT[]))", [sorted(keys)]
        ).fetchall():
            self.by_key.setdefault(key, set()).add(article_id)
        ids = sorted(set().union(*self.by_key.values())) if self.by_key else []
        if ids:
            self.signatures.update(conn.execute(
                "SELECT article_id, signature FROM fingerprints WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids]).fetchall())

    def nearest(self, sig: list[int], keys: list[int]) -> tuple[str, float] | None:
        """Return (id, similarity) of the original most similar to ``sig`` (band ``keys``) if near enough."""
        best = None
        for article_id in sorted(set().union(*(self.by_key.get(k, ()) for k in keys))):
            score = similarity(sig, self.signatures[article_id])
            if score >= NEAR_DUPLICATE_SIMILARITY and (best is None or score > best[1]):
                best = (article_id, score)
        return best

    def add(self, article_id: str, sig: list[int], keys: list[int]) -> None:
        self.signatures[article_id] = sig
        for key in keys:
            self.by_key.setdefault(key, set()).add(article_id)


class Database:
    """A newsgraph store in one DuckDB file (created and migrated on open)."""

    _owner = True  # False for a ``cursor()``: it shares the owner's open file and cannot reopen it

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.Lock()
        if read_only and not self.path.exists():
            raise StoreError("no such database file", source=str(self.path))
        if not read_only and self.path.parent and not self.path.parent.exists():
            raise StoreError("the folder for the database file does not exist", source=str(self.path))
        limit_malloc_arenas()  # before DuckDB's threads allocate: see libc.STORE_ARENAS
        self.conn = self._connect()
        self._migrate()

    def _connect(self):
        try:
            return duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as err:
            if "lock" in str(err).lower():
                raise StoreLockedError(
                    "the database is in use by another process (stop the other 'newsgraph ingest' "
                    "or 'newsgraph serve' first)",
                    source=str(self.path),
                ) from None
            raise StoreError(f"cannot open database ({err})", source=str(self.path)) from None
        except duckdb.Error as err:
            raise StoreError(f"not a DuckDB database ({err})", source=str(self.path)) from None

    # -- lifecycle -----------------------------------------------------------------

    def reconnect(self) -> None:
        """Close and reopen the file, which hands back the memory DuckDB keeps while a database is open.

        A long ingest calls this now and then (``run.batch``): DuckDB keeps every
        table block a query has read in its buffer pool (up to its memory limit,
        most of the machine's memory), and the writer's look-ups (stored ids,
        near-duplicate bands) read blocks from all over the store, so a connection
        held open grows with the store. Another process that opens the file in the
        moment between is refused as usual, and this call retries for a few seconds
        before it gives up. A ``cursor()`` does nothing: the owner's file stays open.
        """
        if not self._owner:
            return
        with self._lock:
            self.conn.close()
            for attempt in range(50):
                try:
                    self.conn = self._connect()
                    return
                except StoreLockedError:
                    if attempt == 49:
                        raise
                    time.sleep(0.1)

    def close(self) -> None:
        self.conn.close()

    def cursor(self) -> Database:
        """Return a ``Database`` on the same open file with a connection of its own, for use from another thread.

        A DuckDB connection must not run two statements at once; ``conn.cursor()``
        is a second connection to the same database that may, and sees what the
        owner commits. Writes through it share the owner's lock. Closing it leaves
        the owner open; closing (or ``reconnect``-ing) the owner invalidates it.
        """
        other = Database.__new__(Database)
        other.path, other.read_only, other._lock = self.path, self.read_only, self._lock
        other.conn = self.conn.cursor()
        other._owner = False
        return other

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
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self.conn.execute("BEGIN TRANSACTION")
                try:
                    self.conn.execute(
                        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
                    )
                    for step in MIGRATIONS[version]:
                        step(self.conn) if callable(step) else self.conn.execute(step)
                    self.conn.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                    self.conn.execute("COMMIT")
                except duckdb.Error:
                    self.conn.execute("ROLLBACK")
                    raise

    # -- runs and failures ------------------------------------------------------------

    def start_run(self, info: dict[str, str], command: str | None = None, run_key: str | None = None) -> str:
        """Record a new run (pipeline and model versions) and return its id.

        ``run_key`` identifies the run's inputs and options: ``unfinished_run``
        finds the run again if it is stopped before ``finish_run``.
        """
        run_id = uuid.uuid4().hex[:12]
        with self._lock:
            self.conn.execute(
                "INSERT INTO runs (run_id, started_at, command, pipeline_version, model, model_version, run_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [run_id, _now(), command, info["pipeline_version"], info["model"], info["model_version"], run_key],
            )
        return run_id

    def unfinished_run(self, run_key: str) -> str | None:
        """Return the id of the latest run with ``run_key`` that never finished (killed), or None."""
        row = self.conn.execute(
            "SELECT run_id, finished_at FROM runs WHERE run_key = ? ORDER BY started_at DESC LIMIT 1", [run_key]
        ).fetchone()
        return row[0] if row and row[1] is None else None

    def finish_run(self, run_id: str, complete: bool = True) -> dict[str, int]:
        """Record the run's totals from the journal (and, if ``complete``, that it finished); return them.

        An incomplete run (stopped by Ctrl-C or an error) keeps ``finished_at``
        empty, so running its command again resumes it.
        """
        with self._lock:
            counts = dict.fromkeys(OUTCOMES, 0)
            counts.update(self.conn.execute(
                "SELECT outcome, count(*) FROM journal WHERE run_id = ? GROUP BY outcome", [run_id]
            ).fetchall())
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, stored = ?, duplicates = ?, failed = ? WHERE run_id = ?",
                [_now() if complete else None, counts["stored"] + counts["copy"], counts["duplicate"],
                 counts["failed"], run_id],
            )
        return counts

    def settled(self, run_id: str, source: str) -> bool:
        """Return True if the run's journal has an outcome for the input ``source``."""
        return self.conn.execute(
            "SELECT 1 FROM journal WHERE run_id = ? AND source = ?", [run_id, source]
        ).fetchone() is not None

    def settled_count(self, run_id: str) -> int:
        return self.conn.execute("SELECT count(*) FROM journal WHERE run_id = ?", [run_id]).fetchone()[0]

    def _journal(self, run_id: str, source: str, outcome: str, article_id: str | None = None) -> None:
        # Inside the caller's transaction: the journal row commits with what the input produced.
        insert_rows(self.conn, "journal", [[run_id, source, outcome, article_id]], _INSERT_SUFFIX["journal"])

    def _transaction(self, work, source: str, what: str) -> None:
        """Run ``work()`` in one transaction under the write lock; a DuckDB error becomes a ``StoreError``."""
        with self._lock:
            self.conn.execute("BEGIN TRANSACTION")
            try:
                work()
                self.conn.execute("COMMIT")
            except duckdb.Error as err:
                self.conn.execute("ROLLBACK")
                raise StoreError(f"cannot store {what} ({err})", source=source) from None
            except BaseException:  # Ctrl-C mid-write: nothing of it stays
                self.conn.execute("ROLLBACK")
                raise

    def add_failure(self, run_id: str, failure: Failure) -> None:
        """Record a failed input (and journal it for the run); a URL that failed for good is not fetched again."""
        def work() -> None:
            self.conn.execute(
                "INSERT INTO failures VALUES (?, ?, ?, ?, ?)",
                [run_id, failure.source, failure.error, failure.message, _now()],
            )
            self._journal(run_id, failure.source, "failed")
            if not failure.transient:
                insert_rows(self.conn, "urls", _url_rows(failure.source, (), None, "failed"), _INSERT_SUFFIX["urls"])

        self._transaction(work, failure.source, "failure")

    def add_duplicate(self, run_id: str, source: str) -> None:
        """Journal an input skipped because its bytes are stored already."""
        def work() -> None:
            self._journal(run_id, source, "duplicate")
            insert_rows(self.conn, "urls", _url_rows(source, (), None, "duplicate"), _INSERT_SUFFIX["urls"])

        self._transaction(work, source, "journal entry")

    # -- collection: the fetch log, settled URLs, watched sources ------------------------

    def add_fetches(self, run_id: str | None, records) -> None:
        """Append ``FetchRecord``s (``ingest.web.fetch``) to the fetch log."""
        rows = [[run_id, r.url, r.purpose, r.origin, r.status, r.bytes, r.started_at, r.seconds, r.error]
                for r in records]
        if rows:
            self._transaction(lambda: insert_rows(self.conn, "fetches", rows), rows[0][1], "fetch log")

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Return those of ``urls`` (canonical form) that a run settled for good: stored, duplicate or failed."""
        if not urls:
            return set()
        return {r[0] for r in self.conn.execute(
            "SELECT url FROM urls WHERE url IN (SELECT unnest(?::VARCHAR[]))", [list(urls)]).fetchall()}

    def source_state(self, url: str) -> tuple[tuple[str | None, str | None] | None, list[str]]:
        """Return what a watched source last answered with: ``(etag, last_modified)`` or None, and its sitemaps."""
        row = self.conn.execute("SELECT etag, last_modified, sitemaps FROM web_sources WHERE url = ?",
                                [url]).fetchone()
        if row is None:
            return None, []
        validators = (row[0], row[1]) if row[0] is not None or row[1] is not None else None
        return validators, list(row[2] or [])

    def set_source_state(self, url: str, kind: str | None, status: int | None, links: int | None,
                         error: str | None, validators: tuple[str | None, str | None] | None = None,
                         sitemaps: list[str] | None = None) -> None:
        """Record what a check of a watched source found.

        Its validators and sitemaps are kept unless new ones are given (a 304, an error, a round whose
        links must be listed again give none).
        """
        etag, modified = validators or (None, None)
        new = validators is not None

        def work() -> None:
            self.conn.execute(
                "INSERT INTO web_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "kind = coalesce(excluded.kind, web_sources.kind), "
                "etag = CASE WHEN ? THEN excluded.etag ELSE web_sources.etag END, "
                "last_modified = CASE WHEN ? THEN excluded.last_modified ELSE web_sources.last_modified END, "
                "sitemaps = CASE WHEN ? THEN excluded.sitemaps ELSE web_sources.sitemaps END, "
                "checked_at = excluded.checked_at, status = excluded.status, links = excluded.links, "
                "error = excluded.error",
                [url, kind, etag, modified, _now(), status, links, error, sitemaps, new, new, sitemaps is not None])

        self._transaction(work, url, "source state")

    # -- articles -----------------------------------------------------------------------

    def has_source(self, source_hash: str) -> bool:
        """Return True if an article read from exactly these bytes is stored."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE source_hash = ? LIMIT 1", [source_hash]).fetchone()
        return row is not None

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def copy_of(self, article_id: str) -> str | None:
        """Return the id of the article that ``article_id`` is a near-duplicate copy of, or None."""
        row = self.conn.execute("SELECT copy_of FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    def add_article(self, article: Article, run_id: str) -> str:
        """Store ``article`` and journal its source for the run, in one transaction; return the outcome.

        - ``"stored"``: the article and all its annotations;
        - ``"copy"``: a near-duplicate of a stored article (``store.fingerprint``):
          the article row with ``copy_of`` naming the original, whose quotes,
          events and entities are not stored again (so never counted twice);
        - ``"duplicate"``: an article with this id is stored; nothing changes.
        """
        return self.add_articles([article], run_id)[0]

    def add_articles(self, articles: Sequence[Article], run_id: str) -> list[str]:
        """Store ``articles`` in order, and journal their sources, in one transaction; return each outcome.

        The store ends as if each had gone through ``add_article`` in turn (a
        later one can be a duplicate or a copy of an earlier one), but with a
        few statements for the whole batch: DuckDB's cost is mostly per
        statement (about 1 ms each), not per row.
        """
        outcomes: list[str] = []

        def work() -> None:
            outcomes.clear()
            ids = sorted({a.id for a in articles})
            stored = {r[0] for r in self.conn.execute(
                "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()}
            # Signatures of the new articles only; a repeated id is a duplicate of the first.
            sigs = {a.id: signature(a.text) for a in articles if a.id not in stored}
            keys = {aid: band_keys(sig) if sig else [] for aid, sig in sigs.items()}
            originals = _Originals(self.conn, {k for ks in keys.values() for k in ks})
            rows: dict[str, list[list]] = {}
            annotated: list[Article] = []
            journal: dict[str, list] = {}
            for a in articles:
                outcome = "duplicate"
                if a.id not in stored:
                    stored.add(a.id)
                    sig = sigs[a.id]
                    original = originals.nearest(sig, keys[a.id]) if sig else None
                    _article_rows(rows, a, run_id, original)
                    if not original:
                        annotated.append(a)
                        if sig:  # only originals are looked up: a copy's copy links to the original
                            originals.add(a.id, sig, keys[a.id])
                            rows.setdefault("fingerprints", []).append([a.id, sig])
                            rows.setdefault("fingerprint_bands", []).extend([key, a.id] for key in keys[a.id])
                    outcome = "copy" if original else "stored"
                journal.setdefault(a.source, [run_id, a.source, outcome, a.id])
                rows.setdefault("urls", []).extend(_url_rows(a.source, (a.url, a.final_url), a.id, outcome))
                outcomes.append(outcome)
            if annotated:
                rows["entity_links"] = link_entities(self.conn, [(a.id, a.entities) for a in annotated])
            rows["journal"] = list(journal.values())
            rows["urls"] = list({row[0]: row for row in rows.get("urls", [])}.values())
            for table, table_rows in rows.items():
                insert_rows(self.conn, table, table_rows, _INSERT_SUFFIX.get(table, ""),
                            columns=_ARTICLE_COLUMNS if table == "articles" else None)

        first = articles[0]
        what = f"article {first.id}" if len(articles) == 1 else f"{len(articles)} articles from {first.source} on"
        self._transaction(work, first.source, what)
        return outcomes

    def get_article(self, article_id: str) -> Article | None:
        """Return the stored ``Article`` with this id, or None."""
        row = self.conn.execute(
            "SELECT id, source, source_hash, url, title, dek, byline, site, published, language, text, "
            "paragraphs, boilerplate, tone, genre, political_share, annotations, final_url, fetched_at "
            "FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return None
        (aid, source, source_hash, url, title, dek, byline, site, published, language, text,
         paragraphs, boilerplate, tone, genre, political_share, annotations, final_url, fetched_at) = row
        fetched_at = fetched_at.isoformat() + "Z" if fetched_at else None
        if annotations is not None:  # one row holds it all (schema migration 6)
            return Article.from_dict({
                **json.loads(annotations), "id": aid, "source": source, "source_hash": source_hash, "url": url,
                "final_url": final_url, "fetched_at": fetched_at,
                "title": title, "dek": dek, "byline": byline, "site": site,
                "published": published.isoformat() if published else None, "language": language, "text": text,
                "paragraphs": paragraphs, "boilerplate": boilerplate, "tone": tone, "genre": genre,
                "political_share": political_share,
            })
        # Stored before migration 6: read from the annotation tables.
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
            Entity(eid, name, etype, tuple(aliases), tuple(mentions.get(eid, ())), tuple(roles.get(eid, ())),
                   confidence if confidence is not None else 0.5)
            for eid, name, etype, aliases, confidence in self.conn.execute(
                "SELECT entity_id, name, type, aliases, confidence FROM entities WHERE article_id = ? "
                "ORDER BY CAST(regexp_extract(entity_id, '[0-9]+') AS INTEGER)",
                [aid],
            ).fetchall()
        )
        quotes = tuple(
            Quote(qid, kind, _spans(content), _spans(cue), _spans(source), cue_word, speaker_id, speaker, confidence,
                  qtone, speaker_confidence)
            for qid, kind, content, cue, source, cue_word, speaker_id, speaker, confidence, qtone, speaker_confidence
            in self.conn.execute(
                "SELECT quote_id, kind, content_spans, cue_spans, source_spans, cue_word, speaker_entity_id, "
                "speaker, confidence, tone, speaker_confidence FROM quotes WHERE article_id = ? "
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
            tone=tone, genre=genre, political_share=political_share, final_url=final_url, fetched_at=fetched_at,
        )

    # -- queries -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        """Return the rows of a read query (parameters only; never format values into ``sql``)."""
        return self.conn.execute(sql, params or []).fetchall()
