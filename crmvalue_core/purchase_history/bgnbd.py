"""The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, Marketing Science 24(2)).

While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
purchase she drops out with probability p ~ Beta(a, b). Three calculators:

* :func:`bgnbd_fit` -- the parameters ``r, alpha, a, b`` by maximum likelihood;
* :func:`bgnbd_expected_purchases` -- the expected purchases in the next ``t`` time units,
  of a new customer or given a customer's history (BGNBD_PURCHASES);
* :func:`bgnbd_p_alive` -- the probability that a customer is still alive;
* :func:`bgnbd_prob_purchases` -- the probability of exactly x purchases in a period of
  length t for a new customer (BGNBD_PROB_PURCHASES).

The formulas are in :mod:`._bgnbd_model`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .._fitting import Explain, FitResult, fit_positive_parameters
from .._inputs import fail, is_omitted, scalar_or_array
from ..fit_uncertainty import with_uncertainty
from ._bgnbd_model import (
    BgnbdLikelihood,
    expected_purchases,
    finite_or_fail,
    p_alive,
    probability_of_purchases,
)
from ._histories import column, common_length, history, positive

__all__ = ["bgnbd_expected_purchases", "bgnbd_fit", "bgnbd_p_alive", "bgnbd_prob_purchases"]

#: Below this share of repeat buyers gone (by the fitted model), the log says too little
#: about drop-out for the model to estimate it (CDNOW: about a third).
DROPOUT_FLOOR = 0.005
#: Above this shape r the purchase rates of the customers differ by less than 1% (their
#: coefficient of variation is 1/sqrt(r)): the log cannot tell them apart (CDNOW: 0.24).
RATE_SHAPE_CEILING = 1e4
#: Above this a + b the customers' drop-out probabilities differ by a few percent at most
#: (a Beta(a, b) of mean m has a coefficient of variation sqrt((1 - m) / (m (a + b + 1)))):
#: the log cannot tell them apart (CDNOW: 3.2).
DROPOUT_SPREAD_CEILING = 1e4
_TRY = (
    "try a longer observation window, more customers, or a model without drop-out "
    "(such as the NBD or Pareto/NBD)"
)
NO_DROPOUT = (
    "almost no customer stops buying in this log, so the model cannot estimate drop-out "
    f"(the fit runs to the edge where nobody ever leaves); {_TRY}"
)
SAME_DROPOUT = (
    "the customers seem to stop buying with almost the same probability, so the model "
    "cannot estimate how that probability differs between them (the fit runs along a "
    "ridge without an optimum); try more customers or a longer observation window"
)
SAME_RATE = (
    "the customers buy at almost the same steady rate (as if each bought on random days "
    "and nobody stopped), so the model cannot estimate how purchase rates differ between "
    f"customers nor when they stop buying; check that the log holds purchases, or {_TRY}"
)


def _explain(model: BgnbdLikelihood) -> Explain:
    """What is wrong with a BG/NBD fit to these data, in words (None: nothing)."""

    def explain(params: dict[str, float], ran_off: tuple[str, ...]) -> str | None:
        values = np.array([params[name] for name in ("r", "alpha", "a", "b")])
        if ("a" in ran_off and params["a"] < 1) or ("b" in ran_off and params["b"] > 1):
            return NO_DROPOUT
        if model.dropped_share(values) < DROPOUT_FLOOR:
            return NO_DROPOUT
        if "r" in ran_off or "alpha" in ran_off or params["r"] > RATE_SHAPE_CEILING:
            return SAME_RATE
        return None

    return explain


def _explain_unsettled(params: dict[str, float], ran_off: tuple[str, ...]) -> str | None:
    """Why a BG/NBD fit did not converge, in words (None: no particular reason)."""
    return SAME_DROPOUT if params["a"] + params["b"] > DROPOUT_SPREAD_CEILING else None


def bgnbd_fit(frequency: Any, recency: Any, age: Any, confidence: Any = None) -> FitResult:
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
    confidence : float, optional
        Given (e.g. 0.95), the result also carries the standard errors and intervals of
        that level in ``uncertainty`` (see :mod:`crmvalue_core.fit_uncertainty`).

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
    ``scipy.special.gammaln`` and an analytic gradient) on the distinct (x, t_x, T)
    triples, each weighted by its count: the sums run in sorted order, so the same
    customers in any order (a log read in chunks or partitions) give the same
    parameters to the last bit.

    A log where almost no customer stops buying (the fitted model says fewer than
    0.5% of the repeat buyers are gone), where the customers' purchase rates hardly
    differ (r above 1e4: a coefficient of variation 1/sqrt(r) below 1%), where their
    drop-out probabilities hardly differ and the fit finds no optimum along that ridge
    (a + b above 1e4), or where the parameters run off to the edge of the search, does
    not identify the model: the fit stops early and raises a
    :class:`~crmvalue_core.CrmValueError` that says so, in words.

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
    x, t_x, big_t = history(func, frequency, recency, age)
    if np.ndim(x) == 0:
        raise fail(func, "frequency is a single value; give one row per customer")
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (x, t_x, big_t))
    x, t_x, big_t = np.broadcast_arrays(x, t_x, big_t)
    if not np.any(x > 0):
        raise fail(
            func, "no customer made a repeat purchase (all frequency 0); the model needs some"
        )
    model = BgnbdLikelihood(x, t_x, big_t)
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
        explain=_explain(model),
        explain_unsettled=_explain_unsettled,
    )
    result = replace(result, log_likelihood=model.value(np.array(result.values)))
    return with_uncertainty(func, result, model.gradient, confidence)


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
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    horizon = column(func, "t", t, minimum=0.0, hint="a forecast period >= 0")
    given = [not is_omitted(v) for v in (frequency, recency, age)]
    if any(given) and not all(given):
        raise fail(func, "give frequency, recency and age together, or none of them")
    if all(given):
        x, t_x, big_t = history(func, frequency, recency, age)
    else:
        x, t_x, big_t = 0.0, 0.0, 0.0
    common_length(func, [("t", horizon), ("frequency", x)])
    args = (np.asarray(v, dtype=float) for v in (horizon, x, t_x, big_t))
    result = finite_or_fail(func, expected_purchases(r, alpha, a, b, *args))
    return scalar_or_array(result)


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
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in history(func, frequency, recency, age))
    return scalar_or_array(p_alive(r, alpha, a, b, x, t_x, big_t))


def bgnbd_prob_purchases(r: Any, alpha: Any, a: Any, b: Any, t: Any, x: Any) -> float | np.ndarray:
    """Probability that a new customer makes exactly ``x`` repeat purchases in ``t`` time units.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (from :func:`bgnbd_fit`).
    t : scalar or array_like
        Length of the period from the first purchase (>= 0, in the time unit of the fit).
    x : scalar or array_like
        Number of repeat purchases (whole numbers >= 0). ``t`` and ``x`` broadcast: one
        ``t`` and a column of ``x`` gives the distribution of one customer.

    Returns
    -------
    float or ndarray
        P(X(t) = x), in [0, 1].

    Notes
    -----
    Paper, eq. (8):

    .. math :: P(X(t)=x) = \\frac{B(a, b+x)}{B(a, b)} \\frac{\\Gamma(r+x)}{\\Gamma(r)\\,x!}
               \\left(\\frac{\\alpha}{\\alpha+t}\\right)^r
               \\left(\\frac{t}{\\alpha+t}\\right)^x + \\delta_{x>0}
               \\frac{B(a+1, b+x-1)}{B(a, b)} \\left[1 - \\left(\\frac{\\alpha}{\\alpha+t}
               \\right)^r \\sum_{j=0}^{x-1} \\frac{\\Gamma(r+j)}{\\Gamma(r)\\,j!}
               \\left(\\frac{t}{\\alpha+t}\\right)^j\\right]

    The bracket is the upper tail of a negative binomial distribution, evaluated as the
    regularised incomplete beta function I_{t/(alpha+t)}(x, r); everything is vectorised.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the
    easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.

    Examples
    --------
    With the CDNOW estimates (weeks), a new customer over 39 weeks: no repeat purchase,
    exactly one, and the first three together:

    >>> from crmvalue_core.purchase_history import bgnbd_prob_purchases
    >>> round(bgnbd_prob_purchases(0.243, 4.414, 0.793, 2.426, 39, 0), 4)
    0.5738
    >>> bgnbd_prob_purchases(0.243, 4.414, 0.793, 2.426, 39, [0, 1, 2]).round(4)
    array([0.5738, 0.1994, 0.0854])

    Over t = 0 nothing can happen yet:

    >>> bgnbd_prob_purchases(1, 1, 1, 1, 0, [0, 1])
    array([1., 0.])
    """
    func = "BGNBD_PROB_PURCHASES"
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    horizon = column(func, "t", t, minimum=0.0, hint="a period length >= 0")
    count = column(func, "x", x, minimum=0.0, whole=True, hint="a whole number of purchases >= 0")
    common_length(func, [("t", horizon), ("x", count)])
    result = probability_of_purchases(r, alpha, a, b, horizon, count)
    return scalar_or_array(finite_or_fail(func, result))
