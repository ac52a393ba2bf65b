"""The predicted CLV of each customer from the BG/NBD and Gamma-Gamma models together.

:func:`predicted_clv` discounts the expected purchases of each month of a horizon (BG/NBD,
:mod:`._bgnbd_model`) at a monthly rate and values them at the customer's expected spend
(Gamma-Gamma, :mod:`._gamma_gamma_model`) and margin, as ``lifetimes`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._inputs import as_number, as_rate, as_share, fail, scalar_or_array
from ._bgnbd_model import expected_purchases, finite_or_fail
from ._gamma_gamma_model import expected_spend, gg_parameters
from ._histories import common_length, history, positive, spend_history
from ._one_customer import one_customer_clv

__all__ = ["MONTH_LENGTH", "predicted_clv"]

#: Length of a month in each time unit, as in ``lifetimes.utils._customer_lifetime_value``.
MONTH_LENGTH = {"D": 30.0, "W": 4.345, "M": 1.0}


def predicted_clv(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: str = "W",
) -> float | np.ndarray:
    """Discounted predicted CLV of each customer from the BG/NBD and Gamma-Gamma models.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters (:func:`bgnbd_fit`).
    p, q, gamma : float
        Gamma-Gamma parameters (:func:`gg_fit`); q > 1.
    frequency, recency, age : scalar or array_like
        Each customer's history (x, t_x, T), in ``time_unit``.
    monetary_value : scalar or array_like
        Mean value of each customer's repeat purchases.
    months : int, optional
        Forecast horizon in months (default 12).
    discount_rate : float, optional
        Monthly discount rate as a decimal (default 0.01).
    margin : float, optional
        Profit margin as a share of spend (default 1: a revenue CLV).
    time_unit : {"W", "D", "M"}, optional
        Unit of recency and age: weeks (default), days or months; a month is 4.345
        weeks or 30 days, as in ``lifetimes``.

    Returns
    -------
    float or ndarray
        The predicted CLV of each customer.

    Notes
    -----
    With months of length L in the time unit, t_i = i L and the conditional expectation
    E[Y(t) | x, t_x, T] of :func:`bgnbd_expected_purchases`, the standard discrete
    approach (as ``lifetimes.GammaGammaFitter.customer_lifetime_value``) is

    .. math :: CLV = m \\, E[Z | x, \\bar z] \\sum_{i=1}^{months}
               \\frac{E[Y(t_i)] - E[Y(t_{i-1})]}{(1+d)^i}

    with m the margin, d the monthly discount rate and E[Z | x, zbar] the Gamma-Gamma
    expected spend (:func:`gg_expected_spend`).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", Journal of Marketing Research 42(4), 415-430;
    Fader, Hardie and Lee (2005), "Counting your customers the easy way", Marketing
    Science 24(2), 275-284.

    Examples
    --------
    A CDNOW customer (weeks) with 2 repeat purchases averaging $22.35, over 12 months at
    1% a month, with a 30% margin:

    >>> from crmvalue_core.purchase_history import predicted_clv
    >>> round(predicted_clv(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44,
    ...                     2, 30.43, 38.86, 22.35, months=12, discount_rate=0.01,
    ...                     margin=0.3), 4)
    10.8868
    """
    length = None
    if type(time_unit) is str:  # "W" as it is, else trimmed and in capitals ("w ")
        length = MONTH_LENGTH.get(time_unit) or MONTH_LENGTH.get(time_unit.strip().upper())
    if length is not None:
        # one customer (one Excel cell): the same formula on plain numbers, without arrays
        customer = (frequency, recency, age, monetary_value)
        cells = False
        if not type(frequency) is type(recency) is type(age) is type(monetary_value) is float:
            (x, x_cell), (t_x, t_x_cell), (big_t, t_cell), (m, m_cell) = map(_single, customer)
            customer, cells = (x, t_x, big_t, m), x_cell or t_x_cell or t_cell or m_cell
        one = one_customer_clv(
            r, alpha, a, b, p, q, gamma, *customer, months, discount_rate, margin, length
        )
        if one is not None:  # a history given as one-cell ranges gives a one-value array
            return np.array([one]) if cells else one
    func = "PREDICTED_CLV"
    r, alpha, a, b = positive(func, r=r, alpha=alpha, a=a, b=b)
    p, q, gamma = gg_parameters(func, p, q, gamma)
    x, t_x, big_t = history(func, frequency, recency, age)
    _, m = spend_history(func, frequency, monetary_value)
    common_length(func, [("frequency", x), ("monetary_value", m)])
    n_months = int(
        as_number(
            func, "months", months, minimum=1.0, whole=True, hint="a whole number of months >= 1"
        )
    )
    rate = as_rate(func, "discount_rate", discount_rate)
    share = as_share(func, "margin", margin)
    unit = str(time_unit).strip().upper() if isinstance(time_unit, str) else time_unit
    if unit not in MONTH_LENGTH:
        raise fail(
            func,
            f'time_unit is {time_unit!r}; enter "W" (weeks), "D" (days) or "M" (months)',
        )
    x, t_x, big_t, m = (np.asarray(v, dtype=float)[..., None] for v in (x, t_x, big_t, m))
    times = np.arange(1, n_months + 1) * MONTH_LENGTH[unit]
    cumulative = finite_or_fail(func, expected_purchases(r, alpha, a, b, times, x, t_x, big_t))
    discount = (1.0 + rate) ** -np.arange(1.0, n_months + 1.0)
    # E[Y(0)] = 0: no purchase is expected in no time, so month 1 adds E[Y(t_1)] itself
    purchases = np.diff(cumulative, axis=-1, prepend=0.0) @ discount
    spend = expected_spend(p, q, gamma, x[..., 0], m[..., 0])
    return scalar_or_array(share * spend * purchases)


def _single(value: Any) -> tuple[Any, bool]:
    """A one-cell range (a list, tuple or 1-D array of one value) as (its value, True);
    anything else as (itself, False)."""
    kind = type(value)
    if kind is float:
        return value, False
    if (kind is list or kind is tuple) and len(value) == 1:
        return value[0], True
    if kind is np.ndarray and value.shape == (1,):
        return value[0], True
    return value, False
