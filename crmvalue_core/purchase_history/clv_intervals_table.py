"""The intervals of the predicted CLV as one table: fit both models with their standard
errors on the customers' histories, then P10/P50/P90 of each customer's CLV and of the
customer equity (:func:`~.clv_intervals.predicted_clv_intervals`). What the Excel function
PREDICTED_CLV_INTERVALS shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._inputs import fail
from ..errors import CrmValueError
from .bgnbd import bgnbd_fit
from .clv_intervals import ClvIntervals, predicted_clv_intervals
from .gamma_gamma import gg_fit

__all__ = [
    "EXACT_UP_TO",
    "FIT_CONFIDENCE",
    "INTERVALS_HEADER",
    "intervals_rows",
    "predicted_clv_intervals_table",
]

#: The header row of the table.
INTERVALS_HEADER = ("customer", "predicted_clv", "p10", "p50", "p90")
_FUNC = "PREDICTED_CLV_INTERVALS"
#: Most customers x draws evaluated in full (1 to 2 seconds); beyond, the expansion.
EXACT_UP_TO = 200_000
#: Confidence level of the fits (only their covariance is used, not the level).
FIT_CONFIDENCE = 0.95


def intervals_rows(found: ClvIntervals) -> list[list[Any]]:
    """The table of ``found``: a header, one row per customer (its position, 1, 2, ...)
    and a last row ``"equity"`` for the customer equity (the sum over customers).

    >>> import numpy as np
    >>> found = ClvIntervals(np.array([2.0, 3.0]), np.array([1.0, 2.0]), np.array([2.0, 3.0]),
    ...                      np.array([3.0, 4.0]), 5.0, 4.0, 5.0, 6.0, 10, False)
    >>> intervals_rows(found)[0], intervals_rows(found)[-1]
    (['customer', 'predicted_clv', 'p10', 'p50', 'p90'], ['equity', 5.0, 4.0, 5.0, 6.0])
    >>> intervals_rows(found)[1]
    [1.0, 2.0, 1.0, 2.0, 3.0]
    """
    rows: list[list[Any]] = [list(INTERVALS_HEADER)]
    columns = (found.clv, found.p10, found.p50, found.p90)
    for i, values in enumerate(zip(*(c.tolist() for c in columns), strict=True), start=1):
        rows.append([float(i), *values])
    rows.append(["equity", found.equity, found.equity_p10, found.equity_p50, found.equity_p90])
    return rows


def predicted_clv_intervals_table(
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12.0,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: str = "W",
    draws: Any = 1000.0,
    seed: Any = 0.0,
    *,
    fitted: Callable[..., Any] | None = None,
) -> list[list[Any]]:
    """Each customer's predicted CLV with its P10, P50 and P90, and the customer equity's,
    from BG/NBD and Gamma-Gamma fitted (with standard errors) on the histories given.

    The fits are ``bgnbd_fit(frequency, recency, age, confidence=0.95)`` and
    ``gg_fit(frequency, monetary_value, confidence=0.95)``, made through
    ``fitted(name, fitter, *inputs)`` when given (the add-in passes its cache of fits).
    A fitter's message is given under this function's name. Up to :data:`EXACT_UP_TO`
    customers x draws every draw is evaluated in full (``exact=True``: small bases, where
    the parameters are most uncertain and the first-order expansion least accurate);
    beyond, the expansion keeps large bases fast. The percentiles are those of
    :func:`~crmvalue_core.purchase_history.predicted_clv_intervals` (parameters drawn from
    N(ln theta, V) with V the inverse observed information; Fader, Hardie & Lee 2005 for
    the CLV of each draw). Returns a table: a header, one row per customer
    ``[position, predicted_clv, p10, p50, p90]`` and a last row ``["equity", ...]``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.25, 1 / 4.0, n), rng.beta(0.8, 2.5, n)
    >>> times = rng.exponential(1.0, (n, 60)).cumsum(axis=1) / lam[:, None]
    >>> x = np.minimum((times <= 39).sum(axis=1), rng.geometric(p))
    >>> t_x = np.where(x > 0, times[np.arange(n), x - 1], 0.0)
    >>> T = np.full(n, 39.0)
    >>> nu = rng.gamma(4.0, 1 / 60.0, n)
    >>> m = np.where(x > 0, rng.gamma(6.0 * np.maximum(x, 1), 1 / (nu * np.maximum(x, 1))), 0)
    >>> table = predicted_clv_intervals_table(x, t_x, T, m, draws=200, seed=1)
    >>> table[0], len(table) == len(x) + 2
    (['customer', 'predicted_clv', 'p10', 'p50', 'p90'], True)
    >>> equity = table[-1]
    >>> bool(equity[2] < equity[1] < equity[4])
    True
    """
    fit = fitted if fitted is not None else _fit_directly
    try:
        bg = fit("BGNBD_FIT", _with_errors(bgnbd_fit), frequency, recency, age)
        gg = fit("GG_FIT", _with_errors(gg_fit), frequency, monetary_value)
    except CrmValueError as error:
        raise _renamed(error) from None
    found = predicted_clv_intervals(
        bg,
        gg,
        frequency,
        recency,
        age,
        monetary_value,
        months,
        discount_rate,
        margin,
        time_unit,
        draws,
        seed,
        exact=_cells(frequency, draws) <= EXACT_UP_TO,
    )
    return intervals_rows(found)


def _with_errors(fitter: Callable[..., Any]) -> Callable[..., Any]:
    """``fitter`` with standard errors (at the level the add-in caches BGNBD_FIT's at)."""

    def with_errors(*inputs: Any) -> Any:
        return fitter(*inputs, confidence=FIT_CONFIDENCE)

    return with_errors


def _fit_directly(name: str, fitter: Callable[..., Any], *inputs: Any) -> Any:
    return fitter(*inputs)


def _renamed(error: CrmValueError) -> CrmValueError:
    """A fitter's message under this function's name (``BGNBD_FIT: x`` -> ``...: fitting
    BG/NBD: x``)."""
    text = str(error)
    for name, model in (("BGNBD_FIT: ", "BG/NBD"), ("GG_FIT: ", "Gamma-Gamma")):
        if text.startswith(name):
            return fail(_FUNC, f"fitting {model}: {text[len(name) :]}")
    return error


def _cells(frequency: Any, draws: Any) -> float:
    """Customers x draws, or infinity when draws is not a number (reported later)."""
    try:
        return np.size(np.asarray(frequency, dtype=object)) * float(draws)
    except (TypeError, ValueError):
        return float("inf")
