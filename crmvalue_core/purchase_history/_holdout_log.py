"""A transaction log split at the calibration end: what the holdout tables are built from.

:func:`read_log` reads (customer, date, amount) as :mod:`crmvalue_core.transactions` does
(the same dates, the same messages, but under the caller's function name);
:func:`purchase_days` turns it into purchase days (several transactions of a customer on
one day are one purchase, as in the CDNOW data and ``lifetimes``); :func:`split_histories`
gives each customer's calibration summary and holdout actuals, and
:func:`cumulative_repeat_purchases` the actual side of the tracking table. All of it is
vectorised: sorts, ``bincount`` and ``searchsorted``, no loop over customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._inputs import fail
from ..cells import describe, is_error_value
from ..errors import CrmValueError
from ..transactions import FUNC as SUMMARY_FUNC
from ..transactions import UNIT_DAYS, read_date, read_transaction_log

__all__ = [
    "PurchaseDays",
    "cumulative_repeat_purchases",
    "day_text",
    "purchase_days",
    "read_day",
    "read_log",
    "split_histories",
    "unit_days",
]


def _renamed(func: str, error: CrmValueError) -> CrmValueError:
    """The transaction reader's message under ``func``'s name."""
    text = str(error)
    prefix = f"{SUMMARY_FUNC}: "
    return fail(func, text[len(prefix) :] if text.startswith(prefix) else text)


def unit_days(func: str, time_unit: Any) -> float:
    """Days in ``time_unit`` ("W" or "D").

    >>> unit_days("HOLDOUT_TRACKING", "w")
    7.0
    """
    unit = time_unit.strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in UNIT_DAYS:
        raise fail(func, f'time_unit is {time_unit!r}; enter "W" (weeks) or "D" (days)')
    return UNIT_DAYS[unit]


def day_text(day: int) -> str:
    """A day number (days since 1970-01-01) as ISO text.

    >>> day_text(0)
    '1970-01-01'
    """
    return str(np.datetime64(int(day), "D"))


def read_day(func: str, name: str, value: Any, date_format: str | None = None) -> int:
    """One date argument as days since 1970-01-01.

    >>> read_day("HOLDOUT_TRACKING", "holdout_end", "1970-01-02")
    1
    """
    try:
        return read_date(name, value, date_format)
    except CrmValueError as error:
        raise _renamed(func, error) from None


@dataclass(frozen=True)
class PurchaseDays:
    """One row per (customer, day) with a purchase, sorted by customer then day.

    Attributes:
        labels: the customers, in the order of their codes.
        code: the customer's code of each purchase day.
        day: the day (days since 1970-01-01).
        spend: the day's total spend (None without amounts).
    """

    labels: pd.Index
    code: np.ndarray
    day: np.ndarray
    spend: np.ndarray | None


def read_log(
    func: str, customer_ids: Any, dates: Any, amounts: Any = None, date_format: str | None = None
) -> PurchaseDays:
    """Read a transaction log and turn it into purchase days (:func:`purchase_days`); an
    Excel error value as a customer id is an error, as any bad value, under ``func``.

    >>> days = read_log("HOLDOUT_SUMMARY", ["B", "A", "A"], ["1970-01-03", "1970-01-02",
    ...                 "1970-01-02"], [1.0, 2.0, 3.0])
    >>> list(days.labels), days.code.tolist(), days.day.tolist(), days.spend.tolist()
    (['A', 'B'], [0, 1], [1, 2], [5.0, 1.0])
    >>> read_log("HOLDOUT_SUMMARY", ["A", "#N/A"], ["1970-01-02", "1970-01-03"])
    Traceback (most recent call last):
    crmvalue_core.errors.CrmValueError: HOLDOUT_SUMMARY: customer_ids item 2 is the error \
value #N/A; enter the customer of every row (fix the cell the error comes from)
    """
    try:
        codes, labels, day, value = read_transaction_log(customer_ids, dates, amounts, date_format)
    except CrmValueError as error:
        raise _renamed(func, error) from None
    if labels.dtype == object or pd.api.types.is_string_dtype(labels.dtype):
        errors = np.fromiter((is_error_value(v) for v in labels), dtype=bool, count=len(labels))
        if np.any(errors):
            i = int(np.flatnonzero(errors[codes])[0])
            raise fail(
                func,
                f"customer_ids item {i + 1} is {describe(labels[codes[i]])}; enter the customer "
                "of every row (fix the cell the error comes from)",
            )
    return purchase_days(labels, codes, day, value)


def purchase_days(
    labels: pd.Index, code: np.ndarray, day: np.ndarray, amount: np.ndarray | None
) -> PurchaseDays:
    """Distinct (customer, day) pairs of a log, with each day's total spend.

    >>> days = purchase_days(pd.Index(["A", "B"]), np.array([1, 0, 0]), np.array([5, 3, 3]),
    ...                      np.array([1.0, 2.0, 4.0]))
    >>> days.code.tolist(), days.day.tolist(), days.spend.tolist()
    ([0, 1], [3, 5], [6.0, 1.0])
    """
    low = int(day.min())
    span = int(day.max()) - low + 1
    key = code * span + (day - low)
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    unique = key[starts]
    spend = None if amount is None else np.add.reduceat(amount[order], starts)
    return PurchaseDays(labels, unique // span, unique % span + low, spend)


def split_histories(
    days: PurchaseDays, calibration_end: int, holdout_end: int, unit: float
) -> pd.DataFrame:
    """Each customer's calibration summary and holdout actuals (customers who first bought
    on or before the calibration end), indexed by customer.

    Columns: ``frequency``, ``recency``, ``age`` (calibration, in ``unit`` days),
    ``monetary_value`` (mean repeat spend in calibration, with amounts),
    ``holdout_purchases`` (purchase days in the holdout), ``holdout_spend`` (with amounts),
    ``holdout_duration`` and ``first_purchase``.

    >>> days = purchase_days(pd.Index(["A"]), np.zeros(3, dtype=np.int64),
    ...                      np.array([0, 7, 21]), np.array([5.0, 10.0, 20.0]))
    >>> row = split_histories(days, 14, 28, 7.0).loc["A"]
    >>> [float(row[name]) for name in ("frequency", "recency", "age", "monetary_value")]
    [1.0, 1.0, 2.0, 10.0]
    >>> [float(row[name]) for name in ("holdout_purchases", "holdout_spend", "holdout_duration")]
    [1.0, 20.0, 2.0]
    """
    n = len(days.labels)
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, days.code, days.day)
    in_calibration = days.day <= calibration_end
    in_holdout = (days.day > calibration_end) & (days.day <= holdout_end)
    cal_code = days.code[in_calibration]
    cal_days = np.bincount(cal_code, minlength=n)
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, cal_code, days.day[in_calibration])
    present = cal_days > 0
    frequency = cal_days - 1
    columns: dict[str, Any] = {
        "frequency": frequency[present],
        "recency": (last - first)[present] / unit,
        "age": (calibration_end - first)[present] / unit,
    }
    holdout_code = days.code[in_holdout]
    if days.spend is not None:
        cal_spend = np.bincount(cal_code, weights=days.spend[in_calibration], minlength=n)
        first_spend = np.bincount(
            days.code, weights=np.where(days.day == first[days.code], days.spend, 0.0), minlength=n
        )
        repeat = (cal_spend - first_spend) / np.maximum(frequency, 1)
        columns["monetary_value"] = np.where(frequency > 0, repeat, 0.0)[present]
    columns["holdout_purchases"] = np.bincount(holdout_code, minlength=n)[present]
    if days.spend is not None:
        spend = np.bincount(holdout_code, weights=days.spend[in_holdout], minlength=n)
        columns["holdout_spend"] = spend[present]
    columns["holdout_duration"] = np.full(
        int(present.sum()), (holdout_end - calibration_end) / unit
    )
    columns["first_purchase"] = first[present].astype("datetime64[D]")
    return pd.DataFrame(columns, index=pd.Index(days.labels[present], name="customer_id"))


def cumulative_repeat_purchases(days: PurchaseDays, cutoffs: np.ndarray) -> np.ndarray:
    """Repeat purchase days (every purchase day of a customer but the first) before each
    cutoff day, over the whole log.

    >>> days = purchase_days(pd.Index(["A"]), np.zeros(3, dtype=np.int64), np.array([0, 2, 9]),
    ...                      None)
    >>> cumulative_repeat_purchases(days, np.array([1, 3, 10])).tolist()
    [0, 1, 2]
    """
    repeat = np.r_[False, days.code[1:] == days.code[:-1]]
    return np.searchsorted(np.sort(days.day[repeat]), cutoffs, side="left")
