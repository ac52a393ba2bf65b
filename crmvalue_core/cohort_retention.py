"""Cohort retention with the shifted-beta-geometric (sBG) model.

The sBG model (Fader & Hardie, "How to project customer retention", Journal of
Interactive Marketing 21(1), 2007) describes a contractual business in which each customer
renews at the end of every period or leaves for good:

* a customer with churn probability ``theta`` stays for a geometric number of periods,
  ``P(T = t | theta) = theta (1 - theta)^(t-1)``, t = 1, 2, ...;
* churn probabilities differ between customers and follow a beta distribution with
  parameters ``alpha`` and ``beta``.

Mixing the geometric over the beta distribution gives, with ``B`` the beta function:

* ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``, the share of a cohort that
  churns in period t;
* ``S(t) = B(alpha, beta + t) / B(alpha, beta)``, the share still active after t periods;
* ``r_t = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)``, the retention rate
  in period t, which rises with t: the customers who churn easily leave first.

For valuation (Fader & Hardie, "Customer-base valuation in a contractual setting: the
perils of ignoring heterogeneity", Marketing Science 29(1), 2010) the discounted expected
lifetime (DEL) and the discounted expected residual lifetime (DERL) have closed forms in
the Gaussian hypergeometric function ``2F1``; multiplied by a margin per period they give
a customer lifetime value.

Functions: :func:`sbg_fit`, :func:`sbg_survival`, :func:`sbg_retention`, :func:`sbg_del`,
:func:`sbg_derl`, :func:`sbg_clv`. Each accepts scalars or arrays for its parameters and
broadcasts (the fitter takes one cohort).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import betaln, digamma, hyp2f1

from ._fitting import FitResult, fit_positive_parameters
from ._inputs import (
    as_numbers,
    as_values,
    check_range,
    fail,
    first_true,
    is_omitted,
    scalar_or_array,
)
from .fit_uncertainty import with_uncertainty

__all__ = [
    "sbg_clv",
    "sbg_del",
    "sbg_derl",
    "sbg_fit",
    "sbg_retention",
    "sbg_survival",
]

#: Most terms the fallback series may sum for one value before giving up.
_MAX_SERIES_TERMS = 20_000_000
_SERIES_CHUNK = 65_536


# --------------------------------------------------------------------------- fitting


def sbg_fit(survivors: Any, confidence: Any = None) -> FitResult:
    """Fit the shifted-beta-geometric model to one cohort by maximum likelihood.

    Parameters
    ----------
    survivors : sequence of whole numbers
        The customers of one cohort still active at periods 0, 1, ..., n: the first value
        is the cohort size (> 0), the counts never rise, n >= 1.
    confidence : float, optional
        Given (e.g. 0.95), the result also carries the standard errors and intervals of
        that level in ``uncertainty`` (see :mod:`crmvalue_core.fit_uncertainty`).

    Returns
    -------
    FitResult
        Model ``"sBG"``, parameters ``("alpha", "beta")``, the maximised log-likelihood and
        the cohort size as ``n_observations``. It unpacks as ``alpha, beta = sbg_fit(...)``.

    Raises
    ------
    CrmValueError
        For a blank, text or negative count, a count that is not whole, a count that rises
        from one period to the next, a cohort of 0 customers, fewer than two values, or a
        cohort that does not identify the model (nobody ever churns, or everybody churns in
        the first period).

    Notes
    -----
    With ``n_t`` the survivors at period t, ``n_(t-1) - n_t`` customers churn in period t,
    each with probability ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``, and the
    ``n_n`` still active at the end are censored, contributing ``S(n)``. The log-likelihood

    .. math:: LL(alpha, beta) = sum_{t=1}^{n} (n_{t-1} - n_t) ln P(T = t) + n_n ln S(n)

    is maximised over alpha, beta > 0 (Fader & Hardie 2007, equation 6), with its
    analytic gradient (digamma functions).

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention",
    Journal of Interactive Marketing, 21(1), 76-90. The "regular" cohort below is the
    paper's; its estimates are alpha = 0.704, beta = 1.182.

    Examples
    --------
    >>> fit = sbg_fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> alpha, beta = fit
    >>> round(alpha, 3), round(beta, 3)
    (0.704, 1.182)
    >>> fit.model, fit.names, fit.n_observations
    ('sBG', ('alpha', 'beta'), 1000)
    """
    func = "SBG_FIT"
    counts = as_values(func, "survivors", survivors, blank="error", ndim=1)
    check_range(
        func,
        "survivors",
        counts,
        minimum=0.0,
        whole=True,
        hint="a whole number of customers >= 0",
    )
    if counts.size < 2:
        raise fail(
            func,
            "survivors needs the cohort size and at least one later count (periods 0, 1, ...); "
            f"got {counts.size} value",
        )
    if counts[0] <= 0:
        raise fail(
            func,
            "survivors item 1 (the cohort size at period 0) is 0; give the number of "
            "customers the cohort started with",
        )
    rises = np.flatnonzero(np.diff(counts) > 0)
    if rises.size:
        i = int(rises[0]) + 1
        raise fail(
            func,
            f"survivors item {i + 1} ({counts[i]:g}) is more than item {i} "
            f"({counts[i - 1]:g}); a cohort only loses customers, so the counts cannot rise: "
            "give the survivors of one cohort, period 0 first",
        )
    lost = counts[:-1] - counts[1:]
    if not lost.any():
        raise fail(
            func,
            "no customer of the cohort ever churned, so the model cannot be fitted; "
            "give a cohort observed long enough to lose customers",
        )
    if counts[1] == 0:
        raise fail(
            func,
            "every customer churned in the first period, so the model cannot be fitted; "
            "check the counts",
        )
    n = counts.size - 1
    t = np.arange(1, n + 1, dtype=float)
    last = counts[-1]

    def negative_log_likelihood(params: np.ndarray) -> float:
        alpha, beta = params
        base = betaln(alpha, beta)
        log_p = betaln(alpha + 1.0, beta + t - 1.0) - base
        value = np.dot(lost, log_p)
        if last > 0:
            value += last * (betaln(alpha, beta + n) - base)
        return -float(value)

    def gradient(params: np.ndarray) -> np.ndarray:
        alpha, beta = params
        psi_ab = digamma(alpha + beta)
        psi_abt = digamma(alpha + beta + t)
        d_alpha = digamma(alpha + 1.0) - digamma(alpha) + psi_ab - psi_abt
        d_beta = digamma(beta + t - 1.0) - digamma(beta) + psi_ab - psi_abt
        g_alpha = np.dot(lost, d_alpha)
        g_beta = np.dot(lost, d_beta)
        if last > 0:
            psi_abn = digamma(alpha + beta + n)
            g_alpha += last * (psi_ab - psi_abn)
            g_beta += last * (digamma(beta + n) - digamma(beta) + psi_ab - psi_abn)
        return -np.array([g_alpha, g_beta])

    result = fit_positive_parameters(
        func,
        "sBG",
        ("alpha", "beta"),
        negative_log_likelihood,
        start=(1.0, 1.0),
        n_observations=int(counts[0]),
        gradient=gradient,
    )
    return with_uncertainty(func, result, lambda p: -gradient(p), confidence)


# ------------------------------------------------------------------ survival, retention


def _fit_together(func: str, **named: Any) -> None:
    """Raise a clear error when array arguments do not broadcast together."""
    shapes = {name: np.shape(value) for name, value in named.items()}
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        shown = ", ".join(f"{name} {shape}" for name, shape in shapes.items() if shape)
        raise fail(
            func,
            f"the ranges do not fit together ({shown}); give single values or ranges of "
            "the same length",
        ) from None


def _parameters(func: str, alpha: Any, beta: Any) -> tuple[np.ndarray | float, ...]:
    hint = "a number > 0 (a parameter of the sBG model, as SBG_FIT returns it)"
    return (
        as_numbers(func, "alpha", alpha, above=0.0, hint=hint),
        as_numbers(func, "beta", beta, above=0.0, hint=hint),
    )


def sbg_survival(alpha: Any, beta: Any, t: Any) -> float | np.ndarray:
    """Share of a cohort still active after t periods under the sBG model.

    Parameters
    ----------
    alpha, beta : float or array_like
        The sBG parameters (> 0), e.g. from :func:`sbg_fit`.
    t : int or array_like
        Periods since acquisition, whole numbers >= 0. The arguments broadcast.

    Returns
    -------
    float or ndarray
        ``S(t)`` in [0, 1]; ``S(0) = 1``.

    Notes
    -----
    .. math:: S(t) = B(alpha, beta + t) / B(alpha, beta)

    computed as ``exp(ln B(alpha, beta + t) - ln B(alpha, beta))`` (Fader & Hardie 2007,
    equation 3).

    Examples
    --------
    >>> round(sbg_survival(0.704, 1.182, 1), 4)
    0.6267
    >>> sbg_survival(1.0, 1.0, [0, 1, 2, 3])
    array([1.        , 0.5       , 0.33333333, 0.25      ])
    """
    func = "SBG_SURVIVAL"
    a, b = _parameters(func, alpha, beta)
    periods = as_numbers(func, "t", t, minimum=0.0, whole=True, hint="a whole number >= 0")
    _fit_together(func, alpha=a, beta=b, t=periods)
    result = np.exp(betaln(a, np.add(b, periods)) - betaln(a, b))
    return scalar_or_array(result)


def sbg_retention(alpha: Any, beta: Any, t: Any) -> float | np.ndarray:
    """Retention rate in period t under the sBG model: the share of the customers active at
    t - 1 who renew at t.

    Parameters
    ----------
    alpha, beta : float or array_like
        The sBG parameters (> 0).
    t : int or array_like
        The period, a whole number >= 1. The arguments broadcast.

    Returns
    -------
    float or ndarray
        ``r_t`` in [0, 1), rising with t towards 1.

    Notes
    -----
    .. math:: r_t = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1)

    (Fader & Hardie 2007, equation 4).

    Examples
    --------
    >>> round(sbg_retention(0.704, 1.182, 1), 4)
    0.6267
    >>> sbg_retention(1.0, 1.0, [1, 2, 3])
    array([0.5       , 0.66666667, 0.75      ])
    """
    func = "SBG_RETENTION"
    a, b = _parameters(func, alpha, beta)
    periods = as_numbers(func, "t", t, minimum=1.0, whole=True, hint="a whole number >= 1")
    _fit_together(func, alpha=a, beta=b, t=periods)
    top = np.add(b, periods) - 1.0
    return scalar_or_array(top / (top + a))


# ------------------------------------------------------------------------- DEL, DERL


def _series_2f1_one(b: float, c: float, z: float) -> float:
    """``2F1(1, b; c; z)`` for 0 < z < 1 and c > b > 0 by its power series.

    The terms ``u_k = (b)_k / (c)_k z^k`` fall by a ratio ``(b+k)/(c+k) z < z`` each, so
    the rest of the series after ``u_K`` is at most ``u_K / (1 - z)``: summing stops once
    that bound is below 1e-17 of the total.
    """
    total = 0.0
    term = 1.0
    start = 0
    while start < _MAX_SERIES_TERMS:
        k = np.arange(start, start + _SERIES_CHUNK, dtype=float)
        ratios = (b + k) / (c + k) * z
        terms = term * np.concatenate(([1.0], np.cumprod(ratios[:-1])))
        total += float(terms.sum())
        term = float(terms[-1] * ratios[-1])
        start += _SERIES_CHUNK
        if term / (1.0 - z) <= 1e-17 * total:
            return total
    return float("nan")


def _hyp2f1_one(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """``2F1(1, b; c; z)`` elementwise for c > b > 0 and 0 < z < 1.

    scipy's ``hyp2f1`` (accurate where it returns a finite value) is the first choice; where
    it returns NaN or infinity (large b with z near 1) the convergent power series takes
    over.
    """
    value = np.asarray(hyp2f1(1.0, b, c, z), dtype=float)
    bad = ~np.isfinite(value)
    if bad.any():
        b_all, c_all, z_all = np.broadcast_arrays(b, c, z)
        value = np.array(value, dtype=float, copy=True)
        for index in zip(*np.nonzero(bad), strict=True):
            value[index] = _series_2f1_one(
                float(b_all[index]), float(c_all[index]), float(z_all[index])
            )
    return value


def _discount(func: str, discount_rate: Any) -> np.ndarray | float:
    return as_numbers(
        func,
        "discount_rate",
        discount_rate,
        minimum=0.0,
        hint="a discount rate per period >= 0 as a decimal (10% = 0.1)",
    )


def _residual(
    func: str,
    alpha: np.ndarray | float,
    beta: np.ndarray | float,
    d: np.ndarray | float,
    n: np.ndarray | float,
) -> np.ndarray:
    """``sum_{k>=0} S(n+k)/S(n) / (1+d)^k = 2F1(1, beta+n; alpha+beta+n; 1/(1+d))``."""
    a, b, rate, periods = np.broadcast_arrays(
        np.asarray(alpha, dtype=float),
        np.asarray(beta, dtype=float),
        np.asarray(d, dtype=float),
        np.asarray(n, dtype=float),
    )
    result = np.empty(a.shape, dtype=float)
    undiscounted = rate == 0.0
    if np.any(undiscounted & (a <= 1.0)):
        index = first_true(undiscounted & (a <= 1.0))
        raise fail(
            func,
            f"with discount_rate 0 the expected lifetime is infinite because alpha "
            f"({a[index]:g}) is not above 1; use a discount rate above 0",
        )
    # d = 0: Gauss's theorem, 2F1(1, b; b + a; 1) = (a + b - 1) / (a - 1).
    b_n = b + periods
    result[undiscounted] = (a + b_n - 1.0)[undiscounted] / (a - 1.0)[undiscounted]
    live = ~undiscounted
    if live.any():
        result[live] = _hyp2f1_one(b_n[live], (a + b_n)[live], 1.0 / (1.0 + rate[live]))
    if not np.all(np.isfinite(result)):
        raise fail(
            func,
            "the discount rate is too close to 0 for the lifetime to be computed; "
            "use a larger discount rate per period",
        )
    return result


def sbg_del(alpha: Any, beta: Any, discount_rate: Any) -> float | np.ndarray:
    """Discounted expected lifetime (DEL) of a customer at acquisition, in periods.

    Parameters
    ----------
    alpha, beta : float or array_like
        The sBG parameters (> 0).
    discount_rate : float or array_like
        Discount rate per period (>= 0; 0 needs alpha > 1). The arguments broadcast.

    Returns
    -------
    float or ndarray
        The present value of 1 per period paid while the customer is active, the first
        payment at acquisition (undiscounted). Times a margin per period it is a CLV.

    Notes
    -----
    .. math:: DEL = sum_{t=0}^{inf} S(t) / (1+d)^t = {}_2F_1(1, beta; alpha + beta; 1/(1+d))

    (Fader & Hardie 2010, equation 5). ``scipy.special.hyp2f1`` computes it; where it
    cannot (large beta, small d) the convergent power series, whose terms are exactly
    the discounted survival probabilities, does. With ``d = 0`` and ``alpha > 1``:
    ``DEL = (alpha + beta - 1) / (alpha - 1)``, the expected lifetime.

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2010), "Customer-base valuation in a contractual
    setting: the perils of ignoring heterogeneity", Marketing Science, 29(1), 85-93.

    Examples
    --------
    >>> round(sbg_del(0.704, 1.182, 0.10), 4)
    3.6951
    >>> sbg_del(2.0, 1.0, 0.0)  # expected lifetime (alpha + beta - 1) / (alpha - 1)
    2.0
    """
    func = "SBG_DEL"
    a, b = _parameters(func, alpha, beta)
    d = _discount(func, discount_rate)
    _fit_together(func, alpha=a, beta=b, discount_rate=d)
    return scalar_or_array(_residual(func, a, b, d, 0.0))


def sbg_derl(alpha: Any, beta: Any, discount_rate: Any, renewals: Any) -> float | np.ndarray:
    """Discounted expected residual lifetime (DERL) of a customer who has renewed
    ``renewals`` times and is about to decide on the next renewal, in periods.

    Parameters
    ----------
    alpha, beta : float or array_like
        The sBG parameters (> 0).
    discount_rate : float or array_like
        Discount rate per period (>= 0; 0 needs alpha > 1).
    renewals : int or array_like
        Renewals made so far, a whole number >= 0 (0: acquired at the start of the last
        period, not yet renewed). The arguments broadcast.

    Returns
    -------
    float or ndarray
        The present value of 1 per period paid while the customer stays, counting from the
        coming renewal (undiscounted, if it happens) on.

    Notes
    -----
    With n = renewals + 1 (the customer is active at period n - 1 and the n-th renewal
    is due now), Fader & Hardie (2010, equation 6) give

    .. math::

        DERL = sum_{t=n}^{inf} S(t) / S(n-1) / (1+d)^(t-n)
             = (beta + n - 1)/(alpha + beta + n - 1)
               {}_2F_1(1, beta + n; alpha + beta + n; 1/(1+d))

    computed as :func:`sbg_del` is. It follows that
    ``DEL = 1 + DERL(renewals=0) / (1 + d)``, and with ``d = 0``,
    ``DERL = (beta + n - 1) / (alpha - 1)``.

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2010), "Customer-base valuation in a contractual
    setting: the perils of ignoring heterogeneity", Marketing Science, 29(1), 85-93.

    Examples
    --------
    >>> round(sbg_derl(0.704, 1.182, 0.10, 4), 4)
    5.8944
    >>> sbg_derl(2.0, 1.0, 0.0, [0, 1, 2])  # (beta + renewals) / (alpha - 1)
    array([1., 2., 3.])
    """
    func = "SBG_DERL"
    a, b = _parameters(func, alpha, beta)
    d = _discount(func, discount_rate)
    done = as_numbers(
        func, "renewals", renewals, minimum=0.0, whole=True, hint="a whole number >= 0"
    )
    _fit_together(func, alpha=a, beta=b, discount_rate=d, renewals=done)
    # beta + n - 1 = beta + renewals: the residual sum starts after `renewals + 1` periods.
    first = np.add(b, done)
    retention = first / (first + a)
    return scalar_or_array(retention * _residual(func, a, b, d, np.add(done, 1.0)))


def sbg_clv(
    alpha: Any,
    beta: Any,
    margin: Any,
    discount_rate: Any,
    renewals: Any = None,
) -> float | np.ndarray:
    """Customer lifetime value under the sBG model: margin per period times DEL or DERL.

    Parameters
    ----------
    alpha, beta : float or array_like
        The sBG parameters (> 0).
    margin : float or array_like
        Margin (or net cash flow) per period while the customer is active.
    discount_rate : float or array_like
        Discount rate per period (>= 0; 0 needs alpha > 1).
    renewals : int or array_like, optional
        Omitted: the value of a customer at acquisition (``margin x SBG_DEL``). Given: the
        residual value of a customer who has renewed that many times
        (``margin x SBG_DERL``).

    Returns
    -------
    float or ndarray
        The expected present value of the customer's margins.

    Notes
    -----
    .. math:: CLV = m \\cdot DEL(alpha, beta, d)  or  m \\cdot DERL(alpha, beta, d, renewals)

    (Fader & Hardie 2010, section 2). The first margin is paid at acquisition (or at the
    coming renewal) and is not discounted.

    Examples
    --------
    >>> round(sbg_clv(0.704, 1.182, 100, 0.10), 2)
    369.51
    >>> round(sbg_clv(0.704, 1.182, 100, 0.10, renewals=4), 2)
    589.44
    """
    func = "SBG_CLV"
    m = as_numbers(func, "margin", margin, hint="a margin per period (a number)")
    a, b = _parameters(func, alpha, beta)
    d = _discount(func, discount_rate)
    if is_omitted(renewals):
        _fit_together(func, alpha=a, beta=b, margin=m, discount_rate=d)
        lifetime = _residual(func, a, b, d, 0.0)
    else:
        done = as_numbers(
            func, "renewals", renewals, minimum=0.0, whole=True, hint="a whole number >= 0"
        )
        _fit_together(func, alpha=a, beta=b, margin=m, discount_rate=d, renewals=done)
        first = np.add(b, done)
        lifetime = first / (first + a) * _residual(func, a, b, d, np.add(done, 1.0))
    return scalar_or_array(np.multiply(m, lifetime))


# Several cohorts in one model (:mod:`crmvalue_core.cohort_tables`), under this subject too.
from .cohort_tables import sbg_fit_cohorts  # noqa: E402, F401
