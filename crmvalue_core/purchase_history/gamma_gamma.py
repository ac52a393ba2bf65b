"""The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, JMR 42(4)).

Each purchase value is Gamma(p, nu), and nu ~ Gamma(q, gamma) across customers. Two
calculators:

* :func:`gg_fit` -- the parameters ``p, q, gamma`` by maximum likelihood;
* :func:`gg_expected_spend` -- a customer's expected spend per purchase (GG_SPEND).

The formulas are in :mod:`._gamma_gamma_model`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from .._fitting import FitResult, fit_positive_parameters
from .._inputs import fail, scalar_or_array
from ..fit_uncertainty import with_uncertainty
from ._gamma_gamma_model import GammaGammaLikelihood, expected_spend, gg_parameters
from ._histories import spend_history

__all__ = ["gg_expected_spend", "gg_fit"]


def gg_fit(frequency: Any, monetary_value: Any, confidence: Any = None) -> FitResult:
    """Fit the Gamma-Gamma model of average spend by maximum likelihood.

    Parameters
    ----------
    frequency : array_like
        Repeat purchases x of each customer (whole numbers >= 0).
    monetary_value : array_like
        Mean value zbar of each customer's repeat purchases (> 0 when x > 0).
    confidence : float, optional
        Given (e.g. 0.95), the result also carries the standard errors and intervals of
        that level in ``uncertainty`` (see :mod:`crmvalue_core.fit_uncertainty`).

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
    x, m = spend_history(func, frequency, monetary_value)
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
    model = GammaGammaLikelihood(x[repeat], m[repeat])
    n = model.n
    mean_spend = float(np.mean(model.m))  # sorted: the same start in any order
    result = fit_positive_parameters(
        func,
        "Gamma-Gamma",
        ("p", "q", "gamma"),
        lambda p: -model.value(p) / n,
        (1.0, 2.0, mean_spend),
        n,
        gradient=lambda p: -model.gradient(p) / n,
    )
    result = replace(result, log_likelihood=model.value(np.array(result.values)))
    return with_uncertainty(func, result, model.gradient, confidence)


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
    p, q, gamma = gg_parameters(func, p, q, gamma)
    x, m = spend_history(func, frequency, monetary_value)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    return scalar_or_array(expected_spend(p, q, gamma, x, m))
