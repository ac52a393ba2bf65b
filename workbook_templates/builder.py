"""Build the CRM appraisal template workbook (``crm_appraisal.xlsx``) with openpyxl.

The template is the product: finance staff fill the yellow input cells of the Inputs sheet;
the Calculation sheet computes the model of TEMPLATE.md year by year in plain formulas that
reference the defined names; the Results sheet shows every metric twice, once with the
crmvalue add-in function and once as a native Excel cross-check, with a flag when they
disagree. No number of the model is computed here: the workbook's formulas compute them,
and :mod:`crmvalue_core.appraisal` computes the same numbers in Python. What each input
accepts and its default come from :data:`crmvalue_core.appraisal.INPUTS`.

The build is deterministic (fixed document timestamps, fixed zip member dates), so a test
can assert that the committed ``crm_appraisal.xlsx`` is what this module makes. Regenerate
it with::

    python -m workbook_templates.builder            # writes workbook_templates/crm_appraisal.xlsx
    python -m workbook_templates.builder --out X.xlsx

Layout (year t of a model row is in column C + t, i.e. C = year 0 .. M = year 10):

* Inputs: A label, B unit, C value (single inputs, notes in D); cost lines C..M (years
  0..10); per-year drivers D..M (years 1..10).
* Calculation: the rates used in C5:C7; the year header in row :data:`CALC_YEAR_ROW`; one
  row per entry of :data:`CALCULATION_ROWS` (keys are the columns of
  ``AppraisalResult.years``).
* Results: one row per metric, the add-in formula in B (``Result...`` names), the native
  check in C (``Check...`` names), the agreement flag in D, the tolerance in E; the PV of
  each benefit driver in the rows of :data:`RESULTS_DRIVER_ROWS`; two charts below.
"""

from __future__ import annotations

import argparse
import datetime
import io
import math
import os
import sys
import textwrap
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.appraisal.labels import DRIVER_LABELS, SCENARIO_LABELS

from . import _spec as spec
from ._spec import SheetInput as InputName
from .errors import TemplateError
from .files import TEMPLATE_PATH, write_atomically

__all__ = [
    "CALCULATION_CELLS",
    "CALCULATION_ROWS",
    "CALC_YEAR_ROW",
    "INPUT_STYLE",
    "RANGE_ROWS",
    "RANGE_ROW_BLOCKS",
    "RESULTS_DRIVER_ROWS",
    "RESULT_ROWS",
    "SCENARIO_MODEL_ROWS",
    "SCENARIO_NPV_COLUMN",
    "SCENARIO_ROWS",
    "SENSITIVITY_ROWS",
    "TEMPLATE_PATH",
    "YEAR_COLUMNS",
    "TemplateError",
    "build_bytes",
    "build_workbook",
    "main",
    "workbook_bytes",
    "write_template",
]

#: The name of the one cell style every input cell carries.
INPUT_STYLE = "CRM input"

#: The fixed document timestamp and zip member date of every build.
BUILD_TIMESTAMP = datetime.datetime(2026, 1, 1, 0, 0, 0)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: Columns of years 0..10 on the Inputs and Calculation sheets (C = year 0 .. M = year 10).
FIRST_YEAR_COL = 3
YEAR_COLUMNS = tuple(get_column_letter(FIRST_YEAR_COL + year) for year in spec.MODEL_YEARS)
COL_Y0, COL_Y1, COL_Y10 = YEAR_COLUMNS[0], YEAR_COLUMNS[1], YEAR_COLUMNS[-1]

# ---------------------------------------------------------------------------------------------
# The Calculation sheet, row by row: (key, label, unit, formula, number format, year-0
# formula, bold). A formula is a template: {c} this column, {p} the previous column, {r} this
# row, {y} the year header row, {R_key} the row of another entry. None starts a section
# whose title is the label.

#: The row of the year numbers 0..10 on the Calculation sheet.
CALC_YEAR_ROW = 9
_CALC_RATE_ROWS = {"discount_rate": 5, "finance_rate": 6, "reinvest_rate": 7}

_COST_KEYS = tuple(f"cost_{line}" for line in core.COST_LINES)

_CALC_PLAN: tuple[tuple[Any, ...], ...] = (
    (
        "calendar_year",
        "Calendar year",
        "year",
        '=IF(ISNUMBER(FirstYear),FirstYear+{c}${y},"")',
        "0",
        None,
        False,
    ),
    ("in_case", "In the case (1 = year 0..horizon)", "flag", "=IF({c}${y}<=HorizonYears,1,0)"),
    (
        "benefit_year",
        "Benefit year (1 = year 1..horizon)",
        "flag",
        "=IF(AND({c}${y}>=1,{c}${y}<=HorizonYears),1,0)",
    ),
    (
        "adoption_ramp",
        "Adoption a_t (0 outside years 1..horizon)",
        "%",
        "=IF({c}${R_benefit_year}=1,INDEX(AdoptionRamp,1,{c}${y}),0)",
        "0%",
    ),
    (None, "Benefits before risk adjustment"),
    (
        "extra_customers",
        "Extra customers retained E_t",
        "customers",
        "=IF({c}${R_benefit_year}=1,{p}{r}*(1-ChurnBaseline)"
        "+CustomersActive*ChurnReduction*{c}${R_adoption_ramp},0)",
        "#,##0.00",
        "=0",
    ),
    (
        "retention",
        "Retention benefit (E_t x m)",
        "currency",
        "={c}{R_extra_customers}*MarginPerCustomer",
    ),
    (
        "cross_sell",
        "Cross-sell benefit (B x m x u x a_t)",
        "currency",
        "=CustomersActive*MarginPerCustomer*CrossSellUplift*{c}${R_adoption_ramp}",
    ),
    (
        "acquisition",
        "Acquisition benefit (N x CAC x k x a_t)",
        "currency",
        "=NewCustomersPerYear*AcquisitionCost*AcquisitionCostReduction*{c}${R_adoption_ramp}",
    ),
    (
        "productivity",
        "Productivity benefit (R x h x W x w x s x a_t)",
        "currency",
        "=SalesReps*HoursSavedPerWeek*WorkingWeeks*HourlyCost*ProductivityShare"
        "*{c}${R_adoption_ramp}",
    ),
    (
        "service",
        "Service benefit (C x q x v x a_t)",
        "currency",
        "=ServiceCases*CostPerCase*ServiceCostReduction*{c}${R_adoption_ramp}",
    ),
    (
        "other",
        "Other benefits (as entered)",
        "currency",
        "=IF({c}${R_benefit_year}=1,INDEX(OtherBenefits,1,{c}${y}),0)",
    ),
    (
        "gross_benefits",
        "Gross benefits",
        "currency",
        "=SUM({c}{R_retention}:{c}{R_other})",
        FORMATS.money,
        None,
        True,
    ),
    (
        "risk_adjustment",
        "Risk adjustment (deducted)",
        "currency",
        "={c}{R_gross_benefits}*BenefitRiskAdjustment",
    ),
    (
        "benefits",
        "Benefits (risk-adjusted)",
        "currency",
        "={c}{R_gross_benefits}*(1-BenefitRiskAdjustment)",
        FORMATS.money,
        None,
        True,
    ),
    (None, "Costs (0 after the horizon)"),
    *(
        (
            key,
            item.label,
            "currency",
            f"=IF({{c}}${{R_in_case}}=1,INDEX({item.name},1,{{c}}${{y}}+1),0)",
        )
        for key, item in zip(_COST_KEYS, spec.COST_LINES, strict=True)
    ),
    (
        "costs_before_contingency",
        "Costs before contingency",
        "currency",
        f"=SUM({{c}}{{R_{_COST_KEYS[0]}}}:{{c}}{{R_{_COST_KEYS[-1]}}})",
    ),
    (
        "contingency",
        "Contingency",
        "currency",
        "={c}{R_costs_before_contingency}*CostContingency",
    ),
    (
        "costs",
        "Costs (with contingency)",
        "currency",
        "={c}{R_costs_before_contingency}*(1+CostContingency)",
        FORMATS.money,
        None,
        True,
    ),
    (None, "Cash flow"),
    (
        "net",
        "Net cash flow",
        "currency",
        "={c}{R_benefits}-{c}{R_costs}",
        FORMATS.money,
        None,
        True,
    ),
    (
        "cumulative_net",
        "Cumulative net cash flow",
        "currency",
        "={p}{r}+{c}{R_net}",
        FORMATS.money,
        "={c}{R_net}",
    ),
    (
        "discount_factor",
        "Discount factor 1/(1+r)^t",
        "factor",
        "=1/(1+DiscountRate)^{c}${y}",
        "0.000000",
    ),
    ("pv_net", "Discounted net cash flow", "currency", "={c}{R_net}*{c}{R_discount_factor}"),
    (
        "cumulative_pv",
        "Cumulative discounted net cash flow",
        "currency",
        "={p}{r}+{c}{R_pv_net}",
        FORMATS.money,
        "={c}{R_pv_net}",
    ),
    (None, "Payback helpers: year t when the cumulative is negative in year t, else -1"),
    (
        "negative_cumulative_net",
        "Cumulative net negative",
        "year",
        "=IF(AND({c}${R_in_case}=1,{c}{R_cumulative_net}<0),{c}${y},-1)",
        "0",
    ),
    (
        "negative_cumulative_pv",
        "Cumulative discounted net negative",
        "year",
        "=IF(AND({c}${R_in_case}=1,{c}{R_cumulative_pv}<0),{c}${y},-1)",
        "0",
    ),
)


def _plan_rows() -> dict[str, int]:
    rows: dict[str, int] = {}
    row = CALC_YEAR_ROW
    for entry in _CALC_PLAN:
        row += 2 if entry[0] is None else 1
        if entry[0] is not None:
            rows[entry[0]] = row
    return rows


#: Row of each model row on the Calculation sheet (year t in column C + t). The keys that
#: are columns of ``crmvalue_core.appraisal.AppraisalResult.years`` hold the same numbers.
CALCULATION_ROWS: dict[str, int] = _plan_rows()
#: Single cells (column C) of the Calculation sheet: the rates used and the payback helpers.
CALCULATION_CELLS: dict[str, str] = {
    **{key: f"{COL_Y0}{row}" for key, row in _CALC_RATE_ROWS.items()},
    "payback_last_negative": f"{COL_Y0}{max(CALCULATION_ROWS.values()) + 1}",
    "discounted_payback_last_negative": f"{COL_Y0}{max(CALCULATION_ROWS.values()) + 2}",
}

#: Results sheet: the row of each metric (add-in result in B, native check in C).
RESULTS_FIRST_ROW = 6
RESULT_ROWS: dict[str, int] = {
    name: RESULTS_FIRST_ROW + index for index, name in enumerate(core.METRICS)
}
#: Results sheet: the row of the PV of each benefit driver (keys of
#: ``AppraisalResult.pv_drivers``; add-in result in B, native check in C).
RESULTS_DRIVER_ROWS: dict[str, int] = {
    name: max(RESULT_ROWS.values()) + 4 + index for index, name in enumerate(core.BENEFIT_DRIVERS)
}

# ---------------------------------------------------------------------------------------------
# Styles

_TITLE = Font(bold=True, size=14, color="1F3864")
_SECTION = Font(bold=True, size=11, color="1F3864")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_BOLD = Font(bold=True)
_NOTE_FONT = Font(italic=True, color="595959")
_RESULT_FILL = PatternFill("solid", fgColor="E2EFDA")
_CHECK_FILL = PatternFill("solid", fgColor="DDEBF7")
# Fills of conditional formats give both colours: Excel reads a solid differential fill's
# background colour, LibreOffice its foreground colour.
_GREY_FILL = PatternFill("solid", fgColor="D9D9D9", bgColor="D9D9D9")
_OK_FILL = PatternFill("solid", fgColor="C6EFCE", bgColor="C6EFCE")
_BAD_FILL = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
_CENTER = Alignment(horizontal="center")
_YEAR_HEADER_FORMAT = '"Year "0'


def _input_style() -> NamedStyle:
    """The named style of every input cell: light yellow, blue text, unlocked."""
    edge = Side(style="thin", color="BF9000")
    return NamedStyle(
        name=INPUT_STYLE,
        font=Font(color="1F4E79"),
        fill=PatternFill("solid", fgColor="FFF2CC"),
        border=Border(left=edge, right=edge, top=edge, bottom=edge),
        protection=Protection(locked=False),
    )


# ---------------------------------------------------------------------------------------------
# Small helpers


def _ref(sheet: str, column: str, row: int, last_column: str | None = None) -> str:
    """An absolute reference such as ``Inputs!$C$5`` or ``Inputs!$C$17:$M$17``."""
    text = f"{quote_sheetname(sheet)}!${column}${row}"
    return text + (f":${last_column}${row}" if last_column else "")


def _define(wb: Workbook, name: str, destination: str) -> None:
    """A workbook-scoped defined name."""
    wb.defined_names[name] = DefinedName(name, attr_text=destination)


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    ws["A1"] = title
    ws["A1"].font = _TITLE
    ws["A2"] = subtitle
    ws["A2"].font = _NOTE_FONT


def _header(ws: Worksheet, row: int, labels: Sequence[tuple[int, Any]]) -> None:
    """A dark header row: ``labels`` are (column number, value)."""
    for column, value in labels:
        cell = ws.cell(row=row, column=column, value=value)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center" if column > 2 else "left")


def _year_header(ws: Worksheet, row: int, first_label: str) -> None:
    """A header row whose C..M cells hold the year numbers 0..10 (shown as "Year n")."""
    _header(ws, row, [(1, first_label), (2, "Unit")])
    for year, column in enumerate(YEAR_COLUMNS):
        cell = ws[f"{column}{row}"]
        cell.value = year
        cell.number_format = _YEAR_HEADER_FORMAT
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER


def _unit(ws: Worksheet, row: int, unit: str) -> None:
    """The unit cell (column B): the chosen currency (a formula) or a fixed word."""
    if unit:
        ws.cell(row=row, column=2, value='=""&Currency' if unit == "currency" else unit)


def _number_text(value: float) -> str:
    """A bound as formula text (an integer without a decimal point)."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _validation(
    kind: str,
    minimum: float | None,
    maximum: float | None,
    *,
    allow_blank: bool,
    title: str,
    expected: str,
    choices: Sequence[str] = (),
) -> DataValidation:
    """A data validation with an input message and a stop alert.

    ``kind`` is ``"text"`` (at most ``maximum`` characters), ``"list"`` (one of
    ``choices``), ``"whole"`` or ``"decimal"`` (between the bounds; an unbounded side is
    left open, and a decimal without bounds still refuses text).
    """
    if kind == "text":
        validation = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=_number_text(maximum or 255)
        )
    elif kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
    elif minimum is not None and maximum is not None:
        validation = DataValidation(
            type=kind,
            operator="between",
            formula1=_number_text(minimum),
            formula2=_number_text(maximum),
        )
    elif minimum is not None:
        validation = DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=_number_text(minimum)
        )
    else:
        validation = DataValidation(
            type=kind, operator="between", formula1="-1E+300", formula2="1E+300"
        )
    validation.allow_blank = allow_blank
    validation.showInputMessage = True
    validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.promptTitle = title if len(title) <= 32 else title[:31] + "…"
    validation.prompt = f"Enter {expected}."[:255]
    validation.errorTitle = "Not a valid value"
    validation.error = f"{title}: enter {expected}."[:225]
    return validation


def _input_validation(item: InputName) -> DataValidation:
    """The data validation of a template input, from the core's rule for it."""
    rule = item.spec
    kind = {"text": "text", "currency": "list", "year": "whole"}.get(
        rule.kind, "whole" if rule.whole else "decimal"
    )
    return _validation(
        kind,
        rule.minimum,
        rule.maximum,
        allow_blank=rule.blank != "error",
        title=item.label,
        expected=spec.expected(rule),
        choices=core.CURRENCIES,
    )


def _set_input(ws: Worksheet, coordinate: str, value: Any, number_format: str) -> None:
    """Make ``coordinate`` an input cell: the input style, a number format, a value."""
    cell = ws[coordinate]
    cell.style = INPUT_STYLE
    cell.number_format = number_format
    if value is not None:
        cell.value = value


def _finish(ws: Worksheet, *, freeze: str | None, widths: dict[str, float]) -> None:
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


# ---------------------------------------------------------------------------------------------
# The sheets


def _start_sheet(ws: Worksheet) -> None:
    _title(
        ws,
        "CRM investment appraisal",
        "A crmvalue template: what a CRM costs, what it brings, and whether it pays.",
    )
    lines: list[tuple[str, Font | None]] = [
        ("What this is", _SECTION),
        (
            "This workbook appraises an investment in a CRM system. You enter what the CRM "
            "costs, year by year, and what it is expected to bring, driver by driver. The "
            "Calculation sheet turns this into yearly benefits, costs and net cash flows with "
            "plain formulas that anyone can audit; the Results sheet shows NPV, IRR, MIRR, "
            "ROI, payback, discounted payback and the profitability index.",
            None,
        ),
        (
            "Every result is shown twice: computed by the crmvalue add-in function and by a "
            "native Excel formula. The Agreement column says OK when both agree.",
            None,
        ),
        ("How to fill it", _SECTION),
        (
            "1. Go to the Inputs sheet. Only the yellow cells can be changed; every other "
            "cell is locked (the sheets are protected without a password).",
            None,
        ),
        (
            "2. General: case name, currency, first year, horizon (1 to 10 years), discount "
            "rate, the MIRR rates (blank = the discount rate), benefit risk adjustment and "
            "cost contingency.",
            None,
        ),
        (
            "3. Costs: one row per cost line, year 0 (implementation) to year 10, as positive "
            "amounts. Years after the horizon are greyed out and ignored.",
            None,
        ),
        (
            "4. Benefit drivers: the adoption ramp per year, other benefits per year, and the "
            "drivers of retention, cross-sell, acquisition, sales productivity and service. "
            "Leave a driver blank (0) when it does not apply. Benefits start in year 1.",
            None,
        ),
        (
            "5. Read the Results sheet. The Customer metrics sheet computes NPS, CSAT, churn, "
            "CAC, CLV and a customer classification from data you paste in.",
            None,
        ),
        (
            "Hover over an input cell for what it accepts; a value outside the allowed range "
            "is refused. Type percentages with a % sign (10%) or as decimals (0.1).",
            None,
        ),
        ("How to enable the add-in (until then the add-in cells show #NAME?)", _SECTION),
        (
            "1. Install Python and crmvalue (pip install crmvalue), then the xlwings Excel "
            "add-in (xlwings addin install). In Excel: File > Options > Trust Center > Trust "
            "Center Settings > Macro Settings, tick 'Trust access to the VBA project object "
            "model'.",
            None,
        ),
        (
            "2. Open this workbook and save it as a macro-enabled workbook (.xlsm). Its sheet "
            "xlwings.conf already sets 'UDF Modules' to addin.udfs.",
            None,
        ),
        (
            "3. On the xlwings ribbon tab click 'Import Functions', then press Ctrl+Alt+F9 to "
            "recalculate. The Agreement column of the Results sheet should now say OK.",
            None,
        ),
        (
            "Without Excel: crmvalue appraise FILE.xlsx reads this workbook by its defined "
            "names and prints the same appraisal.",
            None,
        ),
        ("Sheets", _SECTION),
        ("Inputs: everything you enter (each input has a defined name, e.g. DiscountRate).", None),
        ("Calculation: the model year by year (formulas only).", None),
        ("Results: the metrics, the present value of each driver, and two charts.", None),
        ("Customer metrics: survey, churn, acquisition and lifetime value metrics.", None),
        ("xlwings.conf: the add-in settings read by xlwings.", None),
    ]
    # One line of text a row (no wrapped cells: their height is not adjusted on load).
    row = 3
    for text, font in lines:
        row += 2 if font is not None and row > 3 else 1
        for part in textwrap.wrap(
            text, width=110, subsequent_indent="   " if text[0].isdigit() else ""
        ):
            cell = ws.cell(row=row, column=1, value=part)
            if font is not None:
                cell.font = font
            row += 1
        row -= 1
    _finish(ws, freeze=None, widths={"A": 105})


def _inputs_sheet(wb: Workbook, ws: Worksheet) -> None:
    _title(
        ws,
        "Inputs",
        "Fill in the yellow cells; hover over a cell for what it accepts. "
        "Amounts are in the currency chosen below.",
    )
    sheet = spec.SHEET_INPUTS

    def single(row: int, item: InputName) -> None:
        ws.cell(row=row, column=1, value=item.label)
        _unit(ws, row, item.unit)
        _set_input(ws, f"{COL_Y0}{row}", spec.shown_default(item), item.number_format)
        if item.note:
            ws.cell(row=row, column=4, value=item.note).font = _NOTE_FONT
        _define(wb, item.name, _ref(sheet, COL_Y0, row))
        validation = _input_validation(item)
        validation.add(f"{COL_Y0}{row}")
        ws.add_data_validation(validation)

    def per_year(row: int, item: InputName, columns: Sequence[str]) -> None:
        ws.cell(row=row, column=1, value=item.label)
        _unit(ws, row, item.unit)
        for column, value in zip(columns, spec.shown_default(item), strict=True):
            _set_input(ws, f"{column}{row}", value, item.number_format)
        _define(wb, item.name, _ref(sheet, columns[0], row, columns[-1]))
        validation = _input_validation(item)
        validation.add(f"{columns[0]}{row}:{columns[-1]}{row}")
        ws.add_data_validation(validation)

    def block_header(row: int, title: str) -> None:
        _header(ws, row, [(1, title), (2, "Unit"), (3, "Value"), (4, "Notes")])

    row = 4
    block_header(row, "General")
    for item in spec.GENERAL:
        row += 1
        single(row, item)
        if item.name == "HorizonYears":
            # Conditional formats refer to the cell: LibreOffice 7.4 does not resolve a
            # defined name in a conditional format of an .xlsx file.
            horizon = f"${COL_Y0}${row}"

    # Costs: years 0..10.
    row += 2
    cost_header = row
    _year_header(ws, row, "Costs (before contingency)")
    row += 1
    ws.cell(row=row, column=1, value="Calendar year").font = _NOTE_FONT
    for column in YEAR_COLUMNS:
        cell = ws[f"{column}{row}"]
        cell.value = f'=IF(ISNUMBER(FirstYear),FirstYear+{column}${cost_header},"")'
        cell.font = _NOTE_FONT
        cell.alignment = _CENTER
    first_cost = row + 1
    for item in spec.COST_LINES:
        row += 1
        per_year(row, item, YEAR_COLUMNS)
    last_cost = row
    row += 1
    ws.cell(row=row, column=1, value="Total costs (before contingency)").font = _BOLD
    _unit(ws, row, "currency")
    for column in YEAR_COLUMNS:
        cell = ws[f"{column}{row}"]
        cell.value = f"=SUM({column}{first_cost}:{column}{last_cost})"
        cell.number_format = FORMATS.money
        cell.font = _BOLD
    ws.conditional_formatting.add(
        f"{COL_Y0}{first_cost}:{COL_Y10}{row}",
        FormulaRule(formula=[f"{COL_Y0}${cost_header}>{horizon}"], fill=_GREY_FILL),
    )

    # Per-year benefit drivers: years 1..10.
    row += 2
    driver_header = row
    _year_header(ws, row, "Benefit drivers by year")
    first_driver = row + 1
    for item in spec.PER_YEAR_DRIVERS:
        row += 1
        ws[f"{COL_Y0}{row}"] = "(impl.)"
        ws[f"{COL_Y0}{row}"].font = _NOTE_FONT
        ws[f"{COL_Y0}{row}"].alignment = _CENTER
        per_year(row, item, YEAR_COLUMNS[1:])
    ws.conditional_formatting.add(
        f"{COL_Y1}{first_driver}:{COL_Y10}{row}",
        FormulaRule(formula=[f"{COL_Y1}${driver_header}>{horizon}"], fill=_GREY_FILL),
    )

    for block in spec.DRIVER_BLOCKS:
        row += 2
        block_header(row, block.title)
        for item in block.inputs:
            row += 1
            single(row, item)

    _finish(ws, freeze="C3", widths={"A": 46, "B": 11, **dict.fromkeys(YEAR_COLUMNS, 12.5)})


def _calculation_sheet(wb: Workbook, ws: Worksheet) -> None:
    _title(
        ws,
        "Calculation",
        "The model of the appraisal, year by year. Every cell is a formula on the Inputs; "
        "years after the horizon are 0.",
    )
    sheet = spec.SHEET_CALC
    _header(ws, 4, [(1, "Rates used"), (2, "Unit"), (3, "Value")])
    for key, label, formula in (
        ("discount_rate", "Discount rate", "=DiscountRate"),
        (
            "finance_rate",
            "Finance rate (MIRR)",
            "=IF(ISBLANK(FinanceRate),DiscountRate,FinanceRate)",
        ),
        (
            "reinvest_rate",
            "Reinvestment rate (MIRR)",
            "=IF(ISBLANK(ReinvestRate),DiscountRate,ReinvestRate)",
        ),
    ):
        row = _CALC_RATE_ROWS[key]
        ws.cell(row=row, column=1, value=label)
        _unit(ws, row, "%")
        ws.cell(row=row, column=3, value=formula).number_format = FORMATS.percent2

    _year_header(ws, CALC_YEAR_ROW, "Year")
    fields = {f"R_{key}": row for key, row in CALCULATION_ROWS.items()}
    row = CALC_YEAR_ROW
    for entry in _CALC_PLAN:
        key, label = entry[0], entry[1]
        if key is None:
            row += 2
            ws.cell(row=row, column=1, value=label).font = _SECTION
            continue
        row += 1
        assert row == CALCULATION_ROWS[key]
        unit, formula = entry[2], entry[3]
        number_format = entry[4] if len(entry) > 4 else FORMATS.money
        first = entry[5] if len(entry) > 5 else None
        bold = entry[6] if len(entry) > 6 else False
        ws.cell(row=row, column=1, value=label)
        _unit(ws, row, unit)
        for index, column in enumerate(YEAR_COLUMNS):
            text = first if index == 0 and first is not None else formula
            cell = ws[f"{column}{row}"]
            cell.value = text.format(
                c=column,
                p=YEAR_COLUMNS[index - 1] if index else "",
                r=row,
                y=CALC_YEAR_ROW,
                **fields,
            )
            cell.number_format = number_format
        if bold:
            for column in range(1, FIRST_YEAR_COL + len(YEAR_COLUMNS)):
                ws.cell(row=row, column=column).font = _BOLD
    for name, key in (("Benefits", "benefits"), ("Costs", "costs"), ("NetCashFlow", "net")):
        _define(wb, name, _ref(sheet, COL_Y0, CALCULATION_ROWS[key], COL_Y10))

    for key, label, source in (
        ("payback_last_negative", "Last year with a negative cumulative net", "cumulative_net"),
        (
            "discounted_payback_last_negative",
            "Last year with a negative cumulative discounted net",
            "cumulative_pv",
        ),
    ):
        helper = CALCULATION_ROWS[f"negative_{source}"]
        cell = ws[CALCULATION_CELLS[key]]
        cell.value = f"=MAX({COL_Y0}{helper}:{COL_Y10}{helper})"
        ws.cell(row=cell.row, column=1, value=label)
        _unit(ws, cell.row, "year")

    _finish(
        ws,
        freeze=f"C{CALC_YEAR_ROW + 1}",
        widths={"A": 46, "B": 11, **dict.fromkeys(YEAR_COLUMNS, 13)},
    )


#: The flag of a row that compares the add-in cell B with the native cell C (tolerance in E,
#: relative to max(1, |C|)): OK, DIFFERENT (both numbers, not equal), "add-in undefined"
#: (the add-in's message in B says why), "check undefined" (e.g. Excel's IRR did not
#: converge), "both undefined", "add-in not enabled" (#NAME?), or blank when both are blank.
_FLAG = (
    '=IF(ISERROR(B{r}),IF(ERROR.TYPE(B{r})=5,"add-in not enabled",'
    'IF(ISNUMBER(C{r}),"add-in undefined","both undefined")),'
    'IF(AND(ISNUMBER(B{r}),ISNUMBER(C{r})),IF(ABS(B{r}-C{r})<=E{r}*MAX(1,ABS(C{r})),"OK",'
    '"DIFFERENT"),IF(ISNUMBER(B{r}),"check undefined",IF(ISNUMBER(C{r}),"add-in undefined",'
    'IF(ISERROR(C{r}),"both undefined",IF(AND(B{r}="",C{r}=""),"","both undefined"))))))'
)


def _compare_row(
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
    cell.number_format, cell.fill = number_format, _RESULT_FILL
    cell = ws.cell(row=row, column=3, value=native)
    cell.number_format, cell.fill = number_format, _CHECK_FILL
    ws.cell(row=row, column=4, value=_FLAG.format(r=row)).alignment = _CENTER
    ws.cell(row=row, column=5, value=tolerance).number_format = "0E+0"


def _flag_formatting(ws: Worksheet, cells: str) -> None:
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=['"OK"'], fill=_OK_FILL)
    )
    ws.conditional_formatting.add(
        cells, CellIsRule(operator="equal", formula=['"DIFFERENT"'], fill=_BAD_FILL)
    )


def _results_sheet(wb: Workbook, ws: Worksheet) -> None:
    _title(
        ws,
        "Results",
        "Each metric twice: the crmvalue add-in function (B) and a native Excel formula (C). "
        "Agreement says OK when they agree.",
    )
    ws["A3"] = (
        '="Case: "&IF(ISBLANK(CaseName),"(unnamed)",CaseName)&"   ·   currency: "&Currency'
        '&"   ·   years 0.."&HorizonYears&IF(ISNUMBER(FirstYear),'
        '" ("&FirstYear&"-"&(FirstYear+HorizonYears)&")","")'
    )
    ws["A3"].font = _SECTION
    columns = [(2, "Add-in result"), (3, "Native Excel check"), (4, "Agreement")]
    _header(
        ws,
        RESULTS_FIRST_ROW - 1,
        [(1, "Metric"), *columns, (5, "Tolerance"), (6, "Unit"), (7, "The native check")],
    )
    span = "HorizonYears+1"
    net_all = f"OFFSET(NetCashFlow,0,0,1,{span})"
    benefits_all = f"OFFSET(Benefits,0,0,1,{span})"
    costs_all = f"OFFSET(Costs,0,0,1,{span})"
    calc = spec.SHEET_CALC
    cell_ref = {key: f"{calc}!${c[0]}${c[1:]}" for key, c in CALCULATION_CELLS.items()}
    finance, reinvest = cell_ref["finance_rate"], cell_ref["reinvest_rate"]

    def row_ref(key: str) -> str:
        return _ref(calc, COL_Y0, CALCULATION_ROWS[key], COL_Y10)

    def pv(name: str) -> str:
        return f"=NPV(DiscountRate,OFFSET({name},0,1,1,HorizonYears))+INDEX({name},1,1)"

    def payback(last: str, cumulative: str, flows: str) -> str:
        last = cell_ref[last]
        return (
            f"=IF({last}<0,0,IF({last}>=HorizonYears,NA(),"
            f"{last}-INDEX({row_ref(cumulative)},1,{last}+1)/INDEX({row_ref(flows)},1,{last}+2)))"
        )

    metrics = {
        "npv": (
            "NPV",
            "ResultNPV",
            f"=NPV_CRM(DiscountRate,{net_all})",
            "CheckNPV",
            pv("NetCashFlow"),
            1e-9,
            "currency",
            FORMATS.money2,
            "NPV(rate, net years 1..horizon) + net year 0",
        ),
        "irr": (
            "IRR",
            "ResultIRR",
            f"=IRR_CRM({net_all})",
            "CheckIRR",
            f"=IRR({net_all})",
            1e-7,
            "%",
            FORMATS.percent2,
            "IRR(net years 0..horizon)",
        ),
        "mirr": (
            "MIRR",
            "ResultMIRR",
            f"=MIRR_CRM({net_all},{finance},{reinvest})",
            "CheckMIRR",
            f"=MIRR({net_all},{finance},{reinvest})",
            1e-9,
            "%",
            FORMATS.percent2,
            "MIRR(net years 0..horizon, finance rate, reinvestment rate)",
        ),
        "roi": (
            "ROI",
            "ResultROI",
            f"=ROI_CRM(DiscountRate,{benefits_all},{costs_all})",
            None,
            "=IF(CheckPVCosts>0,(CheckPVBenefits-CheckPVCosts)/CheckPVCosts,NA())",
            1e-9,
            "%",
            FORMATS.percent2,
            "(PV of benefits - PV of costs) / PV of costs",
        ),
        "payback": (
            "Payback",
            "ResultPayback",
            f"=PAYBACK({net_all})",
            None,
            payback("payback_last_negative", "cumulative_net", "net"),
            1e-9,
            "years",
            "0.00",
            "last year L with a negative cumulative net + its deficit / the net of year L+1",
        ),
        "discounted_payback": (
            "Discounted payback",
            "ResultDiscountedPayback",
            f"=DISCOUNTED_PAYBACK(DiscountRate,{net_all})",
            None,
            payback("discounted_payback_last_negative", "cumulative_pv", "pv_net"),
            1e-9,
            "years",
            "0.00",
            "the same on the discounted net cash flows",
        ),
        "pi": (
            "Profitability index",
            "ResultPI",
            f"=PI_CRM(DiscountRate,{benefits_all},{costs_all})",
            None,
            "=IF(CheckPVCosts>0,CheckPVBenefits/CheckPVCosts,NA())",
            1e-9,
            "ratio",
            "0.000",
            "PV of benefits / PV of costs",
        ),
        "pv_benefits": (
            "PV of benefits",
            "ResultPVBenefits",
            f"=NPV_CRM(DiscountRate,{benefits_all})",
            "CheckPVBenefits",
            pv("Benefits"),
            1e-9,
            "currency",
            FORMATS.money2,
            "NPV(rate, benefits years 1..horizon) + benefits year 0",
        ),
        "pv_costs": (
            "PV of costs",
            "ResultPVCosts",
            f"=NPV_CRM(DiscountRate,{costs_all})",
            "CheckPVCosts",
            pv("Costs"),
            1e-9,
            "currency",
            FORMATS.money2,
            "NPV(rate, costs years 1..horizon) + costs year 0",
        ),
    }
    for key, row in RESULT_ROWS.items():
        label, result, addin, check, native, tolerance, unit, fmt, how = metrics[key]
        _compare_row(ws, row, label, addin, native, fmt, tolerance)
        ws.cell(row=row, column=1).font = _BOLD
        ws.cell(row=row, column=2).font = _BOLD
        _unit_col(ws, row, unit)
        ws.cell(row=row, column=7, value=how).font = _NOTE_FONT
        _define(wb, result, _ref(spec.SHEET_RESULTS, "B", row))
        if check:
            _define(wb, check, _ref(spec.SHEET_RESULTS, "C", row))
    last_metric = max(RESULT_ROWS.values())
    _flag_formatting(ws, f"D{RESULTS_FIRST_ROW}:D{last_metric}")

    # What drives the case: the present value of each benefit driver, risk-adjusted.
    first_driver = min(RESULTS_DRIVER_ROWS.values())
    ws.cell(row=first_driver - 2, column=1, value="What drives the case").font = _SECTION
    _header(
        ws,
        first_driver - 1,
        [
            (1, "Benefit driver (PV, risk-adjusted)"),
            *columns,
            (5, "Tolerance"),
            (6, "Unit"),
            (7, "Share of the PV of benefits"),
        ],
    )
    for key, row in RESULTS_DRIVER_ROWS.items():
        first = _ref(calc, COL_Y0, CALCULATION_ROWS[key])
        _compare_row(
            ws,
            row,
            DRIVER_LABELS[key],
            f"=NPV_CRM(DiscountRate,OFFSET({first},0,0,1,{span}))*(1-BenefitRiskAdjustment)",
            f"=(NPV(DiscountRate,OFFSET({first},0,1,1,HorizonYears))+{first})"
            "*(1-BenefitRiskAdjustment)",
            FORMATS.money2,
        )
        _unit_col(ws, row, "currency")
        cell = ws.cell(row=row, column=7, value=f'=IF(CheckPVBenefits=0,"",C{row}/CheckPVBenefits)')
        cell.number_format = FORMATS.percent
    last_driver = max(RESULTS_DRIVER_ROWS.values())
    total = last_driver + 1
    _compare_row(
        ws,
        total,
        "Total = PV of benefits",
        f"=SUM(B{first_driver}:B{last_driver})",
        f"=SUM(C{first_driver}:C{last_driver})",
        FORMATS.money2,
    )
    for column in (1, 2, 3):
        ws.cell(row=total, column=column).font = _BOLD
    _unit_col(ws, total, "currency")
    _flag_formatting(ws, f"D{first_driver}:D{total}")

    # Charts: their data is on the Calculation sheet.
    calc_ws = wb[calc]

    def year_row(key: str) -> Reference:
        return Reference(
            calc_ws,
            min_col=FIRST_YEAR_COL,
            max_col=FIRST_YEAR_COL + len(YEAR_COLUMNS) - 1,
            min_row=CALCULATION_ROWS[key],
        )

    line = LineChart()
    line.title = "Cumulative discounted cash flow"
    line.y_axis.title = "Amount"
    line.x_axis.title = "Year"
    line.x_axis.tickLblPos = "low"
    line.series.append(Series(year_row("cumulative_pv"), title="Cumulative discounted net"))
    line.set_categories(year_row("calendar_year"))
    line.height, line.width = 8, 16
    line.legend.position = "b"
    ws.add_chart(line, f"A{total + 3}")

    bars = BarChart()
    bars.type = "col"
    bars.grouping = "clustered"
    bars.title = "Benefits and costs per year"
    bars.y_axis.title = "Amount"
    bars.x_axis.title = "Year"
    bars.series.append(Series(year_row("benefits"), title="Benefits (risk-adjusted)"))
    bars.series.append(Series(year_row("costs"), title="Costs (with contingency)"))
    bars.set_categories(year_row("calendar_year"))
    bars.height, bars.width = 8, 16
    bars.legend.position = "b"
    ws.add_chart(bars, f"D{total + 3}")
    for chart in (line, bars):  # openpyxl 3.1 leaves the axes' "delete" unset: Excel hides them
        chart.x_axis.delete = False
        chart.y_axis.delete = False

    _finish(
        ws,
        freeze=f"B{RESULTS_FIRST_ROW}",
        widths={"A": 34, "B": 18, "C": 18, "D": 18, "E": 10, "F": 10, "G": 64},
    )


def _unit_col(ws: Worksheet, row: int, unit: str) -> None:
    """The unit of a Results row (column F)."""
    ws.cell(row=row, column=6, value='=""&Currency' if unit == "currency" else unit)


#: Customer metrics sheet: the paste areas of survey answers and the customer table.
CUSTOMER_NPS_RANGE = "I6:I1005"
CUSTOMER_CSAT_RANGE = "J6:J1005"
CUSTOMER_TABLE_ROWS = (42, 61)


def _customer_sheet(ws: Worksheet) -> None:
    _title(
        ws,
        "Customer metrics",
        "Paste survey answers in columns I and J (one answer a row) and fill the yellow cells. "
        "Each metric: the add-in function (B) and a native check (C).",
    )
    nps, csat = CUSTOMER_NPS_RANGE, CUSTOMER_CSAT_RANGE
    _header(
        ws,
        4,
        [
            (1, "Metric"),
            (2, "Add-in result"),
            (3, "Native Excel check"),
            (4, "Agreement"),
            (5, "Tolerance"),
            (6, "How it is computed"),
            (9, "NPS answers (0-10)"),
            (10, "CSAT answers"),
        ],
    )
    for column, label, kind, bounds, words, fmt in (
        ("I", "NPS answer", "whole", (0, 10), "a whole score from 0 to 10", "0"),
        ("J", "CSAT answer", "decimal", (0, 1000), "a score >= 0", "0.0"),
    ):
        ws[f"{column}5"] = "paste below"
        ws[f"{column}5"].font = _NOTE_FONT
        first, last = (int(part[1:]) for part in (nps if column == "I" else csat).split(":"))
        for row in range(first, last + 1):
            _set_input(ws, f"{column}{row}", None, fmt)
        validation = _validation(
            kind, *bounds, allow_blank=True, title=label, expected=words + " (blank: no answer)"
        )
        validation.add(f"{column}{first}:{column}{last}")
        ws.add_data_validation(validation)

    def section(row: int, title: str) -> None:
        ws.cell(row=row, column=1, value=title).font = _SECTION

    def entry(
        row: int,
        label: str,
        kind: str,
        bounds: tuple[float | None, float | None],
        words: str,
        fmt: str,
        default: Any = None,
    ) -> str:
        ws.cell(row=row, column=1, value=label)
        _set_input(ws, f"B{row}", default, fmt)
        validation = _validation(
            kind, *bounds, allow_blank=default is None, title=label, expected=words
        )
        validation.add(f"B{row}")
        ws.add_data_validation(validation)
        return f"B{row}"

    def metric(row: int, label: str, addin: str, native: str, fmt: str, how: str = "") -> None:
        _compare_row(ws, row, label, addin, native, fmt)
        if how:
            ws.cell(row=row, column=6, value=how).font = _NOTE_FONT

    count_words, amount_words = "a whole number >= 0", "an amount >= 0"
    share_words = "a share between 0% and 100%"

    # Survey.
    section(5, "Survey")
    ws["A6"] = "NPS answers"
    ws["B6"] = f"=COUNT({nps})"
    level = entry(
        7,
        "Confidence level (NPS interval)",
        "decimal",
        (0.5, 0.999),
        "a confidence level from 50% to 99.9%",
        FORMATS.percent,
        0.95,
    )
    n = f"COUNT({nps})"
    p = f'COUNTIF({nps},">=9")/{n}'
    d = f'COUNTIF({nps},"<=6")/{n}'
    z = f"NORMSINV(1-(1-{level})/2)"
    metric(
        8,
        "NPS",
        f'=IF({n}=0,"",NPS({nps}))',
        f'=IF({n}=0,"",({p}-{d})*100)',
        "0.0",
        "% promoters (9-10) minus % detractors (0-6)",
    )
    metric(
        9,
        "NPS margin of error (points)",
        f'=IF({n}=0,"",NPS_MOE({nps},{level}))',
        f'=IF({n}=0,"",{z}*SQRT(({p}+{d}-({p}-{d})^2)/{n})*100)',
        "0.00",
        "Wald: z x sqrt((p + d - (p - d)^2) / n) x 100",
    )
    n3 = f"({n}+3)"
    pa = f'(COUNTIF({nps},">=9")+0.75)/{n3}'
    da = f'(COUNTIF({nps},"<=6")+0.75)/{n3}'
    half = f"{z}*SQRT(({pa}+{da}-({pa}-{da})^2)/{n3})"
    metric(
        10,
        "NPS interval, low",
        f'=IF({n}=0,"",INDEX(NPS_CI({nps},{level}),1,1))',
        f'=IF({n}=0,"",MAX(-100,({pa}-{da}-{half})*100))',
        "0.00",
        "adjusted Wald: n + 3, promoters and detractors + 0.75",
    )
    metric(
        11,
        "NPS interval, high",
        f'=IF({n}=0,"",INDEX(NPS_CI({nps},{level}),1,2))',
        f'=IF({n}=0,"",MIN(100,({pa}-{da}+{half})*100))',
        "0.00",
    )
    ws["A12"] = "CSAT answers"
    ws["B12"] = f"=COUNT({csat})"
    metric(
        13,
        "CSAT (mean score)",
        f'=IF(COUNT({csat})=0,"",CSAT({csat}))',
        f'=IF(COUNT({csat})=0,"",AVERAGE({csat}))',
        "0.00",
        "the mean of the answers",
    )

    # Churn and retention.
    section(15, "Churn and retention (one period)")
    start = entry(
        16, "Customers at the start of the period", "whole", (0, None), count_words, FORMATS.whole
    )
    lost = entry(17, "Customers lost in the period", "whole", (0, None), count_words, FORMATS.whole)
    end = entry(
        18, "Customers at the end of the period", "whole", (0, None), count_words, FORMATS.whole
    )
    new = entry(
        19, "New customers won in the period", "whole", (0, None), count_words, FORMATS.whole
    )
    metric(
        20,
        "Churn rate",
        f'=IF(COUNT({start},{lost})<2,"",CHURN_RATE({start},{lost}))',
        f'=IF(COUNT({start},{lost})<2,"",{lost}/{start})',
        FORMATS.percent2,
        "lost / start",
    )
    metric(
        21,
        "Retention rate",
        f'=IF(COUNT({start},{end},{new})<3,"",RETENTION_RATE({start},{end},{new}))',
        f'=IF(COUNT({start},{end},{new})<3,"",({end}-{new})/{start})',
        FORMATS.percent2,
        "(end - new) / start",
    )

    # Acquisition and lifetime value.
    section(23, "Acquisition and lifetime value")
    spend = entry(
        24, "Sales and marketing spend", "decimal", (0, None), amount_words, FORMATS.money
    )
    won = entry(
        25, "New customers won by that spend", "whole", (0, None), count_words, FORMATS.whole
    )
    metric(
        26,
        "CAC (acquisition cost per customer)",
        f'=IF(COUNT({spend},{won})<2,"",CAC({spend},{won}))',
        f'=IF(COUNT({spend},{won})<2,"",{spend}/{won})',
        FORMATS.money2,
        "spend / new customers",
    )
    revenue = entry(
        27, "Revenue per customer per period", "decimal", (0, None), amount_words, FORMATS.money2
    )
    margin = entry(
        28, "Gross margin (share of revenue)", "decimal", (0, 1), share_words, FORMATS.percent
    )
    metric(
        29,
        "CAC payback (periods)",
        f'=IF(COUNT(C26,{revenue},{margin})<3,"",CAC_PAYBACK(C26,{revenue},{margin}))',
        f'=IF(COUNT(C26,{revenue},{margin})<3,"",C26/({revenue}*{margin}))',
        "0.00",
        "CAC (native, C26) / (revenue x margin)",
    )
    ws["A30"] = "Margin per customer per period"
    ws["B30"] = f'=IF(COUNT({revenue},{margin})<2,"",{revenue}*{margin})'
    ws["B30"].number_format = FORMATS.money2
    ws["F30"] = "revenue x gross margin"
    ws["F30"].font = _NOTE_FONT
    retention = entry(
        31, "Retention rate per period (for CLV)", "decimal", (0, 1), share_words, FORMATS.percent
    )
    discount = entry(
        32,
        "Discount rate per period (for CLV)",
        "decimal",
        (0, 1),
        "a rate between 0% and 100%",
        FORMATS.percent,
    )
    periods = entry(
        33,
        "Periods (blank: no limit)",
        "whole",
        (1, 1000),
        "a whole number of periods from 1, or leave it blank",
        "0",
    )
    q = f"({retention}/(1+{discount}))"
    metric(
        34,
        "CLV",
        f'=IF(COUNT(B30,{retention},{discount})<3,"",IF(ISBLANK({periods}),'
        f"CLV(B30,{retention},{discount}),CLV(B30,{retention},{discount},{periods})))",
        f'=IF(COUNT(B30,{retention},{discount})<3,"",IF(ISBLANK({periods}),'
        f"B30*{retention}/(1+{discount}-{retention}),B30*{q}*(1-{q}^{periods})/(1-{q})))",
        FORMATS.money2,
        "margins at the end of each period: m r / (1 + i - r), or the finite sum",
    )
    metric(
        35,
        "CLV : CAC",
        '=IF(COUNT(C34,C26)<2,"",CLV_CAC(C34,C26))',
        '=IF(COUNT(C34,C26)<2,"",C34/C26)',
        "0.00",
        "CLV (native, C34) / CAC (native, C26)",
    )
    _flag_formatting(ws, "D8:D35")

    # Customer value classification.
    section(37, "Customer value classification (CUSTOMER_SEGMENT)")
    top = entry(
        38, "Top share (Most valuable)", "decimal", (0, 1), share_words, FORMATS.percent, 0.05
    )
    growth = entry(
        39, "Growth share (of the rest)", "decimal", (0, 1), share_words, FORMATS.percent, 0.2
    )
    ws["A40"] = "Fill the table from the top, one customer a row; column D shows the segments."
    ws["A40"].font = _NOTE_FONT
    first, last = CUSTOMER_TABLE_ROWS
    _header(
        ws,
        first - 1,
        [(1, "Customer"), (2, "Actual value"), (3, "Strategic value"), (4, "Segment")],
    )
    for row in range(first, last + 1):
        _set_input(ws, f"A{row}", None, "@")
        _set_input(ws, f"B{row}", None, FORMATS.money)
        _set_input(ws, f"C{row}", None, FORMATS.money)
    for cells, kind, bounds, label, words in (
        (f"A{first}:A{last}", "text", (None, 100), "Customer", "a customer name or id"),
        (
            f"B{first}:C{last}",
            "decimal",
            (None, None),
            "Customer value",
            "a value (negative for a loss-making customer)",
        ),
    ):
        validation = _validation(kind, *bounds, allow_blank=True, title=label, expected=words)
        validation.add(cells)
        ws.add_data_validation(validation)
    filled = f"COUNT(B{first}:B{last})"
    ws.conditional_formatting.add(  # rows below the filled table: hide the array's #N/A
        f"D{first}:D{last}",
        FormulaRule(formula=[f"ISNA(D{first})"], font=Font(color="FFFFFF")),
    )
    ws[f"D{first}"] = ArrayFormula(
        f"D{first}:D{last}",
        f'=IF({filled}=0,"",CUSTOMER_SEGMENT(OFFSET(B{first},0,0,{filled},1),'
        f"OFFSET(C{first},0,0,{filled},1),{top},{growth}))",
    )
    _finish(
        ws,
        freeze="A5",
        widths={"A": 40, "B": 16, "C": 18, "D": 18, "E": 10, "F": 48, "I": 18, "J": 16},
    )


def _conf_sheet(ws: Worksheet) -> None:
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
        ws.cell(row=1 + offset, column=4, value=text).font = _NOTE_FONT
    _finish(ws, freeze=None, widths={"A": 18, "B": 18, "C": 4, "D": 100})


# ---------------------------------------------------------------------------------------------
# Scenarios sheet (issue 6: uncertainty): low and high values beside each base input, the
# scenario NPVs and the one-at-a-time sensitivity (tornado) table, all by native formulas.
#
# Layout: the scenario table (NPV in B) and the sensitivity table at the top; then the low
# and high values of the single-value drivers (Low C, Base D, High E, used values F and G:
# a blank low or high is the base); then the row inputs (cost lines C..M = years 0..10, the
# adoption ramp and other benefits D..M = years 1..10), five rows each: low, base, high,
# low used, high used. Below, the model once per scenario and per sensitivity case in three
# generated rows (adoption a_t, extra customers E_t, net cash flow, NPV in column N), each
# referring to the low, base or high cells its case takes.

#: The row of each standard scenario in the scenario table (its NPV in column B).
SCENARIO_FIRST_ROW = 6
SCENARIO_ROWS: dict[str, int] = {
    key: SCENARIO_FIRST_ROW + index for index, key in enumerate(core.SCENARIOS)
}
#: The row of each uncertain input in the sensitivity table: NPV at low (B), NPV at high
#: (C), downside (D), upside (E), swing (F), rank by swing (G).
SENSITIVITY_FIRST_ROW = max(SCENARIO_ROWS.values()) + 4
SENSITIVITY_ROWS: dict[str, int] = {
    item.name: SENSITIVITY_FIRST_ROW + index for index, item in enumerate(spec.UNCERTAIN_INPUTS)
}
_SINGLE_RANGES = tuple(item for item in spec.UNCERTAIN_INPUTS if item.cells == 1)
_ROW_RANGES = tuple(item for item in spec.UNCERTAIN_INPUTS if item.cells > 1)
#: The row of each single-value driver's range: Low C, Base D, High E, used F and G.
RANGE_FIRST_ROW = max(SENSITIVITY_ROWS.values()) + 4
RANGE_ROWS: dict[str, int] = {
    item.name: RANGE_FIRST_ROW + index for index, item in enumerate(_SINGLE_RANGES)
}
_RANGE_ROW_SIDES = ("low", "base", "high", "low_used", "high_used")
#: The rows of each row input's range: {side: row} for low, base, high, low_used, high_used.
RANGE_ROW_BLOCKS: dict[str, dict[str, int]] = {
    item.name: {
        side: max(RANGE_ROWS.values()) + 4 + 6 * index + offset
        for offset, side in enumerate(_RANGE_ROW_SIDES)
    }
    for index, item in enumerate(_ROW_RANGES)
}
_MODEL_YEAR_ROW = max(row for block in RANGE_ROW_BLOCKS.values() for row in block.values()) + 3
_IN_CASE_ROW = _MODEL_YEAR_ROW + 1
_BENEFIT_YEAR_ROW = _MODEL_YEAR_ROW + 2
#: Column of the NPV of each case of the model (on the case's net cash flow row).
SCENARIO_NPV_COLUMN = get_column_letter(FIRST_YEAR_COL + len(YEAR_COLUMNS))


def _scenario_cases() -> dict[str, dict[str, str]]:
    """Each case the sheet computes: {key: {defined name: side}} (the others at base)."""
    names = [item.name for item in spec.UNCERTAIN_INPUTS]
    cases: dict[str, dict[str, str]] = {
        "pessimistic": {n: "low" if core.NPV_DIRECTION[n] > 0 else "high" for n in names},
        "all_low": dict.fromkeys(names, "low"),
        "base": {},
        "all_high": dict.fromkeys(names, "high"),
        "optimistic": {n: "high" if core.NPV_DIRECTION[n] > 0 else "low" for n in names},
    }
    for name in names:
        cases[f"{name}:low"] = {name: "low"}
        cases[f"{name}:high"] = {name: "high"}
    return cases


_CASES = _scenario_cases()
#: The net cash flow row of each case of the model (its NPV in :data:`SCENARIO_NPV_COLUMN`):
#: keys are the standard scenarios and ``"<defined name>:low"`` / ``":high"``.
SCENARIO_MODEL_ROWS: dict[str, int] = {
    key: _BENEFIT_YEAR_ROW + 2 + 4 * index + 2 for index, key in enumerate(_CASES)
}

# Model letters of the single-value drivers in the generated formulas.
_DRIVER_OF = {
    "B": "CustomersActive",
    "c": "ChurnBaseline",
    "dc": "ChurnReduction",
    "m": "MarginPerCustomer",
    "u": "CrossSellUplift",
    "N": "NewCustomersPerYear",
    "CAC": "AcquisitionCost",
    "k": "AcquisitionCostReduction",
    "R": "SalesReps",
    "h": "HoursSavedPerWeek",
    "W": "WorkingWeeks",
    "w": "HourlyCost",
    "s": "ProductivityShare",
    "C": "ServiceCases",
    "q": "CostPerCase",
    "v": "ServiceCostReduction",
}


def _range_validation(item: InputName, side: str) -> DataValidation:
    """The data validation of a low or high cell: the input's own rule, blank allowed."""
    rule = item.spec
    kind = "whole" if rule.whole else "decimal"
    words = rule.hint.replace(" (blank counts as 0)", "")
    fix = "at most the base" if side == "low" else "at least the base"
    return _validation(
        kind,
        rule.minimum,
        rule.maximum,
        allow_blank=True,
        title=f"{item.label} ({side})",
        expected=f"{words}, {fix}; blank: the base (no uncertainty)",
    )


def _side_cell(name: str, side: str, column: str | None = None) -> str:
    """The cell of input ``name`` on ``side`` (low/high: the used value) on this sheet."""
    if column is None:
        row = RANGE_ROWS[name]
        letter = {"low": "F", "base": "D", "high": "G"}[side]
        return f"${letter}${row}"
    block = RANGE_ROW_BLOCKS[name]
    return f"{column}${block[{'low': 'low_used', 'base': 'base', 'high': 'high_used'}[side]]}"


def _scenarios_sheet(wb: Workbook, ws: Worksheet) -> None:
    _title(
        ws,
        "Scenarios",
        "Enter a low and a high value beside the base of any benefit driver or cost line "
        "(blank: the base, no uncertainty). Scenario NPVs and sensitivity are native formulas.",
    )
    sheet = spec.SHEET_SCENARIOS
    ws["A3"] = (
        "Low and high are the values as entered (a low cost is good news). Monte Carlo: "
        "crmvalue appraise FILE.xlsx --simulate 10000, or the function CRM_SIMULATE."
    )
    ws["A3"].font = _NOTE_FONT
    npv_col = SCENARIO_NPV_COLUMN

    # The scenario table.
    _header(ws, SCENARIO_FIRST_ROW - 1, [(1, "Scenario"), (2, "NPV"), (3, "Unit"), (4, "Inputs")])
    for key, row in SCENARIO_ROWS.items():
        label, words = SCENARIO_LABELS[key].label, SCENARIO_LABELS[key].meaning
        ws.cell(row=row, column=1, value=label).font = _BOLD
        cell = ws.cell(row=row, column=2, value=f"={npv_col}{SCENARIO_MODEL_ROWS[key]}")
        cell.number_format, cell.fill, cell.font = FORMATS.money, _RESULT_FILL, _BOLD
        ws.cell(row=row, column=3, value='=""&Currency')
        ws.cell(row=row, column=4, value=words).font = _NOTE_FONT
        _define(wb, spec.SCENARIO_NPV_NAMES[key], _ref(sheet, "B", row))

    # The sensitivity (tornado) table, in the order of the Inputs sheet; G ranks by swing.
    first, last = SENSITIVITY_FIRST_ROW, max(SENSITIVITY_ROWS.values())
    ws.cell(row=first - 2, column=1, value="Sensitivity of the NPV (tornado)").font = _SECTION
    _header(
        ws,
        first - 1,
        [
            (1, "Input (the others at base)"),
            (2, "NPV at low"),
            (3, "NPV at high"),
            (4, "Downside"),
            (5, "Upside"),
            (6, "Swing"),
            (7, "Rank"),
            (8, "Defined names"),
        ],
    )
    base_npv = f"$B${SCENARIO_ROWS['base']}"
    for item in spec.UNCERTAIN_INPUTS:
        row = SENSITIVITY_ROWS[item.name]
        ws.cell(row=row, column=1, value=item.label)
        ws.cell(row=row, column=2, value=f"={npv_col}{SCENARIO_MODEL_ROWS[item.name + ':low']}")
        ws.cell(row=row, column=3, value=f"={npv_col}{SCENARIO_MODEL_ROWS[item.name + ':high']}")
        ws.cell(row=row, column=4, value=f"=MIN(B{row},C{row})-{base_npv}")
        ws.cell(row=row, column=5, value=f"=MAX(B{row},C{row})-{base_npv}")
        ws.cell(row=row, column=6, value=f"=ABS(C{row}-B{row})")
        ws.cell(
            row=row,
            column=7,
            value=f"=RANK(F{row},$F${first}:$F${last})+COUNTIF($F${first}:F{row},F{row})-1",
        )
        ws.cell(
            row=row,
            column=8,
            value=f"{spec.low_name(item.name)}, {spec.high_name(item.name)}",
        ).font = _NOTE_FONT
        for column in range(2, 7):
            ws.cell(row=row, column=column).number_format = FORMATS.money
        ws.cell(row=row, column=6).font = _BOLD

    # The single-value drivers: low, base, high and the values used.
    top = RANGE_FIRST_ROW
    ws.cell(row=top - 2, column=1, value="Ranges of the benefit drivers").font = _SECTION
    _header(
        ws,
        top - 1,
        [
            (1, "Benefit driver"),
            (2, "Unit"),
            (3, "Low"),
            (4, "Base"),
            (5, "High"),
            (6, "Low used"),
            (7, "High used"),
            (8, "Defined names"),
        ],
    )
    for item in _SINGLE_RANGES:
        row = RANGE_ROWS[item.name]
        ws.cell(row=row, column=1, value=item.label)
        _unit(ws, row, item.unit)
        for column, side in (("C", "low"), ("E", "high")):
            _set_input(ws, f"{column}{row}", None, item.number_format)
            validation = _range_validation(item, side)
            validation.add(f"{column}{row}")
            ws.add_data_validation(validation)
        name_low, name_high = spec.low_name(item.name), spec.high_name(item.name)
        _define(wb, name_low, _ref(sheet, "C", row))
        _define(wb, name_high, _ref(sheet, "E", row))
        ws[f"D{row}"] = f"={item.name}"
        ws[f"F{row}"] = f"=IF(ISBLANK(C{row}),D{row},C{row})"
        ws[f"G{row}"] = f"=IF(ISBLANK(E{row}),D{row},E{row})"
        for column in "DFG":
            ws[f"{column}{row}"].number_format = item.number_format
        ws.cell(row=row, column=8, value=f"{name_low}, {name_high}").font = _NOTE_FONT
    single_rows = f"{min(RANGE_ROWS.values())}:{max(RANGE_ROWS.values())}"
    first_single, last_single = single_rows.split(":")
    ws.conditional_formatting.add(
        f"C{first_single}:C{last_single}",
        FormulaRule(
            formula=[f"AND(NOT(ISBLANK(C{first_single})),C{first_single}>D{first_single})"],
            fill=_BAD_FILL,
        ),
    )
    ws.conditional_formatting.add(
        f"E{first_single}:E{last_single}",
        FormulaRule(
            formula=[f"AND(NOT(ISBLANK(E{first_single})),E{first_single}<D{first_single})"],
            fill=_BAD_FILL,
        ),
    )

    # The row inputs: five rows each (low, base, high, low used, high used).
    first_block = min(min(block.values()) for block in RANGE_ROW_BLOCKS.values())
    ws.cell(row=first_block - 2, column=1, value="Ranges of the cost lines and per-year drivers")
    ws.cell(row=first_block - 2, column=1).font = _SECTION
    _year_header(ws, first_block - 1, "Cost line or driver")
    words = {
        "low": "low",
        "base": "base (the Inputs sheet)",
        "high": "high",
        "low_used": "low used (blank: base)",
        "high_used": "high used (blank: base)",
    }
    for item in _ROW_RANGES:
        block = RANGE_ROW_BLOCKS[item.name]
        columns = YEAR_COLUMNS if item.spec.first_year == 0 else YEAR_COLUMNS[1:]
        for side, row in block.items():
            label = ws.cell(row=row, column=1, value=f"{item.label}: {words[side]}")
            if side == "base":
                label.font = _BOLD
            elif side.endswith("used"):
                label.font = _NOTE_FONT
            _unit(ws, row, item.unit)
            if item.spec.first_year == 1:
                ws[f"{COL_Y0}{row}"] = "(impl.)"
                ws[f"{COL_Y0}{row}"].font = _NOTE_FONT
                ws[f"{COL_Y0}{row}"].alignment = _CENTER
            for index, column in enumerate(columns):
                coordinate = f"{column}{row}"
                if side in ("low", "high"):
                    _set_input(ws, coordinate, None, item.number_format)
                    continue
                if side == "base":
                    ws[coordinate] = f"=INDEX({item.name},1,{index + 1})"
                else:
                    entered = block["low" if side == "low_used" else "high"]
                    ws[coordinate] = (
                        f"=IF(ISBLANK({column}{entered}),{column}{block['base']},{column}{entered})"
                    )
                ws[coordinate].number_format = item.number_format
        for side, define in (("low", spec.low_name), ("high", spec.high_name)):
            row = block[side]
            _define(wb, define(item.name), _ref(sheet, columns[0], row, columns[-1]))
            validation = _range_validation(item, side)
            validation.add(f"{columns[0]}{row}:{columns[-1]}{row}")
            ws.add_data_validation(validation)
            first_cell, base_cell = f"{columns[0]}{row}", f"{columns[0]}{block['base']}"
            sign = ">" if side == "low" else "<"
            ws.conditional_formatting.add(
                f"{columns[0]}{row}:{columns[-1]}{row}",
                FormulaRule(
                    formula=[f"AND(NOT(ISBLANK({first_cell})),{first_cell}{sign}{base_cell})"],
                    fill=_BAD_FILL,
                ),
            )

    # The model once per case: adoption a_t, extra customers E_t, net cash flow and NPV.
    year_row = _MODEL_YEAR_ROW
    ws.cell(
        row=year_row - 1,
        column=1,
        value="The model per scenario and per sensitivity case (as the Calculation sheet)",
    ).font = _SECTION
    _year_header(ws, year_row, "Case")
    ws.cell(row=year_row, column=FIRST_YEAR_COL + len(YEAR_COLUMNS), value="NPV")
    header = ws.cell(row=year_row, column=FIRST_YEAR_COL + len(YEAR_COLUMNS))
    header.font, header.fill, header.alignment = _HEADER_FONT, _HEADER_FILL, _CENTER
    for row, label, formula in (
        (_IN_CASE_ROW, "In the case (1 = year 0..horizon)", "=IF({c}${y}<=HorizonYears,1,0)"),
        (
            _BENEFIT_YEAR_ROW,
            "Benefit year (1 = year 1..horizon)",
            "=IF(AND({c}${y}>=1,{c}${y}<=HorizonYears),1,0)",
        ),
    ):
        ws.cell(row=row, column=1, value=label)
        _unit(ws, row, "flag")
        for column in YEAR_COLUMNS:
            ws[f"{column}{row}"] = formula.format(c=column, y=year_row)
    cost_items = [item for item in _ROW_RANGES if item.spec.first_year == 0]
    for key, sides in _CASES.items():
        net_row = SCENARIO_MODEL_ROWS[key]
        ramp_row, extra_row = net_row - 2, net_row - 1
        if key in SCENARIO_LABELS:
            title = SCENARIO_LABELS[key].label
        else:
            name, side = key.split(":")
            title = f"{spec.INPUTS_BY_NAME[name].label} at {side}"
        d = {
            letter: _side_cell(name, sides.get(name, "base")) for letter, name in _DRIVER_OF.items()
        }
        ramp_side = sides.get("AdoptionRamp", "base")
        other_side = sides.get("OtherBenefits", "base")
        for row, label, unit in (
            (ramp_row, f"{title}: adoption a_t", "%"),
            (extra_row, f"{title}: extra customers E_t", "customers"),
            (net_row, f"{title}: net cash flow", "currency"),
        ):
            cell = ws.cell(row=row, column=1, value=label)
            if row == net_row:
                cell.font = _BOLD
            _unit(ws, row, unit)
        for index, column in enumerate(YEAR_COLUMNS):
            flag = f"{column}${_BENEFIT_YEAR_ROW}"
            if index == 0:
                ws[f"{column}{ramp_row}"] = "=0"
                ws[f"{column}{extra_row}"] = "=0"
                other = "0"
            else:
                previous = YEAR_COLUMNS[index - 1]
                ws[f"{column}{ramp_row}"] = (
                    f"=IF({flag}=1,{_side_cell('AdoptionRamp', ramp_side, column)},0)"
                )
                ws[f"{column}{extra_row}"] = (
                    f"=IF({flag}=1,{previous}{extra_row}*(1-{d['c']})"
                    f"+{d['B']}*{d['dc']}*{column}{ramp_row},0)"
                )
                other = f"IF({flag}=1,{_side_cell('OtherBenefits', other_side, column)},0)"
            a = f"{column}{ramp_row}"
            gross = (
                f"{column}{extra_row}*{d['m']}"
                f"+{d['B']}*{d['m']}*{d['u']}*{a}"
                f"+{d['N']}*{d['CAC']}*{d['k']}*{a}"
                f"+{d['R']}*{d['h']}*{d['W']}*{d['w']}*{d['s']}*{a}"
                f"+{d['C']}*{d['q']}*{d['v']}*{a}"
                f"+{other}"
            )
            lines = "+".join(
                _side_cell(item.name, sides.get(item.name, "base"), column) for item in cost_items
            )
            ws[f"{column}{net_row}"] = (
                f"=({gross})*(1-BenefitRiskAdjustment)"
                f"-IF({column}${_IN_CASE_ROW}=1,({lines})*(1+CostContingency),0)"
            )
            ws[f"{column}{ramp_row}"].number_format = "0.0%"
            ws[f"{column}{extra_row}"].number_format = "#,##0.00"
            ws[f"{column}{net_row}"].number_format = FORMATS.money
        npv = ws[f"{npv_col}{net_row}"]
        npv.value = (
            f"=NPV(DiscountRate,OFFSET({COL_Y1}{net_row},0,0,1,HorizonYears))+{COL_Y0}{net_row}"
        )
        npv.number_format, npv.fill, npv.font = FORMATS.money, _RESULT_FILL, _BOLD

    _finish(
        ws,
        freeze="B4",
        widths={
            "A": 52,
            "B": 15,
            **dict.fromkeys(YEAR_COLUMNS, 13),
            "D": 15,
            "H": 30,
            npv_col: 15,
        },
    )


# ---------------------------------------------------------------------------------------------
# Public API


def build_workbook() -> Workbook:
    """Build the template in memory: every sheet, defined name, style, validation and chart.

    :func:`build_bytes` serialises it; the committed ``crm_appraisal.xlsx`` is those bytes.
    """
    wb = Workbook()
    wb.add_named_style(_input_style())
    start = wb.active
    start.title = spec.SHEET_START
    sheets = {name: wb.create_sheet(name) for name in spec.SHEETS[1:]}
    _start_sheet(start)
    _inputs_sheet(wb, sheets[spec.SHEET_INPUTS])
    _calculation_sheet(wb, sheets[spec.SHEET_CALC])
    _results_sheet(wb, sheets[spec.SHEET_RESULTS])
    _scenarios_sheet(wb, sheets[spec.SHEET_SCENARIOS])
    _customer_sheet(sheets[spec.SHEET_CUSTOMERS])
    _conf_sheet(sheets[spec.SHEET_CONF])
    wb.active = 0
    props = wb.properties
    props.creator = "crmvalue"
    props.lastModifiedBy = "crmvalue"
    props.title = "CRM investment appraisal"
    props.created = BUILD_TIMESTAMP
    props.modified = BUILD_TIMESTAMP
    return wb


def workbook_bytes(wb: Workbook, *, timestamp: datetime.datetime | None = None) -> bytes:
    """Serialise ``wb`` to xlsx bytes, deterministically.

    The document's modified date is ``timestamp`` (default: the fixed build timestamp) and
    every zip member carries the same fixed date and attributes, so the same workbook always
    gives the same bytes.
    """
    wb.properties.modified = timestamp or BUILD_TIMESTAMP
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    with _exact_numbers():
        ExcelWriter(wb, archive).save()  # writes the properties as set above; closes it
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            target.writestr(member, source.read(info.filename), compresslevel=6)
    return out.getvalue()


@contextmanager
def _exact_numbers() -> Iterator[None]:
    """Write every float cell value exactly while saving.

    openpyxl writes numbers with 16 significant digits ("%.16g"), which changes some
    floats in the last bit; Excel writes up to 17. Where 16 digits are not exact this
    writes the shortest exact repr, so a filled workbook reads back to the very inputs
    written into it.
    """
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value: Any) -> str:
        text = original(value)
        if isinstance(value, float) and math.isfinite(value) and float(text) != value:
            return repr(value)
        return text

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def build_bytes() -> bytes:
    """The template as xlsx bytes: the same bytes on every call."""
    return workbook_bytes(build_workbook())


def write_template(path: str | os.PathLike[str] = TEMPLATE_PATH, *, force: bool = True) -> Path:
    """Build the template and write it to ``path`` (default: the packaged template).

    With ``force=False`` an existing file is kept and :class:`TemplateError` raised (what
    ``crmvalue new`` does without ``--force``).
    """
    return write_atomically(path, build_bytes(), force=force)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m workbook_templates.builder [--out PATH]``: regenerate the template."""
    parser = argparse.ArgumentParser(
        prog="python -m workbook_templates.builder",
        description="Build the CRM appraisal template workbook.",
    )
    parser.add_argument(
        "--out", default=str(TEMPLATE_PATH), help="where to write it (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    print(f"wrote {write_template(args.out)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
