"""Polite HTTP fetching: ``Fetcher.get`` one URL, ``Fetcher.fetch_all`` many at once across hosts.

What a well-behaved crawler does, and how:

1. **robots.txt** of each host (scheme, name and port) is read once per
   ``ROBOTS_TTL`` and obeyed for our User-Agent, with protego (Scrapy's parser:
   wildcards, ``Allow`` precedence, ``Crawl-delay``, as Google reads them;
   the standard library's ``urllib.robotparser`` knows no wildcards). As RFC
   9309 says: a robots.txt that is missing (4xx) allows everything; one that
   cannot be read (5xx, no connection) forbids everything, for now.
2. **One connection and a delay per host**: requests to a host take turns
   (a lock per host), each ``delay`` seconds after the end of the answer
   before (or the host's ``Crawl-delay``, up to ``MAX_CRAWL_DELAY``), so a
   host gets at most 1 / (delay + answer time) requests a second; hosts are
   fetched side by side, ``connections`` at a time.
3. **Retries** on 429 and 5xx answers and on timeouts, ``retries`` times,
   after the ``Retry-After`` the server asks for (up to ``max_retry_after``:
   one asking longer is answered with a failure) or a doubling back-off; the
   whole host waits, not only the request.
4. **Bounds**: a timeout per network operation, a deadline for the whole
   answer (a server dripping a byte a second), a size cap on the decoded body
   (a 2 GB answer, a gzip bomb) checked against ``Content-Length`` before
   reading and while reading, and a content-type check before the body is read.
5. **Redirects** are followed here, hop by hop (``max_redirects``, loops
   named), so that each hop is checked like a first request: robots.txt, and
   the link policy (``urls.LinkPolicy``), a redirect being a link found on the
   page that sent it: a public site never leads to a loopback or private
   address, by a link or by a redirect.
6. **Conditional requests**: given the ``ETag``/``Last-Modified`` of an
   earlier answer, a 304 comes back as ``Page.not_modified``.
7. **A log**: every request (each retry and redirect hop too) is passed to
   ``on_request`` as a ``FetchRecord``; the store keeps them (``fetches``).

The HTTP client is httpx (``httpx.Client``: connection pooling, HTTP/1.1
keep-alive, streaming bodies, gzip, deflate and, with the brotli package,
``br``; maintained by the encode team; already what our tests use).
"""

from __future__ import annotations

import email.utils
import importlib.util
import queue
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urljoin

import httpx

from ...errors import (
    DisallowedError,
    FetchError,
    HttpStatusError,
    InputError,
    InputTooLargeError,
    UnsupportedInputError,
)
from ..decode import DEFAULT_MAX_BYTES
from .urls import LinkPolicy, host_key, is_web_url

__all__ = ["Fetcher", "FetchOptions", "FetchRecord", "Page", "Target", "DEFAULT_USER_AGENT", "PAGE_TYPES", "XML_TYPES"]

DEFAULT_USER_AGENT = "newsgraph/0.1 (+https://github.com/newsgraph/newsgraph; news research crawler)"

#: Content types of article pages (text/plain: scraped page text).
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: Content types feeds and sitemaps come with (and HTML: a section page is a source too).
XML_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
             "text/plain", "text/html", "application/xhtml+xml", "application/x-gzip", "application/gzip",
             "application/octet-stream")

#: How long a host's robots.txt is trusted before it is read again (a watch runs for days).
ROBOTS_TTL = 3600.0
#: How soon a robots.txt that could not be read (5xx) is asked for again.
ROBOTS_RETRY = 60.0
#: Network failures in a row (no connection, timeouts, a dripping answer) after which a host's
#: other pages fail at once for ``ROBOTS_RETRY`` seconds, instead of each waiting out its timeouts.
DOWN_AFTER = 3
#: The longest ``Crawl-delay`` honoured as given; a longer one is read as this (else one host stalls a round).
MAX_CRAWL_DELAY = 30.0
#: robots.txt files are small; Google reads the first 500 KiB.
ROBOTS_MAX_BYTES = 500 * 1024

_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How politely and how far to fetch (the ``watch``/``ingest`` options of the same names)."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0  # seconds from the end of one answer of a host to the next request to it
    timeout: float = 20.0  # seconds for one network operation (connect, a read)
    deadline: float = 60.0  # seconds for a whole answer, however it trickles in
    retries: int = 2
    max_retry_after: float = 120.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    connections: int = 8  # hosts fetched at once
    robots: bool = True


@dataclass(frozen=True, slots=True)
class Target:
    """One URL to fetch: why (``purpose``: article, feed, sitemap, page), and where the link to it was found.

    ``origin``: the feed, sitemap or page that linked to it (None: the user named
    it). ``validators``: the ``(etag, last_modified)`` of an earlier answer, for a
    conditional request. ``hints``: what the linking source says of it (title,
    published), passed on to the document.
    """

    url: str
    purpose: str = "article"
    origin: str | None = None
    validators: tuple[str | None, str | None] | None = None
    hints: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Page:
    """One answer: the URL asked for, where it ended after redirects, status, the decoded body and its metadata."""

    url: str
    final_url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One HTTP request as the fetch log keeps it (``error`` None: an answer came, whatever its status)."""

    url: str
    purpose: str
    started_at: datetime
    seconds: float
    status: int | None = None
    bytes: int = 0
    error: str | None = None
    origin: str | None = None


@dataclass
class _Host:
    """One host's turn-taking: its lock, when its next request may start, its robots.txt."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: object | None = None  # protego.Protego; None: not read yet
    robots_until: float = 0.0
    robots_error: str | None = None  # why its robots.txt could not be read (then nothing is fetched)
    sock: object | None = None  # the socket of the host's connection (its one connection), for the watchdog
    failures: int = 0  # network failures in a row
    down_until: float = 0.0  # after DOWN_AFTER of them: no request before this
    down_reason: str = ""
    delay: float = 0.0


class _Answer:
    """An answer read within the bounds (status, headers, decoded body), before redirects and checks."""

    __slots__ = ("status", "headers", "body", "reason")

    def __init__(self, status: int, headers: httpx.Headers, body: bytes, reason: str) -> None:
        self.status, self.headers, self.body, self.reason = status, headers, body, reason


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Fetcher:
    """Fetch pages politely (module docstring); thread-safe: ``fetch_all`` runs hosts side by side.

    ``on_request`` is called (from the fetching threads) with a ``FetchRecord``
    for every request sent, robots.txt, retries and redirect hops included.
    """

    def __init__(self, options: FetchOptions = FetchOptions(), on_request: Callable[[FetchRecord], None] | None = None,
                 policy: LinkPolicy | None = None) -> None:
        self.options = options
        self.on_request = on_request or (lambda _record: None)
        self.policy = policy or LinkPolicy()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._stop = threading.Event()
        self._client = httpx.Client(
            headers={"User-Agent": options.user_agent, "Accept-Encoding": _accept_encoding()},
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,  # each hop is checked (robots, link policy) in get()
            limits=httpx.Limits(max_connections=max(1, options.connections) * 2,
                                max_keepalive_connections=max(1, options.connections)),
        )

    def close(self) -> None:
        self._stop.set()
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one URL ---------------------------------------------------------------------

    def get(self, target: Target | str, accept: tuple[str, ...] = PAGE_TYPES) -> Page:
        """Return the ``Page`` at ``target`` (redirects followed); raise an ``InputError`` naming the URL.

        ``accept``: the content types wanted (others raise ``UnsupportedInputError``
        before the body is read). A 304 to a conditional request is a ``Page`` with
        ``not_modified`` and no body.
        """
        target = Target(target) if isinstance(target, str) else target
        url, seen = target.url, [target.url]
        validators = target.validators
        origin = target.origin
        while True:
            self._check(url, target, origin)
            answer = self._send(url, target, validators, accept)
            if answer.status in _REDIRECTS and answer.headers.get("location"):
                try:
                    nxt = urljoin(url, answer.headers["location"].strip())
                except ValueError:  # "http://[::1": not a URL
                    raise _for_good(FetchError(f"redirect to a broken URL ('{answer.headers['location']}')",
                                               source=target.url)) from None
                if nxt in seen:
                    raise _for_good(FetchError(f"redirect loop ({' -> '.join(seen[seen.index(nxt):])} -> {nxt})",
                                               source=target.url))
                if len(seen) > self.options.max_redirects:
                    raise _for_good(FetchError(f"more than {self.options.max_redirects} redirects (last to {nxt})",
                                               source=target.url))
                seen.append(nxt)
                # A redirect is a link the server chose: checked as one found on the page that sent it. The
                # validators go along: they are those of where the redirect ended last time.
                origin, url = url, nxt
                continue
            break
        if answer.status >= 400:
            raise HttpStatusError(f"HTTP {answer.status} {answer.reason}".strip() + _where(url, target.url),
                                  source=target.url, status=answer.status)
        if answer.status >= 300 and answer.status != 304:
            raise FetchError(f"HTTP {answer.status} with no redirect location", source=target.url)
        headers = answer.headers
        content_type, charset = _content_type(headers)
        return Page(url=target.url, final_url=url, status=answer.status, body=answer.body, content_type=content_type,
                    charset=charset, fetched_at=_utcnow().isoformat(timespec="seconds") + "Z",
                    etag=headers.get("etag"), last_modified=headers.get("last-modified"))

    def _check(self, url: str, target: Target, origin: str | None) -> None:
        """Raise unless ``url`` (linked from ``origin``; None: named by the user) may be fetched.

        It must be http(s), allowed by the link policy and by robots.txt.
        """
        if not is_web_url(url):
            raise UnsupportedInputError(f"not an http(s) URL ('{url}'); links are followed only to web pages",
                                        source=target.url)
        self.policy.check(origin, url, source=target.url)
        host = self._host(url)
        if host.down_until > time.monotonic():
            raise FetchError(f"{host_key(url)} failed {DOWN_AFTER} times in a row ({host.down_reason}); not asked "
                             "again for a minute", source=target.url)
        if self.options.robots and not self._robots_allow(url, target):
            raise DisallowedError(f"robots.txt of {host_key(url)} disallows{_where(url, target.url)} for our "
                                  "User-Agent", source=target.url)

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(delay=self.options.delay)
            return host

    def _robots_allow(self, url: str, target: Target) -> bool:
        """Return whether the host's robots.txt lets our User-Agent fetch ``url`` (read and cached here)."""
        from protego import Protego

        host = self._host(url)
        if host.robots is None or time.monotonic() >= host.robots_until:
            text = ""
            try:
                answer = self._robots_answer(f"{host_key(url)}/robots.txt")
            except InputTooLargeError:
                answer = None  # read as no rules, as a crawler that reads only its first 500 KiB would
            except FetchError as err:  # no connection, no name: the page itself could not be fetched either
                # ... nor the host's other pages, for now: they fail at once instead of each waiting its timeout.
                host.robots_error, host.robots_until = err.problem, time.monotonic() + ROBOTS_RETRY
                host.robots = Protego.parse("User-agent: *\nDisallow: /\n")
                raise FetchError(err.problem, source=target.url) from None
            host.robots_error = None
            ttl = ROBOTS_TTL
            if answer is not None and (answer.status >= 500 or answer.status == 429):
                # Unreachable rules forbid everything for now (RFC 9309 2.3.1.4); read again a minute later.
                host.robots_error = (f"robots.txt of {host_key(url)} answers HTTP {answer.status}; nothing is "
                                     "fetched from the host until it can be read")
                text, ttl = "User-agent: *\nDisallow: /\n", ROBOTS_RETRY
            elif answer is not None and answer.status < 300:
                text = answer.body.decode("utf-8", "replace")
            robots = Protego.parse(text)
            crawl_delay = robots.crawl_delay(self.options.user_agent)
            host.robots, host.robots_until = robots, time.monotonic() + ttl
            host.delay = max(self.options.delay, min(crawl_delay or 0.0, MAX_CRAWL_DELAY))
        if host.robots_error:
            raise FetchError(host.robots_error, source=target.url)
        return host.robots.can_fetch(url, self.options.user_agent)

    def _robots_answer(self, robots_url: str) -> _Answer | None:
        """Return the answer for a robots.txt, redirects followed (up to 5, RFC 9309), each hop checked as a link.

        None: redirected too often, or somewhere it may not go (read as no rules).
        """
        url = robots_url
        for _hop in range(6):
            answer = self._send(url, Target(robots_url, "robots"), None, None, ROBOTS_MAX_BYTES, retries=0)
            location = answer.headers.get("location") if answer.status in _REDIRECTS else None
            if not location:
                return answer
            nxt = urljoin(url, location.strip())
            if not is_web_url(nxt):
                return None
            try:
                self.policy.check(url, nxt, source=robots_url)
            except DisallowedError:
                return None
            url = nxt
        return None

    def _send(self, url: str, target: Target, validators, accept, max_bytes: int | None = None,
              retries: int | None = None) -> _Answer:
        """Return one answer for ``url`` (one hop), retrying 429, 5xx and timeouts; log every attempt."""
        host = self._host(url)
        retries = self.options.retries if retries is None else retries
        headers = {}
        if validators:
            etag, modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        for attempt in range(retries + 1):
            with host.lock:  # one request at a time per host, each ``delay`` after the end of the one before
                wait = host.next_at - time.monotonic()
                if wait > 0 and self._stop.wait(wait):
                    raise FetchError("stopped", source=target.url)
                try:
                    answer = self._read(url, target, headers, accept, max_bytes or self.options.max_bytes, host)
                    host.failures = 0
                except httpx.TimeoutException as err:
                    error: InputError | None = FetchError(_network_problem(err, self.options), source=target.url)
                    answer = None
                    self._failed(host, error)
                except FetchError as err:
                    self._failed(host, err)
                    raise
                finally:
                    # From the end of the answer: the server sees at least ``delay`` between two requests
                    # however long each took and whatever the network's jitter (measured from the start,
                    # a site's own log showed gaps of 0.37 s for a 0.5 s delay: benchmarks/collect.py).
                    host.next_at = time.monotonic() + host.delay
            if answer is not None and answer.status not in _RETRY_STATUSES:
                return answer
            if attempt == retries:
                if answer is not None:
                    return answer
                raise error
            pause = _retry_after(answer.headers if answer is not None else None, attempt, host.delay)
            if pause > self.options.max_retry_after:
                if answer is None:
                    raise error
                raise HttpStatusError(f"HTTP {answer.status} and asked to retry after {pause:.0f} s (over the "
                                      f"{self.options.max_retry_after:g} s we wait){_where(url, target.url)}",
                                      source=target.url, status=answer.status)
            with host.lock:  # the whole host waits, not only this request
                host.next_at = max(host.next_at, time.monotonic() + pause)
        raise AssertionError("unreachable")

    @staticmethod
    def _failed(host: _Host, err: FetchError) -> None:
        """Count a network failure of ``host``; after ``DOWN_AFTER`` in a row it is left alone a while."""
        host.failures += 1
        if host.failures >= DOWN_AFTER:
            host.down_until, host.down_reason = time.monotonic() + ROBOTS_RETRY, err.problem

    def _read(self, url: str, target: Target, headers: dict, accept, max_bytes: int, host: _Host) -> _Answer:
        """Send one request and read its answer within the size cap and the deadline; log it.

        The deadline covers the whole answer, status line and headers too: a watchdog shuts the
        host's connection down when it passes, whatever the server is dripping. The body is
        decoded here, chunk by chunk, with the size cap on what each chunk decodes to (a 2 KB
        brotli or gzip bomb never becomes a gigabyte in memory).
        """
        started, clock = _utcnow(), time.monotonic()
        record = FetchRecord(url=url, purpose=target.purpose, started_at=started, seconds=0.0, origin=target.origin)
        decoder: _Decoder | None = None
        late = threading.Event()

        def trace(event: str, info: dict) -> None:
            if event == "connection.connect_tcp.complete":  # one connection per host: this one carries the answer
                host.sock = info["return_value"].get_extra_info("socket")

        def cut() -> None:
            late.set()
            if host.sock is not None:
                try:
                    host.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(self.options.deadline, cut)
        watchdog.daemon = True
        watchdog.start()
        try:
            with self._client.stream("GET", url, headers=headers, extensions={"trace": trace}) as response:
                record = replace(record, status=response.status_code)
                if 200 <= response.status_code < 300:
                    self._check_answer(response, target, accept, max_bytes)
                decoder = _Decoder(response.headers.get("content-encoding", ""), max_bytes, target.url)
                chunks = []
                for raw in response.iter_raw():
                    chunks.append(decoder.decode(raw))
                    if self._stop.is_set():
                        raise FetchError("stopped", source=target.url)
                if late.is_set():  # the watchdog's cut can read as the end of a body sent until the connection closes
                    raise httpx.ReadError("cut at the deadline")
                answer = _Answer(response.status_code, response.headers, b"".join(chunks), response.reason_phrase)
        except InputError as err:
            self._log(record, clock, decoder, err.problem)
            raise
        except httpx.TimeoutException:
            self._log(record, clock, decoder, "timed out")
            raise
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as err:
            if late.is_set():
                size = decoder.produced if decoder else 0
                problem = f"answer too slow: {size:,} bytes in {self.options.deadline:g} s"
            else:
                problem = _network_problem(err, self.options)
            self._log(record, clock, decoder, problem)
            raise FetchError(problem + _where(url, target.url), source=target.url) from None
        finally:
            watchdog.cancel()
        self._log(record, clock, decoder, None)
        return answer

    def _check_answer(self, response: httpx.Response, target: Target, accept, max_bytes: int) -> None:
        """Raise before the body is read if its declared size or content type is not what is wanted."""
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise InputTooLargeError(f"answer is {int(length) / 2**20:,.1f} MiB, over the {max_bytes / 2**20:g} MiB "
                                     f"limit (raise it with --max-bytes)", source=target.url)
        content_type, _charset = _content_type(response.headers)
        if accept and content_type and content_type not in accept:
            wanted = "an HTML page" if accept == PAGE_TYPES else "a feed, sitemap or page"
            raise UnsupportedInputError(f"not {wanted} (content type {content_type})", source=target.url)

    def _log(self, record: FetchRecord, clock: float, decoder: _Decoder | None, error: str | None) -> None:
        """Pass the request's record on, with its time, the bytes its body decoded to, and its error."""
        size = decoder.produced if decoder is not None else 0
        self.on_request(replace(record, seconds=round(time.monotonic() - clock, 4), bytes=size, error=error))

    # -- many URLs ---------------------------------------------------------------------

    def fetch_all(self, targets: Iterable[Target], accept: tuple[str, ...] = PAGE_TYPES, ahead: int = 16,
                  wait: float | None = None) -> Iterator[tuple[Target, Page | InputError] | None]:
        """Yield ``(target, Page or InputError)`` for every target, as answers come.

        Each host's targets are fetched in their order, one at a time; up to
        ``connections`` hosts at once, in threads, which fetch at most ``ahead``
        answers ahead of the caller (so parsing and fetching overlap, and memory
        stays bounded). Given ``wait`` (seconds), None is yielded whenever no
        answer came for that long, so the caller can do other work meanwhile.
        Closing the generator stops the threads.
        """
        by_host: dict[str, list[Target]] = {}
        for target in targets:
            by_host.setdefault(host_key(target.url) if is_web_url(target.url) else "", []).append(target)
        if not by_host:
            return
        results: queue.Queue = queue.Queue(maxsize=max(1, ahead))
        stop = threading.Event()
        done = object()

        def put(item) -> bool:
            while not stop.is_set():
                try:
                    results.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def fetch_host(host_targets: list[Target]) -> None:
            try:
                for target in host_targets:
                    if stop.is_set():
                        return
                    try:
                        outcome: Page | InputError = self.get(target, accept)
                    except InputError as err:
                        outcome = err
                    except Exception as err:  # a bug on one URL: its own failure, never a lost target
                        outcome = FetchError(f"internal error: {type(err).__name__}: {err}", source=target.url)
                    if not put((target, outcome)):
                        return
            finally:
                put(done)

        pool = ThreadPoolExecutor(max_workers=max(1, min(self.options.connections, len(by_host))),
                                  thread_name_prefix="newsgraph-fetch")
        try:
            for host_targets in by_host.values():
                pool.submit(fetch_host, host_targets)
            remaining = len(by_host)
            while remaining:
                try:
                    item = results.get(timeout=wait)
                except queue.Empty:
                    yield None
                    continue
                if item is done:
                    remaining -= 1
                else:
                    yield item
        finally:
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)


class _Decoder:
    """Decode a body's ``Content-Encoding`` chunk by chunk, raising ``InputTooLargeError`` past ``limit`` bytes.

    Each chunk decodes to at most what is left under the limit (plus one byte, to tell), so a
    compression bomb costs ``limit`` bytes of memory, not what it would expand to.
    """

    def __init__(self, encoding: str, limit: int, source: str) -> None:
        self.encoding = encoding.strip().lower()
        self.limit, self.source, self.produced = limit, source, 0
        if self.encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(wbits=31)
        elif self.encoding == "deflate":
            self._z = zlib.decompressobj(wbits=47)  # a zlib or a gzip header
        elif self.encoding == "br" and importlib.util.find_spec("brotli"):
            import brotli

            self._br = brotli.Decompressor()
        elif self.encoding not in ("", "identity"):
            raise UnsupportedInputError(f"answer is in a content encoding we do not read ('{encoding[:40]}')",
                                        source=source)

    def decode(self, data: bytes) -> bytes:
        room = self.limit + 1 - self.produced
        try:
            if self.encoding in ("gzip", "x-gzip", "deflate"):
                out = self._z.decompress(data, room)
            elif self.encoding == "br":
                out = self._br.process(data, output_buffer_limit=room)
                while len(out) <= self.limit - self.produced and not self._br.can_accept_more_data():
                    out += self._br.process(b"", output_buffer_limit=room - len(out))
            else:
                out = data
        except Exception as err:  # zlib.error, brotli.error (not importable when brotli is absent)
            raise FetchError(f"answer's {self.encoding} data is damaged ({err})", source=self.source) from None
        self.produced += len(out)
        if self.produced > self.limit:
            raise InputTooLargeError(f"answer is over the {self.limit / 2**20:g} MiB limit (raise it with "
                                     "--max-bytes)", source=self.source)
        return out


def _for_good(err: FetchError) -> FetchError:
    """Return ``err`` marked as not transient: the site's own doing, which another round would not change."""
    err.transient = False
    return err


def _accept_encoding() -> str:
    """Return the encodings ``_Decoder`` reads here (``br`` when the brotli package is installed)."""
    return "gzip, deflate, br" if importlib.util.find_spec("brotli") else "gzip, deflate"


def _where(url: str, asked: str) -> str:
    """Return " at URL" when a redirect led elsewhere than the URL asked for, else ""."""
    return f" at {url}" if url != asked else ""


def _content_type(headers: httpx.Headers) -> tuple[str, str | None]:
    """Return (media type in lower case, charset or None) from a Content-Type header."""
    value = headers.get("content-type", "")
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.strip().partition("=")
        if name.lower() == "charset" and val:
            charset = val.strip().strip('"') or None
    return media.strip().lower(), charset


def _retry_after(headers: httpx.Headers | None, attempt: int, delay: float) -> float:
    """Return the seconds to wait before a retry: the server's ``Retry-After``, else a doubling back-off."""
    value = (headers.get("retry-after") or "").strip() if headers is not None else ""
    if value.isdigit():
        return float(value)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):  # neither seconds nor an HTTP date: the back-off below
            when = None
        if when is not None:
            return max(0.0, (when - datetime.now(when.tzinfo or timezone.utc)).total_seconds())
    return max(1.0, delay) * 2 ** attempt


def _network_problem(err: Exception, options: FetchOptions) -> str:
    """Return what went wrong on the network, in words a user can act on."""
    text = " ".join(str(err).split()) or type(err).__name__
    low = text.lower()
    if isinstance(err, httpx.TimeoutException):
        return f"timed out (no answer within {options.timeout:g} s)"
    if "name or service not known" in low or "nodename nor servname" in low or "temporary failure in name" in low \
            or "no address associated" in low or "name resolution" in low:
        return f"host name cannot be resolved (DNS: {text})"
    if "connection refused" in low:
        return "connection refused (nothing listens at that address and port)"
    if "certificate" in low or "ssl" in low or "tls" in low:
        return f"TLS error ({text})"
    if isinstance(err, httpx.InvalidURL) or isinstance(err, httpx.UnsupportedProtocol):
        return f"not a valid URL ({text})"
    if isinstance(err, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({text})"
    return f"network error ({text})"
