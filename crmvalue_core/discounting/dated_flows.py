"""XNPV and XIRR of dated cash flows, as Excel computes them.

* :func:`xnpv_crm` -- the net present value at the first date, each flow discounted by
  its distance from it in years of 365 days;
* :func:`xirr_crm` -- the annual rate at which that value is zero, every root found by
  the exact method of :mod:`._irr_solver`.

Dates are read as Excel serial day numbers (1900 date system; a time of day is dropped, as
Excel does), whatever form they come in: a serial number, ``datetime.date``,
``datetime.datetime``, numpy ``datetime64`` or pandas ``Timestamp``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._cashflows import Undefined, cash_range, finish, flag_overflow, read_rate
from .._inputs import as_number, as_vector, fail, is_omitted
from .._shapes import same_length
from ..cells import EXCEL_EPOCH, RATE_HINT, describe, is_blank
from ._irr_solver import NO_SIGN_CHANGE, choose_root, exp_sum_roots, rates_from_roots

__all__ = ["xirr_crm", "xnpv_crm"]

#: Serial number of 1970-01-01 (numpy's day 0) in Excel's 1900 date system: 25569.
_UNIX_SERIAL = (dt.date(1970, 1, 1) - EXCEL_EPOCH).days


def _serial_text(serial: float) -> str:
    if serial >= 61:
        return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()
    return f"serial {serial:g}"


def _one_serial(func: str, name: str, position: int, item: Any) -> float:
    """An Excel serial day number from a date-like cell (time of day dropped)."""
    where = f"{name} item {position + 1}"
    if isinstance(item, np.datetime64):
        if np.isnat(item):
            raise fail(func, f"{where} is not a date (NaT); enter a date")
        return float(item.astype("datetime64[D]").astype(np.int64)) + _UNIX_SERIAL
    if isinstance(item, dt.datetime):
        if item != item:  # pandas NaT is a datetime that differs from itself
            raise fail(func, f"{where} is not a date (NaT); enter a date")
        return float((item.date() - EXCEL_EPOCH).days)
    if isinstance(item, dt.date):
        return float((item - EXCEL_EPOCH).days)
    if isinstance(item, numbers.Real) and not isinstance(item, (bool, np.bool_)):
        number = float(item)
        if not math.isfinite(number):
            raise fail(func, f"{where} is {describe(item)}; enter a date")
        if number < 0:
            raise fail(
                func,
                f"{where} is {number:g}, before Excel's first date; enter a date "
                "(an Excel serial number is 1 or more)",
            )
        return float(math.floor(number))
    if is_blank(item):
        raise fail(func, f"{where} is blank; enter a date")
    raise fail(func, f"{where} is {describe(item)}; enter a date or an Excel date serial number")


def _read_dates(func: str, name: str, dates: Any) -> np.ndarray:
    """Dates as Excel serial day numbers (1900 system), a float array of whole days.

    Accepts Excel serial numbers (a fraction, the time of day, is dropped as Excel
    does), ``datetime.date``, ``datetime.datetime``, numpy ``datetime64`` and pandas
    ``Timestamp``; a single row or column.
    """
    array = dates.to_numpy() if hasattr(dates, "to_numpy") else dates
    if isinstance(array, np.ndarray) and array.dtype.kind == "M":
        array = as_vector(func, name, np.atleast_1d(array))
        days = array.astype("datetime64[D]")
        missing = np.flatnonzero(np.isnat(days))
        if missing.size:
            raise fail(func, f"{name} item {missing[0] + 1} is not a date (NaT); enter a date")
        serial = days.astype(np.int64).astype(float) + _UNIX_SERIAL
    else:
        try:
            items = np.atleast_1d(np.asarray(array, dtype=object))
        except ValueError:
            raise fail(func, f"{name} is not a single row or column of dates") from None
        items = as_vector(func, name, items)
        serial = np.array(
            [_one_serial(func, name, i, item) for i, item in enumerate(items)], dtype=float
        )
    if serial.size == 0:
        raise fail(func, f"{name} is empty; give at least one date")
    return serial


def _year_fractions(func: str, serial: np.ndarray) -> np.ndarray:
    """(d_i - d_first)/365, Excel's XNPV/XIRR exponent; refuse a date before the first."""
    first = serial[0]
    early = np.flatnonzero(serial < first)
    if early.size:
        i = int(early[0])
        raise fail(
            func,
            f"dates item {i + 1} ({_serial_text(serial[i])}) is before the first date "
            f"({_serial_text(first)}); put the earliest date first, as Excel requires",
        )
    return (serial - first) / 365.0


def _dated_flows(func: str, flows: Any, dates: Any) -> tuple[np.ndarray, np.ndarray]:
    amounts = cash_range(func, "flows", flows, ndim=1)
    serial = _read_dates(func, "dates", dates)
    same_length(func, ("flows", amounts), ("dates", serial))
    return amounts, _year_fractions(func, serial)


def xnpv_crm(rate: ArrayLike, flows: ArrayLike, dates: Any) -> float | np.ndarray:
    """Net present value of dated cash flows, as Excel's XNPV.

    Parameters
    ----------
    rate : scalar or array_like
        Annual discount rate as a decimal, above -1; an array gives one XNPV per rate.
    flows : array_like
        The cash flows, one series (a single row or column); blanks count as 0.
    dates : array_like
        Their dates, as many as flows: Excel serial numbers (1900 system; a time of day
        is dropped, as Excel does), ``datetime.date``, ``datetime.datetime``, numpy
        ``datetime64`` or pandas ``Timestamp``. The first date is the start; no date
        may be earlier (Excel's #NUM!); the others may come in any order.

    Returns
    -------
    float or ndarray
        The XNPV at the first date.

    Raises
    ------
    CrmValueError
        ``XNPV_CRM: ...`` for text, booleans, error values, NaN or infinity, a rate at
        or below -100%, something that is not a date in ``dates``, a date before the
        first, ranges of different lengths or empty ranges.

    Notes
    -----
    .. math:: XNPV = \\sum_i \\frac{P_i}{(1+r)^{(d_i - d_1)/365}}

    with :math:`d_1` the first date (Microsoft Support, "XNPV function").

    Examples
    --------
    >>> import datetime as dt
    >>> xnpv_crm(0.10, [-1000, 1100], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)])
    0.0
    >>> xnpv_crm([0.0, 0.05], [-1000, 1100], [44927, 45292]).round(6)
    array([100.      ,  47.619048])
    >>> round(xnpv_crm(0.09, [-10000, 2750, 4250, 3250, 2750],
    ...                [39448, 39508, 39751, 39859, 39904]), 2)
    2086.65
    """
    func = "XNPV_CRM"
    r = read_rate(func, "rate", rate)
    amounts, years = _dated_flows(func, flows, dates)
    with np.errstate(over="ignore", invalid="ignore"):
        growth = np.power((1.0 + np.asarray(r, dtype=float))[..., np.newaxis], years)
        values = np.array(np.sum(amounts / growth, axis=-1), dtype=float)
    reasons: dict[int, Undefined] = {}
    flag_overflow(values, reasons, "XNPV")
    return finish(func, values, reasons, "raise")


def xirr_crm(flows: ArrayLike, dates: Any, guess: ArrayLike | None = None) -> float:
    """Internal rate of return of dated cash flows, as Excel's XIRR.

    Parameters
    ----------
    flows : array_like
        The cash flows, one series (a single row or column); blanks count as 0.
    dates : array_like
        Their dates, as in :func:`xnpv_crm`: the first is the start, none earlier.
    guess : scalar, optional
        Only used when there are several IRRs: the one nearest the guess is returned.

    Returns
    -------
    float
        The annual rate r at which :func:`xnpv_crm` is zero, to 1e-10.

    Raises
    ------
    CrmValueError
        ``XIRR_CRM: ...`` for bad input as in :func:`xnpv_crm`; when the flows never
        change sign, when no rate makes the XNPV zero, or when there are several rates
        and no guess (the message lists them).

    Notes
    -----
    The root :math:`r > -1` of :math:`\\sum_i P_i (1+r)^{-(d_i - d_1)/365} = 0`
    (Microsoft Support, "XIRR function"). Flows on the same date are added; by
    Descartes' rule of signs (which holds for real exponents) the number of roots is at
    most the number of sign changes of the flows in date order. All roots are found by
    the exact method of :func:`irr_crm`, so a second root is never missed.

    Examples
    --------
    >>> import datetime as dt
    >>> xirr_crm([-1000, 1100], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)])
    0.1
    >>> xirr_crm([-10000, 2750, 4250, 3250, 2750], [39448, 39508, 39751, 39859, 39904])
    0.3733625335
    """
    func = "XIRR_CRM"
    amounts, years = _dated_flows(func, flows, dates)
    g: float | None = None
    if not is_omitted(guess):
        g = as_number(func, "guess", guess, above=-1.0, hint=RATE_HINT)
    exponents, index = np.unique(years, return_inverse=True)
    sums = np.bincount(index.reshape(-1), weights=amounts, minlength=exponents.size)
    keep = sums != 0
    b, k = sums[keep], exponents[keep]
    sign = np.sign(b)
    changes = int(np.count_nonzero(sign[1:] != sign[:-1]))
    if changes == 0:
        raise fail(func, NO_SIGN_CHANGE.message.replace("NPV", "XNPV"))
    rates = rates_from_roots(exp_sum_roots(b, k))
    value, why = choose_root(rates, g, changes, alternative=None)
    if why is not None:
        raise fail(func, why.message.replace("NPV", "XNPV"))
    return float(value)
