"""CLV and CUSTOMER_SEGMENT over 10 million customers.

Peers: the bare numpy expression (the floor for CLV), one numpy.argsort of the values
(a ranking is the floor for a segmentation) and a row-by-row pandas ``apply`` (what users
would write). Peak memory of the segmentation is measured with tracemalloc.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
from timing import best_of

from crmvalue_core import clv, customer_segment

N_CUSTOMERS = 10_000_000
N_APPLY = 200_000  # the pandas apply is timed on a slice and scaled: it is that slow


def run() -> list[dict]:
    rng = np.random.default_rng(11)
    margin = rng.uniform(10, 500, N_CUSTOMERS)
    retention = rng.uniform(0.3, 0.95, N_CUSTOMERS)
    rate = 0.1
    rows = []

    ours = best_of(lambda: clv(margin, retention, rate))
    floor = best_of(lambda: margin * retention / (1 + rate - retention))
    rows.append(
        dict(
            case=f"CLV, {N_CUSTOMERS:,} customers",
            ours=ours,
            peer="numpy expression (floor)",
            peer_s=floor,
            target="within 2x",
        )
    )

    actual = rng.normal(300, 400, N_CUSTOMERS)
    strategic = rng.gamma(2.0, 150.0, N_CUSTOMERS)
    ours_seg = best_of(lambda: customer_segment(actual, strategic), 2)
    argsort = best_of(lambda: np.argsort(actual), 2)
    rows.append(
        dict(
            case=f"CUSTOMER_SEGMENT, {N_CUSTOMERS:,} customers",
            ours=ours_seg,
            peer="one numpy.argsort (floor)",
            peer_s=argsort,
            target="within 3x",
        )
    )

    frame = pd.DataFrame({"actual": actual[:N_APPLY], "strategic": strategic[:N_APPLY]})
    top = np.quantile(frame["actual"], 0.95)
    growth = np.quantile(frame["strategic"], 0.8)

    def by_row(row: pd.Series) -> str:
        if row["actual"] < 0:
            return "Negative"
        if row["actual"] >= top:
            return "Most valuable"
        return "Growth" if row["strategic"] >= growth else "Standard"

    apply_s = best_of(lambda: frame.apply(by_row, axis=1), 1) * N_CUSTOMERS / N_APPLY
    rows.append(
        dict(
            case="",
            ours=ours_seg,
            peer="pandas apply by row",
            peer_s=apply_s,
            target=">= 20x faster",
            note=f"apply timed on {N_APPLY:,} rows and scaled to {N_CUSTOMERS:,}",
        )
    )

    tracemalloc.start()
    customer_segment(actual, strategic)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows[-1]["note"] += f"; segmentation peak memory {peak / 2**30:.2f} GiB (promise: < 2 GB)"
    return rows
