"""Scoring a customer base: one scored row per customer from the purchase histories.

:func:`score_customers` takes the per-customer histories (the table of
:meth:`~crmvalue_core.scoring.PurchaseTotals.summary` or of
:func:`crmvalue_core.transactions.summary_from_transactions`, or a customer table with the
same columns), fits BG/NBD and Gamma-Gamma, and gives each customer its expected
purchases, probability of being alive, predicted CLV, RFM code, value class and strategy,
with the summary figures of the base (:class:`ScoredBase`). :func:`concentration_curve`
draws how the value is spread over the customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._fitting import FitResult
from .._inputs import fail
from ..errors import CrmValueError
from ..purchase_history import (
    MONTH_LENGTH,
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_p_alive,
    gg_fit,
    predicted_clv,
)
from ..purchase_history._histories import distinct_rows
from ..segmentation import CLASSES, STRATEGY, customer_segment, rfm_score, value_concentration
from ..transactions import UNIT_DAYS
from .purchase_totals import FUNC

__all__ = ["SUMMARY_COLUMNS", "ScoredBase", "concentration_curve", "score_customers"]

#: The per-customer history columns that :func:`score_customers` needs.
SUMMARY_COLUMNS: tuple[str, ...] = ("frequency", "recency", "age", "monetary_value")

#: Days in a time unit, for RFM recency in days (a month is 30 days, as in ``lifetimes``).
_DAYS_PER_UNIT = {**UNIT_DAYS, "M": 30.0}
#: Customers per block of the predicted CLV (bounds its memory to about 100 MB).
_BLOCK = 1 << 17


@dataclass(frozen=True, eq=False)
class ScoredBase:
    """The result of :func:`score_customers`.

    Attributes
    ----------
    customers : pandas.DataFrame
        One row per customer (the input's index): ``frequency``, ``recency``, ``age``,
        ``monetary_value``, ``rfm``, ``expected_purchases``, ``p_alive``,
        ``predicted_clv``, ``actual_value`` and ``strategic_value`` when given, then
        ``segment`` and ``strategy``.
    bgnbd : FitResult
        The BG/NBD fit (r, alpha, a, b).
    gamma_gamma : FitResult
        The Gamma-Gamma fit (p, q, gamma).
    value_column : str
        The column the classes and the concentration are measured on: ``actual_value``
        when given, else ``predicted_clv``.
    segment_counts : dict
        Customers per class, in the order of :data:`crmvalue_core.segmentation.CLASSES`.
    concentration : dict
        Top share of customers -> their share of the total value (None when the total
        is not above 0).
    by_segment : pandas.DataFrame
        Per class: ``customers``, ``customer_share``, ``value``, ``value_share`` (NaN
        when the total is not above 0) and ``strategy``.
    settings : dict
        The horizon, rates and shares the scores were computed with.
    """

    customers: pd.DataFrame
    bgnbd: FitResult
    gamma_gamma: FitResult
    value_column: str
    segment_counts: dict[str, int]
    concentration: dict[float, float | None]
    by_segment: pd.DataFrame
    settings: Mapping[str, Any]


def _summary_column(summary: pd.DataFrame, name: str) -> np.ndarray:
    if name not in summary.columns:
        raise fail(
            FUNC,
            f"the customer table has no column {name!r} (it has "
            f"{', '.join(map(str, summary.columns))}); give {', '.join(SUMMARY_COLUMNS)}",
        )
    return summary[name].to_numpy(dtype=float)


def _predict(
    summary: pd.DataFrame,
    bgnbd: FitResult,
    gamma_gamma: FitResult,
    months: int,
    discount_rate: float,
    margin: float,
    unit: str,
) -> pd.DataFrame:
    """The history columns with rfm, expected purchases, P(alive) and predicted CLV.

    Each prediction is evaluated once per distinct history and scattered back to the
    customers: expected purchases and P(alive) per distinct (frequency, recency, age),
    the predicted CLV per distinct (frequency, recency, age, monetary value). The
    formulas are elementwise, so the result equals the per-customer evaluation; a base
    of 1.8 million customers has a few hundred thousand distinct histories, CDNOW's
    23,570 about 9,000.
    """
    x, t_x, big_t, spend = (_summary_column(summary, name) for name in SUMMARY_COLUMNS)
    r, alpha, a, b = bgnbd
    horizon = float(months) * MONTH_LENGTH[unit]
    customers = summary[list(SUMMARY_COLUMNS)].copy()
    customers["rfm"] = rfm_score((big_t - t_x) * _DAYS_PER_UNIT[unit], x, spend)
    (hx, ht_x, hbig_t), _, history_of = distinct_rows(x, t_x, big_t)
    expected = bgnbd_expected_purchases(r, alpha, a, b, horizon, hx, ht_x, hbig_t)
    customers["expected_purchases"] = np.atleast_1d(expected)[history_of]
    alive = bgnbd_p_alive(r, alpha, a, b, hx, ht_x, hbig_t)
    customers["p_alive"] = np.atleast_1d(alive)[history_of]
    (cx, ct_x, cbig_t, cspend), _, clv_of = distinct_rows(x, t_x, big_t, spend)
    # in blocks: the monthly grid makes (histories x months) temporaries
    clv = np.concatenate(
        [
            np.atleast_1d(
                predicted_clv(
                    r,
                    alpha,
                    a,
                    b,
                    *gamma_gamma,
                    cx[block],
                    ct_x[block],
                    cbig_t[block],
                    cspend[block],
                    months,
                    discount_rate,
                    margin,
                    unit,
                )
            )
            for block in _blocks(len(cx))
        ]
    )
    customers["predicted_clv"] = clv[clv_of]
    return customers


def score_customers(
    summary: pd.DataFrame,
    months: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
    time_unit: str = "W",
    top_share: float = 0.05,
    growth_share: float = 0.20,
    shares: tuple[float, ...] = (0.05, 0.20),
    confidence: float | None = None,
) -> ScoredBase:
    """Fit the purchase-history models to a customer base and score every customer.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer with ``frequency`` (repeat purchases), ``recency``, ``age``
        (in ``time_unit``) and ``monetary_value`` (mean value of the repeat purchases),
        as :meth:`PurchaseTotals.summary` or
        :func:`~crmvalue_core.transactions.summary_from_transactions` give; optionally
        ``actual_value`` and ``strategic_value`` (money, per customer).
    months : int, optional
        Horizon of the expected purchases and the predicted CLV, in months (default 12).
    discount_rate : float, optional
        Monthly discount rate of the predicted CLV (default 0.01).
    margin : float, optional
        Profit margin as a share of spend (default 1: a revenue CLV).
    time_unit : {"W", "D", "M"}, optional
        Unit of recency and age (default weeks).
    top_share, growth_share : float, optional
        The shares of :func:`~crmvalue_core.segmentation.customer_segment`
        (defaults 0.05 and 0.20).
    shares : tuple of float, optional
        Top shares of customers to report the value concentration for (5% and 20%).
    confidence : float, optional
        Fit both models with standard errors at this level (``bgnbd_fit(...,
        confidence=)``), as :func:`~crmvalue_core.scoring.base_intervals.scored_clv_intervals`
        needs; left out (default), the fits carry none.

    Returns
    -------
    ScoredBase
        The scored customers, the two fits and the summary figures.

    Notes
    -----
    * BG/NBD is fitted to every customer (:func:`~crmvalue_core.purchase_history.bgnbd_fit`)
      and Gamma-Gamma to those with repeat purchases of a value above 0
      (:func:`~crmvalue_core.purchase_history.gg_fit`; repeat purchases worth 0, such as
      free items, say nothing about spend levels and the model's Gamma spend is > 0).
      Every customer still gets an expected spend.
    * ``expected_purchases``: E[Y(t) | x, t_x, T] with t = ``months`` months in the time
      unit (4.345 weeks or 30 days a month); ``p_alive``: P(alive | x, t_x, T);
      ``predicted_clv``: :func:`~crmvalue_core.purchase_history.predicted_clv`.
    * ``rfm``: :func:`~crmvalue_core.segmentation.rfm_score` of the days since the last
      purchase, (age - recency) x days per unit, the repeat purchases and the mean repeat
      spend (a customer without repeat purchases has 0).
    * Classes: :func:`~crmvalue_core.segmentation.customer_segment` of the actual value
      and the strategic value, each the given column or else the predicted CLV (so
      without a strategic value, Growth holds the next customers by predicted CLV).
    * The value concentration is that of the actual value (the given column or the
      predicted CLV).

    Examples
    --------
    Customers simulated from BG/NBD (r = 0.25, alpha = 4, a = 0.8, b = 2.5) over 39 weeks,
    with mean repeat spends around 30:

    >>> import numpy as np, pandas as pd
    >>> from crmvalue_core.scoring import score_customers
    >>> rng = np.random.default_rng(3)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.25, 1 / 4.0, n), rng.beta(0.8, 2.5, n)
    >>> times = rng.exponential(1.0, (n, 100)).cumsum(axis=1) / lam[:, None]
    >>> frequency = np.minimum((times <= 39).sum(axis=1), rng.geometric(p))
    >>> recency = np.where(frequency > 0, times[np.arange(n), frequency - 1], 0.0)
    >>> spend = np.where(frequency > 0, rng.gamma(6.0, 5.0, n), 0.0)
    >>> table = pd.DataFrame({"frequency": frequency, "recency": recency, "age": 39.0,
    ...                       "monetary_value": spend})
    >>> scored = score_customers(table)
    >>> list(scored.customers.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['frequency', 'recency', 'age', 'monetary_value', 'rfm', 'expected_purchases',
     'p_alive', 'predicted_clv', 'segment', 'strategy']
    >>> scored.segment_counts
    {'Most valuable': 100, 'Growth': 380, 'Standard': 1520, 'Negative': 0}
    """
    if not isinstance(summary, pd.DataFrame):
        raise fail(FUNC, "summary is not a table; give a pandas DataFrame, one row per customer")
    if len(summary) < 2:
        raise fail(FUNC, f"there are {len(summary)} customers; scoring ranks them, give at least 2")
    unit = time_unit.strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in MONTH_LENGTH:
        raise fail(
            FUNC, f'time_unit is {time_unit!r}; enter "W" (weeks), "D" (days) or "M" (months)'
        )
    x, t_x, big_t, spend = (_summary_column(summary, name) for name in SUMMARY_COLUMNS)

    bgnbd = bgnbd_fit(x, t_x, big_t, confidence=confidence)
    spenders = (x > 0) & (spend > 0)
    gamma_gamma = gg_fit(x[spenders], spend[spenders], confidence=confidence)
    try:
        customers = _predict(summary, bgnbd, gamma_gamma, months, discount_rate, margin, unit)
    except CrmValueError as error:
        raise fail(
            FUNC,
            f"{error}. The fitted BG/NBD parameters are extreme: the data hardly look like "
            "repeat buying with drop-out; check the time unit, the observation end and that "
            "the log holds purchases",
        ) from None
    clv = customers["predicted_clv"].to_numpy()
    actual = clv
    strategic = clv
    value_column = "predicted_clv"
    if "actual_value" in summary.columns:
        actual = _summary_column(summary, "actual_value")
        customers["actual_value"] = actual
        value_column = "actual_value"
    if "strategic_value" in summary.columns:
        strategic = _summary_column(summary, "strategic_value")
        customers["strategic_value"] = strategic
    segmentation = customer_segment(actual, strategic, top_share, growth_share)
    customers["segment"] = pd.Categorical(segmentation.labels)
    customers["strategy"] = pd.Categorical(segmentation.strategies)

    total = float(np.sum(actual))
    concentration: dict[float, float | None] = {
        share: (value_concentration(actual, share) if total > 0 else None) for share in shares
    }
    codes = segmentation.labels.codes
    counts = np.bincount(codes, minlength=len(CLASSES))
    values = np.bincount(codes, weights=actual, minlength=len(CLASSES))
    by_segment = pd.DataFrame(
        {
            "customers": counts,
            "customer_share": counts / len(actual),
            "value": values,
            "value_share": values / total if total > 0 else np.full(len(CLASSES), np.nan),
            "strategy": [STRATEGY[name] for name in CLASSES],
        },
        index=pd.Index(CLASSES, name="segment"),
    )
    settings = {
        "months": int(months),
        "discount_rate": float(discount_rate),
        "margin": float(margin),
        "time_unit": unit,
        "top_share": float(top_share),
        "growth_share": float(growth_share),
    }
    return ScoredBase(
        customers,
        bgnbd,
        gamma_gamma,
        value_column,
        segmentation.counts,
        concentration,
        by_segment,
        settings,
    )


def _blocks(n: int, size: int = _BLOCK) -> list[slice]:
    return [slice(start, min(start + size, n)) for start in range(0, n, size)]


def concentration_curve(
    values: Any, segments: Any = None, points: int = 500
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The value concentration curve: cumulative share of value by share of customers.

    Parameters
    ----------
    values : array_like
        Value per customer (its total must be above 0).
    segments : array_like, optional
        A class label (or code) per customer; then the third result gives the class of
        the customer at each point.
    points : int, optional
        How many points to sample along the curve (default 500; at most one per customer).

    Returns
    -------
    tuple of ndarray
        ``customer_share`` (0..1), ``value_share`` (0 at 0, 1 at 1) with customers from
        the most valuable down, and the class at each point (or None).

    Notes
    -----
    With the values sorted from the largest, :math:`v_{(1)} \\ge v_{(2)} \\ge \\dots`, the
    point at customer share :math:`k/n` is

    .. math:: \\frac{\\sum_{j=1}^{k} v_{(j)}}{\\sum_{j=1}^{n} v_j}

    the curve of :func:`~crmvalue_core.segmentation.value_concentration` for every share
    at once (with loss-making customers it rises above 1 before it ends at 1: the "whale
    curve" of Kaplan & Narayanan, "Measuring and managing customer profitability",
    *Journal of Cost Management* 15(5), 2001).

    Examples
    --------
    >>> share, value, _ = concentration_curve([1.0, 3.0, 6.0], points=3)
    >>> share.round(3).tolist(), value.round(3).tolist()
    ([0.0, 0.333, 0.667, 1.0], [0.0, 0.6, 0.9, 1.0])
    """
    amounts = np.asarray(values, dtype=float).reshape(-1)
    total = float(amounts.sum())
    if amounts.size == 0 or not np.isfinite(total) or total <= 0:
        raise fail(FUNC, "the values add up to 0 or less; there is no concentration to draw")
    order = np.argsort(-amounts, kind="stable")
    cumulative = np.concatenate([[0.0], np.cumsum(amounts[order]) / total])
    n = amounts.size
    taken = np.unique(np.linspace(0, n, min(points, n) + 1).round().astype(np.int64))
    labels = None
    if segments is not None:
        ordered = np.asarray(segments)[order]
        labels = ordered[np.clip(taken - 1, 0, n - 1)]
    return taken / n, cumulative[taken], labels
