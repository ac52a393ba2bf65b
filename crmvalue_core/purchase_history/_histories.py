"""Reading customer histories and model parameters, shared by the purchase-history models.

A history is ``frequency`` (x, repeat purchases), ``recency`` (t_x) and ``age`` (T), plus
``monetary_value`` (the mean repeat spend) for the spend model: one value per customer,
or single values that broadcast. :func:`history` and :func:`spend_history` read and
cross-check them; :func:`positive` reads fitted parameters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import as_number, as_values, check_range, fail

__all__ = [
    "FREQUENCY_HINT",
    "TIME_HINT",
    "column",
    "common_length",
    "distinct_rows",
    "first_bad",
    "history",
    "positive",
    "spend_history",
]

#: What to enter for a frequency, and for a recency or an age.
FREQUENCY_HINT = "a whole number of repeat purchases >= 0"
TIME_HINT = "a time >= 0 in the unit of the data (e.g. weeks)"


def column(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | float:
    """One value per customer: a float for a single cell, else a 1-D float array.

    >>> column("BGNBD_FIT", "age", [[38.9], [20.0]], minimum=0.0)
    array([38.9, 20. ])
    """
    if _is_single(values):
        return as_number(func, name, values, **limits)
    array = as_values(func, name, values, blank="error", ndim=1)
    check_range(func, name, array, **limits)
    return array


def _is_single(values: Any) -> bool:
    if hasattr(values, "to_numpy") or isinstance(values, (list, tuple)):
        return False
    return np.ndim(values) == 0


def _where(name: str, index: int | None) -> str:
    return name if index is None else f"{name} item {index + 1}"


def common_length(func: str, columns: list[tuple[str, np.ndarray | float]]) -> int | None:
    """The shared length of the array arguments (None when all are single values).

    >>> common_length("GG_FIT", [("frequency", np.zeros(3)), ("monetary_value", 20.0)])
    3
    """
    length, first = None, ""
    for name, values in columns:
        if np.ndim(values) == 0:
            continue
        n = np.size(values)
        if length is None:
            length, first = n, name
        elif n != length:
            raise fail(
                func,
                f"{first} has {length} values but {name} has {n}; "
                "give ranges of the same length (one row per customer)",
            )
    return length


def distinct_rows(
    *columns: np.ndarray,
) -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    """The distinct rows of equal-length columns, how often each occurs, and where each
    row went.

    Returns ``(distinct, counts, inverse)``: the columns of the distinct rows, sorted by
    the first column, then the second... (as ``np.unique(..., axis=0)``, by one
    ``np.lexsort``), the number of rows equal to each, and for each input row the
    position of its distinct row, so ``distinct[k][inverse]`` rebuilds column k. The
    result depends only on the multiset of rows, never on their order.

    >>> (x, t), counts, inverse = distinct_rows(np.array([2.0, 0, 2]), np.array([5.0, 0, 5]))
    >>> x.tolist(), t.tolist(), counts.tolist(), inverse.tolist()
    ([0.0, 2.0], [0.0, 5.0], [1, 2], [1, 0, 1])
    """
    n = columns[0].size
    order = np.lexsort(columns[::-1])
    ordered = [np.asarray(c)[order] for c in columns]
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in ordered])
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    counts = np.diff(np.append(np.flatnonzero(new), n))
    return tuple(c[new] for c in ordered), counts, inverse


def first_bad(mask: np.ndarray) -> int | None:
    """Index of the first True in a broadcast mask (None for a single value).

    >>> first_bad(np.array([False, True])), first_bad(np.array(True))
    (1, None)
    """
    return None if mask.ndim == 0 else int(np.flatnonzero(mask)[0])


def history(
    func: str, frequency: Any, recency: Any, age: Any
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Read and cross-check (frequency, recency, age); single values broadcast.

    Recency is at most age, and 0 exactly when frequency is 0.

    >>> history("BGNBD_P_ALIVE", [0, 2], [0, 30.43], 38.86)
    (array([0., 2.]), array([ 0.  , 30.43]), 38.86)
    """
    x = column(func, "frequency", frequency, minimum=0.0, whole=True, hint=FREQUENCY_HINT)
    t_x = column(func, "recency", recency, minimum=0.0, hint=TIME_HINT)
    big_t = column(func, "age", age, minimum=0.0, hint=TIME_HINT)
    length = common_length(func, [("frequency", x), ("recency", t_x), ("age", big_t)])
    xs, txs, ts = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
    if length is not None:
        xs, txs, ts = (np.broadcast_to(v, (length,)) for v in (xs, txs, ts))

    checks = (
        (
            txs > ts,
            "is {tx:g}, above age ({t:g}); recency (the time from the first to the last "
            "purchase) cannot exceed age (the time from the first purchase to the end of "
            "the observation period)",
        ),
        (
            (xs > 0) & (txs == 0),
            "is 0 but frequency is {x:g}; a customer with repeat purchases has recency > 0 "
            "(the time from the first to the last purchase)",
        ),
        (
            (xs == 0) & (txs > 0),
            "is {tx:g} but frequency is 0; a customer without repeat purchases has recency 0",
        ),
    )
    for bad, message in checks:
        if np.any(bad):
            i = first_bad(bad)
            at = () if i is None else (i,)
            text = message.format(x=xs[at], tx=txs[at], t=ts[at])
            raise fail(func, f"{_where('recency', i)} {text}")
    return x, t_x, big_t


def positive(func: str, **params: Any) -> list[float]:
    """Fitted model parameters, each a single number above 0, in the order given.

    >>> positive("BGNBD_P_ALIVE", r=0.243, alpha=4.414)
    [0.243, 4.414]
    """
    return [
        as_number(func, name, value, above=0.0, hint=f"{name} > 0 (a fitted model parameter)")
        for name, value in params.items()
    ]


def spend_history(
    func: str, frequency: Any, monetary_value: Any
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Read (frequency, monetary_value) of the spend model, one row per customer.

    >>> spend_history("GG_SPEND", 2, 22.35)
    (2.0, 22.35)
    """
    x = column(func, "frequency", frequency, minimum=0.0, whole=True, hint=FREQUENCY_HINT)
    m = column(
        func,
        "monetary_value",
        monetary_value,
        minimum=0.0,
        hint="an average purchase value >= 0",
    )
    common_length(func, [("frequency", x), ("monetary_value", m)])
    return x, m
