"""Scoring a whole customer base: purchase histories in, one scored row per customer out.

Two pieces, both pure (no files; the command line reads and writes), each in its module:

* :mod:`.purchase_totals`: :class:`PurchaseTotals` summarises a transaction log that
  arrives in pieces (chunks of a file, partitions of a Dask data frame) into the
  per-customer history the purchase-history models need, the same table as
  :func:`crmvalue_core.transactions.summary_from_transactions` on the whole log, in any
  grouping of the pieces (how the pieces combine exactly is told there);
* :mod:`.engine_totals`: :func:`summarise_in_duckdb` makes the same table for a whole log
  that the DuckDB engine holds (a file it reads), in one query inside the engine;
* :mod:`.customer_base`: :func:`score_customers` takes that table (or a customer table
  with the same columns), fits BG/NBD and Gamma-Gamma, and gives each customer its
  expected purchases, probability of being alive, predicted CLV, RFM code, value class
  and strategy, with the summary figures of the base (customers per class, value
  concentration); :func:`concentration_curve` draws the concentration.

Import from here: ``from crmvalue_core.scoring import PurchaseTotals, score_customers``.
"""

from __future__ import annotations

from .base_intervals import scored_clv_intervals
from .customer_base import SUMMARY_COLUMNS, ScoredBase, concentration_curve, score_customers
from .engine_totals import LogSummary, summarise_in_duckdb
from .purchase_totals import PurchaseTotals

__all__ = [
    "SUMMARY_COLUMNS",
    "LogSummary",
    "PurchaseTotals",
    "ScoredBase",
    "concentration_curve",
    "score_customers",
    "scored_clv_intervals",
    "summarise_in_duckdb",
]
