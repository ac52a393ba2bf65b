"""Period cash flows, shared by the discounting and the investment calculators.

The functions of :mod:`crmvalue_core.discounting` and :mod:`crmvalue_core.investment` read
their arguments, compute and report alike, through the helpers here:

* reading: :func:`net_flows` (flows minus costs, blanks as 0, time on the last axis),
  :func:`cash_range`, :func:`read_rate`, :func:`check_errors`;
* formulas: :func:`present_value`, :func:`future_value`, :func:`mirr_values`,
  :func:`payback_values`;
* results: a batch of series gives one result per series, NaN where undefined with an
  :class:`Undefined` reason; :func:`finish` turns them into a float (raising for an
  undefined single result) or an array (raising only with ``errors="raise"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ._inputs import as_numbers_fast, as_values, as_vector, fail, fast_array, is_omitted
from ._shapes import fit_shapes, same_length
from .cells import RATE_HINT, describe

__all__ = [
    "Errors",
    "Undefined",
    "cash_range",
    "check_errors",
    "finish",
    "flag_overflow",
    "future_value",
    "mirr_values",
    "net_flows",
    "payback_values",
    "present_value",
    "read_rate",
]

#: What a batch does with an undefined result: NaN, or raise the error of the first.
Errors = Literal["nan", "raise"]


@dataclass(frozen=True)
class Undefined:
    """Why a result is undefined: a short ``note`` for a table cell and the full ``message``.

    >>> Undefined("no IRR", "no rate above -100% makes the NPV zero").note
    'no IRR'
    """

    note: str
    message: str


# ----------------------------------------------------------------------------- reading


def check_errors(func: str, errors: Any) -> None:
    """Refuse an ``errors`` argument other than ``"nan"`` or ``"raise"``.

    >>> check_errors("NPV_CRM", "nan")
    >>> try:
    ...     check_errors("NPV_CRM", "ignore")
    ... except ValueError as error:
    ...     print(error)
    NPV_CRM: errors is the text 'ignore'; enter 'nan' or 'raise'
    """
    if not (isinstance(errors, str) and errors in ("nan", "raise")):
        raise fail(func, f"errors is {describe(errors)}; enter 'nan' or 'raise'")


def cash_range(func: str, name: str, values: Any, *, ndim: int | None = None) -> np.ndarray:
    """Read a cash-flow range (blanks count as 0) into a float array of at least 1-D.

    A big numeric array takes the fast path of :func:`~crmvalue_core._inputs.fast_array`
    and comes back uncopied: never modify it in place. Anything else, or an array that
    fails the check, goes through :func:`~crmvalue_core._inputs.as_values`, which names
    the first bad item. ``ndim=1`` asks for one series (a single row or column).

    >>> cash_range("NPV_CRM", "flows", [-100, None, 60])
    array([-100.,    0.,   60.])
    """
    array = fast_array(func, name, values)
    if array is None:
        return np.atleast_1d(as_values(func, name, values, ndim=ndim))
    return as_vector(func, name, array) if ndim == 1 else array


def net_flows(
    func: str,
    flows: Any,
    costs: Any = None,
    *,
    name: str = "flows",
    ndim: int | None = None,
) -> np.ndarray:
    """``flows`` (minus ``costs`` when given), checked, as a float array, time last.

    >>> net_flows("NPV_CRM", [0, 60, 60], [100, 0, 0])
    array([-100.,   60.,   60.])
    """
    net = cash_range(func, name, flows, ndim=ndim)
    if is_omitted(costs):
        return net
    cost = cash_range(func, "costs", costs, ndim=ndim)
    same_length(func, (name, net), ("costs", cost))
    fit_shapes(func, (name, net.shape[:-1]), ("costs", cost.shape[:-1]))
    return net - cost


def read_rate(func: str, name: str, value: Any) -> float | np.ndarray:
    """A rate above -100%: a float, or an array (a single row or column is flattened).

    >>> read_rate("NPV_CRM", "rate", 0.1), read_rate("NPV_CRM", "rate", [[0.1], [0.2]])
    (0.1, array([0.1, 0.2]))
    """
    rate = as_numbers_fast(func, name, value, above=-1.0, hint=RATE_HINT)
    if isinstance(rate, np.ndarray) and rate.ndim == 2 and 1 in rate.shape:
        rate = rate.reshape(-1)
    return rate


# ----------------------------------------------------------------------------- results


def _series_name(flat: int, shape: tuple[int, ...]) -> str:
    """Name the series behind result ``flat`` of a batch, 1-based, as a user counts."""
    index = np.unravel_index(flat, shape)
    if len(shape) == 1:
        return f"row {int(index[0]) + 1}"
    return "series (" + ", ".join(str(int(i) + 1) for i in index) + ")"


def finish(
    func: str, values: np.ndarray, reasons: dict[int, Undefined], errors: str
) -> float | np.ndarray:
    """A float for a single result (raising if it is undefined), else the batch array.

    ``values`` already holds NaN where ``reasons`` (keyed by flat index) says why.

    >>> why = {1: Undefined("no IRR", "no rate makes the NPV zero")}
    >>> finish("IRR_CRM", np.array([0.1, np.nan]), why, "nan")
    array([0.1, nan])
    >>> try:
    ...     finish("IRR_CRM", np.array([0.1, np.nan]), why, "raise")
    ... except ValueError as error:
    ...     print(error)
    IRR_CRM: row 2: no rate makes the NPV zero
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 0:
        if reasons:
            raise fail(func, next(iter(reasons.values())).message)
        return float(values)
    if reasons and errors == "raise":
        first = min(reasons)
        raise fail(func, f"{_series_name(first, values.shape)}: {reasons[first].message}")
    return values


def flag_overflow(values: np.ndarray, reasons: dict[int, Undefined], what: str) -> None:
    """Turn results too large for a float into NaN with a reason (in place).

    >>> values, reasons = np.array([1.0, np.inf]), {}
    >>> flag_overflow(values, reasons, "NPV")
    >>> values, reasons[1].note
    (array([ 1., nan]), 'too large')
    """
    bad = ~np.isfinite(values)
    if bad.any():
        why = Undefined(
            "too large", f"the {what} is too large to compute; check the rates and flows"
        )
        for flat in np.flatnonzero(bad):
            reasons.setdefault(int(flat), why)
        values[bad] = np.nan


# ---------------------------------------------------------------------------- formulas


def present_value(net: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """sum_t net_t / (1+rate)^t over the last axis; ``rate`` broadcasts over the rows.

    The period-0 convention: the first flow is today and is not discounted.

    >>> present_value(np.array([-100.0, 110.0]), 0.1)
    array(0.)
    """
    periods = net.shape[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        if np.ndim(rate) == 0:
            factors = (1.0 + float(rate)) ** -np.arange(periods, dtype=float)
            return np.asarray(net @ factors, dtype=float)
        x = 1.0 / (1.0 + np.asarray(rate, dtype=float))
        total = np.zeros(np.broadcast_shapes(net.shape[:-1], x.shape))
        for t in range(periods - 1, -1, -1):
            total = total * x + net[..., t]
    return total


def future_value(net: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """sum_t net_t (1+rate)^(n-1-t): the value at the last period n-1.

    >>> future_value(np.array([100.0, 0.0, 0.0]), 0.1)
    array(121.)
    """
    periods = net.shape[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        if np.ndim(rate) == 0:
            factors = (1.0 + float(rate)) ** np.arange(periods - 1, -1, -1, dtype=float)
            return np.asarray(net @ factors, dtype=float)
        grow = 1.0 + np.asarray(rate, dtype=float)
        total = np.zeros(np.broadcast_shapes(net.shape[:-1], grow.shape))
        for t in range(periods):
            total = total * grow + net[..., t]
    return total


def mirr_values(
    net: np.ndarray,
    finance_rate: float | np.ndarray,
    reinvest_rate: float | np.ndarray,
) -> tuple[np.ndarray, dict[int, Undefined]]:
    """Excel's MIRR of each series (last axis = time) and the reasons for the NaNs.

    With n periods: (FV of the positive flows at the reinvest rate / -PV of the negative
    flows at the finance rate)^(1/(n-1)) - 1 (Microsoft Support, "MIRR function").

    >>> mirr_values(np.array([-100.0, 0.0, 121.0]), 0.1, 0.1)
    (array(0.1), {})
    """
    periods = net.shape[-1]
    shape = np.broadcast_shapes(net.shape[:-1], np.shape(finance_rate), np.shape(reinvest_rate))
    gains = np.maximum(net, 0.0)
    losses = np.minimum(net, 0.0)
    has_gain = np.broadcast_to(gains.any(axis=-1), shape)
    has_loss = np.broadcast_to(losses.any(axis=-1), shape)
    with np.errstate(all="ignore"):
        pv_losses = present_value(losses, finance_rate)
        fv_gains = future_value(gains, reinvest_rate)
        ratio = fv_gains / -pv_losses
        values = np.expm1(np.log(ratio) / max(periods - 1, 1))
    values = np.array(np.broadcast_to(values, shape), dtype=float)
    reasons: dict[int, Undefined] = {}
    no_loss = Undefined(
        "no negative flow",
        "the flows have no negative value; MIRR needs at least one negative and one "
        "positive net flow",
    )
    no_gain = Undefined(
        "no positive flow",
        "the flows have no positive value; MIRR needs at least one negative and one "
        "positive net flow",
    )
    for flat in np.flatnonzero(~has_loss):
        reasons[int(flat)] = no_loss
    for flat in np.flatnonzero(~has_gain & has_loss):
        reasons[int(flat)] = no_gain
    undefined = ~(has_gain & has_loss)
    values[undefined] = np.nan
    flag_overflow(values, reasons, "MIRR")
    return values, reasons


def payback_values(
    net: np.ndarray, *, explain: bool = True
) -> tuple[np.ndarray, dict[int, Undefined]]:
    """Payback of each series (last axis = time) and the reasons for the NaNs.

    With the cumulative flow C_t and k the last period with C_k < 0, the payback is
    k + (-C_k) / c_(k+1), 0 when C_t >= 0 throughout (Brealey, Myers & Allen,
    *Principles of Corporate Finance*, ch. 5). The cumulative flow counts as
    non-negative when it is at least -1e-12 times the sum of the absolute flows so far,
    so that rounding in the cumulative sum (0.1 + 0.2 - 0.3) does not turn an exact
    payback into "never".

    ``explain=False`` gives the same values (NaN where never paid back) without the
    reasons, which cost a Python step per unpaid series: the path for Monte Carlo
    batches of millions of draws.

    >>> payback_values(np.array([[-100.0, 50.0, 50.0], [-100.0, 50.0, 40.0]]))[0]
    array([ 2., nan])
    """
    periods = net.shape[-1]
    cumulative = np.cumsum(net, axis=-1)
    slack = 1e-12 * np.cumsum(np.abs(net), axis=-1)
    short = cumulative < -slack
    ever_short = short.any(axis=-1)
    last = periods - 1 - np.argmax(short[..., ::-1], axis=-1)  # last period still short
    paid = ~short[..., -1]
    after = np.minimum(last + 1, periods - 1)
    owed = -np.take_along_axis(cumulative, last[..., np.newaxis], axis=-1)[..., 0]
    inflow = np.take_along_axis(net, after[..., np.newaxis], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inside = np.clip(owed / inflow, 0.0, 1.0)
    values = np.where(ever_short, last + inside, 0.0)
    values = np.array(values, dtype=float).reshape(net.shape[:-1])
    reasons: dict[int, Undefined] = {}
    unpaid = ~paid
    if unpaid.any() and explain:
        still = cumulative[..., -1].reshape(-1)
        word = "period" if periods - 1 == 1 else "periods"
        for flat in np.flatnonzero(unpaid.reshape(-1)):
            reasons[int(flat)] = Undefined(
                f"not paid back within {periods - 1} {word}",
                f"not paid back within {periods - 1} {word}: the cumulative net flow is "
                f"still {still[flat]:,.2f} at the end",
            )
    if unpaid.any():
        values[unpaid] = np.nan
    return values, reasons
