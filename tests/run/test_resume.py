"""Runs survive being stopped: rerunning the command finishes the job exactly once.

The store after any number of interruptions and one final rerun must equal
the store of an uninterrupted run (every table, ignoring only run ids and
times). The kill -9 test kills the real CLI at seeded random moments.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus import make_corpus, store_rows

from newsgraph import Database
from newsgraph.run import batch, ingest
from newsgraph.run.batch import run_key

NEWSGRAPH = [sys.executable, "-m", "newsgraph"]


class Stop(Exception):
    pass


def test_an_interrupted_run_resumes_where_it_stopped(pipeline, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "STORE_BATCH", 2)  # articles are stored (and reported) two at a time
    corpus = make_corpus(tmp_path / "in", articles=12, corrupt=2)
    with Database(tmp_path / "clean.duckdb") as db:
        clean = ingest([corpus], db, pipeline)
        expected = store_rows(db)
    seen = []

    def stop_after_five(result) -> None:
        seen.append(result)
        if len(seen) == 5:
            raise Stop

    with Database(tmp_path / "resumed.duckdb") as db:
        with pytest.raises(Stop):
            ingest([corpus], db, pipeline, on_result=stop_after_five)
        assert db.query("SELECT count(*) FROM runs WHERE finished_at IS NULL") == [(1,)]
        done = db.query("SELECT count(*) FROM journal")[0][0]
        assert 5 <= done <= 6  # the fifth result's batch was stored before it was reported
        again = ingest([corpus], db, pipeline)
        assert again.resumed == done
        assert len(again.stored) + len(again.failures) + done == len(clean.stored) + len(clean.failures)
        assert store_rows(db) == expected
        assert db.query("SELECT count(*), count(finished_at) FROM runs") == [(1, 1)]
        # The run is finished: running the command once more is a new run that only finds duplicates.
        third = ingest([corpus], db, pipeline)
        assert not third.resumed and not third.stored and len(third.duplicates) == len(clean.stored)


def test_the_run_key_names_inputs_and_options(tmp_path):
    base = run_key([tmp_path], None, 1000, None)
    assert base == run_key([str(tmp_path)], None, 1000, None)
    assert base != run_key([tmp_path], "2024-01-01", 1000, None)
    assert base != run_key([tmp_path], None, 1000, "other_model")
    assert run_key(["-"], None, 1000, None) is None  # stdin cannot be read again


def test_a_batch_with_five_percent_corrupt_inputs_stores_all_others(tmp_path):
    corpus = make_corpus(tmp_path / "in", articles=95, corrupt=5)
    with Database(tmp_path / "db.duckdb") as db:
        report = ingest([corpus], db, workers=2)
        # Every good input is stored (a templated story may be linked as a near-duplicate copy).
        assert len(report.stored) + len(report.copies) == 95 and db.counts()["articles"] == 95
        failed = sorted(Path(f.source.split(":")[0]).name for f in report.failures)
        assert failed == sorted(p.name for p in corpus.glob("bad-*"))
        assert all(f.message.startswith(f.source) and "[E" in f.message for f in report.failures)
        assert db.query("SELECT count(*) FROM failures") == [(5,)]
        outcomes = dict(db.query("SELECT outcome, count(*) FROM journal GROUP BY 1"))
        assert outcomes["failed"] == 5 and outcomes["stored"] + outcomes.get("copy", 0) == 95


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to check for orphan workers")
def test_kill_9_at_random_moments_then_rerun_gives_the_store_of_a_clean_run(tmp_path):
    corpus = make_corpus(tmp_path / "in", articles=48, corrupt=3)
    command = ["ingest", str(corpus), "--workers", "2"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    db_path = tmp_path / "killed.duckdb"
    wal = Path(f"{db_path}.wal")  # DuckDB's write-ahead log: it grows with every stored article
    rng = random.Random(6)
    stored_after_kill = []

    def attempt(seconds: float | None = None, wal_growth: int | None = None) -> int | None:
        """Run the command, kill -9 it after ``seconds`` or once the store's log grew by ``wal_growth``
        bytes; return its exit code if it finished first."""
        start_size = wal.stat().st_size if wal.exists() else 0
        proc = subprocess.Popen([*NEWSGRAPH, *command, "--db", str(db_path)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + (seconds if seconds is not None else 300)
        while proc.poll() is None and time.monotonic() < deadline:
            if wal_growth is not None and wal.exists() and wal.stat().st_size - start_size >= wal_growth:
                break
            time.sleep(0.02)
        if proc.poll() is not None:
            return proc.returncode
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "worker processes outlived the killed ingest"
        with Database(db_path) as db:
            if db.query("SELECT count(*), count(finished_at) FROM runs") == [(1, 1)]:
                # Killed between finishing the run and exiting: the job was done (some inputs failed).
                return 3
            stored_after_kill.append(db.counts()["articles"])
        return None

    # First kill: while starting up (imports, store creation, model loading).
    finished = attempt(seconds=rng.uniform(0.3, 3.0))
    # The uninterrupted run; how much its log grows tells how far into the job a kill lands.
    clean_db, peak = tmp_path / "clean.duckdb", 0
    proc = subprocess.Popen([*NEWSGRAPH, *command, "--db", str(clean_db)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        if Path(f"{clean_db}.wal").exists():
            peak = max(peak, Path(f"{clean_db}.wal").stat().st_size)
        time.sleep(0.02)
    assert proc.returncode == 3  # stored all it could, some inputs failed
    # Then kills at random points while storing: each attempt gets 10% to 35% further.
    for _ in range(3):
        if finished is not None:
            break
        finished = attempt(wal_growth=int(rng.uniform(0.1, 0.35) * peak))
    if finished is None:  # the rerun that finishes the job
        finished = subprocess.run([*NEWSGRAPH, *command, "--db", str(db_path)], env=env,
                                  capture_output=True, text=True, timeout=600).returncode
    assert finished == 3

    with Database(clean_db) as clean_store, Database(db_path) as resumed_db:
        expected, got = store_rows(clean_store), store_rows(resumed_db)
        for table in expected:
            assert got[table] == expected[table], table
        assert resumed_db.query("SELECT count(*) FROM runs WHERE finished_at IS NULL") == [(0,)]
    # The kills landed at different points of the job: before any article and after more and more.
    assert len(stored_after_kill) >= 3 and stored_after_kill[-1] > stored_after_kill[-2] > 0, stored_after_kill
