"""One pattern for every fitter: inputs in, a small result object out.

A fitter (``sbg_fit``, ``bgnbd_fit``, ``gg_fit``) returns a :class:`FitResult`: the
fitted parameters by name, the maximised log-likelihood and the number of observations.
Iterating over it yields the parameters in their published order, so
``alpha, beta = sbg_fit(survivors)`` reads as the paper does.

:func:`fit_positive_parameters` is the one optimiser behind them. It either returns a
fit that has converged, or raises a :class:`~crmvalue_core.CrmValueError` that says in
words what is wrong with the data, in bounded time and without a library warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._inputs import fail

if TYPE_CHECKING:
    from .fit_uncertainty import ParameterUncertainty


@dataclass(frozen=True)
class FitResult:
    """Parameters of a fitted model and how well they fit.

    Attributes:
        model: the model's name, e.g. ``"sBG"``.
        names: the parameter names in their published order.
        values: the fitted values, in the same order.
        log_likelihood: the maximised log-likelihood of the data.
        n_observations: how many customers (or cohort members) the fit used.
        uncertainty: standard errors and intervals (:mod:`crmvalue_core.fit_uncertainty`)
            when the fitter was asked for them with ``confidence=``, else None.
    """

    model: str
    names: tuple[str, ...]
    values: tuple[float, ...]
    log_likelihood: float
    n_observations: int
    uncertainty: ParameterUncertainty | None = None

    def __iter__(self) -> Iterator[float]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, key: int | str) -> float:
        if isinstance(key, str):
            return self.values[self.names.index(key)]
        return self.values[key]

    def rows(self) -> list[list[float]]:
        """The fit as Excel shows it: one row of values, or with ``uncertainty`` four rows
        (values, standard errors, lower and upper bounds)."""
        if self.uncertainty is None:
            return [list(self.values)]
        return self.uncertainty.rows()

    @property
    def params(self) -> dict[str, float]:
        """The parameters as a ``{name: value}`` dict."""
        return dict(zip(self.names, self.values, strict=True))

    def __getattr__(self, name: str) -> float:
        # Parameters by name: result.alpha, result.beta ...
        names = object.__getattribute__(self, "names")
        if name in names:
            return object.__getattribute__(self, "values")[names.index(name)]
        raise AttributeError(name)

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v:.6g}" for n, v in zip(self.names, self.values, strict=True))
        return f"FitResult({self.model}: {shown}, log_likelihood={self.log_likelihood:.6g})"


#: Iterations of the quasi-Newton search before a fit counts as not converging; a
#: well-posed fit of the package's models takes 10 to 40.
MAX_ITERATIONS = 300
#: The search box of every log-parameter: e^-20 .. e^20 (2e-9 .. 5e8).
LOG_BOUND = 20.0
#: A log-parameter this far out has run off to the box's edge: the data do not pin it down.
RUN_OFF = 19.0
#: Newton steps that settle the optimum once the search has converged.
NEWTON_STEPS = 8
#: The largest gradient (of the negative log-likelihood in log-parameters, relative to its
#: value) that counts as an optimum.
GRADIENT_TOLERANCE = 1e-5

#: Iterations in a row that the model's reading (``explain``) must find the search's point
#: unusable, or a parameter at the box's edge, before the search stops early.
HOPELESS_ITERATIONS = 8

#: A model's own reading of a fit, given the parameters by name and the names of those
#: that ran off: what is wrong with the data, in words, or None when the fit is usable.
Explain = Callable[[dict[str, float], tuple[str, ...]], "str | None"]


def fit_positive_parameters(
    func: str,
    model: str,
    names: Sequence[str],
    negative_log_likelihood: Callable[[np.ndarray], float],
    start: Sequence[float],
    n_observations: int,
    gradient: Callable[[np.ndarray], np.ndarray] | None = None,
    explain: Explain | None = None,
    explain_unsettled: Explain | None = None,
) -> FitResult:
    """Maximise a log-likelihood over strictly positive parameters.

    The search runs on log-parameters theta = ln(params) (so every trial point is valid),
    within ln-bounds of +-20, in three steps:

    1. L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995, SIAM J. Sci. Comput. 16(5)) with a tight
       tolerance (relative reduction 1e-15, projected gradient 1e-10), at most
       ``MAX_ITERATIONS`` iterations; it stops early once ``HOPELESS_ITERATIONS``
       iterations in a row have a parameter at the box's edge or a point that
       ``explain`` rejects (a fit running off to a boundary only crawls there);
    2. only if L-BFGS-B stopped because its line search found no better point (often at
       the limit of precision), a Nelder-Mead polish (at most 100 iterations per
       parameter), kept only where it improves the log-likelihood. After a converged
       L-BFGS-B it would move the log-likelihood by nothing (measured on CDNOW: 1e-15
       relative) at several times the cost, so it is skipped there;
    3. with an analytic ``gradient``, Newton steps theta <- theta - H^-1 g on the gradient
       g, with H its central finite difference, each kept where it improves the
       log-likelihood or (within its rounding) shrinks the gradient: this settles the
       optimum to rounding, so that data equal to rounding (the same customers in
       another order, spends summed in another order) give parameters equal to about
       1e-12, not to the optimiser's tolerance.

    Numerical warnings of numpy and scipy are silenced inside (an overflow at a trial
    point is a rejected point, not news). ``negative_log_likelihood`` and ``gradient``
    take the positive parameters. ``explain`` is the model's reading of the result (see
    :data:`Explain`): its message is raised as the error. Otherwise a fit whose
    parameters ran off to the box's edge, or that did not converge, raises a generic
    :class:`~crmvalue_core.CrmValueError`, in the words of ``explain_unsettled`` (the
    model's reading of a fit that did not converge) where it has some; no message quotes
    a parameter value.

    >>> fit = fit_positive_parameters(
    ...     "DEMO", "Poisson", ("rate",), lambda p: p[0] - 7 * np.log(p[0]), (1.0,), 1,
    ...     gradient=lambda p: np.array([1 - 7 / p[0]]))
    >>> round(fit.rate, 12), fit.n_observations
    (7.0, 1)
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        theta, value, converged = _search(
            negative_log_likelihood, start, gradient, _watch(names, explain)
        )
    if not np.isfinite(value) or value >= _REJECTED:
        raise fail(func, "the model could not be fitted to these data; check the inputs")
    values = tuple(float(v) for v in np.exp(theta))
    ran_off = tuple(n for n, t in zip(names, theta, strict=True) if abs(t) >= RUN_OFF)
    if explain is not None:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            problem = explain(dict(zip(names, values, strict=True)), ran_off)
        if problem:
            raise fail(func, problem)
    if ran_off:
        raise fail(
            func,
            f"the fit ran off to an extreme value of {', '.join(ran_off)}; the data do not "
            "identify the model (too few customers, or no repeat behaviour)",
        )
    if not converged:
        if explain_unsettled is not None:
            problem = explain_unsettled(dict(zip(names, values, strict=True)), ran_off)
            if problem:
                raise fail(func, problem)
        raise fail(
            func,
            f"the fit did not settle on a clear optimum (in {MAX_ITERATIONS} steps, or the "
            "likelihood stays flat in some direction); the data hardly identify the model: "
            "check the time unit and the observation period, or give more customers",
        )
    return FitResult(model, tuple(names), values, -float(value), int(n_observations))


#: The value of a trial point where the log-likelihood is not finite.
_REJECTED = 1e300
#: L-BFGS-B's statuses: converged; stopped because no step along its direction improved.
_CONVERGED, _LINE_SEARCH_FAILED = 0, 2


def _search(
    negative_log_likelihood: Callable[[np.ndarray], float],
    start: Sequence[float],
    gradient: Callable[[np.ndarray], np.ndarray] | None,
    callback: Callable[[np.ndarray], None] | None = None,
) -> tuple[np.ndarray, float, bool]:
    """The best log-parameters, their objective, and whether the search converged."""
    from scipy import optimize  # here, not at import: scipy.optimize costs ~0.3 s to load

    def objective(log_params: np.ndarray) -> float:
        value = negative_log_likelihood(np.exp(log_params))
        return float(value) if np.isfinite(value) else _REJECTED

    jac = None
    if gradient is not None:

        def jac(log_params: np.ndarray) -> np.ndarray:
            params = np.exp(log_params)
            return np.asarray(gradient(params), dtype=float) * params

    x0 = np.log(np.asarray(start, dtype=float))
    best = optimize.minimize(
        objective,
        x0,
        jac=jac,
        method="L-BFGS-B",
        bounds=[(-LOG_BOUND, LOG_BOUND)] * len(x0),
        callback=callback,
        options={
            "maxiter": MAX_ITERATIONS,
            "maxfun": 2 * MAX_ITERATIONS,
            "ftol": 1e-15,
            "gtol": 1e-10,
        },
    )
    theta, value = np.asarray(best.x, dtype=float), float(best.fun)
    at_edge = bool(np.any(np.abs(theta) >= RUN_OFF))
    if best.status not in (_CONVERGED, _LINE_SEARCH_FAILED) or at_edge:
        return theta, value, False  # out of iterations, or stopped as hopeless
    if best.status == _LINE_SEARCH_FAILED:  # often at the limit of precision: polish
        polish = optimize.minimize(
            objective,
            theta,
            method="Nelder-Mead",
            options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 100 * len(theta)},
        )
        if polish.fun < value:
            theta, value = np.asarray(polish.x, dtype=float), float(polish.fun)
    if jac is None or value >= _REJECTED:
        return theta, value, True
    theta, value = _settle(objective, jac, theta, value)
    steepest = float(np.max(np.abs(jac(theta))))
    return theta, value, steepest <= GRADIENT_TOLERANCE * max(1.0, abs(value))


def _watch(names: Sequence[str], explain: Explain | None) -> Callable[[np.ndarray], None]:
    """The search's callback: stop once it has been hopeless for a while (see step 1)."""
    streak = [0]

    def callback(log_params: np.ndarray) -> None:
        values = np.exp(log_params)
        ran_off = tuple(n for n, t in zip(names, log_params, strict=True) if abs(t) >= RUN_OFF)
        hopeless = bool(ran_off) or (
            explain is not None and bool(explain(dict(zip(names, values, strict=True)), ran_off))
        )
        streak[0] = streak[0] + 1 if hopeless else 0
        if streak[0] >= HOPELESS_ITERATIONS:
            raise StopIteration

    return callback


def _settle(
    objective: Callable[[np.ndarray], float],
    jac: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
    value: float,
) -> tuple[np.ndarray, float]:
    """Newton steps on the gradient from a converged search (see step 3 above)."""
    g = jac(theta)
    for _ in range(NEWTON_STEPS):
        hessian = _hessian(jac, theta)
        try:
            factor = np.linalg.cholesky(hessian)
        except np.linalg.LinAlgError:  # not a strict minimum: keep the search's point
            break
        step = -np.linalg.solve(factor.T, np.linalg.solve(factor, g))
        if not np.all(np.isfinite(step)) or np.max(np.abs(step)) > 1.0:
            break
        moved = np.clip(theta + step, -LOG_BOUND, LOG_BOUND)
        moved_value, moved_g = objective(moved), jac(moved)
        # near the optimum the value changes below its rounding: the gradient decides
        if not (
            moved_value < value
            or (
                np.max(np.abs(moved_g)) < np.max(np.abs(g))
                and moved_value <= value + 1e-12 * abs(value)
            )
        ):
            break
        theta, value, g = moved, moved_value, moved_g
        if np.max(np.abs(step)) <= 1e-13:
            break
    return theta, value


def _hessian(jac: Callable[[np.ndarray], np.ndarray], theta: np.ndarray) -> np.ndarray:
    """The symmetrised central difference of ``jac`` at ``theta`` (steps 1e-5)."""
    k = theta.size
    hessian = np.empty((k, k))
    for i in range(k):
        step = np.zeros(k)
        step[i] = 1e-5
        hessian[:, i] = (jac(theta + step) - jac(theta - step)) / 2e-5
    return (hessian + hessian.T) / 2.0
