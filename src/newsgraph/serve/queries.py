"""Read queries over a newsgraph store, each returning plain dicts.

These functions are the one place the API (``app.py``), a later web UI and
the tests ask the store questions, so each question is written once. Rules:

- values reach SQL only as parameters; the only names formatted into SQL are
  sort keys looked up in a fixed table (``ENTITY_SORTS``), never user text;
- every list returns ``{"items": [...], "total": N}`` with ``total`` counted
  before ``limit``/``offset``;
- dates are ISO strings of any precision (``2026``, ``2026-03``,
  ``2026-03-09``). A record matches ``date_from``/``date_to`` when its date,
  cut to the precision of the bound (and the bound cut to the precision of a
  partial event date such as ``2026-03``), lies inside: so ``from=2026-03-05``
  keeps an event dated ``2026-03`` (the month overlaps the range);
- text filters (``q`` on quotes, entity names, actors, places) are
  case-insensitive substring matches; article ``q`` is full text
  (``search.ArticleSearch``).

Callers validate input shapes (dates, limits) before calling; an unknown sort
raises ``ValueError``.
"""

from __future__ import annotations

import re
from typing import Any

from ..store import TABLES, Database
from .search import ArticleSearch

__all__ = [
    "ENTITY_SORTS",
    "DATE_PATTERN",
    "check_date",
    "list_articles",
    "get_article",
    "list_entities",
    "get_entity",
    "list_quotes",
    "list_events",
    "event_timeline",
    "event_types",
    "stats",
]

#: Sort names accepted by ``list_entities`` -> the SQL they stand for.
ENTITY_SORTS = {
    "mentions": "mentions DESC, articles DESC, c.name",
    "quotes": "quotes DESC, mentions DESC, c.name",
    "articles": "articles DESC, mentions DESC, c.name",
    "name": "c.name, c.canonical_id",
}

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Characters of article text shown either side of a role's evidence span.
CONTEXT_CHARS = 80


def check_date(value: str) -> str:
    """Return ``value`` if it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a real month and day; else raise ValueError."""
    from datetime import date

    if not DATE_PATTERN.match(value):
        raise ValueError(f"date '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        raise ValueError(f"date '{value}' is not a real date") from None
    return value


def _rows(db: Database, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) for k, v in row.items()}


def _page(
    db: Database, sql: str, where: list[str], params: list[Any], order: str, limit: int, offset: int,
    order_params: list[Any] | None = None,
) -> dict:
    # One query for the page and its total: count(*) OVER () is computed before LIMIT.
    # Parameters bind in text order: WHERE values, then any in ORDER BY, then limit/offset.
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = _rows(db, f"{sql}{clause} ORDER BY {order} LIMIT ? OFFSET ?", [*params, *(order_params or []), limit, offset])
    total = rows[0]["_total"] if rows else _count(db, sql, clause, params)
    for row in rows:
        del row["_total"]
    return {"items": [_clean(r) for r in rows], "total": total, "limit": limit, "offset": offset}


def _count(db: Database, sql: str, clause: str, params: list[Any]) -> int:
    # Only when the page is empty (offset past the end): count the matches without it.
    return db.query(f"SELECT count(*) FROM ({sql}{clause})", params)[0][0]


def _keyed_page(
    db: Database, source: str, keys: str, rows: str, where: list[str], params: list[Any], order: str, limit: int,
    offset: int,
) -> dict:
    """Return a page like ``_page``, choosing the page's keys first and reading its full rows after.

    For lists of many rows joined to large tables (quotes with their speakers'
    links): the filter, sort and limit run over ``keys`` of ``source`` only, the
    joins of ``rows`` over the page's rows (``page``), and the total is counted
    apart, only when the page is full. ``count(*) OVER ()`` in ``_page`` would
    keep every match, with all its joins, until the sort: on a 10,000-article
    store (196,000 quotes; benchmarks/latency.py) the /quotes page's default
    list (173,750 quotes of confidence >= 0.6) took 0.46 s of CPU, now 0.06 s.
    """
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    page = f"SELECT {keys} FROM {source}{clause} ORDER BY {order} LIMIT ? OFFSET ?"
    items = _rows(db, f"WITH page AS ({page}) {rows} ORDER BY {order}", [*params, limit, offset])
    if items and len(items) < limit:
        total = offset + len(items)
    elif items or offset:
        total = db.query(f"SELECT count(*) FROM {source}{clause}", params)[0][0]
    else:
        total = 0
    return {"items": [_clean(r) for r in items], "total": total, "limit": limit, "offset": offset}


def _date_range(column: str, date_from: str | None, date_to: str | None, where: list[str], params: list[Any]) -> None:
    # Compare at the coarser of the two precisions (see the module docstring).
    if date_from:
        where.append(f"left({column}, length(?)) >= left(?, length({column}))")
        params += [date_from, date_from]
    if date_to:
        where.append(f"left({column}, length(?)) <= left(?, length({column}))")
        params += [date_to, date_to]


# -- articles ------------------------------------------------------------------------------

_ARTICLE_LIST = """
SELECT a.id, a.title, a.dek, a.byline, a.site AS outlet, a.url, a.published, a.language, a.tone,
       a.source, a.ingested_at, a.copy_of,
       (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
       (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events,
       (SELECT count(*) FROM entities n WHERE n.article_id = a.id) AS entities,
       count(*) OVER () AS _total
FROM articles a"""


def list_articles(
    db: Database,
    search: ArticleSearch | None = None,
    q: str | None = None,
    outlet: str | None = None,
    language: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "published",
) -> dict:
    """Return ``{"items", "total", ...}``: article summaries, by relevance when ``q`` is given, else newest first.

    ``sort``: ``published`` (newest published first) or ``stored`` (the most recently stored first).
    """
    where: list[str] = []
    params: list[Any] = []
    order = "a.ingested_at DESC, a.id" if sort == "stored" else "a.published DESC NULLS LAST, a.ingested_at DESC, a.id"
    if q:
        if search is None:
            raise ValueError("full-text search needs an ArticleSearch")
        ids = search.ids(q, db=db)
        if not ids:
            return {"items": [], "total": 0, "limit": limit, "offset": offset}
        where.append("list_contains(?, a.id)")
        params.append(ids)
        order = "list_position(?, a.id), a.id"
    if outlet:
        where.append("lower(a.site) = lower(?)")
        params.append(outlet)
    if language:
        where.append("lower(a.language) = lower(?)")
        params.append(language)
    _date_range("CAST(a.published AS VARCHAR)", date_from, date_to, where, params)
    return _page(db, _ARTICLE_LIST, where, params, order, limit, offset, [ids] if q else None)


def get_article(db: Database, article_id: str) -> dict | None:
    """Return the article's full record (``Article.to_dict()``) plus canonical links, run info and copies, or None.

    A near-duplicate copy has ``copy_of`` (the original's id) and no annotations
    of its own; an original lists its ``copies`` (id, outlet, title, url).
    """
    article = db.get_article(article_id)
    if article is None:
        return None
    record = article.to_dict()
    links = dict(db.query("SELECT entity_id, canonical_id FROM entity_links WHERE article_id = ?", [article_id]))
    for entity in record["entities"]:
        entity["canonical_id"] = links.get(entity["id"])
    meta = _rows(db, "SELECT run_id, ingested_at, copy_of, copy_similarity FROM articles WHERE id = ?",
                 [article_id])[0]
    record.update(_clean(meta))
    record["copies"] = [_clean(r) for r in _rows(
        db, "SELECT id, site AS outlet, title, url, published FROM articles WHERE copy_of = ? ORDER BY published, id",
        [article_id])]
    return record


# -- entities ------------------------------------------------------------------------------

_ENTITY_LIST = """
WITH m AS (SELECT l.canonical_id, count(*) AS n FROM mentions x
           JOIN entity_links l ON l.article_id = x.article_id AND l.entity_id = x.entity_id GROUP BY 1),
     q AS (SELECT l.canonical_id, count(*) AS n FROM quotes x
           JOIN entity_links l ON l.article_id = x.article_id AND l.entity_id = x.speaker_entity_id GROUP BY 1),
     a AS (SELECT canonical_id, count(DISTINCT article_id) AS n FROM entity_links GROUP BY 1),
     k AS (SELECT l.canonical_id, max(x.confidence) AS confidence FROM entities x
           JOIN entity_links l ON l.article_id = x.article_id AND l.entity_id = x.entity_id GROUP BY 1)
SELECT c.canonical_id, c.name, c.type, c.aliases,
       coalesce(a.n, 0) AS articles, coalesce(m.n, 0) AS mentions, coalesce(q.n, 0) AS quotes,
       k.confidence,
       count(*) OVER () AS _total
FROM canonical_entities c
LEFT JOIN k ON k.canonical_id = c.canonical_id
LEFT JOIN a ON a.canonical_id = c.canonical_id
LEFT JOIN m ON m.canonical_id = c.canonical_id
LEFT JOIN q ON q.canonical_id = c.canonical_id"""


def list_entities(
    db: Database,
    type: str | None = None,
    q: str | None = None,
    sort: str = "mentions",
    limit: int = 20,
    offset: int = 0,
    min_confidence: float | None = None,
) -> dict:
    """Return ``{"items", "total", ...}``: canonical entities with article, mention and quote counts.

    ``sort="quotes"`` lists the most quoted speakers first; ``q`` matches the
    name or any alias as a substring, names that start with ``q`` first. An
    entity's ``confidence`` is the highest of its article entities'.
    """
    if sort not in ENTITY_SORTS:
        raise ValueError(f"unknown sort '{sort}' (choose from {', '.join(ENTITY_SORTS)})")
    where: list[str] = []
    params: list[Any] = []
    order = ENTITY_SORTS[sort]
    if type:
        where.append("c.type = upper(?)")
        params.append(type)
    if q:
        where.append("(contains(lower(c.name), lower(?)) OR contains(lower(array_to_string(c.aliases, '|')), lower(?)))")
        params += [q, q]
        order = f"starts_with(lower(c.name), lower(?)) DESC, {order}"
    _min_confidence("k.confidence", min_confidence, where, params)
    return _page(db, _ENTITY_LIST, where, params, order, limit, offset, [q] if q else None)


def get_entity(db: Database, canonical_id: str) -> dict | None:
    """Return one canonical entity with its roles per article (with evidence), quotes, events and articles, or None."""
    rows = _rows(db, "SELECT canonical_id, name, type, aliases FROM canonical_entities WHERE canonical_id = ?",
                 [canonical_id])
    if not rows:
        return None
    entity = rows[0]
    roles = _rows(
        db,
        """SELECT r.article_id, a.title AS article_title, a.site AS outlet, a.published, r.entity_id,
                  r.title, r.organisation, r.start_char, r.end_char,
                  CASE WHEN r.start_char IS NOT NULL
                       THEN substring(a.text, r.start_char + 1, r.end_char - r.start_char) END AS evidence,
                  CASE WHEN r.start_char IS NOT NULL
                       THEN substring(a.text, greatest(r.start_char - ?, 0) + 1,
                                      r.end_char - greatest(r.start_char - ?, 0) + ?) END AS context
           FROM roles r
           JOIN entity_links l ON l.article_id = r.article_id AND l.entity_id = r.entity_id
           JOIN articles a ON a.id = r.article_id
           WHERE l.canonical_id = ?
           ORDER BY a.published NULLS LAST, r.article_id, r.idx""",
        [CONTEXT_CHARS, CONTEXT_CHARS, CONTEXT_CHARS, canonical_id],
    )
    quotes = list_quotes(db, speaker=canonical_id, limit=1000, order="time")["items"]
    events = list_events(db, actor=canonical_id, limit=1000, order="time")["items"]
    articles = _rows(
        db,
        """SELECT a.id, a.title, a.site AS outlet, a.published, list(DISTINCT l.entity_id) AS entity_ids,
                  (SELECT count(*) FROM mentions m JOIN entity_links k USING (article_id, entity_id)
                   WHERE k.canonical_id = ? AND m.article_id = a.id) AS mentions
           FROM entity_links l JOIN articles a ON a.id = l.article_id
           WHERE l.canonical_id = ? GROUP BY ALL ORDER BY a.published NULLS LAST, a.id""",
        [canonical_id, canonical_id],
    )
    entity.update(
        roles=[_clean(r) for r in roles],
        quotes=quotes,
        events=events,
        articles=[_clean(a) for a in articles],
    )
    return entity


# -- quotes --------------------------------------------------------------------------------

# A page of quotes: keys chosen from quotes and articles, then each row's speaker link and name.
_QUOTE_SOURCE = "quotes q JOIN articles a ON a.id = q.article_id"
_QUOTE_ROWS = """
SELECT q.article_id, q.quote_id, q.kind, q.text, q.cue_word, q.speaker, q.speaker_entity_id,
       l.canonical_id AS speaker_id, c.name AS speaker_name, q.confidence, q.speaker_confidence, q.tone,
       q.content_spans, q.source_spans, q.cue_spans,
       a.title AS article_title, a.site AS outlet, a.published
FROM page
JOIN quotes q USING (article_id, quote_id)
JOIN articles a ON a.id = q.article_id
LEFT JOIN entity_links l ON l.article_id = q.article_id AND l.entity_id = q.speaker_entity_id
LEFT JOIN canonical_entities c ON c.canonical_id = l.canonical_id"""

_QUOTE_ORDERS = {
    "recent": "a.published DESC NULLS LAST, q.article_id, CAST(regexp_extract(q.quote_id, '[0-9]+') AS INTEGER)",
    "time": "a.published NULLS LAST, q.article_id, CAST(regexp_extract(q.quote_id, '[0-9]+') AS INTEGER)",
}


def list_quotes(
    db: Database,
    speaker: str | None = None,
    q: str | None = None,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
    order: str = "recent",
    min_confidence: float | None = None,
) -> dict:
    """Return ``{"items", "total", ...}``: quotes with their speaker's canonical id and name and their article.

    ``speaker`` is a canonical id (exact) or a name (substring of the
    canonical name or of the speaker text as written); ``q`` a substring of the
    quoted words; ``min_confidence`` keeps quotes at least that sure.
    """
    where: list[str] = []
    params: list[Any] = []
    if speaker:
        # The speaker's link and name are looked up for the matches only (EXISTS), not joined to every quote.
        where.append(
            "(contains(lower(q.speaker), lower(?)) OR EXISTS (SELECT 1 FROM entity_links l "
            "JOIN canonical_entities c ON c.canonical_id = l.canonical_id "
            "WHERE l.article_id = q.article_id AND l.entity_id = q.speaker_entity_id "
            "AND (l.canonical_id = ? OR contains(lower(c.name), lower(?)))))"
        )
        params += [speaker, speaker, speaker]
    if q:
        where.append("contains(lower(q.text), lower(?))")
        params.append(q)
    if outlet:
        where.append("lower(a.site) = lower(?)")
        params.append(outlet)
    _min_confidence("q.confidence", min_confidence, where, params)
    _date_range("CAST(a.published AS VARCHAR)", date_from, date_to, where, params)
    return _keyed_page(db, _QUOTE_SOURCE, "q.article_id, q.quote_id", _QUOTE_ROWS, where, params,
                       _QUOTE_ORDERS[order], limit, offset)


def _min_confidence(column: str, value: float | None, where: list[str], params: list[Any]) -> None:
    if value is not None:
        where.append(f"{column} >= ?")
        params.append(value)


# -- events --------------------------------------------------------------------------------

_EVENT_LIST = """
SELECT e.article_id, e.event_id, e.type, e.mode, e.cameo, e.status,
       e.source_text, e.source_entity_id, ls.canonical_id AS source_id, e.source_country, e.source_sector,
       e.target_text, e.target_entity_id, lt.canonical_id AS target_id, e.target_country, e.target_sector,
       e.date, e.place, e.place_id, e.quote_id, e.confidence,
       e.trigger_start, e.trigger_end, e.evidence_start, e.evidence_end,
       substring(a.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger,
       substring(a.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) AS evidence,
       a.title AS article_title, a.site AS outlet, a.published,
       count(*) OVER () AS _total
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN entity_links ls ON ls.article_id = e.article_id AND ls.entity_id = e.source_entity_id
LEFT JOIN entity_links lt ON lt.article_id = e.article_id AND lt.entity_id = e.target_entity_id"""

_EVENT_ORDERS = {
    "recent": "coalesce(e.date, CAST(a.published AS VARCHAR)) DESC NULLS LAST, e.article_id, "
    "CAST(regexp_extract(e.event_id, '[0-9]+') AS INTEGER)",
    "time": "coalesce(e.date, CAST(a.published AS VARCHAR)) NULLS LAST, e.article_id, "
    "CAST(regexp_extract(e.event_id, '[0-9]+') AS INTEGER)",
}


def list_events(
    db: Database,
    type: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    limit: int = 20,
    offset: int = 0,
    order: str = "recent",
    min_confidence: float | None = None,
) -> dict:
    """Return ``{"items", "total", ...}``: events with both actors, trigger and evidence text, and their article.

    ``actor`` is a canonical id (exact, either side) or text (substring of
    either actor as written); ``country`` a code matched on either side;
    ``date_from``/``date_to`` filter on the event's own date value, so events
    with no date are left out when either is given.
    """
    where, params = _event_filters(type, actor, country, date_from, date_to, place, min_confidence)
    return _page(db, _EVENT_LIST, where, params, _EVENT_ORDERS[order], limit, offset)


def _event_filters(
    type: str | None, actor: str | None, country: str | None, date_from: str | None, date_to: str | None,
    place: str | None, min_confidence: float | None = None,
) -> tuple[list[str], list[Any]]:
    # Shared by list_events and event_timeline, so a page's list and its chart filter alike.
    where: list[str] = []
    params: list[Any] = []
    if type:
        where.append("e.type = upper(?)")
        params.append(type)
    if actor:
        where.append(
            "(ls.canonical_id = ? OR lt.canonical_id = ? "
            "OR contains(lower(e.source_text), lower(?)) OR contains(lower(e.target_text), lower(?)))"
        )
        params += [actor] * 4
    if country:
        where.append("(e.source_country = upper(?) OR e.target_country = upper(?))")
        params += [country, country]
    if place:
        where.append("contains(lower(e.place), lower(?))")
        params.append(place)
    _min_confidence("e.confidence", min_confidence, where, params)
    _date_range("e.date", date_from, date_to, where, params)
    return where, params


def event_timeline(
    db: Database,
    type: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    min_confidence: float | None = None,
) -> list[dict]:
    """Return ``[{"date", "events"}]``: how many matching events carry each date value, oldest first (undated left out).

    Filters mean what they mean in ``list_events``; dates keep their own
    precision (``2026-03`` and ``2026-03-09`` are separate rows).
    """
    where, params = _event_filters(type, actor, country, date_from, date_to, place, min_confidence)
    where.append("e.date IS NOT NULL")
    sql = f"SELECT e.date, count(*) AS events FROM ({_EVENT_LIST} WHERE {' AND '.join(where)}) e GROUP BY 1 ORDER BY 1"
    return _rows(db, sql, params)


def event_types(db: Database) -> list[dict]:
    """Return ``[{"type", "events"}]``: how many events of each type are stored, most first."""
    return _rows(db, "SELECT type, count(*) AS events FROM events GROUP BY 1 ORDER BY 2 DESC, 1")


# -- network ---------------------------------------------------------------------------------


def network(db: Database, search: ArticleSearch | None = None, q: str | None = None, limit: int = 40) -> dict:
    """Return ``{"nodes", "edges"}``: who acts on whom (events) and which outlets quote whom, for a query.

    Edges join canonical entities (an event's source and target, asserted or
    not) and outlets to the speakers they quote, weighted by how often; only
    the ``limit`` heaviest edges are kept. ``q`` narrows to the articles the
    full-text search finds (all articles without it).
    """
    where, params = [], []
    if q:
        if search is None:
            raise ValueError("full-text search needs an ArticleSearch")
        ids = search.ids(q, db=db)
        if not ids:
            return {"nodes": [], "edges": []}
        where.append("list_contains(?, x.article_id)")
        params.append(ids)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    acts = _rows(db, f"""
        SELECT cs.canonical_id AS source, cs.name AS source_label, cs.type AS source_type,
               ct.canonical_id AS target, ct.name AS target_label, ct.type AS target_type,
               count(*) AS weight, string_agg(DISTINCT x.type, ', ') AS label
        FROM events x
        JOIN entity_links ls ON ls.article_id = x.article_id AND ls.entity_id = x.source_entity_id
        JOIN entity_links lt ON lt.article_id = x.article_id AND lt.entity_id = x.target_entity_id
        JOIN canonical_entities cs ON cs.canonical_id = ls.canonical_id
        JOIN canonical_entities ct ON ct.canonical_id = lt.canonical_id
        {clause} GROUP BY ALL HAVING cs.canonical_id <> ct.canonical_id""", params)
    quoted = _rows(db, f"""
        SELECT 'outlet:' || coalesce(a.site, 'unknown outlet') AS source,
               coalesce(a.site, 'unknown outlet') AS source_label, 'OUTLET' AS source_type,
               c.canonical_id AS target, c.name AS target_label, c.type AS target_type,
               count(*) AS weight, 'quotes' AS label
        FROM quotes x JOIN articles a ON a.id = x.article_id
        JOIN entity_links l ON l.article_id = x.article_id AND l.entity_id = x.speaker_entity_id
        JOIN canonical_entities c ON c.canonical_id = l.canonical_id
        {clause} GROUP BY ALL""", params)
    edges = [{**e, "kind": "acts on"} for e in acts] + [{**e, "kind": "quotes"} for e in quoted]
    edges.sort(key=lambda e: (-e["weight"], e["source_label"], e["target_label"]))
    edges = edges[:limit]
    nodes: dict[str, dict] = {}
    for e in edges:
        for side in ("source", "target"):
            nodes.setdefault(e[side], {"id": e[side], "label": e[f"{side}_label"], "type": e[f"{side}_type"]})
    return {"nodes": list(nodes.values()),
            "edges": [{k: e[k] for k in ("source", "target", "kind", "weight", "label")} for e in edges]}


# -- stats ---------------------------------------------------------------------------------


def stats(db: Database, search: ArticleSearch | None = None, top: int = 10) -> dict:
    """Return row counts per table, articles per outlet and language, the top speakers and the search backend."""
    outlets = _rows(
        db, "SELECT site AS outlet, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST"
    )
    languages = _rows(db, "SELECT language, count(*) AS articles FROM articles GROUP BY 1 ORDER BY 2 DESC, 1")
    span = _rows(db, "SELECT min(published) AS first, max(published) AS last FROM articles")[0]
    speakers = [
        {k: r[k] for k in ("canonical_id", "name", "type", "quotes", "articles")}
        for r in list_entities(db, sort="quotes", limit=top)["items"]
        if r["quotes"]
    ]
    return {
        "counts": {t: c for t, c in db.counts().items() if t in TABLES},
        "outlets": outlets,
        "languages": languages,
        "published": _clean(span),
        "top_speakers": speakers,
        "event_types": event_types(db),
        "search": search.info() if search else None,
        "read_only": db.read_only,
    }

