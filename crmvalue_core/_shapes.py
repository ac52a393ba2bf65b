"""How several arguments fit together: ranges of the same length, values that broadcast.

A calculator that takes several ranges checks that they belong together before it
computes, and names the first two that do not:

* :func:`same_length` -- two ranges read side by side (benefits and costs, flows and
  dates) have the same length along their last axis;
* :func:`common_shape` -- values that go together element by element (one per customer,
  period or segment) broadcast: a single value goes with any range;
* :func:`fit_shapes` -- the series of a batch of cash flows (the rows of a range) and the
  values given per series (a rate, a guess) broadcast: one value, or one per row.

:func:`common_shape` and :func:`fit_shapes` are one rule (numpy broadcasting, the first
clashing pair named) in the words of their arguments: ranges of values, or rows of series.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._inputs import fail

__all__ = ["common_shape", "fit_shapes", "same_length"]

Shape = tuple[int, ...]

#: The arguments that are cash-flow ranges, whose leading shape is their rows (series).
_CASH_RANGES = ("flows", "benefits", "costs")


def same_length(func: str, first: tuple[str, np.ndarray], second: tuple[str, np.ndarray]) -> None:
    """Raise when two ranges that go together differ in length along their last axis.

    >>> same_length("ROI_CRM", ("benefits", np.zeros(3)), ("costs", np.zeros((2, 3))))
    >>> try:
    ...     same_length("ROI_CRM", ("benefits", np.zeros(3)), ("costs", np.zeros(2)))
    ... except ValueError as error:
    ...     print(error)
    ROI_CRM: benefits has 3 values but costs has 2; give ranges of the same length
    """
    (name_a, a), (name_b, b) = first, second
    if a.shape[-1:] != b.shape[-1:]:
        raise fail(
            func,
            f"{name_a} has {a.shape[-1] if a.ndim else 1} values but {name_b} has "
            f"{b.shape[-1] if b.ndim else 1}; give ranges of the same length",
        )


def _broadcast(
    func: str,
    named: Sequence[tuple[str, Shape]],
    clash: Callable[[str, Shape, str, Shape], str],
    otherwise: str,
) -> Shape:
    """The shape ``named`` shapes broadcast to, or the error ``clash`` words for the first
    two that do not (``otherwise`` when no pair clashes but the whole does not fit)."""
    try:
        return tuple(np.broadcast_shapes(*(shape for _, shape in named)))
    except ValueError:
        pass
    for i, (name_a, shape_a) in enumerate(named):
        for name_b, shape_b in named[i + 1 :]:
            try:
                np.broadcast_shapes(shape_a, shape_b)
            except ValueError:
                raise fail(func, clash(name_a, shape_a, name_b, shape_b)) from None
    raise fail(func, otherwise)


def common_shape(func: str, *named: tuple[str, Any]) -> Shape:
    """The shape that several ``(name, values)`` arguments broadcast to, or a clear error.

    A single value goes with any range; ranges go together when they have the same
    length (numpy broadcasting). The error names the first two arguments that clash.

    >>> common_shape("CLV", ("margin", np.zeros(3)), ("retention", 0.8))
    (3,)
    >>> try:
    ...     common_shape("CLV", ("margin", np.zeros(3)), ("retention", np.zeros(2)))
    ... except ValueError as error:
    ...     print(error)
    CLV: margin has 3 values but retention has 2 values; give ranges of the same length
    """
    return _broadcast(
        func,
        [(name, np.shape(value)) for name, value in named],
        _ranges_clash,
        "the ranges do not fit together; give ranges of the same length",
    )


def _ranges_clash(name_a: str, shape_a: Shape, name_b: str, shape_b: Shape) -> str:
    return (
        f"{name_a} has {_values_words(shape_a)} but {name_b} has {_values_words(shape_b)}; "
        "give ranges of the same length"
    )


def _values_words(shape: Shape) -> str:
    if len(shape) == 0:
        return "1 value"
    if len(shape) == 2:
        return f"{shape[0]} rows and {shape[1]} columns"
    return f"{int(np.prod(shape))} values"


def fit_shapes(func: str, *named: tuple[str, Shape]) -> Shape:
    """The shape the series of several arguments broadcast to, or a clear error.

    Each item is ``(argument name, shape of its series)``: the leading shape of a
    cash-flow range (its rows), or the shape of a rate. One value goes with any number
    of rows; otherwise there must be one per row.

    >>> fit_shapes("NPV_CRM", ("flows", (3,)), ("rate", ()))
    (3,)
    >>> try:
    ...     fit_shapes("NPV_CRM", ("flows", (3,)), ("rate", (2,)))
    ... except ValueError as error:
    ...     print(error)
    NPV_CRM: flows has 3 rows but rate has 2 values; give one rate or one per row of flows
    """
    return _broadcast(
        func,
        named,
        _series_clash,
        "the arguments do not fit together; give one value or one per row",
    )


def _series_clash(name_a: str, shape_a: Shape, name_b: str, shape_b: Shape) -> str:
    noun_a = "row" if name_a in _CASH_RANGES else "value"
    noun_b = "row" if name_b in _CASH_RANGES else "value"
    fix = (
        f"give {name_b} with one row or with as many rows as {name_a}"
        if name_b in _CASH_RANGES
        else f"give one {name_b} or one per row of {name_a}"
    )
    return (
        f"{name_a} has {_series_words(shape_a, noun_a)} but {name_b} has "
        f"{_series_words(shape_b, noun_b)}; {fix}"
    )


def _series_words(shape: Shape, noun: str) -> str:
    if len(shape) == 0:
        return f"1 {noun}"
    if len(shape) == 1:
        return f"{shape[0]} {noun}s"
    return f"a table of shape {shape}"
