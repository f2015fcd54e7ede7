"""Shared fixtures: the real spaCy model (loaded once), real DuckDB files, the shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Evaluation data and the seed live beside the repository, never inside it.
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it skip cleanly without it."""
    if not (SHARED / "eval").is_dir():
        pytest.skip(f"shared evaluation data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    path = shared / "seed" / "belarus-putin-nbc.txt"
    if not path.is_file():
        pytest.skip("seed article not found")
    return path


@pytest.fixture(scope="session")
def pipeline():
    from newsgraph import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return REPO / "src" / "newsgraph" / "data" / "sample"
