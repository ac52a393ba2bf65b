"""Monte Carlo simulation of the appraisal: NPV, IRR and payback distributions.

Every uncertain input is drawn from a triangular or a Beta-PERT distribution between its
low and high value with its base as the most likely value; the benefit drivers can be
correlated through a Gaussian copula. All draws are evaluated together along the batch
axis of :func:`~crmvalue_core.appraisal.appraisal_cash_flows` and of the core's NPV, IRR
and payback functions: no Python loop per draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from .._inputs import as_number, as_numbers, fail, scalar_or_array
from ..cells import describe
from ._engine import (
    DISTRIBUTIONS,
    MAX_DRAWS,
    PERT_LAMBDA,
    SIMULATED,
    check_correlation,
    check_distribution,
    check_draws,
    check_probabilities,
    check_seed,
    evaluate,
    mode_fraction,
    simulate_arrays,
    standard_triangular,
    summary_frame,
)
from ._model_problem import appraisal_problem
from .inputs import FUNC
from .ranges import UncertainInputs

__all__ = [
    "DISTRIBUTIONS",
    "MAX_DRAWS",
    "PERT_LAMBDA",
    "SimulationResult",
    "pert_ppf",
    "simulate",
    "triangular_ppf",
]


def _bounds(func: str, low: Any, mode: Any, high: Any) -> tuple[np.ndarray, ...]:
    arrays = tuple(
        np.asarray(as_numbers(func, name, value), dtype=float)
        for name, value in (("low", low), ("mode", mode), ("high", high))
    )
    a, c, b = np.broadcast_arrays(*arrays)
    if np.any(a > c) or np.any(c > b):
        raise fail(func, "low, mode and high must satisfy low <= mode <= high")
    return a, c, b


def _probabilities(func: str, u: Any) -> np.ndarray:
    return np.asarray(
        as_numbers(
            func,
            "u",
            u,
            minimum=0.0,
            maximum=1.0,
            hint="probabilities between 0 and 1 as decimals",
        ),
        dtype=float,
    )


def triangular_ppf(u: ArrayLike, low: ArrayLike, mode: ArrayLike, high: ArrayLike) -> Any:
    """Inverse CDF (quantile function) of the triangular distribution.

    Parameters
    ----------
    u : float or array_like
        Probabilities in [0, 1].
    low, mode, high : float or array_like
        The minimum, the most likely value and the maximum, low <= mode <= high;
        broadcast with ``u``.

    Returns
    -------
    float or ndarray
        The values x with P(X <= x) = u; exactly ``mode`` wherever low = high.

    Raises
    ------
    CrmValueError
        ``TRIANGULAR_PPF: ...`` for a probability outside [0, 1], a non-number, or
        low > mode or mode > high.

    Notes
    -----
    With F_c = (c - a) / (b - a):

    .. math::

        x = a + \\sqrt{u (b - a)(c - a)} \\; (u < F_c), \\qquad
        x = b - \\sqrt{(1 - u)(b - a)(b - c)} \\; (u \\ge F_c)

    written as x = a + q (b - a) with q the standard quantile on [0, 1]. Mean
    (a + c + b) / 3 (Vose, *Risk Analysis*, 3rd ed., 2008, ch. III).

    Examples
    --------
    >>> triangular_ppf(0.5, 0, 1, 2)
    1.0
    >>> triangular_ppf([0.0, 0.125, 1.0], 0, 0, 4)
    array([0.        , 0.25834261, 4.        ])
    """
    func = "TRIANGULAR_PPF"
    p = _probabilities(func, u)
    a, c, b = _bounds(func, low, mode, high)
    width = b - a
    fraction = mode_fraction(a, c, b)
    values = a + standard_triangular(p, fraction) * width
    return scalar_or_array(values)


def pert_ppf(u: ArrayLike, low: ArrayLike, mode: ArrayLike, high: ArrayLike) -> Any:
    """Inverse CDF (quantile function) of the Beta-PERT distribution, lambda = 4.

    Parameters
    ----------
    u : float or array_like
        Probabilities in [0, 1].
    low, mode, high : float or array_like
        The minimum, the most likely value and the maximum, low <= mode <= high;
        broadcast with ``u``.

    Returns
    -------
    float or ndarray
        The values x with P(X <= x) = u; exactly ``mode`` wherever low = high.

    Raises
    ------
    CrmValueError
        ``PERT_PPF: ...`` for a probability outside [0, 1], a non-number, or low > mode
        or mode > high.

    Notes
    -----
    X = a + (b - a) Y with Y ~ Beta(alpha, beta),

    .. math::

        \\alpha = 1 + \\lambda \\frac{c - a}{b - a}, \\quad
        \\beta = 1 + \\lambda \\frac{b - c}{b - a}, \\quad \\lambda = 4, \\quad
        E[X] = \\frac{a + 4c + b}{6}

    (Malcolm, Roseboom, Clark & Fazar, "Application of a technique for research and
    development program evaluation", *Operations Research* 7, 1959; Vose, *Risk
    Analysis*, 3rd ed., 2008). Exact here (``scipy.special.betaincinv``); the simulation
    uses a table of the same function, within 1e-6 of the range, which is about 100
    times faster for large batches.

    Examples
    --------
    >>> pert_ppf(0.5, 0, 1, 2)
    1.0
    >>> round(pert_ppf(0.9, 0, 1, 4), 6)
    2.335561
    """
    func = "PERT_PPF"
    p = _probabilities(func, u)
    a, c, b = _bounds(func, low, mode, high)
    width = b - a
    fraction = mode_fraction(a, c, b)
    q = special.betaincinv(1.0 + PERT_LAMBDA * fraction, 1.0 + PERT_LAMBDA * (1 - fraction), p)
    values = np.where(width > 0, a + q * width, c)
    return scalar_or_array(values)


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The draws of a Monte Carlo simulation and their summary.

    Attributes:
        draws: the number of draws.
        seed: the seed of the run (the one drawn from fresh entropy when none was given):
            ``simulate(..., seed=result.seed)`` repeats it.
        distribution: ``"pert"`` or ``"triangular"``.
        correlation: the correlation between the benefit drivers' normal scores.
        inputs: the defined names drawn, in the order of the Inputs sheet.
        base_npv: the NPV of the base case.
        npv, irr, payback: one value per draw; IRR NaN where the draw's cash flows have
            no IRR or several, payback NaN where the draw is not paid back within the
            horizon.
    """

    draws: int
    seed: int
    distribution: str
    correlation: float
    inputs: tuple[str, ...]
    base_npv: float
    npv: np.ndarray
    irr: np.ndarray
    payback: np.ndarray

    def _metric(self, metric: Any) -> np.ndarray:
        if not (isinstance(metric, str) and metric in SIMULATED):
            raise fail(FUNC, f"metric is {describe(metric)}; enter 'npv', 'irr' or 'payback'")
        values: np.ndarray = getattr(self, metric)
        return values

    @property
    def probability_negative_npv(self) -> float:
        """The share of draws with NPV < 0: the probability that the investment loses value.

        Examples
        --------
        >>> from crmvalue_core.appraisal import demo_uncertainty
        >>> round(simulate(demo_uncertainty(), 10_000, seed=1).probability_negative_npv, 3)
        0.026
        """
        return float(np.mean(self.npv < 0))

    def summary(self, probabilities: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Mean, standard deviation, percentiles and shares of each metric's draws.

        Parameters
        ----------
        probabilities : sequence of float, optional
            The percentiles to show, each in [0, 1] (default P10, P50, P90).

        Returns
        -------
        pandas.DataFrame
            Index ``metric``: ``npv``, ``irr``, ``payback``. Columns ``mean``, ``std``
            (sample standard deviation), ``p10``, ``p50``, ``p90`` (one per probability,
            named ``p`` + the percent), ``p_negative`` (share of the defined draws below
            0: for the NPV the probability that the case destroys value) and
            ``defined`` (share of the draws where the metric exists: for the payback,
            the probability of paying back within the horizon). Statistics are over the
            defined draws; a metric defined nowhere has NaN statistics.

        Raises
        ------
        CrmValueError
            ``APPRAISAL: ...`` for a probability outside [0, 1].

        Notes
        -----
        Percentiles interpolate linearly between order statistics (numpy's default):
        P10 is the NPV that 10% of the draws fall below. The standard error of the mean
        is std / sqrt(defined draws).

        Examples
        --------
        >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
        >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015)})
        >>> s = simulate(u, 2_000, seed=1).summary()
        >>> list(s.columns)
        ['mean', 'std', 'p10', 'p50', 'p90', 'p_negative', 'defined']
        >>> bool(s.loc["npv", "p10"] < s.loc["npv", "p50"] < s.loc["npv", "p90"])
        True
        """
        return summary_frame(
            {name: getattr(self, name) for name in SIMULATED},
            check_probabilities(FUNC, probabilities),
        )

    def histogram(self, metric: str = "npv", bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
        """Counts of the defined draws of ``metric`` in ``bins`` equal bins.

        Parameters
        ----------
        metric : {"npv", "irr", "payback"}, optional
            The metric (default the NPV).
        bins : int, optional
            The number of bins, 1..1,000 (default 30).

        Returns
        -------
        (counts, edges)
            ``counts`` (int, length bins) and ``edges`` (length bins + 1), as
            :func:`numpy.histogram` gives them over the defined draws.

        Raises
        ------
        CrmValueError
            ``APPRAISAL: ...`` for an unknown metric or a bad number of bins.

        Examples
        --------
        >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
        >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015)})
        >>> counts, edges = simulate(u, 1_000, seed=1).histogram(bins=10)
        >>> int(counts.sum()), len(edges)
        (1000, 11)
        """
        values = self._metric(metric)
        count = int(
            as_number(
                FUNC, "bins", bins, minimum=1, maximum=1000, whole=True, hint="1 to 1,000 bins"
            )
        )
        defined = values[~np.isnan(values)]
        return np.histogram(defined, bins=count)


def simulate(
    uncertain: UncertainInputs,
    draws: int,
    *,
    seed: int | None = None,
    distribution: str = "pert",
    correlation: float = 0.0,
    joint: Mapping[str, Any] | None = None,
    only: Sequence[str] | None = None,
) -> SimulationResult:
    """Monte Carlo simulation of the appraisal: the NPV, IRR and payback of random cases.

    Parameters
    ----------
    uncertain : UncertainInputs
        The case with low and high values; every input with a range is drawn, the others
        stay at base.
    draws : int
        Number of draws, 1..10,000,000 (:data:`MAX_DRAWS`); 100,000 take well under a
        second for the demo case.
    seed : int, optional
        A whole number >= 0; the same seed gives the same draws (on the same numpy
        version). Omitted: fresh entropy, recorded in :attr:`SimulationResult.seed`.
    distribution : {"pert", "triangular"}, optional
        The distribution of each input between low and high with the base as its most
        likely value (default Beta-PERT).
    correlation : float, optional
        Correlation in [0, 1] between the normal scores of any two benefit drivers
        (default 0: independent). Positive means that the benefits turn out well, or
        badly, together; the baseline churn enters reversed, since more churn is bad
        news. Cost lines are independent of each other and of the benefits.
    joint : mapping of str to array_like, optional
        Joint draws of some inputs with ranges ({defined name: draws}, all of one length),
        e.g. the measured baseline drivers of :func:`crmvalue_core.baseline.measure_baseline`
        (``Baseline.samples()``): each simulated case takes one row of them, chosen at
        random, instead of drawing those inputs from their ranges.
    only : sequence of str, optional
        Draw only these inputs (defined names with a range); every other input stays at
        its base, as if its low and high were blank. E.g. ``only=list(joint)``: the
        spread that the estimation of the measured drivers alone gives, apart from the
        user's own ranges.

    Returns
    -------
    SimulationResult
        The draws of NPV, IRR and payback, with :meth:`~SimulationResult.summary` and
        :meth:`~SimulationResult.histogram`.

    Raises
    ------
    CrmValueError
        ``APPRAISAL: ...`` for draws outside 1..10,000,000 or not whole, a negative or
        non-whole seed, an unknown distribution, a correlation outside [0, 1].

    Notes
    -----
    Gaussian copula (e.g. Nelsen, *An Introduction to Copulas*, 2006; Vose, *Risk
    Analysis*, 2008): for each draw, independent standard normals F and e_i,

    .. math::

        z_i = \\sqrt{\\rho} F + \\sqrt{1 - \\rho} e_i \\text{ (benefit drivers)}, \\quad
        z_i = e_i \\text{ (costs)}, \\quad u_i = \\Phi(z_i), \\quad
        x_i = Q_i(u_i)

    with Q_i the inverse CDF of input i's triangular or PERT(low, base, high)
    distribution (:func:`triangular_ppf`, :func:`pert_ppf`). A row input (a cost line,
    the ramp, other benefits) takes one u for all its years: each year at the same
    quantile of its own range. Each draw is then appraised as
    :func:`~crmvalue_core.appraisal.appraise` does (years 0..horizon), vectorised over
    the draws. With low = base = high everywhere every draw's NPV equals the base NPV
    exactly. The rank (Spearman) correlation of two benefit drivers is then
    (6 / pi) arcsin(rho / 2), e.g. 0.89 for rho = 0.9, whatever their distributions.

    Examples
    --------
    >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
    >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015),
    ...                                   "CostImplementation": ((170_000, 30_000),
    ...                                                          (230_000, 70_000))})
    >>> result = simulate(u, 10_000, seed=42, correlation=0.5)
    >>> result.draws, result.seed, result.inputs
    (10000, 42, ('CostImplementation', 'ChurnReduction'))
    >>> result.summary().loc["npv", ["p10", "p50", "p90"]].round(-3)
    p10    400000.0
    p50    550000.0
    p90    701000.0
    Name: npv, dtype: float64
    >>> part = simulate(u, 10_000, seed=42, only=["ChurnReduction"])
    >>> part.inputs
    ('ChurnReduction',)
    >>> bool(part.npv.std() < result.npv.std())
    True
    """
    if only is not None:
        uncertain = _only(uncertain, only)
    problem = appraisal_problem(uncertain)
    count = check_draws(FUNC, draws)
    chosen_seed = check_seed(FUNC, seed)
    kind = check_distribution(FUNC, distribution)
    rho = check_correlation(FUNC, correlation)
    given = _joint_draws(joint, problem.names)
    found, used_seed = simulate_arrays(
        problem, count, chosen_seed, kind, rho, SIMULATED, joint=given
    )
    base_npv = float(evaluate(problem, [{}], ("npv",))["npv"][0])
    return SimulationResult(
        draws=count,
        seed=used_seed,
        distribution=kind,
        correlation=rho,
        inputs=problem.names,
        base_npv=base_npv,
        npv=found["npv"],
        irr=found["irr"],
        payback=found["payback"],
    )


def _only(uncertain: UncertainInputs, names: Sequence[str]) -> UncertainInputs:
    """``uncertain`` with the ranges of ``names`` only (the other inputs at base)."""
    if isinstance(names, str):
        names = [names]
    for name in names:
        if name not in uncertain.ranges:
            raise fail(
                FUNC,
                f"only {name} is to be drawn, but it has no low and high value; give it a "
                "range or leave it out of only",
            )
    kept = {name: uncertain.ranges[name] for name in uncertain.ranges if name in names}
    return UncertainInputs(uncertain.case, kept)


def _joint_draws(joint: Mapping[str, Any] | None, names: Sequence[str]) -> dict[str, np.ndarray]:
    """The checked joint draws: known inputs with ranges, finite, all of one length."""
    if not joint:
        return {}
    found: dict[str, np.ndarray] = {}
    for name, values in joint.items():
        if name not in names:
            raise fail(
                FUNC,
                f"joint draws of {name}, which has no low and high value; give it a "
                "range or leave its draws out",
            )
        array = np.asarray(values, dtype=float).reshape(-1)
        if array.size == 0 or not np.all(np.isfinite(array)):
            raise fail(
                FUNC, f"the joint draws of {name} are empty or not all numbers; give finite draws"
            )
        found[name] = array
    if len({array.size for array in found.values()}) > 1:
        raise fail(FUNC, "the joint draws have different lengths; give one row per draw of all")
    return found
