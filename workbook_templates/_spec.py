"""The template's inputs: where and how the Inputs sheet shows each one.

What an input accepts (kind, bounds, whole numbers, what a blank means, the default and the
words of the hint) is :data:`crmvalue_core.appraisal.INPUTS`, the one table the core's own
checks use; the builder turns it into data validation and the reader checks a filled
workbook against it, so the workbook, the reader and the core refuse the same values.
This module adds only the presentation: the short label of the sheet, the unit, the number
format and a note. Positions of cells are not here: the reader finds every input by its
defined name (TEMPLATE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crmvalue_core import appraisal as core

#: Sheet names of the template.
SHEET_START = "Start"
SHEET_INPUTS = "Inputs"
SHEET_CALC = "Calculation"
SHEET_RESULTS = "Results"
SHEET_SCENARIOS = "Scenarios"
SHEET_CUSTOMERS = "Customer metrics"
SHEET_CONF = "xlwings.conf"
SHEETS = (
    SHEET_START,
    SHEET_INPUTS,
    SHEET_CALC,
    SHEET_RESULTS,
    SHEET_SCENARIOS,
    SHEET_CUSTOMERS,
    SHEET_CONF,
)

#: Years of the model rows: 0 (implementation) .. 10.
MODEL_YEARS = tuple(range(core.YEARS))
MAX_HORIZON = core.MAX_HORIZON

PCT = "0.0%"
PCT2 = "0.00%"
MONEY = "#,##0;[Red]-#,##0"
MONEY2 = "#,##0.00;[Red]-#,##0.00"
WHOLE = "#,##0"
NUMBER = "#,##0.0"


@dataclass(frozen=True)
class InputName:
    """How the Inputs sheet shows one input of TEMPLATE.md.

    ``unit`` is ``"currency"`` (the chosen currency, by formula), a word, or ``""``;
    ``number_format`` is the cell's Excel number format; ``note`` a short remark shown
    beside a single-cell input.
    """

    name: str
    label: str
    unit: str = ""
    number_format: str = "General"
    note: str = ""

    @property
    def spec(self) -> core.InputSpec:
        """What the input accepts: the core's entry for this defined name."""
        return SPECS[self.name]

    @property
    def cells(self) -> int:
        """1 for a single cell, 11 for a cost line, 10 for a per-year driver."""
        return self.spec.cells


SPECS: dict[str, core.InputSpec] = {item.name: item for item in core.INPUTS}

GENERAL = (
    InputName("CaseName", "Case name"),
    InputName("Currency", "Currency (all amounts)"),
    InputName("FirstYear", "First year (year 0)", "year", "0"),
    InputName(
        "HorizonYears",
        "Horizon",
        "years",
        "0",
        "Years 1..horizon are appraised; later years are ignored.",
    ),
    InputName("DiscountRate", "Discount rate (annual)", "%", PCT2),
    InputName("FinanceRate", "Finance rate (for MIRR)", "%", PCT2, "Blank: the discount rate."),
    InputName(
        "ReinvestRate", "Reinvestment rate (for MIRR)", "%", PCT2, "Blank: the discount rate."
    ),
    InputName(
        "BenefitRiskAdjustment", "Benefit risk adjustment", "%", PCT, "Haircut on all benefits."
    ),
    InputName("CostContingency", "Cost contingency", "%", PCT, "Uplift on all costs."),
)

COST_LINES = tuple(
    InputName(name, label, "currency", MONEY)
    for name, label in (
        ("CostLicences", "Software subscription / licences"),
        ("CostImplementation", "Implementation and consulting"),
        ("CostDataMigration", "Data migration and integration"),
        ("CostTraining", "Training and change management"),
        ("CostInternalStaff", "Internal project staff"),
        ("CostSupport", "Support and administration"),
        ("CostOther", "Other costs"),
    )
)

PER_YEAR_DRIVERS = (
    InputName("AdoptionRamp", "Adoption ramp (share of the full benefit)", "%", "0%"),
    InputName("OtherBenefits", "Other benefits (as entered, no ramp)", "currency", MONEY),
)

#: The single-value benefit drivers, by block: (block title, inputs).
DRIVER_BLOCKS: tuple[tuple[str, tuple[InputName, ...]], ...] = (
    (
        "Retention and cross-sell",
        (
            InputName("CustomersActive", "Active customers (B)", "customers", WHOLE),
            InputName("ChurnBaseline", "Annual churn without the CRM (c)", "%", PCT2),
            InputName(
                "ChurnReduction",
                "Churn reduction (dc, points as a share)",
                "%",
                PCT2,
                "2.5 points = 2.50% (0.025); at most the churn.",
            ),
            InputName(
                "MarginPerCustomer", "Annual gross margin per customer (m)", "currency", MONEY2
            ),
            InputName(
                "CrossSellUplift", "Cross-sell / up-sell uplift of the margin (u)", "%", PCT2
            ),
        ),
    ),
    (
        "Acquisition",
        (
            InputName("NewCustomersPerYear", "New customers per year (N)", "customers", WHOLE),
            InputName("AcquisitionCost", "Acquisition cost per customer (CAC)", "currency", MONEY2),
            InputName("AcquisitionCostReduction", "CAC reduction (k)", "%", PCT2),
        ),
    ),
    (
        "Sales productivity",
        (
            InputName("SalesReps", "Sales reps (R)", "reps", WHOLE),
            InputName("HoursSavedPerWeek", "Hours saved per rep per week (h)", "hours", NUMBER),
            InputName("WorkingWeeks", "Working weeks per year (W)", "weeks", NUMBER),
            InputName("HourlyCost", "Loaded cost per hour (w)", "currency", MONEY2),
            InputName("ProductivityShare", "Share of saved time that counts (s)", "%", PCT),
        ),
    ),
    (
        "Service",
        (
            InputName("ServiceCases", "Service cases per year (C)", "cases", WHOLE),
            InputName("CostPerCase", "Cost per case (q)", "currency", MONEY2),
            InputName("ServiceCostReduction", "Cost reduction per case (v)", "%", PCT2),
        ),
    ),
)

SINGLE_DRIVERS = tuple(item for _, block in DRIVER_BLOCKS for item in block)

#: Every input of TEMPLATE.md, in the order of the Inputs sheet.
INPUTS: tuple[InputName, ...] = GENERAL + COST_LINES + PER_YEAR_DRIVERS + SINGLE_DRIVERS
INPUTS_BY_NAME = {item.name: item for item in INPUTS}

#: Model rows and results (formulas).
MODEL_ROWS = ("Benefits", "Costs", "NetCashFlow")
RESULT_NAMES = (
    "ResultNPV",
    "ResultIRR",
    "ResultMIRR",
    "ResultROI",
    "ResultPayback",
    "ResultDiscountedPayback",
    "ResultPI",
    "ResultPVBenefits",
    "ResultPVCosts",
)
CHECK_NAMES = ("CheckNPV", "CheckIRR", "CheckMIRR", "CheckPVBenefits", "CheckPVCosts")

#: Every defined name of TEMPLATE.md with its number of cells.
DEFINED_NAME_CELLS: dict[str, int] = {
    **{item.name: item.cells for item in INPUTS},
    **dict.fromkeys(MODEL_ROWS, core.YEARS),
    **dict.fromkeys(RESULT_NAMES, 1),
    **dict.fromkeys(CHECK_NAMES, 1),
}

# ---------------------------------------------------------------------------------------------
# Uncertainty (issue 6): the Scenarios sheet's low and high values beside each base input.

#: The inputs that can have a low and a high value (benefit drivers and cost lines), in the
#: order of the Inputs sheet: :data:`crmvalue_core.appraisal.UNCERTAIN_NAMES`.
UNCERTAIN_INPUTS: tuple[InputName, ...] = tuple(
    INPUTS_BY_NAME[name] for name in core.UNCERTAIN_NAMES
)


def low_name(name: str) -> str:
    """The defined name of the low value(s) of input ``name``: ``ChurnReductionLow``."""
    return f"{name}Low"


def high_name(name: str) -> str:
    """The defined name of the high value(s) of input ``name``: ``ChurnReductionHigh``."""
    return f"{name}High"


#: The defined names of the low and high cells with their number of cells (one row each,
#: as the base input's), in the order of the Scenarios sheet.
RANGE_NAME_CELLS: dict[str, int] = {
    key: item.cells
    for item in UNCERTAIN_INPUTS
    for key in (low_name(item.name), high_name(item.name))
}

#: The defined names of the scenario NPVs of the Scenarios sheet, by the core's scenario key
#: (:data:`crmvalue_core.appraisal.SCENARIOS`).
SCENARIO_NPV_NAMES: dict[str, str] = {
    "pessimistic": "ScenarioNPVPessimistic",
    "all_low": "ScenarioNPVAllLow",
    "base": "ScenarioNPVBase",
    "all_high": "ScenarioNPVAllHigh",
    "optimistic": "ScenarioNPVOptimistic",
}

#: Functions a template formula must not use: not in LibreOffice Calc 7.4 or older Excel.
FORBIDDEN_FUNCTIONS = (
    "LET",
    "LAMBDA",
    "SEQUENCE",
    "XLOOKUP",
    "XMATCH",
    "FILTER",
    "SORT",
    "SORTBY",
    "UNIQUE",
    "RANDARRAY",
    "MAP",
    "REDUCE",
    "SCAN",
    "BYROW",
    "BYCOL",
    "MAKEARRAY",
    "VSTACK",
    "HSTACK",
    "TEXTSPLIT",
    "TAKE",
    "DROP",
    "CHOOSECOLS",
    "CHOOSEROWS",
    "TOCOL",
    "TOROW",
    "WRAPROWS",
    "WRAPCOLS",
    "EXPAND",
    "IFS",
    "SWITCH",
    "MAXIFS",
    "MINIFS",
    "CONCAT",
    "TEXTJOIN",
)


def expected(spec: core.InputSpec) -> str:
    """What to enter in a cell of ``spec``, in a user's words (for messages and prompts)."""
    if spec.kind == "text":
        return "a name for the case (text)"
    if spec.kind == "currency":
        return "a currency code from the list (" + ", ".join(core.CURRENCIES) + ")"
    words = spec.hint
    if spec.blank == "default":
        words += ", or leave it blank to use the discount rate"
    elif spec.blank == "zero" and "blank" not in words:
        words += " (blank counts as 0)"
    return words


def shown_default(item: InputName) -> Any:
    """The value the blank template shows in the input: the core's default.

    A default of 0 is shown as a blank cell (a blank counts as 0), except for the general
    settings, where 0% is a choice the user should see. A row gives a tuple.
    """
    default = item.spec.default
    if item in GENERAL:
        return default
    if isinstance(default, tuple):
        return tuple(None if value == 0 else value for value in default)
    return None if default == 0 else default
