"""Full-text search over articles: a tantivy index beside the DuckDB file.

DuckDB's ``fts`` extension downloads itself at run time, which newsgraph never
does, so the index is a tantivy directory ``<db file>.search/`` holding the
``id``, ``title``, ``dek`` and ``text`` of every article (English stemming).
A small ``state.json`` in that directory records what was indexed (article
count, latest ``ingested_at``, index layout version); ``ArticleSearch.open``
rebuilds the whole index when that state no longer matches the store. A full
rebuild is simple and, at ~1 ms per article, cheap next to ingesting; articles
added through the API are indexed one by one (``add``).

If the index cannot be built or opened (a read-only folder, a second server
holding the index writer lock, a tantivy error), search falls back to a DuckDB
substring scan over title, dek and text: slower and unranked, and ``backend``
(reported by ``/api/stats``) says so.

A query the index cannot read (``title:``, ``"unclosed``, ``Putin: war`` naming
no field) or cannot answer (``title:*``, which needs a fast field) raises
``SearchQueryError`` naming the problem; the API answers it with a 422, the web
UI with an error page.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from ..errors import SearchQueryError
from ..store import Database

__all__ = ["ArticleSearch", "index_dir"]

# Bump when the fields or tokenizers change: an index of another layout is rebuilt.
INDEX_VERSION = 1

# Enough for the whole of any realistic local corpus; results are filtered in SQL after.
MAX_HITS = 10_000

FIELDS = ("title", "dek", "text")

#: How to write a query, for error messages.
SYNTAX = ('words (all must match), "a phrase", -word (must not), word OR word, or field:word '
          f'with field one of {", ".join(FIELDS)}; quote words that hold a colon')


def index_dir(db_path: str | Path) -> Path:
    """Return the index directory that belongs to the DuckDB file ``db_path``."""
    path = Path(db_path)
    return path.with_name(path.name + ".search")


def _store_state(db: Database) -> dict:
    count, latest = db.query("SELECT count(*), max(ingested_at) FROM articles")[0]
    return {"version": INDEX_VERSION, "articles": count, "latest": latest.isoformat() if latest else None}


class ArticleSearch:
    """Ranked article search: tantivy when the index works, a DuckDB substring scan otherwise."""

    def __init__(self, db: Database, directory: Path) -> None:
        self.db = db
        self.directory = directory
        self.backend = "ilike"
        self.problem: str | None = None
        self._index = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, db: Database, directory: Path | None = None) -> ArticleSearch:
        """Return a search over ``db``, building or refreshing its index first if it is missing or stale."""
        search = cls(db, directory or index_dir(db.path))
        try:
            search._open_index()
            search.backend = "tantivy"
        except Exception as err:  # any failure means: serve anyway, with the slower fallback
            search._index = None
            search.problem = f"{type(err).__name__}: {err}"
        return search

    # -- building ------------------------------------------------------------------------

    def _schema(self):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for name in FIELDS:
            builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
        return builder.build()

    def _open_index(self) -> None:
        import tantivy

        state_file = self.directory / "state.json"
        wanted = _store_state(self.db)
        try:
            have = json.loads(state_file.read_text("utf-8"))
        except (OSError, ValueError):
            have = None
        if have == wanted and tantivy.Index.exists(str(self.directory)):
            self._index = tantivy.Index.open(str(self.directory))
            return
        # Missing or stale: rebuild from scratch into a clean directory.
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        self._index = tantivy.Index(self._schema(), path=str(self.directory))
        writer = self._index.writer(heap_size=50_000_000, num_threads=1)
        for row in self.db.query("SELECT id, title, dek, text FROM articles"):
            writer.add_document(self._document(*row))
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        state_file.write_text(json.dumps(wanted), "utf-8")

    @staticmethod
    def _document(article_id: str, title: str | None, dek: str | None, text: str | None):
        import tantivy

        return tantivy.Document(id=article_id, title=title or "", dek=dek or "", text=text or "")

    def add(self, *article_ids: str, db: Database | None = None) -> None:
        """Index newly stored articles, in one commit (a no-op with the ``ILIKE`` fallback).

        ``db``: the caller's handle, for a caller on another thread than the search's owner.
        """
        if self._index is None or not article_ids:
            return
        db = db or self.db
        rows = db.query("SELECT id, title, dek, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                        [list(article_ids)])
        if not rows:
            return
        with self._lock:
            writer = self._index.writer(heap_size=15_000_000, num_threads=1)
            for row in rows:
                writer.delete_documents("id", row[0])
                writer.add_document(self._document(*row))
            writer.commit()
            writer.wait_merging_threads()
            self._index.reload()
            (self.directory / "state.json").write_text(json.dumps(_store_state(db)), "utf-8")

    # -- querying ------------------------------------------------------------------------

    def ids(self, q: str, limit: int = MAX_HITS, db: Database | None = None) -> list[str]:
        """Return the ids of articles matching ``q``, best first.

        With tantivy, ``q`` is read by its query parser (every word must match,
        stemmed; ``"a phrase"``, ``+must``, ``-not`` and ``title:word`` work). A
        query it cannot read, or can read but not run, raises ``SearchQueryError``:
        the lenient parse is used because it reads words like ``O'Brien`` that
        the strict one refuses, and its list of problems is what it could not
        read. The fallback matches ``q`` as one substring (no syntax, no errors),
        on ``db`` (the caller's handle, for a caller on another thread) or the
        search's own.
        """
        if self._index is not None:
            query, problems = self._index.parse_query_lenient(
                q, list(FIELDS), field_boosts={"title": 2.0}, conjunction_by_default=True
            )
            if problems:
                raise SearchQueryError(f"{_problem(problems[0])}; write {SYNTAX}", source=_shown(q))
            searcher = self._index.searcher()
            try:
                hits = searcher.search(query, limit).hits
            except ValueError as err:  # read, but not answerable by this index, e.g. 'title:*'
                raise SearchQueryError(f"{_problem(err)}; write {SYNTAX}", source=_shown(q)) from None
            return [searcher.doc(address)["id"][0] for _score, address in hits]
        rows = (db or self.db).query(
            "SELECT id FROM articles WHERE contains(lower(concat_ws(' ', title, dek, text)), lower(?)) "
            "ORDER BY published DESC NULLS LAST, id LIMIT ?",
            [q, limit],
        )
        return [r[0] for r in rows]

    def info(self) -> dict:
        """Return which backend serves searches, where its index lives and why it fell back, if it did."""
        return {"backend": self.backend, "index": str(self.directory), "problem": self.problem}


def _shown(q: str) -> str:
    """Return how a message names the query: quoted, cut short if it is long."""
    shown = q if len(q) <= 80 else q[:77] + "..."
    return f"search query {shown!r}"


def _problem(err: object) -> str:
    # tantivy's wording of the one case a user meets most: 'field:*' asks for any value of a field.
    text = " ".join(str(err).split())
    if "is not a fast field" in text:
        return "'field:*' (any value of a field) is not supported"
    return text
