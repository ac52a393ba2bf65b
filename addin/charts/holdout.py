"""The three classic charts of a holdout test of BG/NBD (PNG, matplotlib, headless).

Fader, Hardie & Lee (2005) judge the model by three pictures, drawn here from a
:class:`crmvalue_core.purchase_history.HoldoutValidation`:

* :func:`tracking_chart` -- cumulative repeat purchases of the whole base, actual against
  expected, week by week over calibration and holdout (their figure 3);
* :func:`conditional_chart` -- mean repeat purchases in the holdout by repeat purchases in
  calibration, actual against predicted (their figure 4);
* :func:`histogram_chart` -- customers by repeat purchases in calibration, actual against
  expected (their figure 2).

Every number drawn comes from the core; this module only draws, and writes through
:func:`addin.charts.figures.write_png` (atomically; an existing file is kept unless
``force`` is given).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .figures import short, write_png

if TYPE_CHECKING:
    from crmvalue_core.purchase_history import HoldoutValidation

__all__ = [
    "ACTUAL_COLOUR",
    "MODEL_COLOUR",
    "conditional_chart",
    "histogram_chart",
    "tracking_chart",
]

#: What the customers did, and what the model says, in every chart.
ACTUAL_COLOUR = "#1b9e77"
MODEL_COLOUR = "#d95f02"

_UNITS = {"W": "weeks", "D": "days"}


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(9, 5), layout="constrained")


def _subtitle(check: HoldoutValidation, title: str) -> str:
    cal = str(check.calibration_end)
    end = str(check.holdout_end)
    name = f"{short(title)}: " if title else ""
    return f"{name}model fitted to {cal}, holdout to {end}"


def tracking_chart(
    check: HoldoutValidation, path: str | os.PathLike[str], *, force: bool = False, title: str = ""
) -> Path:
    """Cumulative repeat purchases per period, actual and expected, with the calibration
    end marked; the holdout's mean absolute error in the legend's title."""
    from matplotlib.ticker import StrMethodFormatter

    table = check.tracking
    figure = _figure()
    axes = figure.subplots()
    ends = table["period_end"]
    axes.plot(ends, table["actual"], "-", color=ACTUAL_COLOUR, lw=2, label="actual")
    axes.plot(ends, table["expected"], "--", color=MODEL_COLOUR, lw=2, label="expected (BG/NBD)")
    axes.axvline(check.calibration_end, color="black", lw=0.8, ls=":")
    axes.annotate(
        "calibration end",
        (check.calibration_end, 0.02),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        fontsize=8,
    )
    row = check.errors.loc["tracking, holdout periods"]
    error = _error_text(row)
    axes.legend(title=f"holdout: {error}" if error else None, loc="upper left", fontsize=9)
    days = (ends.iloc[1] - ends.iloc[0]).days if len(ends) > 1 else 0
    axes.set_xlabel("week ending" if days == 7 else f"end of period ({days}-day periods)")
    axes.set_ylabel("cumulative repeat purchases (all customers)")
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.grid(alpha=0.3)
    figure.suptitle("Tracking: cumulative repeat purchases, actual and expected")
    axes.set_title(_subtitle(check, title), fontsize=9)
    return write_png(figure, path, force=force, dpi=110)


def conditional_chart(
    check: HoldoutValidation, path: str | os.PathLike[str], *, force: bool = False, title: str = ""
) -> Path:
    """Mean repeat purchases in the holdout by repeat purchases in calibration, actual and
    predicted; a bin without customers is left out of both lines and labelled."""
    table = check.conditional
    figure = _figure()
    axes = figure.subplots()
    positions = list(range(len(table)))
    axes.plot(positions, table["actual"], "o-", color=ACTUAL_COLOUR, lw=2, label="actual")
    axes.plot(
        positions, table["predicted"], "s--", color=MODEL_COLOUR, lw=2, label="predicted (BG/NBD)"
    )
    for position, (_, row) in zip(positions, table.iterrows(), strict=True):
        if row["customers"] == 0:
            axes.annotate("no customers", (position, 0), ha="center", va="bottom", fontsize=8)
    labels = [
        f"{label}\n({n:,})"
        for label, n in zip(table["repeat_purchases"], table["customers"], strict=True)
    ]
    axes.set_xticks(positions, labels)
    axes.set_xlabel("repeat purchases in the calibration period (customers)")
    unit = _UNITS.get(check.time_unit, check.time_unit)
    duration = check.customers["holdout_duration"].iloc[0]
    axes.set_ylabel(f"mean repeat purchases per customer in the holdout ({duration:.4g} {unit})")
    axes.set_ylim(bottom=0)
    error = _error_text(check.errors.loc["conditional expectations"])
    axes.legend(title=error or None, loc="upper left", fontsize=9)
    axes.grid(alpha=0.3)
    figure.suptitle("Conditional expectations: holdout purchases by calibration purchases")
    axes.set_title(_subtitle(check, title), fontsize=9)
    return write_png(figure, path, force=force, dpi=110)


def histogram_chart(
    check: HoldoutValidation, path: str | os.PathLike[str], *, force: bool = False, title: str = ""
) -> Path:
    """Customers by repeat purchases in calibration: actual and expected bars side by side."""
    import numpy as np
    from matplotlib.ticker import StrMethodFormatter

    table = check.histogram
    figure = _figure()
    axes = figure.subplots()
    positions = np.arange(len(table))
    axes.bar(positions - 0.2, table["customers"], 0.4, color=ACTUAL_COLOUR, label="actual")
    axes.bar(positions + 0.2, table["expected"], 0.4, color=MODEL_COLOUR, label="expected (BG/NBD)")
    axes.set_xticks(positions, list(table["repeat_purchases"]))
    axes.set_xlabel("repeat purchases in the calibration period")
    axes.set_ylabel("customers")
    axes.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    axes.legend(loc="upper right", fontsize=9)
    axes.grid(alpha=0.3, axis="y")
    n = int(table["customers"].sum())
    figure.suptitle(f"Repeat purchases in calibration: {n:,} customers, actual and expected")
    axes.set_title(_subtitle(check, title), fontsize=9)
    return write_png(figure, path, force=force, dpi=110)


def _error_text(row: Any) -> str:
    """'mean absolute error 12.3 (4.5% of actual)', or '' when there is none."""
    import math

    mae, share = row["mean_absolute_error"], row["percentage_error"]
    if not math.isfinite(mae):
        return ""
    text = f"mean absolute error {mae:,.4g}"
    return text + (f" ({share:.1%} of actual)" if math.isfinite(share) else "")
