"""Stage 4: the DuckDB store: schema and migrations, and the ``Database`` that owns the file."""

from .database import DEFAULT_DB, Database
from .schema import SCHEMA_VERSION, TABLES

__all__ = ["DEFAULT_DB", "Database", "SCHEMA_VERSION", "TABLES"]
