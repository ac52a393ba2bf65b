"""The Results sheet: every metric as a native formula, with the add-in as a cross-check.

One row per metric: the native result in B (defined names ``Result...``: what any Excel
shows, with or without the add-in), the unit in C, the add-in's value in D (``Addin...``;
"add-in not enabled" until the crmvalue functions are there), their agreement in E and
what the result computes in F; the PV of each benefit driver in the rows of
:data:`~.layout.RESULTS_DRIVER_ROWS`; two charts below (years 0..horizon, straight lines),
drawn from a chart data block under them.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string as column_index
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.appraisal.labels import DRIVER_LABELS

from .. import _spec as spec
from . import parts
from .calculation_sheet import CALCULATION_CELLS, CALCULATION_ROWS
from .layout import (
    CALC_YEAR_ROW,
    COL_Y0,
    COL_Y10,
    RESULT_ROWS,
    RESULTS_DRIVER_ROWS,
    RESULTS_FIRST_ROW,
    YEAR_COLUMNS,
)
from .styles import BOLD, CENTER, CHECK_FILL, LEFT, NOTE_FONT, RESULT_FILL, RIGHT, SECTION_FONT

__all__ = [
    "ADDIN_COLUMN",
    "AGREEMENT_COLUMN",
    "CHART_DATA_COLUMNS",
    "CHART_DATA_FIRST_ROW",
    "RESULT_COLUMN",
    "MetricRow",
    "build",
]

#: The columns of a result row: the native result (defined name ``Result...``), the unit,
#: the add-in cross-check (``Addin...``), the agreement, and how the result is computed.
RESULT_COLUMN, UNIT_COLUMN, ADDIN_COLUMN, AGREEMENT_COLUMN, HOW_COLUMN = "B", "C", "D", "E", "F"
_COLUMNS = (2, 4, 5)
#: The chart data block under the charts: years 0..10 down from this row (year t in row
#: CHART_DATA_FIRST_ROW + t), #N/A after the horizon so that the charts stop there.
CHART_DATA_FIRST_ROW = max(RESULTS_DRIVER_ROWS.values()) + 24
#: The columns of the chart data block: the year shown, and the values drawn.
CHART_DATA_COLUMNS = {"year": "A", "cumulative_pv": "B", "benefits": "C", "costs": "D"}


@dataclass(frozen=True)
class MetricRow:
    """One metric of the Results sheet: a native result with an add-in cross-check.

    Attributes:
        label: the metric in column A.
        name: the defined name of the native result (column B), ``ResultNPV``; the add-in
            cell (column D) is named :func:`workbook_templates._spec.addin_name` of it.
        native: the native Excel formula (every Excel computes it).
        addin: the add-in expression (no ``=``); the sheet shows "add-in not enabled"
            until the function is there.
        tolerance: the relative tolerance of the agreement (column E).
        unit: the unit in column C (``"currency"``: the case's currency).
        number_format: the number format of columns B and D.
        how: what the native result computes, in words (column F).
    """

    label: str
    name: str
    native: str
    addin: str
    tolerance: float
    unit: str
    number_format: str
    how: str


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Results sheet: each metric and the PV of each benefit driver as a native result,
    the add-in's value beside it as a cross-check, their agreement; two charts below."""
    parts.title(
        ws,
        "Results",
        "Each metric is a native Excel formula (column B), computed in any Excel. Column D "
        "checks it with the crmvalue add-in once the add-in is enabled (see Start).",
    )
    ws["A3"] = (
        '="Case: "&IF(ISBLANK(CaseName),"(unnamed)",CaseName)&"   ·   currency: "&Currency'
        '&"   ·   years 0.."&HorizonYears&IF(ISNUMBER(FirstYear),'
        '" ("&FirstYear&"-"&(FirstYear+HorizonYears)&")","")'
    )
    ws["A3"].font = SECTION_FONT
    parts.header(
        ws,
        RESULTS_FIRST_ROW - 1,
        [
            (1, "Metric"),
            (2, "Result"),
            (3, "Unit"),
            (4, "Add-in cross-check"),
            (5, "Agreement"),
            (6, "How the result is computed"),
        ],
    )
    span = "HorizonYears+1"
    net_all = f"OFFSET(NetCashFlow,0,0,1,{span})"
    benefits_all = f"OFFSET(Benefits,0,0,1,{span})"
    costs_all = f"OFFSET(Costs,0,0,1,{span})"
    calc = spec.SHEET_CALC
    cell_ref = {key: f"{calc}!${c[0]}${c[1:]}" for key, c in CALCULATION_CELLS.items()}
    finance, reinvest = cell_ref["finance_rate"], cell_ref["reinvest_rate"]

    def row_ref(key: str) -> str:
        return parts.ref(calc, COL_Y0, CALCULATION_ROWS[key], COL_Y10)

    def pv(name: str) -> str:
        return f"=NPV(DiscountRate,OFFSET({name},0,1,1,HorizonYears))+INDEX({name},1,1)"

    def payback(last: str, cumulative: str, flows: str) -> str:
        last = cell_ref[last]
        return (
            f"=IF({last}<0,0,IF({last}>=HorizonYears,NA(),"
            f"{last}-INDEX({row_ref(cumulative)},1,{last}+1)/INDEX({row_ref(flows)},1,{last}+2)))"
        )

    metrics: dict[str, MetricRow] = {
        "npv": MetricRow(
            label="NPV",
            name="ResultNPV",
            native=pv("NetCashFlow"),
            addin=f"NPV_CRM(DiscountRate,{net_all})",
            tolerance=1e-9,
            unit="currency",
            number_format=FORMATS.money2,
            how="NPV(rate, net years 1..horizon) + net year 0 (year 0 is not discounted)",
        ),
        "irr": MetricRow(
            label="IRR",
            name="ResultIRR",
            native=f"=IRR({net_all})",
            addin=f"IRR_CRM({net_all})",
            tolerance=1e-7,
            unit="%",
            number_format=FORMATS.percent2,
            how="IRR(net years 0..horizon)",
        ),
        "mirr": MetricRow(
            label="MIRR",
            name="ResultMIRR",
            native=f"=MIRR({net_all},{finance},{reinvest})",
            addin=f"MIRR_CRM({net_all},{finance},{reinvest})",
            tolerance=1e-9,
            unit="%",
            number_format=FORMATS.percent2,
            how="MIRR(net years 0..horizon, finance rate, reinvestment rate)",
        ),
        "roi": MetricRow(
            label="ROI",
            name="ResultROI",
            native="=IF(ResultPVCosts>0,(ResultPVBenefits-ResultPVCosts)/ResultPVCosts,NA())",
            addin=f"ROI_CRM(DiscountRate,{benefits_all},{costs_all})",
            tolerance=1e-9,
            unit="%",
            number_format=FORMATS.percent2,
            how="(PV of benefits - PV of costs) / PV of costs",
        ),
        "payback": MetricRow(
            label="Payback",
            name="ResultPayback",
            native=payback("payback_last_negative", "cumulative_net", "net"),
            addin=f"PAYBACK({net_all})",
            tolerance=1e-9,
            unit="years",
            number_format="0.00",
            how="last year L with a negative cumulative net + its deficit / the net of year L+1",
        ),
        "discounted_payback": MetricRow(
            label="Discounted payback",
            name="ResultDiscountedPayback",
            native=payback("discounted_payback_last_negative", "cumulative_pv", "pv_net"),
            addin=f"DISCOUNTED_PAYBACK(DiscountRate,{net_all})",
            tolerance=1e-9,
            unit="years",
            number_format="0.00",
            how="the same on the discounted net cash flows",
        ),
        "pi": MetricRow(
            label="Profitability index",
            name="ResultPI",
            native="=IF(ResultPVCosts>0,ResultPVBenefits/ResultPVCosts,NA())",
            addin=f"PI_CRM(DiscountRate,{benefits_all},{costs_all})",
            tolerance=1e-9,
            unit="ratio",
            number_format="0.000",
            how="PV of benefits / PV of costs",
        ),
        "pv_benefits": MetricRow(
            label="PV of benefits",
            name="ResultPVBenefits",
            native=pv("Benefits"),
            addin=f"NPV_CRM(DiscountRate,{benefits_all})",
            tolerance=1e-9,
            unit="currency",
            number_format=FORMATS.money2,
            how="NPV(rate, benefits years 1..horizon) + benefits year 0",
        ),
        "pv_costs": MetricRow(
            label="PV of costs",
            name="ResultPVCosts",
            native=pv("Costs"),
            addin=f"NPV_CRM(DiscountRate,{costs_all})",
            tolerance=1e-9,
            unit="currency",
            number_format=FORMATS.money2,
            how="NPV(rate, costs years 1..horizon) + costs year 0",
        ),
    }
    for key, row in RESULT_ROWS.items():
        metric = metrics[key]
        parts.compare_row(
            ws,
            row,
            metric.label,
            metric.native,
            metric.addin,
            metric.number_format,
            columns=_COLUMNS,
            tolerance=metric.tolerance,
        )
        ws.cell(row=row, column=1).font = BOLD
        ws.cell(row=row, column=2).font = BOLD
        parts.unit(ws, row, metric.unit, column=3)
        ws.cell(row=row, column=6, value=metric.how).font = NOTE_FONT
        parts.define(wb, metric.name, parts.ref(spec.SHEET_RESULTS, RESULT_COLUMN, row))
        parts.define(
            wb, spec.addin_name(metric.name), parts.ref(spec.SHEET_RESULTS, ADDIN_COLUMN, row)
        )
    last_metric = max(RESULT_ROWS.values())
    agreement = AGREEMENT_COLUMN
    parts.flag_formatting(ws, f"{agreement}{RESULTS_FIRST_ROW}:{agreement}{last_metric}")
    ws.cell(
        row=last_metric + 1,
        column=1,
        value="Agreement: the add-in's value equals the result within 1E-9 relative "
        "(IRR 1E-7); 'agrees (both undefined)': neither exists, the add-in says why.",
    ).font = NOTE_FONT

    # What drives the case: the present value of each benefit driver, risk-adjusted.
    first_driver = min(RESULTS_DRIVER_ROWS.values())
    ws.cell(row=first_driver - 2, column=1, value="What drives the case").font = SECTION_FONT
    parts.header(
        ws,
        first_driver - 1,
        [
            (1, "Benefit driver (PV, risk-adjusted)"),
            (2, "PV"),
            (3, "Unit"),
            (4, "Add-in cross-check"),
            (5, "Agreement"),
            (6, "Share of the PV of benefits"),
        ],
    )
    for key, row in RESULTS_DRIVER_ROWS.items():
        first = parts.ref(calc, COL_Y0, CALCULATION_ROWS[key])
        parts.compare_row(
            ws,
            row,
            DRIVER_LABELS[key],
            f"=(NPV(DiscountRate,OFFSET({first},0,1,1,HorizonYears))+{first})"
            "*(1-BenefitRiskAdjustment)",
            f"NPV_CRM(DiscountRate,OFFSET({first},0,0,1,{span}))*(1-BenefitRiskAdjustment)",
            FORMATS.money2,
            columns=_COLUMNS,
        )
        parts.unit(ws, row, "currency", column=3)
        cell = ws.cell(
            row=row, column=6, value=f'=IF(ResultPVBenefits=0,"",B{row}/ResultPVBenefits)'
        )
        cell.number_format = FORMATS.percent
        cell.alignment = LEFT
    last_driver = max(RESULTS_DRIVER_ROWS.values())
    total = last_driver + 1
    drivers = f"D{first_driver}:D{last_driver}"
    ws.cell(row=total, column=1, value="Total = PV of benefits")
    cell = ws.cell(row=total, column=2, value=f"=SUM(B{first_driver}:B{last_driver})")
    cell.number_format, cell.fill = FORMATS.money2, RESULT_FILL
    cell = ws.cell(
        row=total,
        column=4,
        value=f'=IF(COUNTIF({drivers},"{parts.NOT_ENABLED}")>0,"{parts.NOT_ENABLED}",'
        f"SUM({drivers}))",
    )
    cell.number_format, cell.fill, cell.alignment = FORMATS.money2, CHECK_FILL, RIGHT
    ws.cell(row=total, column=5, value=parts.agreement_formula(f"B{total}", f"D{total}"))
    ws.cell(row=total, column=5).alignment = CENTER
    for column in (1, 2, 4):
        ws.cell(row=total, column=column).font = BOLD
    parts.unit(ws, total, "currency", column=3)
    parts.flag_formatting(ws, f"E{first_driver}:E{total}")

    _charts(ws, total + 3)
    parts.finish(
        ws,
        freeze=f"B{RESULTS_FIRST_ROW}",
        widths={"A": 34, "B": 21, "C": 17, "D": 18, "E": 22, "F": 64},
    )


def _charts(ws: Worksheet, top: int) -> None:
    """Two charts at row ``top`` and their data block below them.

    Scatter charts with straight lines: the year (x) is #N/A after the horizon, so both
    charts stop at it in Excel and in LibreOffice (a category axis would show every year
    of its range). Each series is named by its header cell, with the case's currency.
    """
    calc = spec.SHEET_CALC
    first = CHART_DATA_FIRST_ROW
    last = first + len(YEAR_COLUMNS) - 1
    ws.cell(row=first - 2, column=1, value="Chart data (years 0..horizon)").font = SECTION_FONT
    labels = {
        "year": '=IF(ISNUMBER(FirstYear),"Calendar year","Year")',
        "cumulative_pv": '="Cumulative PV ("&Currency&")"',
        "benefits": '="Benefits ("&Currency&")"',
        "costs": '="Costs ("&Currency&")"',
    }
    parts.header(
        ws,
        first - 1,
        [(column_index(letter), labels[key]) for key, letter in CHART_DATA_COLUMNS.items()],
    )
    for index, column in enumerate(YEAR_COLUMNS):
        row = first + index
        year = f"{calc}!${column}${CALC_YEAR_ROW}"
        for key, letter in CHART_DATA_COLUMNS.items():
            if key == "year":
                shown, number_format = f"IF(ISNUMBER(FirstYear),FirstYear+{year},{year})", "0"
            else:
                shown = f"{calc}!${column}${CALCULATION_ROWS[key]}"
                number_format = FORMATS.money
            cell = ws[f"{letter}{row}"]
            cell.value = f"=IF({year}<=HorizonYears,{shown},NA())"
            cell.number_format = number_format
    block = f"A{first}:D{last}"
    ws.conditional_formatting.add(  # after the horizon: hide the #N/A that stops the charts
        block, FormulaRule(formula=[f"ISNA(A{first})"], font=Font(color="FFFFFF"))
    )

    def title_of(key: str) -> SeriesLabel:
        """The series' name: its header cell, which names the currency."""
        cell = parts.ref(spec.SHEET_RESULTS, CHART_DATA_COLUMNS[key], first - 1)
        return SeriesLabel(strRef=StrRef(cell))

    def values(key: str) -> Reference:
        column = column_index(CHART_DATA_COLUMNS[key])
        return Reference(ws, min_col=column, min_row=first, max_row=last)

    def chart(title: str, keys: tuple[str, ...], colours: tuple[str, ...]) -> ScatterChart:
        made = ScatterChart()
        made.title = title
        made.style = 2
        made.scatterStyle = "lineMarker"
        for key, colour in zip(keys, colours, strict=True):
            series = Series(values(key), values("year"))
            series.tx = title_of(key)
            series.smooth = False  # straight segments: a smoothed line overshoots
            series.marker.symbol = "circle"
            series.marker.size = 6
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 22000
            series.marker.graphicalProperties.solidFill = colour
            series.marker.graphicalProperties.line.solidFill = colour
            made.series.append(series)
        made.x_axis.title = "Year"
        made.x_axis.majorUnit = 1
        made.x_axis.number_format = "0"
        made.x_axis.majorGridlines = None
        # LibreOffice 7.4 cannot show an axis title linked to a cell: the legend names the
        # currency (each series' name is its header cell, e.g. "Benefits (EUR)").
        made.y_axis.title = "Amount (currency: see legend)"
        made.x_axis.tickLblPos = "low"  # below the plot, not on the zero line
        made.y_axis.number_format = "#,##0"
        made.x_axis.delete = False  # openpyxl 3.1 leaves "delete" unset: Excel hides the axes
        made.y_axis.delete = False
        made.height, made.width = 8, 16
        made.legend.position = "b"
        return made

    ws.add_chart(
        chart("Cumulative discounted cash flow", ("cumulative_pv",), ("1F4E79",)), f"A{top}"
    )
    ws.add_chart(
        chart("Benefits and costs per year", ("benefits", "costs"), ("548235", "C00000")),
        f"E{top}",
    )
