"""The input files of ``crmvalue score``: CSV, Parquet and XLSX, opened safely and read raw.

* CSV (``.csv``, ``.txt``, ``.tsv``, ``.dat``) is read in chunks of rows with pandas, any
  separator (``whitespace`` for files such as CDNOW_master.txt); Parquet in record batches
  with pyarrow; XLSX with openpyxl in read-only mode (XML parsed by ``defusedxml``), after
  :func:`workbook_templates.files.check_xlsx_archive` has made sure that the file is a
  workbook and not a zip bomb (:data:`~workbook_templates.files.DATA_LIMITS`).
* :func:`open_source` checks the file and reads its header; :class:`Source` finds a column
  by name (a missing one names the columns the file has and the option that maps one) and
  says where a data row is in the user's terms (CSV line, sheet row, Parquet row).
* The readers here hand over raw frames of the wanted columns; :mod:`.conversion` checks
  and converts their values and :mod:`.reading` puts the two together.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from workbook_templates.files import DATA_LIMITS, check_xlsx_archive

from ..cli.errors import UsageError
from .columns import OPTIONS, Columns
from .encodings import AUTO, decoding_hint, detect_encoding
from .numbers import NumberStyle

__all__ = [
    "CSV",
    "EXTENSIONS",
    "OUTPUT_EXTENSIONS",
    "PARQUET",
    "SEPARATORS",
    "XLSX",
    "ReadOptions",
    "Source",
    "csv_dtypes",
    "csv_error",
    "csv_options",
    "csv_reader",
    "csv_sample",
    "detect_kind",
    "open_source",
    "parquet_chunks",
    "pyarrow_parquet",
    "seems_separated_by",
    "table_format",
    "xlsx_chunks",
    "xlsx_formula",
]


#: The formats of a table, and the extensions that tell them (input, output).
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
#: The separators ``--sep`` takes by name.
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t", "whitespace": r"\s+"}

#: How a spreadsheet or another binary file starts (a zip: .xlsx; an OLE file: .xls), which
#: a CSV file never does.
_BINARY_STARTS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@dataclass(frozen=True)
class ReadOptions:
    """How to read the input: CSV separator and encoding, date format, sheet, chunk size,
    and how numbers are written (``decimal``: ``"auto"`` or a name of
    :data:`~addin.tables.numbers.DECIMALS`; ``thousands``: ``"auto"`` or a name of
    :data:`~addin.tables.numbers.THOUSANDS`).

    >>> ReadOptions().is_plain(), ReadOptions(sep="semicolon").is_plain()
    (True, False)
    >>> ReadOptions(decimal="comma", thousands="point").number_style()
    NumberStyle(decimal='comma', thousands='point')
    """

    sep: str = ","
    date_format: str | None = None
    sheet: str | None = None
    chunk_size: int = 1_000_000
    #: a codec name, or ``"auto"``: recognised when the file is opened
    #: (:func:`addin.tables.encodings.detect_encoding`)
    encoding: str = AUTO
    decimal: str = "auto"
    thousands: str = "auto"
    #: the currency sign of the money columns, settled with the number style
    currency_sign: str | None = None

    def is_plain(self) -> bool:
        """True when the file is read as a standard CSV: comma-separated UTF-8, ISO dates,
        numbers with a decimal point (``"auto"`` too: it finds a comma file's thousands
        separators, so a reader that takes plain numbers only must refuse the others)."""
        return (
            self.sep in (",", "comma")
            and self.date_format is None
            and self.sheet is None
            and self.encoding.lower().replace("_", "-") in ("utf-8", "utf8", AUTO)
            and self.decimal in ("auto", "point")
            and self.thousands in ("auto", "none")
            and self.currency_sign is None
        )

    def number_style(self) -> NumberStyle:
        """The style of the numbers once settled (``"auto"`` reads as the standard one)."""
        decimal = "point" if self.decimal == "auto" else self.decimal
        thousands = "none" if self.thousands == "auto" else self.thousands
        return NumberStyle(decimal, thousands, self.currency_sign)


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
    #: what was assumed in reading the file, one line each (the command shows them)
    notes: tuple[str, ...] = ()

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
    notes: tuple[str, ...] = ()
    if fmt == CSV:
        _refuse_binary(path)
        if options.encoding == AUTO:
            detected = detect_encoding(path)
            options = dataclasses.replace(options, encoding=detected.encoding)
            notes = (detected.note,) if detected.note else ()
        header = _csv_header(path, options)
        _check_separator(path, options)
    else:
        options = dataclasses.replace(options, encoding="utf-8")  # text inside is Unicode
        header = _parquet_header(path) if fmt == PARQUET else _xlsx_header(path, options)
    if not header:
        raise UsageError(f"{path.name}: the file has no header row; the first line names columns")
    return Source(path, fmt, tuple(header), options, notes)


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
    separator = _separator_in(source.header)
    if separator is not None:
        name, char = separator
        raise UsageError(
            f"{source.name}: the header {source.header[0][:60]!r} is one column; the file "
            f"seems to use {char!r} between columns: pass --sep {name}"
        )
    header = ", ".join(repr(c) for c in source.header)
    raise UsageError(
        f"{source.name}: cannot tell what the file holds; its columns are {header}. A "
        f"transaction log needs {columns.customer_id!r}, {columns.date!r} and "
        f"{columns.amount!r} (map them with --customer-id, --date, --amount); a customer "
        f"table needs {columns.frequency!r}, {columns.recency!r}, {columns.age!r} and "
        f"{columns.monetary!r} (--frequency, --recency, --age, --monetary). Or say which "
        "with --input-kind"
    )


#: Separators a CSV export uses instead of the comma, by the name ``--sep`` takes.
OTHER_SEPARATORS = (("semicolon", ";"), ("tab", "\t"), ("|", "|"))


def _separator_in(header: tuple[str, ...]) -> tuple[str, str] | None:
    """The separator a one-column header holds (``("semicolon", ";")``), else None.

    >>> _separator_in(("customer_id;date;amount",)), _separator_in(("id", "date"))
    (('semicolon', ';'), None)
    """
    if len(header) != 1:
        return None
    return next(((name, char) for name, char in OTHER_SEPARATORS if char in header[0]), None)


# -- CSV ---------------------------------------------------------------------------------

#: The characters a CSV export puts between columns, by the name ``--sep`` takes.
_CANDIDATES = (("comma", ","), ("semicolon", ";"), ("tab", "\t"), ("|", "|"))
#: The first records of a CSV file that tell its separator.
_SNIFF_RECORDS = 50


def _shape(text: str, char: str) -> tuple[int, bool]:
    """The fields of the header when ``text`` is split at ``char``, and whether every
    following record (blank lines aside) has as many."""
    try:
        records = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=char), 200))
    except csv.Error:  # a field too long, a stray NUL: not a separator this shows
        return 0, False
    records = [r for r in records[:_SNIFF_RECORDS] if r]
    if not records:
        return 0, False
    width = len(records[0])
    return width, all(len(record) == width for record in records[1:])


def seems_separated_by(text: str, sep: str) -> tuple[str, str] | None:
    r"""The separator the start of a CSV file (``text``) seems to use when it is not ``sep``:
    ``(name, char)``, else None.

    Another character is named when it splits the header into at least two columns and
    every record alike, while ``sep`` leaves the header one column, splits the records
    unevenly, or gives fewer columns with a column name that holds the other character.

    >>> seems_separated_by("id;date;amount\nC1;2024-01-05;11,77\n", ",")
    ('semicolon', ';')
    >>> seems_separated_by("id;date;amount,currency\nC1;2024-01-05;11.77,EUR\n", ",")
    ('semicolon', ';')
    >>> seems_separated_by("id,date,amount\nC1,2024-01-05,11.77\n", ","), seems_separated_by(
    ...     "id,date,amount\nC1,2024-01-05,11.77\n", "semicolon")
    (None, ('comma', ','))
    """
    char = SEPARATORS.get(sep, sep)
    if len(char) != 1 or not text:
        return None  # whitespace (a pattern), or a separator of several characters
    width, even = _shape(text, char)
    header = text.splitlines()[0] if text.splitlines() else ""
    for name, other in _CANDIDATES:
        if other == char:
            continue
        other_width, other_even = _shape(text, other)
        if other_width < 2 or not other_even:
            continue
        if width < 2 or not even or (other_width > width and other in header):
            return name, other
    return None


def _check_separator(path: Path, options: ReadOptions) -> None:
    """Refuse a CSV file that seems to use another separator than ``--sep`` says."""
    with path.open("rb") as stream:
        head = stream.read(64 * 1024)
    text = head.decode(options.encoding, errors="replace")
    if len(head) == 64 * 1024:
        text = text[: text.rfind("\n") + 1]  # whole lines only
    found = seems_separated_by(text, options.sep)
    if found is not None:
        name, char = found
        raise UsageError(
            f"{path.name}: the file seems to use {char!r} between columns: pass --sep "
            f"{name} (--sep is {SEPARATORS.get(options.sep, options.sep)!r} now)"
        )


def csv_options(options: ReadOptions) -> dict[str, Any]:
    """The options of ``pandas.read_csv`` (and Dask's) for ``options``: every cell as
    written (no "NA" guessing), blank lines kept so that line numbers stay right."""
    sep = SEPARATORS.get(options.sep, options.sep)
    return {
        "sep": sep,
        "encoding": options.encoding,
        "keep_default_na": False,
        "skip_blank_lines": False,
    }


def csv_error(path: Path, error: Exception, options: ReadOptions) -> UsageError:
    """What to tell the user when pandas cannot read ``path`` as CSV text."""
    if isinstance(error, UnicodeDecodeError):
        raw = error.object if isinstance(error.object, bytes) else b""
        return UsageError(
            f"{path.name}: is not {options.encoding} text ({error.reason}); "
            f"{decoding_hint(raw[: error.end + (1 << 16)])}"
        )
    if isinstance(error, pd.errors.EmptyDataError):
        return UsageError(f"{path.name}: the file is empty (no header, no rows)")
    detail = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    return UsageError(
        f"{path.name}: cannot be read as CSV ({detail}); check the separator (--sep "
        f"{options.sep!r} now; 'whitespace' for space-aligned files) and the quoting"
    )


def _refuse_binary(path: Path) -> None:
    """Refuse a spreadsheet or another binary file given as CSV."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(_BINARY_STARTS):
        raise UsageError(
            f"{path.name}: is a spreadsheet or another binary file, not CSV text; give it "
            "the extension .xlsx, or save it as CSV"
        )


def _csv_header(path: Path, options: ReadOptions) -> list[str]:
    try:
        frame = pd.read_csv(path, nrows=0, **csv_options(options))
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise csv_error(path, error, options) from None
    return [str(column) for column in frame.columns]


def csv_sample(source: Source, wanted: list[str], rows: int) -> pd.DataFrame:
    """The first ``rows`` data rows of the wanted columns of a CSV source, as text."""
    try:
        frame = pd.read_csv(
            source.path,
            dtype="str",
            nrows=rows,
            index_col=False,
            **csv_options(source.options),
        )
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise csv_error(source.path, error, source.options) from None
    return frame[wanted]


def csv_dtypes(source: Source, typed: dict[str, str]) -> dict[str, str]:
    """The dtype of every column of a CSV source: ``typed`` ones as given, the rest text."""
    return {column: typed.get(column, "str") for column in source.header}


def csv_reader(
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
        **csv_options(source.options),
    )
    with reader:
        for frame in reader:
            yield frame[wanted]


# -- Parquet -----------------------------------------------------------------------------


def pyarrow_parquet() -> Any:
    """``pyarrow.parquet``, or a UsageError that says how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a test dependency
        raise UsageError(
            "reading or writing Parquet needs pyarrow: pip install 'crmvalue[parquet]'"
        ) from None
    return pq


def _parquet_file(path: Path) -> Any:
    pq = pyarrow_parquet()
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


def parquet_chunks(source: Source, wanted: list[str]) -> Iterator[tuple[pd.DataFrame, float]]:
    """Record batches of the wanted columns, indexed by data row, and the share read."""
    parquet = _parquet_file(source.path)
    total = max(parquet.metadata.num_rows, 1)
    done = 0
    for batch in parquet.iter_batches(batch_size=source.options.chunk_size, columns=wanted):
        frame = batch.to_pandas()
        frame.index = pd.RangeIndex(done, done + len(frame))
        done += len(frame)
        yield frame, done / total


# -- XLSX --------------------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    import openpyxl

    check_xlsx_archive(path, DATA_LIMITS)
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


def xlsx_chunks(source: Source, wanted: list[str]) -> Iterator[tuple[pd.DataFrame, float]]:
    """Rows of the sheet's wanted columns as cells hold them (object columns), indexed by
    data row, and the share read."""
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


def xlsx_formula(source: Source, column: str, index: int) -> str | None:
    """The formula in ``column`` of data row ``index`` (0-based) of a workbook source, when
    the cell holds one: a cell the reader saw blank may be a formula whose result was never
    saved (a file written by a program that does not calculate). Looked up only then: the
    workbook is opened again without ``data_only`` and read to that row."""
    import openpyxl

    workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=False)
    try:
        sheet = _worksheet(workbook, source.path, source.options.sheet)
        position = source.header.index(column)
        for row in sheet.iter_rows(min_row=index + 2, max_row=index + 2):
            if position < len(row) and getattr(row[position], "data_type", None) == "f":
                return str(row[position].value)
        return None
    finally:
        workbook.close()


def _object_frame(rows: list[tuple[Any, ...]], wanted: list[str], start: int) -> pd.DataFrame:
    data = {
        column: pd.Series([row[i] for row in rows], dtype=object) for i, column in enumerate(wanted)
    }
    return pd.DataFrame(data, index=pd.RangeIndex(start, start + len(rows)))
