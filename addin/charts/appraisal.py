"""The charts of an appraisal: the cumulative discounted cash flow, the tornado, the NPV
histogram (PNG, matplotlib, headless).

Every number drawn comes from :mod:`crmvalue_core.appraisal`; these functions only draw,
and write through :func:`addin.charts.figures.save_figure` (atomically; an existing file is
kept unless ``force`` is given).
"""

from __future__ import annotations

import math
import os
import textwrap
from pathlib import Path
from typing import Any

from crmvalue_core.appraisal.input_table import FORMATS, INPUTS, InputSpec

from .figures import save_figure, short

__all__ = [
    "LABEL_WIDTH",
    "cumulative_cash_flow_chart",
    "input_value_text",
    "npv_histogram_chart",
    "tornado_chart",
    "wrap_label",
]

_SPECS: dict[str, InputSpec] = {spec.name: spec for spec in INPUTS}


def cumulative_cash_flow_chart(
    result: Any, path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """The cumulative discounted cash flow of an appraisal, year by year, as a PNG."""
    general = result.inputs.general
    table = result.years.iloc[: general.horizon_years + 1]

    def draw(ax: Any) -> None:
        years = [str(int(year)) for year in table["calendar_year"]]
        values = table["cumulative_pv"].to_numpy()
        colours = ["#c0392b" if value < 0 else "#1e8449" for value in values]
        ax.bar(years, values, color=colours, alpha=0.35)
        ax.plot(years, values, marker="o", color="#1f4e79")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_title(f"{general.case_name}: cumulative discounted cash flow")
        ax.set_ylabel(general.currency)
        ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        if result.npv is not None:
            ax.annotate(
                f"NPV {general.currency} {result.npv:,.0f}",
                xy=(len(years) - 1, values[-1]),
                xytext=(-12, -4),
                textcoords="offset points",
                ha="right",
                va="top",
            )

    return save_figure(draw, path, force=force)


# ---------------------------------------------------------------------------------------
# Uncertainty: the tornado chart and the NPV histogram


#: Characters per line of a tornado label: labels wrap at word boundaries, never cut.
LABEL_WIDTH = 28

# The Python format of each Excel number format of the input table, for the bar ends.
_PYTHON_FORMATS = {
    FORMATS.percent0: ".0%",
    FORMATS.percent: ".1%",
    FORMATS.percent2: ".2%",
    FORMATS.money: ",.0f",
    FORMATS.money2: ",.2f",
    FORMATS.whole: ",.0f",
    FORMATS.number: ",.1f",
    FORMATS.year: ".0f",
}


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` on as few lines of at most ``width`` characters as it needs, broken between
    words only and balanced (no short last line such as a lone ``(h)``); a word longer
    than ``width`` keeps a line of its own, whole.

    >>> print(wrap_label("Cross-sell / up-sell uplift of the margin (u)"))
    Cross-sell / up-sell
    uplift of the margin (u)
    >>> print(wrap_label("Hours saved per rep per week (h)"))
    Hours saved per
    rep per week (h)
    """

    def wrapped(size: int) -> list[str]:
        return textwrap.wrap(text, size, break_long_words=False, break_on_hyphens=False)

    lines = wrapped(width)
    for size in range(-(-len(text) // max(len(lines), 1)), width):
        if len(balanced := wrapped(size)) <= len(lines):
            lines = balanced
            break
    return "\n".join(lines) or text


def input_value_text(name: str, value: Any, base: Any = None, currency: str = "") -> str:
    """An input's value as the Inputs sheet shows it: its number format and its unit
    (:data:`crmvalue_core.appraisal.input_table.INPUTS`).

    A single value: ``0.015`` of ``ChurnReduction`` is ``"1.50%"``, ``480`` of
    ``MarginPerCustomer`` is ``"EUR 480.00"``, ``3`` of ``HoursSavedPerWeek`` is
    ``"3.0 hours"``. A row (one value per year) shows the years where it differs from
    ``base``: ``"years 0-1: EUR 170,000 / 30,000"``, or ``"years 1-5: EUR 50,000 each"``
    when those years hold one value.

    >>> input_value_text("ChurnReduction", 0.015)
    '1.50%'
    >>> input_value_text("CostSupport", (0, 50e3, 50e3, 55e3), (0, 55e3, 55e3, 55e3), "EUR")
    'years 1-2: EUR 50,000 each'
    """
    spec = _SPECS[name]
    style = _PYTHON_FORMATS.get(spec.number_format, ",g")
    prefix = f"{currency} " if spec.unit == "currency" and currency else ""
    suffix = f" {spec.unit}" if spec.unit not in ("", "%", "currency") else ""
    if not isinstance(value, (tuple, list)):
        return f"{prefix}{float(value):{style}}{suffix}"
    values = [float(item) for item in value]
    bases = [float(item) for item in base] if base is not None else [math.nan] * len(values)
    differ = [i for i, (v, b) in enumerate(zip(values, bases, strict=False)) if v != b]
    if not differ:
        return "as base"
    first, last = differ[0], differ[-1]
    stretch = values[first : last + 1]
    years = (
        f"year {spec.first_year + first}"
        if first == last
        else (f"years {spec.first_year + first}-{spec.first_year + last}")
    )
    if len(set(stretch)) == 1:
        shown = f"{stretch[0]:{style}}" + (" each" if len(stretch) > 1 else "")
    else:
        shown = " / ".join(f"{item:{style}}" for item in stretch)
    return f"{years}: {prefix}{shown}{suffix}"


def tornado_chart(
    table: Any,
    path: str | os.PathLike[str],
    *,
    currency: str = "",
    title: str = "",
    force: bool = False,
) -> Path:
    """The tornado chart of :func:`crmvalue_core.appraisal.sensitivity` as a PNG.

    ``table`` is the core's sensitivity DataFrame (largest swing first, indexed by defined
    name): one bar per input from the base NPV (``table.attrs["base_npv"]``, the centre
    line, its value written on it): red to its ``downside`` (the NPV lost), green to its
    ``upside`` (the NPV gained). Each bar is labelled with the input's label on the
    workbook's Inputs sheet, wrapped between words, and each end of a bar with the input's
    value that gives it (low or high, as :func:`input_value_text` shows it): a low benefit
    driver at the red end, a low cost at the green end.
    """
    base = float(table.attrs["base_npv"])
    rows = table.iloc[::-1]  # largest swing at the top
    labels = [wrap_label(_SPECS[name].label) for name in rows.index]
    downside = rows["downside"].to_numpy()
    upside = rows["upside"].to_numpy()
    low_is_down = (rows["npv_low"] <= rows["npv_high"]).to_numpy()
    ends = [
        (
            input_value_text(name, row["low" if down else "high"], row["base"], currency),
            input_value_text(name, row["high" if down else "low"], row["base"], currency),
        )
        for (name, row), down in zip(rows.iterrows(), low_is_down, strict=True)
    ]
    money = f"{currency} " if currency else ""

    def draw(ax: Any) -> None:
        lines = sum(label.count("\n") + 1 for label in labels)
        ax.figure.set_size_inches(11, max(4.5, 1.6 + 0.3 * lines))
        positions = list(range(len(labels)))
        ax.barh(positions, downside, left=base, color="#c0392b", label="lower NPV")
        ax.barh(positions, upside, left=base, color="#1e8449", label="higher NPV")
        ax.set_yticks(positions)
        ax.set_yticklabels(labels, fontsize=8)
        for position, down, up, (left_text, right_text) in zip(
            positions, downside, upside, ends, strict=True
        ):
            ax.annotate(
                left_text,
                (base + down, position),
                xytext=(-4, 0),
                textcoords="offset points",
                ha="right",
                va="center",
                fontsize=7,
            )
            ax.annotate(
                right_text,
                (base + up, position),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=7,
            )
        ax.axvline(base, color="black", linewidth=0.8)
        ax.annotate(
            f"base NPV {money}{base:,.0f}",
            (base, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
        )
        ax.margins(x=0.45)
        heading = "NPV sensitivity (tornado): each input at its low and its high value"
        ax.set_title(
            "\n".join(wrap_label(part, 90) for part in (title, heading) if part),
            fontsize=10,
            pad=16,
        )
        ax.set_xlabel(f"NPV ({currency})" if currency else "NPV")
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        ax.locator_params(axis="x", nbins=6)
        ax.tick_params(axis="x", labelsize=8)
        ax.legend(loc="lower right", fontsize=8)

    return save_figure(draw, path, force=force)


def npv_histogram_chart(
    counts: Any,
    edges: Any,
    path: str | os.PathLike[str],
    *,
    currency: str = "",
    title: str = "",
    summary: Any = None,
    force: bool = False,
) -> Path:
    """The histogram of simulated NPVs (:meth:`SimulationResult.histogram`) as a PNG.

    ``counts`` and ``edges`` are the core's histogram; ``summary`` (optional) the NPV row of
    :meth:`SimulationResult.summary`, whose P10, P50 and P90 are drawn as lines and whose
    probability of a negative NPV is shown in the title.
    """

    def draw(ax: Any) -> None:
        ax.stairs(counts, edges, fill=True, color="#1f4e79", alpha=0.6)
        ax.axvline(0, color="black", linewidth=0.8)
        heading = f"{short(title) + ': ' if title else ''}simulated NPV"
        if summary is not None:
            for key, style in (("p10", ":"), ("p50", "--"), ("p90", ":")):
                ax.axvline(summary[key], color="#7f6000", linestyle=style, label=key.upper())
            heading += f" (P(NPV < 0) = {summary['p_negative']:.1%})"
            ax.legend(fontsize=8)
        ax.set_title(heading, fontsize=10)
        ax.set_xlabel(f"NPV ({currency})" if currency else "NPV")
        ax.set_ylabel("draws")
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")

    return save_figure(draw, path, force=force)
