"""Input checking shared by every calculator: one error type, one way of reading values.

Every public function of :mod:`crmvalue_core` turns its arguments into numbers through the
helpers here, so that bad input always meets the same clear message instead of a
traceback or, worse, a silently wrong number. Messages start with the Excel name of the
function (``NPV_CRM: ...``), say what is wrong and where (``flows item 3``), and how to
fix it.

Conventions (docs/functions.md, "Conventions that hold everywhere"):

* a *blank* is ``None`` (what xlwings hands over for an empty cell) or an empty string;
  inside a cash-flow range it counts as 0, inside a scores range it is skipped;
* text, booleans, Excel error values (``"#N/A"``), NaN and infinity are never numbers;
* positions are 1-based, as a spreadsheet user counts them.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from .cells import RATE_HINT, describe, format_number, is_blank
from .errors import CrmValueError

__all__ = ["CrmValueError", "describe", "is_blank"]


def fail(func: str, message: str) -> CrmValueError:
    """Build the error for ``func`` (an Excel name such as ``"NPV_CRM"``)."""
    return CrmValueError(f"{func}: {message}")


def _position(index: tuple[int, ...], shape: tuple[int, ...]) -> str:
    """Name a position 1-based: ``item 3`` for a list, ``row 2, column 3`` for a table."""
    if len(shape) <= 1:
        return f"item {index[0] + 1 if index else 1}"
    if len(shape) == 2:
        return f"row {index[0] + 1}, column {index[1] + 1}"
    return "item " + ",".join(str(i + 1) for i in index)


def _number_or_none(value: Any) -> float | None:
    """The float a cell holds, or None when it is not a finite real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _to_array(func: str, name: str, values: Any) -> np.ndarray:
    """A numpy view of a scalar, list, nested list, tuple, array, Series or DataFrame."""
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
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        where = _position(index, result.shape) if result.ndim else "value"
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
    """
    array = _to_array(func, name, values)
    if array.dtype.kind == "b":
        index = (0,) * array.ndim
        raise fail(
            func,
            f"{name} {_position(index, array.shape) if array.ndim else 'value'} is "
            f"{describe(array.flat[0])}; enter a number",
        )
    if array.dtype.kind in "iuf":
        result = _checked_numeric(func, name, array)
    else:
        result = np.empty(array.shape, dtype=float)
        keep = np.ones(array.shape, dtype=bool)
        for index, item in np.ndenumerate(array):
            number = _number_or_none(item)
            if number is not None:
                result[index] = number
                continue
            where = _position(index, array.shape) if array.ndim else "value"
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
    """Flatten a single row, a single column or a scalar; refuse a true table."""
    if array.ndim == 2 and 1 not in array.shape:
        raise fail(
            func,
            f"{name} is a table of {array.shape[0]} rows and {array.shape[1]} columns; "
            "give a single row or column",
        )
    return array.reshape(-1)


def as_number(func: str, name: str, value: Any, **limits: Any) -> float:
    """Read one required number and check it against ``limits`` (see :func:`check_range`)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    elif isinstance(value, (list, tuple)) and len(value) == 1:
        return as_number(func, name, value[0], **limits)
    number = _number_or_none(value)
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
                index = tuple(int(i) for i in np.argwhere(bad)[0])
                where, value = f"{name} {_position(index, array.shape)}", array[index]
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
    """A rate per period as a decimal (10% = 0.1), above -100%."""
    return as_numbers(func, name, value, above=-1.0, hint=RATE_HINT)


def as_share(func: str, name: str, value: Any) -> np.ndarray | float:
    """A share in [0, 1] as a decimal (85% = 0.85)."""
    return as_numbers(
        func,
        name,
        value,
        minimum=0.0,
        maximum=1.0,
        hint="a share between 0 and 1 as a decimal (85% = 0.85)",
    )


def as_count(func: str, name: str, value: Any, *, whole: bool = True) -> np.ndarray | float:
    """A count of customers, answers or the like: >= 0 (and whole unless told)."""
    return as_numbers(
        func,
        name,
        value,
        minimum=0.0,
        whole=whole,
        hint="a whole number >= 0" if whole else "a number >= 0",
    )


def is_omitted(value: Any) -> bool:
    """True for an optional argument left out (``None`` or a blank cell)."""
    return is_blank(value)


def same_length(func: str, first: tuple[str, np.ndarray], second: tuple[str, np.ndarray]) -> None:
    """Raise when two ranges that go together differ in length along their last axis."""
    (name_a, a), (name_b, b) = first, second
    if a.shape[-1:] != b.shape[-1:]:
        raise fail(
            func,
            f"{name_a} has {a.shape[-1] if a.ndim else 1} values but {name_b} has "
            f"{b.shape[-1] if b.ndim else 1}; give ranges of the same length",
        )


def scalar_or_array(value: np.ndarray) -> float | np.ndarray:
    """A Python float for a 0-d result, the array otherwise."""
    return float(value) if np.ndim(value) == 0 else value


def as_numbers_fast(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | float:
    """:func:`as_numbers` with a fast path for big numeric arrays (millions of customers).

    A numeric numpy array or pandas Series is checked with two reductions, its minimum and
    its maximum (a NaN or an infinity anywhere shows up in them), instead of element-wise
    masks, and a float64 input comes back as the very same array, not a copy: never
    modify the result in place. Anything else, and any array that fails a check, goes
    through :func:`as_numbers`, so the error message is the same. ``limits`` are those of
    :func:`check_range`.
    """
    array = values.to_numpy() if hasattr(values, "to_numpy") else values
    if (
        isinstance(array, np.ndarray)
        and array.ndim > 0
        and array.size > 0
        and array.dtype.kind in "iuf"
    ):
        array = array.astype(float, copy=False)
        low, high = float(array.min()), float(array.max())
        if math.isfinite(low) and math.isfinite(high) and _bounds_hold(low, high, **limits):
            if limits.get("whole"):
                check_range(func, name, array, **limits)
            return array
    return as_numbers(func, name, values, **limits)


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


def common_shape(func: str, *named: tuple[str, Any]) -> tuple[int, ...]:
    """The shape that several ``(name, values)`` arguments broadcast to, or a clear error.

    A single value goes with any range; ranges go together when they have the same
    length (numpy broadcasting). The error names the first two arguments that clash.
    """
    shapes = [(name, np.shape(value)) for name, value in named]
    try:
        return np.broadcast_shapes(*(shape for _, shape in shapes))
    except ValueError:
        pass
    for i, (name_a, shape_a) in enumerate(shapes):
        for name_b, shape_b in shapes[i + 1 :]:
            try:
                np.broadcast_shapes(shape_a, shape_b)
            except ValueError:
                raise fail(
                    func,
                    f"{name_a} has {_size_words(shape_a)} but {name_b} has "
                    f"{_size_words(shape_b)}; give ranges of the same length",
                ) from None
    raise fail(func, "the ranges do not fit together; give ranges of the same length")


def _size_words(shape: tuple[int, ...]) -> str:
    if len(shape) == 0:
        return "1 value"
    if len(shape) == 2:
        return f"{shape[0]} rows and {shape[1]} columns"
    return f"{int(np.prod(shape))} values"
