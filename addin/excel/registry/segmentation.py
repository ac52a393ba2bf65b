"""The Excel functions of :mod:`crmvalue_core.segmentation` (section Customer value
classification).

The value class of each customer, the value concentration and RFM codes.
"""

from __future__ import annotations

from .model import (
    CLASSIFICATION,
    COLUMN,
    NUMBER,
    RANGE,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = ["FUNCTIONS"]

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="CUSTOMER_SEGMENT",
        section=CLASSIFICATION,
        summary="One label per customer, a column that spills: Most valuable, Growth, "
        "Standard or Negative, from actual and strategic value.",
        description="One label per customer from two equal-length ranges: 'Negative' if the "
        "actual value is below 0; 'Most valuable' for the top top_share (default 0.05) of "
        "customers by actual value; 'Growth' for the top growth_share (default 0.20) of the "
        "rest by strategic value; 'Standard' otherwise. Top k = ceil(share x n); a tie with "
        "the k-th customer joins the higher class.",
        args=(
            Argument(
                "actual_value",
                RANGE,
                "Actual value per customer: NPV of future profit, net of cost to serve.",
            ),
            Argument(
                "strategic_value",
                RANGE,
                "Strategic value per customer: further value it could bring (wallet not won).",
            ),
            Argument(
                "top_share",
                NUMBER,
                "Share of customers that are 'Most valuable'.",
                optional=True,
                default=0.05,
            ),
            Argument(
                "growth_share",
                NUMBER,
                "Share of the remaining customers that are 'Growth'.",
                optional=True,
                default=0.2,
            ),
        ),
        returns=COLUMN,
        core="crmvalue_core.segmentation.customer_segment",
        examples=(
            Example(
                "CUSTOMER_SEGMENT(A1:A5, B1:B5)",
                [["Most valuable"], ["Growth"], ["Negative"], ["Standard"], ["Standard"]],
                cells={"A1:A5": [100, 50, -10, 30, 20], "B1:B5": [0, 90, 5, 10, 80]},
                where="A1:A5 holds 100, 50, -10, 30, 20 and B1:B5 holds 0, 90, 5, 10, 80",
                source="by hand: top 1 of 5 by actual value, then top 1 of the 3 left by "
                "strategic value",
            ),
        ),
    ),
    ExcelFunction(
        name="VALUE_CONCENTRATION",
        section=CLASSIFICATION,
        summary="Share of the total value that the top top_share (default 5%) of customers bring.",
        description="Share of the total value that the top top_share (default 0.05) of "
        "customers bring: the '5% of customers bring 40% of revenue' check.",
        args=(
            Argument("values", RANGE, "Value (revenue, profit) per customer."),
            Argument(
                "top_share",
                NUMBER,
                "Share of customers at the top.",
                optional=True,
                default=0.05,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.segmentation.value_concentration",
        examples=(
            Example(
                "VALUE_CONCENTRATION({40, 20, 10, 10, 5, 5, 4, 3, 2, 1}, 0.2)",
                0.6,
                source="by hand: the top 2 of 10 customers bring 60 of 100",
            ),
        ),
    ),
    ExcelFunction(
        name="RFM_SCORE",
        section=CLASSIFICATION,
        summary="Three-digit RFM code per customer ('534'), a column that spills; each digit "
        "1..bins from equal-count bins, most recent highest.",
        description='A three-digit text code per customer ("534"): recency, frequency and '
        "monetary digits, each 1..bins (default 5) from equal-count bins of the ranks (ties "
        "broken by order), recency reversed (most recent scores highest).",
        args=(
            Argument("recency_days", RANGE, "Days since each customer's last purchase."),
            Argument("frequency", RANGE, "Number of purchases per customer."),
            Argument("monetary", RANGE, "Money spent per customer."),
            Argument(
                "bins",
                NUMBER,
                "Number of bins per digit (a whole number from 2 to 9).",
                optional=True,
                default=5.0,
            ),
        ),
        returns=COLUMN,
        core="crmvalue_core.segmentation.rfm_score",
        examples=(
            Example(
                "RFM_SCORE({10; 200; 50}, {5; 1; 3}, {100; 20; 300}, 3)",
                [["332"], ["111"], ["223"]],
                source="by hand: three customers, one per bin",
            ),
        ),
    ),
)
