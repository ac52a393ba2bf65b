"""All the rates at which an NPV is zero: the IRR solver behind IRR_CRM and XIRR_CRM.

How IRR_CRM solves a batch without a Python loop over the series. With
:math:`x = 1/(1+r)` the NPV is the polynomial :math:`p(x) = \\sum_t c_t x^t`, and a rate
above -100% is a root :math:`x > 0`. By Descartes' rule of signs a series whose flows
change sign exactly once (the usual investment: costs first, then returns) has exactly
one such root. Those series are solved together by Newton's method on
:math:`u = \\ln x = -\\ln(1+r)`, vectorised over the series, until the step in
:math:`\\ln(1+r)` is below 1e-12. Series whose flows change sign more than once can have
several roots, or none: all their roots come from the eigenvalues of their companion
matrices (numpy's batched ``eigvals``, :func:`eig_irrs`), polished by the same vectorised
Newton and accepted only when the sign of :math:`p` alternates across them as it must.
Any series left undecided (a double root, a nearly real complex pair, no convergence)
goes to an exact per-series method, :func:`exp_sum_roots`: by Rolle's theorem the roots
of :math:`e^{-au} p(e^u)` are separated by those of its derivative, which changes sign
once less, so every root is bracketed level by level and refined by Brent's method. The
same exact method solves XIRR, whose exponents are not whole numbers (Descartes' rule
holds for real exponents too).

Long series (more periods than series, e.g. one series of 100,000 periods) are solved one
by one with methods whose work per NPV evaluation is one vectorised pass over the periods
(:func:`long_series_irr`): Newton's Horner steps would loop in Python over the periods and
companion matrices grow with the cube of the length. One sign change: the one root,
bracketed and refined by Brent's method. Up to :data:`_EXACT_MAX_CHANGES` sign changes:
every root by the exact method. More: a scan of the NPV's sign over rates from -99.99% to
1,000,000% (:func:`scanned_irrs`); it has every root when it finds as many as the flows
change sign (Descartes' bound) and otherwise says that it cannot be sure, naming those it
found, instead of picking one. Its limit: two roots closer together than the scan's step
(about 0.5% in ln(1+r)), or beyond its range, are missed, and the answer is then "not
sure", never a wrong IRR.

:func:`irr_rows` solves a batch for :func:`~crmvalue_core.discounting.irr_crm` and
:func:`~crmvalue_core.investment.investment_metrics`; :func:`choose_root` picks the IRR
among several (or says why there is none).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .._cashflows import Undefined

__all__ = [
    "NO_SIGN_CHANGE",
    "choose_root",
    "eig_irrs",
    "exact_irrs",
    "exp_sum_roots",
    "irr_rows",
    "percent_list",
    "rates_from_roots",
    "sign_changes",
]

#: Newton stops when its step in ln(1+r) is at most this; the rate is then far inside
#: the promised 1e-10 (the error after the last step is of the order of its square).
_STEP_TOL = 1e-12
_MAX_NEWTON = 60
#: The first Newton iterate: a rate of 10%, Excel's default guess.
_START = -math.log1p(0.1)
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
    """How often each column of ``coef`` (periods x series) changes sign, zeros ignored.

    >>> sign_changes(np.array([[-100.0, 5.0], [0.0, -1.0], [60.0, 2.0], [60.0, 0.0]]))
    array([1, 2])
    """
    periods, count = coef.shape
    if periods > count:
        # Long series: carry each nonzero sign forward over the zeros, in one pass of numpy
        # per step (a loop over 100,000 periods would cost more than the solve).
        sign = np.sign(coef)
        last = np.where(sign != 0, np.arange(periods)[:, np.newaxis], 0)
        np.maximum.accumulate(last, axis=0, out=last)
        carried = np.take_along_axis(sign, last, axis=0)
        return np.count_nonzero(carried[1:] * carried[:-1] < 0, axis=0).astype(np.int64)
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


#: A series is long when it has more periods than this. The batched methods loop in
#: Python over the periods (Newton's Horner steps, the sign count) or grow with the cube of
#: the length (companion matrices); a long series is solved on its own instead, by methods
#: that evaluate its NPV with one vectorised pass over the periods.
_LONG_SERIES = 128
#: A long series with at most this many sign changes gets every root from the exact
#: method (Rolle's levels: one level per sign change, each root bracketed, so the work
#: grows with the square of the changes); with more, from a scan of the NPV's sign.
_EXACT_MAX_CHANGES = 12
#: The rates the scan covers, as u = -ln(1+r): from r = -99.99% to r = 1,000,000%.
_SCAN_LOW, _SCAN_HIGH = -math.log1p(1e4), -math.log1p(-0.9999)
#: Points of the scan (fewer for series beyond 100,000 periods, at least 512): two roots
#: closer than (_SCAN_HIGH - _SCAN_LOW) / points in u may be missed, and then the count of
#: roots falls short of Descartes' bound and the solver says it cannot be sure.
_SCAN_POINTS = 4096

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
    # The IRR of a series does not change when its flows are scaled: scale each series to a
    # largest flow of 1, so that series of very different sizes (or of subnormal numbers)
    # share one step rule and one overflow bound.
    with np.errstate(all="ignore"):
        coef = coef / np.abs(coef).max(axis=0)
    degree = periods - 1
    upper = (700.0 - math.log(periods)) / degree
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
                return solved
            keep = np.flatnonzero(pending)
            rows, u, step, coef = rows[keep], u[keep], step[keep], coef.take(keep, axis=1)
        u -= np.clip(step, -1.0, 1.0)
        np.clip(u, lower, upper, out=u)
    # The iterations ran out: keep the roots of the series that did converge (one that
    # diverges beside them in the block must not cost them theirs).
    value, slope = _horner(coef, u)
    step = value / slope
    done = np.abs(step) <= _STEP_TOL
    solved[rows[done]] = u[done] - step[done]
    return solved


def _scaled_sum(b: np.ndarray, k: np.ndarray) -> tuple[Callable[[float], float], Any]:
    """E(u) = sum_i b_i exp(k_i u) times exp(-max_i k_i u) (same sign, no overflow)."""
    size = np.abs(b)
    # k - max(k) for u >= 0 and k - min(k) for u < 0: then max_i (k_i - shift) u = 0
    below, above = k - k[-1], k - k[0]

    def value(u: float) -> float:
        return float(np.dot(b, np.exp((below if u >= 0 else above) * u)))

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


def exp_sum_roots(b: np.ndarray, k: np.ndarray) -> list[float]:
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


def rates_from_roots(roots: list[float]) -> list[float]:
    """Rates r = e^{-u} - 1 of roots u, keeping those above -100% a float can hold."""
    rates = (math.expm1(-u) + 0.0 for u in roots if -u < 709.0)  # + 0.0: no -0.0
    return sorted(r for r in rates if r > -1.0)


def exact_irrs(flows: np.ndarray) -> list[float]:
    """Every rate above -100% at which the NPV of one series (1-D) is zero, ascending."""
    where = np.flatnonzero(flows)
    if where.size < 2:
        return []
    return rates_from_roots(exp_sum_roots(flows[where], where.astype(float)))


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


def eig_irrs(net: np.ndarray) -> list[list[float] | None]:
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
    """:func:`eig_irrs` for ``rows`` of ``net``, whose polynomials all have degree ``d``."""
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
            found[row] = rates_from_roots(u[start[i] : start[i] + number[i]].tolist())


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
    for flat in np.flatnonzero(changes == 0):
        reasons[int(flat)] = NO_SIGN_CHANGE
    periods = net.shape[1]
    single = np.flatnonzero(changes == 1)
    hard = np.flatnonzero(changes > 1)
    if single.size and 8 * count < periods:
        # Few series, many periods: each series on its own, its one root bracketed and
        # refined with one vectorised pass over the periods per NPV evaluation (Newton's
        # Horner steps would loop in Python over the periods).
        for flat in single:
            values[flat] = long_series_irr(net[flat], 1, None)[0]
        single = single[:0]
    if single.size:
        rates, ok = _newton_irr(coef if single.size == count else coef.take(single, axis=1))
        values[single[ok]] = rates[ok]
        if not ok.all():
            hard = np.sort(np.concatenate([single[~ok], hard]))
    several = np.flatnonzero(changes > 1)
    if periods > _LONG_SERIES or several.size == 0:  # eigenvalues cost the cube of the length
        by_eig = {}
    else:
        by_eig = dict(zip(several.tolist(), eig_irrs(net[several]), strict=True))
    for flat in hard:
        row = int(flat)
        rates = by_eig.get(row)
        row_guess = None if guess is None else float(guess[row])
        if rates is None and periods > _LONG_SERIES:
            value, why = long_series_irr(net[row], int(changes[row]), row_guess)
        else:
            value, why = choose_root(
                exact_irrs(net[row]) if rates is None else rates,
                row_guess,
                int(changes[row]),
                alternative="MIRR_CRM",
            )
        if why is None:
            values[row] = value
        else:
            reasons[row] = why
    return values, reasons


def long_series_irr(
    flows: np.ndarray, changes: int, guess: float | None
) -> tuple[float, None] | tuple[None, Undefined]:
    """The IRR of one long series (1-D), each NPV evaluated in one vectorised pass.

    With one sign change (the usual investment) there is exactly one root, bracketed by
    stepping out from r = 10% and refined by Brent's method (:func:`exact_irrs`). With up
    to :data:`_EXACT_MAX_CHANGES` changes every root comes from the exact method too. With
    more, from a scan of the NPV's sign on :data:`_SCAN_POINTS` rates, each sign change
    refined by Brent's method: when the scan finds as many roots as the flows change sign
    (Descartes' bound) it has them all; when it finds fewer it cannot be sure, and says so
    rather than pick one.
    """
    if changes <= _EXACT_MAX_CHANGES:
        return choose_root(exact_irrs(flows), guess, changes, alternative="MIRR_CRM")
    rates, sure = scanned_irrs(flows, changes)
    if sure:
        return choose_root(rates, guess, changes, alternative="MIRR_CRM")
    found = f"found {len(rates)} ({percent_list(rates)})" if rates else "found none"
    return None, Undefined(
        "IRRs not certain",
        f"the flows change sign {changes} times, so they may have up to {changes} IRRs; "
        f"a scan of rates from -99.99% to 1,000,000% {found} and cannot be sure there "
        "are no others; use MIRR_CRM, which always has one answer",
    )


def scanned_irrs(flows: np.ndarray, changes: int) -> tuple[list[float], bool]:
    """The IRRs of one series found by a scan of the NPV's sign, and whether they are all.

    :math:`E(u) = \\sum_t c_t e^{tu}` (u = -ln(1+r)) is evaluated, scaled by
    :math:`e^{-\\max_t tu}` (same sign, no overflow), on a grid of
    :data:`_SCAN_POINTS` values of u, a block of them per matrix product, so the work
    grows linearly with the length. Each change of sign between neighbours brackets a
    root, refined by Brent's method. The roots are all there when their count equals the
    number of sign changes of the flows (Descartes' rule: never more roots than changes)
    and the signs at both ends of the scan are those of the first and last flow.
    """
    where = np.flatnonzero(flows)
    b, k = flows[where] / np.abs(flows[where]).max(), where.astype(float)
    # about 4e8 terms at most: 4096 rates up to 100,000 periods, fewer rates beyond
    grid = np.linspace(_SCAN_LOW, _SCAN_HIGH, max(512, min(_SCAN_POINTS, 4 * 10**8 // k.size)))
    signs = np.empty(grid.size)
    block = max(1, (1 << 22) // k.size)
    with np.errstate(all="ignore"):
        for start in range(0, grid.size, block):
            u = grid[start : start + block, np.newaxis]
            exponent = k * u
            exponent -= exponent.max(axis=1, keepdims=True)
            signs[start : start + block] = np.sign(np.exp(exponent) @ b)
    value, _ = _scaled_sum(b, k)
    roots = [float(u) for u, s in zip(grid, signs, strict=True) if s == 0]
    for index in np.flatnonzero(signs[1:] * signs[:-1] < 0):
        left, right = float(grid[index]), float(grid[index + 1])
        s_left, s_right = _sign(value(left)), _sign(value(right))
        if s_left * s_right < 0:  # else rounding made the scan's sign change: no bracket
            roots.append(_solve_between(value, left, right, s_left, s_right))
    rates = rates_from_roots(sorted(roots))
    ends_agree = signs[0] == np.sign(b[0]) and signs[-1] == np.sign(b[-1])
    return rates, ends_agree and len(rates) == changes
