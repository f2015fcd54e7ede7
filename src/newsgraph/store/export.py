"""Export stored articles as Parquet, CSV, JSON Lines or a GDELT GKG-2.1-like TSV.

1. **check** the format and the output path (nothing is written if either is wrong);
2. **select** the articles (published date range, outlet, explicit ids) into a
   temporary table on a cursor of its own, so the shared connection is untouched;
3. **write** into a hidden sibling of the output, then rename it into place, so a
   failed export never leaves half a folder or half a file behind.

``parquet`` and ``csv`` write one file per table (``EXPORT_TABLES``) through
DuckDB's ``COPY``; ``jsonl`` writes each article's record form
(``Article.to_dict()``, docs/record.md) on one line; ``gkg`` writes one
tab-separated row per article with the 27 columns of GDELT's GKG 2.1, filled
where we have the data (docs/export.md documents every column and how it differs
from GDELT). Limits: the GKG columns are modelled on GDELT, not produced by
GDELT's code; themes, counts, GCAM, images and amounts are left empty.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import StoreError
from ..models import Article
from .database import Database

__all__ = ["EXPORT_TABLES", "FORMATS", "GKG_COLUMNS", "export", "gkg_row"]

FORMATS = ("parquet", "csv", "jsonl", "gkg")
TABLE_FORMATS = ("parquet", "csv")

#: Tables written by the ``parquet`` and ``csv`` formats, with the columns that order their rows.
#: ``runs``, ``failures`` and ``canonical_keys`` are the store's own bookkeeping and stay behind.
EXPORT_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id",),
    "captions": ("article_id", "idx"),
    "entities": ("article_id", "entity_id"),
    "mentions": ("article_id", "start_char", "end_char", "entity_id"),
    "roles": ("article_id", "entity_id", "idx"),
    "quotes": ("article_id", "quote_id"),
    "canonical_entities": ("canonical_id",),
    "entity_links": ("article_id", "entity_id"),
    "dates": ("article_id", "date_id"),
    "places": ("article_id", "place_id"),
    "events": ("article_id", "event_id"),
}

#: The 27 columns of a GDELT GKG 2.1 row, in GDELT's order (the file has no header row).
GKG_COLUMNS = (
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
)

# Entity types that are not names (spaCy's numeric and temporal labels) stay out of V2.1ALLNAMES.
_NOT_NAMES = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}

# GDELT location types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_LOCATION_TYPES = {("country", False): "1", ("country", True): "1", ("admin1", True): "2",
                   ("city", True): "3", ("city", False): "4", ("admin1", False): "5"}

# GDELT's date resolutions: 4 day with year, 2 month and year, 1 year only (3, a day without a
# year, never occurs: our values always carry a year).
_DATE_RESOLUTIONS = {10: 4, 7: 2, 4: 1}


def export(
    db: Database,
    fmt: str,
    out: str | Path,
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    outlet: str | None = None,
    article_ids: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Write the selected articles to ``out`` in format ``fmt`` and return what was written.

    ``since``/``until`` bound the published date (inclusive; articles without one are
    left out when either is given); ``outlet`` matches ``articles.site`` ignoring case;
    ``article_ids`` restricts to those ids (each must be stored). The result is
    ``{"format", "path", "articles", "files": {table: path}, "rows": {table: count}}``.
    Raises ``StoreError`` (or ``InputError`` for a malformed date) before writing
    anything when an argument is wrong or ``out`` exists and is not empty.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format '{fmt}' (choose one of {', '.join(FORMATS)})")
    out = Path(out)
    _check_output(out, folder=fmt in TABLE_FORMATS)
    cur = db.conn.cursor()  # its own connection: the temporary selection table stays private
    try:
        n_articles = _select(cur, db, since, until, outlet, article_ids)
        partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
        try:
            if fmt in TABLE_FORMATS:
                partial.mkdir()
                rows = _write_tables(cur, fmt, partial)
                files = {table: str(out / f"{table}.{fmt}") for table in rows}
            else:
                ids = [row[0] for row in cur.execute("SELECT id FROM _export_ids ORDER BY published NULLS LAST, id")
                       .fetchall()]
                write = _write_jsonl if fmt == "jsonl" else _write_gkg
                rows = {"articles": write(db, ids, partial)}
                files = {"articles": str(out)}
            _move_into_place(partial, out)
        except BaseException:
            if partial.is_dir():
                shutil.rmtree(partial, ignore_errors=True)
            else:
                partial.unlink(missing_ok=True)
            raise
    finally:
        cur.close()
    return {"format": fmt, "path": str(out), "articles": n_articles, "files": files, "rows": rows}


# -- checks and selection ----------------------------------------------------------------


def _check_output(out: Path, folder: bool) -> None:
    if folder:
        if out.exists() and not out.is_dir():
            raise StoreError("output exists and is not a folder (parquet and csv write a folder)", source=str(out))
        if out.is_dir() and any(out.iterdir()):
            raise StoreError("output folder exists and is not empty", source=str(out))
    else:
        if out.is_dir():
            raise StoreError("output is a folder (jsonl and gkg write one file)", source=str(out))
        if out.exists() and out.stat().st_size > 0:
            raise StoreError("output file exists and is not empty", source=str(out))
    if not out.parent.is_dir():
        raise StoreError("the folder for the output does not exist", source=str(out))


def _date(value: str | date | None, option: str) -> str | None:
    from ..pipeline import normalise_date  # one date parser for the whole package

    return normalise_date(value.isoformat() if isinstance(value, date) else value, source=option)


def _select(cur, db: Database, since, until, outlet, article_ids) -> int:
    """Fill the temporary table ``_export_ids`` with the selected articles; return their number."""
    since, until = _date(since, "since"), _date(until, "until")
    if since and until and since > until:
        raise StoreError(f"since {since} is after until {until}")
    where, params = ["TRUE"], []
    if since:
        where.append("published >= CAST(? AS DATE)")
        params.append(since)
    if until:
        where.append("published <= CAST(? AS DATE)")
        params.append(until)
    if outlet is not None:
        where.append("lower(site) = lower(?)")
        params.append(outlet)
    if article_ids is not None:
        ids = [str(i) for i in ([article_ids] if isinstance(article_ids, str) else article_ids)]
        missing = [i for i in dict.fromkeys(ids) if not db.has_article(i)]
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise StoreError(f"no stored article with id {missing[0]}{more}")
        where.append("id IN (SELECT unnest(CAST(? AS VARCHAR[])))")
        params.append(ids)
    cur.execute(
        f"CREATE TEMP TABLE _export_ids AS SELECT id, published FROM articles WHERE {' AND '.join(where)}", params
    )
    return cur.execute("SELECT count(*) FROM _export_ids").fetchone()[0]


# -- writers ---------------------------------------------------------------------------------


#: Columns that repeat what the exported tables hold: ``articles.annotations`` (schema 6) is the
#: annotation tables' rows of one article as JSON, kept for reading a page with one look-up.
_NOT_EXPORTED = {("articles", "annotations")}


def _table_query(cur, table: str, fmt: str) -> str:
    columns = [(name, dtype) for name, dtype in cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = 'main' ORDER BY ordinal_position", [table]
    ).fetchall() if (table, name) not in _NOT_EXPORTED]
    # CSV has no list type: spans and string lists go out as JSON text ("[[0,140],[141,200]]").
    select = ", ".join(
        f'to_json("{name}") AS "{name}"' if fmt == "csv" and dtype.endswith("[]") else f'"{name}"'
        for name, dtype in columns
    )
    if table == "articles":
        where = "id IN (SELECT id FROM _export_ids)"
    elif table == "canonical_entities":
        where = ("canonical_id IN (SELECT canonical_id FROM entity_links "
                 "WHERE article_id IN (SELECT id FROM _export_ids))")
    else:
        where = "article_id IN (SELECT id FROM _export_ids)"
    order = ", ".join(f'"{c}"' for c in EXPORT_TABLES[table])
    return f"SELECT {select} FROM {table} WHERE {where} ORDER BY {order}"


def _write_tables(cur, fmt: str, folder: Path) -> dict[str, int]:
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    rows = {}
    for table in EXPORT_TABLES:
        path = str(folder / f"{table}.{fmt}").replace("'", "''")  # a path, not a value: COPY takes no parameter
        rows[table] = cur.execute(f"COPY ({_table_query(cur, table, fmt)}) TO '{path}' ({options})").fetchone()[0]
    return rows


def _articles(db: Database, ids: list[str]) -> Iterator[Article]:
    for aid in ids:
        article = db.get_article(aid)
        if article is not None:
            yield article


def _write_jsonl(db: Database, ids: list[str], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for article in _articles(db, ids):
            f.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_gkg(db: Database, ids: list[str], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for article in _articles(db, ids):
            f.write("\t".join(gkg_row(article)) + "\n")
            n += 1
    return n


def _move_into_place(partial: Path, out: Path) -> None:
    if out.is_dir():
        out.rmdir()  # checked empty before writing; a rename onto a folder is not portable
    try:
        os.replace(partial, out)
    except OSError as err:
        raise StoreError(f"cannot write the output ({err.strerror or err})", source=str(out)) from None


# -- GKG -------------------------------------------------------------------------------------


def _clean(value: object, delimiters: str = "") -> str:
    """Return ``value`` on one line with runs of whitespace as one space and ``delimiters`` replaced by spaces."""
    text = "" if value is None else str(value)
    for ch in delimiters:
        text = text.replace(ch, " ")
    return " ".join(text.split())


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _locations(article: Article) -> tuple[str, str]:
    v1, v2 = [], []
    for p in article.places:
        kind = _LOCATION_TYPES.get((p.feature, p.country == "USA"), "")
        name, country, adm1 = _clean(p.name, "#;"), _clean(p.country, "#;"), _clean(p.admin1, "#;")
        lat, lon, fid = _number(p.latitude), _number(p.longitude), "" if p.geonameid is None else str(p.geonameid)
        v1.append("#".join([kind, name, country, adm1, lat, lon, fid]))
        # ADM2 is not resolved: the field stays empty, as GDELT leaves it for most places.
        v2.extend("#".join([kind, name, country, adm1, "", lat, lon, fid, str(start)]) for start, _ in p.mentions)
    return ";".join(v1), ";".join(v2)


def _names(article: Article, types: set[str] | None) -> tuple[str, str]:
    """Return the V1 (names, each once) and enhanced (``name,offset`` per mention) fields for these types."""
    chosen = [e for e in article.entities if (e.type in types if types else e.type not in _NOT_NAMES)]
    names = list(dict.fromkeys(_clean(e.name, ",;") for e in chosen))
    mentions = sorted((m.start, _clean(e.name, ",;")) for e in chosen for m in e.mentions)
    return ";".join(names), ";".join(f"{name},{start}" for start, name in mentions)


def _tone(article: Article) -> str:
    if article.tone is None:
        return ""
    # VADER's mean compound score (-1..1) times 100, to sit in GDELT's nominal -100..100
    # range; it is not GDELT's tone (share of positive minus negative words) and the six
    # fields GDELT derives from word lists are left empty. Word count is whitespace words.
    return f"{article.tone * 100:.2f},,,,,,{len(article.text.split())}"


def _dates(article: Article) -> str:
    out = []
    for d in article.dates:
        if d.value is None or d.span is None:
            continue  # unresolved, or stated in a caption (no offset into the text)
        first = d.value.split("/")[0]  # an interval (a week) is given by its first day
        resolution = _DATE_RESOLUTIONS.get(len(first))
        if resolution is None:
            continue
        year, month, day = (first.split("-") + ["0", "0"])[:3]
        out.append(f"{resolution}#{int(month)}#{int(day)}#{int(year)}#{d.span[0]}")
    return ";".join(out)


def _quotations(article: Article) -> str:
    out = []
    for q in article.quotes:
        if not q.content:
            continue
        start, end = q.content[0][0], q.content[-1][1]
        quote = " ... ".join(article.text[s:e] for s, e in q.content)  # as stored in quotes.text
        fields = [q.cue_word, quote, q.speaker]
        out.append("|".join([str(start), str(end - start), *(_clean(f, "|#") for f in fields)]))
    return "#".join(out)


def _source_name(article: Article) -> str:
    host = urlsplit(article.url).hostname if article.url else None
    if host:
        return host.removeprefix("www.")
    return _clean(article.site)


def gkg_row(article: Article) -> list[str]:
    """Return ``article`` as the 27 fields of a GKG 2.1 row (no field holds a tab or newline)."""
    persons, persons_v2 = _names(article, {"PERSON"})
    orgs, orgs_v2 = _names(article, {"ORG"})
    locations, locations_v2 = _locations(article)
    row = {
        "GKGRECORDID": article.id,
        "V2.1DATE": article.published.replace("-", "")[:8] + "000000" if article.published else "",
        "V2SOURCECOLLECTIONIDENTIFIER": "1" if article.url else "2",
        "V2SOURCECOMMONNAME": _source_name(article),
        "V2DOCUMENTIDENTIFIER": _clean(article.url or article.source),
        "V1LOCATIONS": locations,
        "V2ENHANCEDLOCATIONS": locations_v2,
        "V1PERSONS": persons,
        "V2ENHANCEDPERSONS": persons_v2,
        "V1ORGANIZATIONS": orgs,
        "V2ENHANCEDORGANIZATIONS": orgs_v2,
        "V1.5TONE": _tone(article),
        "V2.1ENHANCEDDATES": _dates(article),
        "V2.1QUOTATIONS": _quotations(article),
        "V2.1ALLNAMES": _names(article, None)[1],
    }
    return [row.get(column, "") for column in GKG_COLUMNS]
