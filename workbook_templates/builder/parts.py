"""The small parts every sheet of the template is made of.

Titles, header rows, unit cells, input cells, the rows that put an add-in cross-check
beside a native result, references and defined names, and the page setup and protection that
finish a sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
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
    RIGHT,
    TITLE_FONT,
    YEAR_HEADER_FORMAT,
)

__all__ = [
    "AGREES",
    "DIFFERS",
    "NOT_ENABLED",
    "addin_formula",
    "agreement_formula",
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


#: What an add-in cell shows when the crmvalue functions are not there (Excel's #NAME?).
NOT_ENABLED = "add-in not enabled"
#: The verdicts of an agreement cell; :func:`flag_formatting` colours the first two.
AGREES, DIFFERS = "agrees", "differs"


def addin_formula(expression: str, probe: str | None = None) -> str:
    """A formula (with ``=``) that computes ``expression`` (an add-in call, no ``=``) and
    shows :data:`NOT_ENABLED` instead of ``#NAME?`` where the function is unknown.

    Every Excel and LibreOffice computes it: ``IFERROR`` keeps a value, and an error other
    than ``#NAME?`` (``ERROR.TYPE`` 5) stays the error it is. ``probe`` is the bare add-in
    call whose error type is tested when ``expression`` wraps it (LibreOffice's ``INDEX``
    of a ``#NAME?`` is ``#N/A``); by default ``expression`` itself. The add-in is called
    once when it gives a value::

        addin_formula("NPV_CRM(0.1,A1:A5)")
        == '=IFERROR(NPV_CRM(0.1,A1:A5),IF(ERROR.TYPE(NPV_CRM(0.1,A1:A5))=5,'
           '"add-in not enabled",NPV_CRM(0.1,A1:A5)))'
    """
    test = probe or expression
    return f'=IFERROR({expression},IF(ERROR.TYPE({test})=5,"{NOT_ENABLED}",{expression}))'


def agreement_formula(result: str, addin: str, tolerance: float = 1e-9) -> str:
    """The verdict on an add-in cross-check ``addin`` of the native result ``result``.

    ``agrees`` when both are numbers within ``tolerance`` relative to max(1, |result|),
    ``differs`` when not; ``agrees (both undefined)`` when neither has a number (the
    add-in's message says why); ``add-in undefined`` / ``native undefined`` when only one
    has; ``not checked`` while the add-in is not enabled; ``add-in error`` for an error
    value in the add-in cell; blank when both are blank. For example
    ``agreement_formula("B6", "D6")`` in a row with B6 = 100 and D6 = 100.0000000001 gives
    ``agrees``.
    """
    r, a, tol = result, addin, f"{tolerance:.0E}"
    return (
        f'=IF(ISERROR({a}),"add-in error",IF({a}="{NOT_ENABLED}","not checked",'
        f"IF(ISNUMBER({a}),IF(ISNUMBER({r}),"
        f'IF(ABS({a}-{r})<={tol}*MAX(1,ABS({r})),"{AGREES}","{DIFFERS}"),"native undefined"),'
        f'IF(ISNUMBER({r}),"add-in undefined",IF(ISERROR({r}),"agrees (both undefined)",'
        f'IF(AND({a}="",{r}=""),"","agrees (both undefined)"))))))'
    )


def compare_row(
    ws: Worksheet,
    row: int,
    label: str,
    native: str,
    addin: str,
    number_format: str,
    *,
    columns: tuple[int, int, int],
    tolerance: float = 1e-9,
    probe: str | None = None,
) -> None:
    """A label (A), the native result, the add-in cross-check and their agreement.

    ``native`` is a formula (with ``=``) every Excel computes; ``addin`` the add-in
    expression (no ``=``), wrapped by :func:`addin_formula`; ``columns`` the column numbers
    of the result, the cross-check and the agreement; ``tolerance`` the relative tolerance
    of the agreement (:func:`agreement_formula`); ``probe`` as for :func:`addin_formula`.
    """
    value, check, verdict = columns
    ws.cell(row=row, column=1, value=label)
    cell = ws.cell(row=row, column=value, value=native)
    cell.number_format, cell.fill = number_format, RESULT_FILL
    cell = ws.cell(row=row, column=check, value=addin_formula(addin, probe))
    cell.number_format, cell.fill = number_format, CHECK_FILL
    cell.alignment = RIGHT
    result_ref = f"{get_column_letter(value)}{row}"
    addin_ref = f"{get_column_letter(check)}{row}"
    formula = agreement_formula(result_ref, addin_ref, tolerance)
    ws.cell(row=row, column=verdict, value=formula).alignment = CENTER


def flag_formatting(ws: Worksheet, cells: str) -> None:
    """Green for "agrees", red for "differs" in the agreement cells ``cells``."""
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[f'"{AGREES}"'], fill=OK_FILL)
    )
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=[f'"{DIFFERS}"'], fill=BAD_FILL)
    )
