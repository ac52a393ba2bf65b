"""The Start sheet: what the workbook is, how to fill it and how to enable the add-in."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..language import display_width
from ..language import text as language_text
from . import parts
from .styles import SECTION_FONT

__all__ = ["build"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the Start sheet, wrapped to one line of text a row; a ``heading``
    starts a section (bold, a blank row above)."""

    text: str
    heading: bool = False


def build(wb: Workbook, ws: Worksheet, language: str = "en") -> None:
    """The Start sheet: what the workbook is, how to fill it, how to enable the add-in.

    In another ``language`` each paragraph is translated whole
    (:func:`workbook_templates.language.text`) and then cut into lines.
    """
    parts.title(
        ws,
        "CRM investment appraisal",
        "A crmvalue template: what a CRM costs, what it brings, and whether it pays.",
    )
    paragraphs = [
        Paragraph("What this is", heading=True),
        Paragraph(
            "This workbook appraises an investment in a CRM system. You enter what the CRM "
            "costs, year by year, and what it is expected to bring, driver by driver. The "
            "Calculation sheet turns this into yearly benefits, costs and net cash flows with "
            "plain formulas that anyone can audit; the Results sheet shows NPV, IRR, MIRR, "
            "ROI, payback, discounted payback and the profitability index.",
        ),
        Paragraph(
            "Every result is a native Excel formula, so the workbook works in any Excel, with "
            "or without the crmvalue add-in. Once the add-in is enabled, the column 'Add-in "
            "cross-check' beside each result computes it again with the crmvalue function and "
            "the Agreement column says 'agrees' (or 'differs'); until then it says 'add-in not "
            "enabled'.",
        ),
        Paragraph("How to fill it", heading=True),
        Paragraph(
            "1. Go to the Inputs sheet. Only the yellow cells can be changed; every other "
            "cell is locked (the sheets are protected without a password).",
        ),
        Paragraph(
            "2. General: case name, currency, first year, horizon (1 to 10 years), discount "
            "rate, the MIRR rates (blank = the discount rate), benefit risk adjustment and "
            "cost contingency.",
        ),
        Paragraph(
            "3. Costs: one row per cost line, year 0 (implementation) to year 10, as positive "
            "amounts. Years after the horizon are greyed out and ignored. Need another line? "
            "Use a spare 'Other cost line' row (rename its label), or unprotect the sheet and "
            "insert a row anywhere inside the cost block: the block's total, the Calculation "
            "sheet and crmvalue appraise all include it. The same holds for the block of "
            "other benefits.",
        ),
        Paragraph(
            "4. Benefit drivers: the adoption ramp per year, other benefits per year, and the "
            "drivers of retention, cross-sell, acquisition, sales productivity and service. "
            "Leave a driver blank (0) when it does not apply. Benefits start in year 1.",
        ),
        Paragraph(
            "5. Optional, on the Scenarios sheet: a low and a high value beside any benefit "
            "driver or cost line you are unsure of (blank = the base). The sheet shows the "
            "NPV of five scenarios and which input moves the NPV most (the tornado table).",
        ),
        Paragraph(
            "6. Read the Results sheet. The Customer metrics sheet computes NPS, CSAT, churn, "
            "CAC, CLV and a customer classification from data you paste in.",
        ),
        Paragraph(
            "Hover over an input cell for what it accepts; a value outside the allowed range "
            "is refused. Type percentages with a % sign (10%) or as decimals (0.1): a 1 "
            "typed in a percentage cell is 100%.",
        ),
        Paragraph(
            "crmvalue appraise refuses a workbook with no cost and no benefit, and one whose "
            "saved results no longer follow from its inputs (a formula overwritten, or a row "
            "inserted outside the input blocks). It warns, without changing any number, of "
            "values that look like a slip: a rate or share of exactly 100%, a discount rate "
            "above 30%, a churn reduction above half the churn, an amount above 10^12 "
            "(see docs/template.md, Warnings).",
        ),
        Paragraph("Enabling the add-in in Windows desktop Excel (classic xlwings)", heading=True),
        Paragraph(
            "The results do not need it: the add-in only adds the cross-check column and "
            "the customer classification (CUSTOMER_SEGMENT). In the order you do them:",
        ),
        Paragraph(
            "1. Install Python, then in a command prompt: pip install xlwings crmvalue",
        ),
        Paragraph(
            "2. Install the xlwings Excel add-in: xlwings addin install (again after every "
            "upgrade of xlwings). Restart Excel: the ribbon gets an xlwings tab.",
        ),
        Paragraph(
            "3. In Excel: File > Options > Trust Center > Trust Center Settings > Macro "
            "Settings, tick 'Trust access to the VBA project object model'.",
        ),
        Paragraph(
            "4. Open this workbook and save it as a macro-enabled workbook (.xlsm). Its sheet "
            "xlwings.conf already sets 'UDF Modules' to addin.udfs.",
        ),
        Paragraph(
            "5. Open the VBA editor (Alt+F11), Tools > References, tick 'xlwings' and click OK; "
            "close the editor.",
        ),
        Paragraph(
            "6. If your xlwings settings (the file .xlwings\\xlwings.conf in your user folder) "
            "point to another Python, or Python is not found: on the xlwings tab set "
            "'Interpreter' to the python.exe of step 1 (or add a row 'Interpreter_Win' with "
            "that path to the sheet xlwings.conf of this workbook).",
        ),
        Paragraph(
            "7. On the xlwings tab click 'Import Functions'. Then press Ctrl+Alt+F9: formulas "
            "already in the workbook are recalculated only then. The Agreement column of the "
            "Results sheet should now say 'agrees'. Save the workbook.",
        ),
        Paragraph(
            "Enabling the add-in in Excel on the web, on the Mac or on Windows (xlwings Lite)",
            heading=True,
        ),
        Paragraph(
            "1. Home > Add-ins: search for 'xlwings Lite' and add it; it opens an editor pane "
            "with main.py and requirements.txt.",
        ),
        Paragraph(
            "2. In requirements.txt add the line crmvalue (keep the xlwings line). In main.py "
            "add this line:",
        ),
        Paragraph("      from addin.udfs import *"),
        Paragraph(
            "3. Restart xlwings Lite if it asks, then recalculate the formulas already in the "
            "workbook (Ctrl+Alt+F9 on Windows). The code is stored in the workbook: whoever "
            "opens it needs only the xlwings Lite add-in.",
        ),
        Paragraph("Without Excel", heading=True),
        Paragraph(
            "At a command line: crmvalue appraise FILE.xlsx reads this workbook by its defined "
            "names and prints the same appraisal.",
        ),
        Paragraph("Sheets", heading=True),
        Paragraph(
            "Inputs: everything you enter (each input has a defined name, e.g. DiscountRate)."
        ),
        Paragraph("Calculation: the model year by year (formulas only)."),
        Paragraph(
            "Results: the metrics (native formulas, names ResultNPV...), the add-in "
            "cross-check beside them, the present value of each driver, and two charts."
        ),
        Paragraph(
            "Scenarios: low and high values beside the base inputs; scenario NPVs and the "
            "sensitivity (tornado) table, in native formulas."
        ),
        Paragraph(
            "Customer metrics: survey, churn, acquisition and lifetime value metrics, each "
            "with its add-in cross-check, and a customer classification."
        ),
        Paragraph("xlwings.conf: the add-in settings read by xlwings."),
    ]
    # One line of text a row (no wrapped cells: their height is not adjusted on load).
    row = 3
    for paragraph in paragraphs:
        row += 2 if paragraph.heading and row > 3 else 1
        text = language_text(paragraph.text, language)
        for part in _lines(text, language):
            cell = ws.cell(row=row, column=1, value=part)
            if paragraph.heading:
                cell.font = SECTION_FONT
            row += 1
        row -= 1
    parts.finish(ws, freeze=None, widths={"A": 105})


#: Punctuation that must not start a line of Chinese text (it stays with the line above).
_NO_LINE_START = set("，。、；：？！）》」』”’%")
#: Punctuation that must not end a line (it moves to the next one).
_NO_LINE_END = set("（《「『“‘")


def _lines(text: str, language: str) -> list[str]:
    """``text`` cut into lines of the Start sheet, at most 110 characters wide; a numbered
    step's later lines are indented. English breaks at spaces; Chinese between any two
    characters, except inside a word of Latin letters (``xlwings.conf``), before closing
    punctuation (which may hang one character over) and after opening punctuation; a wide
    (CJK) character takes two columns."""
    indent = "   " if text[0].isdigit() else ""
    if language == "en":
        return textwrap.wrap(text, width=110, subsequent_indent=indent)
    tokens = re.findall(r"[\x21-\x7e]+|.", text)  # a run of Latin characters, or one char
    lines: list[str] = []
    line = ""
    for token in tokens:
        trial = line + token
        if display_width(trial) > 110 and line.strip() and token not in _NO_LINE_START:
            carried = ""
            while line and line[-1] in _NO_LINE_END:
                line, carried = line[:-1], line[-1] + carried
            lines.append(line.rstrip())
            line = indent + carried + token.lstrip()
        else:
            line = trial
    lines.append(line.rstrip())
    return lines
