"""What the Excel layer costs: one UDF call through xlwings' conversion path.

Each case calls one Excel function on a 10,000-cell column the way classic Excel does it
(``xlwings.udfs.call_udf``: ``conversion.read`` of the range with the value cleaning of
``xlwings._xlwindows``, the ``addin.udfs`` wrapper, the core, ``conversion.write`` of the
result; see ``tests/xlwings_harness.py``) and compares it with the bare core call on the
same numbers. The COM transfer itself is not timed (the harness hands over values that
are already Python objects). Two peers per case: the core on the numbers as a Python list
of floats (what xlwings hands a UDF) and the core on a float numpy array (the fastest a
Python user gets). The target: at most 3x the bare call on the list.

``run()`` returns the rows; ``python benchmarks/udf_overhead.py`` prints them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from timing import best_of

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the harness lives in the tests package
    sys.path.insert(0, str(ROOT))

from crmvalue_core import discounting, survey_metrics  # noqa: E402
from tests.xlwings_harness import ComRange, classic_xlwings  # noqa: E402

N_CELLS = 10_000
TARGET = 3.0
#: Timed calls per case, after one untimed warm-up (the best counts).
REPEAT = 7


def run() -> list[dict]:
    """One row per case and peer: ``case``, ``ours``, ``peer``, ``peer_s``, ``ratio``."""
    rng = np.random.default_rng(11)
    flows = rng.uniform(-1_000.0, 1_000.0, N_CELLS)
    flows[0] = -1e6
    scores = rng.integers(0, 11, N_CELLS).astype(float)
    cases = [
        (
            f"NPV_CRM, {N_CELLS:,}-cell column",
            "NPV_CRM",
            (0.1, ComRange.column(flows.tolist())),
            lambda values: discounting.npv_crm(0.1, values),
            flows,
        ),
        (
            f"NPS, {N_CELLS:,}-cell column",
            "NPS",
            (ComRange.column(scores.tolist()),),
            survey_metrics.nps,
            scores,
        ),
    ]
    rows: list[dict] = []
    with classic_xlwings() as xl:
        for case, name, args, core, numbers in cases:
            as_list = numbers.tolist()
            got = xl.value(name, *args)
            want = core(as_list)
            if not np.isclose(got, want, rtol=1e-12, atol=0.0):
                raise AssertionError(f"{name}: the UDF gave {got}, the core {want}")
            ours = best_of(lambda name=name, args=args: xl.call(name, *args), REPEAT, warm_up=True)
            for peer, values in (("core on a list", as_list), ("core on an ndarray", numbers)):
                peer_s = best_of(
                    lambda core=core, values=values: core(values), REPEAT, warm_up=True
                )
                rows.append(
                    {
                        "case": case,
                        "ours": ours,
                        "peer": peer,
                        "peer_s": peer_s,
                        "ratio": ours / peer_s,
                        "target": f"<= {TARGET:g}x" if peer == "core on a list" else "",
                    }
                )
    return rows


def main() -> int:
    """Print the rows; exit 1 if a case misses the target."""
    rows = run()
    print(f"{'case':<28} {'ours (ms)':>10} {'peer':<20} {'peer (ms)':>10} {'ratio':>7}")
    for row in rows:
        print(
            f"{row['case']:<28} {row['ours'] * 1e3:>10.3f} {row['peer']:<20} "
            f"{row['peer_s'] * 1e3:>10.3f} {row['ratio']:>6.2f}x {row['target']}"
        )
    missed = [row for row in rows if row["target"] and row["ratio"] > TARGET]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
