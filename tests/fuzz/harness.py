"""Run the real ``newsgraph`` command on a hostile corpus, bounded, and read what it left in the store.

- ``run(argv, timeout)``: a subprocess in its own process group, its whole
  tree's resident memory sampled while it runs, killed (the group) at the
  timeout; stdout and stderr go to files, so a chatty run never blocks.
- ``read_store(db, marker)``: the store opened read-only: articles, failure
  rows, the run journal, and every column of every table searched for the
  secret marker.
- ``settle(corpus, store)``: what the store holds for each case, and whether
  that is what the case expects (``hostile.STORED``, ``ONE_ROW``, ``IGNORED``).

Shared by ``tests/test_fuzz.py`` (CI-sized) and ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.ingest.decode import source_name  # how the store names a file: non-UTF-8 bytes as \xNN

from .hostile import IGNORED, STORED, Case, Corpus

__all__ = ["Run", "Settled", "Store", "budget_options", "newsgraph_command", "clip", "read_store", "run", "settle"]

# Seconds between memory samples: /proc reads cost ~1 ms for a few processes.
SAMPLE_SECONDS = 0.1
_TRACEBACK = "Traceback (most recent call last):"


def newsgraph_command() -> list[str]:
    """Return the argv prefix of the real CLI: the ``newsgraph`` script beside this Python, else ``python -m``."""
    script = Path(sys.executable).with_name("newsgraph")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "newsgraph"]


def budget_options(
    command: str, time_budget: float | None, memory_budget: int | None, env: dict[str, str] | None = None
) -> list[str]:
    """Return ``--time-budget``/``--memory-budget`` for ``newsgraph COMMAND`` if its ``--help`` lists them (else [])."""
    proc = subprocess.run([*newsgraph_command(), command, "--help"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})
    options = []
    if time_budget is not None and "--time-budget" in proc.stdout:
        options += ["--time-budget", f"{time_budget:g}"]
    if memory_budget is not None and "--memory-budget" in proc.stdout:
        options += ["--memory-budget", str(memory_budget)]
    return options


@dataclass
class Run:
    """One finished (or killed) command: exit code, wall time, memory, output."""

    argv: list[str]
    returncode: int | None  # None: killed at the timeout
    seconds: float
    timed_out: bool
    peak_tree_mb: float  # highest sampled sum of VmRSS over the process group
    peak_process_mb: float  # highest VmHWM (exact high-water mark) of any one process seen
    stdout: str
    stderr: str

    @property
    def tracebacks(self) -> list[dict[str, str]]:
        """Return each traceback in stderr: its exception line, first and innermost frames, innermost newsgraph frame."""
        found = []
        lines = self.stderr.splitlines()
        for i, line in enumerate(lines):
            if line.strip() != _TRACEBACK:
                continue
            frames, exc = [], ""
            for nxt in lines[i + 1:]:
                if nxt.startswith("  File "):
                    frames.append(nxt.strip())
                elif not nxt.startswith(" ") and nxt.strip():
                    exc = nxt.strip()
                    break
            ours = [f for f in frames if "/newsgraph/" in f and "/bin/newsgraph" not in f]
            found.append({"exception": clip(exc), "first": clip(frames[0] if frames else ""),
                          "last": clip(frames[-1] if frames else ""), "ours": clip(ours[-1] if ours else "")})
        return found

    def to_dict(self) -> dict:
        return {"argv": self.argv, "returncode": self.returncode, "seconds": round(self.seconds, 2),
                "timed_out": self.timed_out, "peak_tree_mb": round(self.peak_tree_mb, 1),
                "peak_process_mb": round(self.peak_process_mb, 1), "tracebacks": self.tracebacks,
                "stderr_tail": clip("\n".join(self.stderr.splitlines()[-5:]), 1000)}


def clip(text: str, limit: int = 240) -> str:
    """Return ``text`` cut to ``limit`` characters (with an ellipsis)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _group_memory(pgid: int, hwm: dict[int, int]) -> int:
    """Return the summed resident memory (KiB) of the processes in group ``pgid``; record each one's VmHWM in ``hwm``.

    psutil when it is installed (it is not a newsgraph dependency), else /proc;
    the high-water marks come from /proc where there is one.
    """
    try:
        import psutil
    except ImportError:
        psutil = None
    total = 0
    if psutil is not None:
        members = []
        for proc in psutil.process_iter():
            try:
                if os.getpgid(proc.pid) == pgid:
                    total += proc.memory_info().rss // 1024
                    members.append(proc.pid)
            except (psutil.Error, OSError):
                continue
        for pid in members:
            _read_status(pid, hwm)
        return total
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
            # The fields after the command name (which may hold spaces and parentheses): state ppid pgrp ...
            if int(stat[stat.rindex(b")") + 2:].split()[2]) != pgid:
                continue
        except (OSError, ValueError, IndexError):
            continue  # gone between the listing and the read
        total += _read_status(pid, hwm)
    return total


def _read_status(pid: int, hwm: dict[int, int]) -> int:
    """Return the VmRSS (KiB) of ``pid`` from /proc and record its VmHWM; 0 if it is gone."""
    rss = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm[pid] = max(hwm.get(pid, 0), int(line.split()[1]))
    except (OSError, ValueError):
        pass
    return rss


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(argv: list[str], timeout: float, cwd: str | Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` in a new process group; kill the group at ``timeout`` seconds; return what happened.

    The group is killed when the command ends too, so no worker it started
    outlives it. ``env`` is added to this process's environment.
    """
    env = {**os.environ, "COLUMNS": "200", "PYTHONFAULTHANDLER": "1", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env,
                                start_new_session=True)
        hwm: dict[int, int] = {}
        peak, timed_out = 0, False
        try:
            while proc.poll() is None:
                peak = max(peak, _group_memory(proc.pid, hwm))
                if time.monotonic() - start > timeout:
                    timed_out = True
                    break
                time.sleep(SAMPLE_SECONDS)
        finally:
            _kill_group(proc.pid)
            proc.wait()
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(argv=[str(a) for a in argv], returncode=None if timed_out else proc.returncode, seconds=seconds,
               timed_out=timed_out, peak_tree_mb=peak / 1024, peak_process_mb=max(hwm.values(), default=0) / 1024,
               stdout=stdout, stderr=stderr)


@dataclass
class Store:
    """What a store holds after a run (empty lists if the store was never written)."""

    exists: bool
    articles: list[tuple[str, str | None]] = field(default_factory=list)  # (source, copy_of)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, error, message)
    journal: list[tuple[str, str]] = field(default_factory=list)  # (source, outcome)
    marker_hits: dict[str, int] = field(default_factory=dict)  # "table.column" -> rows holding the marker
    error: str | None = None  # the store could not be read


def read_store(db: str | Path, marker: str | None = None) -> Store:
    """Return the rows of ``db`` (opened read-only) that say what each input became, and where ``marker`` occurs."""
    import duckdb

    db = Path(db)
    if not db.exists():
        return Store(exists=False)
    try:
        conn = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as err:
        return Store(exists=True, error=f"{type(err).__name__}: {err}")
    try:
        tables = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        store = Store(exists=True)
        if "articles" in tables:
            store.articles = conn.execute("SELECT source, copy_of FROM articles").fetchall()
        if "failures" in tables:
            store.failures = conn.execute("SELECT source, error, message FROM failures").fetchall()
        if "journal" in tables:
            store.journal = conn.execute("SELECT source, outcome FROM journal").fetchall()
        if marker:
            for table in sorted(tables):
                for (column,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
                ).fetchall():
                    hits = conn.execute(
                        f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS VARCHAR) LIKE ?', [f"%{marker}%"]
                    ).fetchone()[0]
                    if hits:
                        store.marker_hits[f"{table}.{column}"] = hits
        return store
    finally:
        conn.close()


@dataclass
class Settled:
    """What the store holds for one case, and the verdict against its expectation."""

    case: Case
    articles: int = 0
    copies: int = 0
    duplicates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (error, message without the source)

    @property
    def rows(self) -> int:
        return self.articles + self.duplicates + len(self.failures)

    @property
    def internal_errors(self) -> list[str]:
        """Return the failure messages that report a bug (E999) or a crashed worker (E998), not a bad input."""
        return [m for _, m in self.failures if m.endswith(("[E999]", "[E998]"))]

    @property
    def ok(self) -> bool:
        expect = self.case.expect
        if expect == STORED:
            return self.articles >= 1 and not self.failures
        if expect == IGNORED:
            return self.rows == 0
        return self.rows == 1

    @property
    def verdict(self) -> str:
        """Return "ok" or what is wrong in a few words."""
        if self.ok:
            return "ok"
        if self.case.expect == STORED:
            return "not stored" + (f" ({len(self.failures)} failure rows)" if self.failures else "")
        if self.rows == 0:
            return "no row (silently dropped)"
        if self.case.expect == IGNORED:
            return f"{self.rows} rows for an input that is not read"
        parts = []
        if self.failures:
            parts.append(f"{len(self.failures)} failure rows")
        if self.articles or self.duplicates:
            parts.append(f"{self.articles + self.duplicates} stored")
        return " + ".join(parts)

    def summary(self) -> str:
        """Return the outcome in a few words: "stored", "copy", "E105 x1", ..."""
        parts = []
        if self.articles:
            parts.append("copy" if self.copies == self.articles else f"stored x{self.articles}")
        if self.duplicates:
            parts.append(f"duplicate x{self.duplicates}")
        codes: dict[str, int] = {}
        for error, message in self.failures:
            code = message.rsplit("[", 1)[-1].rstrip("]") if message.endswith("]") else error
            codes[code] = codes.get(code, 0) + 1
        parts += [f"{code} x{n}" for code, n in codes.items()]
        return ", ".join(parts) or "-"


def settle(corpus: Corpus, store: Store) -> tuple[dict[str, Settled], list[str]]:
    """Return each case's ``Settled`` (by case id) and the sources in the store that belong to no case.

    A row belongs to a case if its source is the case's file or a record in it
    (``FILE:LINE`` for JSONL, ``FILE#ID`` for WARC and feeds); the longest
    matching file wins.
    """
    by_path = {source_name(corpus.path(case)): case for case in corpus.cases}
    ordered = sorted(by_path, key=len, reverse=True)
    settled = {case.id: Settled(case) for case in corpus.cases}
    stray: list[str] = []

    def owner(source: str) -> Settled | None:
        for path in ordered:
            if source == path or source.startswith((path + ":", path + "#")):
                return settled[by_path[path].id]
        return None

    stored_sources = set()
    for source, copy_of in store.articles:
        stored_sources.add(source)
        hit = owner(source)
        if hit is None:
            stray.append(f"article: {source}")
            continue
        hit.articles += 1
        hit.copies += copy_of is not None
    for source, error, message in store.failures:
        hit = owner(source)
        if hit is None:
            stray.append(f"failure: {source}: {message}")
            continue
        prefix = source + ": "
        hit.failures.append((error, message[len(prefix):] if message.startswith(prefix) else message))
    for source, outcome in store.journal:
        if outcome != "duplicate" or source in stored_sources:
            continue
        hit = owner(source)
        if hit is None:
            stray.append(f"duplicate: {source}")
            continue
        hit.duplicates += 1
    return settled, stray
