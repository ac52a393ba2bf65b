"""The fitters: BG/NBD and Gamma-Gamma on the CDNOW sample, sBG on the regular cohort,
BG/NBD on a large simulated base, and a log without drop-out that the fit must refuse fast.

Peers: ``lifetimes`` 0.11 (``BetaGeoFitter``, ``GammaGammaFitter``) on the same data in
the same run, when installed; the note shows both sets of parameters. For SBG_FIT, whose
model ``lifetimes`` lacks, the peer is the textbook approach: the sBG log-likelihood
written with ``scipy.special.betaln`` and minimised by ``scipy.optimize.minimize``
(Nelder-Mead) from (1, 1). The CDNOW sample is read from the copy that ships with
``lifetimes`` (``lifetimes.datasets``, a bench dependency); without it the CDNOW cases are
skipped with a note.

The large cases are built as summary arrays directly (the fit needs no more):

* a base of ``LARGE_CUSTOMERS`` customers simulated from BG/NBD in days (the CDNOW
  estimates, r 0.243, alpha 4.414 weeks, a 0.793, b 2.426) with staggered first
  purchases, against ``lifetimes`` on the same arrays;
* the no-drop-out log: ``NO_DROPOUT_ROWS`` purchases of ``NO_DROPOUT_CUSTOMERS`` customers
  on random days of a year, nobody ever stopping. BG/NBD cannot estimate drop-out from
  it; the fit must say so (a CrmValueError) in seconds. Before, it ran for more than 5
  minutes. The floor is one evaluation of the log-likelihood and its gradient on the
  same data, so the ratio counts the evaluations the refusal cost.

``run()`` returns the rows; ``python benchmarks/fitters.py`` prints them.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from timing import best_of

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crmvalue_core import CrmValueError  # noqa: E402
from crmvalue_core.cohort_retention import sbg_fit  # noqa: E402
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit  # noqa: E402
from crmvalue_core.purchase_history._bgnbd_model import BgnbdLikelihood  # noqa: E402

#: Timed calls per case (the best counts).
REPEAT = 5
#: The package and file of the CDNOW sample with spend (ID, x, t_x, T, zbar).
CDNOW_PACKAGE = "lifetimes.datasets"
CDNOW_SPEND = "cdnow_customers_summary_with_transactions.csv"
REGULAR_COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]
#: The large simulated base (customers), in days.
LARGE_CUSTOMERS = 300_000
#: The log without drop-out: customers, purchases, days of the window.
NO_DROPOUT_CUSTOMERS, NO_DROPOUT_ROWS, NO_DROPOUT_DAYS = 700_000, 4_000_000, 365


def _shown(params: dict[str, float]) -> str:
    return ", ".join(f"{name}={value:.4f}" for name, value in params.items())


def _cdnow() -> pd.DataFrame | None:
    """The CDNOW sample from ``lifetimes``, or None when lifetimes is not installed."""
    try:
        resource = resources.files(CDNOW_PACKAGE) / CDNOW_SPEND
    except ModuleNotFoundError:
        return None
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return pd.read_csv(path)


def _lifetimes() -> Any:
    try:
        import lifetimes
    except ImportError:
        return None
    return lifetimes


def _bgnbd_rows(cdnow: pd.DataFrame, lifetimes: Any) -> list[dict]:
    x, t_x, big_t = cdnow["x"], cdnow["t_x"], cdnow["T"]
    ours = best_of(lambda: bgnbd_fit(x, t_x, big_t), REPEAT)
    fit = bgnbd_fit(x, t_x, big_t)
    row = dict(
        case=f"BGNBD_FIT, CDNOW sample ({len(cdnow):,} customers)",
        ours=ours,
        peer="lifetimes BetaGeoFitter",
        peer_s=None,
        target="at least as fast (ratio <= 1), same parameters",
        note=f"ours {_shown(fit.params)}, LL {fit.log_likelihood:.2f}",
    )
    if lifetimes is not None:
        row["peer_s"] = best_of(lambda: lifetimes.BetaGeoFitter().fit(x, t_x, big_t), REPEAT)
        theirs = lifetimes.BetaGeoFitter().fit(x, t_x, big_t)
        gap = max(abs(fit[n] / theirs.params_[n] - 1) for n in fit.names)
        row["note"] += f"; lifetimes {_shown(dict(theirs.params_))}; largest relative gap {gap:.1e}"
    else:
        row["peer"] = "lifetimes (not installed)"
    return [row]


def _gg_rows(cdnow: pd.DataFrame, lifetimes: Any) -> list[dict]:
    repeat = cdnow[(cdnow["x"] > 0) & (cdnow["zbar"] > 0)]
    x, zbar = repeat["x"], repeat["zbar"]
    ours = best_of(lambda: gg_fit(x, zbar), REPEAT)
    fit = gg_fit(x, zbar)
    row = dict(
        case=f"GG_FIT, CDNOW sample ({len(repeat):,} repeat buyers)",
        ours=ours,
        peer="lifetimes GammaGammaFitter",
        peer_s=None,
        target="at least as fast, same parameters",
        note=f"ours {_shown(fit.params)}",
    )
    if lifetimes is not None:
        row["peer_s"] = best_of(lambda: lifetimes.GammaGammaFitter().fit(x, zbar), REPEAT)
        theirs = lifetimes.GammaGammaFitter().fit(x, zbar).params_
        mapped = {"p": theirs["p"], "q": theirs["q"], "gamma": theirs["v"]}
        gap = max(abs(fit[n] / mapped[n] - 1) for n in fit.names)
        row["note"] += f"; lifetimes {_shown(mapped)}; largest relative gap {gap:.1e}"
    else:
        row["peer"] = "lifetimes (not installed)"
    return [row]


def _naive_sbg(survivors: list[int]) -> np.ndarray:
    from scipy import optimize, special

    alive = np.asarray(survivors, dtype=float)
    churned = alive[:-1] - alive[1:]
    t = np.arange(1, alive.size)

    def negative_ll(params: np.ndarray) -> float:
        a, b = np.exp(params)
        churn = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
        survive = special.betaln(a, b + t[-1]) - special.betaln(a, b)
        return -(churned @ churn + alive[-1] * survive)

    result = optimize.minimize(negative_ll, np.zeros(2), method="Nelder-Mead")
    return np.exp(result.x)


def _sbg_rows() -> list[dict]:
    ours = best_of(lambda: sbg_fit(REGULAR_COHORT), 20)
    fit = sbg_fit(REGULAR_COHORT)
    naive = _naive_sbg(REGULAR_COHORT)
    return [
        dict(
            case="SBG_FIT, the regular cohort (8 periods)",
            ours=ours,
            peer="scipy Nelder-Mead, plain LL",
            peer_s=best_of(lambda: _naive_sbg(REGULAR_COHORT), 20),
            target="same estimates (paper: 0.704, 1.182)",
            note=f"ours {_shown(fit.params)}; plain alpha={naive[0]:.4f}, beta={naive[1]:.4f}",
        )
    ]


def no_dropout_summary(
    customers: int = NO_DROPOUT_CUSTOMERS,
    rows: int = NO_DROPOUT_ROWS,
    days: int = NO_DROPOUT_DAYS,
    seed: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, age) in weeks of ``rows`` purchases by customers drawn at
    random, on random days of a window of ``days`` days, counted by distinct days."""
    rng = np.random.default_rng(seed)
    who = rng.integers(0, customers, rows, dtype=np.int64)
    keys = np.sort(who * days + rng.integers(0, days, rows))  # (customer, day)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]  # distinct days (a sort: no hashing)
    customer, day = np.divmod(keys, days)
    starts = np.flatnonzero(np.r_[True, customer[1:] != customer[:-1]])
    ends = np.r_[starts[1:], keys.size]
    first, last = day[starts], day[ends - 1]
    frequency = (ends - starts - 1).astype(float)
    return frequency, (last - first) / 7.0, (days - first) / 7.0


def large_summary(
    customers: int = LARGE_CUSTOMERS, seed: int = 5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, age) in days of customers simulated from BG/NBD with the
    CDNOW estimates, first purchases spread over the first half of a 2-year window."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.243, 1 / (4.414 * 7), customers)
    drop = rng.beta(0.793, 2.426, customers)
    age = np.floor(rng.uniform(365, 730, customers))
    times = np.floor(rng.exponential(1.0, (customers, 40)).cumsum(axis=1) / rate[:, None])
    frequency = np.minimum((times <= age[:, None]).sum(axis=1), rng.geometric(drop) - 1)
    frequency = np.minimum(frequency, 39)
    last = times[np.arange(customers), np.maximum(frequency - 1, 0)]
    recency = np.where(frequency > 0, np.maximum(last, 1.0), 0.0)
    return frequency.astype(float), recency, age


def _large_rows(lifetimes: Any) -> list[dict]:
    x, t_x, big_t = large_summary()
    ours = best_of(lambda: bgnbd_fit(x, t_x, big_t), 3)
    fit = bgnbd_fit(x, t_x, big_t)
    distinct = BgnbdLikelihood(x, t_x, big_t).x.size
    row = dict(
        case=f"BGNBD_FIT, simulated base ({x.size:,} customers, days)",
        ours=ours,
        peer="lifetimes BetaGeoFitter",
        peer_s=None,
        target="faster (ratio < 1), same parameters (1e-6)",
        note=f"{distinct:,} distinct repeat histories; ours {_shown(fit.params)}",
    )
    if lifetimes is not None:
        row["peer_s"] = best_of(lambda: lifetimes.BetaGeoFitter().fit(x, t_x, big_t), 1)
        theirs = lifetimes.BetaGeoFitter().fit(x, t_x, big_t)
        gap = max(abs(fit[n] / theirs.params_[n] - 1) for n in fit.names)
        row["note"] += f"; lifetimes {_shown(dict(theirs.params_))}; largest relative gap {gap:.1e}"
    else:
        row["peer"] = "lifetimes (not installed)"
    return [row]


def _refused(x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> str:
    try:
        fit = bgnbd_fit(x, t_x, big_t)
    except CrmValueError as error:
        return str(error)
    return f"NOT REFUSED: {fit}"


def _no_dropout_rows() -> list[dict]:
    x, t_x, big_t = no_dropout_summary()
    ours = best_of(lambda: _refused(x, t_x, big_t), 1)
    message = _refused(x, t_x, big_t)
    model = BgnbdLikelihood(x, t_x, big_t)
    point = np.array([0.5, 5.0, 0.8, 2.5])
    floor = best_of(lambda: (model.value(point), model.gradient(point)), 3)
    return [
        dict(
            case=f"BGNBD_FIT refuses a log without drop-out ({x.size:,} cust.)",
            ours=ours,
            peer="floor: one LL + gradient",
            peer_s=floor,
            target="seconds (was > 5 min), one message in words",
            note=f"{NO_DROPOUT_ROWS:,} purchases on random days; {model.x.size:,} distinct "
            f"repeat histories; says: {message[:90]}...",
        )
    ]


def run() -> list[dict]:
    """The benchmark rows (see benchmarks/run.py for the keys)."""
    rows: list[dict] = []
    cdnow = _cdnow()
    lifetimes = _lifetimes()
    if cdnow is None:
        rows.append(
            dict(
                case="BGNBD_FIT / GG_FIT on CDNOW",
                ours=0.0,
                peer="",
                peer_s=None,
                target="",
                note=f"skipped: {CDNOW_SPEND} not found in {CDNOW_PACKAGE} "
                "(pip install -e '.[bench]')",
            )
        )
    else:
        rows += _bgnbd_rows(cdnow, lifetimes)
        rows += _gg_rows(cdnow, lifetimes)
    rows += _sbg_rows()
    rows += _large_rows(lifetimes)
    rows += _no_dropout_rows()
    return rows


if __name__ == "__main__":
    for found in run():
        print(found)
