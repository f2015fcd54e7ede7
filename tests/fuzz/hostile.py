"""Hostile inputs for ``newsgraph ingest``, written into a folder, the same bytes for the same seed.

``write_corpus(root, seed, scale)`` lays out::

    root/
      input/            the folder to ingest: good files, hostile files, feeds/
      secret/private_notes.txt
                        an article outside the input folder holding ``marker``:
                        the feeds in input/feeds/ link to it, and it must never
                        reach the store
      manifest.json     every case: id, file name, family, expectation

Each case is one file that holds at most one document, so the store should
settle it in exactly one way (``expect``):

- ``STORED``: a valid article (the good files, odd file names): stored (or
  stored as a copy of another).
- ``ONE_ROW``: a hostile input: exactly one ``failures`` row, or stored once;
  never nothing, never a row per line or byte, never a traceback.
- ``IGNORED``: not an input newsgraph reads (a ``.xml`` that is no feed): no row.

``scale`` sizes the heavy cases (``SCALES``): "small" keeps bombs at 200 MiB
decompressed, "full" is the benchmark's (1 GiB bombs, a million paragraphs,
a 19 MiB page). ``heavy=False`` leaves out the cases too slow or big for CI.
Which cases exist does not depend on the seed; only their bytes do (random
bytes, cut points, generated text, the marker). The same seed writes the same
bytes, except in the feeds that name the secret file by its absolute path.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "Case",
    "Corpus",
    "IGNORED",
    "ONE_ROW",
    "SCALES",
    "STORED",
    "Scale",
    "cases",
    "write_corpus",
]

STORED, ONE_ROW, IGNORED = "stored", "one row", "ignored"

MiB = 2**20


@dataclass(frozen=True)
class Scale:
    """Sizes of the heavy cases."""

    bomb_bytes: int  # decompressed size of each gzip, WARC-record and HTTP-body bomb, and of the huge header line
    paragraphs: int  # tiny <p> paragraphs in one page
    big_page_bytes: int  # a page of real-ish text (full: just under the 20 MiB input limit)
    long_line_bytes: int  # one .txt line without a newline


SCALES = {
    "small": Scale(bomb_bytes=200 * MiB, paragraphs=100_000, big_page_bytes=4 * MiB, long_line_bytes=5 * MiB),
    "full": Scale(bomb_bytes=1024 * MiB, paragraphs=1_000_000, big_page_bytes=19 * MiB, long_line_bytes=5 * MiB),
}


@dataclass(frozen=True)
class _Context:
    seed: int
    scale: Scale
    secret: Path
    marker: str

    def rng(self, case_id: str) -> random.Random:
        # A string seed is hashed with SHA-512 (not hash()): the same bytes in every process.
        return random.Random(f"{self.seed}:{case_id}")


@dataclass(frozen=True)
class Case:
    """One hostile (or good) input: where it goes under ``input/``, what it is, what the store should hold."""

    id: str  # a slug: pytest id, table row
    name: str  # path relative to the input folder; may hold newlines, non-UTF-8 bytes (surrogate-escaped)
    family: str
    expect: str  # STORED, ONE_ROW or IGNORED
    heavy: bool = False  # benchmark only: too slow or big for CI
    note: str = ""
    write: Callable[[Path, _Context], None] = field(default=None, repr=False, compare=False)


@dataclass
class Corpus:
    """A written corpus: the folder to ingest, the secret file and its marker, the cases written."""

    root: Path
    inputs: Path
    secret: Path
    marker: str
    seed: int
    scale: str
    cases: list[Case]

    def path(self, case: Case) -> Path:
        return self.inputs / case.name

    @property
    def good(self) -> list[Case]:
        return [c for c in self.cases if c.expect == STORED]


# -- real-ish news text ---------------------------------------------------------------------

_FIRST = ["Maria", "Tomas", "Aisha", "Daniel", "Priya", "Jonas", "Elena", "Samuel", "Grace", "Omar", "Hannah", "Luis",
          "Ingrid", "Kwame", "Sofia", "Rafael", "Mei", "Anders", "Fatima", "Pavel", "Chloe", "Dmitri", "Nadia", "Ravi"]
_LAST = ["Keller", "Lindqvist", "Okafor", "Reyes", "Natarajan", "Weber", "Petrova", "Adeyemi", "Liu", "Haddad",
         "Novak", "Ortega", "Brennan", "Castillo", "Moreau", "Tanaka", "Kowalski", "Mensah", "Silva", "Horvat"]
_ROLES = ["the mayor of", "a spokeswoman for", "the chief executive of", "a lawmaker from", "the police chief of",
          "a professor at the university in", "the head of the chamber of commerce in", "a union leader in"]
_PLACES = ["Lisbon", "Nairobi", "Toronto", "Melbourne", "Krakow", "Valencia", "Manila", "Bergen", "Accra", "Porto",
           "Tallinn", "Cordoba", "Durban", "Leeds", "Osaka", "Quito", "Tbilisi", "Gdansk", "Mombasa", "Halifax"]
_ORGS = ["the city council", "the transport union", "the health ministry", "the port authority",
         "the teachers' federation", "the regional government", "the water company", "the housing agency",
         "the national rail operator", "the farmers' association", "the electricity regulator"]
_TOPICS = ["a new tram line", "hospital waiting lists", "a strike at the docks", "flood defences", "school funding",
           "the price of bread", "a stadium project", "night-time noise rules", "rising rents", "a fuel tax",
           "the closure of a steel plant", "bus fares", "a bridge repair", "fishing quotas", "a hosepipe ban"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
_QUOTES = ["We have waited long enough and nothing has changed", "This is not the end of it",
           "People in this city deserve an honest answer", "We will not accept a plan written behind closed doors",
           "The numbers simply do not add up", "Nobody asked the families who live here",
           "We are ready to talk, but not to be ignored", "The money was promised and the money must arrive"]


def _sentence(rng: random.Random) -> str:
    who = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    surname = who.split()[-1]
    place, org, topic = rng.choice(_PLACES), rng.choice(_ORGS), rng.choice(_TOPICS)
    day, month, n = rng.choice(_DAYS), rng.choice(_MONTHS), rng.randint(2, 950)
    return rng.choice([
        f"{who}, {rng.choice(_ROLES)} {place}, said on {day} that {org} had mishandled {topic}.",
        f'"{rng.choice(_QUOTES)}," {surname} told reporters in {place} on {day}.',
        f"{org.capitalize()} rejected the criticism and said it would publish a plan on {topic} by {month}.",
        f"About {n} people gathered outside the town hall in {place} on {day} evening, police said.",
        f"According to {surname}, {topic} has cost {place} roughly {n} million euros since {month}.",
        f"The council meets again on {day}, when a vote on {topic} is expected.",
        f"Critics accused {org} of ignoring warnings about {topic} for {n % 12 + 2} years.",
        f"{who} urged both sides to meet again before the end of {month}.",
        f"A survey published in {month} found that {n % 90 + 5} percent of residents in {place} were unhappy "
        f"with {topic}.",
        f'"{rng.choice(_QUOTES)}," said {who}, who leads a residents\' group in {place}.',
    ])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _headline(rng: random.Random) -> str:
    return f"{rng.choice(_PLACES)}: row over {rng.choice(_TOPICS)} deepens"


def _article_html(rng: random.Random, paragraphs: int = 8) -> str:
    """Return a distinct news page (headline, date, quotes, places) drawn from ``rng``."""
    title = _headline(rng)
    body = "".join(f"<p>{_paragraph(rng)}</p>\n" for _ in range(paragraphs))
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f'<meta property="article:published_time" content="2026-03-{rng.randint(1, 28):02d}"></head>'
            f"<body><article><h1>{title}</h1>\n{body}</article></body></html>\n")


def _article_text(rng: random.Random, paragraphs: int = 8) -> str:
    return _headline(rng) + "\n\n" + "\n\n".join(_paragraph(rng) for _ in range(paragraphs)) + "\n"


def _text_of_size(rng: random.Random, size: int, sep: str) -> Iterator[str]:
    """Yield paragraphs joined by ``sep`` until about ``size`` characters (ASCII, so bytes too)."""
    written = 0
    while written < size:
        para = _paragraph(rng) + sep
        written += len(para)
        yield para


# -- gzip built without compressing every byte ---------------------------------------------------


def _gzip_repeat(out: io.BufferedWriter, head: bytes, unit: bytes, size: int, tail: bytes) -> None:
    """Write one gzip member of ``head + unit * k + tail`` (k so the middle is ~``size`` bytes).

    ``unit`` is deflated once, after a full flush (which resets the compressor's
    history), and its compressed bytes are written k times: a 1 GiB member
    costs a second instead of ten.
    """
    count = max(1, size // len(unit))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: header and trailer written here
    out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")  # gzip header, mtime 0: the same bytes every time
    out.write(comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH))
    block = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(count):
        out.write(block)
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    out.write(comp.compress(tail) + comp.flush(zlib.Z_FINISH))
    total = len(head) + len(unit) * count + len(tail)
    out.write(crc.to_bytes(4, "little") + (total % 2**32).to_bytes(4, "little"))


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


# -- valid examples (the sources of truncations and the good files) -------------------------------------


def _sample(name: str) -> bytes:
    return (resources.files("newsgraph") / "data" / "sample" / name).read_bytes()


def _sample_jsonl_line(index: int) -> bytes:
    return _sample("feed_articles.jsonl").splitlines()[index] + b"\n"


def _warc_record(html: str, gzipped: bool) -> bytes:
    """Return a WARC file of one HTML 200 response holding ``html``, fixed id and date (same bytes every time)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzipped)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://news.example/2026/03/story.html", "response", payload=io.BytesIO(html.encode("utf-8")),
        http_headers=http,
        warc_headers_dict={"WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-000000000001>",
                           "WARC-Date": "2026-03-10T12:00:00Z"},
    )
    writer.write_record(record)
    return buf.getvalue()


def _rss(items: list[dict[str, str]]) -> bytes:
    """Return an RSS 2.0 feed of ``items`` (title, link, and optional html for content:encoded)."""
    entries = []
    for i, item in enumerate(items, start=1):
        content = f"<content:encoded><![CDATA[{item['html']}]]></content:encoded>" if item.get("html") else ""
        entries.append(f"<item><title>{item['title']}</title><link>{item['link']}</link>"
                       f"<guid isPermaLink=\"false\">item-{i}</guid>"
                       f"<pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate>{content}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>Fuzz Wire</title><link>https://news.example/</link><description>Feed</description>"
            + "".join(entries) + "</channel></rss>\n").encode("utf-8")


def _valid(kind: str, ctx: _Context) -> bytes:
    """Return the valid example a truncation case cuts (each format its own article, apart from the good files)."""
    if kind == "html":
        return _sample("northfield_gazette_battery_sale.html")
    if kind == "html.gz":
        return _gzip(_sample("northfield_gazette_battery_sale.html"))
    if kind == "txt":
        return _sample("atlas_news_lagos_tariff_protests.txt")
    if kind == "jsonl":
        return _sample_jsonl_line(1)  # the Lowlands Herald record (embedded HTML)
    if kind in ("warc", "warc.gz"):
        return _warc_record(_article_html(ctx.rng("valid-warc")), gzipped=kind == "warc.gz")
    if kind == "rss":
        rng = ctx.rng("valid-rss")
        return _rss([{"title": _headline(rng), "link": "https://news.example/2026/03/feed-story.html",
                      "html": _article_html(rng)}])
    raise ValueError(kind)


# -- the writers ------------------------------------------------------------------------------------------


def _bytes(data: bytes | Callable[[_Context], bytes]) -> Callable[[Path, _Context], None]:
    def write(path: Path, ctx: _Context) -> None:
        path.write_bytes(data(ctx) if callable(data) else data)

    return write


def _random_bytes(case_id: str, size: int, gz: bool = False) -> Callable[[Path, _Context], None]:
    def write(path: Path, ctx: _Context) -> None:
        data = ctx.rng(case_id).randbytes(size)
        path.write_bytes(_gzip(data) if gz else data)

    return write


def _truncated(kind: str, case_id: str, cut: str) -> Callable[[Path, _Context], None]:
    def write(path: Path, ctx: _Context) -> None:
        data = _valid(kind, ctx)
        if cut == "half":
            end = len(data) // 2
        elif cut == "last-byte":
            end = len(data) - 1
        else:  # "random": anywhere in the middle 90%
            end = int(len(data) * ctx.rng(case_id).uniform(0.05, 0.95))
        path.write_bytes(data[:end])

    return write


def _long_word(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("txt-long-word")
    path.write_text("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(100_000)) + "\n")


def _long_line(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("txt-long-line")
    with path.open("w", encoding="utf-8") as out:
        out.writelines(_text_of_size(rng, ctx.scale.long_line_bytes, " "))


def _near_model_limit(path: Path, ctx: _Context) -> None:
    # Just under the model's 1,000,000-character limit (annotate/nlp.py MAX_TEXT_CHARS): parsed, not refused.
    rng = ctx.rng("txt-near-model-limit")
    with path.open("w", encoding="utf-8") as out:
        out.write(_headline(rng) + "\n\n")
        out.writelines(_text_of_size(rng, 960_000, "\n\n"))


def _many_paragraphs(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("html-many-paragraphs")
    words = ["vote", "rain", "port", "tax", "bus", "fish", "rent", "road", "bank", "farm", "mill", "pier"]
    with path.open("w", encoding="utf-8") as out:
        out.write(f"<html><head><title>{_headline(rng)}</title></head><body><article>\n")
        for _ in range(ctx.scale.paragraphs):
            out.write(f"<p>{rng.choice(words)}.</p>\n")
        out.write("</article></body></html>\n")


def _big_page(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("html-big-page")
    with path.open("w", encoding="utf-8") as out:
        out.write(f"<html><head><title>{_headline(rng)}</title></head><body><article>\n")
        for para in _text_of_size(rng, ctx.scale.big_page_bytes - 200, ""):
            out.write(f"<p>{para}</p>\n")
        out.write("</article></body></html>\n")


def _deep_divs(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("html-deep-divs")
    depth = 100_000
    paragraphs = "".join(f"<p>{_paragraph(rng)}</p>" for _ in range(4))
    path.write_text(f"<html><head><title>{_headline(rng)}</title></head><body>" + "<div>" * depth
                    + f"<article>{paragraphs}</article>" + "</div>" * depth + "</body></html>\n")


def _jsonl_record(rng: random.Random, **extra) -> dict:
    return {"id": f"fuzz-{rng.randint(0, 10**9)}", "title": _headline(rng), "published": "2026-03-10",
            "text": "\n\n".join(_paragraph(rng) for _ in range(6)), **extra}


def _long_number(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("jsonl-long-number")
    record = json.dumps(_jsonl_record(rng, views=0))
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(4_999))
    path.write_text(record.replace('"views": 0', f'"views": {digits}') + "\n")


def _deep_nesting(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("jsonl-deep-nesting")
    record = json.dumps(_jsonl_record(rng, tags=0))
    depth = 100_000
    path.write_text(record.replace('"tags": 0', '"tags": ' + "[" * depth + "]" * depth) + "\n")


def _lone_surrogate(path: Path, ctx: _Context) -> None:
    rng = ctx.rng("jsonl-lone-surrogate")
    record = _jsonl_record(rng)
    # json.dumps escapes a lone surrogate as \ud800 (ASCII), which json.loads turns back into one.
    record["title"] += " \ud800"
    record["text"] = record["text"].replace(". ", ". \ud800 ", 1)
    path.write_text(json.dumps(record) + "\n", encoding="ascii")


def _gz_bomb_html(path: Path, ctx: _Context) -> None:
    with path.open("wb") as out:
        _gzip_repeat(out, b"<html><body><article><p>", b"<p>news</p>" * 4096, ctx.scale.bomb_bytes,
                     b"</article></body></html>\n")


def _gz_bomb_jsonl(path: Path, ctx: _Context) -> None:
    with path.open("wb") as out:  # one line: a record whose text is the whole bomb
        _gzip_repeat(out, b'{"title": "Bomb", "text": "', b"news " * 8192, ctx.scale.bomb_bytes, b'"}\n')


def _warc_head(content_length: int, extra: str = "") -> bytes:
    return ("WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-0000000000b0>\r\n"
            "WARC-Date: 2026-03-10T12:00:00Z\r\nWARC-Target-URI: https://news.example/bomb.html\r\n"
            f"{extra}Content-Type: application/http; msgtype=response\r\nContent-Length: {content_length}\r\n\r\n"
            ).encode("ascii")


_HTTP_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"


def _warc_payload_bomb(path: Path, ctx: _Context) -> None:
    unit = b"<p>news</p>" * 4096
    count = max(1, ctx.scale.bomb_bytes // len(unit))
    body_head, body_tail = _HTTP_HEAD + b"<html><body>", b"</body></html>"
    length = len(body_head) + len(unit) * count + len(body_tail)  # an honest Content-Length
    with path.open("wb") as out:
        _gzip_repeat(out, _warc_head(length) + body_head, unit, len(unit) * count, body_tail + b"\r\n\r\n")


def _warc_header_bomb(path: Path, ctx: _Context) -> None:
    # The WARC-Target-URI header line alone is bomb_bytes long: a reader that reads a line whole holds it all.
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2026-03-10T12:00:00Z\r\n"
            b"WARC-Target-URI: https://news.example/")
    body = _HTTP_HEAD + b"<html><body><p>short</p></body></html>"
    tail = (f".html\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode("ascii") + body + b"\r\n\r\n"
    with path.open("wb") as out:
        _gzip_repeat(out, head, b"a" * 65536, ctx.scale.bomb_bytes, tail)


def _http_gzip_bomb(path: Path, ctx: _Context) -> None:
    # A plain .warc whose HTTP body is gzip content-encoded: warcio's content_stream() inflates it.
    inner = io.BytesIO()
    _gzip_repeat(inner, b"<html><body>", b"<p>news</p>" * 4096, ctx.scale.bomb_bytes, b"</body></html>")
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
            + f"Content-Length: {len(inner.getvalue())}\r\n\r\n".encode("ascii"))
    block = http + inner.getvalue()
    path.write_bytes(_warc_head(len(block)) + block + b"\r\n\r\n")


def _secret_feed(link: Callable[[_Context], str]) -> Callable[[Path, _Context], None]:
    def write(path: Path, ctx: _Context) -> None:
        path.write_bytes(_rss([{"title": "Private notes", "link": link(ctx)}]))

    return write


def _odd(case_id: str, html: bool = True) -> Callable[[Path, _Context], None]:
    def write(path: Path, ctx: _Context) -> None:
        rng = ctx.rng(case_id)
        path.write_text(_article_html(rng) if html else _article_text(rng), encoding="utf-8")

    return write


def _secret_text(ctx: _Context) -> str:
    """Return the private notes: a plain news-like text (so a leak would be stored) with the marker in every paragraph."""
    rng = ctx.rng("secret")
    paragraphs = [f"{_paragraph(rng)} Reference {ctx.marker} applies to this note." for _ in range(6)]
    return "Private notes, not for publication\n\n" + "\n\n".join(paragraphs) + "\n"


# -- the cases --------------------------------------------------------------------------------------------


def _all_cases() -> list[Case]:
    c: list[Case] = []
    good = [
        ("good-html-harbour", "good/harbour_courier_dock_workers.html", "harbour_courier_dock_workers.html"),
        ("good-html-meridian", "good/meridian_wire_geneva_pledges.html", "meridian_wire_geneva_pledges.html"),
        ("good-txt-albion", "good/albion_news_hosepipe_ban.txt", "albion_news_hosepipe_ban.txt"),
        ("good-txt-blaze", "good/daily_blaze_ashworth_penalty.txt", "daily_blaze_ashworth_penalty.txt"),
    ]
    for case_id, name, sample in good:
        c.append(Case(case_id, name, "good", STORED, write=_bytes(lambda _ctx, s=sample: _sample(s))))
    c.append(Case("good-jsonl-seaboard", "good/seaboard_trawlers.jsonl", "good", STORED,
                  write=_bytes(lambda _ctx: _sample_jsonl_line(0))))

    c += [
        Case("odd-unicode", "odd names/Zürich café 新聞 — report.html", "odd name", STORED, write=_odd("odd-unicode")),
        Case("odd-spaces-quotes", "odd names/my  article 'final' (copy) .txt", "odd name", STORED,
             write=_odd("odd-spaces-quotes", html=False)),
        Case("odd-leading-dash", "odd names/-rf --db x.html", "odd name", STORED, write=_odd("odd-leading-dash")),
        Case("odd-newline", "odd names/line\nbreak.html", "odd name", STORED, write=_odd("odd-newline")),
        Case("odd-hash-colon", "odd names/story#2:3.txt", "odd name", STORED,
             write=_odd("odd-hash-colon", html=False)),
        # Not valid UTF-8 (\xe9 is Latin-1 e-acute): Python holds it as a lone surrogate, the store as "\\xe9".
        Case("odd-non-utf8", "odd names/caf\udce9-latin1.html", "odd name", STORED, write=_odd("odd-non-utf8"),
             note="file name bytes are not UTF-8"),
    ]

    c += [
        Case("txt-long-word", "long-word.txt", "long text", ONE_ROW, write=_long_word,
             note="one 100,000-character word"),
        Case("txt-long-line", "long-line.txt", "long text", ONE_ROW, write=_long_line,
             note="5 MB of sentences on one line"),
        Case("txt-near-model-limit", "near-model-limit.txt", "long text", ONE_ROW, heavy=True,
             write=_near_model_limit, note="960,000 characters of text: under the model's limit, so parsed"),
        Case("html-many-paragraphs", "many-paragraphs.html", "big html", ONE_ROW, heavy=True,
             write=_many_paragraphs, note="scale.paragraphs tiny <p>"),
        Case("html-big-page", "big-page.html", "big html", ONE_ROW, heavy=True, write=_big_page,
             note="scale.big_page_bytes of real-ish text"),
        Case("html-deep-divs", "deep-divs.html", "big html", ONE_ROW, write=_deep_divs,
             note="an article inside 100,000 nested <div>"),
        Case("jsonl-long-number", "long-number.jsonl", "jsonl", ONE_ROW, write=_long_number,
             note="a 5,000-digit number in a valid record"),
        Case("jsonl-deep-nesting", "deep-nesting.jsonl", "jsonl", ONE_ROW, write=_deep_nesting,
             note="a 100,000-deep array in a valid record"),
        Case("jsonl-lone-surrogate", "lone-surrogate.jsonl", "jsonl", ONE_ROW, write=_lone_surrogate,
             note='"\\ud800" in title and text'),
        Case("jsonl-random-binary", "random-binary.jsonl", "jsonl", ONE_ROW, write=_random_bytes(
            "jsonl-random-binary", MiB), note="1 MiB of random bytes"),
        Case("jsonl-empty", "empty.jsonl", "empty", ONE_ROW, write=_bytes(b"")),
        Case("warc-gz-empty", "empty.warc.gz", "empty", ONE_ROW, write=_bytes(b"")),
        Case("warc-empty", "empty.warc", "empty", ONE_ROW, write=_bytes(b"")),
        Case("warc-gz-payload-bomb", "payload-bomb.warc.gz", "bomb", ONE_ROW, write=_warc_payload_bomb,
             note="a response record whose HTML payload is scale.bomb_bytes"),
        Case("warc-gz-header-bomb", "header-bomb.warc.gz", "bomb", ONE_ROW, heavy=True, write=_warc_header_bomb,
             note="a WARC header line of scale.bomb_bytes"),
        Case("warc-http-gzip-bomb", "http-gzip-bomb.warc", "bomb", ONE_ROW, write=_http_gzip_bomb,
             note="an HTTP body with Content-Encoding: gzip inflating to scale.bomb_bytes"),
        Case("gz-bomb-html", "bomb.html.gz", "bomb", ONE_ROW, write=_gz_bomb_html,
             note="inflates to scale.bomb_bytes"),
        Case("gz-bomb-jsonl", "bomb.jsonl.gz", "bomb", ONE_ROW, write=_gz_bomb_jsonl,
             note="one line inflating to scale.bomb_bytes"),
        Case("rss-leak-file-url", "feeds/leak-file-url.rss", "secret", ONE_ROW,
             write=_secret_feed(lambda ctx: ctx.secret.resolve().as_uri()), note="<link>file:///.../secret</link>"),
        Case("rss-leak-relative", "feeds/leak-relative.rss", "secret", ONE_ROW,
             write=_secret_feed(lambda _ctx: "../../secret/private_notes.txt"), note="<link>../../secret/...</link>"),
        Case("rss-leak-absolute", "feeds/leak-absolute.rss", "secret", ONE_ROW,
             write=_secret_feed(lambda ctx: str(ctx.secret.resolve())), note="<link>/abs/.../secret</link>"),
    ]

    random_kinds = [("html", ONE_ROW), ("txt", ONE_ROW), ("warc", ONE_ROW), ("warc.gz", ONE_ROW), ("rss", ONE_ROW),
                    ("xml", IGNORED), ("html.gz", ONE_ROW), ("txt.gz", ONE_ROW), ("jsonl.gz", ONE_ROW),
                    ("rss.gz", ONE_ROW), ("xml.gz", IGNORED)]
    for ext, expect in random_kinds:
        case_id = f"random-{ext.replace('.', '-')}"
        c.append(Case(case_id, f"random/random.{ext}", "random bytes", expect,
                      write=_random_bytes(case_id, 64 * 1024), note="64 KiB of random bytes"))
    for ext in ("html.gz", "jsonl.gz", "warc.gz"):
        case_id = f"random-in-gzip-{ext.replace('.', '-')}"
        c.append(Case(case_id, f"random/in-gzip.{ext}", "random bytes", ONE_ROW,
                      write=_random_bytes(case_id, 64 * 1024, gz=True), note="valid gzip of 64 KiB random bytes"))

    for kind in ("html", "html.gz", "txt", "jsonl", "warc", "warc.gz", "rss"):
        for cut in ("half", "random", "last-byte"):
            case_id = f"truncated-{kind.replace('.', '-')}-{cut}"
            c.append(Case(case_id, f"truncated/{cut}.{kind}", "truncated", ONE_ROW,
                          write=_truncated(kind, case_id, cut), note=f"a valid {kind} cut at {cut}"))
    return c


def cases(heavy: bool = True) -> list[Case]:
    """Return the cases ``write_corpus`` writes (without the heavy ones if ``heavy`` is False), in a fixed order."""
    return [c for c in _all_cases() if heavy or not c.heavy]


def write_corpus(
    root: str | Path, seed: int = 0, scale: str = "small", heavy: bool = True, only: set[str] | None = None
) -> Corpus:
    """Write the corpus under ``root`` (see the module docstring) and return it.

    ``only``: write just the cases with these ids, and the ``STORED`` ones (good files, odd names) always.
    """
    root = Path(root)
    inputs, secret = root / "input", root / "secret" / "private_notes.txt"
    marker = f"PRIVMARK{seed}X{random.Random(f'{seed}:marker').getrandbits(48):012x}"
    ctx = _Context(seed=seed, scale=SCALES[scale], secret=secret, marker=marker)
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(_secret_text(ctx), encoding="utf-8")
    chosen = [c for c in cases(heavy) if only is None or c.id in only or c.expect == STORED]
    for case in chosen:
        path = inputs / case.name
        path.parent.mkdir(parents=True, exist_ok=True)
        case.write(path, ctx)
    manifest = {"seed": seed, "scale": scale, "scale_sizes": asdict(ctx.scale), "marker": marker,
                "secret": str(secret), "inputs": str(inputs),
                "cases": [{k: v for k, v in asdict(case).items() if k != "write"} for case in chosen]}
    # ensure_ascii: a surrogate-escaped (non-UTF-8) file name stays writable as \udcXX.
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return Corpus(root=root, inputs=inputs, secret=secret, marker=marker, seed=seed, scale=scale, cases=chosen)


if __name__ == "__main__":  # python tests/fuzz/hostile.py DIR [SEED] [SCALE]: write a corpus to look at
    import sys

    out = write_corpus(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0,
                       sys.argv[3] if len(sys.argv) > 3 else "small")
    print(f"{len(out.cases)} cases in {out.inputs}; secret marker {out.marker} in {out.secret}")
