"""Where things are on the template's sheets: rows, columns, and the shapes of the plans.

The sheet modules write what these constants place; the tests and the LibreOffice checks
read the same constants to find a value. Year t of a model row is in column C + t
(C = year 0 .. M = year 10) on the Inputs, Calculation and Scenarios sheets.

The rows of the Calculation sheet follow from its plan and are in
:mod:`.calculation_sheet` (:data:`~.calculation_sheet.CALCULATION_ROWS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import FORMATS

from .. import _spec as spec

# ---------------------------------------------------------------------------------------------
# Year columns

#: The column number of year 0.
FIRST_YEAR_COL = 3
#: Columns of years 0..10 on the Inputs, Calculation and Scenarios sheets.
YEAR_COLUMNS = tuple(get_column_letter(FIRST_YEAR_COL + year) for year in spec.MODEL_YEARS)
COL_Y0, COL_Y1, COL_Y10 = YEAR_COLUMNS[0], YEAR_COLUMNS[1], YEAR_COLUMNS[-1]

# ---------------------------------------------------------------------------------------------
# Calculation sheet

#: The row of the year numbers 0..10 on the Calculation sheet.
CALC_YEAR_ROW = 9
#: The rows of the rates used (value in column C).
CALC_RATE_ROWS = {"discount_rate": 5, "finance_rate": 6, "reinvest_rate": 7}


@dataclass(frozen=True)
class CalcRow:
    """One model row of the Calculation sheet, a formula in every year column.

    ``formula`` is a template: ``{c}`` this column, ``{p}`` the previous column, ``{r}``
    this row, ``{y}`` the year header row, ``{R_key}`` the row of the entry ``key``.
    ``first`` replaces it in year 0 (column C) when given; ``bold`` marks a total.
    """

    key: str
    label: str
    unit: str
    formula: str
    number_format: str = FORMATS.money
    first: str | None = None
    bold: bool = False


@dataclass(frozen=True)
class CalcSection:
    """A section title between model rows of the Calculation sheet (a blank row above)."""

    title: str


# ---------------------------------------------------------------------------------------------
# Results sheet

#: The row of the first metric on the Results sheet.
RESULTS_FIRST_ROW = 6
#: The row of each metric (native result in B, add-in cross-check in D).
RESULT_ROWS: dict[str, int] = {
    name: RESULTS_FIRST_ROW + index for index, name in enumerate(core.METRICS)
}
#: The row of the PV of each benefit driver (keys of ``AppraisalResult.pv_drivers``; native
#: result in B, add-in cross-check in D).
RESULTS_DRIVER_ROWS: dict[str, int] = {
    name: max(RESULT_ROWS.values()) + 4 + index for index, name in enumerate(core.BENEFIT_DRIVERS)
}


# ---------------------------------------------------------------------------------------------
# Customer metrics sheet

#: The paste areas of survey answers (NPS in I, CSAT in J).
CUSTOMER_NPS_RANGE = "I6:I1005"
CUSTOMER_CSAT_RANGE = "J6:J1005"
#: The first and last row of the customer table (for CUSTOMER_SEGMENT).
CUSTOMER_TABLE_ROWS = (42, 61)

# ---------------------------------------------------------------------------------------------
# Scenarios sheet: the scenario table (NPV in B) and the sensitivity table at the top; then
# the low and high values of the single-value drivers (Low C, Base D, High E, used values F
# and G: a blank low or high is the base); then the row inputs (cost lines C..M = years
# 0..10, the adoption ramp and other benefits D..M = years 1..10), five rows each: low, base,
# high, low used, high used. Below, the model once per scenario and per sensitivity case in
# three rows (adoption a_t, extra customers E_t, net cash flow, NPV in column N), each
# referring to the low, base or high cells its case takes.

#: The row of each standard scenario in the scenario table (its NPV in column B).
SCENARIO_FIRST_ROW = 6
SCENARIO_ROWS: dict[str, int] = {
    key: SCENARIO_FIRST_ROW + index for index, key in enumerate(core.SCENARIOS)
}
#: The row of each uncertain input in the sensitivity table: NPV at low (B), NPV at high
#: (C), downside (D), upside (E), swing (F), rank by swing (G).
SENSITIVITY_FIRST_ROW = max(SCENARIO_ROWS.values()) + 4
SENSITIVITY_ROWS: dict[str, int] = {
    item.name: SENSITIVITY_FIRST_ROW + index for index, item in enumerate(spec.UNCERTAIN_INPUTS)
}
#: The uncertain inputs of one cell (the single-value drivers) and of one row each.
SINGLE_RANGE_INPUTS = tuple(item for item in spec.UNCERTAIN_INPUTS if item.cells == 1)
ROW_RANGE_INPUTS = tuple(item for item in spec.UNCERTAIN_INPUTS if item.cells > 1)
#: The row of each single-value driver's range: Low C, Base D, High E, used F and G.
RANGE_FIRST_ROW = max(SENSITIVITY_ROWS.values()) + 4
RANGE_ROWS: dict[str, int] = {
    item.name: RANGE_FIRST_ROW + index for index, item in enumerate(SINGLE_RANGE_INPUTS)
}
#: The five rows of a row input's range, top to bottom.
RANGE_ROW_SIDES = ("low", "base", "high", "low_used", "high_used")
#: The rows of each row input's range: {side: row} for low, base, high, low_used, high_used.
RANGE_ROW_BLOCKS: dict[str, dict[str, int]] = {
    item.name: {
        side: max(RANGE_ROWS.values()) + 4 + 6 * index + offset
        for offset, side in enumerate(RANGE_ROW_SIDES)
    }
    for index, item in enumerate(ROW_RANGE_INPUTS)
}
#: The year header of the model per case, and its two flag rows below it.
SCENARIO_YEAR_ROW = max(row for block in RANGE_ROW_BLOCKS.values() for row in block.values()) + 3
SCENARIO_IN_CASE_ROW = SCENARIO_YEAR_ROW + 1
SCENARIO_BENEFIT_YEAR_ROW = SCENARIO_YEAR_ROW + 2
#: Column of the NPV of each case of the model (on the case's net cash flow row).
SCENARIO_NPV_COLUMN = get_column_letter(FIRST_YEAR_COL + len(YEAR_COLUMNS))


@dataclass(frozen=True)
class ScenarioCase:
    """One case the Scenarios sheet computes: ``sides`` maps the defined names it takes at
    their ``"low"`` or ``"high"`` value; every other input is at its base."""

    key: str
    sides: Mapping[str, str]

    def side(self, name: str) -> str:
        """``"low"``, ``"base"`` or ``"high"``: the value of input ``name`` in this case."""
        return self.sides.get(name, "base")


def _scenario_cases() -> tuple[ScenarioCase, ...]:
    """The standard scenarios, then each uncertain input alone at low and at high."""
    names = [item.name for item in spec.UNCERTAIN_INPUTS]
    worse = {n: "low" if core.NPV_DIRECTION[n] > 0 else "high" for n in names}
    better = {n: "high" if core.NPV_DIRECTION[n] > 0 else "low" for n in names}
    cases = [
        ScenarioCase("pessimistic", worse),
        ScenarioCase("all_low", dict.fromkeys(names, "low")),
        ScenarioCase("base", {}),
        ScenarioCase("all_high", dict.fromkeys(names, "high")),
        ScenarioCase("optimistic", better),
    ]
    for name in names:
        cases.append(ScenarioCase(f"{name}:low", {name: "low"}))
        cases.append(ScenarioCase(f"{name}:high", {name: "high"}))
    return tuple(cases)


#: Every case of the model, in the order of the sheet: the standard scenarios (keys of
#: :data:`crmvalue_core.appraisal.SCENARIOS`) and ``"<defined name>:low"`` / ``":high"``.
SCENARIO_CASES: tuple[ScenarioCase, ...] = _scenario_cases()
#: The net cash flow row of each case of the model (its NPV in :data:`SCENARIO_NPV_COLUMN`),
#: by the case's key.
SCENARIO_MODEL_ROWS: dict[str, int] = {
    case.key: SCENARIO_BENEFIT_YEAR_ROW + 2 + 4 * index + 2
    for index, case in enumerate(SCENARIO_CASES)
}
