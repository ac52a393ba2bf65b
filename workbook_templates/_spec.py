"""The template's layout: its sheets, where the Inputs sheet shows each input, its names.

What an input is, accepts and looks like (label, unit, number format, note, bounds, what a
blank means, the default and the words of the hint) is
:data:`crmvalue_core.appraisal.INPUTS`, the one table the core's own checks use; the
builder turns it into labels, formats and data validation and the reader checks a filled
workbook against it, so the workbook, the reader and the core refuse the same values. This
module adds only the layout: the sheet names, which block of the Inputs sheet each input
sits in, and the template's other defined names. Positions of cells are not here: the
reader finds every input by its defined name (docs/template.md).
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

#: What the core's input table says of each input, by defined name.
SPECS: dict[str, core.InputSpec] = {item.name: item for item in core.INPUTS}


@dataclass(frozen=True)
class SheetInput:
    """One input as the Inputs sheet places it: its defined name and its block.

    Everything else (label, unit, number format, note, rule) is the core's entry for the
    name, :attr:`spec`; the properties below read it.
    """

    name: str
    block: str

    @property
    def spec(self) -> core.InputSpec:
        """What the input is and accepts: the core's entry for this defined name."""
        return SPECS[self.name]

    @property
    def label(self) -> str:
        """The label of column A (and of messages)."""
        return self.spec.label

    @property
    def unit(self) -> str:
        """``"currency"`` (the chosen currency, by formula), a word, or ``""``."""
        return self.spec.unit

    @property
    def number_format(self) -> str:
        """The Excel number format of the input's cells."""
        return self.spec.number_format

    @property
    def note(self) -> str:
        """A short remark shown beside a single-cell input (column D), or ``""``."""
        return self.spec.note

    @property
    def cells(self) -> int:
        """1 for a single cell, 11 for a cost line, 10 for a per-year driver."""
        return self.spec.cells


@dataclass(frozen=True)
class InputBlock:
    """A block of the Inputs sheet: its header ``title`` and its inputs, top to bottom."""

    title: str
    inputs: tuple[SheetInput, ...]


def _block(title: str, *names: str) -> InputBlock:
    return InputBlock(title, tuple(SheetInput(name, title) for name in names))


#: The general settings: one cell each, column C.
GENERAL_BLOCK = _block(
    "General",
    "CaseName",
    "Currency",
    "FirstYear",
    "HorizonYears",
    "DiscountRate",
    "FinanceRate",
    "ReinvestRate",
    "BenefitRiskAdjustment",
    "CostContingency",
)
#: The cost lines: one row each, years 0..10 (columns C..M).
COST_BLOCK = _block(
    "Costs (before contingency)",
    "CostLicences",
    "CostImplementation",
    "CostDataMigration",
    "CostTraining",
    "CostInternalStaff",
    "CostSupport",
    "CostOther",
)
#: The per-year benefit drivers: one row each, years 1..10 (columns D..M).
PER_YEAR_BLOCK = _block("Benefit drivers by year", "AdoptionRamp", "OtherBenefits")
#: The single-value benefit drivers, one cell each, by block.
DRIVER_BLOCKS: tuple[InputBlock, ...] = (
    _block(
        "Retention and cross-sell",
        "CustomersActive",
        "ChurnBaseline",
        "ChurnReduction",
        "MarginPerCustomer",
        "CrossSellUplift",
    ),
    _block("Acquisition", "NewCustomersPerYear", "AcquisitionCost", "AcquisitionCostReduction"),
    _block(
        "Sales productivity",
        "SalesReps",
        "HoursSavedPerWeek",
        "WorkingWeeks",
        "HourlyCost",
        "ProductivityShare",
    ),
    _block("Service", "ServiceCases", "CostPerCase", "ServiceCostReduction"),
)


@dataclass(frozen=True)
class LineBlock:
    """A block of per-year lines with a defined name of its own, covering the amounts of
    a first row that is not a line (a heading), every line and spare rows at its end; its
    total row adds up every row from the block's first down to the row above the total. So
    a row a user inserts anywhere between the heading and the total (or fills among the
    spare rows) counts in the model, and the reader reads the same rows.

    Attributes:
        name: the block's defined name (``"CostLines"``): the amount columns of all its rows.
        named: the defined names of the lines inside it, top to bottom.
        rule: the input whose rule every row of the block follows (``"CostOther"``).
        spare_label: the label of the spare rows at its end.
        spare_rows: how many spare rows the template offers.
        total_name: the defined name of the block's total row, or ``""`` for none.
    """

    name: str
    named: tuple[str, ...]
    rule: str
    spare_label: str
    spare_rows: int
    total_name: str = ""

    @property
    def spec(self) -> core.InputSpec:
        """The rule of every row of the block: the core's entry for :attr:`rule`."""
        return SPECS[self.rule]


#: The cost lines and three spare rows, below the calendar years (the block's first row,
#: text): amounts of years 0..10 (columns C..M); total row ``TotalCosts``.
COST_LINE_BLOCK = LineBlock(
    "CostLines",
    tuple(item.name for item in COST_BLOCK.inputs),
    "CostOther",
    "Other cost line",
    3,
    total_name="TotalCosts",
)
#: Other benefits and three spare rows, below a heading row (the block's first row):
#: amounts of years 1..10 (columns D..M); total row ``TotalOtherBenefits``.
BENEFIT_LINE_BLOCK = LineBlock(
    "OtherBenefitLines",
    ("OtherBenefits",),
    "OtherBenefits",
    "Other benefit line",
    3,
    total_name="TotalOtherBenefits",
)
LINE_BLOCKS: tuple[LineBlock, ...] = (COST_LINE_BLOCK, BENEFIT_LINE_BLOCK)

GENERAL = GENERAL_BLOCK.inputs
COST_LINES = COST_BLOCK.inputs
PER_YEAR_DRIVERS = PER_YEAR_BLOCK.inputs
SINGLE_DRIVERS = tuple(item for block in DRIVER_BLOCKS for item in block.inputs)

#: Every input of the template, in the order of the Inputs sheet.
INPUTS: tuple[SheetInput, ...] = GENERAL + COST_LINES + PER_YEAR_DRIVERS + SINGLE_DRIVERS
INPUTS_BY_NAME = {item.name: item for item in INPUTS}

#: Model rows and results (formulas): the core's :data:`~crmvalue_core.appraisal.RESULT_NAMES`.
MODEL_ROWS = tuple(name for name, field in core.RESULT_NAMES.items() if field.startswith("years."))
RESULT_NAMES = tuple(name for name in core.RESULT_NAMES if name not in MODEL_ROWS)


def addin_name(result_name: str) -> str:
    """The defined name of the add-in cross-check of a result: ``ResultNPV`` -> ``AddinNPV``.

    The ``Result...`` names are the native formulas every Excel computes; the ``Addin...``
    cells beside them hold the add-in's value (or "add-in not enabled").
    """
    return "Addin" + result_name.removeprefix("Result")


#: The add-in cross-checks of the results (Results sheet), one per result name.
ADDIN_NAMES = tuple(addin_name(name) for name in RESULT_NAMES)

#: Every defined name of the template (docs/template.md) with its number of cells.
DEFINED_NAME_CELLS: dict[str, int] = {
    **{item.name: item.cells for item in INPUTS},
    COST_LINE_BLOCK.total_name: core.YEARS,
    BENEFIT_LINE_BLOCK.total_name: core.MAX_HORIZON,
    **dict.fromkeys(MODEL_ROWS, core.YEARS),
    **dict.fromkeys(RESULT_NAMES, 1),
    **dict.fromkeys(ADDIN_NAMES, 1),
}

# ---------------------------------------------------------------------------------------------
# Uncertainty: the Scenarios sheet's low and high values beside each base input.

#: The inputs that can have a low and a high value (benefit drivers and cost lines), in the
#: order of the Inputs sheet: :data:`crmvalue_core.appraisal.UNCERTAIN_NAMES`.
UNCERTAIN_INPUTS: tuple[SheetInput, ...] = tuple(
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


#: How a hint says that a blank cell counts as 0 (the core's hints of the cost lines do).
_BLANK_IS_ZERO = " (blank counts as 0)"


def expected(spec: core.InputSpec) -> str:
    """What to enter in a cell of ``spec``, in a user's words (for messages and prompts)."""
    if spec.kind == "text":
        return "a name for the case (text)"
    if spec.kind == "currency":
        return "a currency code from the list, or any other ISO 4217 code (such as THB)"
    words = spec.hint
    if spec.blank == "default":
        words += ", or leave it blank to use the discount rate"
    elif spec.blank == "zero" and "blank" not in words:
        words += _BLANK_IS_ZERO
    return words


def range_words(spec: core.InputSpec) -> str:
    """What to enter in a low or high cell of ``spec``: the input's hint without what a
    blank means (a blank low or high cell is the base)."""
    return spec.hint.replace(_BLANK_IS_ZERO, "")


def shown_default(item: SheetInput) -> Any:
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
