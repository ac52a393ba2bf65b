"""The tables of the command line: reading CSV, Parquet and XLSX safely, writing them atomically.

Reading (:func:`open_source`, :func:`transaction_chunks`, :func:`read_customers`):

* CSV (``.csv``, ``.txt``, ``.tsv``, ``.dat``) is read in chunks of rows with pandas, any
  separator (``whitespace`` for files such as CDNOW_master.txt); Parquet in record batches
  with pyarrow; XLSX with openpyxl in read-only mode (XML parsed by ``defusedxml``), after
  checking that the file is a workbook and not a zip bomb.
* Columns are found by name (options map other names); a missing column names the
  columns the file has and the option that maps one.
* Every value is checked, and the first bad one is reported by its line (CSV: the header
  is line 1), row (XLSX: the sheet's row; Parquet: the data row) and column: blank ids,
  dates that do not parse, text or negative amounts, repeated header rows. Blank lines
  are skipped.
* Text is only converted here (dates, numbers); every figure is computed by
  :mod:`crmvalue_core`.

Writing (:func:`write_table`, :func:`write_atomically`): CSV, Parquet or XLSX by the
extension, into a temporary file in the output folder that replaces the target only when
complete (no partial file on an error or an interrupt), never over an existing file
without ``force``. XLSX cells that hold text are written as text (``data_type`` "s"), so a
customer id such as ``=HYPERLINK("http://x")`` arrives as plain text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ..cli.common import UsageError, check_outputs, write_atomically
from .columns import (
    CUSTOMER_FIELDS,
    OPTIONS,
    TRANSACTION_FIELDS,
    VALUE_FIELDS,
    Columns,
)

__all__ = [
    "Columns",
    "Progress",
    "ReadOptions",
    "RowProblem",
    "Source",
    "TransactionChunk",
    "check_output",
    "convert_transactions",
    "csv_dtypes",
    "detect_kind",
    "locate_problem",
    "open_source",
    "read_customers",
    "table_format",
    "transaction_check",
    "transaction_chunks",
    "transaction_columns",
    "write_atomically",
    "write_table",
]

CSV, PARQUET, XLSX = "csv", "parquet", "xlsx"
EXTENSIONS = {
    ".csv": CSV,
    ".txt": CSV,
    ".tsv": CSV,
    ".dat": CSV,
    ".parquet": PARQUET,
    ".pq": PARQUET,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
}
OUTPUT_EXTENSIONS = {".csv": CSV, ".parquet": PARQUET, ".xlsx": XLSX}
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "whitespace": r"\s+"}

#: Data rows an XLSX sheet holds below its header row.
XLSX_MAX_ROWS = 1_048_575
#: Largest part and total an XLSX archive may unpack to before it is refused as a bomb.
XLSX_MAX_PART = 2 * 2**30
XLSX_MAX_TOTAL = 4 * 2**30
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ReadOptions:
    """How to read the input: CSV separator and encoding, date format, sheet, chunk size."""

    sep: str = ","
    date_format: str | None = None
    sheet: str | None = None
    chunk_size: int = 1_000_000
    encoding: str = "utf-8"


class RowProblem(Exception):
    """A bad value at ``row`` (0-based, within the piece being checked); ``text`` says what.

    The reader turns it into a :class:`UsageError` that names the line or row of the file.
    """

    def __init__(self, row: int, text: str) -> None:
        super().__init__(row, text)
        self.row = row
        self.text = text


@dataclass(frozen=True)
class TransactionChunk:
    """Checked transactions: ids as text, dates as datetime64, amounts as floats >= 0."""

    customer_ids: pd.Series
    dates: np.ndarray
    amounts: np.ndarray
    rows: int


# ---------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr: share done, rows so far, rows per second.

    On a terminal the line is redrawn in place (at most 4 times a second); otherwise a
    line is printed at each further 10%. ``enabled=False`` prints nothing.
    """

    def __init__(
        self,
        label: str,
        total: float | None,
        enabled: bool = True,
        stream: Any = None,
        unit: str = "rows",
    ) -> None:
        self.label = label
        self.unit = unit
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.last = 0.0
        self.shown_tenth = -1
        self.rows = 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, rows: int, done: float | None = None) -> None:
        """Report ``rows`` handled so far and ``done`` out of ``total`` (a share, or parts)."""
        self.rows = rows
        if not self.enabled:
            return
        now = time.perf_counter()
        share = None
        if done is not None and self.total:
            share = min(max(done / self.total, 0.0), 1.0)
        if self.tty:
            if now - self.last < 0.25:
                return
        else:
            tenth = -1 if share is None else int(share * 10)
            if tenth <= self.shown_tenth:
                return
            self.shown_tenth = tenth
        self.last = now
        self._draw(rows, share, now, end="\r" if self.tty else "\n")

    def close(self) -> None:
        """Print the final line (unless a line already showed 100%)."""
        if self.enabled and (self.tty or self.shown_tenth < 10):
            self._draw(self.rows, 1.0, time.perf_counter(), end="\n")

    def _draw(self, rows: int, share: float | None, now: float, end: str) -> None:
        elapsed = max(now - self.start, 1e-9)
        if share is None:
            bar = ""
        else:
            filled = int(share * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
        unit = self.unit
        speed = f"{rows / elapsed:,.0f} {unit}/s"
        text = f"{self.label}: {bar}{rows:,} {unit}, {speed}, {elapsed:.1f} s"
        self.stream.write(f"{text:<100}{end}" if self.tty else f"{text}{end}")
        self.stream.flush()


# ---------------------------------------------------------------------------------------
# The input file
# ---------------------------------------------------------------------------------------


def table_format(path: Path, role: str = "input") -> str:
    """The format of ``path`` by its extension; an unknown one is a UsageError."""
    known = EXTENSIONS if role == "input" else OUTPUT_EXTENSIONS
    kind = known.get(path.suffix.lower())
    if kind is None:
        names = ", ".join(sorted(known))
        raise UsageError(
            f"{path.name}: the {role} format is unknown ({path.suffix or 'no extension'}); "
            f"give a file ending in {names}"
        )
    return kind


@dataclass(frozen=True)
class Source:
    """An input file that exists, is not empty, and whose header has been read."""

    path: Path
    format: str
    header: tuple[str, ...]
    options: ReadOptions

    @property
    def name(self) -> str:
        """The file name, as messages show it."""
        return self.path.name

    def where(self, index: int) -> str:
        """Where data row ``index`` (0-based) is in the file, in the user's terms."""
        if self.format == CSV:
            return f"line {index + 2}"
        return f"row {index + 2}" if self.format == XLSX else f"row {index + 1}"

    def column(self, name: str, field: str) -> str:
        """The header name of the mapped column ``name``; a missing one is a UsageError."""
        for column in self.header:
            if column == name or column.strip() == name.strip():
                return column
        option, what = OPTIONS[field]
        close = difflib.get_close_matches(name, self.header, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(
            f"{self.name} has no column {name!r}{hint} for {what}; its columns are "
            f"{', '.join(repr(c) for c in self.header)}. Map one with {option} COLUMN"
        )


def open_source(path: Path, options: ReadOptions) -> Source:
    """Check the input file and read its header (column names)."""
    if not path.exists():
        raise UsageError(f"{path}: no such file; check the path")
    if not path.is_file():
        raise UsageError(f"{path}: is not a file (a folder?); give a CSV, Parquet or XLSX file")
    fmt = table_format(path)
    if path.stat().st_size == 0:
        raise UsageError(f"{path.name}: the file is empty (0 bytes); give a file with data")
    if fmt == CSV:
        header = _csv_header(path, options)
    elif fmt == PARQUET:
        header = _parquet_header(path)
    else:
        header = _xlsx_header(path, options)
    if not header:
        raise UsageError(f"{path.name}: the file has no header row; the first line names columns")
    return Source(path, fmt, tuple(header), options)


def detect_kind(source: Source, columns: Columns, requested: str = "auto") -> str:
    """``"transactions"`` or ``"customers"``: as requested, or by the columns present."""
    if requested in ("transactions", "customers"):
        return requested

    def has(fields_: tuple[str, ...]) -> bool:
        try:
            for field in fields_:
                source.column(getattr(columns, field), field)
        except UsageError:
            return False
        return True

    if has(("date", "amount")):
        return "transactions"
    if has(("frequency", "recency", "age")):
        return "customers"
    header = ", ".join(repr(c) for c in source.header)
    raise UsageError(
        f"{source.name}: cannot tell what the file holds; its columns are {header}. A "
        f"transaction log needs {columns.customer_id!r}, {columns.date!r} and "
        f"{columns.amount!r} (map them with --customer-id, --date, --amount); a customer "
        f"table needs {columns.frequency!r}, {columns.recency!r}, {columns.age!r} and "
        f"{columns.monetary!r} (--frequency, --recency, --age, --monetary). Or say which "
        "with --input-kind"
    )


# -- CSV ---------------------------------------------------------------------------------


def _csv_options(options: ReadOptions) -> dict[str, Any]:
    sep = SEPARATORS.get(options.sep, options.sep)
    return {
        "sep": sep,
        "encoding": options.encoding,
        "keep_default_na": False,
        "skip_blank_lines": False,
    }


def _csv_error(path: Path, error: Exception, options: ReadOptions) -> UsageError:
    if isinstance(error, UnicodeDecodeError):
        return UsageError(
            f"{path.name}: is not {options.encoding} text (byte {error.start}: {error.reason}); "
            "save it as UTF-8 or give --encoding (e.g. latin-1). A binary file?"
        )
    if isinstance(error, pd.errors.EmptyDataError):
        return UsageError(f"{path.name}: the file is empty (no header, no rows)")
    detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    return UsageError(
        f"{path.name}: cannot be read as CSV ({detail}); check the separator (--sep "
        f"{options.sep!r} now; 'whitespace' for space-aligned files) and the quoting"
    )


def _csv_header(path: Path, options: ReadOptions) -> list[str]:
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise UsageError(
            f"{path.name}: is a spreadsheet or another binary file, not CSV text; give it "
            "the extension .xlsx, or save it as CSV"
        )
    try:
        frame = pd.read_csv(path, nrows=0, **_csv_options(options))
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise _csv_error(path, error, options) from None
    return [str(column) for column in frame.columns]


def csv_dtypes(source: Source, typed: dict[str, str]) -> dict[str, str]:
    """The dtype of every column of a CSV source: ``typed`` ones as given, the rest text."""
    return {column: typed.get(column, "str") for column in source.header}


def _csv_reader(
    source: Source, wanted: list[str], typed: dict[str, str], stream: IO[bytes]
) -> Iterator[pd.DataFrame]:
    """Chunks of the wanted columns; ``typed`` gives the dtype of each, "str" by default.

    Every column is parsed (no ``usecols``): with ``usecols`` pandas silently drops the
    extra fields of a row, so an unquoted "1,234.50" would read as 1. Here it is an error.
    """
    dtypes = csv_dtypes(source, typed)
    na_values = {column: [""] for column, kind in dtypes.items() if kind != "str"}
    reader = pd.read_csv(
        stream,
        dtype=dtypes,
        na_values=na_values,
        chunksize=source.options.chunk_size,
        index_col=False,
        **_csv_options(source.options),
    )
    with reader:
        for frame in reader:
            yield frame[wanted]


# -- Parquet -----------------------------------------------------------------------------


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a test dependency
        raise UsageError(
            "reading or writing Parquet needs pyarrow: pip install 'crmvalue[parquet]'"
        ) from None
    return pq


def _parquet_file(path: Path) -> Any:
    pq = _pyarrow_parquet()
    try:
        return pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError... on a foreign file
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise UsageError(
            f"{path.name}: is not a readable Parquet file ({detail}); give a .parquet file "
            "written by pandas, pyarrow or Spark"
        ) from None


def _parquet_header(path: Path) -> list[str]:
    return list(_parquet_file(path).schema_arrow.names)


def _parquet_chunks(source: Source, wanted: list[str]) -> Iterator[tuple[pd.DataFrame, float]]:
    parquet = _parquet_file(source.path)
    total = max(parquet.metadata.num_rows, 1)
    done = 0
    for batch in parquet.iter_batches(batch_size=source.options.chunk_size, columns=wanted):
        frame = batch.to_pandas()
        frame.index = pd.RangeIndex(done, done + len(frame))
        done += len(frame)
        yield frame, done / total


# -- XLSX --------------------------------------------------------------------------------


def _check_workbook(path: Path) -> None:
    with path.open("rb") as stream:
        head = stream.read(8)
    if head == _OLE_MAGIC:
        raise UsageError(
            f"{path.name}: is an old Excel 97-2003 (.xls) or encrypted workbook, not .xlsx; "
            "open it in Excel or LibreOffice and save it as .xlsx (without a password)"
        )
    if not head.startswith(_ZIP_MAGIC):
        raise UsageError(
            f"{path.name}: is not an Excel workbook (it does not start like an .xlsx file; a "
            "CSV file renamed?); give a real .xlsx file, or a .csv file"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UsageError(
            f"{path.name}: the workbook is damaged or truncated ({error}); save it again from Excel"
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise UsageError(
            f"{path.name}: is a zip archive but not an Excel workbook (no xl/workbook.xml)"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > XLSX_MAX_PART or total > XLSX_MAX_TOTAL:
            raise UsageError(
                f"{path.name}: the workbook unpacks to more than {XLSX_MAX_TOTAL // 2**30} GB "
                "(a zip bomb?); refusing to read it. Export the data as CSV"
            )


def _open_workbook(path: Path) -> Any:
    import openpyxl

    _check_workbook(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a foreign or bad file
        link, causes = error, []
        while link is not None and len(causes) < 10:
            causes.append(link)
            link = link.__cause__ or link.__context__
        if any(type(cause).__module__.startswith("defusedxml") for cause in causes):
            raise UsageError(
                f"{path.name}: the workbook contains XML entity declarations (an "
                "entity-expansion bomb or a tampered file); refusing to read it"
            ) from None
        detail = str(causes[-1]).splitlines()[0][:120] if str(causes[-1]) else ""
        raise UsageError(
            f"{path.name}: is not a valid .xlsx workbook ({detail or type(error).__name__}); "
            "open it in Excel or LibreOffice and save it again"
        ) from None


def _worksheet(workbook: Any, path: Path, sheet: str | None) -> Any:
    if sheet is None:
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        raise UsageError(
            f"{path.name} has no sheet {sheet!r}; its sheets are "
            f"{', '.join(repr(s) for s in workbook.sheetnames)} (choose one with --sheet)"
        )
    return workbook[sheet]


def _xlsx_header(path: Path, options: ReadOptions) -> list[str]:
    workbook = _open_workbook(path)
    try:
        sheet = _worksheet(workbook, path, options.sheet)
        for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
            return [("" if value is None else str(value)) for value in row]
        return []
    finally:
        workbook.close()


def _xlsx_chunks(source: Source, wanted: list[str]) -> Iterator[tuple[pd.DataFrame, float]]:
    workbook = _open_workbook(source.path)
    try:
        sheet = _worksheet(workbook, source.path, source.options.sheet)
        positions = [source.header.index(column) for column in wanted]
        total = max((sheet.max_row or 2) - 1, 1)
        rows: list[tuple[Any, ...]] = []
        start = 0
        for values in sheet.iter_rows(min_row=2, values_only=True):
            rows.append(tuple(values[i] if i < len(values) else None for i in positions))
            if len(rows) >= source.options.chunk_size:
                yield _object_frame(rows, wanted, start), (start + len(rows)) / total
                start += len(rows)
                rows = []
        if rows:
            yield _object_frame(rows, wanted, start), 1.0
    finally:
        workbook.close()


def _object_frame(rows: list[tuple[Any, ...]], wanted: list[str], start: int) -> pd.DataFrame:
    data = {
        column: pd.Series([row[i] for row in rows], dtype=object) for i, column in enumerate(wanted)
    }
    return pd.DataFrame(data, index=pd.RangeIndex(start, start + len(rows)))


# ---------------------------------------------------------------------------------------
# Checking and converting values
# ---------------------------------------------------------------------------------------


def _first(mask: np.ndarray) -> int | None:
    found = np.flatnonzero(mask)
    return int(found[0]) if found.size else None


def _raise_first(problems: list[tuple[np.ndarray, Callable[[int], str]]]) -> None:
    """Raise a RowProblem for the earliest row any check fails (the first check on a tie)."""
    best: tuple[int, Callable[[int], str]] | None = None
    for mask, message in problems:
        row = _first(mask)
        if row is not None and (best is None or row < best[0]):
            best = (row, message)
    if best is not None:
        raise RowProblem(best[0], best[1](best[0]))


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def _stripped(values: pd.Series) -> pd.Series:
    """Text without surrounding spaces (missing stays missing)."""
    if values.dtype == object:
        values = values.astype("str")
    return values.str.strip()


def _is_blank(values: pd.Series) -> np.ndarray:
    """Blank cells: missing, or text that is empty or spaces."""
    blank = np.array(values.isna(), dtype=bool)
    if _is_text(values):
        blank |= np.array(_stripped(values) == "", dtype=bool)
    return blank


def _ids(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Customer ids as stripped text (whole numbers without '.0'), and the blank mask."""
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
    text = values.str.strip()
    blank = np.array(text.isna() | (text == ""), dtype=bool)
    return text, blank


def _id_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _parse_dates(
    values: pd.Series, column: str, date_format: str | None
) -> tuple[np.ndarray, list[tuple[np.ndarray, Callable[[int], str]]]]:
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
        return parsed, [(blank, lambda i: f"column {column!r} is blank; enter a date")]
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
    blank = _is_blank(text) & ~is_date
    codes, uniques = pd.factorize(text)
    stamps = pd.to_datetime(pd.Index(uniques), format=date_format or "ISO8601", errors="coerce")
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    days = stamps.to_numpy().astype("datetime64[D]")
    from_text = ~is_date & (codes >= 0)
    parsed[from_text] = days[codes[from_text]]
    bad = np.isnat(parsed) & ~blank
    how = f"the format {date_format!r}" if date_format else "ISO 8601 (such as 2024-01-31)"
    hint = "" if date_format else " or give the format with --date-format (e.g. %d/%m/%Y)"
    return parsed, [
        (blank, lambda i: f"column {column!r} is blank; enter a date such as {example}"),
        (
            bad,
            lambda i: (
                f"column {column!r} holds {_shown(values.iloc[i])}, which is not a date "
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
) -> tuple[np.ndarray, list[tuple[np.ndarray, Callable[[int], str]]]]:
    """Numbers as floats, and the checks that failed (blank, text, not finite, range)."""
    n = len(values)
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
            blank = _is_blank(values)
            text = ~is_number & ~blank
        else:  # text from a CSV file
            stripped = values.astype("str").str.strip()
            numbers = pd.to_numeric(stripped, errors="coerce")
            numbers = np.array(numbers.to_numpy(dtype=float, na_value=np.nan))
            blank = _is_blank(stripped)
            text = np.isnan(numbers) & ~blank
            text |= ~blank & (stripped.str.lower().isin(["nan", "-nan", "+nan"]).to_numpy())
    finite = np.isfinite(numbers)
    problems: list[tuple[np.ndarray, Callable[[int], str]]] = [
        (blank, lambda i: f"column {column!r} is blank; enter a number"),
        (
            text,
            lambda i: (
                f"column {column!r} holds the text {_shown(values.iloc[i])}, not a "
                "number; enter a number (digits with a '.' decimal point, no currency sign or "
                "thousands separator)"
            ),
        ),
        (
            ~finite & ~blank & ~text,
            lambda i: f"column {column!r} holds {_shown(values.iloc[i])}, not a finite number",
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
        blank &= _is_blank(frame[column])
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
) -> TransactionChunk:
    """Check and convert one piece of a transaction log; a bad value raises RowProblem.

    Blank lines are dropped. Row numbers in the RowProblem are positions in ``frame``.
    """
    _raise_first([(_header_repeats(frame), lambda i: _HEADER_REPEAT)])
    ids, blank_id = _ids(frame[id_column])
    dates, date_problems = _parse_dates(frame[date_column], date_column, date_format)
    amounts, amount_problems = _numbers(
        frame[amount_column],
        amount_column,
        note=" (net returns against their purchases first)",
    )
    # the first check of each is "blank": a row blank in all three is a blank line
    keep = ~(blank_id & date_problems[0][0] & amount_problems[0][0])
    problems = [
        (
            blank_id & keep,
            lambda i: f"column {id_column!r} is blank; enter the customer of every row",
        ),
        *((mask & keep, message) for mask, message in date_problems),
        *((mask & keep, message) for mask, message in amount_problems),
    ]
    _raise_first(problems)
    if not keep.all():
        ids, dates, amounts = ids[keep], dates[keep], amounts[keep]
    return TransactionChunk(ids.reset_index(drop=True), dates, amounts, int(keep.sum()))


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
        yield from _parquet_chunks(source, wanted)
        return
    if source.format == XLSX:
        yield from _xlsx_chunks(source, wanted)
        return
    total = max(source.path.stat().st_size, 1)
    typed = dict.fromkeys(numeric, "float64")
    with source.path.open("rb") as stream:
        try:
            for frame in _csv_reader(source, wanted, typed, stream):
                yield frame, stream.tell() / total
        except (pd.errors.ParserError, UnicodeDecodeError) as error:
            raise _csv_error(source.path, error, source.options) from None
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
            for frame in _csv_reader(source, wanted, {}, stream):
                try:
                    check(frame)
                except RowProblem as problem:
                    return _problem(source, _offset(frame), problem)
        except (ValueError, pd.errors.ParserError) as again:
            return _csv_error(source.path, again, source.options)
    return _csv_error(source.path, error, source.options)


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
        return _convert_customers(frame, wanted, fields_, _offset(frame))

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


_CUSTOMER_NAMES = {
    "frequency": "frequency",
    "recency": "recency",
    "age": "age",
    "monetary": "monetary_value",
    "actual_value": "actual_value",
    "strategic_value": "strategic_value",
}


def _convert_customers(
    frame: pd.DataFrame, wanted: list[str], fields_: list[str], offset: int
) -> pd.DataFrame:
    keep = ~_blank_rows(frame)
    _raise_first([(_header_repeats(frame), lambda i: _HEADER_REPEAT)])
    ids, blank_id = _ids(frame[wanted[0]])
    problems = [(blank_id & keep, lambda i: f"column {wanted[0]!r} is blank; enter the customer")]
    data: dict[str, np.ndarray] = {}
    for field, column in zip(fields_[1:], wanted[1:], strict=True):
        limits: dict[str, Any] = {"minimum": None} if field in VALUE_FIELDS else {}
        values, found = _numbers(frame[column], column, whole=field == "frequency", **limits)
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


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def check_output(
    path: Path, force: bool, inputs: tuple[Path, ...] = (), role: str = "output"
) -> str:
    """Refuse an output that cannot or must not be written; return its format.

    An existing file needs ``force``; an input file is never overwritten; the folder must
    exist. ``role`` "plot" expects a .png file.
    """
    if role == "plot":
        if path.suffix.lower() != ".png":
            raise UsageError(f"{path.name}: the plot is written as PNG; give a file ending in .png")
        kind = "png"
    else:
        kind = table_format(path, "output")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    check_outputs([path], force=force, inputs=[source for source in inputs if source.exists()])
    return kind


def write_table(frame: pd.DataFrame, path: Path, force: bool = False) -> None:
    """Write ``frame`` (no index) as CSV, Parquet or XLSX by the extension of ``path``."""
    kind = table_format(path, "output")
    if kind == XLSX and len(frame) > XLSX_MAX_ROWS:
        raise UsageError(
            f"{path.name}: {len(frame):,} customers do not fit in an Excel sheet (at most "
            f"{XLSX_MAX_ROWS:,} rows); write .csv or .parquet instead"
        )
    if kind == CSV:
        write_atomically(path, force, lambda tmp: frame.to_csv(tmp, index=False))
    elif kind == PARQUET:
        _pyarrow_parquet()
        write_atomically(path, force, lambda tmp: frame.to_parquet(tmp, index=False))
    else:
        write_atomically(path, force, lambda tmp: _write_xlsx(frame, tmp))


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """A one-sheet workbook; text cells are forced to text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("customers")

    def text_cell(value: str) -> WriteOnlyCell:
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise UsageError(
                f"{path.name}: the text {value[:40]!r} holds control characters that an .xlsx "
                "file cannot store; write .csv or .parquet instead"
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
    workbook.save(path)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _xlsx_number(value: Any) -> Any:
    if _missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
