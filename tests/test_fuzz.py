"""Hostile inputs through the real ``newsgraph ingest``: one failure row per bad input, the good files stored.

CI-sized: the cheap cases of ``tests/fuzz/hostile.py`` at the small scale
(200 MiB bombs, no million-paragraph page, no near-limit text), one run of the
real command over the whole folder, bounded by ``RUN_TIMEOUT``.
``benchmarks/fuzz.py`` runs the heavy cases, each input alone and the memory
and time of each.
"""

from __future__ import annotations

import pytest

from fuzz import harness, hostile

CASES = hostile.cases(heavy=False)
SEED = 0
# The whole run: model load (~5 s) plus ~60 small inputs and a few 200 MiB bombs
# read up to the 20 MiB limit. Over this it hangs, and is killed.
RUN_TIMEOUT = 75
# Passed on only if the command has them (harness.budget_options): an input that
# takes longer or more memory than this is a failure row, not a stalled run.
TIME_BUDGET_SECONDS, MEMORY_BUDGET_MIB = 20, 1024


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory):
    """The corpus, the run of ``newsgraph ingest`` over it (2 workers, as on a 2-core machine), its store."""
    root = tmp_path_factory.mktemp("fuzz")
    corpus = hostile.write_corpus(root, seed=SEED, scale="small", heavy=False)
    db = root / "store.duckdb"
    argv = [*harness.newsgraph_command(), "ingest", str(corpus.inputs), "--db", str(db), "--workers", "2",
            *harness.budget_options("ingest", TIME_BUDGET_SECONDS, MEMORY_BUDGET_MIB)]
    result = harness.run(argv, timeout=RUN_TIMEOUT, cwd=root)
    store = harness.read_store(db, corpus.marker)
    settled, stray = harness.settle(corpus, store)
    return corpus, result, store, settled, stray


def test_run_ends_without_hang_or_traceback(fuzz):
    _, result, store, _, _ = fuzz
    assert not result.timed_out, f"ingest still running after {RUN_TIMEOUT} s; stderr ends:\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    assert result.returncode == 3, f"exit {result.returncode} (3: stored what it could, some inputs failed)"
    assert store.exists and store.error is None


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == hostile.STORED], ids=lambda c: c.id)
def test_good_file_is_stored(fuzz, case):
    settled = fuzz[3][case.id]
    assert settled.ok, f"{case.name!r}: {settled.verdict} ({settled.summary()}): {settled.failures[:3]}"


@pytest.mark.parametrize("case", [c for c in CASES if c.expect != hostile.STORED], ids=lambda c: c.id)
def test_bad_input_settles_once(fuzz, case):
    """A bad input: exactly one failure row, or stored once; an input newsgraph does not read: nothing."""
    settled = fuzz[3][case.id]
    assert settled.ok, f"{case.name!r} ({case.note or case.family}): {settled.verdict} ({settled.summary()})"


@pytest.mark.parametrize("case", [c for c in CASES if c.expect != hostile.IGNORED], ids=lambda c: c.id)
def test_failure_is_a_named_error_not_a_bug(fuzz, case):
    """A failure row names the input's problem (E1xx, E2xx), never an internal error (E999) or a crashed worker."""
    settled = fuzz[3][case.id]
    assert not settled.internal_errors, settled.internal_errors


def test_every_row_belongs_to_an_input(fuzz):
    """No row names a file outside the input folder (a feed's link followed elsewhere) or an unknown source."""
    assert fuzz[4] == []


def test_secret_outside_the_folder_never_stored(fuzz):
    corpus, _, store, _, _ = fuzz
    assert store.marker_hits == {}, f"{corpus.secret} was read into the store: {store.marker_hits}"


def test_corpus_is_the_same_for_the_same_seed(tmp_path):
    """The generator's contract: the same seed writes the same bytes (feeds name the secret by its absolute path)."""
    cheap = {c.id for c in CASES if c.family not in ("bomb", "long text", "big html")}
    first = hostile.write_corpus(tmp_path / "a", seed=SEED, heavy=False, only=cheap)
    second = hostile.write_corpus(tmp_path / "b", seed=SEED, heavy=False, only=cheap)
    third = hostile.write_corpus(tmp_path / "c", seed=SEED + 1, heavy=False, only=cheap)
    for case in first.cases:
        if case.family != "secret":
            assert first.path(case).read_bytes() == second.path(case).read_bytes(), case.id
    assert first.marker == second.marker != third.marker
    assert first.path(CASES[-1]).read_bytes() != third.path(CASES[-1]).read_bytes()
