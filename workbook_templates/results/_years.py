"""The year-by-year table of the results report and its two charts.

The rows, their labels, units and number formats are those of the template's Calculation
sheet (:data:`workbook_templates.builder.calculation_sheet.CALCULATION_PLAN`), so the
report reads like the workbook; the numbers are the core's
(:attr:`crmvalue_core.appraisal.AppraisalResult.years`), years 0..horizon.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference, Series

from crmvalue_core.appraisal import AppraisalResult

from ..builder.calculation_sheet import CALCULATION_PLAN
from ..builder.layout import CalcSection
from ._sheet import FIRST_VALUE_COLUMN, NUMBER_FORMATS, SECTION_FONT, SheetWriter, text

__all__ = ["unit_words", "write_charts", "write_year_table"]

#: Rows of the Calculation sheet the report leaves out (the calendar year is the header).
_LEFT_OUT = {"calendar_year"}
#: Rows drawn with a rule above and in bold: the totals.
_TOTALS = {"gross_benefits", "benefits", "costs", "net"}
#: Chart height in rows of the sheet (10 cm at the default row height), plus a margin.
CHART_ROWS = 21


def unit_words(unit: str, currency: str) -> str:
    """The unit of a Calculation row as the report shows it: the case's currency for an
    amount, nothing for a factor.

    Example: ``unit_words("currency", "EUR")`` is ``"EUR"``.
    """
    return {"currency": currency, "factor": "", "flag": ""}.get(unit, unit)


def write_year_table(w: SheetWriter, result: AppraisalResult) -> dict[str, int]:
    """The table of years 0..horizon under a header of calendar years; returns the row of
    each model row (for the charts) and ``"header"``, the row of the calendar years."""
    general = result.inputs.general
    last = general.horizon_years + 1
    frame = {name: values[:last] for name, values in result.columns.items()}
    w.section(
        f"Year by year ({general.currency})",
        "The rows and labels of the workbook's Calculation sheet. Costs are 0 after the "
        "horizon; benefits start in year 1.",
    )
    rows = {"header": w.row}
    w.header(["Year", "Unit", *(str(int(year)) for year in frame["calendar_year"])])
    w.header(["", "", *(f"year {t}" for t in range(last))])
    section = None
    for entry in CALCULATION_PLAN:
        if isinstance(entry, CalcSection):
            section = entry.title
            continue
        if entry.key in _LEFT_OUT or entry.key not in frame:
            continue
        if section is not None:  # a section title, when a row of the section is shown
            cell = w.ws.cell(w.row, 1)
            text(cell, section)
            cell.font = SECTION_FONT
            w.row, section = w.row + 1, None
        rows[entry.key] = w.line(
            entry.label,
            unit_words(entry.unit, general.currency),
            [float(value) for value in frame[entry.key]],
            entry.number_format,
            bold=entry.key in _TOTALS,
            rule=entry.key in _TOTALS,
        )
        _added_lines(w, result, entry.key)
    return rows


def _added_lines(w: SheetWriter, result: AppraisalResult, key: str) -> None:
    """Under the added cost lines and the other benefits, each added line as entered."""
    horizon = result.inputs.general.horizon_years
    currency = result.inputs.general.currency
    if key == "cost_added_lines":
        for line in result.inputs.costs.added_lines:
            amounts = list(line.amounts[: horizon + 1])
            w.line(f"  of which: {line.label}", currency, amounts, NUMBER_FORMATS["money"])
    elif key == "other":
        for line in result.inputs.benefits.other_benefit_lines:
            amounts = [None, *line.amounts[:horizon]]
            w.line(f"  of which: {line.label}", currency, amounts, NUMBER_FORMATS["money"])


def write_charts(w: SheetWriter, result: AppraisalResult, rows: dict[str, int]) -> None:
    """Two charts side by side under the table: the cumulative discounted cash flow and
    the benefits against the costs per year, years 0..horizon, titled with the currency."""
    general = result.inputs.general
    last = FIRST_VALUE_COLUMN + general.horizon_years
    labels = {entry.key: entry.label for entry in CALCULATION_PLAN if hasattr(entry, "key")}
    categories = Reference(w.ws, min_col=FIRST_VALUE_COLUMN, max_col=last, min_row=rows["header"])

    def series(key: str) -> Series:
        values = Reference(w.ws, min_col=FIRST_VALUE_COLUMN, max_col=last, min_row=rows[key])
        return Series(values, title=f"{labels[key]} ({general.currency})")

    line = LineChart()
    line.title = "Cumulative discounted net cash flow"
    line.series.append(series("cumulative_pv"))
    line.series[0].smooth = False  # straight segments: a smoothed line overshoots
    bar = BarChart()
    bar.title = "Benefits and costs per year"
    for key in ("benefits", "costs"):
        bar.series.append(series(key))
    for chart in (line, bar):
        chart.set_categories(categories)
        chart.x_axis.title = "Year"
        chart.y_axis.title = general.currency
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.x_axis.tickLblPos = "low"  # the years under the chart, not at 0
        chart.legend.position = "b"
        chart.height, chart.width = 10, 17
    w.section("Charts (years 0..horizon)")
    w.ws.add_chart(line, f"A{w.row}")
    w.ws.add_chart(bar, f"E{w.row}")
    w.skip(CHART_ROWS)
