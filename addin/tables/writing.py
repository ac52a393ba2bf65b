"""Writing the scores of ``crmvalue score``: CSV, Parquet or XLSX by the extension.

Every table goes through :func:`workbook_templates.files.write_atomically`: into a
temporary file in the output folder that replaces the target only when complete (no
partial file on an error or an interrupt), never over an existing file without
``force``. An .xlsx is streamed row by row (XlsxWriter, ``constant_memory``), and cells
that hold text are written as text, so a customer id such as ``=HYPERLINK("http://x")``
arrives as plain text, never a formula or a link.

CSV has no types: a spreadsheet that opens it runs any cell that starts like a formula. So
by default text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
a leading apostrophe, as OWASP recommends against CSV injection (Excel then shows the text
and hides the apostrophe); text that reads as a number (``-12.5``) is left alone.
``neutralise=False`` (``crmvalue score --raw-csv``) writes the text as it is.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook_templates.files import write_atomically

from ..cli.errors import UsageError
from .progress import Progress
from .sources import CSV, PARQUET, XLSX, pyarrow_parquet, table_format

__all__ = [
    "FORMULA_STARTS",
    "PROGRESS_ROWS",
    "XLSX_MAX_ROWS",
    "XLSX_MAX_TEXT",
    "check_rows_fit",
    "neutralise_formulas",
    "write_table",
    "write_workbook",
    "write_xlsx",
    "write_xlsx_sheets",
]

#: What a cell's text starts with when a spreadsheet would run it (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Characters an .xlsx file cannot store (XML 1.0 forbids them), as openpyxl defines them.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

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
    frame: pd.DataFrame,
    path: Path,
    force: bool = False,
    *,
    neutralise: bool = True,
    progress: Progress | None = None,
) -> None:
    """Write ``frame`` (no index) as CSV, Parquet or XLSX by the extension of ``path``.

    An existing ``path`` is replaced only with ``force``; a file that cannot be written is a
    :class:`~workbook_templates.errors.FileError`, a table an .xlsx cannot hold a
    :class:`~addin.cli.errors.UsageError`. In CSV, text that a spreadsheet would run as a
    formula gets a leading apostrophe (:func:`neutralise_formulas`) unless ``neutralise``
    is False. ``progress``, when given, hears the rows written so far (``update(rows,
    rows)``: give it ``total=len(frame)``); an .xlsx reports every
    :data:`PROGRESS_ROWS` rows, CSV and Parquet once at the end. The caller closes it.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "scores.xlsx"
    >>> write_table(pd.DataFrame({"customer_id": ["=1+1"], "clv": [12.5]}), target)
    >>> from openpyxl import load_workbook
    >>> [[cell.value for cell in row] for row in load_workbook(target).active.iter_rows()]
    [['customer_id', 'clv'], ['=1+1', 12.5]]
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
        write_atomically(
            path, lambda tmp: write_xlsx(frame, tmp, name=path.name, progress=progress), force=force
        )
        return
    if progress is not None:
        progress.update(len(frame), len(frame))


def write_xlsx(
    frame: pd.DataFrame, path: Path, name: str | None = None, progress: Progress | None = None
) -> None:
    """Write ``frame`` to ``path`` as a one-sheet workbook (sheet ``customers``), streamed
    row by row through XlsxWriter's ``constant_memory`` mode.

    The header and every text cell are written as text (never a formula, a link or a
    number); numbers as numbers, with NaN and infinities left blank; booleans as booleans;
    dates with the format ``yyyy-mm-dd h:mm:ss``; missing values and empty text as blank
    cells (as openpyxl's write-only mode writes them; a row of blanks at the end of the
    table is not stored, by either). Text an
    .xlsx cannot store (control characters, more than 32,767 characters) is refused with a
    :class:`~addin.cli.errors.UsageError`. ``name`` is the file's name in messages
    (default ``path``'s: the temporary file of an atomic write has another); ``progress``
    hears the rows written every :data:`PROGRESS_ROWS` rows.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "scores.xlsx"
    >>> frame = pd.DataFrame({"id": ["@SUM(A1)", None, "C3"], "alive": [0.5, 1, float("nan")]})
    >>> write_xlsx(frame, target)
    >>> from openpyxl import load_workbook
    >>> [[cell.value for cell in row] for row in load_workbook(target).active.iter_rows()]
    [['id', 'alive'], ['@SUM(A1)', 0.5], [None, 1], ['C3', None]]
    """
    write_xlsx_sheets({"customers": frame}, path, name=name, progress=progress)


def write_xlsx_sheets(
    frames: dict[str, pd.DataFrame],
    path: Path,
    name: str | None = None,
    progress: Progress | None = None,
) -> None:
    """Write each table of ``frames`` (sheet name -> table, no index) to its own sheet of
    one workbook at ``path``, each as :func:`write_xlsx` writes one (``progress`` counts
    the rows of all the sheets)."""
    import xlsxwriter

    shown = name or path.name
    done = 0
    with tempfile.TemporaryDirectory(prefix="crmvalue-xlsx-") as scratch:
        workbook = xlsxwriter.Workbook(str(path), _XLSXWRITER_OPTIONS | {"tmpdir": scratch})
        for title, frame in frames.items():
            header = _text_column([str(column) for column in frame.columns], shown)
            rows = len(frame)
            columns = [_xlsx_values(frame[column], shown) for column in frame.columns]
            sheet = workbook.add_worksheet(title)
            sheet.write_row(0, 0, header)
            write_row = sheet.write_row
            for start in range(0, rows, PROGRESS_ROWS):
                stop = min(start + PROGRESS_ROWS, rows)
                block = zip(*(column[start:stop] for column in columns), strict=True)
                for number, row in enumerate(block, start=start + 1):
                    write_row(number, 0, row)
                if progress is not None:
                    progress.update(done + stop, done + stop)
            done += rows
        workbook.close()


def write_workbook(frames: dict[str, pd.DataFrame], path: Path, force: bool = False) -> None:
    """Write ``frames`` as a workbook of one sheet per table, atomically (an existing
    ``path`` is replaced only with ``force``)."""
    for frame in frames.values():
        check_rows_fit(path, len(frame))
    write_atomically(path, lambda tmp: write_xlsx_sheets(frames, tmp, name=path.name), force=force)


#: Rows between two reports to the progress bar while an .xlsx is written.
PROGRESS_ROWS = 20_000

#: Longest text an .xlsx cell holds (Excel's limit).
XLSX_MAX_TEXT = 32_767

#: XlsxWriter, streaming: rows go to disk as they are written; text stays text (no formula,
#: link or number made of it); dates get openpyxl's default format.
_XLSXWRITER_OPTIONS: dict[str, Any] = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd h:mm:ss",
}


def _xlsx_values(values: pd.Series, name: str) -> list[Any]:
    """One column as the Python values of its cells (None for a blank)."""
    dtype = values.dtype
    missing = values.isna().to_numpy()
    if pd.api.types.is_bool_dtype(dtype):
        cells = values.astype(object).tolist()
    elif pd.api.types.is_numeric_dtype(dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        missing = ~np.isfinite(numbers)
        cells = numbers.tolist()
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        if getattr(dtype, "tz", None) is not None:
            raise UsageError(
                f"{name}: the column {values.name!r} holds dates with a time zone, which an "
                ".xlsx file cannot store; write .csv or .parquet instead"
            )
        return [None if stamp is pd.NaT else stamp.to_pydatetime() for stamp in values]
    else:
        cells = values.astype(object).tolist()
    for index in np.flatnonzero(missing).tolist():
        cells[index] = None
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return cells
    text = [cell if cell is None or cell.__class__ is str else str(cell) for cell in cells]
    return _text_column(text, name)


def _text_column(cells: list[Any], name: str) -> list[Any]:
    """``cells`` (text or None), refused when a text cannot be stored in an .xlsx file."""
    texts = [cell for cell in cells if cell is not None]
    if not texts:
        return cells
    if ILLEGAL_CHARACTERS_RE.search("\n".join(texts)):
        value = next(text for text in texts if ILLEGAL_CHARACTERS_RE.search(text))
        raise UsageError(
            f"{name}: the text {value[:40]!r} holds control characters that an .xlsx file "
            "cannot store; write .csv or .parquet instead"
        )
    longest = max(texts, key=len)
    if len(longest) > XLSX_MAX_TEXT // 2 and _utf16_length(longest) > XLSX_MAX_TEXT:
        over = next(text for text in texts if _utf16_length(text) > XLSX_MAX_TEXT)
        raise UsageError(
            f"{name}: the text {over[:40]!r}... is {len(over):,} characters long, more than "
            f"the {XLSX_MAX_TEXT:,} an .xlsx cell holds; write .csv or .parquet instead"
        )
    return cells


def _utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (Excel's unit)."""
    return len(text.encode("utf-16-le")) // 2
