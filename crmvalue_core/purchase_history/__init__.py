"""Buy-till-you-die models of purchase histories: BG/NBD, Gamma-Gamma and the predicted CLV.

A customer's history is summarised, as in the papers, by three numbers:

* ``frequency`` (x): the number of *repeat* purchases (purchase periods after the first);
* ``recency`` (t_x): the time from the first to the last purchase (0 when x = 0);
* ``age`` (T): the time from the first purchase to the end of the observation period.

Recency and age share one time unit (weeks in the CDNOW papers). For the spend model,
``monetary_value`` is the mean value of the repeat purchases.
:func:`crmvalue_core.transactions.summary_from_transactions` builds these columns from a
transaction log.

* BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
  Science 24(2)): :func:`bgnbd_fit`, :func:`bgnbd_expected_purchases`,
  :func:`bgnbd_p_alive`, :func:`bgnbd_prob_purchases`.
* Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for
  customer base analysis", Journal of Marketing Research 42(4)): :func:`gg_fit`,
  :func:`gg_expected_spend`.
* :func:`predicted_clv`: the discounted monthly CLV of both models together;
  :func:`predicted_clv_intervals` its percentiles under the fits' estimation uncertainty.
* Holdout validation (:mod:`.validation`): :func:`validate_holdout` and its tables,
  :func:`calibration_holdout_summary`, :func:`conditional_expectations`,
  :func:`tracking_table`, :func:`repeat_purchase_histogram`, :func:`error_measures`;
  the spend model's holdout test :func:`conditional_spend` (:mod:`.spend_validation`).

Modules by subject: :mod:`.bgnbd`, :mod:`.gamma_gamma` and :mod:`.clv` hold the
calculators, :mod:`._bgnbd_model` and :mod:`._gamma_gamma_model` their formulas, and
:mod:`._histories` reads the customer histories they share. Import from here.

Two calculators are also here under their Excel names, lower-cased, which is how the
add-in's function registry names them: ``bgnbd_purchases`` is
:func:`bgnbd_expected_purchases` (BGNBD_PURCHASES) and ``gg_spend`` is
:func:`gg_expected_spend` (GG_SPEND).
"""

from __future__ import annotations

from .bgnbd import bgnbd_expected_purchases, bgnbd_fit, bgnbd_p_alive, bgnbd_prob_purchases
from .clv import MONTH_LENGTH, predicted_clv
from .clv_intervals import ClvIntervals, predicted_clv_intervals
from .clv_intervals_table import predicted_clv_intervals_table
from .gamma_gamma import gg_expected_spend, gg_fit
from .spend_validation import conditional_spend
from .validation import (
    HoldoutValidation,
    bgnbd_histogram,
    calibration_holdout_summary,
    conditional_expectations,
    error_measures,
    holdout_conditional,
    holdout_spend,
    holdout_summary,
    holdout_tracking,
    repeat_purchase_histogram,
    tracking_table,
    validate_holdout,
)

__all__ = [
    "MONTH_LENGTH",
    "ClvIntervals",
    "HoldoutValidation",
    "bgnbd_expected_purchases",
    "bgnbd_fit",
    "bgnbd_histogram",
    "bgnbd_p_alive",
    "bgnbd_prob_purchases",
    "bgnbd_purchases",
    "calibration_holdout_summary",
    "conditional_expectations",
    "conditional_spend",
    "error_measures",
    "gg_expected_spend",
    "gg_fit",
    "gg_spend",
    "holdout_conditional",
    "holdout_spend",
    "holdout_summary",
    "holdout_tracking",
    "predicted_clv",
    "predicted_clv_intervals",
    "predicted_clv_intervals_table",
    "repeat_purchase_histogram",
    "tracking_table",
    "validate_holdout",
]

#: BGNBD_PURCHASES by its Excel name, lower-cased (the add-in's registry names it so).
bgnbd_purchases = bgnbd_expected_purchases

#: GG_SPEND by its Excel name, lower-cased (the add-in's registry names it so).
gg_spend = gg_expected_spend
