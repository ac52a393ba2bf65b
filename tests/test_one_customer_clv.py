"""PREDICTED_CLV for one customer: the plain-number path against the vectorised one.

A single customer in plain numbers (one Excel cell) is computed by
``crmvalue_core.purchase_history._one_customer`` without the array machinery; the
vectorised path, itself proved against ``lifetimes`` in ``test_purchase_history.py``, is
the reference: the same number to 1e-12 for any valid input, the same errors for bad ones.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import special

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import predicted_clv
from crmvalue_core.purchase_history._one_customer import _hyp2f1, one_customer_clv
from crmvalue_core.purchase_history.clv import MONTH_LENGTH

#: BG/NBD and Gamma-Gamma estimates on CDNOW (Fader, Hardie & Lee 2005).
BGNBD = (0.243, 4.414, 0.793, 2.426)
GG = (6.25, 3.74, 15.44)


def _vectorised(*args: float, **options: object) -> float:
    """The customer's CLV from the array path (the customer twice, as a customer base)."""
    params, history = args[:7], args[7:11]
    values = predicted_clv(*params, *([value, value] for value in history), **options)
    assert isinstance(values, np.ndarray) and values.shape == (2,)
    return float(values[0])


@st.composite
def customers(draw: st.DrawFn) -> tuple[tuple[float, ...], dict[str, object]]:
    """Fitted parameters and one customer's history where the closed form applies."""
    positive = st.floats(0.05, 20.0)
    r, alpha, b, p, gamma = (draw(positive) for _ in range(5))
    a = draw(st.floats(0.05, 5.0).filter(lambda value: abs(value - 1.0) >= 1e-3))
    q = draw(st.floats(1.05, 20.0))
    x = float(draw(st.integers(0, 60)))
    age = draw(st.floats(0.5, 400.0))
    recency = 0.0 if x == 0 else age * draw(st.floats(0.01, 1.0))
    spend = draw(st.floats(0.0, 1_000.0))
    assume(a + b + x - 1.0 >= 0.5)
    options = {
        "months": draw(st.integers(1, 60)),
        "discount_rate": draw(st.floats(0.0, 0.2)),
        "margin": draw(st.floats(0.0, 1.0)),
        "time_unit": draw(st.sampled_from(sorted(MONTH_LENGTH))),
    }
    return (r, alpha, a, b, p, q, gamma, x, recency, age, spend), options


@settings(max_examples=300, deadline=None)
@given(customers())
def test_one_customer_equals_the_vectorised_path(customer) -> None:
    args, options = customer
    unit = MONTH_LENGTH[str(options["time_unit"])]
    plain = [options[name] for name in ("months", "discount_rate", "margin")]
    fast = one_customer_clv(*args, *plain, unit)
    assert fast is not None  # the plain-number path answered, not the general one
    want = _vectorised(*args, **options)
    assert predicted_clv(*args, **options) == fast
    assert fast == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_every_cdnow_customer_alone_equals_the_customer_base(cdnow_spend: pd.DataFrame) -> None:
    history = [cdnow_spend[column].to_numpy(dtype=float) for column in ("x", "t_x", "T", "zbar")]
    base = predicted_clv(*BGNBD, *GG, *history, months=12, discount_rate=0.01, margin=0.3)
    alone = [
        predicted_clv(*BGNBD, *GG, *customer, months=12, discount_rate=0.01, margin=0.3)
        for customer in zip(*(column.tolist() for column in history), strict=True)
    ]
    assert all(type(value) is float for value in alone)
    np.testing.assert_allclose(alone, base, rtol=1e-12, atol=0.0)


def test_the_published_customer_by_hand_formula() -> None:
    # The CDNOW customer of the docstring: x=2, t_x=30.43, T=38.86, zbar=22.35 (weeks).
    value = predicted_clv(*BGNBD, *GG, 2, 30.43, 38.86, 22.35, margin=0.3)
    assert value == pytest.approx(_vectorised(*BGNBD, *GG, 2, 30.43, 38.86, 22.35, margin=0.3))
    assert round(value, 4) == 10.8868


def test_a_one_cell_range_gives_a_one_value_array() -> None:
    scalar = predicted_clv(*BGNBD, *GG, 2.0, 30.43, 38.86, 22.35)
    for cell in ([2.0], (2.0,), np.array([2.0])):
        value = predicted_clv(*BGNBD, *GG, cell, 30.43, 38.86, [22.35])
        assert isinstance(value, np.ndarray) and value.shape == (1,)
        assert value[0] == scalar


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"frequency": -1.0}, "frequency is -1, below 0"),
        ({"frequency": 2.5}, "frequency is 2.5, not a whole number"),
        ({"frequency": "2"}, "frequency is the text '2'"),
        ({"frequency": True}, "frequency is the logical value TRUE"),
        ({"recency": 40.0}, "recency is 40, above age (38.86)"),
        ({"recency": 0.0}, "recency is 0 but frequency is 2"),
        ({"q": 1.0}, "q is 1; the expected spend needs q > 1"),
        ({"r": math.nan}, "r is not a number (NaN)"),
        ({"months": 0}, "months is 0"),
        ({"margin": 1.5}, "margin is 1.5"),
        ({"discount_rate": -1.0}, "discount_rate is -1"),
        ({"time_unit": "Y"}, "time_unit is 'Y'"),
    ],
)
def test_bad_values_get_the_general_paths_message(change, message) -> None:
    args = dict(
        zip(
            ("r", "alpha", "a", "b", "p", "q", "gamma"),
            (*BGNBD, *GG),
            strict=True,
        ),
        frequency=2.0,
        recency=30.43,
        age=38.86,
        monetary_value=22.35,
    )
    args.update(change)
    with pytest.raises(CrmValueError, match=r"^PREDICTED_CLV: " + re.escape(message)):
        predicted_clv(**args)


@pytest.mark.parametrize("a", [1.0, 1.0005])
def test_where_the_closed_form_is_singular_the_general_path_answers(a: float) -> None:
    args = (0.243, 4.414, a, 2.426, *GG, 2.0, 30.43, 38.86, 22.35)
    assert one_customer_clv(*args, 12, 0.01, 1.0, MONTH_LENGTH["W"]) is None
    value = predicted_clv(*args)
    assert math.isfinite(value) and value == pytest.approx(_vectorised(*args), rel=1e-12)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0.01, 200.0),
    st.floats(0.01, 200.0),
    st.floats(0.5, 200.0),
    st.floats(0.0, 0.999),
)
def test_the_scalar_2f1_is_the_array_2f1_to_the_last_bit(a, b, c, z) -> None:
    # the one-customer path calls scipy's scalar entry point, the vectorised path the
    # array function: the same code, so the same number, NaN or infinity included
    scalar = _hyp2f1(a, b, c, z)
    array = special.hyp2f1(a, b, c, np.array([z]))[0]
    assert scalar == array or (math.isnan(scalar) and math.isnan(array))
