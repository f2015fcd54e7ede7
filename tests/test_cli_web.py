"""The newsgraph command on URLs (ingest, analyze, watch), run as a real process against a real local site."""

from __future__ import annotations

import json
import re
import socket
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsgraph import Database

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.ingest.web.site import NewsSite  # noqa: E402

from tests.test_cli import run  # noqa: E402  (a real `newsgraph` process; no traceback allowed)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _slug(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".html")


@pytest.fixture(scope="module")
def site():
    with NewsSite(articles=6, name="cliweb") as running:
        yield running


def test_ingest_urls_and_a_url_list(site, tmp_path):
    a, b, c, d = site.article_urls[:4]
    redirect = site.url(f"/redirect/{_slug(b)}")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages to fetch\n\n  {c}  \n# another comment\n\n{d}\n")
    db = tmp_path / "web.duckdb"
    began = _now() - timedelta(seconds=1)
    proc = run("ingest", a, redirect, "--urls", listing, "--db", db, "-w", "1", "--delay", "0", check_rc=0)
    ended = _now() + timedelta(seconds=1)
    assert proc.stdout.strip() == f"{db}: stored 4, skipped 0 as duplicate, failed 0"
    with Database(db) as store:
        rows = {url: (final_url, fetched_at, title) for url, final_url, fetched_at, title in
                store.query("SELECT url, final_url, fetched_at, title FROM articles")}
        fetches = store.query("SELECT url, purpose, status FROM fetches")
    assert set(rows) == {a, redirect, c, d}
    assert rows[redirect][0] == b  # where the redirect ended
    for url in (a, c, d):
        assert rows[url][0] == url
    for url, (final_url, fetched_at, title) in rows.items():
        assert began <= fetched_at <= ended, (url, fetched_at)
        assert title == site.article(final_url)["title"]
    # The redirect's two hops are in the fetch log.
    assert (redirect, "article", 301) in fetches and (b, "article", 200) in fetches


def test_a_bad_line_in_the_url_list_is_a_usage_error_naming_file_and_line(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# comment\n{site.article_urls[0]}\n\nnews/not-a-url.html\n")
    proc = run("ingest", "--urls", listing, "--db", tmp_path / "x.duckdb", check_rc=2)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: {listing}: line 4 ") and "news/not-a-url.html" in lines[0]
    assert not (tmp_path / "x.duckdb").exists()


def test_analyze_a_url_prints_its_record(site):
    target = site.article_urls[1]
    redirect = site.url(f"/redirect/{_slug(target)}")
    began = _now() - timedelta(seconds=1)
    proc = run("analyze", redirect, check_rc=0)
    record = json.loads(proc.stdout)
    assert record["url"] == redirect and record["final_url"] == target
    fetched = datetime.fromisoformat(record["fetched_at"].removesuffix("Z"))
    assert began <= fetched <= _now() + timedelta(seconds=1)
    assert record["title"] == site.article(target)["title"] and record["quotes"]


def test_analyze_a_url_nothing_listens_at_is_a_one_line_error():
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    proc = run("analyze", url)
    assert proc.returncode in (1, 2), proc.stderr
    assert proc.stderr.strip() == (f"error: {url}: connection refused (nothing listens at that address and port) "
                                   "[E109]")
    assert proc.stdout == ""


def test_ingest_a_url_whose_host_does_not_resolve_is_one_failure(tmp_path):
    url = "https://www.example.invalid/news/x"  # .invalid never resolves (RFC 2606): no network needed
    db = tmp_path / "x.duckdb"
    proc = run("ingest", url, "--db", db, "-w", "1", check_rc=1)
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1, proc.stderr
    assert failed[0].startswith(f"failed: {url}: host name cannot be resolved") and failed[0].endswith("[E109]")
    assert "no such file or directory" not in (proc.stderr + proc.stdout).lower()
    assert proc.stdout.strip() == f"{db}: stored 0, skipped 0 as duplicate, failed 1"


def test_watch_once_exit_codes(site, tmp_path):
    feed = site.url("/feed.xml")
    db = tmp_path / "watch.duckdb"
    proc = run("watch", feed, "--once", "--db", db, "-w", "1", "--delay", "0", check_rc=3)
    summary = [line for line in proc.stderr.splitlines() if line.startswith(f"{db}: round ")]
    assert len(summary) == 1, proc.stderr
    assert re.fullmatch(
        rf"{re.escape(str(db))}: round \S+Z: checked 1 sources \(0 not modified, 0 failed\), 8 new links; "
        r"stored 6, skipped 0 as duplicate, failed 2", summary[0]), summary[0]
    failed = sorted(line for line in proc.stderr.splitlines() if line.startswith("failed: "))
    assert [line.split(": ")[1] for line in failed] == sorted(site.private_urls[:2])
    assert all("robots.txt" in line and line.endswith("[E111]") for line in failed)
    assert not [p for p in site.paths() if p.startswith("/private/")]
    with Database(db) as store:
        assert store.query("SELECT count(*) FROM articles") == [(6,)]

    proc = run("watch", feed, "--once", "--every", "1m", "--db", db, check_rc=2)
    assert "--once" in proc.stderr and "--every" in proc.stderr

    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    proc = run("watch", "feed.xml", "--once", "--db", db, cwd=tmp_path, check_rc=2)
    assert proc.stderr.strip() == ("error: feed.xml: a source to watch must be an http(s) URL of a feed, sitemap "
                                   "or section page [E107]")
