"""The Ray engine yields what the in-process pipeline yields, in the same order, and fills the store exactly as the
local engine does; stdin and a missing Ray are refused."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from corpus import store_rows

from newsgraph import Database
from newsgraph.errors import NewsgraphError, UnsupportedInputError
from newsgraph.ingest import DEFAULT_MAX_BYTES, collect_files, iter_documents
from newsgraph.models import Article, Failure
from newsgraph.run import ingest
from newsgraph.run.cluster import analyse_on_ray, ray_session

# Ray Data sets its own deprecated settings when it copies its context: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")

# Both cores of the test machine; Ray starts once for the module.
WORKERS = 2


@pytest.fixture(scope="module")
def ray_local():
    pytest.importorskip("ray", reason="the Ray extra is not installed (pip install 'newsgraph[ray]')")
    with ray_session(None, WORKERS):
        yield


def _on_ray(files, shard_dir: Path, **options):
    return list(analyse_on_ray(files, model=None, published=None, max_bytes=DEFAULT_MAX_BYTES, address=None,
                               workers=WORKERS, shard_dir=shard_dir, **options))


def _comparable(results) -> list[tuple]:
    """Return what must match between engines.

    Each record's JSON form, source and source hash; each failure's source and error.
    """
    rows = []
    for result in results:
        if isinstance(result, Article):
            rows.append(("article", result.source, result.source_hash, result.to_dict()))
        else:
            assert isinstance(result, Failure)
            rows.append(("failure", result.source, result.error))
    return rows


def _assert_same_as_in_process(files, pipeline, shard_dir: Path) -> list:
    expected = _comparable(pipeline.process(iter_documents(files)))
    got = _comparable(_on_ray(files, shard_dir))
    assert [row[:2] for row in got] == [row[:2] for row in expected]  # same order, readable diff
    assert got == expected
    # The run's shards are removed once every record was read back.
    assert not list(shard_dir.rglob("*.parquet"))
    return got


def test_sample_corpus_and_bad_inputs_match_the_in_process_pipeline(ray_local, pipeline, sample_dir, tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    lines = [json.dumps({"title": "Ferry service resumes", "text": "The island ferry resumed service on Monday after "
                         "a week of storms, the operator said. \"We are glad to be back,\" said captain Ines Moreau."}),
             "{not json", ""]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines))
    files = collect_files([sample_dir, tmp_path / "empty.html", tmp_path / "mixed.jsonl"])
    got = _assert_same_as_in_process(files, pipeline, tmp_path / "shards")
    kinds = [row[0] for row in got]
    assert kinds.count("article") == 9 and kinds.count("failure") == 2


def test_skipped_plain_files_are_not_sent_and_a_file_missing_on_a_worker_fails(ray_local, sample_dir, tmp_path):
    html = sample_dir / "harbour_courier_dock_workers.html"
    jsonl = sample_dir / "feed_articles.jsonl"
    gone = tmp_path / "gone.html"
    got = _on_ray([html, gone, jsonl], tmp_path / "shards",
                  # A container is never skipped by its path: its records have sources of their own.
                  skip_sources={str(html), str(jsonl)})
    assert [r.source for r in got] == [str(gone), f"{jsonl}:1", f"{jsonl}:2"]
    assert got[0].error == "UnsupportedInputError" and "every node" in got[0].message


def test_stdin_is_refused_with_a_clear_error(tmp_path):
    with pytest.raises(UnsupportedInputError, match="standard input cannot be sent to Ray workers"):
        _on_ray([Path("a.html"), "-"], tmp_path)


def test_without_ray_installed_the_error_names_the_extra(monkeypatch, sample_dir, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail
    with pytest.raises(NewsgraphError, match=r"pip install 'newsgraph\[ray\]'"):
        _on_ray([sample_dir / "harbour_courier_dock_workers.html"], tmp_path)


def test_ray_and_local_engines_store_identical_records_for_200_real_articles(shared, ray_local, tmp_path):
    """102 saved pages (one file each) and 98 JSONL records (one file) from the shared evaluation data."""
    html = sorted((shared / "eval/extraction/dev/html").glob("*.html.gz"))
    records = []
    for name, count in (("quotes/polnear.dev.jsonl", 84), ("entities/gum-news.dev.jsonl", 14)):
        with (shared / "eval" / name).open(encoding="utf-8") as fh:
            for line in list(fh)[:count]:
                item = json.loads(line)
                meta = item.get("meta", {})
                records.append({"id": item["id"], "title": meta.get("title"), "published": meta.get("published"),
                                "text": item["text"]})
    if len(html) != 102 or len(records) != 98:
        pytest.skip("the shared evaluation data is not the expected version")
    corpus = tmp_path / "records.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    inputs = [*html, corpus]
    with Database(tmp_path / "local.duckdb") as local, Database(tmp_path / "ray.duckdb") as on_ray:
        by_local = ingest(inputs, local, workers=WORKERS)
        by_ray = ingest(inputs, on_ray, workers=WORKERS, engine="ray", shard_dir=tmp_path / "shards")
        assert by_ray.summary() == by_local.summary()
        settled = len(by_ray.stored) + len(by_ray.copies) + len(by_ray.duplicates) + len(by_ray.failures)
        assert settled == 200 and len(by_ray.stored) > 150
        expected, got = store_rows(local), store_rows(on_ray)
        for table in expected:
            assert got[table] == expected[table], table
    # The run's shards are removed once every record was read back.
    assert not list((tmp_path / "shards").rglob("*.parquet"))
