"""Reading a transaction log or a customer table: raw pieces, checked and converted.

:func:`transaction_chunks` yields the checked transactions of a log one chunk at a time
(memory grows with the chunk, not the file); :func:`read_customers` reads a whole customer
table. A bad value raises a :class:`~addin.cli.errors.UsageError` that names the file, its
line (CSV: the header is line 1) or row (XLSX: the sheet's row; Parquet: the data row), the
column and what to do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..cli.errors import UsageError
from .columns import CUSTOMER_FIELDS, TRANSACTION_FIELDS, VALUE_FIELDS, Columns
from .conversion import RowProblem, TransactionChunk, convert_customers, convert_transactions
from .money_text import split_currency
from .numbers import PLAIN, NumberStyle, StyleProblem, parse_numbers, settle_style
from .progress import Progress
from .sources import (
    CSV,
    PARQUET,
    XLSX,
    Source,
    csv_error,
    csv_reader,
    csv_sample,
    parquet_chunks,
    xlsx_chunks,
    xlsx_formula,
)

__all__ = [
    "SAMPLE_ROWS",
    "locate_problem",
    "number_columns",
    "read_customers",
    "settle_numbers",
    "transaction_check",
    "transaction_chunks",
    "transaction_columns",
]


def _problem(source: Source, offset: int, problem: RowProblem) -> UsageError:
    index = offset + problem.row
    if source.format == XLSX and problem.blank_column is not None:
        formula = _unsaved_formula(source, [problem.blank_column], index)
        if formula is not None:
            return UsageError(f"{source.name}, {source.where(index)}: {formula}")
    return UsageError(f"{source.name}, {source.where(index)}: {problem.text}")


def _unsaved_formula(source: Source, columns: list[str], index: int) -> str | None:
    """What to say when a cell of ``columns`` in data row ``index`` of a workbook is a
    formula without a saved result (openpyxl reads such a cell as blank), else None."""
    for column in columns:
        formula = xlsx_formula(source, column, index)
        if formula is not None:
            shown = formula if len(formula) <= 60 else formula[:57] + "..."
            return (
                f"column {column!r} holds the formula {shown!r} without a saved result (the "
                "file was written by a program that does not calculate); open the file in "
                "Excel or LibreOffice and save it, or paste the column as values, then run "
                "again"
            )
    return None


def _offset(frame: pd.DataFrame) -> int:
    """The data row (0-based) of the frame's first row in the file."""
    return int(frame.index[0]) if len(frame) else 0


# ---------------------------------------------------------------------------------------
# How the numbers are written
# ---------------------------------------------------------------------------------------

#: The rows of a CSV file that tell how its numbers are written (``--decimal auto``).
SAMPLE_ROWS = 10_000


def settle_numbers(
    source: Source, numeric: list[str], money: list[str] | None = None
) -> tuple[Source, str | None]:
    """``source`` with its number style settled (no ``"auto"`` left in its options), and a
    note for the user when a CSV file's numbers are read in another than the standard style.

    The style of a CSV file is told from its first :data:`SAMPLE_ROWS` rows of the
    ``numeric`` columns (:func:`addin.tables.numbers.settle_style`); what cannot be told is
    a UsageError naming the line and the options to pass. Workbooks and Parquet files hold
    numbers as numbers: their text cells are read in the style of the options only.
    """
    options = source.options
    style = options.number_style()
    notes: list[str] = []
    sign = None
    if source.format == CSV:
        sample = csv_sample(source, numeric, SAMPLE_ROWS)
        sign = _settle_sign(source, sample, numeric if money is None else money)
        if sign is not None:
            notes.append(
                f"{source.name}: the amounts carry the currency sign {sign!r}; read without it"
            )
    if source.format == CSV and "auto" in (options.decimal, options.thousands):
        try:
            style = settle_style(
                sample,
                numeric,
                decimal=options.decimal,
                thousands=options.thousands,
                semicolons=options.sep in (";", "semicolon"),
                where=source.where,
            )
        except StyleProblem as problem:
            raise UsageError(
                f"{source.name}, {source.where(problem.row)}: column {problem.column!r} "
                f"{problem.text}"
            ) from None
        assumed = (options.decimal == "auto" and style.decimal != "point") or (
            options.thousands == "auto" and style.thousands != "none"
        )
        if assumed:
            notes.append(_style_note(source, sample, numeric, style))
    settled = dataclasses.replace(
        options, decimal=style.decimal, thousands=style.thousands, currency_sign=sign
    )
    return dataclasses.replace(source, options=settled), "\n".join(notes) or None


def _settle_sign(source: Source, sample: pd.DataFrame, money: list[str]) -> str | None:
    """The currency sign the money columns of ``sample`` carry (None: none), taken off the
    sample in place; a column whose rows differ in their sign is a UsageError naming them.
    """
    sign = None
    for column in money:
        found = split_currency(sample[column], expected=sign)
        if found.sign is None:
            if sign is not None:
                raise UsageError(
                    f"{source.name}: column {column!r} has no currency sign while the other "
                    f"amounts carry {sign!r}; give every money column in one currency"
                )
            continue
        if found.differs.any():
            rows = np.flatnonzero(found.differs)
            shown = ", ".join(
                f"{source.where(int(row))} ({str(sample[column].iloc[row]).strip()!r})"
                for row in rows[:5]
            )
            more = f" and {rows.size - 5:,} more in the first rows" if rows.size > 5 else ""
            raise UsageError(
                f"{source.name}: column {column!r} mixes currencies: its amounts carry "
                f"{found.sign!r}, but not on {shown}{more}; one column holds one currency: "
                "convert those amounts, or split the file by currency"
            )
        sign = found.sign
        sample[column] = found.numbers
    return sign


def _style_note(
    source: Source, sample: pd.DataFrame, numeric: list[str], style: NumberStyle
) -> str:
    """The note that says how the numbers are read, with an example from the sample (one
    that shows the thousands separator when one does)."""
    example = ""
    for column in numeric:
        text = sample[column].astype("str").str.strip()
        differs = np.isfinite(parse_numbers(text, style)) & ~np.isfinite(parse_numbers(text, PLAIN))
        grouped = differs & ~np.isfinite(parse_numbers(text, NumberStyle(style.decimal)))
        if grouped.any():
            differs = grouped
        if differs.any():
            example = f" such as {text[differs].iloc[0]!r} in {column!r}"
            break
    return (
        f"{source.name}: reading numbers with {style.describe()} (values{example}); "
        f"pass {style.options()} to make this explicit"
    )


def number_columns(source: Source, columns: Columns, kind: str) -> list[str]:
    """The header names of the number columns of a transaction log or a customer table."""
    if kind == "transactions":
        return transaction_columns(source, columns)[2:]
    found = _mapped(source, columns, CUSTOMER_FIELDS)[1:]
    for field in VALUE_FIELDS:  # mapped, or found by their own name
        name = getattr(columns, field) or (field if field in source.header else None)
        if name is not None:
            found.append(source.column(name, field))
    return found


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
    style = source.options.number_style()

    def check(frame: pd.DataFrame) -> TransactionChunk:
        return convert_transactions(
            frame, id_column, date_column, amount_column, date_format, style
        )

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
        if source.format == XLSX and (formula := _unsaved_formula(source, wanted, 0)):
            raise UsageError(f"{source.name}, {source.where(0)}: {formula}")
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
    plain = source.options.number_style().plain  # pandas parses plain numbers only
    typed = dict.fromkeys(numeric, "float64") if plain else {}
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

    style = source.options.number_style()

    def check(frame: pd.DataFrame) -> pd.DataFrame:
        return convert_customers(frame, wanted, fields_, _offset(frame), style)

    pieces = []
    for frame, _ in _frames(source, wanted, tuple(wanted[1:]), check):
        try:
            pieces.append(check(frame))
        except RowProblem as problem:
            raise _problem(source, _offset(frame), problem) from None
    table = pd.concat(pieces) if pieces else pd.DataFrame()
    if len(table) == 0:
        if source.format == XLSX and (formula := _unsaved_formula(source, wanted, 0)):
            raise UsageError(f"{source.name}, {source.where(0)}: {formula}")
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
