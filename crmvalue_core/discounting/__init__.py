"""Discounting: NPV, IRR and MIRR of period cash flows, XNPV and XIRR of dated ones.

Five calculators:

* :func:`npv_crm` -- net present value with the period-0 convention (the first flow is
  today and is not discounted, unlike Excel's NPV);
* :func:`irr_crm` -- the rate at which that NPV is zero, unique or chosen with a guess;
* :func:`mirr_crm` -- Excel's modified IRR, which always has one answer;
* :func:`xnpv_crm` and :func:`xirr_crm` -- Excel's XNPV and XIRR for dated flows.

The period functions read the last axis as time: a ``(n_series, n_periods)`` array gives
``n_series`` results. An undefined result in such a batch is NaN (``errors="raise"``
raises instead); a single series always raises, with a message that says why.

How IRR_CRM solves a batch without a Python loop over the series. With
:math:`x = 1/(1+r)` the NPV is the polynomial :math:`p(x) = \\sum_t c_t x^t`, and a rate
above -100% is a root :math:`x > 0`. By Descartes' rule of signs a series whose flows
change sign exactly once (the usual investment: costs first, then returns) has exactly
one such root. Those series are solved together by Newton's method on
:math:`u = \\ln x = -\\ln(1+r)`, vectorised over the series, until the step in
:math:`\\ln(1+r)` is below 1e-12. Series whose flows change sign more than once can have
several roots, or none: all their roots come from the eigenvalues of their companion
matrices (numpy's batched ``eigvals``), polished by the same vectorised Newton and
accepted only when the sign of :math:`p` alternates across them as it must. Any series
left undecided (a double root, a nearly real complex pair, no convergence) goes to an
exact per-series method, :func:`_exp_sum_roots`: by Rolle's theorem the roots of
:math:`e^{-au} p(e^u)` are separated by those of its derivative, which changes sign once
less, so every root is bracketed level by level and refined by Brent's method. The same
exact method solves XIRR, whose exponents are not whole numbers (Descartes' rule holds
for real exponents too).

The helpers without a leading underscore that are not in ``__all__`` (``net_flows``,
``present_value``, ``irr_rows``, ``mirr_values`` ...) are shared with
:mod:`crmvalue_core.investment`; they are not part of the public API.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._cashflows import (
    Errors,
    Undefined,
    cash_range,
    check_errors,
    finish,
    flag_overflow,
    mirr_values,
    net_flows,
    present_value,
    read_rate,
)
from .._inputs import as_number, as_vector, fail, is_omitted, numeric_array
from .._shapes import fit_shapes, same_length
from ..cells import EXCEL_EPOCH, RATE_HINT, describe, is_blank

__all__ = ["irr_crm", "mirr_crm", "npv_crm", "xirr_crm", "xnpv_crm"]

#: Newton stops when its step in ln(1+r) is at most this; the rate is then far inside
#: the promised 1e-10 (the error after the last step is of the order of its square).
_STEP_TOL = 1e-12
_MAX_NEWTON = 60
#: The first Newton iterate: a rate of 10%, Excel's default guess.
_START = -math.log1p(0.1)
#: Serial number of 1970-01-01 (numpy's day 0) in Excel's 1900 date system: 25569.
_UNIX_SERIAL = (dt.date(1970, 1, 1) - EXCEL_EPOCH).days
_EPS = float(np.finfo(float).eps)


NO_SIGN_CHANGE = Undefined(
    "flows never change sign",
    "the flows never change sign, so no rate makes their NPV zero; an IRR needs at "
    "least one negative and one positive net flow",
)


def percent_list(rates: list[float]) -> str:
    """``"10% and 20%"``: rates as percentages, with just enough digits to differ."""
    texts = [f"{100 * r:.4g}%" for r in rates]
    for digits in range(4, 17):
        texts = [f"{100 * r:.{digits}g}%" for r in rates]
        if len(set(texts)) == len(texts):
            break
    if len(texts) == 1:
        return texts[0]
    return ", ".join(texts[:-1]) + " and " + texts[-1]


def sign_changes(coef: np.ndarray) -> np.ndarray:
    """How often each column of ``coef`` (periods x series) changes sign, zeros ignored."""
    periods, count = coef.shape
    changes = np.zeros(count, dtype=np.int64)
    if np.count_nonzero(coef) == coef.size:
        before = coef[0] > 0
        for t in range(1, periods):
            now = coef[t] > 0
            changes += before != now
            before = now
        return changes
    before = np.sign(coef[0])
    for t in range(1, periods):
        now = np.sign(coef[t])
        changes += now * before < 0
        before = np.where(now != 0, now, before)
    return changes


#: Series solved together in one block of the vectorised Newton iteration: small
#: enough for its arrays to stay in the processor's cache, big enough to amortise
#: numpy's per-call overhead.
_BLOCK = 16384
#: Companion-matrix entries per batched eigenvalue call (32 MB of float64).
_EIG_BLOCK = 1 << 22


def _newton_irr(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IRRs of series whose flows change sign exactly once, by vectorised Newton.

    ``coef`` is periods x series (C order; it is not modified). Newton's method runs on
    :math:`u = \\ln x = -\\ln(1+r)`, with Horner's rule for :math:`p(x) = \\sum_t c_t
    x^t` and :math:`x p'(x)`, on blocks of series at once; a step is at most 1 in ``u``,
    and ``u`` stays where :math:`x^n` cannot overflow. Returns the rates and a mask of
    the series that converged; the others are left to the exact method.
    """
    periods, count = coef.shape
    big = max(float(coef.max()), -float(coef.min()))
    if big > 1e100 or big < 1e-100:
        coef = coef / big
        big = 1.0
    degree = periods - 1
    upper = (700.0 - max(math.log(big), 0.0) - math.log(periods)) / degree
    lower = -700.0 / degree
    solved = np.full(count, np.nan)
    with np.errstate(all="ignore"):
        for start in range(0, count, _BLOCK):
            block = slice(start, min(start + _BLOCK, count))
            solved[block] = _newton_block(coef[:, block], lower, upper)
        rates = np.expm1(-solved)
    ok = np.isfinite(rates) & (rates > -1.0)
    return rates, ok


def _newton_block(coef: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """The ``u`` solving one block (NaN where Newton did not converge)."""
    count = coef.shape[1]
    rows = np.arange(count)
    u = np.full(count, _START)
    solved = np.full(count, np.nan)
    for _ in range(_MAX_NEWTON):
        value, slope = _horner(coef, u)
        step = value / slope  # the Newton step in u is -step
        done = np.abs(step) <= _STEP_TOL
        pending = ~done & np.isfinite(step)
        left = int(np.count_nonzero(pending))
        if left == 0 or 2 * left < rows.size:
            solved[rows[done]] = u[done] - step[done]
            if left == 0:
                break
            keep = np.flatnonzero(pending)
            rows, u, step, coef = rows[keep], u[keep], step[keep], coef.take(keep, axis=1)
        u -= np.clip(step, -1.0, 1.0)
        np.clip(u, lower, upper, out=u)
    return solved


def _scaled_sum(b: np.ndarray, k: np.ndarray) -> tuple[Callable[[float], float], Any]:
    """E(u) = sum_i b_i exp(k_i u) times exp(-max_i k_i u) (same sign, no overflow)."""
    size = np.abs(b)

    def value(u: float) -> float:
        e = k * u
        return float(np.dot(b, np.exp(e - e.max())))

    def scale(u: float) -> float:
        e = k * u
        return float(np.dot(size, np.exp(e - e.max())))

    return value, scale


def _sign(v: float) -> float:
    return 0.0 if v == 0 else math.copysign(1.0, v)


def _solve_between(
    value: Callable[[float], float], left: float, right: float, s_left: float, s_right: float
) -> float | None:
    """The root of a monotone ``value`` on (left, right), where its end signs differ.

    An infinite end is first replaced by a finite point of the same sign, stepping out
    in doubling steps.
    """
    if math.isinf(left) and math.isinf(right):
        middle = _sign(value(0.0))
        if middle == 0:
            return 0.0
        if middle == s_left:
            left = 0.0
        else:
            right = 0.0
    if math.isinf(left) or math.isinf(right):
        direction = -1.0 if math.isinf(left) else 1.0
        near, target = (right, s_left) if math.isinf(left) else (left, s_right)
        step = 1.0
        while True:
            far = near + direction * step
            s_far = _sign(value(far))
            if s_far == 0:
                return far
            if s_far == target:
                break
            if step > 1e6:
                return None
            near, step = far, 2.0 * step
        left, right = (far, near) if direction < 0 else (near, far)
    from scipy import optimize  # loaded on first use: most IRRs never need it

    return float(optimize.brentq(value, left, right, xtol=1e-15, rtol=4 * _EPS, maxiter=500))


def _exp_sum_roots(b: np.ndarray, k: np.ndarray) -> list[float]:
    """All real roots u of E(u) = sum_i b_i exp(k_i u), ``k`` increasing, ``b`` nonzero.

    Shift by a (between the exponents at the first sign change): E_a(u) = e^{-au} E(u)
    has the same roots, and its derivative sum_i b_i (k_i - a) e^{(k_i - a) u} changes
    sign once less. Between consecutive roots of that derivative (Rolle) E_a is
    monotone, so it has at most one root there, bracketed by the signs at the ends and
    refined by Brent's method. A root of the derivative where E itself vanishes (to
    rounding) is a touching root, kept too. Levels are built down to one sign change,
    which has exactly one root, and solved back up.
    """
    levels: list[tuple[np.ndarray, np.ndarray]] = []
    while True:
        sign = np.sign(b)
        flips = np.flatnonzero(sign[1:] != sign[:-1])
        if flips.size == 0:
            break
        j = int(flips[0])
        k = k - 0.5 * (k[j] + k[j + 1])
        levels.append((b, k))
        if flips.size == 1:
            break
        b = b * k
        b = b / np.abs(b).max()
    roots: list[float] = []
    for b, k in reversed(levels):
        value, scale = _scaled_sum(b, k)
        found: list[float] = []
        ends: list[tuple[float, float]] = [(-math.inf, _sign(b[0]))]
        for c in roots:
            v = value(c)
            if abs(v) <= 1e-12 * scale(c):
                found.append(c)
                ends.append((c, 0.0))
            else:
                ends.append((c, _sign(v)))
        ends.append((math.inf, _sign(b[-1])))
        for (left, s_left), (right, s_right) in itertools.pairwise(ends):
            if s_left * s_right < 0:
                root = _solve_between(value, left, right, s_left, s_right)
                if root is not None:
                    found.append(root)
        roots = sorted(found)
    return roots


def _rates_from_roots(roots: list[float]) -> list[float]:
    """Rates r = e^{-u} - 1 of roots u, keeping those above -100% a float can hold."""
    rates = (math.expm1(-u) + 0.0 for u in roots if -u < 709.0)  # + 0.0: no -0.0
    return sorted(r for r in rates if r > -1.0)


def exact_irrs(flows: np.ndarray) -> list[float]:
    """Every rate above -100% at which the NPV of one series (1-D) is zero, ascending."""
    where = np.flatnonzero(flows)
    if where.size < 2:
        return []
    return _rates_from_roots(_exp_sum_roots(flows[where], where.astype(float)))


def _horner(coef: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h(u) = sum_k c_k e^{ku} and dh/du for each column of ``coef`` (terms x columns)."""
    x = np.exp(u)
    value = coef[-1].copy()
    slope = np.zeros_like(value)
    for k in range(coef.shape[0] - 2, -1, -1):
        slope *= x
        slope += value
        value *= x
        value += coef[k]
    return value, slope * x


def _eig_irrs(net: np.ndarray) -> list[list[float] | None]:
    """Every IRR of each row of ``net`` (2-D), from companion-matrix eigenvalues, checked.

    For the rows whose flows change sign several times: the positive real roots x of
    :math:`p(x) = \\sum_t c_t x^t` are the eigenvalues of its companion matrix
    (numpy's batched ``eigvals``, all rows of one degree at once), each polished by
    Newton's method to a step below 1e-12 in :math:`\\ln x`. A row's roots are only
    accepted when every one converged, none is (nearly) double, no eigenvalue is nearly
    real, and the sign of p alternates across them as its end signs require (so no
    root was lost); otherwise the row's entry is None and the exact method decides.
    """
    count, periods = net.shape
    found: list[list[float] | None] = [None] * count
    nonzero = net != 0
    first = np.argmax(nonzero, axis=1)
    degree = periods - 1 - np.argmax(nonzero[:, ::-1], axis=1) - first
    degree[~nonzero.any(axis=1)] = 0  # all zero: no root
    with np.errstate(all="ignore"):
        for d in np.unique(degree):
            if d < 2:
                continue
            same_degree = np.flatnonzero(degree == d)
            block = max(1, _EIG_BLOCK // (d * d))  # bound the companion matrices' memory
            for begin in range(0, same_degree.size, block):
                _eig_block(net, first, int(d), same_degree[begin : begin + block], found)
    return found


def _eig_block(
    net: np.ndarray,
    first: np.ndarray,
    d: int,
    rows: np.ndarray,
    found: list[list[float] | None],
) -> None:
    """:func:`_eig_irrs` for ``rows`` of ``net``, whose polynomials all have degree ``d``."""
    coef = net[rows[:, np.newaxis], first[rows][:, np.newaxis] + np.arange(d + 1)]
    companion = np.zeros((rows.size, d, d))
    companion[:, np.arange(1, d), np.arange(d - 1)] = 1.0
    companion[:, :, -1] = -coef[:, :d] / coef[:, d:]
    usable = np.isfinite(companion[:, :, -1]).all(axis=1)  # no overflow in c_t / c_d
    if not usable.all():
        rows, coef, companion = rows[usable], coef[usable], companion[usable]
    roots = np.linalg.eigvals(companion)
    size = np.abs(roots)
    positive = roots.real > 0
    real = positive & (np.abs(roots.imag) <= 1e-7 * size)
    doubtful = (positive & ~real & (np.abs(roots.imag) <= 1e-2 * size)).any(axis=1)
    # every eigenvalue must be a root of p up to rounding (small backward error), or the
    # eigenvalues, and hence the count of real roots, cannot be trusted
    value = np.broadcast_to(coef[:, d : d + 1], roots.shape).astype(complex)
    scale = np.broadcast_to(np.abs(coef[:, d : d + 1]), roots.shape).copy()
    for k in range(d - 1, -1, -1):
        value = value * roots + coef[:, k : k + 1]
        scale = scale * size + np.abs(coef[:, k : k + 1])
    doubtful |= ~(np.abs(value) <= 1e-9 * scale).all(axis=1)
    owner, which = np.nonzero(real & ~doubtful[:, np.newaxis])
    terms = np.ascontiguousarray(coef.T)
    u = np.log(roots.real[owner, which])
    for _ in range(40):
        value, slope = _horner(terms[:, owner], u)
        step = value / slope
        u = u - step
        converged = np.abs(step) <= _STEP_TOL
        if converged.all():
            break
    failed = doubtful.copy()
    failed[owner[~(converged & np.isfinite(u))]] = True
    order = np.lexsort((u, owner))
    owner, u = owner[order], u[order]
    same = owner[1:] == owner[:-1]
    close = same & (np.abs(np.diff(u)) <= 1e-7 * np.maximum(1.0, np.abs(u[1:])))
    failed[owner[1:][close]] = True
    # the sign of p alternates across the roots, from sign(c_0) at x -> 0 ...
    start = np.searchsorted(owner, np.arange(rows.size))
    rank = np.arange(owner.size) - start[owner]
    low = np.sign(coef[:, 0])
    middle_owner = owner[1:][same]
    middle = 0.5 * (u[1:][same] + u[:-1][same])
    sign = np.sign(_horner(terms[:, middle_owner], middle)[0])
    expected = low[middle_owner] * np.where(rank[1:][same] % 2 == 1, -1.0, 1.0)
    failed[middle_owner[sign != expected]] = True
    # ... to sign(c_d) as x -> infinity after an even or odd number of roots
    number = np.bincount(owner, minlength=rows.size)
    failed |= np.sign(coef[:, d]) != low * np.where(number % 2 == 0, 1.0, -1.0)
    for i, row in enumerate(rows):
        if not failed[i]:
            found[row] = _rates_from_roots(u[start[i] : start[i] + number[i]].tolist())


def choose_root(
    rates: list[float], guess: float | None, changes: int, *, alternative: str | None
) -> tuple[float, None] | tuple[None, Undefined]:
    """The IRR among ``rates``: the only one, or the one nearest ``guess``."""
    if len(rates) == 1:
        return rates[0], None
    if not rates:
        if changes <= 1:
            return None, Undefined(
                "IRR not found",
                "the IRR could not be found to 1e-10 (the flows are too extreme)",
            )
        tail = f"; use {alternative} instead" if alternative else ""
        return None, Undefined(
            "no IRR",
            f"no rate above -100% makes the NPV zero (the flows change sign {changes} "
            f"times but their NPV never reaches 0){tail}",
        )
    if guess is None:
        listed = percent_list(rates)
        tail = f", or use {alternative}, which always has one answer" if alternative else ""
        return None, Undefined(
            f"{len(rates)} IRRs: {listed}",
            f"the flows have {len(rates)} IRRs, {listed}; give a guess to get the one "
            f"nearest it{tail}",
        )
    return min(rates, key=lambda r: (abs(r - guess), r)), None


def irr_rows(net: np.ndarray, guess: np.ndarray | None) -> tuple[np.ndarray, dict[int, Undefined]]:
    """IRR of each row of a 2-D array of net flows, and the reasons for the NaNs."""
    count = net.shape[0]
    values = np.full(count, np.nan)
    reasons: dict[int, Undefined] = {}
    coef = np.array(net.T, dtype=float, order="C")  # periods x series, contiguous rows
    changes = sign_changes(coef)
    single = np.flatnonzero(changes == 1)
    hard = np.flatnonzero(changes > 1)
    if single.size:
        rates, ok = _newton_irr(coef if single.size == count else coef.take(single, axis=1))
        values[single[ok]] = rates[ok]
        if not ok.all():
            hard = np.sort(np.concatenate([single[~ok], hard]))
    for flat in np.flatnonzero(changes == 0):
        reasons[int(flat)] = NO_SIGN_CHANGE
    several = np.flatnonzero(changes > 1)
    by_eig = dict(zip(several.tolist(), _eig_irrs(net[several]), strict=True))
    for flat in hard:
        row = int(flat)
        rates = by_eig.get(row)
        value, why = choose_root(
            exact_irrs(net[row]) if rates is None else rates,
            None if guess is None else float(guess[row]),
            int(changes[row]),
            alternative="MIRR_CRM",
        )
        if why is None:
            values[row] = value
        else:
            reasons[row] = why
    return values, reasons


# ------------------------------------------------------------------------------- dates


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


def read_dates(func: str, name: str, dates: Any) -> np.ndarray:
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


def year_fractions(func: str, serial: np.ndarray) -> np.ndarray:
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
    serial = read_dates(func, "dates", dates)
    same_length(func, ("flows", amounts), ("dates", serial))
    return amounts, year_fractions(func, serial)


# ------------------------------------------------------------------------------ public


def npv_crm(
    rate: ArrayLike,
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Net present value with the period-0 convention: the first flow is not discounted.

    Parameters
    ----------
    rate : scalar or array_like
        Discount rate per period as a decimal (10% = 0.1), above -1. An array gives one
        rate per row of ``flows`` (or, for a single series, one NPV per rate).
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis). A blank (None)
        counts as 0. A 2-D ``(n_series, n_periods)`` array gives one NPV per row.
    costs : array_like, optional
        Costs of the same length; then ``flows`` are benefits and the net flow is
        ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with an undefined result (here only an overflow): NaN, or
        raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The NPV: a float for one series, else an array with one value per series.

    Raises
    ------
    CrmValueError
        ``NPV_CRM: ...`` for text, booleans, error values, NaN or infinity in any
        argument, a rate at or below -100%, ranges of different lengths or an empty range.

    Notes
    -----
    .. math:: NPV = \\sum_{t=0}^{n-1} \\frac{c_t}{(1+r)^t}, \\qquad c_t = b_t - k_t

    The period-0 convention of corporate finance (Brealey, Myers & Allen, *Principles
    of Corporate Finance*, ch. 2) and of numpy_financial's ``npv``. Excel's NPV
    discounts the first value too: NPV_CRM(r, c) = c_0 + NPV(r, c_1..c_{n-1}).

    Examples
    --------
    >>> npv_crm(0.10, [-100000, 30000, 35000, 40000, 45000])
    16986.54463
    >>> npv_crm(0.10, [0, 30000, 35000], costs=[100000, 0, 0])
    -43801.65289
    >>> npv_crm([0.0, 0.10], [[-100, 60, 60], [-100, 60, 60]])
    array([20.        ,  4.13223141])
    """
    func = "NPV_CRM"
    check_errors(func, errors)
    r = read_rate(func, "rate", rate)
    quick = _npv_unchecked(r, flows) if is_omitted(costs) else None
    if quick is not None:
        return finish(func, quick, {}, errors)
    net = net_flows(func, flows, costs)
    fit_shapes(func, ("flows", net.shape[:-1]), ("rate", np.shape(r)))
    values = np.array(present_value(net, r), dtype=float)
    reasons: dict[int, Undefined] = {}
    flag_overflow(values, reasons, "NPV")
    return finish(func, values, reasons, errors)


def _npv_unchecked(rate: float | np.ndarray, flows: Any) -> np.ndarray | None:
    """The NPV of a numeric array at one rate, checked through its result, or None.

    The fast path of :func:`npv_crm` for big batches. With every discount factor finite
    and positive, a NaN or an infinity among the flows always makes the NPV of its
    series NaN or infinite, so checking the n_series results is as good as checking the
    n_series x n_periods flows. None (use the full path, which names the bad item) when
    the input is not a plain numeric array or a result is not finite.
    """
    array = numeric_array(flows)
    if array is None or np.ndim(rate) != 0:
        return None
    with np.errstate(over="ignore", under="ignore"):
        factors = (1.0 + float(rate)) ** -np.arange(array.shape[-1], dtype=float)
    if not (np.isfinite(factors).all() and (factors > 0).all()):
        return None
    values = np.asarray(array.astype(float, copy=False) @ factors, dtype=float)
    return values if np.isfinite(values).all() else None


def irr_crm(
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    guess: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Internal rate of return: the rate at which :func:`npv_crm` of the flows is zero.

    Parameters
    ----------
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one IRR per row.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    guess : scalar or array_like, optional
        Only used when the flows have several IRRs: the IRR nearest the guess is
        returned. One guess, or one per row. Above -1.
    errors : {"nan", "raise"}, optional
        What a batch does with a series without a unique IRR: NaN (default), or raise
        the error of the first such row. A single series always raises.

    Returns
    -------
    float or ndarray
        The IRR as a decimal, to 1e-10 (relative to 1 + IRR for IRRs above 10,000%).

    Raises
    ------
    CrmValueError
        ``IRR_CRM: ...`` for bad input as in :func:`npv_crm`; for a single series also
        when the flows never change sign, when no rate makes the NPV zero, or when there
        are several IRRs and no guess (the message lists them and points to MIRR_CRM).

    Notes
    -----
    The IRR is the root :math:`r > -1` of

    .. math:: \\sum_{t=0}^{n-1} \\frac{c_t}{(1+r)^t} = 0 .

    With :math:`x = 1/(1+r)` this is a polynomial in :math:`x > 0`; by Descartes' rule
    of signs it has at most as many positive roots as the flows have sign changes, and
    exactly one when they change sign once (the conventional case, solved for all
    series at once by vectorised Newton). For series with more sign changes every root
    is found: from the eigenvalues of the companion matrices (batched), polished by
    Newton and checked by the sign changes of the NPV between them, or, where that check
    fails, by isolating each root with Rolle's theorem and refining it by Brent's
    method (see the module notes). The definition matches Excel's IRR and
    ``pyxirr.irr``; unlike them, several IRRs are never silently reduced to one.

    Examples
    --------
    >>> irr_crm([-100000, 30000, 35000, 40000, 45000])
    0.1709368634
    >>> irr_crm([-100, 230, -132], guess=0.25)
    0.2
    >>> irr_crm([[-100, 110, 0], [-100, 0, 144]]).round(10)
    array([0.1, 0.2])
    """
    func = "IRR_CRM"
    check_errors(func, errors)
    net = net_flows(func, flows, costs)
    lead = net.shape[:-1]
    chosen: np.ndarray | None = None
    if not is_omitted(guess):
        g = read_rate(func, "guess", guess)
        if isinstance(g, np.ndarray) and g.size == 1:
            g = float(g.reshape(-1)[0])
        if fit_shapes(func, ("flows", lead), ("guess", np.shape(g))) != lead:
            raise fail(func, "guess has more values than flows has rows; give one guess")
        chosen = np.broadcast_to(np.asarray(g, dtype=float), lead).reshape(-1)
    values, reasons = irr_rows(net.reshape(-1, net.shape[-1]), chosen)
    return finish(func, values.reshape(lead), reasons, errors)


def mirr_crm(
    flows: ArrayLike,
    finance_rate: ArrayLike,
    reinvest_rate: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Modified internal rate of return, as Excel's MIRR.

    Parameters
    ----------
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one MIRR per row.
    finance_rate : scalar or array_like
        Rate paid on the money invested (the negative flows), above -1.
    reinvest_rate : scalar or array_like
        Rate earned on reinvested returns (the positive flows), above -1.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with a series without both a negative and a positive flow:
        NaN (default), or raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The MIRR as a decimal.

    Raises
    ------
    CrmValueError
        ``MIRR_CRM: ...`` for bad input as in :func:`npv_crm`; for a single series
        also when the flows have no negative or no positive value (Excel's #DIV/0!).

    Notes
    -----
    With :math:`n` periods, positive flows compounded to period :math:`n-1` at the
    reinvest rate and negative flows discounted to period 0 at the finance rate:

    .. math:: MIRR = \\left( \\frac{-\\sum_t c_t^+ (1+r_r)^{n-1-t}}
        {\\sum_t c_t^- (1+r_f)^{-t}} \\right)^{1/(n-1)} - 1

    as in Excel's MIRR (Microsoft Support, "MIRR function"); it always has one answer.

    Examples
    --------
    >>> mirr_crm([-100000, 30000, 35000, 40000, 45000], 0.10, 0.12)
    0.1515604194
    >>> mirr_crm([[-100, 0, 121], [-100, 50, 60]], 0.10, [0.10, 0.0])
    array([0.1       , 0.04880885])
    """
    func = "MIRR_CRM"
    check_errors(func, errors)
    fr = read_rate(func, "finance_rate", finance_rate)
    rr = read_rate(func, "reinvest_rate", reinvest_rate)
    net = net_flows(func, flows, costs)
    fit_shapes(
        func,
        ("flows", net.shape[:-1]),
        ("finance_rate", np.shape(fr)),
        ("reinvest_rate", np.shape(rr)),
    )
    values, reasons = mirr_values(net, fr, rr)
    return finish(func, values, reasons, errors)


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
    rates = _rates_from_roots(_exp_sum_roots(b, k))
    value, why = choose_root(rates, g, changes, alternative=None)
    if why is not None:
        raise fail(func, why.message.replace("NPV", "XNPV"))
    return float(value)
