"""Watch rounds against a real local news site (``tests/ingest/web/site.py``) and a real DuckDB file.

A round checks its sources (conditionally after the first), fetches only the
article links the store has not settled, stores each article once, records
every request in ``fetches`` and every bad link in ``failures``; a round
killed with SIGKILL resumes when the same command runs again.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest

from newsgraph import Database
from newsgraph.ingest.web import FetchOptions
from newsgraph.run.watch import parse_every, watch_round

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.ingest.web.site import NewsSite  # noqa: E402

NEWSGRAPH = [sys.executable, "-m", "newsgraph"]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _listed(site: NewsSite) -> dict[str, list[str]]:
    """What the site's sources list, read here (httpx, feedparser, ElementTree), not by the code under test."""
    with httpx.Client(timeout=10) as client:
        feed = feedparser.parse(client.get(site.url("/feed.xml")).content)
        assert not feed.bozo
        index = ET.fromstring(client.get(site.url("/sitemap_index.xml")).content)
        sitemaps = [loc.text.strip() for loc in index.iter(f"{SITEMAP_NS}loc")]
        listed = {"feed": [entry.link for entry in feed.entries]}
        for url in sitemaps:
            tree = ET.fromstring(client.get(url).content)
            listed[urlsplit(url).path] = [loc.text.strip() for loc in tree.iter(f"{SITEMAP_NS}loc")]
        section = client.get(site.url("/section/world/")).text
        listed["section"] = [site.url(href) for href in re.findall(r'href="(/news/[^"]+)"', section)]
    assert set(listed) == {"feed", "/sitemaps/a.xml", "/sitemaps/b.xml", "section"}
    return listed


def _no_private_request(site: NewsSite) -> None:
    assert not [p for p in site.paths() if p.startswith("/private/")]


# -- rounds 1-3 on one store ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    with NewsSite(articles=60, name="watchtest") as running:
        yield running


@pytest.fixture(scope="module")
def first_round(site, tmp_path_factory):
    """Round 1 over the feed, the sitemap index and a section page; what it did, read right after it."""
    listed = _listed(site)
    sources = [site.url("/feed.xml"), site.url("/sitemap_index.xml"), site.url("/section/world/")]
    db_path = tmp_path_factory.mktemp("watch") / "store.duckdb"
    before = len(site.requests)
    lines: list[str] = []  # each source's line as the CLI prints it, when it prints it
    with Database(db_path) as db:
        report = watch_round(sources, db, fetch=FetchOptions(delay=0.02), workers=None,
                             on_source=lambda check: lines.append(check.line()))
        snapshot = {
            "articles": db.query("SELECT url, final_url, fetched_at FROM articles"),
            "failures": db.query("SELECT run_id, source, error, message FROM failures"),
            "fetches": db.query("SELECT run_id, url, purpose, status, error FROM fetches"),
            "journal": db.query("SELECT run_id, source, outcome FROM journal"),
        }
    requests = list(site.requests)[before:]
    return {"listed": listed, "sources": sources, "db": db_path, "report": report, "requests": requests,
            "lines": lines, **snapshot}


def test_a_round_stores_every_allowed_article_once_and_logs_every_request(site, first_round):
    listed, report = first_round["listed"], first_round["report"]
    links = {url for urls in listed.values() for url in urls}
    allowed = {url for url in links if "/private/" not in urlsplit(url).path}
    private = links - allowed
    # What the docstring says the sources list: the feed's 48 newest articles, sitemaps a and b, the section's 20.
    assert len(listed["feed"]) == 50 and len(listed["section"]) == 20 and len(listed["/sitemaps/b.xml"]) == 30
    assert allowed == set(site.article_urls) and len(allowed) == 60
    assert private == set(site.private_urls) and len(private) == 3

    urls = [row[0] for row in first_round["articles"]]
    assert len(urls) == len(set(urls)), "an article URL is stored twice"
    assert set(urls) == allowed
    assert len(report.run.stored) + len(report.run.copies) == 60
    for url, final_url, fetched_at in first_round["articles"]:
        assert final_url == url  # no redirects on this site's article links
        assert fetched_at is not None

    _no_private_request(site)
    failures = first_round["failures"]
    assert sorted(f[1] for f in failures) == sorted(private)  # one row each
    for run_id, source, error, message in failures:
        assert run_id == report.run.run_id and error == "DisallowedError"
        assert message.startswith(f"{source}: robots.txt of {site.base} disallows") and message.endswith("[E111]")
    assert sorted(f.source for f in report.run.failures) == sorted(private)

    # The fetch log: one row per request the server saw, same path and status, all of this round's run.
    requests = first_round["requests"]
    fetches = first_round["fetches"]
    assert len(fetches) == len(requests)
    assert Counter((_path(url), status) for _run, url, _purpose, status, _error in fetches) == Counter(
        (r.path, r.status) for r in requests)
    assert {row[0] for row in fetches} == {report.run.run_id}
    assert not [row for row in fetches if row[4] is not None]
    purposes = Counter(row[2] for row in fetches)
    assert purposes["robots"] == 1 and purposes["article"] == 60
    assert Counter(r.path for r in requests)["/robots.txt"] == 1
    # Every article page was asked for exactly once.
    article_paths = Counter(r.path for r in requests if r.path.startswith("/news/"))
    assert set(article_paths) == {_path(u) for u in allowed} and set(article_paths.values()) == {1}

    journal = first_round["journal"]
    assert len(journal) == len({(run, source) for run, source, _ in journal}) == 63
    assert Counter(outcome for _run, _source, outcome in journal) == {"stored": 60, "failed": 3}
    assert "63 new links" in report.summary() and "stored 60" in report.summary()


def test_the_line_each_source_gets_says_how_many_new_links_it_has(first_round):
    # The CLI prints each source's line as soon as the source is checked (``on_source``). Its "N new" must be
    # the links of that source the round will fetch: the feed's 50 were all new in the first round.
    feed = first_round["sources"][0]
    final = [check.line() for check in first_round["report"].sources]
    assert f"{feed}: feed, 50 links, 50 new" in final
    assert first_round["lines"] == final


def test_later_rounds_ask_conditionally_and_fetch_only_new_articles(site, first_round):
    db_path, sources = first_round["db"], first_round["sources"]
    with Database(db_path) as db:
        # Round 2: nothing changed.
        before = len(site.requests)
        second = watch_round(sources, db, fetch=FetchOptions(delay=0.02), workers=None)
        requests = list(site.requests)[before:]
        paths = [r.path for r in requests]
        assert not [p for p in paths if p.startswith("/news/")], "an article page was asked for again"
        for r in requests:
            if r.path in ("/feed.xml", "/sitemap_index.xml") or r.path.startswith("/sitemaps/"):
                assert "if-none-match" in r.headers or "if-modified-since" in r.headers, r
                assert r.status == 304, r
        assert "/feed.xml" in paths and "/sitemap_index.xml" in paths
        assert second.run.stored == [] and second.run.copies == [] and second.run.failures == []
        checks = {c.url: c for c in second.sources}
        assert checks[sources[0]].not_modified and checks[sources[1]].not_modified
        assert db.query("SELECT count(*) FROM articles") == [(60,)]
        assert db.query("SELECT count(*) FROM failures") == [(3,)]
        # Every request of round 2 is in the fetch log too.
        logged = db.query("SELECT url, status FROM fetches WHERE run_id = ?", [second.run.run_id])
        assert Counter((_path(u), s) for u, s in logged) == Counter((r.path, r.status) for r in requests)

        # Round 3: two new articles.
        new = site.publish(2)
        before = len(site.requests)
        third = watch_round(sources, db, fetch=FetchOptions(delay=0.02), workers=None)
        requests = list(site.requests)[before:]
        articles = Counter(r.path for r in requests if not r.path.startswith(("/feed", "/sitemap", "/section",
                                                                                 "/robots.txt")))
        assert articles == Counter(_path(u) for u in new)
        assert len(third.run.stored) + len(third.run.copies) == 2 and third.run.failures == []
        stored = db.query("SELECT url, count(*) FROM articles GROUP BY url HAVING count(*) > 1")
        assert stored == []
        assert {u for (u,) in db.query("SELECT url FROM articles")} == set(site.article_urls)
        assert db.query("SELECT count(*) FROM articles") == [(62,)]
        assert db.query("SELECT count(*) FROM failures") == [(3,)]
    _no_private_request(site)


# -- kill -9 during a round, then the same command again ---------------------------------------


def _articles_requested(site: NewsSite) -> int:
    return sum(1 for p in site.paths() if p.startswith("/news/"))


def test_a_round_killed_with_sigkill_resumes_and_stores_each_article_once(tmp_path):
    db_path = tmp_path / "killed.duckdb"
    wal = Path(f"{db_path}.wal")
    with NewsSite(articles=60, name="killtest", latency=0.05) as site:
        feed = site.url("/feed.xml")
        listed = _listed(site)["feed"]
        expected = {u for u in listed if "/private/" not in u}
        assert len(expected) == 48
        command = [*NEWSGRAPH, "watch", feed, "--once", "--db", str(db_path), "-w", "1", "--delay", "0.2"]
        env = {**os.environ, "COLUMNS": "200"}
        with open(tmp_path / "first.out", "w") as out, open(tmp_path / "first.err", "w") as err:
            proc = subprocess.Popen(command, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            # Kill once some articles are committed. The store cannot be read while the command holds it
            # (DuckDB's lock), but its write-ahead log can be measured: an article batch adds ~20 KB an article,
            # the run record and failures a few KB. Fallback: most article pages were asked for.
            # A commit is written in pieces: once the log has grown, wait until it stays put for a moment (the
            # batch's commit is whole), then kill.
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and proc.poll() is None:
                size = wal.stat().st_size if wal.exists() else 0
                if size > 150_000 or _articles_requested(site) >= 40:
                    break
                time.sleep(0.02)
            settle = time.monotonic() + 3
            while time.monotonic() < settle and proc.poll() is None:
                time.sleep(0.3)
                grown = wal.stat().st_size if wal.exists() else 0
                if grown == size:
                    break
                size = grown
            assert proc.poll() is None, f"the round ended before it was killed: {(tmp_path / 'first.err').read_text()}"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
        time.sleep(0.5)  # the worker process (same process group) is gone too; it held no lock anyway

        with Database(db_path) as db:
            stored_before = {u for (u,) in db.query("SELECT url FROM articles")}
            runs = db.query("SELECT run_id, finished_at FROM runs")
        assert 0 < len(stored_before) < 48, f"killed at {len(stored_before)} stored: not mid-round"
        assert len(runs) == 1 and runs[0][1] is None  # the run is open, to be resumed
        run_id = runs[0][0]

        before = len(site.requests)
        rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        assert rerun.returncode == 3, rerun.stderr  # the two private links fail (robots.txt)
        assert "Traceback" not in rerun.stderr
        assert f"resumed run {run_id}:" in rerun.stderr, rerun.stderr
        again = [r.path for r in list(site.requests)[before:] if r.path.startswith("/news/")]
        assert not {site.url(p) for p in again} & stored_before, "a stored article was fetched again"
        assert len(again) == len(set(again))

    with Database(db_path) as db:
        urls = [u for (u,) in db.query("SELECT url FROM articles")]
        assert len(urls) == len(set(urls)) == 48 and set(urls) == expected
        assert db.query("SELECT run_id, finished_at IS NOT NULL, stored, failed FROM runs") == [(run_id, True, 48, 2)]
        assert db.query("SELECT source FROM journal GROUP BY run_id, source HAVING count(*) > 1") == []
        assert db.query("SELECT count(*) FROM journal WHERE run_id = ?", [run_id]) == [(50,)]
        assert sorted(s for (s,) in db.query("SELECT source FROM failures")) == sorted(
            u for u in listed if "/private/" in u)
        assert db.query("SELECT count(*) FROM urls WHERE outcome = 'stored'")[0][0] >= 48
    _no_private_request(site)


# -- bad servers ------------------------------------------------------------------------------------


class _Feed(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/bad.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            self.wfile.write(self.body)
        else:
            self.send_error(404)

    def log_message(self, *args) -> None:
        pass


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bad links</title>'
            f"<link>http://127.0.0.1/</link><description>x</description>{items}</channel></rss>").encode()


BAD = {  # path -> (error class, what the message says)
    "/status/404": ("HttpStatusError", "HTTP 404 Not Found [E110]"),
    "/status/500": ("HttpStatusError", "HTTP 500 Internal Server Error [E110]"),
    "/loop/a": ("FetchError", "redirect loop ("),
    "/huge": ("InputTooLargeError", "over the 20 MiB limit"),
    "/image.png": ("UnsupportedInputError", "not an HTML page (content type image/png) [E107]"),
    "/drip": ("FetchError", "answer too slow"),
}


def test_bad_servers_in_a_round_are_one_failure_each_and_the_rest_is_stored(tmp_path):
    with NewsSite(articles=4, name="badtest") as site:
        good = site.article_urls[:2]
        bad = {site.url(path): expected for path, expected in BAD.items()}
        handler = type("Handler", (_Feed,), {"body": _rss([good[0], *bad, good[1]])})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            feed = f"http://127.0.0.1:{server.server_address[1]}/bad.xml"
            began = time.monotonic()
            with Database(tmp_path / "bad.duckdb") as db:
                report = watch_round([feed], db, fetch=FetchOptions(timeout=1, deadline=2, delay=0), workers=None)
                seconds = time.monotonic() - began
                failures = db.query("SELECT source, error, message FROM failures")
                stored = {u for (u,) in db.query("SELECT url FROM articles")}
        finally:
            server.shutdown()
            server.server_close()
    assert [c.error for c in report.sources] == [None]
    assert stored == set(good)
    assert len(report.run.stored) == 2
    assert sorted(f[0] for f in failures) == sorted(bad), "one failures row per bad link"
    for source, error, message in failures:
        kind, says = bad[source]
        assert error == kind, message
        assert message.startswith(f"{source}: ") and says in message, message
        assert "\n" not in message
    assert sorted(f.source for f in report.run.failures) == sorted(bad)
    assert seconds < 60  # the drip and the 2 GB answer were cut off, not waited out


# -- intervals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), ("90", 90)])
def test_parse_every_reads_intervals(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "abc"])
def test_parse_every_refuses_what_is_not_a_positive_interval(text):
    with pytest.raises(ValueError):
        parse_every(text)
