"""URLs: which are web URLs, their host, their canonical form, and where a found link may lead.

Canonical form (for "have we seen this article?"): courlan's normalisation
(lower-case scheme and host, default port dropped, tracking parameters such
as ``utm_*``, ``fbclid`` or ``gclid`` removed, the other parameters kept and
sorted), without the fragment.
Two URLs of one article that differ otherwise (a redirect, a canonical link)
are caught by the store's URL aliases and, at worst, by the content hash.

The link policy (server-side request forgery): a feed or page on a public
host may link anywhere public, but not to a loopback, private, link-local or
otherwise non-public address: an attacker's feed must not make the crawler
request ``http://127.0.0.1:8000/...`` or a cloud metadata address. A URL the
user names is trusted, and so are links within the host they came from; a
source the user names on a private network may link within it. A name is
looked up once per ``LinkPolicy`` (a round), before its first request or
redirect hop; one that cannot be resolved is not followed from a public
site. A host whose name resolves differently a moment later (DNS
rebinding) is a limit of a check made outside the HTTP client.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

from ...errors import DisallowedError, FetchError

__all__ = ["LinkPolicy", "canonical_url", "host_key", "is_web_url"]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def is_web_url(text: object) -> bool:
    """Return True for an ``http://`` or ``https://`` URL with a host."""
    if not isinstance(text, str):
        text = str(text)
    try:
        parts = urlsplit(text.strip())
        return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)
    except ValueError:  # a bad port or IPv6 literal
        return False


def host_key(url: str) -> str:
    """Return ``scheme://host[:port]`` in lower case (the unit of robots.txt and of politeness).

    Raises ``ValueError`` for a URL ``urlsplit`` cannot read (``http://[::1``).
    """
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{scheme}://{host}" + (f":{port}" if port and port != _DEFAULT_PORTS.get(scheme) else "")


def canonical_url(url: str) -> str:
    """Return the canonical form of a web URL (module docstring); other text as it is, stripped."""
    url = url.strip()
    if not is_web_url(url):
        return url
    from courlan import normalize_url

    try:
        # Not strict: strict mode drops every query parameter courlan does not know, and with it
        # the article id of sites like /article.php?story=123. Trackers go either way.
        normal = normalize_url(url, strict=False)
    except (ValueError, AttributeError):
        normal = url
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one (::ffff:127.0.0.1, the old ::127.0.0.1, 6to4 2002:7f00:1::)
        # reaches that IPv4 address: judge it as one.
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is None and 1 < int(addr) < 2**32:
            embedded = ipaddress.IPv4Address(int(addr))
        if embedded is None and addr in _NAT64:  # 64:ff9b::7f00:1 is 127.0.0.1 behind a NAT64 gateway
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        return embedded or addr
    return addr


class LinkPolicy:
    """Decide whether a link found on ``origin`` may be fetched (module docstring); caches name look-ups."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def addresses(self, host: str) -> tuple:
        """Return the IP addresses ``host`` names (an address itself, or its DNS answers; () if none)."""
        host = host.strip("[]").lower()
        literal = _address(host)
        if literal is not None:
            return (literal,)
        with self._lock:
            if host in self._cache:
                return self._cache[host]
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
            found = tuple(dict.fromkeys(a for a in (_address(info[4][0]) for info in infos) if a is not None))
        except (OSError, UnicodeError):
            found = ()  # the request itself will fail and say why
        with self._lock:
            self._cache[host] = found
        return found

    def check(self, origin: str | None, url: str, source: str) -> None:
        """Raise ``DisallowedError`` if a link on ``origin`` (None: named by the user) may not lead to ``url``."""
        if origin is None:
            return
        origin_host, host = urlsplit(origin).hostname or "", urlsplit(url).hostname or ""
        if origin_host.lower() == host.lower():
            return
        origin_addrs = self.addresses(origin_host)
        if origin_addrs and not all(a.is_global for a in origin_addrs):
            return  # a source on a private network the user named may link within it
        addresses = self.addresses(host)
        if not addresses:  # unknown now: it might name a private address a moment later
            raise FetchError(f"host name cannot be resolved ('{host}'); a link from a public site is followed only "
                             "to a name that resolves to public addresses", source=source)
        private = [a for a in addresses if not a.is_global]
        if private:
            raise DisallowedError(
                f"link on {host_key(origin)} leads to a loopback or private address ({private[0]}); links from a "
                "public site are never followed there", source=source)
