"""Compare the values a spreadsheet saved in a workbook with the core's appraisal.

When Excel or LibreOffice saves the template, every formula cell carries the value it
computed. If a user edited the layout in a way the reader cannot see (a row inserted
outside the input blocks and picked up by a sum, a formula overwritten with a number),
those values differ from what the core computes from the same inputs.
:func:`first_saved_difference` finds the first such figure; the workbook reader refuses
the file with it, so an edited layout never gives a silently wrong number.

The rule "beyond rounding": a money figure differs when
``|saved - computed| > 1e-9 |computed| + 1e-9 scale`` (scale: the case's largest yearly
amount, at least 1; a spreadsheet keeps 15 significant digits, so a difference such as
benefits - costs keeps only the digits of the larger amount), a rate or ratio (IRR, MIRR,
ROI, PI, paybacks) when ``|saved - computed| > 1e-6 max(1, |computed|)`` (a spreadsheet's
IRR iterates to about 1e-7); a saved IRR that is another root of the net cash flow (flows
with several IRRs) is not a difference. A saved value that is not a number (an error such as
``#NAME?`` where the add-in is not enabled, or a blank) and a metric the core leaves
undefined are not compared.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .inputs import RESULT_NAMES
from .model import AppraisalResult

__all__ = ["SAVED_FIGURES", "SavedDifference", "first_saved_difference"]

#: The defined names whose saved values are compared, with what the core computes for them:
#: ``"total_costs"`` (the Inputs sheet's total of the cost lines, years 0..10, before
#: contingency), ``"total_other_benefits"`` (its total of the other benefit lines, years
#: 1..10), ``"years.<column>"`` (a model row, years 0..10) or a metric.
SAVED_FIGURES: dict[str, str] = {
    "TotalCosts": "total_costs",
    "TotalOtherBenefits": "total_other_benefits",
    **RESULT_NAMES,
}

_RATIOS = ("irr", "mirr", "roi", "pi", "payback", "discounted_payback")


@dataclass(frozen=True)
class SavedDifference:
    """One figure whose saved value differs from the core's.

    Attributes:
        name: the defined name (``"Costs"``, ``"ResultNPV"``...).
        index: the position inside the name (0 for one cell; the year for a model row).
        saved: the value the workbook saved.
        computed: the value the core computes from the workbook's inputs.
    """

    name: str
    index: int
    saved: float
    computed: float


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _expected(result: AppraisalResult, figure: str) -> np.ndarray | float | None:
    if figure == "total_costs":
        return result.inputs.costs.total
    if figure == "total_other_benefits":
        benefits = result.inputs.benefits
        return np.asarray(benefits.other_benefits, dtype=float) + benefits.added_other_benefits
    if figure.startswith("years."):
        return np.asarray(result.columns[figure.removeprefix("years.")], dtype=float)
    return getattr(result, figure)


def _another_irr(result: AppraisalResult, figure: str, rate: float) -> bool:
    """True when ``rate`` is an IRR of the case too (flows with several IRRs: a spreadsheet's
    IRR may find another root than the core): the NPV at it is 0 within 1e-6 of the flows."""
    if figure != "irr" or rate == -1.0:
        return False
    horizon = result.inputs.general.horizon_years
    net = np.asarray(result.columns["net"], dtype=float)[: horizon + 1]
    value = float(np.sum(net / (1.0 + rate) ** np.arange(net.size)))
    return abs(value) <= 1e-6 * max(float(np.abs(net).max()), 1.0)


def first_saved_difference(
    result: AppraisalResult, saved: Mapping[str, Any | Sequence[Any]]
) -> SavedDifference | None:
    """The first figure of ``saved`` that differs from ``result`` beyond rounding, or None.

    ``saved`` maps defined names of :data:`SAVED_FIGURES` to the value a spreadsheet saved
    (one value, or the values of a row, years 0..10); names left out, values that are not
    numbers and metrics the core leaves undefined are skipped. Figures are checked in the
    order of :data:`SAVED_FIGURES` (the inputs' total first, the metrics last), so the
    difference reported is the one closest to its cause.

    Examples
    --------
    >>> from crmvalue_core.appraisal import demo_case, appraise
    >>> result = appraise(demo_case())
    >>> first_saved_difference(result, {"ResultNPV": result.npv + 1e-7}) is None
    True
    >>> first_saved_difference(result, {"ResultNPV": result.npv + 50_000}).name
    'ResultNPV'
    """
    years = result.columns
    scale = max(
        float(np.abs(years["gross_benefits"]).max()),
        float(np.abs(years["costs"]).max()),
        float(np.abs(result.inputs.costs.total).max()),
        float(np.abs(_expected(result, "total_other_benefits")).max()),
        1.0,
    )
    for name, figure in SAVED_FIGURES.items():
        if name not in saved:
            continue
        expected = _expected(result, figure)
        if expected is None:
            continue
        values = saved[name]
        shown = list(values) if isinstance(values, (list, tuple)) else [values]
        targets = np.atleast_1d(np.asarray(expected, dtype=float))
        for index, (value, target) in enumerate(zip(shown, targets, strict=False)):
            number = _number(value)
            if number is None or not math.isfinite(float(target)):
                continue
            if figure in _RATIOS:
                allowed = 1e-6 * max(1.0, abs(float(target)))
            else:
                allowed = 1e-9 * abs(float(target)) + 1e-9 * scale
            if abs(number - float(target)) > allowed and not _another_irr(result, figure, number):
                return SavedDifference(name, index, number, float(target))
    return None
