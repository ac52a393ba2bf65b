"""Measuring the appraisal's baseline drivers from a transaction log.

See :func:`measure_baseline` for what each driver is and how it is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from .._fitting import FitResult
from .._inputs import as_number, as_numbers, fail
from ..cells import describe, is_error_value
from ..cohort_tables import retention_table, sbg_fit_cohorts
from ..errors import CrmValueError
from ..purchase_history import bgnbd_fit, gg_fit
from ..purchase_history.clv_intervals_table import EXACT_UP_TO
from ..transactions import (
    flag_texts,
    read_date,
    read_transaction_log,
    summary_from_transactions,
)
from . import _drivers as drv

__all__ = [
    "Baseline",
    "MeasuredDriver",
    "Provenance",
    "baseline_table",
    "measure_baseline",
    "measure_from_histories",
]

FUNC = "BASELINE_TABLE"
#: Shortest log (days up to the observation end) from which a year's churn is measured.
MIN_DAYS = 91
#: A log shorter than this many days gives a warning for the churn.
YEAR_DAYS = 365
#: Fewer repeat buyers than this give a warning.
FEW_REPEAT_BUYERS = 200
#: A holdout percentage error above this gives a warning.
HOLDOUT_ERROR_LIMIT = 0.15
#: Full calendar years averaged for the new customers per year.
LAST_YEARS = 3
#: Confidence level of the fits' covariance (the draws use the covariance, not the level).
_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Provenance:
    """Where a measured driver came from.

    Attributes:
        model: the model or count, e.g. ``"BG/NBD"``.
        parameters: the fitted parameters as (name, value) pairs (empty for a count).
        log_likelihood: the maximised log-likelihood (None for a count); for BG/NBD and
            Gamma-Gamma together their sum, the joint log-likelihood of the two models
            (which take purchases and spend as independent).
        customers: how many customers the measurement used.
        period: the first date of the data and the observation end (ISO dates).
        holdout_error: the BG/NBD's percentage error over the holdout periods, when
            a holdout was measured, else None.
    """

    model: str
    parameters: tuple[tuple[str, float], ...]
    log_likelihood: float | None
    customers: int
    period: tuple[str, str]
    holdout_error: float | None = None

    def describe(self) -> str:
        """The provenance in one line of words (what the workbook's notes show)."""
        text = f"{self.model}"
        if self.parameters:
            shown = ", ".join(f"{n}={v:.6g}" for n, v in self.parameters)
            text += f" ({shown}; log-likelihood {self.log_likelihood:.6g})"
        text += f"; {self.customers} customers, {self.period[0]} to {self.period[1]}"
        if self.holdout_error is not None:
            text += f"; holdout error {self.holdout_error:.1%}"
        return text


@dataclass(frozen=True)
class MeasuredDriver:
    """One measured driver of the appraisal.

    Attributes:
        name: the template's defined name, e.g. ``"CustomersActive"``.
        label: what it is, in words.
        estimate: the value at the fitted parameters.
        p10, p90: the 10th and 90th percentiles under the estimation uncertainty.
        method: how it was measured, in one sentence.
        provenance: the model, parameters, data and holdout error behind it.
        samples: the driver at each parameter draw (P10 and P90 are their percentiles);
            the drivers of one BG/NBD draw share its index, so they are joint draws.
    """

    name: str
    label: str
    estimate: float
    p10: float
    p90: float
    method: str
    provenance: Provenance
    samples: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False, compare=False)


@dataclass(frozen=True)
class Baseline:
    """The measured baseline drivers and the warnings of weak measurement.

    Attributes:
        drivers: the measured drivers, in the template's order.
        warnings: one sentence per weakness of the measurement (none: an empty tuple).
        observation_end: the observation end (ISO date).
        draws: how many parameter draws the intervals used; seed: their seed.
    """

    drivers: tuple[MeasuredDriver, ...]
    warnings: tuple[str, ...]
    observation_end: str
    draws: int
    seed: int

    def __getitem__(self, name: str) -> MeasuredDriver:
        for driver in self.drivers:
            if driver.name == name:
                return driver
        raise KeyError(name)

    def samples(self) -> pd.DataFrame:
        """The drivers' joint draws: one row per parameter draw, one column per driver."""
        return pd.DataFrame({d.name: d.samples for d in self.drivers})

    def table(self) -> pd.DataFrame:
        """The drivers as a table: name, label, estimate, p10, p90, model, source."""
        return pd.DataFrame(
            [
                (d.name, d.label, d.estimate, d.p10, d.p90, d.provenance.model, d.method)
                for d in self.drivers
            ],
            columns=["name", "label", "estimate", "p10", "p90", "model", "method"],
        ).set_index("name")


def _refuse_error_ids(codes: np.ndarray, labels: pd.Index) -> None:
    """An Excel error value (#N/A...) as a customer is an error, never a customer."""
    if labels.dtype == object or pd.api.types.is_string_dtype(labels.dtype):
        errors = flag_texts(labels, is_error_value)
        if np.any(errors):
            i = int(np.flatnonzero(errors[codes])[0])
            raise fail(
                FUNC,
                f"customer_ids item {i + 1} is {describe(labels[codes[i]])}; enter the customer "
                "of every row (fix the cell the error comes from)",
            )


def _iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def _draws(fit: FitResult, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` parameter draws, log-normal with the fit's covariance: shape (n, parameters)."""
    assert fit.uncertainty is not None
    cov = np.array(fit.uncertainty.log_covariance)
    factor = np.linalg.cholesky(cov)
    return np.exp(np.log(fit.values) + rng.standard_normal((n, len(fit.values))) @ factor.T)


def _percentiles(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [10.0, 90.0])
    return float(low), float(high)


def measure_baseline(
    customer_ids: Any,
    dates: Any,
    amounts: Any = None,
    observation_end: Any = None,
    margin: Any = 1.0,
    customer_starts: Any = None,
    customer_ends: Any = None,
    holdout_error: Any = None,
    draws: Any = 500,
    seed: Any = 0,
    date_format: str | None = None,
) -> Baseline:
    """Measure the appraisal's baseline drivers from a transaction log.

    Parameters
    ----------
    customer_ids, dates, amounts : array_like
        The transaction log: the customer, date and value of each purchase (as for
        :func:`~crmvalue_core.transactions.summary_from_transactions`). Without amounts
        the margin per customer is not measured.
    observation_end : date, optional
        The day the baseline is measured at; default the last date of the log. Later
        transactions are left out.
    margin : float, optional
        The gross margin as a share of the purchase values (0..1); default 1.
    customer_starts, customer_ends : sequence of dates, optional
        A customers table of a contractual business (start and end date of each
        customer; end blank while active). Given, the churn is measured from it by the
        sBG model instead of from the log.
    holdout_error : float, optional
        The BG/NBD's percentage error over a holdout period, if the caller measured one
        (:func:`~crmvalue_core.purchase_history.validate_holdout`); it is recorded in the
        provenance, and above 15% it gives a warning.
    draws, seed : int, optional
        The number of parameter draws for the P10/P90 intervals (default 500) and their
        seed (default 0).

    Returns
    -------
    Baseline
        ``CustomersActive``, ``ChurnBaseline``, ``MarginPerCustomer`` (with amounts) and
        ``NewCustomersPerYear``, each with P10/P90 and provenance, and the warnings.

    Notes
    -----
    The BG/NBD model (Fader, Hardie & Lee 2005, Marketing Science 24(2)) is fitted to the
    histories (x, t_x, T in weeks) at the observation end T, Gamma-Gamma (Fader, Hardie
    & Lee 2005, JMR 42(4)) to the mean repeat spends. Over the customers i of the log:

    * active customers: :math:`B = \\sum_i P(\\text{alive}_i \\mid x_i, t_{x,i}, T_i)` (eq. 11).
    * annual churn (non-contractual): the expected share of the customers alive at the
      observation end who are no longer alive 52 weeks later,
      :math:`c = 1 - \\sum_i P_i S_i / \\sum_i P_i` with :math:`P_i` = P(alive) and
      :math:`S_i = E[e^{-\\lambda p \\cdot 52}]` over the posterior of a customer alive at
      T, :math:`\\lambda \\sim \\Gamma(r+x, \\alpha+T)`, :math:`p \\sim B(a, b+x)` (a customer
      alive drops out at rate :math:`\\lambda p`), that is
      :math:`S_i = {}_2F_1(r+x_i, a; a+b+x_i; -52/(\\alpha+T_i))`.
    * annual churn (contractual, with a customers table): the monthly retention table
      (:func:`~crmvalue_core.cohort_tables.retention_table`) fitted by one sBG
      (Fader & Hardie 2007, J. Interactive Marketing 21(1)), and
      :math:`c = 1 - B(\\alpha, \\beta+12) / B(\\alpha, \\beta)`, the share of a new
      cohort gone within 12 months.
    * annual gross margin per customer:
      :math:`m = \\text{margin} \\cdot \\sum_i E[Z_i] \\, E[Y_i(52)] / \\sum_i P_i`, the
      expected margin of the next 52 weeks per active customer, with :math:`E[Z_i]` the
      Gamma-Gamma expected spend per purchase (eq. 5) and :math:`E[Y_i(52)]` the BG/NBD
      expected purchases (eq. 10).
    * new customers per year: the mean count of first purchases in the last (up to 3)
      full calendar years before the observation end; with no full year, the first
      purchases of the log scaled to 365 days (and a warning).

    The P10/P90 of the model-based drivers are the percentiles over ``draws`` draws of the
    parameters from their sampling distribution (log-normal, the covariance of
    :mod:`crmvalue_core.fit_uncertainty`; BG/NBD and Gamma-Gamma independent), each draw
    propagated through the same formulas. Up to ``EXACT_UP_TO`` (200,000) customers x
    draws every draw is evaluated in full; beyond, as for the intervals of the predicted
    CLV, the year's survival :math:`S` and the expected purchases of a customer alive of
    each (x, T) pair are expanded to first order in the BG/NBD log-parameters around the
    estimate, ``ln f(theta_d) = ln f(theta) + g . (ln theta_d - ln theta)``, g by central
    differences (9 evaluations instead of one per draw), while
    P(alive) and the Gamma-Gamma spend stay exact at every draw; on the CDNOW sample
    (2,357 customers, 200 draws) the P10/P90 so found are within 0.3% of the full
    evaluation, on the whole CDNOW log (23,570 customers, 500 draws) within 0.04%.
    For the new customers per year the counts are taken as Poisson: the P10/P90 of the
    yearly mean are those of Poisson(total) / years.

    Examples
    --------
    2,000 customers simulated from the BG/NBD model (r = 0.5, alpha = 5 weeks, a = 1,
    b = 3), first buying on a random day of 2023 or 2024, spending Gamma(4, 25/4) (a mean
    of 25) per customer and purchase; by
    hand, the first purchases are 2,000 over two full years:

    >>> import numpy as np
    >>> rng = np.random.default_rng(7)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.5, 1 / 5.0, n), rng.beta(1.0, 3.0, n)
    >>> weeks = rng.exponential(1.0, (n, 30)).cumsum(axis=1) / lam[:, None]
    >>> kept = np.arange(30) < rng.geometric(p)[:, None]
    >>> start = rng.integers(0, 730, n)
    >>> days = start[:, None] + np.floor(weeks * 7).astype(int)
    >>> rows, cols = np.nonzero(kept & (days < 731))
    >>> ids = np.r_[np.arange(n), rows]
    >>> dates = np.datetime64("2023-01-01") + np.r_[start, days[rows, cols]]
    >>> spend = rng.gamma(4.0, 25 / 4.0, n)[ids] * rng.gamma(20.0, 1 / 20.0, ids.size)
    >>> result = measure_baseline(ids, dates, spend, "2024-12-31",
    ...                           margin=0.3, draws=200)  # 400,000 cells: expanded
    >>> result["NewCustomersPerYear"].estimate
    1000.0
    >>> result.table()[["estimate", "p10", "p90"]].round(2)
                         estimate      p10      p90
    name
    CustomersActive       1259.41  1246.86  1275.25
    ChurnBaseline            0.22     0.21     0.23
    MarginPerCustomer       15.55    15.10    16.17
    NewCustomersPerYear    1000.00   971.50  1028.50
    >>> result.warnings
    ()
    """
    try:
        return _measure(
            customer_ids,
            dates,
            amounts,
            observation_end,
            margin,
            customer_starts,
            customer_ends,
            holdout_error,
            draws,
            seed,
            date_format,
        )
    except CrmValueError as error:
        raise _renamed(error) from None


def measure_from_histories(
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any = None,
    margin: Any = 1.0,
    draws: Any = 500,
    seed: Any = 0,
) -> tuple[MeasuredDriver, ...]:
    """The log-based drivers of :func:`measure_baseline` from the customers' histories.

    The same fits, formulas and parameter draws (and the expansion beyond ``EXACT_UP_TO``
    customers x draws) as :func:`measure_baseline` (see its
    Notes: BG/NBD, Fader, Hardie & Lee 2005, Marketing Science 24(2); Gamma-Gamma, Fader,
    Hardie & Lee 2005, JMR 42(4)), for a caller that already has the summary of the log:
    ``frequency`` x (repeat purchases), ``recency`` t_x and ``age`` T in weeks, and the
    mean repeat spend of each customer (``monetary_value``; None: no margin). Returns
    ``CustomersActive``, ``ChurnBaseline`` and, with spends, ``MarginPerCustomer``; the
    new customers per year need the dates and are not measured. The provenance's period
    is unknown here and left blank.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> n = 3000
    >>> lam, p = rng.gamma(0.5, 1 / 5.0, n), rng.beta(1.0, 3.0, n)
    >>> weeks = rng.exponential(1.0, (n, 40)).cumsum(axis=1) / lam[:, None]
    >>> big_t = rng.uniform(20.0, 104.0, n)
    >>> seen = (np.arange(40) < rng.geometric(p)[:, None]) & (weeks < big_t[:, None])
    >>> x = seen.sum(axis=1).astype(float)
    >>> t_x = np.where(seen, weeks, 0.0).max(axis=1)
    >>> drivers = measure_from_histories(x, t_x, big_t, draws=50)
    >>> [d.name for d in drivers]
    ['CustomersActive', 'ChurnBaseline']
    >>> bool(drivers[1].p10 < drivers[1].estimate < drivers[1].p90)
    True
    """
    try:
        n_draws = int(as_number(FUNC, "draws", draws, minimum=10.0, maximum=100_000.0, whole=True))
        seed_value = int(as_number(FUNC, "seed", seed, minimum=0.0, whole=True))
        share = as_number(FUNC, "margin", margin, minimum=0.0, maximum=1.0)
        x, t_x, big_t = (
            np.asarray(as_numbers(FUNC, name, value, minimum=0.0), dtype=float).reshape(-1)
            for name, value in (("frequency", frequency), ("recency", recency), ("age", age))
        )
        zbar = (
            None
            if monetary_value is None
            else np.asarray(
                as_numbers(FUNC, "monetary_value", monetary_value, minimum=0.0), dtype=float
            ).reshape(-1)
        )
        if len({x.size, t_x.size, big_t.size} | ({zbar.size} if zbar is not None else set())) > 1:
            raise fail(
                FUNC, "frequency, recency, age and monetary_value need one value per customer"
            )
        if not np.any(x > 0):
            raise fail(
                FUNC,
                "no customer bought again (all frequencies 0); the models need repeat purchases",
            )
        drivers = _history_drivers(
            x, t_x, big_t, zbar, share, np.random.default_rng(seed_value), n_draws, ("", ""), None
        )
    except CrmValueError as error:
        raise _renamed(error) from None
    return tuple(drivers)


def _renamed(error: CrmValueError) -> CrmValueError:
    """A message of a function used here under this function's name: the reader's as it
    is, a fitter's after the model it fits (``BGNBD_FIT: ...`` -> ``... fitting BG/NBD: ...``)."""
    text = str(error)
    if text.startswith(f"{FUNC}: "):
        return error
    name, _, rest = text.partition(": ")
    if not rest:
        return fail(FUNC, text)
    model = _FITTERS.get(name)
    return fail(FUNC, f"fitting {model}: {rest}" if model else rest)


_FITTERS = {"BGNBD_FIT": "BG/NBD", "GG_FIT": "Gamma-Gamma", "SBG_FIT_COHORTS": "the sBG cohorts"}


def _measure(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    observation_end: Any,
    margin: Any,
    customer_starts: Any,
    customer_ends: Any,
    holdout_error: Any,
    draws: Any,
    seed: Any,
    date_format: str | None,
) -> Baseline:
    """The body of :func:`measure_baseline`."""
    n_draws = int(as_number(FUNC, "draws", draws, minimum=10.0, maximum=100_000.0, whole=True))
    seed_value = int(as_number(FUNC, "seed", seed, minimum=0.0, whole=True))
    share = as_number(FUNC, "margin", margin, minimum=0.0, maximum=1.0)
    codes, labels, days, values = read_transaction_log(customer_ids, dates, amounts, date_format)
    _refuse_error_ids(codes, labels)
    end = (
        int(days.max())
        if observation_end is None
        else read_date("observation_end", observation_end, date_format)
    )
    start = int(days.min())
    if end < start:
        raise fail(
            FUNC,
            f"observation_end {_iso(end)} is before the first purchase of the log "
            f"({_iso(start)}); give a date inside the log",
        )
    span = end - start + 1  # days covered, both ends included
    if span < MIN_DAYS:
        raise fail(
            FUNC,
            f"the log covers {span} days up to the observation end ({_iso(start)} to "
            f"{_iso(end)}); a year's churn cannot be measured from less than {MIN_DAYS} "
            "days: give a longer log or a later observation end",
        )
    period = (_iso(start), _iso(end))
    warnings: list[str] = []
    if span < YEAR_DAYS:
        warnings.append(
            f"the log covers only {span} days up to the observation end: the annual churn "
            "and purchases are extrapolated from less than a year"
        )
    summary = summary_from_transactions(
        codes, days.astype("datetime64[D]"), values, observation_end=_iso(end)
    )
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    big_t = summary["age"].to_numpy(dtype=float)
    repeaters = int(np.count_nonzero(x > 0))
    if repeaters == 0:
        raise fail(
            FUNC,
            f"none of the {x.size} customers bought again up to {_iso(end)}; the models "
            "need repeat purchases: give a longer log or a later observation end",
        )
    if repeaters < FEW_REPEAT_BUYERS:
        warnings.append(
            f"only {repeaters} of {x.size} customers bought again: the fitted models rest "
            f"on few repeat buyers (fewer than {FEW_REPEAT_BUYERS})"
        )
    recorded_error = None
    if holdout_error is not None:
        recorded_error = as_number(FUNC, "holdout_error", holdout_error, minimum=0.0)
        if recorded_error > HOLDOUT_ERROR_LIMIT:
            warnings.append(
                f"the BG/NBD misses the holdout purchases by {recorded_error:.1%} (above "
                f"{HOLDOUT_ERROR_LIMIT:.0%}): its predictions are uncertain beyond the "
                "intervals"
            )
    rng = np.random.default_rng(seed_value)
    zbar = summary["monetary_value"].to_numpy(dtype=float) if values is not None else None
    contract = None
    if customer_starts is not None or customer_ends is not None:

        def contract() -> MeasuredDriver:
            return _contract_churn(customer_starts, customer_ends, end, rng, n_draws)

    drivers = _history_drivers(
        x, t_x, big_t, zbar, share, rng, n_draws, period, recorded_error, contract
    )
    drivers.append(_new_customers(codes, days, start, end, warnings, rng, n_draws))
    return Baseline(tuple(drivers), tuple(warnings), _iso(end), n_draws, seed_value)


def _history_drivers(
    x: np.ndarray,
    t_x: np.ndarray,
    big_t: np.ndarray,
    zbar: np.ndarray | None,
    share: float,
    rng: np.random.Generator,
    n_draws: int,
    period: tuple[str, str],
    recorded_error: float | None,
    contract: Callable[[], MeasuredDriver] | None = None,
) -> list[MeasuredDriver]:
    """The drivers measured from the histories (x, t_x, T in weeks) and the mean repeat
    spends ``zbar`` (None: no margin): active customers, the churn (``contract()``'s,
    when given) and the margin per customer, with ``n_draws`` draws from ``rng`` (the
    BG/NBD's first, then the contract churn's, then the Gamma-Gamma's)."""
    bgnbd = bgnbd_fit(x, t_x, big_t, confidence=_CONFIDENCE)
    bg_source = Provenance(
        "BG/NBD",
        tuple(bgnbd.params.items()),
        bgnbd.log_likelihood,
        int(x.size),
        period,
        recorded_error,
    )
    bg_draws = _draws(bgnbd, rng, n_draws)
    contract_churn = contract() if contract is not None else None
    gamma_gamma = gg_draws = None
    if zbar is not None:
        repeat = (x > 0) & (zbar > 0)
        gamma_gamma = gg_fit(x[repeat], zbar[repeat], confidence=_CONFIDENCE)
        gg_draws = _draws(gamma_gamma, rng, n_draws)
    h = drv.group_histories(x, t_x, big_t, 0 * x if zbar is None else zbar)
    with_churn = contract is None
    point = drv.draw_drivers(
        np.array([bgnbd.values]),
        None if gamma_gamma is None else np.array([gamma_gamma.values]),
        h,
        share,
        with_churn,
    )
    around = None if x.size * n_draws <= EXACT_UP_TO else np.array(bgnbd.values)
    spread = drv.draw_drivers(bg_draws, gg_draws, h, share, with_churn, around)
    drivers = [
        MeasuredDriver(
            "CustomersActive",
            "Active customers at the observation end",
            float(point["active"][0]),
            *_percentiles(spread["active"]),
            "the expected number of customers alive: the sum of each customer's P(alive)",
            bg_source,
            spread["active"],
        )
    ]
    if contract_churn is None:
        drivers.append(
            MeasuredDriver(
                "ChurnBaseline",
                "Annual churn without the CRM",
                float(point["churn"][0]),
                *_percentiles(spread["churn"]),
                "the expected share of the customers alive at the observation end who are "
                "no longer alive 52 weeks later",
                bg_source,
                spread["churn"],
            )
        )
    else:
        drivers.append(contract_churn)
    if gamma_gamma is not None:
        source = Provenance(
            "BG/NBD and Gamma-Gamma",
            bg_source.parameters + tuple(gamma_gamma.params.items()),
            bg_source.log_likelihood + gamma_gamma.log_likelihood,
            bg_source.customers,
            bg_source.period,
            bg_source.holdout_error,
        )
        drivers.append(
            MeasuredDriver(
                "MarginPerCustomer",
                "Annual gross margin per customer",
                float(point["margin"][0]),
                *_percentiles(spread["margin"]),
                f"the margin share {share:g} x the expected spend of the next 52 weeks "
                "(Gamma-Gamma spend per purchase x BG/NBD purchases) per active customer",
                source,
                spread["margin"],
            )
        )
    return drivers


def _contract_churn(
    starts: Any, ends: Any, end: int, rng: np.random.Generator, n_draws: int
) -> MeasuredDriver:
    """The annual churn from a customers table by the multi-cohort sBG."""
    if starts is None or ends is None:
        raise fail(FUNC, "give both customer_starts and customer_ends (or neither)")
    start_days = np.array([_table_date("customer_starts", i, s) for i, s in enumerate(starts)])
    end_days = np.array(
        [np.nan if _blank(e) else _table_date("customer_ends", i, e) for i, e in enumerate(ends)],
        dtype=float,
    )
    if start_days.size != end_days.size:
        raise fail(
            FUNC,
            f"customer_starts has {start_days.size} dates and customer_ends "
            f"{end_days.size}; give one start and one end (or blank) per customer",
        )
    early = np.flatnonzero(end_days < start_days)
    if early.size:
        i = int(early[0])
        raise fail(
            FUNC,
            f"customer {i + 1} ends on {_iso(int(end_days[i]))}, before the start "
            f"{_iso(int(start_days[i]))}; correct the dates of row {i + 1} of the customers "
            "table",
        )
    keep = start_days <= end
    table = retention_table(
        start_days[keep].astype("datetime64[D]"),
        [None if np.isnan(e) or e > end else np.datetime64(int(e), "D") for e in end_days[keep]],
        period="M",
        as_of=_iso(end),
    )
    fit = sbg_fit_cohorts(table, confidence=_CONFIDENCE)
    params = _draws(fit, rng, n_draws)

    def churn(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
        return -np.expm1(special.betaln(alpha, beta + 12.0) - special.betaln(alpha, beta))

    return MeasuredDriver(
        "ChurnBaseline",
        "Annual churn without the CRM",
        float(churn(fit.values[0], fit.values[1])),
        *_percentiles(spread := churn(params[:, 0], params[:, 1])),
        "the share of a new cohort gone within 12 months, 1 - B(alpha, beta+12)/B(alpha, beta)",
        Provenance(
            "sBG cohorts",
            tuple(fit.params.items()),
            fit.log_likelihood,
            int(fit.n_observations),
            (_iso(int(start_days.min())), _iso(end)),
        ),
        spread,
    )


def _table_date(name: str, i: int, value: Any) -> int:
    """One date of the customers table; the message names its row (item i + 1)."""
    if _blank(value):
        raise fail(FUNC, f"{name} item {i + 1} is blank; every customer needs a start date")
    try:
        return read_date(name, value)
    except CrmValueError as error:
        reason = str(error).partition(": ")[2] or str(error)
        reason = reason.removeprefix(f"{name} ") if reason.startswith(f"{name} ") else reason
        raise fail(FUNC, f"{name} item {i + 1} {reason}") from None


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or value is pd.NaT
        or (isinstance(value, str) and not value.strip())
    )


def _new_customers(
    codes: np.ndarray,
    days: np.ndarray,
    start: int,
    end: int,
    warnings: list[str],
    rng: np.random.Generator | None = None,
    n_draws: int = 0,
) -> MeasuredDriver:
    """First purchases per calendar year: the mean of the last full years; with ``rng``,
    ``n_draws`` samples Poisson(total) / years."""
    first = np.full(codes.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, days)
    first = first[first <= end]
    years = first.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    start_year = int(np.datetime64(start, "D").astype("datetime64[Y]").astype(int)) + 1970
    end_year = int(np.datetime64(end, "D").astype("datetime64[Y]").astype(int)) + 1970
    first_full = start_year if _iso(start).endswith("-01-01") else start_year + 1
    last_full = end_year if _iso(end).endswith("-12-31") else end_year - 1
    full = list(range(max(first_full, last_full - LAST_YEARS + 1), last_full + 1))
    if full:
        counts = np.array([np.count_nonzero(years == y) for y in full], dtype=float)
        n_years, total = float(len(full)), float(counts.sum())
        method = (
            f"the mean count of first purchases in the full calendar years {full[0]}-{full[-1]}"
            if len(full) > 1
            else f"the count of first purchases in the full calendar year {full[0]}"
        )
        period = (f"{full[0]}-01-01", f"{full[-1]}-12-31")
    else:
        n_years, total = (end - start + 1) / 365.0, float(first.size)
        method = (
            f"the first purchases of the log ({first.size} in {end - start + 1} days) "
            "scaled to 365 days"
        )
        period = (_iso(start), _iso(end))
        warnings.append(
            "the log holds no full calendar year before the observation end: the new "
            "customers per year are the log's first purchases scaled to a year"
        )
    low, high = stats.poisson.ppf([0.1, 0.9], total) / n_years
    return MeasuredDriver(
        "NewCustomersPerYear",
        "New customers per year",
        total / n_years,
        float(low),
        float(high),
        method + "; P10/P90 as Poisson counts",
        Provenance("first purchases per calendar year", (), None, int(first.size), period),
        rng.poisson(total, n_draws) / n_years if rng is not None else np.empty(0),
    )


def baseline_table(
    customer_ids: Any,
    dates: Any,
    amounts: Any = None,
    observation_end: Any = None,
    margin: Any = 1.0,
    draws: Any = 500,
    seed: Any = 0,
) -> list[list[Any]]:
    """BASELINE_TABLE: :func:`measure_baseline` of a transaction log as rows with a header.

    One row per driver: its defined name in the template, the estimate, P10, P90 and the
    model; then one row per warning (``"warning"`` and the sentence in the model column).
    The formulas are those of :func:`measure_baseline`.

    The simulated base of :func:`measure_baseline`'s example, without amounts:

    >>> import numpy as np
    >>> rng = np.random.default_rng(7)
    >>> n = 2000
    >>> lam, p = rng.gamma(0.5, 1 / 5.0, n), rng.beta(1.0, 3.0, n)
    >>> weeks = rng.exponential(1.0, (n, 30)).cumsum(axis=1) / lam[:, None]
    >>> kept = np.arange(30) < rng.geometric(p)[:, None]
    >>> start = rng.integers(0, 730, n)
    >>> days = start[:, None] + np.floor(weeks * 7).astype(int)
    >>> rows, cols = np.nonzero(kept & (days < 731))
    >>> ids = np.r_[np.arange(n), rows]
    >>> dates = np.datetime64("2023-01-01") + np.r_[start, days[rows, cols]]
    >>> rows = baseline_table(ids, dates, None, "2024-12-31", draws=50)
    >>> rows[0]
    ['driver', 'estimate', 'p10', 'p90', 'model']
    >>> [row[0] for row in rows[1:]]
    ['CustomersActive', 'ChurnBaseline', 'NewCustomersPerYear']
    >>> rows[-1][1]  # 2,000 first purchases in two full years, by construction
    1000.0
    """
    measured = measure_baseline(
        customer_ids, dates, amounts, observation_end, margin, draws=draws, seed=seed
    )
    rows: list[list[Any]] = [["driver", "estimate", "p10", "p90", "model"]]
    for d in measured.drivers:
        rows.append([d.name, d.estimate, d.p10, d.p90, d.provenance.model])
    for warning in measured.warnings:
        rows.append(["warning", "", "", "", warning])  # "": a cell that shows nothing
    return rows
