"""``crmvalue score --out SCORES.xlsx``: writing 495,000 scored customers to a workbook.

The frame is what ``crmvalue score`` writes: a transaction log simulated as in
``benchmarks/scoring.py``, summarised and scored by the calculator (customer id, frequency,
recency, age, monetary value, RFM code, expected purchases, P(alive), predicted CLV,
segment, strategy), cut at ``ROWS`` customers. Made once, outside the timings.

Ours: :func:`addin.tables.writing.write_table` to a new ``.xlsx`` (the atomic write, the
checks, the text-stays-text conversion included). Its peers, on the same frame in the same
run, are the two streaming writers at their plainest, each handed the rows as Python lists
with nothing checked or converted: openpyxl in write-only mode (``sheet.append(row)``) and
XlsxWriter in ``constant_memory`` mode (``write_row``). The target: ours within 1.2x of the
faster of them. Each time is the best CPU time of ``REPEAT`` runs, the three writers taking
turns (all write in this process; the wall times are in the note: on a busy machine they
swing by 2x from one minute to the next, the CPU times far less).

``run()`` returns the rows; ``python benchmarks/xlsx_output.py [ROWS]`` prints them.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ROWS = 495_000
REPEAT = 2
#: Transactions per customer of the simulated log (about 5.4; a margin on top).
ROWS_PER_CUSTOMER = 5.8


def scored_frame(rows: int = ROWS) -> pd.DataFrame:
    """The table ``crmvalue score`` writes, for ``rows`` customers of a simulated log."""
    sys.path.insert(0, str(ROOT))
    from scoring import simulate_log

    from crmvalue_core.scoring import PurchaseTotals, score_customers

    log = simulate_log(int(rows * ROWS_PER_CUSTOMER) + 1_000)
    totals = PurchaseTotals(None)
    totals.add(
        log["customer_id"].astype(str).to_numpy(), log["date"].to_numpy(), log["amount"].to_numpy()
    )
    del log
    table = score_customers(totals.summary("W")).customers.reset_index()
    if len(table) < rows:
        raise RuntimeError(f"simulated {len(table):,} customers, fewer than {rows:,}")
    table = table.iloc[:rows].reset_index(drop=True)
    table["customer_id"] = table["customer_id"].astype("str")
    return table


def _plain_rows(frame: pd.DataFrame) -> list[list[object]]:
    """The frame as lists of Python values (None for a blank): what the peers are handed."""
    columns = []
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object)
        missing = pd.isna(frame[name]).to_numpy()
        if missing.any():
            values[missing] = None
        columns.append(values.tolist())
    return [list(row) for row in zip(*columns, strict=True)]


def openpyxl_write_only(header: list[str], rows: list[list[object]], path: Path) -> None:
    """The rows through openpyxl's write-only workbook, as they are."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("customers")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def xlsxwriter_constant_memory(header: list[str], rows: list[list[object]], path: Path) -> None:
    """The rows through XlsxWriter in constant_memory mode, ``write_row`` by row."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("customers")
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()


def run(rows: int = ROWS) -> list[dict]:
    """Rows: ``case``, ``ours``, ``peer``, ``peer_s``, ``target``, ``note``."""
    sys.path.insert(0, str(ROOT))
    from addin.tables.writing import write_table

    frame = scored_frame(rows)
    header = [str(name) for name in frame.columns]
    plain = _plain_rows(frame)
    with tempfile.TemporaryDirectory(prefix="crmvalue-bench-") as folder:
        scratch = Path(folder)

        writers = {
            "ours": lambda: write_table(frame, scratch / "ours.xlsx", force=True),
            "openpyxl": lambda: openpyxl_write_only(header, plain, scratch / "openpyxl.xlsx"),
            "xlsxwriter": lambda: xlsxwriter_constant_memory(
                header, plain, scratch / "xlsxwriter.xlsx"
            ),
        }
        # Taken in turns, so that a change of the machine's load falls on all three; timed
        # by the CPU time of this process (all three write in it), which other processes
        # on a busy machine disturb far less than the wall time (shown in the note).
        cpu: dict[str, float] = {}
        wall: dict[str, float] = {}
        for _ in range(REPEAT):
            for name, write in writers.items():
                start_cpu, start_wall = time.process_time(), time.perf_counter()
                write()
                cpu[name] = min(cpu.get(name, math.inf), time.process_time() - start_cpu)
                wall[name] = min(wall.get(name, math.inf), time.perf_counter() - start_wall)
        ours_s, openpyxl_s, xlsxwriter_s = (cpu[name] for name in writers)
        size = (scratch / "ours.xlsx").stat().st_size
    cells = frame.size
    shared = f"{rows:,} rows x {frame.shape[1]} columns; ours {cells / ours_s:,.0f} cells/s"
    return [
        {
            "case": f"write_table, {rows:,} scored customers, .xlsx",
            "ours": ours_s,
            "peer": "XlsxWriter constant_memory",
            "peer_s": xlsxwriter_s,
            "target": "<= 1.2x the faster streaming writer",
            "note": f"{shared}; file {size / 1e6:.0f} MB; CPU time, best of {REPEAT}; wall "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in wall.items()),
        },
        {
            "case": f"write_table, {rows:,} scored customers, .xlsx",
            "ours": ours_s,
            "peer": "openpyxl write-only",
            "peer_s": openpyxl_s,
            "target": "<= 1.2x the faster streaming writer",
            "note": f"faster streaming writer: "
            f"{'XlsxWriter' if xlsxwriter_s <= openpyxl_s else 'openpyxl'}",
        },
    ]


if __name__ == "__main__":
    for found in run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
        print(found)
