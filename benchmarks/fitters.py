"""The fitters: BG/NBD and Gamma-Gamma on the CDNOW sample, sBG on the regular cohort.

Peers: ``lifetimes`` 0.11 (``BetaGeoFitter``, ``GammaGammaFitter``) on the same data in
the same run, when installed; the note shows both sets of parameters. For SBG_FIT, whose
model ``lifetimes`` lacks, the peer is the textbook approach: the sBG log-likelihood
written with ``scipy.special.betaln`` and minimised by ``scipy.optimize.minimize``
(Nelder-Mead) from (1, 1). The CDNOW sample is read from the copy that ships with
``lifetimes`` (``lifetimes.datasets``, a bench dependency); without it the CDNOW cases are
skipped with a note.

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

from crmvalue_core.cohort_retention import sbg_fit  # noqa: E402
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit  # noqa: E402

#: Timed calls per case (the best counts).
REPEAT = 5
#: The package and file of the CDNOW sample with spend (ID, x, t_x, T, zbar).
CDNOW_PACKAGE = "lifetimes.datasets"
CDNOW_SPEND = "cdnow_customers_summary_with_transactions.csv"
REGULAR_COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]


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
    return rows


if __name__ == "__main__":
    for found in run():
        print(found)
