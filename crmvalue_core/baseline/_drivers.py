"""The formulas of the measured baseline drivers, vectorised over parameter draws.

Each function takes the model parameters as arrays of shape (draws,) -- one value per
parameter draw, or a single draw for the estimate -- and the customers grouped by
identical history, and returns one value per draw. The formulas are in the docstrings of
:func:`crmvalue_core.baseline.measure_baseline`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ..purchase_history._bgnbd_model import (
    p_alive,
    purchases_if_alive_closed,
    purchases_if_alive_quadrature,
)

#: Weeks in the year over which churn and purchases are measured.
YEAR_WEEKS = 52.0


@dataclass(frozen=True)
class Histories:
    """Customers grouped by identical history (x, t_x, T), with the (x, T) pairs.

    Attributes:
        x, t_x, big_t: the history of each group (weeks).
        count: customers in each group.
        spend_sum: the sum of the mean repeat spends of the group's customers.
        pair: index of each group's (x, T) pair in ``pair_x``, ``pair_t``.
        pair_x, pair_t: the distinct (x, T) pairs (what survival and purchases depend on).
    """

    x: np.ndarray
    t_x: np.ndarray
    big_t: np.ndarray
    count: np.ndarray
    spend_sum: np.ndarray
    pair: np.ndarray
    pair_x: np.ndarray
    pair_t: np.ndarray


def group_histories(
    x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, zbar: np.ndarray
) -> Histories:
    """Group customers with the same (x, t_x, T); sum their mean spends per group.

    >>> h = group_histories(np.array([0, 0, 2]), np.array([0.0, 0.0, 3.0]),
    ...                     np.array([5.0, 5.0, 5.0]), np.array([0.0, 0.0, 7.0]))
    >>> h.count.tolist(), h.spend_sum.tolist(), h.pair_x.tolist()
    ([2.0, 1.0], [0.0, 7.0], [0.0, 2.0])
    """
    rows = np.column_stack([x, t_x, big_t]).astype(float)
    groups, inverse = np.unique(rows, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse, minlength=len(groups)).astype(float)
    spend_sum = np.bincount(inverse, weights=zbar, minlength=len(groups))
    pairs, pair = np.unique(groups[:, [0, 2]], axis=0, return_inverse=True)
    return Histories(
        x=groups[:, 0],
        t_x=groups[:, 1],
        big_t=groups[:, 2],
        count=count,
        spend_sum=spend_sum,
        pair=pair.reshape(-1),
        pair_x=pairs[:, 0],
        pair_t=pairs[:, 1],
    )


def alive(bgnbd: np.ndarray, h: Histories) -> np.ndarray:
    """P(alive) of each group for each draw: shape (draws, groups). ``bgnbd``: (draws, 4)."""
    r, alpha, a, b = (bgnbd[:, i, None] for i in range(4))
    return p_alive(r, alpha, a, b, h.x, h.t_x, h.big_t)


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
    and draw: shape (draws, pairs) (the numerator of BG/NBD eq. 10)."""
    out = np.empty((len(bgnbd), h.pair_x.size))
    t = np.full(h.pair_x.size, weeks)
    for i, (r, alpha, a, b) in enumerate(bgnbd):
        closed = (a + b + h.pair_x - 1.0 >= 0.5) & (abs(a - 1.0) >= 1e-3)
        row = np.full(h.pair_x.size, np.nan)
        row[closed] = purchases_if_alive_closed(
            r, alpha, a, b, t[closed], h.pair_x[closed], h.pair_t[closed]
        )
        rest = ~np.isfinite(row)
        if np.any(rest):
            row[rest] = purchases_if_alive_quadrature(
                r, alpha, a, b, t[rest], h.pair_x[rest], h.pair_t[rest]
            )
        out[i] = row
    return out


def active_customers(living: np.ndarray, h: Histories) -> np.ndarray:
    """sum_i P(alive)_i per draw."""
    return living @ h.count


def annual_churn(living: np.ndarray, surviving: np.ndarray, h: Histories) -> np.ndarray:
    """1 - sum_i P(alive)_i S_i / sum_i P(alive)_i per draw."""
    weight = living * h.count
    return 1.0 - np.sum(weight * surviving[:, h.pair], axis=1) / weight.sum(axis=1)


def margin_per_customer(
    living: np.ndarray,
    purchases: np.ndarray,
    gamma_gamma: np.ndarray,
    h: Histories,
    margin: float,
) -> np.ndarray:
    """margin * sum_i E[Z_i] E[Y_i(52)] / sum_i P(alive)_i per draw."""
    p, q, gamma = (gamma_gamma[:, i, None] for i in range(3))
    weight = p * h.x / (p * h.x + q - 1.0)
    mean = gamma * p / (q - 1.0)
    spend_sum = (1.0 - weight) * mean * h.count + weight * h.spend_sum
    bought = living * purchases[:, h.pair]
    return margin * np.sum(bought * spend_sum, axis=1) / (living @ h.count)
