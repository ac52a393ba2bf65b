"""Reading a German shop export (``1.177,00``, semicolons, ``dd.mm.yyyy``) against the
same log written plainly, through the reader of ``crmvalue score``.

Both files hold the same 1,000,000 transactions (200,000 customers, amounts from 0.50 to
tens of thousands). Each is read and checked row by row with
:func:`addin.tables.reading.transaction_chunks` (the number style settled first, as the
command does), in the same run: the German file against the plain one through the same
reader (whose numbers pandas' C parser reads). The ratio is the price of strict
decimal-comma and thousands parsing and of the date format. Target: at most 2x. The note
gives ``pandas.read_csv(sep=";", decimal=",", thousands=".")`` of the German file for
scale: it parses the numbers in C without checking the groups of three (``1.17,5`` reads
as 117.5), and checks no id or date.

``run()`` returns the rows; ``python benchmarks/exports.py [ROWS]`` prints them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import best_of

from addin.tables.columns import Columns
from addin.tables.reading import settle_numbers, transaction_chunks
from addin.tables.sources import ReadOptions, open_source

ROWS = 1_000_000


def _log(rows: int, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = np.datetime64("2024-01-01") + rng.integers(0, 365, rows).astype("m8[D]")
    return pd.DataFrame(
        {
            "customer_id": np.char.add("C", rng.integers(0, 200_000, rows).astype(str)),
            "date": days,
            "amount": np.round(rng.gamma(1.2, 900.0, rows) + 0.5, 2),
        }
    )


def _german(amount: pd.Series) -> pd.Series:
    text = amount.map("{:,.2f}".format)
    return text.str.replace(",", "_").str.replace(".", ",").str.replace("_", ".")


def _read(path: Path, options: ReadOptions) -> int:
    source = open_source(path, options)
    source, _ = settle_numbers(source, ["amount"])
    return sum(chunk.rows for chunk in transaction_chunks(source, Columns()))


def run(rows: int = ROWS) -> list[dict]:
    """The benchmark rows (see benchmarks/run.py for the keys)."""
    log = _log(rows)
    with tempfile.TemporaryDirectory(prefix="crmvalue-bench-") as folder:
        plain, german = Path(folder) / "plain.csv", Path(folder) / "german.csv"
        log.to_csv(plain, index=False, date_format="%Y-%m-%d")
        log.assign(date=log["date"].dt.strftime("%d.%m.%Y"), amount=_german(log["amount"])).to_csv(
            german, index=False, sep=";"
        )
        german_options = ReadOptions(sep="semicolon", date_format="%d.%m.%Y")
        assert _read(german, german_options) == _read(plain, ReadOptions()) == rows
        ours = best_of(lambda: _read(german, german_options), repeat=2)
        plain_s = best_of(lambda: _read(plain, ReadOptions()), repeat=2)
        lenient_s = best_of(
            lambda: pd.read_csv(
                german, sep=";", decimal=",", thousands=".", dtype={"amount": float}
            ),
            repeat=2,
        )
    return [
        dict(
            case=f"read {rows:,} rows of a German export (1.177,00)",
            ours=ours,
            peer="the plain CSV, same reader",
            peer_s=plain_s,
            target="<= 2x (strict parsing)",
            note=f"pandas read_csv(decimal=',', thousands='.') alone: {lenient_s:.2f} s, "
            "checking nothing",
        )
    ]


if __name__ == "__main__":
    for row in run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
        ratio = row["ours"] / row["peer_s"]
        print(
            f"{row['case']}: {row['ours']:.2f} s; {row['peer']}: {row['peer_s']:.2f} s; "
            f"ratio {ratio:.2f} (target {row['target']}); {row['note']}"
        )
