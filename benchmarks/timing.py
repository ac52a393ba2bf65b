"""The one timer of the benchmarks: the best wall time of a few calls.

Each benchmark module imports :func:`best_of` from here (``benchmarks/`` is on the path
both under ``run.py`` and when a module is run as a script).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

__all__ = ["best_of"]


def best_of(func: Callable[[], Any], repeat: int = 3, *, warm_up: bool = False) -> float:
    """The best wall time of ``repeat`` calls, in seconds (the least disturbed run).

    With ``warm_up``, one untimed call comes first (caches, lazy imports, first-call
    conversions). Each timed call starts after a full garbage collection: a call that
    makes many objects (100,000 cells as lists) then pays for the collections it causes
    itself, not for those the garbage of earlier calls would trigger inside it, which
    made such a call vary by 2x from one run to the next.
    """
    if warm_up:
        func()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
