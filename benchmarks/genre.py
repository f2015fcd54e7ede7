"""List a store's pages by political share (annotate/events/genre.py), with their genre and events.

The calibration of ``MIN_POLITICAL_SHARE``: ingest pages nobody tuned on
(``newsgraph ingest ../shared/eval/extraction/dev/html --db pages.duckdb``),
then read where the political pages and the others fall:

    python benchmarks/genre.py --db pages.duckdb
"""

from __future__ import annotations

import argparse

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    rows = con.execute(
        "SELECT a.political_share, a.genre, (SELECT count(*) FROM events e WHERE e.article_id = a.id), a.site, a.title"
        " FROM articles a WHERE a.copy_of IS NULL ORDER BY a.political_share NULLS FIRST, a.title").fetchall()
    print("share  genre      events  site | title")
    for share, genre, n, site, title in rows:
        shown = "  -  " if share is None else f"{share:5.2f}"
        print(f"{shown}  {genre or '-':9}  {n:6d}  {site} | {(title or '')[:70]}")
    kept = [r for r in rows if r[1] != "other"]
    print(f"# {len(rows)} pages: {len(kept)} coded (political or too short to tell), {len(rows) - len(kept)} other")


if __name__ == "__main__":
    main()
