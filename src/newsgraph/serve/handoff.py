"""Handing work to the server that holds a store: its note beside the store, and the client that reads it.

DuckDB lets one process hold a file read-write, and then no other may even
read it. So while ``serve`` holds a store, ``ingest`` and ``watch`` cannot
open it; instead they read the server's note (``<db>.server.json``: its
pid, address and a hand-off token, readable by its user only) and post their
inputs to ``POST /api/collect``, where the server's collector
(``run.watch.Collector``) runs them as it would, then wait for the job and
print its summary. A server that cannot take work (read-only) is named, with
what to run instead.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

from ..errors import StoreError

__all__ = ["hand_off", "instead", "note_path", "read_note", "remove_note", "write_note"]

#: Seconds between looks at a handed-over job while waiting for it.
POLL_SECONDS = 1.0


def note_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.server.json")


def write_note(db_path: str | Path, url: str, collects: bool) -> str:
    """Write the server's note beside the store (mode 0600) and return its hand-off token.

    A folder the server cannot write to gets no note: other commands then say the store is in use.
    """
    token = secrets.token_urlsafe(24)
    path = note_path(db_path)
    data = json.dumps({"pid": os.getpid(), "url": url, "collects": collects, "token": token})
    try:
        path.unlink(missing_ok=True)  # a stale note of a killed server may belong to another user
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
    except OSError:
        pass
    return token


def remove_note(db_path: str | Path) -> None:
    try:
        note = json.loads(note_path(db_path).read_text("utf-8"))
        if note.get("pid") == os.getpid():
            note_path(db_path).unlink()
    except (OSError, ValueError):
        pass


def read_note(db_path: str | Path) -> dict | None:
    """Return the note of a live server holding ``db_path`` (``pid``, ``url``, ``collects``, ``token``), or None."""
    path = note_path(db_path)
    try:
        if path.stat().st_uid != os.getuid():  # another user's note (or a planted one) is not ours to trust
            return None
        note = json.loads(path.read_text("utf-8"))
        pid = int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    return note


def instead(db_path: str | Path, note: dict | None, command: str) -> str:
    """Return what to run instead, for a store another process holds."""
    if note is None:
        return ("another process holds it (an ingest or watch still running?); wait for it to finish, or stop it, "
                f"and run '{command}' again")
    how = "it serves the store read-only" if not note.get("collects") else "it could not take the work"
    return (f"'newsgraph serve' (pid {note['pid']}, {note['url']}) holds it and {how}. Either stop the server "
            f"(kill {note['pid']}), run '{command}', and start it again; or restart it so that it collects: "
            f"'newsgraph serve --db {db_path} --watch SOURCE' (or --allow-writes TOKEN), and run '{command}' again: "
            "it hands the work to the server")


def hand_off(note: dict, kind: str, inputs: list[str], on_wait=None) -> dict:
    """Post a job (``watch`` sources or ``ingest`` inputs) to the server, wait for it to finish, return it.

    Raises ``StoreError`` if the server refuses it or cannot be reached.
    """
    import httpx

    url = note["url"].rstrip("/")
    headers = {"Authorization": f"Bearer {note['token']}"}
    try:
        with httpx.Client(timeout=30, trust_env=False) as client:
            answer = client.post(f"{url}/api/collect", json={"kind": kind, "inputs": inputs}, headers=headers)
            if answer.status_code != 202:
                raise StoreError(f"the server at {url} refused the work: {_message(answer)}", source=url)
            job = answer.json()
            while job["state"] in ("queued", "running"):
                if on_wait:
                    on_wait(job)
                time.sleep(POLL_SECONDS)
                answer = client.get(f"{url}/api/collector/jobs/{job['id']}")
                if answer.status_code != 200:
                    raise StoreError(f"lost the job at {url}: {_message(answer)}", source=url)
                job = answer.json()
            return job
    except httpx.HTTPError as err:
        raise StoreError(f"cannot reach the server at {url} ({err})", source=url) from None


def _message(answer) -> str:
    try:
        return answer.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {answer.status_code}"
