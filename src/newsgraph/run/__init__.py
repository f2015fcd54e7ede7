"""Batch execution: ingest many documents into a store, in-process or in local worker processes."""

from .batch import IngestReport, ingest
from .local import default_workers, run_workers

__all__ = ["IngestReport", "default_workers", "ingest", "run_workers"]
