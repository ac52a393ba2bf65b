"""Fixtures shared by the test modules: the CDNOW data set.

CDNOW is the purchase history of the 23,570 customers who first bought at the online music
retailer CDNOW in the first quarter of 1997, followed to the end of June 1998, as published by
Fader and Hardie for the BG/NBD, Pareto/NBD and Gamma-Gamma papers. The files ship with
``lifetimes`` (a test dependency), so every test reads them from the installed package through
:mod:`importlib.resources`: the tests need nothing beside the repository.

A missing file is an error, not a skip: a test that proves a number against the published
estimates must not pass quietly by not running.

The frames are read once per session and shared: a test that changes one works on a copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

#: The installed package that holds the CDNOW files.
CDNOW_PACKAGE = "lifetimes.datasets"
#: Every transaction (69,659 rows): customer_id, date (YYYYMMDD), number_of_cds,
#: dollar_value; whitespace separated, with a header line.
CDNOW_MASTER = "CDNOW_master.txt"
#: The 2,357-customer sample of the papers as transactions: master id, sample id, date,
#: number of CDs, dollar value; no header.
CDNOW_SAMPLE = "CDNOW_sample.txt"
#: The sample as histories, in weeks: ID, frequency, recency, T.
CDNOW_SUMMARY = "cdnow_customers_summary.csv"
#: The sample as histories with spend, in weeks: ID, x, t_x, T, zbar (mean repeat purchase).
CDNOW_SPEND = "cdnow_customers_summary_with_transactions.csv"


def _cdnow_file(name: str, stack: ExitStack) -> Path:
    """The path of one CDNOW file of ``lifetimes``; an error saying how to get it if absent."""
    try:
        resource = resources.files(CDNOW_PACKAGE) / name
    except ModuleNotFoundError as error:
        raise RuntimeError(
            f"the CDNOW data come with the test dependency lifetimes ({error}); "
            "install the test extras: pip install -e '.[test]'"
        ) from error
    if not resource.is_file():
        raise RuntimeError(
            f"{CDNOW_PACKAGE} has no {name}: reinstall lifetimes (pip install -e '.[test]')"
        )
    return stack.enter_context(resources.as_file(resource))


@pytest.fixture(scope="session")
def _cdnow_files() -> Iterator[ExitStack]:
    """Keeps the CDNOW files on disk for the session (they are already, when installed)."""
    with ExitStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def cdnow_master_path(_cdnow_files: ExitStack) -> Path:
    """The CDNOW transaction log as a file, for the command line."""
    return _cdnow_file(CDNOW_MASTER, _cdnow_files)


@pytest.fixture(scope="session")
def cdnow_spend_path(_cdnow_files: ExitStack) -> Path:
    """The CDNOW sample with spend (ID, x, t_x, T, zbar) as a file, for the command line."""
    return _cdnow_file(CDNOW_SPEND, _cdnow_files)


@pytest.fixture(scope="session")
def cdnow_master(cdnow_master_path: Path) -> pd.DataFrame:
    """Every CDNOW transaction; customer ids ("00001") and dates ("19970101") as text."""
    log = pd.read_csv(cdnow_master_path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    assert len(log) == 69659
    return log


@pytest.fixture(scope="session")
def cdnow_summary(_cdnow_files: ExitStack) -> pd.DataFrame:
    """The 2,357-customer sample: frequency, recency, T (weeks), indexed by ID (1..2357)."""
    return pd.read_csv(_cdnow_file(CDNOW_SUMMARY, _cdnow_files), index_col="ID")


@pytest.fixture(scope="session")
def cdnow_spend(cdnow_spend_path: Path) -> pd.DataFrame:
    """The same sample as x, t_x, T (weeks) and zbar (mean repeat purchase), indexed by ID."""
    return pd.read_csv(cdnow_spend_path, index_col="ID")


@pytest.fixture(scope="session")
def cdnow_sample_ids(_cdnow_files: ExitStack) -> pd.Series:
    """Sample ID (1..2357) -> the customer's id in the transaction log ("00004")."""
    path = _cdnow_file(CDNOW_SAMPLE, _cdnow_files)
    sample = pd.read_csv(
        path, sep=r"\s+", header=None, usecols=[0, 1], names=["m", "s"], dtype={"m": str}
    )
    return sample.drop_duplicates().set_index("s")["m"]
