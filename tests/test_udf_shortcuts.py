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


#: The functions of one value per row (the registry's ``per_row``).
PER_ROW = sorted(name for name, entry in REGISTRY.items() if entry.per_row)
#: Cells that stop a function: text, an error value, a blank, a logical value, a number
#: out of range (a negative or fractional frequency, a recency above any age; 500 is
#: fine as a frequency, an age or a spend).
BAD = st.sampled_from(["n/a", "#N/A", None, True, -1.0, 2.5, 500.0])
#: The options of PREDICTED_CLV, a blank or omitted one among them.
OPTIONS = {
    "months": st.sampled_from([12.0, 24.0, None]),
    "discount_rate": st.sampled_from([0.01, 0.0, None]),
    "margin": st.sampled_from([0.3, 1.0, None]),
    "time_unit": st.sampled_from(["W", " w ", "D", "", None, "Y"]),
}


@st.composite
def per_row_calls(draw: st.DrawFn, name: str) -> tuple[Any, ...]:
    """The arguments of the per-row function ``name`` for one customer, each history
    value in one of the forms a cell takes; now and then a bad one."""
    x = float(draw(st.integers(0, 40)))
    age = draw(st.floats(1.0, 80.0))
    history = {
        "frequency": x,
        "recency": 0.0 if x == 0 else age * draw(st.floats(0.05, 1.0)),
        "age": age,
        "monetary_value": draw(st.floats(0.0, 500.0)),
    }
    if draw(st.integers(0, 4)) == 0:  # a bad cell somewhere in the history
        history[draw(st.sampled_from(sorted(history)))] = draw(BAD)
    fixed = dict(zip(("r", "alpha", "a", "b", "p", "q", "gamma"), (*BGNBD, *GG), strict=True))
    args = []
    for arg in REGISTRY[name].args:
        if arg.name in history:
            value = history[arg.name]
            args.append([[value]] if draw(HISTORY_CELL) == "range" else value)
        elif arg.name in OPTIONS:
            args.append(draw(OPTIONS[arg.name]))
        elif arg.name == "t":
            args.append(draw(st.floats(0.0, 104.0)))
        else:
            args.append(fixed[arg.name])
    return tuple(args)


def one_customer_calls() -> st.SearchStrategy[tuple[Any, ...]]:
    """PREDICTED_CLV's 15 arguments for one customer (see :func:`per_row_calls`)."""
    return per_row_calls("PREDICTED_CLV")


def test_the_per_row_functions_are_those_of_one_customer_history() -> None:
    assert PER_ROW == ["BGNBD_PURCHASES", "BGNBD_P_ALIVE", "GG_SPEND", "PREDICTED_CLV"]


@pytest.mark.parametrize("name", PER_ROW)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_per_row_calls_in_any_order_give_what_the_general_readers_give(name, data) -> None:
    # the patterns of types of earlier calls are remembered: a later call of another
    # pattern (a bad cell, a blank) must not be read with an earlier one's plan; a range
    # of one number cell, read as its number, gives the value and the message the range
    # gives read as a range
    function = getattr(udfs, name)
    for args in data.draw(st.lists(per_row_calls(name), min_size=1, max_size=6)):
        assert _same(function(*args), _without_shortcuts(name, *args))


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
    try:  # the customer twice, as a customer base: the array path
        want = predicted_clv(*BGNBD, *GG, *([value, value] for value in plain), *options)[0]
    except CrmValueError:
        assert isinstance(got, str) and got.startswith("PREDICTED_CLV: ")
        return
    value = got[0][0] if any(isinstance(cell, list) for cell in history) else got
    assert type(value) is float
    assert value == pytest.approx(want, rel=1e-12, abs=1e-300)
