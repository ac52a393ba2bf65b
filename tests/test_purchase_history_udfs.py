"""The purchase-history Excel functions beyond the registry's own examples.

``tests/test_udfs.py`` runs every registry example (and the bad-input checks) through
xlwings' classic machinery; here: the example data are the CDNOW sample's rows, the
examples' fitted values agree with ``lifetimes``, and the whole CDNOW sample through the
UDF layer gives the published estimates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from addin.excel import example_data
from addin.excel.registry import REGISTRY
from tests.xlwings_harness import ComRange, classic_xlwings

PURCHASE_HISTORY = ["BGNBD_FIT", "BGNBD_PURCHASES", "BGNBD_P_ALIVE", "GG_FIT", "GG_SPEND"]


@pytest.fixture(scope="module")
def cdnow(cdnow_spend: pd.DataFrame) -> pd.DataFrame:
    return cdnow_spend


def _example_columns() -> tuple[np.ndarray, ...]:
    return tuple(
        np.asarray(values, dtype=float)
        for values in (
            example_data.CDNOW_EVERY_12TH_FREQUENCY,
            example_data.CDNOW_EVERY_12TH_RECENCY,
            example_data.CDNOW_EVERY_12TH_AGE,
            example_data.CDNOW_EVERY_12TH_MONETARY,
        )
    )


def test_the_registry_holds_the_six_functions_in_their_own_section() -> None:
    names = {*PURCHASE_HISTORY, "PREDICTED_CLV"}
    assert {f.section for n, f in REGISTRY.items() if n in names} == {
        "Purchase history (extension)"
    }
    assert all(REGISTRY[name].extension for name in names)


def test_example_data_are_every_12th_cdnow_customer(cdnow: pd.DataFrame) -> None:
    rows = cdnow.loc[list(example_data.CDNOW_EVERY_12TH_IDS)]
    for values, column in zip(_example_columns(), ("x", "t_x", "T", "zbar"), strict=True):
        np.testing.assert_array_equal(values, rows[column].to_numpy())


def test_example_fits_agree_with_lifetimes() -> None:
    lifetimes = pytest.importorskip("lifetimes")
    x, t_x, big_t, zbar = _example_columns()
    bg = REGISTRY["BGNBD_FIT"].examples[0].result[0]
    theirs = lifetimes.BetaGeoFitter().fit(x, t_x, big_t).params_
    np.testing.assert_allclose(bg, theirs[["r", "alpha", "a", "b"]].to_numpy(), rtol=1e-5)
    gg = REGISTRY["GG_FIT"].examples[0].result[0]
    repeat = x > 0
    theirs = lifetimes.GammaGammaFitter().fit(x[repeat], zbar[repeat]).params_
    np.testing.assert_allclose(gg, theirs[["p", "q", "v"]].to_numpy(), rtol=1e-5)


def test_the_cdnow_sample_through_excel_gives_the_published_estimates(cdnow) -> None:
    with classic_xlwings() as xl:
        column = {name: ComRange.column(cdnow[name].tolist()) for name in ("x", "t_x", "T")}
        fitted = xl.call("BGNBD_FIT", column["x"], column["t_x"], column["T"])
        spend = xl.call("GG_FIT", column["x"], ComRange.column(cdnow["zbar"].tolist()))
        alive = xl.call("BGNBD_P_ALIVE", *[ComRange([[v]]) for v in fitted[0]], *column.values())
    np.testing.assert_allclose(fitted[0], [0.243, 4.414, 0.793, 2.426], rtol=0.005)
    np.testing.assert_allclose(spend[0], [6.25, 3.74, 15.44], rtol=0.005)
    assert len(alive) == len(cdnow) and all(0 < row[0] <= 1 for row in alive)
