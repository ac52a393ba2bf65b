"""Scenarios, tornado and Monte Carlo for the command line (uncertainty).

Shared by ``crmvalue appraise --simulate`` and ``crmvalue demo``. Every number comes from
:mod:`crmvalue_core.appraisal` (:func:`~crmvalue_core.appraisal.scenarios`,
:func:`~crmvalue_core.appraisal.sensitivity`, :func:`~crmvalue_core.appraisal.simulate`);
this module only checks the flags, lays the numbers out as text or JSON and asks
:mod:`addin.charts` to draw them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import check_folder, check_outputs
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from crmvalue_core.appraisal import SimulationResult, UncertainInputs

#: The draws allowed (the core's MAX_DRAWS, repeated here so that the flags are checked
#: before the calculator is imported; a test keeps the two equal).
MAX_DRAWS = 10_000_000
#: The PNG files ``--plot FOLDER`` writes.
PLOT_FILES = {"tornado": "tornado.png", "histogram": "npv_histogram.png"}
DISTRIBUTIONS = ("pert", "triangular")
#: Bins of the NPV histogram, in the PNG plot and in the results workbook alike.
HISTOGRAM_BINS = 40

_METRIC_LABELS = {"npv": "NPV", "irr": "IRR", "payback": "Payback (years)"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--simulate``, ``--seed``, ``--distribution``, ``--correlation``, ``--plot`` flags."""
    group = parser.add_argument_group(
        "uncertainty (the low and high values of the Scenarios sheet)"
    )
    group.add_argument(
        "--simulate",
        metavar="N",
        help="print the scenarios, the tornado table and a Monte Carlo simulation of N draws "
        f"(1 to {MAX_DRAWS:,}; 10000 is plenty)",
    )
    group.add_argument("--seed", metavar="SEED", help="seed of the draws (a whole number >= 0)")
    group.add_argument(
        "--distribution",
        metavar="{pert,triangular}",
        help="distribution of each input between its low and high (default: pert)",
    )
    group.add_argument(
        "--correlation",
        metavar="RHO",
        help="correlation between the benefit drivers, 0 to 1 (default: 0)",
    )
    group.add_argument(
        "--plot",
        metavar="FOLDER",
        help="write tornado.png and npv_histogram.png into FOLDER (created if missing)",
    )


@dataclass(frozen=True)
class Options:
    """The checked uncertainty flags."""

    draws: int
    seed: int | None
    distribution: str
    correlation: float
    plot: dict[str, Path] | None


def whole_number(text: str) -> int | None:
    """``text`` as a whole number, exactly (no float on the way), or None if it is none.

    Digits with optional thousands separators (``,`` or ``_``), or a whole number in
    exponent notation (``1e4``). A seed of 39 digits comes back digit for digit, so that
    the seed an unseeded run prints repeats the run.

    >>> whole_number("10,000"), whole_number("1e4"), whole_number("2.5")
    (10000, 10000, None)
    >>> whole_number("164176512445230945214779876654336012345")
    164176512445230945214779876654336012345
    """
    import decimal

    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        number = decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    if number.adjusted() > 100:  # far beyond any seed or draw count: refused, not expanded
        return None
    return int(number)


def _whole(option: str, text: str, low: int, high: int | None, what: str) -> int:
    value = whole_number(text)
    if value is None or value < low or (high is not None and value > high):
        raise UsageError(f"{option} {text}: give {what}")
    return value


def options(args: argparse.Namespace) -> Options | None:
    """The checked flags, or None without ``--simulate``; a bad flag is a UsageError (exit 2).

    Checked before anything is read or written: the number of draws (1..MAX_DRAWS), the
    seed (whole, >= 0), the distribution, the correlation (0..1) and the plot folder and
    files (kept unless ``--force``).
    """
    given = [
        flag
        for flag, value in (
            ("--seed", args.seed),
            ("--distribution", args.distribution),
            ("--correlation", args.correlation),
            ("--plot", args.plot),
        )
        if value is not None
    ]
    if args.simulate is None:
        if given:
            raise UsageError(f"{given[0]} needs --simulate N (the number of Monte Carlo draws)")
        return None
    draws = _whole(
        "--simulate",
        args.simulate,
        1,
        MAX_DRAWS,
        f"a whole number of draws from 1 to {MAX_DRAWS:,}",
    )
    seed = None
    if args.seed is not None:
        seed = _whole("--seed", args.seed, 0, None, "a whole number >= 0")
    distribution = "pert"
    if args.distribution is not None:
        distribution = args.distribution.strip().lower()
        if distribution not in DISTRIBUTIONS:
            raise UsageError(f"--distribution {args.distribution}: give pert or triangular")
    correlation = 0.0
    if args.correlation is not None:
        try:
            correlation = float(args.correlation)
        except ValueError:
            correlation = math.nan
        if not (math.isfinite(correlation) and 0.0 <= correlation <= 1.0):
            raise UsageError(
                f"--correlation {args.correlation}: give a correlation from 0 (independent) "
                "to 1 as a decimal, e.g. 0.3"
            )
    plot = plot_paths(Path(args.plot), force=args.force) if args.plot is not None else None
    return Options(draws, seed, distribution, correlation, plot)


def plot_paths(folder: Path, *, force: bool) -> dict[str, Path]:
    """The chart files in ``folder`` (created if missing), refused if they exist (no force).

    Checked before any work: the folder, or the nearest folder above it that exists when it
    is to be created, must be a folder that can be written (:func:`check_outputs`,
    :func:`~addin.cli.common.check_folder`).
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--plot {folder}: is a file; give a folder")
    paths = {role: folder / name for role, name in PLOT_FILES.items()}
    if folder.is_dir():
        check_outputs(paths.values(), force=force)
        return paths
    above = folder.absolute().parent
    while not above.exists():
        above = above.parent
    if not above.is_dir():
        raise UsageError(f"--plot {folder}: {above} is a file, not a folder; give a folder")
    check_folder(above, folder)
    return paths


def no_ranges_message(source: Path) -> str:
    """What to say when a workbook has no low or high value to simulate."""
    return (
        f"{source}: there is nothing to simulate: no input has a low or a high value on the "
        "Scenarios sheet. Enter a low and a high value beside each input you are unsure of "
        "(sheet 'Scenarios', yellow cells), or leave out --simulate"
    )


@dataclass(frozen=True)
class Report:
    """The scenarios, the tornado table and the simulation of one case, from the core."""

    uncertain: UncertainInputs
    scenarios: pd.DataFrame
    sensitivity: pd.DataFrame
    simulation: SimulationResult
    summary: pd.DataFrame
    measured: SimulationResult | None = None


def report(
    uncertain: UncertainInputs, chosen: Options, joint: dict[str, Any] | None = None
) -> Report:
    """Run the core's scenarios, sensitivity and simulation for ``uncertain``; ``joint``:
    inputs drawn together from recorded draws (see :func:`crmvalue_core.appraisal.simulate`)."""
    from crmvalue_core.appraisal import scenarios, sensitivity, simulate

    result = simulate(
        uncertain,
        chosen.draws,
        seed=chosen.seed,
        distribution=chosen.distribution,
        correlation=chosen.correlation,
        joint=joint,
    )
    measured = None
    if joint:
        measured = simulate(
            uncertain,
            chosen.draws,
            seed=result.seed,
            distribution=chosen.distribution,
            correlation=chosen.correlation,
            joint=joint,
            only=list(joint),
        )
    return Report(
        uncertain=uncertain,
        scenarios=scenarios(uncertain),
        sensitivity=sensitivity(uncertain),
        simulation=result,
        summary=result.summary(),
        measured=measured,
    )


# ---------------------------------------------------------------------------------------
# Text


def _money(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def _percent(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.1%}"


def _years(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.2f}"


def format_report(found: Report, *, tornado: bool = True, language: str = "en") -> str:
    """The scenario table, the tornado table (unless ``tornado=False``) and the simulation
    summary, as text, in ``language`` (``"en"`` or ``"zh-CN"``; the numbers are the same)."""
    from crmvalue_core.appraisal.labels import SCENARIO_LABELS
    from workbook_templates.language import display_width, text

    def tr(words: str) -> str:
        return text(words, language)

    def left(words: str, width: int) -> str:
        return words + " " * max(0, width - display_width(words))

    def right(words: str, width: int) -> str:
        return " " * max(0, width - display_width(words)) + words

    currency = found.uncertain.case.general.currency
    npv_name = tr(f"NPV ({currency})")
    # The widths of the payback and "defined" columns: Chinese headers are wider.
    payback_width, defined_width = (10, 9) if language == "en" else (12, 14)
    lines = [tr(f"Scenarios ({len(found.uncertain.ranges)} inputs with a low and a high value)")]
    lines.append(
        left(tr("Scenario"), 14)
        + right(npv_name, 16)
        + right("IRR", 10)
        + right(tr("Payback"), payback_width)
    )
    for key, scenario in SCENARIO_LABELS.items():
        row = found.scenarios.loc[key]
        lines.append(
            left(tr(scenario.label), 14)
            + f"{_money(row['npv']):>16}{_percent(row['irr']):>10}"
            + right(tr(_years(row["payback"])), payback_width)
        )
    if tornado:
        lines += ["", *_tornado_lines(found, currency, tr, left, right)]
    result = found.simulation
    if language == "en":
        head = (
            f"Monte Carlo: {result.draws:,} draws, {result.distribution.upper()}, correlation "
            f"{result.correlation:g} between the benefit drivers, seed {result.seed}"
        )
    else:
        head = (
            f"蒙特卡洛模拟：{result.draws:,} 次抽样，{result.distribution.upper()}，"
            f"收益驱动因素之间的相关系数 {result.correlation:g}，随机种子 {result.seed}"
        )
    lines += [
        "",
        head,
        left(tr("Metric"), 18)
        + "".join(right(tr(word), 14) for word in ("Mean", "P10", "P50", "P90"))
        + right("P(<0)", 9)
        + right(tr("Defined"), defined_width),
    ]
    for key, label in _METRIC_LABELS.items():
        row = found.summary.loc[key]
        shown = {"npv": _money, "irr": _percent, "payback": _years}[key]
        name = npv_name if key == "npv" else tr(label)
        lines.append(
            left(name, 18)
            + "".join(f"{shown(row[column]):>14}" for column in ("mean", "p10", "p50", "p90"))
            + f"{_percent(row['p_negative']):>9}"
            + right(_percent(row["defined"]), defined_width)
        )
    negative = _percent(found.summary.loc["npv", "p_negative"])
    paid_back = _percent(found.summary.loc["payback", "defined"])
    lines += [
        "",
        f"Probability of a negative NPV: {negative}; of paying back within the horizon: {paid_back}"
        if language == "en"
        else f"NPV 为负的概率：{negative}；在评估期内收回投资的概率：{paid_back}",
    ]
    if found.measured is not None:
        lines += _measured_lines(found, language)
    return "\n".join(lines)


def _measured_lines(found: Report, language: str) -> list[str]:
    """The estimation risk of the measured drivers apart from the user's ranges."""
    assert found.measured is not None
    both = found.summary.loc["npv"]
    alone = found.measured.summary().loc["npv"]
    names = ", ".join(found.measured.inputs)
    if language == "en":
        return [
            "",
            f"Estimation risk of the measured drivers ({names}) apart from your ranges:",
            f"  measured drivers only (the rest at base): P(NPV<0) "
            f"{_percent(alone['p_negative'])}, NPV P10 {_money(alone['p10'])}, "
            f"P90 {_money(alone['p90'])}",
            f"  everything drawn:                         P(NPV<0) "
            f"{_percent(both['p_negative'])}, NPV P10 {_money(both['p10'])}, "
            f"P90 {_money(both['p90'])}",
        ]
    return [
        "",
        f"实测驱动因素（{names}）的估计风险，与您输入的区间分开：",
        f"  仅抽样实测驱动因素（其余取基准值）：NPV 为负的概率 {_percent(alone['p_negative'])}，"
        f"NPV P10 {_money(alone['p10'])}，P90 {_money(alone['p90'])}",
        f"  全部输入抽样：NPV 为负的概率 {_percent(both['p_negative'])}，"
        f"NPV P10 {_money(both['p10'])}，P90 {_money(both['p90'])}",
    ]


def _tornado_lines(
    found: Report,
    currency: str,
    tr: Callable[[str], str],
    left: Callable[[str, int], str],
    right: Callable[[str, int], str],
) -> list[str]:
    table = found.sensitivity
    labels = [tr(str(label)) for label in table["label"]]
    width = max(24, *(len(label) + sum(1 for ch in label if ord(ch) > 0x2E7F) for label in labels))
    base = f"{currency} {_money(found.scenarios.loc['base', 'npv'])}"
    if tr("Swing") == "Swing":
        title = (
            "Sensitivity of the NPV (tornado): each input at its low and its high, the others "
            f"at base (base NPV {base})"
        )
    else:
        title = (
            "NPV 敏感性分析（龙卷风图）：每项输入分别取低值和高值，其他输入取基准值"
            f"（基准 NPV {base}）"
        )
    lines = [
        title,
        left(tr("Input"), width + 2)
        + right(tr("NPV at low"), 14)
        + right(tr("NPV at high"), 14)
        + right(tr("Swing"), 14),
    ]
    for label, (_, row) in zip(labels, table.iterrows(), strict=True):
        lines.append(
            left(label, width + 2)
            + f"{_money(row['npv_low']):>14}{_money(row['npv_high']):>14}{_money(row['swing']):>14}"
        )
    return lines


# ---------------------------------------------------------------------------------------
# JSON


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value
    number = float(value)
    return number if math.isfinite(number) else None


def to_json(found: Report) -> dict[str, Any]:
    """The ``"simulation"`` object of ``crmvalue appraise --json``: JSON-ready, null for NaN."""
    result = found.simulation
    return {
        "draws": result.draws,
        "seed": result.seed,
        "distribution": result.distribution,
        "correlation": result.correlation,
        "inputs": list(result.inputs),
        "base_npv": _plain(result.base_npv),
        "scenarios": {
            str(key): {str(column): _plain(value) for column, value in row.items()}
            for key, row in found.scenarios.iterrows()
        },
        "sensitivity": [
            {"input": str(name), **{str(c): _plain(v) for c, v in row.items()}}
            for name, row in found.sensitivity.iterrows()
        ],
        "summary": {
            str(key): {str(column): _plain(value) for column, value in row.items()}
            for key, row in found.summary.iterrows()
        },
        "measured_only": _measured_json(found),
    }


def _measured_json(found: Report) -> dict[str, Any] | None:
    """The NPV with only the measured drivers drawn (null without measured drivers)."""
    if found.measured is None:
        return None
    npv = found.measured.summary().loc["npv"]
    return {
        "inputs": list(found.measured.inputs),
        "p_negative": _plain(npv["p_negative"]),
        "p10": _plain(npv["p10"]),
        "p50": _plain(npv["p50"]),
        "p90": _plain(npv["p90"]),
        "mean": _plain(npv["mean"]),
        "std": _plain(npv["std"]),
    }


# ---------------------------------------------------------------------------------------
# Charts


def write_plots(found: Report, paths: dict[str, Path], *, force: bool) -> list[Path]:
    """The tornado chart and the NPV histogram as PNG files; returns the paths written."""
    from ..charts import npv_histogram_chart, tornado_chart

    folder = paths["tornado"].parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--plot {folder}: cannot create the folder ({error.strerror})") from None
    general = found.uncertain.case.general
    counts, edges = found.simulation.histogram("npv", bins=HISTOGRAM_BINS)
    return [
        tornado_chart(
            found.sensitivity,
            paths["tornado"],
            currency=general.currency,
            title=general.case_name,
            force=force,
        ),
        npv_histogram_chart(
            counts,
            edges,
            paths["histogram"],
            currency=general.currency,
            title=general.case_name,
            summary=found.summary.loc["npv"],
            force=force,
        ),
    ]
