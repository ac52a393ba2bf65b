"""The blocks of the results report that describe one case: the cover (the case, its
general assumptions, where it comes from), the benefit drivers' inputs, the metrics, what
drives the benefits and the warnings. Labels, units and number formats are those of the
template (:data:`crmvalue_core.appraisal.input_table.INPUTS`); every number comes from the
core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Font

from crmvalue_core.appraisal import AppraisalResult, PlausibilityWarning
from crmvalue_core.appraisal.input_table import INPUTS, InputSpec
from crmvalue_core.appraisal.labels import DRIVER_LABELS
from crmvalue_core.appraisal.report import METRIC_LABELS

from .._spec import DRIVER_BLOCKS, GENERAL_BLOCK
from ._sheet import (
    BOLD,
    FIRST_VALUE_COLUMN,
    NOTE_FONT,
    NUMBER_FORMATS,
    RED,
    TITLE_FONT,
    SheetWriter,
    text,
)

__all__ = ["Provenance", "write_case"]

#: The general assumptions of the cover, in the order of the Inputs sheet.
GENERAL_NAMES: tuple[str, ...] = tuple(item.name for item in GENERAL_BLOCK.inputs)
_SPECS = {spec.name: spec for spec in INPUTS}
#: A note beside a value: left, one indent from the value, wrapped at the top.
NOTE_ALIGNMENT = Alignment(horizontal="left", indent=1, vertical="top", wrap_text=True)
_METRIC_UNITS = {"percent": "%", "years": "years", "ratio": "ratio"}


@dataclass(frozen=True)
class Provenance:
    """Where a report comes from: the input file's ``name`` and ``sha256`` (hex digest),
    the ``date`` of the appraisal (ISO, ``2026-12-03``) and crmvalue's ``version``.

    Example: ``Provenance("case.xlsx", "9f86d0...", "2026-12-03", "0.1.0")``.
    """

    name: str
    sha256: str
    date: str
    version: str


def unit_of(spec: InputSpec, currency: str) -> str:
    """The unit shown beside an input: the case's currency for an amount, else the
    template's unit ("%", "customers", "years").

    Example: ``unit_of(spec_of("MarginPerCustomer"), "EUR")`` is ``"EUR"``.
    """
    return currency if spec.unit == "currency" else spec.unit


def input_value(result: AppraisalResult, spec: InputSpec) -> Any:
    """The value of the input ``spec`` in the case of ``result`` (its field path, e.g.
    ``general.discount_rate``)."""
    value: Any = result.inputs
    for part in spec.path.split("."):
        value = getattr(value, part)
    return value


def _assumption(w: SheetWriter, result: AppraisalResult, spec: InputSpec) -> None:
    general = result.inputs.general
    value = input_value(result, spec)
    note = ""
    if value is None and spec.blank == "default":  # a MIRR rate left blank
        value, note = general.discount_rate, "blank on the Inputs sheet: the discount rate"
    elif spec.note:
        note = spec.note
    row = w.line(
        spec.label, unit_of(spec, general.currency), [value], spec.number_format, align="left"
    )
    if note:
        w.ws.cell(row, FIRST_VALUE_COLUMN + 1).value = note
        w.ws.cell(row, FIRST_VALUE_COLUMN + 1).font = NOTE_FONT
        w.ws.cell(row, FIRST_VALUE_COLUMN + 1).alignment = Alignment(horizontal="left", indent=1)


def write_case(
    w: SheetWriter,
    result: AppraisalResult,
    provenance: Provenance | None,
    warnings: Sequence[PlausibilityWarning],
) -> None:
    """The first page: title, warnings announcement, the case and its general assumptions,
    the source, the metrics and the PV of each driver; the second: the benefit drivers'
    inputs and the warnings."""
    general = result.inputs.general
    horizon = general.horizon_years
    last_year = int(result.columns["calendar_year"][horizon])
    text(w.ws.cell(1, 1), f"CRM appraisal: {general.case_name or '(unnamed case)'}")
    w.ws.cell(1, 1).font = TITLE_FONT
    text(
        w.ws.cell(2, 1),
        f"{general.currency}, years {general.first_year}-{last_year} "
        f"(year 0 = {general.first_year}, horizon {horizon} years); "
        "values computed by crmvalue, no formulas",
    )
    w.row = 3
    if warnings:
        count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
        w.note(f"Check the inputs: {count} below (the numbers use the values as entered)", font=RED)

    w.section("The case and its general assumptions")
    w.header(["Assumption", "Unit", "Value", "Note"])
    w.ws.cell(w.row - 1, FIRST_VALUE_COLUMN + 1).alignment = NOTE_ALIGNMENT
    for name in GENERAL_NAMES:
        _assumption(w, result, _SPECS[name])
    if provenance is not None:
        w.section("Source")
        for label, value in (
            ("Input file", provenance.name),
            ("SHA-256 of the input file", provenance.sha256),
            ("Appraised on", provenance.date),
            ("crmvalue version", provenance.version),
        ):
            w.line(label, "", [value], "General", align="left")

    w.section(
        "Metrics (years 0..horizon)",
        "n/a: the metric does not exist for this case; the note says why.",
    )
    w.header(["Metric", "Unit", "Value", "Note"])
    w.ws.cell(w.row - 1, FIRST_VALUE_COLUMN + 1).alignment = NOTE_ALIGNMENT
    for metric in METRIC_LABELS:
        value = getattr(result, metric.name)
        unit = general.currency if metric.kind == "money" else _METRIC_UNITS[metric.kind]
        if value is None:
            row = w.row
            w.line(metric.label, unit, ["n/a"], "General")
            w.row = row
            reason = result.notes.get(metric.name, "")
            text(w.ws.cell(row, FIRST_VALUE_COLUMN + 1), reason)
            w.merge_wrapped(FIRST_VALUE_COLUMN + 1, w.last_column, len(reason))
            w.ws.cell(row, FIRST_VALUE_COLUMN + 1).alignment = NOTE_ALIGNMENT
            w.row += 1
        else:
            w.line(metric.label, unit, [value], NUMBER_FORMATS[metric.kind], bold=True)

    w.section("What drives the benefits: present value of each driver, after risk adjustment")
    w.header(["Benefit driver", "Unit", "PV"])
    for name, value in result.pv_drivers.items():
        w.line(DRIVER_LABELS[name], general.currency, [value], NUMBER_FORMATS["money"])

    w.page_break()
    w.section(
        "Benefit drivers: the inputs",
        "The adoption ramp, the cost lines and the other benefits are per year: see the year "
        "table.",
    )
    w.header(["Input", "Unit", "Value"])
    for block in DRIVER_BLOCKS:  # the blocks of the Inputs sheet
        cell = w.ws.cell(w.row, 1)
        text(cell, block.title)
        cell.font = BOLD
        w.row += 1
        for item in block.inputs:
            spec = _SPECS[item.name]
            w.line(
                spec.label,
                unit_of(spec, general.currency),
                [input_value(result, spec)],
                spec.number_format,
            )

    if warnings:
        w.section("Warnings: valid values that look like a slip")
        for warning in warnings:
            w.note(warning.line, font=Font())
