"""Scoring a whole customer base: purchase histories in, one scored row per customer out.

Two pieces, both pure (no files; the command line reads and writes), each in its module:

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

from .customer_base import SUMMARY_COLUMNS, ScoredBase, concentration_curve, score_customers
from .purchase_totals import PurchaseTotals

__all__ = [
    "SUMMARY_COLUMNS",
    "PurchaseTotals",
    "ScoredBase",
    "concentration_curve",
    "score_customers",
]
