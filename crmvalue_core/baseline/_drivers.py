"""The formulas of the measured baseline drivers, vectorised over parameter draws.

Each function takes the model parameters as arrays of shape (draws,) -- one value per
parameter draw, or a single draw for the estimate -- and the customers grouped by
identical history, and returns one value per draw. The formulas are in the docstrings of
:func:`crmvalue_core.baseline.measure_baseline`.

The customers' sums run over groups of identical histories, and every sum that multiplies
P(alive) by something that depends on (x, T) only (the year's survival, the purchases,
the Gamma-Gamma credibility weight) is taken in two steps: P(alive) summed over the groups
of each (x, T) pair (:func:`pair_sums`), then the pair sums times the pair's factor. The
pairs are far fewer than the groups (979 against 8,685 on the CDNOW log), and
:func:`draw_drivers` evaluates the draws in chunks whose arrays stay small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse, special

from ..purchase_history._bgnbd_model import (
    purchases_if_alive_closed,
    purchases_if_alive_quadrature,
)
from ..purchase_history._histories import distinct_rows
from ..purchase_history._log_expansion import expanded, log_gradient

#: Weeks in the year over which churn and purchases are measured.
YEAR_WEEKS = 52.0
#: Most (draws x groups) cells :func:`draw_drivers` holds in one array (8 MB).
CHUNK_CELLS = 1 << 20


@dataclass(frozen=True)
class Histories:
    """Customers grouped by identical history (x, t_x, T), with the (x, T) pairs.

    Attributes:
        x, t_x, big_t: the history of each group (weeks), sorted by (x, T, t_x).
        count: customers in each group.
        spend_sum: the sum of the mean repeat spends of the group's customers.
        pair: index of each group's (x, T) pair in ``pair_x``, ``pair_t``.
        pair_x, pair_t: the distinct (x, T) pairs (what survival and purchases depend on).
        levels: for x, t_x and T in turn, the distinct values and the index of each
            group's value in them (what :func:`alive` takes logarithms of).
        to_pairs: the sparse (2 pairs x groups) matrix that sums over the groups of each
            pair their ``count`` (first rows) and their ``spend_sum`` (last rows).
    """

    x: np.ndarray
    t_x: np.ndarray
    big_t: np.ndarray
    count: np.ndarray
    spend_sum: np.ndarray
    pair: np.ndarray
    pair_x: np.ndarray
    pair_t: np.ndarray
    levels: tuple[tuple[np.ndarray, np.ndarray], ...]
    to_pairs: sparse.csr_array


def group_histories(
    x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, zbar: np.ndarray
) -> Histories:
    """Group customers with the same (x, t_x, T); sum their mean spends per group.

    >>> h = group_histories(np.array([0, 0, 2]), np.array([0.0, 0.0, 3.0]),
    ...                     np.array([5.0, 5.0, 5.0]), np.array([0.0, 0.0, 7.0]))
    >>> h.count.tolist(), h.spend_sum.tolist(), h.pair_x.tolist()
    ([2.0, 1.0], [0.0, 7.0], [0.0, 2.0])
    """
    columns = (np.asarray(v, dtype=float) for v in (x, big_t, t_x))
    (gx, gt, gtx), count, inverse = distinct_rows(*columns)
    spend_sum = np.bincount(inverse, weights=zbar, minlength=gx.size)
    new = np.ones(gx.size, dtype=bool)
    new[1:] = (gx[1:] != gx[:-1]) | (gt[1:] != gt[:-1])
    start = np.flatnonzero(new)
    pair = np.cumsum(new) - 1
    groups = np.arange(gx.size)
    to_pairs = sparse.csr_array(
        (np.r_[count, spend_sum], (np.r_[pair, pair + start.size], np.r_[groups, groups])),
        shape=(2 * start.size, gx.size),
    )
    return Histories(
        x=gx,
        t_x=gtx,
        big_t=gt,
        count=count.astype(float),
        spend_sum=spend_sum,
        pair=pair,
        pair_x=gx[start],
        pair_t=gt[start],
        levels=tuple(_levels(v) for v in (gx, gtx, gt)),
        to_pairs=to_pairs,
    )


def _levels(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values and the index of each value in them."""
    distinct, index = np.unique(values, return_inverse=True)
    return distinct, index.reshape(-1)


def alive(bgnbd: np.ndarray, h: Histories) -> np.ndarray:
    """P(alive) of each group for each draw: shape (draws, groups). ``bgnbd``: (draws, 4).

    BG/NBD eq. 11 (Fader, Hardie & Lee 2005), as
    :func:`~crmvalue_core.purchase_history._bgnbd_model.p_alive`: 1 / (1 + e^o) with the
    log odds o = (r+x) (ln(alpha+T) - ln(alpha+t_x)) + ln a - ln(b+x-1) for x > 0, and 1
    for x = 0 (o = -inf). The logarithms are taken once per distinct T, t_x and x of each
    draw, not once per group.

    >>> h = group_histories(np.array([0.0, 2.0]), np.array([0.0, 30.43]),
    ...                     np.array([38.86, 38.86]), np.array([0.0, 0.0]))
    >>> alive(np.array([[0.243, 4.414, 0.793, 2.426]]), h).round(4).tolist()
    [[1.0, 0.7266]]
    """
    r, alpha, a, b = bgnbd.T  # computed as (groups, draws): gathers copy whole rows
    (xs, x_at), (txs, tx_at), (ts, t_at) = h.levels
    with np.errstate(divide="ignore", over="ignore"):
        odds = np.log(alpha + ts[:, None])[t_at] - np.log(alpha + txs[:, None])[tx_at]
        odds *= r + h.x[:, None]
        by_x = np.log(a) - np.log(b + np.maximum(xs, 1.0)[:, None] - 1.0)
        odds += np.where(xs[:, None] > 0, by_x, -np.inf)[x_at]
        np.exp(odds, out=odds)
    odds += 1.0
    return np.reciprocal(odds, out=odds).T


def pair_sums(living: np.ndarray, h: Histories) -> tuple[np.ndarray, np.ndarray]:
    """Per draw and (x, T) pair, sum_i P(alive)_i and sum_i P(alive)_i zbar_i over the
    pair's customers: two arrays of shape (draws, pairs) (one sparse matrix product).

    >>> h = group_histories(np.array([2.0, 2, 2]), np.array([1.0, 3, 3]),
    ...                     np.array([5.0, 5, 6]), np.array([10.0, 20, 40]))
    >>> customers, spends = pair_sums(np.array([[0.5, 0.25, 1.0]]), h)
    >>> customers.tolist(), spends.tolist()  # pairs (2, 5) and (2, 6)
    ([[0.75, 1.0]], [[10.0, 40.0]])
    """
    sums = (h.to_pairs @ living.T).T
    half = h.pair_x.size
    return sums[:, :half], sums[:, half:]


def survival(bgnbd: np.ndarray, h: Histories, weeks: float = YEAR_WEEKS) -> np.ndarray:
    """E[P(alive at T + weeks) | alive at T] of each (x, T) pair: shape (draws, pairs).

    2F1(r+x, a; a+b+x; -z) with z = weeks / (alpha + T), evaluated by Pfaff's
    transformation as (1+z)^-a 2F1(a+b-r, a; a+b+x; z/(1+z)), whose argument is in [0, 1).
    """
    r, alpha, a, b = (bgnbd[:, i, None] for i in range(4))
    z = weeks / (alpha + h.pair_t)
    with np.errstate(over="ignore", invalid="ignore"):
        return (1.0 + z) ** (-a) * special.hyp2f1(a + b - r, a, a + b + h.pair_x, z / (1.0 + z))


def purchases_if_alive(bgnbd: np.ndarray, h: Histories, weeks: float = YEAR_WEEKS) -> np.ndarray:
    """Expected purchases in the next ``weeks`` of a customer alive at T, per (x, T) pair
    and draw: shape (draws, pairs) (the numerator of BG/NBD eq. 10).

    The closed form where it is well conditioned, all draws at once; the quadrature of
    :func:`~crmvalue_core.purchase_history._bgnbd_model.purchases_if_alive_quadrature`
    for the cells where it is not (a near 1, a+b+x-1 below 0.5) or where it fails.
    """
    r, alpha, a, b = (
        np.broadcast_to(bgnbd[:, i, None], (len(bgnbd), h.pair_x.size)) for i in range(4)
    )
    x = np.broadcast_to(h.pair_x, r.shape)
    big_t = np.broadcast_to(h.pair_t, r.shape)
    t = np.full(r.shape, weeks)
    closed = (a + b + x - 1.0 >= 0.5) & (abs(a - 1.0) >= 1e-3)
    if np.all(closed):
        out = purchases_if_alive_closed(r, alpha, a, b, t, x, big_t)
    else:
        out = np.full(r.shape, np.nan)
        out[closed] = purchases_if_alive_closed(
            r[closed], alpha[closed], a[closed], b[closed], t[closed], x[closed], big_t[closed]
        )
    for i in np.flatnonzero(np.any(~np.isfinite(out), axis=1)):
        rest = ~np.isfinite(out[i])
        out[i, rest] = purchases_if_alive_quadrature(
            *bgnbd[i], t[i, rest], h.pair_x[rest], h.pair_t[rest]
        )
    return out


def active_customers(living: np.ndarray, h: Histories) -> np.ndarray:
    """sum_i P(alive)_i per draw."""
    return living @ h.count


def annual_churn(living: np.ndarray, surviving: np.ndarray, h: Histories) -> np.ndarray:
    """1 - sum_i P(alive)_i S_i / sum_i P(alive)_i per draw."""
    return _churn(pair_sums(living, h)[0], surviving)


def _churn(customers: np.ndarray, surviving: np.ndarray) -> np.ndarray:
    """The annual churn from the pair sums of P(alive) and each pair's survival."""
    return 1.0 - np.sum(customers * surviving, axis=1) / customers.sum(axis=1)


def margin_per_customer(
    living: np.ndarray,
    purchases: np.ndarray,
    gamma_gamma: np.ndarray,
    h: Histories,
    margin: float,
) -> np.ndarray:
    """margin * sum_i E[Z_i] E[Y_i(52)] / sum_i P(alive)_i per draw."""
    return _margin(*pair_sums(living, h), purchases, gamma_gamma, h, margin)


def _margin(
    customers: np.ndarray,
    spends: np.ndarray,
    purchases: np.ndarray,
    gamma_gamma: np.ndarray,
    h: Histories,
    margin: float,
) -> np.ndarray:
    """The margin per customer from the pair sums of P(alive) and P(alive) zbar.

    E[Z_i] = (1 - w) gamma p / (q - 1) + w zbar_i with w = p x / (p x + q - 1), the same
    for every customer of a pair, so sum_i P_i E[Z_i] over a pair is
    (1 - w) mean customers + w spends."""
    p, q, gamma = (gamma_gamma[:, i, None] for i in range(3))
    weight = p * h.pair_x / (p * h.pair_x + q - 1.0)
    mean = gamma * p / (q - 1.0)
    spend = (1.0 - weight) * mean * customers + weight * spends
    return margin * np.sum(purchases * spend, axis=1) / customers.sum(axis=1)


def draw_drivers(
    bgnbd: np.ndarray,
    gamma_gamma: np.ndarray | None,
    h: Histories,
    margin: float,
    churn: bool = True,
    around: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The active customers, the annual churn (``churn=True``) and, with ``gamma_gamma``,
    the margin per customer of each draw: ``{"active": ..., "churn": ..., "margin": ...}``,
    arrays of shape (draws,).

    The same formulas as :func:`active_customers`, :func:`annual_churn` and
    :func:`margin_per_customer`, evaluated a chunk of draws at a time (at most
    :data:`CHUNK_CELLS` draws x groups cells), each chunk's P(alive) summed over the
    pairs before the survival and the purchases (functions of the pair) multiply it.

    P(alive) and the Gamma-Gamma spend are evaluated at every draw. The year's survival
    and purchases of each pair (a hypergeometric function per pair and draw) are too,
    unless ``around`` (the BG/NBD estimate) is given: then their logarithms are expanded
    to first order in the log-parameters around it
    (:mod:`crmvalue_core.purchase_history._log_expansion`, as the intervals of the
    predicted CLV do), 9 evaluations per pair instead of one per draw.

    >>> h = group_histories(np.array([0.0, 2, 2]), np.array([0.0, 3, 4]),
    ...                     np.array([5.0, 5, 5]), np.array([0.0, 7, 9]))
    >>> bg, gg = np.array([[0.25, 4.0, 0.8, 2.5]]), np.array([[6.0, 4.0, 15.0]])
    >>> found = draw_drivers(bg, gg, h, 0.3)
    >>> living = alive(bg, h)
    >>> bool(np.isclose(found["active"][0], active_customers(living, h)[0]))
    True
    >>> expected = margin_per_customer(living, purchases_if_alive(bg, h), gg, h, 0.3)
    >>> bool(np.isclose(found["margin"][0], expected[0]))
    True
    >>> near = draw_drivers(bg * 1.01, gg, h, 0.3, around=bg[0])
    >>> exact = draw_drivers(bg * 1.01, gg, h, 0.3)
    >>> bool(np.isclose(near["churn"][0], exact["churn"][0], rtol=1e-3))
    True
    """
    n = len(bgnbd)
    found = {"active": np.empty(n)}
    if churn:
        found["churn"] = np.empty(n)
    if gamma_gamma is not None:
        found["margin"] = np.empty(n)
    wanted = [
        f for f, on in ((survival, churn), (purchases_if_alive, gamma_gamma is not None)) if on
    ]
    if around is not None and wanted:
        point, gradient = log_gradient(
            lambda theta: np.stack([f(theta[None, :], h)[0] for f in wanted]), around
        )
    step = max(1, CHUNK_CELLS // max(h.x.size, 1))
    for start in range(0, n, step):
        part = slice(start, start + step)
        living = alive(bgnbd[part], h)
        found["active"][part] = living @ h.count
        if not wanted:
            continue
        customers, spends = pair_sums(living, h)
        if around is None:
            by_pair = [f(bgnbd[part], h) for f in wanted]
        else:
            by_pair = list(np.moveaxis(expanded(point, gradient, bgnbd[part], around), 1, 0))
        if churn:
            found["churn"][part] = _churn(customers, by_pair[0])
        if gamma_gamma is not None:
            found["margin"][part] = _margin(
                customers, spends, by_pair[-1], gamma_gamma[part], h, margin
            )
    return found
