"""The appraisal of one case as text, for the command line."""

from __future__ import annotations

from .labels import DRIVER_LABELS
from .model import AppraisalResult

# ---------------------------------------------------------------------- text output

_ROWS: tuple[tuple[str, str, str], ...] = (
    ("adoption_ramp", "Adoption ramp", "percent"),
    ("extra_customers", "Extra customers retained", "count"),
    ("retention", "Retention", "money"),
    ("cross_sell", "Cross-sell and up-sell", "money"),
    ("acquisition", "Acquisition", "money"),
    ("productivity", "Sales productivity", "money"),
    ("service", "Service", "money"),
    ("other", "Other benefits", "money"),
    ("gross_benefits", "Gross benefits", "money"),
    ("risk_adjustment", "Risk adjustment", "minus"),
    ("benefits", "Benefits (risk-adjusted)", "money"),
    ("cost_licences", "Licences", "money"),
    ("cost_implementation", "Implementation", "money"),
    ("cost_data_migration", "Data migration", "money"),
    ("cost_training", "Training", "money"),
    ("cost_internal_staff", "Internal staff", "money"),
    ("cost_support", "Support and admin", "money"),
    ("cost_other", "Other costs", "money"),
    ("contingency", "Contingency", "money"),
    ("costs", "Costs", "money"),
    ("net", "Net cash flow", "money"),
    ("discount_factor", "Discount factor", "factor"),
    ("pv_net", "PV of net cash flow", "money"),
    ("cumulative_net", "Cumulative net", "money"),
    ("cumulative_pv", "Cumulative discounted", "money"),
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


def format_appraisal(result: AppraisalResult) -> str:
    """The appraisal as text for the command line: the years, then the metrics.

    The table has one column per year 0..horizon (later years are 0 and left out), money
    rounded to whole units of the case's currency, and the metrics below it; an undefined
    metric shows "n/a" and its reason.

    Examples
    --------
    >>> from crmvalue_core.appraisal import appraise, demo_case
    >>> text = format_appraisal(appraise(demo_case()))
    >>> print(text.splitlines()[0])
    Nordwerk Industrial Supply: cloud CRM  (EUR, years 2027-2032, discount rate 10.0%)
    >>> "Net present value (NPV)" in text and "Payback" in text
    True
    """
    g = result.inputs.general
    horizon = g.horizon_years
    frame = result.years.loc[0:horizon]
    label_width = max(len(label) for _, label, _ in _ROWS)
    cells = {column: [_cell(float(v), kind) for v in frame[column]] for column, _, kind in _ROWS}
    width = max(9, *(len(text) for values in cells.values() for text in values)) + 2
    head = [
        f"{g.case_name or '(unnamed case)'}  ({g.currency}, years {g.first_year}-"
        f"{g.first_year + horizon}, discount rate {g.discount_rate:.1%})",
        "",
    ]
    years_line = "Year".ljust(label_width) + "".join(
        str(int(y)).rjust(width) for y in frame["calendar_year"]
    )
    index_line = "".ljust(label_width) + "".join(f"({t})".rjust(width) for t in frame.index)
    rule = "-" * len(years_line)
    lines = [*head, years_line, index_line, rule]
    for column, label, _ in _ROWS:
        if column in _RULE_BEFORE:
            lines.append(rule)
        lines.append(label.ljust(label_width) + "".join(v.rjust(width) for v in cells[column]))

    def show(name: str, value: float | None, kind: str) -> str:
        if value is None:
            return "n/a" + (f": {result.notes[name]}" if name in result.notes else "")
        if kind == "money":
            return f"{g.currency} {_money(value)}"
        if kind == "percent":
            return f"{value:.1%}"
        if kind == "years":
            return f"{value:.2f} years"
        return f"{value:.2f}"

    metric_rows = (
        ("npv", "Net present value (NPV)", "money"),
        ("irr", "Internal rate of return (IRR)", "percent"),
        ("mirr", "Modified IRR (MIRR)", "percent"),
        ("roi", "Return on investment (ROI)", "percent"),
        ("payback", "Payback", "years"),
        ("discounted_payback", "Discounted payback", "years"),
        ("pi", "Profitability index (PI)", "ratio"),
        ("pv_benefits", "PV of benefits", "money"),
        ("pv_costs", "PV of costs", "money"),
    )
    metric_width = max(len(label) for _, label, _ in metric_rows) + 2
    lines += ["", "Metrics (years 0..horizon)"]
    for name, label, kind in metric_rows:
        lines.append("  " + label.ljust(metric_width) + show(name, getattr(result, name), kind))
    lines += ["", "What drives the benefits (PV after risk adjustment)"]
    total = sum(result.pv_drivers.values())
    driver_width = max(len(label) for label in DRIVER_LABELS.values()) + 2
    for name, value in result.pv_drivers.items():
        share = f"  {value / total:6.1%}" if total > 0 else ""
        lines.append(
            "  "
            + DRIVER_LABELS[name].ljust(driver_width)
            + f"{g.currency} {_money(value)}".rjust(16)
            + share
        )
    return "\n".join(lines)
