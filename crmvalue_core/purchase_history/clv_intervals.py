"""Intervals for the predicted CLV: what the estimation uncertainty of the fits means for
each customer's value and for the customer equity (the sum over the base).

:func:`predicted_clv_intervals` draws the parameters of both fits from their sampling
distribution -- a multivariate normal on the log scale with the covariance of
:mod:`crmvalue_core.fit_uncertainty` (the inverse observed information), seeded -- and
propagates each draw to every customer's predicted CLV (:func:`~.clv.predicted_clv`). It
reports the 10th, 50th and 90th percentiles per customer and of the customer equity.

The prediction is the product of three factors, ``margin x E[Z | x, zbar] x P``:

* the expected spend ``E[Z | x, zbar]`` (Gamma-Gamma) is a closed form, evaluated exactly
  for every draw and customer;
* the discounted expected purchases ``P`` (BG/NBD) need a hypergeometric function per
  customer and month, too costly for 1,000 draws of millions of customers. By default
  each customer's ``ln P`` is expanded to first order in the BG/NBD log-parameters,
  ``ln P(theta_d) = ln P(theta) + g . (u_d - u)``, with the gradient g from central
  differences (step 1e-4 on the log scale; :mod:`._log_expansion`): 9 evaluations of the
  prediction instead of 1,000. ``exact=True`` evaluates ``P`` at every draw instead (for
  small bases and to check the expansion; the tests compare both on the same draws).

Customers are processed in chunks, so 1,000 draws of 1.8 million customers hold about
100 MB of draws at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._inputs import as_number, fail
from ._bgnbd_model import expected_purchases
from ._gamma_gamma_model import expected_spend
from ._log_expansion import log_gradient
from .clv import MONTH_LENGTH, predicted_clv

__all__ = ["ClvIntervals", "predicted_clv_intervals"]

_FUNC = "PREDICTED_CLV_INTERVALS"
#: Percentiles reported.
PERCENTILES = (10.0, 50.0, 90.0)
#: Floats of (customers x draws) held at once.
_CHUNK_CELLS = 8_000_000
#: Most (customer, draw) predictions ``exact=True`` evaluates (a table of this many floats).
_EXACT_CELLS = 20_000_000


@dataclass(frozen=True)
class ClvIntervals:
    """Percentiles of the predicted CLV under the estimation uncertainty of the fits.

    Attributes:
        clv: each customer's predicted CLV at the estimates (as :func:`predicted_clv`).
        p10, p50, p90: each customer's 10th, 50th and 90th percentile over the draws.
        equity: the customer equity at the estimates (the sum of ``clv``).
        equity_p10, equity_p50, equity_p90: the percentiles of the equity over the draws.
        draws: how many parameter draws.
        exact: whether the purchases were evaluated at every draw (else expanded).
    """

    clv: np.ndarray
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    equity: float
    equity_p10: float
    equity_p50: float
    equity_p90: float
    draws: int
    exact: bool

    def __repr__(self) -> str:
        return (
            f"ClvIntervals({self.clv.size} customers, {self.draws} draws: equity "
            f"{self.equity:.6g}, P10 {self.equity_p10:.6g}, P50 {self.equity_p50:.6g}, "
            f"P90 {self.equity_p90:.6g})"
        )


def _covariance(fit: Any, model: str, names: tuple[str, ...], argument: str) -> np.ndarray:
    if getattr(fit, "model", None) != model or tuple(fit.names) != names:
        raise fail(_FUNC, f"{argument} is not a {model} fit; give the result of the fitter")
    if fit.uncertainty is None:
        raise fail(
            _FUNC,
            f"{argument} carries no standard errors; fit it with confidence=0.95 (or any "
            "level) so that its parameters' uncertainty is known",
        )
    return np.array(fit.uncertainty.log_covariance)


def _log_draws(rng: np.random.Generator, values: tuple[float, ...], cov: np.ndarray, n: int):
    """``n`` draws of the log-parameters from N(ln theta, cov), by a Cholesky factor."""
    factor = np.linalg.cholesky(cov)
    return np.log(values) + rng.standard_normal((n, len(values))) @ factor.T


def _discounted_purchases(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, times, discount
) -> np.ndarray:
    """sum_i (E[Y(t_i)] - E[Y(t_(i-1))]) / (1 + d)^i for each customer (as predicted_clv)."""
    out = np.empty(x.size)
    step = max(1, 2_000_000 // max(times.size, 1))
    for start in range(0, x.size, step):
        part = slice(start, start + step)
        cumulative = expected_purchases(
            *params, times, x[part, None], t_x[part, None], big_t[part, None]
        )
        out[part] = np.diff(cumulative, axis=-1, prepend=0.0) @ discount
    return out


def predicted_clv_intervals(
    bgnbd: Any,
    gamma_gamma: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: str = "W",
    draws: Any = 1000,
    seed: Any = 0,
    exact: bool = False,
) -> ClvIntervals:
    """P10, P50 and P90 of each customer's predicted CLV and of the customer equity, from
    the sampling distribution of the fitted parameters.

    Parameters
    ----------
    bgnbd, gamma_gamma : FitResult
        The BG/NBD and Gamma-Gamma fits, made with ``confidence=`` so that they carry their
        standard errors (``bgnbd_fit(..., confidence=0.95)``).
    frequency, recency, age, monetary_value, months, discount_rate, margin, time_unit
        As for :func:`~crmvalue_core.purchase_history.predicted_clv`.
    draws : int, optional
        Parameter draws (default 1,000).
    seed : int, optional
        Seed of the draws (default 0): the same seed gives the same intervals.
    exact : bool, optional
        False (default): the BG/NBD purchases of each draw from a first-order expansion of
        their logarithm (see the module's notes); True: evaluated at every draw.

    Returns
    -------
    ClvIntervals
        The CLV at the estimates and its percentiles per customer, and the same for the
        customer equity (the sum over customers).

    Notes
    -----
    The two fits are independent; for each, ``u_d = ln theta + L z_d`` with ``L L' = V``
    the Cholesky factor of the covariance V of the log-parameters and ``z_d`` standard
    normal. Customer i's CLV at draw d is

    .. math:: CLV_{id} = m \\, E[Z | x_i, \\bar z_i; p_d, q_d, \\gamma_d] \\, P_i(r_d,
              \\alpha_d, a_d, b_d)

    (Fader, Hardie & Lee 2005; the discrete sum of :func:`predicted_clv`), and the equity
    of draw d is ``sum_i CLV_id``. Percentiles are those of the draws (numpy's linear
    interpolation). A draw of q at or below 1 (an infinite mean spend) is an error that
    says the spend model is too uncertain.

    Examples
    --------
    >>> import numpy as np
    >>> from crmvalue_core.purchase_history import bgnbd_fit, gg_fit
    >>> rng = np.random.default_rng(3)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.25, 1 / 4.0, n), rng.beta(0.8, 2.5, n)
    >>> times = rng.exponential(1.0, (n, 60)).cumsum(axis=1) / lam[:, None]
    >>> x = np.minimum((times <= 39).sum(axis=1), rng.geometric(p))
    >>> t_x = np.where(x > 0, times[np.arange(n), x - 1], 0.0)
    >>> nu = rng.gamma(4.0, 1 / 60.0, n)  # each customer's own spend level (Gamma-Gamma)
    >>> spend = np.where(x > 0, rng.gamma(6.0 * np.maximum(x, 1), 1 / (nu * np.maximum(x, 1))), 0)
    >>> bg = bgnbd_fit(x, t_x, np.full(n, 39.0), confidence=0.95)
    >>> gg = gg_fit(x, spend, confidence=0.95)
    >>> found = predicted_clv_intervals(bg, gg, x, t_x, np.full(n, 39.0), spend, draws=500)
    >>> bool(found.equity_p10 < found.equity < found.equity_p90)
    True
    >>> bool(np.all((found.p10 <= found.p50) & (found.p50 <= found.p90)))
    True
    """
    bg_cov = _covariance(bgnbd, "BG/NBD", ("r", "alpha", "a", "b"), "bgnbd")
    gg_cov = _covariance(gamma_gamma, "Gamma-Gamma", ("p", "q", "gamma"), "gamma_gamma")
    n_draws = int(
        as_number(_FUNC, "draws", draws, minimum=2.0, whole=True, hint="a whole number >= 2")
    )
    seed_value = int(as_number(_FUNC, "seed", seed, minimum=0.0, whole=True, hint="a seed >= 0"))
    # the point prediction checks every input and is the CLV at the estimates
    point = np.atleast_1d(
        np.asarray(
            predicted_clv(
                *bgnbd.values,
                *gamma_gamma.values,
                frequency,
                recency,
                age,
                monetary_value,
                months,
                discount_rate,
                margin,
                time_unit,
            ),
            dtype=float,
        )
    )
    x, t_x, big_t, m = (
        np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), point.shape)
        for v in (frequency, recency, age, monetary_value)
    )
    x = np.where(x > 0, x, 0.0)
    m = np.where(x > 0, m, 0.0)
    n_months = int(float(np.asarray(months)))
    unit = time_unit.strip().upper()
    times = np.arange(1, n_months + 1) * MONTH_LENGTH[unit]
    discount = (1.0 + float(np.asarray(discount_rate))) ** -np.arange(1.0, n_months + 1.0)
    share = float(np.asarray(margin))

    rng = np.random.default_rng(seed_value)
    bg_draws = _log_draws(rng, bgnbd.values, bg_cov, n_draws)
    gg_draws = np.exp(_log_draws(rng, gamma_gamma.values, gg_cov, n_draws))
    if np.any(gg_draws[:, 1] <= 1.0):
        raise fail(
            _FUNC,
            "some draws of the Gamma-Gamma q are at or below 1 (an infinite mean spend): the "
            "spend model is too uncertain for intervals; fit it on more customers",
        )

    log_u = np.log(bgnbd.values)

    def discounted(params: np.ndarray) -> np.ndarray:
        return _discounted_purchases(params, x, t_x, big_t, times, discount)

    if not exact:
        purchases, gradient = log_gradient(discounted, bgnbd.values)
        shifts = (bg_draws - log_u).T  # (4, draws)
    else:
        if x.size * n_draws > _EXACT_CELLS:
            raise fail(
                _FUNC,
                f"exact=True evaluates {x.size:,} customers x {n_draws:,} draws "
                f"({x.size * n_draws:,} predictions), more than {_EXACT_CELLS:,}; leave exact "
                "out (the expansion) or use fewer draws",
            )
        by_draw = np.column_stack([discounted(np.exp(u)) for u in bg_draws])

    chunk = max(1, _CHUNK_CELLS // n_draws)
    percentiles = np.empty((3, x.size))
    equity_draws = np.zeros(n_draws)
    p, q, gamma = gg_draws[:, 0], gg_draws[:, 1], gg_draws[:, 2]
    for start in range(0, x.size, chunk):
        part = slice(start, start + chunk)
        spend = expected_spend(p, q, gamma, x[part, None], m[part, None])
        bought = by_draw[part] if exact else purchases[part, None] * np.exp(gradient[part] @ shifts)
        value = spend
        value *= bought
        value *= share
        equity_draws += value.sum(axis=0)
        percentiles[:, part] = np.percentile(value, PERCENTILES, axis=1)
    equity = np.percentile(equity_draws, PERCENTILES)
    return ClvIntervals(
        clv=point,
        p10=percentiles[0],
        p50=percentiles[1],
        p90=percentiles[2],
        equity=float(point.sum()),
        equity_p10=float(equity[0]),
        equity_p50=float(equity[1]),
        equity_p90=float(equity[2]),
        draws=n_draws,
        exact=bool(exact),
    )
