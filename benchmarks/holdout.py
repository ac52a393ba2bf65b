"""The holdout tables of BG/NBD on the CDNOW master log (69,659 transactions, 23,570
customers; calibration to 1997-09-30, holdout to 1998-06-30).

Peer: ``lifetimes`` 0.11 building the same tables from the same log with the same
parameters: ``calibration_and_holdout_data`` (the per-customer summary),
``expected_cumulative_transactions`` (the weekly tracking table) and
``conditional_expected_number_of_purchases_up_to_time`` with a pandas ``groupby`` (the
conditional expectations). The log ships with ``lifetimes`` (a bench dependency);
without it the cases are skipped.
"""

from __future__ import annotations

import warnings
from importlib import resources
from typing import Any

import pandas as pd
from timing import best_of

from crmvalue_core.purchase_history import (
    bgnbd_fit,
    calibration_holdout_summary,
    conditional_expectations,
    tracking_table,
)

CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"
REPEAT = 3


def _log() -> pd.DataFrame | None:
    try:
        resource = resources.files("lifetimes.datasets") / "CDNOW_master.txt"
    except ModuleNotFoundError:
        return None
    with resources.as_file(resource) as path:
        log = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    log["day"] = pd.to_datetime(log["date"], format="%Y%m%d")
    return log


def run() -> list[dict]:
    log = _log()
    if log is None:
        return []
    import lifetimes

    ids, days, amounts = log["customer_id"], log["day"], log["dollar_value"]

    def ours_summary() -> pd.DataFrame:
        return calibration_holdout_summary(ids, days, CALIBRATION_END, HOLDOUT_END, amounts)

    def their_summary() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return lifetimes.utils.calibration_and_holdout_data(
                log, "customer_id", "day", CALIBRATION_END, HOLDOUT_END,
                freq="D", freq_multiplier=7, monetary_value_col="dollar_value",
            )  # fmt: skip

    summary = ours_summary()
    fit = bgnbd_fit(summary["frequency"], summary["recency"], summary["age"])
    bgf = lifetimes.BetaGeoFitter()
    bgf.params_ = pd.Series(fit.params)
    rows = [
        dict(
            case="HOLDOUT_SUMMARY, CDNOW master log",
            ours=best_of(ours_summary, REPEAT),
            peer="lifetimes calibration_and_holdout_data",
            peer_s=best_of(their_summary, REPEAT),
            target="faster than lifetimes",
        )
    ]

    def their_conditional() -> Any:
        s = summary
        predicted = bgf.conditional_expected_number_of_purchases_up_to_time(
            s["holdout_duration"], s["frequency"], s["recency"], s["age"]
        )
        frame = pd.DataFrame(
            {"bin": s["frequency"].clip(upper=7), "y": s["holdout_purchases"], "p": predicted}
        )
        return frame.groupby("bin")[["y", "p"]].mean()

    rows.append(
        dict(
            case="HOLDOUT_CONDITIONAL, CDNOW master log",
            ours=best_of(
                lambda: conditional_expectations(
                    *fit,
                    summary["frequency"],
                    summary["recency"],
                    summary["age"],
                    summary["holdout_purchases"],
                    summary["holdout_duration"],
                ),
                REPEAT,
            ),
            peer="lifetimes conditional expectation + pandas groupby",
            peer_s=best_of(their_conditional, REPEAT),
            target="within 2x of lifetimes",
        )
    )

    def their_tracking() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return lifetimes.utils.expected_cumulative_transactions(
                bgf, log[["customer_id", "day"]], "day", "customer_id", 546, freq_multiplier=7
            )

    rows.append(
        dict(
            case="HOLDOUT_TRACKING, CDNOW master log, 78 weeks",
            ours=best_of(
                lambda: tracking_table(*fit, ids, days, CALIBRATION_END, HOLDOUT_END), REPEAT
            ),
            peer="lifetimes expected_cumulative_transactions",
            peer_s=best_of(their_tracking, 1),
            target="faster than lifetimes",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        ratio = row["ours"] / row["peer_s"]
        print(f"{row['case']}: {row['ours']:.4f} s vs {row['peer_s']:.4f} s ({ratio:.3f}x)")
