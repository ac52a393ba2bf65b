"""The results workbook of ``crmvalue appraise --out``: values and charts, no formulas.

Where the template computes with live formulas, the results workbook is a record: the
metrics and the year-by-year table of :class:`crmvalue_core.appraisal.AppraisalResult`
written as values (so any viewer shows them, with or without the add-in), and two charts
(cumulative discounted cash flow, drawn with straight segments; benefits against costs
per year), both over years 0..horizon only, their value axis titled with the currency.
Every number comes from the core; this module only lays it out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font

from crmvalue_core.appraisal import AppraisalResult, PlausibilityWarning
from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.appraisal.report import METRIC_LABELS, MetricLabel

from .files import write_atomically
from .serialise import workbook_bytes

__all__ = ["results_workbook", "write_results_workbook"]

# The number format of each kind of number.
_FORMATS = {
    "money": FORMATS.money,
    "percent": FORMATS.percent,
    "years": "0.00",
    "ratio": "0.00",
    "share": FORMATS.percent0,
    "count": FORMATS.number,
    "factor": "0.0000",
}


def _label(metric: MetricLabel) -> str:
    """The metric's label, with the unit where the cell cannot show it: "Payback (years)"."""
    return f"{metric.label} (years)" if metric.kind == "years" else metric.label


def _format_of(column: str) -> str:
    if column == "adoption_ramp":
        return _FORMATS["share"]
    if column == "extra_customers":
        return _FORMATS["count"]
    if column == "discount_factor":
        return _FORMATS["factor"]
    return _FORMATS["money"]


def _text(cell, value: str) -> None:  # type: ignore[no-untyped-def]
    """Write user text as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"


def results_workbook(
    result: AppraisalResult, warnings: Sequence[PlausibilityWarning] = ()
) -> Workbook:
    """Lay out ``result`` as a workbook: sheets Results and Years, with two charts.

    ``warnings`` (:func:`crmvalue_core.appraisal.plausibility_warnings`, located by the
    command) are listed in a Warnings block below the drivers, announced in red under the
    title; they change no number.
    """
    general = result.inputs.general
    horizon = general.horizon_years
    wb = Workbook()
    ws = wb.active
    ws.title = "Results"
    _text(ws["A1"], f"CRM appraisal: {general.case_name}")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{general.currency}, years {general.first_year}-{general.first_year + horizon}, "
        "values computed by crmvalue (no formulas)"
    )
    ws["A4"], ws["B4"], ws["C4"] = "Metric", "Value", "Note"
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row, metric in enumerate(METRIC_LABELS, start=5):
        ws.cell(row, 1, _label(metric))
        value = getattr(result, metric.name)
        if value is None:
            ws.cell(row, 2, "n/a")
            _text(ws.cell(row, 3), result.notes.get(metric.name, ""))
        else:
            ws.cell(row, 2, value).number_format = _FORMATS[metric.kind]
    row = 5 + len(METRIC_LABELS) + 1
    ws.cell(row, 1, "PV of each benefit driver (after risk adjustment)").font = Font(bold=True)
    for offset, (driver, value) in enumerate(result.pv_drivers.items(), start=1):
        ws.cell(row + offset, 1, driver)
        ws.cell(row + offset, 2, value).number_format = _FORMATS["money"]
    if warnings:
        _warnings_block(ws, row + len(result.pv_drivers) + 2, warnings)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 40

    years = wb.create_sheet("Years")
    table = result.years.iloc[: horizon + 1]
    years.cell(1, 1, "Row").font = Font(bold=True)
    for column_index, year in enumerate(table.index, start=2):
        years.cell(1, column_index, f"Year {year}").font = Font(bold=True)
    for row_index, column in enumerate(table.columns, start=2):
        years.cell(row_index, 1, column)
        number_format = "0" if column == "calendar_year" else _format_of(column)
        for column_index, value in enumerate(table[column], start=2):
            years.cell(row_index, column_index, float(value)).number_format = number_format
    years.column_dimensions["A"].width = 26
    years.freeze_panes = "B2"

    columns = list(table.columns)
    last = 1 + len(table.index)
    categories = Reference(years, min_col=2, max_col=last, min_row=1)

    line = LineChart()
    line.title = "Cumulative discounted cash flow"
    line.y_axis.title = general.currency
    cumulative_row = 2 + columns.index("cumulative_pv")
    line.add_data(
        Reference(years, min_col=1, max_col=last, min_row=cumulative_row),
        from_rows=True,
        titles_from_data=True,
    )
    line.set_categories(categories)
    for series in line.series:
        series.smooth = False  # straight segments: a smoothed line overshoots the values
    bar = BarChart()
    bar.title = "Benefits and costs per year"
    bar.y_axis.title = general.currency
    for column in ("benefits", "costs"):
        data_row = 2 + columns.index(column)
        bar.add_data(
            Reference(years, min_col=1, max_col=last, min_row=data_row),
            from_rows=True,
            titles_from_data=True,
        )
    bar.set_categories(categories)
    for chart in (line, bar):
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height, chart.width = 8, 16
    ws.add_chart(line, "E4")
    ws.add_chart(bar, "E22")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def _warnings_block(ws, row: int, warnings: Sequence[PlausibilityWarning]) -> None:  # type: ignore[no-untyped-def]
    """The warnings, one per row from ``row`` (where, then the question), and a red line
    under the title that points to them."""
    red = Font(bold=True, color="C00000")
    count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
    _text(ws["A3"], f"Check the inputs: {count} below (the numbers use the values as entered)")
    ws["A3"].font = red
    ws.cell(row, 1, "Warnings: valid values that look like a slip").font = red
    for offset, warning in enumerate(warnings, start=1):
        cell = ws.cell(row + offset, 1)
        _text(cell, warning.line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row + offset, start_column=1, end_row=row + offset, end_column=3)
        ws.row_dimensions[row + offset].height = 15 * (1 + len(cell.value) // 110)


def write_results_workbook(
    result: AppraisalResult,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    warnings: Sequence[PlausibilityWarning] = (),
) -> Path:
    """Write the results workbook of ``result`` (with its ``warnings``) to ``path`` (temp
    file, then rename).

    An existing ``path`` is kept unless ``force=True``
    (:class:`~workbook_templates.errors.FileError` otherwise).
    """
    return write_atomically(path, workbook_bytes(results_workbook(result, warnings)), force=force)
