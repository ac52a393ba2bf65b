"""The first-order expansion in the log-parameters that the intervals use where evaluating
a model at every parameter draw would be too slow.

A quantity f(theta) > 0 of a fitted model (one value per customer, or per group of
customers) is expanded on the log scale around the estimate:
``ln f(theta_d) = ln f(theta) + g . (ln theta_d - ln theta)``, with the gradient ``g`` of
``ln f`` in ``ln theta`` from central differences (step :data:`LOG_STEP`): ``2k + 1``
evaluations of f for k parameters instead of one per draw. The intervals of the predicted
CLV (:mod:`.clv_intervals`) and of the measured baseline
(:mod:`crmvalue_core.baseline`) use it beyond ``EXACT_UP_TO`` customers x draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["LOG_STEP", "expanded", "log_gradient"]

#: Step of the central differences of ln f on the log-parameters.
LOG_STEP = 1e-4


def log_gradient(
    evaluate: Callable[[np.ndarray], np.ndarray], values: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """f at the estimate and the gradient of ln f in the log-parameters.

    ``evaluate(theta)`` gives f (any shape) at the parameters ``theta``; ``values`` is the
    estimate. Returns ``(f, g)`` with ``g[..., j] = (ln f(theta e^{+h_j}) - ln f(theta
    e^{-h_j})) / 2h``, h = :data:`LOG_STEP` on parameter j alone, and g = 0 where f <= 0.

    >>> f, g = log_gradient(lambda t: np.array([t[0] ** 2 * t[1], 3.0]), [2.0, 5.0])
    >>> f.tolist(), np.round(g, 6).tolist()
    ([20.0, 3.0], [[2.0, 1.0], [0.0, 0.0]])
    """
    log_u = np.log(values)
    point = evaluate(np.asarray(values))
    gradient = np.empty((*np.shape(point), log_u.size))
    for j in range(log_u.size):
        step = np.zeros(log_u.size)
        step[j] = LOG_STEP
        up = evaluate(np.exp(log_u + step))
        down = evaluate(np.exp(log_u - step))
        with np.errstate(divide="ignore", invalid="ignore"):
            gradient[..., j] = np.where(
                point > 0, (np.log(up) - np.log(down)) / (2 * LOG_STEP), 0.0
            )
    return point, gradient


def expanded(
    point: np.ndarray, gradient: np.ndarray, draws: np.ndarray, values: Sequence[float]
) -> np.ndarray:
    """f at each parameter draw by the expansion: ``f(theta) exp(g . (ln theta_d - ln
    theta))``, shape (draws, *f's shape), for ``draws`` of shape (draws, k).

    >>> f, g = log_gradient(lambda t: np.array([t[0] ** 2 * t[1]]), [2.0, 5.0])
    >>> expanded(f, g, np.array([[2.0, 5.0], [4.0, 5.0]]), [2.0, 5.0]).round(6).tolist()
    [[20.0], [80.0]]
    """
    shifts = np.log(draws) - np.log(values)
    return point * np.exp(shifts @ np.moveaxis(gradient, -1, 0).reshape(len(values), -1)).reshape(
        len(draws), *np.shape(point)
    )
