"""Test data and helpers that several test modules share.

Test modules never import from one another; what two of them need alike lives here: the
defined names of the template as docs/template.md lists them, the keys of the appraisal
metrics, and the Hypothesis strategies and the row-by-row reference of the batch tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from crmvalue_core import CrmValueError

__all__ = [
    "APPRAISAL_METRICS",
    "TEMPLATE_ADDIN_CELLS",
    "TEMPLATE_BLOCK_TOTAL_CELLS",
    "TEMPLATE_DEFINED_NAMES",
    "TEMPLATE_INPUT_CELLS",
    "TEMPLATE_RESULT_CELLS",
    "amounts",
    "flow_tables",
    "scalar_rows",
]

# ------------------------------------------------------------- the template's names

# The defined names of the template (docs/template.md, "The defined names") with their cell
# counts, written out here so that renaming one, or changing its size, fails a test.

#: The inputs, in the order of the table.
TEMPLATE_INPUT_CELLS: dict[str, int] = {
    **dict.fromkeys(["CaseName", "Currency", "FirstYear", "HorizonYears"], 1),
    **dict.fromkeys(
        [
            "DiscountRate",
            "FinanceRate",
            "ReinvestRate",
            "BenefitRiskAdjustment",
            "CostContingency",
        ],
        1,
    ),
    **dict.fromkeys(
        [
            "CostLicences",
            "CostImplementation",
            "CostDataMigration",
            "CostTraining",
            "CostInternalStaff",
            "CostSupport",
            "CostOther",
        ],
        11,
    ),
    **dict.fromkeys(["AdoptionRamp", "OtherBenefits"], 10),
    **dict.fromkeys(
        [
            "CustomersActive",
            "ChurnBaseline",
            "ChurnReduction",
            "MarginPerCustomer",
            "CrossSellUplift",
            "NewCustomersPerYear",
            "AcquisitionCost",
            "AcquisitionCostReduction",
            "SalesReps",
            "HoursSavedPerWeek",
            "WorkingWeeks",
            "HourlyCost",
            "ProductivityShare",
            "ServiceCases",
            "CostPerCase",
            "ServiceCostReduction",
        ],
        1,
    ),
}
#: The totals of the blocks a user may add lines to (costs, other benefits).
TEMPLATE_BLOCK_TOTAL_CELLS: dict[str, int] = {"TotalCosts": 11, "TotalOtherBenefits": 10}
#: The results: the cash-flow rows and the metrics.
TEMPLATE_RESULT_CELLS: dict[str, int] = {
    **dict.fromkeys(["Benefits", "Costs", "NetCashFlow"], 11),
    **dict.fromkeys(
        [
            "ResultNPV",
            "ResultIRR",
            "ResultMIRR",
            "ResultROI",
            "ResultPayback",
            "ResultDiscountedPayback",
            "ResultPI",
            "ResultPVBenefits",
            "ResultPVCosts",
        ],
        1,
    ),
}
#: The add-in's cross-checks beside the native results.
TEMPLATE_ADDIN_CELLS: dict[str, int] = dict.fromkeys(
    [
        "AddinNPV",
        "AddinIRR",
        "AddinMIRR",
        "AddinROI",
        "AddinPayback",
        "AddinDiscountedPayback",
        "AddinPI",
        "AddinPVBenefits",
        "AddinPVCosts",
    ],
    1,
)
#: Every defined name of the template with its cell count (the public interface).
TEMPLATE_DEFINED_NAMES: dict[str, int] = {
    **TEMPLATE_INPUT_CELLS,
    **TEMPLATE_BLOCK_TOTAL_CELLS,
    **TEMPLATE_RESULT_CELLS,
    **TEMPLATE_ADDIN_CELLS,
}

#: The metrics of an appraisal, in the order of its JSON (``to_json_dict()["metrics"]``).
APPRAISAL_METRICS = (
    "npv",
    "irr",
    "mirr",
    "roi",
    "payback",
    "discounted_payback",
    "pi",
    "pv_benefits",
    "pv_costs",
)

# ------------------------------------------------------------------ batch vs scalar

#: Finite amounts of money, either sign.
amounts = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)

#: Tables of 1 to 6 cash-flow series of 1 to 6 periods, with zeros and whole numbers often.
flow_tables = st.integers(1, 6).flatmap(
    lambda n: st.lists(
        st.lists(
            st.one_of(st.just(0.0), st.integers(-200, 200).map(float), amounts),
            min_size=n,
            max_size=n,
        ),
        min_size=1,
        max_size=6,
    )
)


def scalar_rows(func: Callable[..., Any], table: Any, *args: Any, **kwargs: Any) -> np.ndarray:
    """Apply ``func`` row by row to ``table`` (the other arguments after each row): NaN
    where it raises :class:`CrmValueError`."""
    out = []
    for row in table:
        try:
            out.append(func(row, *args, **kwargs))
        except CrmValueError:
            out.append(np.nan)
    return np.array(out)
