"""One cell: where a defined name's cell is and what it holds, and checking its value.

A value is checked against the rule the core and the workbook's data validation share
(:data:`crmvalue_core.appraisal.INPUTS`); a bad one is a
:class:`~workbook_templates.errors.TemplateError` that names the sheet, the cell, the
defined name, the value and what to enter.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmvalue_core import appraisal as core
from crmvalue_core.cells import describe, is_blank
from crmvalue_core.currencies import currency_code

from .. import _spec as spec
from ..errors import TemplateError

__all__ = [
    "CellValue",
    "checked_value",
    "formula_text",
    "in_words",
]


@dataclass(frozen=True)
class CellValue:
    """Where one defined name's cell is, and what it holds.

    ``index`` is the position inside a multi-cell name (0 for a single cell); ``year`` the
    model year of that cell (None for a single cell).
    """

    name: str
    sheet: str
    cell: str
    index: int
    year: int | None
    value: Any

    @property
    def where(self) -> str:
        """The cell in a user's words: ``sheet 'Inputs', cell C9 (DiscountRate)``."""
        which = self.name if self.year is None else f"{self.name}, year {self.year}"
        return f"sheet {self.sheet!r}, cell {self.cell} ({which})"


def in_words(value: Any) -> str:
    """A bad value in a user's words (:func:`crmvalue_core.cells.describe`); a date cell, which
    openpyxl reads as a datetime at midnight, is said as the date it shows."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    return describe(value)


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def checked_value(cell: CellValue, path: Path, rule: core.InputSpec | None = None) -> Any:
    """The value to hand to the core for one cell, or the TemplateError that names it.

    ``rule`` defaults to the input's own (the low and high cells pass theirs).
    """
    rule = rule or spec.SPECS[cell.name]
    value = cell.value
    expected = spec.expected(rule)

    def bad(problem: str) -> TemplateError:
        return TemplateError(
            f"{cell.where} {problem}; enter {expected}",
            path=path,
            sheet=cell.sheet,
            cell=cell.cell,
            name=cell.name,
            value=value,
        )

    if is_blank(value):
        if rule.blank == "error":
            raise bad("is blank")
        return None
    if rule.kind == "text":
        if isinstance(value, str) or (
            isinstance(value, numbers.Real) and not isinstance(value, bool)
        ):
            return value
        raise bad(f"holds {in_words(value)}")
    if rule.kind == "currency":
        if currency_code(value) is not None:
            return value
        raise bad(f"holds {in_words(value)}, which is not an ISO 4217 currency code")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, str) and _looks_numeric(value):
            raise bad(f"holds the text {value.strip()!r}, a number stored as text")
        raise bad(f"holds {in_words(value)}, not a number")
    number = float(value)
    if not math.isfinite(number):
        raise bad(f"holds {in_words(value)}, not a finite number")
    if rule.minimum is not None and number < rule.minimum:
        raise bad(f"is {in_words(value)}, below the minimum {_bound(rule.minimum)}")
    if rule.maximum is not None and number > rule.maximum:
        raise bad(f"is {in_words(value)}, above the maximum {_bound(rule.maximum)}")
    if rule.whole and not number.is_integer():
        raise bad(f"is {in_words(value)}, not a whole number")
    return value


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(r"\s*[-+]?[\d.,\s]+%?\s*", text) is not None


def formula_text(value: Any) -> str | None:
    """The formula text of a cell read with formulas, or None for a constant."""
    text = getattr(value, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text
    if isinstance(value, str) and value.startswith("="):
        return value
    return None
