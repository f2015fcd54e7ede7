"""The web UI in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Screenshots go to ``artifacts/screenshots/`` (kept out of git) so a person can look.
Skips when Chromium or Playwright is not installed (scripts/test.sh installs both
when it runs as root, as CI does).
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The browser fixture (Debian's Chromium through Playwright) is in tests/serve/conftest.py.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytest.importorskip("playwright.sync_api")


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def _article_id(server, q: str) -> str:
    return server.client.get("/api/articles", params={"q": q}).json()["items"][0]["id"]


def test_quotes_are_highlighted_with_their_speakers_and_the_popover_shows_role(server, page):
    aid = _article_id(server, "Lagos electricity")
    page.goto(f"{server.url}/articles/{aid}")
    marks = page.locator("mark.quote[data-speaker-id]")
    assert marks.count() >= 10
    speakers = set(page.eval_on_selector_all("mark.quote[data-speaker-id]", "ms => ms.map(m => m.dataset.speaker)"))
    assert {"Maria Okafor", "Adaeze Nwosu"} <= speakers
    okafor = page.locator('mark.quote[data-speaker="Maria Okafor"]').first
    colours = set(page.eval_on_selector_all('mark.quote[data-speaker="Maria Okafor"]',
                                            "ms => ms.map(m => getComputedStyle(m).backgroundColor)"))
    assert len(colours) == 1  # one speaker, one colour
    other = page.eval_on_selector('mark.quote[data-speaker="Adaeze Nwosu"]', "m => getComputedStyle(m).backgroundColor")
    assert other not in colours
    okafor.hover()
    popover = page.locator("#pop")
    popover.wait_for(state="visible")
    assert "Maria Okafor" in popover.inner_text() and "senior analyst" in popover.inner_text()
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)


def test_following_a_speaker_link_opens_the_speaker_page(server, page):
    aid = _article_id(server, "Lagos electricity")
    page.goto(f"{server.url}/articles/{aid}")
    page.locator(".legend a", has_text="Maria Okafor").first.click()
    page.wait_for_url("**/speakers/*")
    body = page.inner_text("body")
    assert "Maria Okafor" in body and "senior analyst" in body
    page.screenshot(path=str(ARTIFACTS / "speaker.png"), full_page=True)


def test_search_from_the_home_page(server, page):
    page.goto(server.url + "/")
    page.fill("input[name=q]", "hosepipe")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=hosepipe*")
    assert "Hosepipe ban warning" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)


def test_an_article_with_script_runs_no_script(write_server, page):
    evil = {
        "title": "Harbour board <script>alert(1)</script> minutes",
        "text": "The board met on Friday. <script>alert(1)</script> was typed into the minutes.\n\n"
                "\"<img src=x onerror=alert(2)> is not a fee,\" said Ewan Polglase, the harbour master. "
                "<a href=\"javascript:alert(3)\">details</a>",
    }
    response = write_server.client.post("/api/articles", json=evil,
                                        headers={"Authorization": f"Bearer {write_server.token}"})
    assert response.status_code in (200, 201), response.text
    page.goto(f"{write_server.url}/articles/{response.json()['id']}")
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert "<script>alert(1)</script>" in page.inner_text("article") or "<script>alert(1)</script>" in page.inner_text("body")
    assert page.locator("a[href^='javascript:']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "xss.png"), full_page=True)


@pytest.fixture(scope="module")
def seed_server(tmp_path_factory, pipeline, seed_path, server_factory):
    """A server over a store holding the seed article (published 2020-08-17)."""
    from newsgraph import Database, ingest

    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    with Database(path) as db:
        assert ingest([seed_path], db, pipeline, published="2020-08-17").ok
    return server_factory(path)


def test_the_seed_article_page_highlights_its_speakers(seed_server, page):
    aid = seed_server.client.get("/api/articles").json()["items"][0]["id"]
    page.goto(f"{seed_server.url}/articles/{aid}")
    speakers = set(page.eval_on_selector_all("mark.quote[data-speaker-id]", "ms => ms.map(m => m.dataset.speaker)"))
    assert {"Emily Ferris", "Keir Giles", "Yauheni Preiherman", "Svetlana Tsikhanouskaya"} <= speakers
    ferris = page.locator('mark.quote[data-speaker="Emily Ferris"]').first
    assert "Russia research fellow" in (ferris.get_attribute("data-title") or ferris.get_attribute("title") or "")
    page.screenshot(path=str(ARTIFACTS / "seed-article.png"), full_page=True)
    page.locator(".legend a", has_text="Emily Ferris").first.click()
    page.wait_for_url("**/speakers/*")
    assert "Royal United Services Institute" in page.inner_text("body")


def test_the_quotes_page_hides_low_confidence_quotes_until_the_filter_asks(server, page):
    shown = server.client.get("/api/quotes", params={"min_confidence": 0.6}).json()["total"]
    everything = server.client.get("/api/quotes").json()["total"]
    assert shown < everything
    page.goto(f"{server.url}/quotes")
    assert page.locator("select[name=confidence]").input_value() == "medium"
    assert f"of {shown}" in page.locator("main").inner_text()
    page.select_option("select[name=confidence]", "all")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**confidence=all**")
    assert f"of {everything}" in page.locator("main").inner_text()
    assert page.locator("span.confidence").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "quotes-confidence-all.png"), full_page=False)


# -- the Content-Security-Policy in a real browser ------------------------------------------


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


def test_the_ui_breaks_no_rule_of_its_content_security_policy(server, page):
    errors = _csp_errors(page)
    aid = _article_id(server, "Lagos electricity")
    for path in ("/", f"/articles/{aid}", "/quotes", "/events", "/network", "/speakers", "/search?q=Lagos",
                 "/search?q=title:*"):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    assert errors == []
    # The policy is in force: a script put into the page (as an injection would) does not run.
    page.goto(f"{server.url}/articles/{aid}")
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); return window.injected === true; }""")
    assert ran is False and any("script-src" in e for e in errors)


def test_docs_loads_swagger_ui_under_its_policy(server, page):
    # Nothing leaves this machine: the CDN's files are stand-ins served here, anything else is refused.
    bundle = ("window.SwaggerUIBundle = function (cfg) { fetch(cfg.url).then(r => r.json()).then(spec => {"
              " document.querySelector(cfg.dom_id).textContent = 'paths: ' + Object.keys(spec.paths).length; }); };"
              " SwaggerUIBundle.presets = {apis: {}}; SwaggerUIBundle.SwaggerUIStandalonePreset = {};")

    def route(r):
        url = r.request.url
        if url.startswith(server.url):
            return r.continue_()
        if url.startswith("https://cdn.jsdelivr.net/") and url.endswith(".js"):
            return r.fulfill(status=200, content_type="text/javascript", body=bundle)
        if url.startswith("https://cdn.jsdelivr.net/") and url.endswith(".css"):
            return r.fulfill(status=200, content_type="text/css", body="#swagger-ui { margin: 0 }")
        return r.abort()

    errors = _csp_errors(page)
    page.route("**/*", route)
    page.goto(server.url + "/docs")
    page.locator("#swagger-ui", has_text="paths: ").wait_for()  # the bundle ran, the inline script too, and fetched
    assert errors == []
