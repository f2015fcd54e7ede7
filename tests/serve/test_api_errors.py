"""Every API error has one shape: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "path", "params", "status", "code", "says"),
    [
        ("GET", "/api/articles/0000000000000000", None, 404, "not_found", "0000000000000000"),
        ("GET", "/api/entities/Cnope", None, 404, "not_found", "Cnope"),
        ("GET", "/api/no-such-endpoint", None, 404, "not_found", ""),
        ("GET", "/api/articles", {"limit": 0}, 422, "validation_error", "limit"),
        ("GET", "/api/articles", {"limit": 500}, 422, "validation_error", "limit"),
        ("GET", "/api/articles", {"offset": -1}, 422, "validation_error", "offset"),
        ("GET", "/api/articles", {"from": "March 2026"}, 422, "validation_error", "from"),
        ("GET", "/api/quotes", {"to": "2026-02-30"}, 422, "validation_error", "to"),
        ("GET", "/api/events", {"from": "2026-13"}, 422, "validation_error", "from"),
        ("GET", "/api/entities", {"sort": "size"}, 422, "validation_error", "sort"),
        ("POST", "/api/articles", None, 403, "read_only", "read-only"),
        ("DELETE", "/api/articles", None, 405, "method_not_allowed", ""),
    ],
)
def test_error_shape(api, assert_error, method, path, params, status, code, says):
    error = assert_error(api.request(method, path, params=params, json={"text": "x"} if method == "POST" else None),
                         status, code)
    assert says in error["message"]


def test_read_only_server_refuses_post_even_with_a_token(api, assert_error):
    response = api.post("/api/articles", json={"text": "Some text."}, headers={"Authorization": "Bearer anything"})
    assert_error(response, 403, "read_only")
