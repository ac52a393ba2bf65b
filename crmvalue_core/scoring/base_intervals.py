"""Intervals of the predicted CLV of a scored customer base: each customer's P10, P50 and
P90 and the customer equity's, under the estimation uncertainty of the base's two fits
(what ``crmvalue score --clv-intervals DRAWS`` adds).
"""

from __future__ import annotations

from typing import Any

from .._inputs import fail
from ..errors import CrmValueError
from ..purchase_history import ClvIntervals, predicted_clv_intervals
from ..purchase_history.clv_intervals_table import EXACT_UP_TO
from .customer_base import ScoredBase
from .purchase_totals import FUNC

__all__ = ["scored_clv_intervals"]

_INTERVALS = "PREDICTED_CLV_INTERVALS"


def scored_clv_intervals(scored: ScoredBase, draws: Any = 1000, seed: Any = 0) -> ClvIntervals:
    """P10, P50 and P90 of each scored customer's predicted CLV and of the customer equity.

    The base must be scored with ``confidence=`` (``score_customers(...,
    confidence=0.95)``) so that both fits carry their covariance. The draws and the
    percentiles are those of
    :func:`~crmvalue_core.purchase_history.predicted_clv_intervals` (parameters drawn from
    N(ln theta, V), V the inverse observed information; the CLV of each draw as Fader,
    Hardie & Lee 2005), with the base's horizon, discount rate, margin and time unit. Up to
    ``EXACT_UP_TO`` customers x draws every draw is evaluated in full; beyond, each
    customer's purchases are expanded to first order in the BG/NBD log-parameters.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from crmvalue_core.scoring import score_customers
    >>> rng = np.random.default_rng(3)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.25, 1 / 4.0, n), rng.beta(0.8, 2.5, n)
    >>> times = rng.exponential(1.0, (n, 100)).cumsum(axis=1) / lam[:, None]
    >>> frequency = np.minimum((times <= 39).sum(axis=1), rng.geometric(p))
    >>> recency = np.where(frequency > 0, times[np.arange(n), frequency - 1], 0.0)
    >>> spend = np.where(frequency > 0, rng.gamma(6.0, 5.0, n), 0.0)
    >>> table = pd.DataFrame({"frequency": frequency, "recency": recency, "age": 39.0,
    ...                       "monetary_value": spend})
    >>> scored = score_customers(table, confidence=0.95)
    >>> found = scored_clv_intervals(scored, draws=500)
    >>> bool(np.allclose(found.clv, scored.customers["predicted_clv"]))
    True
    >>> bool(found.equity_p10 < found.equity < found.equity_p90)
    True
    """
    if scored.bgnbd.uncertainty is None or scored.gamma_gamma.uncertainty is None:
        raise fail(
            FUNC,
            "the base was scored without standard errors; score it with confidence=0.95 "
            "to get intervals of the predicted CLV",
        )
    customers = scored.customers
    settings = scored.settings
    try:
        cells = len(customers) * float(draws)
    except (TypeError, ValueError):
        cells = float("inf")
    try:
        return _intervals(scored, customers, settings, draws, seed, cells <= EXACT_UP_TO)
    except CrmValueError as error:
        text = str(error).removeprefix(f"{_INTERVALS}: ")
        raise fail(FUNC, f"intervals of the predicted CLV: {text}") from None


def _intervals(
    scored: ScoredBase, customers: Any, settings: Any, draws: Any, seed: Any, exact: bool
) -> ClvIntervals:
    return predicted_clv_intervals(
        scored.bgnbd,
        scored.gamma_gamma,
        customers["frequency"].to_numpy(dtype=float),
        customers["recency"].to_numpy(dtype=float),
        customers["age"].to_numpy(dtype=float),
        customers["monetary_value"].to_numpy(dtype=float),
        settings["months"],
        settings["discount_rate"],
        settings["margin"],
        settings["time_unit"],
        draws,
        seed,
        exact=exact,
    )
