"""NPV_CRM and IRR_CRM over 100,000 cash-flow series of 10 periods.

Peers: the bare numpy matrix product (the floor for NPV), a per-series loop of pyxirr
(what a user with a fast scalar library would write) and numpy_financial's irr.
"""

from __future__ import annotations

import numpy as np
from timing import best_of

from crmvalue_core import irr_crm, npv_crm

N_SERIES, N_PERIODS, RATE = 100_000, 10, 0.1


def conventional_flows(n_series: int, n_periods: int, seed: int = 7) -> np.ndarray:
    """An investment then returns: a negative period 0 and positive later flows."""
    rng = np.random.default_rng(seed)
    flows = rng.uniform(5_000, 40_000, size=(n_series, n_periods))
    flows[:, 0] = -rng.uniform(50_000, 150_000, size=n_series)
    return flows


def run() -> list[dict]:
    import pyxirr

    flows = conventional_flows(N_SERIES, N_PERIODS)
    factors = (1 + RATE) ** -np.arange(N_PERIODS)
    rows = []

    ours = best_of(lambda: npv_crm(RATE, flows))
    floor = best_of(lambda: flows @ factors)
    rows.append(
        dict(
            case=f"NPV_CRM, {N_SERIES:,} x {N_PERIODS}",
            ours=ours,
            peer="numpy matmul (floor)",
            peer_s=floor,
            target="within 3x of the floor",
        )
    )
    # pyxirr's default (start_from_zero=True) is our period-0 convention.
    loop = best_of(lambda: [pyxirr.npv(RATE, row) for row in flows], 1)
    rows.append(
        dict(case="", ours=ours, peer="pyxirr.npv loop", peer_s=loop, target="faster than the loop")
    )
    assert np.allclose(
        npv_crm(RATE, flows)[:100],
        [pyxirr.npv(RATE, r) for r in flows[:100]],
    )

    ours_irr = best_of(lambda: irr_crm(flows))
    loop_irr = best_of(lambda: [pyxirr.irr(row) for row in flows], 1)
    ours_values = irr_crm(flows)
    peer_values = np.array([pyxirr.irr(row) for row in flows])
    worst = float(np.nanmax(np.abs(ours_values - peer_values)))
    rows.append(
        dict(
            case=f"IRR_CRM, {N_SERIES:,} x {N_PERIODS}",
            ours=ours_irr,
            peer="pyxirr.irr loop",
            peer_s=loop_irr,
            target=">= 5x faster",
            note=f"largest difference from pyxirr: {worst:.1e} (promise: 1e-9)",
        )
    )
    try:
        import numpy_financial as npf

        subset = flows[:2_000]
        npf_time = best_of(lambda: [npf.irr(row) for row in subset], 1) * N_SERIES / len(subset)
        rows.append(
            dict(
                case="",
                ours=ours_irr,
                peer="numpy_financial.irr loop",
                peer_s=npf_time,
                target="far faster",
                note="numpy_financial timed on 2,000 series, scaled to 100,000",
            )
        )
    except ImportError:
        pass
    return rows
