"""Ranges of cells as the Excel layer reads them, and its results as Excel takes them.

``crmvalue_core.cells.number_array`` turns a range of plain numbers into a float array
in one step and refuses anything else (so that the core reads the cells one by one and
names the bad one); ``addin.udfs.read_range`` and ``shape_result`` use it. The reference
here is the range cell by cell, as a spreadsheet user reads it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.udfs import read_range, shape_result
from crmvalue_core.cells import number_array

NUMBERS = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-(2**53), 2**53))
#: What a cell may hold that is not a plain number.
OTHERS = st.sampled_from([True, False, None, "", "5", "#N/A", dt.date(2026, 1, 31)])


@st.composite
def tables(draw: st.DrawFn, cells: st.SearchStrategy = NUMBERS) -> list[list]:
    rows, width = draw(st.integers(1, 30)), draw(st.integers(1, 4))
    return [[draw(cells) for _ in range(width)] for _ in range(rows)]


@settings(max_examples=200, deadline=None)
@given(tables())
def test_numbers_become_the_same_floats(rows: list[list]) -> None:
    array = number_array(rows)
    assert array is not None and array.dtype == float
    assert array.shape == (len(rows), len(rows[0]))
    assert array.tolist() == [[float(cell) for cell in row] for row in rows]
    flat = number_array([row[0] for row in rows])
    assert flat is not None and flat.tolist() == [float(row[0]) for row in rows]


@settings(max_examples=200, deadline=None)
@given(tables(), st.data())
def test_one_cell_that_is_not_a_plain_number_refuses_the_whole_range(rows, data) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    j = data.draw(st.integers(0, len(rows[0]) - 1))
    rows[i][j] = data.draw(OTHERS)
    assert number_array(rows) is None
    assert number_array([row[j] for row in rows]) is None


def test_ragged_empty_and_huge_ranges_are_refused() -> None:
    assert number_array([[1.0, 2.0], [3.0]]) is None
    assert number_array([]) is None
    assert number_array([[]]) is None
    assert number_array([10**400]) is None  # an int beyond the range of a float


@settings(max_examples=200, deadline=None)
@given(tables(st.one_of(NUMBERS, OTHERS)))
def test_read_range_reads_a_row_or_column_flat_and_a_table_as_rows(rows) -> None:
    column = [[row[0]] for row in rows]
    got = read_range(column)
    want = [row[0] for row in rows]
    if all(type(cell) in (int, float) for cell in want):
        assert np.asarray(got, dtype=float).tolist() == [float(cell) for cell in want]
    else:  # the core reads the cells one by one and names a bad one by its position
        assert list(got) == want
    assert list(np.ravel(read_range([want]))) == list(np.ravel(got))
    table = read_range(rows)
    if len(rows[0]) > 1 and len(rows) > 1:
        assert np.shape(table) == (len(rows), len(rows[0]))


def test_results_are_python_values_shaped_for_excel() -> None:
    labels = pd.Categorical(["Growth", "Standard", "Growth"])
    assert shape_result(labels, "column") == [["Growth"], ["Standard"], ["Growth"]]
    numbers = shape_result(np.array([1.5, 2.0]), "row")
    assert numbers == [[1.5, 2.0]] and all(type(v) is float for v in numbers[0])
    table = shape_result(np.array([[1, 2], [3, 4]]), "table")
    assert table == [[1, 2], [3, 4]] and all(type(v) is int for row in table for v in row)
    mixed = shape_result([["NPV", np.float64(3.5)], ["IRR", None]], "table")
    assert mixed == [["NPV", 3.5], ["IRR", None]] and type(mixed[0][1]) is float
    assert shape_result(np.array([2.5]), "value") == [[2.5]]
    assert shape_result(np.float64(2.5), "value") == 2.5
    assert shape_result(np.array([1.0, 2.0]), "value") == [[1.0], [2.0]]


@pytest.mark.parametrize("cell", [2.0, 7])
def test_a_one_cell_range_is_a_range_of_one(cell) -> None:
    assert list(read_range([[cell]])) == [cell]
    assert read_range([[None]], default="omitted", optional=True) == "omitted"
