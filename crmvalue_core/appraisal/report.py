"""The appraisal of one case as text, for the command line, and the names of its metrics."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .labels import DRIVER_LABELS
from .model import AppraisalResult
from .translations import translate

__all__ = ["METRIC_LABELS", "MetricLabel", "format_appraisal"]


@dataclass(frozen=True)
class MetricLabel:
    """How the reports name one metric of :class:`AppraisalResult`.

    ``name`` is the attribute (a key of :data:`~crmvalue_core.appraisal.METRICS`), ``label``
    the words shown, ``kind`` how the number reads: ``"money"``, ``"percent"``, ``"years"``
    or ``"ratio"``.
    """

    name: str
    label: str
    kind: str


#: The nine metrics as the text report and the results workbook name them, in the order of
#: :data:`~crmvalue_core.appraisal.METRICS`.
METRIC_LABELS: tuple[MetricLabel, ...] = (
    MetricLabel("npv", "Net present value (NPV)", "money"),
    MetricLabel("irr", "Internal rate of return (IRR)", "percent"),
    MetricLabel("mirr", "Modified IRR (MIRR)", "percent"),
    MetricLabel("roi", "Return on investment (ROI)", "percent"),
    MetricLabel("payback", "Payback", "years"),
    MetricLabel("discounted_payback", "Discounted payback", "years"),
    MetricLabel("pi", "Profitability index (PI)", "ratio"),
    MetricLabel("pv_benefits", "PV of benefits", "money"),
    MetricLabel("pv_costs", "PV of costs", "money"),
)


@dataclass(frozen=True)
class _Row:
    """A row of the year table: a column of ``AppraisalResult.years``, its label and how
    its numbers read (``"percent"``, ``"count"``, ``"money"``, ``"minus"`` or
    ``"factor"``)."""

    column: str
    label: str
    kind: str


_ROWS: tuple[_Row, ...] = (
    _Row("adoption_ramp", "Adoption ramp", "percent"),
    _Row("extra_customers", "Extra customers retained", "count"),
    *(_Row(driver, label, "money") for driver, label in DRIVER_LABELS.items()),
    _Row("gross_benefits", "Gross benefits", "money"),
    _Row("risk_adjustment", "Risk adjustment", "minus"),
    _Row("benefits", "Benefits (risk-adjusted)", "money"),
    _Row("cost_licences", "Licences", "money"),
    _Row("cost_implementation", "Implementation", "money"),
    _Row("cost_data_migration", "Data migration", "money"),
    _Row("cost_training", "Training", "money"),
    _Row("cost_internal_staff", "Internal staff", "money"),
    _Row("cost_support", "Support and admin", "money"),
    _Row("cost_other", "Other costs", "money"),
    _Row("cost_added_lines", "Added cost lines", "money"),
    _Row("contingency", "Contingency", "money"),
    _Row("costs", "Costs", "money"),
    _Row("net", "Net cash flow", "money"),
    _Row("discount_factor", "Discount factor", "factor"),
    _Row("pv_net", "PV of net cash flow", "money"),
    _Row("cumulative_net", "Cumulative net", "money"),
    _Row("cumulative_pv", "Cumulative discounted", "money"),
)
_RULE_BEFORE = {"gross_benefits", "benefits", "cost_licences", "costs", "net", "discount_factor"}


def _money(value: float) -> str:
    text = f"{abs(value):,.0f}"
    return "-" + text if round(value) < 0 else text


def _cell(value: float, kind: str) -> str:
    if kind == "percent":
        return f"{value:.0%}"
    if kind == "count":
        return f"{value:,.1f}"
    if kind == "factor":
        return f"{value:.4f}"
    if kind == "minus":
        return _money(-value)
    return _money(value)


def _width(text: str) -> int:
    """How many columns ``text`` takes in a terminal: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_appraisal(result: AppraisalResult, language: str = "en") -> str:
    """The appraisal as text for the command line: the years, then the metrics.

    The table has one column per year 0..horizon (later years are 0 and left out), money
    rounded to whole units of the case's currency, and the metrics below it; an undefined
    metric shows "n/a" and its reason. ``language`` (``"en"`` or ``"zh-CN"``) chooses the
    words (:mod:`.translations`); the numbers are the same. The reason of an undefined
    metric stays in English.

    Examples
    --------
    >>> from crmvalue_core.appraisal import appraise, demo_case
    >>> text = format_appraisal(appraise(demo_case()))
    >>> print(text.splitlines()[0])
    Nordwerk Industrial Supply: cloud CRM  (EUR, years 2027-2032, discount rate 10.0%)
    >>> "Net present value (NPV)" in text and "Payback" in text
    True
    >>> "净现值（NPV）" in format_appraisal(appraise(demo_case()), "zh-CN")
    True
    """

    def tr(text: str) -> str:
        return translate(text, language)

    g = result.inputs.general
    horizon = g.horizon_years
    frame = {name: values[: horizon + 1] for name, values in result.columns.items()}
    label_width = max(_width(tr(row.label)) for row in _ROWS)
    cells = {row.column: [_cell(float(v), row.kind) for v in frame[row.column]] for row in _ROWS}
    width = max(9, *(len(text) for values in cells.values() for text in values)) + 2
    case_label = g.case_name or tr("(unnamed case)")
    if language == "en":
        head_line = (
            f"{case_label}  ({g.currency}, years {g.first_year}-"
            f"{g.first_year + horizon}, discount rate {g.discount_rate:.1%})"
        )
    else:
        head_line = (
            f"{case_label}  （{g.currency}，{g.first_year}-{g.first_year + horizon} 年，"
            f"{tr('discount rate')} {g.discount_rate:.1%}）"
        )
    head = [head_line, ""]
    years_line = _ljust(tr("Year"), label_width) + "".join(
        str(int(y)).rjust(width) for y in frame["calendar_year"]
    )
    index_line = "".ljust(label_width) + "".join(f"({t})".rjust(width) for t in range(horizon + 1))
    rule = "-" * _width(years_line)
    lines = [*head, years_line, index_line, rule]
    for row in _ROWS:
        if row.column in _RULE_BEFORE:
            lines.append(rule)
        lines.append(
            _ljust(tr(row.label), label_width) + "".join(v.rjust(width) for v in cells[row.column])
        )

    def show(name: str, value: float | None, kind: str) -> str:
        if value is None:
            return tr("n/a") + (f": {result.notes[name]}" if name in result.notes else "")
        if kind == "money":
            return f"{g.currency} {_money(value)}"
        if kind == "percent":
            return f"{value:.1%}"
        if kind == "years":
            return f"{value:.2f} {tr('years')}"
        return f"{value:.2f}"

    metric_width = max(_width(tr(metric.label)) for metric in METRIC_LABELS) + 2
    lines += ["", tr("Metrics (years 0..horizon)")]
    for metric in METRIC_LABELS:
        value = getattr(result, metric.name)
        lines.append(
            "  " + _ljust(tr(metric.label), metric_width) + show(metric.name, value, metric.kind)
        )
    lines += ["", tr("What drives the benefits (PV after risk adjustment)")]
    total = sum(result.pv_drivers.values())
    driver_width = max(_width(tr(label)) for label in DRIVER_LABELS.values()) + 2
    for name, value in result.pv_drivers.items():
        share = f"  {value / total:6.1%}" if total > 0 else ""
        lines.append(
            "  "
            + _ljust(tr(DRIVER_LABELS[name]), driver_width)
            + f"{g.currency} {_money(value)}".rjust(16)
            + share
        )
    return "\n".join(lines)
