"""Batch execution: ingest many documents into a store, with progress and a summary."""

from .batch import IngestReport, ingest

__all__ = ["IngestReport", "ingest"]
