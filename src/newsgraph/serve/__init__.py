"""Stage 5: serve a store over HTTP: the JSON API (``create_app``) and ``serve`` to run it.

``queries`` holds the read questions (shared with any UI), ``search`` the
tantivy full-text index, ``app`` the FastAPI app with one error shape,
``security`` what guards it at the HTTP edge (allowed hosts, security headers,
the body limit).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from ..run.budget import DEFAULT_MEMORY_BUDGET, DEFAULT_TIME_BUDGET
from ..run.watch import CollectOptions
from .app import create_app
from .handoff import remove_note, write_note
from .security import exposure_warning, is_loopback

__all__ = ["create_app", "serve", "worker_app"]

# Where the processes of a multi-process server find their app's arguments (see ``serve``).
_WORKER_ARGS = "NEWSGRAPH_SERVE_ARGS"


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_writes: str | None = None,
    log_level: str = "info",
    allowed_hosts: tuple[str, ...] = (),
    workers: int | None = None,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    memory_budget: float | None = DEFAULT_MEMORY_BUDGET,
    collect: CollectOptions | None = None,
) -> None:
    """Run the API over ``db_path`` with uvicorn until interrupted (returns nothing).

    Binds to 127.0.0.1 by default; any other address prints a warning on
    stderr first, since anyone who reaches the port can read the store. The
    store is read-only unless ``allow_writes`` is a bearer token. Requests must
    name the server ``localhost``, ``127.0.0.1``, ``[::1]``, the bound address
    (when it is a specific one) or one of ``allowed_hosts``.

    The store is opened before the port is bound, so a missing file or a store
    another process holds raises ``StoreError`` here; the search index is built
    or refreshed then too.

    ``workers`` processes answer requests (default: one per core for a
    read-only store, each with its own read-only connection and a few cursors;
    ``allow_writes`` needs one, since a read-write store excludes every other
    process). Several processes use the cores where one is held to one by
    Python's lock while it renders pages and JSON. A posted article is
    analysed in a worker process within ``time_budget`` seconds and
    ``memory_budget`` MiB.

    ``collect`` (``run.watch.CollectOptions``) makes the server collect: it
    opens the store read-write (one process) and runs watch rounds over the
    sources while it serves. A read-write server leaves a note beside the
    store (``serve.handoff``) so that ``ingest`` and ``watch`` hand it their
    work instead of failing on the lock.
    """
    import uvicorn

    warning = exposure_warning(host, port, str(db_path), allow_writes is not None)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    # 0.0.0.0 and :: are every address, not a name a client uses; a specific one is.
    bound = () if host.strip("[]") in ("0.0.0.0", "::", "") or is_loopback(host) else (host,)
    hosts = (*bound, *allowed_hosts)
    writable = allow_writes is not None or collect is not None
    if workers is None:
        workers = 1 if writable else (os.cpu_count() or 1)
    if workers < 1 or (workers > 1 and writable):
        raise ValueError(f"workers must be 1 with allow_writes or collect, else at least 1 (got {workers})")
    app = create_app(db_path, allow_writes=allow_writes, allowed_hosts=hosts, time_budget=time_budget,
                     memory_budget=memory_budget, collect=collect)
    state = app.state.newsgraph
    state.start()
    # The note beside the store says who holds it: ingest and watch hand their work to a server that
    # collects, and name a read-only one with what to run instead (serve.handoff).
    address = "127.0.0.1" if host.strip("[]") in ("0.0.0.0", "::", "") else host.strip("[]")
    address = f"[{address}]" if ":" in address else address
    token = write_note(db_path, f"http://{address}:{port}", collects=writable)
    # uvicorn ends on SIGTERM by sending it again to the default handler, which skips every
    # ``finally``: as a SystemExit it leaves through the one below, which removes the note.
    previous = signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        if workers == 1:
            if writable:
                state.handoff_tokens.add(token)
            uvicorn.run(app, host=host, port=port, log_level=log_level)
            return
        # uvicorn starts each worker process from an import string; they open the store read-only
        # (shared between processes) and find the search index current.
        state.stop()
        os.environ[_WORKER_ARGS] = json.dumps({"db_path": str(db_path), "allowed_hosts": list(hosts)})
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port,
                    log_level=log_level)
    finally:
        signal.signal(signal.SIGTERM, previous)
        remove_note(db_path)


def _exit_on_term(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def worker_app():
    """Return the read-only app of one process of a multi-process ``serve`` (its arguments from the environment)."""
    args = json.loads(os.environ[_WORKER_ARGS])
    return create_app(args["db_path"], allowed_hosts=tuple(args["allowed_hosts"]))
