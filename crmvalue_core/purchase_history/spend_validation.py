"""The holdout test of the Gamma-Gamma spend model: predicted against actual spend.

The BG/NBD part of the holdout test (:mod:`.validation`) asks whether the model predicts
how often each customer buys; this part asks whether the Gamma-Gamma model predicts how
much. For the customers with at least one repeat purchase in the calibration period (the
ones the model is fitted on) who bought again in the holdout, it compares, bin by bin of
their calibration repeat purchases, their actual mean spend per purchase in the holdout
with the model's conditional expectation of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._inputs import fail
from ._gamma_gamma_model import expected_spend, gg_parameters
from ._histories import column, common_length

__all__ = ["conditional_spend"]

FUNC = "HOLDOUT_SPEND"


def conditional_spend(
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    monetary_value: Any,
    holdout_purchases: Any,
    holdout_total: Any,
    max_frequency: int = 7,
) -> pd.DataFrame:
    """Mean actual and predicted spend per purchase in the holdout, by repeat purchases in
    the calibration period.

    Parameters
    ----------
    p, q, gamma : float
        Gamma-Gamma parameters fitted on the calibration period (:func:`gg_fit`).
    frequency, monetary_value : array_like
        Each customer's repeat purchases x and mean repeat spend zbar in calibration
        (:func:`calibration_holdout_summary`).
    holdout_purchases, holdout_total : array_like
        Each customer's purchase days and total spend in the holdout (the summary's
        ``holdout_purchases`` and ``holdout_spend``).
    max_frequency : int
        The last bin pools ``max_frequency`` and more repeat purchases (default 7).

    Returns
    -------
    pandas.DataFrame
        One row per bin 1, 2, ..., ``max_frequency``+ with ``repeat_purchases`` (the bin),
        ``customers`` (with a repeat purchase and a positive mean spend in calibration,
        as the model is fitted on, and a purchase in the holdout), ``actual`` (their
        mean of holdout total / holdout purchases),
        ``predicted`` (their mean of E[Z | x, zbar]) and ``note`` (why a bin is empty;
        its numbers are then NaN, never 0). The columns are those of
        :func:`conditional_expectations`, so :func:`error_measures` compares them too.

    Notes
    -----
    The model's prediction for a customer is the Gamma-Gamma conditional expectation of
    the mean spend per purchase (Fader, Hardie & Lee 2005, JMR, eq. 5),

    .. math :: E[Z | x, \\bar z] = \\frac{q-1}{px+q-1}\\frac{\\gamma p}{q-1}
               + \\frac{px}{px+q-1}\\bar z,

    which holds for any future purchase, so for the holdout's mean too. The actual side
    is the holdout's total spend over its purchase days (the spend of a day is the sum of
    its transactions, as in calibration).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", Journal of Marketing Research 42(4), 415-430.

    Examples
    --------
    With the CDNOW spend parameters, three customers (the second did not buy again in
    the holdout, the third made no repeat purchase in calibration: neither is compared):

    >>> table = conditional_spend(6.25, 3.74, 15.44, [1, 2, 0], [30.0, 50.0, 0.0],
    ...                           [2, 0, 1], [70.0, 0.0, 12.0], max_frequency=2)
    >>> table.drop(columns="note").round(2)
      repeat_purchases  customers  actual  predicted
    0                1          1    35.0      31.59
    1               2+          0     NaN        NaN
    >>> table["note"].tolist()
    ['', 'no customer with 2+ repeat purchase(s)']

    By hand: 70 / 2 = 35 actual; (15.44 x 6.25 + 6.25 x 1 x 30) / (6.25 x 1 + 3.74 - 1)
    = 31.59 predicted.
    """
    p, q, gamma = gg_parameters(FUNC, p, q, gamma)
    top = int(max_frequency)
    if top < 1:
        raise fail(FUNC, f"max_frequency is {max_frequency!r}; enter a whole number >= 1")
    named = [
        ("frequency", column(FUNC, "frequency", frequency, minimum=0.0)),
        ("monetary_value", column(FUNC, "monetary_value", monetary_value, minimum=0.0)),
        ("holdout_purchases", column(FUNC, "holdout_purchases", holdout_purchases, minimum=0.0)),
        ("holdout_total", column(FUNC, "holdout_total", holdout_total, minimum=0.0)),
    ]
    n = common_length(FUNC, named) or 1
    x, zbar, purchases, spend = (np.broadcast_to(values, n).astype(float) for _, values in named)
    compared = (x > 0) & (zbar > 0) & (purchases > 0)
    predicted = np.zeros(x.size)
    if compared.any():
        predicted[compared] = expected_spend(p, q, gamma, x[compared], zbar[compared])
    actual = np.divide(spend, purchases, out=np.zeros(x.size), where=compared)
    bins = np.minimum(x, top).astype(np.int64) - 1
    labels = [str(k) for k in range(1, top)] + [f"{top}+"]
    weights = compared.astype(float)
    customers = np.bincount(bins[compared], minlength=top)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = [
            np.bincount(bins[compared], weights=(v * weights)[compared], minlength=top) / customers
            for v in (actual, predicted)
        ]
    empty = customers == 0
    return pd.DataFrame(
        {
            "repeat_purchases": labels,
            "customers": customers,
            "actual": np.where(empty, np.nan, means[0]),
            "predicted": np.where(empty, np.nan, means[1]),
            "note": [
                f"no customer with {label} repeat purchase(s)" if none else ""
                for label, none in zip(labels, empty, strict=True)
            ],
        }
    )
