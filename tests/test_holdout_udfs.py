"""The holdout Excel functions through xlwings' classic machinery, on part of CDNOW.

``tests/test_udfs.py`` runs every registry example (and the bad-input checks) through the
UDF layer; here a workbook's chain of formulas on the first 2,000 CDNOW customers' log,
dates as date cells: HOLDOUT_SUMMARY -> BGNBD_FIT -> HOLDOUT_CONDITIONAL, BGNBD_HISTOGRAM,
HOLDOUT_TRACKING, each checked against ``lifetimes`` with the same parameters.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from addin.excel.registry import REGISTRY
from tests.xlwings_harness import ComRange, classic_xlwings

CALIBRATION_END = dt.datetime(1997, 9, 30)
HOLDOUT_END = dt.datetime(1998, 6, 30)
EXCEL_DAY_0 = dt.datetime(1899, 12, 30)


@pytest.fixture(scope="module")
def log(cdnow_master: pd.DataFrame) -> pd.DataFrame:
    """The transactions of the first 2,000 customers, with dates."""
    part = cdnow_master[cdnow_master["customer_id"] <= "02000"].copy()
    part["day"] = pd.to_datetime(part["date"], format="%Y%m%d")
    return part


def _table(rows: list[list]) -> pd.DataFrame:
    assert all(isinstance(name, str) for name in rows[0])
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture(scope="module")
def sheet(log):
    """What the chain of formulas shows, and the lifetimes fitter with the sheet's fit."""
    lifetimes = pytest.importorskip("lifetimes")
    ids = ComRange.column(log["customer_id"].tolist())
    dates = ComRange.column([d.to_pydatetime() for d in log["day"]])
    with classic_xlwings() as xl:
        summary = _table(
            xl.call(
                "HOLDOUT_SUMMARY",
                ids,
                dates,
                ComRange([[CALIBRATION_END]]),
                ComRange([[HOLDOUT_END]]),
                ComRange.column(log["dollar_value"].tolist()),
            )
        )
        column = {
            name: ComRange.column(summary[name].tolist())
            for name in ("frequency", "recency", "age", "holdout_purchases")
        }
        fit = xl.call("BGNBD_FIT", column["frequency"], column["recency"], column["age"])[0]
        params = [ComRange([[value]]) for value in fit]
        conditional = _table(
            xl.call(
                "HOLDOUT_CONDITIONAL",
                *params,
                column["frequency"],
                column["recency"],
                column["age"],
                column["holdout_purchases"],
                ComRange([[summary["holdout_duration"].iloc[0]]]),
            )
        )
        histogram = _table(xl.call("BGNBD_HISTOGRAM", *params, column["frequency"], column["age"]))
        tracking = _table(
            xl.call(
                "HOLDOUT_TRACKING",
                *params,
                ids,
                dates,
                ComRange([[CALIBRATION_END]]),
                ComRange([[HOLDOUT_END]]),
            )
        )
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(dict(zip(("r", "alpha", "a", "b"), fit, strict=True)))
    return {
        "summary": summary,
        "conditional": conditional,
        "histogram": histogram,
        "tracking": tracking,
        "bgf": bgf,
    }


def test_summary_matches_lifetimes(sheet, log) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = lifetimes.utils.calibration_and_holdout_data(
            log,
            "customer_id",
            "day",
            CALIBRATION_END,
            HOLDOUT_END,
            freq="D",
            freq_multiplier=7,
            monetary_value_col="dollar_value",
        )
    summary = sheet["summary"].set_index("customer_id")
    assert list(summary.index) == list(theirs.index)  # ids stay text: "00001"
    for mine, their in [
        ("frequency", "frequency_cal"),
        ("recency", "recency_cal"),
        ("age", "T_cal"),
        ("holdout_purchases", "frequency_holdout"),
        ("holdout_duration", "duration_holdout"),
        ("monetary_value", "monetary_value_cal"),
    ]:
        np.testing.assert_allclose(summary[mine], theirs[their], rtol=1e-12, err_msg=mine)


def test_conditional_matches_lifetimes(sheet) -> None:
    s = sheet["summary"]
    predicted = sheet["bgf"].conditional_expected_number_of_purchases_up_to_time(
        s["holdout_duration"], s["frequency"], s["recency"], s["age"]
    )
    frame = pd.DataFrame(
        {"bin": s["frequency"].clip(upper=7), "y": s["holdout_purchases"], "p": predicted}
    )
    means = frame.groupby("bin")[["y", "p"]].mean()
    table = sheet["conditional"]
    filled = table["customers"] > 0
    assert filled.all()  # 2,000 customers fill every group
    np.testing.assert_allclose(table["actual"], means["y"], rtol=1e-12)
    np.testing.assert_allclose(table["predicted"], means["p"], rtol=1e-6)
    assert (table["note"] == "").all()


def test_histogram_matches_lifetimes(sheet) -> None:
    ages = sheet["summary"]["age"]
    p = np.array(
        [[sheet["bgf"].probability_of_n_purchases_up_to_time(t, n) for n in range(7)] for t in ages]
    )
    expected = np.column_stack([p, 1 - p.sum(axis=1)]).sum(axis=0)
    np.testing.assert_allclose(sheet["histogram"]["expected"], expected, rtol=1e-9)


def test_tracking_matches_lifetimes(sheet, log) -> None:
    lifetimes = pytest.importorskip("lifetimes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = lifetimes.utils.expected_cumulative_transactions(
            sheet["bgf"], log[["customer_id", "day"]], "day", "customer_id", 546, freq_multiplier=7
        )
    table = sheet["tracking"]
    assert len(table) == 78
    np.testing.assert_allclose(table["expected"], theirs["predicted"], rtol=1e-6)
    np.testing.assert_array_equal(table["actual"], theirs["actual"])
    ends = [EXCEL_DAY_0 + dt.timedelta(days=serial) for serial in table["period_end"]]
    assert ends[0] == dt.datetime(1997, 1, 7) and ends[-1] == HOLDOUT_END


def test_the_tracking_example_matches_lifetimes() -> None:
    lifetimes = pytest.importorskip("lifetimes")
    example = REGISTRY["HOLDOUT_TRACKING"].examples[0]
    log = pd.DataFrame(
        {
            "id": ["A", "A", "B", "A"],
            "day": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-01-03", "2024-01-20"]),
        }
    )
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    theirs = lifetimes.utils.expected_cumulative_transactions(
        bgf, log, "day", "id", 21, freq_multiplier=7
    )
    rows = example.result[1:]
    np.testing.assert_allclose([row[4] for row in rows], theirs["predicted"], rtol=1e-9)
    assert [row[3] for row in rows] == theirs["actual"].tolist()
