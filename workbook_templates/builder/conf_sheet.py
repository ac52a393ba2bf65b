"""The xlwings.conf sheet: the settings xlwings reads from the workbook itself."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import parts
from .styles import NOTE_FONT

__all__ = ["build"]


def build(wb: Workbook, ws: Worksheet) -> None:
    """xlwings' settings sheet: keys in column A from A1 down, values in column B.

    xlwings reads A1 down to the first empty cell (``GetConfigFromSheet`` in xlwings.bas)
    and upper-cases the keys, so the keys start in A1 without a header; notes are in D.
    """
    ws["A1"] = "UDF Modules"
    ws["B1"] = "addin.udfs"
    notes = (
        "xlwings reads the settings of this workbook from this sheet: keys in column A from A1 "
        "down (no gaps), values in column B.",
        "'UDF Modules' = addin.udfs: the crmvalue functions that 'Import Functions' on the "
        "xlwings ribbon tab imports.",
        "To add a setting (e.g. Interpreter_Win, Conda Path, Conda Env), unprotect the sheet "
        "(Review > Unprotect Sheet, no password) and add it in the next row.",
    )
    for offset, text in enumerate(notes):
        ws.cell(row=1 + offset, column=4, value=text).font = NOTE_FONT
    parts.finish(ws, freeze=None, widths={"A": 18, "B": 18, "C": 4, "D": 100})
