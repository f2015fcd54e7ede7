"""The local news site the web-ingest tests crawl: it must be what they assume (``site.py``)."""

from __future__ import annotations

import gzip
import sys
import threading
import time
from pathlib import Path

import feedparser
import httpx
import pytest

# By its package path, as the benchmarks import it ("site" alone is the standard library's module).
_REPO = str(Path(__file__).resolve().parents[3])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from tests.ingest.web.site import NewsSite  # noqa: E402


@pytest.fixture
def site(news_site):
    return news_site  # conftest.py: a fresh site per test


@pytest.fixture
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def test_feed_lists_50_items_two_of_them_private(site, client):
    answer = client.get(site.url("/feed.xml"))
    assert answer.status_code == 200
    feed = feedparser.parse(answer.content)
    assert not feed.bozo
    links = [entry.link for entry in feed.entries]
    assert len(links) == 50 and len(set(links)) == 50
    private = [link for link in links if "/private/" in link]
    assert len(private) == 2
    assert set(links) - set(private) <= set(site.article_urls)
    assert all(entry.title and entry.published and entry.summary for entry in feed.entries)


def test_articles_are_long_distinct_and_quote_people(site, client):
    titles = set()
    for url in site.article_urls[:5]:
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
        page = answer.text
        assert page.startswith("<!DOCTYPE html>") and "<article>" in page and 'property="og:title"' in page
        assert 'name="article:published_time"' in page
        article = site.article(url)
        titles.add(article["title"])
        assert 6 <= len(article["paragraphs"]) <= 8
        assert len(article["text"].split()) >= 450
        assert '," said ' in article["text"] or ', said: "' in article["text"]
    assert len(titles) == 5
    other = NewsSite(articles=60, name="other")
    assert not {other._article(k).title for k in range(60)} & {site._article(k).title for k in range(60)}


def test_conditional_requests_and_publish(site, client):
    first = client.get(site.url("/feed.xml"))
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(site.url("/feed.xml"), headers={"If-None-Match": etag}).status_code == 304
    assert client.get(site.url("/feed.xml"), headers={"If-Modified-Since": modified}).status_code == 304
    b = client.get(site.url("/sitemaps/b.xml"))
    assert client.get(site.url("/sitemaps/b.xml"), headers={"If-None-Match": b.headers["etag"]}).status_code == 304

    new = site.publish(2)
    assert len(new) == 2 and set(new) <= set(site.article_urls)
    again = client.get(site.url("/feed.xml"), headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["etag"] != etag
    assert client.get(site.url("/feed.xml"), headers={"If-Modified-Since": modified}).status_code == 200
    links = [entry.link for entry in feedparser.parse(again.content).entries]
    assert len(links) == 50 and links[0] == new[-1] and new[0] in links
    b2 = client.get(site.url("/sitemaps/b.xml"), headers={"If-None-Match": b.headers["etag"]})
    assert b2.status_code == 200 and new[-1] in b2.text and "<news:publication_date>" in b2.text
    index = client.get(site.url("/sitemap_index.xml")).text
    assert site.url("/sitemaps/a.xml") in index and site.url("/sitemaps/b.xml") in index
    assert "/private/" in client.get(site.url("/sitemaps/a.xml")).text


def test_robots_txt(site, client):
    answer = client.get(site.url("/robots.txt"))
    assert answer.status_code == 200
    lines = answer.text.splitlines()
    assert "User-agent: *" in lines and "Disallow: /private/" in lines
    assert f"Sitemap: {site.base}/sitemap_index.xml" in lines


def test_gzip_when_asked(site, client):
    url = site.article_urls[0]
    raw = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as answer:
        body = b"".join(answer.iter_raw())
    assert gzip.decompress(body).startswith(b"<!DOCTYPE html>")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == raw.text


def test_redirects_loop_and_statuses(site, client):
    answer = client.get(site.url("/loop/a"))
    assert answer.status_code == 302 and answer.headers["location"] == site.url("/loop/b")
    assert client.get(site.url("/loop/b")).headers["location"] == site.url("/loop/a")
    with pytest.raises(httpx.TooManyRedirects):
        client.get(site.url("/loop/a"), follow_redirects=True)
    slug = site.article_urls[3].rsplit("/", 1)[1].removesuffix(".html")
    moved = client.get(site.url(f"/redirect/{slug}"))
    assert moved.status_code == 301 and moved.headers["location"] == site.article_urls[3]
    first = client.get(site.url("/status/429"))
    assert first.status_code == 429 and first.headers["retry-after"] == "1"
    assert client.get(site.url("/status/429")).status_code == 200
    assert [client.get(site.url("/status/500")).status_code for _ in range(2)] == [500, 500]
    assert client.get(site.url("/image.png")).content.startswith(b"\x89PNG")
    assert client.get(site.url("/nowhere")).status_code == 404
    assert site.paths()[:2] == ["/loop/a", "/loop/b"]
    assert all(r.status for r in site.requests) and not site.errors


def test_huge_declares_2_gib_and_stop_is_prompt(client):
    site = NewsSite(name="huge").start()
    state: dict[str, object] = {"bytes": 0}

    def read() -> None:
        try:
            with httpx.stream("GET", site.url("/huge"), timeout=10) as answer:
                state["length"] = answer.headers.get("content-length")
                for chunk in answer.iter_raw():
                    state["bytes"] = int(state["bytes"]) + len(chunk)
        except httpx.HTTPError as error:
            state["error"] = error

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 5
    while int(state["bytes"]) < 1_000_000 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert state["length"] == str(2 * 1024**3) and int(state["bytes"]) >= 1_000_000
    started = time.monotonic()
    site.stop()
    assert time.monotonic() - started < 2
    reader.join(5)
    assert not reader.is_alive() and "error" in state  # cut off long before 2 GiB
    with pytest.raises(httpx.ConnectError):
        client.get(site.url("/robots.txt"))
