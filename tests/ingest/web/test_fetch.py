"""The polite fetcher against the real local news site: robots.txt, delays, retries, bounds, redirects, the log."""

from __future__ import annotations

import threading
import time

import pytest

from newsgraph.errors import (
    DisallowedError,
    FetchError,
    HttpStatusError,
    InputTooLargeError,
    UnsupportedInputError,
)
from newsgraph.ingest.web import Fetcher, FetchOptions, FetchRecord, Page, Target
from newsgraph.ingest.web.fetch import XML_TYPES
from tests.ingest.web.site import NewsSite

PUBLIC_ORIGIN = "http://93.184.216.34/feed.xml"
MiB = 2**20


def starts(site: NewsSite, path: str | None = None) -> list[float]:
    return [r.at for r in site.requests if path is None or r.path == path]


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:])]


# -- robots.txt -------------------------------------------------------------------------------------


def test_robots_txt_forbids_private_pages_and_they_are_never_asked_for(news_site, fetcher):
    f = fetcher()
    for url in news_site.private_urls:
        with pytest.raises(DisallowedError) as caught:
            f.get(url)
        err = caught.value
        assert err.code == "E111" and "robots.txt" in err.problem and err.source == url
        assert str(err).endswith("[E111]")
    assert news_site.paths() == ["/robots.txt"]
    assert not any(p.startswith("/private/") for p in news_site.paths())


def test_robots_txt_is_read_once_per_host(news_site, fetcher):
    f = fetcher()
    f.get(Target(news_site.url("/feed.xml"), "feed"), XML_TYPES)
    for url in news_site.article_urls[:6]:
        assert f.get(url).status == 200
    results = list(f.fetch_all([Target(u) for u in news_site.article_urls[6:12] + news_site.private_urls[:1]]))
    assert len(results) == 7
    assert news_site.paths().count("/robots.txt") == 1
    assert news_site.paths()[0] == "/robots.txt"
    assert len(news_site.requests) == 1 + 1 + 6 + 6


def test_robots_txt_off_fetches_private_pages(news_site, fetcher):
    page = fetcher(robots=False).get(news_site.private_urls[0])
    assert page.status == 200
    assert news_site.paths() == [news_site.private_urls[0].removeprefix(news_site.base)]


# -- politeness: delays, one host at a time, hosts side by side -------------------------------------


def test_requests_to_one_host_start_delay_apart(news_site, fetcher):
    f = fetcher(delay=0.3)
    for url in news_site.article_urls[:3]:
        f.get(url)
    times = starts(news_site)
    assert len(times) == 4  # robots.txt and three articles
    assert all(gap >= 0.28 for gap in gaps(times)), gaps(times)


def test_two_hosts_fetched_side_by_side_each_host_serial():
    with NewsSite(articles=20, name="alpha") as a, NewsSite(articles=20, name="beta") as b:
        targets = [Target(u) for pair in zip(a.article_urls[:4], b.article_urls[:4]) for u in pair]
        with Fetcher(FetchOptions(delay=0.3, retries=0, timeout=5)) as f:
            began = time.monotonic()
            results = list(f.fetch_all(targets))
            total = time.monotonic() - began
        assert len(results) == 8
        assert all(isinstance(outcome, Page) and outcome.status == 200 for _, outcome in results)
        assert {t.url for t, _ in results} == {t.url for t in targets}
        for site in (a, b):
            # each host: robots.txt and its four pages, in the order given, one at a time, 0.3 s apart
            assert site.paths()[0] == "/robots.txt" and len(site.requests) == 5
            assert site.paths()[1:] == [u.removeprefix(site.base) for u in site.article_urls[:4]]
            assert all(gap >= 0.28 for gap in gaps(starts(site))), gaps(starts(site))
        # ... while the two hosts overlap in time
        span_a = starts(a)[-1] - starts(a)[0]
        span_b = starts(b)[-1] - starts(b)[0]
        assert span_a >= 1.15 and span_b >= 1.15
        assert max(starts(a)[0], starts(b)[0]) < min(starts(a)[-1], starts(b)[-1])
        assert total < 0.75 * (span_a + span_b), (total, span_a, span_b)
        # in each host's own order
        order_a = [t.url for t, _ in results if t.url.startswith(a.base)]
        assert order_a == a.article_urls[:4]


def test_fetch_all_yields_errors_as_outcomes(news_site, fetcher):
    targets = [Target(news_site.article_urls[0]), Target(news_site.private_urls[0]),
               Target(news_site.url("/status/404")), Target(news_site.article_urls[1])]
    results = list(fetcher().fetch_all(targets))
    assert [t for t, _ in results] == targets
    outcomes = [o for _, o in results]
    assert isinstance(outcomes[0], Page) and isinstance(outcomes[3], Page)
    assert isinstance(outcomes[1], DisallowedError)
    assert isinstance(outcomes[2], HttpStatusError) and outcomes[2].status == 404


# -- retries ----------------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried_after_it(news_site, fetcher):
    records: list[FetchRecord] = []
    page = fetcher(records, retries=1).get(news_site.url("/status/429"))
    assert page.status == 200 and b"<article>" in page.body
    times = starts(news_site, "/status/429")
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95, times
    assert [r.status for r in records if r.purpose != "robots"] == [429, 200]


def test_503_with_retry_after_is_retried(news_site, fetcher):
    page = fetcher(retries=1).get(news_site.url("/status/503"))
    assert page.status == 200
    assert news_site.paths().count("/status/503") == 2


def test_500_fails_after_its_retries(news_site, fetcher):
    retries = 2
    with pytest.raises(HttpStatusError) as caught:
        fetcher(retries=retries).get(news_site.url("/status/500"))
    err = caught.value
    assert err.code == "E110" and err.status == 500 and err.transient
    assert "HTTP 500" in err.problem
    assert news_site.paths().count("/status/500") == 1 + retries
    times = starts(news_site, "/status/500")
    assert all(gap >= 0.95 for gap in gaps(times)), times  # a back-off between tries


def test_404_fails_at_once(news_site, fetcher):
    with pytest.raises(HttpStatusError) as caught:
        fetcher(retries=2).get(news_site.url("/status/404"))
    err = caught.value
    assert err.code == "E110" and err.status == 404 and not err.transient
    assert "HTTP 404" in str(err)
    assert news_site.paths().count("/status/404") == 1


# -- redirects --------------------------------------------------------------------------------------


def test_redirect_is_followed_to_the_article(news_site, fetcher):
    article = news_site.article_urls[5]
    slug = article.rsplit("/", 1)[1].removesuffix(".html")
    asked = news_site.url(f"/redirect/{slug}")
    page = fetcher().get(asked)
    assert page.url == asked
    assert page.final_url == article
    assert page.status == 200 and news_site.article(article)["title"].encode() in page.body
    assert news_site.paths() == ["/robots.txt", f"/redirect/{slug}", article.removeprefix(news_site.base)]


def test_redirect_loop_is_named(news_site, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher().get(news_site.url("/loop/a"))
    err = caught.value
    assert type(err) is FetchError and err.code == "E109"
    assert "redirect loop" in err.problem
    assert news_site.url("/loop/b") in err.problem
    assert news_site.paths().count("/loop/a") == 1 and news_site.paths().count("/loop/b") == 1


def test_redirects_over_the_limit_fail(news_site, fetcher):
    # with max_redirects=0 even one hop is too many
    article = news_site.article_urls[0]
    slug = article.rsplit("/", 1)[1].removesuffix(".html")
    with pytest.raises(FetchError) as caught:
        fetcher(max_redirects=0).get(news_site.url(f"/redirect/{slug}"))
    assert "redirects" in caught.value.problem


# -- bounds -----------------------------------------------------------------------------------------


def test_huge_declared_length_refused_before_reading(news_site, fetcher):
    records: list[FetchRecord] = []
    began = time.monotonic()
    with pytest.raises(InputTooLargeError) as caught:
        fetcher(records, max_bytes=MiB).get(news_site.url("/huge"))
    assert time.monotonic() - began < 2
    assert caught.value.code == "E103" and "MiB" in caught.value.problem
    huge = [r for r in records if r.url.endswith("/huge")]
    assert len(huge) == 1 and huge[0].bytes < 256 * 1024 and huge[0].error


def test_huge_chunked_answer_cut_at_max_bytes(news_site, fetcher):
    records: list[FetchRecord] = []
    began = time.monotonic()
    with pytest.raises(InputTooLargeError) as caught:
        fetcher(records, max_bytes=MiB).get(news_site.url("/huge-chunked"))
    assert time.monotonic() - began < 5
    assert caught.value.code == "E103" and "1 MiB" in caught.value.problem
    huge = [r for r in records if r.url.endswith("/huge-chunked")]
    assert len(huge) == 1
    assert MiB < huge[0].bytes < 2 * MiB
    assert huge[0].status == 200 and huge[0].error


def test_image_is_refused_by_content_type(news_site, fetcher):
    with pytest.raises(UnsupportedInputError) as caught:
        fetcher().get(news_site.url("/image.png"))
    err = caught.value
    assert err.code == "E107" and "image/png" in err.problem


def test_dripping_answer_cut_at_the_deadline(news_site, fetcher):
    began = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher(timeout=1.0, deadline=2.0, retries=1).get(news_site.url("/drip"))
    elapsed = time.monotonic() - began
    assert "too slow" in caught.value.problem
    assert 1.9 <= elapsed < 5, elapsed


def test_slow_answer_times_out():
    with NewsSite(articles=5, name="slow", slow_seconds=5) as site:
        with Fetcher(FetchOptions(delay=0.0, timeout=1.0, retries=0)) as f:
            began = time.monotonic()
            with pytest.raises(FetchError) as caught:
                f.get(site.url("/slow"))
            elapsed = time.monotonic() - began
    assert "timed out" in caught.value.problem and caught.value.transient
    assert 0.9 <= elapsed < 3, elapsed


# -- network errors ---------------------------------------------------------------------------------


def test_connection_refused(free_port, fetcher):
    url = f"http://127.0.0.1:{free_port}/news/a-b-c.html"
    with pytest.raises(FetchError) as caught:
        fetcher().get(url)
    assert "connection refused" in caught.value.problem
    assert caught.value.source == url and caught.value.code == "E109"


def test_unresolvable_host(fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher().get("http://no-such-newsroom.invalid/news/a-b-c.html")
    assert "cannot be resolved" in caught.value.problem


def test_https_to_a_plain_http_port(news_site, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher().get(news_site.base.replace("http://", "https://") + "/feed.xml")
    assert "TLS error" in caught.value.problem


def test_not_a_web_url(fetcher):
    with pytest.raises(UnsupportedInputError):
        fetcher().get("file:///etc/passwd")


# -- what comes back --------------------------------------------------------------------------------


def test_gzip_answers_are_decoded(news_site, fetcher):
    url = news_site.article_urls[0]
    page = fetcher().get(url)
    assert page.body[:20].lower().startswith((b"<!doctype", b"<html"))
    assert news_site.article(url)["title"].encode() in page.body
    assert page.content_type == "text/html" and page.charset == "utf-8"
    sent = [r for r in news_site.requests if r.path.startswith("/news/")]
    assert "gzip" in sent[0].headers["accept-encoding"]  # so the site answered gzip


def test_conditional_request_gives_not_modified(news_site, fetcher):
    f = fetcher()
    url = news_site.url("/feed.xml")
    first = f.get(Target(url, "feed"), XML_TYPES)
    assert first.status == 200 and first.etag and first.last_modified and not first.not_modified
    second = f.get(Target(url, "feed", validators=(first.etag, first.last_modified)), XML_TYPES)
    assert second.not_modified and second.status == 304 and second.body == b""
    feed_requests = [r for r in news_site.requests if r.path == "/feed.xml"]
    assert "if-none-match" not in feed_requests[0].headers
    assert feed_requests[1].headers["if-none-match"] == first.etag
    assert feed_requests[1].headers["if-modified-since"] == first.last_modified
    # Last-Modified alone works too
    third = f.get(Target(url, "feed", validators=(None, first.last_modified)), XML_TYPES)
    assert third.not_modified
    # a new article: the feed changed, a full answer with a new ETag
    news_site.publish(1)
    fourth = f.get(Target(url, "feed", validators=(first.etag, first.last_modified)), XML_TYPES)
    assert fourth.status == 200 and fourth.etag != first.etag and fourth.body


def test_on_request_logs_every_request(news_site, fetcher):
    records: list[FetchRecord] = []
    f = fetcher(records, retries=1)
    f.get(Target(news_site.url("/feed.xml"), "feed"), XML_TYPES)
    f.get(Target(news_site.url("/status/429?log=1"), "article", origin=news_site.url("/feed.xml")))
    with pytest.raises(UnsupportedInputError):
        f.get(news_site.url("/image.png"))
    with pytest.raises(HttpStatusError):
        f.get(news_site.url("/status/404"))
    assert len(records) == len(news_site.requests) == 6
    assert [r.url for r in records] == [news_site.url(p) for p in news_site.paths()]
    assert [r.purpose for r in records] == ["robots", "feed", "article", "article", "article", "article"]
    assert [r.status for r in records] == [200, 200, 429, 200, 200, 404]
    assert [r.status for r in records] == [r.status for r in news_site.requests]
    robots, feed, limited, retried, image, missing = records
    assert robots.bytes == len(b"User-agent: *\nDisallow: /private/\n\n") + len(
        f"Sitemap: {news_site.url('/sitemap_index.xml')}\n")
    assert feed.bytes > 10_000 and feed.error is None and feed.origin is None
    assert limited.origin == retried.origin == news_site.url("/feed.xml")
    assert retried.bytes > 1000 and retried.error is None
    assert image.error and "image/png" in image.error and image.bytes == 0
    assert missing.error is None and missing.bytes > 0  # an answer came: its status says the rest
    assert all(r.seconds >= 0 and r.started_at for r in records)
    assert all(a.started_at <= b.started_at for a, b in zip(records, records[1:]))


def test_on_request_logs_network_errors(free_port, fetcher):
    records: list[FetchRecord] = []
    with pytest.raises(FetchError):
        fetcher(records).get(f"http://127.0.0.1:{free_port}/x")
    assert len(records) == 1
    assert records[0].purpose == "robots" and records[0].status is None
    assert "connection refused" in records[0].error


def test_user_agent_is_sent(news_site, fetcher):
    agent = "newsgraph-test/9.9 (+https://example.org/bot; tests)"
    f = fetcher(user_agent=agent)
    f.get(news_site.article_urls[0])
    f.get(Target(news_site.url("/feed.xml"), "feed"), XML_TYPES)
    assert len(news_site.requests) == 3
    assert all(r.headers["user-agent"] == agent for r in news_site.requests)


def test_link_from_public_origin_to_local_site_refused_before_any_request(news_site, fetcher):
    records: list[FetchRecord] = []
    target = Target(news_site.article_urls[0], "article", origin=PUBLIC_ORIGIN)
    with pytest.raises(DisallowedError) as caught:
        fetcher(records).get(target)
    assert "127.0.0.1" in caught.value.problem and caught.value.code == "E111"
    feed = Target(news_site.url("/feed.xml"), "feed", origin=PUBLIC_ORIGIN)
    results = list(fetcher(records).fetch_all([target, feed], XML_TYPES))
    assert all(isinstance(outcome, DisallowedError) for _, outcome in results) and len(results) == 2
    assert news_site.requests == [] and records == []


def test_link_within_the_site_is_fetched(news_site, fetcher):
    target = Target(news_site.article_urls[0], "article", origin=news_site.url("/feed.xml"))
    assert fetcher().get(target).status == 200


def test_close_stops_a_waiting_fetch(news_site, fetcher):
    f = fetcher(delay=30.0, robots=False)
    began = time.monotonic()
    f.get(news_site.article_urls[0])  # the next request to the host waits 30 s
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            f.get(news_site.article_urls[1])
        except FetchError as err:
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.2)
    f.close()
    thread.join(3)
    assert not thread.is_alive() and time.monotonic() - began < 4
    assert "stopped" in outcome["error"].problem
    assert len(news_site.requests) == 1


def test_retry_after_longer_than_we_wait_fails_at_once(news_site, fetcher):
    began = time.monotonic()
    with pytest.raises(HttpStatusError) as caught:
        fetcher(retries=2, max_retry_after=0.5).get(news_site.url("/status/429?impatient=1"))
    assert time.monotonic() - began < 0.9
    err = caught.value
    assert err.status == 429 and err.transient and "retry after 1 s" in err.problem
    assert news_site.paths().count("/status/429?impatient=1") == 1


def test_one_redirect_within_max_redirects_1(news_site, fetcher):
    article = news_site.article_urls[2]
    slug = article.rsplit("/", 1)[1].removesuffix(".html")
    assert fetcher(max_redirects=1).get(news_site.url(f"/redirect/{slug}")).final_url == article


def test_fetch_all_with_wait_yields_none_while_nothing_is_ready(fetcher):
    with NewsSite(articles=5, name="laggy", latency=0.3) as site:
        items = list(fetcher().fetch_all([Target(site.article_urls[0])], wait=0.05))
    results = [item for item in items if item is not None]
    assert len(results) == 1 and isinstance(results[0][1], Page)
    assert items.count(None) >= 3  # robots.txt and the page take >= 0.6 s


def test_closing_fetch_all_stops_fetching(news_site, fetcher):
    targets = [Target(u) for u in news_site.article_urls[:10]]
    results = fetcher(delay=0.2).fetch_all(targets, ahead=1)
    first = next(results)
    assert isinstance(first[1], Page)
    results.close()
    asked = len(news_site.requests)
    time.sleep(1.0)  # five more pages' worth of delay
    assert len(news_site.requests) <= asked + 1, news_site.paths()
    assert len(news_site.requests) < 1 + len(targets)
