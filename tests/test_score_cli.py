"""``crmvalue score``: a whole customer base scored from a transaction log or a customer table.

Runs the real command line (``addin.cli.main``) in this process. The CDNOW data come from
the fixtures of ``tests/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmvalue_core.scoring import PurchaseTotals
from crmvalue_core.transactions import summary_from_transactions
from tests.bad_logs import BAD_FILES, GOOD

CDNOW_OPTIONS = [
    "--sep",
    "whitespace",
    "--date-format",
    "%Y%m%d",
    "--amount",
    "dollar_value",
    "--observation-end",
    "1997-09-30",
    "--quiet",
]
HISTORY = ["frequency", "recency", "age", "monetary_value"]
SCORES = ["expected_purchases", "p_alive", "predicted_clv"]
TRICKY_IDS = {
    "00001": '=HYPERLINK("http://x")',
    "00002": "+1",
    "00003": "-2+3",
    "00004": "@SUM(A1)",
}


@pytest.fixture
def crmvalue(monkeypatch, capsys):
    """Run ``crmvalue score ...``; return (exit status, stdout, stderr)."""
    from addin.cli import app as cli

    if "score" not in cli.COMMANDS:  # until the command is registered in addin/cli.py
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "score"))

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["score", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".xlsx":
        return pd.read_excel(path, dtype={"customer_id": str, "rfm": str})
    return pd.read_csv(path, dtype={"customer_id": str, "rfm": str})


def _assert_same_scores(got: pd.DataFrame, want: pd.DataFrame, rtol: float = 1e-9) -> None:
    assert list(got.columns) == list(want.columns)
    assert got["customer_id"].astype(str).tolist() == want["customer_id"].astype(str).tolist()
    for column in ("frequency", "rfm", "segment", "strategy"):
        assert got[column].astype(str).tolist() == want[column].astype(str).tolist(), column
    for column in ("recency", "age", *SCORES, "monetary_value"):
        np.testing.assert_allclose(got[column], want[column], rtol=rtol, err_msg=column)


def _simulated_log(customers: int, seed: int) -> pd.DataFrame:
    """Transactions of customers who follow BG/NBD (r 0.5, alpha 4, a 0.8, b 3; weeks)."""
    rng = np.random.default_rng(seed)
    rate, drop = rng.gamma(0.5, 1 / 4.0, customers), rng.beta(0.8, 3.0, customers)
    rows = []
    for customer in range(customers):
        week = rng.uniform(0, 26)
        while week < 52:
            rows.append((customer, int(week * 7), round(rng.gamma(4.0, 8.0), 2)))
            if rng.random() < drop[customer]:
                break
            week += rng.exponential(1 / rate[customer])
    who, day, amount = map(np.array, zip(*rows, strict=True))
    return pd.DataFrame(
        {
            "customer_id": who,
            "date": np.datetime64("2024-01-01") + day.astype("m8[D]"),
            "amount": amount,
        }
    )


def _only(folder: Path, *names: str) -> None:
    """The folder holds exactly these files: no output, no temporary file left behind."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


# --------------------------------------------------------------------------------------
# The CDNOW log: in memory, in chunks, with Dask
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scored_in_memory(tmp_path_factory, cdnow_master_path) -> tuple[pd.DataFrame, str]:
    """The CDNOW calibration period scored in one chunk (the in-memory path)."""
    from addin.cli import app as cli

    folder = tmp_path_factory.mktemp("in_memory")
    out = folder / "scores.csv"
    commands = cli.COMMANDS
    cli.COMMANDS = (*commands, "score") if "score" not in commands else commands
    try:
        code = cli.main(["score", str(cdnow_master_path), "--out", str(out), *CDNOW_OPTIONS])
    finally:
        cli.COMMANDS = commands
    assert code == 0
    return _read(out), out.read_text()


def test_cdnow_log_scores_every_customer_from_the_core_summary(
    scored_in_memory, cdnow_master
) -> None:
    scores, _ = scored_in_memory
    log = cdnow_master
    want = summary_from_transactions(
        log["customer_id"],
        log["date"],
        log["dollar_value"],
        observation_end="1997-09-30",
        date_format="%Y%m%d",
    )
    assert len(scores) == len(want) == 23570
    assert scores["customer_id"].tolist() == list(want.index)  # ids kept as text: "00001"
    np.testing.assert_array_equal(scores["frequency"], want["frequency"])
    for column in ("recency", "age", "monetary_value"):
        np.testing.assert_allclose(scores[column], want[column], rtol=1e-12, err_msg=column)
    assert list(scores.columns) == [
        "customer_id",
        *HISTORY,
        "rfm",
        *SCORES,
        "segment",
        "strategy",
    ]
    assert scores["rfm"].str.fullmatch(r"[1-5]{3}").all()
    counts = scores["segment"].value_counts()
    assert counts["Most valuable"] == 1179  # ceil(5% of 23,570)
    assert set(scores["strategy"]) <= {"retain", "grow", "maintain", "convert or exit"}


def test_summary_is_printed(crmvalue, tmp_path, cdnow_master_path) -> None:
    code, out, err = crmvalue(cdnow_master_path, *CDNOW_OPTIONS[:-1], "--plot", tmp_path / "c.png")
    assert code == 0, err
    assert "23,570 customers from 49,086 transactions" in out
    assert "observation end 1997-09-30" in out
    assert "BG/NBD: r 0.2516" in out  # all 23,570 customers of the calibration period
    assert "Most valuable" in out and "Top 5% of customers bring" in out
    assert "Top 20% of customers bring" in out
    assert "100%" in err  # the progress bar, on stderr
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _only(tmp_path, "c.png")


def test_chunks_give_the_in_memory_scores(
    crmvalue, tmp_path, scored_in_memory, cdnow_master_path
) -> None:
    out = tmp_path / "chunked.csv"
    code, _, err = crmvalue(cdnow_master_path, "--out", out, *CDNOW_OPTIONS, "--chunk-size", 997)
    assert code == 0, err
    _assert_same_scores(_read(out), scored_in_memory[0])


@pytest.fixture(scope="module")
def cluster():
    """A small local Dask cluster in this process, started by the test."""
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address="127.0.0.1:0",
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.ERROR,
    ) as local:
        yield local


def test_dask_gives_the_in_memory_scores(
    crmvalue, tmp_path, cluster, scored_in_memory, cdnow_master_path
) -> None:
    out = tmp_path / "dask.csv"
    code, _, err = crmvalue(
        cdnow_master_path,
        "--out",
        out,
        *CDNOW_OPTIONS,
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "--dask-blocksize",
        200_000,  # about ten partitions
    )
    assert code == 0, err
    _assert_same_scores(_read(out), scored_in_memory[0])


def test_dask_names_the_line_of_a_bad_value_in_a_later_partition(
    crmvalue, tmp_path, cluster
) -> None:
    lines = ["customer_id,date,amount"]
    lines += [f"c{i % 50},2024-01-{1 + i % 28:02d},{10 + i % 7}.5" for i in range(3000)]
    lines[2500] = "c7,2024-02-30,3.0"
    log = tmp_path / "log.csv"
    log.write_text("\n".join(lines) + "\n")
    code, _, err = crmvalue(
        log,
        "--out",
        tmp_path / "s.csv",
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "--dask-blocksize",
        8000,
        "--quiet",
    )
    assert code == 2
    assert "log.csv, line 2501: column 'date' holds '2024-02-30'" in err
    _only(tmp_path, "log.csv")


def test_dask_on_its_own_local_cluster(crmvalue, tmp_path) -> None:
    pytest.importorskip("distributed")
    log = tmp_path / "log.parquet"
    frame = _simulated_log(800, seed=5)
    frame.to_parquet(log, row_group_size=1000)
    code, _, err = crmvalue(log, "--out", tmp_path / "a.parquet", "--engine", "dask", "--quiet")
    assert code == 0, err
    code, _, err = crmvalue(log, "--out", tmp_path / "b.parquet", "--engine", "pandas", "--quiet")
    assert code == 0, err
    _assert_same_scores(_read(tmp_path / "a.parquet"), _read(tmp_path / "b.parquet"))
    want = PurchaseTotals().add(frame["customer_id"], frame["date"], frame["amount"]).summary()
    got = _read(tmp_path / "b.parquet")
    assert got["customer_id"].tolist() == sorted(map(str, want.index))


# --------------------------------------------------------------------------------------
# Customer tables, formats, text that looks like a formula
# --------------------------------------------------------------------------------------


def test_customer_table_with_mapped_columns(crmvalue, tmp_path, cdnow_spend_path) -> None:
    out = tmp_path / "sample.parquet"
    code, out_text, err = crmvalue(
        cdnow_spend_path,
        "--customer-id",
        "ID",
        "--frequency",
        "x",
        "--recency",
        "t_x",
        "--age",
        "T",
        "--monetary",
        "zbar",
        "--out",
        out,
    )
    assert code == 0, err
    assert "2,357 customers" in out_text
    assert "BG/NBD: r 0.2426, alpha 4.414, a 0.7929, b 2.426" in out_text  # the paper's
    assert "Gamma-Gamma: p 6.249, q 3.745, gamma 15.45" in out_text
    scores = _read(out)
    assert scores["customer_id"].tolist()[:3] == ["1", "2", "3"] and len(scores) == 2357


def test_actual_and_strategic_values_of_a_customer_table(crmvalue, tmp_path, cdnow_spend) -> None:
    table = cdnow_spend.reset_index()
    table = table.rename(
        columns={"ID": "customer_id", "x": "frequency", "t_x": "recency", "T": "age"}
    )
    table = table.rename(columns={"zbar": "monetary_value"})
    rng = np.random.default_rng(1)
    table["actual_value"] = rng.normal(40, 60, len(table)).round(2)
    table["strategic_value"] = rng.gamma(2.0, 30.0, len(table)).round(2)
    source = tmp_path / "customers.csv"
    table.to_csv(source, index=False)
    code, out_text, err = crmvalue(source, "--out", tmp_path / "s.csv")
    assert code == 0, err
    scores = _read(tmp_path / "s.csv")
    assert {"actual_value", "strategic_value"} <= set(scores.columns)
    negative = scores["segment"] == "Negative"
    assert negative.sum() == (table["actual_value"] < 0).sum() > 0
    assert (scores.loc[negative, "strategy"] == "convert or exit").all()
    assert "segments and concentration by actual value" in out_text


@pytest.fixture(scope="module")
def tricky_log(cdnow_master) -> pd.DataFrame:
    """The first 1,500 CDNOW customers, four of them with ids that look like formulas."""
    log = cdnow_master[cdnow_master["customer_id"] <= "01500"].copy()
    log["customer_id"] = log["customer_id"].replace(TRICKY_IDS)
    log["date"] = pd.to_datetime(log["date"], format="%Y%m%d")
    return log.rename(columns={"dollar_value": "amount"})[["customer_id", "date", "amount"]]


def test_xlsx_output_keeps_formula_like_ids_as_text(crmvalue, tmp_path, tricky_log) -> None:
    import openpyxl

    source = tmp_path / "log.csv"
    tricky_log.to_csv(source, index=False, date_format="%Y-%m-%d")
    out = tmp_path / "scores.xlsx"
    code, _, err = crmvalue(source, "--out", out, "--quiet")
    assert code == 0, err
    sheet = openpyxl.load_workbook(out).active
    ids = {row[0].value: row[0] for row in sheet.iter_rows(min_row=2)}
    for text in TRICKY_IDS.values():
        assert ids[text].data_type == "s", text
    assert sheet["A1"].value == "customer_id" and sheet["F1"].value == "rfm"
    assert all(isinstance(row[5].value, str) for row in sheet.iter_rows(min_row=2))
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    csv_scores = tmp_path / "scores.csv"
    assert crmvalue(source, "--out", csv_scores, "--quiet", "--raw-csv")[0] == 0
    _assert_same_scores(_read(out), _read(csv_scores))


def test_csv_output_neutralises_formula_like_ids(crmvalue, tmp_path, tricky_log) -> None:
    source = tmp_path / "log.csv"
    tricky_log.to_csv(source, index=False, date_format="%Y-%m-%d")
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert crmvalue(source, "--out", safe, "--quiet")[0] == 0
    assert crmvalue(source, "--out", raw, "--quiet", "--raw-csv")[0] == 0
    safe_ids = set(pd.read_csv(safe, dtype={"customer_id": str})["customer_id"])
    raw_ids = set(pd.read_csv(raw, dtype={"customer_id": str})["customer_id"])
    # OWASP: an apostrophe before text a spreadsheet would run; "+1" reads as a number
    risky = {'=HYPERLINK("http://x")', "-2+3", "@SUM(A1)"}
    assert risky <= raw_ids and not risky & safe_ids
    assert {"'" + text for text in risky} <= safe_ids
    assert "+1" in safe_ids
    # every other id is written as it is
    assert safe_ids - {"'" + text for text in risky} == raw_ids - risky


def test_xlsx_and_parquet_inputs_give_the_csv_scores(crmvalue, tmp_path, tricky_log) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    csv_source = tmp_path / "log.csv"
    tricky_log.to_csv(csv_source, index=False, date_format="%Y-%m-%d")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("log")
    sheet.append(["customer_id", "date", "amount"])
    for customer, day, amount in tricky_log.itertuples(index=False):
        cell = WriteOnlyCell(sheet, value=customer)
        cell.data_type = "s"
        sheet.append([cell, day.to_pydatetime(), float(amount)])
    workbook.save(tmp_path / "log.xlsx")
    tricky_log.to_parquet(tmp_path / "log.parquet")
    results = {}
    # XLSX is read in chunks; CSV and Parquet by DuckDB (the default) and in chunks
    for source, engine in (
        ("log.csv", "pandas"),
        ("log.xlsx", "pandas"),
        ("log.parquet", "pandas"),
        ("log.csv", "duckdb"),
        ("log.parquet", "duckdb"),
    ):
        out = tmp_path / f"from_{source.replace('.', '_')}_{engine}.csv"
        code, _, err = crmvalue(tmp_path / source, "--out", out, "--quiet", "--engine", engine)
        assert code == 0, (source, err)
        results[source, engine] = _read(out)
    _assert_same_scores(results["log.xlsx", "pandas"], results["log.csv", "pandas"], rtol=1e-12)
    _assert_same_scores(results["log.parquet", "pandas"], results["log.csv", "pandas"], rtol=1e-12)
    _assert_same_scores(results["log.parquet", "duckdb"], results["log.csv", "duckdb"], rtol=1e-12)


# --------------------------------------------------------------------------------------
# Bad input: a clear message naming the row and column, exit 2, no output file
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(BAD_FILES))
@pytest.mark.parametrize("out_name", ["out.csv", "out.xlsx"])
def test_bad_input_is_named_exits_2_and_writes_nothing(crmvalue, tmp_path, case, out_name):
    text, fragments = BAD_FILES[case]
    source = tmp_path / "log.csv"
    source.write_text(text)
    code, out, err = crmvalue(source, "--out", tmp_path / out_name, "--plot", tmp_path / "p.png")
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("crmvalue score: log.csv")
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    _only(tmp_path, "log.csv")


def test_bad_values_are_named_in_later_chunks(crmvalue, tmp_path) -> None:
    lines = ["customer_id,date,amount"] + [f"c{i},2024-01-{1 + i % 9:02d},1" for i in range(40)]
    lines[33] = "c3,2024-01-02,abc"
    source = tmp_path / "log.csv"
    source.write_text("\n".join(lines) + "\n\n")
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", "--chunk-size", 4)
    assert code == 2 and "log.csv, line 34: column 'amount' holds the text 'abc'" in err
    _only(tmp_path, "log.csv")


def test_an_xlsx_that_is_not_a_workbook(crmvalue, tmp_path) -> None:
    fake = tmp_path / "log.xlsx"
    fake.write_text(GOOD)
    code, _, err = crmvalue(fake, "--out", tmp_path / "s.csv")
    assert code == 2 and "log.xlsx: is not an Excel workbook" in err
    archive = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "hi")
    code, _, err = crmvalue(archive, "--out", tmp_path / "s.csv")
    assert code == 2 and "not an Excel workbook (it has no xl/workbook.xml)" in err
    _only(tmp_path, "log.xlsx", "zip.xlsx")


def test_bad_cells_of_an_xlsx_log_are_named_by_row(crmvalue, tmp_path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["customer_id", "date", "amount"])
    sheet.append(["A", dt.datetime(2024, 1, 1), 10.0])
    sheet.append(["B", dt.datetime(2024, 1, 2), "12.5"])
    workbook.save(tmp_path / "log.xlsx")
    code, _, err = crmvalue(tmp_path / "log.xlsx", "--out", tmp_path / "s.csv")
    assert code == 2 and "log.xlsx, row 3: column 'amount' holds the text '12.5'" in err


def test_a_customer_table_with_inconsistent_rows(crmvalue, tmp_path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "customer_id,frequency,recency,age,monetary_value\nA,2,10,30,5\nB,1,40,30,5\n"
    )
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv")
    assert code == 2 and "customers.csv, line 3: column 'recency' holds 40, above 'age'" in err
    source.write_text("customer_id,frequency,recency,age,monetary_value\nA,2,10,30,5\nA,1,4,30,5\n")
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv")
    assert code == 2 and "line 3: customer 'A' appears again (first at line 2)" in err


def test_outputs_are_never_overwritten_without_force(crmvalue, tmp_path, tricky_log) -> None:
    source = tmp_path / "log.csv"
    tricky_log.to_csv(source, index=False, date_format="%Y-%m-%d")
    out = tmp_path / "s.csv"
    out.write_text("keep me")
    code, _, err = crmvalue(source, "--out", out, "--quiet")
    assert code == 2 and "already exists" in err and "--force" in err
    assert out.read_text() == "keep me"
    code, _, err = crmvalue(source, "--out", source, "--force", "--quiet")
    assert code == 2 and "is the input file" in err
    code, _, err = crmvalue(source, "--out", tmp_path / "no" / "s.csv", "--quiet")
    assert code == 2 and "does not exist" in err
    code, _, err = crmvalue(source, "--out", tmp_path / "s.json", "--quiet")
    assert code == 2 and "give a file ending in .csv, .parquet, .xlsx" in err
    code, _, err = crmvalue(source, "--out", out, "--force", "--quiet")
    assert code == 0, err
    assert out.read_text().startswith("customer_id,frequency")
    _only(tmp_path, "log.csv", "s.csv")


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch) -> None:
    from addin.tables import writing

    def broken(frame, path, name=None, progress=None):
        path.write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(writing, "write_xlsx", broken)
    frame = pd.DataFrame({"customer_id": ["a"], "value": [1.0]})
    with pytest.raises(KeyboardInterrupt):
        writing.write_table(frame, tmp_path / "s.xlsx")
    _only(tmp_path)


def test_an_xlsx_output_refuses_more_rows_than_a_sheet_holds(tmp_path) -> None:
    from addin.cli.errors import UsageError
    from addin.tables.writing import XLSX_MAX_ROWS, check_rows_fit

    check_rows_fit(tmp_path / "s.xlsx", XLSX_MAX_ROWS)
    check_rows_fit(tmp_path / "s.csv", XLSX_MAX_ROWS + 1)
    with pytest.raises(UsageError, match=r"s\.xlsx: 1,048,576 customers do not fit in an Excel"):
        check_rows_fit(tmp_path / "s.xlsx", XLSX_MAX_ROWS + 1)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--time-unit", "M"], "--time-unit M is for customer tables"),
        (["--actual-value", "amount"], "--actual-value is for a customer table"),
        (["--observation-end", "soon"], "--observation-end 'soon' is not a date"),
        (["--observation-end", "2020-01-01"], "no transaction falls on or before"),
        (["--scheduler", "tcp://x:1"], "--scheduler needs --engine dask"),
        (["--chunk-size", "0"], "--chunk-size is 0"),
    ],
)
def test_options_that_do_not_fit(crmvalue, tmp_path, args, words) -> None:
    source = tmp_path / "log.csv"
    source.write_text(GOOD)
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", "--quiet", *args)
    assert code == 2 and words in err, err
    _only(tmp_path, "log.csv")


@pytest.mark.parametrize(("sep", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "|")])
def test_a_file_with_another_separator_is_told_which_sep_to_pass(
    crmvalue, tmp_path, sep, name
) -> None:
    source = tmp_path / "log.csv"
    rows = [["customer_id", "date", "amount"], ["C1", "2024-01-05", "11.77"]]
    source.write_text("\n".join(sep.join(row) for row in rows) + "\n", encoding="utf-8")
    code, _, err = crmvalue(source, "--out", tmp_path / "scores.csv", "--quiet")
    assert code == 2
    assert f"seems to use {sep!r} between columns: pass --sep {name}" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "scores.csv").exists()
