"""Plausible input, or a question: the warnings of a case, and the refusal of an empty one.

Each rule of :data:`crmvalue_core.appraisal.plausibility.RULES` fires on the value it is
about (and names the input, its label, its value and asks), stays quiet just inside its
threshold and on the ordinary values it must not flag (a productivity share or an
adoption ramp of 100%, a one-year horizon with large costs); the demo case has no warning;
a warning changes no number (checked against a hand computation). A case with no cost and
no benefit is refused with a message that says what to fill in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.plausibility import (
    RULES,
    PlausibilityWarning,
    plausibility_warnings,
    range_warnings,
)
from tests.implausible_cases import FIRES

ROOT = Path(__file__).resolve().parents[1]
DEMO = core.demo_case()


def warnings_of(values: dict[str, object], case: core.AppraisalInputs = DEMO) -> dict:
    """The warnings of ``case`` with ``values`` replaced, by (name, year)."""
    found = plausibility_warnings(case.with_values(values))
    keyed = {(w.name, w.year): w for w in found}
    assert len(keyed) == len(found), "one warning per cell"
    return keyed


def test_the_demo_case_has_no_warning() -> None:
    assert plausibility_warnings(DEMO) == ()


@pytest.mark.parametrize(
    ("rule", "values", "where", "value", "words"),
    FIRES,
    ids=[f"{rule}-{'-'.join(values)}" for rule, values, *_ in FIRES],
)
def test_each_rule_fires_on_its_value(
    rule: str, values: dict, where: tuple, value: float, words: str
) -> None:
    found = warnings_of(values)
    assert where in found, found
    warning = found[where]
    assert warning.rule == rule
    assert warning.value == value
    spec = {item.name: item for item in core.INPUTS}[where[0]]
    assert warning.label == spec.label
    assert re.search(words, warning.message), warning.message
    # the line names the defined name (and the year of a row) and asks a question
    assert warning.line.startswith(where[0])
    if where[1] is not None:
        assert f"year {where[1]}" in warning.line
    assert "?" in warning.line
    assert "\n" not in warning.line


def test_every_rule_has_a_case_that_fires_it() -> None:
    assert {rule for rule, *_ in FIRES} == {rule.key for rule in RULES}


@pytest.mark.parametrize(
    "values",
    [
        {"DiscountRate": 0.30},  # just at the threshold
        {"DiscountRate": 0.0},
        {"FinanceRate": 0.3, "ReinvestRate": 0.02},
        {"BenefitRiskAdjustment": 0.99, "CostContingency": 0.5},
        {"ChurnBaseline": 0.05, "ChurnReduction": 0.025},  # exactly half
        {"CostTraining": [1e12] * 11},  # exactly 10^12
        {"HoursSavedPerWeek": 20},
        {"ProductivityShare": 1.0},  # all saved time counting is an ordinary choice
        {"AdoptionRamp": [1.0] * 10},  # full adoption from year 1
        {"AdoptionRamp": [0.0] * 5 + [1.0] * 5},  # the ramp starts inside the horizon
        {"CostOther": [0] * 7 + [1e15] * 4},  # after the horizon: not appraised
        # a driver not used at all: all its own factors blank
        {"NewCustomersPerYear": 0, "AcquisitionCost": 0, "AcquisitionCostReduction": 0},
        # customers and margin entered for retention only: cross-sell is simply not used
        {"CrossSellUplift": 0},
    ],
    ids=lambda values: "-".join(values),
)
def test_ordinary_values_give_no_warning(values: dict) -> None:
    case = DEMO if "AdoptionRamp" not in values else DEMO.with_values({"HorizonYears": 10})
    assert warnings_of(values, case) == {}


def test_a_half_filled_driver_gives_one_warning_at_its_first_missing_factor() -> None:
    found = warnings_of({"SalesReps": 0, "HourlyCost": 0, "ProductivityShare": 0})
    assert list(found) == [("SalesReps", None)]
    assert "(HourlyCost and ProductivityShare are 0 too)" in found[("SalesReps", None)].message


def test_a_one_year_case_with_large_costs_is_not_questioned() -> None:
    case = core.AppraisalInputs(
        general=core.General(horizon_years=1),
        costs=core.Costs(implementation=(900_000_000,), licences=(0, 50_000_000)),
        benefits=core.BenefitDrivers(other_benefits=(950_000_000,)),
    )
    assert plausibility_warnings(case) == ()


def test_one_warning_per_cell_the_first_rule_wins_in_the_order_of_the_inputs() -> None:
    found = plausibility_warnings(
        DEMO.with_values({"DiscountRate": 1, "HoursSavedPerWeek": 30, "CostLicences": [2e12] * 11})
    )
    # DiscountRate 1 is also above 30%: only "percent-is-one" speaks
    assert [(w.name, w.year, w.rule) for w in found] == [
        ("DiscountRate", None, "percent-is-one"),
        *[("CostLicences", year, "amount-above-1e12") for year in range(0, 6)],
        ("HoursSavedPerWeek", None, "hours-above-20"),
    ]


def test_a_warning_changes_no_number() -> None:
    # By hand: -100,000 + 60,000 / 2 + 60,000 / 4 = -55,000 at a discount rate of 100%.
    case = core.AppraisalInputs(
        general=core.General(horizon_years=2, discount_rate=1, benefit_risk_adjustment=0),
        costs=core.Costs(implementation=(100_000,)),
        benefits=core.BenefitDrivers(adoption_ramp=(1,), other_benefits=(60_000, 60_000)),
    )
    before = core.appraise(case)
    found = plausibility_warnings(case)
    assert [w.name for w in found] == ["DiscountRate"]
    after = core.appraise(case)
    assert before.npv == after.npv == pytest.approx(-55_000, abs=1e-9)
    assert case.general.discount_rate == 1.0


def test_a_located_warning_names_the_sheet_and_cell() -> None:
    (warning,) = plausibility_warnings(DEMO.with_values({"CostTraining": [0, 0, 5e12]}))
    assert warning.cell is None
    assert warning.line.startswith("CostTraining year 2 (training and change management) is ")
    placed = warning.at("Inputs", "E20")
    assert placed.line.startswith("sheet 'Inputs', cell E20, CostTraining year 2 (training")
    assert placed.to_json_dict() == {
        "rule": "amount-above-1e12",
        "name": "CostTraining",
        "label": "Training and change management",
        "year": 2,
        "value": 5e12,
        "sheet": "Inputs",
        "cell": "E20",
        "side": None,
        "message": warning.message,
        "text": placed.line,
    }
    assert isinstance(placed, PlausibilityWarning)


def test_low_and_high_values_are_questioned_by_the_rules_that_read_a_value_alone() -> None:
    case = DEMO
    training = list(case.costs.training)
    high = [*training]
    high[2] = 4e12
    uncertain = core.UncertainInputs(
        case,
        {
            "CrossSellUplift": (0.01, 1),  # 1 typed for 1%
            "ServiceCostReduction": (0.15, 0.2),  # ordinary
            "HoursSavedPerWeek": (1, 25),
            "CostTraining": (training, high),
            "ChurnReduction": (0.005, 0.1),  # more than half the churn: a rule on the case
        },
    )
    found = [(w.name, w.side, w.year, w.rule, w.value) for w in range_warnings(uncertain)]
    assert found == [
        ("CostTraining", "high", 2, "amount-above-1e12", 4e12),
        ("CrossSellUplift", "high", None, "percent-is-one", 1.0),
        ("HoursSavedPerWeek", "high", None, "hours-above-20", 25.0),
    ]
    (uplift,) = [w for w in range_warnings(uncertain) if w.name == "CrossSellUplift"]
    assert uplift.line.startswith("CrossSellUplift high (cross-sell / up-sell uplift")
    assert "did you mean 1%?" in uplift.line
    assert plausibility_warnings(case) == ()  # the base case itself is plausible


def test_the_rules_are_listed_in_the_template_page() -> None:
    page = (ROOT / "docs" / "template.md").read_text(encoding="utf-8")
    section = page.split("## Warnings", 1)[1].split("\n## ", 1)[0]
    for rule in RULES:
        assert f"`{rule.key}`" in section, rule.key


# ---------------------------------------------------------------------------------------
# The empty case
# ---------------------------------------------------------------------------------------


def test_an_empty_case_is_refused_saying_what_to_fill_in() -> None:
    with pytest.raises(CrmValueError, match=r"^APPRAISAL: no cost and no benefit is entered"):
        core.appraise(core.AppraisalInputs())
    with pytest.raises(CrmValueError, match=r"enter the costs .* and the benefit drivers"):
        core.appraise(core.AppraisalInputs())


@pytest.mark.parametrize(
    ("values", "words"),
    [
        # amounts only after the horizon
        ({"CostTraining": [0] * 8 + [10_000] * 3}, r"years 0\.\.5 are all 0.*after year 5"),
        # a driver half filled and no cost
        ({"CustomersActive": 1000}, r"years 0\.\.5 are all 0.*all its factors"),
        # benefits all taken off by the risk adjustment, no cost
        (
            {"OtherBenefits": [1000] * 10, "BenefitRiskAdjustment": 1},
            r"BenefitRiskAdjustment is 100%",
        ),
    ],
    ids=["after-horizon", "half-driver", "risk-100"],
)
def test_a_case_whose_rows_are_all_zero_is_refused(values: dict, words: str) -> None:
    with pytest.raises(CrmValueError, match=words):
        core.appraise(core.AppraisalInputs().with_values(values))


def test_costs_only_or_benefits_only_is_a_case() -> None:
    costs_only = core.AppraisalInputs(costs=core.Costs(implementation=(1,)))
    assert core.appraise(costs_only).npv == pytest.approx(-1.0)
    benefits_only = core.AppraisalInputs().with_values(
        {"OtherBenefits": [100], "BenefitRiskAdjustment": 0, "DiscountRate": 0}
    )
    assert core.appraise(benefits_only).npv == pytest.approx(100.0)


def test_an_added_line_above_1e12_is_named_by_its_block_and_label() -> None:
    from dataclasses import replace

    from crmvalue_core.appraisal import CostLine, demo_case

    case = demo_case()
    case = replace(case, costs=replace(case.costs, added_lines=(CostLine("Travel", (0, 5e12)),)))
    (warning,) = plausibility_warnings(case)
    assert (warning.name, warning.label, warning.year) == ("CostLines", "Travel", 1)
    assert warning.line.startswith("CostLines year 1 (Travel) the added line 'Travel' is")
