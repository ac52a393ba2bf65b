"""The BG/NBD model's formulas: the likelihood of a sample and the expectations of a customer.

:class:`BgnbdLikelihood` is what :func:`~crmvalue_core.purchase_history.bgnbd_fit`
maximises; :func:`p_alive` and :func:`expected_purchases` are the conditional results of
Fader, Hardie & Lee (2005), eq. (10) and (11) of the technical appendix, that
:mod:`.bgnbd` and :mod:`.clv` evaluate for a customer base.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from .._inputs import fail
from ._histories import distinct_rows, first_bad

__all__ = [
    "BgnbdLikelihood",
    "expected_purchases",
    "finite_or_fail",
    "p_alive",
    "probability_of_purchases",
    "purchases_if_alive_closed",
    "purchases_if_alive_quadrature",
]


class BgnbdLikelihood:
    """The BG/NBD log-likelihood of a sample, with its gradient, on compressed data.

    Customers with the same (x, t_x, T) share one row with their count as weight (the
    distinct triples, sorted: the sums do not depend on the order of the customers, so
    the same customers in any order give the same fit to the last bit); customers
    without repeat purchases only need their age; the gamma-function terms depend on x
    alone and are evaluated once per distinct x.
    """

    def __init__(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> None:
        self.n = x.size
        zero = x == 0
        (self.t0,), w0, _ = distinct_rows(big_t[zero])
        self.w0 = w0.astype(float)
        (self.x, self.t_x, self.t), weights, _ = distinct_rows(x[~zero], t_x[~zero], big_t[~zero])
        self.w = weights.astype(float)
        self.xv, self.xi = np.unique(self.x, return_inverse=True)
        self.nx = np.bincount(self.xi, weights=self.w, minlength=self.xv.size)

    def value(self, params: np.ndarray) -> float:
        """The log-likelihood of the sample at ``params`` = (r, alpha, a, b) (eq. 6)."""
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

    def dropped_share(self, params: np.ndarray) -> float:
        """The share of the repeat buyers that the model says have stopped buying: the
        mean of 1 - P(alive | x, t_x, T) over the customers with x > 0 (eq. 11)."""
        if not self.x.size:
            return 0.0
        log_odds = _alive_odds_log(*params, self.x, self.t_x, self.t)
        return float(self.w @ special.expit(log_odds) / self.w.sum())

    def gradient(self, params: np.ndarray) -> np.ndarray:
        """The gradient of :meth:`value` with respect to (r, alpha, a, b)."""
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


def p_alive(r: float, alpha: float, a: float, b: float, x: Any, t_x: Any, big_t: Any) -> Any:
    """P(alive | x, t_x, T), broadcast over the arguments; 1 where x = 0 (eq. 11).

    >>> round(float(p_alive(0.243, 4.414, 0.793, 2.426, 2.0, 30.43, 38.86)), 4)
    0.7266
    """
    log_odds = _alive_odds_log(r, alpha, a, b, x, t_x, big_t)
    return np.where(x == 0, 1.0, special.expit(-log_odds))


def purchases_if_alive_closed(
    r: float, alpha: float, a: float, b: float, t: np.ndarray, x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """The numerator of eq. (10): expected purchases in (T, T+t] of a customer alive at T."""
    ra, bx, c = r + x, b + x, a + b + x - 1.0
    z = t / (alpha + big_t + t)
    ln_hyp = _hyp2f1_log(ra, bx, c, z)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        second = -np.expm1(ln_hyp - ra * np.log1p(t / (alpha + big_t)))
        return c / (a - 1.0) * second


def purchases_if_alive_quadrature(
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


def expected_purchases(
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
        out[closed] = purchases_if_alive_closed(r, alpha, a, b, t[closed], x[closed], big_t[closed])
    rest = ~np.isfinite(out)
    if np.any(rest):
        out[rest] = purchases_if_alive_quadrature(r, alpha, a, b, t[rest], x[rest], big_t[rest])
    return out * p_alive(r, alpha, a, b, x, t_x, big_t)


def probability_of_purchases(
    r: float, alpha: float, a: float, b: float, t: Any, x: Any
) -> np.ndarray:
    """P(X(t) = x) of a new customer, eq. (8) of the paper, broadcast over ``t`` and ``x``.

    The finite sum of negative binomial terms in the second part is the upper tail of a
    negative binomial, computed as the regularised incomplete beta function
    I_{t/(alpha+t)}(x, r) (so no loop over j).

    >>> float(probability_of_purchases(1.0, 1.0, 1.0, 1.0, 0.0, 0.0))
    1.0
    """
    t, x = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(x, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = t / (alpha + t)
        log_first = (
            special.betaln(a, b + x)
            - special.betaln(a, b)
            + special.gammaln(r + x)
            - special.gammaln(r)
            - special.gammaln(x + 1.0)
            + r * np.log(alpha / (alpha + t))
            + special.xlogy(x, share)
        )
        repeat = x > 0
        dropped = np.exp(
            special.betaln(a + 1.0, b + np.maximum(x, 1.0) - 1.0) - special.betaln(a, b)
        )
        tail = special.betainc(np.maximum(x, 1.0), r, share)
    return np.exp(log_first) + np.where(repeat, dropped * tail, 0.0)


def finite_or_fail(func: str, values: np.ndarray) -> np.ndarray:
    """``values`` when every expected purchase count is finite, else the error naming the
    first customer whose count overflowed."""
    if not np.all(np.isfinite(values)):
        i = first_bad(~np.isfinite(values))
        at = "" if i is None else f" for customer {i + 1}"
        raise fail(
            func,
            f"the expected purchases cannot be computed{at} with these parameters "
            "(numerical overflow); check r, alpha, a and b and the time unit of t",
        )
    return values
