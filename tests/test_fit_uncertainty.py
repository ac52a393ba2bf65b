"""Standard errors and intervals of the fits (crmvalue_core.fit_uncertainty).

Proved against lifetimes' ``summary["se(coef)"]`` on CDNOW (BG/NBD, Gamma-Gamma), against
a Hessian of an independently written sBG log-likelihood by second differences, against a
parametric bootstrap, and by the coverage of the intervals over simulated cohorts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.cohort_retention import sbg_fit
from crmvalue_core.fit_uncertainty import (
    log_parameter_hessian,
    parameter_uncertainty,
    standard_errors,
)
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


@pytest.fixture(scope="module")
def cdnow(cdnow_summary: pd.DataFrame, cdnow_spend: pd.DataFrame) -> pd.DataFrame:
    return cdnow_summary.join(cdnow_spend["zbar"])


# ----------------------------------------------------------------- against lifetimes


def test_bgnbd_standard_errors_equal_lifetimes(cdnow: pd.DataFrame) -> None:
    import lifetimes

    theirs = lifetimes.BetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    ours = bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"], confidence=0.95)
    expected = theirs.summary["se(coef)"].to_numpy()
    assert ours.uncertainty is not None
    np.testing.assert_allclose(ours.uncertainty.standard_errors, expected, rtol=1e-3)
    # the intervals are on the log scale: theta exp(-/+ 1.96 se / theta), always above 0
    values = np.array(ours.values)
    log_se = np.array(ours.uncertainty.standard_errors) / values
    np.testing.assert_allclose(ours.uncertainty.lower, values * np.exp(-1.959964 * log_se))
    np.testing.assert_allclose(ours.uncertainty.upper, values * np.exp(1.959964 * log_se))


def test_gamma_gamma_standard_errors_equal_lifetimes(cdnow: pd.DataFrame) -> None:
    import lifetimes

    repeat = cdnow[cdnow["frequency"] > 0]
    theirs = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["zbar"])
    ours = gg_fit(cdnow["frequency"], cdnow["zbar"], confidence=0.95)
    np.testing.assert_allclose(
        ours.uncertainty.standard_errors, theirs.summary["se(coef)"].to_numpy(), rtol=1e-3
    )


def test_standard_errors_of_a_fit_equal_those_the_fitter_carries(cdnow: pd.DataFrame) -> None:
    fit = bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    assert fit.uncertainty is None  # asked for nothing, nothing computed
    found = standard_errors(fit, cdnow["frequency"], cdnow["recency"], cdnow["T"])
    carried = bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"], confidence=0.95)
    np.testing.assert_allclose(found.standard_errors, carried.uncertainty.standard_errors)
    assert found.names == ("r", "alpha", "a", "b")


def test_standard_errors_refuse_data_that_do_not_give_the_fit(cdnow: pd.DataFrame) -> None:
    fit = sbg_fit(REGULAR)
    with pytest.raises(CrmValueError, match="give the data it was fitted on"):
        standard_errors(fit, [1000, 869, 743, 653, 593, 551, 517, 491])
    with pytest.raises(CrmValueError, match="give the result of sbg_fit"):
        standard_errors((0.7, 1.2), REGULAR)


# ------------------------------------------------------------------------------ sBG


def sbg_log_likelihood(alpha: float, beta: float, survivors: list[int]) -> float:
    """Fader & Hardie (2007) eq. 6 from the retention recursion, independent of the module:
    P(T=1) = alpha/(alpha+beta), S(t) = S(t-1)(beta+t-1)/(alpha+beta+t-1)."""
    s = [1.0]
    for t in range(1, len(survivors)):
        s.append(s[-1] * (beta + t - 1) / (alpha + beta + t - 1))
    ll = 0.0
    for t in range(1, len(survivors)):
        ll += (survivors[t - 1] - survivors[t]) * np.log(s[t - 1] - s[t])
    return ll + survivors[-1] * np.log(s[-1])


def test_sbg_standard_errors_equal_an_independent_numerical_hessian() -> None:
    fit = sbg_fit(REGULAR, confidence=0.95)
    theta = np.array(fit.values)
    h = 1e-4 * theta
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h[i], np.eye(2)[j] * h[j]

            def ll(point: np.ndarray) -> float:
                return sbg_log_likelihood(point[0], point[1], REGULAR)

            hess[i, j] = (
                ll(theta + ei + ej)
                - ll(theta + ei - ej)
                - ll(theta - ei + ej)
                + ll(theta - ei - ej)
            ) / (4 * h[i] * h[j])
    expected = np.sqrt(np.diag(np.linalg.inv(-hess)))
    np.testing.assert_allclose(fit.uncertainty.standard_errors, expected, rtol=1e-4)


def simulate_cohort(rng: np.random.Generator, alpha: float, beta: float, size: int, periods: int):
    """Survivors at 0..periods of a cohort drawn from the sBG model."""
    churn = rng.beta(alpha, beta, size)
    lifetime = rng.geometric(churn)  # the period in which each customer leaves
    return [int(np.sum(lifetime > t)) for t in range(periods + 1)]


def test_sbg_standard_errors_match_a_parametric_bootstrap() -> None:
    fit = sbg_fit(REGULAR, confidence=0.95)
    rng = np.random.default_rng(20070101)
    refits = np.array(
        [list(sbg_fit(simulate_cohort(rng, *fit.values, 1000, 7))) for _ in range(200)]
    )
    bootstrap = refits.std(axis=0, ddof=1)
    np.testing.assert_allclose(bootstrap, fit.uncertainty.standard_errors, rtol=0.20)


def test_sbg_intervals_cover_the_true_parameters_in_about_95_percent_of_fits() -> None:
    truth = np.array([0.7, 1.2])
    rng = np.random.default_rng(2026)
    covered = np.zeros(2)
    for _ in range(200):
        unc = sbg_fit(simulate_cohort(rng, *truth, 1000, 7), confidence=0.95).uncertainty
        covered += (np.array(unc.lower) <= truth) & (truth <= np.array(unc.upper))
    share = covered / 200
    assert np.all((share >= 0.90) & (share <= 0.99)), share


@settings(max_examples=30, deadline=None)
@given(
    alpha=st.floats(0.3, 5.0),
    beta=st.floats(0.3, 8.0),
    size=st.integers(200, 5000),
    seed=st.integers(0, 2**32 - 1),
)
def test_sbg_intervals_hold_the_estimate_and_stay_above_zero(alpha, beta, size, seed) -> None:
    survivors = simulate_cohort(np.random.default_rng(seed), alpha, beta, size, 8)
    try:
        fit = sbg_fit(survivors, confidence=0.9)
    except CrmValueError as error:  # a cohort that does not identify the model
        assert "identif" in str(error) or "cannot be fitted" in str(error)
        return
    unc = fit.uncertainty
    for value, se, lo, hi in zip(
        fit.values, unc.standard_errors, unc.lower, unc.upper, strict=True
    ):
        assert np.isfinite(se) and se > 0
        assert 0 < lo < value < hi


def test_wider_confidence_gives_wider_intervals() -> None:
    narrow = sbg_fit(REGULAR, confidence=0.8).uncertainty
    wide = sbg_fit(REGULAR, confidence=0.99).uncertainty
    assert np.all(np.array(wide.lower) < narrow.lower)
    assert np.all(np.array(wide.upper) > narrow.upper)
    assert wide.standard_errors == narrow.standard_errors


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2, "high"])
def test_a_bad_confidence_level_is_one_clear_message(confidence) -> None:
    with pytest.raises(CrmValueError, match="SBG_FIT: confidence"):
        sbg_fit(REGULAR, confidence=confidence)


# --------------------------------------------------------------------- the machinery


def test_log_hessian_of_a_known_function() -> None:
    # LL = a ln(theta1) - b theta1 + c ln(theta2) - d theta2^2: in u = ln(theta) the
    # second derivatives are -b theta1 and -4 d theta2^2 (the ln terms are linear in u).
    a, b, c, d = 3.0, 2.0, 5.0, 0.5
    theta = np.array([1.7, 0.9])
    hess = log_parameter_hessian(lambda t: np.array([a / t[0] - b, c / t[1] - 2 * d * t[1]]), theta)
    np.testing.assert_allclose(hess, np.diag([-b * 1.7, -4 * d * 0.9**2]), atol=1e-9)


def test_a_flat_likelihood_is_an_error_not_nan() -> None:
    # LL = -(theta1 + theta2 - 2)^2 is flat along theta1 + theta2 = 2
    def gradient(theta: np.ndarray) -> np.ndarray:
        g = -2.0 * (theta.sum() - 2.0)
        return np.array([g, g])

    with pytest.raises(CrmValueError, match="not identifiable"):
        parameter_uncertainty("TEST_FIT", "toy", ["x", "y"], [1.0, 1.0], gradient)


def test_a_likelihood_at_a_minimum_is_an_error() -> None:
    with pytest.raises(CrmValueError, match="not identifiable"):
        parameter_uncertainty("TEST_FIT", "toy", ["x"], [1.0], lambda t: t - 1.0)


def test_fit_rows_show_values_then_errors_then_bounds() -> None:
    fit = sbg_fit(REGULAR, confidence=0.95)
    rows = fit.rows()
    assert rows[0] == list(fit.values)
    assert rows[1] == list(fit.uncertainty.standard_errors)
    assert rows[2] == list(fit.uncertainty.lower) and rows[3] == list(fit.uncertainty.upper)
    assert sbg_fit(REGULAR).rows() == [list(sbg_fit(REGULAR).values)]
    # the log-likelihood of the sBG fit is the independent one at the estimate
    assert fit.log_likelihood == pytest.approx(sbg_log_likelihood(*fit.values, REGULAR))
