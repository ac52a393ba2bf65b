"""PREDICTED_CLV_INTERVALS: the registry example checked against independent numbers.

* the predicted_clv column is lifetimes' ``customer_lifetime_value`` at the parameters of
  the BGNBD_FIT and GG_FIT examples (themselves checked against lifetimes' fits), and the
  equity row's is the column's sum;
* the percentiles come back from a plain numpy re-drawing of the parameters (the same
  seeded normal draws on the log scale) with every draw evaluated in full by
  ``predicted_clv`` (checked against lifetimes in tests/test_purchase_history.py), as the
  function does for a base this small (below, on a larger one, the first-order expansion
  it switches to stays close). lifetimes itself is not used per draw: for
  9 of the 200 draws its hypergeometric function gives NaN for customers without repeat
  purchases;
* through the UDF layer, the fits are the cached ones of ``BGNBD_FIT(..., 0.95)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.excel import example_data
from addin.excel.fit_cache import FIT_CACHE
from addin.excel.registry import REGISTRY
from crmvalue_core.purchase_history import (
    bgnbd_fit,
    gg_fit,
    predicted_clv,
    predicted_clv_intervals_table,
)
from tests.xlwings_harness import ComRange, classic_xlwings

lifetimes = pytest.importorskip("lifetimes")

EXAMPLE = REGISTRY["PREDICTED_CLV_INTERVALS"].examples[0]
MARGIN, DRAWS, SEED = 0.3, 200, 1


def _columns() -> tuple[np.ndarray, ...]:
    return tuple(
        np.asarray(values, dtype=float)
        for values in (
            example_data.CDNOW_EVERY_12TH_FREQUENCY,
            example_data.CDNOW_EVERY_12TH_RECENCY,
            example_data.CDNOW_EVERY_12TH_AGE,
            example_data.CDNOW_EVERY_12TH_MONETARY,
        )
    )


def _lifetimes_clv(bg: np.ndarray, gg: np.ndarray) -> np.ndarray:
    """lifetimes' 12-month CLV at 1% a month of every example customer, times the margin."""
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(dict(zip(("r", "alpha", "a", "b"), bg, strict=True)))
    bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time
    ggf = lifetimes.GammaGammaFitter()
    ggf.params_ = pd.Series(dict(zip(("p", "q", "v"), gg, strict=True)))
    x, t_x, big_t, zbar = (pd.Series(column) for column in _columns())
    clv = ggf.customer_lifetime_value(
        bgf, x, t_x, big_t, zbar, time=12, discount_rate=0.01, freq="W"
    )
    return MARGIN * clv.to_numpy()


def _table() -> np.ndarray:
    return np.array([row[1:] for row in EXAMPLE.result[1:]], dtype=float)


def test_the_example_is_the_one_documented() -> None:
    assert EXAMPLE.formula.endswith(f'12, 0.01, {MARGIN}, "W", {DRAWS}, {SEED})')
    assert EXAMPLE.result[0] == ["customer", "predicted_clv", "p10", "p50", "p90"]
    assert [row[0] for row in EXAMPLE.result[1:-1]] == list(range(1, 197))
    assert EXAMPLE.result[-1][0] == "equity"


def test_the_point_column_is_lifetimes_clv_at_the_fitted_parameters() -> None:
    bg = REGISTRY["BGNBD_FIT"].examples[1].result[0]
    gg = REGISTRY["GG_FIT"].examples[1].result[0]
    theirs = _lifetimes_clv(bg, gg)
    table = _table()
    np.testing.assert_allclose(table[:-1, 0], theirs, rtol=1e-5)
    assert table[-1, 0] == pytest.approx(theirs.sum(), rel=1e-5)
    assert np.all((table[:, 1] <= table[:, 2]) & (table[:, 2] <= table[:, 3]))


def test_the_percentiles_from_a_plain_redraw_evaluated_in_full() -> None:
    x, t_x, big_t, zbar = _columns()
    bg = bgnbd_fit(x, t_x, big_t, confidence=0.95)
    gg = gg_fit(x, zbar, confidence=0.95)
    rng = np.random.default_rng(SEED)  # BG/NBD first, then Gamma-Gamma, as documented
    draws = []
    for fit in (bg, gg):
        factor = np.linalg.cholesky(np.array(fit.uncertainty.log_covariance))
        z = rng.standard_normal((DRAWS, len(fit.values)))
        draws.append(np.exp(np.log(fit.values) + z @ factor.T))
    values = np.column_stack(
        [
            predicted_clv(*b, *g, x, t_x, big_t, zbar, 12, 0.01, MARGIN)
            for b, g in zip(draws[0], draws[1], strict=True)
        ]
    )
    table = _table()
    customers = np.percentile(values, [10, 50, 90], axis=1).T
    np.testing.assert_allclose(table[:-1, 1:], customers, rtol=1e-6)
    equity = np.percentile(values.sum(axis=0), [10, 50, 90])
    np.testing.assert_allclose(table[-1, 1:], equity, rtol=1e-6)


def test_the_udf_uses_the_cached_fits_of_bgnbd_fit() -> None:
    FIT_CACHE.clear()
    with classic_xlwings() as xl:
        cells = [ComRange.column(list(column)) for column in _columns()]
        xl.call("BGNBD_FIT", *cells[:3], 0.95)
        assert len(FIT_CACHE) == 1
        table = xl.call("PREDICTED_CLV_INTERVALS", *cells, 12, 0.01, MARGIN, "W", DRAWS, SEED)
        assert len(FIT_CACHE) == 2  # BG/NBD from the cache; Gamma-Gamma added
    expected = _table()
    got = np.array([row[1:] for row in table[1:]], dtype=float)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


_FITS: dict[str, object] = {}


def _cached(name, fitter, *inputs):
    if name not in _FITS:
        _FITS[name] = fitter(*inputs)
    return _FITS[name]


@settings(max_examples=25, deadline=None)
@given(
    margin=st.floats(0.05, 1.0),
    draws=st.integers(2, 60),
    seed=st.integers(0, 2**32 - 1),
    months=st.integers(1, 24),
)
def test_the_table_is_linear_in_the_margin_and_sums_to_the_equity(
    margin: float, draws: int, seed: int, months: int
) -> None:
    x, t_x, big_t, zbar = _columns()

    def table(share: float) -> np.ndarray:
        rows = predicted_clv_intervals_table(
            x, t_x, big_t, zbar, months, 0.01, share, "W", draws, seed, fitted=_cached
        )
        assert rows[-1][0] == "equity" and len(rows) == x.size + 2
        return np.array([row[1:] for row in rows[1:]], dtype=float)

    scaled, revenue = table(margin), table(1.0)
    # the CLV of every draw is margin x spend x purchases: so are its percentiles
    np.testing.assert_allclose(scaled, margin * revenue, rtol=1e-12)
    assert scaled[-1, 0] == pytest.approx(scaled[:-1, 0].sum(), rel=1e-12)
    assert np.all(scaled[:, 1] <= scaled[:, 2]) and np.all(scaled[:, 2] <= scaled[:, 3])
