"""The looks of the template: fonts, fills, alignments and the one input cell style.

Every sheet module takes its styles from here, so a colour is changed in one place.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

__all__ = [
    "BAD_FILL",
    "BOLD",
    "CENTER",
    "CHECK_FILL",
    "GREY_FILL",
    "HEADER_FILL",
    "HEADER_FONT",
    "INPUT_STYLE",
    "LEFT",
    "NOTE_FONT",
    "OK_FILL",
    "RESULT_FILL",
    "RIGHT",
    "SECTION_FONT",
    "TITLE_FONT",
    "YEAR_HEADER_FORMAT",
    "input_style",
]

#: The name of the one cell style every input cell carries.
INPUT_STYLE = "CRM input"

TITLE_FONT = Font(bold=True, size=14, color="1F3864")
SECTION_FONT = Font(bold=True, size=11, color="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
#: The fill of a result (a native formula every Excel computes).
RESULT_FILL = PatternFill("solid", fgColor="E2EFDA")
#: The fill of an add-in cross-check beside a result.
CHECK_FILL = PatternFill("solid", fgColor="DDEBF7")
# Fills of conditional formats give both colours: Excel reads a solid differential fill's
# background colour, LibreOffice its foreground colour.
GREY_FILL = PatternFill("solid", fgColor="D9D9D9", bgColor="D9D9D9")
OK_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
CENTER = Alignment(horizontal="center")
RIGHT = Alignment(horizontal="right")
LEFT = Alignment(horizontal="left")
#: The number format of a year header cell: 3 shows as "Year 3".
YEAR_HEADER_FORMAT = '"Year "0'


def input_style() -> NamedStyle:
    """The named style of every input cell: light yellow, blue text, unlocked."""
    edge = Side(style="thin", color="BF9000")
    return NamedStyle(
        name=INPUT_STYLE,
        font=Font(color="1F4E79"),
        fill=PatternFill("solid", fgColor="FFF2CC"),
        border=Border(left=edge, right=edge, top=edge, bottom=edge),
        protection=Protection(locked=False),
    )
