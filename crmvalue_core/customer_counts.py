"""Customer metrics from counts and money: churn, retention, acquisition cost, referrals.

Every function broadcasts over arrays (one value per period, segment or cohort), gives a
float for scalar input, and checks that the counts make sense together: counts are whole
numbers >= 0, customers lost are at most the customers at the start, new customers are
at most the customers at the end, and a count or amount that is divided by is not 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._inputs import as_count, as_numbers_fast, fail, first_true, position, scalar_or_array
from ._shapes import common_shape
from .cells import format_number

__all__ = [
    "cac",
    "cac_payback",
    "churn_rate",
    "clv_cac",
    "referral_rate",
    "retention_rate",
]

_AMOUNT = "an amount >= 0"
_SHARE = "a share between 0 and 1 as a decimal (80% = 0.8)"


def churn_rate(customers_start: ArrayLike, customers_lost: ArrayLike) -> float | np.ndarray:
    """Churn rate: the share of the customers at the start of a period lost during it.

    Parameters
    ----------
    customers_start : scalar or array_like
        Customers at the start of the period, a whole number >= 1.
    customers_lost : scalar or array_like
        Of those, the customers lost during the period: a whole number from 0 to
        ``customers_start``.

    Returns
    -------
    float or ndarray
        The churn rate as a decimal (0.05 = 5%).

    Raises
    ------
    CrmValueError
        ``CHURN_RATE: ...`` for text, booleans, NaN, infinity, negative or fractional
        counts, no customers at the start, more customers lost than there were, or
        ranges of different lengths.

    Notes
    -----
    .. math:: c = \\frac{L}{S}

    The period churn rate (e.g. Fader & Hardie, "How to project customer retention",
    2007); its complement is the retention rate of :func:`retention_rate`.

    Examples
    --------
    >>> churn_rate(1000, 50)
    0.05
    >>> churn_rate([1000, 800], [50, 40])
    array([0.05, 0.05])
    """
    func = "CHURN_RATE"
    start = as_count(func, "customers_start", customers_start)
    lost = as_count(func, "customers_lost", customers_lost)
    shape = common_shape(func, ("customers_start", start), ("customers_lost", lost))
    _not_zero(func, "customers_start", start, shape, "and the churn rate divides by it")
    _at_most(func, ("customers_lost", lost), ("customers_start", start), shape)
    return scalar_or_array(lost / start)


def retention_rate(
    customers_start: ArrayLike, customers_end: ArrayLike, new_customers: ArrayLike
) -> float | np.ndarray:
    """Retention rate: the share of the customers at the start still there at the end.

    Parameters
    ----------
    customers_start : scalar or array_like
        Customers at the start of the period, a whole number >= 1.
    customers_end : scalar or array_like
        Customers at the end of the period, a whole number >= 0.
    new_customers : scalar or array_like
        Customers won during the period (and counted at the end): a whole number from 0
        to ``customers_end``.

    Returns
    -------
    float or ndarray
        The retention rate as a decimal (0.85 = 85%).

    Raises
    ------
    CrmValueError
        ``RETENTION_RATE: ...`` for text, booleans, NaN, infinity, negative or fractional
        counts, no customers at the start, more new customers than customers at the end,
        more customers kept (end - new) than there were at the start, or ranges of
        different lengths.

    Notes
    -----
    .. math:: r = \\frac{E - N}{S}

    The customers kept, :math:`E - N`, cannot exceed :math:`S`: if they do the counts
    do not belong together (a retention above 100% would be a wrong number). The
    customer retention rate of Kumar & Reinartz, *Customer Relationship Management*,
    2012, ch. 5.

    Examples
    --------
    >>> retention_rate(1000, 1050, 200)
    0.85
    """
    func = "RETENTION_RATE"
    start = as_count(func, "customers_start", customers_start)
    end = as_count(func, "customers_end", customers_end)
    new = as_count(func, "new_customers", new_customers)
    shape = common_shape(
        func, ("customers_start", start), ("customers_end", end), ("new_customers", new)
    )
    _not_zero(func, "customers_start", start, shape, "and the retention rate divides by it")
    _at_most(func, ("new_customers", new), ("customers_end", end), shape)
    kept = end - new
    _at_most(func, ("customers_end - new_customers", kept), ("customers_start", start), shape)
    return scalar_or_array(kept / start)


def cac(sales_marketing_spend: ArrayLike, new_customers: ArrayLike) -> float | np.ndarray:
    """Customer acquisition cost: sales and marketing spend per new customer.

    Parameters
    ----------
    sales_marketing_spend : scalar or array_like
        Sales and marketing spend of the period (money), >= 0.
    new_customers : scalar or array_like
        Customers won in the period, a whole number >= 1.

    Returns
    -------
    float or ndarray
        The cost of winning one customer.

    Raises
    ------
    CrmValueError
        ``CAC: ...`` for text, booleans, NaN, infinity, a negative spend, a negative,
        fractional or zero count, or ranges of different lengths.

    Notes
    -----
    .. math:: CAC = \\frac{\\text{sales and marketing spend}}{\\text{new customers}}

    The usual definition of the cost of acquiring a customer (D. Skok, "SaaS Metrics
    2.0", forEntrepreneurs.com, 2013).

    Examples
    --------
    >>> cac(100000, 100)
    1000.0
    """
    func = "CAC"
    spend = as_numbers_fast(
        func, "sales_marketing_spend", sales_marketing_spend, minimum=0.0, hint=_AMOUNT
    )
    new = as_count(func, "new_customers", new_customers)
    shape = common_shape(func, ("sales_marketing_spend", spend), ("new_customers", new))
    _not_zero(func, "new_customers", new, shape, "and the cost per new customer divides by it")
    return scalar_or_array(spend / new)


def clv_cac(clv: ArrayLike, cac: ArrayLike) -> float | np.ndarray:
    """The CLV to CAC ratio: lifetime value won per unit of acquisition cost.

    Parameters
    ----------
    clv : scalar or array_like
        Customer lifetime value (money); may be negative.
    cac : scalar or array_like
        Customer acquisition cost (money), above 0.

    Returns
    -------
    float or ndarray
        The ratio (3 means a customer is worth three times what winning it cost).

    Raises
    ------
    CrmValueError
        ``CLV_CAC: ...`` for text, booleans, NaN, infinity, a CAC of 0 or below, or ranges
        of different lengths.

    Notes
    -----
    .. math:: \\frac{CLV}{CAC}

    A ratio of about 3 is the usual rule of thumb for a healthy subscription business
    (D. Skok, "SaaS Metrics 2.0", forEntrepreneurs.com, 2013).

    Examples
    --------
    >>> clv_cac(3000, 1000)
    3.0
    """
    func = "CLV_CAC"
    value = as_numbers_fast(func, "clv", clv, hint="an amount")
    cost = as_numbers_fast(func, "cac", cac, minimum=0.0, hint="an amount above 0")
    shape = common_shape(func, ("clv", value), ("cac", cost))
    _not_zero(func, "cac", cost, shape, "and the ratio divides by it")
    return scalar_or_array(value / cost)


def cac_payback(
    cac: ArrayLike, revenue_per_period: ArrayLike, gross_margin: ArrayLike
) -> float | np.ndarray:
    """CAC payback: periods of margin needed to earn back the acquisition cost.

    Parameters
    ----------
    cac : scalar or array_like
        Customer acquisition cost (money), >= 0.
    revenue_per_period : scalar or array_like
        Revenue per customer per period (money), above 0.
    gross_margin : scalar or array_like
        Gross margin as a decimal share, above 0 and at most 1.

    Returns
    -------
    float or ndarray
        The payback in periods (need not be whole), undiscounted and ignoring churn.

    Raises
    ------
    CrmValueError
        ``CAC_PAYBACK: ...`` for text, booleans, NaN, infinity, a negative CAC or revenue,
        a margin outside [0, 1], a margin per period of 0 (the cost is never paid back),
        or ranges of different lengths.

    Notes
    -----
    .. math:: \\text{payback} = \\frac{CAC}{R \\times GM}

    The months (periods) of margin needed to recover the acquisition cost (D. Skok,
    "SaaS Metrics 2.0", forEntrepreneurs.com, 2013).

    Examples
    --------
    >>> cac_payback(500, 100, 0.8)
    6.25
    """
    func = "CAC_PAYBACK"
    cost = as_numbers_fast(func, "cac", cac, minimum=0.0, hint=_AMOUNT)
    revenue = as_numbers_fast(
        func, "revenue_per_period", revenue_per_period, minimum=0.0, hint="an amount above 0"
    )
    share = as_numbers_fast(
        func, "gross_margin", gross_margin, minimum=0.0, maximum=1.0, hint=_SHARE
    )
    shape = common_shape(
        func, ("cac", cost), ("revenue_per_period", revenue), ("gross_margin", share)
    )
    why = "so the margin per period is 0 and the cost is never paid back"
    _not_zero(func, "revenue_per_period", revenue, shape, why)
    _not_zero(func, "gross_margin", share, shape, why)
    return scalar_or_array(cost / (revenue * share))


def referral_rate(referring_customers: ArrayLike, customers: ArrayLike) -> float | np.ndarray:
    """Referral rate: the share of customers who referred at least one new customer.

    Parameters
    ----------
    referring_customers : scalar or array_like
        Customers who referred at least one new customer: a whole number from 0 to
        ``customers``.
    customers : scalar or array_like
        All customers, a whole number >= 1.

    Returns
    -------
    float or ndarray
        The referral rate as a decimal (0.12 = 12%).

    Raises
    ------
    CrmValueError
        ``REFERRAL_RATE: ...`` for text, booleans, NaN, infinity, negative or fractional
        counts, no customers, more referring customers than customers, or ranges of
        different lengths.

    Notes
    -----
    .. math:: \\frac{\\text{referring customers}}{\\text{customers}}

    Counts customers who refer, not referrals: a customer who referred three friends
    counts once (see Kumar, Petersen & Leone, "How Valuable Is Word of Mouth?", *Harvard
    Business Review*, October 2007).

    Examples
    --------
    >>> referral_rate(120, 1000)
    0.12
    """
    func = "REFERRAL_RATE"
    referring = as_count(func, "referring_customers", referring_customers)
    total = as_count(func, "customers", customers)
    shape = common_shape(func, ("referring_customers", referring), ("customers", total))
    _not_zero(func, "customers", total, shape, "and the referral rate divides by it")
    _at_most(func, ("referring_customers", referring), ("customers", total), shape)
    return scalar_or_array(referring / total)


def _first(bad: Any, shape: tuple[int, ...]) -> tuple[int, ...] | None:
    """The first position where ``bad`` holds (broadcast to ``shape``), or None."""
    if not np.any(bad):
        return None
    if not shape:
        return ()
    return first_true(np.broadcast_to(bad, shape))


def _where(name: str, value: Any, index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """``name`` alone for a single value, ``name item 3`` for a value in a range."""
    return f"{name} {position(index, shape)}" if np.ndim(value) else name


def _not_zero(func: str, name: str, value: Any, shape: tuple[int, ...], why: str) -> None:
    """Refuse a 0 that the result would divide by."""
    index = _first(np.asarray(value) == 0, shape)
    if index is not None:
        raise fail(func, f"{_where(name, value, index, shape)} is 0, {why}; enter more than 0")


def _at_most(
    func: str,
    part: tuple[str, Any],
    whole: tuple[str, Any],
    shape: tuple[int, ...],
) -> None:
    """Refuse a part larger than the whole it belongs to (lost > start, new > end...)."""
    (part_name, part_value), (whole_name, whole_value) = part, whole
    index = _first(np.asarray(part_value) > np.asarray(whole_value), shape)
    if index is not None:
        got = float(np.broadcast_to(part_value, shape)[index])
        limit = float(np.broadcast_to(whole_value, shape)[index])
        where = _where(part_name, part_value, index, shape)
        whole_where = _where(whole_name, whole_value, index, shape)
        raise fail(
            func,
            f"{where} is {format_number(got)}, more than {whole_where} ({format_number(limit)}); "
            "check the counts: the part cannot exceed the whole",
        )
