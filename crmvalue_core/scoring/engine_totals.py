"""Per-customer purchase histories of a whole transaction log, summarised by DuckDB.

:func:`summarise_in_duckdb` gives the same table as :class:`~.purchase_totals.PurchaseTotals`
(and :func:`crmvalue_core.transactions.summary_from_transactions`) for a log that DuckDB
can read: the grouping and the sums run inside the embedded DuckDB engine (no server, no
Python object per row), in one pass over the rows, and only the per-customer figures come
back to numpy, where :func:`~.purchase_totals.history_table` turns them into frequency,
recency, age and monetary value with the same formulas.

The query groups twice: first by customer and day (the spend of each purchase day, as
the CDNOW convention counts purchases by distinct days), then by customer (distinct
days, first and last day, total spend, spend on the first day). Every count, day and
time agrees exactly with :class:`PurchaseTotals`; money agrees to rounding (about 1e-15
relative), as only the order of the floating-point additions differs.

DuckDB is imported only inside the function, so the rest of the calculator does not need
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._inputs import fail
from ..transactions import UNIT_DAYS
from .purchase_totals import FUNC, day_number, history_table

__all__ = ["LogSummary", "summarise_in_duckdb"]


@dataclass(frozen=True)
class LogSummary:
    """A summarised transaction log.

    Attributes:
        summary: one row per customer, sorted by id: ``frequency``, ``recency``, ``age``,
            ``monetary_value``, ``first_purchase``, ``last_purchase`` (the table of
            :meth:`PurchaseTotals.summary`).
        n_customers: customers with a transaction up to the end of the period.
        n_transactions: transactions up to the end of the period.
        end: the end of the observation period.
    """

    summary: pd.DataFrame
    n_customers: int
    n_transactions: int
    end: np.datetime64


def _query(table: str, until_day: int | None) -> str:
    """The SQL that summarises ``table`` (customer_id, day, amount) per customer.

    Per customer it also counts the (customer, day) groups with a problem: no date, an
    amount that is missing, negative or not finite (a NaN or an infinity makes the day's
    sum non-finite).
    """
    kept = "day IS NOT NULL"
    if until_day is not None:
        kept += f" AND day <= DATE '1970-01-01' + INTERVAL {int(until_day)} DAY"
    return f"""
        WITH daily AS (
            SELECT customer_id, day, fsum(amount) AS spend, count(*) AS n_rows,
                   count(amount) AS n_amounts, min(amount) AS lowest
            FROM {table}
            GROUP BY customer_id, day
        )
        SELECT customer_id,
               count(*) FILTER (WHERE {kept}) AS purchase_days,
               min(day) FILTER (WHERE {kept}) - DATE '1970-01-01' AS first_day,
               max(day) FILTER (WHERE {kept}) - DATE '1970-01-01' AS last_day,
               fsum(spend) FILTER (WHERE {kept}) AS total,
               arg_min(spend, day) FILTER (WHERE {kept}) AS first_day_spend,
               sum(n_rows) FILTER (WHERE {kept})::BIGINT AS n_rows,
               count(*) FILTER (
                   WHERE day IS NULL OR n_amounts < n_rows OR lowest < 0
                      OR NOT isfinite(spend)
               ) + (customer_id IS NULL OR customer_id = '')::INTEGER AS problems
        FROM daily
        GROUP BY customer_id
        ORDER BY customer_id
    """


def _fetch(connection: Any, query: str) -> dict[str, Any]:
    """The columns of the query's result: the ids as a pandas Series of text (through Arrow,
    without a Python object per id, when pyarrow is installed), the rest as numpy arrays
    with NULL as NaN (or 0 in a column of whole numbers without pyarrow)."""
    try:
        import pyarrow  # noqa: F401 (DuckDB's Arrow output needs it)
    except ImportError:
        found = connection.sql(query).fetchnumpy()
        found = {name: np.ma.filled(values, _missing(values)) for name, values in found.items()}
        found["customer_id"] = pd.Series(found["customer_id"], dtype="str")
        return found
    table = connection.sql(query).to_arrow_table()
    found = {name: table[name].to_numpy() for name in table.column_names[1:]}
    found["customer_id"] = table["customer_id"].to_pandas()
    return found


def _missing(values: Any) -> Any:
    return np.nan if np.asarray(values).dtype.kind == "f" else 0


def summarise_in_duckdb(
    connection: Any, table: str, until: Any = None, time_unit: str = "W"
) -> LogSummary:
    """Summarise a transaction log held by DuckDB into one purchase history per customer.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        The connection that knows ``table`` (its thread and memory settings apply).
    table : str
        A table, view or table function of that connection with the columns
        ``customer_id`` (text), ``day`` (DATE) and ``amount`` (DOUBLE), one row per
        transaction.
    until : date, optional
        The end of the observation period: transactions after it are left out, and so are
        customers whose first purchase comes after it. Default: the last purchase day of
        the log.
    time_unit : {"W", "D"}, optional
        Unit of recency and age: weeks (default) or days.

    Returns
    -------
    LogSummary
        The per-customer table, with the counts of customers and transactions and the end
        of the period.

    Raises
    ------
    CrmValueError
        When a row has a blank customer id (NULL or empty text) or no date, or an amount
        that is missing, negative or not finite, or when no transaction falls in the
        period.

    Notes
    -----
    With k distinct purchase days d_1 < ... < d_k up to the end e, x = k - 1,
    t_x = (d_k - d_1)/u, T = (e - d_1)/u and monetary_value = (total spend - spend on
    d_1) / (k - 1) (0 when k = 1), u the days in the time unit (Fader, Hardie and Lee
    2005; the CDNOW convention of ``lifetimes``).

    Examples
    --------
    >>> import duckdb
    >>> connection = duckdb.connect()
    >>> _ = connection.execute(
    ...     "CREATE TABLE log AS SELECT * FROM (VALUES "
    ...     "('A', DATE '2024-01-01', 10.0), ('A', DATE '2024-01-01', 5.0), "
    ...     "('A', DATE '2024-01-15', 20.0), ('B', DATE '2024-01-08', 30.0), "
    ...     "('A', DATE '2024-02-12', 40.0)) AS t(customer_id, day, amount)")
    >>> result = summarise_in_duckdb(connection, "log")
    >>> result.summary[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency  age  monetary_value
    customer_id
    A                    2      6.0  6.0            30.0
    B                    0      0.0  5.0             0.0
    >>> result.n_customers, result.n_transactions
    (2, 5)
    """
    unit = time_unit.strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in UNIT_DAYS:
        raise fail(FUNC, f'time_unit is {time_unit!r}; enter "W" (weeks) or "D" (days)')
    until_day = None if until is None else day_number(until, "until")
    found = _fetch(connection, _query(table, until_day))
    if np.asarray(found["problems"]).any():
        raise fail(
            FUNC,
            "the log has transactions with a blank customer id, no date, or an amount that "
            "is missing, negative or not finite; correct those rows",
        )
    purchase_days = np.asarray(found["purchase_days"], dtype=np.int64)
    kept = purchase_days > 0
    all_kept = bool(kept.all())
    if not kept.any():
        raise fail(
            FUNC,
            "there are no transactions"
            + ("" if until_day is None else " up to the observation end")
            + "; give a log with at least one transaction",
        )

    def column(name: str, dtype: Any) -> np.ndarray:
        values = np.asarray(found[name])
        return (values if all_kept else values[kept]).astype(dtype, copy=False)

    first = column("first_day", np.int64)
    last = column("last_day", np.int64)
    end = int(last.max()) if until_day is None else until_day
    summary = history_table(
        pd.Index(found["customer_id"] if all_kept else found["customer_id"][kept]),
        first,
        last,
        column("total", float),
        column("first_day_spend", float),
        purchase_days[kept],
        end,
        unit,
        sort=False,
    )
    return LogSummary(
        summary,
        int(kept.sum()),
        int(column("n_rows", np.int64).sum()),
        np.datetime64(end, "D"),
    )
