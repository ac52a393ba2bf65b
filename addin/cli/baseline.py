"""``crmvalue baseline LOG --template IN.xlsx --out OUT.xlsx``: the business case's baseline
measured from the company's own transaction log.

The command reads the log (as ``crmvalue score`` does: CSV, Parquet or XLSX, columns
recognised by their header names), measures the active customers, the annual churn without
the CRM, the annual gross margin per customer and the new customers per year
(:func:`crmvalue_core.baseline.measure_baseline`) and writes them into a copy of the
template: base values on the Inputs sheet, P10 and P90 as low and high on the Scenarios
sheet, and a note on each cell naming the log (file name and SHA-256), the model, its
parameters and the holdout error. The input files are never modified.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..tables.columns import OPTIONS, Columns
from .common import check_outputs, input_file, option_date
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from ..tables.sources import ReadOptions

#: What the data cannot measure: the CRM's effects and its costs stay the user's.
USERS_INPUTS = (
    "the churn reduction, the cross-sell uplift, the acquisition cost and its reduction, the "
    "cost lines and the adoption ramp are the CRM's effects and costs: the data cannot "
    "measure them, so they stay as the template holds them; enter your own estimates"
)
_WHOLE = ("CustomersActive", "NewCustomersPerYear")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``baseline`` command."""
    parser = subparsers.add_parser(
        "baseline",
        help="measure the baseline drivers from a transaction log into a template",
        description="Measure the active customers, the annual churn, the annual gross margin "
        "per customer and the new customers per year from a transaction log (BG/NBD, "
        "Gamma-Gamma, first purchases) and write them, with P10/P90 as low and high, into "
        "a copy of the template. See docs/baseline.md.",
        epilog="Example: crmvalue baseline CDNOW_master.txt --sep whitespace --date-format "
        "%Y%m%d --amount dollar_value --observation-end 1997-09-30 --margin 0.3 "
        "--template crm_appraisal.xlsx --out measured.xlsx",
    )
    parser.add_argument("log", type=Path, metavar="FILE", help="the transaction log")
    parser.add_argument(
        "--template",
        type=Path,
        required=True,
        metavar="FILE.xlsx",
        help="the crmvalue template to copy",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE.xlsx", help="the filled copy"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out")
    parser.add_argument(
        "--observation-end", metavar="DATE", help="the day measured at (default: the log's last)"
    )
    parser.add_argument(
        "--margin",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="gross margin as a share of the purchase values, 0..1 (default 1)",
    )
    parser.add_argument(
        "--holdout-end",
        metavar="DATE",
        help="test the BG/NBD on the purchases after --observation-end up to this date: "
        "its error over the holdout weeks goes into the notes (a warning above 15%%)",
    )
    parser.add_argument(
        "--customers",
        type=Path,
        metavar="FILE",
        help="a customers table (a CSV separated by --customers-sep, Parquet, XLSX) with each "
        "customer's start and end date (ISO dates or date cells; end blank while active): "
        "the churn is then measured from it by the sBG model",
    )
    parser.add_argument(
        "--customers-sep",
        default=",",
        metavar="CHAR",
        help="CSV separator of the customers table (','; the names of --sep work too)",
    )
    parser.add_argument(
        "--start-column", default="start", metavar="NAME", help="start date column ('start')"
    )
    parser.add_argument(
        "--end-column", default="end", metavar="NAME", help="end date column ('end')"
    )
    parser.add_argument("--draws", type=int, default=500, metavar="N", help="parameter draws (500)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the draws (0)")
    parser.add_argument("--sep", default=",", metavar="CHAR", help="CSV separator (',')")
    parser.add_argument("--date-format", metavar="FORMAT", help="strftime format of the dates")
    parser.add_argument("--encoding", default="auto", metavar="NAME", help="text encoding")
    parser.add_argument("--sheet", metavar="NAME", help="XLSX sheet of the log")
    defaults = Columns()
    for field in ("customer_id", "date", "amount"):
        option, what = OPTIONS[field]
        parser.add_argument(
            option,
            dest=f"column_{field}",
            default=getattr(defaults, field),
            metavar="NAME",
            help=what,
        )
    parser.set_defaults(func=run)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _customer_dates(
    path: Path, options: ReadOptions, start: str, end: str
) -> tuple[list[Any], list[Any]]:
    """The start and end dates of a customers table, as its cells hold them."""
    import pandas as pd

    from ..tables.sources import (
        CSV,
        PARQUET,
        csv_error,
        csv_reader,
        open_source,
        parquet_chunks,
        xlsx_chunks,
    )

    source = open_source(path, options)
    wanted = []
    for name, option in ((start, "--start-column"), (end, "--end-column")):
        found = [c for c in source.header if c.strip().lower() == name.strip().lower()]
        if not found:
            raise UsageError(
                f"{source.name} has no column {name!r}; its columns are "
                f"{', '.join(repr(c) for c in source.header)}. Name it with {option} NAME"
            )
        wanted.append(found[0])
    if source.format == CSV:
        with source.path.open("rb") as stream:
            try:
                frames = list(csv_reader(source, wanted, {}, stream))
            except (pd.errors.ParserError, UnicodeDecodeError) as error:
                raise csv_error(source.path, error, source.options) from None
    elif source.format == PARQUET:
        frames = [frame for frame, _ in parquet_chunks(source, wanted)]
    else:
        frames = [frame for frame, _ in xlsx_chunks(source, wanted)]
    table = pd.concat(frames, ignore_index=True)
    if table.empty:
        raise UsageError(f"{source.name}: has a header but no customers; give a file with data")
    return table[wanted[0]].tolist(), table[wanted[1]].tolist()


def _holdout_error(
    ids: pd.Series, dates: np.ndarray, holdout: tuple[np.datetime64, np.datetime64]
) -> float | None:
    """The BG/NBD's percentage error over the holdout weeks (the holdout test's tracking)
    from the calibration end to the holdout end ``holdout``."""
    import numpy as np

    from crmvalue_core.purchase_history import validate_holdout

    calibration, end = holdout
    check = validate_holdout(ids.to_numpy(), dates, str(calibration), str(end))
    error = float(check.errors.loc["tracking, holdout periods", "percentage_error"])
    return error if np.isfinite(error) else None  # no purchase in the holdout: no error


def run(args: argparse.Namespace) -> int:
    """Measure the baseline of ``args.log`` and write it into ``args.out``."""
    import numpy as np
    import pandas as pd

    from crmvalue_core.baseline import measure_baseline
    from workbook_templates.baseline_filler import fill_measured

    from ..tables.header_names import recognise_columns
    from ..tables.reading import number_columns, settle_numbers, transaction_chunks
    from ..tables.sources import ReadOptions, open_source
    from . import _holdout

    log = input_file(args.log)
    template = input_file(args.template)
    customers = None if args.customers is None else input_file(args.customers)
    inputs = [log, template] + ([customers] if customers is not None else [])
    check_outputs([args.out], force=args.force, inputs=inputs)
    holdout_dates = _holdout.holdout_dates(args)  # refused before the log is read
    options = ReadOptions(
        sep=args.sep, date_format=args.date_format, sheet=args.sheet, encoding=args.encoding
    )
    source = open_source(log, options)
    wanted = Columns(
        customer_id=args.column_customer_id, date=args.column_date, amount=args.column_amount
    )
    given = {
        f
        for f in ("customer_id", "date", "amount")
        if getattr(args, f"column_{f}") != getattr(Columns(), f)
    }
    columns, taken = recognise_columns(source.header, wanted, given)
    # numbers as the export writes them (decimal commas, thousands separators, a currency
    # sign), settled from the first rows as crmvalue score does
    amount = number_columns(source, columns, "transactions")
    source, style = settle_numbers(source, amount, amount)
    for line in (*source.notes, taken, style):
        if line is not None:
            print(f"crmvalue baseline: {line}", file=sys.stderr)
    chunks = list(transaction_chunks(source, columns))
    ids = pd.concat([c.customer_ids for c in chunks], ignore_index=True)
    dates = np.concatenate([c.dates for c in chunks]).astype("datetime64[D]")
    amounts = np.concatenate([c.amounts for c in chunks])
    end = option_date("--observation-end", args.observation_end, args.date_format)
    holdout = None if holdout_dates is None else _holdout_error(ids, dates, holdout_dates)
    starts = ends = None
    if customers is not None:
        # a CSV (or Parquet, XLSX) table, its dates in ISO or as date cells
        table_options = ReadOptions(sep=args.customers_sep, encoding=args.encoding)
        starts, ends = _customer_dates(customers, table_options, args.start_column, args.end_column)
    measured = measure_baseline(
        ids.to_numpy(),
        dates,
        amounts,
        end,
        margin=args.margin,
        customer_starts=starts,
        customer_ends=ends,
        holdout_error=holdout,
        draws=args.draws,
        seed=args.seed,
    )
    digest = _sha256(log)
    values, notes = {}, {}
    for driver in measured.drivers:
        triple = (driver.estimate, driver.p10, driver.p90)
        if driver.name in _WHOLE:
            triple = tuple(float(round(v)) for v in triple)
        values[driver.name] = triple
        data, data_digest = log, digest
        if customers is not None and driver.provenance.model == "sBG cohorts":
            data, data_digest = customers, _sha256(customers)
        notes[driver.name] = (
            f"Measured by crmvalue baseline from {data.name} (SHA-256 {data_digest}), observation "
            f"end {measured.observation_end}: {driver.method}. Source: "
            f"{driver.provenance.describe()}. Low and high are the P10 and P90 of "
            f"{measured.draws} parameter draws (seed {measured.seed})."
        )
    samples = {d.name: d.samples for d in measured.drivers}  # for appraise --simulate
    written = fill_measured(template, args.out, values, notes, force=args.force, samples=samples)
    lines = [f"Baseline measured from {log.name} (SHA-256 {digest}) at {measured.observation_end}:"]
    for driver in measured.drivers:
        base, low, high = values[driver.name]
        lines.append(
            f"  {driver.name:<20} {base:>14,.4f}  P10 {low:,.4f}  P90 {high:,.4f}"
            f"  ({driver.provenance.model})"
        )
    if holdout is not None:
        lines.append(
            f"Holdout test to {args.holdout_end}: the BG/NBD misses the weekly repeat "
            f"purchases by {holdout:.1%} on average"
        )
    for warning in measured.warnings:
        lines.append(f"Warning: {warning}")
    lines.append(f"Not measured: {USERS_INPUTS}.")
    lines.append(f"Written: {written}")
    print("\n".join(lines))
    return 0
