"""Holdout test of the Gamma-Gamma spend model on CDNOW (calibration to 1997-09-30, holdout
to 1998-06-30): the predicted side equals ``lifetimes``' conditional expected average
profit carrying our fitted parameters, and the actual side is recomputed here with plain
pandas from the raw log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import conditional_spend, gg_fit, validate_holdout

CALIBRATION_END, HOLDOUT_END = "1997-09-30", "1998-06-30"


@pytest.fixture(scope="module")
def log(cdnow_master: pd.DataFrame) -> pd.DataFrame:
    frame = cdnow_master.copy()
    frame["day"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


@pytest.fixture(scope="module")
def check(log: pd.DataFrame):
    return validate_holdout(
        log["customer_id"], log["day"], CALIBRATION_END, HOLDOUT_END, amounts=log["dollar_value"]
    )


def test_the_spend_model_is_fitted_on_the_calibration_repeat_buyers(check) -> None:
    customers = check.customers
    buyers = (customers["frequency"] > 0) & (customers["monetary_value"] > 0)
    fit = gg_fit(customers.loc[buyers, "frequency"], customers.loc[buyers, "monetary_value"])
    np.testing.assert_allclose(check.spend_fit.values, fit.values, rtol=1e-12)


def test_predicted_spend_matches_lifetimes(check) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    ggf = lifetimes.GammaGammaFitter()
    ggf.params_ = pd.Series(dict(zip(("p", "q", "v"), check.spend_fit.values, strict=True)))
    customers = check.customers
    compared = (
        (customers["frequency"] > 0)
        & (customers["monetary_value"] > 0)
        & (customers["holdout_purchases"] > 0)
    )
    theirs = ggf.conditional_expected_average_profit(
        customers.loc[compared, "frequency"], customers.loc[compared, "monetary_value"]
    )
    bins = np.minimum(customers.loc[compared, "frequency"], 7).astype(int)
    expected = theirs.groupby(bins.to_numpy()).mean()
    np.testing.assert_allclose(check.spend["predicted"], expected.to_numpy(), rtol=1e-9)
    assert check.spend["customers"].tolist() == bins.value_counts().sort_index().tolist()


def test_actual_spend_by_hand(check, log) -> None:
    by_day = log.groupby(["customer_id", "day"], as_index=False)["dollar_value"].sum()
    calibration = by_day[by_day["day"] <= CALIBRATION_END]
    holdout = by_day[(by_day["day"] > CALIBRATION_END) & (by_day["day"] <= HOLDOUT_END)]
    repeat = calibration.groupby("customer_id").apply(
        lambda days: days["dollar_value"].iloc[1:].mean() if len(days) > 1 else 0.0,
        include_groups=False,
    )
    x = calibration.groupby("customer_id").size() - 1
    per_purchase = holdout.groupby("customer_id")["dollar_value"].mean()
    buyers = x[(x > 0) & (repeat > 0)].index.intersection(per_purchase.index)
    bins = np.minimum(x[buyers], 7)
    actual = per_purchase[buyers].groupby(bins.to_numpy()).mean()
    np.testing.assert_allclose(check.spend["actual"], actual.to_numpy(), rtol=1e-12)


def test_the_spend_error_is_in_the_error_measures(check) -> None:
    spend = check.spend
    mae = np.mean(np.abs(spend["actual"] - spend["predicted"]))
    row = check.errors.loc["conditional spend"]
    assert row["rows"] == 7
    assert row["mean_absolute_error"] == pytest.approx(mae, rel=1e-12)
    assert row["percentage_error"] == pytest.approx(mae / spend["actual"].mean(), rel=1e-12)
    assert row["percentage_error"] < 0.1  # Gamma-Gamma predicts CDNOW's spend within 10%


def test_without_amounts_there_is_no_spend_test(log) -> None:
    check = validate_holdout(log["customer_id"], log["day"], CALIBRATION_END, HOLDOUT_END)
    assert check.spend is None and check.spend_fit is None
    assert "conditional spend" not in check.errors.index


def test_bad_input_is_named() -> None:
    with pytest.raises(CrmValueError, match="HOLDOUT_SPEND: max_frequency is 0"):
        conditional_spend(6.0, 3.0, 15.0, [1], [20.0], [1], [20.0], max_frequency=0)
    with pytest.raises(CrmValueError, match="HOLDOUT_SPEND: holdout_total"):
        conditional_spend(6.0, 3.0, 15.0, [1, 2], [20.0, 5.0], [1, 1], [20.0, -1.0])
