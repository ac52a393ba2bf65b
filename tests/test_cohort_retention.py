"""Tests of crmvalue_core.cohort_retention: the shifted-beta-geometric model."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.cohort_retention import (
    sbg_clv,
    sbg_del,
    sbg_derl,
    sbg_fit,
    sbg_retention,
    sbg_survival,
)

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]

alphas = st.floats(min_value=0.05, max_value=20.0)
betas = st.floats(min_value=0.05, max_value=50.0)
rates = st.floats(min_value=0.02, max_value=1.0)


def survival_by_recursion(alpha: float, beta: float, periods: int) -> np.ndarray:
    """S(0..periods) from P(T=1) = alpha/(alpha+beta) and the retention recursion.

    Written independently of the module: S(t) = S(t-1) (beta + t - 1)/(alpha + beta + t - 1).
    """
    s = np.empty(periods + 1)
    s[0] = 1.0
    for t in range(1, periods + 1):
        s[t] = s[t - 1] * (beta + t - 1) / (alpha + beta + t - 1)
    return s


def direct_del(alpha: float, beta: float, d: float, periods: int = 4000) -> float:
    s = survival_by_recursion(alpha, beta, periods)
    return float(np.sum(s * (1 / (1 + d)) ** np.arange(periods + 1)))


def direct_derl(alpha: float, beta: float, d: float, renewals: int, periods: int = 4000) -> float:
    s = survival_by_recursion(alpha, beta, periods + renewals + 1)
    n = renewals + 1
    future = s[n:] / s[n - 1]
    return float(np.sum(future * (1 / (1 + d)) ** np.arange(future.size)))


# ------------------------------------------------------------------------------ fit


def test_fit_regular_cohort_matches_published_estimates():
    # Fader & Hardie (2007), "regular" segment: alpha = 0.704, beta = 1.182.
    alpha, beta = sbg_fit(REGULAR)
    assert alpha == pytest.approx(0.704, abs=0.002)
    assert beta == pytest.approx(1.182, abs=0.002)


def test_fit_high_end_cohort_matches_published_estimates():
    # Fader & Hardie (2007), "high end" segment: alpha = 0.668, beta = 3.806.
    alpha, beta = sbg_fit(HIGH_END)
    assert alpha == pytest.approx(0.668, abs=0.002)
    assert beta == pytest.approx(3.806, abs=0.002)


def test_fit_result_shape():
    fit = sbg_fit(REGULAR)
    assert fit.model == "sBG"
    assert fit.names == ("alpha", "beta")
    assert fit.n_observations == 1000
    assert fit.alpha == fit["alpha"] == fit[0] == fit.params["alpha"]
    assert fit.beta == fit["beta"] == fit[1]
    assert len(fit) == 2


def test_fit_log_likelihood_is_that_of_the_data_and_a_maximum():
    counts = np.array(REGULAR, dtype=float)
    fit = sbg_fit(counts)

    def log_likelihood(alpha: float, beta: float) -> float:
        s = survival_by_recursion(alpha, beta, counts.size - 1)
        churn_prob = s[:-1] - s[1:]
        lost = counts[:-1] - counts[1:]
        return float(np.sum(lost * np.log(churn_prob)) + counts[-1] * np.log(s[-1]))

    assert fit.log_likelihood == pytest.approx(log_likelihood(fit.alpha, fit.beta), rel=1e-12)
    for da, db in [(0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01), (0.01, 0.01)]:
        assert log_likelihood(fit.alpha + da, fit.beta + db) < fit.log_likelihood


def test_fit_accepts_pandas_and_numpy():
    import pandas as pd

    a = sbg_fit(pd.Series(REGULAR))
    b = sbg_fit(np.array(REGULAR))
    assert a.values == pytest.approx(b.values, rel=1e-6)


def test_fit_recovers_parameters_of_an_exact_cohort():
    # A cohort that follows the model exactly (large, so rounding does not matter).
    s = survival_by_recursion(1.5, 4.0, 10)
    counts = np.round(s * 10_000_000)
    alpha, beta = sbg_fit(counts)
    assert alpha == pytest.approx(1.5, rel=1e-3)
    assert beta == pytest.approx(4.0, rel=1e-3)


@pytest.mark.parametrize(
    ("survivors", "fragment"),
    [
        ([1000, 631, 668, 382], "item 3 (668) is more than item 2 (631)"),
        ([1000, 631.5, 468], "not a whole number"),
        ([1000, -5], "below 0"),
        ([1000, "n/a", 400], "the text 'n/a'"),
        ([1000, None, 400], "blank"),
        ([1000], "at least one later count"),
        ([0, 0, 0], "cohort size"),
        ([1000, 1000, 1000], "no customer"),
        ([1000, 0, 0], "every customer churned in the first period"),
        ([[1000, 500], [400, 300]], "a table"),
        ([], "empty"),
    ],
)
def test_fit_bad_survivors(survivors, fragment):
    with pytest.raises(CrmValueError, match=r"^SBG_FIT: ") as info:
        sbg_fit(survivors)
    assert fragment in str(info.value)


# -------------------------------------------------------------- survival, retention


def test_survival_and_retention_with_uniform_prior():
    # alpha = beta = 1: theta uniform, S(t) = 1/(t+1), r_t = t/(t+1).
    t = np.arange(0, 8)
    np.testing.assert_allclose(sbg_survival(1, 1, t), 1 / (t + 1), rtol=1e-13)
    np.testing.assert_allclose(sbg_retention(1, 1, t[1:]), t[1:] / (t[1:] + 1), rtol=1e-13)


def test_survival_scalar_and_broadcast():
    assert isinstance(sbg_survival(0.7, 1.2, 3), float)
    assert sbg_survival(0.7, 1.2, 0) == 1.0
    out = sbg_survival(np.array([[0.5], [1.0]]), 2.0, [1, 2, 3])
    assert out.shape == (2, 3)
    assert out[1, 0] == pytest.approx(2 / 3)  # B(1, 3)/B(1, 2)
    assert out[1, 0] == pytest.approx(survival_by_recursion(1.0, 2.0, 1)[1])


@settings(max_examples=40, deadline=None)
@given(alphas, betas)
def test_survival_matches_recursion_and_falls(alpha, beta):
    t = np.arange(0, 30)
    s = sbg_survival(alpha, beta, t)
    np.testing.assert_allclose(s, survival_by_recursion(alpha, beta, 29), rtol=1e-9)
    assert np.all(np.diff(s) < 0)


@settings(max_examples=40, deadline=None)
@given(alphas, betas)
def test_retention_rises_and_is_the_survival_ratio(alpha, beta):
    t = np.arange(1, 30)
    r = sbg_retention(alpha, beta, t)
    assert np.all(np.diff(r) > 0)
    assert np.all((r > 0) & (r < 1))
    s = sbg_survival(alpha, beta, np.arange(0, 30))
    np.testing.assert_allclose(r, s[1:] / s[:-1], rtol=1e-9)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: sbg_survival(0, 1, 1), "SBG_SURVIVAL: alpha is 0"),
        (lambda: sbg_survival(1, -2, 1), "SBG_SURVIVAL: beta is -2"),
        (lambda: sbg_survival(1, 1, -1), "SBG_SURVIVAL: t is -1"),
        (lambda: sbg_survival(1, 1, 1.5), "not a whole number"),
        (lambda: sbg_survival("x", 1, 1), "the text 'x'"),
        (lambda: sbg_survival(float("nan"), 1, 1), "NaN"),
        (lambda: sbg_retention(1, 1, 0), "SBG_RETENTION: t is 0"),
        (lambda: sbg_retention(1, 1, [1, 2, True]), "SBG_RETENTION"),
    ],
)
def test_survival_retention_bad_input(call, fragment):
    with pytest.raises(CrmValueError) as info:
        call()
    assert fragment in str(info.value)


# ------------------------------------------------------------------------ DEL, DERL


def test_del_regular_cohort_by_long_sum():
    assert sbg_del(0.704, 1.182, 0.10) == pytest.approx(direct_del(0.704, 1.182, 0.10), rel=1e-12)


def test_del_and_derl_against_an_independent_implementation():
    # KobaKhit/eCLV (R) on the "high end" cohort, alpha 0.6677123, beta 3.8024773, d = 10%,
    # sums truncated at 70 periods: DEL 5.920551, DERL(4 renewals) 6.893253. The same
    # truncated sums from our survival function agree; the full sums are a little larger.
    a, b = 0.6677123, 3.8024773
    t = np.arange(71)
    s = sbg_survival(a, b, t)
    assert float(np.sum(s / 1.1**t)) == pytest.approx(5.920551, abs=5e-7)
    assert float(np.sum(s[5:] / s[4] / 1.1 ** np.arange(66))) == pytest.approx(6.893253, abs=5e-7)
    full_del = sbg_del(a, b, 0.10)
    full_derl = sbg_derl(a, b, 0.10, 4)
    assert 5.920551 < full_del < 5.920551 * 1.001
    assert 6.893253 < full_derl < 6.893253 * 1.001


@settings(max_examples=40, deadline=None)
@given(alphas, betas, rates)
def test_del_equals_direct_sum(alpha, beta, d):
    assert sbg_del(alpha, beta, d) == pytest.approx(direct_del(alpha, beta, d), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(alphas, betas, rates, st.integers(min_value=0, max_value=30))
def test_derl_equals_direct_sum(alpha, beta, d, renewals):
    assert sbg_derl(alpha, beta, d, renewals) == pytest.approx(
        direct_derl(alpha, beta, d, renewals), rel=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(alphas, betas, rates)
def test_del_is_one_plus_discounted_derl_of_a_new_customer(alpha, beta, d):
    # The first period is paid at acquisition; from then on the customer is a
    # 0-renewal customer one period later.
    assert sbg_del(alpha, beta, d) == pytest.approx(
        1 + sbg_derl(alpha, beta, d, 0) / (1 + d), rel=1e-10
    )


def test_derl_rises_with_renewals_for_heterogeneous_cohorts():
    # The customers who stay are the loyal ones: residual value grows with tenure.
    derl = sbg_derl(0.704, 1.182, 0.10, np.arange(0, 20))
    assert np.all(np.diff(derl) > 0)


def test_series_fallback_where_scipy_hyp2f1_fails():
    # scipy's hyp2f1(1, 200, 205, 1/1.01) is NaN; the series takes over.
    assert sbg_del(5.0, 200.0, 0.01) == pytest.approx(direct_del(5.0, 200.0, 0.01), rel=1e-9)
    assert sbg_derl(3.4, 608.5, 0.002245, 3) == pytest.approx(
        direct_derl(3.4, 608.5, 0.002245, 3, periods=40_000), rel=1e-9
    )


def test_zero_discount_rate_gives_expected_lifetime():
    # E[T] = (alpha + beta - 1)/(alpha - 1) for alpha > 1.
    assert sbg_del(3.0, 4.0, 0.0) == pytest.approx(3.0)
    assert sbg_derl(3.0, 4.0, 0.0, 2) == pytest.approx((4.0 + 2) / 2.0)
    assert sbg_del(3.0, 4.0, 1e-9) == pytest.approx(3.0, rel=1e-6)


def test_del_broadcasts():
    out = sbg_del([0.7, 1.5], [[1.2], [3.0]], 0.1)
    assert out.shape == (2, 2)
    assert out[1, 0] == pytest.approx(direct_del(0.7, 3.0, 0.1), rel=1e-10)
    out = sbg_derl(0.7, 1.2, [0.05, 0.1, 0.2], [0, 3, 6])
    assert out.shape == (3,)
    assert out[2] == pytest.approx(direct_derl(0.7, 1.2, 0.2, 6), rel=1e-10)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: sbg_del(0.7, 1.2, -0.1), "SBG_DEL: discount_rate is -0.1"),
        (lambda: sbg_del(0.7, 1.2, 0), "infinite because alpha (0.7) is not above 1"),
        (lambda: sbg_del(0.7, 0, 0.1), "SBG_DEL: beta is 0"),
        (lambda: sbg_derl(0.7, 1.2, 0.1, -1), "SBG_DERL: renewals is -1"),
        (lambda: sbg_derl(0.7, 1.2, 0.1, 2.5), "not a whole number"),
        (lambda: sbg_derl(0.7, 1.2, None, 2), "SBG_DERL: discount_rate is blank"),
        (lambda: sbg_clv(0.7, 1.2, "abc", 0.1), "SBG_CLV: margin is the text 'abc'"),
        (lambda: sbg_del([0.7, 0.8], [1.2, 1.3, 1.4], 0.1), "SBG_DEL: the ranges do not fit"),
        (lambda: sbg_survival([0.7, 0.8], 1.2, [1, 2, 3]), "SBG_SURVIVAL: the ranges do not"),
        (lambda: sbg_clv(0.7, 1.2, [1, 2, 3], [0.1, 0.2], 1), "SBG_CLV: the ranges do not fit"),
    ],
)
def test_del_derl_bad_input(call, fragment):
    with pytest.raises(CrmValueError) as info:
        call()
    assert fragment in str(info.value)


# ------------------------------------------------------------------------------ CLV


def test_clv_is_margin_times_del_or_derl():
    assert sbg_clv(0.704, 1.182, 100, 0.1) == pytest.approx(100 * direct_del(0.704, 1.182, 0.1))
    assert sbg_clv(0.704, 1.182, 100, 0.1, renewals=4) == pytest.approx(
        100 * direct_derl(0.704, 1.182, 0.1, 4)
    )
    assert sbg_clv(0.704, 1.182, 100, 0.1, renewals="") == sbg_clv(0.704, 1.182, 100, 0.1)
    out = sbg_clv(0.704, 1.182, [50, 100], 0.1)
    assert out == pytest.approx([50 * sbg_del(0.704, 1.182, 0.1), 100 * sbg_del(0.704, 1.182, 0.1)])
    assert math.isclose(sbg_clv(1, 1, -10, 0.1), -10 * sbg_del(1, 1, 0.1))
