"""Small SQL helpers shared by the store's writers."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["insert_rows"]

# Rows per INSERT statement: one statement with many VALUES tuples is several
# times faster in DuckDB than ``executemany`` (one statement per row).
_CHUNK = 500


def insert_rows(conn, table: str, rows: Sequence[Sequence], suffix: str = "") -> None:
    """Insert ``rows`` (all of one width) into ``table`` with few statements; ``suffix`` e.g. ON CONFLICT."""
    if not rows:
        return
    width = len(rows[0])
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        values = ", ".join(["(" + ", ".join("?" * width) + ")"] * len(chunk))
        conn.execute(f"INSERT INTO {table} VALUES {values} {suffix}", [v for row in chunk for v in row])
