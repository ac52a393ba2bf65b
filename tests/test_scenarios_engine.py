"""LibreOffice computes the Scenarios sheet: its NPVs equal ``crmvalue_core``'s scenarios.

The proof of the scenarios and the sensitivity table in a real spreadsheet engine: the
template is filled (with the filler) with the demo case and
:func:`~crmvalue_core.appraisal.demo_uncertainty`, and with a few seeded random cases with
random low and high values (some cells left blank, which means "the base"), and all of
them are recalculated in ONE LibreOffice run. Then the
Scenarios sheet's scenario NPVs (pessimistic, all low, base, all high, optimistic) equal
:func:`~crmvalue_core.appraisal.scenarios` and its sensitivity table (NPV at low, NPV at
high, swing, and the rank by swing) equals :func:`~crmvalue_core.appraisal.sensitivity`,
within 1e-9 relative plus a floor of 1e-12 times the case's amounts (LibreOffice writes 15
significant digits). The sheet's formulas are native, so no add-in binding is needed.
Without LibreOffice these tests skip with a message that says how to install it.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Any

import openpyxl
import pandas as pd
import pytest

from crmvalue_core import appraisal as core
from workbook_templates import _spec as spec
from workbook_templates import libreoffice as lo
from workbook_templates.builder import (
    SCENARIO_ROWS,
    SENSITIVITY_ROWS,
    TEMPLATE_PATH,
    workbook_bytes,
)
from workbook_templates.filler import fill_workbook
from workbook_templates.reader import read_values

REL = 1e-9
FLOOR = 1e-12
RANDOM_CASES = 4


def random_uncertain(seed: int) -> tuple[core.UncertainInputs, dict[str, set[int]]]:
    """The demo case with another horizon, rates and ranges on a random set of inputs.

    Returns the case and, for each low or high defined name, the cells (indexes) to leave
    blank in the sheet: only cells whose value is the base, so blank means the same.
    """
    rng = random.Random(seed)
    case = core.demo_case().with_values(
        {
            "HorizonYears": rng.randint(1, core.MAX_HORIZON),
            "DiscountRate": round(rng.uniform(0.0, 0.2), 4),
            "BenefitRiskAdjustment": round(rng.uniform(0.0, 0.3), 3),
            "CostContingency": round(rng.uniform(0.0, 0.2), 3),
            "CustomersActive": rng.randint(1_000, 60_000),
            "SalesReps": rng.randint(5, 200),
            "OtherBenefits": [round(rng.uniform(0, 30_000), 2) for _ in range(10)],
            "CostOther": [round(rng.uniform(0, 20_000), 2) for _ in range(11)],
        }
    )
    ranges: dict[str, tuple[Any, Any]] = {}
    blanks: dict[str, set[int]] = {}
    for item in spec.UNCERTAIN_INPUTS:
        if rng.random() < 0.3:
            continue
        rule, base = item.spec, case.get(item.name)

        def bound(value: float, sign: int, rule: core.InputSpec = rule) -> float:
            moved = value * (1 + sign * rng.uniform(0.0, 0.4))
            if value == 0 and sign > 0:  # a zero base gets a range above it
                moved = rng.uniform(0.0, 0.05 if (rule.maximum or 2) <= 1 else 5_000.0)
            if rule.maximum is not None:
                moved = min(moved, rule.maximum)
            moved = max(moved, rule.minimum if rule.minimum is not None else moved)
            moved = round(moved) if rule.whole else round(moved, rng.choice([2, 4, 9]))
            return min(moved, value) if sign < 0 else max(moved, value)

        if isinstance(base, tuple):
            low = [bound(v, -1) if rng.random() < 0.7 else v for v in base]
            high = [bound(v, +1) if rng.random() < 0.7 else v for v in base]
            for side, values in (("Low", low), ("High", high)):
                blanks[f"{item.name}{side}"] = {
                    i for i, (v, b) in enumerate(zip(values, base, strict=True)) if v == b
                }
        else:
            low, high = bound(base, -1), bound(base, +1)
            if rng.random() < 0.2:
                low, blanks[f"{item.name}Low"] = base, {0}
        ranges[item.name] = (low, high)
    # Keep every mix a valid case: the churn reduction's high at most the churn's low.
    if "ChurnReduction" in ranges:
        churn_low = ranges.get("ChurnBaseline", (case.get("ChurnBaseline"),))[0]
        low, high = ranges["ChurnReduction"]
        ranges["ChurnReduction"] = (low, min(high, churn_low))
    return core.UncertainInputs(case, ranges), blanks


@dataclass
class Case:
    uncertain: core.UncertainInputs
    sheet: dict[str, Any]


def demo_with_added_lines() -> core.UncertainInputs:
    """The demo's ranges on a case with an added cost line and an added benefit line (which
    have no range: each scenario takes them at their base), and a range on other benefits."""
    from dataclasses import replace

    demo = core.demo_uncertainty()
    case = demo.case
    case = replace(
        case,
        costs=replace(case.costs, added_lines=[core.CostLine("Travel", (50_000, 20_000))]),
        benefits=replace(
            case.benefits,
            other_benefit_lines=[core.BenefitLine("Print savings", (10_000,) * 10)],
        ),
    )
    ranges = demo.to_defined_names()
    base = case.benefits.other_benefits
    ranges["OtherBenefits"] = ([0.5 * b for b in base], [1.5 * b for b in base])
    return core.UncertainInputs(case, ranges)


CASES: dict[str, tuple[core.UncertainInputs, dict[str, set[int]]]] = {
    "demo": (core.demo_uncertainty(), {}),
    "demo_with_added_lines": (demo_with_added_lines(), {}),
    **{f"random{seed}": random_uncertain(seed) for seed in range(RANDOM_CASES)},
}


def filled_bytes(uncertain: core.UncertainInputs, blanks: dict[str, set[int]]) -> bytes:
    """The template filled with the case and its ranges; the ``blanks`` cells emptied."""
    wb = fill_workbook(uncertain.case, uncertain=uncertain)
    places = read_values(TEMPLATE_PATH, ranges=True)
    for name, indexes in blanks.items():
        cells = places[name]
        cells = cells if isinstance(cells, list) else [cells]
        for index in indexes:
            wb[cells[index].sheet][cells[index].cell] = None
    return workbook_bytes(wb)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Every case filled, recalculated in one LibreOffice run, the Scenarios sheet read."""
    if lo.find_soffice() is None:
        pytest.skip(f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}")
    folder = tmp_path_factory.mktemp("scenarios")
    paths = []
    for name, (uncertain, blanks) in CASES.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(filled_bytes(uncertain, blanks))
        paths.append(path)
    outputs = lo.recalculate_many(paths, folder / "out")
    found = {}
    for (name, (uncertain, _)), output in zip(CASES.items(), outputs, strict=True):
        wb = openpyxl.load_workbook(output, read_only=True, data_only=True)
        try:
            sheet = {
                cell.coordinate: cell.value
                for row in wb[spec.SHEET_SCENARIOS].iter_rows()
                for cell in row
                if getattr(cell, "value", None) is not None
            }
        finally:
            wb.close()
        found[name] = Case(uncertain, sheet)
    return found


def scale(uncertain: core.UncertainInputs) -> float:
    years = core.appraise(uncertain.case).years
    return float(max(years["gross_benefits"].abs().max(), years["costs"].abs().max(), 1.0))


def assert_close(actual: Any, expected: float, magnitude: float, what: str) -> None:
    assert isinstance(actual, (int, float)) and not isinstance(actual, bool), (what, actual)
    assert abs(actual - expected) <= REL * abs(expected) + FLOOR * magnitude, (
        what,
        actual,
        expected,
    )


def test_the_cases_have_ranges_of_every_kind() -> None:
    names = set()
    for uncertain, _ in CASES.values():
        names |= set(uncertain.ranges)
        assert uncertain.ranges
    assert names == set(core.UNCERTAIN_NAMES)
    assert any(blanks for _, blanks in CASES.values())
    assert len({u.case.general.horizon_years for u, _ in CASES.values()}) >= 3


@pytest.mark.parametrize("name", list(CASES))
def test_scenario_npvs_equal_the_core(engine: dict[str, Case], name: str) -> None:
    case = engine[name]
    expected = core.scenarios(case.uncertain)["npv"]
    magnitude = scale(case.uncertain)
    for key, row in SCENARIO_ROWS.items():
        assert_close(case.sheet.get(f"B{row}"), float(expected[key]), magnitude, key)
    # The base scenario is the case itself: the NPV of the Results sheet.
    assert_close(
        case.sheet.get(f"B{SCENARIO_ROWS['base']}"),
        core.appraise(case.uncertain.case).npv,
        magnitude,
        "base",
    )


@pytest.mark.parametrize("name", list(CASES))
def test_sensitivity_table_equals_the_core(engine: dict[str, Case], name: str) -> None:
    case = engine[name]
    table: pd.DataFrame = core.sensitivity(case.uncertain)
    base = core.scenarios(case.uncertain).loc["base", "npv"]
    magnitude = scale(case.uncertain)
    for input_name, row in SENSITIVITY_ROWS.items():
        low, high, swing = (case.sheet.get(f"{column}{row}") for column in "BCF")
        if input_name in table.index:
            expected = table.loc[input_name]
            assert_close(low, expected["npv_low"], magnitude, f"{input_name} low")
            assert_close(high, expected["npv_high"], magnitude, f"{input_name} high")
            assert_close(swing, expected["swing"], magnitude, f"{input_name} swing")
        else:  # no range: the input is certain, both ends are the base
            assert_close(low, base, magnitude, f"{input_name} low")
            assert_close(high, base, magnitude, f"{input_name} high")
            assert_close(swing, 0.0, magnitude, f"{input_name} swing")
    # The rank column orders the inputs with a range as the core's tornado does (largest
    # swing first, ties in the order of the Inputs sheet), wherever the swings are not
    # within rounding of each other.
    ranks = {n: case.sheet.get(f"G{row}") for n, row in SENSITIVITY_ROWS.items()}
    assert sorted(ranks.values()) == list(range(1, len(ranks) + 1))
    swings = table["swing"].to_numpy()
    distinct = all(abs(a - b) > 1e-6 * magnitude for a, b in itertools.pairwise(swings))
    if distinct:
        by_rank = [n for n, _ in sorted(ranks.items(), key=lambda kv: kv[1])]
        assert [n for n in by_rank if n in table.index] == list(table.index)
