"""The Excel functions of :mod:`crmvalue_core.lifetime_value` (section Customer lifetime value).

Simple CLV, the margin-retention-discount CLV, the churn-based shortcut and the expected
lifetime.
"""

from __future__ import annotations

from .arguments import (
    gross_margin_argument,
    rate_argument,
    revenue_per_period_argument,
)
from .model import (
    LIFETIME,
    NUMBER,
    TEXT,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CLV_SIMPLE",
        section=LIFETIME,
        summary="Simple customer lifetime value: average purchase value x purchases per "
        "period x lifespan in periods (x margin).",
        description="avg_purchase_value x purchases_per_period x lifespan_periods (x margin, "
        "default 1). Undiscounted: an upper bound next to CLV.",
        args=(
            Argument("avg_purchase_value", NUMBER, "Average value of one purchase (>= 0)."),
            Argument("purchases_per_period", NUMBER, "Purchases per period (>= 0)."),
            Argument("lifespan_periods", NUMBER, "Customer lifespan in those periods (>= 0)."),
            Argument(
                "margin",
                NUMBER,
                "Margin on a purchase as a decimal between 0 and 1.",
                optional=True,
                default=1.0,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv_simple",
        examples=(
            Example(
                "CLV_SIMPLE(100, 24, 3)",
                7200.0,
                where="100 a purchase, twice a month, three years",
            ),
        ),
    ),
    ExcelFunction(
        name="CLV",
        section=LIFETIME,
        summary="Customer lifetime value from margin, retention and discount rate "
        "(Gupta & Lehmann 2003); finite or infinite horizon, growth, acquisition cost.",
        description="Margin-retention-discount CLV (Gupta & Lehmann, 'Customers as Assets', "
        '2003). timing "end" (default): margins at the end of each period, the sum over '
        "t=1..T of m (1+g)^(t-1) r^t / (1+i)^t; with periods blank, T is infinite: "
        'm r / (1 + i - r(1+g)). timing "start": the first margin today. Then minus '
        "acquisition_cost. An infinite horizon needs r(1+g) < 1+i.",
        args=(
            Argument("margin", NUMBER, "Margin a customer brings per period (an amount)."),
            Argument("retention", NUMBER, "Share of customers kept each period (0 to 1)."),
            rate_argument("discount_rate"),
            Argument(
                "periods",
                NUMBER,
                "Horizon in whole periods; blank for an infinite horizon.",
                optional=True,
            ),
            Argument(
                "growth",
                NUMBER,
                "Growth of the margin per period as a decimal.",
                optional=True,
                default=0.0,
            ),
            Argument(
                "acquisition_cost",
                NUMBER,
                "Cost of winning the customer, subtracted from the value.",
                optional=True,
                default=0.0,
            ),
            Argument(
                "timing",
                TEXT,
                '"end": margins at the end of each period; "start": the first one today.',
                optional=True,
                default="end",
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv",
        examples=(
            Example("CLV(100, 0.8, 0.12)", 250.0),
            Example("CLV(100, 0.8, 0.12, , 0.05)", 285.7142857, abs_tol=5e-8),
            Example("CLV(100, 0.8, 0.12, 5)", 203.516392, abs_tol=5e-7),
            Example('CLV(100, 0.8, 0.12, , , , "start")', 350.0),
        ),
    ),
    ExcelFunction(
        name="CLV_FROM_CHURN",
        section=LIFETIME,
        summary="Subscription CLV shortcut: revenue per period x gross margin / churn rate "
        "(undiscounted).",
        description="Revenue x margin / churn: the undiscounted subscription shortcut.",
        args=(
            revenue_per_period_argument(),
            gross_margin_argument(),
            Argument("churn_rate", NUMBER, "Share of customers lost per period (2% = 0.02)."),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv_from_churn",
        examples=(Example("CLV_FROM_CHURN(100, 0.8, 0.02)", 4000.0),),
    ),
    ExcelFunction(
        name="EXPECTED_LIFETIME",
        section=LIFETIME,
        summary="Expected customer lifetime in periods: 1 / churn rate.",
        description="1 / churn_rate periods.",
        args=(Argument("churn_rate", NUMBER, "Share of customers lost per period (20% = 0.2)."),),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.expected_lifetime",
        examples=(Example("EXPECTED_LIFETIME(0.2)", 5.0),),
    ),
)
