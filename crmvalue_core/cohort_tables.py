"""Several acquisition cohorts in one shifted-beta-geometric (sBG) model.

A retention table has one row per acquisition cohort and one column per period since
acquisition: the customers of the cohort still active at periods 0, 1, 2, ... (the first
column is the cohort's size). Younger cohorts have been observed for fewer periods, so
their rows end earlier: the cells beyond a cohort's age are blank (NaN).

* :func:`retention_table` builds that table from customers' start and end dates;
* :func:`sbg_fit_cohorts` fits one (alpha, beta) to all the cohorts together;
* :func:`sbg_cohorts_log_likelihood` is the log-likelihood it maximises, for shared or
  per-cohort parameters.

Each cohort contributes the sBG log-likelihood of Fader & Hardie (2007, eq. 6); the
cohorts are independent, so the joint log-likelihood is the sum over cohorts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma

from ._fitting import FitResult, fit_positive_parameters
from ._inputs import fail, is_omitted, position, to_array
from .cells import describe, is_blank
from .fit_uncertainty import with_uncertainty

__all__ = ["retention_table", "sbg_cohorts_log_likelihood", "sbg_fit_cohorts"]

_FUNC = "SBG_FIT_COHORTS"


# --------------------------------------------------------------------------- reading


def _cell(value: Any) -> float | None:
    """One cell as a number, None for a blank (or NaN); anything else is not a number."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise TypeError
    number = float(value)
    if np.isnan(number):
        return None
    return number


def _read_table(func: str, table: Any) -> tuple[np.ndarray, list[str]]:
    """The survivors as a float table (NaN beyond each cohort's age) and the cohorts' names.

    Checks: whole counts >= 0, a cohort size above 0, no gap inside a row, at least one
    later period per cohort, and survivors that never rise.
    """
    labels = [str(label) for label in table.index] if isinstance(table, pd.DataFrame) else None
    if isinstance(table, (list, tuple)) and all(isinstance(row, (list, tuple)) for row in table):
        width = max((len(row) for row in table), default=0)  # ragged rows: younger cohorts
        table = [list(row) + [None] * (width - len(row)) for row in table]
    array = to_array(func, "table", table)
    shape = array.shape
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.size == 0:
        raise fail(func, "table is empty; give one row of survivors per cohort")
    names = labels or [f"cohort {i + 1} (row {i + 1})" for i in range(array.shape[0])]
    values = np.full(array.shape, np.nan)
    for (i, j), item in np.ndenumerate(array):
        where = position((j,) if len(shape) == 1 else (i, j), shape)
        try:
            number = _cell(item)
        except (TypeError, ValueError):
            raise fail(
                func,
                f"table {where} is {describe(item)} ({names[i]}, period {j}); enter a whole "
                "number of customers or leave the cells beyond the cohort's age blank",
            ) from None
        if number is None:
            continue
        if not np.isfinite(number) or number < 0 or number != np.floor(number):
            raise fail(
                func,
                f"table {where} is {describe(item)} ({names[i]}, period {j}); enter a whole "
                "number of customers >= 0",
            )
        values[i, j] = number
    for i, row in enumerate(values):
        known = ~np.isnan(row)
        age = int(known.sum())
        if age and not known[:age].all():
            j = int(np.flatnonzero(~known[:age])[0])
            raise fail(
                func,
                f"table {names[i]}, period {j} is blank but later periods are not; a cohort's "
                "row runs from period 0 without gaps, blank only beyond its age",
            )
        if age < 2:
            raise fail(
                func,
                f"table {names[i]} has {age} value; give the cohort size and at least one "
                "later count (periods 0, 1, ...)",
            )
        if row[0] <= 0:
            raise fail(
                func,
                f"table {names[i]}, period 0 (the cohort size) is 0; give the number of "
                "customers the cohort started with",
            )
        rises = np.flatnonzero(np.diff(row[:age]) > 0)
        if rises.size:
            j = int(rises[0]) + 1
            raise fail(
                func,
                f"table {names[i]}, period {j}: the survivors rise from {row[j - 1]:g} to "
                f"{row[j]:g}; a cohort only loses customers, so check that row (one row per "
                "cohort, period 0 first)",
            )
    return values, names


class SbgCohorts:
    """The sBG log-likelihood of a retention table and its gradient.

    For cohort i observed for n_i periods, with n_(i,t) survivors at period t, the
    ``n_(i,t-1) - n_(i,t)`` customers lost in period t have probability
    ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)`` and the ``n_(i,n_i)`` still
    active are censored with ``S(n_i) = B(alpha, beta + n_i) / B(alpha, beta)``.
    """

    def __init__(self, values: np.ndarray) -> None:
        ages = (~np.isnan(values)).sum(axis=1) - 1
        width = values.shape[1] - 1
        filled = np.where(np.isnan(values), 0.0, values)
        lost = filled[:, :-1] - filled[:, 1:]
        inside = np.arange(1, width + 1)[None, :] <= ages[:, None]
        self.lost = np.where(inside, lost, 0.0)  # (cohorts, periods)
        self.last = filled[np.arange(values.shape[0]), ages]
        self.ages = ages.astype(float)
        self.t = np.arange(1.0, width + 1.0)
        self.size = int(filled[:, 0].sum())

    def per_cohort(self, alpha: Any, beta: Any) -> np.ndarray:
        """The log-likelihood of each cohort, at shared or per-cohort (alpha, beta)."""
        a = np.broadcast_to(np.asarray(alpha, dtype=float), self.ages.shape)[:, None]
        b = np.broadcast_to(np.asarray(beta, dtype=float), self.ages.shape)[:, None]
        base = betaln(a, b)
        log_p = betaln(a + 1.0, b + self.t - 1.0) - base
        churned = np.sum(np.where(self.lost > 0, self.lost * log_p, 0.0), axis=1)
        censored = betaln(a[:, 0], b[:, 0] + self.ages) - base[:, 0]
        return churned + np.where(self.last > 0, self.last * censored, 0.0)

    def value(self, params: np.ndarray) -> float:
        """The joint log-likelihood at one (alpha, beta)."""
        return float(self.per_cohort(params[0], params[1]).sum())

    def gradient(self, params: np.ndarray) -> np.ndarray:
        """The gradient of :meth:`value` in (alpha, beta) (digamma functions)."""
        alpha, beta = params
        t = self.t
        psi_ab = digamma(alpha + beta)
        psi_abt = digamma(alpha + beta + t)
        d_alpha = digamma(alpha + 1.0) - digamma(alpha) + psi_ab - psi_abt
        d_beta = digamma(beta + t - 1.0) - digamma(beta) + psi_ab - psi_abt
        g_alpha = float(np.sum(self.lost @ d_alpha))
        g_beta = float(np.sum(self.lost @ d_beta))
        psi_abn = digamma(alpha + beta + self.ages)
        g_alpha += float(self.last @ (psi_ab - psi_abn))
        g_beta += float(self.last @ (digamma(beta + self.ages) - digamma(beta) + psi_ab - psi_abn))
        return np.array([g_alpha, g_beta])


# --------------------------------------------------------------------------- fitting


def sbg_fit_cohorts(table: Any, confidence: Any = None) -> FitResult:
    """Fit one shifted-beta-geometric model to several acquisition cohorts together.

    Parameters
    ----------
    table : 2-D range, array or DataFrame
        One row per cohort: the customers still active at periods 0, 1, ..., n_i (the first
        value is the cohort's size > 0; the counts never rise). Cells beyond a cohort's age
        are blank or NaN. A DataFrame's index names the cohorts in messages (as
        :func:`retention_table` makes it).
    confidence : float, optional
        Given (e.g. 0.95), the result also carries standard errors and intervals of that
        level (:mod:`crmvalue_core.fit_uncertainty`).

    Returns
    -------
    FitResult
        Model ``"sBG cohorts"``, parameters ``("alpha", "beta")``, the joint log-likelihood
        and the customers of all cohorts as ``n_observations``.

    Notes
    -----
    The joint log-likelihood is the sum over cohorts of the one-cohort log-likelihood of
    Fader & Hardie (2007, eq. 6),

    .. math:: LL = sum_i [ sum_{t=1}^{n_i} (n_{i,t-1} - n_{i,t}) ln P(T = t)
                           + n_{i,n_i} ln S(n_i) ]

    maximised over alpha, beta > 0 with its analytic gradient (see
    :func:`sbg_cohorts_log_likelihood`).

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention",
    Journal of Interactive Marketing, 21(1), 76-90.

    Examples
    --------
    The paper's "regular" cohort, and a younger cohort of 500 observed for 3 periods:

    >>> fit = sbg_fit_cohorts([[1000, 631, 468, 382, 326, 289, 262, 241],
    ...                        [500, 320, 240, 195, None, None, None, None]])
    >>> [round(v, 3) for v in fit], fit.n_observations
    ([0.719, 1.227], 1500)
    """
    func = _FUNC
    values, _ = _read_table(func, table)
    model = SbgCohorts(values)
    if not model.lost.any():
        raise fail(
            func,
            "no customer of any cohort ever churned, so the model cannot be fitted; give "
            "cohorts observed long enough to lose customers",
        )
    if np.all(values[:, 1] == 0):
        raise fail(
            func,
            "every customer churned in the first period, so the model cannot be fitted; "
            "check the counts",
        )
    scale = float(model.size)
    result = fit_positive_parameters(
        func,
        "sBG cohorts",
        ("alpha", "beta"),
        lambda p: -model.value(p) / scale,
        start=(1.0, 1.0),
        n_observations=model.size,
        gradient=lambda p: -model.gradient(p) / scale,
    )
    result = replace(result, log_likelihood=model.value(np.array(result.values)))
    return with_uncertainty(func, result, model.gradient, confidence)


def sbg_cohorts_log_likelihood(table: Any, alpha: Any, beta: Any) -> float:
    """The sBG log-likelihood of a retention table at given parameters.

    Parameters
    ----------
    table : 2-D range, array or DataFrame
        The retention table, as for :func:`sbg_fit_cohorts`.
    alpha, beta : float or array_like
        One value each (the cohorts share the model), or one per cohort (each cohort its
        own model; the sum is then that of the cohorts fitted separately).

    Returns
    -------
    float
        ``sum_i LL_i(alpha_i, beta_i)``, with LL_i the one-cohort log-likelihood of Fader &
        Hardie (2007, eq. 6).

    Examples
    --------
    With alpha = beta = 1, P(T = t) = 1 / (t (t + 1)) and S(t) = 1 / (t + 1): a cohort of
    2 that loses 1 in period 1 and keeps 1 has 1 ln(1/2) + 1 ln(1/2) = -1.386294:

    >>> round(sbg_cohorts_log_likelihood([[2, 1]], 1.0, 1.0), 6)
    -1.386294
    """
    func = "SBG_COHORTS_LOG_LIKELIHOOD"
    values, _ = _read_table(func, table)
    params = []
    for name, value in (("alpha", alpha), ("beta", beta)):
        array = np.asarray(value, dtype=float)
        if array.size not in (1, values.shape[0]) or not np.all(array > 0):
            raise fail(
                func,
                f"{name} must be one number > 0 or one per cohort ({values.shape[0]})",
            )
        params.append(array.reshape(-1))
    return float(SbgCohorts(values).per_cohort(*params).sum())


# ---------------------------------------------------------------------- from dates


def retention_table(start: Any, end: Any, period: str = "M", as_of: Any = None) -> pd.DataFrame:
    """The retention table of customers with start and end dates: one row per cohort.

    Parameters
    ----------
    start : sequence of dates
        Each customer's start (acquisition) date.
    end : sequence of dates
        Each customer's end date; blank (None, NaT) for a customer still active.
    period : str, optional
        The length of a period, a pandas period code: ``"M"`` months (default), ``"Q"``
        quarters, ``"Y"`` years, ``"W"`` weeks.
    as_of : date, optional
        The date the data were drawn; default the latest start or end date.

    Returns
    -------
    pandas.DataFrame
        One row per cohort (the period of the start date, oldest first, named e.g.
        ``"2024-01"``), columns 0, 1, ... (periods since acquisition): the customers of
        the cohort still active at each period. Cells beyond a cohort's age are NaN.

    Notes
    -----
    A customer of cohort c who ends in period e counts as active at periods 0 .. e - c
    (the customer was there at the start of the period in which he left); one still active
    counts at every period up to the period of ``as_of``, so cohort c's row has
    ``as_of - c + 1`` values. That is the survivors input of Fader & Hardie (2007).

    Examples
    --------
    >>> table = retention_table(
    ...     ["2024-01-05", "2024-01-20", "2024-01-31", "2024-02-10"],
    ...     ["2024-02-15", None, "2024-01-31", "2024-03-01"])
    >>> table
               0    1    2
    2024-01  3.0  2.0  1.0
    2024-02  1.0  1.0  NaN
    """
    func = "RETENTION_TABLE"
    starts = _dates(func, "start", start, blank_ok=False)
    ends = _dates(func, "end", end, blank_ok=True)
    if starts.size != ends.size:
        raise fail(
            func,
            f"start has {starts.size} dates but end has {ends.size}; give one of each per "
            "customer (a blank end for a customer still active)",
        )
    if starts.size == 0:
        raise fail(func, "start is empty; give one start date per customer")
    try:
        freq = pd.Period("2024-01-01", period).freqstr
    except (ValueError, TypeError):
        raise fail(
            func,
            f'period is {period!r}; enter "M" (months), "Q" (quarters), "Y" (years) or "W" (weeks)',
        ) from None
    before = (~ends.isna()) & (ends < starts)
    if before.any():
        i = int(np.flatnonzero(before)[0])
        raise fail(
            func,
            f"end item {i + 1} ({ends[i]:%Y-%m-%d}) is before its start ({starts[i]:%Y-%m-%d}); "
            "check the dates of that customer",
        )
    latest = max(starts.max(), ends.max()) if not ends.isna().all() else starts.max()
    if is_omitted(as_of):
        cutoff = latest
    else:
        cutoff = _dates(func, "as_of", [as_of], blank_ok=False)[0]
        if cutoff < latest:
            raise fail(
                func,
                f"as_of ({cutoff:%Y-%m-%d}) is before the latest date in the data "
                f"({latest:%Y-%m-%d}); give the date the data were drawn",
            )
    cohort = starts.to_period(freq)
    first = cohort.min()
    c = np.asarray((cohort - first).map(lambda offset: offset.n), dtype=int)
    last = (pd.Period(cutoff, freq) - first).n
    ended = ~ends.isna()
    e = np.full(c.size, last, dtype=int)
    if ended.any():
        e[ended] = np.asarray(
            (ends[ended].to_period(freq) - first).map(lambda offset: offset.n), dtype=int
        )
    lasting = e - c  # active at periods 0 .. lasting
    n_cohorts = last + 1
    # survivors at k: those with lasting >= k, a reversed cumulative sum of counts by lasting
    by_lasting = np.zeros((n_cohorts, n_cohorts))
    np.add.at(by_lasting, (c, lasting), 1.0)
    survivors = np.cumsum(by_lasting[:, ::-1], axis=1)[:, ::-1]
    survivors[np.arange(n_cohorts)[:, None] + np.arange(n_cohorts)[None, :] > last] = np.nan
    present = survivors[:, 0] > 0
    index = [str(first + i) for i in range(n_cohorts)]
    table = pd.DataFrame(survivors, index=index, columns=range(n_cohorts))
    table = table[present]
    return table.loc[:, table.notna().any(axis=0)]


def _dates(func: str, name: str, values: Any, *, blank_ok: bool) -> pd.DatetimeIndex:
    """Read dates (text, datetime, pandas) into a DatetimeIndex; NaT for a blank."""
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        values = [values]
    items = [item.item() if isinstance(item, np.generic) else item for item in values]
    out = []
    for i, item in enumerate(items):
        if is_blank(item) or (isinstance(item, float) and np.isnan(item)) or item is pd.NaT:
            if not blank_ok:
                raise fail(func, f"{name} item {i + 1} is blank; enter a date")
            out.append(pd.NaT)
            continue
        try:
            out.append(pd.Timestamp(item))
        except (ValueError, TypeError):
            raise fail(
                func, f"{name} item {i + 1} is {describe(item)}; enter a date (e.g. 2024-01-31)"
            ) from None
    return pd.DatetimeIndex(out)
