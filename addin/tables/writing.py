"""Writing the scores of ``crmvalue score``: CSV, Parquet or XLSX by the extension.

Every table goes through :func:`workbook_templates.files.write_atomically`: into a
temporary file in the output folder that replaces the target only when complete (no
partial file on an error or an interrupt), never over an existing file without
``force``. XLSX cells that hold text are written as text (``data_type`` "s"), so a
customer id such as ``=HYPERLINK("http://x")`` arrives as plain text, never a formula.

CSV has no types: a spreadsheet that opens it runs any cell that starts like a formula. So
by default text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
a leading apostrophe, as OWASP recommends against CSV injection (Excel then shows the text
and hides the apostrophe); text that reads as a number (``-12.5``) is left alone.
``neutralise=False`` (``crmvalue score --raw-csv``) writes the text as it is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from workbook_templates.files import write_atomically

from ..cli.errors import UsageError
from .sources import CSV, PARQUET, XLSX, pyarrow_parquet, table_format

__all__ = [
    "FORMULA_STARTS",
    "XLSX_MAX_ROWS",
    "check_rows_fit",
    "neutralise_formulas",
    "write_table",
    "write_workbook",
    "write_xlsx",
    "write_xlsx_sheets",
]

#: What a cell's text starts with when a spreadsheet would run it (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Data rows an XLSX sheet holds below its header row.
XLSX_MAX_ROWS = 1_048_575


def check_rows_fit(path: Path, rows: int) -> None:
    """Refuse a table of ``rows`` rows for ``path`` when it is an .xlsx file and a sheet
    cannot hold them (a command says so before its long part, the writer again)."""
    if table_format(path, "output") == XLSX and rows > XLSX_MAX_ROWS:
        raise UsageError(
            f"{path.name}: {rows:,} customers do not fit in an Excel sheet (at most "
            f"{XLSX_MAX_ROWS:,} rows); write .csv or .parquet instead"
        )


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an apostrophe before every text cell that a spreadsheet would run as
    a formula (it starts with one of :data:`FORMULA_STARTS` and is not a number).

    >>> ids = pd.DataFrame({"customer": ["=HYPERLINK(1)", "@SUM(A1)", "-12.5", "C1", "+cmd"]})
    >>> neutralise_formulas(ids)["customer"].tolist()
    ["'=HYPERLINK(1)", "'@SUM(A1)", '-12.5', 'C1', "'+cmd"]
    """
    out = frame
    for column in frame.columns:
        values = frame[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            continue
        text = values.astype("string")
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
        if not risky.any():
            continue
        numeric = pd.to_numeric(text.where(risky), errors="coerce").notna().to_numpy()
        risky &= ~numeric
        if risky.any():
            if out is frame:
                out = frame.copy()
            out[column] = values.where(~risky, "'" + text)
    return out


def write_table(
    frame: pd.DataFrame, path: Path, force: bool = False, *, neutralise: bool = True
) -> None:
    """Write ``frame`` (no index) as CSV, Parquet or XLSX by the extension of ``path``.

    An existing ``path`` is replaced only with ``force``; a file that cannot be written is a
    :class:`~workbook_templates.errors.FileError`, a table an .xlsx cannot hold a
    :class:`~addin.cli.errors.UsageError`. In CSV, text that a spreadsheet would run as a
    formula gets a leading apostrophe (:func:`neutralise_formulas`) unless ``neutralise``
    is False.
    """
    kind = table_format(path, "output")
    check_rows_fit(path, len(frame))
    if kind == CSV:
        safe = neutralise_formulas(frame) if neutralise else frame
        write_atomically(path, lambda tmp: safe.to_csv(tmp, index=False), force=force)
    elif kind == PARQUET:
        pyarrow_parquet()
        write_atomically(path, lambda tmp: frame.to_parquet(tmp, index=False), force=force)
    else:
        write_atomically(path, lambda tmp: write_xlsx(frame, tmp, name=path.name), force=force)


def write_xlsx(frame: pd.DataFrame, path: Path, name: str | None = None) -> None:
    """Write ``frame`` to ``path`` as a one-sheet workbook; text cells are forced to text
    (never a formula). ``name`` is the file's name in messages (default ``path``'s: the
    temporary file of an atomic write has another)."""
    write_xlsx_sheets({"customers": frame}, path, name=name)


def write_xlsx_sheets(frames: dict[str, pd.DataFrame], path: Path, name: str | None = None) -> None:
    """Write each table of ``frames`` (sheet name -> table, no index) to its own sheet of
    one workbook at ``path``, as :func:`write_xlsx` writes one."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, frame in frames.items():
        _append_sheet(workbook, title, frame, name or path.name)
    workbook.save(path)


def write_workbook(frames: dict[str, pd.DataFrame], path: Path, force: bool = False) -> None:
    """Write ``frames`` as a workbook of one sheet per table, atomically (an existing
    ``path`` is replaced only with ``force``)."""
    for frame in frames.values():
        check_rows_fit(path, len(frame))
    write_atomically(path, lambda tmp: write_xlsx_sheets(frames, tmp, name=path.name), force=force)


def _append_sheet(workbook: Any, title: str, frame: pd.DataFrame, name: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet = workbook.create_sheet(title)

    def text_cell(value: str) -> WriteOnlyCell:
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise UsageError(
                f"{name}: the text {value[:40]!r} holds control characters that an "
                ".xlsx file cannot store; write .csv or .parquet instead"
            )
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a leading '=' made it a formula: it is text
        return cell

    sheet.append([text_cell(str(column)) for column in frame.columns])
    converters: list[Callable[[Any], Any]] = []
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            converters.append(bool)
        elif pd.api.types.is_numeric_dtype(dtype):
            converters.append(_xlsx_number)
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            converters.append(lambda v: None if pd.isna(v) else pd.Timestamp(v).to_pydatetime())
        else:
            converters.append(lambda v: None if _missing(v) else text_cell(str(v)))
    columns = [frame[column].to_numpy(dtype=object) for column in frame.columns]
    for row in zip(*columns, strict=True):
        sheet.append([convert(value) for convert, value in zip(converters, row, strict=True)])


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _xlsx_number(value: Any) -> Any:
    if _missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
