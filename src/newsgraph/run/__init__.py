"""Batch execution: ingest many documents into a store, in-process or in local worker processes; watch web sources."""

from .batch import IngestReport, ingest
from .local import default_workers, run_workers
from .watch import RoundReport, watch, watch_round

__all__ = ["IngestReport", "RoundReport", "default_workers", "ingest", "run_workers", "watch", "watch_round"]
