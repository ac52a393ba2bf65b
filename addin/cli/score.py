"""``crmvalue score``: score a whole customer base from a transaction log or a customer table.

INPUT is a transaction log (one row per transaction: customer, date, amount) or a customer
table (one row per customer: frequency, recency, age, monetary value), as CSV, Parquet or
XLSX. The command fits BG/NBD and Gamma-Gamma and writes one row per customer with the
expected purchases, the probability of being alive, the predicted CLV, the RFM code, the
value class and its strategy (:func:`crmvalue_core.scoring.score_customers`), then prints
the customers per class and the value concentration. A CSV or Parquet transaction log is
read and summarised by the embedded DuckDB engine (:mod:`addin.tables.engine_reading`),
which hands over to the chunked reader (memory grows with the customers, not the rows)
for other files and options and on any bad value; ``--engine pandas`` reads in chunks,
``--engine dask`` on a Dask cluster. Every figure comes from :mod:`crmvalue_core`; this
module reads, writes and prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..tables.columns import DECIMALS, OPTIONS, THOUSANDS, Columns

_KINDS = ("auto", "transactions", "customers")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``score`` command to the ``crmvalue`` parser."""
    parser = subparsers.add_parser(
        "score",
        help="score every customer of a transaction log or customer table",
        description="Fit BG/NBD and Gamma-Gamma to a customer base and write one row per "
        "customer: frequency, recency, age, monetary value, RFM code, expected purchases, "
        "P(alive), predicted CLV, actual/strategic value where given, segment and "
        "strategy. Prints the customers per segment and the value concentration.",
        epilog="Examples: crmvalue score sales.csv --out scores.xlsx;  crmvalue score "
        "CDNOW_master.txt --sep whitespace --date-format %Y%m%d --amount dollar_value "
        "--observation-end 1997-09-30 --out cdnow.csv --plot cdnow.png;  add --holdout-end "
        "1998-06-30 --holdout-out holdout.xlsx to test the model on the later purchases",
    )
    parser.add_argument(
        "input", type=Path, metavar="FILE", help="the transaction log or customer table"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write the scores here (.csv, .parquet, .xlsx)"
    )
    parser.add_argument(
        "--plot", type=Path, metavar="FILE.png", help="draw the value concentration here"
    )
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    parser.add_argument(
        "--raw-csv",
        action="store_true",
        help="write text to a .csv as it is; by default text that a spreadsheet would run as "
        "a formula (starting with = + - @) gets a leading apostrophe",
    )
    parser.add_argument(
        "--input-kind",
        choices=_KINDS,
        default="auto",
        help="what FILE holds (default: told by its columns)",
    )

    columns = parser.add_argument_group("columns (names in the header of FILE)")
    defaults = Columns()
    for field, (option, what) in OPTIONS.items():
        default = getattr(defaults, field)
        shown = f"default {default!r}" if default else "optional"
        columns.add_argument(
            option,
            dest=f"column_{field}",
            default=default,
            metavar="NAME",
            help=f"{what} ({shown})",
        )

    reading = parser.add_argument_group("reading")
    reading.add_argument(
        "--sep",
        default=",",
        metavar="CHAR",
        help="CSV separator: a character, or comma, semicolon, tab, whitespace (default ',')",
    )
    reading.add_argument(
        "--decimal",
        choices=("auto", *DECIMALS),
        default="auto",
        help="decimal mark of the numbers in a CSV file (default auto: a point, or a comma "
        "in a semicolon-separated file whose numbers show one; ambiguous files are refused)",
    )
    reading.add_argument(
        "--thousands",
        choices=("auto", *THOUSANDS),
        default="auto",
        help="thousands separator of the numbers in a CSV file, between groups of 3 digits "
        "(default auto: none, or the one the numbers show unambiguously, as in 1,177.00)",
    )
    reading.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="strftime format of the dates, e.g. %%Y%%m%%d (default ISO 8601)",
    )
    reading.add_argument(
        "--encoding",
        default="auto",
        metavar="NAME",
        help="text encoding of a CSV file (default: auto: UTF-8 with or without BOM, UTF-16 "
        "and GB18030 are recognised; otherwise name one, e.g. cp1252)",
    )
    reading.add_argument("--sheet", metavar="NAME", help="XLSX sheet to read (default the first)")
    reading.add_argument(
        "--chunk-size",
        type=int,
        default=1_000_000,
        metavar="ROWS",
        help="rows read at a time (default 1,000,000)",
    )
    reading.add_argument(
        "--engine",
        choices=("duckdb", "pandas", "dask"),
        default="duckdb",
        help="duckdb: a CSV or Parquet log read and summarised by the embedded DuckDB "
        "engine on all cores, else (bad values, other files or options) as pandas "
        "(default); pandas: read in chunks in this process; dask: on a Dask cluster",
    )
    reading.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (default: a local cluster in this process)",
    )
    reading.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="threads of DuckDB or of the local Dask cluster (default: the cores)",
    )
    reading.add_argument(
        "--dask-blocksize",
        type=int,
        default=64 * 2**20,
        metavar="BYTES",
        help="bytes of CSV each Dask task reads (default 64 MiB)",
    )
    reading.add_argument("--quiet", action="store_true", help="no progress bar")

    model = parser.add_argument_group("model")
    model.add_argument(
        "--observation-end",
        metavar="DATE",
        help="end of the observation period; later transactions are left out "
        "(default: the last date of the log)",
    )
    model.add_argument(
        "--time-unit",
        choices=("W", "D", "M"),
        default="W",
        help="unit of recency and age: W weeks (default), D days, M months (customer tables)",
    )
    model.add_argument(
        "--months",
        type=int,
        default=12,
        metavar="N",
        help="horizon of the predictions in months (12)",
    )
    model.add_argument(
        "--discount-rate",
        type=float,
        default=0.01,
        metavar="RATE",
        help="monthly discount rate (0.01)",
    )
    model.add_argument(
        "--margin", type=float, default=1.0, metavar="SHARE", help="profit margin of spend (1.0)"
    )
    model.add_argument(
        "--clv-intervals",
        type=int,
        metavar="DRAWS",
        help="add clv_p10, clv_p50 and clv_p90 (each customer's predicted CLV under the fits' "
        "estimation uncertainty, from DRAWS seeded parameter draws, e.g. 1000) and print the "
        "customer equity with its P10, P50 and P90",
    )
    model.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the --clv-intervals draws (0): the same seed gives the same intervals",
    )
    model.add_argument(
        "--top-share",
        type=float,
        default=0.05,
        metavar="SHARE",
        help="share of Most valuable customers (0.05)",
    )
    model.add_argument(
        "--growth-share",
        type=float,
        default=0.20,
        metavar="SHARE",
        help="share of Growth customers (0.20)",
    )

    holdout = parser.add_argument_group(
        "holdout validation (test the model on later purchases; see docs/purchase_history.md)"
    )
    holdout.add_argument(
        "--holdout-end",
        metavar="DATE",
        help="fit on the transactions up to --observation-end (the calibration end, required) "
        "and compare the model's predictions with the purchases from then to DATE; with "
        "--plot NAME.png, three charts are drawn beside it (NAME-tracking.png, "
        "NAME-conditional.png, NAME-histogram.png)",
    )
    holdout.add_argument(
        "--holdout-out",
        type=Path,
        metavar="FILE.xlsx",
        help="write the holdout tables here, one sheet each (errors, conditional, tracking, "
        "histogram, customers, model)",
    )
    holdout.add_argument(
        "--tracking-days",
        type=int,
        default=7,
        metavar="DAYS",
        help="length of a period of the tracking table in days (default 7: weeks)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Score the customer base (the work lives in :mod:`addin.cli._score_run`)."""
    from ._score_run import run as score

    return score(args)
