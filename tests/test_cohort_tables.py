"""Several cohorts in one sBG model, and the retention table from dates
(crmvalue_core.cohort_tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmvalue_core import CrmValueError
from crmvalue_core.cohort_retention import sbg_fit, sbg_fit_cohorts
from crmvalue_core.cohort_tables import retention_table, sbg_cohorts_log_likelihood

# Fader & Hardie (2007), Table 1: the "regular" and "high end" cohorts.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]
PUBLISHED = {"regular": (0.704, 1.182), "high end": (0.668, 3.806)}


def test_each_row_of_the_paper_table_recovers_its_published_estimates() -> None:
    table = pd.DataFrame([REGULAR, HIGH_END], index=["regular", "high end"])
    for name, row in table.iterrows():
        fit = sbg_fit_cohorts(row.to_frame().T)
        assert fit.values == pytest.approx(PUBLISHED[name], abs=0.002)


def test_joint_log_likelihood_at_per_cohort_parameters_is_the_sum_of_separate_fits() -> None:
    regular, high_end = sbg_fit(REGULAR), sbg_fit(HIGH_END)
    table = [REGULAR, HIGH_END]
    joint = sbg_cohorts_log_likelihood(
        table, [regular.alpha, high_end.alpha], [regular.beta, high_end.beta]
    )
    assert joint == pytest.approx(regular.log_likelihood + high_end.log_likelihood, rel=1e-12)
    # one shared (alpha, beta) can only do worse than a model per cohort
    shared = sbg_fit_cohorts(table)
    assert shared.log_likelihood < joint
    assert shared.log_likelihood == pytest.approx(
        sbg_cohorts_log_likelihood(table, shared.alpha, shared.beta)
    )
    assert shared.n_observations == 2000


def test_ragged_rows_are_cohorts_observed_for_fewer_periods() -> None:
    young = [*HIGH_END[:5], None, None, np.nan]
    table = [REGULAR, young]
    fit = sbg_fit_cohorts(table)
    separate = sbg_cohorts_log_likelihood([REGULAR], fit.alpha, fit.beta)
    separate += sbg_cohorts_log_likelihood([HIGH_END[:5]], fit.alpha, fit.beta)
    assert fit.log_likelihood == pytest.approx(separate, rel=1e-12)
    # the fit is the maximum: nearby parameters do worse
    for da, db in [(0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)]:
        assert sbg_cohorts_log_likelihood(table, fit.alpha + da, fit.beta + db) < (
            fit.log_likelihood
        )


def test_one_cohort_in_a_table_is_the_one_cohort_fit() -> None:
    assert sbg_fit_cohorts([REGULAR]).values == pytest.approx(sbg_fit(REGULAR).values, rel=1e-6)


def test_joint_fit_recovers_the_parameters_of_simulated_cohorts() -> None:
    rng = np.random.default_rng(11)
    rows = []
    for age in (12, 9, 6, 3):
        lifetime = rng.geometric(rng.beta(0.8, 2.5, 20_000))
        rows.append([np.sum(lifetime > t) for t in range(age + 1)] + [None] * (12 - age))
    fit = sbg_fit_cohorts(rows, confidence=0.95)
    lo, hi = np.array(fit.uncertainty.lower), np.array(fit.uncertainty.upper)
    assert np.all((lo < [0.8, 2.5]) & (hi > [0.8, 2.5]))


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ([REGULAR, [500, 400, 420, 300]], "cohort 2 (row 2), period 2: the survivors rise"),
        (
            pd.DataFrame([[100, 90, 95]], index=["2024-03"]),
            "2024-03, period 2: the survivors rise from 90 to 95",
        ),
        ([[100, None, 80]], "period 1 is blank but later periods are not"),
        ([[100, "x", 80]], "row 1, column 2 is the text 'x' (cohort 1 (row 1), period 1)"),
        ([[100, 80.5]], "is 80.5 (cohort 1 (row 1), period 1); enter a whole number"),
        ([[0, 0, 0]], "period 0 (the cohort size) is 0"),
        ([[100, None]], "has 1 value"),
        ([[100, 100, 100]], "no customer of any cohort ever churned"),
    ],
)
def test_bad_tables_get_one_clear_message(table, fragment) -> None:
    with pytest.raises(CrmValueError, match="SBG_FIT_COHORTS: ") as error:
        sbg_fit_cohorts(table)
    assert fragment in str(error.value)


# --------------------------------------------------------------------- from dates


def survivors_by_hand(starts, ends, as_of, freq="M") -> dict[str, list[int]]:
    """Loop over cohorts and periods: a customer of cohort c is active at period k when
    still active or ended in period c + k or later."""
    cohorts = sorted({pd.Period(s, freq) for s in starts})
    last = pd.Period(as_of, freq)
    out = {}
    for c in cohorts:
        row = []
        for k in range((last - c).n + 1):
            row.append(
                sum(
                    1
                    for s, e in zip(starts, ends, strict=True)
                    if pd.Period(s, freq) == c and (e is None or pd.Period(e, freq) >= c + k)
                )
            )
        out[str(c)] = row
    return out


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(0, 400))),
        min_size=1,
        max_size=40,
    ),
    freq=st.sampled_from(["M", "Q", "W"]),
)
def test_retention_table_counts_as_a_loop_over_customers_does(data, freq) -> None:
    day0 = pd.Timestamp("2023-01-01")
    starts = [day0 + pd.Timedelta(days=s) for s, _ in data]
    ends = [None if e is None else day0 + pd.Timedelta(days=s + e) for s, e in data]
    as_of = pd.Timestamp("2025-03-31")
    table = retention_table(starts, ends, freq, as_of)
    expected = survivors_by_hand(starts, ends, as_of, freq)
    assert list(table.index) == list(expected)
    for name, row in expected.items():
        got = table.loc[name].dropna().to_numpy()
        np.testing.assert_array_equal(got, row)


def test_retention_table_feeds_the_joint_fit() -> None:
    rng = np.random.default_rng(5)
    n = 30_000
    starts = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D")
    lifetime = rng.geometric(rng.beta(0.7, 1.2, n))  # the period each customer leaves in
    start_month = starts.to_period("M")
    end_month = start_month + (lifetime - 1)
    as_of = pd.Period("2023-12", "M")
    ends = [None if e > as_of else e.to_timestamp(how="end") for e in end_month]
    table = retention_table(starts, ends, "M", as_of.to_timestamp(how="end"))
    assert table.shape == (12, 24)
    fit = sbg_fit_cohorts(table, confidence=0.99)
    lo, hi = np.array(fit.uncertainty.lower), np.array(fit.uncertainty.upper)
    assert np.all((lo < [0.7, 1.2]) & (hi > [0.7, 1.2]))


@pytest.mark.parametrize(
    ("start", "end", "kwargs", "fragment"),
    [
        (["2024-01-05"], ["2023-12-01"], {}, "end item 1 (2023-12-01) is before its start"),
        (["2024-01-05", None], [None, None], {}, "start item 2 is blank"),
        (["2024-01-05"], ["soon"], {}, "end item 1 is the text 'soon'"),
        (["2024-01-05"], [None, None], {}, "start has 1 dates but end has 2"),
        (["2024-01-05"], [None], {"period": "fortnight"}, "period is 'fortnight'"),
        (["2024-01-05"], ["2024-03-01"], {"as_of": "2024-02-01"}, "as_of (2024-02-01) is before"),
    ],
)
def test_bad_dates_get_one_clear_message(start, end, kwargs, fragment) -> None:
    with pytest.raises(CrmValueError, match="RETENTION_TABLE: ") as error:
        retention_table(start, end, **kwargs)
    assert fragment in str(error.value)
