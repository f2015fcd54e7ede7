"""Stage 5: serve a store over HTTP: the JSON API (``create_app``) and ``serve`` to run it.

``queries`` holds the read questions (shared with any UI), ``search`` the
tantivy full-text index, ``app`` the FastAPI app with one error shape.
"""

from __future__ import annotations

from pathlib import Path

from .app import create_app

__all__ = ["create_app", "serve"]


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_writes: str | None = None,
    log_level: str = "info",
) -> None:
    """Run the API over ``db_path`` with uvicorn until interrupted (returns nothing).

    Binds to 127.0.0.1 by default: pass ``host="0.0.0.0"`` only on purpose.
    The store is read-only unless ``allow_writes`` is a bearer token.
    """
    import uvicorn

    uvicorn.run(create_app(db_path, allow_writes=allow_writes), host=host, port=port, log_level=log_level)
