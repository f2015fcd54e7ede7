"""Fixtures for the API tests: a real store built from the sample corpus, real uvicorn servers on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

TOKEN = "test-token-7f3a"

CHROMIUM = "/usr/bin/chromium"
# Screenshots of the browser tests, kept out of git, for a person to look at.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# The flags this machine's closed network needs: no background connections at start.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright; skips cleanly when either is missing."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A ``newsgraph.serve.serve`` process on a free local port, with an httpx client for it."""

    def __init__(self, db_path: Path, allow_writes: str | None = None, allowed_hosts: tuple[str, ...] = (),
                 workers: int | None = None, **options) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = allow_writes
        self.log = db_path.with_suffix(f".{self.port}.log")
        code = (
            "from newsgraph.serve import serve; "
            f"serve({str(db_path)!r}, port={self.port}, allow_writes={allow_writes!r}, log_level='warning', "
            f"allowed_hosts={tuple(allowed_hosts)!r}, workers={workers!r}"
            + "".join(f", {name}={value!r}" for name, value in options.items()) + ")"
        )
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen([sys.executable, "-c", code], stdout=self._log_file, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.url, timeout=60)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if self.client.get("/api/stats").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, pipeline, sample_dir) -> Path:
    """A DuckDB file holding the whole sample corpus (closed, so servers can open it)."""
    from newsgraph.run.batch import ingest
    from newsgraph.store import Database

    path = tmp_path_factory.mktemp("serve") / "sample.duckdb"
    with Database(path) as db:
        report = ingest([sample_dir], db, pipeline=pipeline)
    assert report.ok and len(report.stored) == 8, report.summary()
    return path


@pytest.fixture(scope="session")
def server(sample_db) -> Iterator[Server]:
    """A read-only server over the sample store, shared by the session."""
    srv = Server(sample_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def api(server) -> httpx.Client:
    return server.client


@pytest.fixture(scope="session")
def server_factory():
    """Start ``Server``s on demand (for stores a test module builds itself); stops them at the end."""
    started: list[Server] = []

    def start(db_path: Path, allow_writes: str | None = None, allowed_hosts: tuple[str, ...] = (),
              workers: int | None = None, **options) -> Server:
        started.append(Server(db_path, allow_writes, allowed_hosts, workers, **options))
        return started[-1]

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture(scope="module")
def writable_db(sample_db, tmp_path_factory) -> Path:
    """A private copy of the sample store for a server that takes writes."""
    path = tmp_path_factory.mktemp("serve-rw") / "rw.duckdb"
    shutil.copyfile(sample_db, path)
    return path


@pytest.fixture(scope="module")
def write_server(writable_db) -> Iterator[Server]:
    """A read-write server (``allow_writes=TOKEN``) over its own copy of the store."""
    srv = Server(writable_db, allow_writes=TOKEN)
    yield srv
    srv.stop()


def check_error(response, status: int, code: str | None = None) -> dict:
    """Return the error object after checking the one error shape, the status and (if given) the code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message"}
    assert error["status"] == status and isinstance(error["code"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.fixture(scope="session")
def assert_error():
    """The error-shape check, as a fixture (test modules here are not a package)."""
    return check_error
