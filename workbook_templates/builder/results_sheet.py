"""The Results sheet: every metric twice, once by the add-in and once by native Excel.

One row per metric: the add-in formula in B (defined names ``Result...``), the native check
in C (``Check...``), the agreement flag in D, the tolerance in E, the unit in F and what the
check computes in G; the PV of each benefit driver in the rows of
:data:`~.layout.RESULTS_DRIVER_ROWS`; two charts below, on the Calculation sheet's rows.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.appraisal.labels import DRIVER_LABELS

from .. import _spec as spec
from . import parts
from .calculation_sheet import CALCULATION_CELLS, CALCULATION_ROWS
from .layout import (
    COL_Y0,
    COL_Y10,
    FIRST_YEAR_COL,
    RESULT_ROWS,
    RESULTS_DRIVER_ROWS,
    RESULTS_FIRST_ROW,
    YEAR_COLUMNS,
    MetricRow,
)
from .styles import BOLD, NOTE_FONT, SECTION_FONT

__all__ = ["build"]


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Results sheet: each metric and the PV of each benefit driver, computed by the
    add-in and by a native check, with their agreement; two charts below."""
    parts.title(
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
    ws["A3"].font = SECTION_FONT
    columns = [(2, "Add-in result"), (3, "Native Excel check"), (4, "Agreement")]
    parts.header(
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
            result_name="ResultNPV",
            addin=f"=NPV_CRM(DiscountRate,{net_all})",
            check_name="CheckNPV",
            native=pv("NetCashFlow"),
            tolerance=1e-9,
            unit="currency",
            number_format=FORMATS.money2,
            how="NPV(rate, net years 1..horizon) + net year 0",
        ),
        "irr": MetricRow(
            label="IRR",
            result_name="ResultIRR",
            addin=f"=IRR_CRM({net_all})",
            check_name="CheckIRR",
            native=f"=IRR({net_all})",
            tolerance=1e-7,
            unit="%",
            number_format=FORMATS.percent2,
            how="IRR(net years 0..horizon)",
        ),
        "mirr": MetricRow(
            label="MIRR",
            result_name="ResultMIRR",
            addin=f"=MIRR_CRM({net_all},{finance},{reinvest})",
            check_name="CheckMIRR",
            native=f"=MIRR({net_all},{finance},{reinvest})",
            tolerance=1e-9,
            unit="%",
            number_format=FORMATS.percent2,
            how="MIRR(net years 0..horizon, finance rate, reinvestment rate)",
        ),
        "roi": MetricRow(
            label="ROI",
            result_name="ResultROI",
            addin=f"=ROI_CRM(DiscountRate,{benefits_all},{costs_all})",
            check_name=None,
            native="=IF(CheckPVCosts>0,(CheckPVBenefits-CheckPVCosts)/CheckPVCosts,NA())",
            tolerance=1e-9,
            unit="%",
            number_format=FORMATS.percent2,
            how="(PV of benefits - PV of costs) / PV of costs",
        ),
        "payback": MetricRow(
            label="Payback",
            result_name="ResultPayback",
            addin=f"=PAYBACK({net_all})",
            check_name=None,
            native=payback("payback_last_negative", "cumulative_net", "net"),
            tolerance=1e-9,
            unit="years",
            number_format="0.00",
            how="last year L with a negative cumulative net + its deficit / the net of year L+1",
        ),
        "discounted_payback": MetricRow(
            label="Discounted payback",
            result_name="ResultDiscountedPayback",
            addin=f"=DISCOUNTED_PAYBACK(DiscountRate,{net_all})",
            check_name=None,
            native=payback("discounted_payback_last_negative", "cumulative_pv", "pv_net"),
            tolerance=1e-9,
            unit="years",
            number_format="0.00",
            how="the same on the discounted net cash flows",
        ),
        "pi": MetricRow(
            label="Profitability index",
            result_name="ResultPI",
            addin=f"=PI_CRM(DiscountRate,{benefits_all},{costs_all})",
            check_name=None,
            native="=IF(CheckPVCosts>0,CheckPVBenefits/CheckPVCosts,NA())",
            tolerance=1e-9,
            unit="ratio",
            number_format="0.000",
            how="PV of benefits / PV of costs",
        ),
        "pv_benefits": MetricRow(
            label="PV of benefits",
            result_name="ResultPVBenefits",
            addin=f"=NPV_CRM(DiscountRate,{benefits_all})",
            check_name="CheckPVBenefits",
            native=pv("Benefits"),
            tolerance=1e-9,
            unit="currency",
            number_format=FORMATS.money2,
            how="NPV(rate, benefits years 1..horizon) + benefits year 0",
        ),
        "pv_costs": MetricRow(
            label="PV of costs",
            result_name="ResultPVCosts",
            addin=f"=NPV_CRM(DiscountRate,{costs_all})",
            check_name="CheckPVCosts",
            native=pv("Costs"),
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
            metric.addin,
            metric.native,
            metric.number_format,
            metric.tolerance,
        )
        ws.cell(row=row, column=1).font = BOLD
        ws.cell(row=row, column=2).font = BOLD
        parts.unit(ws, row, metric.unit, column=6)
        ws.cell(row=row, column=7, value=metric.how).font = NOTE_FONT
        parts.define(wb, metric.result_name, parts.ref(spec.SHEET_RESULTS, "B", row))
        if metric.check_name:
            parts.define(wb, metric.check_name, parts.ref(spec.SHEET_RESULTS, "C", row))
    last_metric = max(RESULT_ROWS.values())
    parts.flag_formatting(ws, f"D{RESULTS_FIRST_ROW}:D{last_metric}")

    # What drives the case: the present value of each benefit driver, risk-adjusted.
    first_driver = min(RESULTS_DRIVER_ROWS.values())
    ws.cell(row=first_driver - 2, column=1, value="What drives the case").font = SECTION_FONT
    parts.header(
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
        first = parts.ref(calc, COL_Y0, CALCULATION_ROWS[key])
        parts.compare_row(
            ws,
            row,
            DRIVER_LABELS[key],
            f"=NPV_CRM(DiscountRate,OFFSET({first},0,0,1,{span}))*(1-BenefitRiskAdjustment)",
            f"=(NPV(DiscountRate,OFFSET({first},0,1,1,HorizonYears))+{first})"
            "*(1-BenefitRiskAdjustment)",
            FORMATS.money2,
        )
        parts.unit(ws, row, "currency", column=6)
        cell = ws.cell(row=row, column=7, value=f'=IF(CheckPVBenefits=0,"",C{row}/CheckPVBenefits)')
        cell.number_format = FORMATS.percent
    last_driver = max(RESULTS_DRIVER_ROWS.values())
    total = last_driver + 1
    parts.compare_row(
        ws,
        total,
        "Total = PV of benefits",
        f"=SUM(B{first_driver}:B{last_driver})",
        f"=SUM(C{first_driver}:C{last_driver})",
        FORMATS.money2,
    )
    for column in (1, 2, 3):
        ws.cell(row=total, column=column).font = BOLD
    parts.unit(ws, total, "currency", column=6)
    parts.flag_formatting(ws, f"D{first_driver}:D{total}")

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

    parts.finish(
        ws,
        freeze=f"B{RESULTS_FIRST_ROW}",
        widths={"A": 34, "B": 18, "C": 18, "D": 18, "E": 10, "F": 10, "G": 64},
    )
