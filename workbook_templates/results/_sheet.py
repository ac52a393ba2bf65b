"""The printed sheet of the results workbook: its columns, its styles and a writer that
places one block under the other.

Columns: A the label, B the unit, C..M the values (years 0..10 in the year table; one
value and a note in the other blocks). Every value is written as a value with the number
format of its kind; text from the user is written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.currencies import CURRENCY_SIGNS

#: The columns: label, unit, then the values (C = year 0 .. M = year 10).
LABEL_COLUMN, UNIT_COLUMN, FIRST_VALUE_COLUMN, LAST_COLUMN = 1, 2, 3, 13
WIDTHS = {LABEL_COLUMN: 52, UNIT_COLUMN: 10}
VALUE_WIDTH = 12.5

TITLE_FONT = Font(bold=True, size=14, color="1F3864")
SECTION_FONT = Font(bold=True, size=12, color="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
RED = Font(bold=True, color="C00000")
_RULE = Border(top=Side(style="thin", color="808080"))

#: The number format of each kind of number the report shows.
NUMBER_FORMATS: dict[str, str] = {
    "money": FORMATS.money,
    "percent": FORMATS.percent,
    "percent2": FORMATS.percent2,
    "years": "0.00",
    "ratio": "0.00",
    "share": FORMATS.percent0,
    "count": FORMATS.whole,
    "number": FORMATS.number,
    "year": FORMATS.year,
}


def money_format(number_format: str, currency: str) -> str:
    """``number_format`` (an amount format of the template) with the sign of ``currency``.

    The sign goes before or after the number as the currency writes it; a currency without
    a sign in common use keeps the plain format (its code is in the unit column). Formats
    that are not amounts come back unchanged.

    Example: ``money_format(FORMATS.money, "CNY")`` is ``'"¥"#,##0;[Red]-"¥"#,##0'``.
    """
    if number_format not in (FORMATS.money, FORMATS.money2) or currency not in CURRENCY_SIGNS:
        return number_format
    sign, side = CURRENCY_SIGNS[currency]
    quoted = '"' + sign + '"' if side == "before" else '" ' + sign + '"'
    sections = number_format.split(";")
    signed = []
    for section in sections:
        colour = section[: section.index("]") + 1] if section.startswith("[") else ""
        body = section[len(colour) :]
        minus = "-" if body.startswith("-") else ""
        digits = body[len(minus) :]
        signed.append(colour + minus + (quoted + digits if side == "before" else digits + quoted))
    return ";".join(signed)


def sign_amounts(worksheet: Worksheet, currency: str) -> None:
    """Give every amount cell of ``worksheet`` the sign of ``currency`` (see
    :func:`money_format`)."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.number_format in (FORMATS.money, FORMATS.money2):
                cell.number_format = money_format(cell.number_format, currency)


def text(cell: Any, value: str) -> None:
    """Write ``value`` (user text included) as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"


@dataclass
class SheetWriter:
    """Writes the blocks of the printed sheet one under the other from row ``row``.

    Example: ``w.section("Metrics")`` writes a section title in column A and moves down;
    ``w.header(["Metric", "Unit", "Value"])`` a dark header row.
    """

    ws: Worksheet
    row: int = 1
    last_column: int = LAST_COLUMN
    breaks: list[int] = field(default_factory=list)

    def skip(self, rows: int = 1) -> None:
        """Leave ``rows`` blank rows."""
        self.row += rows

    def page_break(self) -> None:
        """Start the next block on a new page."""
        self.breaks.append(self.row - 1)
        self.ws.row_breaks.append(Break(id=self.row - 1))

    def section(self, title: str, note: str = "") -> None:
        """A section title (and a note in italics under it) with a blank row above."""
        if self.row > 1 and self.row - 1 not in self.breaks:
            self.skip()
        text(self.ws.cell(self.row, LABEL_COLUMN), title)
        self.ws.cell(self.row, LABEL_COLUMN).font = SECTION_FONT
        self.row += 1
        if note:
            self.note(note)

    def note(self, words: str, font: Font = NOTE_FONT) -> None:
        """One line of words across the sheet, wrapped."""
        cell = self.ws.cell(self.row, LABEL_COLUMN)
        text(cell, words)
        cell.font = font
        self.merge_wrapped(LABEL_COLUMN, self.last_column, len(words))
        self.row += 1

    def merge_wrapped(self, first: int, last: int, length: int) -> None:
        """Merge columns ``first..last`` of the current row and wrap its text; the row is
        made tall enough for ``length`` characters."""
        cell = self.ws.cell(self.row, first)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if last > first:
            self.ws.merge_cells(
                start_row=self.row, start_column=first, end_row=self.row, end_column=last
            )
        width = sum(self.width(column) for column in range(first, last + 1))
        lines = 1 + int(length * 1.1) // max(1, int(width))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = 15 * lines

    def width(self, column: int) -> float:
        """The width of ``column`` in characters."""
        return WIDTHS.get(column, VALUE_WIDTH)

    def header(self, labels: Sequence[str], *, first_column: int = LABEL_COLUMN) -> None:
        """A dark header row of ``labels`` from ``first_column``."""
        for column, label in enumerate(labels, start=first_column):
            cell = self.ws.cell(self.row, column)
            text(cell, label)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(
                horizontal="left" if column <= UNIT_COLUMN else "right",
                vertical="top",
                wrap_text=True,
            )
        lines = max(
            1 + int(len(label) * 1.15) // int(self.width(column))
            for column, label in enumerate(labels, start=first_column)
        )
        if lines > 1:
            self.ws.row_dimensions[self.row].height = 15 * lines
        self.row += 1

    def line(
        self,
        label: str,
        unit: str,
        values: Sequence[Any],
        number_format: str,
        *,
        bold: bool = False,
        rule: bool = False,
        align: str = "right",
    ) -> int:
        """One row: ``label`` in A, ``unit`` in B, ``values`` from C (a number with
        ``number_format``, text as text, None blank); returns its row."""
        row = self.row
        label_cell = self.ws.cell(row, LABEL_COLUMN)
        text(label_cell, label)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        text(self.ws.cell(row, UNIT_COLUMN), unit)
        for column, value in enumerate(values, start=FIRST_VALUE_COLUMN):
            cell = self.ws.cell(row, column)
            if isinstance(value, str):
                text(cell, value)
                cell.alignment = Alignment(horizontal=align)
            elif value is not None:
                cell.value = value
                cell.number_format = number_format
        if bold or rule:
            for column in range(LABEL_COLUMN, FIRST_VALUE_COLUMN + max(1, len(values))):
                cell = self.ws.cell(row, column)
                if bold:
                    cell.font = BOLD
                if rule:
                    cell.border = _RULE
        if len(label) > WIDTHS[LABEL_COLUMN]:
            self.ws.row_dimensions[row].height = 15 * (1 + len(label) // WIDTHS[LABEL_COLUMN])
        self.row += 1
        return row

    def set_widths(self) -> None:
        """Set the widths of every column of the sheet."""
        for column in range(LABEL_COLUMN, LAST_COLUMN + 1):
            self.ws.column_dimensions[get_column_letter(column)].width = self.width(column)
