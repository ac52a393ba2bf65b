"""CLV_SIMPLE, CLV, CLV_FROM_CHURN and EXPECTED_LIFETIME: the contract's examples, the
closed forms against direct sums, broadcasting, and every bad-input rule."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.lifetime_value import clv, clv_from_churn, clv_simple, expected_lifetime

FEW = settings(max_examples=150, deadline=None)


def direct_sum(margin, retention, rate, periods, growth=0.0, start=False):
    """The Gupta & Lehmann sum written out term by term."""
    if start:
        terms = (
            margin * (1 + growth) ** t * retention**t / (1 + rate) ** t for t in range(periods)
        )
    else:
        terms = (
            margin * (1 + growth) ** (t - 1) * retention**t / (1 + rate) ** t
            for t in range(1, periods + 1)
        )
    return math.fsum(terms)


# --- the examples of the function reference (docs/functions.md) -------------------------


def test_clv_simple_example():
    assert clv_simple(100, 24, 3) == 7200


def test_clv_examples():
    assert clv(100, 0.8, 0.12) == pytest.approx(250, abs=1e-9)
    assert clv(100, 0.8, 0.12, None, 0.05) == pytest.approx(285.7142857, abs=1e-7)
    assert clv(100, 0.8, 0.12, 5) == pytest.approx(203.516392, abs=1e-6)
    assert clv(100, 0.8, 0.12, None, None, None, "start") == pytest.approx(350, abs=1e-9)


def test_clv_from_churn_and_expected_lifetime_examples():
    assert clv_from_churn(100, 0.8, 0.02) == pytest.approx(4000)
    assert expected_lifetime(0.2) == pytest.approx(5)


# --- hand-computed cases -----------------------------------------------------------------


def test_clv_simple_margin_and_fractional_counts():
    # 80 a purchase, 1.5 purchases a month for 18 months, 25% margin: 80*1.5*18*0.25 = 540
    assert clv_simple(80, 1.5, 18, 0.25) == pytest.approx(540)
    assert clv_simple(100, 24, 3, margin="") == 7200  # a blank margin is 1


def test_clv_finite_start_and_growth_by_hand():
    # start, 3 periods: 100 + 100*0.8/1.12 + 100*(0.8/1.12)^2 = 100 + 71.428571 + 51.020408
    assert clv(100, 0.8, 0.12, 3, timing="start") == pytest.approx(222.4489796, abs=1e-7)
    # end, 2 periods, 10% growth: 100*0.8/1.12 + 110*0.64/1.2544 = 71.428571 + 56.122449
    assert clv(100, 0.8, 0.12, 2, 0.10) == pytest.approx(127.5510204, abs=1e-7)
    # acquisition cost comes off: 250 - 40
    assert clv(100, 0.8, 0.12, acquisition_cost=40) == pytest.approx(210)


def test_clv_edge_retentions():
    # nobody stays: margins at the end are never earned; at the start only the first
    assert clv(100, 0.0, 0.1) == 0
    assert clv(100, 0.0, 0.1, 4, timing="start") == pytest.approx(100)
    # everybody stays, no discounting: q = 1, the sum is periods x margin
    assert clv(100, 1.0, 0.0, 7) == pytest.approx(700)
    assert clv(100, 1.0, 0.0, 7, timing="start") == pytest.approx(700)
    # q a hair below 1: no cancellation error
    assert clv(100, 1.0, 1e-12, 3) == pytest.approx(direct_sum(100, 1.0, 1e-12, 3), rel=1e-12)


def test_excel_type_argument_for_timing():
    assert clv(100, 0.8, 0.12, timing=1) == clv(100, 0.8, 0.12, timing="Start")
    assert clv(100, 0.8, 0.12, timing=0) == clv(100, 0.8, 0.12, timing=None)


def test_clv_from_churn_equals_undiscounted_clv_at_the_start():
    # revenue x margin / churn = CLV with retention 1 - churn, no discounting, "start"
    assert clv_from_churn(100, 0.8, 0.05) == pytest.approx(clv(80, 0.95, 0.0, timing="start"))


# --- vectors ---------------------------------------------------------------------------


def test_scalar_in_float_out_and_arrays_broadcast():
    assert type(clv(100, 0.8, 0.12)) is float
    assert type(clv_simple(np.float64(100), 24, 3)) is float
    margins = [100, 200, 50]
    expected = [250, 500, 125]
    for given_as in (margins, np.array(margins), pd.Series(margins), tuple(margins)):
        result = clv(given_as, 0.8, 0.12)
        assert isinstance(result, np.ndarray)
        np.testing.assert_allclose(result, expected)
    np.testing.assert_allclose(
        clv([100, 100], [0.8, 0.8], [0.12, 0.12], periods=[5, 1]),
        [203.516392, 100 * 0.8 / 1.12],
    )
    np.testing.assert_allclose(clv_from_churn([100, 50], 0.8, [0.02, 0.05]), [4000, 800])
    np.testing.assert_allclose(expected_lifetime(np.array([0.5, 0.25])), [2, 4])
    np.testing.assert_allclose(clv_simple([100, 50], 24, [3, 2]), [7200, 2400])


def test_inputs_are_never_modified():
    margin = np.array([100.0, 200.0])
    retention = np.array([0.8, 0.9])
    rate = np.array([0.12, 0.1])
    cost = np.array([10.0, 20.0])
    clv(margin, retention, rate, acquisition_cost=cost)
    clv(margin, retention, rate, periods=np.array([3.0, 4.0]), growth=np.array([0.0, 0.01]))
    assert margin.tolist() == [100, 200] and retention.tolist() == [0.8, 0.9]
    assert rate.tolist() == [0.12, 0.1] and cost.tolist() == [10, 20]


# --- properties ---------------------------------------------------------------------------

retentions = st.floats(0.0, 1.0)
rates = st.floats(0.0, 0.5)
growths = st.floats(-0.5, 0.3)
margins = st.floats(-1e4, 1e4)


@FEW
@given(margins, retentions, rates, growths, st.integers(1, 60), st.booleans())
def test_closed_form_equals_the_direct_sum(margin, retention, rate, growth, periods, start):
    timing = "start" if start else "end"
    expected = direct_sum(margin, retention, rate, periods, growth, start)
    got = clv(margin, retention, rate, periods, growth, timing=timing)
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)


@FEW
@given(st.floats(1.0, 1e4), st.floats(0.0, 0.98), st.floats(0.0, 0.3), growths, st.booleans())
def test_finite_periods_approach_the_infinite_value(margin, retention, rate, growth, start):
    kept = retention * (1 + growth)
    assume(kept < (1 + rate) * 0.98)  # q = r(1+g)/(1+i) <= 0.98: 3000 periods suffice
    timing = "start" if start else "end"
    infinite = clv(margin, retention, rate, growth=growth, timing=timing)
    gaps = [
        abs(infinite - clv(margin, retention, rate, t, growth, timing=timing))
        for t in (1, 2, 5, 20, 100, 3000)
    ]
    assert all(later <= earlier + 1e-9 * infinite for earlier, later in itertools.pairwise(gaps))
    assert gaps[-1] <= 1e-9 * infinite


@FEW
@given(
    st.lists(st.tuples(margins, retentions, rates), min_size=1, max_size=20),
    st.booleans(),
)
def test_arrays_give_the_scalar_results(rows, start):
    m, r, i = (np.array(column) for column in zip(*rows, strict=True))
    assume(not np.any(r >= 1 + i))
    timing = "start" if start else "end"
    batch = clv(m, r, i, timing=timing)
    one_by_one = [clv(*row, timing=timing) for row in rows]
    np.testing.assert_allclose(batch, one_by_one, rtol=1e-12)


bad_values = st.sampled_from(["n/a", "#N/A", True, False, float("nan"), float("inf"), -math.inf])


@FEW
@given(
    bad_values,
    st.sampled_from(["margin", "retention", "discount_rate"]),
    st.integers(0, 4),
    st.booleans(),
)
def test_bad_values_always_raise(bad, argument, position, as_array):
    good = {"margin": 100.0, "retention": 0.8, "discount_rate": 0.1}
    values = [good[argument]] * 5
    values[position] = bad
    arguments = dict(good)
    if as_array:  # text and TRUE/FALSE can only sit in an object array
        numeric = not isinstance(bad, (str, bool))
        values = np.array(values, dtype=float if numeric else object)
    arguments[argument] = values
    with pytest.raises(CrmValueError, match=rf"^CLV: {argument} item {position + 1} is"):
        clv(**arguments)


# --- one test per bad-input rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: clv("100", 0.8, 0.1), "CLV: margin is the text '100'"),
        (lambda: clv(100, True, 0.1), "CLV: retention is the logical value TRUE"),
        (lambda: clv(100, 0.8, math.nan), "CLV: discount_rate is not a number (NaN)"),
        (lambda: clv(math.inf, 0.8, 0.1), "CLV: margin is infinite"),
        (lambda: clv([100, 200], [0.8, 1.2], 0.1), "CLV: retention item 2 is 1.2, above 1"),
        (lambda: clv(100, -0.1, 0.1), "CLV: retention is -0.1, below 0"),
        (lambda: clv(100, 0.8, -1), "CLV: discount_rate is -1, at or below -1"),
        (lambda: clv(100, 0.8, 0.1, 0), "CLV: periods is 0, below 1"),
        (lambda: clv(100, 0.8, 0.1, 2.5), "CLV: periods is 2.5, not a whole number"),
        (lambda: clv(100, 0.8, 0.1, growth=-1.5), "CLV: growth is -1.5, at or below -1"),
        (lambda: clv(100, 0.8, 0.1, acquisition_cost=-5), "CLV: acquisition_cost is -5"),
        (lambda: clv(100, 0.8, 0.1, timing="middle"), "CLV: timing is the text 'middle'"),
        (lambda: clv(100, 0.8, 0.1, timing=True), "CLV: timing is the logical value TRUE"),
        (lambda: clv([1, 2], [0.5, 0.5, 0.5], 0.1), "retention has 3 values; give ranges"),
        (lambda: clv([], 0.8, 0.1), "CLV: margin is empty"),
        (lambda: clv(None, 0.8, 0.1), "CLV: margin is blank"),
        (lambda: clv_simple(-100, 24, 3), "CLV_SIMPLE: avg_purchase_value is -100, below 0"),
        (lambda: clv_simple(100, "x", 3), "CLV_SIMPLE: purchases_per_period is the text"),
        (lambda: clv_simple(100, 24, 3, 40), "CLV_SIMPLE: margin is 40, above 1"),
        (lambda: clv_simple([1, 2], [1, 2, 3], 3), "purchases_per_period has 3 values"),
        (lambda: clv_from_churn(100, 0.8, 0), "CLV_FROM_CHURN: churn_rate is 0, at or below 0"),
        (lambda: clv_from_churn(100, 1.8, 0.1), "CLV_FROM_CHURN: gross_margin is 1.8, above 1"),
        (lambda: clv_from_churn([1, 2], 0.5, [0.1] * 3), "CLV_FROM_CHURN: revenue_per_period"),
        (lambda: expected_lifetime(0), "EXPECTED_LIFETIME: churn_rate is 0, at or below 0"),
        (lambda: expected_lifetime(1.5), "EXPECTED_LIFETIME: churn_rate is 1.5, above 1"),
        (lambda: expected_lifetime("#DIV/0!"), "churn_rate is the error value #DIV/0!"),
    ],
)
def test_each_bad_input_names_the_function_and_the_problem(call, words):
    with pytest.raises(CrmValueError) as caught:
        call()
    assert words in str(caught.value)


def test_a_diverging_infinite_clv_is_an_error_that_says_so():
    with pytest.raises(CrmValueError) as caught:
        clv(100, 0.95, 0.04, growth=0.1)
    message = str(caught.value)
    assert message.startswith("CLV: ") and "diverges" in message
    assert "0.95 x 1.1 = 1.045 is not below 1 + discount_rate = 1.04" in message
    with pytest.raises(CrmValueError, match=r"diverges: retention 1 is not below .* \(item 2\)"):
        clv([100, 100], [0.5, 1.0], [0.1, 0.0])
    # the same inputs over a finite horizon are fine
    assert clv(100, 0.95, 0.04, 10, 0.1) == pytest.approx(direct_sum(100, 0.95, 0.04, 10, 0.1))


def test_an_overflowing_finite_clv_is_an_error_not_infinity():
    with pytest.raises(CrmValueError, match="CLV: the value is too large"):
        clv(100, 1.0, 0.0, 10**6, growth=0.5)
