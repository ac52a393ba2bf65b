"""The machinery behind scenarios, sensitivity and Monte Carlo (internal).

A :class:`Problem` is a set of uncertain inputs -- each with low, base and high arrays
(shape ``()`` for one value, ``(cells,)`` for a row), its NPV direction and whether it
belongs to the correlated group (the benefit drivers) -- and a function that turns a batch
of input values into benefits and costs per period. The appraisal model
(:mod:`.scenarios`, :mod:`.simulation`) and the ad-hoc Excel functions (:mod:`.adhoc`)
each build one; everything else here is shared.

Exactness: every result (scenario, sensitivity case, Monte Carlo draw) goes through the
same batch path -- the model's elementwise arithmetic, then
:func:`~crmvalue_core.discounting.npv_crm` with one rate per row, which discounts each
row elementwise (Horner's rule) rather than by a matrix product whose summation order
may depend on the row's position. So two rows with the same inputs give the same NPV,
bit for bit, and a draw whose inputs equal the base gives the base NPV exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .._cashflows import payback_values
from .._inputs import as_number, as_numbers, fail
from ..cells import describe
from ..discounting import irr_crm, mirr_crm, npv_crm
from ..investment import discounted_payback, pi_crm, roi_crm
from .inputs import METRICS
from .labels import SCENARIOS  # the standard scenarios, in the order they are shown

#: Most Monte Carlo draws one call accepts: 10 million (about 240 MB of NPV, IRR and
#: payback results, and about 40 seconds for the demo case on one core).
MAX_DRAWS = 10_000_000
#: Draws evaluated together; bounds the memory of the model's year-by-year arrays.
CHUNK = 50_000
#: The distributions an uncertain input can be drawn from.
DISTRIBUTIONS: tuple[str, ...] = ("pert", "triangular")
#: The weight of the most likely value in the Beta-PERT distribution (Malcolm et al.,
#: 1959): mean = (low + 4 base + high) / 6.
PERT_LAMBDA = 4.0
#: Points of the tabulated PERT inverse CDF (Chebyshev-spaced in x on [0, 1]).
_TABLE_POINTS = 4096
SIDES = ("low", "base", "high")
#: The metrics the scenario table and the simulation can report.
BATCH_METRICS: tuple[str, ...] = METRICS
#: The metrics a simulation reports, in order.
SIMULATED: tuple[str, ...] = ("npv", "irr", "payback")

Flows = Callable[[Mapping[str, np.ndarray], int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Problem:
    """Uncertain inputs and how they become cash flows (see the module notes).

    ``flows(values, n)`` takes ``{name: array of shape (n,) + cells}`` for every name and
    returns benefits and costs of shape ``(n, periods)``, the periods the metrics read.
    """

    func: str
    names: tuple[str, ...]
    labels: tuple[str, ...]
    low: tuple[np.ndarray, ...]
    base: tuple[np.ndarray, ...]
    high: tuple[np.ndarray, ...]
    direction: tuple[int, ...]
    correlated: tuple[bool, ...]
    rate: float
    finance_rate: float
    reinvest_rate: float
    flows: Flows


# ------------------------------------------------------------------------ arguments


def check_draws(func: str, draws: Any) -> int:
    """The number of draws: a whole number from 1 to :data:`MAX_DRAWS`."""
    return int(
        as_number(
            func,
            "draws",
            draws,
            minimum=1,
            maximum=MAX_DRAWS,
            whole=True,
            hint=f"a whole number of draws from 1 to {MAX_DRAWS:,}",
        )
    )


def check_seed(func: str, seed: Any) -> int | None:
    """None (fresh entropy) or a whole number >= 0."""
    if seed is None or (isinstance(seed, str) and not seed.strip()):
        return None
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        if seed < 0:
            raise fail(func, f"seed is {seed}, below 0; enter a whole number >= 0")
        return int(seed)
    return int(
        as_number(
            func,
            "seed",
            seed,
            minimum=0,
            whole=True,
            hint="a whole number >= 0 (the same seed gives the same draws)",
        )
    )


def check_distribution(func: str, distribution: Any) -> str:
    """``"pert"`` or ``"triangular"``, any case."""
    if isinstance(distribution, str) and distribution.strip().lower() in DISTRIBUTIONS:
        return distribution.strip().lower()
    shown = "blank" if distribution is None else describe(distribution)
    raise fail(func, f"distribution is {shown}; enter 'PERT' or 'triangular'")


def check_correlation(func: str, correlation: Any) -> float:
    """One correlation for every pair of benefit drivers, in [0, 1]."""
    return as_number(
        func,
        "correlation",
        correlation,
        minimum=0.0,
        maximum=1.0,
        hint="a correlation between 0 (independent) and 1 as a decimal (0.5 = 50%); one "
        "common correlation cannot be negative for more than two drivers",
    )


def check_probabilities(func: str, probabilities: Any) -> tuple[float, ...]:
    """Probabilities for percentiles, each in [0, 1]."""
    values = as_numbers(
        func,
        "probabilities",
        probabilities,
        minimum=0.0,
        maximum=1.0,
        hint="probabilities between 0 and 1 as decimals (0.1 for P10)",
    )
    return tuple(float(v) for v in np.atleast_1d(values))


# ------------------------------------------------------------------- distributions


def standard_triangular(u: np.ndarray, mode: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution on [0, 1] with the given mode."""
    with np.errstate(invalid="ignore"):
        lower = np.sqrt(u * mode)
        upper = 1.0 - np.sqrt((1.0 - u) * (1.0 - mode))
    return np.where(u < mode, lower, upper)


@functools.lru_cache(maxsize=256)
def _pert_table(mode: float) -> tuple[np.ndarray, np.ndarray]:
    """(CDF, x) at 4,097 Chebyshev points of the standard Beta-PERT with this mode."""
    k = np.arange(_TABLE_POINTS + 1)
    x = 0.5 - 0.5 * np.cos(np.pi * k / _TABLE_POINTS)
    x[0], x[-1] = 0.0, 1.0
    alpha = 1.0 + PERT_LAMBDA * mode
    beta = 1.0 + PERT_LAMBDA * (1.0 - mode)
    cdf = special.betainc(alpha, beta, x)
    keep = np.concatenate([[True], np.diff(cdf) > 0])
    cdf, x = cdf[keep], x[keep]
    cdf[-1], x[-1] = 1.0, 1.0  # u = 1 is the maximum, not the last x whose CDF rounds to 1
    cdf.flags.writeable = x.flags.writeable = False
    return cdf, x


def standard_pert(u: np.ndarray, mode: float) -> np.ndarray:
    """Inverse CDF of the Beta-PERT distribution on [0, 1] with the given mode.

    Interpolated linearly in a table of the exact CDF (scipy's regularised incomplete
    beta function) at 4,097 Chebyshev-spaced points: within about 1e-6 of the exact
    quantile (``scipy.special.betaincinv``) for every u, and 100 times faster for a batch.
    """
    cdf, x = _pert_table(round(float(mode), 12))
    return np.interp(u, cdf, x)


def mode_fraction(low: np.ndarray, base: np.ndarray, high: np.ndarray) -> np.ndarray:
    """(base - low) / (high - low), 0.5 where low = high (the value is then the base).

    >>> mode_fraction(np.array([0.0, 2.0]), np.array([1.0, 2.0]), np.array([4.0, 2.0]))
    array([0.25, 0.5 ])
    """
    width = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(width > 0, (base - low) / np.where(width > 0, width, 1.0), 0.5)


def quantiles(
    u: np.ndarray, low: np.ndarray, base: np.ndarray, high: np.ndarray, distribution: str
) -> np.ndarray:
    """Values of one input at probabilities ``u`` (shape (n,)): shape (n,) + cells.

    x = low + q (high - low) with q the standard quantile; where low = high every value is
    exactly the base.
    """
    width = high - low
    mode = mode_fraction(low, base, high)
    if distribution == "triangular":
        q = standard_triangular(u.reshape((-1,) + (1,) * low.ndim), mode)
    else:
        q = np.zeros(u.shape + low.shape)
        flat_q = q.reshape(u.shape[0], -1)  # a view: filling it fills q
        flat_mode = mode.reshape(-1)
        varies = width.reshape(-1) > 0  # where low = high, q stays 0: the value is the base
        for key in np.unique(flat_mode[varies]):
            cells = varies & (flat_mode == key)
            flat_q[:, cells] = standard_pert(u, float(key))[:, np.newaxis]
    return low + q * width


def normal_scores(
    rng: np.random.Generator, n: int, problem: Problem, correlation: float
) -> np.ndarray:
    """Correlated standard normal scores, shape (n, inputs): the Gaussian copula.

    One common factor F and one own term e_i per input, all independent N(0, 1):
    z_i = sqrt(rho) F + sqrt(1 - rho) e_i for the benefit drivers (correlation rho
    between any two of them), z_i = e_i for the others. A benefit driver whose higher
    value lowers the NPV (the baseline churn) gets -z_i, so that rho > 0 means "the
    benefits turn out well, or badly, together".
    """
    z = rng.standard_normal((n, len(problem.names) + 1))
    common, own = z[:, :1], z[:, 1:]
    grouped = np.array(problem.correlated, dtype=bool)
    if grouped.any():
        sign = np.array(problem.direction, dtype=float)[grouped]
        mixed = math.sqrt(correlation) * common + math.sqrt(1.0 - correlation) * own[:, grouped]
        own[:, grouped] = mixed * sign
    return own


# ----------------------------------------------------------------------- evaluation


def values_for(problem: Problem, choices: Sequence[Mapping[str, str]]) -> dict[str, np.ndarray]:
    """Inputs for a batch of cases, each input on the side its choice names (default base)."""
    sides = {"low": problem.low, "base": problem.base, "high": problem.high}
    return {
        name: np.stack([sides[choice.get(name, "base")][i] for choice in choices])
        for i, name in enumerate(problem.names)
    }


def metrics(
    problem: Problem,
    benefits: np.ndarray,
    costs: np.ndarray,
    which: Sequence[str] = BATCH_METRICS,
) -> dict[str, np.ndarray]:
    """The metrics of a batch (rows = cases, NaN where undefined), as the core defines them."""
    n = benefits.shape[0]
    rates = np.full(n, problem.rate)
    net = benefits - costs
    found: dict[str, Callable[[], Any]] = {
        "npv": lambda: npv_crm(rates, net, errors="nan"),
        "irr": lambda: irr_crm(net, errors="nan"),
        "mirr": lambda: mirr_crm(
            net,
            np.full(n, problem.finance_rate),
            np.full(n, problem.reinvest_rate),
            errors="nan",
        ),
        "roi": lambda: roi_crm(rates, benefits, costs, errors="nan"),
        "payback": lambda: payback_values(net, explain=False)[0],
        "discounted_payback": lambda: discounted_payback(rates, net, errors="nan"),
        "pi": lambda: pi_crm(rates, benefits, costs, errors="nan"),
        "pv_benefits": lambda: npv_crm(rates, benefits, errors="nan"),
        "pv_costs": lambda: npv_crm(rates, costs, errors="nan"),
    }
    return {name: np.asarray(found[name](), dtype=float).reshape(n) for name in which}


def evaluate(
    problem: Problem, choices: Sequence[Mapping[str, str]], which: Sequence[str]
) -> dict[str, np.ndarray]:
    """The metrics of the cases named by ``choices`` (one per row)."""
    n = len(choices)
    benefits, costs = problem.flows(values_for(problem, choices), n)
    return metrics(problem, benefits, costs, which)


def standard_choices(problem: Problem) -> dict[str, dict[str, str]]:
    """The five standard scenarios as ``{scenario: {input: side}}``."""
    worse = {
        name: "low" if direction > 0 else "high"
        for name, direction in zip(problem.names, problem.direction, strict=True)
    }
    better = {n: "high" if side == "low" else "low" for n, side in worse.items()}
    return {
        "pessimistic": worse,
        "all_low": dict.fromkeys(problem.names, "low"),
        "base": {},
        "all_high": dict.fromkeys(problem.names, "high"),
        "optimistic": better,
    }


def check_mix(func: str, problem: Problem, title: str, mix: Any) -> dict[str, str]:
    """A named mix ``{input: "low"/"base"/"high"}``, checked."""
    if not isinstance(mix, Mapping):
        raise fail(
            func,
            f"scenario {title!r} is {describe(mix)}; give a mapping of input to 'low', "
            "'base' or 'high'",
        )
    checked: dict[str, str] = {}
    for name, side in mix.items():
        if name not in problem.names:
            known = ", ".join(problem.names) or "none"
            raise fail(
                func,
                f"scenario {title!r} names {name!r}, which has no low and high values; "
                f"the inputs with a range are: {known}",
            )
        word = side.strip().lower() if isinstance(side, str) else None
        if word not in SIDES:
            raise fail(
                func,
                f"scenario {title!r} puts {name} at {describe(side)}; enter 'low', 'base' "
                "or 'high'",
            )
        checked[name] = word
    return checked


def scenario_frame(problem: Problem, mixes: Mapping[str, Mapping[str, str]] | None) -> pd.DataFrame:
    """The metrics of the standard scenarios and of the named mixes, one row each."""
    choices = standard_choices(problem)
    if mixes is not None and not isinstance(mixes, Mapping):
        raise fail(
            problem.func,
            f"mixes is {describe(mixes)}; give a mapping of scenario name to "
            "{input: 'low', 'base' or 'high'}",
        )
    for title, mix in (mixes or {}).items():
        if not isinstance(title, str) or not title.strip() or title in choices:
            raise fail(
                problem.func,
                f"the scenario name {describe(title)} is taken or empty; the standard "
                f"scenarios are {', '.join(SCENARIOS)}: give your mix another name",
            )
        choices[title] = check_mix(problem.func, problem, title, mix)
    found = evaluate(problem, list(choices.values()), BATCH_METRICS)
    return pd.DataFrame(found, index=pd.Index(list(choices), name="scenario"))


def sensitivity_frame(problem: Problem) -> pd.DataFrame:
    """One-at-a-time swings of the NPV, sorted by swing (the tornado chart's data)."""
    choices: list[dict[str, str]] = [{}]
    for name in problem.names:
        choices += [{name: "low"}, {name: "high"}]
    npv = evaluate(problem, choices, ("npv",))["npv"]
    base_npv = float(npv[0])
    low, high = npv[1::2], npv[2::2]
    frame = pd.DataFrame(
        {
            "label": list(problem.labels),
            "low": [_plain(v) for v in problem.low],
            "base": [_plain(v) for v in problem.base],
            "high": [_plain(v) for v in problem.high],
            "npv_low": low,
            "npv_high": high,
            "downside": np.minimum(low, high) - base_npv,
            "upside": np.maximum(low, high) - base_npv,
            "swing": np.abs(high - low),
        },
        index=pd.Index(list(problem.names), name="input"),
    )
    frame = frame.sort_values("swing", ascending=False, kind="stable")
    frame.attrs["base_npv"] = base_npv
    return frame


def _plain(value: np.ndarray) -> float | tuple[float, ...]:
    return float(value) if value.ndim == 0 else tuple(value.tolist())


def simulate_arrays(
    problem: Problem,
    draws: int,
    seed: int | None,
    distribution: str,
    correlation: float,
    which: Sequence[str] = ("npv", "irr", "payback"),
    joint: Mapping[str, np.ndarray] | None = None,
) -> tuple[dict[str, np.ndarray], int]:
    """Monte Carlo: ``{metric: array of draws}`` and the seed used.

    Draws are made ``CHUNK`` at a time from one generator, row after row, so the first
    n draws of a run of N > n draws are those of a run of n draws with the same seed.
    ``joint`` ({input name: draws}, all of one length M): inputs drawn together by
    resampling, each draw taking the same row k ~ U{0..M-1} of every one of them, instead
    of from their ranges.
    """
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)
    found = {name: np.empty(draws) for name in which}
    for start in range(0, draws, CHUNK):
        n = min(CHUNK, draws - start)
        u = special.ndtr(normal_scores(rng, n, problem, correlation))
        values = {
            name: quantiles(u[:, i], problem.low[i], problem.base[i], problem.high[i], distribution)
            for i, name in enumerate(problem.names)
        }
        if joint:
            rows = rng.integers(0, len(next(iter(joint.values()))), n)
            values.update({name: np.asarray(draws_of)[rows] for name, draws_of in joint.items()})
        benefits, costs = problem.flows(values, n)
        for name, array in metrics(problem, benefits, costs, which).items():
            found[name][start : start + n] = array
    return found, seed


def summary_frame(found: dict[str, np.ndarray], probabilities: Sequence[float]) -> pd.DataFrame:
    """Mean, standard deviation, percentiles and shares of each metric's draws.

    The table of :meth:`~crmvalue_core.appraisal.SimulationResult.summary` (and of
    CRM_SIMULATE): one row per metric of ``found``; statistics over the defined (not NaN)
    draws.

    >>> summary_frame({"npv": np.array([-1.0, 1.0, 3.0, np.nan])}, (0.5,))
            mean  std  p50  p_negative  defined
    metric
    npv      1.0  2.0  1.0    0.333333     0.75
    """
    rows = {}
    for name, values in found.items():
        defined = values[~np.isnan(values)]
        row: dict[str, float] = {}
        if defined.size:
            # Deviations from the smallest draw: exact for draws that are all equal (the
            # mean is then that value and the standard deviation 0), and no less accurate
            # otherwise.
            anchor = defined.min()
            shifted = defined - anchor
            row["mean"] = float(anchor + np.mean(shifted))
            row["std"] = float(np.std(shifted, ddof=1)) if defined.size > 1 else 0.0
            for p, value in zip(
                probabilities, np.percentile(defined, [100 * p for p in probabilities]), strict=True
            ):
                row[f"p{100 * p:g}"] = float(value)
            row["p_negative"] = float(np.mean(defined < 0))
        else:
            row = dict.fromkeys(
                ["mean", "std", *(f"p{100 * p:g}" for p in probabilities), "p_negative"],
                float("nan"),
            )
        row["defined"] = float(defined.size / values.size)
        rows[name] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "metric"
    return frame
