"""Customer lifetime value: what a customer is worth today.

Four calculators, each broadcasting over arrays of customers (numpy arrays, pandas
Series, lists) and giving a float for scalar input:

* :func:`clv_simple` -- the back-of-the-envelope value: purchase value x purchases per
  period x lifespan (x margin);
* :func:`clv` -- the margin-retention-discount model of Gupta & Lehmann ("Customers as
  Assets", Journal of Interactive Marketing 17(1), 2003), finite or infinite horizon,
  with margin growth, acquisition cost and margins at the end or at the start of each
  period;
* :func:`clv_from_churn` -- the undiscounted subscription shortcut revenue x margin / churn;
* :func:`expected_lifetime` -- 1 / churn periods.

Validation is cheap on purpose: a numeric array is checked with its minimum and maximum
(:func:`crmvalue_core._inputs.fast_array`), so that :func:`clv` over ten million
customers stays within twice the time of the bare numpy expression.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._inputs import (
    SHARE_HINT,
    as_numbers_fast,
    fail,
    first_true,
    is_omitted,
    position,
    scalar_or_array,
)
from ._shapes import common_shape
from .cells import RATE_HINT, describe

__all__ = ["clv", "clv_from_churn", "clv_simple", "expected_lifetime"]

_CHURN = (
    "a churn rate above 0 and at most 1 as a decimal (2% = 0.02); a churn of 0 means "
    "customers never leave, so their value has no limit"
)


def clv_simple(
    avg_purchase_value: ArrayLike,
    purchases_per_period: ArrayLike,
    lifespan_periods: ArrayLike,
    margin: ArrayLike | None = None,
) -> float | np.ndarray:
    """Simple customer lifetime value: value per purchase x purchases x lifespan (x margin).

    Parameters
    ----------
    avg_purchase_value : scalar or array_like
        Average value of one purchase (money), >= 0.
    purchases_per_period : scalar or array_like
        Purchases per period (24 a year for twice a month), >= 0; need not be whole.
    lifespan_periods : scalar or array_like
        Expected customer lifespan in the same periods, >= 0; need not be whole.
    margin : scalar or array_like, optional
        Margin on a purchase as a decimal share in [0, 1]; omitted (or blank) it is 1,
        which gives the lifetime revenue.

    Returns
    -------
    float or ndarray
        The lifetime value, a float for scalar input, else one value per customer.

    Raises
    ------
    CrmValueError
        ``CLV_SIMPLE: ...`` for text, booleans, NaN, infinity, negative values, a margin
        outside [0, 1] or ranges of different lengths.

    Notes
    -----
    .. math:: CLV = v \\times f \\times L \\times m

    The undiscounted textbook shortcut (e.g. Kumar & Reinartz, *Customer Relationship
    Management*, 2012, ch. 5): it ignores the time value of money and churn, so it is an
    upper bound next to :func:`clv`.

    Examples
    --------
    100 a purchase, twice a month, three years:

    >>> clv_simple(100, 24, 3)
    7200.0
    >>> clv_simple([100, 50], 24, 3, margin=0.25)
    array([1800.,  900.])
    """
    func = "CLV_SIMPLE"
    value = as_numbers_fast(func, "avg_purchase_value", avg_purchase_value, minimum=0.0)
    per = as_numbers_fast(func, "purchases_per_period", purchases_per_period, minimum=0.0)
    life = as_numbers_fast(func, "lifespan_periods", lifespan_periods, minimum=0.0)
    share: Any = 1.0
    if not is_omitted(margin):
        share = as_numbers_fast(func, "margin", margin, minimum=0.0, maximum=1.0, hint=SHARE_HINT)
    common_shape(
        func,
        ("avg_purchase_value", value),
        ("purchases_per_period", per),
        ("lifespan_periods", life),
        ("margin", share),
    )
    return scalar_or_array(value * per * life * share)


def clv(
    margin: ArrayLike,
    retention: ArrayLike,
    discount_rate: ArrayLike,
    periods: ArrayLike | None = None,
    growth: ArrayLike | None = None,
    acquisition_cost: ArrayLike | None = None,
    timing: str | int | None = "end",
) -> float | np.ndarray:
    """Customer lifetime value from margin, retention and discount rate (Gupta & Lehmann).

    Parameters
    ----------
    margin : scalar or array_like
        Margin a customer brings per period (money), in the first period it is earned.
    retention : scalar or array_like
        Share of customers kept from one period to the next, in [0, 1].
    discount_rate : scalar or array_like
        Discount rate per period as a decimal, above -1.
    periods : scalar or array_like, optional
        Horizon: a whole number of periods >= 1. Omitted (or blank) the horizon has no
        end, which needs ``retention x (1 + growth) < 1 + discount_rate``.
    growth : scalar or array_like, optional
        Growth of the margin per period as a decimal, above -1; default 0.
    acquisition_cost : scalar or array_like, optional
        Cost of winning the customer, >= 0, subtracted from the value; default 0.
    timing : {"end", "start"}, optional
        ``"end"`` (default): margins arrive at the end of each period, the first one
        discounted once and earned only by those retained. ``"start"``: the first margin
        is earned today. Excel's 0 / 1 for end / start are accepted too.

    Returns
    -------
    float or ndarray
        The lifetime value, a float for scalar input, else one value per customer.

    Raises
    ------
    CrmValueError
        ``CLV: ...`` for text, booleans, NaN, infinity, retention outside [0, 1], rates at
        or below -100%, periods that are not whole numbers >= 1, a negative acquisition
        cost, an unknown timing, ranges of different lengths, or an infinite horizon on
        which the value diverges.

    Notes
    -----
    With margin :math:`m`, retention :math:`r`, discount rate :math:`i`, growth
    :math:`g` and horizon :math:`T`, ``timing="end"``:

    .. math:: CLV = \\sum_{t=1}^{T} \\frac{m (1+g)^{t-1} r^t}{(1+i)^t}
        \\quad\\xrightarrow{T\\to\\infty}\\quad \\frac{m\\, r}{1 + i - r(1+g)}

    and ``timing="start"``:

    .. math:: CLV = \\sum_{t=0}^{T-1} \\frac{m (1+g)^t r^t}{(1+i)^t}
        \\quad\\xrightarrow{T\\to\\infty}\\quad \\frac{m (1+i)}{1 + i - r(1+g)}

    minus the acquisition cost. The finite sums are evaluated in closed form, as a
    geometric series in :math:`q = r(1+g)/(1+i)`, with ``expm1``/``log`` so that the
    result stays accurate when :math:`q` is close to 1.

    References
    ----------
    S. Gupta and D. R. Lehmann, "Customers as Assets", *Journal of Interactive
    Marketing* 17(1), 2003, pp. 9-24 (the margin multiple :math:`r / (1 + i - r)`).

    Examples
    --------
    >>> clv(100, 0.8, 0.12)
    250.0
    >>> clv(100, 0.8, 0.12, growth=0.05)
    285.7142857
    >>> clv(100, 0.8, 0.12, periods=5)
    203.516392
    >>> clv(100, 0.8, 0.12, timing="start")
    350.0
    >>> clv([100, 200], [0.8, 0.92], 0.12, acquisition_cost=50)
    array([200., 870.])
    """
    func = "CLV"
    m = as_numbers_fast(func, "margin", margin, hint="a margin per period (an amount)")
    r = as_numbers_fast(func, "retention", retention, minimum=0.0, maximum=1.0, hint=SHARE_HINT)
    i = as_numbers_fast(func, "discount_rate", discount_rate, above=-1.0, hint=RATE_HINT)
    named: list[tuple[str, Any]] = [("margin", m), ("retention", r), ("discount_rate", i)]
    horizon = None
    if not is_omitted(periods):
        horizon = as_numbers_fast(
            func,
            "periods",
            periods,
            minimum=1.0,
            whole=True,
            hint="a whole number of periods >= 1, or leave it blank for no end",
        )
        named.append(("periods", horizon))
    g = None
    if not is_omitted(growth):
        g = as_numbers_fast(func, "growth", growth, above=-1.0, hint=RATE_HINT)
        named.append(("growth", g))
    cost = None
    if not is_omitted(acquisition_cost):
        cost = as_numbers_fast(
            func, "acquisition_cost", acquisition_cost, minimum=0.0, hint="an amount >= 0"
        )
        named.append(("acquisition_cost", cost))
    at_start = _at_start(func, timing)
    shape = common_shape(func, *named)

    kept = r if g is None else r * (1.0 + g)  # r (1 + g): the growing share kept
    if horizon is None:
        # Infinite horizon: m r / (1 + i - r(1+g)), or m (1+i) / (...) at the start.
        denominator = _inplace(np.subtract, 1.0 + i, kept)
        if np.min(denominator) <= 0:
            raise _diverges(func, shape, r, g, i, denominator)
        numerator = m * (1.0 + i) if at_start else m * r
        value = _inplace(np.divide, numerator, denominator)
    else:
        # Finite horizon: a geometric series in q = r(1+g)/(1+i).
        q = kept / (1.0 + i)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            series = -np.expm1(horizon * np.log(q)) / (1.0 - q)
        series = np.where(q == 1.0, horizon, series)
        first = m if at_start else m * r / (1.0 + i)
        value = first * series
        if not np.all(np.isfinite(value)):
            raise fail(
                func,
                "the value is too large to compute (growth and retention outpace the "
                "discount rate over so many periods); check periods, growth and "
                "discount_rate",
            )
    if cost is not None:
        value = _inplace(np.subtract, value, cost)
    return scalar_or_array(value)


def clv_from_churn(
    revenue_per_period: ArrayLike, gross_margin: ArrayLike, churn_rate: ArrayLike
) -> float | np.ndarray:
    """Lifetime value of a subscriber: revenue x gross margin / churn (undiscounted).

    Parameters
    ----------
    revenue_per_period : scalar or array_like
        Revenue per customer per period (money), >= 0.
    gross_margin : scalar or array_like
        Gross margin as a decimal share in [0, 1].
    churn_rate : scalar or array_like
        Share of customers lost per period, above 0 and at most 1.

    Returns
    -------
    float or ndarray
        The lifetime value, a float for scalar input, else one value per customer.

    Raises
    ------
    CrmValueError
        ``CLV_FROM_CHURN: ...`` for text, booleans, NaN, infinity, a negative revenue, a
        margin outside [0, 1], a churn rate of 0 or above 1, or ranges of different
        lengths.

    Notes
    -----
    .. math:: CLV = \\frac{R \\times GM}{c}

    The subscription-business shortcut: the margin per period times the expected
    lifetime :math:`1/c` of :func:`expected_lifetime`. It is :func:`clv` with no
    discounting, no growth and ``timing="start"`` (retention :math:`1 - c`), and
    overstates the value by ignoring the time value of money (the SaaS formula LTV =
    revenue per account x gross margin / churn of D. Skok, "SaaS Metrics 2.0",
    forEntrepreneurs.com, 2013).

    Examples
    --------
    >>> clv_from_churn(100, 0.8, 0.02)
    4000.0
    >>> clv_from_churn([100, 50], 0.8, [0.02, 0.05])
    array([4000.,  800.])
    """
    func = "CLV_FROM_CHURN"
    revenue = as_numbers_fast(
        func, "revenue_per_period", revenue_per_period, minimum=0.0, hint="an amount >= 0"
    )
    share = as_numbers_fast(
        func, "gross_margin", gross_margin, minimum=0.0, maximum=1.0, hint=SHARE_HINT
    )
    churn = as_numbers_fast(func, "churn_rate", churn_rate, above=0.0, maximum=1.0, hint=_CHURN)
    common_shape(func, ("revenue_per_period", revenue), ("gross_margin", share))
    common_shape(func, ("revenue_per_period", revenue), ("churn_rate", churn))
    common_shape(func, ("gross_margin", share), ("churn_rate", churn))
    return scalar_or_array(revenue * share / churn)


def expected_lifetime(churn_rate: ArrayLike) -> float | np.ndarray:
    """Expected customer lifetime in periods: 1 / churn rate.

    Parameters
    ----------
    churn_rate : scalar or array_like
        Share of customers lost per period, above 0 and at most 1.

    Returns
    -------
    float or ndarray
        The expected number of periods a customer stays (counting the first).

    Raises
    ------
    CrmValueError
        ``EXPECTED_LIFETIME: ...`` for text, booleans, NaN, infinity, or a churn rate of
        0 or above 1.

    Notes
    -----
    .. math:: L = \\frac{1}{c}

    The mean of the geometric distribution: a customer who leaves with probability
    :math:`c` each period stays :math:`1/c` periods on average (the geometric lifetime
    of a customer with a constant churn probability, Fader & Hardie, "How to project
    customer retention", 2007).

    Examples
    --------
    >>> expected_lifetime(0.2)
    5.0
    >>> expected_lifetime([0.5, 0.25])
    array([2., 4.])
    """
    churn = as_numbers_fast(
        "EXPECTED_LIFETIME", "churn_rate", churn_rate, above=0.0, maximum=1.0, hint=_CHURN
    )
    return scalar_or_array(1.0 / churn)


def _at_start(func: str, timing: Any) -> bool:
    """Read ``timing``: "end" (or 0, or blank) -> False; "start" (or 1) -> True."""
    if is_omitted(timing):
        return False
    if isinstance(timing, str) and timing.strip().lower() in ("end", "start"):
        return timing.strip().lower() == "start"
    if (
        isinstance(timing, numbers.Real)
        and not isinstance(timing, (bool, np.bool_))
        and timing in (0, 1)
    ):
        return bool(timing == 1)
    raise fail(
        func,
        f'timing is {describe(timing)}; enter "end" (margins at the end of each period, '
        'the default) or "start" (the first margin today)',
    )


def _inplace(op: Any, fresh: Any, other: Any) -> Any:
    """``op(fresh, other)``, written into ``fresh`` when it is an array of the result's
    shape. ``fresh`` must be a temporary of the caller, never a user's array."""
    if (
        isinstance(fresh, np.ndarray)
        and fresh.dtype == np.float64
        and fresh.shape == np.broadcast_shapes(fresh.shape, np.shape(other))
    ):
        return op(fresh, other, out=fresh)
    return op(fresh, other)


def _diverges(
    func: str,
    shape: tuple[int, ...],
    retention: Any,
    growth: Any,
    discount_rate: Any,
    denominator: Any,
) -> Exception:
    """The error for an infinite horizon with r(1+g) >= 1+i, at the first such customer."""
    if np.ndim(denominator):
        index = first_true(np.asarray(denominator) <= 0)
        where = f" ({position(index, shape)})"
    else:
        index, where = (), ""

    def at(x: Any) -> float:
        return float(np.broadcast_to(x, shape)[index]) if np.ndim(x) else float(x)

    r = at(retention)
    kept = f"retention {r:g}" if growth is None else f"retention x (1 + growth) = {r:g} x "
    if growth is not None:
        kept += f"{1 + at(growth):g} = {r * (1 + at(growth)):g}"
    return fail(
        func,
        f"with periods blank (no end) the value diverges: {kept} is not below 1 + "
        f"discount_rate = {1 + at(discount_rate):g}{where}; enter a number of periods, or "
        "a discount_rate above retention x (1 + growth) - 1",
    )
