"""The one timer of the benchmarks: the best wall time of a few calls.

Each benchmark module imports :func:`best_of` from here (``benchmarks/`` is on the path
both under ``run.py`` and when a module is run as a script).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["best_of"]


def best_of(func: Callable[[], Any], repeat: int = 3, *, warm_up: bool = False) -> float:
    """The best wall time of ``repeat`` calls, in seconds (the least disturbed run).

    With ``warm_up``, one untimed call comes first (caches, lazy imports, first-call
    conversions).
    """
    if warm_up:
        func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)
