"""Hostile inputs for the ingest path (``hostile``) and the harness that runs the real CLI on them (``harness``).

Imported by name (``from fuzz import hostile``) by ``tests/test_fuzz.py`` and ``benchmarks/fuzz.py``.
"""
