"""Monte Carlo simulation of the appraisal: 100,000 draws of the demo case.

Ours: :func:`crmvalue_core.appraisal.simulate` on :func:`demo_uncertainty` (13 uncertain
inputs, Beta-PERT, NPV, IRR and payback of every draw), vectorised over the draws.

Peers, on the same draws of the same model:

* a per-draw Python loop: the model (the same cash-flow function) and NPV_CRM, IRR_CRM
  and PAYBACK called once per draw -- what a simulation written around the single-case
  functions does. Timed on 2,000 draws and scaled to 100,000 (it is linear in the draws);
* ``appraise()`` of each draw's case, the full single-case appraisal (1,000 draws, scaled);
* the bare time of drawing the random numbers (the standard normals behind the draws):
  the floor no simulation can beat.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special
from timing import best_of

from crmvalue_core.appraisal import _engine, appraise, demo_uncertainty, scenario_case, simulate
from crmvalue_core.appraisal._model_problem import appraisal_problem
from crmvalue_core.discounting import irr_crm, npv_crm
from crmvalue_core.investment import payback

DRAWS = 100_000
LOOP_DRAWS = 2_000
APPRAISE_DRAWS = 1_000
SEED = 1


def _drawn_values(problem: _engine.Problem, n: int) -> dict[str, np.ndarray]:
    """The inputs of the first n draws of ``simulate(..., seed=SEED)``."""
    rng = np.random.default_rng(SEED)
    u = special.ndtr(_engine.normal_scores(rng, n, problem, 0.0))
    return {
        name: _engine.quantiles(u[:, i], problem.low[i], problem.base[i], problem.high[i], "pert")
        for i, name in enumerate(problem.names)
    }


def _or_nan(func: Callable[..., Any], *args: Any) -> float:
    """A single-series metric, NaN where it is undefined (single series raise)."""
    try:
        return float(func(*args))
    except ValueError:
        return float("nan")


def per_draw_loop(problem: _engine.Problem, values: dict[str, np.ndarray], n: int) -> np.ndarray:
    """NPV, IRR and payback of each draw, one draw at a time."""
    results = np.empty((n, 3))
    for i in range(n):
        one = {name: array[i : i + 1] for name, array in values.items()}
        benefits, costs = problem.flows(one, 1)
        net = (benefits - costs)[0]
        results[i] = (
            _or_nan(npv_crm, problem.rate, net),
            _or_nan(irr_crm, net),
            _or_nan(payback, net),
        )
    return results


def run() -> list[dict]:
    uncertain = demo_uncertainty()
    problem = appraisal_problem(uncertain)
    simulate(uncertain, 1_000, seed=SEED)  # warm up (tables, imports)

    ours = best_of(lambda: simulate(uncertain, DRAWS, seed=SEED))
    result = simulate(uncertain, DRAWS, seed=SEED)

    values = _drawn_values(problem, LOOP_DRAWS)
    start = time.perf_counter()
    looped = per_draw_loop(problem, values, LOOP_DRAWS)
    loop = (time.perf_counter() - start) * DRAWS / LOOP_DRAWS
    # The loop computes the same numbers as the vectorised run, draw for draw.
    assert np.allclose(looped[:, 0], result.npv[:LOOP_DRAWS], rtol=1e-12, atol=1e-6)
    assert np.allclose(looped[:, 1], result.irr[:LOOP_DRAWS], rtol=1e-9, equal_nan=True)
    assert np.allclose(looped[:, 2], result.payback[:LOOP_DRAWS], rtol=1e-12, equal_nan=True)

    cases = []
    for i in range(APPRAISE_DRAWS):
        mix = {}
        for name, array in values.items():
            value = array[i]
            mix[name] = tuple(value.tolist()) if value.ndim else float(value)
        cases.append(mix)
    start = time.perf_counter()
    npvs = [appraise(uncertain.case.with_values(mix)).npv for mix in cases]
    by_appraise = (time.perf_counter() - start) * DRAWS / APPRAISE_DRAWS
    assert np.allclose(npvs, result.npv[:APPRAISE_DRAWS], rtol=1e-9)

    k = len(problem.names) + 1
    floor = best_of(lambda: np.random.default_rng(SEED).standard_normal((DRAWS, k)))

    summary = result.summary()
    worst = appraise(scenario_case(uncertain, "pessimistic")).npv
    return [
        dict(
            case=f"Monte Carlo, demo case, {DRAWS:,} draws",
            ours=ours,
            peer=f"per-draw loop (x{DRAWS // LOOP_DRAWS} of {LOOP_DRAWS:,})",
            peer_s=loop,
            target="at least 50x faster than the loop",
            note=(
                f"{loop / ours:,.0f}x faster than the loop; "
                f"{len(problem.names)} uncertain inputs, PERT; mean NPV "
                f"{summary.loc['npv', 'mean']:,.0f}, P10 {summary.loc['npv', 'p10']:,.0f}, "
                f"P90 {summary.loc['npv', 'p90']:,.0f}, P(NPV < 0) "
                f"{result.probability_negative_npv:.1%}; pessimistic NPV {worst:,.0f}"
            ),
        ),
        dict(
            case="",
            ours=ours,
            peer=f"appraise() loop (x{DRAWS // APPRAISE_DRAWS} of {APPRAISE_DRAWS:,})",
            peer_s=by_appraise,
            target="faster than the loop",
            note=f"{by_appraise / ours:,.0f}x faster than appraise() per draw",
        ),
        dict(
            case="",
            ours=ours,
            peer="bare normal draws (floor)",
            peer_s=floor,
            target="the floor: random numbers only",
        ),
    ]
