"""A real local news site over HTTP, for the web-ingest tests and benchmarks (standard library only).

    with NewsSite(articles=60, name="daily") as site:
        site.url("/feed.xml")       # http://127.0.0.1:PORT/feed.xml
        site.publish(3)             # three new articles at the front of the feed and of sitemap b
        site.paths()                # every path asked for, in the order the requests came in

It binds one address (127.0.0.1 and a free port by default), serves from
daemon threads (``ThreadingHTTPServer``, HTTP/1.1 keep-alive) and connects
nowhere. Importable without pytest: a benchmark puts the repository root on
``sys.path`` and imports ``tests.ingest.web.site``.

Articles are written on the fly, deterministically from their index and the
site's ``name`` (word lists: people, cities, organisations, topics): a news
page of 6-8 paragraphs (450+ words) with direct quotes (``"...," said Maria
Lopez, the city's housing director.``) and indirect ones. Titles differ
within a site and between sites of different names.

Paths:

- ``/news/<slug>.html``: an article (gzip when asked; ETag/Last-Modified, 304).
- ``/private/<slug>.html``: an article robots.txt forbids (linked from the
  feed twice and from sitemap a once: a polite crawler never asks for it).
- ``/feed.xml``: RSS 2.0, the newest 48 articles plus the 2 private ones (50 items).
- ``/sitemap_index.xml`` -> ``/sitemaps/a.xml`` (a urlset of the older
  articles and one private URL) and ``/sitemaps/b.xml`` (a Google News
  sitemap of the newest 30). Feed and sitemaps: ETag, Last-Modified, 304.
- ``/robots.txt``: ``Disallow: /private/`` and the ``Sitemap:`` line.
- ``/section/world/``: a section page: a nav menu, 20 article links, one external link.
- ``/redirect/<slug>``: 301 to the article; ``/loop/a`` <-> ``/loop/b``: 302 forever.
- ``/status/404``, ``/status/500`` (always); ``/status/429`` and
  ``/status/503``: the status with ``Retry-After: 1`` the first time that path
  (query included) is asked for, then article 0.
- ``/slow``: article 0 after ``slow_seconds``.
- ``/drip``: 200 text/html, no length, one byte every 0.5 s for up to 10 minutes.
- ``/huge``: ``Content-Length: 2147483648`` and 64 KiB chunks until the client
  leaves; ``/huge-chunked``: the same, ended by closing the connection.
- ``/image.png``: a 1x1 PNG; ``/plain.json``: JSON; anything else: 404.

``latency`` seconds pass before any answer. ``stop()`` is prompt even while
answers stream: handlers wait on an Event that ``stop()`` sets, and open
connections are shut down.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import html
import json
import random
import re
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as _xml

__all__ = ["NewsSite", "Request"]

FEED_ITEMS = 50  # 48 articles + 2 private pages
FEED_PRIVATE = 2
NEWS_SITEMAP_ITEMS = 30  # sitemap b: the newest articles
SECTION_LINKS = 20
HUGE_LENGTH = 2 * 1024**3
CHUNK = 64 * 1024
DRIP_SECONDS = 600.0

_BASE_DATE = datetime(2022, 1, 3, 8, 0, tzinfo=timezone.utc)
_SPACING = timedelta(minutes=90)  # between two consecutive articles


@dataclass(frozen=True)
class Request:
    """One request the site received: when (``time.monotonic()``), what, and the status answered (0: not yet)."""

    at: float
    method: str
    path: str  # with the query
    headers: dict[str, str]  # lowercase names
    status: int


# -- the words articles are made of ------------------------------------------------------------

CITIES = ["Portland", "Sacramento", "Tucson", "Albany", "Madison", "Raleigh", "Boise", "Spokane", "Omaha",
          "Richmond", "Savannah", "Tacoma", "Fresno", "Dayton", "Toledo", "Knoxville", "Lexington", "Des Moines",
          "Anchorage", "Honolulu", "Burlington", "Providence", "Hartford", "Santa Fe", "El Paso", "Bakersfield",
          "Chattanooga", "Pittsburgh", "Milwaukee", "Denver", "Austin", "Reno", "Salem", "Olympia", "Duluth",
          "Asheville", "Eugene", "Boulder", "Ann Arbor", "Syracuse"]
BODIES = ["city council", "transit agency", "school board", "port authority", "health department", "water utility",
          "housing authority", "planning commission", "county board", "parks department", "police oversight board",
          "library board", "zoning board", "energy cooperative", "hospital district", "university board",
          "airport authority", "sanitation department", "fire district", "election commission", "tourism office",
          "teachers union", "transportation department", "regional development agency"]
VERBS = [("approves", "approved"), ("delays", "delayed"), ("rejects", "rejected"), ("expands", "expanded"),
         ("reviews", "reviewed"), ("scales back", "scaled back"), ("unveils", "unveiled"), ("revives", "revived"),
         ("pauses", "paused"), ("funds", "funded"), ("backs", "backed"), ("shelves", "shelved"),
         ("revises", "revised"), ("fast-tracks", "fast-tracked"), ("questions", "questioned"),
         ("defends", "defended"), ("extends", "extended"), ("finalizes", "finalized"), ("postpones", "postponed"),
         ("launches", "launched")]
TOPICS = ["housing plan", "bus network overhaul", "water rate increase", "flood barrier project", "school budget",
          "bike lane expansion", "rent stabilization measure", "downtown rezoning", "hospital merger",
          "wildfire prevention program", "port expansion", "library renovation", "affordable housing fund",
          "stormwater fee", "light rail extension", "property tax relief", "homeless shelter plan", "park redesign",
          "lead pipe replacement", "electric bus contract", "teacher pay deal", "road repair program",
          "curbside composting pilot", "short-term rental rules", "riverfront development", "broadband rollout",
          "heat emergency plan", "police budget", "mental health clinic", "airport noise rules",
          "solar farm proposal", "minimum wage ordinance", "snow removal contract", "landfill closure",
          "youth jobs program", "bridge retrofit", "senior center funding", "election security upgrade",
          "tree planting initiative", "public pool reopening"]
# (in a title, in a sentence)
TAILS = [("after months of debate", "after months of debate"), ("despite protests", "despite protests outside"),
         ("as costs climb", "as projected costs continue to climb"), ("ahead of winter", "ahead of the winter"),
         ("in narrow vote", "in a narrow vote"), ("amid budget gap", "amid a widening budget gap"),
         ("after state audit", "after a critical state audit"), ("following lawsuit", "following a lawsuit"),
         ("under public pressure", "under growing public pressure"), ("with federal help", "with federal help"),
         ("over neighbors' objections", "over the objections of neighbors"),
         ("after heated hearing", "after a heated hearing"), ("as election nears", "as the election nears"),
         ("in surprise move", "in a surprise move"), ("after contractor dispute", "after a contractor dispute"),
         ("amid staffing shortage", "amid a staffing shortage"), ("after record turnout", "after record turnout"),
         ("for second time", "for the second time"), ("despite legal warnings", "despite legal warnings"),
         ("after long wait", "after a long wait"), ("amid inflation worries", "amid worries about inflation"),
         ("after storm damage", "after last month's storm damage"), ("at marathon meeting", "at a marathon meeting"),
         ("as enrollment falls", "as enrollment falls"), ("in unanimous vote", "in a unanimous vote"),
         ("after mayor's veto threat", "after the mayor threatened a veto"),
         ("after consultant report", "after a consultant's report"), ("as ridership rebounds", "as ridership rebounds"),
         ("amid transparency concerns", "amid concerns about transparency"),
         ("before summer deadline", "before a summer deadline")]
FIRST = ["Maria", "James", "Aisha", "Daniel", "Priya", "Jonas", "Elena", "Marcus", "Grace", "Tomas", "Fatima",
         "Robert", "Mei", "Samuel", "Olivia", "Andre", "Hannah", "Luis", "Naomi", "Victor", "Rachel", "Kwame",
         "Sofia", "Peter", "Leila", "Gabriel", "Ingrid", "Omar", "Catherine", "Diego", "Yuki", "Patrick", "Amara",
         "Henry", "Lucia", "Nikolai", "Beatriz", "Ethan", "Zainab", "Walter"]
LAST = ["Lopez", "Keller", "Okafor", "Reyes", "Natarajan", "Weber", "Novak", "Bennett", "Chen", "Lindqvist",
        "Haddad", "Sullivan", "Tanaka", "Mensah", "Fischer", "Duarte", "Kowalski", "Morrison", "Abara", "Petrov",
        "Goldberg", "Asante", "Moreau", "Castillo", "Brennan", "Nakamura", "Ibrahim", "Larsen", "Whitfield",
        "Herrera", "Sato", "Donovan", "Adeyemi", "Harper", "Romano", "Volkov", "Carvalho", "Turner", "Yusuf",
        "Campbell"]
AREAS = ["housing", "transportation", "finance", "public works", "planning", "health", "parks", "budget"]
NEIGHBORHOODS = ["Eastside", "Northgate", "Riverside", "Old Town", "Hillcrest", "Southport", "Maple Heights",
                 "Lakeview", "Westbrook", "Midtown", "Cedar Park", "Harbor District"]
INSTITUTES = ["Center for Civic Research", "Regional Policy Institute", "Taxpayers Alliance",
              "Coalition for Fair Housing", "Institute for Urban Economics", "League of Neighborhoods"]
COLLEGES = ["the state university", "Northwood College", "the community college", "Lakeshore University"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ROLES = ["the city's {area} director", "a spokesperson for the {body}", "the chair of the {body}",
         "a member of the {body}", "an economist at {college}", "a longtime resident of {hood}",
         "the head of the {city} Tenants Union", "a policy analyst at the {institute}",
         "the mayor's chief of staff", "a small-business owner in {hood}", "the {body}'s general counsel",
         "a former {area} official", "an organizer with the {institute}", "the county's chief financial officer"]

NARRATIVE = [
    "The {topic} has been debated in {city} for more than {years} years, and officials have repeatedly pushed back "
    "their own deadlines.",
    "Under the current proposal, the {body} would spend about {money} over the next {years} years.",
    "Residents packed a meeting room on {weekday} evening, and dozens signed up to speak during the public comment "
    "period.",
    "Budget documents show that the expected cost has risen by roughly {pct} percent since the plan was first "
    "introduced.",
    "Supporters say the change is long overdue, while critics argue that the timeline leaves too little room for "
    "independent review.",
    "The decision came after a hearing of nearly {hours} hours that stretched late into the night.",
    "A similar effort in a neighboring county stalled last year amid legal challenges from business groups and "
    "property owners.",
    "Neighborhood groups in {hood} have organized petitions, small rallies and a series of town hall meetings "
    "since the spring.",
    "State officials are expected to weigh in before the end of {month}, according to a draft schedule posted "
    "online.",
    "An analysis released last month by the {institute} estimated that about {num} households could be affected.",
    "Several members asked staff to return with more detailed cost estimates before any final decision is made.",
    "The plan would be paid for in part by a bond measure that voters narrowly approved {years} years ago.",
    "Turnout at the hearing was higher than at any meeting of the {body} in recent memory, staff members said.",
    "Local business owners have been split, with some warning about construction delays and others welcoming "
    "the investment.",
    "The proposal now moves to a second reading, where it could still be amended before a final vote in {month}.",
    "Records obtained by this newspaper show that the project's cost estimate was revised at least {small} times.",
    "Federal money covers roughly a third of the cost, but that share depends on meeting strict construction "
    "deadlines.",
    "Advocates for older residents and people with disabilities have asked for more outreach before the work "
    "begins.",
    "The {body} has struggled to fill vacant positions, which officials say has slowed planning for the {topic}.",
    "A citizen advisory panel spent much of last year studying the options and presented its findings in {month}.",
    "Opponents collected more than {num} signatures in an effort to force the question onto next year's ballot.",
    "The last major change of this kind in {city} took place more than a decade ago and ended up over budget.",
    "Engineers hired by the {body} said in a written report that the existing system was near the end of its "
    "useful life.",
    "Some residents of {hood} said they first learned about the plan from a flyer taped to their front doors.",
    "A spokesperson for the mayor's office said the administration was still reviewing the details of the "
    "agreement.",
    "The {body} will hold two more listening sessions, one online and one at a recreation center in {hood}.",
]
FILLERS = [
    "The meeting lasted nearly {hours} hours.", "No final vote has been scheduled.",
    "Officials did not give a firm date.",
    "Public comment remains open until {month} {day}.", "The next hearing is set for {month} {day}.",
    "The vote was {votes}.", "Staff will report back within {small} weeks.", "Questions about the cost remain.",
    "Several speakers were cut off by the time limit.", "The details are still being negotiated.",
]
QUOTES = [
    "We have waited far too long for a plan that actually works for families in {city}",
    "This is not a perfect proposal, but it is a serious one and it deserves a vote",
    "People want to know where the money is going and when they will finally see results",
    "I have heard from hundreds of residents, and most of them are simply tired of the delays",
    "Nobody on this board wants to raise costs, but doing nothing is not free either",
    "The numbers we were given last spring no longer hold up, and we should say so plainly",
    "If we get this wrong, it is the people in {hood} who will pay for it",
    "We are not going to rush a decision that will shape this city for thirty years",
    "Every month we wait, the price goes up and the problem gets harder to fix",
    "I understand the frustration, and frankly I share a lot of it",
    "There is real money on the table right now, and it will not be there forever",
    "We owe the public a clear answer about what this will cost and who will pay",
    "My neighbors are not against change, they are against being left out of the conversation",
    "The staff did careful work, but the community deserves more time to read it",
    "This is the most important vote I will take this year",
    "We built the old system for a city that no longer exists",
    "Nobody could tell us how the schedule would hold up if the state money falls through",
    "I would rather be honest about the trade-offs than promise something we cannot deliver",
    "We heard the concerns about noise and traffic, and we changed the design because of them",
    "It is easy to say no to a plan, and much harder to offer a better one",
    "The families I talk to are making impossible choices every single month",
    "We have done the studies, we have held the hearings, and now it is time to act",
    "Trust is the thing we are short on, not ideas",
    "I want the people of {city} to hold us accountable for every dollar of this",
    "A plan that nobody can afford to finish is not really a plan",
    "We can fix this, but only if the state and the county come to the table with us",
    "What worries me most is what happens to the people who are already struggling",
    "We are asking residents to be patient one more time, and I know that is a lot to ask",
]
INDIRECT = [
    "{who} said the {body} would publish a revised timeline by the end of {month}.",
    "{who} told the board that staff had underestimated how many residents depend on the service.",
    "According to {whoc} the first phase of the work could begin as early as next {season}.",
    "{who} argued that the {topic} should be paired with stronger protections for renters and small businesses.",
    "{who} acknowledged that the {body} had not yet secured all of the federal money it was counting on.",
    "{who} warned that further delays would push the cost even higher and erode public trust.",
    "{who} said the agency had received more than {num} written comments, most of them critical.",
    "{who} noted that the plan had already been scaled back twice to win over skeptical members.",
    "{who} said that an independent auditor would review the contracts before any money was spent.",
    "{who} told reporters that negotiations with the state were continuing and were expected to last several weeks.",
    "According to {whoc} the savings promised by supporters depend on assumptions that have not been tested.",
    "{who} said residents of {hood} would be the first to see changes under the plan.",
    "{who} insisted that the concerns raised at the hearing had been taken seriously by staff.",
    "{who} suggested that the {body} could revisit the decision if costs rose by more than {pct} percent.",
    "{who} said the city had no backup plan if the bond measure failed.",
    "{who} added that a final report on the {topic} would be presented to the public in {month}.",
    "{who} conceded that the outreach so far had not reached many of the people most affected.",
    "{who} said a lawsuit was possible if the {body} moved forward without a full environmental review.",
]
SEASONS = ["spring", "summer", "fall", "winter"]


def _word_count(text: str) -> int:
    return len(text.split())


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _http_date(when: datetime) -> str:
    return email.utils.format_datetime(when.astimezone(timezone.utc), usegmt=True)


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _png() -> bytes:
    """A valid 1x1 RGBA PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x6f\xb4\xff")) \
        + chunk(b"IEND", b"")


PNG = _png()

# Titles: one combination of (city, body, verb, amount, topic, tail) per article, TITLE_SPACE (11.5 billion) in all.
# Article k of a site takes combination ((k + the site's offset) mod SITE_CAPACITY) * _SITE_STRIDE + (the site's
# residue), scrambled by a bijection: titles never repeat within a site, and two sites share none unless their
# names have the same residue (1 in a million) and nearby offsets.
_AMOUNTS = 500  # "$5 million" to "$504 million"
_RADIX = (len(TAILS), len(TOPICS), _AMOUNTS, len(VERBS), len(BODIES), len(CITIES))
TITLE_SPACE = 1
for _r in _RADIX:
    TITLE_SPACE *= _r
_SITE_STRIDE = 1_000_003  # prime
_SCRAMBLE = 7919  # prime, coprime with TITLE_SPACE (whose factors are 2, 3 and 5)
SITE_CAPACITY = TITLE_SPACE // _SITE_STRIDE  # 11,519 articles per site before titles get a "(part N)" suffix


def _site_hash(name: str) -> tuple[int, int]:
    """(residue, offset) of the site ``name``."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % _SITE_STRIDE, int.from_bytes(digest[8:16], "big") % SITE_CAPACITY


def _combination(name: str, k: int) -> tuple[int, ...]:
    """(city, body, verb, amount, topic, tail, part) indexes of article ``k``'s title on the site ``name``."""
    part, k = divmod(k, SITE_CAPACITY)
    residue, offset = _site_hash(name)
    c = ((k + offset) % SITE_CAPACITY * _SITE_STRIDE + residue) * _SCRAMBLE % TITLE_SPACE
    digits = []
    for radix in _RADIX:
        c, d = divmod(c, radix)
        digits.append(d)
    tail, topic, amount, verb, body, city = digits
    return city, body, verb, amount, topic, tail, part


@dataclass(frozen=True)
class _Article:
    key: int  # the generation index (private pages: negative)
    slug: str
    title: str
    published: datetime
    city: str
    reporter: str
    paragraphs: tuple[str, ...]
    summary: str
    private: bool

    @property
    def path(self) -> str:
        return f"/{'private' if self.private else 'news'}/{self.slug}.html"


def _title(name: str, key: int) -> tuple[str, tuple[int, ...]]:
    # private pages take combinations from the top of the site's range, articles from the bottom
    k = key if key >= 0 else SITE_CAPACITY + key
    combo = _combination(name, k)
    city, body, verb, amount, topic, tail, part = combo
    text = f"{CITIES[city]} {BODIES[body]} {VERBS[verb][0]} ${amount + 5} million {TOPICS[topic]} {TAILS[tail][0]}"
    if part:
        text += f" (part {part + 1})"
    return text[0].upper() + text[1:], combo


def _write_article(name: str, key: int, published: datetime, private: bool) -> _Article:
    """The article ``key`` of the site ``name``: deterministic, 6-8 paragraphs of 60-90 words, 450+ words."""
    title, (city_i, body_i, verb_i, amount_i, topic_i, tail_i, _part) = _title(name, key)
    money = f"${amount_i + 5} million"
    rng = random.Random(f"{name}\x00{key}")
    city, body, topic = CITIES[city_i], BODIES[body_i], TOPICS[topic_i]
    names = list(zip(rng.sample(FIRST, 4), rng.sample(LAST, 4)))  # four surnames: "Lopez said" is one person
    reporter = f"{names[3][0]} {names[3][1]}"
    people = []
    for (first, last), role in zip(names[:3], rng.sample(ROLES, 3)):
        role = role.format(area=rng.choice(AREAS), body=body, college=rng.choice(COLLEGES),
                           hood=rng.choice(NEIGHBORHOODS), city=city, institute=rng.choice(INSTITUTES))
        people.append({"full": f"{first} {last}", "sur": last, "role": role, "named": False})
    hood = rng.choice(NEIGHBORHOODS)
    institute = rng.choice(INSTITUTES)

    def fill(template: str, **extra: str) -> str:
        values = dict(city=city, body=body, topic=topic, hood=hood, institute=institute,
                      years=str(rng.randint(2, 9)), money=money, pct=str(rng.randint(8, 45)),
                      weekday=rng.choice(WEEKDAYS), month=rng.choice(MONTHS), hours=str(rng.randint(3, 7)),
                      num=f"{rng.randint(2, 40) * 250:,}", small=str(rng.randint(2, 6)), day=str(rng.randint(1, 28)),
                      season=rng.choice(SEASONS), votes=f"{rng.randint(4, 7)} to {rng.randint(1, 3)}")
        values.update(extra)
        return template.format(**values)

    pools: dict[str, list[str]] = {}

    def draw(kind: str, source: list[str]) -> str:
        if not pools.get(kind):
            pools[kind] = rng.sample(source, len(source))
        return pools[kind].pop()

    def direct(person: dict) -> str:
        quote = fill(draw("quote", QUOTES))
        if not person["named"]:
            person["named"] = True
            form = rng.choice(['"{q}," said {full}, {role}.', '{full}, {role}, said: "{q}."',
                               '"{q}," {full}, {role}, said in an interview.'])
            if not any(other["named"] for other in people if other is not person):
                form = '"{q}," said {full}, {role}.'  # the article's first quote: the classic form
        else:
            form = rng.choice(['"{q}," {sur} said.', '"{q}," said {sur}.', '"{q}," {sur} added.',
                               '{sur} put it bluntly: "{q}."'])
        return form.format(q=quote, **person)

    def indirect(person: dict) -> str:
        if person["named"]:
            who, whoc = person["sur"], person["sur"] + ","
        else:
            person["named"] = True
            who = whoc = f"{person['full']}, {person['role']},"
        return fill(draw("indirect", INDIRECT), who=who, whoc=whoc)

    def take(words: int) -> str | None:
        """An unused narrative sentence (else a short one) that keeps the paragraph within 90 words."""
        for kind, source in (("narrative", NARRATIVE), ("filler", FILLERS)):
            if not pools.get(kind):
                pools[kind] = rng.sample(source, len(source))
            for i, template in enumerate(pools[kind]):
                sentence = fill(template)
                if words + _word_count(sentence) <= 90:
                    del pools[kind][i]
                    return sentence
        return None

    count = rng.choice([6, 7, 7, 8])
    low = max(60, -(-465 // count))  # enough words in all: 6 x 78, 7 x 67, 8 x 60
    paragraphs = []
    summary = (f"The {body} in {city} {VERBS[verb_i][1]} the {money} {topic} on {WEEKDAYS[published.weekday()]} "
               f"{TAILS[tail_i][1]}")
    lede = summary + ", a decision that could affect thousands of residents and reshape the city's budget for years."
    summary += "."
    for p in range(count):
        first = lede if p == 0 else fill(draw("narrative", NARRATIVE))
        speakers = (people[p % 3], people[(p + 1) % 3])
        sentences = [first, direct(speakers[0]), indirect(speakers[1])]
        words = sum(map(_word_count, sentences))
        if words > 90:  # long names and roles: a shorter opening sentence
            sentences[0] = summary if p == 0 else fill(draw("filler", FILLERS))
            words = sum(map(_word_count, sentences))
        if p and rng.random() < 0.4:  # sometimes the quote comes first
            sentences[0], sentences[1] = sentences[1], sentences[0]
        target = rng.randint(low, 88)
        while words < target:
            extra = take(words)
            if extra is None:
                break
            sentences.append(extra)
            words += _word_count(extra)
        paragraphs.append(" ".join(sentences))
    return _Article(key=key, slug=_slugify(title), title=title, published=published, city=city, reporter=reporter,
                    paragraphs=tuple(paragraphs), summary=summary, private=private)


# -- the server ---------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() shuts connections down and joins briefly itself
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: NewsSite) -> None:
        self.site = site
        self.connections: dict[socket.socket, threading.Thread] = {}
        self.connections_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn (a reverse DNS look-up): not here
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[0], self.server_address[1]

    def handle_error(self, request, client_address) -> None:  # quiet: nothing on stderr, kept in site.errors
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            with self.site._lock:
                self.site.errors.append(error)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NewsSite/1.0"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is dropped after this
    disable_nagle_algorithm = True  # else headers and body, written apart, wait 40 ms for a delayed ACK
    server: _Server

    # -- bookkeeping ------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections[self.connection] = threading.current_thread()
        self._entry: int | None = None

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.server.connections_lock:
                self.server.connections.pop(self.connection, None)

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):  # the client left, or stop() shut the socket
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.server.site._answered(self, code)
        super().send_response(code, message)

    # -- dispatch ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        site = self.server.site
        self._entry = site._received(self)
        self._body = body
        try:
            if site.latency > 0 and site._stopping.wait(site.latency):
                self.close_connection = True
                return
            site._route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        finally:
            self._entry = None

    # -- answers ----------------------------------------------------------------------------

    def reply(self, status: int, content: bytes = b"", content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, compress: bool = False) -> None:
        """One whole answer: status, headers and (not for HEAD, 304 or 3xx without content) the body."""
        extra = dict(headers or {})
        if compress and content and self._accepts_gzip():
            content = gzip.compress(content, compresslevel=6, mtime=0)
            extra["Content-Encoding"] = "gzip"
        if compress:
            extra["Vary"] = "Accept-Encoding"
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self._body and status != 304 and content:
            self.wfile.write(content)
            self.wfile.flush()

    def _accepts_gzip(self) -> bool:
        for part in self.headers.get("Accept-Encoding", "").lower().split(","):
            token, _, params = part.strip().partition(";")
            if token.strip() in ("gzip", "x-gzip", "*"):
                q = params.strip()
                if q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"):
                    return False
                return True
        return False


class NewsSite:
    """A local news site served over real HTTP (module docstring); ``start()`` or ``with`` to serve."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, articles: int = 60, name: str = "site",
                 latency: float = 0.0, slow_seconds: float = 5.0) -> None:
        if articles < 0:
            raise ValueError("articles must be >= 0")
        self.host, self.port, self.name = host, port, name
        self.latency, self.slow_seconds = float(latency), float(slow_seconds)
        self.publication = f"The {name[:1].upper()}{name[1:]} Courier"
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []  # exceptions a handler raised (a bug here, not a client leaving)
        self.base = ""
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._articles: dict[int, _Article] = {}  # generated on first use
        self._slugs: dict[str, int] = {}  # /news/ slug -> key
        self._slug_of: list[str] = []  # key -> /news/ slug
        self._private_slugs: dict[str, int] = {}  # /private/ slug -> key (negative)
        self._count = 0
        self._initial = articles
        self._hits: dict[str, int] = {}  # /status/429 and /status/503: answers per path
        for key in range(articles):
            self._register(key)
        # three private pages, dated among the initial articles: two in the feed, one in sitemap a
        for key, near in ((-1, articles - 4), (-2, articles - 18), (-3, 1)):
            when = self._date(max(0, near)) + timedelta(minutes=45)
            article = _write_article(name, key, when, private=True)
            self._articles[key] = article
            self._private_slugs[article.slug] = key

    # -- life -------------------------------------------------------------------------------

    def start(self) -> NewsSite:
        if self._server is not None:
            raise RuntimeError("the site is already started")
        self._stopping.clear()
        server = _Server((self.host, self.port), self)
        self._server = server
        self.port = server.server_address[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"NewsSite-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, promptly: streaming handlers see the stop Event, open connections are shut down."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        with server.connections_lock:
            open_ = dict(server.connections)
        for conn in open_:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + 1.0
        for thread in open_.values():
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        if self._thread is not None:
            self._thread.join(1.0)
            self._thread = None

    def __enter__(self) -> NewsSite:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests look at -----------------------------------------------------------------

    def url(self, path: str) -> str:
        if not self.base:
            raise RuntimeError("start() the site first: its port is chosen when it binds")
        return self.base + (path if path.startswith("/") else "/" + path)

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    @property
    def article_urls(self) -> list[str]:
        """Every /news/ article page, oldest first (private pages are not among them)."""
        with self._lock:
            slugs = list(self._slug_of)
        return [self.url(f"/news/{slug}.html") for slug in slugs]

    @property
    def private_urls(self) -> list[str]:
        return [self.url(self._article(k).path) for k in (-1, -2, -3)]

    def article(self, url_or_path: str) -> dict[str, object]:
        """What an article page says (title, published, paragraphs, ...), for tests checking extraction."""
        path = urlsplit(url_or_path).path
        article = self._lookup(path)
        if article is None:
            raise KeyError(url_or_path)
        return {"title": article.title, "published": article.published, "paragraphs": list(article.paragraphs),
                "text": "\n\n".join(article.paragraphs), "reporter": article.reporter, "city": article.city,
                "url": self.url(article.path), "private": article.private}

    def publish(self, n: int = 1) -> list[str]:
        """Add ``n`` new articles (newer than all others: the front of the feed and of sitemap b); their URLs."""
        self.url("/")  # raises before anything changes if the site has no address yet
        with self._lock:
            keys = [self._count + i for i in range(n)]
            for key in keys:
                self._register(key)
            return [self.url(f"/news/{self._slug_of[k]}.html") for k in keys]

    # -- articles ---------------------------------------------------------------------------

    def _date(self, key: int) -> datetime:
        return _BASE_DATE + key * _SPACING

    def _register(self, key: int) -> None:
        assert key == len(self._slug_of)
        slug = _slugify(_title(self.name, key)[0])
        self._slugs[slug] = key
        self._slug_of.append(slug)
        self._count = key + 1

    def _article(self, key: int) -> _Article:
        article = self._articles.get(key)
        if article is None:
            article = _write_article(self.name, key, self._date(key), private=False)
            with self._lock:
                self._articles[key] = article
        return article

    def _lookup(self, path: str) -> _Article | None:
        m = re.fullmatch(r"/(news|private)/([a-z0-9-]+)\.html", path)
        if not m:
            return None
        with self._lock:
            key = (self._slugs if m.group(1) == "news" else self._private_slugs).get(m.group(2))
        return None if key is None else self._article(key)

    def _newest(self, n: int) -> list[_Article]:
        with self._lock:
            count = self._count
        return [self._article(k) for k in range(count - 1, max(-1, count - 1 - n), -1)]

    # -- request log ------------------------------------------------------------------------

    def _received(self, handler: _Handler) -> int:
        headers: dict[str, str] = {}
        for name, value in handler.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        with self._lock:
            self.requests.append(Request(at=time.monotonic(), method=handler.command, path=handler.path,
                                         headers=headers, status=0))
            return len(self.requests) - 1

    def _answered(self, handler: _Handler, status: int) -> None:
        index = getattr(handler, "_entry", None)
        with self._lock:
            if index is not None and self.requests[index].status == 0:
                self.requests[index] = replace(self.requests[index], status=status)
            elif index is None:  # an error answered before the request was read whole (400, 501, ...)
                raw = getattr(handler, "headers", None)
                headers = {k.lower(): v for k, v in raw.items()} if raw is not None else {}
                self.requests.append(Request(at=time.monotonic(), method=getattr(handler, "command", "") or "",
                                             path=getattr(handler, "path", "") or "", headers=headers, status=status))

    # -- documents --------------------------------------------------------------------------

    def _nav(self) -> str:
        links = [("/", "Home"), ("/section/world/", "World"), ("/about", "About"), ("/contact", "Contact"),
                 ("/tag/x", "Topics"), ("/login", "Log in")]
        items = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in links)
        return f'<nav class="menu" aria-label="Main"><ul>{items}</ul></nav>'

    def _page(self, title: str, main: str, head: str = "") -> bytes:
        pub = html.escape(self.publication)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)} | {pub}</title>\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta property=\"og:site_name\" content=\"{pub}\">\n{head}"
            "<link rel=\"stylesheet\" href=\"/static/site.css\">\n</head>\n<body>\n"
            f"<header class=\"masthead\"><a class=\"logo\" href=\"/\">{pub}</a>\n{self._nav()}</header>\n"
            f"<main>\n{main}\n</main>\n"
            f"<footer><p>&copy; 2022 {pub}. All rights reserved.</p>"
            "<p><a href=\"/about\">About us</a> &middot; <a href=\"/contact\">Contact</a> &middot; "
            "<a href=\"/privacy\">Privacy policy</a></p></footer>\n</body>\n</html>\n"
        ).encode("utf-8")

    def _article_html(self, article: _Article) -> bytes:
        title = html.escape(article.title)
        url = html.escape(self.url(article.path))
        published = _iso(article.published)
        head = (f"<meta property=\"og:title\" content=\"{title}\">\n"
                f"<meta property=\"og:type\" content=\"article\">\n"
                f"<meta property=\"og:url\" content=\"{url}\">\n"
                f"<meta name=\"description\" content=\"{html.escape(article.summary)}\">\n"
                f"<meta name=\"author\" content=\"{html.escape(article.reporter)}\">\n"
                f"<meta name=\"article:published_time\" content=\"{published}\">\n"
                f"<meta property=\"article:published_time\" content=\"{published}\">\n"
                f"<meta name=\"date\" content=\"{published}\">\n"
                f"<link rel=\"canonical\" href=\"{url}\">\n")
        when = article.published
        date_text = f"{MONTHS[when.month - 1]} {when.day}, {when.year}"
        paragraphs = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in article.paragraphs)
        main = (
            "<article>\n"
            f"<h1>{title}</h1>\n"
            f"<p class=\"byline\">By <span class=\"author\">{html.escape(article.reporter)}</span>, Staff Writer</p>\n"
            f"<p class=\"dateline\"><span class=\"location\">{html.escape(article.city.upper())}</span> &mdash; "
            f"<time datetime=\"{published}\">{date_text}</time></p>\n"
            f"<div class=\"article-body\">\n{paragraphs}\n</div>\n"
            "</article>\n"
            "<aside class=\"related\"><h2>More news</h2><p><a href=\"/section/world/\">World</a></p></aside>"
        )
        return self._page(article.title, main, head)

    def _feed(self) -> tuple[bytes, datetime]:
        items = self._newest(FEED_ITEMS - FEED_PRIVATE) + [self._article(k) for k in (-1, -2)]
        items.sort(key=lambda a: a.published, reverse=True)
        newest = max(a.published for a in items)
        lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                 "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">", "<channel>",
                 f"<title>{_xml(self.publication)}</title>", f"<link>{_xml(self.url('/'))}</link>",
                 f"<description>Latest news from {_xml(self.publication)}</description>",
                 "<language>en-us</language>", f"<lastBuildDate>{_http_date(newest)}</lastBuildDate>",
                 f"<atom:link href=\"{_xml(self.url('/feed.xml'))}\" rel=\"self\" type=\"application/rss+xml\"/>"]
        for a in items:
            link = _xml(self.url(a.path))
            lines += ["<item>", f"<title>{_xml(a.title)}</title>", f"<link>{link}</link>",
                      f"<guid isPermaLink=\"true\">{link}</guid>", f"<pubDate>{_http_date(a.published)}</pubDate>",
                      f"<description>{_xml(a.summary)}</description>", "</item>"]
        lines += ["</channel>", "</rss>", ""]
        return "\n".join(lines).encode("utf-8"), newest

    def _sitemap_index(self) -> tuple[bytes, datetime]:
        a_body, a_time = self._sitemap_a()
        b_body, b_time = self._sitemap_b()
        lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"]
        for path, when in (("/sitemaps/a.xml", a_time), ("/sitemaps/b.xml", b_time)):
            lines += ["<sitemap>", f"<loc>{_xml(self.url(path))}</loc>", f"<lastmod>{_iso(when)}</lastmod>",
                      "</sitemap>"]
        lines += ["</sitemapindex>", ""]
        return "\n".join(lines).encode("utf-8"), max(a_time, b_time)

    def _sitemap_a(self) -> tuple[bytes, datetime]:
        """The older articles: all initial ones but the newest 10 (fixed: publish() leaves it alone), one private."""
        older = [self._article(k) for k in range(max(1, self._initial - 10))] if self._initial else []
        older.append(self._article(-3))
        older.sort(key=lambda a: a.published)
        lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"]
        for a in older:
            lines += ["<url>", f"<loc>{_xml(self.url(a.path))}</loc>", f"<lastmod>{_iso(a.published)}</lastmod>",
                      "<changefreq>never</changefreq>", "</url>"]
        lines += ["</urlset>", ""]
        return "\n".join(lines).encode("utf-8"), max(a.published for a in older)

    def _sitemap_b(self) -> tuple[bytes, datetime]:
        """A Google News sitemap of the newest articles."""
        newest = self._newest(NEWS_SITEMAP_ITEMS)
        lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                 "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"]
        for a in newest:
            lines += ["<url>", f"<loc>{_xml(self.url(a.path))}</loc>", "<news:news>", "<news:publication>",
                      f"<news:name>{_xml(self.publication)}</news:name>", "<news:language>en</news:language>",
                      "</news:publication>", f"<news:publication_date>{_iso(a.published)}</news:publication_date>",
                      f"<news:title>{_xml(a.title)}</news:title>", "</news:news>", "</url>"]
        lines += ["</urlset>", ""]
        changed = newest[0].published if newest else _BASE_DATE
        return "\n".join(lines).encode("utf-8"), changed

    def _section(self) -> bytes:
        items = "\n".join(
            f"<li class=\"story\"><h3><a href=\"{html.escape(a.path)}\">{html.escape(a.title)}</a></h3>"
            f"<p>{html.escape(a.summary)}</p></li>" for a in self._newest(SECTION_LINKS))
        main = ("<section class=\"section-front\">\n<h1>World</h1>\n"
                f"<ul class=\"stories\">\n{items}\n</ul>\n"
                "<p class=\"partner\">From our partners: <a href=\"http://example.invalid/x\">"
                "A story elsewhere on the web</a></p>\n</section>")
        return self._page("World news", main)

    def _robots(self) -> bytes:
        return (f"User-agent: *\nDisallow: /private/\n\nSitemap: {self.url('/sitemap_index.xml')}\n").encode()

    def _error_page(self, status: int, text: str) -> bytes:
        return self._page(f"{status} {text}", f"<h1>{status} {text}</h1>\n<p>{html.escape(text)}.</p>")

    # -- routing ----------------------------------------------------------------------------

    def _conditional(self, h: _Handler, content: bytes, changed: datetime, content_type: str,
                     compress: bool = True) -> None:
        """200 with ETag and Last-Modified, or 304 when the request's validators say it has this version."""
        etag = '"' + hashlib.sha1(content).hexdigest()[:20] + '"'
        last_modified = _http_date(changed)
        validators = {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": "max-age=0, must-revalidate"}
        inm = h.headers.get("If-None-Match")
        ims = h.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            fresh = "*" in tags or etag in tags
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims)
                if since.tzinfo is None:
                    since = since.replace(tzinfo=timezone.utc)
                fresh = since >= changed.replace(microsecond=0)
            except (TypeError, ValueError, IndexError):
                fresh = False
        if fresh:
            h.reply(304, headers=validators)
        else:
            h.reply(200, content, content_type, headers=validators, compress=compress)

    def _route(self, h: _Handler) -> None:
        path = urlsplit(h.path).path
        xml = "application/xml; charset=utf-8"
        if path.startswith(("/news/", "/private/")):
            article = self._lookup(path)
            if article is None:
                return self._not_found(h)
            return self._conditional(h, self._article_html(article), article.published, "text/html; charset=utf-8")
        if path == "/feed.xml":
            body, changed = self._feed()
            return self._conditional(h, body, changed, "application/rss+xml; charset=utf-8")
        if path == "/sitemap_index.xml":
            return self._conditional(h, *self._sitemap_index(), xml)
        if path == "/sitemaps/a.xml":
            return self._conditional(h, *self._sitemap_a(), xml)
        if path == "/sitemaps/b.xml":
            return self._conditional(h, *self._sitemap_b(), xml)
        if path == "/robots.txt":
            return h.reply(200, self._robots(), "text/plain; charset=utf-8")
        if path in ("/section/world/", "/section/world"):
            return h.reply(200, self._section(), compress=True)
        if path.startswith("/redirect/"):
            slug = path[len("/redirect/"):].removesuffix(".html")
            with self._lock:
                known = slug in self._slugs
            if not known:
                return self._not_found(h)
            return self._redirect(h, 301, f"/news/{slug}.html")
        if path == "/loop/a":
            return self._redirect(h, 302, "/loop/b")
        if path == "/loop/b":
            return self._redirect(h, 302, "/loop/a")
        if path == "/status/404":
            return self._not_found(h)
        if path == "/status/500":
            return h.reply(500, self._error_page(500, "Internal Server Error"))
        if path in ("/status/429", "/status/503"):
            with self._lock:
                hits = self._hits.get(h.path, 0)
                self._hits[h.path] = hits + 1
            if hits == 0:
                status = int(path[-3:])
                text = "Too Many Requests" if status == 429 else "Service Unavailable"
                return h.reply(status, self._error_page(status, text), headers={"Retry-After": "1"})
            return h.reply(200, self._article_html(self._article(0)), compress=True)
        if path == "/slow":
            if self._stopping.wait(self.slow_seconds):
                h.close_connection = True
                return None
            return h.reply(200, self._article_html(self._article(0)), compress=True)
        if path == "/drip":
            return self._drip(h)
        if path in ("/huge", "/huge-chunked"):
            return self._huge(h, declared=path == "/huge")
        if path == "/image.png":
            return h.reply(200, PNG, "image/png")
        if path == "/plain.json":
            body = json.dumps({"site": self.name, "ok": True, "articles": self._count}).encode()
            return h.reply(200, body, "application/json")
        return self._not_found(h)

    def _not_found(self, h: _Handler) -> None:
        h.reply(404, self._error_page(404, "Not Found"))

    def _redirect(self, h: _Handler, status: int, path: str) -> None:
        text = f"<a href=\"{html.escape(path)}\">Moved</a>".encode()
        h.reply(status, text, headers={"Location": self.url(path)})

    def _drip(self, h: _Handler) -> None:
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.flush()
        if not h._body:
            return
        source = b"<!DOCTYPE html><html><head><title>Drip</title></head><body><p>" + b"a" * 64
        end = time.monotonic() + DRIP_SECONDS
        i = 0
        while time.monotonic() < end and not self._stopping.wait(0.5):
            h.wfile.write(source[i % len(source):i % len(source) + 1])
            h.wfile.flush()
            i += 1

    def _huge(self, h: _Handler, declared: bool) -> None:
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if declared:
            h.send_header("Content-Length", str(HUGE_LENGTH))
        h.send_header("Connection", "close")
        h.end_headers()
        if not h._body:
            return
        chunk = (b"<p>" + b"a" * 1017 + b"</p>\n") * (CHUNK // 1024)
        h.wfile.write(b"<!DOCTYPE html><html><body>\n")
        sent = 28
        while not self._stopping.is_set():
            if declared:
                left = HUGE_LENGTH - sent
                if left <= 0:
                    break
                piece = chunk[:left]
            else:
                piece = chunk
            h.wfile.write(piece)
            sent += len(piece)
