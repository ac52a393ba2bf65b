"""crmvalue_core.scoring: the transaction log in pieces, and scoring a customer base."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.purchase_history import bgnbd_fit, gg_fit, predicted_clv
from crmvalue_core.scoring import PurchaseTotals, concentration_curve, score_customers
from crmvalue_core.segmentation import customer_segment, value_concentration
from crmvalue_core.transactions import summary_from_transactions

EXACT = ["frequency", "recency", "age", "first_purchase", "last_purchase"]


def _random_log(seed: int, n: int = 3000, customers: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer_id": rng.choice([f"c{i:04d}" for i in range(customers)], n),
            "date": np.datetime64("2024-01-01") + rng.integers(0, 200, n).astype("m8[D]"),
            "amount": np.round(rng.gamma(2.0, 20.0, n), 2),
        }
    )


def _assert_same_summary(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got.index.equals(want.index)
    pd.testing.assert_frame_equal(got[EXACT], want[EXACT])
    np.testing.assert_allclose(got["monetary_value"], want["monetary_value"], rtol=1e-12)


def test_one_piece_is_summary_from_transactions_exactly() -> None:
    log = _random_log(1)
    want = summary_from_transactions(log["customer_id"], log["date"], log["amount"])
    got = PurchaseTotals().add(log["customer_id"], log["date"], log["amount"]).summary()
    pd.testing.assert_frame_equal(got, want)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    cuts=st.lists(st.integers(1, 2999), max_size=12),
    until=st.sampled_from([None, "2024-03-15"]),
    tree=st.booleans(),
)
def test_any_split_gives_the_same_summary(seed, cuts, until, tree) -> None:
    log = _random_log(seed)
    want = summary_from_transactions(
        log["customer_id"], log["date"], log["amount"], observation_end=until
    )
    bounds = [0, *sorted(set(cuts)), len(log)]
    pieces = [log.iloc[a:b] for a, b in itertools.pairwise(bounds)]
    if tree:  # partial totals merged pairwise, as Dask does
        parts = [
            PurchaseTotals(until).add(p["customer_id"], p["date"], p["amount"]) for p in pieces
        ]
        while len(parts) > 1:
            parts = [
                parts[i].merge(parts[i + 1]) if i + 1 < len(parts) else parts[i]
                for i in range(0, len(parts), 2)
            ]
        totals = parts[0]
    else:
        totals = PurchaseTotals(until)
        for piece in pieces:
            totals.add(piece["customer_id"], piece["date"], piece["amount"])
    _assert_same_summary(totals.summary(), want)
    assert totals.n_transactions == int((log["date"] <= (until or "2100-01-01")).sum())


def test_pieces_are_combined_in_passes(monkeypatch) -> None:
    from crmvalue_core.scoring import purchase_totals

    monkeypatch.setattr(purchase_totals, "_MIN_WAITING", 50)
    passes = []
    original = purchase_totals.PurchaseTotals._combined

    def counting(self):
        passes.append(len(self._pieces))
        return original(self)

    monkeypatch.setattr(purchase_totals.PurchaseTotals, "_combined", counting)
    log = _random_log(3, n=20_000, customers=5000)
    totals = PurchaseTotals()
    for start in range(0, len(log), 100):
        piece = log.iloc[start : start + 100]
        totals.add(piece["customer_id"], piece["date"], piece["amount"])
        assert totals._waiting <= max(2 * len(totals._done.labels), 50)
    assert len([p for p in passes if p]) > 3  # combined several times along the way
    want = summary_from_transactions(log["customer_id"], log["date"], log["amount"])
    _assert_same_summary(totals.summary(), want)


def test_merge_leaves_the_other_unchanged() -> None:
    log = _random_log(4)
    first = PurchaseTotals().add(
        log["customer_id"][:1000], log["date"][:1000], log["amount"][:1000]
    )
    second = PurchaseTotals().add(
        log["customer_id"][1000:], log["date"][1000:], log["amount"][1000:]
    )
    before = second.summary().copy()
    first.merge(second)
    pd.testing.assert_frame_equal(second.summary(), before)
    want = summary_from_transactions(log["customer_id"], log["date"], log["amount"])
    _assert_same_summary(first.summary(), want)


def test_days_as_numbers_and_numeric_ids() -> None:
    days = np.array([19723, 19723, 19737, 19730])  # 2024-01-01, -01, -15, -08
    totals = PurchaseTotals().add([7, 7, 7, 3], days, [10.0, 5.0, 20.0, 30.0])
    summary = totals.summary(time_unit="D")
    assert list(summary.index) == [3, 7]
    assert summary.loc[7, "frequency"] == 1 and summary.loc[7, "recency"] == 14.0
    assert summary.loc[7, "monetary_value"] == 20.0 and summary.loc[3, "age"] == 7.0


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda t: t.add(["a"], np.array(["2024-01-01"], "M8[D]"), [-1.0]), "amounts item 1"),
        (lambda t: t.add(["a", None], np.array(["2024-01-01"] * 2, "M8[D]"), [1, 2]), "blank"),
        (lambda t: t.add(["a"], np.array(["2024-01-01"] * 2, "M8[D]"), [1.0]), "one of each"),
        (lambda t: t.add(["a"], ["2024-01-01"], [1.0]), "parse text dates first"),
        (lambda t: t.add(["a"], np.array(["NaT"], "M8[D]"), [1.0]), "dates item 1 is blank"),
        (lambda t: t.summary(), "no transactions"),
        (lambda t: t.summary(time_unit="Y"), "time_unit"),
        (lambda t: t.merge(PurchaseTotals("2024-01-01")), "different observation ends"),
    ],
)
def test_bad_pieces_raise_clear_errors(call, words) -> None:
    with pytest.raises(CrmValueError, match=words):
        call(PurchaseTotals())


def test_an_observation_end_before_everything_leaves_nobody() -> None:
    totals = PurchaseTotals("2020-01-01").add(["a"], np.array(["2024-01-01"], "M8[D]"), [1.0])
    assert totals.n_customers == 0 and totals.n_transactions == 0
    with pytest.raises(CrmValueError, match="up to the observation end"):
        totals.summary()
    with pytest.raises(CrmValueError, match="not a date"):
        PurchaseTotals("someday")


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow(cdnow_spend: pd.DataFrame) -> pd.DataFrame:
    return cdnow_spend.rename(
        columns={"x": "frequency", "t_x": "recency", "T": "age", "zbar": "monetary_value"}
    )


def test_scoring_the_cdnow_sample_uses_the_core_functions(cdnow: pd.DataFrame) -> None:
    scored = score_customers(cdnow, months=12, discount_rate=0.01, margin=0.3)
    for name, published in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert scored.bgnbd[name] == pytest.approx(published, rel=0.005)
    for name, published in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        assert scored.gamma_gamma[name] == pytest.approx(published, rel=0.005)
    x, t_x, big_t, m = (cdnow[c] for c in ("frequency", "recency", "age", "monetary_value"))
    fit = bgnbd_fit(x, t_x, big_t)
    spend = gg_fit(x[(x > 0) & (m > 0)], m[(x > 0) & (m > 0)])
    clv = predicted_clv(*fit, *spend, x, t_x, big_t, m, 12, 0.01, 0.3)
    customers = scored.customers
    np.testing.assert_allclose(customers["predicted_clv"], clv, rtol=1e-12)
    assert customers.index.equals(cdnow.index)
    seg = customer_segment(clv, clv)
    assert list(customers["segment"]) == list(seg.labels)
    assert scored.segment_counts == seg.counts
    assert scored.concentration[0.05] == pytest.approx(value_concentration(clv, 0.05))
    assert scored.by_segment["customers"].sum() == len(cdnow)
    assert scored.by_segment["value_share"].sum() == pytest.approx(1.0)
    assert customers["rfm"].str.fullmatch(r"[1-5]{3}").all()
    assert ((customers["p_alive"] > 0) & (customers["p_alive"] <= 1)).all()


def test_given_actual_and_strategic_values_drive_the_classes(cdnow: pd.DataFrame) -> None:
    rng = np.random.default_rng(2)
    table = cdnow.assign(
        actual_value=rng.normal(50, 80, len(cdnow)), strategic_value=rng.gamma(2, 50, len(cdnow))
    )
    scored = score_customers(table)
    seg = customer_segment(table["actual_value"], table["strategic_value"])
    assert list(scored.customers["segment"]) == list(seg.labels)
    assert scored.value_column == "actual_value"
    assert scored.segment_counts["Negative"] == int((table["actual_value"] < 0).sum())


def test_scoring_refuses_what_it_cannot_score(cdnow: pd.DataFrame) -> None:
    with pytest.raises(CrmValueError, match="no column 'monetary_value'"):
        score_customers(cdnow.drop(columns="monetary_value"))
    with pytest.raises(CrmValueError, match="at least 2"):
        score_customers(cdnow.iloc[:1])
    with pytest.raises(CrmValueError, match="time_unit"):
        score_customers(cdnow, time_unit="Y")
    with pytest.raises(CrmValueError, match="not a table"):
        score_customers([1, 2, 3])


def test_concentration_curve() -> None:
    share, value, labels = concentration_curve([1.0, 3.0, 6.0], ["c", "b", "a"])
    assert share.tolist() == [0.0, 1 / 3, 2 / 3, 1.0]
    assert value.tolist() == pytest.approx([0.0, 0.6, 0.9, 1.0])
    assert labels.tolist() == ["a", "a", "b", "c"]
    share, value, _ = concentration_curve(np.arange(10_000.0), points=100)
    assert len(share) == 101 and np.all(np.diff(value) >= 0)
    with pytest.raises(CrmValueError, match="0 or less"):
        concentration_curve([0.0, 0.0])
