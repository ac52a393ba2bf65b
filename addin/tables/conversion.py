"""Checking and converting the values of an input table, a piece at a time.

Every value is checked, and the first bad one is reported as a :class:`RowProblem` (its
row within the piece and what is wrong, naming the column): blank ids, dates that do not
parse, text or negative amounts, repeated header rows, a customer's recency above its
age. Blank lines are skipped. Text is only converted here (ids, dates, numbers); every
figure is computed by :mod:`crmvalue_core`. The checks work on whole columns (numpy
masks), so a million rows are checked without a Python loop per row.

Messages quote a bad cell as the file holds it (:func:`_quoted`), where
:func:`crmvalue_core.cells.describe` would interpret it: a CSV file holds text only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .columns import VALUE_FIELDS
from .date_text import dates_from_text
from .money_text import split_currency
from .numbers import PLAIN, NumberStyle, parse_numbers, style_hint

__all__ = ["RowProblem", "TransactionChunk", "convert_customers", "convert_transactions"]

# What a check gives: the rows (a mask) that fail it, and the message of row ``i``.
_Check = tuple[np.ndarray, Callable[[int], str]]


class RowProblem(Exception):
    """A bad value at ``row`` (0-based, within the piece being checked); ``text`` says what.

    The reader turns it into a :class:`UsageError` that names the line or row of the file.
    """

    def __init__(self, row: int, text: str, blank_column: str | None = None) -> None:
        super().__init__(row, text)
        self.row = row
        self.text = text
        #: the column whose cell is blank, when that is the problem (a workbook's reader
        #: then looks for a formula without a saved result there)
        self.blank_column = blank_column


class _Blank:
    """The message of a blank cell of ``column`` (a check's message: row -> text)."""

    def __init__(self, column: str, fix: str) -> None:
        self.column = column
        self.fix = fix

    def __call__(self, row: int) -> str:
        return f"column {self.column!r} is blank; {self.fix}"


@dataclass(frozen=True)
class TransactionChunk:
    """Checked transactions: ids as text, dates as datetime64, amounts as floats >= 0."""

    customer_ids: pd.Series
    dates: np.ndarray
    amounts: np.ndarray
    rows: int


def _first(mask: np.ndarray) -> int | None:
    found = np.flatnonzero(mask)
    return int(found[0]) if found.size else None


def _raise_first(problems: list[_Check]) -> None:
    """Raise a RowProblem for the earliest row any check fails (the first check on a tie)."""
    best: tuple[int, Callable[[int], str]] | None = None
    for mask, message in problems:
        row = _first(mask)
        if row is not None and (best is None or row < best[0]):
            best = (row, message)
    if best is not None:
        column = best[1].column if isinstance(best[1], _Blank) else None
        raise RowProblem(best[0], best[1](best[0]), column)


def _quoted(value: Any) -> str:
    """A cell's value quoted as text, as the file holds it (cut to 60 characters):
    ``'2024-02-30'``, ``'12,50'``, ``'True'``."""
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def _stripped(values: pd.Series) -> pd.Series:
    """Text without surrounding spaces (missing stays missing)."""
    if values.dtype == object:
        values = values.astype("str")
    return values.str.strip()


def _blank_cells(values: pd.Series) -> np.ndarray:
    """Blank cells: missing, or text that is empty or spaces."""
    blank = np.array(values.isna(), dtype=bool)
    if _is_text(values):
        blank |= np.array(_stripped(values) == "", dtype=bool)
    return blank


def _ids(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Customer ids as text exactly as given (whole numbers without '.0'), and the blank
    mask. Spaces are kept: ``' C00008'`` and ``'C00008'`` are two customers; an id that
    is empty or only spaces is blank."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("str"), np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        blank = ~np.isfinite(numbers)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 2**53)
        text = pd.Series(numbers.astype(str), index=values.index, dtype="str")
        text[whole] = numbers[whole].astype(np.int64).astype(str)
        return text, blank
    if values.dtype == object:
        values = values.map(_id_text, na_action="ignore").astype("str")
    text = values.astype("str")
    blank = np.array(text.isna() | (text.str.strip() == ""), dtype=bool)
    return text, blank


def _id_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _parse_dates(
    values: pd.Series, column: str, date_format: str | None
) -> tuple[np.ndarray, list[_Check]]:
    """Dates as datetime64[D], and the checks that failed (blank, not a date).

    Real dates (datetime64 columns, date cells) are kept; text and whole numbers are
    parsed in ``date_format``, else as ISO 8601 (2024-01-31 or 20240131). Each distinct
    text is parsed once.
    """
    n = len(values)
    example = dt.date(2024, 1, 31).strftime(date_format) if date_format else "2024-01-31"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            stamps = values.dt.tz_localize(None)
        parsed = stamps.to_numpy().astype("datetime64[D]")
        blank = np.isnat(parsed)
        return parsed, [(blank, _Blank(column, "enter a date"))]
    parsed = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    is_date = np.zeros(n, dtype=bool)
    if values.dtype == object:
        is_date = values.map(_is_date_value, na_action="ignore").fillna(False)
        is_date = is_date.to_numpy(dtype=bool)
        if is_date.any():
            stamps = pd.to_datetime(values[is_date].tolist())
            parsed[is_date] = stamps.to_numpy().astype("datetime64[D]")
        text = values.map(_number_text, na_action="ignore").astype("str")
    elif pd.api.types.is_numeric_dtype(values.dtype):
        text = values.map(_number_text, na_action="ignore").astype("str")
    else:
        text = values.astype("str")
    text = text.str.strip()
    blank = _blank_cells(text) & ~is_date
    codes, uniques = pd.factorize(text)
    stamps = pd.to_datetime(pd.Index(uniques), format=date_format or "ISO8601", errors="coerce")
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    days = stamps.to_numpy().astype("datetime64[D]")
    if date_format is None and np.isnat(days).any():  # 2024/1/5, 2024年1月5日, 05.01.2024
        missing = np.isnat(days)
        days[missing] = dates_from_text(pd.Index(uniques)[missing])
    from_text = ~is_date & (codes >= 0)
    parsed[from_text] = days[codes[from_text]]
    bad = np.isnat(parsed) & ~blank
    how = (
        f"the format {date_format!r}"
        if date_format
        else "ISO 8601 (such as 2024-01-31) or a form such as 2024/1/31, 2024年1月31日 or "
        "31.01.2024"
    )
    hint = "" if date_format else " or give the format with --date-format (e.g. %d/%m/%Y)"
    return parsed, [
        (blank, _Blank(column, f"enter a date such as {example}")),
        (
            bad,
            lambda i: (
                f"column {column!r} holds {_quoted(values.iloc[i])}, which is not a date "
                f"in {how}; correct it{hint}"
            ),
        ),
    ]


def _is_date_value(value: Any) -> bool:
    return isinstance(value, (dt.date, np.datetime64))


def _number_text(value: Any) -> str:
    """A cell as text to parse: whole numbers without '.0' (19970101, not 19970101.0)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _numbers(
    values: pd.Series,
    column: str,
    *,
    minimum: float | None = 0.0,
    whole: bool = False,
    note: str = "",
    style: NumberStyle = PLAIN,
    money: bool = False,
) -> tuple[np.ndarray, list[_Check]]:
    """Numbers as floats, and the checks that failed (blank, text, not finite, range).

    Text is read in ``style`` (:func:`addin.tables.numbers.parse_numbers`); the standard
    style also takes what ``pandas.to_numeric`` takes (``1e3``, ``inf``). In a ``money``
    column the style's currency sign is taken off first; an amount with another sign, or
    none, fails a check."""
    n = len(values)
    written = values  # as the file writes them, for messages
    other_sign = np.zeros(n, dtype=bool)
    if money and style.sign is not None and not pd.api.types.is_numeric_dtype(values.dtype):
        text_cells = values.map(lambda v: isinstance(v, str), na_action="ignore")
        text_cells = text_cells.fillna(False).to_numpy(dtype=bool)
        found = split_currency(values[text_cells].astype("str"), expected=style.sign)
        values = values.copy() if values.dtype == object else values.astype(object)
        values[text_cells] = found.numbers.to_numpy(dtype=object)
        other_sign[text_cells] = found.differs
    if pd.api.types.is_bool_dtype(values.dtype):
        numbers = np.full(n, np.nan)
        text = np.ones(n, dtype=bool)
        blank = np.zeros(n, dtype=bool)
    elif pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        blank = np.isnan(numbers)
        text = np.zeros(n, dtype=bool)
    else:
        if values.dtype == object:
            is_number = values.map(
                lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
                na_action="ignore",
            )
            is_number = is_number.fillna(False).to_numpy(dtype=bool)
            numbers = np.full(n, np.nan)
            numbers[is_number] = values[is_number].to_numpy(dtype=float)
            blank = _blank_cells(values)
            text = ~is_number & ~blank
            if not style.plain and text.any():  # text cells of a workbook, in the style
                numbers[text] = parse_numbers(values[text].astype("str").str.strip(), style)
                text &= np.isnan(numbers)
        else:  # text from a CSV file
            stripped = values.astype("str").str.strip()
            if style.plain:
                numbers = pd.to_numeric(stripped, errors="coerce")
                numbers = np.array(numbers.to_numpy(dtype=float, na_value=np.nan))
            else:
                numbers = parse_numbers(stripped, style)
            blank = _blank_cells(stripped)
            text = np.isnan(numbers) & ~blank
            text |= ~blank & (stripped.str.lower().isin(["nan", "-nan", "+nan"]).to_numpy())
    how = (
        "digits with a '.' decimal point, no currency sign or thousands separator"
        if style.plain
        else f"written with {style.describe()}, no currency sign"
    )
    finite = np.isfinite(numbers)
    problems: list[_Check] = [
        (blank, _Blank(column, "enter a number")),
        (
            other_sign,
            lambda i: (
                f"column {column!r} holds {_quoted(written.iloc[i])}, but its amounts carry "
                f"the currency sign {style.sign!r}; one column holds one currency: convert "
                "this amount, or split the file by currency"
            ),
        ),
        (
            text,
            lambda i: (
                f"column {column!r} holds the text {_quoted(written.iloc[i])}, not a "
                f"number; enter a number ({how})"
                f"{style_hint(str(written.iloc[i]), style)}"
            ),
        ),
        (
            ~finite & ~blank & ~text,
            lambda i: f"column {column!r} holds {_quoted(written.iloc[i])}, not a finite number",
        ),
    ]
    if minimum is not None:
        problems.append(
            (
                finite & (numbers < minimum),
                lambda i: (
                    f"column {column!r} holds {numbers[i]:g}, below {minimum:g}; "
                    f"enter a value >= {minimum:g}{note}"
                ),
            )
        )
    if whole:
        problems.append(
            (
                finite & (numbers != np.round(numbers)),
                lambda i: f"column {column!r} holds {numbers[i]:g}; enter a whole number",
            )
        )
    return numbers, problems


def _header_repeats(frame: pd.DataFrame) -> np.ndarray:
    """Rows that repeat the header (every field equals its column name): joined files."""
    repeat = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        values = frame[column]
        if not _is_text(values):
            return np.zeros(len(frame), dtype=bool)
        repeat &= np.array(_stripped(values) == str(column).strip(), dtype=bool)
        if not repeat.any():
            break
    return repeat


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns:
        blank &= _blank_cells(frame[column])
        if not blank.any():
            break
    return blank


_HEADER_REPEAT = "repeats the header row (files joined together?); remove the extra header lines"


def convert_transactions(
    frame: pd.DataFrame,
    id_column: str,
    date_column: str,
    amount_column: str,
    date_format: str | None,
    style: NumberStyle = PLAIN,
) -> TransactionChunk:
    """Check and convert one piece of a transaction log; a bad value raises RowProblem.

    Amounts written as text are read in ``style``. Blank lines are dropped. Row numbers in
    the RowProblem are positions in ``frame``.
    """
    _raise_first([(_header_repeats(frame), lambda i: _HEADER_REPEAT)])
    ids, blank_id = _ids(frame[id_column])
    dates, date_problems = _parse_dates(frame[date_column], date_column, date_format)
    amounts, amount_problems = _numbers(
        frame[amount_column],
        amount_column,
        note=" (net returns against their purchases first)",
        style=style,
        money=True,
    )
    # the first check of each is "blank": a row blank in all three is a blank line
    keep = ~(blank_id & date_problems[0][0] & amount_problems[0][0])
    problems = [
        (
            blank_id & keep,
            _Blank(id_column, "enter the customer of every row"),
        ),
        *((mask & keep, message) for mask, message in date_problems),
        *((mask & keep, message) for mask, message in amount_problems),
    ]
    _raise_first(problems)
    if not keep.all():
        ids, dates, amounts = ids[keep], dates[keep], amounts[keep]
    return TransactionChunk(ids.reset_index(drop=True), dates, amounts, int(keep.sum()))


_CUSTOMER_NAMES = {
    "frequency": "frequency",
    "recency": "recency",
    "age": "age",
    "monetary": "monetary_value",
    "actual_value": "actual_value",
    "strategic_value": "strategic_value",
}


def convert_customers(
    frame: pd.DataFrame,
    wanted: list[str],
    fields_: list[str],
    offset: int,
    style: NumberStyle = PLAIN,
) -> pd.DataFrame:
    """Check and convert one piece of a customer table; a bad value raises RowProblem.

    ``wanted`` holds the header names of the columns of ``fields_`` (the customer id
    first); ``offset`` is the data row of the piece's first row in the file, kept in the
    column ``_row`` so that a customer who appears twice can be named by line. Blank lines
    are dropped.
    """
    keep = ~_blank_rows(frame)
    _raise_first([(_header_repeats(frame), lambda i: _HEADER_REPEAT)])
    ids, blank_id = _ids(frame[wanted[0]])
    problems: list[_Check] = [(blank_id & keep, _Blank(wanted[0], "enter the customer"))]
    data: dict[str, np.ndarray] = {}
    for field, column in zip(fields_[1:], wanted[1:], strict=True):
        limits: dict[str, Any] = {"minimum": None} if field in VALUE_FIELDS else {}
        values, found = _numbers(
            frame[column],
            column,
            whole=field == "frequency",
            style=style,
            money=field in ("monetary", *VALUE_FIELDS),
            **limits,
        )
        problems += [(mask & keep, message) for mask, message in found]
        data[_CUSTOMER_NAMES[field]] = values
    _raise_first(problems)
    x, t_x, big_t = data["frequency"], data["recency"], data["age"]
    col = dict(zip(fields_, wanted, strict=True))
    _raise_first(
        [
            (
                keep & (t_x > big_t),
                lambda i: (
                    f"column {col['recency']!r} holds {t_x[i]:g}, above "
                    f"{col['age']!r} ({big_t[i]:g}); recency (first to last purchase) cannot "
                    "exceed age (first purchase to the end of the period)"
                ),
            ),
            (
                keep & (x > 0) & (t_x == 0),
                lambda i: (
                    f"column {col['recency']!r} is 0 but {col['frequency']!r} is "
                    f"{x[i]:g}; a customer with repeat purchases has recency > 0"
                ),
            ),
            (
                keep & (x == 0) & (t_x > 0),
                lambda i: (
                    f"column {col['recency']!r} is {t_x[i]:g} but "
                    f"{col['frequency']!r} is 0; a customer without repeat purchases has recency 0"
                ),
            ),
        ]
    )
    table = pd.DataFrame(data, index=pd.Index(ids.to_numpy(dtype=object), name="customer_id"))
    table["_row"] = np.arange(offset, offset + len(frame))
    table = table[keep]
    table["frequency"] = table["frequency"].astype(np.int64)
    return table
