"""The blocks of lines (``CostLines``, ``OtherBenefitLines``) and the saved figures.

Every row of a block that holds an amount and is not a named line is an added line (a
CostLine or BenefitLine), as the workbook's own formulas add it up; a number typed outside
every input and block is refused. :func:`read_layout` also reads the values the workbook
saved for the figures of the safety net (:mod:`.saved_values` compares them).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from crmvalue_core.cells import is_blank

from .. import _spec as spec
from ..errors import FileError, TemplateError
from .cells import CellValue, checked_value, formula_text, in_words
from .names import FRESH, shape
from .opening import corrupt, saved_results, sheet_cells

__all__ = [
    "Layout",
    "read_layout",
]


@dataclass(frozen=True)
class _Area:
    """The cells a defined name covers: its sheet and bounds (1-based, inclusive)."""

    name: str
    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def coordinates(self) -> list[str]:
        """The cells, row by row."""
        from openpyxl.utils.cell import get_column_letter

        return [
            f"{get_column_letter(col)}{row}"
            for row in range(self.min_row, self.max_row + 1)
            for col in range(self.min_col, self.max_col + 1)
        ]


@dataclass(frozen=True)
class Layout:
    """What :func:`read_layout` found: the added lines of each block (by block name), the
    saved values of the figures the safety net compares, their cells and sheets (by name)."""

    lines: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    saved: dict[str, list[Any]] = field(default_factory=dict)
    places: dict[str, list[str]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)


def _area(wb: Any, path: Path, name: str) -> _Area | None:
    """Where defined name ``name`` points, or None when the workbook does not define it."""
    from openpyxl.utils.cell import range_boundaries

    if name not in wb.defined_names:
        return None
    text = str(wb.defined_names[name].attr_text or "")
    try:
        destinations = list(wb.defined_names[name].destinations)
        sheet, reference = destinations[0]
        bounds = range_boundaries(reference.replace("$", ""))
    except Exception:
        bounds, sheet, destinations = (None, None, None, None), "", []
    if "#REF!" in text.upper() or len(destinations) != 1 or None in bounds:
        raise TemplateError(
            f"the defined name {name} refers to {text!r}, not to a range of cells of one "
            f"sheet (its cells or its sheet were deleted?); {FRESH}",
            path=path,
            name=name,
        )
    if sheet not in wb.sheetnames:
        raise TemplateError(
            f"the sheet {sheet!r}, which holds the defined name {name}, is missing; {FRESH}",
            path=path,
            sheet=sheet,
            name=name,
        )
    min_col, min_row, max_col, max_row = bounds
    return _Area(name, sheet, min_col, min_row, max_col, max_row)


def _block_area(wb: Any, path: Path, block: spec.LineBlock) -> _Area | None:
    """The rows of a block of lines: from its defined name's first row (a heading) down to
    the row above its total, as the total row of the sheet adds them up (so a row inserted
    just above the total counts too); None for a workbook without the block."""
    area = _area(wb, path, block.name)
    total = _area(wb, path, block.total_name) if area is not None else None
    if area is None or total is None:
        return area
    if total.sheet == area.sheet and total.min_row > area.max_row:
        return replace(area, max_row=total.min_row - 1)
    return area


def _areas_values(
    wb: Any, areas: Mapping[tuple[str, str], tuple[_Area, int]]
) -> dict[tuple[str, str], dict[tuple[int, int], Any]]:
    """The values of the cells of several areas, each by (row, column) (each sheet parsed
    once, :func:`~.opening.sheet_cells`). ``areas`` maps a key to an area and the column
    to start from (0: the area's first; 1 takes the labels left of a block too)."""
    found: dict[tuple[str, str], dict[tuple[int, int], Any]] = {}
    for key, (area, first_col) in areas.items():
        cells = sheet_cells(wb, area.sheet)
        found[key] = {
            (row, col): cells.get(row, {}).get(col)
            for row in range(area.min_row, area.max_row + 1)
            for col in range(first_col or area.min_col, area.max_col + 1)
        }
    return found


def read_layout(wb: Any, path: Path, cells: Mapping[str, CellValue | list[CellValue]]) -> Layout:
    """The added lines of the blocks of lines, and the saved values of the safety net, of
    the workbook ``wb`` (opened by :func:`~.opening.open_template` from ``path``)."""
    try:
        blocks = [(block, _block_area(wb, path, block)) for block in spec.LINE_BLOCKS]
        block_areas = {
            ("block", block.name): (area, 1) for block, area in blocks if area is not None
        }
        raw = {key[1]: values for key, values in _areas_values(wb, block_areas).items()}
        figures = {
            name: area for name in core.SAVED_FIGURES if (area := _area(wb, path, name)) is not None
        }
        if all(area is not None for _, area in blocks):
            _refuse_stray_numbers(wb, path, cells, [area for _, area in blocks])
    except FileError:
        raise
    except Exception as error:
        raise corrupt(path, error) from None
    with saved_results(wb):
        try:
            figure_areas = {("figure", name): (area, 0) for name, area in figures.items()}
            both = _areas_values(wb, block_areas | figure_areas)
            cached = {key[1]: values for key, values in both.items() if key[0] == "block"}
            saved = {key[1]: values for key, values in both.items() if key[0] == "figure"}
        except Exception as error:
            raise corrupt(path, error) from None
    lines: dict[str, tuple[Any, ...]] = {}
    for block, area in blocks:
        if area is None:  # a template made before the blocks: its named lines only
            continue
        if area.max_col - area.min_col + 1 != block.spec.cells:
            raise TemplateError(
                f"the defined name {block.name} is {area.max_col - area.min_col + 1} columns "
                f"wide (sheet {area.sheet!r}); the template has {block.spec.cells}, one per "
                "year: a column inserted or deleted inside the year columns? Undo that edit, "
                f"or {FRESH}",
                path=path,
                sheet=area.sheet,
                name=block.name,
            )
        named_rows = _named_rows(path, block, area, cells)
        found = []
        for row in range(area.min_row + 1, area.max_row + 1):  # the first row is a heading
            if row in named_rows:
                continue
            line = _block_line(path, block, area, row, raw[block.name], cached[block.name])
            if line is not None:
                found.append(line)
        lines[block.name] = tuple(found)
    for name, area in figures.items():
        expected = spec.DEFINED_NAME_CELLS.get(name, 1)
        count = (area.max_col - area.min_col + 1) * (area.max_row - area.min_row + 1)
        if count != expected:
            raise TemplateError(
                f"the defined name {name} refers to {count} cells (sheet {area.sheet!r}); the "
                f"template has {shape(expected)}: a column inserted or deleted inside the "
                f"year columns? Undo that edit, or {FRESH}",
                path=path,
                sheet=area.sheet,
                name=name,
            )
    return Layout(
        lines=lines,
        saved={name: [values[key] for key in sorted(values)] for name, values in saved.items()},
        places={name: area.coordinates() for name, area in figures.items()},
        sheets={name: area.sheet for name, area in figures.items()},
    )


def _refuse_stray_numbers(
    wb: Any,
    path: Path,
    cells: Mapping[str, CellValue | list[CellValue]],
    blocks: list[Any],
) -> None:
    """Refuse a number typed on the Inputs sheet outside every input and block of lines.

    Such a number counts nowhere, neither in the sheet's totals nor in the appraisal: a
    line typed into a row inserted above a block's heading or below its total. The year
    headers (the numbers 0, 1, 2... of a header row) are not inputs and are skipped.
    """
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

    sheet = spec.SHEET_INPUTS
    if sheet not in wb.sheetnames:
        return
    covered = {
        coordinate_to_tuple(item.cell)
        for found in cells.values()
        for item in (found if isinstance(found, list) else [found])
        if item.sheet == sheet
    }
    rows = {
        row
        for area in blocks
        if area.sheet == sheet
        for row in range(area.min_row, area.max_row + 1)
    }
    for row_index, row in sorted(sheet_cells(wb, sheet).items()):
        if row_index in rows:
            continue
        numbers_found = [
            (col_index, value)
            for col_index, value in sorted(row.items())
            if isinstance(value, numbers.Real)
            and not isinstance(value, bool)
            and (row_index, col_index) not in covered
        ]
        if not numbers_found:
            continue
        if [value for _, value in numbers_found] == list(range(len(numbers_found))):
            continue  # a year header 0, 1, 2...
        col_index, value = numbers_found[0]
        coordinate = f"{get_column_letter(col_index)}{row_index}"
        raise TemplateError(
            f"sheet {sheet!r}, cell {coordinate} holds {in_words(value)} outside the input "
            "cells and the blocks of lines, so it counts nowhere (a row inserted above a "
            "block's heading or below its total?); enter a cost line in a spare row of the "
            "cost block or a benefit line below Other benefits (or insert the row inside the "
            "block), or clear the cell",
            path=path,
            sheet=sheet,
            cell=coordinate,
            value=value,
        )


def _named_rows(
    path: Path,
    block: spec.LineBlock,
    area: _Area,
    cells: Mapping[str, CellValue | list[CellValue]],
) -> set[int]:
    """The rows of the block's named lines; each must lie inside the block."""
    from openpyxl.utils.cell import coordinate_to_tuple

    rows = set()
    for name in block.named:
        found = cells[name]
        first = found[0] if isinstance(found, list) else found
        last = found[-1] if isinstance(found, list) else found
        row, col = coordinate_to_tuple(first.cell)
        _, last_col = coordinate_to_tuple(last.cell)
        if (
            first.sheet != area.sheet
            or not area.min_row <= row <= area.max_row
            or (col, last_col) != (area.min_col, area.max_col)
        ):
            raise TemplateError(
                f"{name} (sheet {first.sheet!r}, cell {first.cell}) lies outside the block "
                f"{block.name} (sheet {area.sheet!r}, rows {area.min_row}..{area.max_row}), "
                "whose rows the workbook's formulas add up; move the line back into the "
                f"block, or {FRESH}",
                path=path,
                sheet=first.sheet,
                cell=first.cell,
                name=name,
            )
        rows.add(row)
    return rows


def _block_line(
    path: Path,
    block: spec.LineBlock,
    area: _Area,
    row: int,
    raw: Mapping[tuple[int, int], Any],
    cached: Mapping[tuple[int, int], Any],
) -> Any:
    """The added line in ``row`` of a block (a CostLine or BenefitLine), or None when the
    row holds no amount. Each amount is checked as the block's named lines are; the label
    is column A (blank: the block's spare label)."""
    from openpyxl.utils.cell import get_column_letter

    def value(col: int) -> Any:
        found = raw.get((row, col))
        text = formula_text(found)
        if text is None:
            return found
        saved = cached.get((row, col))
        if saved is None:
            raise TemplateError(
                f"sheet {area.sheet!r}, cell {get_column_letter(col)}{row} ({block.name}) holds "
                f"the formula {text} with no saved result; type the value, or open the file "
                "in Excel or LibreOffice and save it",
                path=path,
                sheet=area.sheet,
                cell=f"{get_column_letter(col)}{row}",
                name=block.name,
                value=text,
            )
        return saved

    columns = range(area.min_col, area.max_col + 1)
    amounts = [value(col) for col in columns]
    if all(is_blank(item) for item in amounts):
        return None
    label = value(1) if area.min_col > 1 else None
    label = label.strip() if isinstance(label, str) and label.strip() else block.spare_label
    rule = block.spec
    owner = f"the line {label!r} of {block.name}"
    checked = [
        checked_value(
            CellValue(
                owner,
                area.sheet,
                f"{get_column_letter(col)}{row}",
                index,
                rule.first_year + index,
                item,
            ),
            path,
            rule,
        )
        for index, (col, item) in enumerate(zip(columns, amounts, strict=True))
    ]
    kind = core.CostLine if rule.first_year == 0 else core.BenefitLine
    try:
        return kind(label, tuple(checked))
    except CrmValueError as error:
        message = re.sub(r"^APPRAISAL: ", "", str(error))
        raise TemplateError(
            f"{message} (sheet {area.sheet!r}, row {row})", path=path, sheet=area.sheet
        ) from None
