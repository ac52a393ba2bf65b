"""The uncertainty pages of the results report (``crmvalue appraise --simulate N``): the
scenario table, the tornado table and chart, the Monte Carlo summary and the histogram of
the NPV. Every number comes from :mod:`crmvalue_core.appraisal` (scenarios, sensitivity,
simulate); this module lays them out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import INPUTS
from crmvalue_core.appraisal.labels import SCENARIO_LABELS
from crmvalue_core.appraisal.report import METRIC_LABELS

from ._case import unit_of
from ._sheet import NUMBER_FORMATS, SECTION_FONT, SheetWriter, text

if TYPE_CHECKING:  # pragma: no cover - the tables come from a simulation, which loads pandas
    import pandas as pd

__all__ = ["UncertaintyReport", "write_uncertainty"]

_SPECS = {spec.name: spec for spec in INPUTS}
_KINDS = {metric.name: metric for metric in METRIC_LABELS}
#: The simulated metrics and how the summary names them.
_SIMULATED = {"npv": "Net present value (NPV)", "irr": "Internal rate of return (IRR)"}
_SIMULATED["payback"] = "Payback"


@dataclass(frozen=True)
class UncertaintyReport:
    """What ``--simulate`` adds to the report, all from the core.

    Attributes:
        scenarios: :func:`crmvalue_core.appraisal.scenarios` (index: the scenario).
        sensitivity: :func:`crmvalue_core.appraisal.sensitivity` (the tornado data).
        summary: ``SimulationResult.summary()`` (index npv, irr, payback).
        counts, edges: ``SimulationResult.histogram("npv", bins)``.
        draws, seed, distribution, correlation: how the simulation was run.
        base_npv: the NPV of the base case.
        measured: the NPV row of the summary with only the measured drivers drawn (the
            other inputs at base), None without measured drivers; measured_inputs: them.
    """

    scenarios: pd.DataFrame
    sensitivity: pd.DataFrame
    summary: pd.DataFrame
    counts: np.ndarray
    edges: np.ndarray
    draws: int
    seed: int
    distribution: str
    correlation: float
    base_npv: float
    measured: pd.Series | None = None
    measured_inputs: tuple[str, ...] = ()


def _number(value: Any) -> float | str:
    """A number for a cell, or "n/a" for NaN (an undefined metric)."""
    number = float(value)
    return number if math.isfinite(number) else "n/a"


#: What the tornado table shows for a per-year input's low, base and high.
BY_YEAR = "by year"


def range_value(value: Any) -> float | str:
    """A low, base or high value for a cell of the tornado table: the number, or for a row
    input (a cost line, the ramp) :data:`BY_YEAR` (its values are in the per-year table).

    Example: ``range_value(0.02)`` is ``0.02``.
    """
    return BY_YEAR if isinstance(value, tuple) else float(value)


def _by_year(
    w: SheetWriter, report: UncertaintyReport, currency: str, horizon: int, first_year: int
) -> None:
    """The low, base and high values of each per-year input, years of the case in columns
    (the cost lines from year 0, the ramp and other benefits from year 1)."""
    rows = [
        (name, row) for name, row in report.sensitivity.iterrows() if isinstance(row["low"], tuple)
    ]
    if not rows:
        return
    w.page_break()
    w.section("Per-year inputs of the tornado: low, base and high by year")
    w.header(["Input", "Unit", *(str(first_year + t) for t in range(horizon + 1))])
    w.header(["", "", *(f"year {t}" for t in range(horizon + 1))])
    for name, row in rows:
        spec = _SPECS[str(name)]
        for side in ("low", "base", "high"):
            values: list[float | None] = [float(v) for v in row[side]]
            values = values[: horizon + 1] if spec.first_year == 0 else [None, *values[:horizon]]
            w.line(f"{spec.label}: {side}", unit_of(spec, currency), values, spec.number_format)


def write_uncertainty(
    w: SheetWriter,
    data: Worksheet,
    report: UncertaintyReport,
    currency: str,
    horizon: int,
    first_year: int,
) -> None:
    """The scenario table, the tornado table and chart, the Monte Carlo summary and the NPV
    histogram, each from a new page; the charts' data go to the sheet ``data``."""
    w.page_break()
    _scenarios(w, report, currency)
    _tornado_table(w, report, currency, horizon, first_year)
    w.page_break()
    _tornado_chart(w, data, report, currency)
    _monte_carlo(w, data, report, currency)


def _scenarios(w: SheetWriter, report: UncertaintyReport, currency: str) -> None:
    w.section(
        f"Scenarios ({len(report.sensitivity)} inputs with a low and a high value)",
        "Each scenario appraised as the base case; n/a: the metric does not exist for it.",
    )
    heads = []
    for metric in METRIC_LABELS:
        unit = {"money": currency, "years": "years"}.get(metric.kind)
        heads.append(f"{metric.label} ({unit})" if unit else metric.label)
    w.header(["Scenario", "", *heads])
    w.ws.row_dimensions[w.row - 1].height = 45
    for key, scenario in SCENARIO_LABELS.items():
        row = report.scenarios.loc[key]
        values = [_number(row[metric.name]) for metric in METRIC_LABELS]
        first = w.line(scenario.label, "", values, NUMBER_FORMATS["money"])
        for column, metric in enumerate(METRIC_LABELS, start=3):
            w.ws.cell(first, column).number_format = NUMBER_FORMATS[metric.kind]
    for scenario in SCENARIO_LABELS.values():
        w.note(f"{scenario.label}: {scenario.meaning}.")


def _tornado_table(
    w: SheetWriter, report: UncertaintyReport, currency: str, horizon: int, first_year: int
) -> None:
    w.section(
        "Sensitivity of the NPV (tornado data)",
        f"Each input at its low and its high value, every other input at base (base NPV "
        f"{currency} {report.base_npv:,.0f}); largest swing first. A per-year input (a cost "
        "line, the adoption ramp): its low, base and high by year follow on the next page.",
    )
    w.header(
        [
            "Input",
            "Unit",
            "Low",
            "Base",
            "High",
            f"NPV at low ({currency})",
            f"NPV at high ({currency})",
            f"Swing ({currency})",
        ]
    )
    w.ws.row_dimensions[w.row - 1].height = 30
    for name, row in report.sensitivity.iterrows():
        spec = _SPECS[str(name)]
        values = [range_value(row[side]) for side in ("low", "base", "high")]
        first = w.line(
            spec.label,
            unit_of(spec, currency),
            [*values, float(row["npv_low"]), float(row["npv_high"]), float(row["swing"])],
            NUMBER_FORMATS["money"],
        )
        for column in (3, 4, 5):
            w.ws.cell(first, column).number_format = spec.number_format
    _by_year(w, report, currency, horizon, first_year)


def _tornado_chart(
    w: SheetWriter, data: Worksheet, report: UncertaintyReport, currency: str
) -> None:
    sheet = data
    start = sheet.max_row + 2 if sheet.max_row > 1 else 1
    for offset, head in enumerate(("Input", "Below the base NPV", "Above the base NPV")):
        text(sheet.cell(start, 1 + offset), head)
    table = report.sensitivity
    for index, (name, row) in enumerate(table.iterrows(), start=start + 1):
        text(sheet.cell(index, 1), _SPECS[str(name)].label)
        sheet.cell(index, 2, float(row["downside"]))
        sheet.cell(index, 3, float(row["upside"]))
    end = start + len(table)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 40
    for column in (2, 3):
        values = Reference(sheet, min_col=column, min_row=start + 1, max_row=end)
        chart.series.append(Series(values, title=str(sheet.cell(start, column).value)))
    chart.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=end))
    chart.title = "Sensitivity of the NPV (tornado)"
    chart.x_axis.scaling.orientation = "maxMin"  # the largest swing on top
    chart.x_axis.tickLblPos = "low"  # the labels left of the bars, not on the base line
    chart.y_axis.title = f"Change of the NPV from the base NPV of {currency} {report.base_npv:,.0f}"
    chart.y_axis.number_format = NUMBER_FORMATS["money"]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.y_axis.crosses = "max"  # the amounts under the bars (the categories run top down)
    chart.height, chart.width = 4 + 0.7 * len(table), 26
    w.section("Sensitivity of the NPV (tornado)")
    w.ws.add_chart(chart, f"A{w.row}")
    w.skip(2 + round(chart.height / 0.53))


def _monte_carlo(w: SheetWriter, data: Worksheet, report: UncertaintyReport, currency: str) -> None:
    w.page_break()
    w.section(
        "Monte Carlo simulation",
        f"{report.draws:,} draws, {report.distribution.upper()} distribution between each "
        f"input's low and high, correlation {report.correlation:g} between the benefit "
        f"drivers, seed {report.seed}. Statistics over the draws where the metric exists.",
    )
    w.header(
        ["Metric", "Unit", "Mean", "Std deviation", "P10", "P50", "P90", "Share < 0", "Defined"]
    )
    for key, label in _SIMULATED.items():
        row = report.summary.loc[key]
        kind = _KINDS[key].kind
        unit = {"money": currency, "percent": "%", "years": "years"}[kind]
        stats = [_number(row[c]) for c in ("mean", "std", "p10", "p50", "p90")]
        shares = [_number(row["p_negative"]), _number(row["defined"])]
        first = w.line(label, unit, [*stats, *shares], NUMBER_FORMATS[kind])
        for column in (8, 9):
            w.ws.cell(first, column).number_format = NUMBER_FORMATS["percent"]
    npv, payback = report.summary.loc["npv"], report.summary.loc["payback"]
    w.note(
        f"Probability of a negative NPV: {float(npv['p_negative']):.1%}; of paying back "
        f"within the horizon: {float(payback['defined']):.1%}.",
        font=SECTION_FONT,
    )
    if report.measured is not None:
        alone = report.measured
        w.note(
            f"Measured drivers only ({', '.join(report.measured_inputs)}), the other inputs "
            f"at base: probability of a negative NPV {float(alone['p_negative']):.1%}; NPV "
            f"P10 {currency} {float(alone['p10']):,.0f}, P90 {currency} "
            f"{float(alone['p90']):,.0f}."
        )
    sheet = data
    start = sheet.max_row + 2
    for offset, head in enumerate((f"NPV from ({currency})", f"NPV to ({currency})", "Draws")):
        text(sheet.cell(start, 1 + offset), head)
    for index, count in enumerate(report.counts):
        sheet.cell(start + 1 + index, 1, float(report.edges[index]))
        sheet.cell(start + 1 + index, 2, float(report.edges[index + 1]))
        sheet.cell(start + 1 + index, 3, int(count))
        for column in (1, 2):
            sheet.cell(start + 1 + index, column).number_format = NUMBER_FORMATS["money"]
    end = start + len(report.counts)
    chart = BarChart()
    chart.gapWidth = 10
    chart.series.append(
        Series(Reference(sheet, min_col=3, min_row=start + 1, max_row=end), title="Draws")
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=end))
    chart.title = f"NPV of {report.draws:,} draws"
    chart.x_axis.title = f"NPV ({currency}), lower end of each bin"
    chart.y_axis.title = "Draws"
    chart.x_axis.number_format = NUMBER_FORMATS["money"]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    chart.height, chart.width = 10, 26
    w.section("Distribution of the NPV (histogram)")
    w.ws.add_chart(chart, f"A{w.row}")
    w.skip(21)
