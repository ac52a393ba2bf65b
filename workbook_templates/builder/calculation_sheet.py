"""The Calculation sheet: the appraisal model year by year, in plain formulas.

The rates used are in C5:C7; the year header in row :data:`~.layout.CALC_YEAR_ROW`; below it
one row per entry of :data:`CALCULATION_PLAN`, year t in column C + t. Every cell is a
formula on the Inputs sheet's defined names, and years after the horizon are 0. The keys of
the plan that are columns of ``crmvalue_core.appraisal.AppraisalResult.years`` hold the
same numbers the core computes (the LibreOffice tests prove it).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import FORMATS

from .. import _spec as spec
from . import parts
from .layout import (
    CALC_RATE_ROWS,
    CALC_YEAR_ROW,
    COL_Y0,
    COL_Y10,
    FIRST_YEAR_COL,
    YEAR_COLUMNS,
    CalcRow,
    CalcSection,
)
from .styles import BOLD, SECTION_FONT

__all__ = ["CALCULATION_CELLS", "CALCULATION_PLAN", "CALCULATION_ROWS", "build"]

_COST_KEYS = tuple(f"cost_{line}" for line in core.COST_LINES)

#: The model rows of the Calculation sheet, top to bottom, with the titles of its sections.
CALCULATION_PLAN: tuple[CalcRow | CalcSection, ...] = (
    CalcRow(
        "calendar_year",
        "Calendar year",
        "year",
        '=IF(ISNUMBER(FirstYear),FirstYear+{c}${y},"")',
        number_format=FORMATS.year,
    ),
    CalcRow(
        "in_case", "In the case (1 = year 0..horizon)", "flag", "=IF({c}${y}<=HorizonYears,1,0)"
    ),
    CalcRow(
        "benefit_year",
        "Benefit year (1 = year 1..horizon)",
        "flag",
        "=IF(AND({c}${y}>=1,{c}${y}<=HorizonYears),1,0)",
    ),
    CalcRow(
        "adoption_ramp",
        "Adoption a_t (0 outside years 1..horizon)",
        "%",
        "=IF({c}${R_benefit_year}=1,INDEX(AdoptionRamp,1,{c}${y}),0)",
        number_format=FORMATS.percent0,
    ),
    CalcSection("Benefits before risk adjustment"),
    CalcRow(
        "extra_customers",
        "Extra customers retained E_t",
        "customers",
        "=IF({c}${R_benefit_year}=1,{p}{r}*(1-ChurnBaseline)"
        "+CustomersActive*ChurnReduction*{c}${R_adoption_ramp},0)",
        number_format="#,##0.00",
        first="=0",
    ),
    CalcRow(
        "retention",
        "Retention benefit (E_t x m)",
        "currency",
        "={c}{R_extra_customers}*MarginPerCustomer",
    ),
    CalcRow(
        "cross_sell",
        "Cross-sell benefit (B x m x u x a_t)",
        "currency",
        "=CustomersActive*MarginPerCustomer*CrossSellUplift*{c}${R_adoption_ramp}",
    ),
    CalcRow(
        "acquisition",
        "Acquisition benefit (N x CAC x k x a_t)",
        "currency",
        "=NewCustomersPerYear*AcquisitionCost*AcquisitionCostReduction*{c}${R_adoption_ramp}",
    ),
    CalcRow(
        "productivity",
        "Productivity benefit (R x h x W x w x s x a_t)",
        "currency",
        "=SalesReps*HoursSavedPerWeek*WorkingWeeks*HourlyCost*ProductivityShare"
        "*{c}${R_adoption_ramp}",
    ),
    CalcRow(
        "service",
        "Service benefit (C x q x v x a_t)",
        "currency",
        "=ServiceCases*CostPerCase*ServiceCostReduction*{c}${R_adoption_ramp}",
    ),
    CalcRow(
        "other",
        "Other benefits (as entered, with added lines)",
        "currency",
        f"=IF({{c}}${{R_benefit_year}}=1,INDEX({spec.BENEFIT_LINE_BLOCK.total_name},1,{{c}}${{y}}),0)",
    ),
    CalcRow(
        "gross_benefits",
        "Gross benefits",
        "currency",
        "=SUM({c}{R_retention}:{c}{R_other})",
        bold=True,
    ),
    CalcRow(
        "risk_adjustment",
        "Risk adjustment (deducted)",
        "currency",
        "={c}{R_gross_benefits}*BenefitRiskAdjustment",
    ),
    CalcRow(
        "benefits",
        "Benefits (risk-adjusted)",
        "currency",
        "={c}{R_gross_benefits}*(1-BenefitRiskAdjustment)",
        bold=True,
    ),
    CalcSection("Costs (0 after the horizon)"),
    *(
        CalcRow(
            key,
            item.label,
            "currency",
            f"=IF({{c}}${{R_in_case}}=1,INDEX({item.name},1,{{c}}${{y}}+1),0)",
        )
        for key, item in zip(_COST_KEYS, spec.COST_LINES, strict=True)
    ),
    CalcRow(
        "cost_added_lines",
        "Added cost lines (rows added to the cost block)",
        "currency",
        f"={{c}}{{R_costs_before_contingency}}-SUM({{c}}{{R_{_COST_KEYS[0]}}}:{{c}}{{R_{_COST_KEYS[-1]}}})",
    ),
    CalcRow(
        "costs_before_contingency",
        "Costs before contingency (every row of the cost block)",
        "currency",
        f"=IF({{c}}${{R_in_case}}=1,INDEX({spec.COST_LINE_BLOCK.total_name},1,{{c}}${{y}}+1),0)",
    ),
    CalcRow(
        "contingency",
        "Contingency",
        "currency",
        "={c}{R_costs_before_contingency}*CostContingency",
    ),
    CalcRow(
        "costs",
        "Costs (with contingency)",
        "currency",
        "={c}{R_costs_before_contingency}*(1+CostContingency)",
        bold=True,
    ),
    CalcSection("Cash flow"),
    CalcRow("net", "Net cash flow", "currency", "={c}{R_benefits}-{c}{R_costs}", bold=True),
    CalcRow(
        "cumulative_net",
        "Cumulative net cash flow",
        "currency",
        "={p}{r}+{c}{R_net}",
        first="={c}{R_net}",
    ),
    CalcRow(
        "discount_factor",
        "Discount factor 1/(1+r)^t",
        "factor",
        "=1/(1+DiscountRate)^{c}${y}",
        number_format="0.000000",
    ),
    CalcRow("pv_net", "Discounted net cash flow", "currency", "={c}{R_net}*{c}{R_discount_factor}"),
    CalcRow(
        "cumulative_pv",
        "Cumulative discounted net cash flow",
        "currency",
        "={p}{r}+{c}{R_pv_net}",
        first="={c}{R_pv_net}",
    ),
    CalcSection("Payback helpers: year t when the cumulative is negative in year t, else -1"),
    CalcRow(
        "negative_cumulative_net",
        "Cumulative net negative",
        "year",
        "=IF(AND({c}${R_in_case}=1,{c}{R_cumulative_net}<0),{c}${y},-1)",
        number_format=FORMATS.year,
    ),
    CalcRow(
        "negative_cumulative_pv",
        "Cumulative discounted net negative",
        "year",
        "=IF(AND({c}${R_in_case}=1,{c}{R_cumulative_pv}<0),{c}${y},-1)",
        number_format=FORMATS.year,
    ),
)


def _plan_rows() -> dict[str, int]:
    """The row of each model row: one after the other, a blank row before each section."""
    rows: dict[str, int] = {}
    row = CALC_YEAR_ROW
    for entry in CALCULATION_PLAN:
        if isinstance(entry, CalcSection):
            row += 2
        else:
            row += 1
            rows[entry.key] = row
    return rows


#: Row of each model row on the Calculation sheet (year t in column C + t). The keys that
#: are columns of ``crmvalue_core.appraisal.AppraisalResult.years`` hold the same numbers.
CALCULATION_ROWS: dict[str, int] = _plan_rows()
#: Single cells (column C) of the Calculation sheet: the rates used and the payback helpers.
CALCULATION_CELLS: dict[str, str] = {
    **{key: f"{COL_Y0}{row}" for key, row in CALC_RATE_ROWS.items()},
    "payback_last_negative": f"{COL_Y0}{max(CALCULATION_ROWS.values()) + 1}",
    "discounted_payback_last_negative": f"{COL_Y0}{max(CALCULATION_ROWS.values()) + 2}",
}


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Calculation sheet: the rates used, the model rows of the plan, the payback
    helpers, and the defined names of the model rows (``Benefits``, ``Costs``,
    ``NetCashFlow``)."""
    parts.title(
        ws,
        "Calculation",
        "The model of the appraisal, year by year. Every cell is a formula on the Inputs; "
        "years after the horizon are 0.",
    )
    sheet = spec.SHEET_CALC
    parts.header(ws, 4, [(1, "Rates used"), (2, "Unit"), (3, "Value")])
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
        row = CALC_RATE_ROWS[key]
        ws.cell(row=row, column=1, value=label)
        parts.unit(ws, row, "%")
        ws.cell(row=row, column=3, value=formula).number_format = FORMATS.percent2

    parts.year_header(ws, CALC_YEAR_ROW, "Year")
    fields = {f"R_{key}": row for key, row in CALCULATION_ROWS.items()}
    row = CALC_YEAR_ROW
    for entry in CALCULATION_PLAN:
        if isinstance(entry, CalcSection):
            row += 2
            ws.cell(row=row, column=1, value=entry.title).font = SECTION_FONT
            continue
        row += 1
        assert row == CALCULATION_ROWS[entry.key]
        ws.cell(row=row, column=1, value=entry.label)
        parts.unit(ws, row, entry.unit)
        for index, column in enumerate(YEAR_COLUMNS):
            text = entry.first if index == 0 and entry.first is not None else entry.formula
            cell = ws[f"{column}{row}"]
            cell.value = text.format(
                c=column,
                p=YEAR_COLUMNS[index - 1] if index else "",
                r=row,
                y=CALC_YEAR_ROW,
                **fields,
            )
            cell.number_format = entry.number_format
        if entry.bold:
            for column in range(1, FIRST_YEAR_COL + len(YEAR_COLUMNS)):
                ws.cell(row=row, column=column).font = BOLD
    for name in spec.MODEL_ROWS:  # Benefits, Costs, NetCashFlow: the rows the core names so
        key = core.RESULT_NAMES[name].removeprefix("years.")
        parts.define(wb, name, parts.ref(sheet, COL_Y0, CALCULATION_ROWS[key], COL_Y10))

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
        parts.unit(ws, cell.row, "year")

    parts.finish(
        ws,
        freeze=f"C{CALC_YEAR_ROW + 1}",
        widths={"A": 46, "B": 11, **dict.fromkeys(YEAR_COLUMNS, 13)},
    )
