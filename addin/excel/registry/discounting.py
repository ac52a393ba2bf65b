"""The Excel functions of :mod:`crmvalue_core.discounting` (section Investment appraisal).

NPV, IRR and MIRR with the period-0 convention (period 0, today, is not discounted), and
XNPV and XIRR of cash flows on dates, as Excel computes them.
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
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _guess() -> Argument:
    return Argument(
        "guess",
        NUMBER,
        "A rate near the IRR you want, when the flows have more than one.",
        optional=True,
    )


def _dated_flows() -> tuple[Argument, Argument]:
    """The flows and dates of XNPV_CRM and XIRR_CRM."""
    return (
        Argument("flows", RANGE, "Cash flows, one per date; a blank cell counts as 0."),
        Argument("dates", RANGE, "The date of each flow, the first date first."),
    )


_XNPV_CELLS = {
    "A1:A5": [-10000, 2750, 4250, 3250, 2750],
    "B1:B5": [39448, 39508, 39751, 39859, 39904],  # 2008-01-01 ... 2009-04-01
}
_XNPV_WHERE = (
    "A1:A5 holds -10000, 2750, 4250, 3250, 2750 and B1:B5 the dates 2008-01-01, "
    "2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01 (Excel's own XNPV/XIRR example)"
)

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="NPV_CRM",
        section=INVESTMENT,
        summary="Net present value of cash flows, period 0 (today) not discounted: "
        "the sum of net_t / (1+rate)^t.",
        description="Net present value with the period-0 convention: item t of the flows is "
        "discounted by (1+rate)^t, so the first flow (today) is not discounted. This is NOT "
        "Excel's NPV, which discounts the first value too. With costs, the flows are the "
        "benefits and each period's net flow is benefit minus cost.",
        args=(rate_argument(), flows_argument(), costs_argument()),
        returns=VALUE,
        core="crmvalue_core.discounting.npv_crm",
        examples=(
            Example(f"NPV_CRM(0.10, {FLOWS_TEXT})", 16986.54463, abs_tol=5e-6),
            Example(
                f"NPV_CRM(0.10, {BENEFITS_TEXT}, {COSTS_TEXT})",
                16986.54463,
                abs_tol=5e-6,
                source="by hand: the same net flows given as benefits and costs",
            ),
        ),
    ),
    ExcelFunction(
        name="IRR_CRM",
        section=INVESTMENT,
        summary="Internal rate of return: the rate at which NPV_CRM is 0. With several "
        "rates, give a guess to pick the nearest.",
        description="The rate at which NPV_CRM of the flows is 0, to 1e-10. The flows must "
        "change sign at least once. When they have more than one IRR, the function lists "
        "them and points to MIRR_CRM unless you give a guess, which picks the root nearest "
        "to it. It never returns an unconverged number.",
        args=(
            flows_argument(),
            costs_argument(),
            _guess(),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.irr_crm",
        examples=(
            Example(f"IRR_CRM({FLOWS_TEXT})", 0.1709368634, abs_tol=5e-11),
            Example("IRR_CRM({-100, 230, -132})", error=("IRR_CRM", "10%", "20%", "MIRR_CRM")),
            Example("IRR_CRM({-100, 230, -132}, , 0.25)", 0.2, abs_tol=1e-10),
        ),
    ),
    ExcelFunction(
        name="MIRR_CRM",
        section=INVESTMENT,
        summary="Modified internal rate of return (as Excel's MIRR): negative flows "
        "financed at finance_rate, positive ones reinvested at reinvest_rate.",
        description="Excel's MIRR: ((-FV of the positive flows at reinvest_rate) / (PV of "
        "the negative flows at finance_rate))^(1/(n-1)) - 1, n the number of periods. It has "
        "exactly one value, even when the flows change sign several times.",
        args=(
            flows_argument(),
            rate_argument("finance_rate", "Rate paid on the money invested (the negative flows)"),
            rate_argument(
                "reinvest_rate", "Rate earned on the money returned (the positive flows)"
            ),
            costs_argument(),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.mirr_crm",
        examples=(Example(f"MIRR_CRM({FLOWS_TEXT}, 0.10, 0.12)", 0.1515604194, abs_tol=5e-11),),
    ),
    ExcelFunction(
        name="XNPV_CRM",
        section=INVESTMENT,
        summary="Net present value of cash flows on given dates (as Excel's XNPV): "
        "each flow discounted by (1+rate)^((date - first date)/365).",
        description="Excel's XNPV: flow i is discounted by (1+rate)^((d_i - d_first)/365), "
        "d_first the first date in the range. A date earlier than the first one is an "
        "error, as in Excel. Dates are Excel dates (serial numbers).",
        args=(
            rate_argument(what="Annual discount rate"),
            *_dated_flows(),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.xnpv_crm",
        examples=(
            Example(
                "XNPV_CRM(0.09, A1:A5, B1:B5)",
                2086.647602,
                cells=_XNPV_CELLS,
                where=_XNPV_WHERE,
                abs_tol=5e-7,
                source="Excel's XNPV documentation (2,086.65)",
            ),
        ),
    ),
    ExcelFunction(
        name="XIRR_CRM",
        section=INVESTMENT,
        summary="Internal rate of return of cash flows on given dates (as Excel's XIRR).",
        description="Excel's XIRR: the rate at which XNPV_CRM of the flows is 0, with the "
        "same dates convention. With several roots, a guess picks the nearest.",
        args=(
            *_dated_flows(),
            _guess(),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.xirr_crm",
        examples=(
            Example(
                "XIRR_CRM(A1:A5, B1:B5)",
                0.373362535,
                cells=_XNPV_CELLS,
                where=_XNPV_WHERE,
                abs_tol=5e-9,
                source="Excel's XIRR documentation (37.34%)",
            ),
        ),
    ),
)
