"""Tests of crmvalue_core.discounting: NPV_CRM, IRR_CRM, MIRR_CRM, XNPV_CRM, XIRR_CRM."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import pyxirr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.discounting import irr_crm, mirr_crm, npv_crm, xirr_crm, xnpv_crm
from crmvalue_core.discounting._irr_solver import eig_irrs, exact_irrs
from tests.cases import amounts, flow_tables, scalar_rows

FLOWS = [-100000, 30000, 35000, 40000, 45000]
BENEFITS = [0, 30000, 35000, 40000, 45000]
COSTS = [100000, 0, 0, 0, 0]
# Excel's XNPV / XIRR documentation example: 1/1/2008, 3/1/2008, 10/30/2008, 2/15/2009,
# 4/1/2009 (serial numbers) with these values: XNPV at 9% = 2,086.65, XIRR = 37.34%.
EXCEL_VALUES = [-10000, 2750, 4250, 3250, 2750]
EXCEL_SERIALS = [39448, 39508, 39751, 39859, 39904]
EXCEL_DATES = [
    dt.date(2008, 1, 1),
    dt.date(2008, 3, 1),
    dt.date(2008, 10, 30),
    dt.date(2009, 2, 15),
    dt.date(2009, 4, 1),
]

SLOW = settings(max_examples=150, deadline=None)


def exact_npv(rate: Fraction, flows: list[int]) -> Fraction:
    """NPV in exact rational arithmetic: sum c_t / (1+r)^t, period 0 undiscounted."""
    return sum((Fraction(c) / (1 + rate) ** t for t, c in enumerate(flows)), Fraction(0))


# ----------------------------------------------------------------------- strategies


@st.composite
def conventional(draw: st.DrawFn, max_periods: int = 15) -> list[float]:
    """An investment (negative period 0) then non-negative returns worth >= 5% of it."""
    invest = draw(st.floats(min_value=1e3, max_value=1e6))
    shares = draw(
        st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=max_periods - 1)
    )
    assume(sum(shares) >= 0.05)
    return [-invest] + [invest * s for s in shares]


@st.composite
def dated(draw: st.DrawFn, conventional_only: bool = False) -> tuple[list[float], list[dt.date]]:
    """Flows on increasing dates, the first date the earliest."""
    if conventional_only:
        flows = draw(conventional(max_periods=10))
    else:
        flows = draw(st.lists(amounts, min_size=1, max_size=10))
    gaps = draw(st.lists(st.integers(0, 800), min_size=len(flows) - 1, max_size=len(flows) - 1))
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 1, 1)))
    dates = [start]
    for gap in gaps:
        dates.append(dates[-1] + dt.timedelta(days=gap))
    return flows, dates


BAD_VALUES = [
    ("n/a", "the text 'n/a'"),
    (True, "the logical value TRUE"),
    (False, "the logical value FALSE"),
    (float("nan"), "not a number (NaN)"),
    (float("inf"), "infinite"),
    (float("-inf"), "infinite"),
    ("#N/A", "the error value #N/A"),
    ("#DIV/0!", "the error value #DIV/0!"),
]


# --------------------------------------------------------------- catalogue examples


def test_npv_catalogue_example():
    value = npv_crm(0.10, FLOWS)
    assert isinstance(value, float)
    assert value == pytest.approx(16986.54463, rel=1e-9)
    assert value == pytest.approx(float(exact_npv(Fraction(1, 10), FLOWS)), rel=1e-14)


def test_npv_with_costs_is_npv_of_benefits_minus_costs():
    assert npv_crm(0.10, BENEFITS, COSTS) == pytest.approx(16986.54463, rel=1e-9)


def test_npv_is_not_excels_npv():
    # Excel's NPV discounts the first value too: NPV_CRM = c0 + NPV(r, c1..c4).
    excel = sum(c / 1.1 ** (t + 1) for t, c in enumerate(FLOWS[1:]))
    assert npv_crm(0.10, FLOWS) == pytest.approx(FLOWS[0] + excel, rel=1e-13)
    # pyxirr.npv uses the period-0 convention by default; start_from_zero=False is Excel's.
    assert npv_crm(0.10, FLOWS) == pytest.approx(pyxirr.npv(0.10, FLOWS), rel=1e-12)
    excel_npv = pyxirr.npv(0.10, FLOWS, start_from_zero=False)
    assert npv_crm(0.10, FLOWS) == pytest.approx(excel_npv * 1.1, rel=1e-12)


def test_irr_catalogue_example():
    value = irr_crm(FLOWS)
    assert isinstance(value, float)
    assert value == pytest.approx(0.1709368634, abs=5e-11)
    assert npv_crm(value, FLOWS) == pytest.approx(0.0, abs=1e-8)


def test_irr_two_roots_is_an_error_naming_both_and_mirr():
    with pytest.raises(CrmValueError) as info:
        irr_crm([-100, 230, -132])
    message = str(info.value)
    assert message.startswith("IRR_CRM: ")
    assert "10%" in message and "20%" in message and "MIRR_CRM" in message


def test_irr_two_roots_with_guess_gives_the_nearest():
    assert irr_crm([-100, 230, -132], guess=0.25) == pytest.approx(0.20, abs=1e-10)
    assert irr_crm([-100, 230, -132], guess=0.0) == pytest.approx(0.10, abs=1e-10)
    assert irr_crm([-100, 230, -132], None, 0.12) == pytest.approx(0.10, abs=1e-10)


def test_mirr_catalogue_example():
    value = mirr_crm(FLOWS, 0.10, 0.12)
    assert isinstance(value, float)
    assert value == pytest.approx(0.1515604194, abs=5e-11)
    assert mirr_crm(BENEFITS, 0.10, 0.12, COSTS) == pytest.approx(0.1515604194, abs=5e-11)


def test_mirr_by_hand():
    # FV of gains at 12% to period 4 over PV of losses at 10%, to the power 1/4.
    fv = 30000 * 1.12**3 + 35000 * 1.12**2 + 40000 * 1.12 + 45000
    assert mirr_crm(FLOWS, 0.10, 0.12) == pytest.approx((fv / 100000) ** 0.25 - 1, rel=1e-13)
    # A loss later on is discounted at the finance rate.
    fv = 50 * 1.2
    pv = 100 + 10 / 1.05**2
    assert mirr_crm([-100, 50, -10], 0.05, 0.2) == pytest.approx((fv / pv) ** 0.5 - 1, rel=1e-13)


# ------------------------------------------------------------------ NPV details


def test_npv_blank_counts_as_zero():
    assert npv_crm(0.10, [-100, None, 121]) == pytest.approx(0.0, abs=1e-12)
    assert npv_crm(0.10, [-100, "", 121]) == pytest.approx(0.0, abs=1e-12)
    # Excel's NPV would skip the blank and discount 121 by one year only.
    assert npv_crm(0.10, [-100, None, 121]) != pytest.approx(-100 + 121 / 1.1)


def test_npv_batch_and_rates_per_row():
    flows = np.array([FLOWS, [-100, 0, 121, 0, 0]], dtype=float)
    np.testing.assert_allclose(npv_crm(0.10, flows), [16986.54463, 0.0], rtol=1e-9, atol=1e-9)
    values = npv_crm([0.10, 0.0], flows)
    np.testing.assert_allclose(values, [16986.54463, 21.0], rtol=1e-9)
    # pandas: a Series is one series, a DataFrame one series per row
    assert npv_crm(0.10, pd.Series(FLOWS)) == pytest.approx(16986.54463, rel=1e-9)
    np.testing.assert_allclose(npv_crm(0.10, pd.DataFrame(flows)), npv_crm(0.10, flows))
    # one series at several rates: an NPV profile
    profile = npv_crm(np.array([0.0, 0.10]), FLOWS)
    np.testing.assert_allclose(profile, [50000, 16986.54463], rtol=1e-9)


def test_npv_integer_and_float32_arrays():
    assert npv_crm(0.10, np.array(FLOWS)) == pytest.approx(16986.54463, rel=1e-9)
    assert npv_crm(0.10, np.array(FLOWS, dtype=np.float32)) == pytest.approx(16986.54463)


def test_npv_does_not_modify_its_input():
    flows = np.array([FLOWS, FLOWS], dtype=float)
    copy = flows.copy()
    npv_crm(0.1, flows, [1, 1, 1, 1, 1])
    irr_crm(flows)
    mirr_crm(flows, 0.1, 0.1)
    np.testing.assert_array_equal(flows, copy)


@SLOW
@given(conventional(), st.floats(-0.9, 5.0), st.floats(-0.9, 5.0))
def test_npv_falls_as_the_rate_rises_for_conventional_flows(flows, r1, r2):
    low, high = sorted((r1, r2))
    assume(high - low > 1e-6)
    scale = sum(abs(c) for c in flows)
    assert npv_crm(high, flows) <= npv_crm(low, flows) + 1e-12 * scale * (1 + low) ** -len(flows)


@SLOW
@given(st.lists(amounts, min_size=1, max_size=12), st.floats(-0.95, 3.0))
def test_npv_matches_exact_arithmetic(flows, rate):
    rate_q = Fraction(rate)
    exact = exact_npv(rate_q, [Fraction(c) for c in flows])
    scale = sum(abs(c) / (1 + rate) ** t for t, c in enumerate(flows))
    assert abs(npv_crm(rate, flows) - float(exact)) <= 1e-13 * max(scale, 1e-300) + 1e-300


# ------------------------------------------------------------------ IRR details


def test_irr_never_changing_sign_is_an_error():
    for flows in ([100, 200, 300], [-1, -2], [0, 0, 0], [5]):
        with pytest.raises(CrmValueError, match=r"^IRR_CRM: .*never change sign"):
            irr_crm(flows)


def test_irr_without_root_is_an_error():
    # 1 - x + x^2 > 0 for every x: two sign changes, no IRR.
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: no rate .* NPV zero.*MIRR_CRM"):
        irr_crm([1, -1, 1])


def test_irr_touching_root():
    # -(1 - x)^2: the NPV touches 0 at a rate of 0 without crossing it.
    assert irr_crm([-1, 2, -1]) == pytest.approx(0.0, abs=1e-10)


def test_irr_three_roots_listed_in_order():
    # roots 10%, 20% and 25% (x = 1/1.1, 1/1.2, 1/1.25)
    poly = np.poly([1 / 1.1, 1 / 1.2, 1 / 1.25])[::-1] * 1000  # coefficients c_0..c_3
    with pytest.raises(CrmValueError) as info:
        irr_crm(poly)
    assert "3 IRRs, 10%, 20% and 25%" in str(info.value)
    assert irr_crm(poly, guess=0.21) == pytest.approx(0.20, abs=1e-10)
    assert irr_crm(poly, guess=1.0) == pytest.approx(0.25, abs=1e-10)
    assert irr_crm(poly, guess=-0.5) == pytest.approx(0.10, abs=1e-10)


def test_irr_several_sign_changes_but_one_root():
    # three sign changes, but 5x^3 - 10x^2 + 150x - 100 has one positive root
    flows = [-100, 150, -10, 5]
    value = irr_crm(flows)
    assert value == pytest.approx(1 / 0.68733819 - 1, rel=1e-7)
    assert npv_crm(value, flows) == pytest.approx(0.0, abs=1e-12)
    # ... while [-100, 50, 60, -5] has two: -92.1% and 3.366%
    with pytest.raises(CrmValueError, match=r"2 IRRs, -92.1% and 3.366%"):
        irr_crm([-100, 50, 60, -5])


def test_irr_with_costs_and_zeros():
    assert irr_crm(BENEFITS, COSTS) == pytest.approx(0.1709368634, abs=5e-11)
    # leading and trailing zeros do not change the rate
    assert irr_crm([0, 0, -100, 0, 121, 0]) == pytest.approx(0.1, abs=1e-12)
    assert irr_crm([-100, None, 121]) == pytest.approx(0.1, abs=1e-12)


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        ([-1, 1e-9], 1e-9 - 1),  # close to -100%
        ([-1e-9, 1], 1e9 - 1),  # a huge rate
        ([-1] + [0] * 8 + [1e300], 1e300 ** (1 / 9) - 1),  # beyond Newton's safe range
        ([-1e300, 1e300, 1e300], (5**0.5 - 1) / 2),  # x^2 + x - 1 = 0: x = 1/(1+r) = 0.618
        ([-1] + [0] * 398 + [2], 2 ** (1 / 399) - 1),  # a long series
    ],
)
def test_irr_extreme_but_well_defined(flows, expected):
    value = irr_crm(flows)
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-10)
    np.testing.assert_allclose(irr_crm(np.array([flows, flows])), [value, value], rtol=1e-12)


def test_irr_batch_nan_and_raise():
    flows = np.array(
        [FLOWS, [-100, 230, -132, 0, 0], [1, 2, 3, 4, 5], [-100, 0, 0, 0, 146.41]], dtype=float
    )
    values = irr_crm(flows)
    assert values.shape == (4,)
    assert values[0] == pytest.approx(0.1709368634, abs=5e-11)
    assert np.isnan(values[1]) and np.isnan(values[2])
    assert values[3] == pytest.approx(0.1, abs=1e-12)
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: row 2: the flows have 2 IRRs"):
        irr_crm(flows, errors="raise")
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: row 1: the flows never change sign"):
        irr_crm(flows[2:], errors="raise")
    guessed = irr_crm(flows, guess=[0.0, 0.25, 0.0, 0.0])
    assert guessed[1] == pytest.approx(0.2, abs=1e-10)
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: flows has 4 rows but guess has 3"):
        irr_crm(flows, guess=[0.1, 0.2, 0.3])


def test_irr_batch_of_twenty_thousand_matches_pyxirr():
    rng = np.random.default_rng(20240601)
    flows = rng.uniform(5_000, 40_000, size=(20_000, 10))
    flows[:, 0] = -rng.uniform(50_000, 150_000, size=20_000)
    flows[:50, 3] = -rng.uniform(0, 200_000, size=50)  # a few with several sign changes
    ours = irr_crm(flows)
    peer = np.array([pyxirr.irr(row) for row in flows[50:].tolist()])
    assert np.max(np.abs(ours[50:] - peer)) <= 1e-9
    defined = np.isfinite(ours)
    assert defined[50:].all()
    # where defined, the NPV at the IRR is zero; where not, the scalar call says why
    residual = npv_crm(ours[defined], flows[defined])
    assert np.max(np.abs(residual)) <= 1e-6
    for row in np.flatnonzero(~defined):
        with pytest.raises(CrmValueError, match=r"IRRs|no rate"):
            irr_crm(flows[row])


@SLOW
@given(conventional())
def test_irr_matches_pyxirr_on_conventional_flows(flows):
    peer = pyxirr.irr(flows, silent=True)
    assume(peer is not None and math.isfinite(peer))
    assert abs(irr_crm(flows) - peer) <= 1e-9


@SLOW
@given(conventional())
def test_npv_at_irr_is_zero(flows):
    rate = irr_crm(flows)
    scale = sum(abs(c) / (1 + rate) ** t for t, c in enumerate(flows))
    assert abs(npv_crm(rate, flows)) <= 1e-10 * scale


@SLOW
@given(st.lists(st.integers(-50, 50), min_size=2, max_size=8))
def test_irr_with_several_sign_changes_finds_every_root(coefs):
    # Integer flows: compare the roots with those of the polynomial in x = 1/(1+r).
    flows = [float(c) for c in coefs]
    roots = np.roots(flows[::-1]) if any(flows[1:]) else np.array([])
    real = sorted(
        1 / z.real - 1
        for z in roots
        if abs(z.imag) < 1e-9 and z.real > 1e-9 and np.isfinite(1 / z.real)
    )
    distinct = [r for i, r in enumerate(real) if i == 0 or r - real[i - 1] > 1e-6]
    assume(all(abs(r) < 1e6 for r in distinct))
    try:
        value = irr_crm(flows)
    except CrmValueError as error:
        message = str(error)
        if "IRRs" in message:
            assert len(distinct) >= 2
        else:
            # touching (double) roots are found as IRRs; np.roots may see them as a pair
            assert len(distinct) in (0, 2) or "never change sign" in message
        return
    assert any(abs(value - r) <= 1e-6 * max(1, abs(r)) for r in distinct) or not distinct
    scale = sum(abs(c) / (1 + value) ** t for t, c in enumerate(flows))
    assert abs(npv_crm(value, flows)) <= 1e-9 * scale


@SLOW
@given(
    st.lists(
        st.one_of(st.integers(-60, 60).map(float), amounts, st.just(0.0)), min_size=3, max_size=12
    )
)
def test_eigenvalue_path_agrees_with_the_exact_method(flows):
    # The batched eigenvalue path either declines (None) or finds the same roots as the
    # exact per-series method; the exact method is the reference when the roots are
    # clearly apart.
    row = np.array(flows)
    found = eig_irrs(row[np.newaxis, :])[0]
    exact = exact_irrs(row)
    apart = all(b - a > 1e-6 * max(1.0, abs(b)) for a, b in itertools.pairwise(exact))
    if found is None or not apart:
        return
    assert len(found) == len(exact)
    for a, b in zip(found, exact, strict=True):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-10)


def test_double_roots_go_to_the_exact_method():
    # (1 - x)^2 and (1 - x)^3: eigenvalues of a multiple root are inaccurate, so the
    # batched path declines and the exact method finds the rate 0.
    for flows in ([-1.0, 2.0, -1.0], [1.0, -3.0, 3.0, -1.0]):
        assert eig_irrs(np.array([flows]))[0] is None
        assert irr_crm(flows) == pytest.approx(0.0, abs=1e-10)
    batch = irr_crm([[-1.0, 2.0, -1.0, 0.0], [1.0, -3.0, 3.0, -1.0]])
    np.testing.assert_allclose(batch, [0.0, 0.0], atol=1e-10)


def test_random_flows_batch_matches_the_exact_method():
    rng = np.random.default_rng(11)
    flows = rng.normal(size=(400, 8)) * rng.lognormal(0, 2, size=(400, 1))
    flows[::5, -1] = 0.0  # lower degree
    flows[::7, 0] = 0.0  # a root at x = 0 (an infinite rate), to be ignored
    values = irr_crm(flows, guess=0.1)
    for row in range(flows.shape[0]):
        exact = exact_irrs(flows[row])
        if not exact:
            assert np.isnan(values[row])
        else:
            nearest = min(exact, key=lambda r: (abs(r - 0.1), r))
            assert values[row] == pytest.approx(nearest, rel=1e-9, abs=1e-10)


# --------------------------------------------------------------- batch vs scalar


@SLOW
@given(flow_tables)
def test_irr_batch_equals_scalar_row_by_row(table):
    batch = irr_crm(np.array(table))
    np.testing.assert_allclose(batch, scalar_rows(irr_crm, table), rtol=1e-12, atol=1e-14)
    guessed = irr_crm(np.array(table), guess=0.05)
    expected = scalar_rows(irr_crm, table, guess=0.05)
    np.testing.assert_allclose(guessed, expected, rtol=1e-12, atol=1e-14)


def test_irr_batch_keeps_a_root_found_beside_a_series_newton_cannot_solve():
    # Found by Hypothesis: in one batch, the first series (subnormal flows) converged while
    # Newton walked away on the second; the first root was lost and the exact method,
    # weak on subnormal numbers, answered -99.33% instead of -99.26%.
    table = np.array([[2.2250738585e-313, 0, 0, 0, 0, -5e-324], [1, 2, 3, 4, 5, -6]])
    expected = [irr_crm(row) for row in table]
    np.testing.assert_allclose(irr_crm(table), expected, rtol=1e-12)
    # (1 + r)^5 = 5e-324 / 2.2250738585e-313, by hand
    assert irr_crm(table[0]) == pytest.approx((5e-324 / 2.2250738585e-313) ** 0.2 - 1, rel=1e-3)


@SLOW
@given(flow_tables, st.floats(-0.5, 1.0), st.floats(-0.5, 1.0))
def test_mirr_and_npv_batch_equal_scalar_row_by_row(table, finance, reinvest):
    batch = mirr_crm(np.array(table), finance, reinvest)
    expected = scalar_rows(lambda row: mirr_crm(row, finance, reinvest), table)
    np.testing.assert_allclose(batch, expected, rtol=1e-12, atol=1e-15)
    batch = npv_crm(finance, np.array(table))
    expected = scalar_rows(lambda row: npv_crm(finance, row), table)
    np.testing.assert_allclose(batch, expected, rtol=1e-12, atol=1e-9)


# ------------------------------------------------------------------ MIRR details


@SLOW
@given(st.lists(amounts, min_size=2, max_size=15), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_mirr_matches_pyxirr(flows, finance, reinvest):
    assume(any(c > 0 for c in flows) and any(c < 0 for c in flows))
    peer = pyxirr.mirr(flows, finance, reinvest)
    assume(math.isfinite(peer) and abs(peer) < 1e100)  # else MIRR_CRM says "too large"
    assert mirr_crm(flows, finance, reinvest) == pytest.approx(peer, rel=1e-9, abs=1e-9)


def test_mirr_needs_both_signs():
    with pytest.raises(CrmValueError, match=r"^MIRR_CRM: the flows have no negative value"):
        mirr_crm([1, 2, 3], 0.1, 0.1)
    with pytest.raises(CrmValueError, match=r"^MIRR_CRM: the flows have no positive value"):
        mirr_crm([-1, 0, -3], 0.1, 0.1)
    values = mirr_crm([[1, 2, 3], [-100, 0, 121]], 0.1, 0.1)
    assert np.isnan(values[0]) and values[1] == pytest.approx(0.1, abs=1e-14)
    with pytest.raises(CrmValueError, match=r"^MIRR_CRM: row 1: the flows have no negative"):
        mirr_crm([[1, 2, 3], [-100, 0, 121]], 0.1, 0.1, errors="raise")


def test_mirr_rates_per_row():
    values = mirr_crm([[-100, 0, 121], [-100, 50, 60]], 0.10, [0.10, 0.0])
    np.testing.assert_allclose(values, [0.1, 1.1**0.5 - 1], rtol=1e-13)


# ------------------------------------------------------------------ XNPV / XIRR


def test_xnpv_excel_documentation_example():
    assert xnpv_crm(0.09, EXCEL_VALUES, EXCEL_SERIALS) == pytest.approx(2086.647602, abs=5e-7)
    assert xnpv_crm(0.09, EXCEL_VALUES, EXCEL_DATES) == pytest.approx(2086.647602, abs=5e-7)


def test_xnpv_by_hand():
    # 1 Jan 2024 -> 1 Jul 2024 is 182 days, -> 1 Jan 2025 is 366 days (a leap year).
    dates = [dt.date(2024, 1, 1), dt.date(2024, 7, 1), dt.date(2025, 1, 1)]
    by_hand = -1000 + 500 / 1.1 ** (182 / 365) + 700 / 1.1 ** (366 / 365)
    assert xnpv_crm(0.10, [-1000, 500, 700], dates) == pytest.approx(by_hand, rel=1e-13)
    # dates after the first may come in any order
    shuffled = [dates[0], dates[2], dates[1]]
    assert xnpv_crm(0.10, [-1000, 700, 500], shuffled) == pytest.approx(by_hand, rel=1e-13)


def test_xnpv_every_kind_of_date_gives_the_same_result():
    expected = xnpv_crm(0.09, EXCEL_VALUES, EXCEL_SERIALS)
    kinds = [
        EXCEL_DATES,
        [dt.datetime(d.year, d.month, d.day, 17, 30) for d in EXCEL_DATES],  # time dropped
        [s + 0.75 for s in EXCEL_SERIALS],  # a fraction of a serial number is dropped
        np.array(EXCEL_DATES, dtype="datetime64[D]"),
        np.array(EXCEL_DATES, dtype="datetime64[ns]"),
        pd.to_datetime(pd.Series(EXCEL_DATES)),
        [pd.Timestamp(d) for d in EXCEL_DATES],
        [np.datetime64(d) for d in EXCEL_DATES],
        [[s] for s in EXCEL_SERIALS],  # a column range
    ]
    for dates in kinds:
        assert xnpv_crm(0.09, EXCEL_VALUES, dates) == pytest.approx(expected, rel=1e-15)


def test_xirr_excel_documentation_example():
    value = xirr_crm(EXCEL_VALUES, EXCEL_SERIALS)
    assert value == pytest.approx(0.373362535, abs=5e-9)
    assert xnpv_crm(value, EXCEL_VALUES, EXCEL_SERIALS) == pytest.approx(0.0, abs=1e-8)
    assert value == pytest.approx(pyxirr.xirr(EXCEL_DATES, EXCEL_VALUES), abs=1e-9)


def test_xirr_several_roots_and_no_sign_change():
    dates = [45000, 45365, 45730]
    with pytest.raises(CrmValueError) as info:
        xirr_crm([-100, 230, -132], dates)
    assert str(info.value).startswith("XIRR_CRM: ")
    assert "10%" in str(info.value) and "20%" in str(info.value)
    assert xirr_crm([-100, 230, -132], dates, 0.3) == pytest.approx(0.2, abs=1e-10)
    with pytest.raises(CrmValueError, match=r"^XIRR_CRM: the flows never change sign"):
        xirr_crm([100, 110], [45000, 45365])
    # flows on the same date are added first
    assert xirr_crm([-50, -50, 110], [45000, 45000, 45365]) == pytest.approx(0.1, abs=1e-12)


def test_xnpv_date_before_the_first_is_an_error():
    with pytest.raises(
        CrmValueError, match=r"^XNPV_CRM: dates item 3 \(2007-12-31\) is before the first date"
    ):
        xnpv_crm(0.1, [-1, 1, 1], [39448, 39508, 39447])
    with pytest.raises(CrmValueError, match=r"^XIRR_CRM: dates item 2 .* before the first"):
        xirr_crm([-1, 1], [39448, 39447])


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("2024-01-01", "the text '2024-01-01'"),
        (True, "the logical value TRUE"),
        (None, "blank"),
        (float("nan"), "not a number (NaN)"),
        (float("inf"), "infinite"),
        ("#N/A", "the error value #N/A"),
        (pd.NaT, "not a date (NaT)"),
        (-3, "-3, before Excel's first date"),
    ],
)
def test_bad_dates(bad, words):
    for func, name, args in (
        (xnpv_crm, "XNPV_CRM", (0.1,)),
        (xirr_crm, "XIRR_CRM", ()),
    ):
        with pytest.raises(CrmValueError) as info:
            func(*args, [-100, 110], [45000, bad])
        assert str(info.value).startswith(f"{name}: dates item 2 is {words}")


def test_xnpv_rate_and_length_rules():
    with pytest.raises(CrmValueError, match=r"^XNPV_CRM: rate is -1, at or below -1"):
        xnpv_crm(-1, [-1, 1], [45000, 45001])
    with pytest.raises(CrmValueError, match=r"^XNPV_CRM: flows has 2 values but dates has 1"):
        xnpv_crm(0.1, [-1, 1], [45000])
    with pytest.raises(CrmValueError, match=r"^XIRR_CRM: dates is empty"):
        xirr_crm([-1], [])
    with pytest.raises(CrmValueError, match=r"^XIRR_CRM: guess is -2, at or below -1"):
        xirr_crm([-1, 1], [45000, 45001], -2)


@SLOW
@given(dated(), st.floats(-0.9, 2.0))
def test_xnpv_matches_pyxirr(case, rate):
    flows, dates = case
    peer = pyxirr.xnpv(rate, dates, flows)
    scale = sum(abs(c) for c in flows) * max(1.0, (1 + rate) ** -10)
    assert abs(xnpv_crm(rate, flows, dates) - peer) <= 1e-12 * scale + 1e-300


@SLOW
@given(dated(conventional_only=True))
def test_xirr_matches_pyxirr(case):
    flows, dates = case
    assume(dates[-1] > dates[0])
    peer = pyxirr.xirr(dates, flows, silent=True)
    assume(peer is not None and math.isfinite(peer) and -0.99 < peer < 1e3)
    ours = xirr_crm(flows, dates)
    assert abs(ours - peer) <= 1e-9 * max(1.0, abs(peer))


# ------------------------------------------------------------------- bad input


CASES = [
    ("NPV_CRM", lambda flows: npv_crm(0.1, flows)),
    ("IRR_CRM", lambda flows: irr_crm(flows)),
    ("MIRR_CRM", lambda flows: mirr_crm(flows, 0.1, 0.1)),
    ("XNPV_CRM", lambda flows: xnpv_crm(0.1, flows, list(range(45000, 45000 + len(flows))))),
    ("XIRR_CRM", lambda flows: xirr_crm(flows, list(range(45000, 45000 + len(flows))))),
]


@pytest.mark.parametrize(("name", "call"), CASES)
@pytest.mark.parametrize(("bad", "words"), BAD_VALUES)
def test_bad_value_in_flows(name, call, bad, words):
    with pytest.raises(CrmValueError) as info:
        call([-100, 50, bad, 70])
    assert str(info.value).startswith(f"{name}: flows item 3 is {words}")


@pytest.mark.parametrize(("name", "call"), CASES)
def test_bad_value_in_a_numpy_array_names_the_item(name, call):
    for bad in (np.nan, np.inf):
        with pytest.raises(CrmValueError, match=rf"^{name}: flows item 2 is"):
            call(np.array([-100.0, bad, 70.0]))


def test_bad_value_in_a_table_names_row_and_column():
    flows = np.array([[-100.0, 50.0, 60.0], [-100.0, 50.0, np.nan]])
    for func, name in ((lambda f: npv_crm(0.1, f), "NPV_CRM"), (irr_crm, "IRR_CRM")):
        with pytest.raises(CrmValueError, match=rf"^{name}: flows row 2, column 3 is not a number"):
            func(flows)


@pytest.mark.parametrize(("name", "call"), CASES)
def test_empty_flows(name, call):
    with pytest.raises(CrmValueError, match=rf"^{name}: flows is empty"):
        call([])


@pytest.mark.parametrize("rate", [-1, -1.5, -100])
def test_rate_at_or_below_minus_100_percent(rate):
    calls = [
        ("NPV_CRM", "rate", lambda: npv_crm(rate, FLOWS)),
        ("MIRR_CRM", "finance_rate", lambda: mirr_crm(FLOWS, rate, 0.1)),
        ("MIRR_CRM", "reinvest_rate", lambda: mirr_crm(FLOWS, 0.1, rate)),
        ("IRR_CRM", "guess", lambda: irr_crm(FLOWS, guess=rate)),
        ("XNPV_CRM", "rate", lambda: xnpv_crm(rate, [-1, 2], [45000, 45001])),
    ]
    for name, argument, call in calls:
        with pytest.raises(CrmValueError) as info:
            call()
        message = str(info.value)
        assert message.startswith(f"{name}: {argument} is ")
        assert "at or below -1" in message and "above -100%" in message


@pytest.mark.parametrize(("bad", "words"), BAD_VALUES)
def test_bad_rate(bad, words):
    with pytest.raises(CrmValueError) as info:
        npv_crm(bad, FLOWS)
    assert str(info.value).startswith(f"NPV_CRM: rate is {words}")
    with pytest.raises(CrmValueError) as info:
        mirr_crm(FLOWS, 0.1, bad)
    assert str(info.value).startswith(f"MIRR_CRM: reinvest_rate is {words}")


def test_mismatched_lengths():
    with pytest.raises(CrmValueError, match=r"^NPV_CRM: flows has 5 values but costs has 4"):
        npv_crm(0.1, BENEFITS, COSTS[:4])
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: flows has 5 values but costs has 6"):
        irr_crm(BENEFITS, [*COSTS, 0])
    with pytest.raises(CrmValueError, match=r"^MIRR_CRM: flows has 5 values but costs has 3"):
        mirr_crm(BENEFITS, 0.1, 0.1, [1, 2, 3])
    with pytest.raises(CrmValueError, match=r"^NPV_CRM: flows has 2 rows but rate has 3 values"):
        npv_crm([0.1, 0.2, 0.3], np.ones((2, 4)))
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: flows has rows of different lengths"):
        irr_crm([[-1, 2], [-1, 2, 3]])


def test_bad_cost_and_errors_argument():
    with pytest.raises(CrmValueError, match=r"^NPV_CRM: costs item 2 is the text 'x'"):
        npv_crm(0.1, [1, 2], [0, "x"])
    with pytest.raises(CrmValueError, match=r"^IRR_CRM: errors is the text 'ignore'"):
        irr_crm(FLOWS, errors="ignore")


@SLOW
@given(
    st.lists(amounts, min_size=1, max_size=10),
    st.data(),
    st.sampled_from(BAD_VALUES),
    st.sampled_from(CASES),
)
def test_bad_values_always_raise(flows, data, bad, case):
    name, call = case
    position = data.draw(st.integers(0, len(flows)))
    flows = [*flows[:position], bad[0], *flows[position:]]
    with pytest.raises(CrmValueError) as info:
        call(flows)
    assert str(info.value).startswith(f"{name}: flows item {position + 1} is {bad[1]}")
