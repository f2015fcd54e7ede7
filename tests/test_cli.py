"""The newsgraph command, run as a real process."""

import json
import os
import subprocess
import sys

EXE = [sys.executable, "-m", "newsgraph"]


def run(*args, cwd=None, check_rc=None):
    """Run ``newsgraph ARGS`` as a real process; check its exit code (if given) and that no traceback was printed."""
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run([*EXE, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    if check_rc is not None:
        assert proc.returncode == check_rc, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_analyze_prints_one_json_record(sample_dir):
    page = next(p for p in sorted(sample_dir.iterdir()) if p.suffix in {".html", ".txt"})
    proc = run("analyze", page, "--published", "2024-01-02", check_rc=0)
    record = json.loads(proc.stdout)
    assert record["published"] == "2024-01-02" and record["text"] and record["entities"]
    assert record["quotes"] and isinstance(record["events"], list) and record["dates"]
    speakers = {e["id"] for e in record["entities"]}
    assert all(q["speaker_id"] in speakers for q in record["quotes"] if q["speaker_id"])


def test_analyze_bad_date_and_bad_file_are_one_line_errors(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("")
    proc = run("analyze", page, "--published", "17/08/2020", check_rc=2)
    assert proc.stderr.strip() == "error: --published: published date '17/08/2020' is not YYYY-MM-DD [E100]"
    proc = run("analyze", page, check_rc=1)
    assert proc.stderr.strip() == f"error: {page}: file is empty [E101]"
    assert "Traceback" not in proc.stderr


def test_ingest_exit_codes_and_summary(tmp_path, sample_dir):
    db = tmp_path / "s.duckdb"
    proc = run("ingest", sample_dir, "--db", db, check_rc=0)
    assert "skipped 0 as duplicate, failed 0" in proc.stdout
    proc = run("ingest", sample_dir, "--db", db, check_rc=0)
    assert "stored 0, skipped" in proc.stdout and proc.stdout.strip().endswith("as duplicate, failed 0")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "ok.jsonl").write_text(json.dumps({"title": "Bakery wins prize", "text":
        "A family bakery in the old town won the national bread prize on Saturday, the jury said."}) + "\n")
    proc = run("ingest", bad, "--db", db, check_rc=3)
    assert "stored 1, skipped 0 as duplicate, failed 1" in proc.stdout
    assert f"failed: {bad / 'empty.txt'}: file is empty [E101]" in proc.stderr
    run("ingest", tmp_path / "missing", "--db", db, check_rc=2)
    run("ingest", "--bogus-option", check_rc=2)


def test_ingest_of_a_file_named_in_bytes_that_are_not_utf8(tmp_path):
    page = tmp_path / os.fsdecode(b"caf\xe9.jsonl")  # Latin-1: Python holds the byte as a lone surrogate
    page.write_text(json.dumps({"title": "Bakery wins prize", "text":
        "A family bakery in the old town won the national bread prize on Saturday, the jury said."}) + "\n")
    db = tmp_path / "s.duckdb"
    proc = run("ingest", page, "--db", db, "--workers", "1", check_rc=0)
    assert "Traceback" not in proc.stderr
    import duckdb

    with duckdb.connect(str(db), read_only=True) as conn:
        assert "caf\\xe9.jsonl" in conn.execute("SELECT command FROM runs").fetchone()[0]
        assert conn.execute("SELECT source FROM articles").fetchone()[0] == str(tmp_path / "caf\\xe9.jsonl:1")


def test_show_prints_a_stored_record(tmp_path, sample_dir):
    db = tmp_path / "s.duckdb"
    run("ingest", sample_dir, "--db", db, check_rc=0)
    import duckdb

    conn = duckdb.connect(str(db), read_only=True)
    aid = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()[0]
    conn.close()
    record = json.loads(run("show", aid, "--db", db, check_rc=0).stdout)
    assert record["id"] == aid
    assert run("show", "nope", "--db", db, check_rc=1).stderr.startswith("error:")


def test_demo_builds_a_database_and_says_how_to_look_further(tmp_path):
    proc = run("demo", "--db", tmp_path / "demo.duckdb", check_rc=0)
    assert "newsgraph demo database" in proc.stdout and "Look further" in proc.stdout
    assert "newsgraph show" in proc.stdout
    assert (tmp_path / "demo.duckdb").is_file()


def test_eval_extraction_json(shared):
    proc = run("eval", "extraction", "--data", shared / "eval/extraction/dev", "--json", check_rc=0)
    scores = json.loads(proc.stdout)
    assert {"precision", "recall", "f1"} <= set(scores)


def test_eval_entities_json(shared):
    proc = run("eval", "entities", "--data", shared / "eval/entities/gum-news.dev.jsonl", "--json", check_rc=0)
    scores = json.loads(proc.stdout)
    assert {"precision", "recall", "f1", "per_type"} <= set(scores)
    assert {"PERSON", "ORG", "LOC"} <= set(scores["per_type"])


def test_eval_quotes_json_and_predictions(shared, tmp_path):
    out = tmp_path / "pred.jsonl"
    proc = run("eval", "quotes", "--data", shared / "eval/quotes/seed.dev.jsonl", "--json", "--predictions", out,
               check_rc=0)
    scores = json.loads(proc.stdout)
    assert {"precision", "recall", "f1", "direct_f1", "speaker_accuracy", "e2e_f1"} <= set(scores)
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["quotes"] and all("speaker" in q and "content" in q for q in record["quotes"])


def test_eval_missing_data_is_a_clear_error(tmp_path):
    proc = run("eval", "entities", "--data", tmp_path / "none.jsonl", check_rc=1)
    assert "no such evaluation file" in proc.stderr and "Traceback" not in proc.stderr
