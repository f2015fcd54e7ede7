import pytest

from newsgraph.run.batch import ingest
from newsgraph.store import Database


@pytest.fixture(scope="session")
def pages_db(shared, pipeline, tmp_path_factory):
    """A store of the 102 extraction dev pages (real pages of many outlets, nobody tuned on them)."""
    pages = shared / "eval" / "extraction" / "dev" / "html"
    if not pages.is_dir():
        pytest.skip("extraction dev pages not found")
    path = tmp_path_factory.mktemp("pages") / "pages.duckdb"
    with Database(path) as db:
        ingest([pages], db, pipeline=pipeline, workers=1)
    return path
