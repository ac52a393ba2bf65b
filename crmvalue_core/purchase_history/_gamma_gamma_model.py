"""The Gamma-Gamma model's formulas: the likelihood of mean spends and the expected spend.

:class:`GammaGammaLikelihood` is what :func:`~crmvalue_core.purchase_history.gg_fit`
maximises; :func:`expected_spend` is eq. (5) of Fader, Hardie & Lee (2005, JMR), shared by
:mod:`.gamma_gamma` and :mod:`.clv`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from .._inputs import fail
from ._histories import positive

__all__ = ["GammaGammaLikelihood", "expected_spend", "gg_parameters"]


class GammaGammaLikelihood:
    """Log-likelihood of the mean repeat spend zbar of customers with x > 0 purchases.

    The gamma-function terms depend on x alone (evaluated once per distinct x) and
    px ln(x zbar) sums to p times a constant, so only ln(gamma + x zbar) is per customer.
    The customers are sorted by (x, zbar) first, so the sums do not depend on their
    order: the same customers in any order give the same fit to the last bit.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray) -> None:
        order = np.lexsort((m, x))
        x, m = x[order], m[order]
        self.x, self.m, self.n = x, m, x.size
        self.xv, counts = np.unique(x, return_counts=True)
        self.nx = counts.astype(float)
        self.const = -np.sum(np.log(m))
        self.sum_x_log_xm = float(np.sum(x * np.log(x * m)))
        self.xm = x * m

    def value(self, params: np.ndarray) -> float:
        """The log-likelihood of the mean spends at ``params`` = (p, q, gamma) (eq. 3)."""
        p, q, gamma = params
        pxv = p * self.xv
        ll = self.n * (q * np.log(gamma) - special.gammaln(q)) + self.const
        ll += self.nx @ (special.gammaln(pxv + q) - special.gammaln(pxv))
        ll += p * self.sum_x_log_xm - (p * self.x + q) @ np.log(gamma + self.xm)
        return float(ll)

    def gradient(self, params: np.ndarray) -> np.ndarray:
        """The gradient of :meth:`value` with respect to (p, q, gamma)."""
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


def expected_spend(p: float, q: float, gamma: float, x: Any, m: Any) -> np.ndarray:
    """E[Z | x, zbar]: the population mean gamma p / (q - 1) and the customer's mean spend m,
    weighted p x / (p x + q - 1) towards m (eq. 5).

    >>> round(float(expected_spend(6.25, 3.74, 15.44, 2.0, 22.35)), 4)
    24.6637
    """
    weight = p * x / (p * x + q - 1.0)
    return (1.0 - weight) * (gamma * p / (q - 1.0)) + weight * m


def gg_parameters(func: str, p: Any, q: Any, gamma: Any) -> tuple[float, float, float]:
    """The fitted (p, q, gamma), each above 0 and q above 1 (the mean spend is finite).

    >>> gg_parameters("GG_SPEND", 6.25, 3.74, 15.44)
    (6.25, 3.74, 15.44)
    """
    p, q, gamma = positive(func, p=p, q=q, gamma=gamma)
    if q <= 1.0:
        raise fail(
            func,
            f"q is {q:g}; the expected spend needs q > 1 (else the mean spend in the "
            "population is infinite)",
        )
    return p, q, gamma
