"""Investment appraisal: payback, discounted payback, ROI, profitability index, the table.

Four calculators over period cash flows (period 0 = today, not discounted; time on the
last axis, a ``(n_series, n_periods)`` array gives one result per row):

* :func:`payback` and :func:`discounted_payback` -- periods until the cumulative (discounted)
  net flow turns non-negative for good, interpolated inside the period;
* :func:`roi_crm` -- (PV benefits - PV costs) / PV costs;
* :func:`pi_crm` -- the profitability index;

and the whole appraisal of one investment: :func:`investment_metrics` (every metric, None
with a reason where undefined, for Python callers such as
:mod:`crmvalue_core.appraisal`) and :func:`crm_appraisal` (the same as a two-column
table for Excel's CRM_APPRAISAL).

Like the functions of :mod:`crmvalue_core.discounting`, an undefined result in a batch is
NaN (``errors="raise"`` raises instead), and a single series always raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._cashflows import (
    Errors,
    Undefined,
    cash_range,
    check_errors,
    finish,
    flag_overflow,
    mirr_values,
    net_flows,
    payback_values,
    present_value,
    read_rate,
)
from ._inputs import as_number, fail, is_omitted
from ._shapes import fit_shapes, same_length
from .cells import RATE_HINT
from .discounting._irr_solver import irr_rows

__all__ = [
    "InvestmentMetrics",
    "crm_appraisal",
    "discounted_payback",
    "investment_metrics",
    "payback",
    "pi_crm",
    "roi_crm",
]


@dataclass(frozen=True)
class AppraisalRow:
    """A row of the CRM_APPRAISAL table: its ``label`` and the :class:`InvestmentMetrics`
    field it shows (``metric``)."""

    label: str
    metric: str


#: The rows of the CRM_APPRAISAL table, in order.
APPRAISAL_ROWS: tuple[AppraisalRow, ...] = (
    AppraisalRow("PV benefits", "pv_benefits"),
    AppraisalRow("PV costs", "pv_costs"),
    AppraisalRow("NPV", "npv"),
    AppraisalRow("IRR", "irr"),
    AppraisalRow("MIRR", "mirr"),
    AppraisalRow("ROI", "roi"),
    AppraisalRow("Payback", "payback"),
    AppraisalRow("Discounted payback", "discounted_payback"),
    AppraisalRow("Profitability index", "pi"),
)


# ---------------------------------------------------------------------------- formulas


def _discounted(net: np.ndarray, rate: float | np.ndarray) -> np.ndarray:
    """net_t / (1+rate)^t for every period; ``rate`` broadcasts over the rows."""
    periods = net.shape[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        growth = 1.0 + np.asarray(rate, dtype=float)
        return net * growth[..., np.newaxis] ** -np.arange(periods, dtype=float)


#: Why a ratio of present values is undefined; ``{pv}`` stands for the denominator.
_NO_COSTS = Undefined(
    "PV of costs is not positive",
    "the PV of the costs is {pv}, not positive, so the ratio has no meaning; enter the "
    "costs as positive amounts",
)
_NO_INVESTMENT = Undefined(
    "no negative flow",
    "the flows have no negative value (no investment), so the profitability index has no "
    "meaning; enter costs as negative flows, or give the costs separately",
)


def _pv_ratio(
    numerator: np.ndarray, denominator: np.ndarray, why: Undefined
) -> tuple[np.ndarray, dict[int, Undefined]]:
    """numerator / denominator where the denominator (a PV of costs) is positive.

    ``why`` is the reason given where it is not, its message with ``{pv}`` for the
    denominator.
    """
    shape = np.broadcast_shapes(np.shape(numerator), np.shape(denominator))
    numerator = np.broadcast_to(numerator, shape)
    denominator = np.broadcast_to(denominator, shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = np.array(numerator / denominator, dtype=float)
    reasons: dict[int, Undefined] = {}
    bad = ~(denominator > 0)
    for flat in np.flatnonzero(bad.reshape(-1)):
        pv = float(denominator.reshape(-1)[flat]) + 0.0
        reasons[int(flat)] = Undefined(why.note, why.message.format(pv=f"{pv:,.2f}"))
    values[bad] = np.nan
    flag_overflow(values, reasons, "ratio")
    return values, reasons


def _benefits_costs(
    func: str, benefits: Any, costs: Any, *, ndim: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    b = cash_range(func, "benefits", benefits, ndim=ndim)
    c = cash_range(func, "costs", costs, ndim=ndim)
    same_length(func, ("benefits", b), ("costs", c))
    fit_shapes(func, ("benefits", b.shape[:-1]), ("costs", c.shape[:-1]))
    return b, c


# ------------------------------------------------------------------------------ public


def payback(
    flows: ArrayLike, costs: ArrayLike | None = None, *, errors: Errors = "nan"
) -> float | np.ndarray:
    """Payback period: periods until the cumulative net flow turns non-negative for good.

    Parameters
    ----------
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one payback per row.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with a series that is never paid back: NaN (default), or
        raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The payback in periods (2.875 = during period 3, seven eighths of the way).

    Raises
    ------
    CrmValueError
        ``PAYBACK: ...`` for text, booleans, error values, NaN or infinity, ranges of
        different lengths or an empty range; for a single series also when the
        cumulative net flow is still negative at the end ("not paid back within N
        periods", N = n - 1).

    Notes
    -----
    With the cumulative net flow :math:`C_t = \\sum_{s \\le t} c_s` and :math:`k` the
    last period with :math:`C_k < 0`, the flow of period :math:`k+1` is taken to come
    in evenly over the period, so

    .. math:: \\text{payback} = k + \\frac{-C_k}{c_{k+1}}

    and 0 when :math:`C_t \\ge 0` for every t. "For good": a series that dips below zero
    again later is paid back only after its last dip. The textbook payback rule
    (Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 5).

    Examples
    --------
    >>> payback([-100000, 30000, 35000, 40000, 45000])
    2.875
    >>> payback([[-100, 50, 50], [10, -20, 30]])
    array([2.        , 1.33333333])
    """
    func = "PAYBACK"
    check_errors(func, errors)
    net = net_flows(func, flows, costs)
    values, reasons = payback_values(net)
    return finish(func, values, reasons, errors)


def discounted_payback(
    rate: ArrayLike,
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Discounted payback period: :func:`payback` on the flows discounted at ``rate``.

    Parameters
    ----------
    rate : scalar or array_like
        Discount rate per period as a decimal, above -1; one, or one per row.
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one result per row.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with a series never paid back: NaN (default), or raise.

    Returns
    -------
    float or ndarray
        The discounted payback in periods.

    Raises
    ------
    CrmValueError
        ``DISCOUNTED_PAYBACK: ...`` for bad input as in :func:`payback`, a rate at or
        below -100%, or (single series) "not paid back within N periods".

    Notes
    -----
    :func:`payback` of :math:`c_t / (1+r)^t` (period-0 convention), interpolating
    linearly inside the period in the discounted flows: the discounted payback rule of
    Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 5.

    Examples
    --------
    >>> discounted_payback(0.10, [-100000, 30000, 35000, 40000, 45000])
    3.447333333
    >>> discounted_payback([0.0, 0.10], [-100, 60, 60])
    array([1.66666667, 1.91666667])
    """
    func = "DISCOUNTED_PAYBACK"
    check_errors(func, errors)
    r = read_rate(func, "rate", rate)
    net = net_flows(func, flows, costs)
    fit_shapes(func, ("flows", net.shape[:-1]), ("rate", np.shape(r)))
    values, reasons = payback_values(_discounted(net, r))
    return finish(func, values, reasons, errors)


def roi_crm(
    rate: ArrayLike, benefits: ArrayLike, costs: ArrayLike, *, errors: Errors = "nan"
) -> float | np.ndarray:
    """Return on investment: (PV of benefits - PV of costs) / PV of costs.

    Parameters
    ----------
    rate : scalar or array_like
        Discount rate per period as a decimal, above -1; 0 gives the simple ROI.
    benefits : array_like
        Benefits for periods 0, 1, ..., n-1 (time on the last axis); blanks count as 0.
    costs : array_like
        Costs, same length, as positive amounts.
    errors : {"nan", "raise"}, optional
        What a batch does with a series whose PV of costs is not positive: NaN
        (default), or raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The ROI as a decimal (0.25 = 25%).

    Raises
    ------
    CrmValueError
        ``ROI_CRM: ...`` for text, booleans, error values, NaN or infinity, a rate at or
        below -100%, ranges of different lengths or empty ranges; for a single series
        also when the PV of the costs is not positive.

    Notes
    -----
    .. math:: ROI = \\frac{PV(b) - PV(k)}{PV(k)}, \\qquad PV(x) = \\sum_{t=0}^{n-1}
        \\frac{x_t}{(1+r)^t}

    The Forrester Total Economic Impact convention: the initial period undiscounted,
    later years discounted (Forrester, "The Total Economic Impact Methodology").

    Examples
    --------
    >>> roi_crm(0.10, [0, 110, 121], [100, 0, 0])
    1.0
    >>> roi_crm(0, [0, 60, 60], [100, 0, 0])
    0.2
    """
    func = "ROI_CRM"
    check_errors(func, errors)
    r = read_rate(func, "rate", rate)
    b, c = _benefits_costs(func, benefits, costs)
    fit_shapes(func, ("benefits", b.shape[:-1]), ("costs", c.shape[:-1]), ("rate", np.shape(r)))
    pv_b, pv_c = present_value(b, r), present_value(c, r)
    values, reasons = _pv_ratio(pv_b - pv_c, pv_c, _NO_COSTS)
    return finish(func, values, reasons, errors)


def pi_crm(
    rate: ArrayLike,
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Profitability index: PV of benefits / PV of costs.

    Parameters
    ----------
    rate : scalar or array_like
        Discount rate per period as a decimal, above -1; one, or one per row.
    flows : array_like
        With ``costs``: the benefits. Without: the net cash flows. Periods 0, 1, ...,
        n-1 on the last axis; blanks count as 0.
    costs : array_like, optional
        Costs, same length, as positive amounts.
    errors : {"nan", "raise"}, optional
        What a batch does with an undefined index: NaN (default), or raise.

    Returns
    -------
    float or ndarray
        The profitability index (above 1 when the NPV is positive).

    Raises
    ------
    CrmValueError
        ``PI_CRM: ...`` for bad input as in :func:`roi_crm`; for a single series also
        when the PV of the costs (or of the negative net flows) is not positive.

    Notes
    -----
    With costs :math:`PI = PV(b) / PV(k)`; without,

    .. math:: PI = \\frac{\\sum_t c_t^+ (1+r)^{-t}}{\\left|\\sum_t c_t^- (1+r)^{-t}\\right|}

    (:math:`c^+`, :math:`c^-` the positive and negative net flows), the benefit-cost
    ratio of Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 5.

    Examples
    --------
    >>> pi_crm(0.10, [-100000, 30000, 35000, 40000, 45000])
    1.169865446
    >>> pi_crm(0.10, [0, 30000, 35000, 40000, 45000], [100000, 0, 0, 0, 0])
    1.169865446
    """
    func = "PI_CRM"
    check_errors(func, errors)
    r = read_rate(func, "rate", rate)
    if is_omitted(costs):
        net = net_flows(func, flows, None)
        fit_shapes(func, ("flows", net.shape[:-1]), ("rate", np.shape(r)))
        gains = present_value(np.maximum(net, 0.0), r)
        losses = -present_value(np.minimum(net, 0.0), r)
        values, reasons = _pv_ratio(gains, losses, _NO_INVESTMENT)
    else:
        b, c = _benefits_costs(func, flows, costs)
        fit_shapes(func, ("flows", b.shape[:-1]), ("costs", c.shape[:-1]), ("rate", np.shape(r)))
        values, reasons = _pv_ratio(present_value(b, r), present_value(c, r), _NO_COSTS)
    return finish(func, values, reasons, errors)


@dataclass(frozen=True)
class InvestmentMetrics:
    """Every appraisal metric of one investment, None where undefined.

    Attributes
    ----------
    pv_benefits, pv_costs, npv : float
        Present values with the period-0 convention; always defined.
    irr, mirr, roi, payback, discounted_payback, pi : float or None
        The metrics of :func:`~crmvalue_core.discounting.irr_crm`,
        :func:`~crmvalue_core.discounting.mirr_crm`, :func:`roi_crm`, :func:`payback`,
        :func:`discounted_payback` and :func:`pi_crm` (with costs); None when undefined.
    notes : dict of str to str
        For each None, keyed by the field name, a short reason (``"not paid back within
        4 periods"``); empty when every metric is defined.
    """

    pv_benefits: float
    pv_costs: float
    npv: float
    irr: float | None
    mirr: float | None
    roi: float | None
    payback: float | None
    discounted_payback: float | None
    pi: float | None
    notes: dict[str, str] = field(default_factory=dict)

    def as_rows(self) -> list[list[str | float]]:
        """The CRM_APPRAISAL table: ``[label, value]`` rows, ``"n/a: reason"`` if undefined."""
        rows: list[list[str | float]] = []
        for row in APPRAISAL_ROWS:
            value = getattr(self, row.metric)
            shown = value if value is not None else f"n/a: {self.notes[row.metric]}"
            rows.append([row.label, shown])
        return rows


def _only(values: np.ndarray, reasons: dict[int, Undefined]) -> tuple[float | None, str | None]:
    """The single value of a one-series result, or None and the short reason."""
    if reasons:
        return None, next(iter(reasons.values())).note
    return float(np.asarray(values).reshape(-1)[0]), None


def investment_metrics(
    rate: float,
    benefits: ArrayLike,
    costs: ArrayLike,
    finance_rate: float | None = None,
    reinvest_rate: float | None = None,
) -> InvestmentMetrics:
    """Appraise one investment: NPV, IRR, MIRR, ROI, paybacks and PI, never failing on a metric.

    Parameters
    ----------
    rate : float
        Discount rate per period as a decimal, above -1.
    benefits : array_like
        Benefits for periods 0, 1, ..., n-1 (one row or column); blanks count as 0.
    costs : array_like
        Costs, same length, as positive amounts.
    finance_rate, reinvest_rate : float, optional
        The MIRR rates; omitted (None or blank), they are ``rate``.

    Returns
    -------
    InvestmentMetrics
        Every metric, None (with a reason in ``notes``) where undefined: an IRR when the
        net flows never change sign or have several IRRs, a payback never reached, a
        ratio whose PV of costs is not positive, a MIRR without both signs.

    Raises
    ------
    CrmValueError
        ``CRM_APPRAISAL: ...`` for bad input only (text, booleans, error values, NaN,
        infinity, a rate at or below -100%, ranges of different lengths, empty ranges,
        a table where one row or column belongs).

    Notes
    -----
    With the net flow :math:`c_t = b_t - k_t`: PV benefits :math:`\\sum b_t (1+r)^{-t}`,
    PV costs :math:`\\sum k_t (1+r)^{-t}`, NPV = :func:`~crmvalue_core.discounting.npv_crm`
    of :math:`c`, IRR = :func:`~crmvalue_core.discounting.irr_crm` of :math:`c` (no
    guess), MIRR = :func:`~crmvalue_core.discounting.mirr_crm` of :math:`c`, ROI =
    :func:`roi_crm`, Payback = :func:`payback` of :math:`c`, Discounted payback =
    :func:`discounted_payback` of :math:`c`, PI = :func:`pi_crm` with costs. The same
    formulas (and sources) as the single functions, so the table and the cells always
    agree.

    Examples
    --------
    >>> m = investment_metrics(0.10, [0, 30000, 35000, 40000, 45000], [100000, 0, 0, 0, 0])
    >>> round(m.npv, 5), round(m.irr, 10), m.payback
    (16986.54463, 0.1709368634, 2.875)
    >>> investment_metrics(0.10, [0, 20, 30], [100, 0, 0]).notes["payback"]
    'not paid back within 2 periods'
    """
    func = "CRM_APPRAISAL"
    r = as_number(func, "rate", rate, above=-1.0, hint=RATE_HINT)
    b, c = _benefits_costs(func, benefits, costs, ndim=1)
    fr = (
        r
        if is_omitted(finance_rate)
        else as_number(func, "finance_rate", finance_rate, above=-1.0, hint=RATE_HINT)
    )
    rr = (
        r
        if is_omitted(reinvest_rate)
        else as_number(func, "reinvest_rate", reinvest_rate, above=-1.0, hint=RATE_HINT)
    )
    net = b - c
    pv_b = float(present_value(b, r))
    pv_c = float(present_value(c, r))
    npv = float(present_value(net, r))
    if not all(np.isfinite([pv_b, pv_c, npv])):
        raise fail(func, "the present values are too large to compute; check rate and flows")
    found: dict[str, tuple[float | None, str | None]] = {
        "irr": _only(*irr_rows(net[np.newaxis, :], None)),
        "mirr": _only(*mirr_values(net, fr, rr)),
        "roi": _only(*_pv_ratio(np.asarray(pv_b - pv_c), np.asarray(pv_c), _NO_COSTS)),
        "payback": _only(*payback_values(net)),
        "discounted_payback": _only(*payback_values(_discounted(net, r))),
        "pi": _only(*_pv_ratio(np.asarray(pv_b), np.asarray(pv_c), _NO_COSTS)),
    }
    notes = {name: note for name, (_, note) in found.items() if note is not None}
    return InvestmentMetrics(
        pv_benefits=pv_b,
        pv_costs=pv_c,
        npv=npv,
        irr=found["irr"][0],
        mirr=found["mirr"][0],
        roi=found["roi"][0],
        payback=found["payback"][0],
        discounted_payback=found["discounted_payback"][0],
        pi=found["pi"][0],
        notes=notes,
    )


def crm_appraisal(
    rate: float,
    benefits: ArrayLike,
    costs: ArrayLike,
    finance_rate: float | None = None,
    reinvest_rate: float | None = None,
) -> list[list[str | float]]:
    """The appraisal of one CRM investment as a two-column table (label, value).

    Parameters
    ----------
    rate : float
        Discount rate per period as a decimal, above -1.
    benefits : array_like
        Benefits for periods 0, 1, ..., n-1; blanks count as 0.
    costs : array_like
        Costs, same length, as positive amounts.
    finance_rate, reinvest_rate : float, optional
        The MIRR rates; omitted, they are ``rate``.

    Returns
    -------
    list of [str, float or str]
        Nine rows: PV benefits, PV costs, NPV, IRR, MIRR, ROI, Payback, Discounted
        payback, Profitability index. An undefined metric shows ``"n/a: "`` and a short
        reason (``"n/a: not paid back within 4 periods"``) instead of failing the table.

    Raises
    ------
    CrmValueError
        ``CRM_APPRAISAL: ...`` for bad input, as :func:`investment_metrics`.

    Notes
    -----
    :meth:`InvestmentMetrics.as_rows` of :func:`investment_metrics`; the formulas are
    those of NPV_CRM, IRR_CRM, MIRR_CRM, ROI_CRM, PAYBACK, DISCOUNTED_PAYBACK and
    PI_CRM (with costs), with the sources given there.

    Examples
    --------
    >>> table = crm_appraisal(0.10, [0, 30000, 35000, 40000, 45000], [100000, 0, 0, 0, 0],
    ...                       0.10, 0.12)
    >>> [(label, round(value, 6)) for label, value in table]
    [('PV benefits', 116986.544635), ('PV costs', 100000.0), ('NPV', 16986.544635),
     ('IRR', 0.170937), ('MIRR', 0.15156), ('ROI', 0.169865), ('Payback', 2.875),
     ('Discounted payback', 3.447333), ('Profitability index', 1.169865)]
    >>> crm_appraisal(0.10, [0, 20, 30], [100, 0, 0])[6]
    ['Payback', 'n/a: not paid back within 2 periods']
    """
    return investment_metrics(rate, benefits, costs, finance_rate, reinvest_rate).as_rows()
