"""The measured baseline: what measuring the drivers with P10/P90 costs over the fits.

On the whole CDNOW transaction log (69,659 purchases, 23,570 customers) calibrated to
1997-09-30, :func:`crmvalue_core.baseline.measure_baseline` (500 parameter draws) against
its floor, the work no measurement can skip: reading the log into histories and fitting
BG/NBD and Gamma-Gamma with standard errors (target: at most 5x the floor); and against
``lifetimes`` fitting the same two models to the same histories (a peer that gives the
point fits only, no intervals and no drivers; target: within 3x).

``run()`` returns the rows; ``python benchmarks/baseline.py`` prints them.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pandas as pd
from timing import best_of

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crmvalue_core.baseline import measure_baseline  # noqa: E402
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit  # noqa: E402
from crmvalue_core.transactions import summary_from_transactions  # noqa: E402

END = "19970930"


def _log() -> pd.DataFrame | None:
    """The CDNOW transaction log from ``lifetimes``, or None when it is not installed."""
    try:
        resource = resources.files("lifetimes.datasets") / "CDNOW_master.txt"
    except ModuleNotFoundError:
        return None
    with resources.as_file(resource) as path:
        return pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})


def run() -> list[dict]:
    """The benchmark rows (see benchmarks/run.py for the keys)."""
    log = _log()
    case = "measure_baseline, CDNOW log (23,570 customers, 500 draws)"
    if log is None:
        return [
            dict(
                case=case,
                ours=0.0,
                peer="",
                peer_s=None,
                target="",
                note="skipped: lifetimes not installed (pip install -e '.[bench]')",
            )
        ]
    ids, dates, amounts = log.customer_id, log.date, log.dollar_value

    def ours() -> None:
        measure_baseline(ids, dates, amounts, END, margin=0.3, date_format="%Y%m%d")

    def fits() -> pd.DataFrame:
        s = summary_from_transactions(ids, dates, amounts, END, date_format="%Y%m%d")
        bgnbd_fit(s.frequency, s.recency, s.age, confidence=0.8)
        repeat = s[(s.frequency > 0) & (s.monetary_value > 0)]
        gg_fit(repeat.frequency, repeat.monetary_value, confidence=0.8)
        return s

    summary = fits()
    ours_s = best_of(ours, 3, warm_up=True)
    floor_s = best_of(fits, 3)
    rows = [
        dict(
            case=case,
            ours=ours_s,
            peer="floor: log to histories + both fits with SEs",
            peer_s=floor_s,
            target="at most 5x the floor (500 draws of four drivers)",
        )
    ]
    try:
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    except ImportError:
        return rows
    repeat = summary[(summary.frequency > 0) & (summary.monetary_value > 0)]

    def peer() -> None:
        BetaGeoFitter().fit(summary.frequency, summary.recency, summary.age)
        GammaGammaFitter().fit(repeat.frequency, repeat.monetary_value)

    rows.append(
        dict(
            case=case,
            ours=ours_s,
            peer="lifetimes BG/NBD + Gamma-Gamma fits (no intervals)",
            peer_s=best_of(peer, 3),
            target="within 3x of the peer's point fits",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        ratio = row["ours"] / row["peer_s"] if row.get("peer_s") else float("nan")
        print(
            f"{row['case']}: {row['ours']:.3f} s vs {row['peer']} {row['peer_s']:.3f} s "
            f"= {ratio:.2f}x ({row['target']})"
        )
