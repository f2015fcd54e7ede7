"""Serving many clients: reads run side by side on cursors of their own, writes stay one at a time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from newsgraph.serve import create_app, queries
from newsgraph.serve.app import READERS
from newsgraph.store import Database


def test_reads_run_at_the_same_time(sample_db):
    state = create_app(sample_db).state.newsgraph
    state.start()
    try:
        # Each read waits inside the store until all have arrived: one lock around the store would never let them.
        together = threading.Barrier(min(READERS, 4), timeout=20)

        def read(db: Database) -> int:
            together.wait()
            return queries.stats(db)["counts"]["articles"]

        with ThreadPoolExecutor(together.parties) as pool:
            counts = list(pool.map(lambda _: state.run(read), range(together.parties)))
        assert counts == [8] * together.parties
    finally:
        state.stop()


def test_a_cursor_sees_what_its_owner_commits_and_closes_alone(sample_db, tmp_path):
    path = tmp_path / "own.duckdb"
    shutil.copyfile(sample_db, path)
    with Database(path) as owner:
        reader = owner.cursor()
        before = reader.counts()["failures"]
        from newsgraph.models import Failure

        run_id = owner.start_run({"pipeline_version": "t", "model": "m", "model_version": "1"})
        owner.add_failure(run_id, Failure(source="x.html", error="EmptyInputError", message="x.html: empty"))
        assert reader.counts()["failures"] == before + 1
        reader.close()
        assert owner.counts()["failures"] == before + 1


def _answers(url: str, paths: list[str], clients: int) -> list[tuple[int, str]]:
    with httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_connections=clients)) as client:
        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(lambda p: (lambda r: (r.status_code, r.text))(client.get(p)), paths))


def test_twenty_clients_get_the_answers_one_client_gets(server):
    ids = [a["id"] for a in server.client.get("/api/articles").json()["items"]]
    paths = [f"/api/articles/{i}" for i in ids] + [f"/articles/{i}" for i in ids] + [
        f"/api/quotes?q={w}" for w in ("said", "power", "water", "union")] + [
        "/api/stats", "/api/entities?sort=quotes", "/quotes", "/events", "/api/articles?q=Lagos"]
    alone = _answers(server.url, paths, 1)
    assert all(status == 200 for status, _ in alone)
    assert _answers(server.url, paths * 3, 20) == alone * 3


def test_reads_go_on_while_an_article_is_written(write_server):
    from test_writes import ARTICLE, auth

    client = write_server.client
    posted: list[httpx.Response] = []
    article = {**ARTICLE, "url": "https://quillan-post.example/concurrent",
               "text": ARTICLE["text"].replace("Monday", "Tuesday") + "\n\nThe vote was close, a pilot said."}

    def post() -> None:
        with httpx.Client(base_url=write_server.url, timeout=120) as writer:
            posted.append(writer.post("/api/articles", json=article, headers=auth(write_server)))

    writer = threading.Thread(target=post)
    writer.start()
    reads = _answers(write_server.url, ["/api/quotes?q=harbour", "/api/stats", "/quotes"] * 10, 10)
    writer.join()
    assert all(status == 200 for status, _ in reads)
    assert posted[0].status_code == 201, posted[0].text
    stored = posted[0].json()["id"]
    assert client.get(f"/api/articles/{stored}").status_code == 200
    assert stored in [a["id"] for a in client.get("/api/articles", params={"q": "pilot vote close"}).json()["items"]]


def _children(pid: int) -> list[int]:
    """Return the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError):
            continue  # ended while listed
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux /proc")
def test_a_read_only_server_answers_from_several_processes(sample_db, server_factory):
    srv = server_factory(sample_db, workers=2)
    # uvicorn's supervisor starts the workers (and a resource tracker); each worker opens the store read-only.
    assert len(_children(srv.process.pid)) >= 2
    ids = [a["id"] for a in srv.client.get("/api/articles").json()["items"]]
    pages = [f"/articles/{i}" for i in ids] * 3
    assert _answers(srv.url, pages, 8) == _answers(srv.url, pages, 1)


def test_a_server_taking_writes_is_one_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "newsgraph", "serve", "--db", str(tmp_path / "x.duckdb"),
                           "--allow-writes", "tok", "--workers", "2"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 2 and "--allow-writes and --watch need --workers 1" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "x.duckdb").exists()
