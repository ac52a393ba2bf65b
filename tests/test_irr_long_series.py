"""IRR_CRM on long series: the same answers as the batched methods, by hand and by peers.

A long series (more periods than series) is solved on its own with one vectorised pass
over the periods per NPV evaluation: exactly one root for one sign change, every root by
the exact method up to a dozen sign changes, and a scan of the NPV's sign beyond, which
says when it cannot be sure it has found every root.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import pyxirr
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError, irr_crm, npv_crm
from crmvalue_core.discounting._irr_solver import scanned_irrs, sign_changes


def investment(periods: int) -> np.ndarray:
    """-1,000 then equal returns that sum to 1,500: one sign change, one IRR."""
    return np.r_[-1000.0, np.full(periods - 1, 1500.0 / (periods - 1))]


@pytest.mark.parametrize("periods", [2, 10, 129, 1_000, 10_000, 100_000])
def test_one_sign_change_at_any_length_matches_pyxirr(periods: int) -> None:
    flows = investment(periods)
    rate = irr_crm(flows)
    assert npv_crm(rate, flows) == pytest.approx(0.0, abs=1e-6)
    if periods <= 10_000:  # pyxirr's own solver gives up on the longest series
        assert rate == pytest.approx(pyxirr.irr(flows), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("periods", [300, 5_000])
def test_a_list_and_a_table_of_one_row_give_the_same_irr(periods: int) -> None:
    flows = investment(periods)
    assert irr_crm(flows.tolist()) == irr_crm(flows)
    assert irr_crm([flows.tolist()])[0] == irr_crm(flows)


def two_known_irrs(periods: int) -> np.ndarray:
    """Flows whose NPV is (x - 1/1.05)(x - 1/1.2)(1 + x + ... + x^(n-3)), x = 1/(1+r):
    IRRs of exactly 5% and 20% (the last factor has no positive root), four sign changes."""
    a, b = 1 / 1.05, 1 / 1.2
    return np.convolve([a * b, -(a + b), 1.0], np.ones(periods - 2))


def test_several_irrs_of_a_long_series_are_all_found() -> None:
    flows = two_known_irrs(2_000)
    assert sign_changes(flows[:, np.newaxis])[0] == 4
    with pytest.raises(CrmValueError, match=r"2 IRRs, 5% and 20%; give a guess"):
        irr_crm(flows)
    assert irr_crm(flows, guess=0.04) == pytest.approx(0.05, rel=1e-10)
    assert irr_crm(flows, guess=0.3) == pytest.approx(0.20, rel=1e-10)


def test_long_and_short_paths_agree_on_several_sign_changes() -> None:
    short = np.array([-100.0, 230.0, -132.0, 5.0, -1.0])
    padded = np.r_[short, np.zeros(400)]  # zero flows change no root
    for guess in (-0.5, 0.05, 0.15, 1.0):
        try:
            expected = irr_crm(short, guess=guess)
        except CrmValueError:
            with pytest.raises(CrmValueError):
                irr_crm(padded, guess=guess)
            continue
        assert irr_crm(padded, guess=guess) == pytest.approx(expected, rel=1e-10)


def test_the_scan_finds_every_root_when_there_are_as_many_as_sign_changes() -> None:
    rates = np.array([-0.5, 0.05, 0.5, 3.0])
    polynomial = np.poly(1 / (1 + rates))[::-1]  # c_t of x^t: 4 positive roots, 4 changes
    flows = np.r_[polynomial, np.zeros(500)]
    found, sure = scanned_irrs(flows, 4)
    assert sure
    np.testing.assert_allclose(found, rates, rtol=1e-10)
    # two roots for four changes: the scan finds both but cannot know there are no more
    found, sure = scanned_irrs(two_known_irrs(3_000), 4)
    np.testing.assert_allclose(found, [0.05, 0.2], rtol=1e-10)
    assert not sure


def test_the_scan_says_when_it_cannot_be_sure() -> None:
    flows = np.random.default_rng(3).normal(size=5_000)
    changes = int(sign_changes(flows[:, np.newaxis])[0])
    assert changes > 12
    with pytest.raises(CrmValueError, match=rf"change sign {changes} times.*cannot be sure"):
        irr_crm(flows)
    with pytest.raises(CrmValueError, match="cannot be sure"):
        irr_crm(flows, guess=0.1)  # a guess does not make an unsure answer sure


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.just(0.0), st.integers(-300, 300).map(float)), min_size=2, max_size=12),
    st.one_of(st.none(), st.floats(-0.9, 2.0)),
)
def test_the_long_series_path_answers_as_the_exhaustive_one(flows, guess) -> None:
    # The same series padded with zero flows (no root changes) takes the long-series path
    # (exact bracketing); unpadded it takes the batched path (companion matrices, checked).
    short = np.array(flows)
    assume(sign_changes(short[:, np.newaxis])[0] <= 5)
    padded = np.r_[short, np.zeros(200)]

    def answer(series: np.ndarray) -> float | str:
        try:
            return irr_crm(series, guess=guess)
        except CrmValueError as error:
            # the kind of answer; the rates it lists may differ in their last digit
            return re.sub(r"-?[0-9.e+-]+%", "R%", str(error).split(";")[0])

    expected, got = answer(short), answer(padded)
    if isinstance(expected, str):
        assert got == expected
    else:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
