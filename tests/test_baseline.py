"""The measured baseline (crmvalue_core.baseline) against hand computations on CDNOW.

The log is the whole CDNOW transaction log, calibrated to 1997-09-30. Each driver is
recomputed here from the fitted parameters and the log itself: the histories by
``lifetimes``' own summary, the predictions by ``lifetimes`` (P(alive), expected purchases,
Gamma-Gamma expected spend), the year's survival by numerical integration over the
posterior of p, the first purchases by pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data
from scipy import integrate, special, stats

from crmvalue_core import CrmValueError
from crmvalue_core.baseline import measure_baseline
from crmvalue_core.cohort_tables import retention_table, sbg_fit_cohorts

END = "1997-09-30"
MARGIN = 0.3


@pytest.fixture(scope="module")
def measured(cdnow_master):
    return measure_baseline(
        cdnow_master.customer_id,
        cdnow_master.date,
        cdnow_master.dollar_value,
        END.replace("-", ""),
        margin=MARGIN,
        date_format="%Y%m%d",
    )


@pytest.fixture(scope="module")
def histories(cdnow_master):
    log = cdnow_master.assign(date=pd.to_datetime(cdnow_master.date, format="%Y%m%d"))
    days = summary_data_from_transaction_data(
        log,
        "customer_id",
        "date",
        monetary_value_col="dollar_value",
        observation_period_end=END,
        freq="D",
    )
    return days.assign(recency=days.recency / 7.0, T=days["T"] / 7.0)


def _bgf(driver):
    fitter = BetaGeoFitter()
    fitter.params_ = pd.Series({k: v for k, v in driver.provenance.parameters[:4]})
    return fitter


def test_active_customers_are_the_sum_of_p_alive(measured, histories):
    driver = measured["CustomersActive"]
    h = histories
    expected = _bgf(driver).conditional_probability_alive(h.frequency, h.recency, h["T"]).sum()
    assert driver.estimate == pytest.approx(expected, rel=1e-6)
    assert driver.provenance.customers == len(h) == 23570
    assert driver.provenance.period == ("1997-01-01", END)


def _survival(r, alpha, a, b, x, big_t, weeks=52.0):
    """E[exp(-lambda p weeks)] alive at T: lambda integrated in closed form, p numerically."""

    z = weeks / (alpha + big_t)
    # QAWS: the Beta density's endpoint singularities p^(a-1) (1-p)^(b+x-1) as the weight
    value = integrate.quad(
        lambda p: (1.0 + p * z) ** (-(r + x)),
        0.0,
        1.0,
        weight="alg",
        wvar=(a - 1.0, b + x - 1.0),
        epsabs=0.0,
        epsrel=1e-12,
    )[0]
    return value / special.beta(a, b + x)


def test_churn_is_the_share_of_the_living_gone_a_year_later(measured, histories):
    driver = measured["ChurnBaseline"]
    r, alpha, a, b = (v for _, v in driver.provenance.parameters)
    h = histories
    alive = _bgf(driver).conditional_probability_alive(h.frequency, h.recency, h["T"])
    pairs = h[["frequency", "T"]].drop_duplicates()
    surv = {(x, t): _survival(r, alpha, a, b, x, t) for x, t in pairs.itertuples(index=False)}
    s = np.array([surv[(x, t)] for x, t in zip(h.frequency, h["T"], strict=True)])
    expected = 1.0 - np.sum(alive * s) / np.sum(alive)
    assert driver.estimate == pytest.approx(expected, rel=1e-6)
    assert driver.p10 < driver.estimate < driver.p90


def test_margin_is_spend_times_purchases_per_active_customer(measured, histories):
    driver = measured["MarginPerCustomer"]
    params = dict(driver.provenance.parameters)
    h = histories
    bgf = _bgf(driver)
    ggf = GammaGammaFitter()
    ggf.params_ = pd.Series({"p": params["p"], "q": params["q"], "v": params["gamma"]})
    spend = ggf.conditional_expected_average_profit(h.frequency, h.monetary_value)
    bought = bgf.conditional_expected_number_of_purchases_up_to_time(
        52.0, h.frequency, h.recency, h["T"]
    )
    alive = bgf.conditional_probability_alive(h.frequency, h.recency, h["T"])
    expected = MARGIN * np.sum(spend * bought) / np.sum(alive)
    assert driver.estimate == pytest.approx(expected, rel=1e-6)
    assert driver.p10 < driver.estimate < driver.p90


def test_new_customers_without_a_full_year_are_scaled_to_a_year(measured, cdnow_master):
    driver = measured["NewCustomersPerYear"]
    first = (
        pd.to_datetime(cdnow_master.date, format="%Y%m%d").groupby(cdnow_master.customer_id).min()
    )
    days = (pd.Timestamp(END) - pd.Timestamp("1997-01-01")).days + 1
    assert driver.estimate == pytest.approx((first <= END).sum() * 365 / days, rel=1e-12)
    assert any("no full calendar year" in w for w in measured.warnings)
    assert any("less than a year" in w for w in measured.warnings)


def test_new_customers_are_the_first_purchases_of_the_full_year(cdnow_master):
    # the whole log runs to 1998-06-30: 1997 is its one full calendar year
    result = measure_baseline(
        cdnow_master.customer_id, cdnow_master.date, date_format="%Y%m%d", draws=20
    )
    first = (
        pd.to_datetime(cdnow_master.date, format="%Y%m%d").groupby(cdnow_master.customer_id).min()
    )
    driver = result["NewCustomersPerYear"]
    assert driver.estimate == (first.dt.year == 1997).sum()
    assert driver.provenance.period == ("1997-01-01", "1997-12-31")
    assert (driver.p10, driver.p90) == tuple(stats.poisson.ppf([0.1, 0.9], driver.estimate))


def test_new_customers_are_the_mean_of_the_last_three_full_years():
    from crmvalue_core.baseline.measure import _new_customers

    # hand count of first purchases: 2020 (not full) 1, 2021: 1, 2022: 2, 2023: 3, 2024: 1
    codes = np.array([0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 6, 7])
    dates = [
        "2020-03-01",
        "2020-05-01",
        "2021-02-01",
        "2021-08-01",
        "2022-01-01",
        "2022-03-01",
        "2022-06-06",
        "2023-01-01",
        "2023-05-05",
        "2023-07-07",
        "2023-08-08",
        "2024-12-31",
    ]
    days = np.array(dates, dtype="datetime64[D]").astype(np.int64)
    driver = _new_customers(codes, days, int(days.min()), int(days.max()), [])
    assert driver.estimate == pytest.approx((2 + 3 + 1) / 3)
    assert driver.provenance.period == ("2022-01-01", "2024-12-31")


def test_intervals_repeat_with_the_seed_and_move_with_another(cdnow_master):
    head = cdnow_master.iloc[:20000]
    runs = [
        measure_baseline(
            head.customer_id, head.date, head.dollar_value, draws=100, seed=s, date_format="%Y%m%d"
        )
        for s in (1, 1, 2)
    ]
    first, again, other = (r["ChurnBaseline"] for r in runs)
    assert (first.p10, first.p90) == (again.p10, again.p90)
    assert first.p10 != other.p10
    assert first.estimate == other.estimate


def test_contract_churn_is_one_minus_a_year_of_sbg_retention(cdnow_master):
    rng = np.random.default_rng(3)
    n = 3000
    starts = np.datetime64("1996-06-01") + rng.integers(0, 700, n)
    theta = rng.beta(1.2, 6.0, n)
    months = rng.geometric(theta)
    ends = starts + (months * 30.4).astype(int)
    end = np.datetime64("1998-06-30")
    ends_or_blank = [None if e > end else e for e in ends]
    log = cdnow_master
    result = measure_baseline(
        log.customer_id,
        log.date,
        date_format="%Y%m%d",
        observation_end="19980630",
        customer_starts=starts,
        customer_ends=ends_or_blank,
        draws=100,
    )
    driver = result["ChurnBaseline"]
    fit = sbg_fit_cohorts(retention_table(starts, ends_or_blank, "M", as_of=str(end)))
    alpha, beta = fit.values
    survival = 1.0
    for t in range(1, 13):  # P(T > t) = P(T > t-1) (beta + t - 1) / (alpha + beta + t - 1)
        survival *= (beta + t - 1) / (alpha + beta + t - 1)
    assert driver.estimate == pytest.approx(1.0 - survival, rel=1e-9)
    assert driver.provenance.model == "sBG cohorts"


def test_a_log_too_short_for_a_year_of_churn_is_refused():
    with pytest.raises(CrmValueError, match=r"BASELINE_TABLE: the log covers 31 days .*longer log"):
        measure_baseline(["a", "a", "b"], ["2024-01-01", "2024-01-20", "2024-01-31"])


def test_a_log_without_repeat_purchases_is_refused():
    with pytest.raises(CrmValueError, match=r"none of the 3 customers bought again"):
        measure_baseline(["a", "b", "c"], ["2024-01-01", "2024-03-20", "2024-07-31"])


def test_a_customer_who_ends_before_starting_is_refused(cdnow_master):
    head = cdnow_master.iloc[:3000]
    with pytest.raises(
        CrmValueError,
        match=r"customer 2 ends on 2024-01-01, before the start "
        r"2024-02-01; correct the dates of row 2",
    ):
        measure_baseline(
            head.customer_id,
            head.date,
            date_format="%Y%m%d",
            customer_starts=["2023-01-01", "2024-02-01"],
            customer_ends=[None, "2024-01-01"],
        )


@settings(max_examples=15, deadline=None)
@given(
    r=st.floats(0.1, 3.0),
    alpha=st.floats(0.5, 30.0),
    a=st.floats(0.2, 3.0),
    b=st.floats(0.2, 5.0),
    x=st.integers(0, 20),
    big_t=st.floats(1.0, 200.0),
)
def test_a_years_survival_matches_the_integral(r, alpha, a, b, x, big_t):
    from crmvalue_core.baseline import _drivers as drv

    h = drv.group_histories(
        np.array([x]), np.array([min(big_t, x)]), np.array([big_t]), np.zeros(1)
    )
    value = drv.survival(np.array([[r, alpha, a, b]]), h)[0, 0]
    assert 0.0 < value <= 1.0
    assert value == pytest.approx(_survival(r, alpha, a, b, x, big_t), rel=1e-7)


def test_the_intervals_are_the_percentiles_of_joint_draws(measured):
    samples = measured.samples()
    assert samples.shape == (measured.draws, 4)
    for driver in measured.drivers[:3]:
        low, high = np.percentile(samples[driver.name], [10, 90])
        assert (driver.p10, driver.p90) == (low, high)
    # the new customers' P10/P90 are the Poisson quantiles; the samples Poisson draws
    new = measured["NewCustomersPerYear"]
    low, high = np.percentile(samples[new.name], [10, 90])
    assert low == pytest.approx(new.p10, rel=2e-3) and high == pytest.approx(new.p90, rel=2e-3)
    # one BG/NBD draw gives all three model drivers: more customers alive, less churn
    assert samples["CustomersActive"].corr(samples["ChurnBaseline"]) < -0.5
