"""Estimation uncertainty: what standard errors add to a fit, and what CLV intervals cost.

* BG/NBD fit with standard errors (``confidence=0.95``) against the same fit without, on
  the CDNOW sample (target: at most 20% more) and on a synthetic summary of 1.8 million
  customers drawn from ``scoring.SIMULATION`` (target: at most 2x);
* customer equity intervals (:func:`predicted_clv_intervals`, 1,000 draws) on the 1.8
  million customers against one point prediction (:func:`predicted_clv`) of the same
  base (target: under 30x); the note gives the peak memory the intervals allocate
  (numpy's allocations, by ``tracemalloc``, in a separate untimed call);
* the table of PREDICTED_CLV_INTERVALS at its limit for evaluating every draw in full
  (``EXACT_UP_TO`` customers x draws: 200 CDNOW customers x 1,000 draws) against its
  floor, 1,000 point predictions (:func:`predicted_clv`) of the same customers at the
  same parameter draws (target: at most 1.5x).

``run()`` returns the rows; ``python benchmarks/fit_uncertainty.py`` prints them.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from timing import best_of

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fitters import _cdnow  # noqa: E402
from scoring import SIMULATION, WEEKS  # noqa: E402

from crmvalue_core.purchase_history import bgnbd_fit, gg_fit, predicted_clv  # noqa: E402
from crmvalue_core.purchase_history.clv_intervals import predicted_clv_intervals  # noqa: E402
from crmvalue_core.purchase_history.clv_intervals_table import (  # noqa: E402
    EXACT_UP_TO,
    predicted_clv_intervals_table,
)

#: Customers of the synthetic summary.
CUSTOMERS = 1_800_000
#: Parameter draws of the intervals.
DRAWS = 1000


def simulate_summary(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    """frequency, recency, age (weeks) and mean repeat spend of ``n`` customers drawn from
    the BG/NBD and Gamma-Gamma models with ``scoring.SIMULATION``'s parameters.

    Each customer is born uniformly in the first half of ``WEEKS``; repeat purchases come
    at a Poisson rate lambda until the dropout after the J-th one, J ~ Geometric(p); so
    x = min(N(T), J) with N(T) ~ Poisson(lambda T), and the time of the x-th of N(T)
    uniform purchase times is T Beta(x, N(T) - x + 1).
    """
    s = SIMULATION
    rng = np.random.default_rng(seed)
    age = WEEKS - rng.uniform(0, WEEKS / 2, n)
    lam = rng.gamma(s["r"], 1 / s["alpha"], n)
    drop = rng.beta(s["a"], s["b"], n)
    bought = rng.poisson(lam * age)
    x = np.minimum(bought, rng.geometric(drop))
    recency = np.zeros(n)
    repeat = x > 0
    recency[repeat] = age[repeat] * rng.beta(x[repeat], bought[repeat] - x[repeat] + 1)
    nu = rng.gamma(s["q"], 1 / s["gamma"], n)
    spend = np.zeros(n)
    spend[repeat] = rng.gamma(s["p"] * x[repeat], 1 / (nu[repeat] * x[repeat]))
    return {"frequency": x.astype(float), "recency": recency, "age": age, "monetary": spend}


def _timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """One call's wall time and result (a fit of 1.8 million customers is not repeated)."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def _fit_row(name: str, x, t_x, big_t, repeat: int, target: str) -> tuple[dict, Any]:
    """The row of a BG/NBD fit with standard errors against the same fit without, and the
    fit with standard errors."""
    if repeat > 1:
        plain = best_of(lambda: bgnbd_fit(x, t_x, big_t), repeat)
        with_se = best_of(lambda: bgnbd_fit(x, t_x, big_t, confidence=0.95), repeat)
        fit = bgnbd_fit(x, t_x, big_t, confidence=0.95)
    else:
        plain, _ = _timed(lambda: bgnbd_fit(x, t_x, big_t))
        with_se, fit = _timed(lambda: bgnbd_fit(x, t_x, big_t, confidence=0.95))
    shown = ", ".join(
        f"{n}={v:.4f} (se {s:.4f})"
        for n, v, s in zip(fit.names, fit.values, fit.uncertainty.standard_errors, strict=True)
    )
    row = dict(
        case=f"BGNBD_FIT with standard errors, {name}",
        ours=with_se,
        peer="the same fit without",
        peer_s=plain,
        target=target,
        note=shown,
    )
    return row, fit


def exact_limit_row(cdnow: Any) -> dict:
    """The row of PREDICTED_CLV_INTERVALS at EXACT_UP_TO customers x draws."""
    n = EXACT_UP_TO // DRAWS
    x, t_x, big_t, m = (cdnow[c].to_numpy(float)[:n] for c in ("x", "t_x", "T", "zbar"))
    bg = bgnbd_fit(x, t_x, big_t, confidence=0.95)
    gg = gg_fit(x, m, confidence=0.95)
    rng = np.random.default_rng(0)
    draws = [
        np.exp(
            np.log(f.values)
            + rng.standard_normal((DRAWS, len(f.values)))
            @ np.linalg.cholesky(np.array(f.uncertainty.log_covariance)).T
        )
        for f in (bg, gg)
    ]

    def floor() -> None:
        for b, g in zip(*draws, strict=True):
            predicted_clv(*b, *g, x, t_x, big_t, m)

    table = best_of(lambda: predicted_clv_intervals_table(x, t_x, big_t, m, draws=DRAWS), 1)
    return dict(
        case=f"PREDICTED_CLV_INTERVALS, {n} CDNOW customers x {DRAWS:,} draws (every draw in full)",
        ours=table,
        peer=f"{DRAWS:,} point predictions (PREDICTED_CLV) at the draws",
        peer_s=best_of(floor, 1),
        target="at most 1.5x",
        note="the table includes both fits with standard errors",
    )


def run() -> list[dict]:
    """The rows of this benchmark."""
    rows = []
    cdnow = _cdnow()
    if cdnow is not None:
        row, _ = _fit_row(
            f"CDNOW sample ({len(cdnow):,} customers)",
            cdnow["x"],
            cdnow["t_x"],
            cdnow["T"],
            5,
            "at most 20% more (ratio <= 1.2)",
        )
        rows.append(row)
        rows.append(exact_limit_row(cdnow))
    data = simulate_summary(CUSTOMERS)
    x, t_x, big_t, m = data["frequency"], data["recency"], data["age"], data["monetary"]
    row, bg = _fit_row(
        f"synthetic summary ({CUSTOMERS:,} customers)", x, t_x, big_t, 1, "at most 2x"
    )
    rows.append(row)
    gg = gg_fit(x, m, confidence=0.95)
    point, _ = _timed(lambda: predicted_clv(*bg, *gg, x, t_x, big_t, m, margin=0.3))
    ours, found = _timed(
        lambda: predicted_clv_intervals(bg, gg, x, t_x, big_t, m, margin=0.3, draws=DRAWS)
    )
    # peak memory in a second, untimed call: tracemalloc sees numpy's allocations
    tracemalloc.start()
    predicted_clv_intervals(bg, gg, x, t_x, big_t, m, margin=0.3, draws=DRAWS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows.append(
        dict(
            case=f"Customer equity intervals, {DRAWS:,} draws, {CUSTOMERS:,} customers",
            ours=ours,
            peer="one point prediction (PREDICTED_CLV)",
            peer_s=point,
            target="under 30x; peak memory under 4 GB",
            note=f"peak allocated {peak / 2**30:.2f} GB; equity {found.equity:,.0f}, "
            f"P10 {found.equity_p10:,.0f}, P50 {found.equity_p50:,.0f}, "
            f"P90 {found.equity_p90:,.0f}",
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        ratio = row["ours"] / row["peer_s"] if row.get("peer_s") else float("nan")
        print(f"{row['case']}: {row['ours']:.3f} s vs {row['peer_s']:.3f} s = {ratio:.2f}x")
        print(f"    target {row['target']}; {row['note']}")
