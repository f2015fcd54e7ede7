"""The web UI: server-rendered pages over the same ``queries`` the JSON API uses.

Pages: ``/`` (search, stats, most quoted, recent), ``/articles/{id}`` (the text
with each quote highlighted in its speaker's colour), ``/speakers`` and
``/speakers/{canonical_id}``, ``/search`` (articles, full text), ``/quotes``
and ``/events`` (with a timeline drawn server-side as SVG).

Safety: templates autoescape everything. Article text reaches the page only
through ``highlight``, which cuts the text at quote boundaries into plain
string pieces; the template escapes each piece, so no stored text is ever
marked safe. The only script is our own ``static/ui.js``.
"""

from __future__ import annotations

import math

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from ..errors import SearchQueryError
from ..models import CONFIDENCE_BANDS, confidence_band
from . import queries

__all__ = ["router", "mount_ui", "highlight", "speaker_hue"]

HERE = Path(__file__).parent
PAGE_SIZE = 20

# The templates are package files: not checking their modification time on every page saves
# ~5% of an article page's CPU under load (py-spy, benchmarks/latency.py --clients 20).
_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                   auto_reload=False)

router = APIRouter(include_in_schema=False)

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def speaker_hue(key: str | None) -> int:
    """Return a stable hue (0..359) for a speaker key, so a speaker has one colour on every page."""
    if not key:
        return 0
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:6], 16) % 360


def nice_date(value: Any) -> str:
    """Return ``2026-03-14`` as ``14 Mar 2026`` (``2026-03`` as ``Mar 2026``); anything else unchanged."""
    if not value:
        return ""
    text = str(value)[:10]
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return str(value)


_env.filters["hue"] = speaker_hue
_env.filters["nicedate"] = nice_date
_env.filters["band"] = confidence_band


def _state(request: Request):
    return request.app.state.newsgraph


def _render(name: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("q", "")
    context.setdefault("collecting", _state(request).collector is not None)
    html = _env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def _not_found(request: Request, message: str) -> HTMLResponse:
    return _render("error.html", request, 404, title="Not found", message=message)


def _bad_query(request: Request, q: str, err: SearchQueryError) -> HTMLResponse:
    """Return the 422 page for a search the index cannot read, with the query still in the search box."""
    return _render("error.html", request, 422, title="Search not understood", q=q, message=err.message)


def _pages(request: Request, total: int, offset: int, limit: int = PAGE_SIZE) -> dict:
    """Return previous/next links for a list, keeping the request's other parameters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}

    def link(off: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': off})}" if off else (
            f"{request.url.path}?{urlencode(params)}" if params else request.url.path)

    return {
        "total": total,
        "first": offset + 1 if total else 0,
        "last": min(offset + limit, total),
        "prev": link(max(offset - limit, 0)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }


def _date_or_none(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return queries.check_date(value.strip())
    except ValueError:
        return None


# -- the highlighted article text ----------------------------------------------------------


def _speaker_info(article: dict) -> tuple[dict[str, dict], dict[str, dict]]:
    """Return (entities by id, speaker label info by quote id) for an article record."""
    entities = {e["id"]: e for e in article["entities"]}
    text = article["text"]
    info: dict[str, dict] = {}
    for quote in article["quotes"]:
        entity = entities.get(quote.get("speaker_id") or "")
        written = " ".join(text[s:e] for s, e in quote.get("source") or []).strip()
        cue = " ".join(text[s:e] for s, e in quote.get("cue") or []).strip() or (quote.get("cue_word") or "")
        role = ""
        if entity and entity.get("roles"):
            r = entity["roles"][0]
            role = ", ".join(x for x in (r.get("title"), r.get("organisation")) if x)
        key = (entity.get("canonical_id") or f"{article['id']}:{entity['id']}") if entity else None
        name = entity["name"] if entity else (quote.get("speaker") or "")
        info[quote["id"]] = {
            "name": name,
            "written": written,
            "canonical_id": entity.get("canonical_id") if entity else None,
            "key": key,
            "hue": speaker_hue(key) if key else None,
            "role": role,
            "cue": cue,
            "kind": quote.get("kind"),
            "title": " — ".join(x for x in (name or (f"unresolved: {written}" if written else "unknown speaker"),
                                             role, f"cue: {cue}" if cue else "") if x),
        }
    return entities, info


def highlight(text: str, paragraphs: list, quotes: list[dict]) -> list[list[dict]]:
    """Return the text as paragraphs of pieces ``{"text", "quote", "part"}`` cut at quote boundaries.

    ``part`` is ``"content"`` inside a quote's content span, ``"source"`` on the
    speaker as written, else None. Where spans overlap the shorter quote wins,
    so a nested quote stays visible. Pieces are plain strings: the template
    escapes each one.
    """
    spans: list[tuple[int, int, str, str]] = []
    for quote in quotes:
        for s, e in quote.get("content") or []:
            spans.append((s, e, quote["id"], "content"))
        for s, e in quote.get("source") or []:
            spans.append((s, e, quote["id"], "source"))
    paras = [tuple(p) for p in paragraphs] or [(0, len(text))]
    out: list[list[dict]] = []
    for p_start, p_end in paras:
        cuts = {p_start, p_end}
        for s, e, _, _ in spans:
            if s < p_end and e > p_start:
                cuts.update(x for x in (s, e) if p_start < x < p_end)
        pieces: list[dict] = []
        bounds = sorted(cuts)
        for a, b in zip(bounds, bounds[1:]):
            covering = [sp for sp in spans if sp[0] <= a and sp[1] >= b]
            # content beats source; then the narrowest span
            covering.sort(key=lambda sp: (sp[3] != "content", sp[1] - sp[0]))
            quote_id, part = (covering[0][2], covering[0][3]) if covering else (None, None)
            if pieces and pieces[-1]["quote"] == quote_id and pieces[-1]["part"] == part:
                pieces[-1]["text"] += text[a:b]
            else:
                pieces.append({"text": text[a:b], "quote": quote_id, "part": part})
        out.append(pieces)
    return out


# -- pages ---------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    state = _state(request)
    stats = state.run(queries.stats, state.search, top=12)
    recent = state.run(queries.list_articles, limit=12)
    collector = state.collector_status()
    return _render("home.html", request, stats=stats, recent=recent["items"], collector=collector)


@router.get("/collector", response_class=HTMLResponse)
def collector_page(request: Request):
    """What the collector is doing: sources, last and next round, jobs, failures, and the articles it stored last."""
    state = _state(request)
    collector = state.collector_status()
    recent = state.run(queries.list_articles, limit=20, sort="stored")
    return _render("collector.html", request, title="Collector", collector=collector, recent=recent["items"])


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str):
    state = _state(request)
    if len(article_id) > 64:
        return _not_found(request, "No such article.")
    article = state.run(queries.get_article, article_id)
    if article is None:
        return _not_found(request, f"No article with id “{article_id}”.")
    entities, info = _speaker_info(article)
    paragraphs = highlight(article["text"], article["paragraphs"], article["quotes"])
    legend: dict[str, dict] = {}
    for quote in article["quotes"]:
        sp = info[quote["id"]]
        if sp["key"]:
            entry = legend.setdefault(sp["key"], {**sp, "quotes": 0})
            entry["quotes"] += 1
    unresolved = sum(1 for q in article["quotes"] if not info[q["id"]]["key"])
    by_type: dict[str, list[dict]] = defaultdict(list)
    for entity in article["entities"]:
        by_type[entity["type"]].append(entity)
    for items in by_type.values():
        items.sort(key=lambda e: (-len(e.get("mentions") or []), e["name"]))
    return _render(
        "article.html", request, title=article.get("title") or "Untitled", article=article, paragraphs=paragraphs,
        speakers=info, legend=sorted(legend.values(), key=lambda s: (-s["quotes"], s["name"])),
        unresolved=unresolved, entities=entities, by_type=sorted(by_type.items(), key=lambda kv: -len(kv[1])),
    )


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, q: str = Query("", max_length=200), type: str = Query("", max_length=20),
                  offset: int = Query(0, ge=0, le=1_000_000)):
    state = _state(request)
    result = state.run(queries.list_entities, type=type or None, q=q or None, sort="quotes" if not q else "mentions",
                       limit=PAGE_SIZE, offset=offset)
    return _render("speakers.html", request, title="People & organisations", q=q, type=type,
                   items=result["items"], pages=_pages(request, result["total"], offset))


@router.get("/speakers/{canonical_id}", response_class=HTMLResponse)
def speaker_page(request: Request, canonical_id: str):
    state = _state(request)
    if len(canonical_id) > 64:
        return _not_found(request, "No such speaker.")
    entity = state.run(queries.get_entity, canonical_id)
    if entity is None:
        return _not_found(request, f"No speaker or entity with id “{canonical_id}”.")
    groups: list[dict] = []
    for quote in entity["quotes"]:
        if not groups or groups[-1]["article_id"] != quote["article_id"]:
            groups.append({"article_id": quote["article_id"], "title": quote["article_title"],
                           "outlet": quote["outlet"], "published": quote["published"], "quotes": []})
        groups[-1]["quotes"].append(quote)
    return _render("speaker.html", request, title=entity["name"], entity=entity, groups=groups,
                   hue=speaker_hue(canonical_id))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=500), offset: int = Query(0, ge=0, le=1_000_000)):
    state = _state(request)
    q = q.strip()
    try:
        result = state.run(queries.list_articles, state.search, q=q or None, limit=PAGE_SIZE, offset=offset)
    except SearchQueryError as err:
        return _bad_query(request, q, err)
    speakers = state.run(queries.list_entities, q=q, sort="quotes", limit=6)["items"] if q else []
    return _render("search.html", request, title=f"Search: {q}" if q else "Articles", q=q, items=result["items"],
                   pages=_pages(request, result["total"], offset), speakers=[s for s in speakers if s["quotes"]])


#: The confidence filter of the quote and event pages: a band and the bands above it, or all.
#: The default hides the low band (facts found in ways that are often wrong).
_BANDS = dict(CONFIDENCE_BANDS)
ConfidenceFilter = Query("medium", pattern="^(high|medium|all)$", description="high, medium (and high) or all")


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, q: str = Query("", max_length=500), speaker: str = Query("", max_length=200),
                confidence: str = ConfidenceFilter, offset: int = Query(0, ge=0, le=1_000_000)):
    state = _state(request)
    result = state.run(queries.list_quotes, speaker=speaker.strip() or None, q=q.strip() or None,
                       min_confidence=_BANDS.get(confidence), limit=PAGE_SIZE, offset=offset)
    return _render("quotes.html", request, title="Quotes", qq=q, speaker=speaker, confidence=confidence,
                   items=result["items"], pages=_pages(request, result["total"], offset))


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, type: str = Query("", max_length=40), country: str = Query("", max_length=3),
                actor: str = Query("", max_length=200), date_from: str = Query("", alias="from", max_length=10),
                date_to: str = Query("", alias="to", max_length=10), confidence: str = ConfidenceFilter,
                offset: int = Query(0, ge=0, le=1_000_000)):
    state = _state(request)
    filters = dict(type=type.strip() or None, country=country.strip() or None, actor=actor.strip() or None,
                   date_from=_date_or_none(date_from), date_to=_date_or_none(date_to),
                   min_confidence=_BANDS.get(confidence))
    result = state.run(queries.list_events, **filters, limit=PAGE_SIZE, offset=offset)
    timeline = state.run(queries.event_timeline, **filters)
    # The type menu needs the types only: stats() would also rank every speaker (0.4 s on 10,000 articles).
    types = state.run(queries.event_types)
    return _render("events.html", request, title="Events", items=result["items"],
                   pages=_pages(request, result["total"], offset), chart=_timeline_svg(timeline, request),
                   types=[t["type"] for t in types],
                   f={"type": type, "country": country, "actor": actor, "from": date_from, "to": date_to,
                      "confidence": confidence})


def _timeline_svg(rows: list[dict], request: Request) -> dict:
    """Return bar geometry for events per date: one bar per date value, linked to that date's events."""
    width, height, pad = 720, 120, 18
    if not rows:
        return {"bars": [], "width": width, "height": height}
    top = max(r["events"] for r in rows)
    step = (width - 2 * pad) / len(rows)
    bar = max(min(step * 0.8, 28), 2)
    params = {k: v for k, v in request.query_params.items() if k not in ("offset", "from", "to") and v}
    bars = []
    for i, r in enumerate(rows):
        h = max((height - 2 * pad) * r["events"] / top, 2)
        bars.append({
            "x": round(pad + i * step + (step - bar) / 2, 1), "y": round(height - pad - h, 1),
            "w": round(bar, 1), "h": round(h, 1), "date": r["date"], "events": r["events"],
            "href": f"/events?{urlencode({**params, 'from': r['date'], 'to': r['date']})}",
        })
    return {"bars": bars, "width": width, "height": height, "pad": pad, "top": top,
            "first": rows[0]["date"], "last": rows[-1]["date"]}


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, q: str = Query("", max_length=500)):
    state = _state(request)
    try:
        graph = state.run(queries.network, state.search, q=q.strip() or None, limit=40)
    except SearchQueryError as err:
        return _bad_query(request, q, err)
    return _render("network.html", request, title="Network", q=q, graph=_network_svg(graph))


# Node colours by kind: outlets, people, organisations, places and groups.
_NODE_COLOURS = {"OUTLET": "#64748b", "PERSON": "#2563eb", "ORG": "#d97706", "GPE": "#059669", "NORP": "#7c3aed"}


def _network_svg(graph: dict) -> dict:
    """Return circle-layout geometry for the network: nodes on a ring, edges as lines between them.

    A ring keeps every label readable without a physics engine; heavier edges
    are drawn thicker, and node size grows with the node's total edge weight.
    """
    size, radius = 760, 290
    centre = size / 2
    nodes = graph["nodes"]
    if not nodes:
        return {"nodes": [], "edges": [], "size": size}
    weight = {n["id"]: 0 for n in nodes}
    for e in graph["edges"]:
        weight[e["source"]] += e["weight"]
        weight[e["target"]] += e["weight"]
    placed = {}
    for i, n in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        placed[n["id"]] = {
            **n, "x": round(x, 1), "y": round(y, 1), "r": round(4 + 2.5 * math.sqrt(weight[n["id"]]), 1),
            "colour": _NODE_COLOURS.get(n["type"], "#6b7280"),
            "anchor": "start" if math.cos(angle) >= 0 else "end",
            "lx": round(x + (12 if math.cos(angle) >= 0 else -12), 1), "ly": round(y + 4, 1),
            "href": None if n["type"] == "OUTLET" else f"/speakers/{n['id']}",
        }
    edges = []
    for e in graph["edges"]:
        a, b = placed[e["source"]], placed[e["target"]]
        edges.append({**e, "x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"],
                      "w": round(min(1 + e["weight"], 6), 1), "quotes": e["kind"] == "quotes",
                      "title": f"{a['label']} {e['kind']} {b['label']} ({e['label']}, {e['weight']}x)"})
    return {"nodes": list(placed.values()), "edges": edges, "size": size}


def mount_ui(app: FastAPI) -> None:
    """Add the UI pages and ``/static`` to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
