"""The Inputs sheet: everything the user enters, block by block.

Column A the label, B the unit, C the value of a single input (a note in D); a cost line
fills C..M (years 0..10), a per-year driver D..M (years 1..10). The cost lines with three
spare rows form the block ``CostLines``, other benefits with three spare rows the block
``OtherBenefitLines``: the model sums every row of a block, so a row inserted inside it
counts. Each input carries its defined name, the input style, its default and a data
validation; labels, units, formats, notes and rules come from the core's input table, the
blocks from ``workbook_templates._spec``. Years after the horizon are greyed out.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS

from .. import _spec as spec
from . import parts
from .layout import COL_Y0, COL_Y1, COL_Y10, YEAR_COLUMNS
from .styles import BOLD, CENTER, GREY_FILL, NOTE_FONT
from .validation import data_validation, input_validation

__all__ = ["build"]

#: The heading row of the block of other benefits.
_BENEFIT_HEADING = "Benefits as entered (no ramp), one row each"
#: The note below a block of lines: how to add a line so that it counts.
_BLOCK_NOTE = (
    "To add a {what} line: fill a spare row (rename its label), or unprotect the sheet "
    "(Review > Unprotect Sheet) and insert a row anywhere between '{first}' and the total."
)


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Inputs sheet: every input in its block, with its label, unit, default, note,
    defined name and data validation."""
    parts.title(
        ws,
        "Inputs",
        "Fill in the yellow cells; hover over a cell for what it accepts. "
        "Amounts are in the currency chosen below.",
    )
    sheet = spec.SHEET_INPUTS

    def single(row: int, item: spec.SheetInput) -> None:
        ws.cell(row=row, column=1, value=item.label)
        parts.unit(ws, row, item.unit)
        parts.set_input(ws, f"{COL_Y0}{row}", spec.shown_default(item), item.number_format)
        if item.note:
            ws.cell(row=row, column=4, value=item.note).font = NOTE_FONT
        parts.define(wb, item.name, parts.ref(sheet, COL_Y0, row))
        validation = input_validation(item)
        validation.add(f"{COL_Y0}{row}")
        ws.add_data_validation(validation)

    def per_year(row: int, item: spec.SheetInput, columns: Sequence[str]) -> None:
        ws.cell(row=row, column=1, value=item.label)
        parts.unit(ws, row, item.unit)
        for column, value in zip(columns, spec.shown_default(item), strict=True):
            parts.set_input(ws, f"{column}{row}", value, item.number_format)
        parts.define(wb, item.name, parts.ref(sheet, columns[0], row, columns[-1]))
        validation = input_validation(item)
        validation.add(f"{columns[0]}{row}:{columns[-1]}{row}")
        ws.add_data_validation(validation)

    def spare(row: int, block: spec.LineBlock, columns: Sequence[str]) -> None:
        """A spare row at the end of a block: an editable label and empty amounts."""
        label = ws.cell(row=row, column=1)
        parts.set_input(ws, label.coordinate, block.spare_label, FORMATS.general)
        label_validation.add(label.coordinate)
        rule = spec.INPUTS_BY_NAME[block.rule]
        parts.unit(ws, row, rule.unit)
        for column in columns:
            parts.set_input(ws, f"{column}{row}", None, rule.number_format)
        validation = input_validation(rule)
        validation.add(f"{columns[0]}{row}:{columns[-1]}{row}")
        ws.add_data_validation(validation)

    label_validation = data_validation(
        "text",
        None,
        100,
        allow_blank=True,
        title="Label of the line",
        expected="a label for the line (text, up to 100 characters)",
    )
    ws.add_data_validation(label_validation)

    def total_row(row: int, block: spec.LineBlock, label: str, first: int) -> None:
        """The total of a block: every row from its first down to the row above the total
        (sized by OFFSET from the total's own row, so that a row inserted just above the
        total counts too)."""
        ws.cell(row=row, column=1, value=label).font = BOLD
        parts.unit(ws, row, "currency")
        columns = YEAR_COLUMNS[-block.spec.cells :]
        for column in columns:
            cell = ws[f"{column}{row}"]
            cell.value = f"=SUM(OFFSET({column}{first},0,0,ROW()-ROW({column}{first}),1))"
            cell.number_format = FORMATS.money
            cell.font = BOLD
        parts.define(wb, block.total_name, parts.ref(sheet, columns[0], row, columns[-1]))

    def block_header(row: int, title: str) -> None:
        parts.header(ws, row, [(1, title), (2, "Unit"), (3, "Value"), (4, "Notes")])

    row = 4
    block_header(row, spec.GENERAL_BLOCK.title)
    for item in spec.GENERAL_BLOCK.inputs:
        row += 1
        single(row, item)
        if item.name == "HorizonYears":
            # Conditional formats refer to the cell: LibreOffice 7.4 does not resolve a
            # defined name in a conditional format of an .xlsx file.
            horizon = f"${COL_Y0}${row}"

    # Costs: years 0..10.
    row += 2
    cost_header = row
    parts.year_header(ws, row, spec.COST_BLOCK.title)
    # The block starts with the calendar years (text, which no sum counts), so that a row
    # inserted above the first cost line is inside it.
    row += 1
    first_cost = row
    ws.cell(row=row, column=1, value="Calendar year").font = NOTE_FONT
    for column in YEAR_COLUMNS:
        cell = ws[f"{column}{row}"]
        cell.value = f'=IF(ISNUMBER(FirstYear),""&(FirstYear+{column}${cost_header}),"")'
        cell.font = NOTE_FONT
        cell.alignment = CENTER
    for item in spec.COST_BLOCK.inputs:
        row += 1
        per_year(row, item, YEAR_COLUMNS)
    for _ in range(spec.COST_LINE_BLOCK.spare_rows):
        row += 1
        spare(row, spec.COST_LINE_BLOCK, YEAR_COLUMNS)
    parts.define(
        wb, spec.COST_LINE_BLOCK.name, f"{parts.ref(sheet, COL_Y0, first_cost)}:${COL_Y10}${row}"
    )
    row += 1
    total_row(row, spec.COST_LINE_BLOCK, "Total costs (before contingency)", first_cost)
    ws.conditional_formatting.add(
        f"{COL_Y0}{first_cost}:{COL_Y10}{row}",
        FormulaRule(formula=[f"{COL_Y0}${cost_header}>{horizon}"], fill=GREY_FILL),
    )
    row += 1
    note = _BLOCK_NOTE.format(what="cost", first="Calendar year")
    ws.cell(row=row, column=1, value=note).font = NOTE_FONT

    # Per-year benefit drivers: years 1..10; other benefits and its spare rows form a block
    # that starts with a heading row, so that a row inserted above Other benefits is inside.
    row += 2
    driver_header = row
    parts.year_header(ws, row, spec.PER_YEAR_BLOCK.title)
    first_driver = row + 1

    def impl(row: int) -> None:
        ws[f"{COL_Y0}{row}"] = "(impl.)"
        ws[f"{COL_Y0}{row}"].font = NOTE_FONT
        ws[f"{COL_Y0}{row}"].alignment = CENTER

    for item in spec.PER_YEAR_BLOCK.inputs:
        row += 1
        if item.name == spec.BENEFIT_LINE_BLOCK.named[0]:
            first_other = row
            ws.cell(row=row, column=1, value=_BENEFIT_HEADING)
            ws.cell(row=row, column=1).font = NOTE_FONT
            row += 1
        impl(row)
        per_year(row, item, YEAR_COLUMNS[1:])
    for _ in range(spec.BENEFIT_LINE_BLOCK.spare_rows):
        row += 1
        impl(row)
        spare(row, spec.BENEFIT_LINE_BLOCK, YEAR_COLUMNS[1:])
    parts.define(
        wb,
        spec.BENEFIT_LINE_BLOCK.name,
        f"{parts.ref(sheet, COL_Y1, first_other)}:${COL_Y10}${row}",
    )
    row += 1
    total_row(row, spec.BENEFIT_LINE_BLOCK, "Total other benefits", first_other)
    ws.conditional_formatting.add(
        f"{COL_Y1}{first_driver}:{COL_Y10}{row}",
        FormulaRule(formula=[f"{COL_Y1}${driver_header}>{horizon}"], fill=GREY_FILL),
    )
    row += 1
    note = _BLOCK_NOTE.format(what="benefit", first=_BENEFIT_HEADING)
    ws.cell(row=row, column=1, value=note).font = NOTE_FONT

    for block in spec.DRIVER_BLOCKS:
        row += 2
        block_header(row, block.title)
        for item in block.inputs:
            row += 1
            single(row, item)

    parts.finish(ws, freeze="C3", widths={"A": 46, "B": 11, **dict.fromkeys(YEAR_COLUMNS, 12.5)})
