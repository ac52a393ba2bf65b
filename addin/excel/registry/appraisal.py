"""The Excel functions of :mod:`crmvalue_core.appraisal.adhoc` (section Uncertainty).

Scenarios, the tornado table and a Monte Carlo summary of cash-flow rows given low, base
and high. An extension beyond the catalogue, documented in ``docs/uncertainty.md``.
"""

from __future__ import annotations

from .arguments import (
    rate_argument,
)
from .model import (
    NUMBER,
    RANGE,
    TABLE,
    TEXT,
    UNCERTAINTY,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _benefits_bound(bound: str) -> Argument:
    """The ``low`` or ``high`` benefits beside benefits_base, blank cells the base."""
    return Argument(
        f"benefits_{bound}",
        RANGE,
        f"{bound.capitalize()} benefits per period, shaped as benefits_base; blank cells are "
        "the base.",
    )


FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CRM_SCENARIO",
        section=UNCERTAINTY,
        summary="Scenario table of cash flows with low, base and high rows: NPV, IRR and "
        "payback of Pessimistic, All low, Base, All high and Optimistic.",
        description="A table: header [Scenario, NPV, IRR, Payback] and five rows. Pessimistic "
        "takes benefits low and costs high, Optimistic the reverse; All low and All high take "
        'every range as entered. Blank low or high cells are the base. "n/a" where a metric '
        "is undefined.",
        args=(
            rate_argument(),
            Argument(
                "benefits_low",
                RANGE,
                "Low benefits per period 0..n-1, shaped as benefits_base; blank cells are the "
                "base.",
            ),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1 (period 0 not discounted); a table holds one "
                "benefit line per row.",
            ),
            _benefits_bound("high"),
            Argument(
                "costs_low",
                RANGE,
                "Low costs per period (positive amounts), shaped as costs_base.",
                optional=True,
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); omit the three cost ranges when the "
                "benefits are net cash flows.",
                optional=True,
            ),
            Argument(
                "costs_high",
                RANGE,
                "High costs per period (positive amounts), shaped as costs_base.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_scenario",
        examples=(
            Example(
                "CRM_SCENARIO(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                "{100, 0, 0}, {130, 0, 0})",
                [
                    ["Scenario", "NPV", "IRR", "Payback"],
                    ["Pessimistic", -52.31404958677686, -0.2071827797755327, "n/a"],
                    ["All low", -12.31404958677686, 0.0, 2.0],
                    ["Base", 4.132231404958674, 0.13066238629180754, 5 / 3],
                    ["All high", -0.24793388429753804, 0.0986099481864548, 1.75],
                    ["Optimistic", 39.75206611570246, 0.40875331948254556, 1.25],
                ],
                abs_tol=1e-12,
                source="by hand: base NPV = -100 + 60/1.1 + 60/1.21 = 4.1322, pessimistic = "
                "-130 + 40/1.1 + 50/1.21; payback 1 + 40/60",
            ),
            Example(
                "CRM_SCENARIO(0.1, {0, 70, 50}, {0, 60, 60}, {0, 70, 80})",
                error=("benefits_low item 2", "above the base 60"),
                source="a low value above its base",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_SENSITIVITY",
        section=UNCERTAINTY,
        summary="Tornado table: the NPV with each benefit or cost line at its low and at its "
        "high row, the others at base, largest swing first.",
        description="A table: header [Input, NPV at low, NPV at high, Swing] and one row per "
        "line (each row of a benefit or cost table is a line), sorted by swing = |NPV at high "
        "- NPV at low|, largest first: the data of a tornado chart.",
        args=(
            rate_argument(),
            _benefits_bound("low"),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1; a table holds one benefit line per row.",
            ),
            _benefits_bound("high"),
            Argument(
                "costs_low", RANGE, "Low costs per period, shaped as costs_base.", optional=True
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); a table holds one cost line per row.",
                optional=True,
            ),
            Argument(
                "costs_high", RANGE, "High costs per period, shaped as costs_base.", optional=True
            ),
            Argument(
                "labels",
                RANGE,
                "One name per line, benefit lines first, then cost lines; omitted: Benefits 1, "
                "Benefits 2, ..., Costs.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_sensitivity",
        examples=(
            Example(
                "CRM_SENSITIVITY(0.1, A1:C2, A3:C4, A5:C6, , A7:C7, A8:C8, A9:A11)",
                [
                    ["Input", "NPV at low", "NPV at high", "Swing"],
                    ["Retention", -4.95867768595042, 47.1074380165289, 52.06611570247932],
                    ["Licences", 21.487603305785115, -8.512396694214885, 30.0],
                    ["Service", 12.809917355371894, 27.438016528925615, 14.628099173553721],
                ],
                cells={
                    "A1:C2": [[0, 40, 50], [0, 5, 5]],
                    "A3:C4": [[0, 60, 60], [0, 10, 10]],
                    "A5:C6": [[0, 70, 80], [0, 12, 15]],
                    "A7:C7": [[100, 0, 0]],
                    "A8:C8": [[130, 0, 0]],
                    "A9:A11": ["Retention", "Service", "Licences"],
                },
                where="two benefit lines (retention, service) in rows low A1:C2, base A3:C4, "
                "high A5:C6; licences 100 in year 0, at most 130, never below",
                abs_tol=1e-12,
                source="by hand: retention at low -100 + 45/1.1 + 55/1.21 = -4.9587",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_SIMULATE",
        section=UNCERTAINTY,
        summary="Monte Carlo summary of NPV, IRR and payback: each line drawn from a PERT or "
        "triangular (low, base, high) distribution.",
        description="A table: header [Metric, Mean, P10, P50, P90, P(<0), Defined] and rows "
        "NPV, IRR, Payback. P(<0) of the NPV is the probability that the case loses value; "
        "Defined of the payback the probability of paying back within the periods. Seeded: "
        "the same numbers at every recalculation.",
        args=(
            rate_argument(),
            _benefits_bound("low"),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1 (the most likely values); a table holds one "
                "line per row.",
            ),
            _benefits_bound("high"),
            Argument(
                "costs_low",
                RANGE,
                "Low costs per period, shaped as costs_base; blank (all three) when the "
                "benefits are net cash flows.",
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); leave the three cost arguments blank "
                "for net cash flows.",
            ),
            Argument("costs_high", RANGE, "High costs per period, shaped as costs_base."),
            Argument(
                "draws", NUMBER, "Number of draws, 1 to 10,000,000 (10,000 is plenty for a sheet)."
            ),
            Argument(
                "seed",
                NUMBER,
                "Whole number >= 0 for the random numbers; omitted: 0, the same numbers at every "
                "recalculation.",
                optional=True,
            ),
            Argument(
                "distribution",
                TEXT,
                '"PERT" or "triangular": each line between its low and high row, the base most '
                "likely; omitted: PERT.",
                optional=True,
            ),
            Argument(
                "correlation",
                NUMBER,
                "Correlation between the benefit lines, 0 to 1 (they turn out well or badly "
                "together); cost lines are independent.",
                optional=True,
                default=0.0,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_simulate",
        examples=(
            Example(
                "CRM_SIMULATE(0.1, {0, 60, 60}, {0, 60, 60}, {0, 60, 60}, {100, 0, 0}, "
                "{100, 0, 0}, {100, 0, 0}, 100)",
                [
                    ["Metric", "Mean", "P10", "P50", "P90", "P(<0)", "Defined"],
                    ["NPV", *[4.132231404958674] * 4, 0.0, 1.0],
                    ["IRR", *[0.13066238629180754] * 4, 0.0, 1.0],
                    ["Payback", *[5 / 3] * 4, 0.0, 1.0],
                ],
                abs_tol=1e-12,
                source="by hand: low = base = high, so every draw is the base case: NPV = -100 "
                "+ 60/1.1 + 60/1.21, payback 1 + 40/60",
            ),
            Example(
                "CRM_SIMULATE(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                '{100, 0, 0}, {130, 0, 0}, 1000, 1, "PERT", 1.5)',
                error=("correlation is 1.5", "above 1"),
                source="a correlation above 1",
            ),
            Example(
                "CRM_SIMULATE(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                "{100, 0, 0}, {130, 0, 0}, 0)",
                error=("draws is 0", "1 to 10,000,000"),
                source="no draws",
            ),
        ),
    ),
)
