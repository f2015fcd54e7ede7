"""What guards the server at the HTTP edge: allowed hosts, security headers, the body limit, the exposure warning.

Three ASGI middlewares wrap the whole app (API, web UI, ``/static``, ``/docs``):

1. ``SecurityHeaders`` adds a Content-Security-Policy, ``X-Content-Type-Options:
   nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer`` and
   ``Cross-Origin-Resource-Policy: same-origin`` to every response, errors
   included. The UI's policy allows only our own script and style sheet; the
   templates colour speakers with ``style="--h: ..."`` attributes, so inline
   style *attributes* are allowed (``style-src-attr``), inline ``<style>`` and
   ``<script>`` are not. A route that needs another policy (``/docs``) sets its
   own header, which is kept.
2. ``HostCheck`` refuses a request whose Host header names another server
   (400 in the API's error shape). A web page on another site can point its own
   DNS name at 127.0.0.1 (DNS rebinding) and read our answers as same-origin;
   checking the Host stops that. Allowed: ``localhost``, ``127.0.0.1`` and
   ``[::1]`` on any port, plus the names given (``serve --allowed-host``, and
   the bound address when it is a specific one).
3. ``BodyLimit`` answers 413 before reading a body whose Content-Length is over
   the limit, stops a chunked body at the limit, and closes the connection of
   any request whose body was not read to the end: otherwise the server
   (uvicorn) goes on reading and discarding the rest, however long.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "BodyLimit",
    "BodyTooLarge",
    "HostCheck",
    "SecurityHeaders",
    "UI_POLICY",
    "LOOPBACK_HOSTS",
    "is_loopback",
    "error_response",
    "exposure_warning",
]

#: Host names a browser on this machine uses for a server bound to it.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

#: The Content-Security-Policy of the web UI and the API: our own files only, no framing.
UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Return the API's one error shape, ``{"error": {"status", "code", "message"}}`` (app.py answers with it too)."""
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status, headers=headers)


class SecurityHeaders:
    """Add the security headers to every HTTP response (a header the app set itself is kept)."""

    def __init__(self, app: ASGIApp, policy: str = UI_POLICY) -> None:
        self.app = app
        self.headers = [(b"content-security-policy", policy.encode()), *_HEADERS]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _host_name(header: str) -> str | None:
    """Return the host of a Host header without its port, as ``_pattern`` writes names; None if malformed."""
    header = header.strip()
    if header.startswith("["):
        end = header.find("]")
        if end < 0 or (header[end + 1:] and not (header[end + 1] == ":" and header[end + 2:].isdigit())):
            return None
        name = header[:end + 1]
    else:
        name, colon, port = header.partition(":")
        if not name or (colon and not port.isdigit()):
            return None
    return _pattern(name)


def _pattern(name: str) -> str:
    """Return a host name lower case without a final dot, an IPv6 address in brackets and its shortest form."""
    name = name.strip().lower().rstrip(".")
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


class HostCheck:
    """Refuse requests whose Host header is not an allowed name (400, the API's error shape).

    ``allowed`` adds names to ``LOOPBACK_HOSTS``: exact names or addresses,
    ``*.example.org`` for a domain's subdomains, or ``*`` for any host (the
    check off, for a server behind a proxy that checks names itself).
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()) -> None:
        self.app = app
        patterns = [_pattern(n) for n in (*LOOPBACK_HOSTS, *allowed) if n.strip()]
        self.any = "*" in patterns
        self.exact = {p for p in patterns if not p.startswith("*.")}
        self.suffixes = tuple(p[1:] for p in patterns if p.startswith("*."))

    def allows(self, header: str | None) -> bool:
        """Return True if a request with this Host header may be answered."""
        if self.any:
            return True
        name = _host_name(header or "")
        return name is not None and (name in self.exact or name.endswith(self.suffixes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
            if not self.allows(host):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                shown = repr(host[:100]) if host is not None else "(none)"
                response = error_response(400, "bad_host", f"Host header {shown} is not a name of this server; a "
                                          "server reached by another name is started with --allowed-host NAME")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a request body passes the limit; the app answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"body is over the {limit:,}-byte limit")
        self.limit = limit


class BodyLimit:
    """Keep request bodies to ``limit`` bytes, and close connections whose body was not read to the end."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"").strip()
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if declared.isdigit() and int(declared) > self.limit:
            response = error_response(413, "payload_too_large", f"body of {int(declared):,} bytes is over the "
                                      f"{self.limit:,}-byte limit", {"Connection": "close"})
            await response(scope, receive, send)
            return
        # Is a body still on its way? Then the answer closes the connection (see the module docstring).
        pending = chunked or (declared.isdigit() and int(declared) > 0)
        size = 0

        async def limited_receive() -> Message:
            nonlocal size, pending
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if not message.get("more_body", False):
                    pending = False
                if size > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and pending:
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, limited_receive, closing_send)


def is_loopback(host: str) -> bool:
    """Return True if binding to ``host`` keeps the server reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name that may resolve to anything


def exposure_warning(host: str, port: int, db_path: str, allow_writes: bool) -> str | None:
    """Return the warning to print when ``serve`` binds beyond this machine (None on a loopback address)."""
    if is_loopback(host):
        return None
    lines = [
        f"WARNING: serving {db_path} on {host}:{port}, which other machines can reach: anyone who can "
        "reach this port can read everything in the store (there is no login for reading).",
    ]
    if allow_writes:
        lines.append("WARNING: --allow-writes is on: anyone who also has the token can add articles, and "
                     "the token travels unencrypted (plain HTTP).")
    lines.append("WARNING: requests must name this server as localhost or a name given with --allowed-host "
                 "(others get 400); bind to 127.0.0.1 unless this is what you want.")
    return "\n".join(lines)
