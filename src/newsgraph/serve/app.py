"""The JSON API: a FastAPI app over one store, built by ``create_app``.

Design:

1. **One owner of the file.** The app opens one ``Database`` at start-up,
   read-only by default: DuckDB lets a read-write process lock out every other
   process, readers included, while read-only opens can be shared. With
   ``allow_writes=TOKEN`` it opens read-write and accepts
   ``POST /api/articles`` from callers sending ``Authorization: Bearer TOKEN``.
2. **Reads in parallel, one writer.** A DuckDB connection must not run two
   statements at once, and FastAPI runs sync handlers in a thread pool: every
   read goes through ``_State.run``, which lends the handler one of a few
   cursors (``Database.cursor``: connections of their own to the same open
   database), so reads run side by side on all cores (DuckDB releases the GIL
   while it works). A write (``POST /api/articles``) holds ``_State.write_lock``
   on the owner's connection, so there is one writer; readers see each write
   once it commits.
3. **Same questions everywhere.** Handlers only validate input and call
   ``queries``; a web UI reuses the same functions.
4. **One error shape.** Every error (404, 422 validation and query syntax,
   400 bad Host, 401/403, 413, 500) is ``{"error": {"status": int, "code":
   str, "message": str}}`` (``security.error_response``); the handlers below
   replace FastAPI's own, and a test checks several kinds.
5. **Search.** ``search.ArticleSearch`` builds or refreshes the tantivy index
   at start-up, falling back to a substring scan (reported by ``/api/stats``).
6. **The edge.** ``security`` checks the Host header (DNS rebinding), caps
   request bodies before reading them and adds security headers to every
   response; ``/docs`` carries its own Content-Security-Policy, since Swagger
   UI loads from a CDN.
7. **Posted articles are analysed apart.** A ``run.local.ResidentWorker`` (one
   worker process keeping the model) analyses each within the per-input time
   and memory budgets; one over them is a 422, and the server process never
   holds the model. ``serve`` runs several processes of this app for a
   read-only store (``serve.serve``).
8. **Collecting while serving.** A store opened read-write (``--watch`` or
   ``--allow-writes``) has a ``run.watch.Collector``: a thread that runs watch
   rounds over the ``--watch`` sources and the jobs other commands hand over
   (``POST /api/collect``, ``serve.handoff``), writing through a cursor of its
   own and indexing what it stores for search. Pages read the store as it is,
   so new articles show without a restart; ``/api/collector`` and
   ``/collector`` say what it is doing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import queue
import re
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import errors
from ..errors import InputError, NewsgraphError, SearchQueryError, StoreError
from ..models import CONFIDENCE_BANDS
from ..run.budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET
from ..run.watch import CollectOptions, Collector, local_paths
from ..store import Database
from . import queries
from .search import ArticleSearch
from .security import BodyLimit, BodyTooLarge, HostCheck, SecurityHeaders, error_response

__all__ = ["create_app", "ApiError", "MAX_BODY_BYTES"]

T = TypeVar("T")

#: Largest POST body accepted: generous for one saved page with inline markup.
MAX_BODY_BYTES = 5 * 1024 * 1024

MAX_LIMIT = 200

#: Cursors lent to concurrent reads: more than one per core, so no core waits while a
#: request is in Python (rendering, JSON) rather than in DuckDB; more would only queue
#: inside DuckDB. With 4 on 2 cores, 20 clients got 53-71 requests/s where one lock
#: around the store gave 33-45 (benchmarks/latency.py --clients 20; other counts untried).
READERS = 2 * (os.cpu_count() or 2)

#: The Content-Security-Policy of /docs and /redoc: their pages load Swagger UI and
#: ReDoc from the jsDelivr CDN (and fonts, a favicon) until they are vendored under
#: /static; their one inline script is allowed by its hash, filled in per page.
DOCS_POLICY = (
    "default-src 'none'; script-src https://cdn.jsdelivr.net {hashes}; "
    "style-src https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "connect-src 'self'; worker-src blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
}


class ApiError(Exception):
    """An error answered as ``{"error": {"status", "code", "message"}}``."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message


class ArticleIn(BaseModel):
    """An article to analyse and store: ``html`` (a saved page) or ``text`` (clean article text)."""

    html: str | None = None
    text: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD; overrides any date found on the page")


class JobIn(BaseModel):
    """Work handed to the collector: ``watch`` (sources: feeds, sitemaps, section pages) or ``ingest`` (paths, URLs)."""

    kind: Literal["watch", "ingest"]
    inputs: list[str] = Field(max_length=10_000)


class _State:
    """What the app holds while it runs: the store, its search, its read cursors, the worker analysing posts."""

    def __init__(self, db_path: Path, allow_writes: str | None, budgets: tuple[float | None, float | None],
                 collect: CollectOptions | None = None) -> None:
        self.db_path = db_path
        self.budgets = budgets
        self.token = allow_writes
        self.collect = collect
        # Who may hand work over (POST /api/collect): whoever reads the note ``serve`` leaves beside the
        # store for this machine's user (``serve.handoff``). Not the --allow-writes token: a job may name
        # local files and private addresses, which a remote client must not make the server read.
        self.handoff_tokens: set[str] = set()
        self.collector: Collector | None = None
        self.db: Database | None = None
        self.search: ArticleSearch | None = None
        self._analyst = None
        self._analyst_lock = threading.Lock()
        self._readers: queue.Queue[Database] = queue.Queue()
        self.write_lock = threading.Lock()

    @property
    def writable(self) -> bool:
        return self.token is not None or self.collect is not None

    def start(self) -> None:
        """Open the store, its search and the read cursors (once: ``serve`` opens them before the lifespan does)."""
        if self.db is not None:
            return
        self.db = Database(self.db_path, read_only=not self.writable)
        self.search = ArticleSearch.open(self.db)
        for _ in range(READERS):
            self._readers.put(self.db.cursor())
        if self.writable:
            indexer = self.db.cursor()
            self.collector = Collector(self.db, self.collect or CollectOptions(),
                                       on_stored=lambda ids: self.search.add(*ids, db=indexer)).start()

    def stop(self) -> None:
        if self._analyst is not None:
            self._analyst.close()
            self._analyst = None
        if self.collector is not None and self.collector.stop():
            return  # still in a request: closing the store under it would fail its write; the process ends anyway
        self.collector = None
        while not self._readers.empty():
            self._readers.get_nowait().close()
        if self.db is not None:
            self.db.close()
            self.db = None

    def collector_status(self) -> dict | None:
        """Return what the collector is doing (``Collector.status``), or None for a read-only store."""
        return self.collector.status() if self.collector is not None else None

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Return ``fn(reader, *args, **kwargs)`` on a cursor of its own (waiting while all ``READERS`` are busy)."""
        reader = self._readers.get()
        try:
            return fn(reader, *args, **kwargs)
        finally:
            self._readers.put(reader)

    def analyst(self):
        # Loading spaCy takes seconds and memory: only a server that takes writes pays, on first use,
        # in a worker process that holds each posted article to the per-input budgets (run.budget).
        with self._analyst_lock:  # two first posts at once must not start two model workers
            if self._analyst is None:
                from ..run.local import ResidentWorker

                self._analyst = ResidentWorker(time_budget=self.budgets[0], memory_budget=self.budgets[1])
            return self._analyst


def _check_date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return queries.check_date(value)
    except ValueError as err:
        raise ApiError(422, f"query parameter '{name}': {err}") from None


def _check_sort(sort: str) -> str:
    if sort not in queries.ENTITY_SORTS:
        raise ApiError(422, f"query parameter 'sort': unknown sort '{sort}' (choose from {', '.join(queries.ENTITY_SORTS)})")
    return sort


def create_app(
    db_path: str | Path,
    allow_writes: str | None = None,
    allowed_hosts: tuple[str, ...] = (),
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET,
    collect: CollectOptions | None = None,
) -> FastAPI:
    """Return the newsgraph API app over the store at ``db_path`` (read-only unless ``allow_writes`` is a token).

    With ``collect``, the store is opened read-write and a collector runs
    watch rounds over its sources (``run.watch.Collector``); any read-write
    store takes jobs handed over by ``ingest`` and ``watch``.

    A posted article is analysed in a worker process within ``time_budget``
    seconds and ``memory_budget`` MiB (``run.budget``): one over them is a 422.

    The store is opened when the app starts (lifespan), so a missing file or a
    store locked by another process fails start-up with a ``StoreError``.
    Requests must name the server ``localhost``, ``127.0.0.1``, ``[::1]`` or
    one of ``allowed_hosts`` in their Host header (``security.HostCheck``).
    """
    if allow_writes is not None and not allow_writes.strip():
        raise ValueError("allow_writes must be a non-empty token")
    state = _State(Path(db_path), allow_writes, (time_budget, memory_budget), collect)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        state.start()
        try:
            yield
        finally:
            state.stop()

    app = FastAPI(
        title="newsgraph",
        summary="Who said what, who did what to whom: the articles, speakers, quotes and events of a newsgraph store.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below with their own Content-Security-Policy
        redoc_url=None,
    )
    app.state.newsgraph = state
    # Outermost last: the Host is checked first, then the body limit; every answer gets the headers.
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(HostCheck, allowed=allowed_hosts)
    app.add_middleware(SecurityHeaders)

    # -- errors: one shape for all -------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, err: ApiError):
        return error_response(err.status, err.code, err.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, err: StarletteHTTPException):
        message = err.detail if isinstance(err.detail, str) else str(err.detail)
        return error_response(err.status_code, _CODES.get(err.status_code, "error"), message,
                              getattr(err, "headers", None))

    @app.exception_handler(SearchQueryError)
    async def _query_error(_request: Request, err: SearchQueryError):
        return error_response(422, "query_syntax", err.message)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_request: Request, err: BodyTooLarge):
        return error_response(413, "payload_too_large", str(err))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, err: RequestValidationError):
        problems = []
        for e in err.errors():
            where = [str(p) for p in e.get("loc", ()) if p not in ("query", "path", "body")]
            problems.append(f"{e.get('loc', ['?'])[0]} parameter '{'.'.join(where)}': {e.get('msg')}"
                            if where else str(e.get("msg")))
        return error_response(422, "validation_error", "; ".join(problems) or "invalid request")

    @app.exception_handler(Exception)
    async def _internal_error(_request: Request, err: Exception):
        return error_response(500, "internal_error", f"internal error: {type(err).__name__}")

    # -- reads ---------------------------------------------------------------------------

    Limit = Query(20, ge=1, le=MAX_LIMIT, description=f"items per page (1..{MAX_LIMIT})")
    Offset = Query(0, ge=0, le=1_000_000)
    MinConfidence = Query(None, ge=0.0, le=1.0, description="keep items at least this sure (0..1); bands: "
                          + ", ".join(f"{band} >= {floor}" for band, floor in CONFIDENCE_BANDS if floor))
    From = Query(None, alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    To = Query(None, alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")

    # -- documentation -------------------------------------------------------------------

    @app.api_route("/docs", methods=["GET", "HEAD"], include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _with_docs_policy(get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} - Swagger UI"))

    @app.api_route("/redoc", methods=["GET", "HEAD"], include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _with_docs_policy(get_redoc_html(openapi_url=app.openapi_url, title=f"{app.title} - ReDoc"))

    @app.get("/api/articles", tags=["articles"])
    def list_articles(
        q: str | None = Query(None, max_length=500, description="full-text search over title, dek and text"),
        outlet: str | None = Query(None, description="outlet (site) name, exact, any case"),
        language: str | None = None,
        date_from: str | None = From,
        date_to: str | None = To,
        limit: int = Limit,
        offset: int = Offset,
        sort: Literal["published", "stored"] = Query(
            "published", description="without q: newest published first, or the most recently stored first"),
    ) -> dict:
        """Return ``{"items", "total"}``: article summaries, by relevance with ``q``, else newest first."""
        return state.run(
            queries.list_articles, state.search, q=q, outlet=outlet, language=language,
            date_from=_check_date("from", date_from), date_to=_check_date("to", date_to), limit=limit, offset=offset,
            sort=sort,
        )

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str = PathParam(max_length=64)) -> dict:
        """Return one article with all its annotations (entities, quotes, events, dates, places)."""
        article = state.run(queries.get_article, article_id)
        if article is None:
            raise ApiError(404, f"no article with id '{article_id}'")
        return article

    @app.get("/api/entities", tags=["entities"])
    def list_entities(
        type: str | None = Query(None, description="PERSON, ORG, GPE, ..."),
        q: str | None = Query(None, max_length=200, description="name or alias contains"),
        sort: str = Query("mentions", description=f"one of {', '.join(queries.ENTITY_SORTS)}"),
        min_confidence: float | None = MinConfidence,
        limit: int = Limit,
        offset: int = Offset,
    ) -> dict:
        """Return ``{"items", "total"}``: canonical entities with counts; ``sort=quotes`` gives the most quoted."""
        return state.run(queries.list_entities, type=type, q=q, sort=_check_sort(sort), limit=limit, offset=offset,
                         min_confidence=min_confidence)

    @app.get("/api/entities/{canonical_id}", tags=["entities"])
    def get_entity(canonical_id: str = PathParam(max_length=64)) -> dict:
        """Return one canonical entity: aliases, roles per article with evidence, quotes, events and articles."""
        entity = state.run(queries.get_entity, canonical_id)
        if entity is None:
            raise ApiError(404, f"no entity with id '{canonical_id}'")
        return entity

    @app.get("/api/quotes", tags=["quotes"])
    def list_quotes(
        speaker: str | None = Query(None, max_length=200, description="canonical id, or a name the speaker's contains"),
        q: str | None = Query(None, max_length=500, description="quoted words contain"),
        outlet: str | None = None,
        date_from: str | None = From,
        date_to: str | None = To,
        min_confidence: float | None = MinConfidence,
        limit: int = Limit,
        offset: int = Offset,
    ) -> dict:
        """Return ``{"items", "total"}``: quotes with speaker and article, newest first."""
        return state.run(
            queries.list_quotes, speaker=speaker, q=q, outlet=outlet, min_confidence=min_confidence,
            date_from=_check_date("from", date_from), date_to=_check_date("to", date_to), limit=limit, offset=offset,
        )

    @app.get("/api/events", tags=["events"])
    def list_events(
        type: str | None = Query(None, description="event type, e.g. PROTEST, ACCUSE"),
        actor: str | None = Query(None, max_length=200, description="canonical id, or text either actor contains"),
        country: str | None = Query(None, max_length=3, description="country code of either actor, e.g. NGA"),
        date_from: str | None = From,
        date_to: str | None = To,
        place: str | None = Query(None, max_length=200, description="place name contains"),
        min_confidence: float | None = MinConfidence,
        limit: int = Limit,
        offset: int = Offset,
    ) -> dict:
        """Return ``{"items", "total"}``: events with actors and evidence; ``from``/``to`` match the event's date."""
        return state.run(
            queries.list_events, type=type, actor=actor, country=country, place=place, min_confidence=min_confidence,
            date_from=_check_date("from", date_from), date_to=_check_date("to", date_to), limit=limit, offset=offset,
        )

    @app.get("/api/network", tags=["events"])
    def get_network(
        q: str | None = Query(None, max_length=500, description="Full-text query narrowing the articles."),
        limit: int = Query(40, ge=1, le=200, description="Keep the heaviest edges."),
    ) -> dict:
        """Return ``{"nodes", "edges"}``: who acts on whom, and which outlets quote whom."""
        return state.run(queries.network, state.search, q=q, limit=limit)

    @app.get("/api/stats", tags=["stats"])
    def get_stats() -> dict:
        """Return counts per table, articles per outlet, top speakers and the search backend in use."""
        return state.run(queries.stats, state.search)

    # -- writes --------------------------------------------------------------------------

    @app.post("/api/articles", tags=["articles"], status_code=201)
    async def add_article(request: Request) -> JSONResponse:
        """Return the stored article's id and counts after analysing a posted page or text (needs a token).

        Body: JSON ``{"html": ...}`` or ``{"text": ...}`` with optional ``url``,
        ``title`` and ``published``, at most 5 MB. 201 when stored, 200 when the
        same article was already stored.
        """
        if state.token is None:
            raise ApiError(403, "this server is read-only; start it with --allow-writes TOKEN to accept articles",
                           "read_only")
        _check_token(request, {state.token})
        body = await request.body()  # at most MAX_BODY_BYTES: BodyLimit stops a longer one with 413
        try:
            article_in = ArticleIn.model_validate_json(body)
        except ValueError as err:
            raise ApiError(422, f"body is not a JSON article: {_first_line(err)}") from None
        return await run_in_threadpool(_store_article, state, article_in, body)

    # -- collecting ----------------------------------------------------------------------

    @app.get("/api/collector", tags=["collector"])
    def collector_status() -> dict:
        """Return what the collector is doing: sources, interval, current job, last and next round, recent failures."""
        status = state.collector_status()
        if status is None:
            return {"collecting": False, "reason": "the store is served read-only; start the server with --watch "
                                                  "SOURCE (or --allow-writes TOKEN) to collect into it"}
        return {"collecting": True, **status}

    @app.get("/api/collector/jobs/{job_id}", tags=["collector"])
    def collector_job(job_id: int = PathParam(ge=1, le=10**9)) -> dict:
        """Return one handed-over job: its state and, once done, its summary."""
        job = state.collector.job(job_id) if state.collector is not None else None
        if job is None:
            raise ApiError(404, f"no job {job_id}")
        return job

    @app.post("/api/collect", tags=["collector"], status_code=202)
    def collect_job(job_in: JobIn, request: Request) -> JSONResponse:
        """Queue work for the collector (``watch`` sources or ``ingest`` inputs); needs a token. 202 with the job.

        ``ingest`` inputs may be local paths: the token of the note beside the store
        (readable by the server's user only) says the caller may read them.
        """
        if state.collector is None:
            raise ApiError(403, "this server is read-only; start it with --watch SOURCE or --allow-writes TOKEN "
                                "to take work", "read_only")
        _check_token(request, state.handoff_tokens)
        if not job_in.inputs or "-" in job_in.inputs:
            raise ApiError(422, "'inputs' needs at least one path or URL (not '-': standard input stays with the "
                                "command that reads it)")
        try:
            job = state.collector.submit(job_in.kind, local_paths(job_in.inputs))
        except InputError as err:
            raise ApiError(422, str(err), err.code) from None
        return JSONResponse(job, 202)

    # The web UI: pages over the same queries, and its static files.
    from .ui import mount_ui

    mount_ui(app)
    return app


def _with_docs_policy(page: HTMLResponse) -> HTMLResponse:
    """Return a documentation page with ``DOCS_POLICY``, allowing its inline scripts by their SHA-256."""
    scripts = re.findall(rb"<script>(.*?)</script>", page.body, re.S)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(js).digest()).decode()}'" for js in scripts)
    page.headers["Content-Security-Policy"] = DOCS_POLICY.format(hashes=hashes)
    return page


def _check_token(request: Request, tokens: set[str]) -> None:
    """Raise 401 without an ``Authorization: Bearer`` header, 403 if its token is none of ``tokens``."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "missing 'Authorization: Bearer TOKEN' header")
    if not any(hmac.compare_digest(given.strip().encode(), token.encode()) for token in tokens):
        raise ApiError(403, "wrong token", "forbidden")


def _first_line(err: Exception) -> str:
    return " ".join(str(err).split())[:300]


def _store_article(state: _State, article_in: ArticleIn, body: bytes) -> JSONResponse:
    from ..models import Failure, RawDocument
    from ..pipeline import normalise_date

    content = article_in.html if article_in.html and article_in.html.strip() else article_in.text
    if not content or not content.strip():
        raise ApiError(422, "body needs an 'html' or 'text' field with content")
    source_hash = hashlib.sha256(content.encode("utf-8")).hexdigest()
    source = article_in.url or f"api:{source_hash[:16]}"
    try:
        published = normalise_date(article_in.published, source=source)
        raw = RawDocument(
            source=source, format="html" if content is article_in.html else "plain", body=content,
            source_hash=source_hash, url=article_in.url, title=article_in.title, published=published,
        )
        analyst = state.analyst()
        article = analyst.analyse(raw)
    except InputError as err:
        raise ApiError(422, str(err), err.code) from None
    except NewsgraphError as err:
        raise ApiError(422 if not isinstance(err, StoreError) else 500, str(err), err.code) from None
    if isinstance(article, Failure):  # the article's own problem (or its budget); a bug is a 500
        kind = getattr(errors, article.error, None)
        code = kind.code if isinstance(kind, type) and issubclass(kind, NewsgraphError) else "E999"
        raise ApiError(500 if code == "E999" else 422, article.message, code)
    with state.write_lock:
        db = state.db
        run_id = db.start_run(analyst.info, command="serve: POST /api/articles")
        outcome = db.add_article(article, run_id)
        db.finish_run(run_id)
        stored = outcome != "duplicate"
        copy_of = db.copy_of(article.id)
        if stored:
            state.search.add(article.id)
    summary = {
        "id": article.id, "stored": stored, "copy_of": copy_of,
        "title": article.title, "published": article.published,
        "entities": len(article.entities), "quotes": len(article.quotes), "events": len(article.events),
    }
    return JSONResponse(summary, 201 if stored else 200)
