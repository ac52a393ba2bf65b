"""BG/NBD, Gamma-Gamma, predicted CLV and the transaction summary.

Checked against the published CDNOW estimates (Fader, Hardie & Lee 2005), against
``lifetimes`` 0.11 on the same data, and against the shipped CDNOW sample summary rebuilt
from the full transaction log.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import (
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_p_alive,
    gg_expected_spend,
    gg_fit,
    predicted_clv,
)
from crmvalue_core.purchase_history._bgnbd_model import (
    BgnbdLikelihood,
    purchases_if_alive_closed,
    purchases_if_alive_quadrature,
)
from crmvalue_core.purchase_history._gamma_gamma_model import GammaGammaLikelihood
from crmvalue_core.transactions import summary_from_transactions

#: Fader, Hardie & Lee (2005), Marketing Science, CDNOW sample, weeks.
BGNBD_PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
BGNBD_PUBLISHED_LL = -9582.4
#: Fader, Hardie & Lee (2005), JMR, CDNOW sample.
GG_PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def _central_gradient(func, point: np.ndarray) -> np.ndarray:
    steps = 1e-5 * point
    return np.array(
        [
            (func(point + step) - func(point - step)) / (2 * step[i])
            for i, step in enumerate(np.diag(steps))
        ]
    )


@pytest.fixture(scope="module")
def cdnow(cdnow_summary: pd.DataFrame, cdnow_spend: pd.DataFrame) -> pd.DataFrame:
    """The 2,357-customer sample with x, t_x, T (weeks) and zbar."""
    assert cdnow_summary.index.equals(cdnow_spend.index)
    return cdnow_summary.join(cdnow_spend["zbar"])


@pytest.fixture(scope="module")
def bg_fit(cdnow: pd.DataFrame):
    return bgnbd_fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


@pytest.fixture(scope="module")
def gamma_fit(cdnow: pd.DataFrame):
    return gg_fit(cdnow["frequency"], cdnow["zbar"])


@pytest.fixture(scope="module")
def lifetimes_models(bg_fit, gamma_fit):
    """lifetimes fitters carrying *our* parameters, to compare the formulas alone."""
    lifetimes = pytest.importorskip("lifetimes")
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(bg_fit.params)
    bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time
    ggf = lifetimes.GammaGammaFitter()
    p, q, gamma = gamma_fit
    ggf.params_ = pd.Series({"p": p, "q": q, "v": gamma})
    return bgf, ggf


# --------------------------------------------------------------------------------------
# BG/NBD fit
# --------------------------------------------------------------------------------------


def test_bgnbd_fit_reproduces_published_cdnow_estimates(bg_fit) -> None:
    assert bg_fit.names == ("r", "alpha", "a", "b")
    assert bg_fit.n_observations == 2357
    for name, published in BGNBD_PUBLISHED.items():
        assert bg_fit[name] == pytest.approx(published, rel=0.005), name
    assert bg_fit.log_likelihood == pytest.approx(BGNBD_PUBLISHED_LL, rel=0.005)
    assert bg_fit.log_likelihood == pytest.approx(BGNBD_PUBLISHED_LL, abs=0.05)


def test_bgnbd_fit_agrees_with_lifetimes(cdnow: pd.DataFrame, bg_fit) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    theirs = lifetimes.BetaGeoFitter().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for name in bg_fit.names:
        assert bg_fit[name] == pytest.approx(theirs.params_[name], rel=1e-6), name


def test_bgnbd_fit_is_a_maximum(cdnow: pd.DataFrame, bg_fit) -> None:
    model = BgnbdLikelihood(*(cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    best = np.array(bg_fit.values)
    assert model.value(best) == pytest.approx(bg_fit.log_likelihood, rel=1e-12)
    for i in range(4):
        for step in (0.99, 1.01):
            moved = best.copy()
            moved[i] *= step
            assert model.value(moved) < bg_fit.log_likelihood


def test_bgnbd_gradient_matches_finite_differences(cdnow: pd.DataFrame) -> None:
    model = BgnbdLikelihood(*(cdnow[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    for point in ([0.243, 4.414, 0.793, 2.426], [1.0, 20.0, 2.0, 0.5], [0.1, 1.0, 0.3, 8.0]):
        point = np.array(point)
        numeric = _central_gradient(model.value, point)
        np.testing.assert_allclose(model.gradient(point), numeric, rtol=1e-6, atol=1e-6)


def test_bgnbd_likelihood_matches_per_customer_formula() -> None:
    """The compressed likelihood equals the paper's eq. (6), customer by customer."""
    from scipy.special import betaln, gammaln

    x = np.array([0, 0, 3, 1, 3, 2, 0])
    t_x = np.array([0, 0, 10.5, 2.0, 10.5, 30.0, 0])
    big_t = np.array([39.0, 20.0, 39.0, 25.0, 39.0, 31.0, 39.0])
    r, alpha, a, b = 0.4, 6.0, 1.3, 2.2
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    alive = np.exp(betaln(a, b + x) - betaln(a, b) + common - (r + x) * np.log(alpha + big_t))
    dropped = np.exp(
        betaln(a + 1, b + np.maximum(x, 1) - 1)
        - betaln(a, b)
        + common
        - (r + x) * np.log(alpha + t_x)
    )
    expected = np.log(alive + (x > 0) * dropped).sum()
    model = BgnbdLikelihood(x.astype(float), t_x, big_t)
    assert model.value(np.array([r, alpha, a, b])) == pytest.approx(expected, rel=1e-12)


def test_bgnbd_fit_recovers_simulated_parameters() -> None:
    rng = np.random.default_rng(11)
    n, weeks = 20000, 52.0
    truth = {"r": 0.5, "alpha": 6.0, "a": 1.2, "b": 3.0}
    lam = rng.gamma(truth["r"], 1 / truth["alpha"], n)
    p = rng.beta(truth["a"], truth["b"], n)
    times = rng.exponential(1.0, (n, 200)).cumsum(axis=1) / lam[:, None]
    ages = rng.uniform(0.5, 1.0, n) * weeks  # staggered acquisition
    x = np.minimum((times <= ages[:, None]).sum(axis=1), rng.geometric(p))
    t_x = np.where(x > 0, times[np.arange(n), x - 1], 0.0)
    fit = bgnbd_fit(x, t_x, ages)
    for name, value in truth.items():
        assert fit[name] == pytest.approx(value, rel=0.15), name


# --------------------------------------------------------------------------------------
# BG/NBD predictions
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0.5, 1.0, 10.0, 39.0, 52.0, 260.0])
def test_conditional_expected_purchases_match_lifetimes(
    cdnow: pd.DataFrame, bg_fit, lifetimes_models, t: float
) -> None:
    bgf, _ = lifetimes_models
    x, t_x, big_t = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    ours = bgnbd_expected_purchases(*bg_fit, t, x, t_x, big_t)
    theirs = bgf.conditional_expected_number_of_purchases_up_to_time(t, x, t_x, big_t)
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-8)


def test_unconditional_expected_purchases_match_lifetimes(bg_fit, lifetimes_models) -> None:
    bgf, _ = lifetimes_models
    t = np.array([0.0, 0.1, 1.0, 13.0, 39.0, 78.0, 520.0])
    ours = bgnbd_expected_purchases(*bg_fit, t)
    np.testing.assert_allclose(ours, bgf.expected_number_of_purchases_up_to_time(t), rtol=1e-8)
    assert ours[0] == 0.0
    assert np.all(np.diff(ours) > 0)


def _brute_force_purchases_if_alive(r, alpha, a, b, t, x=0, big_t=0.0) -> float:
    """E[purchases in t] of a customer alive at T, integrating over lambda and p directly.

    Alive at T with x repeat purchases: lambda ~ Gamma(r+x, alpha+T), p ~ Beta(a, b+x),
    and E[purchases in t | lambda, p] = (1 - exp(-lambda p t)) / p (paper, eq. 7).
    """
    from scipy import integrate, special

    shape, rate, b_post = r + x, alpha + big_t, b + x

    def integrand(lam: float, p: float) -> float:
        log_density = (
            shape * np.log(rate)
            + (shape - 1) * np.log(lam)
            - rate * lam
            - special.gammaln(shape)
            + (a - 1) * np.log(p)
            + (b_post - 1) * np.log1p(-p)
            - special.betaln(a, b_post)
        )
        return -np.expm1(-lam * p * t) / p * np.exp(log_density)

    value, _ = integrate.dblquad(integrand, 0, 1, 0, np.inf, epsabs=1e-10, epsrel=1e-8)
    return value


@pytest.mark.parametrize(
    "params",
    [
        (0.243, 4.414, 0.793, 2.426),  # CDNOW: the closed form (hypergeometric function)
        (1.0, 1.0, 0.5, 0.5),  # a + b - 1 = 0: the closed form is singular
        (0.5, 3.0, 0.3, 0.4),  # a + b - 1 < 0
        (0.8, 10.0, 1.0, 2.0),  # a = 1: the closed form is 0/0
    ],
)
def test_unconditional_expected_purchases_by_brute_force(params) -> None:
    value = bgnbd_expected_purchases(*params, 39)
    assert isinstance(value, float)
    assert value == pytest.approx(_brute_force_purchases_if_alive(*params, 39.0), rel=1e-7)
    # eq. (9) is eq. (10) for a customer with an empty history
    assert value == pytest.approx(bgnbd_expected_purchases(*params, 39, 0, 0, 0), rel=1e-14)


@pytest.mark.parametrize("params", [(0.243, 4.414, 0.793, 2.426), (0.8, 10.0, 1.0, 2.0)])
def test_conditional_expected_purchases_by_brute_force(params) -> None:
    x, t_x, big_t = 2, 30.43, 38.86
    alive = bgnbd_p_alive(*params, x, t_x, big_t)
    expected = alive * _brute_force_purchases_if_alive(*params, 39.0, x, big_t)
    value = bgnbd_expected_purchases(*params, 39, x, t_x, big_t)
    assert value == pytest.approx(expected, rel=1e-7)


def test_closed_form_and_quadrature_agree_on_cdnow(cdnow: pd.DataFrame) -> None:
    x, big_t = cdnow["frequency"].to_numpy(float), cdnow["T"].to_numpy()
    for t in (0.5, 39.0, 520.0):
        horizon = np.full_like(big_t, t)
        closed = purchases_if_alive_closed(*BGNBD_PUBLISHED.values(), horizon, x, big_t)
        quadrature = purchases_if_alive_quadrature(*BGNBD_PUBLISHED.values(), horizon, x, big_t)
        np.testing.assert_allclose(quadrature, closed, rtol=1e-9)


def test_expected_purchases_continuous_across_a_equal_to_one() -> None:
    near = [
        bgnbd_expected_purchases(0.3, 5.0, a, 2.0, 20.0, 2, 10.0, 30.0)
        for a in (1 - 2e-3, 1.0, 1 + 2e-3)
    ]
    assert near[0] > near[1] > near[2]
    assert near[1] == pytest.approx((near[0] + near[2]) / 2, rel=1e-5)


def test_expected_purchases_broadcast_over_t() -> None:
    values = bgnbd_expected_purchases(0.243, 4.414, 0.793, 2.426, [4, 13, 52], 2, 30.43, 38.86)
    assert values.shape == (3,)
    assert np.all(np.diff(values) > 0)


def test_p_alive_matches_lifetimes(cdnow: pd.DataFrame, bg_fit, lifetimes_models) -> None:
    bgf, _ = lifetimes_models
    x, t_x, big_t = cdnow["frequency"], cdnow["recency"], cdnow["T"]
    ours = bgnbd_p_alive(*bg_fit, x, t_x, big_t)
    np.testing.assert_allclose(ours, bgf.conditional_probability_alive(x, t_x, big_t), rtol=1e-8)
    assert np.all(ours[x.to_numpy() == 0] == 1.0)
    assert np.all((ours > 0) & (ours <= 1))


# --------------------------------------------------------------------------------------
# Gamma-Gamma
# --------------------------------------------------------------------------------------


def test_gg_fit_reproduces_published_cdnow_estimates(gamma_fit) -> None:
    assert gamma_fit.names == ("p", "q", "gamma")
    assert gamma_fit.n_observations == 946  # customers with repeat purchases only
    for name, published in GG_PUBLISHED.items():
        assert gamma_fit[name] == pytest.approx(published, rel=0.005), name


def test_gg_fit_agrees_with_lifetimes(cdnow: pd.DataFrame, gamma_fit) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    repeat = cdnow[cdnow["frequency"] > 0]
    theirs = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["zbar"])
    for ours, name in zip(gamma_fit, ("p", "q", "v"), strict=True):
        assert ours == pytest.approx(theirs.params_[name], rel=1e-6), name
    total = theirs._negative_log_likelihood_ * len(repeat)
    assert gamma_fit.log_likelihood == pytest.approx(-total, rel=1e-6)


def test_gg_gradient_matches_finite_differences(cdnow: pd.DataFrame) -> None:
    repeat = cdnow[cdnow["frequency"] > 0]
    model = GammaGammaLikelihood(repeat["frequency"].to_numpy(float), repeat["zbar"].to_numpy())
    for point in ([6.25, 3.74, 15.44], [1.0, 2.0, 30.0]):
        point = np.array(point)
        numeric = _central_gradient(model.value, point)
        np.testing.assert_allclose(model.gradient(point), numeric, rtol=1e-6, atol=1e-6)


def test_gg_expected_spend_matches_lifetimes(cdnow, gamma_fit, lifetimes_models) -> None:
    _, ggf = lifetimes_models
    ours = gg_expected_spend(*gamma_fit, cdnow["frequency"], cdnow["zbar"])
    theirs = ggf.conditional_expected_average_profit(cdnow["frequency"], cdnow["zbar"])
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-10)
    p, q, gamma = gamma_fit
    # No repeat purchase: the population mean; many: close to the customer's own mean.
    assert gg_expected_spend(p, q, gamma, 0, 0) == pytest.approx(gamma * p / (q - 1))
    assert gg_expected_spend(p, q, gamma, 10_000, 50.0) == pytest.approx(50.0, rel=1e-3)


# --------------------------------------------------------------------------------------
# Predicted CLV
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "rate"), [(12, 0.01), (36, 0.0), (6, 0.05)])
def test_predicted_clv_matches_lifetimes(
    cdnow, bg_fit, gamma_fit, lifetimes_models, months: int, rate: float
) -> None:
    bgf, ggf = lifetimes_models
    x, t_x, big_t, zbar = (cdnow[c] for c in ("frequency", "recency", "T", "zbar"))
    ours = predicted_clv(
        *bg_fit,
        *gamma_fit,
        x,
        t_x,
        big_t,
        zbar,
        months=months,
        discount_rate=rate,
        time_unit="W",
    )
    theirs = ggf.customer_lifetime_value(
        bgf, x, t_x, big_t, zbar, time=months, discount_rate=rate, freq="W"
    )
    np.testing.assert_allclose(ours, theirs.to_numpy(), rtol=1e-8)
    with_margin = predicted_clv(
        *bg_fit,
        *gamma_fit,
        x,
        t_x,
        big_t,
        zbar,
        months=months,
        discount_rate=rate,
        margin=0.3,
    )
    np.testing.assert_allclose(with_margin, 0.3 * ours, rtol=1e-14)


def test_predicted_clv_in_days_matches_lifetimes(cdnow, bg_fit, gamma_fit) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    r, alpha, a, b = bg_fit
    days = {c: cdnow[c] * 7 for c in ("recency", "T")}
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series({"r": r, "alpha": alpha * 7, "a": a, "b": b})
    bgf.predict = bgf.conditional_expected_number_of_purchases_up_to_time
    ggf = lifetimes.GammaGammaFitter()
    ggf.params_ = pd.Series(dict(zip(("p", "q", "v"), gamma_fit, strict=True)))
    args = (cdnow["frequency"], days["recency"], days["T"], cdnow["zbar"])
    ours = predicted_clv(r, alpha * 7, a, b, *gamma_fit, *args, months=12, time_unit="D")
    theirs = ggf.customer_lifetime_value(bgf, *args, time=12, discount_rate=0.01, freq="D")
    np.testing.assert_allclose(ours, theirs.to_numpy(), rtol=1e-8)


def test_predicted_clv_is_the_discounted_sum_of_monthly_purchases() -> None:
    r, alpha, a, b = BGNBD_PUBLISHED.values()
    p, q, gamma = GG_PUBLISHED.values()
    history = (3, 20.0, 35.0)
    cumulative = [
        bgnbd_expected_purchases(r, alpha, a, b, i * 4.345, *history) for i in range(0, 4)
    ]
    spend = gg_expected_spend(p, q, gamma, 3, 40.0)
    expected = sum(
        (cumulative[i] - cumulative[i - 1]) * spend * 0.25 / 1.02**i for i in range(1, 4)
    )
    value = predicted_clv(
        r, alpha, a, b, p, q, gamma, *history, 40.0, months=3, discount_rate=0.02, margin=0.25
    )
    assert value == pytest.approx(expected, rel=1e-12)
    assert value > 0


# --------------------------------------------------------------------------------------
# Summary from transactions
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def master(cdnow_master: pd.DataFrame) -> pd.DataFrame:
    """Every CDNOW transaction (customer ids and dates as text)."""
    return cdnow_master


@pytest.fixture(scope="module")
def sample_to_master(cdnow_sample_ids: pd.Series) -> pd.Series:
    """Sample ID (1..2357) -> master customer_id, from CDNOW_sample.txt of lifetimes."""
    return cdnow_sample_ids


def test_summary_rebuilds_the_shipped_cdnow_sample(master, sample_to_master, cdnow) -> None:
    """Distinct days, weeks, observation end 1997-09-30 (the 39-week calibration period)."""
    summary = summary_from_transactions(
        master["customer_id"],
        master["date"],
        master["dollar_value"],
        observation_end="1997-09-30",
        time_unit="W",
        date_format="%Y%m%d",
    )
    assert len(summary) == 23570
    ours = summary.loc[sample_to_master.reindex(cdnow.index).to_numpy()]
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), cdnow["frequency"].to_numpy())
    np.testing.assert_allclose(ours["recency"], cdnow["recency"], atol=0.0051, rtol=0)
    np.testing.assert_allclose(ours["age"], cdnow["T"], atol=0.0051, rtol=0)
    np.testing.assert_allclose(ours["monetary_value"], cdnow["zbar"], atol=0.0051, rtol=0)
    assert ours["first_purchase"].min() == pd.Timestamp("1997-01-01")
    # The whole log to 1998-06-30 is *not* how the sample was built: T would be ~78 weeks.
    whole = summary_from_transactions(
        master["customer_id"], master["date"], date_format="%Y%m%d"
    ).loc[ours.index]
    assert whole["age"].min() > 60


def test_summary_counts_days_not_transactions(master, sample_to_master, cdnow) -> None:
    """zbar is the mean of daily totals; averaging single transactions would not match."""
    log = master[master["date"] <= "19970930"]
    sample_ids = sample_to_master.reindex(cdnow.index).to_numpy()
    log = log[log["customer_id"].isin(sample_ids)]
    same_day = log.duplicated(["customer_id", "date"], keep=False)
    assert same_day.sum() > 100  # the convention matters on this data
    first = log.groupby("customer_id")["date"].transform("min")
    per_transaction = (
        log[log["date"] > first]
        .groupby("customer_id")["dollar_value"]
        .mean()
        .reindex(sample_ids)
        .fillna(0.0)
    )
    mismatched = np.abs(per_transaction.to_numpy() - cdnow["zbar"].to_numpy()) > 0.0051
    assert mismatched.sum() > 10


def test_summary_matches_lifetimes_in_days(master) -> None:
    lifetimes_utils = pytest.importorskip("lifetimes.utils")
    log = master.assign(when=pd.to_datetime(master["date"], format="%Y%m%d"))
    theirs = lifetimes_utils.summary_data_from_transaction_data(
        log,
        "customer_id",
        "when",
        monetary_value_col="dollar_value",
        observation_period_end="1997-09-30",
        freq="D",
    )
    ours = summary_from_transactions(
        log["customer_id"],
        log["when"],
        log["dollar_value"],
        observation_end="1997-09-30",
        time_unit="D",
    ).loc[theirs.index]
    np.testing.assert_array_equal(ours["frequency"], theirs["frequency"])
    np.testing.assert_allclose(ours["recency"], theirs["recency"], rtol=1e-12)
    np.testing.assert_allclose(ours["age"], theirs["T"], rtol=1e-12)
    np.testing.assert_allclose(ours["monetary_value"], theirs["monetary_value"], rtol=1e-9)


def test_summary_small_example_by_hand() -> None:
    summary = summary_from_transactions(
        ["b", "a", "a", "a", "b", "c", "a", "d"],
        [
            "2024-01-08",
            "2024-01-01",
            "2024-01-01",  # same day: one purchase of 15
            "2024-01-15",
            "2024-01-08",  # same day for b: still no repeat purchase
            "2024-03-04",
            "2024-02-12",
            "2024-03-05",  # after the observation end: d is left out
        ],
        [30.0, 10.0, 5.0, 20.0, 1.0, 8.0, 40.0, 99.0],
        observation_end=dt.date(2024, 3, 4),
    )
    assert list(summary.index) == ["a", "b", "c"]
    assert summary.index.name == "customer_id"
    assert list(summary["frequency"]) == [2, 0, 0]
    np.testing.assert_allclose(summary["recency"], [6.0, 0.0, 0.0])
    np.testing.assert_allclose(summary["age"], [9.0, 8.0, 0.0])
    np.testing.assert_allclose(summary["monetary_value"], [30.0, 0.0, 0.0])
    assert summary.loc["a", "first_purchase"] == pd.Timestamp("2024-01-01")
    assert summary.loc["a", "last_purchase"] == pd.Timestamp("2024-02-12")
    days = summary_from_transactions(["a", "a"], ["2024-01-01", "2024-01-04"], time_unit="D")
    assert days.loc["a", "recency"] == 3.0
    assert "monetary_value" not in days.columns


def test_summary_date_kinds_agree() -> None:
    ids = [1, 2, 1, 1]
    iso = ["2023-05-01", "2023-05-02", "2023-05-20 18:30", "2023-06-01"]
    stamps = pd.to_datetime(iso, format="ISO8601")
    expected = summary_from_transactions(ids, iso, [1, 2, 3, 4])
    variants = [
        [d.date() for d in stamps],  # datetime.date
        list(stamps.to_pydatetime()),  # datetime.datetime
        stamps.to_numpy(),  # numpy datetime64
        pd.Series(stamps.tz_localize("Europe/Paris")),  # tz-aware: wall-clock days
        [45047, 45048, 45066.77, 45078],  # Excel serial numbers (time of day dropped)
        ["20230501", "20230502", "20230520", "20230601"],
    ]
    for dates in variants:
        fmt = "%Y%m%d" if isinstance(dates[0], str) else None
        got = summary_from_transactions(ids, dates, [1, 2, 3, 4], date_format=fmt)
        pd.testing.assert_frame_equal(got, expected)
    numbers = summary_from_transactions(
        ids, [20230501, 20230502, 20230520, 20230601], [1, 2, 3, 4], date_format="%Y%m%d"
    )
    pd.testing.assert_frame_equal(numbers, expected)
    end = summary_from_transactions(ids, iso, observation_end=45078)
    assert end.loc[1, "age"] == expected.loc[1, "age"]


def test_summary_is_vectorised_on_many_rows() -> None:
    """500,000 transactions against a plain groupby: same numbers."""
    rng = np.random.default_rng(5)
    n = 500_000
    ids = rng.integers(0, 50_000, n)
    days = np.datetime64("2022-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]")
    amounts = rng.gamma(2.0, 25.0, n).round(2)
    ours = summary_from_transactions(ids, days, amounts)
    daily = (
        pd.DataFrame({"id": ids, "day": days, "amount": amounts})
        .groupby(["id", "day"], as_index=False)["amount"]
        .sum()
    )
    grouped = daily.groupby("id")
    first, last = grouped["day"].min(), grouped["day"].max()
    frequency = grouped.size() - 1
    repeat = daily[daily["day"] > daily["id"].map(first)].groupby("id")["amount"].mean()
    np.testing.assert_array_equal(ours["frequency"], frequency.to_numpy())
    np.testing.assert_allclose(ours["recency"], (last - first).dt.days / 7)
    np.testing.assert_allclose(ours["age"], (days.max() - first).dt.days / 7)
    np.testing.assert_allclose(
        ours["monetary_value"], repeat.reindex(ours.index).fillna(0.0), rtol=1e-9, atol=1e-9
    )


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

P = BGNBD_PUBLISHED.values()


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            lambda: bgnbd_fit([1, 2], [3.0], [10, 10]),
            ["BGNBD_FIT", "frequency has 2", "recency has 1"],
        ),
        (
            lambda: bgnbd_fit([1, -2], [3, 4], [10, 10]),
            ["BGNBD_FIT", "frequency item 2", "below 0"],
        ),
        (lambda: bgnbd_fit([1, 2.5], [3, 4], [10, 10]), ["frequency item 2", "whole number"]),
        (lambda: bgnbd_fit([1, 2], [3, 12], [10, 10]), ["recency item 2 is 12, above age (10)"]),
        (lambda: bgnbd_fit([1, 2], [3, 0], [10, 10]), ["recency item 2 is 0 but frequency is 2"]),
        (lambda: bgnbd_fit([0, 2], [1, 4], [10, 10]), ["recency item 1 is 1 but frequency is 0"]),
        (lambda: bgnbd_fit([1, "x"], [3, 4], [10, 10]), ["frequency item 2 is the text 'x'"]),
        (lambda: bgnbd_fit([1, 2], [3, None], [10, 10]), ["recency item 2 is blank"]),
        (lambda: bgnbd_fit([1, 2], [3, 4], [10, float("nan")]), ["age item 2", "NaN"]),
        (lambda: bgnbd_fit([0, 0], [0, 0], [10, 10]), ["BGNBD_FIT", "no customer made a repeat"]),
        (lambda: bgnbd_fit(1, 3, 10), ["BGNBD_FIT", "one row per customer"]),
        (lambda: bgnbd_expected_purchases(*P, -1), ["BGNBD_PURCHASES", "t is -1"]),
        (lambda: bgnbd_expected_purchases(*P, 10, 2, 3), ["BGNBD_PURCHASES", "together"]),
        (lambda: bgnbd_expected_purchases(0, 4, 1, 2, 10), ["BGNBD_PURCHASES", "r is 0"]),
        (lambda: bgnbd_expected_purchases(*P, "#N/A"), ["BGNBD_PURCHASES", "#N/A"]),
        (
            lambda: bgnbd_expected_purchases(*P, [1, 2], [1, 2, 3], [1, 2, 3], [4, 4, 4]),
            ["BGNBD_PURCHASES", "t has 2 values but frequency has 3"],
        ),
        (lambda: bgnbd_p_alive(*P, 2, 40, 38), ["BGNBD_P_ALIVE", "recency is 40, above age"]),
        (lambda: bgnbd_p_alive(0.2, -4, 1, 2, 2, 3, 38), ["BGNBD_P_ALIVE", "alpha is -4"]),
        (lambda: bgnbd_p_alive(*P, True, 3, 38), ["BGNBD_P_ALIVE", "frequency", "TRUE"]),
        (
            lambda: gg_fit([1, 2, 3], [10, 20]),
            ["GG_FIT", "frequency has 3", "monetary_value has 2"],
        ),
        (lambda: gg_fit([1, 2, 3], [10, -20, 5]), ["GG_FIT", "monetary_value item 2", "below 0"]),
        (lambda: gg_fit([1, 2, 3], [10, 0, 5]), ["GG_FIT", "monetary_value item 2 is 0"]),
        (lambda: gg_fit([1, 0, 0], [10, 0, 0]), ["GG_FIT", "fewer than 2 customers"]),
        (lambda: gg_expected_spend(6, 0.9, 15, 2, 20), ["GG_SPEND", "q is 0.9", "q > 1"]),
        (lambda: gg_expected_spend(6, 3, 15, [2, 1], [20]), ["GG_SPEND", "has 2", "has 1"]),
        (lambda: gg_expected_spend(6, 3, 15, 2, "abc"), ["GG_SPEND", "monetary_value", "'abc'"]),
        (
            lambda: predicted_clv(*P, 6, 3, 15, 2, 30, 38, 20, months=0),
            ["PREDICTED_CLV", "months is 0"],
        ),
        (
            lambda: predicted_clv(*P, 6, 3, 15, 2, 30, 38, 20, discount_rate=-1),
            ["PREDICTED_CLV", "discount_rate"],
        ),
        (
            lambda: predicted_clv(*P, 6, 3, 15, 2, 30, 38, 20, margin=1.5),
            ["PREDICTED_CLV", "margin is 1.5"],
        ),
        (
            lambda: predicted_clv(*P, 6, 3, 15, 2, 30, 38, 20, time_unit="Y"),
            ["PREDICTED_CLV", "time_unit is 'Y'"],
        ),
        (
            lambda: predicted_clv(*P, 6, 3, 15, [2, 1], [30, 5], [38, 38], [20, 1, 2]),
            ["PREDICTED_CLV", "has 2 values", "monetary_value has 3"],
        ),
        (lambda: predicted_clv(*P, 6, 3, 15, 2, 0, 38, 20), ["PREDICTED_CLV", "recency is 0"]),
    ],
)
def test_bad_model_input_raises_clear_errors(call, words) -> None:
    with pytest.raises(CrmValueError) as info:
        call()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"customer_ids": [1, 2], "dates": ["2024-01-01"]}, ["customer_ids has 2", "dates has 1"]),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01", "2024-13-45"]},
            ["dates item 2 is the text '2024-13-45'", "not a date"],
        ),
        ({"customer_ids": [1, 2], "dates": ["2024-01-01", ""]}, ["dates item 2 is blank"]),
        ({"customer_ids": [1, 2], "dates": ["2024-01-01", True]}, ["dates item 2", "TRUE"]),
        ({"customer_ids": [1, 2], "dates": ["2024-01-01", 45000]}, ["dates item 2 is 45000"]),
        (
            {"customer_ids": [1, 2], "dates": ["20240101", "20241301"], "date_format": "%Y%m%d"},
            ["dates item 2", "'20241301'", "%Y%m%d"],
        ),
        ({"customer_ids": [1, 2], "dates": [45000, -3]}, ["dates item 2 is -3"]),
        (
            {"customer_ids": [1, None], "dates": ["2024-01-01"] * 2},
            ["customer_ids item 2 is blank"],
        ),
        (
            {"customer_ids": ["a", " "], "dates": ["2024-01-01"] * 2},
            ["customer_ids item 2 is blank"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "amounts": [5, -1]},
            ["amounts item 2 is -1, below 0"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "amounts": [5, "n/a"]},
            ["amounts item 2 is the text 'n/a'"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "amounts": [5]},
            ["customer_ids has 2 values but amounts has 1"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "observation_end": "2023-12-31"},
            ["observation_end is before every transaction"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "observation_end": "soon"},
            ["observation_end is the text 'soon', not a date"],
        ),
        (
            {"customer_ids": [1, 2], "dates": ["2024-01-01"] * 2, "time_unit": "M"},
            ["time_unit is 'M'"],
        ),
        ({"customer_ids": [], "dates": []}, ["customer_ids is empty"]),
        ({"customer_ids": 1, "dates": ["2024-01-01"]}, ["customer_ids is a single value"]),
    ],
)
def test_bad_transactions_raise_clear_errors(kwargs, words) -> None:
    with pytest.raises(CrmValueError) as info:
        summary_from_transactions(**kwargs)
    message = str(info.value)
    assert message.startswith("SUMMARY_FROM_TRANSACTIONS: ")
    for word in words:
        assert word in message


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

histories = st.integers(0, 40).flatmap(
    lambda x: st.tuples(
        st.just(x),
        st.just(0.0) if x == 0 else st.floats(0.01, 100.0),
        st.floats(0.0, 100.0),
    )
)
parameters = st.tuples(
    st.floats(0.05, 5.0), st.floats(0.1, 50.0), st.floats(0.05, 5.0), st.floats(0.05, 5.0)
)


@settings(max_examples=60, deadline=None)
@given(parameters, histories, st.floats(0.0, 200.0), st.floats(0.1, 50.0))
def test_predictions_are_sane(params, history, t, extra) -> None:
    x, t_x, extra_age = history
    age = t_x + extra_age
    alive = bgnbd_p_alive(*params, x, t_x, age)
    assert 0.0 <= alive <= 1.0
    soon = bgnbd_expected_purchases(*params, t, x, t_x, age)
    later = bgnbd_expected_purchases(*params, t + extra, x, t_x, age)
    assert 0.0 <= soon <= later


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.text(max_size=5), st.booleans(), st.just(float("inf")), st.just(-1.0)))
def test_bad_values_always_raise(value) -> None:
    for call in (
        lambda: bgnbd_p_alive(*P, value, 3.0, 10.0),
        lambda: bgnbd_expected_purchases(*P, value),
        lambda: gg_expected_spend(6.25, 3.74, 15.44, 2, value),
    ):
        with pytest.raises(CrmValueError):
            call()
