"""IRR_CRM on one long series, as a cell would compute it, against the bracketing floor.

The floor is the best tool for the step: scipy's ``brentq`` on a vectorised NPV
(``flows @ exp(-t ln(1+r))``), given a bracket it is told, to 1e-12. Ours finds its own
bracket. The range case is the same series as Excel hands a row over (a list of floats).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from timing import best_of

from crmvalue_core import irr_crm

LENGTHS = (100, 10_000, 100_000)


def investment(periods: int) -> np.ndarray:
    """-1,000 then equal returns that sum to 1,500 (one sign change, one IRR)."""
    return np.r_[-1000.0, np.full(periods - 1, 1500.0 / (periods - 1))]


def run() -> list[dict]:
    rows = []
    for periods in LENGTHS:
        flows = investment(periods)
        as_list = flows.tolist()
        t = np.arange(periods)

        def floor(flows: np.ndarray = flows, t: np.ndarray = t) -> float:
            return brentq(lambda r: flows @ np.exp(-t * np.log1p(r)), 0.0, 1.0, xtol=1e-12)

        ours = best_of(lambda flows=flows: irr_crm(flows), 5)
        peer = best_of(floor, 5)
        difference = abs(irr_crm(flows) - floor())
        rows.append(
            dict(
                case=f"IRR_CRM, one series of {periods:,} periods",
                ours=ours,
                peer="brentq on a vectorised NPV (floor)",
                peer_s=peer,
                target="within 5x of the floor",
                note=f"differs from the floor by {difference:.1e}",
            )
        )
        rows.append(
            dict(
                case="",
                ours=best_of(lambda as_list=as_list: irr_crm(as_list), 5),
                peer="the same, from a list (a range)",
                peer_s=peer,
                target="within 5x of the floor",
            )
        )
    return rows
