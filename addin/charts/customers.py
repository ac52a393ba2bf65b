"""The chart of a scored customer base: where the value is (PNG, matplotlib, headless).

Every number drawn comes from :mod:`crmvalue_core.scoring` (the scores, the segments, the
concentration curve); this module only draws, and writes through
:func:`addin.charts.figures.write_png` (atomically; an existing file is kept unless
``force`` is given).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .figures import write_png

if TYPE_CHECKING:
    from crmvalue_core.scoring import ScoredBase

__all__ = [
    "CUSTOMER_SHARE_COLOUR",
    "SEGMENT_COLOURS",
    "value_concentration_chart",
    "value_name",
]

#: The colour of each segment, in the curve and in the bars.
SEGMENT_COLOURS = {
    "Most valuable": "#1b9e77",
    "Growth": "#7570b3",
    "Standard": "#999999",
    "Negative": "#d95f02",
}
#: The bars of each segment's share of customers: white, hatched, unlike any segment.
CUSTOMER_SHARE_COLOUR = "#ffffff"


def value_name(scored: ScoredBase) -> str:
    """What the segments and the concentration are measured by, in words."""
    return "actual value" if scored.value_column == "actual_value" else "predicted CLV"


def value_concentration_chart(
    scored: ScoredBase, path: str | os.PathLike[str], *, force: bool = False, title: str = ""
) -> Path:
    """Two panels as a PNG: the concentration curve coloured by segment, and each segment's
    share of customers (white, hatched) beside its share of value (in the segment's colour
    of :data:`SEGMENT_COLOURS`, as on the curve). Every legend entry shows the colours of
    the marks it names: the value-share entry shows one patch per segment bar."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.ticker import PercentFormatter

    from crmvalue_core.scoring import concentration_curve

    values = scored.customers[scored.value_column].to_numpy()
    segments = scored.customers["segment"].astype(str).to_numpy()
    figure = Figure(figsize=(11, 4.5), layout="constrained")
    curve, bars = figure.subplots(1, 2)
    measure = value_name(scored)
    try:
        share, cumulative, labels = concentration_curve(values, segments)
    except ValueError:
        curve.text(0.5, 0.5, f"total {measure} is not above 0", ha="center")
    else:
        for segment, colour in SEGMENT_COLOURS.items():
            mask = labels == segment
            if mask.any():
                curve.plot(share[mask], cumulative[mask], ".", ms=3, color=colour, label=segment)
        curve.plot([0, 1], [0, 1], ":", color="black", lw=0.8, label="equal shares")
        for top, concentration in scored.concentration.items():
            if concentration is not None:
                curve.annotate(
                    f"top {top:.0%}: {concentration:.0%}",
                    (top, concentration),
                    xytext=(8, -14),
                    textcoords="offset points",
                    fontsize=8,
                )
                curve.plot([top], [concentration], "o", color="black", ms=4)
        curve.set_xlabel("share of customers (most valuable first)")
        curve.set_ylabel(f"cumulative share of {measure}")
        curve.legend(loc="lower right", fontsize=8)
    curve.set_title("Value concentration")
    table = scored.by_segment
    positions = np.arange(len(table))
    colours = [SEGMENT_COLOURS[name] for name in table.index]
    bars.bar(
        positions - 0.2,
        table["customer_share"],
        0.4,
        label="share of customers",
        color=CUSTOMER_SHARE_COLOUR,
        edgecolor="#444444",
        hatch="//",
    )
    value_bars = bars.bar(
        positions + 0.2,
        table["value_share"].fillna(0.0),
        0.4,
        label=f"share of {measure}",
        color=colours,
    )
    bars.set_xticks(positions, list(table.index))
    bars.axhline(0, color="black", lw=0.8)
    bars.set_title("By segment")
    # The value bars have one colour per segment: their legend entry shows every one of
    # them (matplotlib would show the first bar's colour alone).
    customer_handle = bars.get_legend_handles_labels()[0][0]
    bars.legend(
        [customer_handle, tuple(value_bars.patches)],
        ["share of customers", f"share of {measure} (segment colours)"],
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=2,
        frameon=False,
    )
    for axes in (curve, bars):
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    curve.xaxis.set_major_formatter(PercentFormatter(1.0))
    figure.suptitle(f"{title}: {len(values):,} customers")
    return write_png(figure, path, force=force, dpi=110)
