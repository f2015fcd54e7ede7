"""Writes: a server started with a token ingests posted articles; it holds the store exclusively."""

from __future__ import annotations

import pytest

from newsgraph.errors import StoreError
from newsgraph.store import Database

ARTICLE = {
    "title": "Harbour pilots vote to strike over night shifts in Port Quillan",
    "published": "2026-06-02",
    "url": "https://quillan-post.example/pilots-strike",
    "text": (
        "Harbour pilots in Port Quillan voted on Monday to strike over new night-shift rules, "
        "their union said.\n\n"
        "\"We cannot guide ships safely after fourteen hours at sea,\" said Morwenna Tregarthen, "
        "secretary of the Quillan Pilots' Guild. \"The harbour board knows it.\"\n\n"
        "The harbour board denied that the rules were unsafe and said talks would continue next week."
    ),
}


def auth(server, token: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token or server.token}"}


def test_post_needs_token(write_server, assert_error):
    client = write_server.client
    assert_error(client.post("/api/articles", json=ARTICLE), 401, "unauthorized")
    assert_error(client.post("/api/articles", json=ARTICLE, headers=auth(write_server, "wrong")), 403, "forbidden")


def test_post_validates_body(write_server, assert_error):
    client = write_server.client
    assert_error(client.post("/api/articles", content=b"not json", headers=auth(write_server)), 422)
    assert_error(client.post("/api/articles", json={"title": "no body"}, headers=auth(write_server)), 422)
    assert_error(client.post("/api/articles", json={**ARTICLE, "published": "June"}, headers=auth(write_server)), 422)
    big = b'{"text": "' + b"a" * (5 * 1024 * 1024 + 10) + b'"}'
    assert_error(client.post("/api/articles", content=big, headers=auth(write_server)), 413, "payload_too_large")


def test_posted_article_is_stored_and_searchable(write_server):
    client = write_server.client
    response = client.post("/api/articles", json=ARTICLE, headers=auth(write_server))
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["stored"] is True and stored["quotes"] >= 1
    found = client.get("/api/articles", params={"q": "pilots Quillan"}).json()
    assert [a["id"] for a in found["items"]] == [stored["id"]]
    article = client.get(f"/api/articles/{stored['id']}").json()
    assert article["published"] == "2026-06-02" and article["url"] == ARTICLE["url"]
    quotes = client.get("/api/quotes", params={"speaker": "Tregarthen"}).json()
    assert quotes["total"] >= 1
    assert client.get("/api/stats").json()["counts"]["articles"] == 9
    # The same article again changes nothing.
    again = client.post("/api/articles", json=ARTICLE, headers=auth(write_server))
    assert again.status_code == 200 and again.json()["stored"] is False


def test_store_is_locked_while_server_writes(write_server, writable_db):
    with pytest.raises(StoreError, match="in use by another process"):
        Database(writable_db)


def test_a_posted_wire_copy_is_linked_to_its_original_and_its_quotes_not_counted_again(write_server):
    client = write_server.client
    original = client.post("/api/articles", json=ARTICLE, headers=auth(write_server)).json()
    quotes_before = client.get("/api/quotes", params={"q": "fourteen hours"}).json()["total"]
    copy = {**ARTICLE, "title": "Pilots to strike in Port Quillan", "url": "https://wire.example/quillan-pilots",
            "text": "PORT QUILLAN (Wire) - " + ARTICLE["text"] + "\n\nReporting by A. Writer; editing by B. Editor"}
    response = client.post("/api/articles", json=copy, headers=auth(write_server))
    assert response.status_code == 201, response.text
    posted = response.json()
    assert posted["stored"] is True and posted["copy_of"] == original["id"] and posted["id"] != original["id"]
    assert client.get(f"/api/articles/{posted['id']}").json()["copy_of"] == original["id"]
    copies = client.get(f"/api/articles/{original['id']}").json()["copies"]
    assert [c["id"] for c in copies] == [posted["id"]]
    assert client.get("/api/quotes", params={"q": "fourteen hours"}).json()["total"] == quotes_before
    page = client.get(f"/articles/{posted['id']}").text
    assert "near-duplicate copy" in page and f'href="/articles/{original["id"]}"' in page


def test_a_post_over_its_time_budget_is_a_422_and_the_server_goes_on(writable_db, tmp_path, server_factory):
    import shutil

    path = tmp_path / "budget.duckdb"
    shutil.copyfile(writable_db, path)
    srv = server_factory(path, allow_writes="budget-token", time_budget=2)
    # ~300,000 characters: far more than 2 s of analysis (a 950,000-character post once took 213 s and 3.5 GB).
    long = {**ARTICLE, "url": "https://quillan-post.example/long", "text": "\n\n".join([ARTICLE["text"]] * 700)}
    response = srv.client.post("/api/articles", json=long, headers=auth(srv))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "E108", response.text
    assert "analysis took over 2 s" in error["message"]
    assert srv.client.get("/api/stats").status_code == 200
    # A fresh worker takes the next article.
    assert srv.client.post("/api/articles", json=ARTICLE, headers=auth(srv)).status_code == 201
