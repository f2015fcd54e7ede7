"""The C library's process controls that newsgraph uses, where the platform has them (Linux, glibc)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import signal

__all__ = ["die_with_parent", "limit_malloc_arenas"]

# glibc's mallopt parameter for the number of malloc arenas.
_M_ARENA_MAX = -8

# Arenas for a store-owning process. glibc gives threads arenas of their own (up to
# 8 per core), and memory DuckDB's threads free in one is not reused by the others:
# over a 10,000-article ingest the writer's free heap grew 4 -> 37 MB (glibc
# mallinfo2) while the heap in use stayed at ~40 MB. With two arenas it stayed at
# 4-8 MB over 20,000 articles, and 3,000-article ingests took as long as without.
STORE_ARENAS = 2


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a kill -9 leaves no orphans); elsewhere nothing."""
    try:
        _libc().prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except AttributeError:
        pass  # not Linux: the caller must notice its parent's death itself


@functools.cache
def limit_malloc_arenas(arenas: int = STORE_ARENAS) -> None:
    """Cap glibc's malloc arenas for this process (once), unless ``MALLOC_ARENA_MAX`` already says how many.

    Takes effect for threads that have not allocated yet: call it before
    DuckDB starts its threads. Elsewhere than glibc, nothing.
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        _libc().mallopt(_M_ARENA_MAX, arenas)
    except AttributeError:
        pass
