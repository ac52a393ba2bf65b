"""NPS, NPS_COUNTS, NPS_MOE, NPS_CI, CSAT, CSAT_TOPBOX and CES: the contract's examples,
hand-computed intervals, properties, and every bad-input rule."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.survey_metrics import ces, csat, csat_topbox, nps, nps_ci, nps_counts, nps_moe

FEW = settings(max_examples=150, deadline=None)
FIFTY_THIRTY_TWENTY = [10] * 50 + [7] * 30 + [0] * 20


# --- the examples of the function reference (docs/functions.md) -------------------------


def test_nps_examples():
    assert nps([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == pytest.approx(-40)
    assert nps([9, 10, 6, 8]) == pytest.approx(25)


def test_nps_counts_example():
    assert nps_counts(60, 20, 20) == pytest.approx(40)


def test_nps_moe_example():
    assert nps(FIFTY_THIRTY_TWENTY) == pytest.approx(30)
    assert round(nps_moe(FIFTY_THIRTY_TWENTY), 2) == 15.31


def test_csat_example():
    answers = [7] * 50 + [9] * 50  # 100 answers summing to 800
    assert sum(answers) == 800
    assert csat(answers) == pytest.approx(8)


# --- hand-computed cases -----------------------------------------------------------------


def test_nps_ci_by_hand():
    # 3 promoters, 1 passive, 1 detractor: n' = 8, p' = 3.75/8 = 0.46875, d' = 1.75/8 =
    # 0.21875, centre 0.25, variance (0.6875 - 0.0625)/8 = 0.078125, sd 0.2795085;
    # 1.959964 x 0.2795085 = 0.5478266 -> 25 -/+ 54.78266
    low, high = nps_ci([9, 10, 9, 7, 0])
    assert low == pytest.approx(-29.78266, abs=1e-5)
    assert high == pytest.approx(79.78266, abs=1e-5)
    # 50/30/20: n' = 103, p' = 50.75/103, d' = 20.75/103, centre 29.126214,
    # sd = sqrt((0.6941748 - 0.0848336)/103) = 0.0769151, x 1.959964 = 15.07508
    low, high = nps_ci(FIFTY_THIRTY_TWENTY)
    assert low == pytest.approx(14.05113, abs=1e-5)
    assert high == pytest.approx(44.20130, abs=1e-5)


def test_nps_ci_is_clipped_to_the_scale():
    # ten promoters: n' = 13, centre 10/13 = 0.7692308, sd = sqrt((0.8846154 - 0.5917160)
    # /13) = 0.1501024, x 1.959964 -> 76.92308 -/+ 29.41953: the top is clipped to 100
    assert nps_ci([10] * 10) == [pytest.approx(47.50355, abs=1e-5), 100.0]
    assert nps_ci([0] * 10) == [-100.0, pytest.approx(-47.50355, abs=1e-5)]


def test_confidence_level_changes_the_width():
    # z(0.90) = 1.644854: 3/1/1 -> 25 -/+ 1.644854 x 27.95085 = 25 -/+ 45.97506
    assert nps_ci([9, 10, 9, 7, 0], 0.90)[0] == pytest.approx(-20.97506, abs=1e-5)
    assert nps_moe(FIFTY_THIRTY_TWENTY, 0.99) > nps_moe(FIFTY_THIRTY_TWENTY)
    # all answers alike: the Wald margin is 0 (NPS_CI keeps a width)
    assert nps_moe([8, 8, 8]) == 0


def test_blanks_are_skipped_everywhere():
    assert nps([9, None, 10, "", 6, 8]) == pytest.approx(25)
    assert csat([4, None, 5, "  "]) == pytest.approx(4.5)
    assert ces(["", 6, 7]) == pytest.approx(6.5)
    assert csat_topbox([5, None, 1], 5) == pytest.approx(0.5)


def test_csat_topbox_by_hand():
    # 1-5 scale, top-2-box = 4 and 5: three of five answers
    assert csat_topbox([5, 4, 3, 5, 1], 5) == pytest.approx(0.6)
    assert csat_topbox([5, 4, 3, 5, 1], 5, boxes=1) == pytest.approx(0.4)
    # 1-10 scale, top-3-box = 8, 9, 10
    assert csat_topbox([10, 8, 7, 1], 10, 3) == pytest.approx(0.5)
    assert csat_topbox([1, 2], 5, 5) == 1.0


def test_tables_series_and_arrays_are_read_in_reading_order():
    assert nps([[9, 10], [6, 8]]) == pytest.approx(25)
    assert nps(pd.Series([9, 10, 6, 8])) == pytest.approx(25)
    assert nps(np.array([9.0, 10.0, 6.0, 8.0])) == pytest.approx(25)
    assert nps(10) == 100
    with pytest.raises(CrmValueError, match="NPS: scores row 2, column 1 is 11"):
        nps([[9, 10], [11, 8]])
    np.testing.assert_allclose(nps_counts([60, 10], [20, 30], [20, 60]), [40, -50])
    assert type(nps_counts(60, 20, 20)) is float


# --- properties ---------------------------------------------------------------------------

answers = st.lists(st.one_of(st.integers(0, 10), st.none()), min_size=1, max_size=200)


@FEW
@given(answers.filter(lambda xs: any(x is not None for x in xs)))
def test_nps_stays_on_its_scale_and_agrees_with_the_counts(scores):
    score = nps(scores)
    assert -100 <= score <= 100
    given_answers = [x for x in scores if x is not None]
    promoters = sum(x >= 9 for x in given_answers)
    detractors = sum(x <= 6 for x in given_answers)
    passives = len(given_answers) - promoters - detractors
    assert score == pytest.approx(nps_counts(promoters, passives, detractors))
    assert score == pytest.approx(100 * (promoters - detractors) / len(given_answers))


@FEW
@given(answers.filter(lambda xs: any(x is not None for x in xs)), st.floats(0.5, 0.999))
def test_intervals_are_ordered_and_on_the_scale(scores, confidence):
    low, high = nps_ci(scores, confidence)
    assert -100 <= low < high <= 100
    margin = nps_moe(scores, confidence)
    assert margin >= 0
    wider_low, wider_high = nps_ci(scores, (1 + confidence) / 2)
    assert wider_low <= low + 1e-9 and wider_high >= high - 1e-9


@FEW
@given(st.lists(st.integers(0, 10), min_size=1, max_size=50), st.integers(0, 49))
def test_a_bad_score_is_named_at_its_place_counting_blanks(scores, where):
    where = min(where, len(scores))
    bad_scores = [*scores[:where], None, 11, *scores[where:]]
    with pytest.raises(CrmValueError, match=rf"^NPS: scores item {where + 2} is 11, above 10"):
        nps(bad_scores)


bad_values = st.sampled_from(
    ["n/a", "#VALUE!", True, False, math.nan, math.inf, -math.inf, 11, -1, 7.5, 10.01]
)


@FEW
@given(st.lists(st.integers(0, 10), min_size=0, max_size=20), bad_values, st.data())
def test_bad_scores_always_raise(scores, bad, data):
    place = data.draw(st.integers(0, len(scores)))
    values = [*scores[:place], bad, *scores[place:]]
    func = data.draw(st.sampled_from([nps, nps_moe, nps_ci]))
    with pytest.raises(CrmValueError, match=rf"^{func.__name__.upper()}: scores item {place + 1}"):
        func(values)


# --- one test per bad-input rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: nps([9, "ten"]), "NPS: scores item 2 is the text 'ten'"),
        (lambda: nps([9, True]), "NPS: scores item 2 is the logical value TRUE"),
        (lambda: nps([9, "#N/A"]), "NPS: scores item 2 is the error value #N/A"),
        (lambda: nps([9, math.nan]), "NPS: scores item 2 is not a number (NaN)"),
        (lambda: nps(np.array([9, np.inf])), "NPS: scores item 2 is infinite"),
        (lambda: nps([9, 11]), "NPS: scores item 2 is 11, above 10"),
        (lambda: nps([9, -1]), "NPS: scores item 2 is -1, below 0"),
        (lambda: nps([9, 7.5]), "NPS: scores item 2 is 7.5, not a whole number"),
        (lambda: nps([11, "x"]), "NPS: scores item 1 is 11"),  # the first bad cell
        (lambda: nps([]), "NPS: scores has no answers"),
        (lambda: nps([None, ""]), "NPS: scores has no answers"),
        (lambda: nps_moe([9, 12]), "NPS_MOE: scores item 2 is 12, above 10"),
        (lambda: nps_moe([9], 1.2), "NPS_MOE: confidence is 1.2, at or above 1"),
        (lambda: nps_ci([9], 0), "NPS_CI: confidence is 0, at or below 0"),
        (lambda: nps_ci([9], "95%"), "NPS_CI: confidence is the text '95%'"),
        (lambda: nps_ci([], 0.9), "NPS_CI: scores has no answers"),
        (lambda: nps_counts(-1, 2, 3), "NPS_COUNTS: promoters is -1, below 0"),
        (lambda: nps_counts(1.5, 2, 3), "NPS_COUNTS: promoters is 1.5, not a whole number"),
        (lambda: nps_counts(0, 0, 0), "NPS_COUNTS: promoters, passives and detractors are all 0"),
        (lambda: nps_counts([1, 2], [1, 2, 3], 0), "NPS_COUNTS: promoters has 2 values but"),
        (lambda: nps_counts("many", 1, 1), "NPS_COUNTS: promoters is the text 'many'"),
        (lambda: csat([4, -1]), "CSAT: scores item 2 is -1, below 0"),
        (lambda: csat([4, "good"]), "CSAT: scores item 2 is the text 'good'"),
        (lambda: csat([None]), "CSAT: scores has no answers"),
        (lambda: ces([5, math.inf]), "CES: scores item 2 is infinite"),
        (lambda: ces([]), "CES: scores has no answers"),
        (lambda: csat_topbox([5, 6], 5), "CSAT_TOPBOX: scores item 2 is 6, above 5"),
        (lambda: csat_topbox([5, 0], 5), "CSAT_TOPBOX: scores item 2 is 0, below 1"),
        (lambda: csat_topbox([4.5], 5), "CSAT_TOPBOX: scores item 1 is 4.5, not a whole"),
        (lambda: csat_topbox([5], 1), "CSAT_TOPBOX: scale_max is 1, below 2"),
        (lambda: csat_topbox([5], 5, 6), "CSAT_TOPBOX: boxes is 6, more than the 5 points"),
        (lambda: csat_topbox([5], 5, 0), "CSAT_TOPBOX: boxes is 0, below 1"),
        (lambda: csat_topbox([], 5), "CSAT_TOPBOX: scores has no answers"),
    ],
)
def test_each_bad_input_names_the_function_and_the_problem(call, words):
    with pytest.raises(CrmValueError) as caught:
        call()
    assert words in str(caught.value)
