"""The Start sheet: what the workbook is, how to fill it and how to enable the add-in."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import parts
from .styles import SECTION_FONT

__all__ = ["build"]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the Start sheet, wrapped to one line of text a row; a ``heading``
    starts a section (bold, a blank row above)."""

    text: str
    heading: bool = False


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Start sheet: what the workbook is, how to fill it, how to enable the add-in."""
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
            "Every result is shown twice: computed by the crmvalue add-in function and by a "
            "native Excel formula. The Agreement column says OK when both agree.",
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
            "amounts. Years after the horizon are greyed out and ignored.",
        ),
        Paragraph(
            "4. Benefit drivers: the adoption ramp per year, other benefits per year, and the "
            "drivers of retention, cross-sell, acquisition, sales productivity and service. "
            "Leave a driver blank (0) when it does not apply. Benefits start in year 1.",
        ),
        Paragraph(
            "5. Read the Results sheet. The Customer metrics sheet computes NPS, CSAT, churn, "
            "CAC, CLV and a customer classification from data you paste in.",
        ),
        Paragraph(
            "Hover over an input cell for what it accepts; a value outside the allowed range "
            "is refused. Type percentages with a % sign (10%) or as decimals (0.1).",
        ),
        Paragraph(
            "How to enable the add-in (until then the add-in cells show #NAME?)", heading=True
        ),
        Paragraph(
            "1. Install Python and crmvalue (pip install crmvalue), then the xlwings Excel "
            "add-in (xlwings addin install). In Excel: File > Options > Trust Center > Trust "
            "Center Settings > Macro Settings, tick 'Trust access to the VBA project object "
            "model'.",
        ),
        Paragraph(
            "2. Open this workbook and save it as a macro-enabled workbook (.xlsm). Its sheet "
            "xlwings.conf already sets 'UDF Modules' to addin.udfs.",
        ),
        Paragraph(
            "3. On the xlwings ribbon tab click 'Import Functions', then press Ctrl+Alt+F9 to "
            "recalculate. The Agreement column of the Results sheet should now say OK.",
        ),
        Paragraph(
            "Without Excel: crmvalue appraise FILE.xlsx reads this workbook by its defined "
            "names and prints the same appraisal.",
        ),
        Paragraph("Sheets", heading=True),
        Paragraph(
            "Inputs: everything you enter (each input has a defined name, e.g. DiscountRate)."
        ),
        Paragraph("Calculation: the model year by year (formulas only)."),
        Paragraph("Results: the metrics, the present value of each driver, and two charts."),
        Paragraph("Customer metrics: survey, churn, acquisition and lifetime value metrics."),
        Paragraph("xlwings.conf: the add-in settings read by xlwings."),
    ]
    # One line of text a row (no wrapped cells: their height is not adjusted on load).
    row = 3
    for paragraph in paragraphs:
        row += 2 if paragraph.heading and row > 3 else 1
        text = paragraph.text
        for part in textwrap.wrap(
            text, width=110, subsequent_indent="   " if text[0].isdigit() else ""
        ):
            cell = ws.cell(row=row, column=1, value=part)
            if paragraph.heading:
                cell.font = SECTION_FONT
            row += 1
        row -= 1
    parts.finish(ws, freeze=None, widths={"A": 105})
