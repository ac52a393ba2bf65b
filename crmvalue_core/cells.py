"""The spreadsheet vocabulary shared by every layer: error values, blanks, bad values in words.

A cell reaches crmvalue as xlwings hands it over (a float, a str, a bool, ``None`` for an
empty cell, an error value as its text ``"#N/A"``), or as openpyxl reads it from a saved
workbook (the same, plus dates). The calculator, the workbook reader, the Excel add-in and
the table reader of ``crmvalue score`` all speak of such values in the same words, so the
rules live here once:

* :data:`EXCEL_ERRORS`: the error values a cell can hold;
* :func:`is_blank`: what counts as an empty cell (``None``, or text of spaces only);
* :func:`describe`: a bad value in a user's words, for error messages;
* :data:`RATE_HINT`: what to enter where a rate belongs;
* :data:`EXCEL_EPOCH`: day 0 of Excel's dates (a date is a serial number of days).
"""

from __future__ import annotations

import datetime
import itertools
import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "EXCEL_EPOCH",
    "EXCEL_ERRORS",
    "RATE_HINT",
    "describe",
    "format_number",
    "is_blank",
    "is_error_value",
]

#: The error values Excel can put in a cell, as xlwings and openpyxl hand them over (text).
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
    }
)

#: Day 0 of Excel's 1900 date system: serial number n is this date plus n days, right for
#: every date from 1900-03-01 on (Excel counts a 29 February 1900 that never was).
EXCEL_EPOCH = datetime.date(1899, 12, 30)

#: What to enter where a rate belongs (the messages of every rate argument end with it).
RATE_HINT = "a rate above -100% as a decimal (10% = 0.1)"


def is_blank(value: Any) -> bool:
    """True for what a spreadsheet calls an empty cell: ``None``, or text of spaces only.

    >>> is_blank(None), is_blank("  "), is_blank(0), is_blank("0")
    (True, True, False, False)
    """
    return value is None or (isinstance(value, str) and value.strip() == "")


def is_error_value(value: Any) -> bool:
    """True for the text of an Excel error value such as ``"#N/A"`` (any case, spaces around).

    >>> is_error_value("#n/a"), is_error_value("#DIV/0!"), is_error_value("N/A")
    (True, True, False)
    """
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def describe(value: Any) -> str:
    """A bad value in a user's words, for the "what is wrong" part of a message.

    >>> describe("n/a"), describe("#n/a"), describe(True), describe(float("nan"))
    ("the text 'n/a'", 'the error value #N/A', 'the logical value TRUE', 'not a number (NaN)')
    >>> describe(0.125), describe(None), describe([1, 2])
    ('0.125', 'blank', 'a range, where one value belongs')
    >>> describe(datetime.date(2026, 1, 31))
    'the date 2026-01-31'
    """
    if isinstance(value, (bool, np.bool_)):
        return f"the logical value {str(bool(value)).upper()}"
    if isinstance(value, str):
        if is_error_value(value):
            return f"the error value {value.strip().upper()}"
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, datetime.time):
        return f"the time {value.isoformat()}"
    if isinstance(value, datetime.timedelta):
        return f"the duration {value}"
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return "not a number (NaN)"
        if math.isinf(number):
            return "infinite"
        return format_number(number)
    if value is None:
        return "blank"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "a range, where one value belongs"
    return f"a {type(value).__name__}"


def format_number(number: float) -> str:
    """A number as a message shows it: whole numbers without a decimal point, others short.

    >>> format_number(3.0), format_number(0.1), format_number(1234567.0), format_number(1e-9)
    ('3', '0.1', '1234567', '1e-09')
    """
    number = float(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:g}"


_NUMBER_TYPES = frozenset({float, int, np.float64})
_ROW_TYPES = frozenset({list, tuple})


def number_array(values: list | tuple) -> np.ndarray | None:
    """A range of plain numbers as a float array in one step, or None when it holds
    anything else.

    ``values`` is a list of cells, or a rectangular list of rows (as xlwings hands a range
    over). One pass over the types of the cells (in C, by ``map``) decides: only ints and
    floats pass; a bool, a text such as ``"5"``, a blank, an error value, ragged rows or an
    empty range give None, so the caller reads the cells one by one and names the bad one
    (numpy alone would read True as 1.0 and "5" as 5.0).

    >>> number_array([[1.5], [2.0], [3]])
    array([[1.5],
           [2. ],
           [3. ]])
    >>> number_array([1.0, 2.5]), number_array([1.0, True]), number_array([[1], [None]])
    (array([1. , 2.5]), None, None)
    """
    if not values:
        return None
    cells = values
    shape: tuple[int, ...] = (len(values),)
    if set(map(type, values)) <= _ROW_TYPES:
        widths = set(map(len, values))
        if len(widths) != 1:
            return None
        shape = (len(values), widths.pop())
        cells = list(itertools.chain.from_iterable(values))
    if not shape[-1] or not set(map(type, cells)) <= _NUMBER_TYPES:
        return None
    try:
        return np.array(cells, dtype=float).reshape(shape)
    except OverflowError:  # an int beyond the range of a float
        return None
