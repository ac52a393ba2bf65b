"""The safety net: the values a workbook saved, compared with the core's appraisal.

A workbook last saved by Excel or LibreOffice carries the values its formulas computed;
when one differs from the core's appraisal of the inputs read (a row or column inserted
outside the input blocks, a formula overwritten with a number) the workbook is refused.
"""

from __future__ import annotations

import numbers
from pathlib import Path

from crmvalue_core import appraisal as core

from .. import _spec as spec
from ..errors import TemplateError
from .line_blocks import Layout
from .names import FRESH

__all__ = [
    "check_saved_values",
]


#: The figures of the safety net in words, by defined name.
_FIGURE_WORDS = {
    "TotalCosts": "the total of the cost lines",
    "TotalOtherBenefits": "the total of the other benefit lines",
    "Benefits": "the benefits",
    "Costs": "the costs",
    "NetCashFlow": "the net cash flow",
}


def check_saved_values(path: Path, case: core.AppraisalInputs, layout: Layout) -> None:
    """Refuse a workbook whose saved values differ from the core's appraisal of its inputs."""
    if not any(
        isinstance(value, numbers.Real) and not isinstance(value, bool)
        for values in layout.saved.values()
        for value in values
    ):
        return  # no saved values (written by openpyxl): nothing to compare
    result = core.appraise(case)
    found = core.first_saved_difference(result, layout.saved)
    if found is None:
        return
    cell = layout.places[found.name][found.index]
    sheet = layout.sheets[found.name]
    if found.name in _FIGURE_WORDS:
        first = 1 if found.name == spec.BENEFIT_LINE_BLOCK.total_name else 0
        what = f"{_FIGURE_WORDS[found.name]} of year {first + found.index}"
        saved, computed = f"{found.saved:,.2f}", f"{found.computed:,.2f}"
    else:
        what = f"the result {found.name}"
        saved, computed = f"{found.saved:,.6g}", f"{found.computed:,.6g}"
    raise TemplateError(
        f"sheet {sheet!r}, cell {cell} ({found.name}): the workbook saved {saved} for {what}, "
        f"but its inputs give {computed}; likely a row or column inserted outside the input "
        "blocks (a cost line belongs inside the cost block, a benefit line below Other "
        "benefits) or a formula overwritten with a number; undo that edit and save the file "
        f"again, or {FRESH}",
        path=path,
        sheet=sheet,
        cell=cell,
        name=found.name,
    )
