"""Reading values, shared by every calculator: one way of turning arguments into numbers.

Every public function of :mod:`crmvalue_core` turns its arguments into numbers through the
helpers here, so that bad input always meets the same clear message instead of a
traceback or, worse, a silently wrong number. Messages start with the Excel name of the
function (``NPV_CRM: ...``), say what is wrong and where (``flows item 3``), and how to
fix it (see docs/architecture.md, the bad-input rules).

Conventions:

* a *blank* is what :func:`crmvalue_core.cells.is_blank` says (``None``, what xlwings hands
  over for an empty cell, or text of spaces only); inside a cash-flow range it counts as
  0, inside a scores range it is skipped;
* text, booleans, Excel error values (``"#N/A"``), NaN and infinity are never numbers;
* positions are 1-based, as a spreadsheet user counts them.

Big numeric arrays (millions of customers) take one fast path, :func:`fast_array`: two
reductions instead of a check per value, and no copy. Checks of how several arguments
fit together (same length, broadcasting) are in :mod:`crmvalue_core._shapes`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .cells import RATE_HINT, describe, format_number, is_blank, number_array
from .errors import CrmValueError

__all__ = [
    "SHARE_HINT",
    "as_count",
    "as_number",
    "as_numbers",
    "as_numbers_fast",
    "as_rate",
    "as_share",
    "as_values",
    "as_vector",
    "check_range",
    "fail",
    "fast_array",
    "first_true",
    "is_omitted",
    "number_or_none",
    "numeric_array",
    "position",
    "scalar_or_array",
    "to_array",
]

#: What to enter where a share belongs (the hint of :func:`as_share`).
SHARE_HINT = "a share between 0 and 1 as a decimal (85% = 0.85)"


def fail(func: str, message: str) -> CrmValueError:
    """Build the error for ``func`` (an Excel name such as ``"NPV_CRM"``).

    >>> fail("NPV_CRM", "flows is empty; give at least one value")
    CrmValueError('NPV_CRM: flows is empty; give at least one value')
    """
    return CrmValueError(f"{func}: {message}")


def position(index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """Name a position 1-based: ``item 3`` for a list, ``row 2, column 3`` for a table.

    >>> position((2,), (5,)), position((1, 2), (3, 4))
    ('item 3', 'row 2, column 3')
    """
    if len(shape) <= 1:
        return f"item {index[0] + 1 if index else 1}"
    if len(shape) == 2:
        return f"row {index[0] + 1}, column {index[1] + 1}"
    return "item " + ",".join(str(i + 1) for i in index)


def first_true(mask: Any) -> tuple[int, ...]:
    """The index of the first True of a mask with at least one, in C order.

    >>> first_true(np.array([[False, False], [False, True]]))
    (1, 1)
    """
    return tuple(int(i) for i in np.argwhere(mask)[0])


def number_or_none(value: Any) -> float | None:
    """The float a cell holds, or None when it is not a finite real number.

    >>> number_or_none(3), number_or_none(True), number_or_none("3"), number_or_none(np.nan)
    (3.0, None, None, None)
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def to_array(func: str, name: str, values: Any) -> np.ndarray:
    """A numpy view of a scalar, list, nested list, tuple, array, Series or DataFrame.

    Nothing is converted or checked but the shape: a ragged table or a range where one
    value belongs is an error.

    >>> to_array("NPS", "scores", [[1, None], [3, "x"]]).shape
    (2, 2)
    """
    if hasattr(values, "to_numpy"):  # pandas Series / DataFrame
        values = values.to_numpy()
    if isinstance(values, np.ndarray):
        return values
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        return np.array([values], dtype=object).reshape(())
    items = list(values)
    if items and all(isinstance(row, (list, tuple)) for row in items):
        widths = {len(row) for row in items}
        if len(widths) > 1:
            raise fail(func, f"{name} has rows of different lengths; give a rectangular range")
        array = np.empty((len(items), widths.pop()), dtype=object)
        for i, row in enumerate(items):
            array[i, :] = row
        return array
    array = np.empty(len(items), dtype=object)
    array[:] = items
    for i, item in enumerate(array):
        if isinstance(item, (list, tuple, np.ndarray)):
            raise fail(func, f"{name} item {i + 1} is a range, where one value belongs")
    return array


def _checked_numeric(func: str, name: str, array: np.ndarray) -> np.ndarray:
    """A float copy of a numeric array, or the error naming its first NaN/infinity."""
    result = array.astype(float, copy=False)
    finite = np.isfinite(result)
    if not finite.all():
        index = first_true(~finite)
        where = position(index, result.shape) if result.ndim else "value"
        raise fail(
            func,
            f"{name} {where} is {describe(result[index])}; enter a finite number",
        )
    return result


def as_values(
    func: str,
    name: str,
    values: Any,
    *,
    blank: str = "zero",
    allow_empty: bool = False,
    ndim: int | None = None,
) -> np.ndarray:
    """Read a range of numbers into a float array.

    ``blank`` says what a blank cell means: ``"zero"`` (cash flows), ``"skip"`` (scores:
    the result is 1-D, blanks dropped) or ``"error"`` (a value is required).
    ``ndim=1`` flattens a single row or column and refuses a true 2-D table.

    >>> as_values("NPV_CRM", "flows", [-100, None, 60])
    array([-100.,    0.,   60.])
    >>> as_values("NPS", "scores", [9, "", 7], blank="skip")
    array([9., 7.])
    """
    array = to_array(func, name, values)
    if array.dtype.kind == "b":
        index = (0,) * array.ndim
        raise fail(
            func,
            f"{name} {position(index, array.shape) if array.ndim else 'value'} is "
            f"{describe(array.flat[0])}; enter a number",
        )
    if array.dtype.kind in "iuf":
        result = _checked_numeric(func, name, array)
    else:
        result = np.empty(array.shape, dtype=float)
        keep = np.ones(array.shape, dtype=bool)
        for index, item in np.ndenumerate(array):
            number = number_or_none(item)
            if number is not None:
                result[index] = number
                continue
            where = position(index, array.shape) if array.ndim else "value"
            if is_blank(item) and blank == "zero":
                result[index] = 0.0
            elif is_blank(item) and blank == "skip":
                keep[index] = False
            elif is_blank(item):
                raise fail(func, f"{name} {where} is blank; enter a number")
            else:
                raise fail(
                    func,
                    f"{name} {where} is {describe(item)}; enter a number"
                    + (" or leave it blank" if blank != "error" else ""),
                )
        if blank == "skip":
            result = result[keep]
        elif array.size and all(is_blank(item) for item in array.flat):
            raise fail(func, f"{name} is all blank; enter at least one number")
    if ndim == 1:
        result = as_vector(func, name, result)
    if result.size == 0 and not allow_empty:
        raise fail(func, f"{name} is empty; give at least one value")
    return result


def as_vector(func: str, name: str, array: np.ndarray) -> np.ndarray:
    """Flatten a single row, a single column or a scalar; refuse a true table.

    >>> as_vector("XNPV_CRM", "flows", np.array([[1.0], [2.0]]))
    array([1., 2.])
    """
    if array.ndim == 2 and 1 not in array.shape:
        raise fail(
            func,
            f"{name} is a table of {array.shape[0]} rows and {array.shape[1]} columns; "
            "give a single row or column",
        )
    return array.reshape(-1)


def as_number(func: str, name: str, value: Any, **limits: Any) -> float:
    """Read one required number and check it against ``limits`` (see :func:`check_range`).

    >>> as_number("CLV", "periods", [[5]], minimum=1.0, whole=True)
    5.0
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    elif isinstance(value, (list, tuple)) and len(value) == 1:
        return as_number(func, name, value[0], **limits)
    number = number_or_none(value)
    if number is None:
        what = "blank" if is_blank(value) else describe(value)
        raise fail(func, f"{name} is {what}; enter {limits.get('hint') or 'a number'}")
    check_range(func, name, np.asarray(number), **limits)
    return number


def as_numbers(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | float:
    """Read a scalar or an array of required numbers (blanks are errors), range-checked.

    Returns a float for a scalar input and a float array otherwise, so that functions
    broadcast over arrays of customers and stay scalar for a single cell. ``limits`` are
    those of :func:`check_range`.

    >>> as_numbers("SBG_SURVIVAL", "t", 2), as_numbers("SBG_SURVIVAL", "t", [0, 1])
    (2.0, array([0., 1.]))
    """
    if _is_scalar(values):
        return as_number(func, name, values, **limits)
    array = as_values(func, name, values, blank="error")
    check_range(func, name, array, **limits)
    return array


def _is_scalar(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, (str, bytes, numbers.Number, np.generic))
        or (isinstance(value, np.ndarray) and value.ndim == 0)
    )


def check_range(
    func: str,
    name: str,
    array: np.ndarray,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
    whole: bool = False,
    hint: str = "",
) -> None:
    """Raise the error for the first value outside the allowed range.

    ``minimum``/``maximum`` are inclusive bounds, ``above``/``below`` exclusive ones,
    ``whole`` asks for whole numbers and ``hint`` words what to enter instead.

    >>> try:
    ...     check_range("CHURN_RATE", "lost", np.array([3.0, -1.0]), minimum=0.0)
    ... except CrmValueError as error:
    ...     print(error)
    CHURN_RATE: lost item 2 is -1, below 0; enter a number >= 0
    """
    tests: list[tuple[np.ndarray, str]] = []
    if minimum is not None:
        tests.append((array < minimum, f"below {format_number(minimum)}"))
    if maximum is not None:
        tests.append((array > maximum, f"above {format_number(maximum)}"))
    if above is not None:
        tests.append((array <= above, f"at or below {format_number(above)}"))
    if below is not None:
        tests.append((array >= below, f"at or above {format_number(below)}"))
    if whole:
        tests.append((array != np.round(array), "not a whole number"))
    for bad, reason in tests:
        if np.any(bad):
            if array.ndim == 0:
                where, value = name, array.item()
            else:
                index = first_true(bad)
                where, value = f"{name} {position(index, array.shape)}", array[index]
            expected = hint or _expected(minimum, maximum, above, below, whole)
            raise fail(func, f"{where} is {format_number(value)}, {reason}; enter {expected}")


def _expected(
    minimum: float | None,
    maximum: float | None,
    above: float | None,
    below: float | None,
    whole: bool,
) -> str:
    kind = "a whole number" if whole else "a number"
    parts = []
    if minimum is not None:
        parts.append(f">= {format_number(minimum)}")
    if above is not None:
        parts.append(f"> {format_number(above)}")
    if maximum is not None:
        parts.append(f"<= {format_number(maximum)}")
    if below is not None:
        parts.append(f"< {format_number(below)}")
    return kind + (" " + " and ".join(parts) if parts else "")


def as_rate(func: str, name: str, value: Any) -> np.ndarray | float:
    """A rate per period as a decimal (10% = 0.1), above -100%.

    >>> as_rate("CLV", "discount_rate", 0.1)
    0.1
    """
    return as_numbers(func, name, value, above=-1.0, hint=RATE_HINT)


def as_share(func: str, name: str, value: Any) -> np.ndarray | float:
    """A share in [0, 1] as a decimal (85% = 0.85).

    >>> as_share("PREDICTED_CLV", "margin", [0.3, 1])
    array([0.3, 1. ])
    """
    return as_numbers(func, name, value, minimum=0.0, maximum=1.0, hint=SHARE_HINT)


def as_count(func: str, name: str, value: Any, *, whole: bool = True) -> np.ndarray | float:
    """A count of customers, answers or the like: >= 0 (and whole unless told).

    >>> as_count("NPS_COUNTS", "promoters", 60)
    60.0
    """
    return as_numbers(
        func,
        name,
        value,
        minimum=0.0,
        whole=whole,
        hint="a whole number >= 0" if whole else "a number >= 0",
    )


def is_omitted(value: Any) -> bool:
    """True for an optional argument left out (``None`` or a blank cell).

    >>> is_omitted(None), is_omitted(""), is_omitted(0)
    (True, True, False)
    """
    return is_blank(value)


def scalar_or_array(value: np.ndarray) -> float | np.ndarray:
    """A Python float for a 0-d result, the array otherwise.

    >>> scalar_or_array(np.array(2.5)), scalar_or_array(np.array([2.5]))
    (2.5, array([2.5]))
    """
    return float(value) if np.ndim(value) == 0 else value


def numeric_array(values: Any) -> np.ndarray | None:
    """The array of a non-empty numeric numpy array or pandas Series (uncopied), or of a
    list (or list of rows, as Excel hands a range over) that holds only ints and floats;
    else None.

    Such an array holds only numbers (maybe NaN or infinity), so it can be checked in bulk.
    A list is converted in one step after one pass over the types of its items (in C, by
    ``map``): a bool, a text such as ``"5"``, a blank (None) or an error value anywhere
    sends the whole list to the slow path, which names the item (numpy itself would read
    True as 1.0 and "5" as 5.0).

    >>> numeric_array(np.arange(3)), numeric_array(np.array([]))
    (array([0, 1, 2]), None)
    >>> numeric_array([[1.5], [2.0], [3]]).ravel(), numeric_array([1.0, True]), numeric_array([])
    (array([1.5, 2. , 3. ]), None, None)
    """
    if isinstance(values, (list, tuple)):
        return number_array(values)
    array = values.to_numpy() if hasattr(values, "to_numpy") else values
    if (
        isinstance(array, np.ndarray)
        and array.ndim > 0
        and array.size > 0
        and array.dtype.kind in "iuf"
    ):
        return array
    return None


def fast_array(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | None:
    """The fast path for big numeric arrays: a float array when every value passes, else None.

    A numeric numpy array or pandas Series (:func:`numeric_array`) is checked with two
    reductions, its minimum and its maximum (a NaN or an infinity anywhere shows up in
    them), instead of element-wise masks, and a float64 input comes back as the very same
    array, not a copy: never modify the result in place. None (read the values the slow
    way, which names the first bad item) for anything else and for an array that fails a
    check. ``limits`` are those of :func:`check_range`.

    >>> values = np.array([0.5, 0.25])
    >>> fast_array("CLV", "retention", values, minimum=0.0, maximum=1.0) is values
    True
    >>> fast_array("CLV", "retention", np.array([0.5, 1.5]), maximum=1.0) is None
    True
    """
    array = numeric_array(values)
    if array is None:
        return None
    array = array.astype(float, copy=False)
    low, high = float(array.min()), float(array.max())
    if not (math.isfinite(low) and math.isfinite(high) and _bounds_hold(low, high, **limits)):
        return None
    if limits.get("whole"):
        check_range(func, name, array, **limits)
    return array


def as_numbers_fast(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | float:
    """:func:`as_numbers` with the fast path of :func:`fast_array` for big numeric arrays.

    A numeric array that passes comes back uncopied: never modify the result in place.
    Anything else goes through :func:`as_numbers`, so the error message is the same.

    >>> as_numbers_fast("CLV", "margin", np.array([100.0, 200.0]))
    array([100., 200.])
    >>> as_numbers_fast("CLV", "margin", 100)
    100.0
    """
    array = fast_array(func, name, values, **limits)
    return as_numbers(func, name, values, **limits) if array is None else array


def _bounds_hold(
    low: float,
    high: float,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
    **_: Any,
) -> bool:
    """True when values from ``low`` to ``high`` meet the bounds of :func:`check_range`."""
    return (
        (minimum is None or low >= minimum)
        and (maximum is None or high <= maximum)
        and (above is None or low > above)
        and (below is None or high < below)
    )
