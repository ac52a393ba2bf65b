"""The DuckDB path of ``crmvalue score``: the summary of the chunked pandas path, or none.

:func:`addin.tables.engine_reading.engine_summary` must give exactly the table that the
chunked reader and :class:`PurchaseTotals` give (counts, days and times equal; money to
1e-12 relative) on real and awkward logs, and must give nothing (so that the chunked
reader runs and names the bad line) whenever the chunked reader would refuse a value or
read it differently. The messages of the command are compared between the two engines.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.tables.columns import Columns
from addin.tables.engine_reading import engine_summary
from addin.tables.reading import transaction_chunks
from addin.tables.sources import ReadOptions, open_source
from crmvalue_core.scoring import PurchaseTotals
from tests.bad_logs import BAD_FILES

pytest.importorskip("duckdb")

COUNTS_AND_TIMES = ["frequency", "recency", "age", "first_purchase", "last_purchase"]


def _chunked(path: Path, options: ReadOptions, until=None, unit: str = "W") -> pd.DataFrame:
    """The summary of the chunked pandas path (the reference)."""
    source = open_source(path, options)
    totals = PurchaseTotals(until)
    for chunk in transaction_chunks(source, Columns()):
        totals.add(chunk.customer_ids, chunk.dates, chunk.amounts)
    return totals.summary(unit)


def _engine(path: Path, options: ReadOptions, until=None, unit: str = "W"):
    return engine_summary(open_source(path, options), Columns(), until, unit)


def _assert_same_summary(
    path: Path, options: ReadOptions | None = None, until=None, unit: str = "W"
) -> pd.DataFrame:
    """The engine summarises ``path`` (no fallback) exactly as the chunked path does."""
    options = options or ReadOptions()
    found = _engine(path, options, until, unit)
    assert found is not None, f"{path.name}: the engine path did not run"
    want = _chunked(path, options, until, unit)
    got = found.summary
    assert got.index.tolist() == want.index.tolist()
    for column in COUNTS_AND_TIMES:
        assert got[column].equals(want[column]), column
    np.testing.assert_allclose(got["monetary_value"], want["monetary_value"], rtol=1e-12, atol=0)
    assert found.n_customers == len(want)
    return got


def _write_parquet(frame: pd.DataFrame, path: Path, dates_as_dates: bool = True) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if dates_as_dates:
        table = table.set_column(
            table.schema.get_field_index("date"),
            "date",
            pa.array(frame["date"].to_numpy().astype("datetime64[D]")),
        )
    pq.write_table(table, path)
    return path


@pytest.fixture(scope="module")
def cdnow_log(cdnow_master) -> pd.DataFrame:
    """The CDNOW log: ids "00001" (digits with leading zeros), ISO dates, several rows a day."""
    log = cdnow_master.rename(columns={"dollar_value": "amount"})
    return pd.DataFrame(
        {
            "customer_id": log["customer_id"],
            "date": pd.to_datetime(log["date"], format="%Y%m%d"),
            "amount": log["amount"],
        }
    )


# --------------------------------------------------------------------------------------
# The same summary
# --------------------------------------------------------------------------------------


def test_cdnow_csv_and_parquet(tmp_path, cdnow_log) -> None:
    csv = tmp_path / "cdnow.csv"
    cdnow_log.to_csv(csv, index=False, date_format="%Y-%m-%d")
    got = _assert_same_summary(csv, until="1997-09-30")
    # the calibration period of Fader, Hardie and Lee (2005): 23,570 customers, ids as text
    assert len(got) == 23570 and got.index[0] == "00001"
    parquet = _write_parquet(cdnow_log, tmp_path / "cdnow.parquet")
    _assert_same_summary(parquet, until="1997-09-30", unit="D")
    timestamps = _write_parquet(cdnow_log, tmp_path / "stamps.parquet", dates_as_dates=False)
    _assert_same_summary(timestamps)


def test_cdnow_with_a_day_first_date_format(tmp_path, cdnow_log) -> None:
    csv = tmp_path / "cdnow.csv"
    cdnow_log.to_csv(csv, index=False, date_format="%d/%m/%Y", sep=";")
    _assert_same_summary(csv, ReadOptions(sep="semicolon", date_format="%d/%m/%Y"))


def test_the_simulated_benchmark_log(tmp_path) -> None:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "scoring.py"
    spec = importlib.util.spec_from_file_location("benchmark_scoring", path)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    log = benchmark.simulate_log(30_000, seed=3)
    benchmark.write_log(log, tmp_path / "log.csv")
    _assert_same_summary(tmp_path / "log.csv")
    _assert_same_summary(tmp_path / "log.csv", until="2023-09-30", unit="D")


def test_several_purchases_a_day_and_awkward_ids(tmp_path) -> None:
    text = (
        "customer_id,date,amount\n"
        "007,2024-01-01,10\n"
        "007,2024-01-01,2.5\n"
        "7,2024-01-01,1\n"
        "1.0,2024-01-02,3\n"
        "1e3,2024-01-02,4\n"
        '"Smith, John",2024-01-03,5\n'
        "Smith John,2024-01-03,6\n"
        "Zoë,2024-1-5,7\n"
        "007,2024-02-01,0.1\n"
        "007,2024-02-01,0.2\n"
        "007,2024-03-01,0\n"
        "\n"
        "=SUM(A1),2024-03-02,+8\n"
        "Smith John,2024-03-04,.5\n"
        "NA,2024-03-05,1\n"
        "NULL,2024-03-05,2\n"
    )
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    got = _assert_same_summary(path, unit="D")
    # by hand: 007 buys on 3 days (12.50, 0.30, 0); repeat spend (0.3 + 0) / 2
    assert got.loc["007", "frequency"] == 2
    assert got.loc["007", "monetary_value"] == pytest.approx(0.15, rel=1e-15)
    assert got.loc["007", "recency"] == 60 and "7" in got.index and "1e3" in got.index
    assert {"NA", "NULL"} <= set(got.index)  # text, as the file holds it, not missing


def test_number_ids_in_parquet_are_text(tmp_path) -> None:
    frame = pd.DataFrame(
        {
            "customer_id": np.array([10, 9, 10, 123456789012], dtype=np.int64),
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-02-01", "2024-02-02"]),
            "amount": np.array([1, 2, 3, 4], dtype=np.int32),
        }
    )
    path = _write_parquet(frame, tmp_path / "log.parquet")
    got = _assert_same_summary(path)
    assert got.index.tolist() == ["10", "123456789012", "9"]


def test_ids_with_spaces_around_are_left_to_the_chunked_reader(tmp_path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer_id,date,amount\n A ,2024-01-01,1\nA,2024-01-05,2\n")
    assert _engine(path, ReadOptions()) is None


ID = st.text(st.sampled_from("ab1 0,é"), min_size=1, max_size=3).filter(lambda s: s.strip() == s)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(ID, st.integers(0, 400), st.integers(0, 10**6)),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([None, 100, 250]),
)
def test_any_log_gives_the_chunked_summary(rows, until) -> None:
    """Property: for any log of good values, the engine gives the chunked path's summary."""
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame["date"] = np.datetime64("2023-01-01") + frame["date"].to_numpy().astype("m8[D]")
    frame["amount"] = frame["amount"] / 100
    end = None if until is None else np.datetime64("2023-01-01") + np.timedelta64(until, "D")
    if end is not None and not (frame["date"] <= end).any():
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        frame.to_csv(path, index=False, date_format="%Y-%m-%d")
        _assert_same_summary(path, until=end, unit="D")


# --------------------------------------------------------------------------------------
# Left to the chunked reader: it refuses these values or reads them otherwise
# --------------------------------------------------------------------------------------

HEADER = "customer_id,date,amount\nA,2024-01-01,10\n"
FALLBACKS = {
    "underscore in a number": HEADER + "B,2024-01-02,1_000\n",
    "nan": HEADER + "B,2024-01-02,nan\n",
    "infinite": HEADER + "B,2024-01-02,inf\n",
    "negative": HEADER + "B,2024-01-02,-1\n",
    "blank amount": HEADER + "B,2024-01-02,\n",
    "spaces for an amount": HEADER + "B,2024-01-02,  \n",
    "text amount": HEADER + 'B,2024-01-02,"12,50"\n',
    "blank id": HEADER + ",2024-01-02,1\n",
    "no date": HEADER + "B,,1\n",
    "a date and a time": HEADER + "B,2024-01-02 10:00:00,1\n",
    "basic ISO date": HEADER + "B,20240102,1\n",
    "two-digit year": HEADER + "B,24-01-02,1\n",
    "impossible date": HEADER + "B,2024-02-30,1\n",
    "repeated header": HEADER + "customer_id,date,amount\nB,2024-01-02,1\n",
    "ragged row": HEADER + "B,2024-01-02,1,234.50\n",
    "short row": HEADER + "B,2024-01-02\n",
    "header only": "customer_id,date,amount\n",
}


@pytest.mark.parametrize("case", list(FALLBACKS))
def test_what_the_chunked_reader_must_see_falls_back(tmp_path, case) -> None:
    path = tmp_path / "log.csv"
    path.write_text(FALLBACKS[case])
    assert _engine(path, ReadOptions()) is None


@pytest.mark.parametrize(
    "options",
    [
        ReadOptions(sep="whitespace"),
        ReadOptions(encoding="latin-1"),
        ReadOptions(date_format="%Y%m%d"),
        ReadOptions(date_format="%d/%m/%y"),
    ],
)
def test_options_the_engine_does_not_read_like_pandas_fall_back(tmp_path, options) -> None:
    path = tmp_path / "log.csv"
    sep = " " if options.sep == "whitespace" else ","
    path.write_text(f"customer_id{sep}date{sep}amount\nA{sep}2024-01-01{sep}10\n")
    assert _engine(path, options) is None


def test_a_read_option_the_engine_does_not_know_falls_back(tmp_path) -> None:
    """A new option of ReadOptions (a quoting rule, say) is not silently ignored."""
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class WithQuoting(ReadOptions):
        quoting: str | None = None

    path = tmp_path / "log.csv"
    path.write_text("customer_id;date;amount\nA;2024-01-01;1.234\n")
    assert _engine(path, WithQuoting(sep=";")) is not None
    assert _engine(path, WithQuoting(sep=";", quoting="none")) is None


def test_numbers_written_in_another_style_fall_back(tmp_path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer_id;date;amount\nA;2024-01-01;1.234\n")
    assert _engine(path, ReadOptions(sep=";", decimal="point", thousands="none")) is not None
    for options in (
        ReadOptions(sep=";", decimal="comma", thousands="point"),
        ReadOptions(sep=";", thousands="point"),
        ReadOptions(sep=";", currency_sign="¥"),
    ):
        assert _engine(path, options) is None, options


def test_a_file_name_that_reads_as_a_pattern_falls_back(tmp_path) -> None:
    (tmp_path / "log1.csv").write_text("customer_id,date,amount\nB,2024-01-01,10\n")
    path = tmp_path / "log*.csv"  # would match log1.csv too
    path.write_text("customer_id,date,amount\nA,2024-01-01,10\n")
    assert _engine(path, ReadOptions()) is None
    assert _chunked(path, ReadOptions()).index.tolist() == ["A"]


def test_a_parquet_log_with_decimal_amounts_falls_back(tmp_path) -> None:
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "customer_id": ["A"],
            "date": pa.array(np.array(["2024-01-01"], dtype="datetime64[D]")),
            "amount": pa.array([decimal.Decimal("1.50")], pa.decimal128(5, 2)),
        }
    )
    pq.write_table(table, tmp_path / "log.parquet")
    assert _engine(tmp_path / "log.parquet", ReadOptions()) is None


# --------------------------------------------------------------------------------------
# The command: the same messages, the same scores, phases on stderr
# --------------------------------------------------------------------------------------


@pytest.fixture
def crmvalue(capsys):
    from addin.cli import app as cli

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["score", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _bad_files() -> dict[str, str]:
    cases = {name: text for name, (text, _) in BAD_FILES.items()}
    return {**cases, **{f"engine: {name}": text for name, text in FALLBACKS.items()}}


@pytest.mark.parametrize("case", list(_bad_files()))
def test_bad_input_gives_the_chunked_readers_message(crmvalue, tmp_path, case) -> None:
    path = tmp_path / "log.csv"
    path.write_text(_bad_files()[case])
    results = {}
    for engine in ("duckdb", "pandas"):
        out = tmp_path / f"{engine}.csv"
        code, _, err = crmvalue(path, "--out", out, "--engine", engine, "--quiet")
        results[engine] = code, err.strip().splitlines()[-1] if err.strip() else "", out.exists()
    assert results["duckdb"] == results["pandas"]


def test_phases_are_shown_on_stderr_unless_quiet(crmvalue, tmp_path, cdnow_log) -> None:
    path = tmp_path / "log.csv"
    cdnow_log.to_csv(path, index=False, date_format="%Y-%m-%d")
    code, _, err = crmvalue(path, "--out", tmp_path / "s.csv")
    assert code == 0
    for phase in ("reading and summarising with DuckDB", "fitting BG/NBD", "writing 23,570"):
        assert f"{phase}" in err and "done in" in err, (phase, err)
    code, _, err = crmvalue(path, "--out", tmp_path / "s.csv", "--force", "--quiet")
    assert code == 0 and "DuckDB" not in err and "fitting" not in err


def test_without_pyarrow_the_summary_is_the_same(tmp_path, cdnow_log, monkeypatch) -> None:
    path = tmp_path / "cdnow.csv"
    cdnow_log.to_csv(path, index=False, date_format="%Y-%m-%d")
    with_arrow = _assert_same_summary(path, until="1997-09-30")
    source = open_source(path, ReadOptions())
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    without = engine_summary(source, Columns(), "1997-09-30").summary
    monkeypatch.undo()
    assert without.index.tolist() == with_arrow.index.tolist()
    for column in COUNTS_AND_TIMES:
        np.testing.assert_array_equal(without[column].to_numpy(), with_arrow[column].to_numpy())
    np.testing.assert_allclose(without["monetary_value"], with_arrow["monetary_value"], rtol=1e-12)


def test_the_examples_run() -> None:
    """addin/ is not among pytest's doctest paths: run the examples of the new modules here."""
    import doctest

    from addin.tables import engine_reading, progress

    for module in (engine_reading, progress):
        assert doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
