"""Per-input budgets of a worker process: wall time (watched by the main process) and memory (a hard limit).

A hostile or pathological input must cost its own failure, not the batch:

* **time**: the main process notes when a worker starts each input; a worker
  still on one input after ``time_budget`` seconds is killed (nothing inside a
  process can interrupt a regular expression or a C extension that holds the
  interpreter), the input is recorded as ``BudgetExceededError`` and a fresh
  worker takes the rest of its task.
* **memory**: once its model is loaded, a worker limits its own address space
  to what it holds plus ``memory_budget`` MiB (``RLIMIT_AS``). An input that
  needs more gets a ``MemoryError`` where it allocates (recorded as
  ``BudgetExceededError``), or the worker dies in native code (recorded as
  ``WorkerCrashed``); the machine never swaps.

Limits: the budgets hold for the local engine's worker processes (the CLI's
``ingest`` and ``analyze``, and ``run.local.ResidentWorker``, which analyses the
articles posted to a server); a library caller analysing in its own process,
and the Ray engine, run without them. Reading inputs (decompression, archives) happens
in the main process and is bounded by sizes instead (``--max-bytes``).
"""

from __future__ import annotations

import resource

from ..errors import BudgetExceededError

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "DEFAULT_TIME_BUDGET",
    "limit_memory",
    "over_memory",
    "over_time",
]

#: Seconds for one input. The slowest of the 102 development pages takes ~2 s on this
#: 2-core machine, the slowest sample article ~1 s; a 300,000-character article ~25 s.
DEFAULT_TIME_BUDGET = 30.0

#: MiB one input may add to a worker. A worker holds ~650 MiB of address space once
#: the small model is loaded and grows by less than 100 MiB on the largest development
#: page; a 1,000,000-character text (the most the model reads) needs ~1,200 MiB.
DEFAULT_MEMORY_BUDGET = 1536


def _address_space() -> int | None:
    """Return this process's address space in bytes (Linux), else None."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def limit_memory(budget_mib: float | None) -> None:
    """Limit this process's address space to what it holds now plus ``budget_mib`` MiB (where the platform can)."""
    held = _address_space()
    if not budget_mib or held is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = held + int(budget_mib * 2**20)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def over_time(source: str, budget: float) -> BudgetExceededError:
    """Return the error of an input still being analysed after ``budget`` seconds."""
    return BudgetExceededError(
        f"analysis took over {budget:g} s, the time budget of one input (raise it with --time-budget)", source=source
    )


def over_memory(source: str, budget: float | None) -> BudgetExceededError:
    """Return the error of an input whose analysis ran out of the worker's memory budget."""
    return BudgetExceededError(
        f"analysis needed more than the {budget:g} MiB memory budget of one input (raise it with --memory-budget)",
        source=source,
    )
