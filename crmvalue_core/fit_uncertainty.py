"""How sure a fit is: standard errors and intervals of fitted parameters.

Every fitter of crmvalue (sBG, BG/NBD, Gamma-Gamma) maximises a log-likelihood over
positive parameters. Near the maximum the log-likelihood is close to a quadratic, and the
curvature there -- the observed information, minus the Hessian -- measures how sharply the
data pin the parameters down (Fisher 1925; e.g. Pawitan 2001, *In All Likelihood*, ch. 2
and 9). This module computes it and turns it into:

* the covariance of the log-parameters, ``V = I(u)^-1`` with ``u = ln(theta)``;
* each parameter's standard error by the delta method, ``se(theta) = theta se(u)`` (which
  is what ``lifetimes`` reports as ``se(coef)``);
* a confidence interval on the log scale, ``theta exp(-/+ z se(u))``, which never goes
  below 0 (z = 1.96 for 95%).

The Hessian is computed by central differences of the fitter's *analytic* gradient in the
log-parameters, with step h = 1e-3 (a relative step of 0.1% in each parameter) and
Richardson extrapolation of the steps h and h/2, ``(4 D(h/2) - D(h)) / 3``, whose error
is of order h^4 (about 1e-12 relative). A Hessian that is not negative definite (a flat
likelihood, parameters the data do not identify) is an error that says so, never a NaN.

:func:`standard_errors` gives the :class:`ParameterUncertainty` of a fit from the data it
was fitted on; the fitters also take ``confidence=`` and then carry it in
``FitResult.uncertainty``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ._inputs import as_number, fail, is_omitted

if TYPE_CHECKING:
    from ._fitting import FitResult

__all__ = [
    "ParameterUncertainty",
    "log_parameter_hessian",
    "parameter_uncertainty",
    "read_confidence",
    "standard_errors",
    "with_uncertainty",
]

#: Step of the central differences on the log-parameters (a 0.1% relative step).
_LOG_STEP = 1e-3


@dataclass(frozen=True)
class ParameterUncertainty:
    """Standard errors and confidence intervals of a fit's parameters.

    Attributes:
        model: the model's name, e.g. ``"sBG"``.
        names: the parameter names in their published order.
        values: the fitted values.
        standard_errors: each parameter's standard error (delta method from the log scale).
        lower, upper: the confidence interval of each parameter, computed on the log scale.
        confidence: the confidence level of the intervals, e.g. 0.95.
        log_covariance: the covariance matrix of the log-parameters (inverse observed
            information), as nested tuples; what draws of the parameters use.
    """

    model: str
    names: tuple[str, ...]
    values: tuple[float, ...]
    standard_errors: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    confidence: float
    log_covariance: tuple[tuple[float, ...], ...]

    def rows(self) -> list[list[float]]:
        """Four rows, as Excel shows them: the values, the standard errors, the lower and
        the upper bounds, each in the parameters' order."""
        return [list(self.values), list(self.standard_errors), list(self.lower), list(self.upper)]

    def standard_error(self, name: str) -> float:
        """The standard error of the parameter called ``name``."""
        return self.standard_errors[self.names.index(name)]

    def interval(self, name: str) -> tuple[float, float]:
        """The (lower, upper) confidence interval of the parameter called ``name``."""
        i = self.names.index(name)
        return self.lower[i], self.upper[i]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{n}={v:.4g} (se {s:.2g}, {lo:.4g}..{hi:.4g})"
            for n, v, s, lo, hi in zip(
                self.names, self.values, self.standard_errors, self.lower, self.upper, strict=True
            )
        )
        return f"ParameterUncertainty({self.model}: {shown}, {self.confidence:.0%})"


def log_parameter_hessian(
    gradient: Callable[[np.ndarray], np.ndarray], values: Sequence[float]
) -> np.ndarray:
    """The Hessian of a log-likelihood in the log-parameters, from its analytic gradient.

    ``gradient(theta)`` is the gradient of the log-likelihood in the (positive) parameters
    theta. With ``u = ln(theta)`` the gradient in u is ``theta * gradient(theta)``; column j
    of the Hessian is its central difference ``D_j(h) = (g(u + h e_j) - g(u - h e_j)) / 2h``,
    extrapolated as ``(4 D_j(h/2) - D_j(h)) / 3`` (Richardson), h = 1e-3; the result is
    symmetrised.

    Examples
    --------
    A log-likelihood ``-(theta - 2)^2 / 2`` has, at theta = 2, the second derivative in
    u = ln(theta) of ``-theta^2 = -4``:

    >>> h = log_parameter_hessian(lambda th: -(th - 2.0), [2.0])
    >>> round(float(h[0, 0]), 8)
    -4.0
    """
    u = np.log(np.asarray(values, dtype=float))
    k = u.size

    def grad_u(point: np.ndarray) -> np.ndarray:
        theta = np.exp(point)
        return np.asarray(gradient(theta), dtype=float) * theta

    def differences(h: float) -> np.ndarray:
        out = np.empty((k, k))
        for j in range(k):
            step = np.zeros(k)
            step[j] = h
            out[:, j] = (grad_u(u + step) - grad_u(u - step)) / (2.0 * h)
        return out

    hessian = (4.0 * differences(_LOG_STEP / 2.0) - differences(_LOG_STEP)) / 3.0
    return (hessian + hessian.T) / 2.0


def read_confidence(func: str, confidence: Any) -> float:
    """A confidence level strictly between 0 and 1 (0.95 for 95%).

    >>> read_confidence("SBG_FIT", 0.9)
    0.9
    """
    level = as_number(
        func,
        "confidence",
        confidence,
        above=0.0,
        hint="a confidence level between 0 and 1, such as 0.95 for 95%",
    )
    if level >= 1.0:
        raise fail(
            func,
            f"confidence is {level:g}; enter a level between 0 and 1, such as 0.95 for 95%",
        )
    return level


def parameter_uncertainty(
    func: str,
    model: str,
    names: Sequence[str],
    values: Sequence[float],
    gradient: Callable[[np.ndarray], np.ndarray],
    confidence: float = 0.95,
) -> ParameterUncertainty:
    """Standard errors and log-scale intervals from the observed information at a fit.

    ``gradient`` is the analytic gradient of the (total, not averaged) log-likelihood in
    the positive parameters. With ``H`` the Hessian in ``u = ln(theta)``
    (:func:`log_parameter_hessian`), ``V = (-H)^-1``, ``se(theta_j) = theta_j sqrt(V_jj)``
    and the interval is ``theta_j exp(-/+ z sqrt(V_jj))`` with z the normal quantile of
    ``(1 + confidence) / 2``.

    Raises
    ------
    CrmValueError
        When ``-H`` is not positive definite: the likelihood is flat (or curves the wrong
        way) in some direction, so the data do not identify the parameters.

    Examples
    --------
    The log-likelihood of 100 coin tosses with 30 heads in the odds theta = p / (1 - p)
    is ``30 ln(theta) - 100 ln(1 + theta)``; in u = ln(theta) its information is
    ``100 p (1 - p) = 21``, so se(u) = 1/sqrt(21):

    >>> unc = parameter_uncertainty(
    ...     "TEST", "odds", ["theta"], [3 / 7], lambda th: 30 / th - 100 / (1 + th))
    >>> round(unc.standard_errors[0], 6), round(3 / 7 / 21**0.5, 6)
    (0.093522, 0.093522)
    >>> [round(v, 4) for v in (unc.lower[0], unc.upper[0])]
    [0.2794, 0.6573]
    """
    from scipy.special import ndtri

    theta = np.asarray(values, dtype=float)
    information = -log_parameter_hessian(gradient, theta)
    scale = np.sqrt(np.abs(np.diag(information)))
    ok = np.all(np.isfinite(information)) and np.all(scale > 0)
    if ok:
        # scaled to unit diagonal, so the test does not depend on the parameters' units
        scaled = information / np.outer(scale, scale)
        eigen = np.linalg.eigvalsh(scaled)
        ok = bool(eigen[0] > 1e-10 * eigen[-1])
    if not ok:
        raise fail(
            func,
            f"the {model} likelihood is flat at the fit, so the parameters "
            f"({', '.join(names)}) are not identifiable and have no standard errors; "
            "give more data (more customers, a longer history)",
        )
    log_cov = np.linalg.inv(scaled) / np.outer(scale, scale)
    log_se = np.sqrt(np.diag(log_cov))
    z = float(ndtri((1.0 + confidence) / 2.0))
    return ParameterUncertainty(
        model=model,
        names=tuple(names),
        values=tuple(float(v) for v in theta),
        standard_errors=tuple(float(v) for v in theta * log_se),
        lower=tuple(float(v) for v in theta * np.exp(-z * log_se)),
        upper=tuple(float(v) for v in theta * np.exp(z * log_se)),
        confidence=float(confidence),
        log_covariance=tuple(tuple(float(v) for v in row) for row in log_cov),
    )


def with_uncertainty(
    func: str,
    fit: FitResult,
    gradient: Callable[[np.ndarray], np.ndarray],
    confidence: Any,
) -> FitResult:
    """``fit`` itself when ``confidence`` is omitted, else ``fit`` carrying its
    :class:`ParameterUncertainty` at that level (see :func:`parameter_uncertainty`;
    ``gradient`` is that of the total log-likelihood in the positive parameters).

    >>> from crmvalue_core._fitting import FitResult
    >>> fit = FitResult("odds", ("theta",), (3 / 7,), -61.09, 100)
    >>> with_uncertainty("TEST", fit, lambda th: 30 / th - 100 / (1 + th), None) is fit
    True
    >>> unc = with_uncertainty("TEST", fit, lambda th: 30 / th - 100 / (1 + th), 0.9)
    >>> round(unc.uncertainty.standard_errors[0], 6), unc.uncertainty.confidence
    (0.093522, 0.9)
    """
    if is_omitted(confidence):
        return fit
    level = read_confidence(func, confidence)
    found = parameter_uncertainty(func, fit.model, fit.names, fit.values, gradient, level)
    return replace(fit, uncertainty=found)


def standard_errors(fit: Any, *data: Any, confidence: Any = 0.95) -> ParameterUncertainty:
    """Standard errors and confidence intervals of a fit, from the data it was fitted on.

    Parameters
    ----------
    fit : FitResult
        A fit by :func:`~crmvalue_core.cohort_retention.sbg_fit`,
        :func:`~crmvalue_core.cohort_retention.sbg_fit_cohorts`,
        :func:`~crmvalue_core.purchase_history.bgnbd_fit` or
        :func:`~crmvalue_core.purchase_history.gg_fit`.
    *data
        The fitter's data, in its order: ``survivors`` (sBG), the retention ``table`` (sBG
        of several cohorts), ``frequency, recency, age`` (BG/NBD) or ``frequency,
        monetary_value`` (Gamma-Gamma).
    confidence : float, optional
        The level of the intervals (default 0.95).

    Returns
    -------
    ParameterUncertainty
        Standard errors and intervals, in the order of ``fit.names``.

    Notes
    -----
    The observed information at the fit (see :func:`parameter_uncertainty`): se(theta) =
    theta se(ln theta), intervals theta exp(-/+ 1.96 se(ln theta)) at 95%.

    Examples
    --------
    >>> from crmvalue_core.cohort_retention import sbg_fit
    >>> regular = [1000, 631, 468, 382, 326, 289, 262, 241]
    >>> unc = standard_errors(sbg_fit(regular), regular)
    >>> [round(s, 3) for s in unc.standard_errors]
    [0.066, 0.152]
    >>> [round(v, 3) for v in unc.interval("alpha")]
    [0.587, 0.845]
    """
    from .cohort_retention import sbg_fit, sbg_fit_cohorts
    from .purchase_history import bgnbd_fit, gg_fit

    fitters = {
        "sBG": sbg_fit,
        "sBG cohorts": sbg_fit_cohorts,
        "BG/NBD": bgnbd_fit,
        "Gamma-Gamma": gg_fit,
    }
    model = getattr(fit, "model", None)
    if model not in fitters:
        raise fail(
            "STANDARD_ERRORS",
            f"fit is {type(fit).__name__}; give the result of sbg_fit, sbg_fit_cohorts, "
            "bgnbd_fit or gg_fit",
        )
    level = 0.95 if is_omitted(confidence) else confidence
    refit = fitters[model](*data, confidence=level)
    if not np.allclose(refit.values, fit.values, rtol=1e-4):
        raise fail(
            "STANDARD_ERRORS",
            f"the data do not give this {model} fit (they give "
            f"{', '.join(f'{v:.4g}' for v in refit.values)}); give the data it was fitted on",
        )
    return refit.uncertainty
