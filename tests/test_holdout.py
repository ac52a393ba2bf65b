"""Holdout validation of BG/NBD: P(X(t) = x) and the calibration/holdout tables.

Checked against ``lifetimes`` 0.11 on the CDNOW master log (calibration to 1997-09-30,
holdout to 1998-06-30, as in Fader, Hardie & Lee 2005), with lifetimes carrying *our*
fitted parameters so that the formulas alone are compared; the actual side of every
table is recomputed here with plain pandas from the raw log.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import (
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_prob_purchases,
    calibration_holdout_summary,
    conditional_expectations,
    error_measures,
    holdout_conditional,
    repeat_purchase_histogram,
    tracking_table,
    validate_holdout,
)

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"
#: Days from the log's first day (1997-01-01) to the day after the holdout end: 78 weeks.
TRACKING_DAYS = 546


@pytest.fixture(scope="module")
def log(cdnow_master: pd.DataFrame) -> pd.DataFrame:
    """The master log with real dates."""
    frame = cdnow_master.copy()
    frame["day"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


@pytest.fixture(scope="module")
def check(log: pd.DataFrame):
    return validate_holdout(
        log["customer_id"],
        log["day"],
        CALIBRATION_END,
        HOLDOUT_END,
        amounts=log["dollar_value"],
    )


@pytest.fixture(scope="module")
def lifetimes_bgf(check):
    """A lifetimes BG/NBD fitter carrying our calibration fit."""
    lifetimes = pytest.importorskip("lifetimes")
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(check.fit.params)
    return bgf


@pytest.fixture(scope="module")
def days(log: pd.DataFrame) -> pd.DataFrame:
    """Distinct purchase days of each customer (plain pandas), with the day's spend."""
    by_day = log.groupby(["customer_id", "day"], as_index=False)["dollar_value"].sum()
    by_day["first"] = by_day.groupby("customer_id")["day"].transform("min")
    return by_day


# --------------------------------------------------------------------------------------
# P(X(t) = x)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [2.0, 30.0, 39.0])
def test_probability_of_purchases_matches_lifetimes(cdnow_summary, t: float) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    fit = bgnbd_fit(cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"])
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(fit.params)
    x = np.arange(21)
    ours = bgnbd_prob_purchases(*fit, t, x)
    theirs = np.array([bgf.probability_of_n_purchases_up_to_time(t, n) for n in x])
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
    for n in x:  # one value at a time gives the same
        assert bgnbd_prob_purchases(*fit, t, int(n)) == pytest.approx(theirs[n], rel=1e-9)


_params = st.tuples(
    st.floats(0.05, 5.0), st.floats(0.5, 50.0), st.floats(0.1, 5.0), st.floats(0.1, 5.0)
)


@settings(max_examples=60, deadline=None)
@given(params=_params, t=st.floats(0.0, 100.0))
def test_probabilities_are_a_distribution_with_the_expected_mean(params, t: float) -> None:
    x = np.arange(4000)
    probability = bgnbd_prob_purchases(*params, t, x)
    assert np.all((probability >= 0) & (probability <= 1 + 1e-12))
    tail = 1.0 - probability.sum()
    if tail < 1e-10:  # the tail beyond 4000 purchases is negligible: eq. (8) sums to 1
        assert probability.sum() == pytest.approx(1.0, abs=1e-9)
        # and its mean is eq. (9), the expected purchases
        mean = float(x @ probability)
        assert mean == pytest.approx(bgnbd_expected_purchases(*params, t), rel=1e-6, abs=1e-9)


def test_probability_of_purchases_bad_input() -> None:
    with pytest.raises(CrmValueError, match=r"BGNBD_PROB_PURCHASES: x is 1\.5"):
        bgnbd_prob_purchases(0.2, 4, 0.8, 2.4, 39, 1.5)
    with pytest.raises(CrmValueError, match="BGNBD_PROB_PURCHASES: t is -1"):
        bgnbd_prob_purchases(0.2, 4, 0.8, 2.4, -1, 1)
    with pytest.raises(CrmValueError, match="t has 2 values but x has 3"):
        bgnbd_prob_purchases(0.2, 4, 0.8, 2.4, [1, 2], [0, 1, 2])


# --------------------------------------------------------------------------------------
# The calibration/holdout summary
# --------------------------------------------------------------------------------------


def test_summary_matches_lifetimes_calibration_and_holdout_data(check, log) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = lifetimes.utils.calibration_and_holdout_data(
            log,
            "customer_id",
            "day",
            calibration_period_end=CALIBRATION_END,
            observation_period_end=HOLDOUT_END,
            freq="D",
            freq_multiplier=7,
            monetary_value_col="dollar_value",
        )
    ours = check.customers
    assert len(ours) == len(theirs) == 23570
    theirs = theirs.loc[ours.index]
    pairs = {
        "frequency": "frequency_cal",
        "recency": "recency_cal",
        "age": "T_cal",
        "monetary_value": "monetary_value_cal",
        "holdout_purchases": "frequency_holdout",
        "holdout_duration": "duration_holdout",
    }
    for mine, their in pairs.items():
        np.testing.assert_allclose(ours[mine], theirs[their], rtol=1e-12, err_msg=mine)
    assert ours["holdout_duration"].iloc[0] == pytest.approx(273 / 7)


def test_summary_holdout_spend_by_hand(check, log) -> None:
    holdout = log[(log["day"] > CALIBRATION_END) & (log["day"] <= HOLDOUT_END)]
    spend = holdout.groupby("customer_id")["dollar_value"].sum()
    ours = check.customers["holdout_spend"]
    np.testing.assert_allclose(ours.loc[spend.index], spend, rtol=1e-12)
    assert (ours.drop(spend.index) == 0).all()


def test_summary_calibration_columns_equal_the_transaction_summary(check, log) -> None:
    from crmvalue_core.transactions import summary_from_transactions

    summary = summary_from_transactions(
        log["customer_id"], log["day"], log["dollar_value"], observation_end=CALIBRATION_END
    )
    columns = ["frequency", "recency", "age", "monetary_value", "first_purchase"]
    pd.testing.assert_frame_equal(check.customers[columns], summary[columns])


def test_fit_is_the_calibration_fit(check) -> None:
    c = check.customers
    assert check.fit == bgnbd_fit(c["frequency"], c["recency"], c["age"])


# --------------------------------------------------------------------------------------
# The tables against lifetimes and plain pandas
# --------------------------------------------------------------------------------------


def test_conditional_expectations_match_lifetimes(check, lifetimes_bgf, days) -> None:
    c = check.customers
    predicted = lifetimes_bgf.conditional_expected_number_of_purchases_up_to_time(
        c["holdout_duration"], c["frequency"], c["recency"], c["age"]
    )
    # the actual side from the raw log: purchase days in the holdout, by calibration bin
    cal = days[days["day"] <= CALIBRATION_END]
    frequency = cal.groupby("customer_id").size() - 1
    in_holdout = days[(days["day"] > CALIBRATION_END) & (days["day"] <= HOLDOUT_END)]
    actual = in_holdout.groupby("customer_id").size().reindex(frequency.index, fill_value=0)
    frame = pd.DataFrame(
        {
            "bin": frequency.clip(upper=7),
            "actual": actual,
            "predicted": predicted.loc[frequency.index],
        }
    )
    expected = frame.groupby("bin").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    table = check.conditional
    assert table["repeat_purchases"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    np.testing.assert_array_equal(table["customers"], expected["customers"])
    np.testing.assert_allclose(table["actual"], expected["actual"], rtol=1e-12)
    np.testing.assert_allclose(table["predicted"], expected["predicted"], rtol=1e-6)
    assert (table["note"] == "").all()


def test_tracking_matches_lifetimes(check, log, lifetimes_bgf) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = lifetimes.utils.expected_cumulative_transactions(
            lifetimes_bgf,
            log[["customer_id", "day"]],
            "day",
            "customer_id",
            TRACKING_DAYS,
            freq="D",
            freq_multiplier=7,
        )
    table = check.tracking
    assert len(table) == len(theirs) == 78
    np.testing.assert_allclose(table["expected"], theirs["predicted"], rtol=1e-6)
    np.testing.assert_array_equal(table["actual"], theirs["actual"])
    assert table["period_end"].iloc[-1] == pd.Timestamp(HOLDOUT_END)
    assert table["period_end"].iloc[0] == pd.Timestamp("1997-01-07")
    # 39 weeks end on or before 09-30 (day 272 from 1997-01-01 is the last of week 39)
    assert (table["phase"] == "calibration").sum() == 39


def test_tracking_actual_by_hand(check, days) -> None:
    repeat = days[days["day"] > days["first"]]
    ends = check.tracking["period_end"]
    by_hand = [int((repeat["day"] <= end).sum()) for end in ends]
    assert check.tracking["actual"].tolist() == by_hand
    np.testing.assert_array_equal(
        check.tracking["actual_in_period"].cumsum(), check.tracking["actual"]
    )


def test_tracking_last_period_shorter_when_weeks_do_not_fit(log) -> None:
    table = tracking_table(
        0.243, 4.414, 0.793, 2.426, log["customer_id"], log["day"], CALIBRATION_END, "1998-06-27"
    )
    # 543 days from 1997-01-01 to 1998-06-27: 77 weeks and a last period of 4 days
    assert len(table) == 78
    assert table["period_end"].iloc[-2] == pd.Timestamp("1998-06-23")
    assert table["period_end"].iloc[-1] == pd.Timestamp("1998-06-27")
    first = log.groupby("customer_id")["day"].min()
    elapsed = (pd.Timestamp("1998-06-28") - first).dt.days / 7
    by_hand = bgnbd_expected_purchases(0.243, 4.414, 0.793, 2.426, elapsed.to_numpy()).sum()
    assert table["expected"].iloc[-1] == pytest.approx(by_hand, rel=1e-10)


def test_histogram_matches_lifetimes_probabilities(check, lifetimes_bgf, days) -> None:
    c = check.customers
    ages, counts = np.unique(c["age"], return_counts=True)
    theirs = np.zeros(8)
    for age, count in zip(ages, counts, strict=True):
        p = [lifetimes_bgf.probability_of_n_purchases_up_to_time(age, n) for n in range(7)]
        theirs += count * np.array([*p, 1.0 - sum(p)])
    table = check.histogram
    np.testing.assert_allclose(table["expected"], theirs, rtol=1e-9)
    assert table["expected"].sum() == pytest.approx(len(c), rel=1e-12)
    cal = days[days["day"] <= CALIBRATION_END]
    by_hand = (cal.groupby("customer_id").size() - 1).clip(upper=7).value_counts().sort_index()
    assert table["customers"].tolist() == by_hand.tolist()


def test_error_measures_by_hand(check) -> None:
    t = check.tracking
    holdout = t[t["phase"] == "holdout"]
    mae = np.mean(np.abs(holdout["actual"] - holdout["expected"]))
    row = check.errors.loc["tracking, holdout periods"]
    assert row["rows"] == 39
    assert row["mean_absolute_error"] == pytest.approx(mae, rel=1e-12)
    assert row["percentage_error"] == pytest.approx(mae / holdout["actual"].mean(), rel=1e-12)
    c = check.conditional
    mae = np.mean(np.abs(c["actual"] - c["predicted"]))
    assert check.errors.loc["conditional expectations", "mean_absolute_error"] == pytest.approx(
        mae, rel=1e-12
    )
    # BG/NBD tracks CDNOW's holdout well: within a few percent (the paper's figure 3)
    assert check.errors["percentage_error"].max() < 0.1


# --------------------------------------------------------------------------------------
# Bad input: one clear message each
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [CALIBRATION_END, "1997-06-30"])
def test_holdout_end_not_after_calibration_end(log, end) -> None:
    with pytest.raises(CrmValueError, match=f"holdout_end {end} is not after calibration_end"):
        validate_holdout(log["customer_id"], log["day"], CALIBRATION_END, end)
    with pytest.raises(CrmValueError, match="HOLDOUT_TRACKING: holdout_end"):
        tracking_table(1, 1, 1, 1, ["A"], ["1997-01-01"], CALIBRATION_END, end)


def test_no_transaction_before_the_calibration_end(log) -> None:
    with pytest.raises(
        CrmValueError,
        match=re.escape(
            "no transaction falls on or before calibration_end 1996-12-31 (the first is on "
            "1997-01-01); give a later calibration end"
        ),
    ):
        calibration_holdout_summary(log["customer_id"], log["day"], "1996-12-31", HOLDOUT_END)


def test_bad_log_values_are_named_under_the_function() -> None:
    with pytest.raises(CrmValueError, match=r"^HOLDOUT_SUMMARY: dates item 2 is the text 'soon'"):
        calibration_holdout_summary(["A", "B"], ["2024-01-01", "soon"], "2024-02-01", "2024-03-01")
    with pytest.raises(CrmValueError, match=r"^HOLDOUT_SUMMARY: calibration_end is the text"):
        calibration_holdout_summary(["A"], ["2024-01-01"], "later", "2024-03-01")
    with pytest.raises(CrmValueError, match="customer_ids has 2 values but dates has 1"):
        calibration_holdout_summary(["A", "B"], ["2024-01-01"], "2024-02-01", "2024-03-01")


def test_an_empty_bin_is_a_note_not_a_number() -> None:
    table = conditional_expectations(
        0.243, 4.414, 0.793, 2.426, [0, 3], [0, 20.0], [30, 30], [0, 2], 10, max_frequency=3
    )
    empty = table[table["customers"] == 0]
    assert empty["repeat_purchases"].tolist() == ["1", "2"]
    assert empty[["actual", "predicted"]].isna().all().all()
    assert empty["note"].tolist() == [
        "no customer with 1 repeat purchase(s)",
        "no customer with 2 repeat purchase(s)",
    ]
    rows = holdout_conditional(
        0.243, 4.414, 0.793, 2.426, [0, 3], [0, 20.0], [30, 30], [0, 2], 10, 3
    )
    assert rows[2] == ["1", 0.0, "", "", "no customer with 1 repeat purchase(s)"]
    assert all(not (isinstance(v, float) and np.isnan(v)) for row in rows for v in row)


def test_conditional_bad_input() -> None:
    with pytest.raises(CrmValueError, match="HOLDOUT_CONDITIONAL: holdout_purchases item 2"):
        conditional_expectations(1, 1, 1, 2, [0, 1], [0, 1], [3, 3], [0, 1.5], 3)
    with pytest.raises(CrmValueError, match="frequency has 2 values but holdout_purchases has 3"):
        conditional_expectations(1, 1, 1, 2, [0, 1], [0, 1], [3, 3], [0, 1, 2], 3)
    with pytest.raises(CrmValueError, match="max_frequency is 0"):
        repeat_purchase_histogram(1, 1, 1, 2, [0, 1], [3, 3], 0)


def test_error_measures_without_actuals_say_so() -> None:
    tracking = pd.DataFrame({"phase": ["holdout"], "actual": [0], "expected": [0.5]})
    conditional = pd.DataFrame({"actual": [np.nan], "predicted": [np.nan]})
    errors = error_measures(tracking, conditional)
    assert errors.loc["tracking, holdout periods", "note"].startswith("the actual values are")
    assert errors.loc["conditional expectations", "note"] == "no rows to compare"


# --------------------------------------------------------------------------------------
# Properties on random logs
# --------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 120)), min_size=1, max_size=60),
    cal=st.integers(0, 100),
    holdout=st.integers(1, 60),
    step=st.integers(1, 10),
)
def test_tables_add_up_on_any_log(rows, cal, holdout, step) -> None:
    ids = [f"C{i}" for i, _ in rows]
    dates = [np.datetime64("2024-01-01") + day for _, day in rows]
    start = min(day for _, day in rows)
    cal_day = np.datetime64("2024-01-01") + start + cal
    end_day = cal_day + holdout
    params = (0.5, 5.0, 0.8, 2.5)
    summary = calibration_holdout_summary(ids, dates, cal_day, end_day)
    # every customer who bought on or before the calibration end, once
    log = pd.DataFrame({"id": ids, "day": pd.to_datetime(dates)}).drop_duplicates()
    first = log.groupby("id")["day"].min()
    assert sorted(summary.index) == sorted(first[first <= cal_day].index)
    in_holdout = log[(log["day"] > cal_day) & (log["day"] <= end_day)]
    assert summary["holdout_purchases"].sum() == in_holdout["id"].isin(summary.index).sum()

    conditional = conditional_expectations(
        *params, summary["frequency"], summary["recency"], summary["age"],
        summary["holdout_purchases"], summary["holdout_duration"], max_frequency=3,
    )  # fmt: skip
    assert conditional["customers"].sum() == len(summary)
    filled = conditional["customers"] > 0
    assert conditional.loc[filled, ["actual", "predicted"]].notna().all().all()
    assert conditional.loc[~filled, ["actual", "predicted"]].isna().all().all()
    assert (conditional.loc[~filled, "note"] != "").all()

    histogram = repeat_purchase_histogram(*params, summary["frequency"], summary["age"], 3)
    assert histogram["expected"].sum() == pytest.approx(len(summary), rel=1e-9)
    assert (histogram["expected"] >= -1e-12).all()

    tracking = tracking_table(*params, ids, dates, cal_day, end_day, step)
    repeats = len(log[log["day"] <= end_day]) - len(first[first <= end_day])
    assert tracking["actual"].iloc[-1] == repeats
    assert tracking["period_end"].iloc[-1] == pd.Timestamp(end_day)
    assert (np.diff(tracking["expected"]) >= -1e-12).all()  # cumulative: never falls


def test_a_log_that_does_not_identify_the_model_says_so() -> None:
    # purchases at random days with no dropout at all: the fit runs to the edge where
    # nobody leaves; the fitter says so in words, once, with no warning
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 300, 3000)
    dates = np.datetime64("2024-01-01") + rng.integers(0, 364, 3000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CrmValueError, match="almost no customer stops buying"):
            validate_holdout(ids, dates, "2024-09-30", "2024-12-29")
