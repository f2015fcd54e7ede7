"""Link discovery: feeds, sitemap indexes, (news) sitemaps and section pages of the local site -> article targets."""

from __future__ import annotations

import gzip
from dataclasses import replace
from urllib.parse import urlsplit

import pytest

from newsgraph.errors import EmptyInputError, UnsupportedInputError
from newsgraph.ingest.web import Page, Target, discover, looks_like_article
from newsgraph.ingest.web.fetch import XML_TYPES

PUBLIC = "http://93.184.216.34"


def fetch_source(fetcher, site, path: str, purpose: str = "feed") -> Page:
    page = fetcher().get(Target(site.url(path), purpose), XML_TYPES)
    assert page.status == 200 and page.body
    return page


def made_page(body: bytes, url: str, final_url: str | None = None, content_type: str = "application/rss+xml") -> Page:
    return Page(url=url, final_url=final_url or url, status=200, body=body, content_type=content_type, charset=None,
                fetched_at="2024-05-17T10:00:00Z")


# -- feeds ------------------------------------------------------------------------------------------


def test_feed_lists_its_50_links_private_ones_included(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/feed.xml")
    found = discover(page)
    assert found.kind == "feed"
    urls = [t.url for t in found.links]
    assert len(urls) == 50 and len(set(urls)) == 50
    assert all(urlsplit(u).scheme == "http" for u in urls)
    # discovery lists what the feed says; robots.txt is the fetcher's business
    private = set(shared_site.private_urls) & set(urls)
    assert len(private) == 2 and all("/private/" in u for u in private)
    assert set(urls) - private <= set(shared_site.article_urls)
    assert found.sitemaps == () and found.skipped == ()


def test_feed_targets_carry_origin_purpose_and_hints(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/feed.xml")
    found = discover(page)
    for target in found.links:
        assert target.purpose == "article"
        assert target.origin == page.final_url == shared_site.url("/feed.xml")
        assert target.validators is None
        if "/private/" in target.url:
            continue
        hints = dict(target.hints)
        article = shared_site.article(target.url)
        assert hints["title"] == article["title"]
        assert hints["published"] == article["published"].date().isoformat()
    newest = shared_site.article_urls[-1]
    assert found.links[0].url == newest  # the feed's order: newest first


def test_feed_links_resolve_against_the_final_url_and_only_http_is_kept():
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>T</title><link>{PUBLIC}/</link><description>d</description>
<item><title>passwd</title><link>file:///etc/passwd</link></item>
<item><title>rooted</title><link>/news/relative-path-story.html</link>
  <pubDate>Mon, 03 Jan 2022 08:00:00 GMT</pubDate></item>
<item><title>relative</title><link>story-two-here.html#comments</link></item>
<item><title>script</title><link>javascript:alert(1)</link></item>
<item><title>ftp</title><link>ftp://93.184.216.34/files/a-b-c.txt</link></item>
<item><title>elsewhere</title><link>https://other.example/world/x-y-z-story</link></item>
<item><title>twice</title><link>/news/relative-path-story.html</link></item>
</channel></rss>""".encode()
    page = made_page(feed, url=f"{PUBLIC}/old/feed", final_url=f"{PUBLIC}/feeds/main.xml")
    found = discover(page)
    assert found.kind == "feed"
    urls = [t.url for t in found.links]
    assert urls == [f"{PUBLIC}/news/relative-path-story.html",  # against the final URL, not the one asked
                    f"{PUBLIC}/feeds/story-two-here.html",  # without its fragment
                    "https://other.example/world/x-y-z-story"]
    assert dict(found.links[0].hints) == {"title": "rooted", "published": "2022-01-03"}
    assert all(t.origin == f"{PUBLIC}/feeds/main.xml" for t in found.links)
    assert len(found.skipped) == 3
    assert any(s.startswith("file:") for s in found.skipped)
    assert any(s.startswith("javascript:") for s in found.skipped)
    assert any(s.startswith("ftp:") for s in found.skipped)
    assert not any("passwd" in u for u in urls)


def test_feed_of_only_local_files_lists_nothing():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>a</title><link>file:///etc/passwd</link></item>
<item><title>b</title><link>file:///home/user/.ssh/id_rsa</link></item></channel></rss>"""
    with pytest.raises(EmptyInputError) as caught:
        discover(made_page(feed, url=f"{PUBLIC}/feed.xml"))
    assert caught.value.code == "E101" and "feed" in caught.value.problem


# -- sitemaps ---------------------------------------------------------------------------------------


def test_sitemap_index_lists_its_two_sitemaps(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/sitemap_index.xml", "sitemap")
    found = discover(page)
    assert found.kind == "sitemap index"
    assert found.sitemaps == (shared_site.url("/sitemaps/a.xml"), shared_site.url("/sitemaps/b.xml"))
    assert found.links == ()


def test_news_sitemap_links_with_title_and_published_hints(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/sitemaps/b.xml", "sitemap")
    found = discover(page)
    assert found.kind == "sitemap"
    urls = [t.url for t in found.links]
    assert urls == list(reversed(shared_site.article_urls[-30:]))  # the newest 30, newest first
    for target in found.links:
        hints = dict(target.hints)
        article = shared_site.article(target.url)
        assert hints["title"] == article["title"]
        assert hints["published"] == article["published"].date().isoformat()
        assert target.origin == shared_site.url("/sitemaps/b.xml")


def test_plain_sitemap_lists_older_articles_newest_first(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/sitemaps/a.xml", "sitemap")
    found = discover(page)
    assert found.kind == "sitemap"
    urls = [t.url for t in found.links]
    articles = [u for u in urls if "/private/" not in u]
    assert set(articles) <= set(shared_site.article_urls) and len(articles) == 50
    assert sum("/private/" in u for u in urls) == 1
    published = [dict(t.hints)["published"] for t in found.links]
    assert published == sorted(published, reverse=True)


def test_gzipped_sitemap_is_read(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/sitemaps/b.xml", "sitemap")
    packed = made_page(gzip.compress(page.body), url=page.url, content_type="application/x-gzip")
    assert [t.url for t in discover(packed).links] == [t.url for t in discover(page).links]


def test_text_sitemap_one_url_a_line():
    body = (f"{PUBLIC}/news/one-two-three.html\n{PUBLIC}/news/four-five-six.html\n").encode()
    found = discover(made_page(body, url=f"{PUBLIC}/sitemap.txt", content_type="text/plain"))
    assert found.kind == "sitemap"
    assert [t.url for t in found.links] == [f"{PUBLIC}/news/one-two-three.html", f"{PUBLIC}/news/four-five-six.html"]


# -- section pages ----------------------------------------------------------------------------------


def test_section_page_lists_only_its_article_links(shared_site, fetcher):
    page = fetch_source(fetcher, shared_site, "/section/world/", "page")
    found = discover(page)
    assert found.kind == "page"
    urls = {t.url for t in found.links}
    assert urls == set(shared_site.article_urls[-20:])
    host = urlsplit(shared_site.base).netloc
    assert all(urlsplit(u).netloc == host and urlsplit(u).path.startswith("/news/") for u in urls)
    for nav in ("/", "/section/world/", "/about", "/contact", "/tag/x", "/login", "/privacy", "/static/site.css"):
        assert shared_site.url(nav) not in urls
    assert not any("example.invalid" in u for u in urls)
    assert all(t.origin == page.final_url for t in found.links)


def test_section_page_with_a_feed_named_element_is_still_a_page(shared_site, fetcher):
    """What a source is, its root element says (module docstring), not "<feed" anywhere in its first 4 KiB.

    A custom element such as ``<feed-status>`` (web components need a hyphen) near the top of a section
    page must not make it a feed (then: "no article links found in this feed").
    """
    page = fetch_source(fetcher, shared_site, "/section/world/", "page")
    body = page.body.replace(b"<main>", b"<main><feed-status live></feed-status>", 1)
    assert body.find(b"<feed-status") < 4096
    found = discover(replace(page, body=body))
    assert found.kind == "page"
    assert {t.url for t in found.links} == set(shared_site.article_urls[-20:])


def test_article_page_as_a_source_lists_no_articles(shared_site, fetcher):
    page = fetcher().get(shared_site.article_urls[0])
    with pytest.raises(EmptyInputError):
        discover(page)


def test_json_is_not_a_source(shared_site, fetcher):
    page = fetcher().get(shared_site.url("/plain.json"), ("application/json",))
    assert page.content_type == "application/json"
    with pytest.raises(UnsupportedInputError) as caught:
        discover(page)
    assert "application/json" in caught.value.problem


# -- looks_like_article -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://example.com/2024/05/17/minister-resigns",
    "https://example.com/2024/05/budget",
    "https://example.com/politics/2023/11/vote.html",
    "https://www.bbc.com/news/world-europe-67123456",
    "https://example.com/story/1234567",
    "https://example.com/politics/minister-resigns-after-vote",
    "https://example.com/news/a-b-c.html",
    "https://example.com/news/city_council_approves_budget.php",
])
def test_looks_like_article_yes(url):
    assert looks_like_article(url) is True


@pytest.mark.parametrize("url", [
    "https://example.com/",
    "https://example.com",
    "https://example.com/about",
    "https://example.com/contact",
    "https://example.com/tag/x",
    "https://example.com/tag/minister-resigns-after-vote",
    "https://example.com/category/politics/",
    "https://example.com/section/world/",
    "https://example.com/login",
    "https://example.com/page/2",
    "https://example.com/feed.xml",
    "https://example.com/static/site.css",
    "https://example.com/images/big-red-fire-truck.jpg",
])
def test_looks_like_article_no(url):
    assert looks_like_article(url) is False


def test_every_article_of_the_site_looks_like_one(shared_site):
    assert all(looks_like_article(u) for u in shared_site.article_urls)
