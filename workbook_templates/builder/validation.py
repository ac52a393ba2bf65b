"""Data validation of the template's input cells: what a cell accepts, said and enforced.

Each input cell gets a validation with an input message (what to enter) and a stop alert,
built from the core's rule for the input (:data:`crmvalue_core.appraisal.INPUTS`), so
Excel refuses what the reader and the core would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.datavalidation import DataValidation

from crmvalue_core import appraisal as core

from .. import _spec as spec

__all__ = ["data_validation", "input_validation"]


def _number_text(value: float) -> str:
    """A bound as formula text (an integer without a decimal point)."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def data_validation(
    kind: str,
    minimum: float | None,
    maximum: float | None,
    *,
    allow_blank: bool,
    title: str,
    expected: str,
    choices: Sequence[str] = (),
) -> DataValidation:
    """A data validation with an input message and a stop alert.

    ``kind`` is ``"text"`` (at most ``maximum`` characters), ``"list"`` (one of
    ``choices``), ``"whole"`` or ``"decimal"`` (between the bounds; an unbounded side is
    left open, and a decimal without bounds still refuses text).
    """
    if kind == "text":
        rule = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=_number_text(maximum or 255)
        )
    elif kind == "list":
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
    elif minimum is not None and maximum is not None:
        rule = DataValidation(
            type=kind,
            operator="between",
            formula1=_number_text(minimum),
            formula2=_number_text(maximum),
        )
    elif minimum is not None:
        rule = DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=_number_text(minimum)
        )
    else:
        rule = DataValidation(type=kind, operator="between", formula1="-1E+300", formula2="1E+300")
    rule.allow_blank = allow_blank
    rule.showInputMessage = True
    rule.showErrorMessage = True
    rule.errorStyle = "stop"
    rule.promptTitle = title if len(title) <= 32 else title[:31] + "…"
    rule.prompt = f"Enter {expected}."[:255]
    rule.errorTitle = "Not a valid value"
    rule.error = f"{title}: enter {expected}."[:225]
    return rule


def input_validation(item: spec.SheetInput) -> DataValidation:
    """The data validation of a template input, from the core's rule for it."""
    rule = item.spec
    kind = {"text": "text", "currency": "list", "year": "whole"}.get(
        rule.kind, "whole" if rule.whole else "decimal"
    )
    validation = data_validation(
        kind,
        rule.minimum,
        rule.maximum,
        allow_blank=rule.blank != "error",
        title=item.label,
        expected=spec.expected(rule),
        choices=core.CURRENCIES,
    )
    if rule.kind == "currency":
        # The list holds the common currencies; any other ISO 4217 code may be typed in, so
        # the alert warns (and lets the user keep the code) instead of refusing it. The
        # reader checks that the code is a current ISO 4217 one.
        validation.errorStyle = "warning"
        validation.errorTitle = "Not in the list"
        validation.error = (
            "This code is not in the list of common currencies. Keep it only if it is a "
            "current ISO 4217 code (three letters, such as THB); appraise checks it."
        )
    return validation
