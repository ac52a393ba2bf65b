"""``crmvalue score --clv-intervals DRAWS``: each customer's P10/P50/P90 of the predicted
CLV in the output table and the customer equity's in the summary, on the CDNOW sample.

The figures are checked against a plain numpy re-drawing of the parameters (the same
seeded normal draws on the log scale, BG/NBD first) with every draw's CLV evaluated in
full by ``predicted_clv`` (itself checked against lifetimes in test_purchase_history.py),
whereas the command expands each customer's purchases to first order for a base of this
size (2,357 customers x 200 draws).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from crmvalue_core.purchase_history import bgnbd_fit, gg_fit, predicted_clv

DRAWS = 200
SAMPLE_COLUMNS = ["--customer-id", "ID", "--frequency", "x", "--recency", "t_x", "--age", "T"]
SAMPLE_OPTIONS = [*SAMPLE_COLUMNS, "--monetary", "zbar", "--margin", "0.3", "--quiet"]


@pytest.fixture
def crmvalue(monkeypatch, capsys):
    """Run ``crmvalue score ...``; return (exit status, stdout, stderr)."""
    from addin.cli import app as cli

    if "score" not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "score"))

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["score", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def redrawn(cdnow_spend: pd.DataFrame) -> np.ndarray:
    """Each CDNOW customer's 12-month CLV (30% margin) at each of the seeded draws."""
    x, t_x, big_t, zbar = (cdnow_spend[c].to_numpy(float) for c in ("x", "t_x", "T", "zbar"))
    spenders = (x > 0) & (zbar > 0)
    fits = (bgnbd_fit(x, t_x, big_t, confidence=0.95), gg_fit(x[spenders], zbar[spenders], 0.95))
    rng = np.random.default_rng(0)
    draws = []
    for fit in fits:
        factor = np.linalg.cholesky(np.array(fit.uncertainty.log_covariance))
        z = rng.standard_normal((DRAWS, len(fit.values)))
        draws.append(np.exp(np.log(fit.values) + z @ factor.T))
    return np.column_stack(
        [
            predicted_clv(*b, *g, x, t_x, big_t, zbar, 12, 0.01, 0.3)
            for b, g in zip(draws[0], draws[1], strict=True)
        ]
    )


def _money(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_intervals_in_the_table_and_the_equity_in_the_summary(
    crmvalue, tmp_path, cdnow_spend_path, redrawn
) -> None:
    plain = tmp_path / "plain.csv"
    assert crmvalue(cdnow_spend_path, *SAMPLE_OPTIONS, "--out", plain)[0] == 0
    out = tmp_path / "intervals.csv"
    code, text, err = crmvalue(
        cdnow_spend_path, *SAMPLE_OPTIONS, "--out", out, "--clv-intervals", DRAWS
    )
    assert code == 0, err
    scores, before = pd.read_csv(out), pd.read_csv(plain)
    assert list(scores.columns) == [*before.columns, "clv_p10", "clv_p50", "clv_p90"]
    pd.testing.assert_frame_equal(scores[before.columns], before)  # nothing else changes
    p10, p50, p90 = (scores[c].to_numpy() for c in ("clv_p10", "clv_p50", "clv_p90"))
    assert np.all((p10 <= p50) & (p50 <= p90))
    # each customer against the full evaluation of every draw (the expansion is close)
    want = np.percentile(redrawn, [10, 50, 90], axis=1)
    for got, expected in zip((p10, p50, p90), want, strict=True):
        np.testing.assert_allclose(got, expected, rtol=0.05, atol=0.02)

    found = re.search(
        r"Customer equity \(sum of the predicted CLV\) ([\d,.]+): P10 ([\d,.]+), "
        r"P50 ([\d,.]+), P90 ([\d,.]+) \(the fits' estimation uncertainty, 200 draws, seed 0\)",
        text,
    )
    assert found, text
    equity, *percentiles = (_money(value) for value in found.groups())
    assert equity == pytest.approx(before["predicted_clv"].sum(), abs=0.006)
    np.testing.assert_allclose(
        percentiles, np.percentile(redrawn.sum(axis=0), [10, 50, 90]), rtol=0.005
    )
    assert percentiles[0] < equity < percentiles[2]


def test_the_same_draws_give_the_same_table(crmvalue, tmp_path, cdnow_spend_path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        assert (
            crmvalue(cdnow_spend_path, *SAMPLE_OPTIONS, "--out", path, "--clv-intervals", 50)[0]
            == 0
        )
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("draws", ["1", "0", "-5"])
def test_too_few_draws_are_refused_and_nothing_is_written(
    crmvalue, tmp_path, cdnow_spend_path, draws
) -> None:
    out = tmp_path / "scores.csv"
    code, _, err = crmvalue(
        cdnow_spend_path, *SAMPLE_OPTIONS, "--out", out, "--clv-intervals", draws
    )
    assert code == 2
    assert f"--clv-intervals is {draws}; give a number of draws >= 2" in err
    assert "Traceback" not in err and not out.exists()


def test_a_base_too_small_for_the_spend_model_gets_one_message(
    crmvalue, tmp_path, cdnow_spend
) -> None:
    small = tmp_path / "small.csv"
    cdnow_spend.reset_index().iloc[11:400:12].to_csv(small, index=False)  # 33 customers
    out = tmp_path / "scores.csv"
    code, _, err = crmvalue(small, *SAMPLE_OPTIONS, "--out", out, "--clv-intervals", 500)
    assert code == 2
    assert "intervals of the predicted CLV" in err and "too uncertain" in err
    assert "Traceback" not in err and not out.exists()


def test_another_seed_gives_other_draws_and_says_so(crmvalue, tmp_path, cdnow_spend_path) -> None:
    runs = {}
    for seed in ("0", "7", "7"):
        out = tmp_path / f"seed{seed}-{len(runs)}.csv"
        code, text, err = crmvalue(
            cdnow_spend_path, *SAMPLE_OPTIONS, "--out", out, "--clv-intervals", 50, "--seed", seed
        )
        assert code == 0, err
        assert f"(the fits' estimation uncertainty, 50 draws, seed {seed})." in text
        runs[out.name] = pd.read_csv(out)
    zero, seven, again = runs.values()
    pd.testing.assert_frame_equal(seven, again)  # the same seed: the same intervals
    assert not np.allclose(zero["clv_p10"], seven["clv_p10"])  # another seed: other draws
    pd.testing.assert_series_equal(zero["predicted_clv"], seven["predicted_clv"])


def test_a_negative_seed_is_refused_with_one_message(crmvalue, tmp_path, cdnow_spend_path) -> None:
    out = tmp_path / "scores.csv"
    code, _, err = crmvalue(
        cdnow_spend_path, *SAMPLE_OPTIONS, "--out", out, "--clv-intervals", 50, "--seed", "-1"
    )
    assert code == 2, err
    assert "seed" in err and ">= 0" in err
    assert "Traceback" not in err and not out.exists()
