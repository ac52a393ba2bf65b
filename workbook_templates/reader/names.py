"""Defined names -> cells: where each name points, checked against the template's shape.

The names are the inputs' (:data:`crmvalue_core.appraisal.INPUTS`) or the low and high
cells of the Scenarios sheet (:func:`range_specs`); a missing name, a deleted sheet or a
range of the wrong size is one :class:`~workbook_templates.errors.TemplateError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmvalue_core import appraisal as core

from .. import _spec as spec
from ..errors import TemplateError

__all__ = [
    "FRESH",
    "Target",
    "find_targets",
    "range_specs",
    "read_cells",
    "require_ranges",
    "shape",
]


#: The advice of a message about a workbook that is not a usable template.
FRESH = "start from a fresh template (crmvalue new FILE.xlsx) and copy your inputs into it"


@dataclass(frozen=True)
class Target:
    name: str
    sheet: str
    cells: tuple[str, ...]  # coordinates, in order
    first_year: int
    single: bool


def find_targets(
    wb: Any, path: Path, items: tuple[core.InputSpec, ...] = core.INPUTS
) -> list[Target]:
    """Where every defined name of ``items`` points, checked against the template's shape.

    ``items`` are the inputs (default) or the low and high cells of the Scenarios sheet
    (:func:`range_specs`).
    """
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    defined = wb.defined_names
    names = [item.name for item in items]
    missing = [name for name in names if name not in defined]
    if len(missing) == len(names):
        raise TemplateError(
            "this workbook is not the crmvalue appraisal template: it has none of the "
            f"template's defined names (such as {', '.join(names[:3])}); {FRESH}",
            path=path,
        )
    if missing:
        shown = ", ".join(missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        raise TemplateError(
            f"the defined name{'s' if len(missing) > 1 else ''} {shown} "
            f"{'are' if len(missing) > 1 else 'is'} missing: an older or edited template "
            f"(Formulas > Name Manager lists the names it has); {FRESH}",
            path=path,
            name=missing[0],
        )
    targets = []
    for item in items:
        text = str(defined[item.name].attr_text or "")
        if "#REF!" in text.upper():
            raise TemplateError(
                f"the defined name {item.name} refers to {text}: its cells or its sheet were "
                f"deleted; {FRESH}",
                path=path,
                name=item.name,
            )
        try:
            destinations = list(defined[item.name].destinations)
        except Exception:
            destinations = []
        if len(destinations) != 1:
            raise TemplateError(
                f"the defined name {item.name} refers to {text!r}, not to cells of one sheet; "
                f"in the template it refers to {shape(item.cells)}; {FRESH}",
                path=path,
                name=item.name,
            )
        sheet, reference = destinations[0]
        if sheet not in wb.sheetnames:
            raise TemplateError(
                f"the sheet {sheet!r}, which holds the defined name {item.name}, is missing "
                f"(deleted or renamed?); the workbook has the sheets {', '.join(wb.sheetnames)}. "
                f"{FRESH[0].upper()}{FRESH[1:]}",
                path=path,
                sheet=sheet,
                name=item.name,
            )
        try:
            min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
        except (ValueError, TypeError):
            min_col = min_row = max_col = max_row = None
        if None in (min_col, min_row, max_col, max_row):
            raise TemplateError(
                f"the defined name {item.name} refers to {text!r}, which is not a range of "
                f"cells; in the template it refers to {shape(item.cells)}",
                path=path,
                name=item.name,
            )
        count = (max_col - min_col + 1) * (max_row - min_row + 1)
        if count != item.cells or (min_col != max_col and min_row != max_row):
            raise TemplateError(
                f"the defined name {item.name} refers to {count} cells ({sheet}!{reference}); "
                f"the template has {shape(item.cells)}: an edited template (a column inserted "
                f"or deleted inside the year columns?); undo that edit, or {FRESH}",
                path=path,
                sheet=sheet,
                name=item.name,
            )
        cells = tuple(
            f"{get_column_letter(col)}{row}"
            for row in range(min_row, max_row + 1)
            for col in range(min_col, max_col + 1)
        )
        targets.append(Target(item.name, sheet, cells, item.first_year, item.cells == 1))
    return targets


def shape(cells: int) -> str:
    if cells == 1:
        return "1 cell"
    if cells == core.YEARS:
        return "11 cells in one row (years 0..10)"
    return f"{cells} cells in one row (years 1..{cells})"


def read_cells(wb: Any, targets: list[Target]) -> dict[tuple[str, str], Any]:
    """The values of every target cell (each sheet parsed once, :func:`~.opening.sheet_cells`)."""
    from openpyxl.utils.cell import coordinate_to_tuple

    from .opening import sheet_cells

    values: dict[tuple[str, str], Any] = {}
    for target in targets:
        cells = sheet_cells(wb, target.sheet)
        for coordinate in target.cells:
            row, col = coordinate_to_tuple(coordinate)
            values[(target.sheet, coordinate)] = cells.get(row, {}).get(col)
    return values


def range_specs() -> tuple[core.InputSpec, ...]:
    """The low and high cells as inputs: each with its input's rule, blank meaning the base."""
    from dataclasses import replace

    return tuple(
        replace(spec.SPECS[item.name], name=define(item.name), hint=_range_hint(item))
        for item in spec.UNCERTAIN_INPUTS
        for define in (spec.low_name, spec.high_name)
    )


def _range_hint(item: spec.SheetInput) -> str:
    return spec.range_words(item.spec) + " (blank: the base)"


def require_ranges(wb: Any, path: Path) -> None:
    """Refuse, in one clear message, a workbook made before the Scenarios sheet existed."""
    names = list(spec.RANGE_NAME_CELLS)
    if not any(name in wb.defined_names for name in names):
        raise TemplateError(
            "this workbook has no low and high values: it has no Scenarios sheet (the defined "
            f"names {names[0]}, {names[1]}... are missing; a template made before them); "
            f"{FRESH}",
            path=path,
        )
