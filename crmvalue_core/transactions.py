"""From a transaction log to the customer summary the purchase-history models need.

:func:`summary_from_transactions` turns one row per transaction (customer, date, amount)
into one row per customer with ``frequency``, ``recency``, ``age`` and
``monetary_value``, the inputs of :mod:`crmvalue_core.purchase_history`. It follows the
convention of Fader and Hardie's CDNOW data sets (and of ``lifetimes``): purchases are
counted by *distinct days*, so several transactions of one customer on one day are one
purchase whose value is their sum.

Reproducing the shipped CDNOW sample summary (``cdnow_customers_summary.csv``, 2,357
customers) from ``CDNOW_master.txt`` takes exactly this convention with
``time_unit="W"`` and ``observation_end=1997-09-30``: the sample is the *calibration*
period of the BG/NBD paper (39 weeks from 1997-01-01; a customer who first bought on
1997-01-01 has T = 272 / 7 = 38.86 weeks), not the whole log to 1998-06-30. Its ``zbar``
column is the mean of the daily totals of the repeat-purchase days. The sample's IDs are
new numbers 1..2357; the master's ``customer_id`` of each is in ``CDNOW_sample.txt``
(first column), which ships with ``lifetimes``.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ._inputs import as_values, fail
from .cells import EXCEL_EPOCH, describe, is_blank

__all__ = ["flag_texts", "read_date", "read_transaction_log", "summary_from_transactions"]

FUNC = "SUMMARY_FROM_TRANSACTIONS"

#: Days in each time unit the summary can be expressed in.
UNIT_DAYS = {"D": 1.0, "W": 7.0}

#: Excel's day 0 (:data:`crmvalue_core.cells.EXCEL_EPOCH`) as a numpy day.
_EXCEL_DAY_0 = np.datetime64(EXCEL_EPOCH, "D")


def _as_column(name: str, values: Any) -> np.ndarray | pd.Series:
    """A 1-D column: a Series stays a Series (fast paths), anything else a numpy array."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise fail(FUNC, f"{name} is a table of {values.shape[1]} columns; give one column")
        values = values.iloc[:, 0]
    if isinstance(values, pd.Index):
        values = values.to_series(index=pd.RangeIndex(len(values)))
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, (str, bytes)) or np.ndim(values) == 0:
        raise fail(FUNC, f"{name} is a single value; give one value per transaction")
    array = values if isinstance(values, np.ndarray) else _list_array(values)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise fail(FUNC, f"{name} is a table; give a single row or column")
    return array


def _list_array(values: Any) -> np.ndarray:
    """An object array of a list (a spreadsheet column [[a], [b]] is flattened)."""
    items = list(values)
    if items and all(isinstance(row, (list, tuple)) and len(row) == 1 for row in items):
        items = [row[0] for row in items]
    array = np.empty(len(items), dtype=object)
    array[:] = items
    kinds = {type(v) for v in items}
    if kinds and all(issubclass(k, (int, float)) and not issubclass(k, bool) for k in kinds):
        return array.astype(float)
    return array


def _item(values: np.ndarray | pd.Series, i: int) -> Any:
    """Row i as a plain Python value (so that messages show 45000, not np.int64(45000))."""
    value = values.iloc[i] if isinstance(values, pd.Series) else values[i]
    return value.item() if isinstance(value, np.generic) and value.dtype.kind != "M" else value


def _blank_or(value: Any, text: str) -> str:
    """'is blank' for an empty cell or a missing value, else ``text``."""
    if is_blank(value) or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return "is blank"
    return text


def _dates_to_days(
    name: str, values: np.ndarray | pd.Series, date_format: str | None
) -> np.ndarray:
    """Days since 1970-01-01 (int64) of each date; the error names the first bad one."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        parsed = pd.DatetimeIndex(values)
    elif dtype.kind == "M":  # tz-naive datetime64 (numpy or pandas): no parsing at all
        stamps = np.asarray(values)
        if np.any(np.isnat(stamps)):
            i = int(np.flatnonzero(np.isnat(stamps))[0])
            raise fail(FUNC, f"{name} item {i + 1} is blank; enter a date")
        return stamps.astype("datetime64[D]").astype(np.int64)
    elif dtype.kind == "b":
        raise fail(FUNC, f"{name} item 1 is {describe(_item(values, 0))}, not a date; enter a date")
    elif dtype.kind in "iuf" and date_format is None:
        return _serials_to_days(name, values)
    else:
        if dtype.kind in "iuf":  # whole numbers in a format such as %Y%m%d
            numbers_ = np.asarray(values, dtype=float)
            bad = ~np.isfinite(numbers_) | (numbers_ != np.round(numbers_))
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                raise fail(
                    FUNC,
                    f"{name} item {i + 1} is {describe(_item(values, i))}, not a date in the "
                    f"format {date_format!r}; enter a date",
                )
            values = numbers_.astype(np.int64).astype(str)
        elif dtype.kind == "O" and pd.api.types.infer_dtype(values, skipna=False) not in {
            "string",
            "date",
            "datetime",
            "datetime64",
        }:
            _refuse_non_dates(name, values)
        parsed = _parse_texts(name, values, date_format)
        if parsed.hasnans:
            i = int(np.flatnonzero(parsed.isna())[0])
            value = _item(values, i)
            fmt = f" in the format {date_format!r}" if date_format else ""
            what = _blank_or(value, f"is {describe(value)}, which is not a date{fmt}")
            raise fail(FUNC, f"{name} item {i + 1} {what}; enter a date such as 2024-01-31")
    if parsed.hasnans:
        i = int(np.flatnonzero(parsed.isna())[0])
        raise fail(FUNC, f"{name} item {i + 1} is blank; enter a date")
    if parsed.tz is not None:
        parsed = parsed.tz_localize(None)
    return parsed.to_numpy().astype("datetime64[D]").astype(np.int64)


def _parse_texts(
    name: str, values: np.ndarray | pd.Series, date_format: str | None
) -> pd.DatetimeIndex:
    """Text dates: in ``date_format``, else ISO 8601, else the format pandas infers."""
    formats = [date_format] if date_format else ["ISO8601", None]
    parsed = None
    for fmt in formats:
        try:
            with_format = {"format": fmt} if fmt else {}
            parsed = pd.DatetimeIndex(pd.to_datetime(values, errors="coerce", **with_format))
        except (TypeError, ValueError, OverflowError) as error:
            raise fail(FUNC, f"{name} could not be read as dates ({error}); enter dates") from None
        if not parsed.hasnans:
            break
    return parsed


def _serials_to_days(name: str, values: np.ndarray | pd.Series) -> np.ndarray:
    """Excel serial numbers (1900 date system; the fraction is the time of day) to days."""
    serial = np.asarray(values, dtype=float)
    bad = ~np.isfinite(serial) | (serial < 1)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        value = _item(values, i)
        what = _blank_or(value, f"is {describe(value)}, not a date")
        raise fail(
            FUNC,
            f"{name} item {i + 1} {what}; enter a date or an Excel date serial number >= 1",
        )
    return _EXCEL_DAY_0.astype(np.int64) + np.floor(serial).astype(np.int64)


def _refuse_non_dates(name: str, values: np.ndarray | pd.Series) -> None:
    """Blanks, booleans and numbers mixed into a column of dates are errors, not guesses."""
    for i, value in enumerate(values):
        if isinstance(value, (str, dt.date, np.datetime64)) and not is_blank(value):
            continue
        what = _blank_or(value, f"is {describe(value)}, not a date")
        raise fail(FUNC, f"{name} item {i + 1} {what}; enter a date")


def _one_date(name: str, value: Any, date_format: str | None) -> int:
    """One date: a date, text (in ``date_format`` or ISO) or an Excel serial number."""
    bad = fail(FUNC, f"{name} is {describe(value)}, not a date; enter a date such as 2024-01-31")
    if isinstance(value, (bool, np.bool_)) or is_blank(value):
        raise bad
    if isinstance(value, (dt.date, np.datetime64, pd.Timestamp)):
        return int(_dates_to_days(name, _object_array(value), None)[0])
    formats = [date_format, None] if date_format else [None]
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        formats = [None]  # a fractional number can only be an Excel serial
    for fmt in formats:
        if isinstance(value, numbers.Real) and fmt is None:
            array = np.array([float(value)])
        else:
            array = _object_array(str(value))
        try:
            return int(_dates_to_days(name, array, fmt)[0])
        except ValueError:
            continue
    raise bad


def _object_array(value: Any) -> np.ndarray:
    array = np.empty(1, dtype=object)
    array[0] = value
    return array


def summary_from_transactions(
    customer_ids: Any,
    dates: Any,
    amounts: Any = None,
    observation_end: Any = None,
    time_unit: str = "W",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Summarise a transaction log into one row per customer for the BG/NBD and GG models.

    Parameters
    ----------
    customer_ids : array_like
        The customer of each transaction (any labels: numbers or text).
    dates : array_like
        The date of each transaction: dates, datetimes, text (ISO ``2024-01-31`` or in
        ``date_format``) or Excel serial numbers. The time of day is ignored.
    amounts : array_like, optional
        The value of each transaction (>= 0). Without it, there is no
        ``monetary_value`` column.
    observation_end : date, optional
        The end of the observation period; default the last date in ``dates``.
        Transactions after it are left out (as for a calibration period), and so are
        customers whose first purchase comes after it.
    time_unit : {"W", "D"}, optional
        Unit of recency and age: weeks (default) or days.
    date_format : str, optional
        A ``strftime`` format for text or whole-number dates, e.g. ``"%Y%m%d"`` for
        ``19970101``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (sorted), with columns ``frequency``, ``recency``, ``age``,
        ``monetary_value``, ``first_purchase``, ``last_purchase``.

    Notes
    -----
    Purchases are counted by distinct days (Fader & Hardie's CDNOW convention, also that
    of ``lifetimes``): with d_1 < ... < d_k a customer's purchase days up to the end e,

    .. math :: x = k - 1, \\quad t_x = (d_k - d_1) / u, \\quad T = (e - d_1) / u,
               \\quad \\bar z = \\frac{1}{k-1} \\sum_{j=2}^{k} s_j \\; (0 \\text{ if } k = 1)

    where u is the length of the time unit in days and s_j the total spent on day d_j.
    The computation is vectorised (no loop over customers or transactions).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way", Marketing Science 24(2), 275-284 (the CDNOW data set);
    Fader, Hardie and Lee (2005), "RFM and CLV: using iso-value curves", Journal of
    Marketing Research 42(4), 415-430.

    Examples
    --------
    >>> from crmvalue_core.transactions import summary_from_transactions
    >>> summary = summary_from_transactions(
    ...     ["A", "A", "A", "B", "A", "C"],
    ...     ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-02-12", "2024-03-04"],
    ...     [10.0, 5.0, 20.0, 30.0, 40.0, 8.0],
    ...     observation_end="2024-03-04")
    >>> summary[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency   age  monetary_value
    customer_id
    A                    2      6.0   9.0            30.0
    B                    0      0.0   8.0             0.0
    C                    0      0.0   0.0             0.0
    """
    unit = time_unit.strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in UNIT_DAYS:
        raise fail(FUNC, f'time_unit is {time_unit!r}; enter "W" (weeks) or "D" (days)')
    codes, labels, day, value = read_transaction_log(customer_ids, dates, amounts, date_format)

    if observation_end is None:
        end = int(day.max())
    else:
        end = _one_date("observation_end", observation_end, date_format)
    keep = day <= end
    if not np.any(keep):
        raise fail(
            FUNC,
            "observation_end is before every transaction; give a later date or leave it out",
        )
    if not np.all(keep):
        codes, day = codes[keep], day[keep]
        value = None if value is None else value[keep]
    n_customers = len(labels)

    first = np.full(n_customers, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(n_customers, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, codes, day)
    np.maximum.at(last, codes, day)
    # distinct (customer, day) pairs: sort one int64 key and count where it changes
    span = int(day.max() - day.min()) + 1
    key = np.sort(codes.astype(np.int64) * span + (day - day.min()))
    changes = np.empty(key.size, dtype=bool)
    changes[0] = True
    np.not_equal(key[1:], key[:-1], out=changes[1:])
    purchase_days = np.bincount(key[changes] // span, minlength=n_customers)

    present = purchase_days > 0
    frequency = purchase_days - 1
    unit_days = UNIT_DAYS[unit]
    columns: dict[str, Any] = {
        "frequency": frequency[present].astype(np.int64),
        "recency": (last - first)[present] / unit_days,
        "age": (end - first)[present] / unit_days,
    }
    if value is not None:
        # mean of the repeat days' totals = (all spend - first day's spend) / (days - 1)
        total = np.bincount(codes, weights=value, minlength=n_customers)
        on_first_day = np.where(day == first[codes], value, 0.0)
        repeat_spend = total - np.bincount(codes, weights=on_first_day, minlength=n_customers)
        monetary = repeat_spend / np.maximum(frequency, 1)
        columns["monetary_value"] = np.where(frequency > 0, monetary, 0.0)[present]
    columns["first_purchase"] = first[present].astype("datetime64[D]")
    columns["last_purchase"] = last[present].astype("datetime64[D]")
    index = pd.Index(labels[present], name="customer_id")
    return pd.DataFrame(columns, index=index)


def _same_length(n: int, name: str, values: np.ndarray | pd.Series) -> None:
    if len(values) != n:
        raise fail(
            FUNC,
            f"customer_ids has {n} values but {name} has {len(values)}; "
            "give ranges of the same length (one row per transaction)",
        )


def flag_texts(labels: pd.Index, test: Callable[[Any], bool]) -> np.ndarray:
    """``test(label)`` for each label, for a test that only a text that is empty or starts
    with white space or ``#`` can pass (:func:`~crmvalue_core.cells.is_blank`,
    :func:`~crmvalue_core.cells.is_error_value`): one boolean per label.

    The first character of every label is read at once (pandas' string methods); ``test``
    runs in Python only for the labels whose first character could pass, so a column of
    ordinary customer ids costs no loop in Python.

    >>> from crmvalue_core.cells import is_error_value
    >>> flag_texts(pd.Index(["C1", " #n/a", "#x", "", 7]), is_error_value).tolist()
    [False, True, False, False, False]
    >>> flag_texts(pd.Index(["C1", " ", ""]), is_blank).tolist()
    [False, True, True]
    """
    try:
        first = pd.Series(labels, copy=False).str[:1]
    except AttributeError:  # no texts at all (pandas refuses .str)
        return np.fromiter((test(v) for v in labels), dtype=bool, count=len(labels))
    starts = [c for c in first.dropna().unique() if c == "" or c == "#" or c.isspace()]
    flags = np.zeros(len(labels), dtype=bool)
    for i in np.flatnonzero(first.isin(starts).to_numpy(dtype=bool)):
        flags[i] = test(labels[i])
    return flags


def _customer_codes(ids: np.ndarray | pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer code of each row's customer, codes numbered in the order of the labels."""
    codes, labels = pd.factorize(ids, sort=False)
    labels = pd.Index(labels)
    if np.any(codes < 0):
        i = int(np.flatnonzero(codes < 0)[0])
        raise fail(FUNC, f"customer_ids item {i + 1} is blank; enter the customer of every row")
    if labels.dtype == object or pd.api.types.is_string_dtype(labels.dtype):
        blank = flag_texts(labels, is_blank)
        if np.any(blank):
            i = int(np.flatnonzero(codes == np.flatnonzero(blank)[0])[0])
            raise fail(FUNC, f"customer_ids item {i + 1} is blank; enter the customer of every row")
    try:
        order = np.asarray(labels.argsort())
    except TypeError:  # labels of mixed types that cannot be ordered: keep first-seen order
        return codes.astype(np.int64), labels
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return rank[codes], labels[order]


def read_transaction_log(
    customer_ids: Any, dates: Any, amounts: Any = None, date_format: str | None = None
) -> tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray | None]:
    """Read a transaction log as :func:`summary_from_transactions` does, for the other
    calculators that start from one (the holdout validation).

    Returns the customer code of each row (int64, numbered in the order of the sorted
    customers), the customers, the day of each row (days since 1970-01-01, int64) and the
    amounts (float, or None). Bad input raises the messages of
    :func:`summary_from_transactions` (starting with its Excel name).

    >>> log = read_transaction_log(["B", "A"], ["1970-01-02", "1970-01-01"])
    >>> codes, labels, days, amounts = log
    >>> codes.tolist(), list(labels), days.tolist(), amounts
    ([1, 0], ['A', 'B'], [1, 0], None)
    """
    ids = _as_column("customer_ids", customer_ids)
    raw_dates = _as_column("dates", dates)
    n = len(ids)
    if n == 0:
        raise fail(FUNC, "customer_ids is empty; give at least one transaction")
    _same_length(n, "dates", raw_dates)
    codes, labels = _customer_codes(ids)
    day = _dates_to_days("dates", raw_dates, date_format)
    value = None
    if amounts is not None:
        column = _as_column("amounts", amounts)
        _same_length(n, "amounts", column)
        value = as_values(FUNC, "amounts", column, blank="error", ndim=1)
        if np.any(value < 0):
            i = int(np.flatnonzero(value < 0)[0])
            raise fail(
                FUNC,
                f"amounts item {i + 1} is {value[i]:g}, below 0; enter purchase values >= 0 "
                "(net returns against their purchases first)",
            )
    return np.asarray(codes, dtype=np.int64), labels, day, value


def read_date(name: str, value: Any, date_format: str | None = None) -> int:
    """One date argument (a date, ISO text or text in ``date_format``, an Excel serial
    number) as days since 1970-01-01; the error names ``name``.

    >>> read_date("observation_end", "1970-01-31")
    30
    """
    return _one_date(name, value, date_format)
