"""The Excel functions of :mod:`crmvalue_core.customer_counts` (section Customer metrics).

Churn and retention rates, CAC, the CLV:CAC ratio, CAC payback and the referral rate.
"""

from __future__ import annotations

from .arguments import gross_margin_argument, revenue_per_period_argument
from .model import (
    METRICS,
    NUMBER,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]


def _customers_start() -> Argument:
    return Argument("customers_start", NUMBER, "Customers at the start of the period.")


FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CHURN_RATE",
        section=METRICS,
        summary="Churn rate: customers lost / customers at the start of the period.",
        description="Churn = lost / start, as a decimal.",
        args=(
            _customers_start(),
            Argument("customers_lost", NUMBER, "Customers lost during the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.churn_rate",
        examples=(Example("CHURN_RATE(1000, 50)", 0.05),),
    ),
    ExcelFunction(
        name="RETENTION_RATE",
        section=METRICS,
        summary="Retention rate: (customers at the end - new customers) / customers at the start.",
        description="Retention = (end - new) / start, as a decimal.",
        args=(
            _customers_start(),
            Argument("customers_end", NUMBER, "Customers at the end of the period."),
            Argument("new_customers", NUMBER, "Customers won during the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.retention_rate",
        examples=(Example("RETENTION_RATE(1000, 1050, 200)", 0.85),),
    ),
    ExcelFunction(
        name="CAC",
        section=METRICS,
        summary="Customer acquisition cost: sales and marketing spend / new customers.",
        description="CAC = sales and marketing spend / new customers.",
        args=(
            Argument("sales_marketing_spend", NUMBER, "Sales and marketing spend of the period."),
            Argument("new_customers", NUMBER, "Customers won in the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.cac",
        examples=(Example("CAC(100000, 100)", 1000.0),),
    ),
    ExcelFunction(
        name="CLV_CAC",
        section=METRICS,
        summary="CLV to CAC ratio: customer lifetime value / customer acquisition cost.",
        description="CLV_CAC = clv / cac.",
        args=(
            Argument("clv", NUMBER, "Customer lifetime value, e.g. from CLV."),
            Argument("cac", NUMBER, "Customer acquisition cost, e.g. from CAC."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.clv_cac",
        examples=(Example("CLV_CAC(3000, 1000)", 3.0, source="by hand: 3000 / 1000"),),
    ),
    ExcelFunction(
        name="CAC_PAYBACK",
        section=METRICS,
        summary="CAC payback in periods: CAC / (revenue per period x gross margin).",
        description="Periods of gross margin it takes to earn back the acquisition cost: "
        "cac / (revenue_per_period x gross_margin).",
        args=(
            Argument("cac", NUMBER, "Customer acquisition cost."),
            revenue_per_period_argument(),
            gross_margin_argument(),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.cac_payback",
        examples=(Example("CAC_PAYBACK(500, 100, 0.8)", 6.25),),
    ),
    ExcelFunction(
        name="REFERRAL_RATE",
        section=METRICS,
        summary="Referral rate: share of customers who referred at least one new customer.",
        description="referring_customers / customers, as a decimal.",
        args=(
            Argument(
                "referring_customers",
                NUMBER,
                "Customers who referred at least one new customer.",
            ),
            Argument("customers", NUMBER, "All customers."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.referral_rate",
        examples=(Example("REFERRAL_RATE(150, 1000)", 0.15, source="by hand: 150 / 1000"),),
    ),
)
