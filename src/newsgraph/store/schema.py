"""The DuckDB schema, as numbered migrations.

``MIGRATIONS[n]`` holds the steps that take a store from version ``n - 1``
to ``n``: SQL statements, or functions of the connection where a step must
read the store first. ``Database`` applies the missing migrations in order,
each in its own transaction, and records them in ``schema_version``. Never
edit a released migration: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable

from .sql import insert_rows

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES"]


def _urls_of_stored_articles(conn) -> None:
    """Fill ``urls`` with the canonical URL of every article stored before migration 7."""
    from datetime import datetime, timezone

    from ..ingest.web.urls import canonical_url

    rows = conn.execute("SELECT url, id FROM articles WHERE url IS NOT NULL").fetchall()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    seen = {canonical_url(url): article_id for url, article_id in rows}
    insert_rows(conn, "urls", [[url, article_id, "stored", now] for url, article_id in seen.items()],
                "ON CONFLICT DO NOTHING")


def _without_primary_key(table: str) -> Callable:
    """Return a step that rebuilds ``table`` with the same rows and NOT NULL columns, but no primary key.

    DuckDB cannot drop a constraint in place.
    """
    def step(conn) -> None:
        not_null = [name for (name,) in conn.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND table_name = ? AND NOT is_nullable ORDER BY column_index", [table]).fetchall()]
        conn.execute(f"CREATE TABLE {table}_rebuilt AS FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")
        for name in not_null:
            conn.execute(f"ALTER TABLE {table} ALTER COLUMN {name} SET NOT NULL")

    return step


MIGRATIONS: dict[int, tuple[str | Callable, ...]] = {
    1: (
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            command VARCHAR,
            pipeline_version VARCHAR NOT NULL,
            model VARCHAR NOT NULL,
            model_version VARCHAR NOT NULL,
            stored INTEGER DEFAULT 0,
            duplicates INTEGER DEFAULT 0,
            failed INTEGER DEFAULT 0
        )""",
        """CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            source_hash VARCHAR,
            url VARCHAR,
            title VARCHAR,
            dek VARCHAR,
            byline VARCHAR,
            site VARCHAR,
            published DATE,
            language VARCHAR,
            tone DOUBLE,
            text VARCHAR NOT NULL,
            paragraphs INTEGER[][] NOT NULL,
            boilerplate VARCHAR[] NOT NULL,
            run_id VARCHAR NOT NULL,
            ingested_at TIMESTAMP NOT NULL
        )""",
        "CREATE INDEX articles_source_hash ON articles (source_hash)",
        """CREATE TABLE captions (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            alt VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            credit VARCHAR NOT NULL,
            PRIMARY KEY (article_id, idx)
        )""",
        """CREATE TABLE entities (
            article_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            aliases VARCHAR[] NOT NULL,
            PRIMARY KEY (article_id, entity_id)
        )""",
        """CREATE TABLE mentions (
            article_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL
        )""",
        """CREATE TABLE roles (
            article_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            title VARCHAR,
            organisation VARCHAR,
            start_char INTEGER,
            end_char INTEGER
        )""",
        """CREATE TABLE quotes (
            article_id VARCHAR NOT NULL,
            quote_id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            content_spans INTEGER[][] NOT NULL,
            source_spans INTEGER[][] NOT NULL,
            cue_spans INTEGER[][] NOT NULL,
            cue_word VARCHAR,
            speaker_entity_id VARCHAR,
            speaker VARCHAR,
            confidence DOUBLE,
            tone DOUBLE,
            PRIMARY KEY (article_id, quote_id)
        )""",
        # Entities across the corpus: one row per canonical person, organisation or
        # place; ids are stable (never reassigned), names may grow fuller over time.
        """CREATE TABLE canonical_entities (
            canonical_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            aliases VARCHAR[] NOT NULL
        )""",
        # Normalised names and aliases -> canonical entity; "~" + surname for people.
        """CREATE TABLE canonical_keys (
            type VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            canonical_id VARCHAR NOT NULL
        )""",
        "CREATE INDEX canonical_keys_lookup ON canonical_keys (type, key)",
        """CREATE TABLE entity_links (
            article_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            canonical_id VARCHAR NOT NULL,
            PRIMARY KEY (article_id, entity_id)
        )""",
        """CREATE TABLE dates (
            article_id VARCHAR NOT NULL,
            date_id VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            start_char INTEGER,
            end_char INTEGER,
            value VARCHAR,
            granularity VARCHAR,
            PRIMARY KEY (article_id, date_id)
        )""",
        """CREATE TABLE places (
            article_id VARCHAR NOT NULL,
            place_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            mentions INTEGER[][] NOT NULL,
            country VARCHAR,
            admin1 VARCHAR,
            latitude DOUBLE,
            longitude DOUBLE,
            geonameid BIGINT,
            feature VARCHAR,
            PRIMARY KEY (article_id, place_id)
        )""",
        """CREATE TABLE events (
            article_id VARCHAR NOT NULL,
            event_id VARCHAR NOT NULL,
            type VARCHAR NOT NULL,
            mode VARCHAR,
            cameo VARCHAR,
            status VARCHAR NOT NULL,
            source_text VARCHAR,
            source_start INTEGER,
            source_end INTEGER,
            source_entity_id VARCHAR,
            source_country VARCHAR,
            source_sector VARCHAR,
            target_text VARCHAR,
            target_start INTEGER,
            target_end INTEGER,
            target_entity_id VARCHAR,
            target_country VARCHAR,
            target_sector VARCHAR,
            trigger_start INTEGER NOT NULL,
            trigger_end INTEGER NOT NULL,
            evidence_start INTEGER NOT NULL,
            evidence_end INTEGER NOT NULL,
            date VARCHAR,
            date_id VARCHAR,
            place VARCHAR,
            place_id VARCHAR,
            quote_id VARCHAR,
            confidence DOUBLE,
            PRIMARY KEY (article_id, event_id)
        )""",
        """CREATE TABLE failures (
            run_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            error VARCHAR NOT NULL,
            message VARCHAR NOT NULL,
            failed_at TIMESTAMP NOT NULL
        )""",
    ),
    2: (
        # Resumable runs: the inputs and options of a run hash to its key; rerunning
        # the command of an unfinished run continues that run.
        "ALTER TABLE runs ADD COLUMN run_key VARCHAR",
        # The run journal: one row per input a run settled, written in the same
        # transaction as what the input produced, so a killed run loses nothing
        # and a resumed one repeats nothing.
        """CREATE TABLE journal (
            run_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            outcome VARCHAR NOT NULL,
            article_id VARCHAR,
            PRIMARY KEY (run_id, source)
        )""",
        # Near-duplicates (store/fingerprint.py): a copy (wire copy, re-published
        # page) names the article it copies; its annotations are not stored again.
        "ALTER TABLE articles ADD COLUMN copy_of VARCHAR",
        "ALTER TABLE articles ADD COLUMN copy_similarity DOUBLE",
        """CREATE TABLE fingerprints (
            article_id VARCHAR PRIMARY KEY,
            signature UINTEGER[] NOT NULL
        )""",
        # One row per band of each original's signature: articles sharing a key are candidates.
        """CREATE TABLE fingerprint_bands (
            key UBIGINT NOT NULL,
            article_id VARCHAR NOT NULL
        )""",
        "CREATE INDEX fingerprint_bands_key ON fingerprint_bands (key)",
    ),
    3: (
        # Indexes only where a lookup uses one. DuckDB loads a table's whole ART index
        # into memory, where it stays (it cannot be evicted), on the first insert
        # after the file is opened: the writer's memory grew with the store, about
        # 3 KB per stored article (benchmarks/memory.py). These keys and indexes were
        # never read: every article's rows are written once, checked by article id
        # first; no lookup of ours can use a composite key (each filters on
        # article_id alone, and canonical keys are looked up by key, not by type);
        # the band look-up is a join, which scans (as fast with the index as
        # without, measured).
        # Kept: articles (id, source_hash), journal (ON CONFLICT), runs and
        # canonical_entities (ON CONFLICT).
        *(_without_primary_key(table) for table in (
            "captions", "entities", "quotes", "entity_links", "dates", "places", "events", "fingerprints")),
        "DROP INDEX fingerprint_bands_key",
        "DROP INDEX canonical_keys_lookup",
    ),
    4: (
        # The page's genre: events are coded on political pages only (annotate/events/genre.py).
        "ALTER TABLE articles ADD COLUMN genre VARCHAR",
        "ALTER TABLE articles ADD COLUMN political_share DOUBLE",
    ),
    5: (
        # Confidence of every entity and of every quote's speaker link (issue 13).
        "ALTER TABLE entities ADD COLUMN confidence DOUBLE",
        "ALTER TABLE quotes ADD COLUMN speaker_confidence DOUBLE",
    ),
    6: (
        # An article's annotations once more, as one JSON object (``Article.to_dict()``'s captions,
        # entities, quotes, events, dates, places), read with the article by its primary key: a page
        # or ``GET /api/articles/{id}`` reads one row instead of scanning eight annotation tables
        # (no index on article_id, see migration 3): ~20 ms of CPU -> ~3 ms on 10,000 articles. The
        # tables stay what queries, statistics and exports read. NULL for articles stored before.
        "ALTER TABLE articles ADD COLUMN annotations VARCHAR",
    ),
    7: (
        # Collection (issue 15): a fetched article keeps where redirects ended and when it was fetched.
        "ALTER TABLE articles ADD COLUMN final_url VARCHAR",
        "ALTER TABLE articles ADD COLUMN fetched_at TIMESTAMP",
        # The fetch log: every HTTP request (robots.txt, sources, articles, retries, redirect hops).
        """CREATE TABLE fetches (
            run_id VARCHAR,
            url VARCHAR NOT NULL,
            purpose VARCHAR NOT NULL,
            origin VARCHAR,
            status INTEGER,
            bytes BIGINT NOT NULL,
            started_at TIMESTAMP NOT NULL,
            seconds DOUBLE NOT NULL,
            error VARCHAR
        )""",
        # Article URLs settled (canonical form, ingest/web/urls.py): a watch fetches only URLs not here.
        # Stored articles' URLs and final URLs, and URLs that failed for good (404, robots.txt, not HTML).
        """CREATE TABLE urls (
            url VARCHAR PRIMARY KEY,
            article_id VARCHAR,
            outcome VARCHAR NOT NULL,
            seen_at TIMESTAMP NOT NULL
        )""",
        _urls_of_stored_articles,
        # Each watched source: its validators for conditional requests, and what its last check found
        # (for a sitemap index, its sitemaps: checked even when the index itself is not modified).
        """CREATE TABLE web_sources (
            url VARCHAR PRIMARY KEY,
            kind VARCHAR,
            etag VARCHAR,
            last_modified VARCHAR,
            checked_at TIMESTAMP,
            status INTEGER,
            links INTEGER,
            error VARCHAR,
            sitemaps VARCHAR[]
        )""",
    ),
}

SCHEMA_VERSION = max(MIGRATIONS)

TABLES = (
    "runs",
    "articles",
    "captions",
    "entities",
    "mentions",
    "roles",
    "quotes",
    "canonical_entities",
    "canonical_keys",
    "entity_links",
    "dates",
    "places",
    "events",
    "failures",
    "journal",
    "fingerprints",
    "fingerprint_bands",
    "fetches",
    "urls",
    "web_sources",
)
