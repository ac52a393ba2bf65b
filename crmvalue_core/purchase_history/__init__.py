"""Buy-till-you-die models of purchase histories: BG/NBD, Gamma-Gamma and the predicted CLV.

A customer's history is summarised, as in the papers, by three numbers:

* ``frequency`` (x): the number of *repeat* purchases (purchase periods after the first);
* ``recency`` (t_x): the time from the first to the last purchase (0 when x = 0);
* ``age`` (T): the time from the first purchase to the end of the observation period.

Recency and age share one time unit (weeks in the CDNOW papers). For the spend model,
``monetary_value`` is the mean value of the repeat purchases.
:func:`crmvalue_core.transactions.summary_from_transactions` builds these columns from a
transaction log.

* BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
  Science 24(2)): :func:`bgnbd_fit`, :func:`bgnbd_expected_purchases`,
  :func:`bgnbd_p_alive`.
* Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for
  customer base analysis", Journal of Marketing Research 42(4)): :func:`gg_fit`,
  :func:`gg_expected_spend`.
* :func:`predicted_clv`: the discounted monthly CLV of both models together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from scipy import special

from .._fitting import FitResult, fit_positive_parameters
from .._inputs import (
    as_number,
    as_rate,
    as_share,
    as_values,
    check_range,
    fail,
    is_omitted,
    scalar_or_array,
)

__all__ = [
    "bgnbd_expected_purchases",
    "bgnbd_fit",
    "bgnbd_p_alive",
    "bgnbd_purchases",
    "gg_expected_spend",
    "gg_fit",
    "gg_spend",
    "predicted_clv",
]

#: Length of a month in each time unit, as in ``lifetimes.utils._customer_lifetime_value``.
MONTH_LENGTH = {"D": 30.0, "W": 4.345, "M": 1.0}

_FREQUENCY_HINT = "a whole number of repeat purchases >= 0"
_TIME_HINT = "a time >= 0 in the unit of the data (e.g. weeks)"


# --------------------------------------------------------------------------------------
# Reading customer histories
# --------------------------------------------------------------------------------------


def _column(func: str, name: str, values: Any, **limits: Any) -> np.ndarray | float:
    """One value per customer: a float for a single cell, else a 1-D float array."""
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


def _common_length(func: str, columns: list[tuple[str, np.ndarray | float]]) -> int | None:
    """The shared length of the array arguments (None when all are single values)."""
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


def _first_bad(mask: np.ndarray) -> int | None:
    """Index of the first True in a broadcast mask (None for a single value)."""
    return None if mask.ndim == 0 else int(np.flatnonzero(mask)[0])


def _history(
    func: str, frequency: Any, recency: Any, age: Any
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Read and cross-check (frequency, recency, age); single values broadcast."""
    x = _column(func, "frequency", frequency, minimum=0.0, whole=True, hint=_FREQUENCY_HINT)
    t_x = _column(func, "recency", recency, minimum=0.0, hint=_TIME_HINT)
    big_t = _column(func, "age", age, minimum=0.0, hint=_TIME_HINT)
    length = _common_length(func, [("frequency", x), ("recency", t_x), ("age", big_t)])
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
            i = _first_bad(bad)
            at = () if i is None else (i,)
            text = message.format(x=xs[at], tx=txs[at], t=ts[at])
            raise fail(func, f"{_where('recency', i)} {text}")
    return x, t_x, big_t


def _positive(func: str, **params: Any) -> list[float]:
    return [
        as_number(func, name, value, above=0.0, hint=f"{name} > 0 (a fitted model parameter)")
        for name, value in params.items()
    ]


# --------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------


class _BgnbdLikelihood:
    """The BG/NBD log-likelihood of a sample, with its gradient, on compressed data.

    Customers with the same (x, t_x, T) share one row with a weight; customers without
    repeat purchases only need their age; the gamma-function terms depend on x alone
    and are evaluated once per distinct x.
    """

    def __init__(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> None:
        self.n = x.size
        zero = x == 0
        self.t0, self.w0 = np.unique(big_t[zero], return_counts=True)
        self.w0 = self.w0.astype(float)
        rows, weights = np.unique(
            np.column_stack([x[~zero], t_x[~zero], big_t[~zero]]), axis=0, return_counts=True
        )
        self.x, self.t_x, self.t = rows[:, 0], rows[:, 1], rows[:, 2]
        self.w = weights.astype(float)
        self.xv, self.xi = np.unique(self.x, return_inverse=True)
        self.nx = np.bincount(self.xi, weights=self.w, minlength=self.xv.size)

    def value(self, params: np.ndarray) -> float:
        r, alpha, a, b = params
        ll = self.n * r * np.log(alpha) - r * (self.w0 @ np.log(alpha + self.t0))
        if self.x.size:
            xv = self.xv
            by_x = special.gammaln(r + xv) + special.gammaln(b + xv) - special.gammaln(a + b + xv)
            ll += self.nx @ by_x + self.nx.sum() * (
                special.gammaln(a + b) - special.gammaln(r) - special.gammaln(b)
            )
            rx = r + self.x
            alive = -rx * np.log(alpha + self.t)
            dropped = (np.log(a) - np.log(b + xv - 1.0))[self.xi] - rx * np.log(alpha + self.t_x)
            ll += self.w @ np.logaddexp(alive, dropped)
        return float(ll)

    def gradient(self, params: np.ndarray) -> np.ndarray:
        r, alpha, a, b = params
        psi = special.digamma
        d_r = self.n * np.log(alpha) - self.w0 @ np.log(alpha + self.t0)
        d_alpha = self.n * r / alpha - r * (self.w0 @ (1.0 / (alpha + self.t0)))
        d_a = d_b = 0.0
        if self.x.size:
            xv, nx, w = self.xv, self.nx, self.w
            m = nx.sum()
            d_r += nx @ psi(r + xv) - m * psi(r)
            d_a += m * psi(a + b) - nx @ psi(a + b + xv)
            d_b += m * (psi(a + b) - psi(b)) + nx @ (psi(b + xv) - psi(a + b + xv))
            rx = r + self.x
            log_t = np.log(alpha + self.t)
            log_tx = np.log(alpha + self.t_x)
            log_c = (np.log(a) - np.log(b + xv - 1.0))[self.xi]
            # share of the likelihood in the "dropped out after the last purchase" term
            p = special.expit(log_c - rx * log_tx + rx * log_t)
            d_r += w @ (-(1.0 - p) * log_t - p * log_tx)
            d_alpha += w @ (-(1.0 - p) * rx / (alpha + self.t) - p * rx / (alpha + self.t_x))
            d_a += w @ p / a
            d_b -= w @ (p / (b + self.x - 1.0))
        return np.array([d_r, d_alpha, d_a, d_b])


def bgnbd_fit(frequency: Any, recency: Any, age: Any) -> FitResult:
    """Fit the BG/NBD model to customers' purchase histories by maximum likelihood.

    Parameters
    ----------
    frequency : array_like
        Repeat purchases x of each customer (whole numbers >= 0).
    recency : array_like
        Time t_x from the first to the last purchase (0 when x = 0).
    age : array_like
        Time T from the first purchase to the end of the observation period
        (same unit as recency, T >= t_x).

    Returns
    -------
    FitResult
        Parameters ``r, alpha, a, b`` (in this order; ``alpha`` is in the time unit of
        the data) and the log-likelihood.

    Notes
    -----
    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
    purchase she drops out with probability p ~ Beta(a, b). The likelihood of a history
    (x, t_x, T) is (paper, eq. 6)

    .. math :: L = \\frac{B(a, b+x)}{B(a, b)} \\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)
               (\\alpha+T)^{r+x}} + \\delta_{x>0} \\frac{B(a+1, b+x-1)}{B(a, b)}
               \\frac{\\Gamma(r+x)\\alpha^r}{\\Gamma(r)(\\alpha+t_x)^{r+x}}

    and the fit maximises the sum of ln L over customers (vectorised with
    ``scipy.special.gammaln`` and an analytic gradient).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.

    Examples
    --------
    Customers simulated from r = 0.25, alpha = 4, a = 0.8, b = 2.5 over 39 weeks (rates
    lambda, dropout probabilities p, purchase times, and the repeat purchase after which each
    customer drops out):

    >>> import numpy as np
    >>> from crmvalue_core.purchase_history import bgnbd_fit
    >>> rng = np.random.default_rng(3)
    >>> n = 5000
    >>> lam = rng.gamma(0.25, 1 / 4.0, n)
    >>> p = rng.beta(0.8, 2.5, n)
    >>> times = rng.exponential(1.0, (n, 100)).cumsum(axis=1) / lam[:, None]
    >>> frequency = np.minimum((times <= 39).sum(axis=1), rng.geometric(p))
    >>> recency = np.where(frequency > 0, times[np.arange(n), frequency - 1], 0.0)
    >>> fit = bgnbd_fit(frequency, recency, np.full(n, 39.0))
    >>> fit.names
    ('r', 'alpha', 'a', 'b')
    >>> [round(value, 2) for value in fit]
    [0.25, 4.12, 0.81, 2.51]
    >>> round(fit.log_likelihood, 1)
    -24135.9
    """
    func = "BGNBD_FIT"
    x, t_x, big_t = _history(func, frequency, recency, age)
    if np.ndim(x) == 0:
        raise fail(func, "frequency is a single value; give one row per customer")
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
    x, t_x, big_t = np.broadcast_arrays(x, t_x, big_t)
    if not np.any(x > 0):
        raise fail(
            func, "no customer made a repeat purchase (all frequency 0); the model needs some"
        )
    model = _BgnbdLikelihood(x, t_x, big_t)
    n = model.n
    start = (1.0, max(float(np.mean(big_t)), 1e-3), 1.0, 1.0)
    result = fit_positive_parameters(
        func,
        "BG/NBD",
        ("r", "alpha", "a", "b"),
        lambda p: -model.value(p) / n,
        start,
        n,
        gradient=lambda p: -model.gradient(p) / n,
    )
    return replace(result, log_likelihood=model.value(np.array(result.values)))


def _hyp2f1_log(a: np.ndarray, b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """ln 2F1(a, b; c; z), falling back on Euler's transformation where 2F1 overflows."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        value = np.log(special.hyp2f1(a, b, c, z))
        bad = ~np.isfinite(value)
        if np.any(bad):
            alt = np.log(special.hyp2f1(c - a, c - b, c, z)) + (c - a - b) * np.log1p(-z)
            value = np.where(bad, alt, value)
    return value


def _alive_odds_log(
    r: float, alpha: float, a: float, b: float, x: Any, t_x: Any, big_t: Any
) -> np.ndarray:
    """ln of the odds of 'dropped out after the last purchase' to 'alive' (x > 0)."""
    with np.errstate(divide="ignore"):
        return (r + x) * np.log((alpha + big_t) / (alpha + t_x)) + np.log(
            a / (b + np.maximum(x, 1.0) - 1.0)
        )


def _p_alive(r: float, alpha: float, a: float, b: float, x: Any, t_x: Any, big_t: Any) -> Any:
    log_odds = _alive_odds_log(r, alpha, a, b, x, t_x, big_t)
    return np.where(x == 0, 1.0, special.expit(-log_odds))


def _purchases_if_alive_closed(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """The numerator of eq. (10): expected purchases in (T, T+t] of a customer alive at T."""
    ra, bx, c = r + x, b + x, a + b + x - 1.0
    z = t / (alpha + big_t + t)
    ln_hyp = _hyp2f1_log(ra, bx, c, z)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        second = -np.expm1(ln_hyp - ra * np.log1p(t / (alpha + big_t)))
        return c / (a - 1.0) * second


def _purchases_if_alive_quadrature(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """The same expectation by quadrature, where the closed form is singular.

    Alive at T, lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x) (the posterior), and
    E[purchases in t | lambda, p] = (1 - exp(-lambda p t)) / p, so the expectation is
    E_p[(1 - ((alpha+T) / (alpha+T+pt))^(r+x)) / p], integrated with Gauss-Jacobi nodes
    for the Beta weight. Valid for every a, b > 0, including a = 1 and a+b+x <= 1.
    """
    out = np.empty(x.shape)
    for value in np.unique(x):
        rows = x == value
        scale = (t[rows] / (alpha + big_t[rows]))[:, None]
        # the integrand has a pole at p = -1/scale: more nodes the closer it is to [0, 1]
        nodes = int(np.clip(np.ceil(40.0 * np.sqrt(1.0 + scale.max(initial=0.0))), 64, 4000))
        u, w = special.roots_jacobi(nodes, b + value - 1.0, a - 1.0)
        p = (1.0 + u) / 2.0
        g = -np.expm1(-(r + value) * np.log1p(p * scale)) / p
        out[rows] = g @ (w / w.sum())
    return out


def _expected(
    r: float, alpha: float, a: float, b: float, t: Any, x: Any, t_x: Any, big_t: Any
) -> np.ndarray:
    """Eq. (10) of the paper (eq. 9 when x = t_x = T = 0), broadcast over the arguments.

    The closed form (a hypergeometric function) is used where it is well conditioned; at
    a = 1 (a removable singularity), for a+b+x-1 < 0.5 and for very short t (where the
    closed form cancels) the quadrature takes over.
    """
    t, x, t_x, big_t = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (t, x, t_x, big_t))
    )
    out = np.full(t.shape, np.nan)
    closed = (a + b + x - 1.0 >= 0.5) & (abs(a - 1.0) >= 1e-3) & (t >= 1e-5 * (alpha + big_t))
    if np.any(closed):
        out[closed] = _purchases_if_alive_closed(
            r, alpha, a, b, t[closed], x[closed], big_t[closed]
        )
    rest = ~np.isfinite(out)
    if np.any(rest):
        out[rest] = _purchases_if_alive_quadrature(r, alpha, a, b, t[rest], x[rest], big_t[rest])
    return out * _p_alive(r, alpha, a, b, x, t_x, big_t)


def _finite_or_fail(func: str, values: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(values)):
        i = _first_bad(~np.isfinite(values))
        at = "" if i is None else f" for customer {i + 1}"
        raise fail(
            func,
            f"the expected purchases cannot be computed{at} with these parameters "
            "(numerical overflow); check r, alpha, a and b and the time unit of t",
        )
    return values


def bgnbd_expected_purchases(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    t: Any,
    frequency: Any = None,
    recency: Any = None,
    age: Any = None,
) -> float | np.ndarray:
    """Expected number of purchases in the next ``t`` time units under the BG/NBD model.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (from :func:`bgnbd_fit`).
    t : scalar or array_like
        Length of the forecast period (same unit as the data the model was fitted on).
    frequency, recency, age : array_like, optional
        A customer's history (x, t_x, T). Without it, the result is for a customer who
        has just made the first purchase (unconditional).

    Returns
    -------
    float or ndarray
        Expected number of (repeat) purchases in (T, T + t].

    Notes
    -----
    Unconditional (paper, eq. 9):

    .. math :: E[X(t)] = \\frac{a+b-1}{a-1}\\left[1 - \\left(\\frac{\\alpha}{\\alpha+t}
               \\right)^r {}_2F_1\\left(r, b; a+b-1; \\frac{t}{\\alpha+t}\\right)\\right]

    Conditional on the history (paper, eq. 10):

    .. math :: E[Y(t) | x, t_x, T] = \\frac{\\frac{a+b+x-1}{a-1}\\left[1 -
               \\left(\\frac{\\alpha+T}{\\alpha+T+t}\\right)^{r+x}
               {}_2F_1\\left(r+x, b+x; a+b+x-1; \\frac{t}{\\alpha+T+t}\\right)\\right]}
               {1 + \\delta_{x>0}\\frac{a}{b+x-1}\\left(\\frac{\\alpha+T}{\\alpha+t_x}
               \\right)^{r+x}}

    Where the closed form is singular (a = 1) or ill-conditioned (a+b+x-1 < 0.5, or t
    below 1e-5 (alpha+T)), the same expectation is integrated over the posterior of p by
    Gauss-Jacobi quadrature.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.

    Examples
    --------
    With the CDNOW estimates (weeks): purchases of a new customer in the next 39 weeks,
    and of a customer with 2 repeat purchases, the last at week 30.43 of 38.86:

    >>> from crmvalue_core.purchase_history import bgnbd_expected_purchases
    >>> round(bgnbd_expected_purchases(0.243, 4.414, 0.793, 2.426, 39), 4)
    1.1967
    >>> round(bgnbd_expected_purchases(0.243, 4.414, 0.793, 2.426, 39, 2, 30.43, 38.86), 4)
    1.226
    """
    func = "BGNBD_PURCHASES"
    r, alpha, a, b = _positive(func, r=r, alpha=alpha, a=a, b=b)
    horizon = _column(func, "t", t, minimum=0.0, hint="a forecast period >= 0")
    given = [not is_omitted(v) for v in (frequency, recency, age)]
    if any(given) and not all(given):
        raise fail(func, "give frequency, recency and age together, or none of them")
    if all(given):
        x, t_x, big_t = _history(func, frequency, recency, age)
    else:
        x, t_x, big_t = 0.0, 0.0, 0.0
    _common_length(func, [("t", horizon), ("frequency", x)])
    args = (np.asarray(v, dtype=float) for v in (horizon, x, t_x, big_t))
    result = _finite_or_fail(func, _expected(r, alpha, a, b, *args))
    return scalar_or_array(result)


#: The name of the Excel function (BGNBD_PURCHASES), lower-cased.
bgnbd_purchases = bgnbd_expected_purchases


def bgnbd_p_alive(
    r: Any, alpha: Any, a: Any, b: Any, frequency: Any, recency: Any, age: Any
) -> float | np.ndarray:
    """Probability that a customer is still alive (has not dropped out) under BG/NBD.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (from :func:`bgnbd_fit`).
    frequency, recency, age : scalar or array_like
        The customer's history (x, t_x, T).

    Returns
    -------
    float or ndarray
        P(alive | x, t_x, T), in [0, 1]; 1 for a customer without repeat purchases.

    Notes
    -----
    .. math :: P(\\text{alive} | x, t_x, T) = \\frac{1}{1 + \\delta_{x>0}
               \\frac{a}{b+x-1}\\left(\\frac{\\alpha+T}{\\alpha+t_x}\\right)^{r+x}}

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way", Marketing Science 24(2), 275-284 (eq. 11 of the technical appendix);
    Fader, Hardie and Lee (2008), "Computing P(alive) using the BG/NBD model", note 021,
    brucehardie.com.

    Examples
    --------
    >>> from crmvalue_core.purchase_history import bgnbd_p_alive
    >>> round(bgnbd_p_alive(0.243, 4.414, 0.793, 2.426, 2, 30.43, 38.86), 4)
    0.7266
    >>> bgnbd_p_alive(0.243, 4.414, 0.793, 2.426, [0, 2], [0, 5.0], [38.86, 38.86]).round(4)
    array([1.    , 0.1237])
    """
    func = "BGNBD_P_ALIVE"
    r, alpha, a, b = _positive(func, r=r, alpha=alpha, a=a, b=b)
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in _history(func, frequency, recency, age))
    return scalar_or_array(_p_alive(r, alpha, a, b, x, t_x, big_t))


# --------------------------------------------------------------------------------------
# Gamma-Gamma spend model
# --------------------------------------------------------------------------------------


def _spend_history(
    func: str, frequency: Any, monetary_value: Any
) -> tuple[np.ndarray | float, np.ndarray | float]:
    x = _column(func, "frequency", frequency, minimum=0.0, whole=True, hint=_FREQUENCY_HINT)
    m = _column(
        func,
        "monetary_value",
        monetary_value,
        minimum=0.0,
        hint="an average purchase value >= 0",
    )
    _common_length(func, [("frequency", x), ("monetary_value", m)])
    return x, m


class _GammaGammaLikelihood:
    """Log-likelihood of the mean repeat spend zbar of customers with x > 0 purchases.

    The gamma-function terms depend on x alone (evaluated once per distinct x) and
    px ln(x zbar) sums to p times a constant, so only ln(gamma + x zbar) is per customer.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray) -> None:
        self.x, self.m, self.n = x, m, x.size
        self.xv, counts = np.unique(x, return_counts=True)
        self.nx = counts.astype(float)
        self.const = -np.sum(np.log(m))
        self.sum_x_log_xm = float(np.sum(x * np.log(x * m)))
        self.xm = x * m

    def value(self, params: np.ndarray) -> float:
        p, q, gamma = params
        pxv = p * self.xv
        ll = self.n * (q * np.log(gamma) - special.gammaln(q)) + self.const
        ll += self.nx @ (special.gammaln(pxv + q) - special.gammaln(pxv))
        ll += p * self.sum_x_log_xm - (p * self.x + q) @ np.log(gamma + self.xm)
        return float(ll)

    def gradient(self, params: np.ndarray) -> np.ndarray:
        p, q, gamma = params
        pxv = p * self.xv
        log_sum = np.log(gamma + self.xm)
        psi_sum = special.digamma(pxv + q)
        d_p = (
            self.nx @ (self.xv * (psi_sum - special.digamma(pxv)))
            + self.sum_x_log_xm
            - self.x @ log_sum
        )
        d_q = self.n * (np.log(gamma) - special.digamma(q)) + self.nx @ psi_sum - log_sum.sum()
        d_gamma = self.n * q / gamma - np.sum((p * self.x + q) / (gamma + self.xm))
        return np.array([d_p, d_q, d_gamma])


def gg_fit(frequency: Any, monetary_value: Any) -> FitResult:
    """Fit the Gamma-Gamma model of average spend by maximum likelihood.

    Parameters
    ----------
    frequency : array_like
        Repeat purchases x of each customer (whole numbers >= 0).
    monetary_value : array_like
        Mean value zbar of each customer's repeat purchases (> 0 when x > 0).

    Returns
    -------
    FitResult
        Parameters ``p, q, gamma`` and the log-likelihood. Only customers with x > 0
        enter the fit (``n_observations`` counts them).

    Notes
    -----
    Each purchase value is Gamma(p, nu), and nu ~ Gamma(q, gamma) across customers, so the
    mean of x purchases has the density (Fader, Hardie & Lee 2005, JMR, eq. 3)

    .. math :: f(\\bar z | p, q, \\gamma, x) = \\frac{\\Gamma(px+q)}{\\Gamma(px)\\Gamma(q)}
               \\frac{\\gamma^q \\, x^{px} \\, \\bar z^{px-1}}{(\\gamma + x \\bar z)^{px+q}}

    and the fit maximises the sum of its logarithm over the customers with x > 0.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", Journal of Marketing Research 42(4), 415-430;
    Fader and Hardie (2013), "The Gamma-Gamma model of monetary value", brucehardie.com.

    Examples
    --------
    Mean spends simulated from p = 6.25, q = 3.74, gamma = 15.44 (nu per customer, then
    the mean of x Gamma(p, nu) purchases, which is Gamma(px, x nu)):

    >>> import numpy as np
    >>> from crmvalue_core.purchase_history import gg_fit
    >>> rng = np.random.default_rng(1)
    >>> frequency = rng.integers(1, 8, 5000)
    >>> nu = rng.gamma(3.74, 1 / 15.44, 5000)
    >>> monetary_value = rng.gamma(6.25 * frequency, 1 / (nu * frequency))
    >>> fit = gg_fit(frequency, monetary_value)
    >>> [round(value, 2) for value in fit], fit.n_observations
    ([6.29, 3.68, 15.11], 5000)
    """
    func = "GG_FIT"
    x, m = _spend_history(func, frequency, monetary_value)
    if np.ndim(x) == 0 and np.ndim(m) == 0:
        raise fail(func, "frequency is a single value; give one row per customer")
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    repeat = x > 0
    zero_spend = repeat & (m <= 0)
    if np.any(zero_spend):
        i = int(np.flatnonzero(zero_spend)[0])
        raise fail(
            func,
            f"monetary_value item {i + 1} is 0 for a customer with repeat purchases "
            "(frequency > 0); enter the mean value of the repeat purchases (> 0)",
        )
    if np.count_nonzero(repeat) < 2:
        raise fail(func, "fewer than 2 customers with repeat purchases (frequency > 0); give more")
    model = _GammaGammaLikelihood(x[repeat], m[repeat])
    n = model.n
    mean_spend = float(np.mean(m[repeat]))
    result = fit_positive_parameters(
        func,
        "Gamma-Gamma",
        ("p", "q", "gamma"),
        lambda p: -model.value(p) / n,
        (1.0, 2.0, mean_spend),
        n,
        gradient=lambda p: -model.gradient(p) / n,
    )
    return replace(result, log_likelihood=model.value(np.array(result.values)))


def _gg_spend(p: float, q: float, gamma: float, x: Any, m: Any) -> np.ndarray:
    weight = p * x / (p * x + q - 1.0)
    return (1.0 - weight) * (gamma * p / (q - 1.0)) + weight * m


def _gg_parameters(func: str, p: Any, q: Any, gamma: Any) -> tuple[float, float, float]:
    p, q, gamma = _positive(func, p=p, q=q, gamma=gamma)
    if q <= 1.0:
        raise fail(
            func,
            f"q is {q:g}; the expected spend needs q > 1 (else the mean spend in the "
            "population is infinite)",
        )
    return p, q, gamma


def gg_expected_spend(
    p: Any, q: Any, gamma: Any, frequency: Any, monetary_value: Any
) -> float | np.ndarray:
    """Expected average spend per purchase of a customer under the Gamma-Gamma model.

    Parameters
    ----------
    p, q, gamma : float
        Gamma-Gamma parameters (from :func:`gg_fit`); q > 1.
    frequency : scalar or array_like
        Repeat purchases x (whole numbers >= 0).
    monetary_value : scalar or array_like
        Mean value zbar of the repeat purchases (ignored when x = 0).

    Returns
    -------
    float or ndarray
        E[Z | p, q, gamma, x, zbar], a weighted mean of the population mean and zbar.

    Notes
    -----
    (Fader, Hardie & Lee 2005, JMR, eq. 5)

    .. math :: E[Z | x, \\bar z] = \\frac{q-1}{px+q-1}\\frac{\\gamma p}{q-1}
               + \\frac{px}{px+q-1}\\bar z

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", Journal of Marketing Research 42(4), 415-430.

    Examples
    --------
    >>> from crmvalue_core.purchase_history import gg_expected_spend
    >>> round(gg_expected_spend(6.25, 3.74, 15.44, 2, 22.35), 4)
    24.6637
    >>> gg_expected_spend(6.25, 3.74, 15.44, [0, 7], [0, 73.74]).round(2)
    array([35.22, 71.47])
    """
    func = "GG_SPEND"
    p, q, gamma = _gg_parameters(func, p, q, gamma)
    x, m = _spend_history(func, frequency, monetary_value)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    return scalar_or_array(_gg_spend(p, q, gamma, x, m))


#: The name of the Excel function (GG_SPEND), lower-cased.
gg_spend = gg_expected_spend


# --------------------------------------------------------------------------------------
# Predicted CLV
# --------------------------------------------------------------------------------------


def predicted_clv(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: str = "W",
) -> float | np.ndarray:
    """Discounted predicted CLV of each customer from the BG/NBD and Gamma-Gamma models.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (:func:`bgnbd_fit`).
    p, q, gamma : float
        Gamma-Gamma parameters (:func:`gg_fit`); q > 1.
    frequency, recency, age : scalar or array_like
        Each customer's history (x, t_x, T), in ``time_unit``.
    monetary_value : scalar or array_like
        Mean value of each customer's repeat purchases.
    months : int, optional
        Forecast horizon in months (default 12).
    discount_rate : float, optional
        Monthly discount rate as a decimal (default 0.01).
    margin : float, optional
        Profit margin as a share of spend (default 1: a revenue CLV).
    time_unit : {"W", "D", "M"}, optional
        Unit of recency and age: weeks (default), days or months; a month is 4.345
        weeks or 30 days, as in ``lifetimes``.

    Returns
    -------
    float or ndarray
        The predicted CLV of each customer.

    Notes
    -----
    With months of length L in the time unit, t_i = i L and the conditional expectation
    E[Y(t) | x, t_x, T] of :func:`bgnbd_expected_purchases`, the standard discrete
    approach (as ``lifetimes.GammaGammaFitter.customer_lifetime_value``) is

    .. math :: CLV = m \\, E[Z | x, \\bar z] \\sum_{i=1}^{months}
               \\frac{E[Y(t_i)] - E[Y(t_{i-1})]}{(1+d)^i}

    with m the margin, d the monthly discount rate and E[Z | x, zbar] the Gamma-Gamma
    expected spend (:func:`gg_expected_spend`).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", Journal of Marketing Research 42(4), 415-430;
    Fader, Hardie and Lee (2005), "Counting your customers the easy way", Marketing
    Science 24(2), 275-284.

    Examples
    --------
    A CDNOW customer (weeks) with 2 repeat purchases averaging $22.35, over 12 months at
    1% a month, with a 30% margin:

    >>> from crmvalue_core.purchase_history import predicted_clv
    >>> round(predicted_clv(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44,
    ...                     2, 30.43, 38.86, 22.35, months=12, discount_rate=0.01,
    ...                     margin=0.3), 4)
    10.8868
    """
    func = "PREDICTED_CLV"
    r, alpha, a, b = _positive(func, r=r, alpha=alpha, a=a, b=b)
    p, q, gamma = _gg_parameters(func, p, q, gamma)
    x, t_x, big_t = _history(func, frequency, recency, age)
    _, m = _spend_history(func, frequency, monetary_value)
    _common_length(func, [("frequency", x), ("monetary_value", m)])
    n_months = int(
        as_number(
            func, "months", months, minimum=1.0, whole=True, hint="a whole number of months >= 1"
        )
    )
    rate = as_rate(func, "discount_rate", discount_rate)
    share = as_share(func, "margin", margin)
    unit = str(time_unit).strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in MONTH_LENGTH:
        raise fail(
            func,
            f'time_unit is {time_unit!r}; enter "W" (weeks), "D" (days) or "M" (months)',
        )
    x, t_x, big_t, m = (np.asarray(v, dtype=float)[..., None] for v in (x, t_x, big_t, m))
    times = np.arange(n_months + 1) * MONTH_LENGTH[unit]
    cumulative = _finite_or_fail(func, _expected(r, alpha, a, b, times, x, t_x, big_t))
    discount = (1.0 + rate) ** -np.arange(1.0, n_months + 1.0)
    purchases = np.diff(cumulative, axis=-1) @ discount
    spend = _gg_spend(p, q, gamma, x[..., 0], m[..., 0])
    return scalar_or_array(share * spend * purchases)
