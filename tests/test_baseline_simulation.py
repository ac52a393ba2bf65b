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
