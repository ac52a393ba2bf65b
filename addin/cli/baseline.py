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

from ..tables.columns import OPTIONS, Columns
from .common import check_outputs, input_file
from .errors import UsageError

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


def _observation_end(text: str | None, date_format: str | None):
    """--observation-end as a day: ISO 8601 or in --date-format; a usage error if neither."""
    import numpy as np
    import pandas as pd

    if text is None:
        return None
    for fmt in (date_format, "ISO8601") if date_format else ("ISO8601",):
        stamp = pd.to_datetime(pd.Index([text.strip()]), format=fmt, errors="coerce")[0]
        if stamp is not pd.NaT:
            return np.datetime64(stamp.date(), "D")
    raise UsageError(f"--observation-end {text!r} is not a date; give one such as 1997-09-30")


def run(args: argparse.Namespace) -> int:
    """Measure the baseline of ``args.log`` and write it into ``args.out``."""
    import numpy as np
    import pandas as pd

    from crmvalue_core.baseline import measure_baseline
    from workbook_templates.baseline_filler import fill_measured

    from ..tables.header_names import recognise_columns
    from ..tables.reading import transaction_chunks
    from ..tables.sources import ReadOptions, open_source

    log = input_file(args.log)
    template = input_file(args.template)
    check_outputs([args.out], force=args.force, inputs=[log, template])
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
    if taken:
        print(f"crmvalue baseline: {taken}", file=sys.stderr)
    chunks = list(transaction_chunks(source, columns))
    ids = pd.concat([c.customer_ids for c in chunks], ignore_index=True)
    dates = np.concatenate([c.dates for c in chunks]).astype("datetime64[D]")
    amounts = np.concatenate([c.amounts for c in chunks])
    end = _observation_end(args.observation_end, args.date_format)
    measured = measure_baseline(
        ids.to_numpy(), dates, amounts, end, margin=args.margin, draws=args.draws, seed=args.seed
    )
    digest = _sha256(log)
    values, notes = {}, {}
    for driver in measured.drivers:
        triple = (driver.estimate, driver.p10, driver.p90)
        if driver.name in _WHOLE:
            triple = tuple(float(round(v)) for v in triple)
        values[driver.name] = triple
        notes[driver.name] = (
            f"Measured by crmvalue baseline from {log.name} (SHA-256 {digest}), observation "
            f"end {measured.observation_end}: {driver.method}. Source: "
            f"{driver.provenance.describe()}. Low and high are the P10 and P90 of "
            f"{measured.draws} parameter draws (seed {measured.seed})."
        )
    written = fill_measured(template, args.out, values, notes, force=args.force)
    lines = [f"Baseline measured from {log.name} (SHA-256 {digest}) at {measured.observation_end}:"]
    for driver in measured.drivers:
        base, low, high = values[driver.name]
        lines.append(
            f"  {driver.name:<20} {base:>14,.4f}  P10 {low:,.4f}  P90 {high:,.4f}"
            f"  ({driver.provenance.model})"
        )
    for warning in measured.warnings:
        lines.append(f"Warning: {warning}")
    lines.append(f"Not measured: {USERS_INPUTS}.")
    lines.append(f"Written: {written}")
    print("\n".join(lines))
    return 0
