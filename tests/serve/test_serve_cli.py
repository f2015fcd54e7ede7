"""``newsgraph serve`` as a real process: a store it cannot open is one line on stderr and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsgraph.store import Database


def serve(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    # Every case here fails before the server listens (a test that binds must never reach this).
    return subprocess.run([sys.executable, "-m", "newsgraph", "serve", "--port", "9", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_a_missing_store_is_one_line(tmp_path):
    missing = tmp_path / "missing.duckdb"
    proc = serve("--db", missing)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {missing}: no such database file [E401]"
    assert not missing.exists()


def test_a_store_another_process_writes_is_one_line(sample_db, tmp_path):
    import shutil

    path = tmp_path / "held.duckdb"
    shutil.copyfile(sample_db, path)
    with Database(path):  # this test process holds it read-write, as an ingest would
        proc = serve("--db", path)
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert "\n" not in line and "Traceback" not in proc.stderr
    assert line.startswith(f"error: {path}: the database is in use by another process")


def test_a_file_that_is_not_a_store_is_one_line(tmp_path):
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("not a database")
    proc = serve("--db", bogus)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"error: {bogus}: ")


@pytest.mark.parametrize("writes", [False, True])
def test_binding_beyond_this_machine_warns_first(tmp_path, writes):
    # The store cannot be opened (read-write creates a missing file, so its folder is missing too): the
    # command stops before it binds anything, and the warning comes first.
    missing = tmp_path / "no-such-folder" / "missing.duckdb"
    proc = serve("--db", missing, "--host", "0.0.0.0", *(["--allow-writes", "tok"] if writes else []), timeout=60)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith(f"WARNING: serving {missing} on 0.0.0.0:9")
    assert ("--allow-writes is on" in proc.stderr) is writes
    assert lines[-1].startswith("error: ") and not any(line.startswith("error") for line in lines[:-1])


def test_no_warning_on_the_default_host(tmp_path):
    assert "WARNING" not in serve("--db", tmp_path / "missing.duckdb").stderr


def test_allowed_host_is_an_option():
    proc = subprocess.run([sys.executable, "-m", "newsgraph", "serve", "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"}, timeout=60)
    assert "--allowed-host" in proc.stdout
