"""Run every benchmark and print one table: our time, each peer's time, and the ratio.

Usage: ``make bench`` (or ``python benchmarks/run.py [CASE ...]`` for some modules only).

Each module in ``BENCHMARKS`` exposes ``run() -> list[dict]``; a row holds ``case``,
``ours`` (seconds), ``peer`` (what we compare with), ``peer_s`` (seconds), ``target``
(the promise, in words) and optionally ``note``. ``ratio`` is ours / peer: below 1
we are faster, above 1 slower. Peers are timed on the same input in the same run, so the
ratios hold on any machine; the absolute seconds are this machine's.
"""

from __future__ import annotations

import os

# One BLAS thread: scipy's optimisers stall when a multi-threaded BLAS competes with other
# processes for the cores, which would time the machine's load, not the code. Peers run
# under the same setting.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import importlib
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Benchmark modules, in the order they print.
BENCHMARKS = (
    "cashflows",
    "long_series",
    "customers",
    "udf_overhead",
    "fitters",
    "holdout",
    "scoring",
    "exports",
    "cli_appraise",
    "simulation",
    "fit_uncertainty",
    "xlsx_output",
    "baseline",
)


def machine() -> str:
    """One line naming the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def _seconds(value: float) -> str:
    """A time in a width of 10: milliseconds below a second, seconds above."""
    return f"{value * 1e3:7.2f} ms" if value < 1 else f"{value:8.2f} s"


def _ratio(value: float) -> str:
    """ours / peer in a width of 8; far below 1 as a fraction (``1/285``: 285x faster)."""
    return f"{value:8.2f}" if value >= 0.1 else f"{'1/' + format(1 / value, '.0f'):>8}"


def main(names: list[str]) -> int:
    print(f"machine: {machine()}")
    header = f"{'case':<52} {'ours':>10} {'peer':<28} {'peer time':>10} {'ratio':>8}  target"
    print(header)
    print("-" * len(header))
    for name in names or BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            print(f"{name}: skipped ({error})")
            continue
        for row in module.run():
            peer_s = row.get("peer_s")
            ratio = _ratio(row["ours"] / peer_s) if peer_s else f"{'':>8}"
            peer_time = _seconds(peer_s) if peer_s else f"{'':>10}"
            print(
                f"{row['case']:<52} {_seconds(row['ours'])} {row.get('peer', ''):<28} "
                f"{peer_time} {ratio}  {row.get('target', '')}"
            )
            if row.get("note"):
                print(f"{'':<4}{row['note']}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
