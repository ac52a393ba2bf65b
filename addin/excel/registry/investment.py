"""The Excel functions of :mod:`crmvalue_core.investment` (section Investment appraisal).

Payback and discounted payback, ROI, the profitability index and the appraisal table that
puts every metric in one spilled range.
"""

from __future__ import annotations

from .arguments import (
    BENEFITS_TEXT,
    COSTS_TEXT,
    FLOWS_TEXT,
    costs_argument,
    flows_argument,
    rate_argument,
)
from .model import (
    INVESTMENT,
    NUMBER,
    RANGE,
    TABLE,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _benefits_and_costs() -> tuple[Argument, Argument]:
    """The benefits and costs of ROI_CRM and MIRR_CRM, both required."""
    return (
        Argument("benefits", RANGE, "Benefits, one per period, period 0 first."),
        Argument("costs", RANGE, "Costs, one per period, same length as the benefits."),
    )


FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="PAYBACK",
        section=INVESTMENT,
        summary="Payback period: periods until the cumulative net cash flow turns "
        "non-negative for good, interpolated inside the period.",
        description="Periods until the cumulative net cash flow turns non-negative for good, "
        "interpolating linearly inside the period in which it turns (flows spread evenly "
        "over the period). 0 if period 0 is already non-negative; an error 'not paid back "
        "within N periods' if never.",
        args=(flows_argument(), costs_argument()),
        returns=VALUE,
        core="crmvalue_core.investment.payback",
        examples=(
            Example(f"PAYBACK({FLOWS_TEXT})", 2.875),
            Example(
                "PAYBACK({-100, 20, 30})",
                error=("PAYBACK", "not paid back"),
                source="by hand: 50 of 100 comes back",
            ),
        ),
    ),
    ExcelFunction(
        name="DISCOUNTED_PAYBACK",
        section=INVESTMENT,
        summary="Discounted payback period: PAYBACK on the flows discounted at rate.",
        description="PAYBACK on the discounted flows: periods until the cumulative "
        "discounted net cash flow turns non-negative for good, interpolated inside the "
        "period.",
        args=(rate_argument(), flows_argument(), costs_argument()),
        returns=VALUE,
        core="crmvalue_core.investment.discounted_payback",
        examples=(Example(f"DISCOUNTED_PAYBACK(0.10, {FLOWS_TEXT})", 3.447333333, abs_tol=5e-10),),
    ),
    ExcelFunction(
        name="ROI_CRM",
        section=INVESTMENT,
        summary="Return on investment: (PV of benefits - PV of costs) / PV of costs, "
        "period 0 not discounted; rate 0 gives simple ROI.",
        description="(PV of benefits - PV of costs) / PV of costs with the period-0 "
        "convention (the Forrester Total Economic Impact convention: an undiscounted "
        "initial period, then discounted years). A rate of 0 gives the simple ROI. An error "
        "if the PV of the costs is not positive.",
        args=(
            rate_argument(),
            *_benefits_and_costs(),
        ),
        returns=VALUE,
        core="crmvalue_core.investment.roi_crm",
        examples=(
            Example(
                "ROI_CRM(0.10, {0, 110, 121}, {100, 0, 0})",
                1.0,
                source="by hand: PV of benefits 200, PV of costs 100",
            ),
            Example(
                "ROI_CRM(0, {0, 60, 60}, {100, 0, 0})",
                0.2,
                source="by hand: simple ROI (120 - 100) / 100",
            ),
        ),
    ),
    ExcelFunction(
        name="PI_CRM",
        section=INVESTMENT,
        summary="Profitability index: PV of benefits / PV of costs (without costs: PV of "
        "the positive net flows / |PV of the negative ones|).",
        description="Profitability index. With costs: PV(benefits) / PV(costs). Without: "
        "PV of the positive net flows / |PV of the negative net flows|. Period-0 "
        "convention.",
        args=(rate_argument(), flows_argument(), costs_argument()),
        returns=VALUE,
        core="crmvalue_core.investment.pi_crm",
        examples=(
            Example(f"PI_CRM(0.10, {FLOWS_TEXT})", 1.169865446, abs_tol=5e-10),
            Example(
                f"PI_CRM(0.10, {BENEFITS_TEXT}, {COSTS_TEXT})",
                1.169865446,
                abs_tol=5e-10,
                source="by hand: the same flows as benefits and costs",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_APPRAISAL",
        section=INVESTMENT,
        summary="A two-column table (label, value) that spills: PV benefits, PV costs, NPV, "
        "IRR, MIRR, ROI, payback, discounted payback, profitability index.",
        description="A two-column table (label, value): PV benefits, PV costs, NPV, IRR, "
        "MIRR, ROI, Payback, Discounted payback, Profitability index. A metric that is "
        "undefined shows a short reason in its value cell (e.g. 'n/a: not paid back') "
        "instead of failing the table. finance_rate and reinvest_rate default to rate.",
        args=(
            rate_argument(),
            *_benefits_and_costs(),
            Argument(
                "finance_rate",
                NUMBER,
                "Rate paid on the money invested, for MIRR; omitted, it is rate.",
                optional=True,
            ),
            Argument(
                "reinvest_rate",
                NUMBER,
                "Rate earned on the money returned, for MIRR; omitted, it is rate.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.investment.crm_appraisal",
        examples=(
            Example(
                f"CRM_APPRAISAL(0.10, {BENEFITS_TEXT}, {COSTS_TEXT}, 0.10, 0.12)",
                [
                    ["PV benefits", 116986.54463],
                    ["PV costs", 100000.0],
                    ["NPV", 16986.54463],
                    ["IRR", 0.1709368634],
                    ["MIRR", 0.1515604194],
                    ["ROI", 0.1698654463],
                    ["Payback", 2.875],
                    ["Discounted payback", 3.447333333],
                    ["Profitability index", 1.169865446],
                ],
                abs_tol=5e-6,
                source="by hand: the catalogue's NPV_CRM, IRR_CRM, MIRR_CRM, PAYBACK, "
                "DISCOUNTED_PAYBACK and PI_CRM examples in one table",
            ),
        ),
    ),
)
