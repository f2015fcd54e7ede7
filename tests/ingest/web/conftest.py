"""Shared fixtures of the web-ingest tests: the local news site (``site.py``) and polite fetchers with small delays."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

# By its package path ("site" alone is the standard library's module).
_REPO = str(Path(__file__).resolve().parents[3])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from newsgraph.ingest.web import Fetcher, FetchOptions  # noqa: E402
from tests.ingest.web.site import NewsSite  # noqa: E402

#: A public address (example.com's, once): links found on it are held to the link policy.
PUBLIC_ORIGIN = "http://93.184.216.34/feed.xml"


@pytest.fixture(scope="module")
def shared_site():
    """One site for a module's read-only tests (nothing there counts its requests)."""
    with NewsSite(articles=60, name="shared") as running:
        yield running


@pytest.fixture
def news_site():
    """A fresh site per test: its ``requests`` are this test's alone."""
    with NewsSite(articles=60, name="fresh") as running:
        yield running


@pytest.fixture
def fetcher():
    """``fetcher(records=None, **FetchOptions)``: a Fetcher with a small delay, few retries and short timeouts.

    ``records``: a list each ``FetchRecord`` is appended to. Fetchers are closed after the test.
    """
    made: list[Fetcher] = []

    def make(records: list | None = None, **options) -> Fetcher:
        settings = {"delay": 0.0, "retries": 0, "timeout": 5.0, "deadline": 10.0} | options
        f = Fetcher(FetchOptions(**settings), on_request=records.append if records is not None else None)
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


@pytest.fixture
def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
