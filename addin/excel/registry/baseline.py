"""The Excel entry of :mod:`crmvalue_core.baseline`: the appraisal's baseline measured from
a range of transactions (documented in ``docs/baseline.md``)."""

from __future__ import annotations

from ..example_log import CDNOW_LOG_AMOUNTS, CDNOW_LOG_CUSTOMERS, CDNOW_LOG_DATES
from .model import NUMBER, RANGE, TABLE, Argument, Example, ExcelFunction

#: The section of the baseline functions (documented in docs/baseline.md).
BASELINE = "Baseline (extension)"

_ROWS = len(CDNOW_LOG_CUSTOMERS) + 1
_CELLS = {
    f"A2:A{_ROWS}": list(CDNOW_LOG_CUSTOMERS),
    f"B2:B{_ROWS}": list(CDNOW_LOG_DATES),
    f"C2:C{_ROWS}": list(CDNOW_LOG_AMOUNTS),
}
_WHERE = (
    f"A2:A{_ROWS}, B2:B{_ROWS} and C2:C{_ROWS} hold the customer, date and dollar value of "
    "the transactions up to 1997-09-30 of every 12th customer of the CDNOW sample "
    "(addin/excel/example_log.py)"
)

FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="BASELINE_TABLE",
        section=BASELINE,
        summary="The appraisal's baseline drivers measured from a transaction log, with "
        "P10/P90 (BG/NBD, Gamma-Gamma; a table with a header).",
        description="One row per driver of the template: CustomersActive (the sum of "
        "P(alive)), ChurnBaseline (the expected share of the customers alive at "
        "observation_end who are gone 52 weeks later), MarginPerCustomer (margin x "
        "Gamma-Gamma spend x BG/NBD purchases of the next 52 weeks, per active customer; "
        "with amounts) and NewCustomersPerYear (first purchases per full calendar year), "
        "each with its estimate, P10 and P90 over draws of the fitted parameters, and the "
        "model; then a row per warning of weak measurement. See docs/baseline.md.",
        args=(
            Argument("customer_ids", RANGE, "The customer of each transaction, one per row."),
            Argument("dates", RANGE, "The date of each transaction, one per row."),
            Argument("amounts", RANGE, "The value of each transaction (>= 0).", optional=True),
            Argument(
                "observation_end",
                NUMBER,
                "The day measured at (a date); later transactions are left out.",
                True,
                None,
            ),
            Argument("margin", NUMBER, "Gross margin as a share of the amounts (0..1).", True, 1.0),
            Argument("draws", NUMBER, "Parameter draws for P10 and P90.", True, 500.0),
            Argument(
                "seed", NUMBER, "Seed of the draws (the same seed, the same P10/P90).", True, 0.0
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.baseline.baseline_table",
        examples=(
            Example(
                f'BASELINE_TABLE(A2:A{_ROWS}, B2:B{_ROWS}, C2:C{_ROWS}, "1997-09-30", 0.3, 200, 0)',
                [
                    ["driver", "estimate", "p10", "p90", "model"],
                    ["CustomersActive", 159.4628981, 155.0813583, 165.5330767, "BG/NBD"],
                    ["ChurnBaseline", 0.1223406178, 0.08814577684, 0.1438891041, "BG/NBD"],
                    [
                        "MarginPerCustomer",
                        10.88818127,
                        9.223582385,
                        13.69720605,
                        "BG/NBD and Gamma-Gamma",
                    ],
                    [
                        "NewCustomersPerYear",
                        262.0512821,
                        237.985348,
                        286.1172161,
                        "first purchases per calendar year",
                    ],
                    [
                        "warning",
                        "",
                        "",
                        "",
                        "the log covers only 273 days up to the observation end: the annual "
                        "churn and purchases are extrapolated from less than a year",
                    ],
                    [
                        "warning",
                        "",
                        "",
                        "",
                        "only 74 of 196 customers bought again: the fitted models rest on few "
                        "repeat buyers (fewer than 200)",
                    ],
                    [
                        "warning",
                        "",
                        "",
                        "",
                        "the log holds no full calendar year before the observation end: the "
                        "new customers per year are the log's first purchases scaled to a year",
                    ],
                ],
                cells=_CELLS,
                where=_WHERE,
                rel_tol=1e-6,
                source="computed by crmvalue; the formulas are checked against lifetimes "
                "(P(alive), expected purchases, Gamma-Gamma spend), an integral and pandas "
                "on the whole CDNOW log in tests/test_baseline.py; NewCustomersPerYear by "
                "hand: 196 first purchases in 273 days x 365",
            ),
            Example(
                'BASELINE_TABLE({"A"; "B"; "C"}, {"2024-01-01"; "2024-03-20"; "2024-07-31"})',
                error=("none of the 3 customers bought again",),
                source="nobody buys twice: nothing to fit",
            ),
        ),
    ),
)
