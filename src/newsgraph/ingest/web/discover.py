"""A fetched source -> the article links it lists: RSS/Atom feeds, sitemaps (news sitemaps, indexes), section pages.

What a source is, its content says (not its URL or content type, which
sites get wrong): a feed root element (RSS, Atom, RDF) is a feed, read with
feedparser; a ``<urlset>`` or ``<sitemapindex>`` (or a text sitemap: one URL a
line) is a sitemap, read with ultimate-sitemap-parser (``usp``: the sitemaps
protocol, Google News and image extensions, text sitemaps; it parses a
string we fetched ourselves, so every request stays polite and logged);
anything else HTML is a section page.

A section page's article links are found by a method, not by site rules:
links to the same host (courlan extracts and normalises them), minus what
courlan knows is navigation (``/tag/``, ``/category/``, pagination) or not
crawlable (log-in, feeds, media files), kept when the path looks like one
article's: a date (``/2024/05/17/``), a long number (an article id, as BBC's
``/news/world-europe-67123456``), or a slug of three or more words
(``/minister-resigns-after-vote``). Limits: a site whose article URLs are
short words (``/news/a7``) is missed; a long-slug landing page is taken (and
then usually fails extraction or is stored as a thin page).

Links are resolved against the source's final URL; only http(s) links are
kept (never ``file:`` or a local path, whatever the feed says).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ...errors import EmptyInputError, UnsupportedInputError
from ..decode import decode_bytes, gunzip
from ..feeds import FEED_ROOTS, iso_date, root_element
from .fetch import Page, Target
from .urls import host_key, is_web_url

__all__ = ["Discovery", "discover", "looks_like_article"]

#: Article links taken from one source: a sitemap can list 50,000 URLs, years of an archive; a watch
#: wants what is new, and sitemaps are read newest first.
MAX_LINKS = 1000

_SITEMAP_ROOTS = ("urlset", "sitemapindex")
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/|-)")
_ID = re.compile(r"\d{5,}")
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+){2,}", re.I)


@dataclass(frozen=True)
class Discovery:
    """What one source lists: its kind, article targets (newest first where it says), sub-sitemaps to read."""

    kind: str  # "feed", "sitemap", "sitemap index" or "page"
    links: tuple[Target, ...] = ()
    sitemaps: tuple[str, ...] = ()
    skipped: tuple[str, ...] = field(default=())  # links that are not http(s)


def discover(page: Page) -> Discovery:
    """Return the article links (and sub-sitemaps) of a fetched source; raise ``InputError`` if it lists none."""
    body = page.body
    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz
        body = gunzip(body, page.url)
    root = root_element(body)
    if root in FEED_ROOTS:
        found = _feed(page, body)
    elif root in _SITEMAP_ROOTS:
        found = _sitemap(page, body)
    elif page.content_type == "text/plain" and body.lstrip()[:8].lower().startswith((b"http://", b"https://")):
        found = _sitemap(page, body)
    elif page.content_type in ("text/html", "application/xhtml+xml", "") or root == "html":
        found = _section(page, body)
    else:
        raise UnsupportedInputError(f"not a feed, sitemap or HTML page (content type {page.content_type})",
                                    source=page.url)
    if not found.links and not found.sitemaps:
        raise EmptyInputError(f"no article links found in this {found.kind}", source=page.url)
    return found


def _targets(page: Page, links, purpose: str = "article") -> tuple[tuple[Target, ...], tuple[str, ...]]:
    """Return (targets, skipped links): each link made absolute, http(s) only, each once, at most ``MAX_LINKS``."""
    targets: dict[str, Target] = {}
    skipped = []
    for link, hints in links:
        try:
            url = urljoin(page.final_url, link.strip()) if link else ""
        except ValueError:  # "http://[::1" and the like: a broken link is skipped, not the source
            url = ""
        if not is_web_url(url):
            skipped.append(link)
            continue
        url = url.split("#", 1)[0]
        if url not in targets and len(targets) < MAX_LINKS:
            targets[url] = Target(url, purpose, origin=page.final_url,
                                  hints=tuple((k, v) for k, v in hints.items() if v))
    return tuple(targets.values()), tuple(skipped)


def _feed(page: Page, body: bytes) -> Discovery:
    import feedparser

    # Bytes, not a string: given a string feedparser may fetch it as a URL or read it as a path.
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    links = []
    for entry in parsed.entries:
        published = iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        links.append((entry.get("link") or "", {"title": entry.get("title"), "published": published}))
    targets, skipped = _targets(page, links)
    return Discovery("feed", targets, skipped=skipped)


def _sitemap(page: Page, body: bytes) -> Discovery:
    from usp.objects.sitemap import AbstractIndexSitemap, InvalidSitemap
    from usp.tree import sitemap_from_str

    text, _ = decode_bytes(body, page.url, declared=page.charset)
    logging.getLogger("usp").setLevel(logging.CRITICAL)  # it logs every parse problem; we report our own
    tree = sitemap_from_str(text)
    if isinstance(tree, InvalidSitemap):
        raise UnsupportedInputError(f"not a sitemap ({tree.reason.split(': ')[-1]})", source=page.url)
    if isinstance(tree, AbstractIndexSitemap):
        subs = [s.url for s in tree.sub_sitemaps]
        targets, skipped = _targets(page, [(u, {}) for u in subs], "sitemap")
        return Discovery("sitemap index", sitemaps=tuple(t.url for t in targets), skipped=skipped)
    pages = list(tree.all_pages())

    def newest(p) -> str:
        when = p.news_story.publish_date if p.news_story and p.news_story.publish_date else p.last_modified
        return when.isoformat() if when else ""

    pages.sort(key=newest, reverse=True)  # stable: undated pages keep the sitemap's order
    links = []
    for p in pages:
        story = p.news_story
        published = newest(p)[:10] or None
        links.append((p.url, {"title": story.title if story else None, "published": published}))
    targets, skipped = _targets(page, links)
    return Discovery("sitemap", targets, skipped=skipped)


def _section(page: Page, body: bytes) -> Discovery:
    from courlan import extract_links

    html, _ = decode_bytes(body, page.url, declared=page.charset)
    site = _site(page.final_url)
    found = extract_links(html, url=page.final_url, external_bool=False, no_filter=True, with_nav=False)
    links = sorted(u for u in found if _site(u) == site and looks_like_article(u))
    targets, skipped = _targets(page, [(u, {}) for u in links])
    return Discovery("page", targets, skipped=skipped)


def _site(url: str) -> str:
    """Return a URL's host and port (``host_key``), ``www.`` dropped: www.example.org and example.org are one site."""
    try:
        return host_key(url).split("://", 1)[-1].removeprefix("www.")
    except ValueError:  # a broken host ("[::1"): no site
        return ""


def looks_like_article(url: str) -> bool:
    """Return True if a URL's path looks like one article's (module docstring: a date, an id or a long slug)."""
    from courlan import is_navigation_page, is_not_crawlable

    if is_not_crawlable(url) or is_navigation_page(url):
        return False
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segments[-1], flags=re.I)
    return bool(_DATE_PATH.search(path) or _ID.search(last) or _SLUG.fullmatch(last))
