"""The predicted CLV of one customer, without the array machinery a customer base needs.

An Excel user types PREDICTED_CLV once per customer, so one call with single numbers is
the common case there. :func:`one_customer_clv` computes the same formula as the
vectorised :func:`~crmvalue_core.purchase_history.predicted_clv` (the closed form of
eq. 10 of Fader, Hardie & Lee 2005 for the expected purchases, eq. 11 for P(alive) and
eq. 5 of their JMR paper for the expected spend) on plain floats, with the same
operations in the same order, so that both paths give the same number. It runs on
Python floats month by month, which for a dozen months is cheaper than a dozen array
calls: the hypergeometric function comes from scipy's scalar entry point
(``scipy.special.cython_special.hyp2f1``, the same code as the ``hyp2f1`` array function
the vectorised path calls, without an array's set-up; its cost is most of the
vectorised path's per customer too). It skips the reading and broadcasting of ranges;
it answers only when every input is a valid plain number and the closed form applies;
otherwise it returns None and the caller takes the general path, which also words any
error.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy.special import cython_special

__all__ = ["one_customer_clv"]

#: The types of a plain number (a bool is not one, nor is text such as "5").
_PLAIN = frozenset({float, int, np.float64})
#: What Excel hands over: floats only, which need no conversion.
_FLOATS = frozenset({float})

try:  # the version for real numbers, chosen once rather than by the types at each call
    _hyp2f1 = cython_special.hyp2f1["double"]
except (KeyError, TypeError):  # pragma: no cover - a scipy without that index
    _hyp2f1 = cython_special.hyp2f1


def one_customer_clv(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any,
    discount_rate: Any,
    margin: Any,
    month_length: float,
) -> float | None:
    """The discounted predicted CLV of one customer, or None when the general path must answer.

    The formula is that of :func:`~crmvalue_core.purchase_history.predicted_clv`: with
    t_i = i L (L the month's length in the time unit), E[Y(t) | x, t_x, T] the BG/NBD
    conditional expectation (closed form, eq. 10 of Fader, Hardie & Lee 2005,
    "Counting your customers the easy way") and E[Z | x, zbar] the Gamma-Gamma expected
    spend (eq. 5 of Fader, Hardie & Lee 2005, "RFM and CLV"),

        CLV = m E[Z | x, zbar] sum_{i=1..months} (E[Y(t_i)] - E[Y(t_{i-1})]) / (1+d)^i.

    None when an input is not a finite plain number (an int, a float), is out of its
    range (the parameters > 0, q > 1, a whole frequency >= 0, 0 <= recency <= age with
    recency 0 exactly when frequency is 0, monetary_value >= 0, whole months >= 1,
    discount_rate > -1, 0 <= margin <= 1), when the closed form is ill conditioned
    (a + b + x - 1 < 0.5, a near 1, a month shorter than 1e-5 (alpha + T)) or when the
    result overflows.

    >>> round(one_customer_clv(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44,
    ...                        2, 30.43, 38.86, 22.35, 12, 0.01, 0.3, 4.345), 4)
    10.8868
    >>> one_customer_clv(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44,
    ...                  2, "30.43", 38.86, 22.35, 12, 0.01, 0.3, 4.345) is None
    True
    """
    numbers = (r, alpha, a, b, p, q, gamma, frequency, recency, age, monetary_value, months)
    numbers += (discount_rate, margin)
    kinds = set(map(type, numbers))
    if kinds != _FLOATS:
        if not kinds <= _PLAIN:
            return None
        try:
            numbers = tuple(map(float, numbers))
        except OverflowError:  # an int too large for a float: the general path says so
            return None
    # a NaN or an infinity makes the sum NaN or infinite (so does a sum that overflows,
    # which the general path then answers)
    if not math.isfinite(sum(numbers)):
        return None
    r, alpha, a, b, p, q, gamma, x, t_x, big_t, m, n, d, share = numbers
    valid = (
        min(r, alpha, a, b, p, gamma) > 0.0
        and q > 1.0
        and x >= 0.0
        and x.is_integer()
        and 0.0 <= t_x <= big_t
        and (x > 0.0) == (t_x > 0.0)
        and m >= 0.0
        and n >= 1.0
        and n.is_integer()
        and d > -1.0
        and 0.0 <= share <= 1.0
    )
    c = a + b + x - 1.0
    base = alpha + big_t
    if not valid or c < 0.5 or abs(a - 1.0) < 1e-3 or month_length < 1e-5 * base:
        return None
    ra = r + x
    try:  # a discount factor beyond a float (d near -1, many months): the general path
        times, discounts = _horizon(int(n), month_length, d)
    except OverflowError:
        return None
    bx = b + x
    hyp2f1, log, log1p, expm1 = _hyp2f1, math.log, math.log1p, math.expm1
    purchases = previous = 0.0
    try:  # 2F1 <= 0 (a log error) or an overflow: the general path has the fallbacks
        for t, discount in zip(times, discounts, strict=True):
            # minus (a - 1) / c times E[Y(t) | alive] (eq. 10), as the vectorised path
            # (purchases_if_alive_closed) computes it
            h = hyp2f1(ra, bx, c, t / (base + t))
            cumulative = expm1(log(h) - ra * log1p(t / base))
            purchases += (previous - cumulative) * discount
            previous = cumulative
    except (OverflowError, ValueError):
        return None
    alive = 1.0 if x == 0.0 else _p_alive(r, alpha, a, b, x, t_x, big_t)
    weight = p * x / (p * x + q - 1.0)
    spend = (1.0 - weight) * (gamma * p / (q - 1.0)) + weight * m
    value = share * spend * (c / (a - 1.0) * purchases * alive)
    return value if math.isfinite(value) else None


@functools.lru_cache(maxsize=32)
def _horizon(
    months: int, month_length: float, discount_rate: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The end of each month of the horizon in the time unit, L, 2L, ..., months L, and
    each month's discount factor (1 + d)^-i, computed as the vectorised path does.

    >>> _horizon(2, 4.345, 0.01)
    ((4.345, 8.69), (0.9900990099009901, 0.9802960494069208))
    """
    growth = 1.0 + discount_rate
    times = tuple(i * month_length for i in range(1, months + 1))
    return times, tuple(growth ** -float(i) for i in range(1, months + 1))


def _p_alive(r: float, alpha: float, a: float, b: float, x: float, t_x: float, t: float) -> float:
    """P(alive | x, t_x, T) of a customer with x > 0 repeat purchases (eq. 11)."""
    log_odds = (r + x) * math.log((alpha + t) / (alpha + t_x)) + math.log(a / (b + x - 1.0))
    if log_odds > 700.0:  # 1 / (1 + e^y) is e^-y to the last bit, and e^y would overflow
        return math.exp(-log_odds)
    return 1.0 / (1.0 + math.exp(log_odds))
