"""``crmvalue score`` on a synthetic 10-million-row transaction log, as a whole process.

The log is simulated from the models themselves (each customer buys at a Poisson rate
lambda ~ Gamma(r, alpha) per week from a first purchase in the first year of a two-year
window and drops out after each purchase with probability p ~ Beta(a, b); spends are
Gamma(p, nu) with nu ~ Gamma(q, gamma)), sorted by date, cut at exactly ``ROWS`` rows and
written to a temporary CSV file (``customer_id,date,amount``; ids such as ``C0001234``).

Each case runs ``crmvalue score LOG --out SCORES.parquet --quiet`` in a child process
(through ``python -m addin.cli score``, which is ``crmvalue score``) and reports the
wall time, the rows per second and the peak resident memory of that process, read with
``resource.getrusage(RUSAGE_CHILDREN)`` in a small wrapper process whose only child it is.
The promise: peak memory under 4 GB. There is no peer (``lifetimes`` summarises a log in
memory with pandas and does not score a base); the default engine (pandas, in chunks) and
``--engine dask`` (a local in-process cluster) are both timed.

``run()`` returns the rows; ``python benchmarks/scoring.py [ROWS]`` prints them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
ROWS = 10_000_000
MEMORY_LIMIT = 4 * 10**9
#: BG/NBD and Gamma-Gamma parameters of the simulated customers (weeks).
SIMULATION = {"r": 0.6, "alpha": 4.0, "a": 0.8, "b": 4.0, "p": 6.0, "q": 3.8, "gamma": 15.0}
START = np.datetime64("2023-01-01")
WEEKS = 104

_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"rc": done.returncode, "wall": wall, "peak": peak,
                  "stdout": done.stdout, "stderr": done.stderr[-2000:]}))
"""


def simulate_log(rows: int, seed: int = 5) -> pd.DataFrame:
    """A transaction log of exactly ``rows`` rows (customer_id, date, amount), by date."""
    rng = np.random.default_rng(seed)
    s = SIMULATION
    mean_rows = 6.0  # about this many transactions per customer with these parameters
    n_customers = int(rows / mean_rows * 1.1) + 100
    lam = rng.gamma(s["r"], 1 / s["alpha"], n_customers)
    drop = rng.beta(s["a"], s["b"], n_customers)
    nu = rng.gamma(s["q"], 1 / s["gamma"], n_customers)
    birth = rng.uniform(0, WEEKS / 2, n_customers)
    customers, times = [np.arange(n_customers)], [birth]
    active, now = np.arange(n_customers), birth.copy()
    while active.size:
        later = now[active] + rng.exponential(1.0, active.size) / lam[active]
        inside = later < WEEKS
        customers.append(active[inside])
        times.append(later[inside])
        now[active] = later
        active = active[inside & (rng.random(active.size) >= drop[active])]
    who = np.concatenate(customers)
    when = np.concatenate(times)
    order = np.argsort(when, kind="stable")[:rows]
    if order.size < rows:
        raise RuntimeError(f"simulated {order.size:,} rows, fewer than {rows:,}")
    who, when = who[order], when[order]
    labels = np.char.add("C", np.char.zfill(np.arange(n_customers).astype("U8"), 8))
    return pd.DataFrame(
        {
            "customer_id": pd.Categorical.from_codes(who, labels),
            "date": START + np.floor(when * 7).astype("timedelta64[D]"),
            "amount": np.round(rng.gamma(s["p"], 1 / nu[who]), 2),
        }
    )


def write_log(log: pd.DataFrame, path: Path) -> None:
    """Write the log as CSV (pyarrow's writer when available: much faster)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        log.to_csv(path, index=False, date_format="%Y-%m-%d")
        return
    table = pa.table(
        {
            "customer_id": pa.array(log["customer_id"].astype(str).to_numpy()),
            "date": pa.array(log["date"].to_numpy().astype("datetime64[D]")),
            "amount": pa.array(log["amount"].to_numpy()),
        }
    )
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def _score(log: Path, out: Path, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "addin.cli", "score", str(log), "--out", str(out)]
    command += ["--quiet", "--force", *extra]
    wrapper = [sys.executable, "-c", _WRAPPER, *command]
    done = subprocess.run(wrapper, capture_output=True, text=True, cwd=ROOT, check=True)
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise RuntimeError(f"crmvalue score failed: {result['stderr']}")
    return result


def run(rows: int = ROWS) -> list[dict]:
    """The benchmark rows (see benchmarks/run.py for the keys)."""
    out_rows = []
    with tempfile.TemporaryDirectory(prefix="crmvalue-bench-") as folder:
        path = Path(folder) / "transactions.csv"
        start = time.perf_counter()
        log = simulate_log(rows)
        customers = log["customer_id"].nunique()
        write_log(log, path)
        del log
        made = time.perf_counter() - start
        size = path.stat().st_size
        cases = (("chunks of 1,000,000 rows", []), ("--engine dask", ["--engine", "dask"]))
        outputs = []
        for label, extra in cases:
            outputs.append(Path(folder) / f"scores_{len(outputs)}.parquet")
            result = _score(path, outputs[-1], extra)
            peak = result["peak"]
            out_rows.append(
                dict(
                    case=f"crmvalue score, {rows:,} rows, {label}",
                    ours=result["wall"],
                    peer="",
                    peer_s=None,
                    target="peak memory < 4 GB",
                    note=f"{rows / result['wall']:,.0f} rows/s; peak RSS {peak / 1e9:.2f} GB "
                    f"({'under' if peak < MEMORY_LIMIT else 'OVER'} 4 GB); {customers:,} "
                    f"customers; CSV {size / 1e6:,.0f} MB made in {made:.0f} s; output Parquet",
                )
            )
        out_rows[-1]["note"] += "; " + _compare(outputs[0], outputs[1])
    return out_rows


def _compare(first: Path, second: Path) -> str:
    """How far the two engines' scores are apart (ids, classes, largest relative gap)."""
    a, b = pd.read_parquet(first), pd.read_parquet(second)
    same_ids = bool(np.array_equal(a["customer_id"].to_numpy(str), b["customer_id"].to_numpy(str)))
    same_classes = a["segment"].astype(str).equals(b["segment"].astype(str))
    gap = max(
        float(np.max(np.abs(a[c] - b[c]) / np.maximum(np.abs(a[c]), 1e-300)))
        for c in ("monetary_value", "expected_purchases", "p_alive", "predicted_clv")
    )
    return (
        f"same customers as the chunked run: {same_ids}, same segments: {same_classes}, "
        f"largest relative gap {gap:.1e}"
    )


if __name__ == "__main__":
    for found in run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
        print(found)
