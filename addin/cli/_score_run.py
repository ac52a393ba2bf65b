"""The work of ``crmvalue score``: check the outputs, read, summarise, score, write, print,
and have :mod:`addin.charts` draw the plot."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmvalue_core.purchase_history import ClvIntervals
from crmvalue_core.scoring import (
    PurchaseTotals,
    ScoredBase,
    score_customers,
    scored_clv_intervals,
)

from ..charts.customers import value_concentration_chart, value_name
from ..tables.columns import OPTIONS, VALUE_FIELDS, Columns
from ..tables.engine_reading import engine_summary
from ..tables.header_names import recognise_columns
from ..tables.progress import Phase, Progress
from ..tables.reading import number_columns, read_customers, settle_numbers, transaction_chunks
from ..tables.sources import (
    CSV,
    PARQUET,
    ReadOptions,
    Source,
    detect_kind,
    open_source,
    table_format,
)
from ..tables.writing import check_rows_fit, write_table
from . import _holdout
from .common import check_outputs, option_date
from .errors import UsageError

#: The documented column names, which an option left alone keeps.
_DEFAULTS = {field: getattr(Columns(), field) for field in OPTIONS}


def _columns(args: argparse.Namespace) -> Columns:
    return Columns(**{field: getattr(args, f"column_{field}") for field in OPTIONS})


def _check_arguments(args: argparse.Namespace) -> None:
    if args.chunk_size < 1:
        raise UsageError(f"--chunk-size is {args.chunk_size}; give a number of rows >= 1")
    if args.dask_blocksize < 1024:
        raise UsageError(f"--dask-blocksize is {args.dask_blocksize}; give at least 1024 bytes")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers is {args.workers}; give a number >= 1")
    if args.clv_intervals is not None and args.clv_intervals < 2:
        raise UsageError(
            f"--clv-intervals is {args.clv_intervals}; give a number of draws >= 2 (e.g. 1000)"
        )
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if args.out is None and args.plot is None:
        print(
            "crmvalue score: no --out given; printing the summary only",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Score INPUT; write --out and --plot; print the summary. Returns 0."""
    _check_arguments(args)
    _holdout.check(args)
    outputs = [path for path in (args.out, args.plot) if path is not None]
    if args.out is not None:
        check_output(args.out, args.force, (args.input,))
    if args.plot is not None:
        check_output(args.plot, args.force, (args.input,), role="plot")
    if len(outputs) == 2 and args.out.resolve() == args.plot.resolve():
        raise UsageError("--out and --plot name the same file; give two files")

    options = ReadOptions(
        sep=args.sep,
        date_format=args.date_format,
        sheet=args.sheet,
        chunk_size=args.chunk_size,
        encoding=args.encoding,
        decimal=args.decimal,
        thousands=args.thousands,
    )
    source = open_source(args.input, options)
    given = {field for field in OPTIONS if getattr(args, f"column_{field}") != _DEFAULTS[field]}
    columns, taken = recognise_columns(source.header, _columns(args), given)
    kind = detect_kind(source, columns, args.input_kind)
    numeric = number_columns(source, columns, kind)
    source, note = settle_numbers(
        source, numeric, numeric if kind == "transactions" else numeric[3:]
    )
    for line in (*source.notes, taken, note):
        if line is not None:
            print(f"crmvalue score: {line}", file=sys.stderr)
    if kind == "transactions":
        summary, described = _summarise_log(source, columns, args)
    else:
        summary, described = _read_customer_table(source, columns, args)

    if args.out is not None:
        check_rows_fit(args.out, len(summary))  # said before the long part, not after it
    shown = not args.quiet
    with Phase(f"fitting BG/NBD and Gamma-Gamma to {len(summary):,} customers, predicting", shown):
        scored = score_customers(
            summary,
            months=args.months,
            discount_rate=args.discount_rate,
            margin=args.margin,
            time_unit=args.time_unit,
            top_share=args.top_share,
            growth_share=args.growth_share,
            confidence=None if args.clv_intervals is None else 0.95,
        )
    intervals = None
    if args.clv_intervals is not None:
        with Phase(f"drawing {args.clv_intervals:,} sets of parameters for the intervals", shown):
            intervals = scored_clv_intervals(scored, args.clv_intervals, args.seed)
    table = scored.customers.reset_index()
    if intervals is not None:
        table["clv_p10"], table["clv_p50"], table["clv_p90"] = (
            intervals.p10,
            intervals.p50,
            intervals.p90,
        )
    table["customer_id"] = table["customer_id"].astype("str")  # one text type, any engine
    if args.out is not None:
        with Phase(f"writing {len(table):,} customers to {args.out.name}", shown):
            write_table(table, args.out, args.force, neutralise=not args.raw_csv)
    if args.plot is not None:
        with Phase(f"drawing {args.plot.name}", shown):
            value_concentration_chart(scored, args.plot, force=args.force, title=source.name)
    holdout = "" if args.holdout_end is None else _holdout.run(source, columns, args, scored)
    print(report(scored, described, args) + _equity_line(intervals, args.seed) + holdout)
    return 0


def _summarise_log(
    source: Source, columns: Columns, args: argparse.Namespace
) -> tuple[pd.DataFrame, str]:
    """The per-customer summary of a transaction log, read in chunks or with Dask."""
    if args.time_unit == "M":
        raise UsageError(
            "--time-unit M is for customer tables; a transaction log is summarised in weeks "
            "(W) or days (D)"
        )
    for field in VALUE_FIELDS:
        if getattr(columns, field):
            option = OPTIONS[field][0]
            raise UsageError(
                f"{option} is for a customer table (one value per customer); a transaction "
                "log has one row per transaction. Score a customer table to use it"
            )
    until = option_date("--observation-end", args.observation_end, args.date_format)
    if args.engine == "duckdb" and source.format in (CSV, PARQUET):
        with Phase(f"{source.name}: reading and summarising with DuckDB", not args.quiet):
            found = engine_summary(source, columns, until, args.time_unit, args.workers)
        if found is not None:
            return found.summary.drop(columns=["first_purchase", "last_purchase"]), _described(
                found.n_customers, found.n_transactions, source, found.end, args
            )
        if not args.quiet:
            print(
                f"{source.name}: reading in chunks (DuckDB cannot read this file or these "
                "options exactly as the chunked reader does, or found a bad value)",
                file=sys.stderr,
            )
    if args.engine == "dask":
        from ..tables.dask_scoring import dask_totals

        totals = dask_totals(
            source,
            columns,
            until,
            scheduler=args.scheduler,
            workers=args.workers,
            blocksize=args.dask_blocksize,
            show_progress=not args.quiet,
        )
    else:
        totals = PurchaseTotals(until)
        progress = Progress(source.name, 1.0, enabled=not args.quiet)
        for chunk in transaction_chunks(source, columns, progress):
            totals.add(chunk.customer_ids, chunk.dates, chunk.amounts)
        progress.close()
    if totals.n_customers == 0:
        raise UsageError(
            f"{source.name}: no transaction falls on or before the observation end "
            f"{args.observation_end}; give a later --observation-end"
        )
    with Phase(f"summarising {totals.n_transactions:,} transactions", not args.quiet):
        summary = totals.summary(args.time_unit)
    end = summary["last_purchase"].max() if until is None else pd.Timestamp(until)
    described = _described(totals.n_customers, totals.n_transactions, source, end, args)
    return summary.drop(columns=["first_purchase", "last_purchase"]), described


def _described(
    customers: int, transactions: int, source: Source, end: Any, args: argparse.Namespace
) -> str:
    unit = "weeks" if args.time_unit == "W" else "days"
    return (
        f"{customers:,} customers from {transactions:,} transactions in "
        f"{source.name} (observation end {pd.Timestamp(end):%Y-%m-%d}; recency and age in {unit})"
    )


def _read_customer_table(
    source: Source, columns: Columns, args: argparse.Namespace
) -> tuple[pd.DataFrame, str]:
    if args.observation_end is not None:
        raise UsageError(
            "--observation-end is for a transaction log; a customer table already gives "
            "each customer's age"
        )
    if args.engine == "dask":
        print(
            "crmvalue score: a customer table is read in this process (--engine dask is for "
            "transaction logs)",
            file=sys.stderr,
        )
    if not columns.actual_value:
        columns = _default_value_columns(source, columns)
    table = read_customers(source, columns)
    unit = {"W": "weeks", "D": "days", "M": "months"}[args.time_unit]
    described = f"{len(table):,} customers in {source.name} (recency and age in {unit})"
    return table, described


def _default_value_columns(source: Source, columns: Columns) -> Columns:
    """Use columns called actual_value / strategic_value when present and not mapped."""
    found: dict[str, Any] = {}
    for field in VALUE_FIELDS:
        if getattr(columns, field) is None and field in source.header:
            found[field] = field
    return dataclasses.replace(columns, **found) if found else columns


def check_output(
    path: Path, force: bool, inputs: tuple[Path, ...] = (), role: str = "output"
) -> str:
    """Refuse, before any work starts, an output that cannot or must not be written; return
    its format (``"csv"``, ``"parquet"``, ``"xlsx"``, or ``"png"`` for ``role`` "plot").

    An existing file needs ``force``; an input file is never overwritten; the folder must
    exist (:func:`addin.cli.common.check_outputs`).
    """
    if role == "plot":
        if path.suffix.lower() != ".png":
            raise UsageError(f"{path.name}: the plot is written as PNG; give a file ending in .png")
        kind = "png"
    else:
        kind = table_format(path, "output")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a file name")
    check_outputs([path], force=force, inputs=[source for source in inputs if source.exists()])
    return kind


# ---------------------------------------------------------------------------------------
# The printed summary
# ---------------------------------------------------------------------------------------


def _equity_line(intervals: ClvIntervals | None, seed: int) -> str:
    """The customer equity with its percentiles, after the summary (empty without)."""
    if intervals is None:
        return ""
    return (
        f"\nCustomer equity (sum of the predicted CLV) {intervals.equity:,.2f}: P10 "
        f"{intervals.equity_p10:,.2f}, P50 {intervals.equity_p50:,.2f}, P90 "
        f"{intervals.equity_p90:,.2f} (the fits' estimation uncertainty, {intervals.draws:,} "
        f"draws, seed {seed})."
    )


def report(scored: ScoredBase, described: str, args: argparse.Namespace) -> str:
    """The summary printed after scoring."""
    settings = scored.settings
    bg = ", ".join(f"{name} {value:.4g}" for name, value in scored.bgnbd.params.items())
    gg = ", ".join(f"{name} {value:.4g}" for name, value in scored.gamma_gamma.params.items())
    measure = value_name(scored)
    lines = [
        f"Scored {described}.",
        f"BG/NBD: {bg}.  Gamma-Gamma: {gg}.",
        f"Predicted CLV over {settings['months']} months at {settings['discount_rate']:.2%} a "
        f"month, margin {settings['margin']:.0%}; segments and concentration by {measure}.",
        "",
        f"{'Segment':<15} {'Customers':>11} {'Share':>7} {'Value share':>12}  Strategy",
    ]
    for segment, row in scored.by_segment.iterrows():
        value_share = "" if np.isnan(row["value_share"]) else f"{row['value_share']:.1%}"
        lines.append(
            f"{segment:<15} {int(row['customers']):>11,} {row['customer_share']:>7.1%} "
            f"{value_share:>12}  {row['strategy']}"
        )
    lines.append("")
    for share, concentration in scored.concentration.items():
        if concentration is None:
            lines.append(f"Top {share:.0%} of customers: the total {measure} is not above 0.")
        else:
            lines.append(
                f"Top {share:.0%} of customers bring {concentration:.1%} of the {measure}."
            )
    if args.out is not None:
        lines.append(f"Wrote {len(scored.customers):,} customers to {args.out}.")
    if args.plot is not None:
        lines.append(f"Drew the value concentration in {args.plot}.")
    return "\n".join(lines)
