"""The fits' standard errors and the multi-cohort sBG fit through xlwings' classic machinery
(tests/xlwings_harness.py); tests/test_udfs.py runs the registry examples, here the
whole CDNOW sample and the cells a user leaves blank."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.xlwings_harness import ComRange, classic_xlwings

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


@pytest.fixture(scope="module")
def xl():
    with classic_xlwings() as harness:
        yield harness


def test_cdnow_standard_errors_through_excel_equal_lifetimes(xl, cdnow_spend: pd.DataFrame):
    import lifetimes

    column = {name: ComRange.column(cdnow_spend[name].tolist()) for name in ("x", "t_x", "T")}
    rows = xl.call("BGNBD_FIT", column["x"], column["t_x"], column["T"], ComRange([[0.95]]))
    assert len(rows) == 4 and all(len(row) == 4 for row in rows)
    theirs = lifetimes.BetaGeoFitter().fit(cdnow_spend["x"], cdnow_spend["t_x"], cdnow_spend["T"])
    np.testing.assert_allclose(rows[1], theirs.summary["se(coef)"].to_numpy(), rtol=1e-3)
    assert all(lo < v < hi for lo, v, hi in zip(rows[2], rows[0], rows[3], strict=True))
    zbar = ComRange.column(cdnow_spend["zbar"].tolist())
    spend = xl.call("GG_FIT", column["x"], zbar, ComRange([[0.95]]))
    repeat = cdnow_spend[cdnow_spend["x"] > 0]
    gg = lifetimes.GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
    np.testing.assert_allclose(spend[1], gg.summary["se(coef)"].to_numpy(), rtol=1e-3)


def test_a_blank_confidence_cell_keeps_the_one_row(xl) -> None:
    plain = xl.call("SBG_FIT", ComRange.column(REGULAR))
    blank = xl.call("SBG_FIT", ComRange.column(REGULAR), ComRange([[None]]))
    assert len(plain) == 1 and blank == plain
    full = xl.call("SBG_FIT", ComRange.column(REGULAR), ComRange([[0.9]]))
    assert full[0] == plain[0] and len(full) == 4


def test_a_bad_confidence_is_the_cell_message(xl) -> None:
    shown = xl.call("SBG_FIT", ComRange.column(REGULAR), ComRange([[95]]))
    assert shown[0][0].startswith("SBG_FIT: confidence is 95; enter a level between 0 and 1")


def test_several_cohorts_from_a_range_with_blank_cells(xl) -> None:
    young = [*HIGH_END[:5], None, None, None]
    shown = xl.call("SBG_FIT_COHORTS", ComRange([REGULAR, young]), ComRange([[0.95]]))
    from crmvalue_core.cohort_retention import sbg_fit_cohorts

    expected = sbg_fit_cohorts([REGULAR, HIGH_END[:5]], confidence=0.95).rows()
    np.testing.assert_allclose(shown, expected, rtol=1e-12)
    rising = xl.call(
        "SBG_FIT_COHORTS", ComRange([REGULAR, [500, 300, 320, None, None, None, None, None]])
    )
    assert "cohort 2 (row 2), period 2: the survivors rise from 300 to 320" in rising[0][0]
