"""The charts of an appraisal: the cumulative discounted cash flow, the tornado, the NPV
histogram (PNG, matplotlib, headless).

Every number drawn comes from :mod:`crmvalue_core.appraisal`; these functions only draw,
and write through :func:`addin.charts.figures.save_figure` (atomically; an existing file is
kept unless ``force`` is given).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .figures import save_figure, short

__all__ = ["cumulative_cash_flow_chart", "npv_histogram_chart", "tornado_chart"]


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


def tornado_chart(
    table: Any,
    path: str | os.PathLike[str],
    *,
    currency: str = "",
    title: str = "",
    force: bool = False,
) -> Path:
    """The tornado chart of :func:`crmvalue_core.appraisal.sensitivity` as a PNG.

    ``table`` is the core's sensitivity DataFrame (largest swing first): one bar per input
    from the base NPV (``table.attrs["base_npv"]``): red to its ``downside`` (the NPV
    lost), green to its ``upside`` (the NPV gained); each label says which end of the
    input's range gives the lower and which the higher NPV (``low | high`` for a benefit
    driver, ``high | low`` for a cost).
    """
    base = float(table.attrs["base_npv"])
    labels = [str(label) for label in table["label"]][::-1]
    downside = table["downside"].to_numpy()[::-1]
    upside = table["upside"].to_numpy()[::-1]
    low_is_down = (table["npv_low"] <= table["npv_high"]).to_numpy()[::-1]

    def draw(ax: Any) -> None:
        rows = range(len(labels))
        ax.barh(rows, downside, left=base, color="#c0392b", label="lower NPV")
        ax.barh(rows, upside, left=base, color="#1e8449", label="higher NPV")
        ax.set_yticks(list(rows))
        ax.set_yticklabels(
            [
                f"{short(label)} ({'low' if down else 'high'} | {'high' if down else 'low'})"
                for label, down in zip(labels, low_is_down, strict=True)
            ],
            fontsize=8,
        )
        ax.axvline(base, color="black", linewidth=0.8)
        ax.set_title(
            f"{short(title) + ': ' if title else ''}NPV sensitivity (tornado)", fontsize=10
        )
        ax.set_xlabel(f"NPV ({currency})" if currency else "NPV")
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
        ax.locator_params(axis="x", nbins=5)
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
