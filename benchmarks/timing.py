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
    conversions). As in :mod:`timeit`, the garbage collector is off while a call is
    timed: whether one of its collections falls inside a call depends on the garbage of
    earlier calls, and it made a call that makes 100,000 lists vary by 2x from one run to
    the next. (A full collection before each call instead would leave the processor's
    caches cold for a call of a few microseconds.)
    """
    if warm_up:
        func()
    times = []
    collecting = gc.isenabled()
    for _ in range(repeat):
        gc.disable()
        try:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        finally:
            if collecting:
                gc.enable()
    return min(times)
