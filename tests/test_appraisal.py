"""Tests of crmvalue_core.appraisal: the CRM investment appraisal model of the template."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.appraisal import (
    DEFINED_NAMES,
    INPUTS,
    RESULT_NAMES,
    AppraisalInputs,
    BenefitDrivers,
    Costs,
    General,
    appraisal_cash_flows,
    appraise,
    demo_case,
    format_appraisal,
)
from tests.cases import APPRAISAL_METRICS, TEMPLATE_INPUT_CELLS, TEMPLATE_RESULT_CELLS

TEMPLATE_INPUT_NAMES = list(TEMPLATE_INPUT_CELLS)
TEMPLATE_RESULT_NAMES = list(TEMPLATE_RESULT_CELLS)


def small_case(**general: object) -> AppraisalInputs:
    """A 3-year case small enough to compute by hand (see the expected numbers below)."""
    settings_ = {
        "horizon_years": 3,
        "discount_rate": 0.10,
        "benefit_risk_adjustment": 0.20,
        "cost_contingency": 0.10,
    }
    settings_.update(general)
    return AppraisalInputs(
        general=General(**settings_),
        costs=Costs(
            licences=(0, 1000, 1000, 1000, 1000, 1000),  # year 4 on: after the horizon
            implementation=(20_000,),
            support=(0, 500, 500, 500, 500),
        ),
        benefits=BenefitDrivers(
            adoption_ramp=(0.5, 1.0),
            customers_active=1000,
            churn_baseline=0.10,
            churn_reduction=0.02,
            margin_per_customer=100,
            cross_sell_uplift=0.05,
            new_customers_per_year=200,
            acquisition_cost=50,
            acquisition_cost_reduction=0.20,
            sales_reps=5,
            hours_saved_per_week=1,
            working_weeks=40,
            hourly_cost=50,
            productivity_share=0.5,
            service_cases=1000,
            cost_per_case=10,
            service_cost_reduction=0.10,
            other_benefits=(0, 500, 500, 1000),  # year 4: after the horizon
        ),
    )


# Worked by hand for small_case(), years 0..3 (a_t = 0, 0.5, 1, 1):
#   E_1 = 0 x 0.9 + 1000 x 0.02 x 0.5 = 10; E_2 = 10 x 0.9 + 20 = 29; E_3 = 29 x 0.9 + 20 = 46.1
#   retention 100 E_t; cross-sell 1000 x 100 x 0.05 = 5000 a_t; acquisition
#   200 x 50 x 0.2 = 2000 a_t; productivity 5 x 1 x 40 x 50 x 0.5 = 5000 a_t;
#   service 1000 x 10 x 0.1 = 1000 a_t; other 0, 500, 500.
HAND = {
    "extra_customers": [0, 10, 29, 46.1],
    "retention": [0, 1000, 2900, 4610],
    "cross_sell": [0, 2500, 5000, 5000],
    "acquisition": [0, 1000, 2000, 2000],
    "productivity": [0, 2500, 5000, 5000],
    "service": [0, 500, 1000, 1000],
    "other": [0, 0, 500, 500],
    "gross_benefits": [0, 7500, 16400, 18110],
    "benefits": [0, 6000, 13120, 14488],  # x (1 - 20%)
    "costs": [22_000, 1650, 1650, 1650],  # (20000 | 1000 + 500) x 1.1
    "net": [-22_000, 4350, 11_470, 12_838],
}


# ------------------------------------------------------------------ the cash flows


def test_small_case_by_hand_year_by_year():
    flows = appraisal_cash_flows(**small_case().driver_arrays())
    for row, expected in HAND.items():
        np.testing.assert_allclose(getattr(flows, row)[:4], expected, rtol=1e-12, err_msg=row)
        assert np.all(getattr(flows, row)[4:] == 0), row


def test_extra_customers_recursion_matches_closed_form():
    # E_t = sum_{s<=t} B dc a_s (1-c)^(t-s), written out independently of the recursion.
    ramp = [0.2, 0.5, 0.7, 0.9, 1.0, 1.0, 0.8, 1.0, 1.0, 0.6]
    b, c, dc = 5000, 0.15, 0.03
    flows = appraisal_cash_flows(
        horizon_years=10,
        costs=[0] * 11,
        adoption_ramp=ramp,
        other_benefits=[0] * 10,
        customers_active=b,
        churn_baseline=c,
        churn_reduction=dc,
        margin_per_customer=1,
    )
    a = [0, *ramp]
    expected = [sum(b * dc * a[s] * (1 - c) ** (t - s) for s in range(1, t + 1)) for t in range(11)]
    np.testing.assert_allclose(flows.extra_customers, expected, rtol=1e-12)
    np.testing.assert_allclose(flows.retention, expected, rtol=1e-12)


@pytest.mark.parametrize("horizon", [1, 2, 5, 9, 10])
def test_horizon_zeroes_the_later_years(horizon):
    case = demo_case().with_values({"HorizonYears": horizon})
    flows = appraisal_cash_flows(**case.driver_arrays())
    full = appraisal_cash_flows(**case.with_values({"HorizonYears": 10}).driver_arrays())
    for row in ("adoption_ramp", "extra_customers", "gross_benefits", "benefits", "costs", "net"):
        values = getattr(flows, row)
        assert np.all(values[horizon + 1 :] == 0), row
        # Within the horizon nothing depends on the horizon.
        np.testing.assert_array_equal(values[: horizon + 1], getattr(full, row)[: horizon + 1])
    assert flows.benefits[0] == 0  # year 0 is the implementation period


def test_risk_adjustment_and_contingency():
    base = appraisal_cash_flows(
        **small_case(benefit_risk_adjustment=0, cost_contingency=0).driver_arrays()
    )
    risky = appraisal_cash_flows(
        **small_case(benefit_risk_adjustment=0.25, cost_contingency=0.4).driver_arrays()
    )
    np.testing.assert_allclose(risky.gross_benefits, base.gross_benefits)
    np.testing.assert_allclose(risky.benefits, 0.75 * base.benefits)
    np.testing.assert_allclose(risky.costs, 1.4 * base.costs)
    np.testing.assert_allclose(base.costs[:4], [20_000, 1500, 1500, 1500])
    np.testing.assert_allclose(risky.net, 0.75 * base.benefits - 1.4 * base.costs)


def test_other_benefits_have_no_ramp_but_drivers_do():
    flows = appraisal_cash_flows(
        horizon_years=3,
        costs=[0] * 11,
        adoption_ramp=[0.25, 0.5, 0.75] + [1] * 7,
        other_benefits=[100, 100, 100] + [0] * 7,
        service_cases=10,
        cost_per_case=10,
        service_cost_reduction=1.0,
    )
    np.testing.assert_allclose(flows.other[:4], [0, 100, 100, 100])
    np.testing.assert_allclose(flows.service[:4], [0, 25, 50, 75])


def test_cash_flows_broadcast_over_draws():
    case = demo_case()
    kwargs = case.driver_arrays()
    rng = np.random.default_rng(7)
    draws = {
        "churn_reduction": rng.uniform(0.0, 0.02, size=50),
        "cross_sell_uplift": rng.uniform(0.0, 0.04, size=50),
        "adoption_ramp": np.clip(rng.normal(kwargs["adoption_ramp"], 0.1, (50, 10)), 0, 1),
        "costs": kwargs["costs"] * rng.uniform(0.9, 1.3, size=(50, 1)),
    }
    batch = appraisal_cash_flows(**{**kwargs, **draws})
    assert batch.net.shape == (50, 11)
    for i in (0, 17, 49):
        one = appraisal_cash_flows(**{**kwargs, **{k: v[i] for k, v in draws.items()}})
        np.testing.assert_allclose(batch.net[i], one.net, rtol=1e-13)
        np.testing.assert_allclose(batch.extra_customers[i], one.extra_customers, rtol=1e-13)


def test_cash_flows_bad_arrays():
    kwargs = demo_case().driver_arrays()
    with pytest.raises(CrmValueError, match="do not fit together"):
        appraisal_cash_flows(**{**kwargs, "churn_reduction": np.zeros(3), "sales_reps": np.ones(4)})
    with pytest.raises(CrmValueError, match="costs needs 11 values"):
        appraisal_cash_flows(**{**kwargs, "costs": np.zeros(10)})
    with pytest.raises(CrmValueError, match="NaN or infinite"):
        appraisal_cash_flows(**{**kwargs, "hourly_cost": np.array([1.0, np.nan])})
    with pytest.raises(CrmValueError, match="HorizonYears"):
        appraisal_cash_flows(**{**kwargs, "horizon_years": 11})


@settings(max_examples=30, deadline=None)
@given(
    horizon=st.integers(1, 10),
    risk=st.floats(0, 1),
    contingency=st.floats(0, 1),
    churn=st.floats(0, 0.5),
    share=st.floats(0, 1),
)
def test_rows_add_up(horizon, risk, contingency, churn, share):
    case = demo_case().with_values(
        {
            "HorizonYears": horizon,
            "BenefitRiskAdjustment": risk,
            "CostContingency": contingency,
            "ChurnBaseline": churn,
            "ChurnReduction": churn * share,
        }
    )
    flows = appraisal_cash_flows(**case.driver_arrays())
    total = sum(flows.drivers.values())
    np.testing.assert_allclose(flows.gross_benefits, total, rtol=1e-12)
    np.testing.assert_allclose(flows.benefits, total * (1 - risk), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(flows.net, flows.benefits - flows.costs, rtol=1e-12)
    assert np.all(flows.extra_customers >= 0)
    assert np.all(flows.net[horizon + 1 :] == 0)


# ---------------------------------------------------------------------- the inputs


def test_defined_names_match_the_template_one_to_one():
    assert sorted(DEFINED_NAMES) == sorted(TEMPLATE_INPUT_NAMES)
    assert len(set(DEFINED_NAMES.values())) == len(DEFINED_NAMES)
    assert sorted(RESULT_NAMES) == sorted(TEMPLATE_RESULT_NAMES)
    case = AppraisalInputs()
    for name, path in DEFINED_NAMES.items():
        part, attribute = path.split(".")
        assert hasattr(getattr(case, part), attribute), name
    cost_rows = {name for name in TEMPLATE_INPUT_NAMES if name.startswith("Cost")} - {
        "CostContingency",
        "CostPerCase",
    }
    assert len(cost_rows) == 7
    for spec in INPUTS:
        if spec.name in cost_rows:
            assert (spec.cells, spec.first_year) == (11, 0), spec.name
        elif spec.name in ("AdoptionRamp", "OtherBenefits"):
            assert (spec.cells, spec.first_year) == (10, 1), spec.name
        else:
            assert spec.cells == 1, spec.name


def test_defaults_are_those_of_the_template():
    case = AppraisalInputs()
    assert case.general.horizon_years == 5
    assert case.general.discount_rate == 0.10
    assert case.general.effective_finance_rate == 0.10
    assert case.general.effective_reinvest_rate == 0.10
    assert case.general.benefit_risk_adjustment == 0.10
    assert case.general.cost_contingency == 0.0
    assert case.benefits.adoption_ramp == (0.5, 0.8) + (1.0,) * 8
    for spec in INPUTS:
        value = case.get(spec.name)
        assert value == spec.default or list(value) == list(spec.default), spec.name


def test_defined_names_round_trip_and_short_rows():
    case = demo_case()
    values = case.to_defined_names()
    assert set(values) == set(DEFINED_NAMES)
    assert len(values["CostLicences"]) == 11 and len(values["AdoptionRamp"]) == 10
    assert AppraisalInputs.from_defined_names(values) == case
    json.dumps(values)
    # Short rows: costs and other benefits fill with 0, the ramp keeps its last value.
    short = AppraisalInputs.from_defined_names(
        {"CostLicences": [10, 20], "AdoptionRamp": [0.3, 0.6], "OtherBenefits": [5]}
    )
    assert short.costs.licences == (10.0, 20.0) + (0.0,) * 9
    assert short.benefits.adoption_ramp == (0.3,) + (0.6,) * 9
    assert short.benefits.other_benefits == (5.0,) + (0.0,) * 9


def test_blanks_follow_the_spreadsheet():
    case = AppraisalInputs.from_defined_names(
        {
            "FinanceRate": None,
            "ReinvestRate": "",
            "SalesReps": None,
            "CostLicences": [100, None, "", 300],
            "CaseName": None,
        }
    )
    assert case.general.finance_rate is None
    assert case.general.reinvest_rate is None
    assert case.benefits.sales_reps == 0.0
    assert case.costs.licences[:4] == (100.0, 0.0, 0.0, 300.0)
    assert case.general.case_name == ""
    with_rates = case.with_values({"FinanceRate": 0.06, "ReinvestRate": 0.08})
    assert with_rates.general.effective_finance_rate == 0.06
    assert with_rates.general.effective_reinvest_rate == 0.08


def test_rows_accept_numpy_and_pandas():
    case = AppraisalInputs(
        costs=Costs(licences=np.array([1.0, 2.0])),
        benefits=BenefitDrivers(other_benefits=pd.Series([3.0, 4.0])),
    )
    assert case.costs.licences[:3] == (1.0, 2.0, 0.0)
    assert case.benefits.other_benefits[:3] == (3.0, 4.0, 0.0)
    assert isinstance(case.costs.licences, tuple)


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"DiscountRate": 1.5}, "DiscountRate (discount rate) is 1.5, above 1"),
        ({"DiscountRate": -1}, "DiscountRate (discount rate) is -1, below -0.99"),
        ({"DiscountRate": None}, "DiscountRate (discount rate) is blank"),
        ({"DiscountRate": "10%"}, "DiscountRate (discount rate) is the text '10%'"),
        ({"FinanceRate": 2}, "FinanceRate"),
        ({"HorizonYears": 0}, "HorizonYears (horizon) is 0, below 1"),
        ({"HorizonYears": 11}, "HorizonYears (horizon) is 11, above 10"),
        ({"HorizonYears": 2.5}, "not a whole number"),
        ({"FirstYear": 27}, "FirstYear"),
        (
            {"Currency": "XYZ"},
            "Currency (currency) is the text 'XYZ'; enter a current ISO 4217 currency code",
        ),
        ({"Currency": None}, "Currency (currency) is blank"),
        ({"CustomersActive": -5}, "CustomersActive (active customers) is -5, below 0"),
        ({"CustomersActive": 10.5}, "CustomersActive (active customers) is 10.5, not a whole"),
        ({"SalesReps": True}, "SalesReps (sales reps) is the logical value TRUE"),
        ({"ChurnBaseline": 1.2}, "ChurnBaseline"),
        ({"BenefitRiskAdjustment": -0.1}, "BenefitRiskAdjustment"),
        ({"CostContingency": 1.5}, "CostContingency"),
        ({"HoursSavedPerWeek": 200}, "HoursSavedPerWeek"),
        ({"WorkingWeeks": 60}, "WorkingWeeks"),
        ({"MarginPerCustomer": float("nan")}, "MarginPerCustomer (annual gross margin"),
        ({"AdoptionRamp": [0.5, 1.2]}, "AdoptionRamp year 2 is 1.2, above 1"),
        ({"CostLicences": [0, 10, "n/a"]}, "CostLicences year 2 is the text 'n/a'"),
        ({"CostTraining": [0, -10]}, "CostTraining year 1 is -10, below 0"),
        ({"CostLicences": [0] * 12}, "CostLicences (software subscription / licences) has 12"),
        ({"OtherBenefits": [0] * 11}, "OtherBenefits (other benefits) has 11 values"),
        ({"OtherBenefits": 5}, "needs one value per year, years 1..10"),
        ({"ChurnBaseline": 0.05, "ChurnReduction": 0.08}, "ChurnReduction (churn reduction)"),
        ({"NoSuchName": 1}, "'NoSuchName' is not an input of the template"),
    ],
)
def test_validation_errors_name_the_input(values, fragment):
    with pytest.raises(CrmValueError) as info:
        AppraisalInputs.from_defined_names(values)
    message = str(info.value)
    assert message.startswith("APPRAISAL: ")
    assert fragment in message


def test_validation_through_the_dataclasses():
    with pytest.raises(CrmValueError, match=r"APPRAISAL: HorizonYears .* is 12"):
        General(horizon_years=12)
    with pytest.raises(CrmValueError, match="APPRAISAL: CostSupport year 0"):
        Costs(support=("x",))
    with pytest.raises(CrmValueError, match="APPRAISAL: general is"):
        AppraisalInputs(general="oops")  # type: ignore[arg-type]
    with pytest.raises(CrmValueError, match="APPRAISAL: inputs is"):
        appraise({"DiscountRate": 0.1})  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        General().discount_rate = 0.2  # type: ignore[misc]


# --------------------------------------------------------------- appraise, metrics


def test_small_case_metrics_by_hand():
    result = appraise(small_case())
    years = result.years
    assert list(years.index) == list(range(11))
    for row, expected in HAND.items():
        np.testing.assert_allclose(years[row].to_numpy()[:4], expected, rtol=1e-12)
    np.testing.assert_allclose(years["calendar_year"], range(2027, 2038))
    np.testing.assert_allclose(years["cost_licences"][:5], [0, 1000, 1000, 1000, 0])
    np.testing.assert_allclose(years["contingency"][:4], [2000, 150, 150, 150])
    np.testing.assert_allclose(years["risk_adjustment"][:4], [0, 1500, 3280, 3622])
    np.testing.assert_allclose(years["discount_factor"][:4], [1, 1 / 1.1, 1 / 1.21, 1 / 1.331])

    npv = -22_000 + 4350 / 1.1 + 11_470 / 1.1**2 + 12_838 / 1.1**3
    pv_benefits = 6000 / 1.1 + 13_120 / 1.1**2 + 14_488 / 1.1**3
    pv_costs = 22_000 + 1650 / 1.1 + 1650 / 1.1**2 + 1650 / 1.1**3
    assert result.npv == pytest.approx(npv, rel=1e-12)
    assert result.pv_benefits == pytest.approx(pv_benefits, rel=1e-12)
    assert result.pv_costs == pytest.approx(pv_costs, rel=1e-12)
    assert result.roi == pytest.approx((pv_benefits - pv_costs) / pv_costs, rel=1e-12)
    assert result.pi == pytest.approx(pv_benefits / pv_costs, rel=1e-12)
    # Cumulative net: -22000, -17650, -6180, +6658: paid back 6180/12838 into year 3.
    assert result.payback == pytest.approx(2 + 6180 / 12_838, rel=1e-12)
    np.testing.assert_allclose(years["cumulative_net"][:4], [-22_000, -17_650, -6180, 6658])
    assert years["cumulative_pv"].iloc[-1] == pytest.approx(npv, rel=1e-12)
    # IRR: NPV at the IRR is 0.
    irr = result.irr
    assert -22_000 + 4350 / (1 + irr) + 11_470 / (1 + irr) ** 2 + 12_838 / (
        1 + irr
    ) ** 3 == pytest.approx(0, abs=1e-6)
    # MIRR over the 4 periods 0..3 only (not the 11 rows of the table).
    fv = 4350 * 1.1**2 + 11_470 * 1.1 + 12_838
    assert result.mirr == pytest.approx((fv / 22_000) ** (1 / 3) - 1, rel=1e-9)
    # PV of each driver after risk adjustment; they add up to the PV of benefits.
    assert result.pv_drivers["retention"] == pytest.approx(
        0.8 * (1000 / 1.1 + 2900 / 1.1**2 + 4610 / 1.1**3), rel=1e-12
    )
    assert result.pv_drivers["other"] == pytest.approx(0.8 * (500 / 1.1**2 + 500 / 1.1**3))
    assert sum(result.pv_drivers.values()) == pytest.approx(pv_benefits, rel=1e-12)
    assert result.notes == {}


def test_finance_and_reinvest_rates_reach_mirr():
    result = appraise(small_case(finance_rate=0.05, reinvest_rate=0.12))
    fv = 4350 * 1.12**2 + 11_470 * 1.12 + 12_838
    assert result.mirr == pytest.approx((fv / 22_000) ** (1 / 3) - 1, rel=1e-9)
    assert result.npv == appraise(small_case()).npv


def test_undefined_metrics_are_none_with_a_reason():
    never = AppraisalInputs(
        general=General(horizon_years=3),
        costs=Costs(implementation=(50_000,), support=(0, 10_000, 10_000, 10_000)),
        benefits=BenefitDrivers(other_benefits=(1000, 1000, 1000)),
    )
    result = appraise(never)
    assert result.npv < 0
    assert result.payback is None and result.notes.get("payback")
    assert result.discounted_payback is None and result.notes.get("discounted_payback")
    assert result.irr is None and result.notes.get("irr")
    data = result.to_json_dict()
    assert data["metrics"]["payback"] is None
    assert data["notes"]["payback"] == result.notes["payback"]
    assert "n/a" in format_appraisal(result)


def test_to_json_dict_shape():
    result = appraise(demo_case())
    data = result.to_json_dict()
    assert list(data["metrics"]) == list(APPRAISAL_METRICS)
    assert isinstance(data["notes"], dict)
    assert [row["year"] for row in data["years"]] == list(range(11))
    first = data["years"][0]
    for key in ("calendar_year", "benefits", "costs", "net", "discount_factor", "cumulative_pv"):
        assert key in first
    assert data["years"][3]["net"] == pytest.approx(result.years["net"][3])
    assert data["metrics"]["npv"] == pytest.approx(result.npv)
    assert data["case"]["currency"] == "EUR"
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["years"][10]["net"] == 0


def test_year_table_columns():
    years = appraise(demo_case()).years
    assert years.index.name == "year"
    for column in (
        "adoption_ramp",
        "extra_customers",
        "retention",
        "cross_sell",
        "acquisition",
        "productivity",
        "service",
        "other",
        "gross_benefits",
        "benefits",
        "costs",
        "net",
        "discount_factor",
        "pv_net",
        "cumulative_net",
        "cumulative_pv",
    ):
        assert column in years.columns
    assert not years.isna().any().any()
    for row in ("Benefits", "Costs", "NetCashFlow"):
        column = RESULT_NAMES[row].split(".")[1]
        assert years[column].dtype == float and len(years[column]) == 11


# ------------------------------------------------------------------------ the demo


def test_demo_case_is_plausible():
    case = demo_case()
    assert case.benefits.customers_active == 20_000
    assert case.benefits.sales_reps == 40
    assert case.general.horizon_years == 5
    assert case.general.currency == "EUR"
    result = appraise(case)
    assert result.npv > 0
    assert 0.15 <= result.irr <= 0.40
    assert 2 <= result.payback <= 4
    assert result.payback <= result.discounted_payback <= case.general.horizon_years
    assert result.mirr < result.irr
    assert result.pi > 1 and result.roi > 0
    assert math.isclose(result.roi, result.pi - 1, rel_tol=1e-12)
    assert all(value > 0 for value in result.pv_drivers.values())


def test_format_appraisal_text():
    result = appraise(small_case(case_name="Pilot"))
    text = format_appraisal(result)
    lines = text.splitlines()
    assert lines[0].startswith("Pilot  (EUR, years 2027-2030")
    assert "-22,000" in text  # year 0 net
    assert "12,838" in text  # year 3 net
    assert "50%" in text  # the ramp
    assert f"EUR {result.npv:,.0f}" in text
    assert f"{result.irr:.1%}" in text
    assert "2.48 years" in text  # payback
    net_line = next(line for line in lines if line.startswith("Net cash flow"))
    assert len(net_line.split()) == 3 + 4  # label words + years 0..3 only


# ------------------------------------------------------------------ added lines


def test_added_cost_and_benefit_lines_count_by_hand():
    """One added cost line of 50,000 in year 0 and one benefit line of 30,000 in years 1..2;
    horizon 2, 10 %, no risk adjustment, 10 % contingency. By hand: costs of year 0 =
    (100,000 + 50,000) x 1.1 = 165,000; benefits 30,000 a year;
    NPV = -165,000 + 30,000 / 1.1 + 30,000 / 1.21 = -112,933.884..."""
    from crmvalue_core.appraisal import BenefitLine, CostLine

    case = AppraisalInputs(
        general=General(horizon_years=2, benefit_risk_adjustment=0, cost_contingency=0.1),
        costs=Costs(implementation=(100_000,), added_lines=[CostLine("Travel", (50_000,))]),
        benefits=BenefitDrivers(
            adoption_ramp=(1,), other_benefit_lines=[("Print savings", (30_000, 30_000))]
        ),
    )
    result = appraise(case)
    assert result.years["costs"][0] == pytest.approx(165_000)
    assert result.years["cost_added_lines"][0] == 50_000
    assert list(result.years["benefits"][:4]) == [0, 30_000, 30_000, 0]
    assert result.npv == pytest.approx(-165_000 + 30_000 / 1.1 + 30_000 / 1.21, rel=1e-12)
    assert case.benefits.other_benefit_lines[0] == BenefitLine("Print savings", (30_000, 30_000))
    # any number of lines; with_values keeps them
    many = Costs(added_lines=[CostLine(f"line {i}", (1.0,) * 11) for i in range(40)])
    assert list(many.total) == [40.0] * 11
    assert case.with_values({"DiscountRate": 0.1}).costs.added_lines == case.costs.added_lines


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: Costs(added_lines=[("Travel", (-5,))]), "cost line 'Travel' year 0 is -5"),
        (lambda: Costs(added_lines=[("Travel", ("n/a",))]), "cost line 'Travel' year 0"),
        (lambda: Costs(added_lines=[("Travel", (1,) * 12)]), "at most 11"),
        (lambda: Costs(added_lines=[42]), "CostLine"),
        (lambda: BenefitDrivers(other_benefit_lines=[(True, (1,))]), "label"),
    ],
)
def test_bad_added_lines_are_refused(make, fragment):
    with pytest.raises(CrmValueError, match=re.escape(fragment)):
        make()


def test_first_saved_difference_finds_the_figure_that_differs():
    from crmvalue_core.appraisal import first_saved_difference

    result = appraise(demo_case())
    costs = list(result.years["costs"])
    assert first_saved_difference(result, {"Costs": costs, "ResultNPV": "#NAME?"}) is None
    assert first_saved_difference(result, {"Costs": [None] * 11}) is None  # no saved values
    edited = [costs[0] + 50_000, *costs[1:]]
    found = first_saved_difference(result, {"Costs": edited, "ResultNPV": result.npv - 1})
    assert (found.name, found.index, found.saved, found.computed) == (
        "Costs",
        0,
        costs[0] + 50_000,
        costs[0],
    )
    # rounding to 15 significant digits is not a difference
    rounded = [float(f"{value:.15g}") for value in costs]
    assert first_saved_difference(result, {"Costs": rounded}) is None
