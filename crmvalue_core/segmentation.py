"""Customer value classification: who to retain, grow, maintain, or convert or exit.

* :func:`customer_segment` -- the value-based segmentation of customers into "Most
  valuable", "Growth", "Standard" and "Negative" from their actual and strategic value,
  with the strategy for each class (returns a :class:`Segmentation`);
* :func:`value_concentration` -- the share of total value the top customers bring;
* :func:`rfm_score` -- recency-frequency-monetary codes such as ``"534"``.

Built for millions of customers: values are checked with min/max reductions, classes
are found with :func:`numpy.partition` thresholds rather than full sorts, and labels are
small integer codes shown through a :class:`pandas.Categorical` (one byte per customer).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._inputs import as_number, as_numbers_fast, as_vector, fail, is_omitted
from ._shapes import same_length

__all__ = [
    "CLASSES",
    "STRATEGY",
    "Segmentation",
    "customer_segment",
    "rfm_score",
    "value_concentration",
]

#: The customer classes, in the order of their codes in :attr:`Segmentation.labels`.
CLASSES: tuple[str, ...] = ("Most valuable", "Growth", "Standard", "Negative")

#: The strategy for each class.
STRATEGY: Mapping[str, str] = MappingProxyType(
    {
        "Most valuable": "retain",
        "Growth": "grow",
        "Standard": "maintain",
        "Negative": "convert or exit",
    }
)

_MOST_VALUABLE, _GROWTH, _STANDARD, _NEGATIVE = range(4)
_SHARE = "a share between 0 and 1 as a decimal (5% = 0.05)"


@dataclass(frozen=True, eq=False)
class Segmentation:
    """The result of :func:`customer_segment`: one class and one strategy per customer.

    Attributes
    ----------
    labels : pandas.Categorical
        The class of each customer, in input order: "Most valuable", "Growth",
        "Standard" or "Negative" (categories in that order, :data:`CLASSES`). Stored as
        one-byte codes, so ten million labels take about 10 MB; ``labels.codes`` gives
        the codes 0..3 and ``list(labels)`` the texts.
    strategies : pandas.Categorical
        The strategy of each customer's class, in input order: "retain", "grow",
        "maintain" or "convert or exit".
    most_valuable_from : float or None
        The lowest actual value in "Most valuable" (every non-negative customer with at
        least this value is in it), or None when the class is empty.
    growth_from : float or None
        The lowest strategic value in "Growth", or None when the class is empty.
    index : pandas.Index or None
        The index of ``actual_value`` when it was a pandas Series, used by
        :meth:`to_frame`.
    STRATEGY : Mapping[str, str]
        Class -> strategy: retain (Most valuable), grow (Growth), maintain (Standard),
        convert or exit (Negative).
    """

    labels: pd.Categorical
    strategies: pd.Categorical
    most_valuable_from: float | None
    growth_from: float | None
    index: pd.Index | None = None
    STRATEGY: ClassVar[Mapping[str, str]] = STRATEGY

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def counts(self) -> dict[str, int]:
        """How many customers each class holds, in the order of :data:`CLASSES`."""
        found = np.bincount(self.labels.codes, minlength=len(CLASSES))
        return {name: int(count) for name, count in zip(CLASSES, found, strict=True)}

    def to_frame(self) -> pd.DataFrame:
        """The classes as a DataFrame: columns ``segment`` and ``strategy``, one row per
        customer in input order (indexed like ``actual_value`` when it was a Series)."""
        return pd.DataFrame({"segment": self.labels, "strategy": self.strategies}, index=self.index)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}: {count}" for name, count in self.counts.items())
        return f"Segmentation({len(self)} customers; {shown})"


def customer_segment(
    actual_value: ArrayLike,
    strategic_value: ArrayLike,
    top_share: float = 0.05,
    growth_share: float = 0.20,
) -> Segmentation:
    """Classify customers by value: Most valuable, Growth, Standard or Negative.

    Parameters
    ----------
    actual_value : array_like
        Per customer, the NPV of its future profit net of the cost to serve (money).
    strategic_value : array_like
        Per customer, the further value it could bring (share of wallet not yet won),
        same length as ``actual_value``.
    top_share : float, optional
        Share of all customers that are "Most valuable", in [0, 1]; default 0.05.
    growth_share : float, optional
        Share of the customers left after Negative and Most valuable that are "Growth",
        in [0, 1]; default 0.20.

    Returns
    -------
    Segmentation
        ``labels`` (one class per customer, input order), ``strategies``, the
        thresholds, ``counts`` and ``to_frame()``; see :class:`Segmentation`.

    Raises
    ------
    CrmValueError
        ``CUSTOMER_SEGMENT: ...`` for text, booleans, blanks, NaN or infinity among the
        values, ranges of different lengths, an empty range, a table where a column
        belongs, or a share outside [0, 1].

    Notes
    -----
    With :math:`n` customers in all, in this order:

    1. "Negative": actual value < 0 (the customer does not cover its cost to serve);
    2. "Most valuable": the top :math:`k = \\lceil \\text{top\\_share} \\times n \\rceil`
       non-negative customers by actual value (all of them if fewer);
    3. "Growth": of the :math:`m` customers left, the top
       :math:`\\lceil \\text{growth\\_share} \\times m \\rceil` by strategic value;
    4. "Standard": the rest.

    A tie with the k-th customer joins the higher class, so a class can hold more than
    k customers, and equal values always share a class. The product share x count is
    rounded to 12 significant digits before the ceiling, so 7% of 100 customers is 7,
    not 8 (``0.07 * 100`` is ``7.000000000000001`` in binary floating point).

    The classification follows the customer-value matrix of Kumar & Reinartz,
    *Customer Relationship Management* (2012), ch. 5, and Peppers & Rogers'
    most valuable / most growable / below-zero customers (*Managing Customer
    Relationships*, 2004): retain the most valuable, grow those with the most
    potential, maintain the standard ones and convert or exit the negative ones.

    Examples
    --------
    >>> seg = customer_segment([500, 120, -30, 80, 60], [0, 50, 900, 400, 10],
    ...                        top_share=0.2, growth_share=0.3)
    >>> list(seg.labels)
    ['Most valuable', 'Standard', 'Negative', 'Growth', 'Standard']
    >>> list(seg.strategies)
    ['retain', 'maintain', 'convert or exit', 'grow', 'maintain']
    >>> seg.counts
    {'Most valuable': 1, 'Growth': 1, 'Standard': 2, 'Negative': 1}
    >>> seg.to_frame().loc[3, "segment"]
    'Growth'
    """
    func = "CUSTOMER_SEGMENT"
    actual = _customers(func, "actual_value", actual_value)
    strategic = _customers(func, "strategic_value", strategic_value)
    same_length(func, ("actual_value", actual), ("strategic_value", strategic))
    top = _share(func, "top_share", top_share, 0.05)
    grow = _share(func, "growth_share", growth_share, 0.20)
    n = actual.size

    negative = actual < 0
    non_negative = n - int(np.count_nonzero(negative))
    k = min(_top_count(top, n), non_negative)
    most_valuable = None
    most_valuable_from = None
    if k > 0:
        # The k-th largest value overall is the k-th largest non-negative one (k <= the
        # non-negative customers), and >= 0, so ">= threshold" leaves Negative out.
        most_valuable_from = float(np.partition(actual, n - k)[n - k])
        most_valuable = actual >= most_valuable_from
        left = ~(negative | most_valuable)
    else:
        left = ~negative
    m = int(np.count_nonzero(left))
    k_growth = min(_top_count(grow, m), m)
    growth = None
    growth_from = None
    if k_growth > 0:
        candidates = strategic[left]  # our own copy: partition it in place
        candidates.partition(m - k_growth)
        growth_from = float(candidates[m - k_growth])
        del candidates
        growth = strategic >= growth_from
        growth &= left

    codes = np.full(n, _STANDARD, dtype=np.int8)
    codes[negative] = _NEGATIVE
    if most_valuable is not None:
        codes[most_valuable] = _MOST_VALUABLE
    if growth is not None:
        codes[growth] = _GROWTH
    labels = pd.Categorical.from_codes(codes, categories=list(CLASSES), validate=False)
    strategies = pd.Categorical.from_codes(
        codes, categories=[STRATEGY[name] for name in CLASSES], validate=False
    )
    index = actual_value.index if isinstance(actual_value, pd.Series) else None
    return Segmentation(labels, strategies, most_valuable_from, growth_from, index)


def value_concentration(values: ArrayLike, top_share: float = 0.05) -> float:
    """Share of the total value that the top customers bring.

    Parameters
    ----------
    values : array_like
        Value per customer (revenue, profit or CLV), one per customer.
    top_share : float, optional
        Share of customers counted as the top, in [0, 1]; default 0.05.

    Returns
    -------
    float
        The top customers' share of the total, as a decimal (0.4 = "the top 5% bring
        40%"). With loss-making customers among the values it can exceed 1 (the top
        customers bring more than the whole, the "whale curve").

    Raises
    ------
    CrmValueError
        ``VALUE_CONCENTRATION: ...`` for text, booleans, blanks, NaN or infinity among the
        values, an empty range, a share outside [0, 1], or a total value of 0 or below
        (a share of it means nothing).

    Notes
    -----
    .. math:: \\frac{\\sum_{j=1}^{k} v_{(j)}}{\\sum_{j=1}^{n} v_j},
        \\quad k = \\lceil \\text{top\\_share} \\times n \\rceil

    with :math:`v_{(1)} \\ge v_{(2)} \\ge \\dots` the values from the largest; ties do not
    matter for the sum. :math:`k` is rounded as in :func:`customer_segment`. The Pareto
    ("80/20") check of revenue concentration; above 1 it reads off the "whale curve" of
    customer profitability (Kaplan & Narayanan, "Measuring and managing customer
    profitability", *Journal of Cost Management* 15(5), 2001).

    Examples
    --------
    >>> value_concentration([100, 50, 30, 20], top_share=0.25)
    0.5
    >>> value_concentration([100, 50, 30, 20], top_share=0.3)
    0.75
    """
    func = "VALUE_CONCENTRATION"
    amounts = _customers(func, "values", values)
    top = _share(func, "top_share", top_share, 0.05)
    total = float(np.sum(amounts))
    if total <= 0:
        raise fail(
            func,
            f"the values add up to {total:g}, so there is no positive total to take a share "
            "of; give values whose total is above 0",
        )
    n = amounts.size
    k = _top_count(top, n)
    if k == 0:
        return 0.0
    return float(np.sum(np.partition(amounts, n - k)[n - k :])) / total


def rfm_score(
    recency_days: ArrayLike,
    frequency: ArrayLike,
    monetary: ArrayLike,
    bins: int = 5,
) -> np.ndarray:
    """Recency-frequency-monetary code per customer, such as ``"534"``.

    Parameters
    ----------
    recency_days : array_like
        Days since each customer's last purchase, >= 0 (fewer is better).
    frequency : array_like
        Purchases per customer (or per customer and period), >= 0.
    monetary : array_like
        Spend per customer (money); may be negative after returns.
    bins : int, optional
        Number of score points, a whole number from 2 to 9; default 5.

    Returns
    -------
    ndarray of str
        One three-character code per customer, in input order: the recency, frequency
        and monetary digits, each from 1 to ``bins``, higher is better.

    Raises
    ------
    CrmValueError
        ``RFM_SCORE: ...`` for text, booleans, blanks, NaN or infinity among the values,
        negative days or frequencies, ranges of different lengths, fewer than 2
        customers, or ``bins`` not a whole number from 2 to 9.

    Notes
    -----
    Each measure is ranked from the lowest, :math:`\\rho = 0, \\dots, n-1`, ties broken
    by order (the customer listed first ranks lower), and the ranks are cut into
    ``bins`` equal-count bins, the last customer in each bin on its upper edge:

    .. math:: \\text{digit} = \\max\\left(1, \\left\\lceil \\frac{\\rho \\times
        \\text{bins}}{n - 1} \\right\\rceil\\right)

    the bins of ``pandas.qcut(x.rank(method="first"), bins, labels=False) + 1``, the
    usual Python idiom, in exact integer arithmetic (qcut's floating-point bin edges can
    put a customer who sits exactly on an edge one bin higher). Recency is reversed,
    ``bins + 1 - digit``, so the most recent customers score highest (A. M. Hughes,
    *Strategic Database Marketing*, 1994).

    Examples
    --------
    >>> rfm_score([5, 40, 200, 12, 90], [12, 3, 1, 2, 8], [900, 150, 40, 610, 75])
    array(['555', '333', '111', '424', '242'], dtype='<U3')
    """
    func = "RFM_SCORE"
    recency = _customers(func, "recency_days", recency_days, minimum=0.0)
    often = _customers(func, "frequency", frequency, minimum=0.0)
    spend = _customers(func, "monetary", monetary)
    same_length(func, ("recency_days", recency), ("frequency", often))
    same_length(func, ("recency_days", recency), ("monetary", spend))
    points = (
        5
        if is_omitted(bins)
        else int(
            as_number(
                func,
                "bins",
                bins,
                minimum=2.0,
                maximum=9.0,
                whole=True,
                hint="a whole number from 2 to 9",
            )
        )
    )
    n = recency.size
    if n < 2:
        raise fail(
            func,
            "recency_days has only 1 customer; RFM scores rank customers against each "
            "other, so give at least 2",
        )
    r = points + 1 - _digits(recency, points)
    f = _digits(often, points)
    m = _digits(spend, points)
    return (100 * r + 10 * f + m).astype("U3")


def _customers(func: str, name: str, values: Any, **limits: Any) -> np.ndarray:
    """One value per customer as a flat float array (a single value is one customer)."""
    hint = limits.pop("hint", "a number" if not limits else "a number >= 0")
    read = as_numbers_fast(func, name, values, hint=hint, **limits)
    array = np.asarray(read, dtype=float)
    if array.ndim == 0:
        return array.reshape(1)
    return array if array.ndim == 1 else as_vector(func, name, array)


def _share(func: str, name: str, value: Any, default: float) -> float:
    if is_omitted(value):
        return default
    return as_number(func, name, value, minimum=0.0, maximum=1.0, hint=_SHARE)


def _top_count(share: float, n: int) -> int:
    """ceil(share x n), with the product's binary rounding error taken out first."""
    product = share * n
    return math.ceil(product - product * 1e-12)


def _digits(values: np.ndarray, points: int) -> np.ndarray:
    """Equal-count bins 1..points of the ranks (ties by order), lowest values in bin 1."""
    n = values.size
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(values, kind="stable")] = np.arange(n)
    return np.maximum(1, -((-rank * points) // (n - 1)))
