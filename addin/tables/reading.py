"""Reading a transaction log or a customer table: raw pieces, checked and converted.

:func:`transaction_chunks` yields the checked transactions of a log one chunk at a time
(memory grows with the chunk, not the file); :func:`read_customers` reads a whole customer
table. A bad value raises a :class:`~addin.cli.errors.UsageError` that names the file, its
line (CSV: the header is line 1) or row (XLSX: the sheet's row; Parquet: the data row), the
column and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..cli.errors import UsageError
from .columns import CUSTOMER_FIELDS, TRANSACTION_FIELDS, VALUE_FIELDS, Columns
from .conversion import RowProblem, TransactionChunk, convert_customers, convert_transactions
from .progress import Progress
from .sources import PARQUET, XLSX, Source, csv_error, csv_reader, parquet_chunks, xlsx_chunks

__all__ = [
    "locate_problem",
    "read_customers",
    "transaction_check",
    "transaction_chunks",
    "transaction_columns",
]


def _problem(source: Source, offset: int, problem: RowProblem) -> UsageError:
    return UsageError(f"{source.name}, {source.where(offset + problem.row)}: {problem.text}")


def _offset(frame: pd.DataFrame) -> int:
    """The data row (0-based) of the frame's first row in the file."""
    return int(frame.index[0]) if len(frame) else 0


# ---------------------------------------------------------------------------------------
# Reading a transaction log
# ---------------------------------------------------------------------------------------


def _mapped(source: Source, columns: Columns, names: tuple[str, ...]) -> list[str]:
    found = [source.column(getattr(columns, field), field) for field in names]
    if len(set(found)) < len(found):
        raise UsageError(
            f"{source.name}: the same column is mapped twice ({', '.join(found)}); give a "
            "different column to each option"
        )
    return found


def transaction_columns(source: Source, columns: Columns) -> list[str]:
    """The header names of the id, date and amount columns of a transaction log."""
    return _mapped(source, columns, TRANSACTION_FIELDS)


def transaction_check(source: Source, columns: Columns) -> Callable[[pd.DataFrame], Any]:
    """The function that checks and converts a raw piece of ``source``'s transactions."""
    id_column, date_column, amount_column = transaction_columns(source, columns)
    date_format = source.options.date_format

    def check(frame: pd.DataFrame) -> TransactionChunk:
        return convert_transactions(frame, id_column, date_column, amount_column, date_format)

    return check


def transaction_chunks(
    source: Source, columns: Columns, progress: Progress | None = None
) -> Iterator[TransactionChunk]:
    """The checked transactions of ``source``, one chunk at a time.

    A bad value raises a UsageError naming its line (CSV) or row and its column.
    """
    wanted = transaction_columns(source, columns)
    check = transaction_check(source, columns)
    rows = 0
    for frame, done in _frames(source, wanted, (wanted[2],), check):
        try:
            chunk = check(frame)
        except RowProblem as problem:
            raise _problem(source, _offset(frame), problem) from None
        rows += chunk.rows
        if progress is not None:
            progress.update(rows, done)
        yield chunk
    if rows == 0:
        raise UsageError(f"{source.name}: has a header but no transactions; give a file with data")


def _frames(
    source: Source,
    wanted: list[str],
    numeric: tuple[str, ...],
    check: Callable[[pd.DataFrame], Any],
) -> Iterator[tuple[pd.DataFrame, float]]:
    """Raw frames of the wanted columns and the share of the file read so far.

    CSV number columns are parsed by pandas (fast); when that fails, the file is read
    again as text and ``check`` finds the first bad value and says where it is.
    """
    if source.format == PARQUET:
        yield from parquet_chunks(source, wanted)
        return
    if source.format == XLSX:
        yield from xlsx_chunks(source, wanted)
        return
    total = max(source.path.stat().st_size, 1)
    typed = dict.fromkeys(numeric, "float64")
    with source.path.open("rb") as stream:
        try:
            for frame in csv_reader(source, wanted, typed, stream):
                yield frame, stream.tell() / total
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise csv_error(source.path, error, source.options) from None
        except ValueError as error:  # a number column holds text: find the row and say so
            raise locate_problem(source, wanted, check, error) from None


def locate_problem(
    source: Source, wanted: list[str], check: Callable[[pd.DataFrame], Any], error: Exception
) -> UsageError:
    """The first bad value of a CSV file, found by reading every column as text.

    Used when a fast reader (numbers parsed by pandas or Dask) fails, which does not say
    where. ``check`` is the function that checks a raw piece.
    """
    with source.path.open("rb") as stream:
        try:
            for frame in csv_reader(source, wanted, {}, stream):
                try:
                    check(frame)
                except RowProblem as problem:
                    return _problem(source, _offset(frame), problem)
        except (ValueError, pd.errors.ParserError) as again:
            return csv_error(source.path, again, source.options)
    return csv_error(source.path, error, source.options)


# ---------------------------------------------------------------------------------------
# Reading a customer table
# ---------------------------------------------------------------------------------------


def read_customers(source: Source, columns: Columns) -> pd.DataFrame:
    """The customer table: one checked row per customer, in file order.

    Returns a DataFrame indexed by ``customer_id`` (text) with ``frequency``, ``recency``,
    ``age``, ``monetary_value`` and, when mapped, ``actual_value`` and ``strategic_value``.
    """
    fields_ = list(CUSTOMER_FIELDS) + [f for f in VALUE_FIELDS if getattr(columns, f)]
    wanted = _mapped(source, columns, tuple(fields_))

    def check(frame: pd.DataFrame) -> pd.DataFrame:
        return convert_customers(frame, wanted, fields_, _offset(frame))

    pieces = []
    for frame, _ in _frames(source, wanted, tuple(wanted[1:]), check):
        try:
            pieces.append(check(frame))
        except RowProblem as problem:
            raise _problem(source, _offset(frame), problem) from None
    table = pd.concat(pieces) if pieces else pd.DataFrame()
    if len(table) == 0:
        raise UsageError(f"{source.name}: has a header but no customers; give a file with data")
    duplicated = table.index.duplicated()
    if duplicated.any():
        i = int(np.flatnonzero(duplicated)[0])
        label = table.index[i]
        first = int(np.flatnonzero(table.index == label)[0])
        raise UsageError(
            f"{source.name}, {source.where(int(table['_row'].iloc[i]))}: customer "
            f"{label!r} appears again (first at {source.where(int(table['_row'].iloc[first]))});"
            " a customer table has one row per customer"
        )
    return table.drop(columns="_row")
