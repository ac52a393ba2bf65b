"""CHURN_RATE, RETENTION_RATE, CAC, CLV_CAC, CAC_PAYBACK and REFERRAL_RATE: the contract's
examples, arrays, and every bad-input rule (counts, zero denominators, parts > wholes)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.customer_counts import (
    cac,
    cac_payback,
    churn_rate,
    clv_cac,
    referral_rate,
    retention_rate,
)

FEW = settings(max_examples=150, deadline=None)


# --- the examples of the function reference (docs/functions.md) -------------------------


def test_examples():
    assert churn_rate(1000, 50) == pytest.approx(0.05)
    assert retention_rate(1000, 1050, 200) == pytest.approx(0.85)
    assert cac(100000, 100) == pytest.approx(1000)
    assert cac_payback(500, 100, 0.8) == pytest.approx(6.25)


def test_hand_computed_ratios():
    assert clv_cac(4500, 1500) == pytest.approx(3)
    assert clv_cac(-300, 1500) == pytest.approx(-0.2)  # a losing customer is allowed
    assert referral_rate(120, 1000) == pytest.approx(0.12)
    assert churn_rate(1000, 0) == 0 and churn_rate(40, 40) == 1
    assert retention_rate(1000, 800, 0) == pytest.approx(0.8)
    assert retention_rate(100, 100, 0) == 1
    assert cac(0, 10) == 0 and cac_payback(0, 100, 0.5) == 0


def test_scalars_give_floats_and_ranges_broadcast():
    assert type(churn_rate(1000, 50)) is float
    np.testing.assert_allclose(churn_rate([1000, 800], [50, 80]), [0.05, 0.1])
    np.testing.assert_allclose(churn_rate(np.array([1000.0, 500.0]), 50), [0.05, 0.1])
    np.testing.assert_allclose(
        retention_rate(pd.Series([1000, 200]), [1050, 210], [200, 30]), [0.85, 0.9]
    )
    np.testing.assert_allclose(cac([1000, 3000], [10, 20]), [100, 150])
    np.testing.assert_allclose(cac_payback([500, 300], 100, [0.8, 0.5]), [6.25, 6])
    np.testing.assert_allclose(referral_rate([1, 2], 10), [0.1, 0.2])


# --- properties ---------------------------------------------------------------------------


@FEW
@given(st.integers(1, 10**7), st.data())
def test_churn_and_retention_are_shares_that_complete_each_other(start, data):
    lost = data.draw(st.integers(0, start))
    new = data.draw(st.integers(0, 10**6))
    churn = churn_rate(start, lost)
    retention = retention_rate(start, start - lost + new, new)
    assert 0 <= churn <= 1 and 0 <= retention <= 1
    assert churn + retention == pytest.approx(1)


bad_counts = st.sampled_from(["n/a", "#REF!", True, math.nan, math.inf, -1, 2.5])


@FEW
@given(
    bad_counts,
    st.sampled_from(
        [
            (churn_rate, "CHURN_RATE", ("customers_start", "customers_lost"), (100, 5)),
            (referral_rate, "REFERRAL_RATE", ("referring_customers", "customers"), (5, 100)),
            (cac, "CAC", ("sales_marketing_spend", "new_customers"), (1000, 5)),
        ]
    ),
    st.integers(0, 1),
    st.integers(0, 2),
)
def test_bad_values_always_raise(bad, case, argument, position):
    func, excel, names, good = case
    assume(not (excel == "CAC" and argument == 0 and bad == 2.5))  # only counts are whole
    column = [good[argument]] * 3
    column[position] = bad
    arguments = list(good)
    arguments[argument] = column
    with pytest.raises(CrmValueError, match=rf"^{excel}: {names[argument]} item {position + 1}"):
        func(*arguments)


# --- one test per bad-input rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: churn_rate("1000", 50), "CHURN_RATE: customers_start is the text '1000'"),
        (lambda: churn_rate(1000, True), "CHURN_RATE: customers_lost is the logical value TRUE"),
        (lambda: churn_rate(math.nan, 5), "CHURN_RATE: customers_start is not a number (NaN)"),
        (lambda: churn_rate(math.inf, 5), "CHURN_RATE: customers_start is infinite"),
        (lambda: churn_rate(1000, -5), "CHURN_RATE: customers_lost is -5, below 0"),
        (lambda: churn_rate(1000, 2.5), "CHURN_RATE: customers_lost is 2.5, not a whole number"),
        (lambda: churn_rate(0, 0), "CHURN_RATE: customers_start is 0, and the churn rate divides"),
        (lambda: churn_rate(50, 60), "CHURN_RATE: customers_lost is 60, more than customers_start"),
        (
            lambda: churn_rate([50, 50], [5, 60]),
            "customers_lost item 2 is 60, more than customers_start item 2 (50)",
        ),
        (lambda: churn_rate([10, 0], 0), "CHURN_RATE: customers_start item 2 is 0"),
        (lambda: churn_rate([1, 2], [1, 2, 3]), "customers_start has 2 values but customers_lost"),
        (lambda: churn_rate([], 1), "CHURN_RATE: customers_start is empty"),
        (lambda: churn_rate(None, 1), "CHURN_RATE: customers_start is blank"),
        (lambda: retention_rate(0, 5, 1), "RETENTION_RATE: customers_start is 0"),
        (lambda: retention_rate(100, 50, 60), "RETENTION_RATE: new_customers is 60, more than"),
        (
            lambda: retention_rate(1000, 1300, 200),
            "RETENTION_RATE: customers_end - new_customers is 1100, more than customers_start",
        ),
        (lambda: retention_rate(100, -1, 0), "RETENTION_RATE: customers_end is -1, below 0"),
        (lambda: cac(1000, 0), "CAC: new_customers is 0, and the cost per new customer divides"),
        (lambda: cac(-1000, 10), "CAC: sales_marketing_spend is -1000, below 0"),
        (lambda: cac(1000, 0.5), "CAC: new_customers is 0.5, not a whole number"),
        (lambda: clv_cac(3000, 0), "CLV_CAC: cac is 0, and the ratio divides by it"),
        (lambda: clv_cac(3000, -10), "CLV_CAC: cac is -10, below 0"),
        (lambda: clv_cac("#N/A", 10), "CLV_CAC: clv is the error value #N/A"),
        (lambda: cac_payback(500, 100, 0), "CAC_PAYBACK: gross_margin is 0, so the margin"),
        (lambda: cac_payback(500, 0, 0.8), "CAC_PAYBACK: revenue_per_period is 0, so the"),
        (lambda: cac_payback(500, 100, 80), "CAC_PAYBACK: gross_margin is 80, above 1"),
        (lambda: cac_payback(-500, 100, 0.8), "CAC_PAYBACK: cac is -500, below 0"),
        (lambda: referral_rate(5, 0), "REFERRAL_RATE: customers is 0, and the referral rate"),
        (lambda: referral_rate(12, 10), "REFERRAL_RATE: referring_customers is 12, more than"),
        (lambda: referral_rate(-1, 10), "REFERRAL_RATE: referring_customers is -1, below 0"),
    ],
)
def test_each_bad_input_names_the_function_and_the_problem(call, words):
    with pytest.raises(CrmValueError) as caught:
        call()
    assert words in str(caught.value)


def test_a_part_larger_than_a_single_whole_names_the_row():
    with pytest.raises(CrmValueError) as caught:
        churn_rate([100, 10], 20)
    assert "customers_lost is 20, more than customers_start item 2 (10)" in str(caught.value)
