"""Intervals of the predicted CLV and of the customer equity
(crmvalue_core.purchase_history.clv_intervals), on the CDNOW sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit, predicted_clv
from crmvalue_core.purchase_history.clv_intervals import predicted_clv_intervals

MARGIN = 0.3


@pytest.fixture(scope="module")
def cdnow(cdnow_summary: pd.DataFrame, cdnow_spend: pd.DataFrame) -> pd.DataFrame:
    return cdnow_summary.join(cdnow_spend["zbar"])


@pytest.fixture(scope="module")
def fits(cdnow: pd.DataFrame):
    bg = bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"], confidence=0.95)
    gg = gg_fit(cdnow["frequency"], cdnow["zbar"], confidence=0.95)
    return bg, gg


def _intervals(cdnow, fits, **kwargs):
    columns = cdnow["frequency"], cdnow["recency"], cdnow["T"], cdnow["zbar"]
    return predicted_clv_intervals(*fits, *columns, margin=MARGIN, **kwargs)


def test_the_point_is_the_predicted_clv(cdnow, fits) -> None:
    bg, gg = fits
    found = _intervals(cdnow, fits, draws=50)
    expected = predicted_clv(
        *bg, *gg, cdnow["frequency"], cdnow["recency"], cdnow["T"], cdnow["zbar"], margin=MARGIN
    )
    np.testing.assert_allclose(found.clv, expected, rtol=1e-12)
    assert found.equity == pytest.approx(expected.sum())


def test_the_expansion_agrees_with_evaluating_every_draw(cdnow, fits) -> None:
    fast = _intervals(cdnow, fits, draws=200, seed=4)
    exact = _intervals(cdnow, fits, draws=200, seed=4, exact=True)
    for name in ("equity_p10", "equity_p50", "equity_p90"):
        assert getattr(fast, name) == pytest.approx(getattr(exact, name), rel=5e-3)
    for name in ("p10", "p50", "p90"):
        gap = np.abs(getattr(fast, name) - getattr(exact, name)) / getattr(exact, name)
        assert np.quantile(gap, 0.95) < 0.01 and gap.max() < 0.05


def test_the_equity_spread_is_that_of_the_delta_method(cdnow, fits) -> None:
    # independent of the draws: the gradient of the equity in the log-parameters by
    # central differences of the public predicted_clv, and se = sqrt(g' V g)
    bg, gg = fits
    columns = cdnow["frequency"], cdnow["recency"], cdnow["T"], cdnow["zbar"]
    log_theta = np.log(list(bg) + list(gg))
    cov = np.zeros((7, 7))
    cov[:4, :4] = bg.uncertainty.log_covariance
    cov[4:, 4:] = gg.uncertainty.log_covariance

    def equity(u: np.ndarray) -> float:
        return float(np.sum(predicted_clv(*np.exp(u), *columns, margin=MARGIN)))

    h = 1e-4
    grad = np.array(
        [(equity(log_theta + h * e) - equity(log_theta - h * e)) / (2 * h) for e in np.eye(7)]
    )
    sd = float(np.sqrt(grad @ cov @ grad))
    found = _intervals(cdnow, fits, draws=4000, seed=1)
    z90 = 1.2815516
    assert (found.equity_p90 - found.equity_p10) == pytest.approx(2 * z90 * sd, rel=0.05)
    assert found.equity_p50 == pytest.approx(found.equity, rel=0.01)


def test_same_seed_same_intervals_and_percentiles_in_order(cdnow, fits) -> None:
    one = _intervals(cdnow, fits, draws=300, seed=9)
    two = _intervals(cdnow, fits, draws=300, seed=9)
    np.testing.assert_array_equal(one.p10, two.p10)
    assert one.equity_p90 == two.equity_p90
    assert np.all((one.p10 <= one.p50) & (one.p50 <= one.p90))
    assert one.equity_p10 < one.equity_p50 < one.equity_p90


def test_chunks_do_not_change_the_result(cdnow, fits, monkeypatch) -> None:
    from crmvalue_core.purchase_history import clv_intervals

    whole = _intervals(cdnow, fits, draws=100, seed=2)
    monkeypatch.setattr(clv_intervals, "_CHUNK_CELLS", 100 * 37)  # 37 customers a chunk
    chunked = _intervals(cdnow, fits, draws=100, seed=2)
    np.testing.assert_allclose(chunked.p50, whole.p50, rtol=1e-12)
    assert chunked.equity_p10 == pytest.approx(whole.equity_p10, rel=1e-12)


def test_fits_without_standard_errors_get_one_clear_message(cdnow, fits) -> None:
    bg, gg = fits
    plain = bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    columns = cdnow["frequency"], cdnow["recency"], cdnow["T"], cdnow["zbar"]
    with pytest.raises(CrmValueError, match="bgnbd carries no standard errors; fit it with"):
        predicted_clv_intervals(plain, gg, *columns)
    with pytest.raises(CrmValueError, match="gamma_gamma is not a Gamma-Gamma fit"):
        predicted_clv_intervals(bg, bg, *columns)
    with pytest.raises(CrmValueError, match="draws"):
        predicted_clv_intervals(bg, gg, *columns, draws=1)
    with pytest.raises(CrmValueError, match="exact=True evaluates 2,357 customers x 9,000"):
        predicted_clv_intervals(bg, gg, *columns, draws=9000, exact=True)
    with pytest.raises(CrmValueError, match="PREDICTED_CLV: discount_rate"):
        predicted_clv_intervals(bg, gg, *columns, discount_rate="x")
