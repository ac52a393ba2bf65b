"""``crmvalue score --holdout-end``: test the fitted model on the purchases after the
calibration end.

With ``--holdout-end``, ``--observation-end`` is the calibration end: ``score`` fits and
scores on the transactions up to it, as always, and this module then reads the log again,
has :func:`crmvalue_core.purchase_history.validate_holdout` set the model's predictions
against what the customers did up to the holdout end, writes the tables
(``--holdout-out``, one sheet per table) and the three charts (beside ``--plot``), and
prints the error measures. Every figure comes from :mod:`crmvalue_core`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..tables.progress import Progress
from ..tables.reading import transaction_chunks
from .common import check_outputs, option_date
from .errors import UsageError

if TYPE_CHECKING:
    from crmvalue_core.purchase_history import HoldoutValidation
    from crmvalue_core.scoring import ScoredBase

    from ..tables.columns import Columns
    from ..tables.sources import Source

__all__ = ["CHARTS", "chart_paths", "check", "holdout_dates", "report", "run", "tables"]

#: The charts drawn beside --plot: the name each gets after the plot's stem.
CHARTS = ("tracking", "conditional", "histogram")


def chart_paths(plot: Path) -> dict[str, Path]:
    """The holdout charts written beside ``plot``: ``NAME-tracking.png`` and so on.

    >>> chart_paths(Path("out/cdnow.png"))["tracking"].as_posix()
    'out/cdnow-tracking.png'
    """
    return {name: plot.with_name(f"{plot.stem}-{name}.png") for name in CHARTS}


def holdout_dates(args: argparse.Namespace) -> tuple[np.datetime64, np.datetime64] | None:
    """The calibration end (``--observation-end``) and the holdout end (``--holdout-end``)
    of ``crmvalue score`` or ``crmvalue baseline``; None without ``--holdout-end``. Refuses
    a holdout end without a calibration end, or not after it."""
    if args.holdout_end is None:
        return None
    if args.observation_end is None:
        raise UsageError(
            "--holdout-end needs --observation-end: the calibration end, the last day the "
            "model is fitted on (the holdout runs from the day after it to --holdout-end)"
        )
    calibration = option_date("--observation-end", args.observation_end, args.date_format)
    end = option_date("--holdout-end", args.holdout_end, args.date_format)
    if end <= calibration:
        raise UsageError(
            f"--holdout-end {end} is not after --observation-end {calibration}; "
            "give a holdout end after the calibration end"
        )
    return calibration, end


def check(args: argparse.Namespace) -> None:
    """Refuse, before any work, holdout options that do not fit together or outputs that
    cannot be written."""
    if args.holdout_end is None:
        if args.holdout_out is not None:
            raise UsageError("--holdout-out needs --holdout-end (the end of the holdout period)")
        return
    holdout_dates(args)
    if args.tracking_days < 1:
        raise UsageError(f"--tracking-days is {args.tracking_days}; give a number of days >= 1")
    outputs: list[Path] = []
    if args.holdout_out is not None:
        if args.holdout_out.suffix.lower() != ".xlsx":
            raise UsageError(
                f"{args.holdout_out.name}: the holdout tables are written as one workbook; "
                "give a file ending in .xlsx"
            )
        outputs.append(args.holdout_out)
    if args.plot is not None:
        outputs.extend(chart_paths(args.plot).values())
    named = [path.resolve() for path in outputs]
    others = [p.resolve() for p in (args.out, args.plot) if p is not None]
    if len(set(named)) < len(named) or set(named) & set(others):
        raise UsageError("--holdout-out names the same file as another output; give another file")
    check_outputs(outputs, force=args.force, inputs=[args.input] if args.input.exists() else [])


def run(source: Source, columns: Columns, args: argparse.Namespace, scored: ScoredBase) -> str:
    """Validate the model of ``scored`` on the holdout; write the tables and charts; return
    the lines to print."""
    from crmvalue_core.purchase_history import validate_holdout

    ids, dates, amounts = [], [], []
    progress = Progress(f"{source.name} (holdout)", 1.0, enabled=not args.quiet)
    for chunk in transaction_chunks(source, columns, progress):
        ids.append(chunk.customer_ids.to_numpy(dtype=object))
        dates.append(chunk.dates)
        amounts.append(chunk.amounts)
    progress.close()
    check_ = validate_holdout(
        pd.Series(np.concatenate(ids)),
        np.concatenate(dates),
        option_date("--observation-end", args.observation_end, args.date_format),
        option_date("--holdout-end", args.holdout_end, args.date_format),
        amounts=np.concatenate(amounts),
        time_unit=args.time_unit,
        period_days=args.tracking_days,
        fit=scored.bgnbd,
        spend_fit=scored.gamma_gamma,
    )
    if args.holdout_out is not None:
        from ..tables.writing import write_workbook

        write_workbook(tables(check_), args.holdout_out, force=args.force)
    if args.plot is not None:
        from ..charts.holdout import conditional_chart, histogram_chart, tracking_chart

        paths = chart_paths(args.plot)
        drawers = (tracking_chart, conditional_chart, histogram_chart)
        for path, draw in zip(paths.values(), drawers, strict=True):
            draw(check_, path, force=args.force, title=source.name)
    return report(check_, args)


def tables(check: HoldoutValidation) -> dict[str, pd.DataFrame]:
    """The sheets of --holdout-out, in reading order: the error measures first."""
    unit = {"W": "weeks", "D": "days"}[check.time_unit]
    model = pd.DataFrame(
        {
            "item": [
                "calibration end",
                "holdout end",
                "time unit",
                *[f"BG/NBD {name}" for name in check.fit.names],
                "BG/NBD log-likelihood",
                "customers fitted",
            ],
            "value": [
                str(check.calibration_end),
                str(check.holdout_end),
                unit,
                *[f"{value:.6g}" for value in check.fit.values],
                f"{check.fit.log_likelihood:.6g}",
                f"{check.fit.n_observations}",
            ],
        }
    )
    customers = check.customers.reset_index()
    customers["customer_id"] = customers["customer_id"].astype(str)
    spend = {} if check.spend is None else {"spend": check.spend}
    return {
        "errors": check.errors.reset_index(),
        "conditional": check.conditional,
        **spend,
        "tracking": check.tracking,
        "histogram": check.histogram,
        "customers": customers,
        "model": model,
    }


def report(check: HoldoutValidation, args: argparse.Namespace) -> str:
    """The holdout part of the printed summary."""
    unit = {"W": "weeks", "D": "days"}[check.time_unit]
    duration = check.customers["holdout_duration"].iloc[0]
    last = check.tracking.iloc[-1]
    lines = [
        f"Holdout test: BG/NBD fitted on {check.fit.n_observations:,} customers to "
        f"{check.calibration_end}, predicted for the {duration:.4g} {unit} to "
        f"{check.holdout_end}.",
        f"Cumulative repeat purchases by {check.holdout_end}: actual {last['actual']:,.0f}, "
        f"expected {last['expected']:,.1f}.",
        f"{'Error measure':<27} {'Rows':>5} {'Mean abs. error':>16} {'% of actual':>12}",
    ]
    for name, row in check.errors.iterrows():
        mae = "" if np.isnan(row["mean_absolute_error"]) else f"{row['mean_absolute_error']:,.4g}"
        share = "" if np.isnan(row["percentage_error"]) else f"{row['percentage_error']:.1%}"
        lines.append(f"{name:<27} {int(row['rows']):>5} {mae:>16} {share:>12}  {row['note']}")
    lines += ["", f"{'Repeat purchases':<17} {'Customers':>10} {'Actual':>8} {'Predicted':>10}"]
    for _, row in check.conditional.iterrows():
        if row["customers"] == 0:
            lines.append(f"{row['repeat_purchases']:<17} {0:>10}  {row['note']}")
        else:
            lines.append(
                f"{row['repeat_purchases']:<17} {int(row['customers']):>10,} "
                f"{row['actual']:>8.3f} {row['predicted']:>10.3f}"
            )
    if check.spend is not None:
        lines += ["", f"{'Repeat purchases':<17} {'Customers':>10} {'Spend per purchase':>19}"]
        lines.append(f"{'(in calibration)':<17} {'':>10} {'actual':>9} {'predicted':>9}")
        for _, row in check.spend.iterrows():
            if row["customers"] == 0:
                lines.append(f"{row['repeat_purchases']:<17} {0:>10}  {row['note']}")
            else:
                lines.append(
                    f"{row['repeat_purchases']:<17} {int(row['customers']):>10,} "
                    f"{row['actual']:>9.2f} {row['predicted']:>9.2f}"
                )
    if args.holdout_out is not None:
        lines.append(f"Wrote the holdout tables to {args.holdout_out}.")
    if args.plot is not None:
        shown = ", ".join(str(path) for path in chart_paths(args.plot).values())
        lines.append(f"Drew the holdout charts in {shown}.")
    return "\n\n" + "\n".join(line.rstrip() for line in lines)
