"""The web UI: real pages from a real server over the sample store, plus the highlighter by hand."""

from __future__ import annotations

import re
from html import unescape

import pytest

from newsgraph.serve.ui import highlight, speaker_hue

MARK = re.compile(r'<mark class="quote[^"]*"[^>]*>')


def _attr(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return unescape(found.group(1)) if found else ""


def _article_id(api, q: str) -> str:
    return api.get("/api/articles", params={"q": q}).json()["items"][0]["id"]


def _okafor_id(api) -> str:
    return api.get("/api/entities", params={"q": "Maria Okafor"}).json()["items"][0]["canonical_id"]


def _html(client, url: str, status: int = 200, **params) -> str:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# -- pages ---------------------------------------------------------------------------------


def test_home_has_search_stats_speakers_and_recent(api):
    html = _html(api, "/")
    assert '<form action="/search"' in html and 'name="q"' in html
    assert "Most quoted" in html and "Maria Okafor" in html
    assert html.count('href="/articles/') >= 8
    assert '<link rel="stylesheet" href="/static/ui.css">' in html
    assert api.get("/static/ui.css").status_code == 200 and api.get("/static/ui.js").status_code == 200


def test_article_page_highlights_quotes_by_speaker(api):
    article_id = _article_id(api, "Lagos electricity tariffs")
    record = api.get(f"/api/articles/{article_id}").json()
    html = _html(api, f"/articles/{article_id}")
    assert record["title"].replace("'", "&#39;") in html and record["byline"] in html
    marks = MARK.findall(html)
    assert len({_attr(m, "data-quote") for m in marks}) == len(record["quotes"])
    okafor = [m for m in marks if _attr(m, "data-speaker") == "Maria Okafor"]
    assert okafor, "Okafor's quotes are marked with her resolved name"
    cid = _okafor_id(api)
    assert all(_attr(m, "data-speaker-id") == cid for m in okafor)
    title = _attr(okafor[0], "title")
    assert title.startswith("Maria Okafor — senior analyst") and "cue: " in title
    # The same speaker has one colour everywhere; the legend links to the speaker page.
    assert all(f"--h: {speaker_hue(cid)}" in m for m in okafor)
    assert f'href="/speakers/{cid}"' in html
    # Paragraph spans become <p>s; events, captions and entities are listed.
    assert html.count("<p>") >= len(record["paragraphs"])
    assert 'class="events"' in html and record["events"][0]["type"] in html
    assert record["captions"][0]["credit"] in html
    assert "<h3>PERSON</h3>" in html


def test_missing_article_is_an_html_404(api):
    html = _html(api, "/articles/no-such-article", status=404)
    assert "Not found" in html


def test_speaker_page_shows_roles_and_quotes(api):
    cid = _okafor_id(api)
    html = _html(api, f"/speakers/{cid}")
    assert "<h1>" in html and "Maria Okafor" in html and "Okafor" in html
    assert "Roles as stated" in html and "senior analyst" in html and "Lagos Institute for Policy Studies" in html
    quotes = api.get("/api/quotes", params={"speaker": cid}).json()["items"]
    assert html.count('<blockquote class="q"') == len(quotes) >= 4
    assert f'href="/articles/{quotes[0]["article_id"]}"' in html


def test_search_finds_a_known_article(api):
    article_id = _article_id(api, "Lagos electricity tariffs")
    html = _html(api, "/search", q="Lagos electricity")
    assert f'href="/articles/{article_id}"' in html
    assert 'value="Lagos electricity"' in html
    empty = _html(api, "/search", q="zzqxnotaword")
    assert "No results" in empty


def test_quotes_search_and_pagination(api):
    html = _html(api, "/quotes", q="electricity")
    total = api.get("/api/quotes", params={"q": "electricity", "min_confidence": 0.6}).json()["total"]
    assert total and html.count('<blockquote class="q"') == min(total, 20)
    everything = api.get("/api/quotes", params={"min_confidence": 0.6}).json()["total"]
    assert everything > 20
    page2 = _html(api, "/quotes", offset=20)
    assert f"21–{min(40, everything)} of {everything}" in page2 and "← Previous" in page2
    by_speaker = _html(api, "/quotes", speaker="okafor")
    assert "Maria Okafor" in by_speaker


def test_events_page_filters_and_timeline(api):
    html = _html(api, "/events")
    assert "<svg" in html and "<rect" in html and 'class="events"' in html
    protest = _html(api, "/events", type="PROTEST")
    types = re.findall(r'class="etype" href="/events\?type=(\w+)"', protest)
    assert types and set(types) == {"PROTEST"}
    nga = _html(api, "/events", country="NGA")
    assert "NGA" in nga and "No events match" not in nga
    # A malformed date is ignored rather than failing the page.
    assert _html(api, "/events", **{"from": "March"})


@pytest.mark.parametrize("path", ["/speakers", "/speakers?type=PERSON&q=ok", "/search", "/quotes?speaker=nobody"])
def test_list_pages_render(api, path):
    assert _html(api, path)


# -- safety --------------------------------------------------------------------------------

EVIL = {
    "title": "Council <script>alert(1)</script> vote on harbour fees",
    "published": "2026-06-05",
    "url": "https://quillan-post.example/evil",
    "text": (
        "Councillors in Port Quillan voted on harbour fees on Thursday. "
        "<script>alert(1)</script> appeared in the minutes.\n\n"
        "\"We will not be bullied <img src=x onerror=alert(2)>,\" said Morwenna Tregarthen, "
        "secretary of the Quillan Pilots' Guild. See <a href=\"javascript:alert(3)\">the report</a>.\n\n"
        "The harbour board said talks would continue next week."
    ),
}


def test_article_text_renders_inert(write_server):
    client = write_server.client
    response = client.post("/api/articles", json=EVIL, headers={"Authorization": f"Bearer {write_server.token}"})
    assert response.status_code in (200, 201), response.text
    html = _html(client, f"/articles/{response.json()['id']}")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html and "<a href=\"javascript" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;a href=&#34;javascript:alert(3)&#34;&gt;" in html
    # The only scripts on the page are our own.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/ui.js" defer>']
    search = _html(client, "/search", q="Quillan harbour fees")
    assert "<script>alert" not in search


# -- the highlighter, by hand --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "paragraphs", "quotes", "expected"),
    [
        ("no quotes here", [], [], [[("no quotes here", None, None)]]),
        (
            'He said "yes" today.\n\nNext.',
            [[0, 20], [22, 27]],
            [{"id": "Q1", "content": [[8, 13]], "source": [[0, 2]]}],
            [[("He", "Q1", "source"), (" said ", None, None), ('"yes"', "Q1", "content"), (" today.", None, None)],
             [("Next.", None, None)]],
        ),
        (  # a quote split by its attribution: two content spans, one quote
            '"A," she said, "B."',
            [[0, 19]],
            [{"id": "Q1", "content": [[0, 4], [15, 19]], "source": [[5, 8]]}],
            [[('"A,"', "Q1", "content"), (" ", None, None), ("she", "Q1", "source"), (" said, ", None, None),
              ('"B."', "Q1", "content")]],
        ),
        (  # a nested quote: the shorter span wins where both cover the text
            "abcdefghij",
            [[0, 10]],
            [{"id": "Q1", "content": [[0, 10]]}, {"id": "Q2", "content": [[3, 6]]}],
            [[("abc", "Q1", "content"), ("def", "Q2", "content"), ("ghij", "Q1", "content")]],
        ),
    ],
)
def test_highlight_cuts_at_quote_boundaries(text, paragraphs, quotes, expected):
    got = [[(p["text"], p["quote"], p["part"]) for p in para] for para in highlight(text, paragraphs, quotes)]
    assert got == expected


def test_speaker_hue_is_stable():
    assert speaker_hue("C095a7f184d554ac") == speaker_hue("C095a7f184d554ac")
    assert 0 <= speaker_hue("x") < 360 and speaker_hue(None) == 0


def test_network_shows_who_acts_on_whom_and_who_quotes_whom(api):
    graph = api.get("/api/network").json()
    kinds = {e["kind"] for e in graph["edges"]}
    assert kinds == {"acts on", "quotes"}
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    narrowed = api.get("/api/network", params={"q": "Lagos"}).json()
    assert 0 < len(narrowed["edges"]) < len(graph["edges"]) or len(graph["edges"]) == 40
    html = _html(api, "/network?q=Lagos")
    assert "<svg" in html and "Maria Okafor" in html


def test_the_quote_and_event_pages_hide_the_low_confidence_band_unless_asked(api):
    counts = {}
    for band, floor in (("high", 0.8), ("medium", 0.6), ("all", 0.0)):
        total = api.get("/api/quotes", params={"min_confidence": floor}).json()["total"]
        html = _html(api, "/quotes", confidence=band)
        assert f"of {total}" in html or html.count('<blockquote class="q"') == total
        counts[band] = total
    assert counts["high"] < counts["medium"] < counts["all"], counts  # the sample has quotes in every band
    assert f"of {counts['medium']}" in _html(api, "/quotes")  # the default
    assert "high confidence" in _html(api, "/quotes", confidence="high")
    events = api.get("/api/events", params={"min_confidence": 0.6}).json()["total"]
    assert _html(api, "/events").count('class="etype"') == min(events, 20)
    assert api.get("/quotes", params={"confidence": "some"}).status_code == 422
