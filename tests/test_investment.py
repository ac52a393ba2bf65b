"""Tests of crmvalue_core.investment: PAYBACK, DISCOUNTED_PAYBACK, ROI_CRM, PI_CRM and
CRM_APPRAISAL (with investment_metrics, which the appraisal model builds on)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.discounting import irr_crm, mirr_crm, npv_crm
from crmvalue_core.investment import (
    InvestmentMetrics,
    crm_appraisal,
    discounted_payback,
    investment_metrics,
    payback,
    pi_crm,
    roi_crm,
)
from tests.cases import amounts, flow_tables, scalar_rows

FLOWS = [-100000, 30000, 35000, 40000, 45000]
BENEFITS = [0, 30000, 35000, 40000, 45000]
COSTS = [100000, 0, 0, 0, 0]
LABELS = [
    "PV benefits",
    "PV costs",
    "NPV",
    "IRR",
    "MIRR",
    "ROI",
    "Payback",
    "Discounted payback",
    "Profitability index",
]

SLOW = settings(max_examples=150, deadline=None)
positive = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


def benefits_and_costs(max_periods: int) -> st.SearchStrategy[tuple[list[float], list[float]]]:
    """Pairs (benefits, costs) of 1 to ``max_periods`` amounts >= 0, both the same length."""
    return st.integers(1, max_periods).flatmap(
        lambda n: st.tuples(
            st.lists(positive, min_size=n, max_size=n), st.lists(positive, min_size=n, max_size=n)
        )
    )


BAD_VALUES = [
    ("n/a", "the text 'n/a'"),
    (True, "the logical value TRUE"),
    (float("nan"), "not a number (NaN)"),
    (float("inf"), "infinite"),
    ("#N/A", "the error value #N/A"),
    ("#VALUE!", "the error value #VALUE!"),
]


# --------------------------------------------------------------- catalogue examples


def test_payback_catalogue_example():
    value = payback(FLOWS)
    assert isinstance(value, float)
    assert value == pytest.approx(2.875, abs=1e-12)
    assert payback(BENEFITS, COSTS) == pytest.approx(2.875, abs=1e-12)


def test_discounted_payback_catalogue_example():
    value = discounted_payback(0.10, FLOWS)
    assert value == pytest.approx(3.447333333, abs=5e-10)
    # by hand: cumulative discounted flow -13,749.06 after period 3, then 45,000/1.1^4 comes in
    owed = 100000 - 30000 / 1.1 - 35000 / 1.1**2 - 40000 / 1.1**3
    assert value == pytest.approx(3 + owed / (45000 / 1.1**4), rel=1e-13)


def test_pi_catalogue_example():
    assert pi_crm(0.10, FLOWS) == pytest.approx(1.169865446, abs=5e-10)
    assert pi_crm(0.10, BENEFITS, COSTS) == pytest.approx(1.169865446, abs=5e-10)


# ----------------------------------------------------------------------- payback


def test_payback_by_hand():
    assert payback([-100, 50, 50]) == pytest.approx(2.0)
    assert payback([-100, 40, 40, 40]) == pytest.approx(2 + 20 / 40)
    assert payback([-100, None, 200]) == pytest.approx(1.5)  # a blank year is 0


def test_payback_zero_when_period_zero_is_non_negative():
    assert payback([0, 10, 20]) == 0.0
    assert payback([5, -1, 1]) == 0.0  # never below zero


def test_payback_is_for_good():
    # cumulative 10, -10, 20: below zero again in period 1, paid back during period 2
    assert payback([10, -20, 30]) == pytest.approx(1 + 10 / 30)
    # cumulative -100, 20, -30, 30: the first crossing does not count
    assert payback([-100, 120, -50, 60]) == pytest.approx(2 + 30 / 60)


def test_payback_tolerates_rounding_of_an_exact_payback():
    # 0.1 + 0.1 + 0.1 - 0.3 is -5.6e-17 in floating point, not "never paid back"
    assert payback([-0.3, 0.1, 0.1, 0.1]) == pytest.approx(3.0)


def test_payback_never_is_an_error():
    with pytest.raises(
        CrmValueError, match=r"^PAYBACK: not paid back within 2 periods: .* still -50.00"
    ):
        payback([-100, 20, 30])
    with pytest.raises(CrmValueError, match=r"^DISCOUNTED_PAYBACK: not paid back within 4 per"):
        discounted_payback(0.20, FLOWS)
    with pytest.raises(CrmValueError, match=r"^PAYBACK: not paid back within 0 periods"):
        payback([-1])
    with pytest.raises(CrmValueError, match=r"^PAYBACK: not paid back within 1 period:"):
        payback([-2, 1])


def test_payback_batch():
    flows = np.array([FLOWS, [-100, 20, 30, 0, 0], [0, 1, 1, 1, 1]], dtype=float)
    values = payback(flows)
    np.testing.assert_allclose(values, [2.875, np.nan, 0.0])
    with pytest.raises(CrmValueError, match=r"^PAYBACK: row 2: not paid back within 4 periods"):
        payback(flows, errors="raise")
    np.testing.assert_allclose(
        discounted_payback([0.10, 0.0, 0.0], flows), [3.447333333, np.nan, 0.0], atol=5e-10
    )
    np.testing.assert_allclose(payback(pd.DataFrame(flows)), values)


def test_discounted_payback_at_zero_rate_is_payback():
    assert discounted_payback(0.0, FLOWS) == pytest.approx(payback(FLOWS), abs=1e-14)


@SLOW
@given(positive, st.lists(positive, min_size=1, max_size=12), st.floats(0.0, 1.0))
def test_discounted_payback_is_never_shorter(investment, returns, rate):
    flows = [-investment - 1.0, *returns]
    try:
        later = discounted_payback(rate, flows)
    except CrmValueError:
        return
    assert payback(flows) <= later + 1e-9


@SLOW
@given(st.lists(amounts, min_size=1, max_size=12))
@example([0.0, -6.584153175656582e-19, 1.0])
def test_payback_definition(flows):
    try:
        value = payback(flows)
    except CrmValueError as error:
        assert "not paid back" in str(error)
        assert sum(flows) < 0
        return
    cumulative = np.cumsum(flows)
    slack = 1e-12 * np.cumsum(np.abs(flows))
    assert 0 <= value <= len(flows) - 1
    # after the period in which it turns, the cumulative flow stays non-negative ...
    after = int(np.floor(value)) + 1
    assert np.all(cumulative[after:] >= -slack[after:])
    # ... and it was negative just before, unless the payback is 0
    if value > 0:
        assert min(cumulative[int(np.floor(value))], cumulative[int(np.ceil(value)) - 1]) < 0


# --------------------------------------------------------------------------- ROI


def test_roi_by_hand():
    # PV benefits 110/1.1 + 121/1.21 = 200, PV costs 100: ROI 100%.
    assert roi_crm(0.10, [0, 110, 121], [100, 0, 0]) == pytest.approx(1.0, rel=1e-14)
    # Simple ROI at rate 0: (120 - 100) / 100.
    assert roi_crm(0, [0, 60, 60], [100, 0, 0]) == pytest.approx(0.2, rel=1e-14)
    # Costs spread over the years, rate 8%.
    pv_b = 50000 / 1.08 + 60000 / 1.08**2 + 70000 / 1.08**3
    pv_c = 120000 + 10000 / 1.08 + 10000 / 1.08**2 + 10000 / 1.08**3
    value = roi_crm(0.08, [0, 50000, 60000, 70000], [120000, 10000, 10000, 10000])
    assert value == pytest.approx((pv_b - pv_c) / pv_c, rel=1e-13)
    assert value == pytest.approx(0.0516832, abs=5e-7)


def test_roi_needs_positive_costs():
    with pytest.raises(CrmValueError, match=r"^ROI_CRM: the PV of the costs is 0.00, not posi"):
        roi_crm(0.1, [10, 20], [0, 0])
    with pytest.raises(CrmValueError, match=r"^ROI_CRM: the PV of the costs is -10.00"):
        roi_crm(0.1, [10, 20], [-10, 0])
    values = roi_crm(0.1, [[0, 110], [10, 20]], [[50, 0], [0, 0]])
    assert values[0] == pytest.approx(1.0) and np.isnan(values[1])
    with pytest.raises(CrmValueError, match=r"^ROI_CRM: row 2: the PV of the costs is 0.00"):
        roi_crm(0.1, [[0, 110], [10, 20]], [[50, 0], [0, 0]], errors="raise")


@SLOW
@given(benefits_and_costs(10), st.floats(-0.5, 1.0))
def test_roi_is_npv_over_pv_costs_and_pi_is_one_plus_roi(pair, rate):
    benefits, costs = pair
    pv_costs = npv_crm(rate, costs)
    assume(pv_costs > 1e-6)
    roi = roi_crm(rate, benefits, costs)
    assert roi == pytest.approx(npv_crm(rate, benefits, costs) / pv_costs, rel=1e-9, abs=1e-12)
    assert pi_crm(rate, benefits, costs) == pytest.approx(1 + roi, rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------------------- PI


def test_pi_without_costs_by_hand():
    # gains 60/1.1 + 30/1.1^3, losses 100 + 10/1.1^2
    gains = 60 / 1.1 + 30 / 1.1**3
    losses = 100 + 10 / 1.1**2
    assert pi_crm(0.1, [-100, 60, -10, 30]) == pytest.approx(gains / losses, rel=1e-14)


def test_pi_undefined():
    with pytest.raises(CrmValueError, match=r"^PI_CRM: the flows have no negative value"):
        pi_crm(0.1, [10, 20])
    with pytest.raises(CrmValueError, match=r"^PI_CRM: the PV of the costs is 0.00"):
        pi_crm(0.1, [10, 20], [0, 0])
    values = pi_crm([0.1, 0.0], [[10, 20], [-10, 20]])
    assert np.isnan(values[0]) and values[1] == pytest.approx(2.0)


# ------------------------------------------------------------------- the table


def test_crm_appraisal_catalogue_table():
    table = crm_appraisal(0.10, BENEFITS, COSTS, 0.10, 0.12)
    assert [row[0] for row in table] == LABELS
    expected = [
        116986.54463,
        100000.0,
        16986.54463,
        0.1709368634,
        0.1515604194,
        0.1698654463,
        2.875,
        3.447333333,
        1.169865446,
    ]
    for (label, value), want in zip(table, expected, strict=True):
        assert isinstance(value, float), label
        assert value == pytest.approx(want, abs=5e-6), label


def test_crm_appraisal_agrees_with_the_single_functions():
    table = dict(crm_appraisal(0.08, BENEFITS, COSTS))
    net = np.subtract(BENEFITS, COSTS)
    assert table["NPV"] == npv_crm(0.08, BENEFITS, COSTS)
    assert table["IRR"] == irr_crm(net)
    assert table["MIRR"] == mirr_crm(net, 0.08, 0.08)  # both rates default to rate
    assert table["ROI"] == roi_crm(0.08, BENEFITS, COSTS)
    assert table["Payback"] == payback(BENEFITS, COSTS)
    assert table["Discounted payback"] == discounted_payback(0.08, BENEFITS, COSTS)
    assert table["Profitability index"] == pi_crm(0.08, BENEFITS, COSTS)


def test_crm_appraisal_undefined_metrics_show_a_reason():
    table = dict(crm_appraisal(0.10, [0, 20, 30], [100, 0, 0]))
    assert table["Payback"] == "n/a: not paid back within 2 periods"
    assert table["Discounted payback"] == "n/a: not paid back within 2 periods"
    assert isinstance(table["NPV"], float) and isinstance(table["IRR"], float)

    table = dict(crm_appraisal(0.10, [0, 230, 0], [100, 0, 132]))
    assert table["IRR"] == "n/a: 2 IRRs: 10% and 20%"
    assert isinstance(table["MIRR"], float)

    table = dict(crm_appraisal(0.10, [10, 20, 30], [0, 0, 0]))
    assert table["IRR"] == "n/a: flows never change sign"
    assert table["MIRR"] == "n/a: no negative flow"
    assert table["ROI"] == "n/a: PV of costs is not positive"
    assert table["Profitability index"] == "n/a: PV of costs is not positive"
    assert table["Payback"] == 0.0


def test_investment_metrics():
    metrics = investment_metrics(0.10, BENEFITS, COSTS, finance_rate=0.10, reinvest_rate=0.12)
    assert isinstance(metrics, InvestmentMetrics)
    assert metrics.npv == pytest.approx(16986.54463, rel=1e-9)
    assert metrics.pv_benefits - metrics.pv_costs == pytest.approx(metrics.npv, rel=1e-12)
    assert metrics.irr == pytest.approx(0.1709368634, abs=5e-11)
    assert metrics.mirr == pytest.approx(0.1515604194, abs=5e-11)
    assert metrics.notes == {}
    assert metrics.as_rows() == crm_appraisal(0.10, BENEFITS, COSTS, 0.10, 0.12)
    with pytest.raises(dataclasses.FrozenInstanceError):
        metrics.npv = 0.0  # type: ignore[misc]

    metrics = investment_metrics(0.10, pd.Series([0, 20, 30]), np.array([100, 0, 0]))
    assert metrics.payback is None and metrics.discounted_payback is None
    assert metrics.notes == {
        "payback": "not paid back within 2 periods",
        "discounted_payback": "not paid back within 2 periods",
    }
    # blank finance / reinvest rates default to the discount rate
    blank = investment_metrics(0.07, BENEFITS, COSTS, "", None)
    assert blank.mirr == mirr_crm(FLOWS, 0.07, 0.07)


def test_investment_metrics_bad_input():
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: rate is -1, at or below -1"):
        investment_metrics(-1, BENEFITS, COSTS)
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: finance_rate is the text 'x'"):
        investment_metrics(0.1, BENEFITS, COSTS, "x")
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: benefits has 5 values but costs"):
        crm_appraisal(0.1, BENEFITS, COSTS[:3])
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: costs item 2 is the error value"):
        crm_appraisal(0.1, BENEFITS, [1, "#N/A", 0, 0, 0])
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: benefits is a table of 2 rows"):
        crm_appraisal(0.1, [[1, 2], [3, 4]], [[1, 2], [3, 4]])
    with pytest.raises(CrmValueError, match=r"^CRM_APPRAISAL: benefits is empty"):
        crm_appraisal(0.1, [], [])


@SLOW
@given(benefits_and_costs(8), st.floats(-0.5, 1.0))
def test_appraisal_never_fails_on_a_metric(pair, rate):
    benefits, costs = pair
    metrics = investment_metrics(rate, benefits, costs)
    for name in ("irr", "mirr", "roi", "payback", "discounted_payback", "pi"):
        value = getattr(metrics, name)
        assert (value is None) == (name in metrics.notes)
        assert value is None or np.isfinite(value)
    table = crm_appraisal(rate, benefits, costs)
    assert [row[0] for row in table] == LABELS
    for _, value in table:
        assert isinstance(value, float) or value.startswith("n/a: ")


# -------------------------------------------------------------- batch vs scalar


@SLOW
@given(flow_tables, st.floats(-0.5, 1.0))
def test_batch_equals_scalar_row_by_row(table, rate):
    array = np.array(table)
    costs = np.abs(array[::-1])  # some rows with zero costs: ROI / PI undefined there
    checks = [
        (payback(array), scalar_rows(payback, table)),
        (
            discounted_payback(rate, array),
            scalar_rows(lambda r: discounted_payback(rate, r), table),
        ),
        (pi_crm(rate, array), scalar_rows(lambda r: pi_crm(rate, r), table)),
    ]
    rows = list(zip(table, costs, strict=True))
    checks.append(
        (
            roi_crm(rate, array, costs),
            scalar_rows(lambda pair: roi_crm(rate, pair[0], pair[1]), rows),
        )
    )
    checks.append(
        (
            pi_crm(rate, array, costs),
            scalar_rows(lambda pair: pi_crm(rate, pair[0], pair[1]), rows),
        )
    )
    for batch, expected in checks:
        np.testing.assert_allclose(batch, expected, rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------- bad input


CASES = [
    ("PAYBACK", "flows", lambda v: payback(v)),
    ("DISCOUNTED_PAYBACK", "flows", lambda v: discounted_payback(0.1, v)),
    ("ROI_CRM", "benefits", lambda v: roi_crm(0.1, v, [1] * len(v))),
    ("ROI_CRM", "costs", lambda v: roi_crm(0.1, [1] * len(v), v)),
    ("PI_CRM", "flows", lambda v: pi_crm(0.1, v)),
    ("PI_CRM", "costs", lambda v: pi_crm(0.1, [1] * len(v), v)),
    ("CRM_APPRAISAL", "benefits", lambda v: crm_appraisal(0.1, v, [1] * len(v))),
    ("CRM_APPRAISAL", "costs", lambda v: crm_appraisal(0.1, [1] * len(v), v)),
]


@pytest.mark.parametrize(("name", "argument", "call"), CASES)
@pytest.mark.parametrize(("bad", "words"), BAD_VALUES)
def test_bad_value(name, argument, call, bad, words):
    with pytest.raises(CrmValueError) as info:
        call([-100, 50, bad, 70])
    assert str(info.value).startswith(f"{name}: {argument} item 3 is {words}")


@pytest.mark.parametrize(("name", "argument", "call"), CASES)
def test_empty(name, argument, call):
    with pytest.raises(CrmValueError, match=rf"^{name}: \w+ is empty"):
        call([])


@pytest.mark.parametrize("rate", [-1, -2.5])
def test_rate_at_or_below_minus_100_percent(rate):
    calls = [
        ("DISCOUNTED_PAYBACK", lambda: discounted_payback(rate, FLOWS)),
        ("ROI_CRM", lambda: roi_crm(rate, BENEFITS, COSTS)),
        ("PI_CRM", lambda: pi_crm(rate, FLOWS)),
        ("CRM_APPRAISAL", lambda: crm_appraisal(rate, BENEFITS, COSTS)),
    ]
    for name, call in calls:
        with pytest.raises(CrmValueError) as info:
            call()
        message = str(info.value)
        assert message.startswith(f"{name}: rate is ")
        assert "at or below -1" in message and "above -100%" in message


def test_mismatched_lengths():
    calls = [
        ("PAYBACK", "flows has 5 values but costs has 4", lambda: payback(BENEFITS, COSTS[:4])),
        (
            "DISCOUNTED_PAYBACK",
            "flows has 5 values but costs has 2",
            lambda: discounted_payback(0.1, BENEFITS, [1, 2]),
        ),
        (
            "ROI_CRM",
            "benefits has 5 values but costs has 6",
            lambda: roi_crm(0.1, BENEFITS, [*COSTS, 0]),
        ),
        ("PI_CRM", "benefits has 5 values but costs has 1", lambda: pi_crm(0.1, BENEFITS, [1])),
    ]
    for name, words, call in calls:
        with pytest.raises(CrmValueError, match=rf"^{name}: {words}"):
            call()


def test_errors_argument_is_checked():
    with pytest.raises(CrmValueError, match=r"^PAYBACK: errors is the text 'skip'"):
        payback(FLOWS, errors="skip")


@SLOW
@given(
    st.lists(amounts, min_size=1, max_size=8),
    st.data(),
    st.sampled_from(BAD_VALUES),
    st.sampled_from(CASES),
)
def test_bad_values_always_raise(values, data, bad, case):
    name, argument, call = case
    position = data.draw(st.integers(0, len(values)))
    values = [*values[:position], bad[0], *values[position:]]
    with pytest.raises(CrmValueError) as info:
        call(values)
    assert str(info.value).startswith(f"{name}: {argument} item {position + 1} is {bad[1]}")
