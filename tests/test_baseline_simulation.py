"""Measured drivers drawn jointly in the Monte Carlo (simulate(joint=...), appraise --simulate).

A case simulated with recorded joint draws must give, draw by draw, the appraisal of the
case with those values: checked against ``appraise`` of each case by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from addin.cli.app import main
from crmvalue_core import CrmValueError
from crmvalue_core.appraisal import UncertainInputs, appraise, demo_case, simulate
from workbook_templates.baseline_filler import fill_measured, read_baseline_draws
from workbook_templates.filler import fill_template


def test_each_simulated_case_is_one_row_of_the_joint_draws():
    case = demo_case()
    churn, customers = case.benefits.churn_baseline, case.benefits.customers_active
    u = UncertainInputs(
        case,
        {
            "ChurnBaseline": (churn * 0.8, churn * 1.2),
            "CustomersActive": (customers - 100, customers + 100),
        },
    )
    rows = {
        "ChurnBaseline": [churn * 0.9, churn * 1.1],
        "CustomersActive": [customers + 50, customers - 50],
    }
    result = simulate(u, 400, seed=3, joint=rows)
    expected = {
        appraise(case.with_values({name: rows[name][k] for name in rows})).metrics["npv"]
        for k in (0, 1)
    }
    assert set(np.round(result.npv, 6)) == {round(v, 6) for v in expected}


def test_joint_draws_at_the_base_give_the_base_npv():
    case = demo_case()
    churn = case.benefits.churn_baseline
    u = UncertainInputs(case, {"ChurnBaseline": (churn * 0.8, churn * 1.2)})
    result = simulate(u, 100, seed=1, joint={"ChurnBaseline": [churn] * 7})
    assert np.all(result.npv == pytest.approx(appraise(case).metrics["npv"], rel=1e-12))


def test_joint_draws_of_an_input_without_a_range_are_refused():
    u = UncertainInputs(demo_case(), {"HourlyCost": (50, 70)})
    with pytest.raises(CrmValueError, match="joint draws of ChurnBaseline, which has no low"):
        simulate(u, 10, seed=1, joint={"ChurnBaseline": [0.1, 0.2]})


def test_the_workbook_records_the_draws_and_appraise_uses_them(tmp_path, capsys):
    case = demo_case()
    template = fill_template(case, tmp_path / "demo.xlsx")
    churn = case.benefits.churn_baseline
    draws = [churn * 0.9, churn, churn * 1.1]
    out = fill_measured(
        template,
        tmp_path / "m.xlsx",
        {"ChurnBaseline": (churn, churn * 0.9, churn * 1.1)},
        {"ChurnBaseline": "a test"},
        samples={"ChurnBaseline": draws},
    )
    assert read_baseline_draws(out) == {"ChurnBaseline": pytest.approx(draws, rel=1e-15)}
    assert main(["appraise", str(out), "--simulate", "300", "--seed", "2"]) == 0
    assert "ChurnBaseline jointly from the 3 parameter draws" in capsys.readouterr().err


def test_measured_only_equals_the_simulation_without_the_users_ranges():
    case = demo_case()
    churn = case.benefits.churn_baseline
    everything = UncertainInputs(
        case,
        {
            "ChurnBaseline": (churn * 0.8, churn * 1.2),
            "ChurnReduction": (0.005, 0.015),
            "HourlyCost": (50, 70),
        },
    )
    by_hand = UncertainInputs(case, {"ChurnBaseline": (churn * 0.8, churn * 1.2)})
    rows = {"ChurnBaseline": np.linspace(churn * 0.85, churn * 1.15, 9)}
    alone = simulate(everything, 500, seed=4, joint=rows, only=["ChurnBaseline"])
    expected = simulate(by_hand, 500, seed=4, joint=rows)
    assert alone.inputs == ("ChurnBaseline",)
    assert np.array_equal(alone.npv, expected.npv)
    # each case's NPV is the appraisal of the case with that churn, the rest at base
    at_base = {
        round(appraise(case.with_values({"ChurnBaseline": v})).metrics["npv"], 6)
        for v in rows["ChurnBaseline"]
    }
    assert set(np.round(alone.npv, 6)) <= at_base
    full = simulate(everything, 500, seed=4, joint=rows)
    assert full.npv.std() > alone.npv.std() > 0


def test_measured_draws_at_the_base_give_no_spread_when_drawn_alone():
    case = demo_case()
    churn = case.benefits.churn_baseline
    u = UncertainInputs(
        case, {"ChurnBaseline": (churn * 0.8, churn * 1.2), "ChurnReduction": (0.005, 0.015)}
    )
    alone = simulate(u, 300, seed=5, joint={"ChurnBaseline": [churn] * 4}, only=["ChurnBaseline"])
    summary = alone.summary().loc["npv"]
    assert summary["p10"] == summary["p90"]
    assert summary["std"] == pytest.approx(0.0, abs=1e-6)
    assert summary["p50"] == pytest.approx(appraise(case).metrics["npv"], rel=1e-12)


def test_only_an_input_without_a_range_is_refused():
    u = UncertainInputs(demo_case(), {"HourlyCost": (50, 70)})
    with pytest.raises(CrmValueError, match="only ChurnBaseline is to be drawn"):
        simulate(u, 10, seed=1, only=["ChurnBaseline"])


def test_appraise_shows_the_measured_risk_apart(tmp_path, capsys):
    import json

    case = demo_case()
    template = fill_template(case, tmp_path / "demo.xlsx")
    churn = case.benefits.churn_baseline
    out = fill_measured(
        template,
        tmp_path / "m.xlsx",
        {"ChurnBaseline": (churn, churn * 0.9, churn * 1.1)},
        {"ChurnBaseline": "a test"},
        samples={"ChurnBaseline": [churn] * 5},
    )
    assert main(["appraise", str(out), "--simulate", "300", "--seed", "2"]) == 0
    text = capsys.readouterr().out
    assert "measured drivers only (the rest at base): P(NPV<0) 0.0%" in text
    assert main(["appraise", str(out), "--simulate", "300", "--seed", "2", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    alone = document["simulation"]["measured_only"]
    assert alone["inputs"] == ["ChurnBaseline"]
    assert alone["p10"] == alone["p90"]
    assert alone["p10"] == pytest.approx(appraise(case).metrics["npv"], rel=1e-9)


def test_the_results_workbook_notes_the_measured_risk_apart(tmp_path):
    from openpyxl import load_workbook

    case = demo_case()
    template = fill_template(case, tmp_path / "demo.xlsx")
    churn = case.benefits.churn_baseline
    out = fill_measured(
        template,
        tmp_path / "m.xlsx",
        {"ChurnBaseline": (churn, churn * 0.9, churn * 1.1)},
        {"ChurnBaseline": "a test"},
        samples={"ChurnBaseline": [churn] * 5},
    )
    results = tmp_path / "results.xlsx"
    command = ["appraise", str(out), "--simulate", "200", "--seed", "2", "--out", str(results)]
    assert main(command) == 0
    cells = [
        str(cell.value)
        for sheet in load_workbook(results).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    base = f"{appraise(case).metrics['npv']:,.0f}"
    expected = (
        "Measured drivers only (ChurnBaseline), the other inputs at base: probability of a "
        f"negative NPV 0.0%; NPV P10 EUR {base}, P90 EUR {base}."
    )
    assert expected in cells
