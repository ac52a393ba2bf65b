"""NPV, IRR and MIRR of period cash flows (period 0 = today, not discounted).

* :func:`npv_crm` -- net present value with the period-0 convention (the first flow is
  today and is not discounted, unlike Excel's NPV);
* :func:`irr_crm` -- the rate at which that NPV is zero, unique or chosen with a guess
  (solved by :mod:`._irr_solver`);
* :func:`mirr_crm` -- Excel's modified IRR, which always has one answer.

Each reads the last axis as time: a ``(n_series, n_periods)`` array gives ``n_series``
results. An undefined result in such a batch is NaN (``errors="raise"`` raises instead); a
single series always raises, with a message that says why.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._cashflows import (
    Errors,
    Undefined,
    check_errors,
    finish,
    flag_overflow,
    mirr_values,
    net_flows,
    present_value,
    read_rate,
)
from .._inputs import fail, is_omitted, numeric_array
from .._shapes import fit_shapes
from ._irr_solver import irr_rows

__all__ = ["irr_crm", "mirr_crm", "npv_crm"]


def npv_crm(
    rate: ArrayLike,
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Net present value with the period-0 convention: the first flow is not discounted.

    Parameters
    ----------
    rate : scalar or array_like
        Discount rate per period as a decimal (10% = 0.1), above -1. An array gives one
        rate per row of ``flows`` (or, for a single series, one NPV per rate).
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis). A blank (None)
        counts as 0. A 2-D ``(n_series, n_periods)`` array gives one NPV per row.
    costs : array_like, optional
        Costs of the same length; then ``flows`` are benefits and the net flow is
        ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with an undefined result (here only an overflow): NaN, or
        raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The NPV: a float for one series, else an array with one value per series.

    Raises
    ------
    CrmValueError
        ``NPV_CRM: ...`` for text, booleans, error values, NaN or infinity in any
        argument, a rate at or below -100%, ranges of different lengths or an empty range.

    Notes
    -----
    .. math:: NPV = \\sum_{t=0}^{n-1} \\frac{c_t}{(1+r)^t}, \\qquad c_t = b_t - k_t

    The period-0 convention of corporate finance (Brealey, Myers & Allen, *Principles
    of Corporate Finance*, ch. 2) and of numpy_financial's ``npv``. Excel's NPV
    discounts the first value too: NPV_CRM(r, c) = c_0 + NPV(r, c_1..c_{n-1}).

    Examples
    --------
    >>> npv_crm(0.10, [-100000, 30000, 35000, 40000, 45000])
    16986.54463
    >>> npv_crm(0.10, [0, 30000, 35000], costs=[100000, 0, 0])
    -43801.65289
    >>> npv_crm([0.0, 0.10], [[-100, 60, 60], [-100, 60, 60]])
    array([20.        ,  4.13223141])
    """
    func = "NPV_CRM"
    check_errors(func, errors)
    r = read_rate(func, "rate", rate)
    quick = _npv_unchecked(r, flows) if is_omitted(costs) else None
    if quick is not None:
        return finish(func, quick, {}, errors)
    net = net_flows(func, flows, costs)
    fit_shapes(func, ("flows", net.shape[:-1]), ("rate", np.shape(r)))
    values = np.array(present_value(net, r), dtype=float)
    reasons: dict[int, Undefined] = {}
    flag_overflow(values, reasons, "NPV")
    return finish(func, values, reasons, errors)


def _npv_unchecked(rate: float | np.ndarray, flows: Any) -> np.ndarray | None:
    """The NPV of a numeric array at one rate, checked through its result, or None.

    The fast path of :func:`npv_crm` for big batches. With every discount factor finite
    and positive, a NaN or an infinity among the flows always makes the NPV of its
    series NaN or infinite, so checking the n_series results is as good as checking the
    n_series x n_periods flows. None (use the full path, which names the bad item) when
    the input is not a plain numeric array or a result is not finite.
    """
    array = numeric_array(flows)
    if array is None or np.ndim(rate) != 0:
        return None
    with np.errstate(over="ignore", under="ignore"):
        factors = (1.0 + float(rate)) ** -np.arange(array.shape[-1], dtype=float)
    if not (np.isfinite(factors).all() and (factors > 0).all()):
        return None
    values = np.asarray(array.astype(float, copy=False) @ factors, dtype=float)
    return values if np.isfinite(values).all() else None


def irr_crm(
    flows: ArrayLike,
    costs: ArrayLike | None = None,
    guess: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Internal rate of return: the rate at which :func:`npv_crm` of the flows is zero.

    Parameters
    ----------
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one IRR per row.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    guess : scalar or array_like, optional
        Only used when the flows have several IRRs: the IRR nearest the guess is
        returned. One guess, or one per row. Above -1.
    errors : {"nan", "raise"}, optional
        What a batch does with a series without a unique IRR: NaN (default), or raise
        the error of the first such row. A single series always raises.

    Returns
    -------
    float or ndarray
        The IRR as a decimal, to 1e-10 (relative to 1 + IRR for IRRs above 10,000%).

    Raises
    ------
    CrmValueError
        ``IRR_CRM: ...`` for bad input as in :func:`npv_crm`; for a single series also
        when the flows never change sign, when no rate makes the NPV zero, or when there
        are several IRRs and no guess (the message lists them and points to MIRR_CRM).

    Notes
    -----
    The IRR is the root :math:`r > -1` of

    .. math:: \\sum_{t=0}^{n-1} \\frac{c_t}{(1+r)^t} = 0 .

    With :math:`x = 1/(1+r)` this is a polynomial in :math:`x > 0`; by Descartes' rule
    of signs it has at most as many positive roots as the flows have sign changes, and
    exactly one when they change sign once (the conventional case, solved for all
    series at once by vectorised Newton). For series with more sign changes every root
    is found: from the eigenvalues of the companion matrices (batched), polished by
    Newton and checked by the sign changes of the NPV between them, or, where that check
    fails, by isolating each root with Rolle's theorem and refining it by Brent's
    method (see the module notes). The definition matches Excel's IRR and
    ``pyxirr.irr``; unlike them, several IRRs are never silently reduced to one.

    Examples
    --------
    >>> irr_crm([-100000, 30000, 35000, 40000, 45000])
    0.1709368634
    >>> irr_crm([-100, 230, -132], guess=0.25)
    0.2
    >>> irr_crm([[-100, 110, 0], [-100, 0, 144]]).round(10)
    array([0.1, 0.2])
    """
    func = "IRR_CRM"
    check_errors(func, errors)
    net = net_flows(func, flows, costs)
    lead = net.shape[:-1]
    chosen: np.ndarray | None = None
    if not is_omitted(guess):
        g = read_rate(func, "guess", guess)
        if isinstance(g, np.ndarray) and g.size == 1:
            g = float(g.reshape(-1)[0])
        if fit_shapes(func, ("flows", lead), ("guess", np.shape(g))) != lead:
            raise fail(func, "guess has more values than flows has rows; give one guess")
        chosen = np.broadcast_to(np.asarray(g, dtype=float), lead).reshape(-1)
    values, reasons = irr_rows(net.reshape(-1, net.shape[-1]), chosen)
    return finish(func, values.reshape(lead), reasons, errors)


def mirr_crm(
    flows: ArrayLike,
    finance_rate: ArrayLike,
    reinvest_rate: ArrayLike,
    costs: ArrayLike | None = None,
    *,
    errors: Errors = "nan",
) -> float | np.ndarray:
    """Modified internal rate of return, as Excel's MIRR.

    Parameters
    ----------
    flows : array_like
        Cash flows for periods 0, 1, ..., n-1 (time on the last axis); blanks count as
        0. A 2-D ``(n_series, n_periods)`` array gives one MIRR per row.
    finance_rate : scalar or array_like
        Rate paid on the money invested (the negative flows), above -1.
    reinvest_rate : scalar or array_like
        Rate earned on reinvested returns (the positive flows), above -1.
    costs : array_like, optional
        Costs of the same length; then the net flow is ``flows - costs``.
    errors : {"nan", "raise"}, optional
        What a batch does with a series without both a negative and a positive flow:
        NaN (default), or raise. A single series always raises.

    Returns
    -------
    float or ndarray
        The MIRR as a decimal.

    Raises
    ------
    CrmValueError
        ``MIRR_CRM: ...`` for bad input as in :func:`npv_crm`; for a single series
        also when the flows have no negative or no positive value (Excel's #DIV/0!).

    Notes
    -----
    With :math:`n` periods, positive flows compounded to period :math:`n-1` at the
    reinvest rate and negative flows discounted to period 0 at the finance rate:

    .. math:: MIRR = \\left( \\frac{-\\sum_t c_t^+ (1+r_r)^{n-1-t}}
        {\\sum_t c_t^- (1+r_f)^{-t}} \\right)^{1/(n-1)} - 1

    as in Excel's MIRR (Microsoft Support, "MIRR function"); it always has one answer.

    Examples
    --------
    >>> mirr_crm([-100000, 30000, 35000, 40000, 45000], 0.10, 0.12)
    0.1515604194
    >>> mirr_crm([[-100, 0, 121], [-100, 50, 60]], 0.10, [0.10, 0.0])
    array([0.1       , 0.04880885])
    """
    func = "MIRR_CRM"
    check_errors(func, errors)
    fr = read_rate(func, "finance_rate", finance_rate)
    rr = read_rate(func, "reinvest_rate", reinvest_rate)
    net = net_flows(func, flows, costs)
    fit_shapes(
        func,
        ("flows", net.shape[:-1]),
        ("finance_rate", np.shape(fr)),
        ("reinvest_rate", np.shape(rr)),
    )
    values, reasons = mirr_values(net, fr, rr)
    return finish(func, values, reasons, errors)
