"""The HTTP edge: security headers on every answer, the Host check, the body limit, the exposure warning."""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import time

import pytest

from newsgraph.serve.security import UI_POLICY, HostCheck, exposure_warning, is_loopback

# -- security headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/articles/nope", 404), ("/search?q=title:*", 422), ("/quotes", 200), ("/static/ui.js", 200),
     ("/static/ui.css", 200), ("/static/nope.js", 404), ("/api/stats", 200), ("/api/articles/nope", 404),
     ("/api/articles?limit=0", 422), ("/openapi.json", 200), ("/docs", 200), ("/redoc", 200)],
)
def test_every_answer_carries_the_security_headers(api, path, status):
    response = api.get(path)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy
    if path not in ("/docs", "/redoc"):
        assert policy == UI_POLICY


def test_the_ui_policy_allows_only_our_own_script():
    directives = dict(d.strip().split(" ", 1) for d in UI_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert "unsafe" not in directives["style-src"]  # inline style attributes only (style-src-attr)


def test_the_docs_policy_allows_swagger_and_its_one_inline_script(api):
    response = api.get("/docs")
    policy = response.headers["content-security-policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "script-src https://cdn.jsdelivr.net" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "connect-src 'self'" in policy  # Swagger UI fetches /openapi.json and tries requests on us


# -- the Host header (DNS rebinding) -------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:8000",
                                  "LOCALHOST:80", "localhost."])
def test_local_names_are_answered(api, host):
    assert api.get("/api/stats", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "10.0.0.5", "[::2]", "localhost:http", "", "[::1"])
def test_other_names_are_refused_in_the_error_shape(api, assert_error, host):
    for path in ("/api/stats", "/", "/static/ui.css", "/docs"):
        error = assert_error(api.get(path, headers={"Host": host}), 400, "bad_host")
        assert "--allowed-host" in error["message"]


@pytest.mark.parametrize(
    ("allowed", "host", "ok"),
    [((), "localhost:8000", True), ((), "news.example", False), (("news.example",), "NEWS.example:8080", True),
     (("news.example",), "www.news.example", False), (("*.news.example",), "www.news.example", True),
     (("*.news.example",), "news.example", False), (("192.168.1.5",), "192.168.1.5:8000", True),
     (("::5",), "[::5]:8000", True), (("*",), "anything.example", True), ((), None, False),
     ((), "[0:0:0:0:0:0:0:1]:8000", True), ((), "[::1]x", False), ((), "localhost:80:80", False)],
)
def test_host_check(allowed, host, ok):
    assert HostCheck(app=None, allowed=allowed).allows(host) is ok


def test_a_server_answers_the_names_it_is_given(sample_db, server_factory):
    srv = server_factory(sample_db, allowed_hosts=("news.example", "*.corp.example"))
    for host in ("news.example:8000", "a.corp.example", "localhost"):
        assert srv.client.get("/api/stats", headers={"Host": host}).status_code == 200
    assert srv.client.get("/api/stats", headers={"Host": "other.example"}).status_code == 400


# -- the exposure warning -------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_no_warning_on_loopback(host):
    assert is_loopback(host) and exposure_warning(host, 8000, "s.duckdb", allow_writes=True) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "myhost.example"])
def test_a_warning_on_any_other_address(host):
    warning = exposure_warning(host, 8000, "s.duckdb", allow_writes=False)
    assert warning.startswith("WARNING:") and "anyone who can reach this port can read" in warning
    assert "s.duckdb" in warning and "--allow-writes" not in warning
    assert "--allow-writes is on" in exposure_warning(host, 8000, "s.duckdb", allow_writes=True)


# -- the body limit --------------------------------------------------------------------------


def _raw(server, head: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(head.encode())
    return sock


def _answer(sock: socket.socket) -> tuple[bytes, bool]:
    """Return (everything the server sent, whether it then closed the connection) within the socket's timeout."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        return data, False
    except ConnectionResetError:
        pass
    return data, True


def _post_head(server, extra: str) -> str:
    return (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {server.token}\r\n{extra}\r\n")


def test_an_oversized_declared_body_is_refused_before_it_is_sent(write_server):
    sock = _raw(write_server, _post_head(write_server, "Content-Length: 100000000\r\n"))
    start = time.monotonic()
    data, closed = _answer(sock)
    sock.close()
    assert data.startswith(b"HTTP/1.1 413") and b'"payload_too_large"' in data
    # Answered at once, and closed at once (not after uvicorn's 5 s keep-alive wait for the body).
    assert closed and time.monotonic() - start < 2


def test_a_chunked_body_is_cut_at_the_limit_and_the_connection_closed(write_server):
    sock = _raw(write_server, _post_head(write_server, "Transfer-Encoding: chunked\r\n"))
    chunk = b"%x\r\n%s\r\n" % (1 << 20, b"a" * (1 << 20))
    sent = 0
    with pytest.raises(OSError):  # the server closes the connection: it reads no more than the limit
        while sent < 200 << 20:
            sock.sendall(chunk)
            sent += 1 << 20
    assert sent < 60 << 20, f"the server read {sent >> 20} MB of a body limited to 5 MB"
    sock.close()


def test_a_body_nobody_reads_closes_the_connection(server):
    # A read-only server answers 403 without reading the body; the connection must not go on reading it.
    sock = _raw(server, f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
    start = time.monotonic()
    data, closed = _answer(sock)
    sock.close()
    assert data.startswith(b"HTTP/1.1 403") and closed and time.monotonic() - start < 2


def test_an_allowed_body_keeps_the_connection(write_server, assert_error):
    # The body is read to the end, so the connection stays open for the next request.
    client = write_server.client
    headers = {"Authorization": f"Bearer {write_server.token}"}
    assert_error(client.post("/api/articles", content=b'{"title": "no body"}', headers=headers), 422)
    assert client.get("/api/stats").status_code == 200
