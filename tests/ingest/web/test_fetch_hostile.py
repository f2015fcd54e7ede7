"""Hostile servers and links against the fetcher: compression bombs, dripping headers, dead hosts, broken links."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsgraph.errors import DisallowedError, FetchError, InputTooLargeError
from newsgraph.ingest.web import LinkPolicy, discover
from newsgraph.ingest.web.fetch import Page

MiB = 2**20


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bodies: dict[str, tuple[bytes, str]] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/headers-drip":  # a status line, then a header byte now and then, for ever
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(100):
                    self.wfile.write(b"X-Slow: 1\r\n")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
            return
        if self.path == "/broken-redirect":
            self.send_response(301)
            self.send_header("Location", "http://[::1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path not in self.bodies:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body, encoding = self.bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hostile():
    bodies = {"/gzip-bomb": (gzip.compress(b"\0" * (64 * MiB), compresslevel=9), "gzip")}
    brotli = pytest.importorskip("brotli")
    bodies["/br-bomb"] = (brotli.compress(b"a" * (64 * MiB), quality=1), "br")
    bodies["/zstd"] = (b"\x28\xb5\x2f\xfd", "zstd")
    _Hostile.bodies = bodies
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    server.handle_error = lambda *_args: None  # a client that hangs up on a bomb is the point
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/gzip-bomb", "/br-bomb"])
def test_a_compression_bomb_is_cut_at_max_bytes_while_decoding(hostile, fetcher, path):
    records = []
    with pytest.raises(InputTooLargeError, match="over the 1 MiB limit"):
        fetcher(records, max_bytes=MiB).get(hostile + path)
    # Each chunk decodes to about what is left under the cap (brotli may pass it by one block of its
    # output buffer): never the 64 MiB the bomb holds.
    [logged] = [r.bytes for r in records if r.url.endswith(path)]
    assert MiB < logged < 3 * MiB


def test_an_unknown_content_encoding_is_refused(hostile, fetcher):
    with pytest.raises(Exception, match="content encoding we do not read"):
        fetcher().get(hostile + "/zstd")


def test_dripping_headers_are_cut_at_the_deadline(hostile, fetcher):
    began = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        fetcher(timeout=1, deadline=2).get(hostile + "/headers-drip")
    assert time.monotonic() - began < 5


def test_a_dead_host_fails_its_other_pages_at_once(free_port, fetcher):
    records = []
    fetch = fetcher(records)
    urls = [f"http://127.0.0.1:{free_port}/news/page-number-{i}.html" for i in range(5)]
    errors = [outcome for _target, outcome in fetch.fetch_all(urls_as_targets(urls))]
    assert all(isinstance(e, FetchError) and "connection refused" in e.problem for e in errors)
    # One attempt at robots.txt, remembered: the other four pages do not each try again.
    assert len(records) == 1 and records[0].purpose == "robots"


def urls_as_targets(urls):
    from newsgraph.ingest.web import Target

    return [Target(u) for u in urls]


def test_a_broken_link_is_skipped_and_the_feed_still_read():
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>a</title><link>http://[::1</link></item>"
            b"<item><title>b</title><link>https://news.example.org/2026/12/01/a-real-story</link></item>"
            b"</channel></rss>")
    page = Page("https://news.example.org/feed.xml", "https://news.example.org/feed.xml", 200, feed,
                "application/rss+xml", None, "2026-12-08T00:00:00Z")
    found = discover(page)
    assert [t.url for t in found.links] == ["https://news.example.org/2026/12/01/a-real-story"]
    assert found.skipped == ("http://[::1",)


@pytest.mark.parametrize("link", ["http://[64:ff9b::7f00:1]/x", "http://[::127.0.0.1]/x"])
def test_ipv4_inside_ipv6_is_judged_as_the_ipv4_address(link):
    with pytest.raises(DisallowedError, match="127.0.0.1"):
        LinkPolicy().check("http://93.184.216.34/feed.xml", link, source=link)


def test_a_name_that_does_not_resolve_is_not_followed_from_a_public_site():
    with pytest.raises(FetchError, match="cannot be resolved") as caught:
        LinkPolicy().check("http://93.184.216.34/feed.xml", "http://nowhere.invalid/x", source="x")
    assert caught.value.transient


def test_a_redirect_to_a_broken_url_is_one_failure(hostile, fetcher):
    targets = urls_as_targets([hostile + "/broken-redirect", hostile + "/gzip-bomb"])
    outcomes = [outcome for _target, outcome in fetcher(max_bytes=MiB).fetch_all(targets)]
    assert len(outcomes) == 2  # the bad one does not take the host's other targets with it
    assert isinstance(outcomes[0], FetchError) and "location" in outcomes[0].problem.lower()
