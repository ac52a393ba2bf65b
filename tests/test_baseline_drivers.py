"""The vectorised formulas of the measured baseline (crmvalue_core.baseline._drivers)
against their plain per-customer form, and the reading of customer ids.

The drivers sum over groups of identical histories and over (x, T) pairs, several draws
at a time; here each is recomputed customer by customer and draw by draw from the model's
own functions (P(alive) and the expected purchases, eq. 11 and 10 of Fader, Hardie & Lee
2005, Marketing Science 24(2); the Gamma-Gamma spend, eq. 5 of Fader, Hardie & Lee 2005,
JMR 42(4)) and scipy's 2F1(r+x, a; a+b+x; -52/(alpha+T)) for the year's survival, on
random histories and parameters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from crmvalue_core import CrmValueError
from crmvalue_core.baseline import _drivers as drv
from crmvalue_core.baseline import measure_baseline
from crmvalue_core.cells import is_blank, is_error_value
from crmvalue_core.purchase_history._bgnbd_model import expected_purchases, p_alive
from crmvalue_core.purchase_history._gamma_gamma_model import expected_spend
from crmvalue_core.transactions import flag_texts


def _customers(seed: int, n: int) -> tuple[np.ndarray, ...]:
    """Histories on a coarse grid (so that groups and pairs repeat) and mean spends."""
    rng = np.random.default_rng(seed)
    big_t = rng.integers(4, 9, n) * 4.0
    x = rng.integers(0, 4, n).astype(float)
    t_x = np.where(x > 0, np.minimum(rng.integers(1, 9, n) * 2.0, big_t), 0.0)
    zbar = np.where(x > 0, rng.gamma(3.0, 10.0, n), 0.0)
    return x, t_x, big_t, zbar


def _per_customer(bg, gg, x, t_x, big_t, zbar, margin):
    """The three drivers of one draw, customer by customer."""
    r, alpha, a, b = bg
    living = p_alive(r, alpha, a, b, x, t_x, big_t)
    surviving = special.hyp2f1(r + x, a, a + b + x, -52.0 / (alpha + big_t))
    bought = expected_purchases(r, alpha, a, b, 52.0, x, t_x, big_t)
    spend = expected_spend(*gg, x, zbar)
    return (
        living.sum(),
        1.0 - (living * surviving).sum() / living.sum(),
        margin * (spend * bought).sum() / living.sum(),
    )


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 10_000),
    st.floats(0.1, 3.0),
    st.floats(1.0, 20.0),
    st.floats(0.2, 3.0),
    st.floats(0.5, 6.0),
    st.integers(1, 7),
)
def test_the_drivers_of_each_draw_are_the_per_customer_sums(seed, r, alpha, a, b, draws):
    x, t_x, big_t, zbar = _customers(seed, 80)
    rng = np.random.default_rng(seed)
    bg = np.array([r, alpha, a, b]) * rng.uniform(0.8, 1.25, (draws, 4))
    gg = np.array([6.0, 4.0, 15.0]) * rng.uniform(0.8, 1.25, (draws, 3))
    h = drv.group_histories(x, t_x, big_t, zbar)
    old, drv.CHUNK_CELLS = drv.CHUNK_CELLS, 2 * h.x.size  # chunks of two draws
    try:
        found = drv.draw_drivers(bg, gg, h, 0.3)
    finally:
        drv.CHUNK_CELLS = old
    for d in range(draws):
        want = _per_customer(bg[d], gg[d], x, t_x, big_t, zbar, 0.3)
        got = (found["active"][d], found["churn"][d], found["margin"][d])
        np.testing.assert_allclose(got, want, rtol=1e-8)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.05, 10.0), st.floats(0.05, 50.0), st.floats(0.05, 10.0), st.floats(0.05, 10.0))
def test_p_alive_of_the_groups_is_the_models(r, alpha, a, b):
    x, t_x, big_t, zbar = _customers(int(r * 1000), 50)
    h = drv.group_histories(x, t_x, big_t, zbar)
    found = drv.alive(np.array([[r, alpha, a, b]]), h)[0]
    np.testing.assert_allclose(found, p_alive(r, alpha, a, b, h.x, h.t_x, h.big_t), rtol=1e-12)


texts = st.lists(
    st.one_of(
        st.text(max_size=6),
        st.sampled_from(["#N/A", " #n/a ", "#DIV/0!", "\u3000", " ", "", "\x1c", "#x", "C#"]),
        st.integers(0, 99),
    ),
    min_size=1,
    max_size=30,
)


@given(texts)
def test_flag_texts_is_the_test_of_every_label(values):
    as_text = pd.Index([str(v) for v in values])  # pandas' own string type
    for labels in (pd.Index(values, dtype=object), as_text):
        for test in (is_blank, is_error_value):
            want = [test(v) for v in labels]
            assert flag_texts(labels, test).tolist() == want


def test_an_error_value_as_a_customer_is_one_message():
    ids = ["C1", "C2", " #n/a ", "C1"]
    dates = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-06-01"]
    with pytest.raises(CrmValueError) as caught:
        measure_baseline(ids, dates, observation_end="2024-12-31")
    assert str(caught.value) == (
        "BASELINE_TABLE: customer_ids item 3 is the error value #N/A; enter the customer of "
        "every row (fix the cell the error comes from)"
    )
