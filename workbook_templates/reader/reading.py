"""The public readers of a filled template: :func:`read_values` and :func:`read_inputs`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core

from .. import _spec as spec
from ..errors import FileError, TemplateError
from ..files import MAX_FILE_BYTES
from .cells import CellValue, checked_value, formula_text
from .line_blocks import read_layout
from .names import find_targets, range_specs, read_cells, require_ranges
from .opening import corrupt, open_template, saved_results
from .saved_values import check_saved_values

__all__ = [
    "inputs_of",
    "read_inputs",
    "read_values",
    "values_of",
]


def read_values(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    ranges: bool = False,
) -> dict[str, CellValue | list[CellValue]]:
    """Read the raw value of every input defined name of a filled template.

    Returns ``{defined name: CellValue}`` for a one-cell name and a list of CellValue (year
    order) for a row. A cell that holds a formula gives the value Excel or LibreOffice saved
    with it. With ``ranges=True``: the low and high cells of the Scenarios sheet instead
    (``ChurnReductionLow``, ``CostLicencesHigh``...). Raises
    :class:`~workbook_templates.errors.FileError` for a file that is not a readable .xlsx
    and :class:`TemplateError` for a workbook that is not a usable template (see the package
    docstring); the values themselves are not checked here.
    """
    source = Path(path)
    with open_template(source, max_bytes) as wb:
        return values_of(wb, source, ranges=ranges)


def values_of(
    wb: Any, source: Path, *, ranges: bool = False
) -> dict[str, CellValue | list[CellValue]]:
    """:func:`read_values` of the workbook ``wb``, opened by
    :func:`~.opening.open_template` from ``source`` (one opening for every read).

    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> from workbook_templates.reader.opening import open_template
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     values_of(wb, TEMPLATE_PATH)["DiscountRate"].value
    0.1
    """
    try:
        if ranges:
            require_ranges(wb, source)
        targets = find_targets(wb, source, range_specs() if ranges else core.INPUTS)
        raw = read_cells(wb, targets)
    except FileError:
        raise
    except Exception as error:
        raise corrupt(source, error) from None
    formulas = {key: text for key, value in raw.items() if (text := formula_text(value))}
    if formulas:
        with saved_results(wb):
            try:
                cached = read_cells(wb, targets)
            except Exception as error:
                raise corrupt(source, error) from None
        for key, text in formulas.items():
            if cached.get(key) is None:
                owner = next(t for t in targets if t.sheet == key[0] and key[1] in t.cells)
                raise TemplateError(
                    f"sheet {key[0]!r}, cell {key[1]} ({owner.name}) holds the formula "
                    f"{text} with no saved result (the file was written by a program that "
                    "does not calculate); type the value, or open the file in Excel or "
                    "LibreOffice and save it",
                    path=source,
                    sheet=key[0],
                    cell=key[1],
                    name=owner.name,
                    value=text,
                )
            raw[key] = cached[key]
    result: dict[str, CellValue | list[CellValue]] = {}
    for target in targets:
        cells = [
            CellValue(
                target.name,
                target.sheet,
                coordinate,
                index,
                None if target.single else target.first_year + index,
                raw.get((target.sheet, coordinate)),
            )
            for index, coordinate in enumerate(target.cells)
        ]
        result[target.name] = cells[0] if target.single else cells
    return result


def read_inputs(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES, check_saved: bool = True
) -> core.AppraisalInputs:
    """Read a filled template into the core's :class:`~crmvalue_core.appraisal.AppraisalInputs`.

    Every input is found by its defined name and checked against the rule the core and the
    workbook's data validation share (:data:`crmvalue_core.appraisal.INPUTS`); blanks mean
    what the core says (0 for amounts and drivers, "the discount rate" for the MIRR rates).
    Raises one :class:`~workbook_templates.errors.FileError` (a
    :class:`crmvalue_core.CrmValueError`) with one clear message for the first problem: a
    file that is not a readable .xlsx (a FileError), or, as a :class:`TemplateError`, a
    missing defined name, a deleted sheet, or a bad value (naming the sheet, the cell, the
    defined name, the value and what to enter). The file is never modified.

    The blocks of lines (``CostLines``, ``OtherBenefitLines``: the named lines and the
    spare rows below them) are read row by row: every row of a block that holds an amount
    and is not a named line is an added line (its label from column A), so a row a user
    inserted inside a block counts, as it does in the workbook's own formulas.

    The safety net (``check_saved``, on by default): a workbook last saved by Excel or
    LibreOffice carries the values its formulas computed. They are compared with the
    core's appraisal of the inputs read (the total cost row, Benefits, Costs, NetCashFlow
    and the metrics, :func:`crmvalue_core.appraisal.first_saved_difference`); when one
    differs beyond rounding (a row or column inserted outside the input blocks, a formula
    overwritten with a number) the workbook is refused with a TemplateError that names the
    figure, both values and the likely cause. A workbook without saved values (written by
    openpyxl) is read as it is.

    Examples
    --------
    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> inputs = read_inputs(TEMPLATE_PATH)
    >>> inputs.general.horizon_years, inputs.general.discount_rate
    (5, 0.1)
    """
    source = Path(path)
    with open_template(source, max_bytes) as wb:
        return inputs_of(wb, source, check_saved=check_saved)


def inputs_of(wb: Any, source: Path, *, check_saved: bool = True) -> core.AppraisalInputs:
    """:func:`read_inputs` of the workbook ``wb``, opened by
    :func:`~.opening.open_template` from ``source`` (one opening for every read).

    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> from workbook_templates.reader.opening import open_template
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     inputs_of(wb, TEMPLATE_PATH).general.horizon_years
    5
    """
    cells = values_of(wb, source)
    values: dict[str, Any] = {}
    for name, cell in cells.items():
        if isinstance(cell, list):
            values[name] = [checked_value(item, source) for item in cell]
        else:
            values[name] = checked_value(cell, source)
    layout = read_layout(wb, source, cells)
    try:
        case = core.AppraisalInputs.from_defined_names(values)
        case = replace(
            case,
            costs=replace(case.costs, added_lines=layout.lines.get(spec.COST_LINE_BLOCK.name, ())),
            benefits=replace(
                case.benefits,
                other_benefit_lines=layout.lines.get(spec.BENEFIT_LINE_BLOCK.name, ()),
            ),
        )
    except CrmValueError as error:
        message = re.sub(r"^APPRAISAL: ", "", str(error))
        raise TemplateError(_with_cells(message, cells), path=source) from None
    if check_saved:
        check_saved_values(source, case, layout)
    return case


def _with_cells(message: str, cells: Mapping[str, CellValue | list[CellValue]]) -> str:
    """A core message with the cells of the defined names it mentions appended."""
    places = []
    for name, cell in cells.items():
        if re.search(rf"\b{re.escape(name)}\b", message):
            first = cell[0] if isinstance(cell, list) else cell
            places.append(f"{name} is sheet {first.sheet!r}, cell {first.cell}")
    return message + (f" ({'; '.join(places)})" if places else "")
