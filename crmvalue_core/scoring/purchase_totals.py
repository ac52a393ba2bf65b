"""Running per-customer totals of a transaction log that arrives in pieces.

:class:`PurchaseTotals` summarises a log read in chunks (of a file, or the partitions of a
Dask data frame) into the per-customer history the purchase-history models need. Pieces
are added one after another (:meth:`~PurchaseTotals.add`) or built separately and merged
(:meth:`~PurchaseTotals.merge`), in any grouping, and :meth:`~PurchaseTotals.summary`
gives the same table as :func:`crmvalue_core.transactions.summary_from_transactions` on
the whole log.

Purchases are counted by distinct days, as in Fader and Hardie's CDNOW data and in
``lifetimes``. Across pieces, the running state per customer is: first and last purchase
day, total spend, the spend on the first day, and the set of (customer, day) pairs seen.
Every part of it combines exactly: min, max, sums, a set union, and the first-day spend
(kept from whichever piece holds the earlier first day, summed when both hold it). Only
the order of floating-point additions depends on the grouping, so money columns agree
to rounding (about 1e-15 relative) between groupings and counts and times agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._inputs import fail
from ..transactions import UNIT_DAYS

__all__ = ["FUNC", "PurchaseTotals", "day_number", "history_table"]

#: The name errors start with: the totals feed SCORE_CUSTOMERS (``crmvalue score``).
FUNC = "SCORE_CUSTOMERS"

# A (customer, day) pair as one int64: the customer's code above 24 bits of day offset.
_DAY_BITS = 24
_DAY_OFFSET = 1 << (_DAY_BITS - 1)
_DAY_MASK = (1 << _DAY_BITS) - 1
_NO_DAY_HIGH = np.iinfo(np.int64).max
_NO_DAY_LOW = np.iinfo(np.int64).min
#: Customers the pieces may hold before they are combined (at least; or twice the combined).
_MIN_WAITING = 1 << 22


def day_number(value: Any, name: str) -> int:
    """One date (date, datetime, numpy or pandas date, ISO text) as days since 1970-01-01;
    ``name`` names it in the error when it is not a date.

    >>> day_number("1970-01-31", "until"), day_number(np.datetime64("2024-01-31"), "until")
    (30, 19753)
    """
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
        self._until_day = None if until is None else day_number(until, "until")
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
        return history_table(
            done.labels,
            done.first,
            done.last,
            done.total,
            done.first_day_spend,
            purchase_days,
            end,
            unit,
        )


def history_table(
    labels: pd.Index,
    first: np.ndarray,
    last: np.ndarray,
    total: np.ndarray,
    first_day_spend: np.ndarray,
    purchase_days: np.ndarray,
    end: int,
    time_unit: str = "W",
    *,
    sort: bool = True,
) -> pd.DataFrame:
    """The per-customer history table from each customer's totals.

    ``first``/``last`` are the first and last purchase days and ``end`` the end of the
    observation period (days since 1970-01-01), ``total`` the whole spend,
    ``first_day_spend`` the spend on the first purchase day and ``purchase_days`` the
    distinct purchase days. With k distinct purchase days d_1 < ... < d_k up to the end e
    (Fader, Hardie and Lee 2005, the CDNOW convention of ``lifetimes``): x = k - 1,
    t_x = (d_k - d_1)/u, T = (e - d_1)/u and monetary_value = (total spend - spend on
    d_1) / (k - 1) (0 when k = 1), u the days in ``time_unit`` ("W" or "D"). ``sort``
    orders the rows by label (pass False when they come sorted).

    >>> history_table(pd.Index(["B", "A"]), np.array([0, 7]), np.array([14, 7]),
    ...               np.array([30.0, 5.0]), np.array([10.0, 5.0]), np.array([2, 1]), 21,
    ...               "W")[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency  age  monetary_value
    customer_id
    A                    0      0.0  2.0             0.0
    B                    1      2.0  3.0            20.0
    """
    frequency = np.asarray(purchase_days, dtype=np.int64) - 1
    unit_days = UNIT_DAYS[time_unit]
    first = np.asarray(first, dtype=np.int64)
    last = np.asarray(last, dtype=np.int64)
    monetary = (np.asarray(total) - np.asarray(first_day_spend)) / np.maximum(frequency, 1)
    columns = {
        "frequency": frequency,
        "recency": (last - first) / unit_days,
        "age": (end - first) / unit_days,
        "monetary_value": np.where(frequency > 0, monetary, 0.0),
        "first_purchase": first.astype("datetime64[D]"),
        "last_purchase": last.astype("datetime64[D]"),
    }
    frame = pd.DataFrame(columns, index=pd.Index(labels, name="customer_id"))
    if not sort:
        return frame
    try:
        order = np.asarray(frame.index.argsort())
    except TypeError:  # labels of mixed types: keep the order of first appearance
        return frame
    return frame.iloc[order]
