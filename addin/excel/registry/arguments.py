"""Arguments and example cash flows that several sections of the registry share.

A rate, cash flows and costs are arguments of the discounting, investment, lifetime-value,
cohort and uncertainty functions alike, and revenue and gross margin of the customer
metrics and the lifetime value; their help is written here once so that every function
says the same thing about them.
"""

from __future__ import annotations

from .model import NUMBER, RANGE, Argument

__all__ = [
    "BENEFITS_TEXT",
    "COSTS_TEXT",
    "FLOWS_TEXT",
    "confidence_argument",
    "costs_argument",
    "flows_argument",
    "gross_margin_argument",
    "rate_argument",
    "revenue_per_period_argument",
]

#: The catalogue's example cash flows: 100,000 invested today, then four years of returns.
FLOWS_TEXT = "{-100000, 30000, 35000, 40000, 45000}"
#: The same net flows given as benefits ...
BENEFITS_TEXT = "{0, 30000, 35000, 40000, 45000}"
#: ... and costs.
COSTS_TEXT = "{100000, 0, 0, 0, 0}"


def rate_argument(name: str = "rate", what: str = "Discount rate per period") -> Argument:
    """A rate argument called ``name``: ``what``, as a decimal."""
    return Argument(name, NUMBER, f"{what}, as a decimal (10% = 0.1).")


def flows_argument(name: str = "flows") -> Argument:
    """The cash flows of an investment, one per period, period 0 first."""
    return Argument(
        name,
        RANGE,
        "Cash flows, one per period, period 0 (today) first; a blank cell counts as 0.",
    )


def costs_argument(optional: bool = True) -> Argument:
    """The costs beside the flows (which then are the benefits), one per period."""
    return Argument(
        "costs",
        RANGE,
        "Costs, one per period, same length as the flows; then the flows are the benefits "
        "and the net flow is benefit minus cost.",
        optional=optional,
    )


def revenue_per_period_argument() -> Argument:
    """The revenue one customer brings per period, an amount."""
    return Argument("revenue_per_period", NUMBER, "Revenue per customer per period.")


def gross_margin_argument() -> Argument:
    """The gross margin on that revenue, as a decimal."""
    return Argument("gross_margin", NUMBER, "Gross margin as a decimal (80% = 0.8).")


def confidence_argument() -> Argument:
    """The optional confidence level of a fit's intervals (extra rows when given)."""
    return Argument(
        "confidence",
        NUMBER,
        "Confidence level of the intervals, e.g. 0.95; given, three more rows: standard "
        "errors, lower and upper bounds.",
        optional=True,
    )
