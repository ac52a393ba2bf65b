"""Scoring a whole customer base: purchase histories in, one scored row per customer out.

Two pieces, both pure (no files; the command line reads and writes):

* :class:`PurchaseTotals` summarises a transaction log that arrives in pieces (chunks of
  a file, partitions of a Dask data frame) into the per-customer history the
  purchase-history models need. Pieces are added one after another (:meth:`~PurchaseTotals.add`)
  or built separately and merged (:meth:`~PurchaseTotals.merge`), in any grouping, and
  :meth:`~PurchaseTotals.summary` gives the same table as
  :func:`crmvalue_core.transactions.summary_from_transactions` on the whole log.
* :func:`score_customers` takes that table (or a customer table with the same columns),
  fits BG/NBD and Gamma-Gamma, and gives each customer its expected purchases,
  probability of being alive, predicted CLV, RFM code, value class and strategy, with the
  summary figures of the base (customers per class, value concentration).

Purchases are counted by distinct days, as in Fader and Hardie's CDNOW data and in
``lifetimes``. Across pieces, the running state per customer is: first and last purchase
day, total spend, the spend on the first day, and the set of (customer, day) pairs seen.
Every part of it combines exactly: min, max, sums, a set union, and the first-day spend
(kept from whichever piece holds the earlier first day, summed when both hold it). Only
the order of floating-point additions depends on the grouping, so money columns agree
to rounding (about 1e-15 relative) between groupings and counts and times agree exactly.
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
from ..segmentation import CLASSES, STRATEGY, customer_segment, rfm_score, value_concentration
from ..transactions import UNIT_DAYS

__all__ = [
    "SUMMARY_COLUMNS",
    "PurchaseTotals",
    "ScoredBase",
    "concentration_curve",
    "score_customers",
]

FUNC = "SCORE_CUSTOMERS"

#: The per-customer history columns that :func:`score_customers` needs.
SUMMARY_COLUMNS: tuple[str, ...] = ("frequency", "recency", "age", "monetary_value")

#: Days in a time unit, for RFM recency in days (a month is 30 days, as in ``lifetimes``).
_DAYS_PER_UNIT = {**UNIT_DAYS, "M": 30.0}

# A (customer, day) pair as one int64: the customer's code above 24 bits of day offset.
_DAY_BITS = 24
_DAY_OFFSET = 1 << (_DAY_BITS - 1)
_DAY_MASK = (1 << _DAY_BITS) - 1
_NO_DAY_HIGH = np.iinfo(np.int64).max
_NO_DAY_LOW = np.iinfo(np.int64).min
#: Customers the pieces may hold before they are combined (at least; or twice the combined).
_MIN_WAITING = 1 << 22
#: Customers per block of the predicted CLV (bounds its memory to about 100 MB).
_BLOCK = 1 << 17


def _day(value: Any, name: str) -> int:
    """One date (date, datetime, numpy or pandas date, ISO text) as days since 1970-01-01."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise fail(FUNC, f"{name} is {value!r}, not a date; give a date such as 2024-01-31")
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def _days(dates: Any) -> np.ndarray:
    """Days since 1970-01-01 (int64) of datetime64 values or whole day numbers."""
    array = np.asarray(dates)
    if array.dtype.kind == "M":
        if np.any(np.isnat(array)):
            i = int(np.flatnonzero(np.isnat(array))[0])
            raise fail(FUNC, f"dates item {i + 1} is blank; enter a date")
        return array.astype("datetime64[D]").astype(np.int64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    raise fail(
        FUNC,
        f"dates are of type {array.dtype}; give datetime64 values or whole day numbers "
        "(parse text dates first)",
    )


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """The distinct values of an int64 array, sorted (a sort, not numpy's hash table)."""
    ordered = np.sort(keys)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@dataclass(eq=False)
class _Piece:
    """Per-customer figures of a piece of the log; ``keys`` are its distinct
    (customer position << 24 | day offset) pairs, sorted."""

    labels: pd.Index
    first: np.ndarray
    last: np.ndarray
    total: np.ndarray
    first_day_spend: np.ndarray
    count: np.ndarray
    keys: np.ndarray

    @classmethod
    def empty(cls) -> _Piece:
        none = np.empty(0, dtype=np.int64)
        return cls(pd.Index([], dtype=object), none, none, np.empty(0), np.empty(0), none, none)

    def fold(self, at: np.ndarray, other: _Piece) -> None:
        """Fold ``other``'s figures into customers ``at`` (one distinct position each)."""
        old_first = self.first[at]
        new_first = np.minimum(old_first, other.first)
        self.first_day_spend[at] = np.where(
            old_first == new_first, self.first_day_spend[at], 0.0
        ) + np.where(other.first == new_first, other.first_day_spend, 0.0)
        self.first[at] = new_first
        self.last[at] = np.maximum(self.last[at], other.last)
        self.total[at] += other.total
        self.count[at] += other.count


class PurchaseTotals:
    """Per-customer running totals of a transaction log read in pieces.

    Parameters
    ----------
    until : date, optional
        The end of the observation period: transactions after it are left out, and so are
        customers whose first purchase comes after it. Default: keep every transaction
        and end the period on the last purchase day of the whole log.

    Notes
    -----
    Each piece is reduced at once to its customers (labels and five numbers each) and its
    distinct (customer, day) pairs (8 bytes each); the pieces are then combined in one
    pass, when they hold more customers than the combined part (and at the end), so the
    labels are hashed a few times in all rather than once per piece. Memory grows with the
    customers and the distinct (customer, day) pairs, not with the transactions.
    :meth:`summary` sorts the customers by label.

    Examples
    --------
    >>> import numpy as np
    >>> from crmvalue_core.scoring import PurchaseTotals
    >>> day = lambda text: np.datetime64(text, "D")
    >>> first = PurchaseTotals().add(["A", "A", "B"],
    ...                              [day("2024-01-01"), day("2024-01-15"), day("2024-01-08")],
    ...                              [10.0, 20.0, 30.0])
    >>> second = PurchaseTotals().add(["A", "A", "C"],
    ...                               [day("2024-01-01"), day("2024-02-12"), day("2024-03-04")],
    ...                               [5.0, 40.0, 8.0])
    >>> first.merge(second).summary()[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency  age  monetary_value
    customer_id
    A                    2      6.0  9.0            30.0
    B                    0      0.0  8.0             0.0
    C                    0      0.0  0.0             0.0
    """

    def __init__(self, until: Any = None) -> None:
        self.until = until
        self._until_day = None if until is None else _day(until, "until")
        self._done = _Piece.empty()
        self._pieces: list[_Piece] = []
        self._waiting = 0

    def __repr__(self) -> str:
        return f"PurchaseTotals(until={self.until!r}, {self.n_transactions:,} transactions)"

    @property
    def n_customers(self) -> int:
        """Customers seen so far (with at least one transaction up to ``until``)."""
        return len(self._combined().labels)

    @property
    def n_transactions(self) -> int:
        """Transactions counted so far (those up to ``until``)."""
        return int(sum(piece.count.sum() for piece in [self._done, *self._pieces]))

    # -- adding a piece ----------------------------------------------------------------

    def add(self, customer_ids: Any, dates: Any, amounts: Any) -> PurchaseTotals:
        """Add one piece of the log: a customer, a date and an amount per transaction.

        ``customer_ids`` are labels (text or numbers, no blanks); ``dates`` datetime64
        values (the time of day is ignored) or whole day numbers since 1970-01-01;
        ``amounts`` numbers >= 0. Returns ``self``, so calls chain.
        """
        ids = customer_ids if isinstance(customer_ids, pd.Series) else pd.Series(customer_ids)
        days = _days(dates)
        value = np.asarray(amounts, dtype=float)
        if not len(ids) == days.size == value.size:
            raise fail(
                FUNC,
                f"customer_ids has {len(ids)} values, dates {days.size} and amounts "
                f"{value.size}; give one of each per transaction",
            )
        bad = ~np.isfinite(value) | (value < 0)
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            raise fail(FUNC, f"amounts item {i + 1} is {value[i]:g}; enter amounts >= 0")
        if self._until_day is not None:
            keep = days <= self._until_day
            if not np.all(keep):
                ids, days, value = ids[keep], days[keep], value[keep]
        if days.size == 0:
            return self
        if np.any((days < -_DAY_OFFSET) | (days >= _DAY_OFFSET)):
            raise fail(FUNC, "a date lies outside the years 1970 +- 22,000; check the dates")
        local, uniques = pd.factorize(ids, sort=False)
        if np.any(local < 0):
            i = int(np.flatnonzero(local < 0)[0])
            raise fail(FUNC, f"customer_ids item {i + 1} is blank; enter the customer of every row")
        n_local = len(uniques)
        first = np.full(n_local, _NO_DAY_HIGH, dtype=np.int64)
        last = np.full(n_local, _NO_DAY_LOW, dtype=np.int64)
        np.minimum.at(first, local, days)
        np.maximum.at(last, local, days)
        on_first_day = np.where(days == first[local], value, 0.0)
        keys = (local.astype(np.int64) << _DAY_BITS) | (days + _DAY_OFFSET)
        piece = _Piece(
            pd.Index(uniques),
            first,
            last,
            np.bincount(local, weights=value, minlength=n_local),
            np.bincount(local, weights=on_first_day, minlength=n_local),
            np.bincount(local, minlength=n_local).astype(np.int64),
            _sorted_unique(keys),
        )
        self._queue([piece])
        return self

    def merge(self, other: PurchaseTotals) -> PurchaseTotals:
        """Fold ``other`` (totals of another piece of the same log) into ``self``; return ``self``.

        Both must have the same ``until``. ``other`` is left unchanged (its arrays are
        shared, never modified).
        """
        if other._until_day != self._until_day:
            raise fail(FUNC, "the pieces were summarised with different observation ends")
        self._queue([other._done, *other._pieces])
        return self

    def _queue(self, pieces: list[_Piece]) -> None:
        pieces = [piece for piece in pieces if len(piece.labels)]
        self._pieces += pieces
        self._waiting += sum(len(piece.labels) for piece in pieces)
        if self._waiting > max(2 * len(self._done.labels), _MIN_WAITING):
            self._combined()

    def _combined(self) -> _Piece:
        """Fold the waiting pieces into the combined part, in one pass; return it."""
        if not self._pieces:
            return self._done
        pieces = [self._done, *self._pieces] if len(self._done.labels) else self._pieces
        labels = pieces[0].labels.append([piece.labels for piece in pieces[1:]])
        codes, uniques = pd.factorize(labels, sort=False)
        n = len(uniques)
        done = _Piece(
            pd.Index(uniques),
            np.full(n, _NO_DAY_HIGH, dtype=np.int64),
            np.full(n, _NO_DAY_LOW, dtype=np.int64),
            np.zeros(n),
            np.zeros(n),
            np.zeros(n, dtype=np.int64),
            np.empty(0, dtype=np.int64),
        )
        keys = []
        start = 0
        for piece in pieces:
            at = codes[start : start + len(piece.labels)].astype(np.int64)
            start += len(piece.labels)
            done.fold(at, piece)
            keys.append((at[piece.keys >> _DAY_BITS] << _DAY_BITS) | (piece.keys & _DAY_MASK))
        done.keys = _sorted_unique(np.concatenate(keys))
        self._done, self._pieces, self._waiting = done, [], 0
        return done

    # -- the result --------------------------------------------------------------------

    def summary(self, time_unit: str = "W") -> pd.DataFrame:
        """One row per customer, sorted by label, for the purchase-history models.

        Parameters
        ----------
        time_unit : {"W", "D"}, optional
            Unit of recency and age: weeks (default) or days.

        Returns
        -------
        pandas.DataFrame
            The columns of :func:`crmvalue_core.transactions.summary_from_transactions`:
            ``frequency``, ``recency``, ``age``, ``monetary_value``, ``first_purchase``,
            ``last_purchase``, indexed by ``customer_id``; the observation period ends at
            ``until`` or else at the last purchase day of the log.

        Notes
        -----
        With k distinct purchase days d_1 < ... < d_k up to the end e, x = k - 1,
        t_x = (d_k - d_1)/u, T = (e - d_1)/u and monetary_value = (total spend - spend on
        d_1) / (k - 1) (0 when k = 1), u the days in the time unit.
        """
        unit = time_unit.strip().upper() if isinstance(time_unit, str) else time_unit
        if unit not in UNIT_DAYS:
            raise fail(FUNC, f'time_unit is {time_unit!r}; enter "W" (weeks) or "D" (days)')
        done = self._combined()
        n = len(done.labels)
        if n == 0:
            raise fail(
                FUNC,
                "there are no transactions"
                + ("" if self._until_day is None else " up to the observation end")
                + "; give a log with at least one transaction",
            )
        purchase_days = np.bincount(done.keys >> _DAY_BITS, minlength=n)
        end = int(done.last.max()) if self._until_day is None else self._until_day
        frequency = purchase_days - 1
        unit_days = UNIT_DAYS[unit]
        monetary = (done.total - done.first_day_spend) / np.maximum(frequency, 1)
        columns = {
            "frequency": frequency.astype(np.int64),
            "recency": (done.last - done.first) / unit_days,
            "age": (end - done.first) / unit_days,
            "monetary_value": np.where(frequency > 0, monetary, 0.0),
            "first_purchase": done.first.astype("datetime64[D]"),
            "last_purchase": done.last.astype("datetime64[D]"),
        }
        frame = pd.DataFrame(columns, index=pd.Index(done.labels, name="customer_id"))
        try:
            order = np.asarray(done.labels.argsort())
        except TypeError:  # labels of mixed types: keep the order of first appearance
            return frame
        return frame.iloc[order]


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


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
    """The history columns with rfm, expected purchases, P(alive) and predicted CLV."""
    x, t_x, big_t, spend = (_summary_column(summary, name) for name in SUMMARY_COLUMNS)
    r, alpha, a, b = bgnbd
    horizon = float(months) * MONTH_LENGTH[unit]
    customers = summary[list(SUMMARY_COLUMNS)].copy()
    customers["rfm"] = rfm_score((big_t - t_x) * _DAYS_PER_UNIT[unit], x, spend)
    customers["expected_purchases"] = bgnbd_expected_purchases(
        r, alpha, a, b, horizon, x, t_x, big_t
    )
    customers["p_alive"] = bgnbd_p_alive(r, alpha, a, b, x, t_x, big_t)
    # in blocks of customers: the monthly grid makes (customers x months) temporaries
    customers["predicted_clv"] = np.concatenate(
        [
            np.atleast_1d(
                predicted_clv(
                    r,
                    alpha,
                    a,
                    b,
                    *gamma_gamma,
                    x[block],
                    t_x[block],
                    big_t[block],
                    spend[block],
                    months,
                    discount_rate,
                    margin,
                    unit,
                )
            )
            for block in _blocks(len(x))
        ]
    )
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

    bgnbd = bgnbd_fit(x, t_x, big_t)
    spenders = (x > 0) & (spend > 0)
    gamma_gamma = gg_fit(x[spenders], spend[spenders])
    try:
        customers = _predict(summary, bgnbd, gamma_gamma, months, discount_rate, margin, unit)
    except CrmValueError as error:
        shown = ", ".join(f"{name} {value:.4g}" for name, value in bgnbd.params.items())
        raise fail(
            FUNC,
            f"{error} (fitted BG/NBD: {shown}). Parameters this extreme mean the data hardly "
            "look like repeat buying with drop-out: check the time unit, the observation end "
            "and that the log holds purchases",
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
