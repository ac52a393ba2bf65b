"""The small parts every sheet of the template is made of.

Titles, header rows, unit cells, input cells, the rows that compare an add-in result with
a native Excel check, references and defined names, and the page setup and protection that
finish a sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from .layout import YEAR_COLUMNS
from .styles import (
    BAD_FILL,
    CENTER,
    CHECK_FILL,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_STYLE,
    NOTE_FONT,
    OK_FILL,
    RESULT_FILL,
    TITLE_FONT,
    YEAR_HEADER_FORMAT,
)

__all__ = [
    "AGREEMENT_FLAG",
    "compare_row",
    "define",
    "finish",
    "flag_formatting",
    "header",
    "ref",
    "set_input",
    "title",
    "unit",
    "year_header",
]


def ref(sheet: str, column: str, row: int, last_column: str | None = None) -> str:
    """An absolute reference such as ``Inputs!$C$5`` or ``Inputs!$C$17:$M$17``."""
    text = f"{quote_sheetname(sheet)}!${column}${row}"
    return text + (f":${last_column}${row}" if last_column else "")


def define(wb: Workbook, name: str, destination: str) -> None:
    """A workbook-scoped defined name."""
    wb.defined_names[name] = DefinedName(name, attr_text=destination)


def title(ws: Worksheet, text: str, subtitle: str) -> None:
    """The sheet's title in A1 and a one-line subtitle in A2."""
    ws["A1"] = text
    ws["A1"].font = TITLE_FONT
    ws["A2"] = subtitle
    ws["A2"].font = NOTE_FONT


def header(ws: Worksheet, row: int, labels: Sequence[tuple[int, Any]]) -> None:
    """A dark header row: ``labels`` are (column number, value)."""
    for column, value in labels:
        cell = ws.cell(row=row, column=column, value=value)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center" if column > 2 else "left")


def year_header(ws: Worksheet, row: int, first_label: str) -> None:
    """A header row whose C..M cells hold the year numbers 0..10 (shown as "Year n")."""
    header(ws, row, [(1, first_label), (2, "Unit")])
    for year, column in enumerate(YEAR_COLUMNS):
        cell = ws[f"{column}{row}"]
        cell.value = year
        cell.number_format = YEAR_HEADER_FORMAT
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER


def unit(ws: Worksheet, row: int, text: str, column: int = 2) -> None:
    """The unit cell of a row (column B unless given): the chosen currency (a formula) for
    ``"currency"``, else the word itself; nothing for ``""``."""
    if text:
        ws.cell(row=row, column=column, value='=""&Currency' if text == "currency" else text)


def set_input(ws: Worksheet, coordinate: str, value: Any, number_format: str) -> None:
    """Make ``coordinate`` an input cell: the input style, a number format, a value."""
    cell = ws[coordinate]
    cell.style = INPUT_STYLE
    cell.number_format = number_format
    if value is not None:
        cell.value = value


def finish(ws: Worksheet, *, freeze: str | None, widths: dict[str, float]) -> None:
    """Freeze panes, column widths, landscape, one page wide, protection (no password)."""
    if freeze:
        ws.freeze_panes = freeze
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True  # no password: Review > Unprotect Sheet


#: The flag of a row that compares the add-in cell B with the native cell C (tolerance in E,
#: relative to max(1, |C|)): OK, DIFFERENT (both numbers, not equal), "add-in undefined"
#: (the add-in's message in B says why), "check undefined" (e.g. Excel's IRR did not
#: converge), "both undefined", "add-in not enabled" (#NAME?), or blank when both are blank.
AGREEMENT_FLAG = (
    '=IF(ISERROR(B{r}),IF(ERROR.TYPE(B{r})=5,"add-in not enabled",'
    'IF(ISNUMBER(C{r}),"add-in undefined","both undefined")),'
    'IF(AND(ISNUMBER(B{r}),ISNUMBER(C{r})),IF(ABS(B{r}-C{r})<=E{r}*MAX(1,ABS(C{r})),"OK",'
    '"DIFFERENT"),IF(ISNUMBER(B{r}),"check undefined",IF(ISNUMBER(C{r}),"add-in undefined",'
    'IF(ISERROR(C{r}),"both undefined",IF(AND(B{r}="",C{r}=""),"","both undefined"))))))'
)


def compare_row(
    ws: Worksheet,
    row: int,
    label: str,
    addin: str,
    native: str,
    number_format: str,
    tolerance: float = 1e-9,
) -> None:
    """A label, the add-in formula (B), the native check (C), the flag (D), tolerance (E)."""
    ws.cell(row=row, column=1, value=label)
    cell = ws.cell(row=row, column=2, value=addin)
    cell.number_format, cell.fill = number_format, RESULT_FILL
    cell = ws.cell(row=row, column=3, value=native)
    cell.number_format, cell.fill = number_format, CHECK_FILL
    ws.cell(row=row, column=4, value=AGREEMENT_FLAG.format(r=row)).alignment = CENTER
    ws.cell(row=row, column=5, value=tolerance).number_format = "0E+0"


def flag_formatting(ws: Worksheet, cells: str) -> None:
    """Green for OK, red for DIFFERENT in the agreement flags ``cells``."""
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=['"OK"'], fill=OK_FILL)
    )
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=['"DIFFERENT"'], fill=BAD_FILL)
    )
