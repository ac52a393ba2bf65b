"""Holdout validation of the BG/NBD model: does the model predict what the customers did next?

Split a transaction log at a *calibration end*: fit the model on the purchases up to it,
predict the *holdout* period after it (to the *holdout end*), and set the predictions
against what the customers actually did (Fader, Hardie & Lee 2005, section 4):

* :func:`calibration_holdout_summary` -- per customer, the calibration history
  (frequency, recency, age, monetary value) and the holdout actuals (repeat purchases and
  spend in the holdout, the holdout's length);
* :func:`conditional_expectations` -- by repeat purchases in calibration (0, 1, ..., 7+):
  customers, mean actual and mean predicted repeat purchases in the holdout;
* :func:`tracking_table` -- per period (a week by default), the actual and expected
  cumulative repeat purchases of the whole base over calibration and holdout;
* :func:`repeat_purchase_histogram` -- customers by repeat purchases in calibration, actual
  against expected;
* :func:`error_measures` -- mean absolute error of the tracking and conditional tables,
  and as a share of the mean actual;
* :func:`validate_holdout` -- all of it from one log, in a :class:`HoldoutValidation`.

``holdout_summary``, ``holdout_conditional``, ``bgnbd_histogram`` and
``holdout_tracking`` are the same tables as lists of rows with a header, the Excel
functions HOLDOUT_SUMMARY, HOLDOUT_CONDITIONAL, BGNBD_HISTOGRAM and HOLDOUT_TRACKING.

Purchases are counted by distinct days, as in :mod:`crmvalue_core.transactions`. A
customer whose first purchase falls in the holdout is not in the calibration tables (the
model has not seen them) but is in the tracking table, which follows the whole base from
each customer's first purchase. An empty bin of a table is a row of 0 customers with no
numbers (NaN) and a note that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._fitting import FitResult
from .._inputs import as_number, fail
from ..cells import EXCEL_EPOCH
from ..errors import CrmValueError
from ._bgnbd_model import expected_purchases, finite_or_fail, probability_of_purchases
from ._histories import column, common_length, history, positive
from ._holdout_log import (
    PurchaseDays,
    cumulative_repeat_purchases,
    day_text,
    read_day,
    read_log,
    split_histories,
    unit_days,
)
from .bgnbd import bgnbd_fit
from .gamma_gamma import gg_fit
from .spend_validation import conditional_spend

__all__ = [
    "HoldoutValidation",
    "bgnbd_histogram",
    "calibration_holdout_summary",
    "conditional_expectations",
    "error_measures",
    "holdout_conditional",
    "holdout_summary",
    "holdout_tracking",
    "repeat_purchase_histogram",
    "tracking_table",
    "validate_holdout",
]

#: Repeat purchases from which the bins of the tables are pooled ("7+").
MAX_FREQUENCY = 7


def _periods(
    func: str, calibration_end: Any, holdout_end: Any, date_format: str | None
) -> tuple[int, int]:
    """The calibration and holdout ends as day numbers; the holdout must come after."""
    cal = read_day(func, "calibration_end", calibration_end, date_format)
    end = read_day(func, "holdout_end", holdout_end, date_format)
    if end <= cal:
        raise fail(
            func,
            f"holdout_end {day_text(end)} is not after calibration_end {day_text(cal)}; give a "
            "holdout end after the calibration end (the holdout is the period between them)",
        )
    return cal, end


def _calibrated(func: str, days: PurchaseDays, cal: int) -> None:
    if not np.any(days.day <= cal):
        raise fail(
            func,
            f"no transaction falls on or before calibration_end {day_text(cal)} (the first is "
            f"on {day_text(int(days.day.min()))}); give a later calibration end",
        )


def _max_frequency(func: str, value: Any) -> int:
    return int(
        as_number(func, "max_frequency", value, minimum=1.0, whole=True, hint="a whole number >= 1")
    )


def _bins(frequency: np.ndarray, top: int) -> tuple[np.ndarray, list[str]]:
    """The bin of each customer (0..top, top pooling top and more) and the bins' labels."""
    labels = [str(k) for k in range(top)] + [f"{top}+"]
    return np.minimum(frequency, top).astype(np.int64), labels


def calibration_holdout_summary(
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    amounts: Any = None,
    time_unit: str = "W",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Each customer's calibration history and holdout actuals, from a transaction log.

    Parameters
    ----------
    customer_ids, dates : array_like
        The customer and date of each transaction (as for
        :func:`crmvalue_core.transactions.summary_from_transactions`).
    calibration_end, holdout_end : date
        The last day of the calibration period and of the holdout period (after it).
    amounts : array_like, optional
        The value of each transaction (>= 0); gives ``monetary_value`` and ``holdout_spend``.
    time_unit : {"W", "D"}, optional
        Unit of recency, age and the holdout's length: weeks (default) or days.
    date_format : str, optional
        A ``strftime`` format for text or whole-number dates, e.g. ``"%Y%m%d"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (those who first bought on or before the calibration end),
        with ``frequency``, ``recency``, ``age``, [``monetary_value``],
        ``holdout_purchases``, [``holdout_spend``], ``holdout_duration``,
        ``first_purchase``.

    Notes
    -----
    With d_1 < ... < d_k a customer's purchase days, c the calibration end, h the
    holdout end and u the length of the time unit in days:

    .. math :: x = \\#\\{j: d_j \\le c\\} - 1, \\quad t_x = (\\max_{d_j \\le c} d_j - d_1)/u,
               \\quad T = (c - d_1)/u, \\quad x^* = \\#\\{j: c < d_j \\le h\\},
               \\quad t^* = (h - c)/u

    as ``calibration_and_holdout_data`` of ``lifetimes`` (with ``freq="D"``).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way", Marketing Science 24(2), 275-284 (section 4, the holdout test).

    Examples
    --------
    >>> from crmvalue_core.purchase_history import calibration_holdout_summary
    >>> table = calibration_holdout_summary(
    ...     ["A", "A", "A", "B", "A"],
    ...     ["2024-01-01", "2024-01-15", "2024-01-15", "2024-01-08", "2024-02-12"],
    ...     "2024-01-29", "2024-02-26", [10.0, 20.0, 5.0, 30.0, 40.0])
    >>> table[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency  age  monetary_value
    customer_id
    A                    1      2.0  4.0            25.0
    B                    0      0.0  3.0             0.0
    >>> table[["holdout_purchases", "holdout_spend", "holdout_duration"]]
                 holdout_purchases  holdout_spend  holdout_duration
    customer_id
    A                            1           40.0               4.0
    B                            0            0.0               4.0
    """
    func = "HOLDOUT_SUMMARY"
    unit = unit_days(func, time_unit)
    cal, end = _periods(func, calibration_end, holdout_end, date_format)
    days = read_log(func, customer_ids, dates, amounts, date_format)
    _calibrated(func, days, cal)
    return split_histories(days, cal, end, unit)


def conditional_expectations(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    holdout_purchases: Any,
    holdout_duration: Any,
    max_frequency: Any = MAX_FREQUENCY,
) -> pd.DataFrame:
    """Mean actual and predicted holdout purchases by repeat purchases in calibration.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters fitted on the calibration period.
    frequency, recency, age : array_like
        Each customer's calibration history (x, t_x, T).
    holdout_purchases : array_like
        Each customer's repeat purchases in the holdout (whole numbers >= 0).
    holdout_duration : scalar or array_like
        The holdout's length t* (in the unit of age).
    max_frequency : int, optional
        Customers with this many repeat purchases or more share the last bin (7: "7+").

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``repeat_purchases`` (the bin's label), ``customers``,
        ``actual`` (mean holdout purchases), ``predicted`` (mean expected holdout
        purchases), ``note`` (why a row has no numbers, else empty).

    Notes
    -----
    For the customers i of bin k (x_i = k, or x_i >= k in the last bin),

    .. math :: \\text{actual}_k = \\frac{1}{n_k}\\sum_i x^*_i, \\quad
               \\text{predicted}_k = \\frac{1}{n_k}\\sum_i E[Y(t^*_i) | x_i, t_{x,i}, T_i]

    with E[Y(t) | x, t_x, T] of eq. (10) (:func:`bgnbd_expected_purchases`). The paper's
    figure 4 (Fader, Hardie & Lee 2005) shows these two columns for CDNOW.

    Examples
    --------
    >>> from crmvalue_core.purchase_history import conditional_expectations
    >>> table = conditional_expectations(0.243, 4.414, 0.793, 2.426, [0, 0, 2],
    ...     [0, 0, 30.43], [38.86, 38.86, 38.86], [0, 1, 3], 39, max_frequency=2)
    >>> table.drop(columns="note")
      repeat_purchases  customers  actual  predicted
    0                0          2     0.5   0.195098
    1                1          0     NaN        NaN
    2               2+          1     3.0   1.226028
    >>> table["note"].tolist()
    ['', 'no customer with 1 repeat purchase(s)', '']
    """
    func = "HOLDOUT_CONDITIONAL"
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    x, t_x, big_t = history(func, frequency, recency, age)
    actual = column(
        func,
        "holdout_purchases",
        holdout_purchases,
        minimum=0.0,
        whole=True,
        hint="a whole number of repeat purchases >= 0",
    )
    duration = column(
        func,
        "holdout_duration",
        holdout_duration,
        minimum=0.0,
        hint="the holdout's length >= 0 in the unit of age",
    )
    length = common_length(
        func, [("frequency", x), ("holdout_purchases", actual), ("holdout_duration", duration)]
    )
    if length is None:
        raise fail(func, "frequency is a single value; give one row per customer")
    top = _max_frequency(func, max_frequency)
    x, t_x, big_t, actual, duration = (
        np.broadcast_to(np.asarray(v, dtype=float), (length,))
        for v in (x, t_x, big_t, actual, duration)
    )
    with np.errstate(all="ignore"):  # an overflow is the message of finite_or_fail
        predicted = expected_purchases(r, alpha, a, b, duration, x, t_x, big_t)
    predicted = finite_or_fail(func, predicted)
    bins, labels = _bins(x, top)
    return _binned(labels, bins, actual, predicted, "actual", "predicted", mean=True)


def _binned(
    labels: list[str],
    bins: np.ndarray,
    actual: np.ndarray,
    model: np.ndarray,
    actual_name: str,
    model_name: str,
    *,
    mean: bool,
) -> pd.DataFrame:
    size = len(labels)
    customers = np.bincount(bins, minlength=size)
    sums = [np.bincount(bins, weights=v, minlength=size) for v in (actual, model)]
    with np.errstate(invalid="ignore", divide="ignore"):
        values = [s / customers if mean else s for s in sums]
    empty = customers == 0
    notes = [
        f"no customer with {label} repeat purchase(s)" if none else ""
        for label, none in zip(labels, empty, strict=True)
    ]
    return pd.DataFrame(
        {
            "repeat_purchases": labels,
            "customers": customers,
            actual_name: np.where(empty, np.nan, values[0]),
            model_name: np.where(empty, np.nan, values[1]),
            "note": notes,
        }
    )


def repeat_purchase_histogram(
    r: Any, alpha: Any, a: Any, b: Any, frequency: Any, age: Any, max_frequency: Any = MAX_FREQUENCY
) -> pd.DataFrame:
    """Customers by repeat purchases in calibration: actual against the model's expectation.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters fitted on the calibration period.
    frequency : array_like
        Each customer's repeat purchases in calibration.
    age : array_like
        Each customer's time from the first purchase to the calibration end (T).
    max_frequency : int, optional
        The last bin holds this many repeat purchases or more (7: "7+").

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``repeat_purchases`` (label), ``customers`` (actual count) and
        ``expected`` (customers the model expects; a bin without customers shows 0
        against its expectation).

    Notes
    -----
    Each customer is observed for her own T_i, so the expectation sums the probability
    of eq. (8) (:func:`bgnbd_prob_purchases`) over customers:

    .. math :: E[n_x] = \\sum_i P(X(T_i) = x), \\quad
               E[n_{k+}] = \\sum_i \\left(1 - \\sum_{x<k} P(X(T_i) = x)\\right)

    (Fader, Hardie & Lee 2005, figure 2, the CDNOW histogram).

    Examples
    --------
    >>> from crmvalue_core.purchase_history import repeat_purchase_histogram
    >>> table = repeat_purchase_histogram(0.243, 4.414, 0.793, 2.426, [0, 0, 1, 4],
    ...                                   [39, 39, 39, 20], max_frequency=2)
    >>> table.round(4)
      repeat_purchases  customers  expected
    0                0          2    2.3813
    1                1          1    0.7810
    2               2+          1    0.8377
    """
    func = "BGNBD_HISTOGRAM"
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    x = column(func, "frequency", frequency, minimum=0.0, whole=True, hint="a whole number >= 0")
    big_t = column(func, "age", age, minimum=0.0, hint="a time >= 0 in the unit of the data")
    length = common_length(func, [("frequency", x), ("age", big_t)])
    if length is None:
        raise fail(func, "frequency is a single value; give one row per customer")
    top = _max_frequency(func, max_frequency)
    x, big_t = (np.broadcast_to(np.asarray(v, dtype=float), (length,)) for v in (x, big_t))
    ages, counts = np.unique(big_t, return_counts=True)
    probability = probability_of_purchases(r, alpha, a, b, ages[:, None], np.arange(top)[None, :])
    probability = finite_or_fail(func, probability)
    expected = counts @ np.column_stack([probability, 1.0 - probability.sum(axis=1)])
    bins, labels = _bins(x, top)
    customers = np.bincount(bins, minlength=top + 1)
    return pd.DataFrame(
        {
            "repeat_purchases": labels,
            "customers": customers,
            "expected": expected,
        }
    )


def tracking_table(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    period_days: Any = 7,
    time_unit: str = "W",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Actual and expected cumulative repeat purchases of the whole base, period by period.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters fitted on the calibration period (in ``time_unit``).
    customer_ids, dates : array_like
        The transaction log (customer and date of each transaction).
    calibration_end, holdout_end : date
        The last day of the calibration and of the holdout period.
    period_days : int, optional
        Length of a period in days (7: weeks).
    time_unit : {"W", "D"}, optional
        The time unit of the parameters (alpha): weeks (default) or days.
    date_format : str, optional
        A ``strftime`` format for text or whole-number dates.

    Returns
    -------
    pandas.DataFrame
        One row per period from the first date of the log to the holdout end (the last
        one shorter when the days do not divide evenly): ``period`` (1, 2, ...),
        ``period_end`` (its last day), ``phase`` ("calibration" or "holdout", by its last
        day), ``actual`` and ``expected`` (cumulative repeat purchases to its end),
        ``actual_in_period`` and ``expected_in_period``.

    Notes
    -----
    With s the first day of the log, the cut-off after period j is c_j = s + j p (p the
    period's length; the day c_j is not included). Each customer i with first purchase
    d_i < c_j is expected to have made E[X((c_j - d_i)/u)] repeat purchases by then (eq. 9,
    :func:`bgnbd_expected_purchases` without a history), so

    .. math :: \\text{expected}_j = \\sum_{i: d_i < c_j} E\\left[X\\left(\\frac{c_j - d_i}{u}
               \\right)\\right]

    and ``actual`` counts the purchase days before c_j that are not a customer's first
    (as ``expected_cumulative_transactions`` of ``lifetimes``; Fader, Hardie & Lee 2005,
    figure 3, and note 008 on brucehardie.com).

    Examples
    --------
    >>> from crmvalue_core.purchase_history import tracking_table
    >>> table = tracking_table(0.243, 4.414, 0.793, 2.426, ["A", "A", "B", "A"],
    ...                        ["2024-01-01", "2024-01-10", "2024-01-03", "2024-01-20"],
    ...                        "2024-01-14", "2024-01-21")
    >>> table[["period", "phase", "actual", "expected"]].round(4)
       period        phase  actual  expected
    0       1  calibration       0    0.0917
    1       2  calibration       1    0.1927
    2       3      holdout       2    0.2884
    """
    func = "HOLDOUT_TRACKING"
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    step = int(
        as_number(
            func,
            "period_days",
            period_days,
            minimum=1.0,
            whole=True,
            hint="a whole number of days >= 1 (7 for weeks)",
        )
    )
    unit = unit_days(func, time_unit)
    cal, end = _periods(func, calibration_end, holdout_end, date_format)
    days = read_log(func, customer_ids, dates, None, date_format)
    _calibrated(func, days, cal)
    return _tracking(func, (r, alpha, a, b), days, cal, end, step, unit)


def _tracking(
    func: str,
    params: tuple[float, float, float, float],
    days: PurchaseDays,
    cal: int,
    end: int,
    step: int,
    unit: float,
) -> pd.DataFrame:
    start = int(days.day.min())
    cutoffs = np.arange(start + step, end + 2, step, dtype=np.int64)
    if cutoffs.size == 0 or cutoffs[-1] != end + 1:
        cutoffs = np.append(cutoffs, end + 1)
    first = np.full(len(days.labels), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, days.code, days.day)
    first_days, counts = np.unique(first, return_counts=True)
    elapsed = (cutoffs[:, None] - first_days[None, :]).astype(float)
    known = elapsed > 0
    horizon = np.where(known, elapsed, 0.0) / unit
    zero = np.zeros(1)
    with np.errstate(all="ignore"):  # an overflow is the one message below, not a warning
        each = expected_purchases(*params, horizon, zero, zero, zero)
    if not np.all(np.isfinite(each)):
        raise fail(
            func,
            "the expected purchases cannot be computed with these parameters (numerical "
            "overflow); check r, alpha, a and b and the time unit",
        )
    expected = np.where(known, each, 0.0) @ counts.astype(float)
    actual = cumulative_repeat_purchases(days, cutoffs)
    period_end = (cutoffs - 1).astype("datetime64[D]")
    return pd.DataFrame(
        {
            "period": np.arange(1, cutoffs.size + 1),
            "period_end": period_end,
            "phase": np.where(cutoffs - 1 <= cal, "calibration", "holdout"),
            "actual": actual,
            "expected": expected,
            "actual_in_period": np.diff(actual, prepend=0),
            "expected_in_period": np.diff(expected, prepend=0.0),
        }
    )


def error_measures(
    tracking: pd.DataFrame, conditional: pd.DataFrame, spend: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Mean absolute error of the tracking and conditional tables, and its share of the
    mean actual.

    Parameters
    ----------
    tracking : pandas.DataFrame
        A :func:`tracking_table`.
    conditional : pandas.DataFrame
        A :func:`conditional_expectations` table.
    spend : pandas.DataFrame, optional
        A :func:`~crmvalue_core.purchase_history.spend_validation.conditional_spend`
        table: adds the row "conditional spend".

    Returns
    -------
    pandas.DataFrame
        Rows "tracking, holdout periods", "tracking, all periods" (the cumulative
        columns) and "conditional expectations" (the bins with customers); columns
        ``rows`` (how many rows were compared), ``mean_absolute_error``,
        ``percentage_error`` (a decimal: 0.05 is 5%) and ``note``.

    Notes
    -----
    Over the n rows compared, with a_j the actual and e_j the model's value,

    .. math :: \\text{MAE} = \\frac{1}{n}\\sum_j |a_j - e_j|, \\quad
               \\text{percentage error} = \\frac{\\text{MAE}}{\\frac{1}{n}\\sum_j |a_j|}

    The percentage is of the mean actual (not a mean of per-row percentages), so a row
    with an actual of 0 does not make it infinite. The mean absolute error is a standard
    accuracy measure (Hyndman & Koehler 2006, "Another look at measures of forecast
    accuracy", International Journal of Forecasting 22(4)).

    Examples
    --------
    >>> from crmvalue_core.purchase_history import error_measures
    >>> tracking = pd.DataFrame({"phase": ["calibration", "holdout", "holdout"],
    ...                          "actual": [1, 4, 6], "expected": [2.0, 5.0, 5.0]})
    >>> conditional = pd.DataFrame({"actual": [0.5, np.nan], "predicted": [0.25, np.nan]})
    >>> error_measures(tracking, conditional)
                                rows  mean_absolute_error  percentage_error note
    measure
    tracking, holdout periods      2                 1.00          0.200000
    tracking, all periods          3                 1.00          0.272727
    conditional expectations       1                 0.25          0.500000
    """
    holdout = tracking["phase"] == "holdout"
    pairs = {
        "tracking, holdout periods": (
            tracking.loc[holdout, "actual"],
            tracking.loc[holdout, "expected"],
        ),
        "tracking, all periods": (tracking["actual"], tracking["expected"]),
        "conditional expectations": (conditional["actual"], conditional["predicted"]),
    }
    if spend is not None:
        pairs["conditional spend"] = (spend["actual"], spend["predicted"])
    rows = []
    for name, (actual, model) in pairs.items():
        actual = np.asarray(actual, dtype=float)
        model = np.asarray(model, dtype=float)
        keep = np.isfinite(actual) & np.isfinite(model)
        actual, model = actual[keep], model[keep]
        note = ""
        if actual.size == 0:
            mae = share = np.nan
            note = "no rows to compare"
        else:
            mae = float(np.mean(np.abs(actual - model)))
            scale = float(np.mean(np.abs(actual)))
            share = mae / scale if scale > 0 else np.nan
            if scale == 0:
                note = "the actual values are all 0: no percentage"
        rows.append((name, actual.size, mae, share, note))
    frame = pd.DataFrame(
        rows, columns=["measure", "rows", "mean_absolute_error", "percentage_error", "note"]
    )
    return frame.set_index("measure")


@dataclass(frozen=True)
class HoldoutValidation:
    """The holdout test of a BG/NBD model on one transaction log.

    Attributes:
        fit: the BG/NBD fit on the calibration period.
        customers: :func:`calibration_holdout_summary`.
        conditional: :func:`conditional_expectations`.
        tracking: :func:`tracking_table`.
        histogram: :func:`repeat_purchase_histogram`.
        errors: :func:`error_measures`.
        calibration_end, holdout_end: the two dates.
        time_unit: "W" or "D", the unit of the fit and of the customers' times.
        spend_fit: the Gamma-Gamma fit on the calibration period (with amounts; None
            without, or when the spend model cannot be fitted).
        spend: :func:`~crmvalue_core.purchase_history.spend_validation.conditional_spend`
            (None without a spend fit).
    """

    fit: FitResult
    customers: pd.DataFrame
    conditional: pd.DataFrame
    tracking: pd.DataFrame
    histogram: pd.DataFrame
    errors: pd.DataFrame
    calibration_end: np.datetime64
    holdout_end: np.datetime64
    time_unit: str
    spend_fit: FitResult | None = None
    spend: pd.DataFrame | None = None


def validate_holdout(
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    amounts: Any = None,
    time_unit: str = "W",
    period_days: int = 7,
    max_frequency: int = MAX_FREQUENCY,
    date_format: str | None = None,
    fit: FitResult | None = None,
    spend_fit: FitResult | None = None,
) -> HoldoutValidation:
    """Fit BG/NBD on the calibration period of a log and test it on the holdout period.

    The arguments are those of :func:`calibration_holdout_summary` and
    :func:`tracking_table`; ``max_frequency`` is the pooled last bin of the conditional
    table and the histogram. ``fit``, if given, is a BG/NBD fit of this calibration
    period already made (e.g. by :func:`crmvalue_core.scoring.score_customers`); by
    default the model is fitted here (:func:`bgnbd_fit`). With ``amounts``, the
    Gamma-Gamma spend model is tested too: ``spend_fit`` likewise, else :func:`gg_fit` on
    the calibration repeat buyers (a log whose spend the model cannot fit is tested on its
    purchases only).

    Returns
    -------
    HoldoutValidation
        The fit and the five tables; the formulas are in the functions named there.

    Examples
    --------
    Customers simulated from the BG/NBD model (r = 0.5, alpha = 5 weeks, a = 1, b = 3):
    first purchases in the first 12 weeks of 2024, then repeat purchases until each
    customer's dropout; calibration to the end of September, holdout to the year's end:

    >>> import numpy as np
    >>> from crmvalue_core.purchase_history import validate_holdout
    >>> rng = np.random.default_rng(7)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.5, 1 / 5.0, n), rng.beta(1.0, 3.0, n)
    >>> weeks = rng.exponential(1.0, (n, 30)).cumsum(axis=1) / lam[:, None]
    >>> kept = np.arange(30) < rng.geometric(p)[:, None]
    >>> start = rng.integers(0, 84, n)
    >>> days = start[:, None] + np.floor(weeks * 7).astype(int)
    >>> rows, cols = np.nonzero(kept & (days < 364))
    >>> ids = np.r_[np.arange(n), rows]
    >>> dates = np.datetime64("2024-01-01") + np.r_[start, days[rows, cols]]
    >>> check = validate_holdout(ids, dates, "2024-09-29", "2024-12-29", max_frequency=3)
    >>> [round(value, 2) for value in check.fit]
    [0.52, 5.31, 0.77, 2.35]
    >>> check.conditional.drop(columns="note").round(2)
      repeat_purchases  customers  actual  predicted
    0                0        728    0.15       0.17
    1                1        548    0.18       0.21
    2                2        274    0.32       0.39
    3               3+        450    1.10       1.23
    >>> check.errors[["rows", "mean_absolute_error", "percentage_error"]].round(3)
                               rows  mean_absolute_error  percentage_error
    measure
    tracking, holdout periods    13               59.185             0.014
    tracking, all periods        52               26.927             0.011
    conditional expectations      4                0.060             0.137
    """
    func = "HOLDOUT_VALIDATION"
    unit = unit_days(func, time_unit)
    step = int(as_number(func, "period_days", period_days, minimum=1.0, whole=True))
    cal, end = _periods(func, calibration_end, holdout_end, date_format)
    days = read_log(func, customer_ids, dates, amounts, date_format)
    _calibrated(func, days, cal)
    customers = split_histories(days, cal, end, unit)
    if fit is None:
        fit = bgnbd_fit(customers["frequency"], customers["recency"], customers["age"])
    r, alpha, a, b = fit.values[:4]
    try:
        conditional = conditional_expectations(
            r,
            alpha,
            a,
            b,
            customers["frequency"],
            customers["recency"],
            customers["age"],
            customers["holdout_purchases"],
            customers["holdout_duration"],
            max_frequency,
        )
        histogram = repeat_purchase_histogram(
            r, alpha, a, b, customers["frequency"], customers["age"], max_frequency
        )
        tracking = _tracking(func, (r, alpha, a, b), days, cal, end, step, unit)
    except CrmValueError as error:
        if "numerical overflow" not in str(error):
            raise
        shown = ", ".join(f"{name} = {value:.4g}" for name, value in fit.params.items())
        raise fail(
            func,
            f"the BG/NBD model fitted on the calibration period has extreme parameters "
            f"({shown}) with which the expected purchases overflow: the purchases before "
            "the calibration end do not identify the model; choose a later calibration end "
            "or a log with more customers and repeat purchases",
        ) from None
    spend_fit, spend = _spend_test(customers, spend_fit, max_frequency)
    return HoldoutValidation(
        fit=fit,
        customers=customers,
        conditional=conditional,
        tracking=tracking,
        histogram=histogram,
        errors=error_measures(tracking, conditional, spend),
        calibration_end=np.datetime64(cal, "D"),
        holdout_end=np.datetime64(end, "D"),
        time_unit="W" if unit == 7.0 else "D",
        spend_fit=spend_fit,
        spend=spend,
    )


def _spend_test(
    customers: pd.DataFrame, spend_fit: FitResult | None, max_frequency: int
) -> tuple[FitResult | None, pd.DataFrame | None]:
    """The Gamma-Gamma fit and its holdout table, when the log has amounts."""
    if "holdout_spend" not in customers:
        return None, None
    if spend_fit is None:
        # the model's customers: repeat buyers with a positive mean spend (CDNOW has one
        # whose repeat purchases were returned: 0)
        repeat = (customers["frequency"] > 0) & (customers["monetary_value"] > 0)
        try:
            spend_fit = gg_fit(
                customers.loc[repeat, "frequency"], customers.loc[repeat, "monetary_value"]
            )
        except CrmValueError:
            return None, None
    p, q, gamma = spend_fit.values[:3]
    spend = conditional_spend(
        p,
        q,
        gamma,
        customers["frequency"],
        customers["monetary_value"],
        customers["holdout_purchases"],
        customers["holdout_spend"],
        max_frequency,
    )
    return spend_fit, spend


# ---------------------------------------------------------------------------------------
# The Excel twins: the same tables as rows with a header
# ---------------------------------------------------------------------------------------


def _rows(frame: pd.DataFrame, index: bool = False) -> list[list[Any]]:
    """A table as a header row and data rows, as a spreadsheet takes it: numbers as floats,
    a date as an Excel serial number, a missing number or an empty note as "" (a cell that
    shows nothing, never a number).

    >>> _rows(pd.DataFrame({"day": [np.datetime64("1900-01-01")], "n": [3], "x": [np.nan]}))
    [['day', 'n', 'x'], [2.0, 3.0, '']]
    """
    if index:
        frame = frame.reset_index()
    out: list[list[Any]] = [[str(name) for name in frame.columns]]
    epoch = pd.Timestamp(EXCEL_EPOCH)
    for row in frame.itertuples(index=False):
        cells: list[Any] = []
        for value in row:
            if isinstance(value, (np.datetime64, pd.Timestamp)):
                cells.append(float((pd.Timestamp(value) - epoch).days))
            elif _blank(value):
                cells.append("")
            elif isinstance(value, (bool, np.bool_)):
                cells.append(bool(value))
            elif isinstance(value, (int, float, np.integer, np.floating)):
                cells.append(float(value))
            else:
                cells.append(value)
        out.append(cells)
    return out


def _blank(value: Any) -> bool:
    """A missing number (NaN) or an empty note: an empty cell in a spreadsheet."""
    if isinstance(value, (float, np.floating)):
        return not np.isfinite(value)
    return isinstance(value, str) and value == ""


def holdout_summary(
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    amounts: Any = None,
    time_unit: str = "W",
) -> list[list[Any]]:
    """HOLDOUT_SUMMARY: :func:`calibration_holdout_summary` as rows with a header
    (customer_id first, first_purchase left out).

    >>> holdout_summary(["A", "A", "B"], ["2024-01-01", "2024-01-29", "2024-01-08"],
    ...                 "2024-01-14", "2024-01-28")[0]
    ['customer_id', 'frequency', 'recency', 'age', 'holdout_purchases', 'holdout_duration']
    """
    table = calibration_holdout_summary(
        customer_ids, dates, calibration_end, holdout_end, amounts, time_unit
    )
    return _rows(table.drop(columns="first_purchase"), index=True)


def holdout_conditional(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    holdout_purchases: Any,
    holdout_duration: Any,
    max_frequency: Any = MAX_FREQUENCY,
) -> list[list[Any]]:
    """HOLDOUT_CONDITIONAL: :func:`conditional_expectations` as rows with a header.

    >>> rows = holdout_conditional(0.243, 4.414, 0.793, 2.426, [2, 7, 0], [30.43, 29.43, 0],
    ...                            [38.86, 38.86, 38.86], [1, 4, 0], 39, 2)
    >>> rows[0]
    ['repeat_purchases', 'customers', 'actual', 'predicted', 'note']
    >>> for row in rows[1:]:
    ...     print([round(v, 6) if isinstance(v, float) else v for v in row])
    ['0', 1.0, 0.0, 0.195098, '']
    ['1', 0.0, '', '', 'no customer with 1 repeat purchase(s)']
    ['2+', 2.0, 2.5, 2.281541, '']
    """
    return _rows(
        conditional_expectations(
            r,
            alpha,
            a,
            b,
            frequency,
            recency,
            age,
            holdout_purchases,
            holdout_duration,
            max_frequency,
        )
    )


def holdout_spend(
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    monetary_value: Any,
    holdout_purchases: Any,
    holdout_total: Any,
    max_frequency: Any = MAX_FREQUENCY,
) -> list[list[Any]]:
    """HOLDOUT_SPEND: :func:`~.spend_validation.conditional_spend` as rows with a header
    (``holdout_total``: each customer's total spend in the holdout).

    >>> rows = holdout_spend(6.25, 3.74, 15.44, [1, 2, 0], [30, 50, 0], [2, 0, 1], [70, 0, 12], 2)
    >>> rows[1][:3], round(rows[1][3], 10)
    (['1', 1.0, 35.0], 31.5906562848)
    >>> rows[2]
    ['2+', 0.0, '', '', 'no customer with 2+ repeat purchase(s)']
    """
    top = _max_frequency("HOLDOUT_SPEND", max_frequency)
    return _rows(
        conditional_spend(
            p, q, gamma, frequency, monetary_value, holdout_purchases, holdout_total, top
        )
    )


def bgnbd_histogram(
    r: Any, alpha: Any, a: Any, b: Any, frequency: Any, age: Any, max_frequency: Any = MAX_FREQUENCY
) -> list[list[Any]]:
    """BGNBD_HISTOGRAM: :func:`repeat_purchase_histogram` as rows with a header.

    >>> bgnbd_histogram(1, 1, 1, 2, [0, 3], [1, 1], 1)[0]
    ['repeat_purchases', 'customers', 'expected']
    """
    return _rows(repeat_purchase_histogram(r, alpha, a, b, frequency, age, max_frequency))


def holdout_tracking(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    period_days: Any = 7,
    time_unit: str = "W",
) -> list[list[Any]]:
    """HOLDOUT_TRACKING: :func:`tracking_table` as rows with a header (``period_end`` as
    an Excel date serial number: format the column as a date).

    >>> holdout_tracking(1, 1, 1, 2, ["A", "A"], ["2024-01-01", "2024-01-09"],
    ...                  "2024-01-07", "2024-01-14")[0]  # doctest: +NORMALIZE_WHITESPACE
    ['period', 'period_end', 'phase', 'actual', 'expected', 'actual_in_period',
     'expected_in_period']
    """
    return _rows(
        tracking_table(
            r,
            alpha,
            a,
            b,
            customer_ids,
            dates,
            calibration_end,
            holdout_end,
            period_days,
            time_unit,
        )
    )
