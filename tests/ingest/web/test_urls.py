"""URL helpers: which text is a web URL, a URL's host key, its canonical form, and where a found link may lead."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import DisallowedError
from newsgraph.ingest.web import LinkPolicy, canonical_url, host_key, is_web_url

PUBLIC_ORIGIN = "http://93.184.216.34/feed.xml"


# -- is_web_url -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "http://example.com/",
    "https://example.com/news/a-b-c.html",
    "HTTPS://EXAMPLE.COM",
    "http://127.0.0.1:8080/feed.xml",
    "http://[::1]:8000/x",
    "  https://example.com/padded  ",
])
def test_is_web_url_yes(text):
    assert is_web_url(text) is True


@pytest.mark.parametrize("text", [
    "file:///etc/passwd",
    "ftp://example.com/a.txt",
    "/news/a-b-c.html",
    "news/a-b-c.html",
    "C:\\feeds\\feed.xml",
    "https:/x",
    "http://",
    "mailto:editor@example.com",
    "javascript:alert(1)",
    "example.com/news",
    "http://[::1/x",  # a broken IPv6 literal: False, not an exception
    "",
])
def test_is_web_url_no(text):
    assert is_web_url(text) is False


def test_is_web_url_of_a_path_object():
    assert is_web_url(Path("/tmp/feed.xml")) is False
    assert is_web_url(None) is False


# -- host_key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, key", [
    ("http://example.com/a/b?c=d", "http://example.com"),
    ("HTTP://Example.COM/A", "http://example.com"),
    ("http://example.com:80/x", "http://example.com"),
    ("https://example.com:443/x", "https://example.com"),
    ("http://example.com:8080/x", "http://example.com:8080"),
    ("https://example.com:80/x", "https://example.com:80"),
    ("http://127.0.0.1:5000/robots.txt", "http://127.0.0.1:5000"),
    ("http://[::1]:8080/x", "http://[::1]:8080"),
    ("https://user:secret@Example.com/x", "https://example.com"),
])
def test_host_key(url, key):
    assert host_key(url) == key


def test_host_key_same_for_one_host_different_for_ports():
    assert host_key("http://example.com/a") == host_key("http://EXAMPLE.com:80/b?x=1#y")
    assert host_key("http://127.0.0.1:5000/") != host_key("http://127.0.0.1:5001/")
    assert host_key("http://example.com/") != host_key("https://example.com/")


# -- canonical_url ----------------------------------------------------------------------------------


def test_canonical_url_drops_tracking_fragment_and_case():
    url = "HTTP://Example.COM/News/Story-One.html?utm_source=rss&utm_medium=feed&utm_campaign=x#comments"
    assert canonical_url(url) == "http://example.com/News/Story-One.html"


def test_canonical_url_keeps_path_case_and_real_parameters():
    assert canonical_url("https://Example.com/a?id=3&utm_source=x") == "https://example.com/a?id=3"
    assert canonical_url("https://example.com:443/a#top") == "https://example.com/a"
    assert canonical_url("http://example.com:80/a") == "http://example.com/a"
    assert canonical_url("http://example.com:8080/a") == "http://example.com:8080/a"


def test_canonical_url_same_article_same_form():
    forms = {
        canonical_url("https://example.com/news/a-b-c.html"),
        canonical_url("https://EXAMPLE.com/news/a-b-c.html#top"),
        canonical_url("https://example.com:443/news/a-b-c.html?utm_source=twitter"),
        canonical_url(" https://example.com/news/a-b-c.html?utm_medium=social&utm_campaign=spring "),
    }
    assert forms == {"https://example.com/news/a-b-c.html"}


def test_canonical_url_sorts_the_query():
    assert canonical_url("http://example.com/a?page=2&id=1") == canonical_url("http://example.com/a?id=1&page=2")


def test_canonical_url_keeps_apart_articles_that_differ_only_in_a_query_parameter():
    """The module says tracking parameters are removed; an article id in the query is not one.

    ``article.php?story=123`` and ``?story=456`` are two articles: the same canonical form would make
    the watch take the second for one already stored (table ``urls``) and never fetch it.
    """
    one = canonical_url("http://example.com/article.php?story=123")
    two = canonical_url("http://example.com/article.php?story=456")
    assert one != two
    assert "story=123" in one


def test_canonical_url_of_other_text_is_the_text_stripped():
    assert canonical_url("  /news/a-b-c.html ") == "/news/a-b-c.html"
    assert canonical_url("file:///etc/passwd") == "file:///etc/passwd"


# -- LinkPolicy -------------------------------------------------------------------------------------


@pytest.mark.parametrize("link, named", [
    ("http://127.0.0.1:8000/admin", "127.0.0.1"),
    ("http://10.0.0.5/internal", "10.0.0.5"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://[::1]:8080/x", "::1"),
    ("http://[::ffff:127.0.0.1]/x", "127.0.0.1"),  # an IPv4-mapped IPv6 loopback is the loopback
    ("http://192.168.1.1/router", "192.168.1.1"),
    ("https://172.16.0.9/x", "172.16.0.9"),
    ("http://0.0.0.0:8000/x", "0.0.0.0"),
    ("http://100.64.0.1/x", "100.64.0.1"),  # shared address space (carrier NAT)
    ("http://[fd12:3456::1]/x", "fd12:3456::1"),  # unique local
    ("http://[fe80::1]/x", "fe80::1"),  # link-local
    # other spellings of the loopback, which the resolver reads as 127.0.0.1
    ("http://2130706433/x", "127.0.0.1"),
    ("http://0x7f.0.0.1/x", "127.0.0.1"),
    ("http://127.1/x", "127.0.0.1"),
    ("http://[::ffff:7f00:1]/x", "127.0.0.1"),
])
def test_link_from_public_origin_to_private_address_is_refused(link, named):
    with pytest.raises(DisallowedError) as caught:
        LinkPolicy().check(PUBLIC_ORIGIN, link, source=link)
    err = caught.value
    assert err.code == "E111"
    assert f"({named})" in err.problem
    assert "93.184.216.34" in err.problem  # names the origin too
    assert str(err).startswith(f"{link}: ") and str(err).endswith("[E111]")


def test_link_from_public_origin_to_localhost_is_refused():
    with pytest.raises(DisallowedError) as caught:
        LinkPolicy().check(PUBLIC_ORIGIN, "http://localhost:8000/x", source="http://localhost:8000/x")
    assert "(127.0.0.1)" in caught.value.problem or "(::1)" in caught.value.problem


def test_link_from_public_origin_to_localhost_is_refused_whatever_the_case():
    with pytest.raises(DisallowedError):
        LinkPolicy().check(PUBLIC_ORIGIN, "http://LocalHost/x", source="x")


def test_link_from_public_origin_to_another_public_address_is_allowed():
    policy = LinkPolicy()
    policy.check(PUBLIC_ORIGIN, "http://93.184.216.35/news/a-b-c.html", source="x")
    policy.check(PUBLIC_ORIGIN, "https://8.8.8.8/x", source="x")
    policy.check(PUBLIC_ORIGIN, "http://[2606:4700:4700::1111]/x", source="x")


def test_link_within_the_same_host_is_allowed():
    policy = LinkPolicy()
    policy.check(PUBLIC_ORIGIN, "http://93.184.216.34/news/a-b-c.html", source="x")
    policy.check("http://127.0.0.1:5000/feed.xml", "http://127.0.0.1:5000/news/a.html", source="x")


def test_url_named_by_the_user_is_allowed():
    policy = LinkPolicy()
    for url in ("http://127.0.0.1/x", "http://10.0.0.5/", "http://169.254.169.254/", "http://localhost/"):
        policy.check(None, url, source=url)


def test_private_origin_may_link_within_the_private_network():
    policy = LinkPolicy()
    policy.check("http://127.0.0.1:8000/feed.xml", "http://127.0.0.2/news/a-b-c.html", source="x")
    policy.check("http://10.0.0.1/feed.xml", "http://10.0.0.5/news/a-b-c.html", source="x")
    policy.check("http://127.0.0.1:8000/feed.xml", "http://93.184.216.34/x", source="x")


def test_addresses_of_names_and_literals():
    policy = LinkPolicy()
    assert [str(a) for a in policy.addresses("127.0.0.1")] == ["127.0.0.1"]
    assert [str(a) for a in policy.addresses("[::ffff:10.1.2.3]")] == ["10.1.2.3"]
    assert {str(a) for a in policy.addresses("localhost")} <= {"127.0.0.1", "::1"}
    assert policy.addresses("localhost")
    assert policy.addresses("no-such-host.invalid") == ()
