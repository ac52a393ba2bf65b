"""Fits that Excel asks for again and again, computed once: a small cache on exact inputs.

A sheet that types ``BGNBD_FIT(A2:A2358, B2:B2358, C2:C2358)`` inside every
``PREDICTED_CLV`` cell asks for the same fit in thousands of cells per recalculation (about
70 ms each on the CDNOW sample). :class:`FitCache` keeps the last fits with the arrays they
were fitted on; a call whose arrays are equal element by element (same shape, same numbers,
compared exactly, not by a hash alone) gets the stored result. The cache is bounded in
entries and in the bytes of the inputs it keeps, and only numeric arrays are cached (input
with blanks or text goes to the fitter, which names the bad cell). The fitters are pure and
their results immutable (:class:`crmvalue_core.FitResult` is frozen), so a cached result is
the result.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["FIT_CACHE", "FitCache"]


class FitCache:
    """The last ``max_entries`` fits, keeping at most ``max_bytes`` of their inputs.

    >>> cache = FitCache(max_entries=2)
    >>> calls = []
    >>> def total(values):
    ...     calls.append(1)
    ...     return float(values.sum())
    >>> data = np.array([1.0, 2.0, 3.5])
    >>> cache.fit("SUM", total, data), cache.fit("SUM", total, data.copy()), len(calls)
    (6.5, 6.5, 1)
    >>> cache.fit("SUM", total, np.array([1.0, 2.0, 3.0])), len(calls)
    (6.0, 2)
    """

    def __init__(self, max_entries: int = 16, max_bytes: int = 64 * 2**20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, tuple[tuple[np.ndarray, ...], Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def fit(self, name: str, fitter: Callable[..., Any], *inputs: Any) -> Any:
        """``fitter(*inputs)``, from the cache when the same ``name`` was fitted on equal
        numeric arrays before; any other input is fitted and not kept."""
        if not all(_cacheable(value) for value in inputs):
            return fitter(*inputs)
        key = _key(name, inputs)
        with self._lock:
            found = self._entries.get(key)
            if found is not None and all(
                np.array_equal(kept, given) for kept, given in zip(found[0], inputs, strict=True)
            ):
                self._entries.move_to_end(key)
                return found[1]
        result = fitter(*inputs)  # a CrmValueError passes through and is not kept
        size = sum(value.nbytes for value in inputs)
        if size <= self.max_bytes:
            with self._lock:
                self._store(key, tuple(np.array(value) for value in inputs), result, size)
        return result

    def clear(self) -> None:
        """Forget every fit."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _store(self, key: bytes, inputs: tuple[np.ndarray, ...], result: Any, size: int) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= sum(value.nbytes for value in old[0])
        self._entries[key] = (inputs, result)
        self._bytes += size
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, (dropped, _) = self._entries.popitem(last=False)
            self._bytes -= sum(value.nbytes for value in dropped)


def _cacheable(value: Any) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind == "f"


def _key(name: str, inputs: tuple[np.ndarray, ...]) -> bytes:
    digest = hashlib.blake2b(name.encode(), digest_size=16)
    for value in inputs:
        digest.update(str(value.shape).encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    return digest.digest()


#: The add-in's one cache of fits (BGNBD_FIT, GG_FIT, SBG_FIT).
FIT_CACHE = FitCache()
