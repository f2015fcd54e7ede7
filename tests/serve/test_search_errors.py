"""A full-text query the index cannot read or run is the caller's mistake: 422 naming it, never a 500."""

from __future__ import annotations

from html import unescape

import pytest

# Queries tantivy's parser cannot read ('title:' ...), or reads but this index cannot run ('title:*' asks for
# any value of a field, which needs a fast field).
BAD = ["title:*", "dek:*", "text:*", "id:*", "title:", '"unclosed', "(pilots", "hello)", "Putin: war", "{a}"]


@pytest.mark.parametrize("path", ["/api/articles", "/api/network"])
@pytest.mark.parametrize("q", BAD)
def test_a_bad_query_is_a_422_naming_the_query_and_the_problem(api, assert_error, path, q):
    error = assert_error(api.get(path, params={"q": q}), 422, "query_syntax")
    assert f"search query {q!r}:" in error["message"] and "write words" in error["message"]


def test_the_message_says_what_is_wrong(api, assert_error):
    error = assert_error(api.get("/api/articles", params={"q": "title:*"}), 422, "query_syntax")
    assert "'field:*' (any value of a field) is not supported" in error["message"]
    error = assert_error(api.get("/api/articles", params={"q": "Putin: war"}), 422, "query_syntax")
    assert "Field does not exist: 'Putin'" in error["message"] and "quote words that hold a colon" in error["message"]


@pytest.mark.parametrize("path", ["/search", "/network"])
@pytest.mark.parametrize("q", ["title:*", "text:*", '"unclosed'])
def test_the_ui_answers_a_bad_query_with_an_error_page(api, path, q):
    response = api.get(path, params={"q": q})
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    page = unescape(response.text)
    assert "Search not understood" in page and f"search query {q!r}:" in page
    assert f'value="{q}"' in page  # the query stays in the search box, to be corrected


@pytest.mark.parametrize("q", ["O'Brien", "Nigeria's power", "covid-19", "Lagos electricity", '"power tariffs"',
                               "title:Lagos", "electricity -Okafor"])
def test_ordinary_queries_still_search(api, q):
    assert api.get("/api/articles", params={"q": q}).status_code == 200
    assert api.get("/search", params={"q": q}).status_code == 200


def test_bad_queries_log_no_traceback(api, server):
    for q in BAD:
        api.get("/api/articles", params={"q": q})
        api.get("/search", params={"q": q})
    assert "Traceback" not in server.log.read_text()
