"""Tests of the appraisal's uncertainty: ranges, scenarios, sensitivity, Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from crmvalue_core import CrmValueError
from crmvalue_core._cashflows import payback_values
from crmvalue_core.appraisal import (
    INPUTS,
    SCENARIOS,
    UNCERTAIN_NAMES,
    AppraisalInputs,
    InputRange,
    UncertainInputs,
    _engine,
    appraise,
    crm_scenario,
    crm_sensitivity,
    crm_simulate,
    demo_case,
    demo_uncertainty,
    pert_ppf,
    scenario_case,
    scenarios,
    sensitivity,
    simulate,
    triangular_ppf,
)
from crmvalue_core.discounting import irr_crm, npv_crm
from crmvalue_core.investment import payback

SPECS = {spec.name: spec for spec in INPUTS}
CASE = demo_case()


def certain_everywhere(case: AppraisalInputs) -> UncertainInputs:
    """Every benefit driver and cost line with low = base = high."""
    return UncertainInputs(
        case, {name: (case.get(name), case.get(name)) for name in UNCERTAIN_NAMES}
    )


def one_input(name: str, low: float, base: float, high: float) -> UncertainInputs:
    return UncertainInputs(CASE.with_values({name: base}), {name: (low, high)})


# --------------------------------------------------------- low = base = high: exact


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_no_uncertainty_gives_the_base_npv_exactly_everywhere(distribution: str) -> None:
    u = certain_everywhere(CASE)
    assert u.names == UNCERTAIN_NAMES
    table = scenarios(u, {"mix": {"ChurnReduction": "low", "CostLicences": "high"}})
    base = table.loc["base", "npv"]
    assert (table["npv"] == base).all()
    assert list(table.index) == [*SCENARIOS, "mix"]
    tornado = sensitivity(u)
    assert (tornado["swing"] == 0.0).all()
    assert (tornado["npv_low"] == base).all() and (tornado["npv_high"] == base).all()
    assert tornado.attrs["base_npv"] == base
    result = simulate(u, 3_000, seed=5, distribution=distribution, correlation=0.7)
    assert result.base_npv == base
    assert (result.npv == base).all()
    assert (result.irr == table.loc["base", "irr"]).all()
    assert (result.payback == table.loc["base", "payback"]).all()
    summary = result.summary()
    assert summary.loc["npv", "std"] == 0.0
    assert summary.loc["npv", ["mean", "p10", "p50", "p90"]].tolist() == [base] * 4
    # The batch path agrees with appraise() to rounding.
    assert base == pytest.approx(appraise(CASE).npv, rel=1e-12)


def test_no_uncertainty_in_the_excel_functions_gives_the_base_npv_exactly() -> None:
    benefits, costs = [0, 60_000, 70_000, 80_000], [100_000, 5_000, 5_000, 5_000]
    base = npv_crm(np.full(1, 0.1), np.array([benefits]) - np.array([costs]))[0]
    rows = crm_scenario(0.1, benefits, benefits, benefits, costs, costs, costs)
    assert [row[1] for row in rows[1:]] == [base] * 5
    rows = crm_sensitivity(0.1, benefits, benefits, benefits, costs, costs, costs)
    assert [row[3] for row in rows[1:]] == [0.0, 0.0]
    rows = crm_simulate(0.1, benefits, benefits, benefits, costs, costs, costs, 2_000)
    assert rows[1][1:5] == [base] * 4


# ------------------------------------------------------------- ranges and checking


def test_ranges_are_checked_normalised_and_ordered() -> None:
    u = UncertainInputs(
        CASE,
        {
            "HourlyCost": (50, 70),
            "CostLicences": ((50_000, 100_000), None),  # a short low row: later years at base
            "ChurnReduction": (None, 0.012),  # a blank low: the base
        },
    )
    assert u.names == ("CostLicences", "ChurnReduction", "HourlyCost")  # the sheet's order
    licences = u.ranges["CostLicences"]
    assert licences.low == (50_000.0, 100_000.0) + (117_000.0,) * 9
    assert licences.high == licences.base == CASE.costs.licences
    assert u.ranges["ChurnReduction"] == InputRange("ChurnReduction", 0.01, 0.01, 0.012)
    assert UncertainInputs(CASE, u.to_defined_names()).ranges == u.ranges
    spread = UncertainInputs.from_spreads(
        CASE, {"CostTraining": (0.1, 0.3), "HourlyCost": (0, 0.5)}
    )
    assert spread.ranges["CostTraining"].high[0] == pytest.approx(45_000 * 1.3)
    assert spread.ranges["HourlyCost"].low == 60.0 and spread.ranges["HourlyCost"].high == 90.0


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ({"ChurnReduction": (0.03, 0.04)}, "ChurnReduction low 0.03 is above its base 0.01"),
        ({"ChurnReduction": (0.005, 0.008)}, "ChurnReduction high 0.008 is below its base 0.01"),
        (
            {"CostLicences": ((0, 0, 130_000), None)},
            "CostLicences low year 2 130000 is above its base 117000",
        ),
        ({"AdoptionRamp": (None, (0.5, 0.8, 1.2))}, "AdoptionRamp high year 3"),
        ({"ChurnReduction": (0.005, 1.5)}, "ChurnReduction high"),
        ({"SalesReps": (30.5, 50)}, "SalesReps low"),
        ({"HourlyCost": ("cheap", 70)}, "HourlyCost low"),
        ({"DiscountRate": (0.08, 0.12)}, "a general setting, not a forecast"),
        ({"Churn": (0.1, 0.2)}, "not an input of the template"),
        ({"HourlyCost": 70}, "give (low, high)"),
        ({"HourlyCost": (50, 60, 70)}, "3 values; give (low, high)"),
        (
            {"ChurnReduction": (0.005, 0.015), "ChurnBaseline": (0.012, 0.14)},
            "ChurnReduction high 0.015 is above ChurnBaseline low 0.012",
        ),
    ],
)
def test_bad_ranges_raise_clear_errors(ranges: dict, message: str) -> None:
    with pytest.raises(CrmValueError, match=r"^APPRAISAL: ") as error:
        UncertainInputs(CASE, ranges)
    assert message in str(error.value)


def test_bad_arguments_raise_clear_errors() -> None:
    u = demo_uncertainty()
    for draws, words in (
        (0, "draws is 0, below 1"),
        (10**9, "draws is 1000000000, above 10000000"),
        (2.5, "not a whole number"),
        (True, "the logical value TRUE"),
        ("many", "the text 'many'"),
        (None, "draws is blank"),
    ):
        with pytest.raises(CrmValueError, match="APPRAISAL: ") as error:
            simulate(u, draws)  # type: ignore[arg-type]
        assert words in str(error.value)
    for correlation in (-0.1, 1.5, float("nan")):
        with pytest.raises(CrmValueError, match="correlation"):
            simulate(u, 10, correlation=correlation)
    with pytest.raises(CrmValueError, match="distribution is the text 'normal'"):
        simulate(u, 10, distribution="normal")
    for seed in (-1, 1.5, "abc"):
        with pytest.raises(CrmValueError, match="seed"):
            simulate(u, 10, seed=seed)  # type: ignore[arg-type]
    result = simulate(u, 10, seed=1)
    with pytest.raises(CrmValueError, match=r"probabilities item 2 is 1\.5, above 1"):
        result.summary((0.1, 1.5))
    with pytest.raises(CrmValueError, match="metric is the text 'roi'"):
        result.histogram("roi")
    with pytest.raises(CrmValueError, match="bins is 0"):
        result.histogram(bins=0)
    with pytest.raises(CrmValueError, match="scenario is the text 'worst'"):
        scenario_case(u, "worst")
    with pytest.raises(CrmValueError, match="'SalesReps', which has no low and high values"):
        scenario_case(u, {"SalesReps": "high"})
    with pytest.raises(CrmValueError, match="puts HoursSavedPerWeek at the text 'middle'"):
        scenario_case(u, {"HoursSavedPerWeek": "middle"})
    with pytest.raises(CrmValueError, match="is taken or empty"):
        scenarios(u, {"base": {"ChurnReduction": "low"}})
    with pytest.raises(CrmValueError, match="give an UncertainInputs"):
        sensitivity(CASE)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(
        [n for n in UNCERTAIN_NAMES if SPECS[n].cells == 1 and n != "ChurnBaseline"]
    ),
    offset=st.floats(1e-6, 10.0),
    side=st.sampled_from(["low", "high"]),
)
def test_a_bound_on_the_wrong_side_of_the_base_always_raises(
    name: str, offset: float, side: str
) -> None:
    spec, base = SPECS[name], float(CASE.get(name))
    if side == "low":
        value = base + (math.ceil(offset) if spec.whole else offset)
        pair, words = (value, None), "above its base"
    else:  # every single-value base of the demo is above 0
        value = max(base - (math.ceil(offset) if spec.whole else offset), 0.0)
        pair, words = (None, value), "below its base"
    outside = spec.maximum is not None and value > spec.maximum
    with pytest.raises(CrmValueError, match=r"^APPRAISAL: ") as error:
        UncertainInputs(CASE, {name: pair})
    assert f"{name} {side}" in str(error.value)
    assert outside or words in str(error.value)


# ------------------------------------------------------------ scenarios and tornado


def test_scenarios_equal_appraise_of_each_scenario_case() -> None:
    u = demo_uncertainty()
    mixes = {"retention low": {"ChurnReduction": "low", "MarginPerCustomer": "low"}}
    table = scenarios(u, mixes)
    for name in table.index:
        case = scenario_case(u, mixes.get(name, name))
        result = appraise(case)
        for metric in table.columns:
            expected = getattr(result, metric)
            got = table.loc[name, metric]
            if expected is None:
                assert math.isnan(got), (name, metric)
            else:
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), (name, metric)
    worst, best = scenario_case(u, "Pessimistic"), scenario_case(u, "optimistic")
    assert worst.costs.implementation[:2] == (250_000, 80_000)
    assert worst.benefits.churn_baseline == 0.14 and best.benefits.churn_baseline == 0.10
    assert scenario_case(u, "all low").benefits.churn_baseline == 0.10
    assert scenario_case(u, "ALL-HIGH").costs.support[1] == 65_000


def test_sensitivity_is_the_one_at_a_time_npv_sorted_by_swing() -> None:
    u = demo_uncertainty()
    tornado = sensitivity(u)
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    assert set(tornado.index) == set(u.names)
    base = appraise(CASE).npv
    for name in ("ChurnReduction", "CostImplementation", "AdoptionRamp", "ChurnBaseline"):
        for side in ("low", "high"):
            expected = appraise(scenario_case(u, {name: side})).npv
            assert tornado.loc[name, f"npv_{side}"] == pytest.approx(expected, rel=1e-12)
        row = tornado.loc[name]
        assert row["downside"] <= 0 <= row["upside"]
        assert row["upside"] - row["downside"] == pytest.approx(row["swing"])
    assert tornado.attrs["base_npv"] == pytest.approx(base, rel=1e-12)
    # Costs and baseline churn lower the NPV as they rise.
    assert (
        tornado.loc["CostImplementation", "npv_high"] < tornado.loc["CostImplementation", "npv_low"]
    )
    assert tornado.loc["ChurnBaseline", "npv_high"] < tornado.loc["ChurnBaseline", "npv_low"]


def _valid_range(name: str, base, down: float, up: float):
    """A range around ``base`` the input accepts (whole counts whole, shares <= 1)."""
    spec = SPECS[name]
    base_arr = np.asarray(base, dtype=float)
    low = base_arr * (1 - down)
    high = base_arr * (1 + up)
    if spec.maximum is not None:
        high = np.minimum(high, spec.maximum)
    if spec.whole:
        low, high = np.floor(low), np.ceil(high)
    if name == "OtherBenefits":
        low, high = base_arr - 50_000 * down, base_arr + 50_000 * up
    as_value = (lambda a: tuple(a.tolist())) if base_arr.ndim else float
    return as_value(low), as_value(high)


@settings(max_examples=25, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(UNCERTAIN_NAMES), min_size=1, max_size=8, unique=True),
    down=st.floats(0.0, 0.9),
    up=st.floats(0.0, 0.9),
    horizon=st.integers(1, 10),
    distribution=st.sampled_from(["pert", "triangular"]),
)
def test_every_result_lies_between_pessimistic_and_optimistic(
    chosen: list[str], down: float, up: float, horizon: int, distribution: str
) -> None:
    case = CASE.with_values({"HorizonYears": horizon})
    ranges = {name: _valid_range(name, case.get(name), down, up) for name in chosen}
    if "ChurnReduction" in ranges and "ChurnBaseline" in ranges:
        ranges["ChurnReduction"] = (ranges["ChurnReduction"][0], case.get("ChurnReduction"))
        ranges["ChurnBaseline"] = (case.get("ChurnBaseline"), ranges["ChurnBaseline"][1])
    elif "ChurnReduction" in ranges:
        ranges["ChurnReduction"] = (
            ranges["ChurnReduction"][0],
            min(ranges["ChurnReduction"][1], case.get("ChurnBaseline")),
        )
    elif "ChurnBaseline" in ranges:
        ranges["ChurnBaseline"] = (
            max(ranges["ChurnBaseline"][0], case.get("ChurnReduction")),
            ranges["ChurnBaseline"][1],
        )
    u = UncertainInputs(case, ranges)
    table = scenarios(u)
    worst, best = table.loc["pessimistic", "npv"], table.loc["optimistic", "npv"]
    slack = 1e-9 * max(1.0, abs(worst), abs(best))
    assert (table["npv"] >= worst - slack).all() and (table["npv"] <= best + slack).all()
    tornado = sensitivity(u)
    for column in ("npv_low", "npv_high"):
        assert (tornado[column] >= worst - slack).all()
        assert (tornado[column] <= best + slack).all()
    result = simulate(u, 300, seed=0, distribution=distribution, correlation=0.5)
    assert (result.npv >= worst - slack).all() and (result.npv <= best + slack).all()


# ------------------------------------------------------------------- Monte Carlo


def _mean_within_three_standard_errors(result, expected: float) -> None:
    standard_error = result.npv.std(ddof=1) / math.sqrt(result.draws)
    assert standard_error > 0
    assert abs(result.npv.mean() - expected) < 3 * standard_error


def test_linear_npv_symmetric_triangular_mean_matches_the_analytic_mean() -> None:
    # The NPV is linear in the loaded cost per hour (productivity = R h W w s a_t), so its
    # mean is the NPV at the driver's mean, here (40 + 60 + 80) / 3 = 60: the base.
    u = one_input("HourlyCost", 40, 60, 80)
    result = simulate(u, 20_000, seed=11, distribution="triangular")
    analytic = appraise(CASE.with_values({"HourlyCost": 60})).npv
    _mean_within_three_standard_errors(result, analytic)
    # And the spread: sd(NPV) = slope x sd(driver), sd of Tri(a, c, b) from Vose.
    slope = (appraise(CASE.with_values({"HourlyCost": 80})).npv - analytic) / 20
    a, c, b = 40, 60, 80
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    assert result.npv.std(ddof=1) == pytest.approx(slope * sd, rel=0.03)
    summary = result.summary()
    assert summary.loc["npv", "p10"] < summary.loc["npv", "p50"] < summary.loc["npv", "p90"]


@pytest.mark.parametrize(
    ("distribution", "mean", "variance"),
    [
        # Triangular: mean (a + c + b) / 3; PERT (lambda 4): (a + 4c + b) / 6 and
        # variance (mean - a)(b - mean) / 7 (Vose, Risk Analysis).
        ("triangular", (50 + 60 + 90) / 3, None),
        ("pert", (50 + 4 * 60 + 90) / 6, ((50 + 4 * 60 + 90) / 6 - 50) * (90 - (380 / 6)) / 7),
    ],
)
def test_linear_npv_skewed_distributions_match_their_analytic_moments(
    distribution: str, mean: float, variance: float | None
) -> None:
    u = one_input("HourlyCost", 50, 60, 90)
    result = simulate(u, 20_000, seed=3, distribution=distribution)
    low_npv = appraise(CASE.with_values({"HourlyCost": 50})).npv
    slope = (appraise(CASE.with_values({"HourlyCost": 90})).npv - low_npv) / 40
    _mean_within_three_standard_errors(result, low_npv + slope * (mean - 50))
    if variance is not None:
        assert result.npv.std(ddof=1) == pytest.approx(slope * math.sqrt(variance), rel=0.03)


def test_demo_simulation_percentiles_and_shares() -> None:
    result = simulate(demo_uncertainty(), 5_000, seed=2)
    summary = result.summary((0.05, 0.1, 0.5, 0.9, 0.95))
    for metric in ("npv", "irr", "payback"):
        row = summary.loc[metric]
        assert row["p5"] < row["p10"] < row["p50"] < row["p90"] < row["p95"]
    assert summary.loc["npv", "p_negative"] == result.probability_negative_npv
    assert result.probability_negative_npv == np.mean(result.npv < 0)
    assert summary.loc["npv", "defined"] == 1.0
    assert summary.loc["payback", "defined"] == np.mean(~np.isnan(result.payback))
    assert summary.loc["npv", "mean"] == pytest.approx(result.npv.mean())
    counts, edges = result.histogram(bins=25)
    assert counts.sum() == result.draws and len(edges) == 26
    assert edges[0] == result.npv.min() and edges[-1] == result.npv.max()
    counts, _ = result.histogram("payback", bins=10)
    assert counts.sum() == np.sum(~np.isnan(result.payback))
    # Each draw's NPV, IRR and payback are those of its cash flows: IRR at NPV 0.
    assert np.nanmin(result.irr) > -1
    assert ((result.npv > 0) == (result.irr > 0.10))[~np.isnan(result.irr)].mean() > 0.999


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    u = demo_uncertainty()
    first = simulate(u, 2_000, seed=7, correlation=0.3)
    again = simulate(u, 2_000, seed=7, correlation=0.3)
    other = simulate(u, 2_000, seed=8, correlation=0.3)
    for metric in ("npv", "irr", "payback"):
        assert np.array_equal(getattr(first, metric), getattr(again, metric), equal_nan=True)
    assert not np.array_equal(first.npv, other.npv)
    assert (first.npv != other.npv).mean() > 0.99
    fresh = simulate(u, 50)
    assert np.array_equal(simulate(u, 50, seed=fresh.seed).npv, fresh.npv)


def test_draws_do_not_depend_on_the_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    u = demo_uncertainty()
    whole = simulate(u, 40, seed=4, correlation=0.4)
    monkeypatch.setattr(_engine, "CHUNK", 7)
    pieces = simulate(u, 40, seed=4, correlation=0.4)
    shorter = simulate(u, 25, seed=4, correlation=0.4)
    assert np.array_equal(whole.npv, pieces.npv)
    assert np.array_equal(whole.npv[:25], shorter.npv)


def test_correlation_widens_the_spread_of_benefits_that_move_together() -> None:
    # Two benefit drivers that raise the NPV: correlated, their effects add up more often.
    u = UncertainInputs(CASE, {"ChurnReduction": (0.005, 0.015), "HourlyCost": (20, 100)})
    independent = simulate(u, 20_000, seed=3).npv.std()
    correlated = simulate(u, 20_000, seed=3, correlation=0.9).npv.std()
    assert correlated > 1.2 * independent
    # The baseline churn lowers the NPV as it rises: it enters the copula reversed, so a
    # positive correlation still means "benefits good or bad together" (a wider spread).
    u = UncertainInputs(CASE, {"ChurnBaseline": (0.02, 0.30), "MarginPerCustomer": (400, 500)})
    independent = simulate(u, 20_000, seed=3).npv.std()
    correlated = simulate(u, 20_000, seed=3, correlation=0.9).npv.std()
    assert correlated > 1.15 * independent
    # Cost lines are independent whatever the correlation: the very same draws.
    u = UncertainInputs(
        CASE, {"CostImplementation": ((150_000,), (250_000,)), "CostTraining": ((40_000,), None)}
    )
    assert np.array_equal(
        simulate(u, 500, seed=1).npv, simulate(u, 500, seed=1, correlation=0.9).npv
    )


def test_only_inputs_inside_the_horizon_matter() -> None:
    case = CASE.with_values({"HorizonYears": 2})
    u = UncertainInputs(case, {"CostLicences": (None, (58_500, 117_000, 117_000) + (900_000,) * 8)})
    assert (simulate(u, 200, seed=1).npv == scenarios(u).loc["base", "npv"]).all()


# ------------------------------------------------------------------ distributions


@pytest.mark.parametrize("mode", [0.0, 1e-9, 0.1, 0.25, 0.5, 0.77, 0.999, 1.0])
def test_tabulated_pert_quantiles_match_the_exact_inverse(mode: float) -> None:
    u = np.concatenate([np.linspace(1e-12, 1 - 1e-12, 20_001), [0.3, 0.7]])
    alpha, beta = 1 + 4 * mode, 1 + 4 * (1 - mode)
    exact = special.betaincinv(alpha, beta, u)
    assert np.max(np.abs(_engine.standard_pert(u, mode) - exact)) < 2e-6
    assert _engine.standard_pert(np.array([0.0, 1.0]), mode).tolist() == [0.0, 1.0]


def test_quantile_functions() -> None:
    # Means by integrating the quantile function over u (midpoint rule).
    u = (np.arange(200_000) + 0.5) / 200_000
    assert np.mean(pert_ppf(u, 10, 20, 50)) == pytest.approx((10 + 80 + 50) / 6, rel=1e-5)
    assert np.mean(triangular_ppf(u, 10, 20, 50)) == pytest.approx(80 / 3, rel=1e-5)
    assert triangular_ppf(0.5, 3, 3, 3) == 3.0 and pert_ppf(0.2, 3, 3, 3) == 3.0
    assert triangular_ppf(0.25, 0, 10, 10) == pytest.approx(5.0)  # sqrt(0.25) x 10
    with pytest.raises(CrmValueError, match=r"u is 1\.5, above 1"):
        pert_ppf(1.5, 0, 1, 2)
    with pytest.raises(CrmValueError, match="low <= mode <= high"):
        triangular_ppf(0.5, 2, 1, 3)


def test_payback_without_reasons_gives_the_same_values() -> None:
    rng = np.random.default_rng(0)
    net = rng.normal(0, 100, size=(2_000, 6))
    net[:, 0] -= 200
    explained, reasons = payback_values(net)
    quick, none = payback_values(net, explain=False)
    assert np.array_equal(explained, quick, equal_nan=True) and none == {}
    assert len(reasons) == np.isnan(quick).sum() > 0
    assert np.array_equal(quick, payback(net), equal_nan=True)


# ----------------------------------------------------------------- Excel functions


def test_crm_scenario_is_the_npv_of_each_scenario_flows() -> None:
    rate = 0.08
    b_low, b_base, b_high = (
        [[0, 40, 50], [0, 5, 5]],
        [[0, 60, 60], [0, 10, 10]],
        [[0, 70, 80], [0, 12, 15]],
    )
    c_low, c_base, c_high = [90, 0, 0], [100, 0, 0], [130, 0, 0]
    table = crm_scenario(rate, b_low, b_base, b_high, c_low, c_base, c_high)
    assert table[0] == ["Scenario", "NPV", "IRR", "Payback"]
    flows = {
        "Pessimistic": (b_low, c_high),
        "All low": (b_low, c_low),
        "Base": (b_base, c_base),
        "All high": (b_high, c_high),
        "Optimistic": (b_high, c_low),
    }
    for row in table[1:]:
        benefits, costs = flows[row[0]]
        net = np.sum(benefits, axis=0) - np.asarray(costs)
        assert row[1] == pytest.approx(sum(v / (1 + rate) ** t for t, v in enumerate(net)))
        assert row[2] == pytest.approx(irr_crm(net))
        assert row[3] == (pytest.approx(payback(net)) if np.cumsum(net)[-1] >= 0 else "n/a")


def test_crm_sensitivity_and_simulate_tables() -> None:
    b = ([[0, 40, 50], [0, 5, 5]], [[0, 60, 60], [0, 10, 10]], [[0, 70, 80], [0, 12, 15]])
    c = ([90, 0, 0], [100, 0, 0], [130, 0, 0])
    table = crm_sensitivity(0.1, *b, *c)
    assert [row[0] for row in table[1:]] == ["Benefits 1", "Costs", "Benefits 2"]
    swings = [row[3] for row in table[1:]]
    assert swings == sorted(swings, reverse=True)
    # The costs at their low value, the benefits at base: -90 + 70 / 1.1 + 70 / 1.1^2.
    assert table[2][1] == pytest.approx(-90 + 70 / 1.1 + 70 / 1.21)
    # Blank cells of a low or high range are as the base.
    blank = crm_sensitivity(0.1, [[None, 40, 50], [0, None, 5]], b[1], b[2], *c)
    assert blank == crm_sensitivity(0.1, [[0, 40, 50], [0, 10, 5]], b[1], b[2], *c)
    summary = crm_simulate(0.1, *b, *c, 4_000, 3, "triangular", 0.5)
    assert summary[0] == ["Metric", "Mean", "P10", "P50", "P90", "P(<0)", "Defined"]
    npv_row = summary[1]
    assert npv_row[2] < npv_row[3] < npv_row[4] and 0 < npv_row[5] < 1 and npv_row[6] == 1.0
    assert crm_simulate(0.1, *b, *c, 4_000) == crm_simulate(0.1, *b, *c, 4_000, 0, "PERT", 0)
    assert crm_simulate(0.1, *b, *c, 500, 1) != crm_simulate(0.1, *b, *c, 500, 2)
    # Net flows without costs.
    assert crm_scenario(0.1, None, [-100, 60, 60], None)[3][1] == pytest.approx(4.1322314)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: crm_scenario(-1, [0, 1], [0, 2], [0, 3]), "CRM_SCENARIO: rate is -1"),
        (
            lambda: crm_scenario(0.1, [0, 1, 2], [0, 2], [0, 3]),
            "benefits_low has 1 row of 3 values but benefits_base has 1 row of 2 values",
        ),
        (
            lambda: crm_scenario(0.1, [0, 3], [0, 2], [0, 3]),
            "benefits_low item 2 is 3, above the base 2",
        ),
        (
            lambda: crm_scenario(0.1, None, [[0, 2], [0, 2]], [[0, 3], [0, 1]]),
            "benefits_high row 2, column 2 is 1, below the base 2",
        ),
        (
            lambda: crm_scenario(0.1, None, [0, 2], None, [5, 0], None, None),
            "costs_base is blank but costs_low or costs_high is given",
        ),
        (
            lambda: crm_scenario(0.1, None, [0, 2], None, None, [5, 0, 0], None),
            "benefits_base has 2 periods but costs_base has 3",
        ),
        (
            lambda: crm_scenario(0.1, None, [0, "x"], None),
            "benefits_base item 2 is the text 'x'",
        ),
        (
            lambda: crm_sensitivity(0.1, None, [0, 2], None, None, [5, 0], None, ["a"]),
            "labels has 1 values but there are 1 benefit and 1 cost rows",
        ),
        (
            lambda: crm_simulate(0.1, None, [0, 2], None, None, None, None, 0),
            "CRM_SIMULATE: draws is 0, below 1",
        ),
        (
            lambda: crm_simulate(0.1, None, [0, 2], None, None, None, None, 10**9),
            "draws is 1000000000, above 10000000",
        ),
        (
            lambda: crm_simulate(0.1, None, [0, 2], None, None, None, None, 10, None, "beta"),
            "distribution is the text 'beta'",
        ),
        (
            lambda: crm_simulate(0.1, None, [0, 2], None, None, None, None, 10, None, None, 2),
            "correlation is 2, above 1",
        ),
    ],
)
def test_excel_functions_refuse_bad_input(call, message: str) -> None:
    with pytest.raises(CrmValueError) as error:
        call()
    assert message in str(error.value)
