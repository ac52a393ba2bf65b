"""The shortcuts of the Excel wrapper, checked against its general readers.

The wrapper of every Excel function (``addin.udfs.excel_function``) remembers, for each
pattern of argument types, which arguments need reading (a number is read as itself),
and reads the commonest cells (a range of one number cell, a text that is not blank)
without going through :func:`~addin.udfs.read_range` or :func:`~addin.udfs.read_value`.
The reference here is the wrapper without shortcuts: every argument through the general
reader of its kind, the function, :func:`~addin.udfs.shape_result`. PREDICTED_CLV typed
once per customer, the case the shortcuts are for, is also checked against the
vectorised core (itself proved against ``lifetimes`` in ``test_purchase_history.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import udfs
from addin.excel.registry import RANGE, REGISTRY
from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import predicted_clv

#: BG/NBD and Gamma-Gamma estimates on CDNOW (Fader, Hardie & Lee 2005).
BGNBD = (0.243, 4.414, 0.793, 2.426)
GG = (6.25, 3.74, 15.44)

#: What a cell may hold, as xlwings hands it over (an error cell arrives as its text).
CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
    st.sampled_from(["", "   ", "#N/A", "W", " w ", "n/a", "5"]),
    st.just(Decimal("12.50")),
    st.just(dt.datetime(2026, 1, 31)),
)


@st.composite
def ranges(draw: st.DrawFn) -> Any:
    """A range as ``ndim=2`` hands it over (a list of rows), often of one cell."""
    rows, width = draw(st.sampled_from([(1, 1), (1, 1), (1, 3), (3, 1), (2, 2)]))
    return [[draw(CELLS) for _ in range(width)] for _ in range(rows)]


def _same(got: Any, want: Any) -> bool:
    """The same value, of the same type (arrays: the same floats, NaN included)."""
    if isinstance(want, np.ndarray):
        return isinstance(got, np.ndarray) and np.array_equal(got, want, equal_nan=True)
    if isinstance(want, float) and np.isnan(want):
        return isinstance(got, float) and np.isnan(got)
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_same(g, w) for g, w in zip(got, want, strict=True))
        )
    return type(got) is type(want) and got == want


@settings(max_examples=300, deadline=None)
@given(ranges(), st.sampled_from([None, "omitted"]), st.booleans())
def test_a_range_is_read_as_read_range_reads_it(value, default, optional) -> None:
    read = udfs._reader(RANGE, default, optional)
    assert _same(read(value), udfs.read_range(value, default, optional))


@settings(max_examples=300, deadline=None)
@given(st.one_of(CELLS, ranges()), st.sampled_from([None, 12.0, "W"]))
def test_a_value_is_read_as_read_value_reads_it(value, default) -> None:
    read = udfs._reader("number", default, False)
    assert _same(read(value), udfs.read_value(value, default))


def _without_shortcuts(name: str, *args: Any) -> Any:
    """What the Excel function ``name`` gives for ``args`` read by the general readers."""
    entry = REGISTRY[name]
    values = [
        udfs.read_range(value, arg.default, arg.optional)
        if arg.kind == RANGE
        else udfs.read_value(value, arg.default)
        for arg, value in zip(entry.args, args, strict=True)
    ]
    try:
        result = getattr(udfs, name).__wrapped__(*values)
    except CrmValueError as error:
        return str(error)
    return udfs.shape_result(result, entry.returns)


#: One customer's history as xlwings hands it: a cell of a range argument is a list of
#: one row; a number typed into the formula, or given from Python, is a float.
HISTORY_CELL = st.sampled_from(["range", "number"])


@st.composite
def one_customer_calls(draw: st.DrawFn) -> tuple[Any, ...]:
    """PREDICTED_CLV's 15 arguments for one customer, each in one of the forms a cell
    takes; now and then a bad one (text, a blank, an error value, a logical value)."""
    x = float(draw(st.integers(0, 40)))
    age = draw(st.floats(1.0, 80.0))
    recency = 0.0 if x == 0 else age * draw(st.floats(0.05, 1.0))
    spend = draw(st.floats(0.0, 500.0))
    history = []
    for value in (x, recency, age, spend):
        history.append([[value]] if draw(HISTORY_CELL) == "range" else value)
    if draw(st.integers(0, 4)) == 0:  # a bad cell somewhere in the history
        i = draw(st.integers(0, 3))
        bad = draw(st.sampled_from(["n/a", "#N/A", None, True]))
        history[i] = [[bad]] if draw(HISTORY_CELL) == "range" else bad
    options = [
        draw(st.sampled_from([12.0, 24.0, None])),
        draw(st.sampled_from([0.01, 0.0, None])),
        draw(st.sampled_from([0.3, 1.0, None])),
        draw(st.sampled_from(["W", " w ", "D", "", None, "Y"])),
    ]
    return (*BGNBD, *GG, *history, *options)


@settings(max_examples=300, deadline=None)
@given(st.lists(one_customer_calls(), min_size=1, max_size=6))
def test_one_customer_calls_in_any_order_give_what_the_general_readers_give(calls) -> None:
    # the patterns of types of earlier calls are remembered: a later call of another
    # pattern (a bad cell, a blank) must not be read with an earlier one's plan
    for args in calls:
        assert _same(udfs.PREDICTED_CLV(*args), _without_shortcuts("PREDICTED_CLV", *args))


@settings(max_examples=200, deadline=None)
@given(one_customer_calls())
def test_one_customer_through_the_wrapper_equals_the_vectorised_core(args) -> None:
    history = args[7:11]
    got = udfs.PREDICTED_CLV(*args)
    unit = args[14]
    if any(not isinstance(cell, (float, list)) for cell in history) or unit == "Y":
        assert isinstance(got, str) and got.startswith("PREDICTED_CLV: ")
        return
    plain = [cell[0][0] if isinstance(cell, list) else cell for cell in history]
    if any(not isinstance(value, float) for value in plain):
        assert isinstance(got, str) and got.startswith("PREDICTED_CLV: ")
        return
    defaults = (12.0, 0.01, 1.0, "W")
    options = [
        default if value in (None, "") else value
        for value, default in zip(args[11:], defaults, strict=True)
    ]
    # the customer twice, as a customer base: the array path
    want = predicted_clv(*BGNBD, *GG, *([value, value] for value in plain), *options)[0]
    value = got[0][0] if any(isinstance(cell, list) for cell in history) else got
    assert type(value) is float
    assert value == pytest.approx(want, rel=1e-12, abs=1e-300)
