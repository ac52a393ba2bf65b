"""The business case from the company's own data: the appraisal's baseline, measured.

:func:`measure_baseline` reads a transaction log (customer, date, amount) and measures the
drivers of the appraisal template that the data can tell: the active customers, the annual
churn without the CRM, the annual gross margin per customer and the new customers per year
(:mod:`.measure`). Each comes with a P10/P90 interval and its provenance, and the
measurement says when it is weak. The CRM's effects and its costs stay the user's.
"""

from __future__ import annotations

from .measure import (
    Baseline,
    MeasuredDriver,
    Provenance,
    baseline_table,
    measure_baseline,
    measure_from_histories,
)

__all__ = [
    "Baseline",
    "MeasuredDriver",
    "Provenance",
    "baseline_table",
    "measure_baseline",
    "measure_from_histories",
]
