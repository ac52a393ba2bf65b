"""CUSTOMER_SEGMENT, VALUE_CONCENTRATION and RFM_SCORE: hand-computed classifications with
ties and the ceil rule, the segmentation invariants, and every bad-input rule."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.segmentation import (
    CLASSES,
    STRATEGY,
    Segmentation,
    customer_segment,
    rfm_score,
    value_concentration,
)

FEW = settings(max_examples=150, deadline=None)
MV, G, S, N = "Most valuable", "Growth", "Standard", "Negative"


# --- CUSTOMER_SEGMENT by hand ----------------------------------------------------------------


def test_the_ceil_rule_counts_customers():
    # 21 customers: k = ceil(0.05 x 21) = ceil(1.05) = 2 most valuable (actual 21 and 20);
    # 19 left: ceil(0.20 x 19) = ceil(3.8) = 4 growth, by strategic value among them
    actual = list(range(1, 22))
    strategic = [0] * 21
    for customer in (0, 5, 7, 9, 20):  # customer 20 (actual 21) is most valuable anyway
        strategic[customer] = 100 + customer
    seg = customer_segment(actual, strategic)
    labels = list(seg.labels)
    assert labels[20] == MV and labels[19] == MV
    assert [i for i, label in enumerate(labels) if label == G] == [0, 5, 7, 9]
    assert seg.counts == {MV: 2, G: 4, S: 15, N: 0}
    assert seg.most_valuable_from == 20 and seg.growth_from == 100


def test_seven_percent_of_a_hundred_is_seven_not_eight():
    # 0.07 * 100 == 7.000000000000001 in binary floating point; the ceil must still be 7
    seg = customer_segment(np.arange(100.0), np.zeros(100), top_share=0.07, growth_share=0)
    assert seg.counts[MV] == 7
    # a share just above a whole count does round up: 7.01% of 100 -> 8
    assert customer_segment(np.arange(100.0), np.zeros(100), 0.0701, 0).counts[MV] == 8


def test_ties_with_the_kth_customer_join_the_higher_class():
    # k = ceil(0.2 x 5) = 1, the 1st value is 50 and two customers have it: both are MV;
    # 3 left, ceil(0.2 x 3) = 1 growth, the top strategic value 7 is shared: both grow
    seg = customer_segment([10, 50, 50, 20, 5], [7, 0, 0, 7, 3], top_share=0.2, growth_share=0.2)
    assert list(seg.labels) == [G, MV, MV, G, S]
    assert list(seg.strategies) == ["grow", "retain", "retain", "grow", "maintain"]


def test_negative_comes_first_and_k_counts_all_customers():
    # 4 customers, 3 negative: k = ceil(0.5 x 4) = 2 but only one is non-negative;
    # a negative customer with a huge strategic value is still Negative
    seg = customer_segment([-1, 30, -5, -0.01], [1e9, 0, 5, 5], top_share=0.5)
    assert list(seg.labels) == [N, MV, N, N]
    assert seg.growth_from is None
    # zero is not negative
    assert list(customer_segment([0, -1], [0, 0], top_share=0).labels) == [G, N]


def test_shares_of_zero_and_one():
    actual, strategic = [5, 3, -2, 8], [1, 9, 9, 2]
    assert list(customer_segment(actual, strategic, 1, 1).labels) == [MV, MV, N, MV]
    assert list(customer_segment(actual, strategic, 0, 0).labels) == [S, S, N, S]
    assert customer_segment(actual, strategic, 0, 0).most_valuable_from is None
    # top_share 0: Growth is the top ceil(0.5 x 3) = 2 by strategic value of the three
    assert list(customer_segment(actual, strategic, 0, 0.5).labels) == [S, G, N, G]


def test_result_object():
    actual = pd.Series([500.0, 120, -30, 80, 60], index=list("abcde"))
    seg = customer_segment(actual, [0, 50, 900, 400, 10], top_share=0.2, growth_share=0.3)
    assert isinstance(seg, Segmentation) and len(seg) == 5
    assert seg.labels.codes.dtype == np.int8  # one byte a customer
    assert list(seg.labels.categories) == list(CLASSES)
    assert (
        seg.STRATEGY
        == STRATEGY
        == {
            MV: "retain",
            G: "grow",
            S: "maintain",
            N: "convert or exit",
        }
    )
    assert [STRATEGY[label] for label in seg.labels] == list(seg.strategies)
    frame = seg.to_frame()
    assert list(frame.columns) == ["segment", "strategy"]
    assert list(frame.index) == list("abcde")
    assert frame.loc["d", "segment"] == G and frame.loc["c", "strategy"] == "convert or exit"
    assert "Most valuable: 1" in repr(seg)
    with pytest.raises(AttributeError):
        seg.growth_from = 0  # frozen


def test_one_customer_and_a_column_range():
    assert list(customer_segment(10, 0).labels) == [MV]
    assert list(customer_segment([[3], [1]], [[0], [0]], 0.5, 0).labels) == [MV, S]


# --- CUSTOMER_SEGMENT properties --------------------------------------------------------------

customers = st.lists(
    st.tuples(st.integers(-5, 20), st.integers(0, 8)),  # small ranges: many ties
    min_size=1,
    max_size=80,
)
percents = st.integers(0, 100)  # shares as users give them: whole percentages


def top_count(percent, n):
    """ceil(percent / 100 x n) in exact integer arithmetic."""
    return -(-percent * n // 100)


@FEW
@given(customers, percents, percents)
def test_segmentation_invariants(rows, top_percent, growth_percent):
    actual = np.array([a for a, _ in rows], dtype=float)
    strategic = np.array([s for _, s in rows], dtype=float)
    seg = customer_segment(actual, strategic, top_percent / 100, growth_percent / 100)
    labels = np.asarray(seg.labels)
    n = len(rows)

    # Negative: exactly the customers with a negative actual value
    assert np.array_equal(labels == N, actual < 0)

    # Most valuable: the top ceil(top_share x n) non-negative customers, ties included
    k = min(top_count(top_percent, n), int(np.sum(actual >= 0)))
    most = labels == MV
    if k == 0:
        assert not most.any()
    else:
        kth = np.sort(actual)[::-1][k - 1]
        assert np.array_equal(most, actual >= kth)
        assert np.sum(actual > kth) < k <= most.sum()

    # Growth: the top ceil(growth_share x m) of the m left, by strategic value, ties in
    left = ~most & (actual >= 0)
    m = int(left.sum())
    k_growth = min(top_count(growth_percent, m), m)
    growth = labels == G
    if k_growth == 0:
        assert not growth.any()
    else:
        kth = np.sort(strategic[left])[::-1][k_growth - 1]
        assert np.array_equal(growth, left & (strategic >= kth))
        assert np.sum(left & (strategic > kth)) < k_growth <= growth.sum()

    assert np.array_equal(labels == S, left & ~growth)


@FEW
@given(customers, st.floats(0, 1), st.floats(0, 1), st.randoms(use_true_random=False))
def test_a_permutation_of_customers_permutes_the_labels(rows, top_share, growth_share, rnd):
    actual = np.array([a for a, _ in rows], dtype=float)
    strategic = np.array([s for _, s in rows], dtype=float)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    before = np.asarray(customer_segment(actual, strategic, top_share, growth_share).labels)
    after = customer_segment(actual[order], strategic[order], top_share, growth_share)
    assert np.array_equal(np.asarray(after.labels), before[order])


bad_values = st.sampled_from(["n/a", "#N/A", True, math.nan, math.inf, -math.inf, None, ""])


@FEW
@given(
    st.lists(st.floats(-100, 100), min_size=1, max_size=20),
    bad_values,
    st.booleans(),
    st.data(),
)
def test_bad_values_always_raise(values, bad, in_actual, data):
    place = data.draw(st.integers(0, len(values)))
    broken = [*values[:place], bad, *values[place:]]
    good = [0.0] * len(broken)
    name = "actual_value" if in_actual else "strategic_value"
    arguments = (broken, good) if in_actual else (good, broken)
    with pytest.raises(CrmValueError, match=rf"^CUSTOMER_SEGMENT: {name} item {place + 1} is"):
        customer_segment(*arguments)


# --- VALUE_CONCENTRATION ------------------------------------------------------------------


def test_value_concentration_by_hand():
    values = [100, 50, 30, 20]  # total 200
    assert value_concentration(values, 0.25) == pytest.approx(100 / 200)  # k = 1
    assert value_concentration(values, 0.3) == pytest.approx(150 / 200)  # k = ceil(1.2) = 2
    assert value_concentration(values) == pytest.approx(100 / 200)  # ceil(0.2) = 1
    assert value_concentration(values, 1) == pytest.approx(1)
    assert value_concentration(values, 0) == 0
    # 100 customers, top 5%: five customers of 10 each and 95 of 1 -> 50 / 145
    assert value_concentration([1] * 95 + [10] * 5) == pytest.approx(50 / 145)
    # loss-making customers: the top third (100) brings more than the total (90)
    assert value_concentration([100, 50, -60], 1 / 3) == pytest.approx(100 / 90)
    assert value_concentration(pd.Series([1.0, 3.0]), 0.5) == pytest.approx(0.75)


@FEW
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=60), percents)
def test_value_concentration_is_a_share_that_grows_with_the_top(values, percent):
    assume(sum(values) > 0)
    share = value_concentration(values, percent / 100)
    assert -1e-12 <= share <= 1 + 1e-12
    assert value_concentration(values, min(100, percent + 10) / 100) >= share - 1e-12
    # the top k customers bring exactly the k largest values, at least their head count's share
    k = top_count(percent, len(values))
    assert share == pytest.approx(sum(sorted(values)[len(values) - k :]) / sum(values))
    assert share >= k / len(values) - 1e-9


# --- RFM_SCORE --------------------------------------------------------------------------


def test_rfm_by_hand():
    # recency 5 < 12 < 40 < 90 < 200 days: ranks 0..4, digit ceil(rank x 5 / 4) -> 1..5,
    # reversed for recency: 5 days scores 5
    codes = rfm_score([5, 40, 200, 12, 90], [12, 3, 1, 2, 8], [900, 150, 40, 610, 75])
    assert codes.tolist() == ["555", "333", "111", "424", "242"]


def test_rfm_ties_are_broken_by_order():
    # all alike: ranks follow the order; the first customer is lowest (recency: highest)
    codes = rfm_score([10] * 5, [3] * 5, [100] * 5)
    assert codes.tolist() == ["511", "422", "333", "244", "155"]


def test_rfm_matches_the_pandas_idiom_and_bins_hold_equal_counts():
    rng = np.random.default_rng(7)
    recency, frequency, monetary = rng.integers(0, 365, 10), rng.integers(1, 30, 10), rng.random(10)
    codes = rfm_score(recency, frequency, monetary, bins=5)

    def qcut(x):
        return pd.qcut(pd.Series(x).rank(method="first"), 5, labels=False).to_numpy() + 1

    expected = (6 - qcut(recency)) * 100 + qcut(frequency) * 10 + qcut(monetary)
    assert codes.tolist() == [str(code) for code in expected]
    # 10 customers, 5 bins: two customers per digit
    assert sorted(int(code[1]) for code in codes) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_rfm_bins():
    assert rfm_score([1, 2, 3], [1, 2, 3], [1, 2, 3], bins=3).tolist() == ["311", "222", "133"]
    assert rfm_score([1, 2], [1, 2], [1, 2], bins=9).tolist() == ["911", "199"]


@FEW
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 9), st.floats(-1e3, 1e3)), min_size=2),
    st.integers(2, 9),
)
def test_rfm_digits_are_in_range_monotone_and_balanced(rows, bins):
    recency, frequency, monetary = (np.array(column) for column in zip(*rows, strict=True))
    codes = rfm_score(recency, frequency, monetary, bins)
    digits = np.array([[int(c) for c in code] for code in codes])
    assert digits.min() >= 1 and digits.max() <= bins
    for column, values, sign in ((0, recency, -1), (1, frequency, 1), (2, monetary, 1)):
        order = np.argsort(sign * values, kind="stable")
        if sign < 0:  # recency: ties by order too (the earlier customer scores higher)
            order = np.lexsort((-np.arange(len(values)), -values))
        assert np.all(np.diff(digits[order, column]) >= 0)  # a better value never scores less
        sizes = np.bincount(digits[:, column], minlength=bins + 1)[1:]
        assert sizes.max() - sizes.min() <= 2  # equal-count bins, up to rounding


# --- one test per bad-input rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: customer_segment([1, "x"], [1, 2]), "CUSTOMER_SEGMENT: actual_value item 2 is"),
        (lambda: customer_segment([1, 2], [True, 2]), "strategic_value item 1 is the logical"),
        (lambda: customer_segment([1, math.nan], [1, 2]), "actual_value item 2 is not a number"),
        (lambda: customer_segment(np.array([1, np.inf]), [1, 2]), "item 2 is infinite"),
        (lambda: customer_segment([1, None], [1, 2]), "actual_value item 2 is blank"),
        (lambda: customer_segment([1, 2, 3], [1, 2]), "actual_value has 3 values but"),
        (lambda: customer_segment([], []), "CUSTOMER_SEGMENT: actual_value is empty"),
        (lambda: customer_segment([[1, 2], [3, 4]], [[1, 2], [3, 4]]), "is a table of 2 rows"),
        (lambda: customer_segment([1], [1], 1.5), "CUSTOMER_SEGMENT: top_share is 1.5, above 1"),
        (lambda: customer_segment([1], [1], 0.1, -0.2), "growth_share is -0.2, below 0"),
        (lambda: customer_segment([1], [1], "5%"), "top_share is the text '5%'"),
        (lambda: value_concentration([0, 0]), "VALUE_CONCENTRATION: the values add up to 0"),
        (lambda: value_concentration([5, -10]), "VALUE_CONCENTRATION: the values add up to -5"),
        (lambda: value_concentration([1, "a"]), "VALUE_CONCENTRATION: values item 2 is the text"),
        (lambda: value_concentration([]), "VALUE_CONCENTRATION: values is empty"),
        (lambda: value_concentration([1], 2), "VALUE_CONCENTRATION: top_share is 2, above 1"),
        (lambda: rfm_score([1, 2], [1, 2], [1, 2], 1), "RFM_SCORE: bins is 1, below 2"),
        (lambda: rfm_score([1, 2], [1, 2], [1, 2], 10), "RFM_SCORE: bins is 10, above 9"),
        (lambda: rfm_score([1, 2], [1, 2], [1, 2], 2.5), "bins is 2.5, not a whole number"),
        (lambda: rfm_score([1], [1], [1]), "RFM_SCORE: recency_days has only 1 customer"),
        (lambda: rfm_score([1, -2], [1, 2], [1, 2]), "RFM_SCORE: recency_days item 2 is -2"),
        (lambda: rfm_score([1, 2], [1, -2], [1, 2]), "RFM_SCORE: frequency item 2 is -2, below"),
        (lambda: rfm_score([1, 2], [1, 2], [1, 2, 3]), "recency_days has 2 values but monetary"),
        (lambda: rfm_score([1, 2], [1, 2], [1, math.nan]), "monetary item 2 is not a number"),
        (lambda: rfm_score([], [], []), "RFM_SCORE: recency_days is empty"),
    ],
)
def test_each_bad_input_names_the_function_and_the_problem(call, words):
    with pytest.raises(CrmValueError) as caught:
        call()
    assert words in str(caught.value)
