"""The fast path of ``crmvalue score``: a CSV or Parquet log read and summarised by DuckDB.

:func:`engine_summary` hands the file to the embedded DuckDB engine, which reads it and
summarises it per customer (:func:`crmvalue_core.scoring.engine_totals.summarise_in_duckdb`)
without a Python object per row; dates in a Parquet file stay dates. It returns None
whenever it cannot promise the summary of the chunked pandas path
(:func:`~addin.tables.reading.transaction_chunks`) exactly, and the caller then reads the
file the chunked way, which names the line and column of the first bad value:

* a file or option it does not handle: XLSX; any read option other than the separator,
  the encoding and the date format away from its default (a decimal comma, say); a file
  name with ``*?[{`` (DuckDB reads such a name as a pattern of file names); a separator
  that is a pattern (``--sep whitespace``); an encoding other than UTF-8; a
  ``--date-format`` other than day, month and four-digit year in any order with ``-``,
  ``/``, ``.`` or space between; a Parquet column of another type than text, whole
  numbers, floats, dates or timestamps;
* any value the chunked path would refuse or read differently, found inside the engine
  (it reads every field as text and converts it there): a blank customer id, one with
  spaces around it, a date that is not ``YYYY-MM-DD`` (or the given format), an amount that
  is blank, text, negative or not finite, a row with more fields than the header;
* an empty log, or DuckDB missing or failing in any way.

The engine runs on the threads of the machine (DuckDB's default) unless told otherwise
(``crmvalue score --workers N``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from .columns import Columns
from .reading import transaction_columns
from .sources import CSV, PARQUET, SEPARATORS, Source

__all__ = ["engine_summary", "log_relation"]

#: A --date-format the engine reads as pandas does: %d, %m and %Y once each, separated.
_PLAIN_DATE_FORMAT = re.compile(r"%[dmY][-/. ]%[dmY][-/. ]%[dmY]")
_ENCODINGS = {"utf-8", "utf8", "utf_8"}
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT"}
_INTEGER_TYPES |= {"UINTEGER", "UBIGINT", "HUGEINT"}
_NUMBER_TYPES = _INTEGER_TYPES | {"FLOAT", "DOUBLE"}
#: Dates before this are two-digit years to DuckDB, which pandas refuses.
_EARLIEST = np.datetime64("1000-01-01")
_TIMESTAMP_TYPES = {"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}


#: The read options the engine follows; any other one (a decimal comma, say) must be at its
#: default, or the chunked reader reads the file.
_FOLLOWED = {"sep", "date_format", "sheet", "chunk_size", "encoding"}
#: The options of how numbers are written: the engine reads the standard style only (a
#: decimal point, no thousands separator, no currency sign; "auto" before it is settled).
_NUMBER_STYLE = {"decimal", "thousands", "currency_sign"}


def _plain(options: Any) -> bool:
    """Whether the numbers are written in the standard style and every other read option
    the engine does not follow is at its default."""
    return options.number_style().plain and all(
        getattr(options, field.name) == field.default
        for field in dataclasses.fields(options)
        if field.name not in _FOLLOWED | _NUMBER_STYLE
    )


def _text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _name(value: str) -> str:
    """A SQL identifier."""
    return '"' + value.replace('"', '""') + '"'


def _date_format(source: Source) -> str | None:
    """The strptime format of the date column, or None when the engine cannot match pandas."""
    date_format = source.options.date_format
    if date_format is None:
        return "%Y-%m-%d"
    if _PLAIN_DATE_FORMAT.fullmatch(date_format) and len(set(date_format[1::3])) == 3:
        return date_format
    return None


def _date_from_text(column: str, date_format: str) -> str:
    # 8 to 10 characters: digits and separators only, so that strptime cannot accept more
    # (a time of day, a longer year) than pandas does
    return (
        f"CASE WHEN length({column}) BETWEEN 8 AND 10 "
        f"THEN try_strptime({column}, {_text(date_format)})::DATE END"
    )


def _amount_from_text(column: str) -> str:
    # DuckDB reads "1_000" as 1000; pandas refuses it
    return f"CASE WHEN NOT contains({column}, '_') THEN TRY_CAST({column} AS DOUBLE) END"


def _csv_relation(source: Source, wanted: list[str]) -> str | None:
    options = source.options
    sep = SEPARATORS.get(options.sep, options.sep)
    date_format = _date_format(source)
    if (
        len(sep) != 1
        or sep in '"\r\n'
        or options.encoding.lower() not in _ENCODINGS
        or date_format is None
        or len(set(source.header)) < len(source.header)
    ):
        return None
    names = [f"c{i}" for i in range(len(source.header))]
    types = ", ".join(f"{_text(name)}: 'VARCHAR'" for name in names)
    customer, date, amount = (names[source.header.index(column)] for column in wanted)
    reader = (
        f"read_csv({_text(str(source.path))}, header = true, auto_detect = false, "
        f"delim = {_text(sep)}, quote = '\"', escape = '\"', skip = 0, "
        f"strict_mode = true, null_padding = false, columns = {{{types}}})"
    )
    # a row of empty fields is a blank line, which the chunked path skips too
    return (
        f"SELECT {customer} AS customer_id, {_date_from_text(date, date_format)} AS day, "
        f"{_amount_from_text(amount)} AS amount FROM {reader} "
        f"WHERE NOT ({customer} IS NULL AND {date} IS NULL AND {amount} IS NULL)"
    )


def _parquet_relation(connection: Any, source: Source, wanted: list[str]) -> str | None:
    reader = f"read_parquet({_text(str(source.path))})"
    described = connection.sql(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    types = {row[0]: str(row[1]).upper() for row in described}
    customer, date, amount = (_name(column) for column in wanted)
    id_type, date_type, amount_type = (types.get(column, "") for column in wanted)
    if id_type == "VARCHAR":
        id_sql = customer
    elif id_type in _INTEGER_TYPES:
        id_sql = f"CAST({customer} AS VARCHAR)"
    else:
        return None
    if date_type == "DATE":
        day_sql = date
    elif date_type in _TIMESTAMP_TYPES:
        day_sql = f"CAST({date} AS DATE)"
    elif date_type == "VARCHAR" and _date_format(source) is not None:
        day_sql = _date_from_text(date, _date_format(source) or "")
    else:
        return None
    if amount_type in _NUMBER_TYPES:
        amount_sql = f"CAST({amount} AS DOUBLE)"
    elif amount_type == "VARCHAR":
        amount_sql = _amount_from_text(amount)
    else:
        return None
    return f"SELECT {id_sql} AS customer_id, {day_sql} AS day, {amount_sql} AS amount FROM {reader}"


def log_relation(connection: Any, source: Source, columns: Columns) -> str | None:
    r"""The SQL query that reads ``source`` as (customer_id, day, amount), or None when the
    engine cannot read it as the chunked path does. A value it cannot convert is NULL.

    >>> import pathlib, tempfile
    >>> from addin.tables.sources import ReadOptions, open_source
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = log.write_text("customer_id;date;amount\nA;2024-01-01;10\n")
    >>> "try_strptime" in log_relation(None, open_source(log, ReadOptions(sep=";")), Columns())
    True
    >>> basic_iso = ReadOptions(sep=";", date_format="%Y%m%d")  # not read as pandas reads it
    >>> log_relation(None, open_source(log, basic_iso), Columns()) is None
    True
    """
    wanted = transaction_columns(source, columns)
    if any(char in str(source.path) for char in "*?[{"):  # DuckDB would read a pattern
        return None
    if not _plain(source.options):
        return None
    if source.format == CSV:
        return _csv_relation(source, wanted)
    if source.format == PARQUET:
        return _parquet_relation(connection, source, wanted)
    return None


def engine_summary(
    source: Source,
    columns: Columns,
    until: Any = None,
    time_unit: str = "W",
    threads: int | None = None,
) -> Any:
    r"""The :class:`~crmvalue_core.scoring.engine_totals.LogSummary` of ``source`` made by
    DuckDB on ``threads`` threads (default: the machine's), or None when the chunked path
    must read the file (see the module's notes).

    >>> import pathlib, tempfile
    >>> from addin.tables.sources import ReadOptions, open_source
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = log.write_text("customer_id,date,amount\n"
    ...                    "A,2024-01-01,10\nA,2024-01-15,20\nB,2024-01-08,5\n")
    >>> found = engine_summary(open_source(log, ReadOptions()), Columns(), time_unit="D")
    >>> found.summary[["frequency", "recency", "age", "monetary_value"]]
                 frequency  recency   age  monetary_value
    customer_id
    A                    1     14.0  14.0            20.0
    B                    0      0.0   7.0             0.0
    >>> _ = log.write_text("customer_id,date,amount\nA,2024-01-01,-10\n")  # refused
    >>> engine_summary(open_source(log, ReadOptions()), Columns()) is None
    True
    """
    try:
        import duckdb
    except ImportError:
        return None
    from crmvalue_core.errors import CrmValueError
    from crmvalue_core.scoring.engine_totals import summarise_in_duckdb

    connection = duckdb.connect(config={} if threads is None else {"threads": threads})
    try:
        relation = log_relation(connection, source, columns)
        if relation is None:
            return None
        connection.execute(f"CREATE TEMPORARY VIEW transactions AS {relation}")
        result = summarise_in_duckdb(connection, "transactions", until, time_unit)
    except (duckdb.Error, CrmValueError):
        return None
    finally:
        connection.close()
    ids = result.summary.index.to_series()
    if (ids.str.len() != ids.str.strip().str.len()).any():  # the chunked path trims ids
        return None
    if result.summary["first_purchase"].min() < _EARLIEST:  # "01/02/24": year 24 to DuckDB
        return None
    return result
