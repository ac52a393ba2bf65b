"""The add-in's cache of fits: the same ranges in many cells are fitted once, exactly."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from addin import udfs
from addin.excel import fit_cache
from addin.excel.fit_cache import FIT_CACHE, FitCache
from crmvalue_core import purchase_history


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the real BG/NBD fits behind BGNBD_FIT (on a fresh cache)."""
    FIT_CACHE.clear()
    calls: list[int] = []
    real = purchase_history.bgnbd_fit

    def fit(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(purchase_history, "bgnbd_fit", fit)
    yield calls
    FIT_CACHE.clear()


def column(values) -> list[list[float]]:
    return [[float(v)] for v in values]


def test_the_same_ranges_in_many_cells_are_fitted_once(cdnow_summary, counted) -> None:
    x, t_x, big_t = (column(cdnow_summary[c]) for c in ("frequency", "recency", "T"))
    first = udfs.BGNBD_FIT(x, t_x, big_t)
    again = [udfs.BGNBD_FIT(x, t_x, big_t) for _ in range(50)]
    assert len(counted) == 1
    assert all(row == first for row in again)
    direct = purchase_history.bgnbd_fit(
        *(cdnow_summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    )
    np.testing.assert_allclose(first[0], direct.values, rtol=1e-12)


def test_a_changed_cell_is_fitted_again(cdnow_summary, counted) -> None:
    x, t_x, big_t = (column(cdnow_summary[c]) for c in ("frequency", "recency", "T"))
    udfs.BGNBD_FIT(x, t_x, big_t)
    changed = [row[:] for row in big_t]
    changed[5][0] += 1e-9  # the smallest edit still counts: inputs are compared exactly
    udfs.BGNBD_FIT(x, t_x, changed)
    assert len(counted) == 2


def test_bad_input_is_never_cached_and_still_named(counted) -> None:
    message = udfs.BGNBD_FIT([[1.0], ["n/a"]], [[5.0], [3.0]], [[30.0], [30.0]])
    assert "item 2" in message and "'n/a'" in message
    assert len(FIT_CACHE) == 0


def test_the_cache_is_bounded() -> None:
    cache = FitCache(max_entries=3, max_bytes=10 * 8)
    for value in range(5):
        cache.fit("F", lambda v: float(v[0]), np.array([float(value)]))
    assert len(cache) == 3
    cache.fit("F", lambda v: v.sum(), np.zeros(11))  # 88 bytes: more than the cache keeps
    assert len(cache) == 3


def test_the_examples_in_the_module_run() -> None:
    assert doctest.testmod(fit_cache).failed == 0
