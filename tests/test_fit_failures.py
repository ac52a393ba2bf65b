"""How the purchase-history fits fail, and that they fail fast and speak in words.

A log where customers never stop buying does not identify BG/NBD's drop-out: the fit
must stop after a bounded amount of work and raise one CrmValueError that says what is
wrong with the data and what to try, with no library warning and no raw parameter value,
in the core, in ``score_customers`` and at the command line. The same customers in any
order (a log read in chunks or Dask partitions) give the same parameters, and the
scores are evaluated once per distinct history with the per-customer result.
"""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core import _fitting as fitting
from crmvalue_core.purchase_history import (
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_p_alive,
    gg_fit,
    predicted_clv,
)
from crmvalue_core.purchase_history._bgnbd_model import BgnbdLikelihood
from crmvalue_core.purchase_history._histories import distinct_rows
from crmvalue_core.scoring import PurchaseTotals, score_customers
from crmvalue_core.transactions import summary_from_transactions

#: A number as a parameter would be quoted: 1.031e-05, 0.0034, 52773804.1, 6.25.
RAW_NUMBER = re.compile(r"\d\.\d|\de-?\d")


def _never_stopping_log(customers: int, rows: int, seed: int, days: int = 365) -> pd.DataFrame:
    """Customers buying on random days of the window, never stopping (the benchmark's
    no-drop-out log, small)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer_id": rng.integers(0, customers, rows),
            "date": np.datetime64("2024-01-01") + rng.integers(0, days, rows).astype("m8[D]"),
            "amount": np.round(rng.gamma(2.0, 20.0, rows), 2),
        }
    )


def _summary(log: pd.DataFrame) -> pd.DataFrame:
    return summary_from_transactions(
        log["customer_id"], log["date"], log["amount"], observation_end="2024-12-31"
    )


def _loyal_histories(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers with Gamma-distributed purchase rates who never stop, over 52 weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.7, 1 / 3.0, n)
    age = 52.0 - rng.uniform(0, 52, n)
    x = rng.poisson(rate * age).astype(float)
    # the last of x uniform purchase times in (0, age] is age * Beta(x, 1)
    recency = np.where(x > 0, age * rng.beta(np.maximum(x, 1), 1.0), 0.0)
    return x, recency, age


def _assert_says_no_dropout(error: CrmValueError) -> None:
    message = str(error)
    assert message.startswith("BGNBD_FIT: ")
    assert "cannot estimate" in message and "stop" in message
    assert "longer observation window" in message and "more customers" in message
    assert "model without drop-out" in message
    assert not RAW_NUMBER.search(message), message


@pytest.fixture
def counted_evaluations(monkeypatch) -> list[int]:
    """How many times the BG/NBD log-likelihood (value or gradient) is evaluated."""
    calls = [0]
    for name in ("value", "gradient"):
        original = getattr(BgnbdLikelihood, name)

        def counting(self, params, _original=original):
            calls[0] += 1
            return _original(self, params)

        monkeypatch.setattr(BgnbdLikelihood, name, counting)
    return calls


# --------------------------------------------------------------------------------------
# A log without drop-out
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_never_stopping_customers_raise_one_message_in_bounded_work(
    seed, counted_evaluations
) -> None:
    summary = _summary(_never_stopping_log(3000, 17_000, seed))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any library warning fails the test
        with pytest.raises(CrmValueError) as raised:
            bgnbd_fit(summary["frequency"], summary["recency"], summary["age"])
    message = str(raised.value)
    assert "almost no customer stops buying" in message or "same steady rate" in message
    _assert_says_no_dropout(raised.value)
    # bounded: the iteration cap of the search, its function calls and no polish
    assert counted_evaluations[0] <= 4 * fitting.MAX_ITERATIONS


@pytest.mark.parametrize("seed", [4, 5])
def test_loyal_customers_with_different_rates_cannot_estimate_dropout(
    seed, counted_evaluations
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CrmValueError, match="almost no customer stops buying") as raised:
            bgnbd_fit(*_loyal_histories(20_000, seed))
    _assert_says_no_dropout(raised.value)
    # the search stops soon after the drop-out share falls below the floor
    assert counted_evaluations[0] < 2 * fitting.MAX_ITERATIONS


def test_dropout_floor_separates_cdnow_from_loyal_customers(cdnow_spend) -> None:
    """The floor sits far from both: CDNOW's fitted share gone is about a third."""
    from crmvalue_core.purchase_history.bgnbd import DROPOUT_FLOOR

    x, t_x, big_t = (cdnow_spend[c].to_numpy(float) for c in ("x", "t_x", "T"))
    fit = bgnbd_fit(x, t_x, big_t)
    gone = 1.0 - bgnbd_p_alive(*fit, x, t_x, big_t)[x > 0]
    assert gone.mean() > 40 * DROPOUT_FLOOR
    model = BgnbdLikelihood(x, t_x, big_t)
    assert model.dropped_share(np.array(fit.values)) == pytest.approx(gone.mean(), rel=1e-12)


def test_score_customers_passes_the_message_on(tmp_path) -> None:
    table = _summary(_never_stopping_log(3000, 17_000, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CrmValueError) as raised:
            score_customers(table)
    assert str(raised.value).startswith("BGNBD_FIT: ")
    assert not RAW_NUMBER.search(str(raised.value))


def test_crmvalue_score_shows_one_clean_line(tmp_path, capsys, monkeypatch) -> None:
    from addin.cli import app as cli

    if "score" not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "score"))
    log = _never_stopping_log(3000, 17_000, 2)
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = cli.main(["score", str(path), "--out", str(tmp_path / "s.csv"), "--quiet"])
    _, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("crmvalue score: BGNBD_FIT: ")
    assert "Traceback" not in err and "Warning" not in err
    assert not RAW_NUMBER.search(lines[0]), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.csv"]  # no output written


def test_a_fit_out_of_iterations_says_so(monkeypatch, cdnow_spend) -> None:
    monkeypatch.setattr(fitting, "MAX_ITERATIONS", 2)
    x, t_x, big_t = (cdnow_spend[c] for c in ("x", "t_x", "T"))
    with pytest.raises(CrmValueError, match="did not settle on a clear optimum \\(in 2 steps"):
        bgnbd_fit(x, t_x, big_t)


# --------------------------------------------------------------------------------------
# The optimum, to rounding
# --------------------------------------------------------------------------------------


def test_cdnow_fits_sit_at_the_optimum_to_rounding(cdnow_spend) -> None:
    """The gradient in log-parameters at the fit is zero to rounding (L-BFGS-B alone
    stops at about 1e-7 relative)."""
    x, t_x, big_t = (cdnow_spend[c].to_numpy(float) for c in ("x", "t_x", "T"))
    fit = bgnbd_fit(x, t_x, big_t)
    model = BgnbdLikelihood(x, t_x, big_t)
    params = np.array(fit.values)
    in_logs = model.gradient(params) * params / model.n
    assert np.max(np.abs(in_logs)) < 1e-9


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_same_customers_in_any_order_give_the_same_fit(cdnow_spend, seed) -> None:
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(cdnow_spend))
    x, t_x, big_t, m = (cdnow_spend[c].to_numpy(float) for c in ("x", "t_x", "T", "zbar"))
    assert bgnbd_fit(x[order], t_x[order], big_t[order]) == bgnbd_fit(x, t_x, big_t)
    repeat = x > 0
    xs, ms = x[repeat], m[repeat]
    shuffled = rng.permutation(xs.size)
    assert gg_fit(xs[shuffled], ms[shuffled]) == gg_fit(xs, ms)
    # spends that differ by rounding (sums in another order): equal to far below 1e-9
    nudged = ms * (1.0 + rng.choice([-1, 0, 1], ms.size) * np.finfo(float).eps)
    moved = np.array(gg_fit(xs, nudged).values) / np.array(gg_fit(xs, ms).values) - 1.0
    assert np.max(np.abs(moved)) < 1e-9


def _partitions_merged(log: pd.DataFrame, bounds: list[int], order: list[int]) -> pd.DataFrame:
    """The summary of the log's partitions, taken in ``order`` and merged pairwise (as
    Dask merges partial totals as they finish)."""
    parts = [
        PurchaseTotals("1997-09-30").add(p["customer_id"], p["date"], p["dollar_value"])
        for p in (log.iloc[a:b] for a, b in itertools.pairwise(bounds))
    ]
    parts = [parts[i] for i in order]
    while len(parts) > 1:
        merged = [parts[i].merge(parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        parts = merged + (parts[-1:] if len(parts) % 2 else [])
    return parts[0].summary()


def test_partitions_in_any_order_give_parameters_equal_to_1e_9(cdnow_master) -> None:
    """The Dask engine's merge order must not move the parameters: on the CDNOW log the
    money sums differ by rounding between orders (about 1e-15), the fits by far less
    than 1e-9 (before the Newton steps, Gamma-Gamma differed by up to 1e-6)."""
    log = cdnow_master.assign(date=pd.to_datetime(cdnow_master["date"], format="%Y%m%d"))
    log = log.sample(frac=1.0, random_state=3)
    bounds = [0, 7000, 20_000, 31_000, 45_000, 52_000, len(log)]
    summaries, fits = [], []
    for order in ([0, 1, 2, 3, 4, 5], [5, 3, 1, 0, 4, 2], [2, 5, 0, 4, 3, 1]):
        summary = _partitions_merged(log, bounds, order)
        scored = score_customers(summary)
        summaries.append(summary["monetary_value"].to_numpy())
        fits.append(np.array([*scored.bgnbd.values, *scored.gamma_gamma.values]))
    assert any(np.any(other != summaries[0]) for other in summaries[1:])  # rounding differs
    for other in fits[1:]:
        np.testing.assert_allclose(other, fits[0], rtol=1e-9, atol=0)


# --------------------------------------------------------------------------------------
# Predictions once per distinct history
# --------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from([0.0, -0.0, 0.5, 2.0]), st.integers(0, 2)),
        min_size=1,
        max_size=60,
    )
)
def test_distinct_rows_rebuild_the_columns(rows) -> None:
    columns = [np.array([row[k] for row in rows], dtype=float) for k in range(3)]
    distinct, counts, inverse = distinct_rows(*columns)
    for column, values in zip(columns, distinct, strict=True):
        np.testing.assert_array_equal(values[inverse], column)
    unique, unique_counts = np.unique(np.column_stack(columns), axis=0, return_counts=True)
    np.testing.assert_array_equal(np.column_stack(distinct), unique)
    np.testing.assert_array_equal(counts, unique_counts)
    # any order of the rows gives the same distinct rows and counts
    reversed_ = distinct_rows(*(c[::-1] for c in columns))
    np.testing.assert_array_equal(np.column_stack(reversed_[0]), unique)
    np.testing.assert_array_equal(reversed_[1], counts)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    customers=st.integers(2, 300),
    drop=st.floats(0.0, 0.9),
    weeks=st.floats(2.0, 104.0),
)
def test_any_history_gives_an_optimum_or_one_message(seed, customers, drop, weeks) -> None:
    """Random bases, from plain BG/NBD to nobody ever leaving: the fit returns a point
    where the gradient vanishes, or raises a CrmValueError without a raw number; never a
    warning, never another exception."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(rng.uniform(0.2, 5.0), 1.0, customers)
    age = rng.uniform(0.1, 1.0, customers) * weeks
    times = rng.exponential(1.0, (customers, 30)).cumsum(axis=1) / rate[:, None]
    bought = (times <= age[:, None]).sum(axis=1)
    x = np.minimum(bought, rng.geometric(max(drop, 1e-9), customers) - 1 if drop else bought)
    recency = np.where(x > 0, times[np.arange(customers), np.maximum(x - 1, 0)], 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            fit = bgnbd_fit(x, recency, age)
        except CrmValueError as error:
            assert str(error).startswith("BGNBD_FIT: ")
            assert not RAW_NUMBER.search(str(error)), str(error)
            return
    model = BgnbdLikelihood(x.astype(float), recency, age)
    params = np.array(fit.values)
    in_logs = model.gradient(params) * params / model.n
    assert np.max(np.abs(in_logs)) <= fitting.GRADIENT_TOLERANCE * max(
        1.0, abs(fit.log_likelihood) / model.n
    )


def test_scores_per_distinct_history_equal_the_per_customer_scores(cdnow_spend) -> None:
    """CDNOW with every customer four times: the scores equal the core functions
    evaluated on every customer."""
    table = cdnow_spend.rename(
        columns={"x": "frequency", "t_x": "recency", "T": "age", "zbar": "monetary_value"}
    )
    table = pd.concat([table] * 4, ignore_index=True)
    scored = score_customers(table, months=12, discount_rate=0.01, margin=0.3)
    r, alpha, a, b = scored.bgnbd
    x, t_x, big_t, m = (table[c] for c in ("frequency", "recency", "age", "monetary_value"))
    horizon = 12 * 4.345
    customers = scored.customers
    np.testing.assert_array_equal(
        customers["expected_purchases"],
        bgnbd_expected_purchases(r, alpha, a, b, horizon, x, t_x, big_t),
    )
    np.testing.assert_array_equal(
        customers["p_alive"], bgnbd_p_alive(r, alpha, a, b, x, t_x, big_t)
    )
    # the monthly sum is a matrix product: BLAS may round its last bit by block shape
    np.testing.assert_allclose(
        customers["predicted_clv"],
        predicted_clv(*scored.bgnbd, *scored.gamma_gamma, x, t_x, big_t, m, 12, 0.01, 0.3),
        rtol=1e-15,
        atol=0,
    )
