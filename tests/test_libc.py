import os
import subprocess
import sys
import textwrap

import pytest

from newsgraph.libc import STORE_ARENAS

# Threads allocating at once make glibc open an arena per thread (up to 8 per core)
# unless capped; malloc_stats() prints one "Arena N:" block per arena to stderr.
PROGRAM = textwrap.dedent("""
    import ctypes, sys, threading
    from newsgraph.libc import limit_malloc_arenas
    if sys.argv[1] == "capped":
        limit_malloc_arenas()
    def churn():
        for _ in range(2000):
            blocks = [bytearray(1000) for _ in range(50)]
            del blocks
    threads = [threading.Thread(target=churn) for _ in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    ctypes.CDLL("libc.so.6").malloc_stats()
""")


def _arenas(mode: str, env: dict | None = None) -> int:
    run = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, check=True, env=env)
    return sum(line.startswith("Arena ") for line in run.stderr.splitlines())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_store_processes_use_at_most_the_capped_number_of_malloc_arenas():
    if _arenas("uncapped") <= STORE_ARENAS:
        pytest.skip("this machine's threads did not contend enough to open more arenas")
    assert 1 <= _arenas("capped") <= STORE_ARENAS


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_malloc_arena_max_in_the_environment_wins():
    env = {**os.environ, "MALLOC_ARENA_MAX": "1"}
    assert _arenas("capped", env) == 1
