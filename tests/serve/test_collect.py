"""Collecting while serving, end to end: ``newsgraph serve --watch FEED`` as a user starts it, over a real local site.

One collecting server (a subprocess of the real CLI) watches the feed of a
``NewsSite`` every 2 s and is shared by the module; a second site ("wire")
supplies articles that are not in the watched feed, for the hand-off of
``newsgraph ingest`` and ``newsgraph watch`` to the server. Each round that
finds new links starts one worker process, which loads the spaCy model
(~5-10 s), so every wait polls against a generous deadline.

The browser test drives Debian's chromium through Playwright (as
``test_browser.py`` does) and skips cleanly without them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.ingest.web.site import NewsSite  # noqa: E402

#: Seconds to wait for anything that needs a round (a worker process loads the model each round).
DEADLINE = 90.0
ARTICLES = 12  # the watched site's articles: all in its feed (newest 48), with the 2 private links
WIRE_ARTICLES = 5  # the other site's: its sitemap index lists all 5 (and 1 private link)
EVERY = "2s"

# The browser fixture (Debian's Chromium through Playwright) is in tests/serve/conftest.py.
ARTIFACTS = REPO / "artifacts" / "screenshots"


# -- helpers -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _newsgraph(*args: str) -> list[str]:
    """The command line of the real CLI, run by this interpreter (so its pid is the server's)."""
    return [sys.executable, "-m", "newsgraph", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)  # nothing here leaves 127.0.0.1
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _empty_store(path: Path) -> Path:
    from newsgraph.store import Database

    with Database(path):
        pass
    return path


def _wait_for(what: str, check, deadline: float = DEADLINE, every: float = 0.25, log=None):
    """Return ``check()``'s first truthy value, polling until ``deadline`` seconds have passed."""
    end = time.monotonic() + deadline
    last = None
    while time.monotonic() < end:
        last = check()
        if last:
            return last
        time.sleep(every)
    detail = f"\nlast: {last!r}" + (f"\nserver log (tail):\n{log()}" if log else "")
    raise AssertionError(f"timed out after {deadline:.0f}s waiting for {what}{detail}")


class CliServer:
    """``newsgraph serve ARGS --db DB --port P`` in a subprocess, with an httpx client for it."""

    def __init__(self, db: Path, *args: str, name: str = "server") -> None:
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = db.parent / f"{name}.{self.port}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            _newsgraph("serve", "--db", str(db), "--port", str(self.port), *args),
            stdout=self._log, stderr=subprocess.STDOUT, env=_env(), cwd=db.parent)
        self.pid = self.process.pid
        self.client = httpx.Client(base_url=self.url, timeout=60, trust_env=False)
        try:
            _wait_for("/api/stats to answer", self._ready, deadline=60, every=0.1, log=self.log)
        except BaseException:
            self.stop()
            raise

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log()}")
        try:
            return self.client.get("/api/stats").status_code == 200
        except httpx.TransportError:
            return False

    def log(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def note(self) -> Path:
        return Path(f"{self.db}.server.json")

    def collector(self) -> dict:
        return self.client.get("/api/collector").json()

    def articles(self, **params) -> dict:
        response = self.client.get("/api/articles", params={"limit": 200, **params})
        assert response.status_code == 200, response.text
        return response.json()

    def titles(self, **params) -> list[str]:
        return [a["title"] for a in self.articles(**params)["items"]]

    def signal(self, sig: int, timeout: float = 60) -> int:
        """Send ``sig``, wait for the process to end; return its exit code."""
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        finally:
            self.stop()

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self._log.closed:
            self._log.close()


def _run(*args: str, timeout: float = 180, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(_newsgraph(*args), capture_output=True, text=True, timeout=timeout, env=_env(), cwd=cwd)


def _word(title: str) -> str:
    """The longest plain word of a title, to search for."""
    return max((w for w in title.split() if w.isalpha()), key=len)


def _check_error(response, status: int, code: str | None = None) -> dict:
    """The API's one error shape: ``{"error": {"status", "code", "message"}}`` (as conftest.check_error)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message"}, error
    assert error["status"] == status and isinstance(error["code"], str) and error["message"]
    if code:
        assert error["code"] == code, error
    return error


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    """The watched site: 12 articles, all in its feed, which also links 2 pages robots.txt forbids."""
    with NewsSite(articles=ARTICLES, name="daily") as s:
        yield s


@pytest.fixture(scope="module")
def wire():
    """Another site, not watched: its articles reach the store only by hand-off."""
    with NewsSite(articles=WIRE_ARTICLES, name="wire") as s:
        yield s


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("collect")


@pytest.fixture(scope="module")
def collecting(site, work):
    """``newsgraph serve --watch FEED --every 2s`` over an empty store, after its first round; stopped at the end."""
    db = _empty_store(work / "x.duckdb")
    srv = CliServer(db, "--watch", site.url("/feed.xml"), "--every", EVERY, "--delay", "0.02", name="collect")
    try:
        srv.first_round = _wait_for(
            "the first round to finish",
            lambda: min((j for j in srv.collector().get("recent_jobs", []) if j["kind"] == "round"),
                        key=lambda j: j["id"], default=None),
            log=srv.log)
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.requests = requests
    yield pg
    context.close()


# -- 1. the API says what the collector does ------------------------------------------------------


def test_the_api_reports_the_collector_its_rounds_and_the_stored_articles(collecting, site):
    feed = site.url("/feed.xml")
    # The first round: the feed's 14 links, 12 articles stored, the 2 private pages refused by robots.txt.
    first = collecting.first_round
    assert first["state"] == "done" and first["error"] is None, first
    assert first["inputs"] == [feed]
    assert "14 new links" in first["summary"] and "stored 12" in first["summary"], first["summary"]
    assert first["failed"] == 2, first

    status = collecting.collector()
    assert status["collecting"] is True
    assert status["sources"] == [feed]
    assert status["every_seconds"] == 2.0
    assert status["state"] in ("idle", "collecting")
    last = status["last_round"]
    assert last["started_at"] and last["finished_at"] and last["started_at"] <= last["finished_at"]
    assert last["summary"].startswith("checked 1 sources"), last
    [check] = last["sources"]  # the per-source check
    assert check["url"] == feed and check["error"] is None, check
    if check["not_modified"]:  # a later round: the feed answered 304 to its validators
        assert check["status"] == 304 and check["new"] == 0, check
    else:
        assert check["status"] == 200 and check["kind"] == "feed" and check["links"] == 14, check
    assert isinstance(status["next_round"], str) and status["next_round"].endswith("Z")
    private = {f["source"] for f in status["failures"]}
    assert set(site.private_urls[:2]) <= private, status["failures"]
    assert all("robots.txt" in f["message"] for f in status["failures"])

    # Every article of the feed is stored, once.
    stored = collecting.articles(sort="stored")
    assert stored["total"] == ARTICLES, stored["total"]
    expected = {site.article(u)["title"] for u in site.article_urls[:ARTICLES]}
    assert {a["title"] for a in stored["items"]} == expected
    assert collecting.client.get("/api/stats").json()["counts"]["articles"] == ARTICLES

    # The note beside the store: this user's only, naming the server's pid.
    assert collecting.note.is_file()
    assert stat.S_IMODE(collecting.note.stat().st_mode) == 0o600
    note = json.loads(collecting.note.read_text("utf-8"))
    assert note["pid"] == collecting.pid
    assert note["url"] == collecting.url and note["collects"] is True and note["token"]


# -- 2. new articles show without a restart -------------------------------------------------------


def test_articles_published_later_show_without_a_restart(collecting, site):
    before = collecting.articles()["total"]
    urls = site.publish(2)
    titles = [site.article(u)["title"] for u in urls]

    newest = _wait_for("the next round to store the 2 new articles",
                       lambda: (lambda t: t if set(titles) <= set(t[:2]) else None)(
                           collecting.titles(sort="stored", limit=2)),
                       log=collecting.log)
    assert set(newest) == set(titles)
    assert collecting.articles()["total"] == before + 2

    # The search index knows them too (the collector indexes what it stores).
    for title in titles:
        word = _word(title)
        found = _wait_for(f"a search for {word!r} to find {title!r}",
                          lambda: title in collecting.titles(q=word), deadline=30, log=collecting.log)
        assert found
    search = collecting.client.get("/api/stats").json()["search"]
    assert search, search


# -- 3. ingest and watch hand their work to the server -----------------------------------------


def test_ingest_hands_a_url_to_the_server_that_holds_the_store(collecting, wire, work):
    article_url = wire.article_urls[0]
    slug = urlsplit(article_url).path.removeprefix("/news/").removesuffix(".html")
    url = wire.url(f"/redirect/{slug}")  # in no watched feed; a redirect to the article
    title = wire.article(article_url)["title"]
    assert title not in collecting.titles()

    result = _run("ingest", url, "--db", str(collecting.db), cwd=work)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(by the server)" in output, output
    assert f"pid {collecting.pid}" in output, output
    assert "Traceback" not in output
    assert title in collecting.titles(), collecting.log()
    [item] = [a for a in collecting.articles(q=_word(title))["items"] if a["title"] == title] or [None]
    assert item is not None, "the search index has the handed-over article"
    # The job is in the collector's list, done.
    jobs = [j for j in collecting.collector()["recent_jobs"] if j["kind"] == "ingest"]
    assert jobs and jobs[0]["state"] == "done" and jobs[0]["inputs"] == [url], jobs


def test_watch_hands_a_sitemap_to_the_server_that_holds_the_store(collecting, wire, work):
    index = wire.url("/sitemap_index.xml")
    result = _run("watch", index, "--db", str(collecting.db), cwd=work)
    output = result.stdout + result.stderr
    # 3: the sitemap's private link (robots.txt) failed; everything else was stored.
    assert result.returncode in (0, 3), output
    assert "(by the server)" in output, output
    assert "Traceback" not in output
    titles = set(collecting.titles())
    expected = {wire.article(u)["title"] for u in wire.article_urls}
    assert expected <= titles, expected - titles
    jobs = [j for j in collecting.collector()["recent_jobs"] if j["kind"] == "watch"]
    assert jobs and jobs[0]["state"] == "done" and jobs[0]["inputs"] == [index], jobs
    assert jobs[0]["failed"] == (1 if result.returncode == 3 else 0), jobs


def test_ingest_on_a_store_a_read_only_server_holds_says_what_to_run_instead(wire, work):
    db = _empty_store(work / "y.duckdb")
    srv = CliServer(db, name="read-only")
    try:
        assert srv.collector()["collecting"] is False
        url = wire.article_urls[1]
        result = _run("ingest", url, "--db", str(db), cwd=work, timeout=60)
        assert srv.process.poll() is None, "the server still runs"
        assert srv.articles()["total"] == 0
    finally:
        srv.stop()
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 1, output
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    [line] = lines
    assert "newsgraph serve" in line, line
    assert f"pid {srv.pid}" in line or str(srv.pid) in line, line  # the server's pid, to stop it
    assert "--watch" in line or "--allow-writes" in line, line  # what to run instead
    assert "newsgraph ingest" in line, line


# -- 4. the hand-off endpoint needs the token ------------------------------------------------------


def test_collect_needs_the_token_and_unknown_jobs_are_404(collecting, site):
    job = {"kind": "watch", "inputs": [site.url("/feed.xml")]}
    error = _check_error(collecting.client.post("/api/collect", json=job), 401, "unauthorized")
    assert "Bearer" in error["message"]
    _check_error(collecting.client.post("/api/collect", json=job, headers={"Authorization": "Bearer not-the-token"}),
                 403, "forbidden")
    _check_error(collecting.client.get("/api/collector/jobs/999"), 404, "not_found")
    assert not [j for j in collecting.collector()["queued"] if j["inputs"] == job["inputs"] and j["kind"] == "watch"]


# -- 5. the collector page in a browser ------------------------------------------------------------


def _local_only(page, server) -> None:
    away = [u for u in page.requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith(("data:", "about:"))]
    assert not away, away
    assert page.requests and all(u.startswith(server.url) for u in page.requests if u.startswith("http")), \
        page.requests


def test_the_collector_page_shows_new_articles_and_links_to_them(collecting, site, page):
    page.goto(f"{collecting.url}/collector")
    status = page.locator("#collector-status")
    text = status.inner_text()
    state = collecting.collector()["state"]
    assert "State" in text and any(s in text for s in ("idle", "collecting")), text
    assert site.url("/feed.xml") in text
    heading = page.locator("h2", has_text="Stored most recently")  # text content: CSS may upper-case it
    assert heading.count() == 1 and heading.text_content().strip() == "Stored most recently"
    shown = page.locator("#recent-stored a.row-title").all_inner_texts()
    stored = collecting.titles(sort="stored", limit=20)
    assert shown and shown == stored, (shown, stored, state)
    page.screenshot(path=str(ARTIFACTS / "collector.png"), full_page=True)

    page.goto(f"{collecting.url}/")
    nav = page.locator("header nav a", has_text="Collector")
    assert nav.count() == 1 and nav.get_attribute("href") == "/collector"
    line = page.locator("p.collector-line")
    assert line.count() == 1
    assert "Collector" in line.inner_text() and "1 source" in line.inner_text(), line.inner_text()

    [url] = site.publish(1)
    title = site.article(url)["title"]
    _wait_for("a round to store the new article",
              lambda: collecting.titles(sort="stored", limit=1) == [title], log=collecting.log)
    page.goto(f"{collecting.url}/collector")
    page.reload()
    link = page.locator("#recent-stored a.row-title", has_text=title)
    assert link.count() == 1, page.locator("#recent-stored").inner_text()
    assert page.locator("#recent-stored a.row-title").first.inner_text() == title
    link.click()
    page.wait_for_url("**/articles/*")
    assert title in page.locator("h1").first.inner_text()
    assert page.title().startswith(title)
    page.wait_for_load_state("networkidle")
    _local_only(page, collecting)


# -- 6. stopping the server removes its note ------------------------------------------------------


def test_ctrl_c_stops_a_writable_server_and_removes_its_note(work):
    db = _empty_store(work / "z.duckdb")
    srv = CliServer(db, "--allow-writes", "tok-ctrl-c", name="ctrl-c")
    assert srv.note.is_file()
    assert json.loads(srv.note.read_text("utf-8"))["pid"] == srv.pid
    srv.signal(signal.SIGINT)
    assert not srv.note.exists(), srv.log()


def test_sigterm_stops_the_collecting_server_and_removes_its_note(collecting):
    """Last: stops the module's server (``kill PID``, as a service manager does)."""
    assert collecting.note.is_file()
    started = time.monotonic()
    code = collecting.signal(signal.SIGTERM)
    assert time.monotonic() - started < 45, "the server stopped promptly"
    assert code in (0, -signal.SIGTERM, 128 + signal.SIGTERM), code
    assert "Traceback" not in collecting.log(200)
    assert not collecting.note.exists(), (
        f"{collecting.note} is left behind after SIGTERM:\n{collecting.log()}")
