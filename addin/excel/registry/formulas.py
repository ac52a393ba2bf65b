"""Reading the example formulas of the registry as Excel would hand their arguments over.

:func:`parse_formula` turns ``NAME(arg, ...)`` into the function's name and its
arguments: numbers, text, logical values, error values (:class:`XlError`), array
constants, arguments left out (:data:`OMITTED`) and cell references
(:class:`Reference`, with the values the example says the cells hold). The tests run
every example of the registry through the add-in this way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CLASSIC_ERRORS", "OMITTED", "Reference", "XlError", "parse_formula"]

#: The error values an example formula may hold as constants: the seven of
#: :data:`crmvalue_core.cells.EXCEL_ERRORS` that every spreadsheet takes in a formula
#: (Excel's newer ones, such as ``#SPILL!``, are only ever results).
CLASSIC_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


@dataclass(frozen=True)
class XlError:
    """An Excel error value in a formula or a cell, e.g. ``#N/A`` or ``#DIV/0!``."""

    text: str

    def __str__(self) -> str:
        return self.text


class _Omitted:
    """An argument left out of a formula, as in ``CLV(100, 0.8, 0.12, , 0.05)``."""

    _instance: _Omitted | None = None

    def __new__(cls) -> _Omitted:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OMITTED"


#: The value :func:`parse_formula` gives for an argument left out.
OMITTED = _Omitted()


@dataclass(frozen=True)
class Reference:
    """A cell reference in an example formula, e.g. ``A1:A100``, with what the cells hold."""

    address: str
    rows: tuple[tuple[Any, ...], ...]


_CALL = re.compile(r"^\s*=?\s*([A-Za-z][A-Za-z0-9_.]*)\s*\((.*)\)\s*$", re.DOTALL)
_REFERENCE = re.compile(r"^\$?[A-Z]{1,3}\$?[0-9]+(:\$?[A-Z]{1,3}\$?[0-9]+)?$")


def parse_formula(formula: str, cells: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
    """Read ``NAME(arg, ...)`` into the name and the arguments as Excel would hand them.

    Numbers become floats, ``"text"`` a str, ``TRUE``/``FALSE`` a bool, ``#N/A`` an
    :class:`XlError`, an array constant ``{1, 2; 3, 4}`` a tuple of rows, an empty
    argument :data:`OMITTED`, and a cell reference a :class:`Reference` whose values come
    from ``cells`` (a list there is a column).

    >>> parse_formula('CLV(100, 0.8, 0.12, , , , "start")')
    ('CLV', [100.0, 0.8, 0.12, OMITTED, OMITTED, OMITTED, 'start'])
    >>> parse_formula("NPS({9, 10, 6, 8})")
    ('NPS', [((9.0, 10.0, 6.0, 8.0),)])
    """
    match = _CALL.match(formula)
    if not match:
        raise ValueError(f"not a function call: {formula!r}")
    name, inner = match.group(1).upper(), match.group(2)
    parts = _split(inner, ",") if inner.strip() else []
    return name, [_argument(part, cells or {}) for part in parts]


def _split(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside quotes and braces."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "{":
            depth += 1
        elif not quoted and char == "}":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _argument(text: str, cells: Mapping[str, Any]) -> Any:
    text = text.strip()
    if not text:
        return OMITTED
    if text.startswith("{") and text.endswith("}"):
        rows = _split(text[1:-1], ";")
        return tuple(tuple(_constant(item) for item in _split(row, ",")) for row in rows)
    if _REFERENCE.match(text.upper()):
        if text not in cells:
            raise ValueError(f"the example does not say what {text} holds")
        return Reference(text, _rows(cells[text]))
    return _constant(text)


def _rows(values: Any) -> tuple[tuple[Any, ...], ...]:
    """Cell values as rows: a list is a column, a list of lists a table."""
    if isinstance(values, (list, tuple)):
        if values and all(isinstance(row, (list, tuple)) for row in values):
            return tuple(tuple(row) for row in values)
        return tuple((value,) for value in values)
    return ((values,),)


def _constant(text: str) -> Any:
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('""', '"')
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if text.upper() in CLASSIC_ERRORS:
        return XlError(text.upper())
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)
