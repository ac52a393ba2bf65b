"""One pattern for every fitter: inputs in, a small result object out.

A fitter (``sbg_fit``, ``bgnbd_fit``, ``gg_fit``) returns a :class:`FitResult`: the
fitted parameters by name, the maximised log-likelihood, the number of observations and
whether the optimiser converged. Iterating over it yields the parameters in their
published order, so ``alpha, beta = sbg_fit(survivors)`` reads as the paper does.
"""

from __future__ import annotations

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


def fit_positive_parameters(
    func: str,
    model: str,
    names: Sequence[str],
    negative_log_likelihood: Callable[[np.ndarray], float],
    start: Sequence[float],
    n_observations: int,
    gradient: Callable[[np.ndarray], np.ndarray] | None = None,
) -> FitResult:
    """Maximise a log-likelihood over strictly positive parameters.

    The search runs on log-parameters (so every trial point is valid) with L-BFGS-B,
    then polishes with Nelder-Mead from the best point. ``negative_log_likelihood``
    takes the positive parameters. ``gradient``, if given, is the gradient of the
    negative log-likelihood with respect to the positive parameters.
    """

    from scipy import optimize  # here, not at import: scipy.optimize costs ~0.3 s to load

    def objective(log_params: np.ndarray) -> float:
        value = negative_log_likelihood(np.exp(log_params))
        return float(value) if np.isfinite(value) else 1e300

    jac = None
    if gradient is not None:

        def jac(log_params: np.ndarray) -> np.ndarray:
            params = np.exp(log_params)
            return np.asarray(gradient(params)) * params

    x0 = np.log(np.asarray(start, dtype=float))
    bounds = [(-20.0, 20.0)] * len(x0)
    best = optimize.minimize(
        objective,
        x0,
        jac=jac,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
    )
    polish = optimize.minimize(
        objective,
        best.x,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    if polish.fun <= best.fun:
        best = polish
    if not np.isfinite(best.fun) or best.fun >= 1e300:
        raise fail(func, "the model could not be fitted to these data; check the inputs")
    if np.any(np.abs(best.x) >= 19.9):
        raise fail(
            func,
            "the fit ran off to an extreme parameter value; the data do not identify the "
            "model (too few customers, or no repeat behaviour)",
        )
    values = tuple(float(v) for v in np.exp(best.x))
    return FitResult(model, tuple(names), values, -float(best.fun), int(n_observations))
