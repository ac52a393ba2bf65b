"""``crmvalue score`` on files shaped like real CRM and shop exports.

Each export is built from one clean transaction log (ISO dates, plain numbers) and must
score to exactly the customers, frequencies and money values of that log, or be refused
with one message that names the option to pass. The clean log's per-customer summary is
checked against ``lifetimes`` (a peer library), so the reference is not this code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.tables import reading
from addin.tables.columns import Columns
from addin.tables.numbers import STYLES, NumberStyle, parse_numbers, settle_style
from addin.tables.sources import ReadOptions, open_source, seems_separated_by

SPACED_IDS = {"C00008": " C00008", "C00009": "C00009 ", "C00010": "C 00010"}
FORMULA_IDS = {"C00011": "=1+1", "C00012": "@SUM(A1)", "C00013": "-2+3"}
OUTPUT = ["customer_id", "frequency", "recency", "age", "monetary_value", "predicted_clv"]


@pytest.fixture
def crmvalue(monkeypatch, capsys):
    """Run ``crmvalue score ...``; return (exit status, stdout, stderr)."""
    from addin.cli import app as cli

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["score", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def clean_log() -> pd.DataFrame:
    """A log of 400 customers, amounts from 0.50 to over a million (2 decimals), with ids
    that hold spaces, ids that look like formulas, and 'C00008' beside ' C00008'."""
    rng = np.random.default_rng(7)
    rows = []
    for customer in range(400):
        day = int(rng.integers(0, 200))
        for _ in range(int(rng.geometric(0.35))):
            amount = round(float(rng.gamma(1.2, 700.0)) + 0.5, 2)
            rows.append((f"C{customer:05d}", dt.date(2024, 1, 1) + dt.timedelta(day), amount))
            day += int(rng.integers(1, 60))
    log = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    log.loc[3, "amount"] = 1_234_567.89
    log.loc[5, "amount"] = 1177.0
    log["customer_id"] = log["customer_id"].replace({**SPACED_IDS, **FORMULA_IDS})
    extra = log[log["customer_id"] == " C00008"].assign(customer_id="C00008")
    return pd.concat([log, extra], ignore_index=True)


def _clean_csv(log: pd.DataFrame, path: Path) -> Path:
    log.assign(date=pd.to_datetime(log["date"]).dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    return path


def _scores(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"customer_id": str, "rfm": str}, keep_default_na=False)
    return frame.sort_values("customer_id", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def clean_scores(clean_log, tmp_path_factory) -> pd.DataFrame:
    """The clean log scored by the command (--raw-csv: ids exactly as given)."""
    from addin.cli import app as cli

    folder = tmp_path_factory.mktemp("clean")
    out = folder / "scores.csv"
    source = _clean_csv(clean_log, folder / "log.csv")
    assert cli.main(["score", str(source), "--out", str(out), "--quiet", "--raw-csv"]) == 0
    return _scores(out)


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got["customer_id"].tolist() == want["customer_id"].tolist()
    assert got["frequency"].tolist() == want["frequency"].tolist()
    for column in ("recency", "age", "monetary_value", "predicted_clv", "p_alive"):
        np.testing.assert_allclose(got[column], want[column], rtol=1e-12, err_msg=column)


def test_the_clean_log_matches_lifetimes(clean_log, clean_scores) -> None:
    utils = pytest.importorskip("lifetimes.utils")
    theirs = utils.summary_data_from_transaction_data(
        clean_log.assign(date=pd.to_datetime(clean_log["date"])),
        "customer_id",
        "date",
        monetary_value_col="amount",
        freq="D",
    )
    ours = clean_scores.set_index("customer_id").loc[theirs.index]
    assert len(clean_scores) == clean_log["customer_id"].nunique() == len(theirs)
    np.testing.assert_array_equal(ours["frequency"], theirs["frequency"])
    np.testing.assert_allclose(ours["recency"] * 7, theirs["recency"], rtol=1e-9)  # weeks
    np.testing.assert_allclose(ours["monetary_value"], theirs["monetary_value"], rtol=1e-9)
    # ids as given: ' C00008' and 'C00008' are two customers, spaces kept
    assert {" C00008", "C00008", "C00009 ", "C 00010", "=1+1"} <= set(clean_scores["customer_id"])


# --------------------------------------------------------------------------------------
# A German shop export and a US CRM export
# --------------------------------------------------------------------------------------


def _german(amount: float) -> str:
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _german_export(log: pd.DataFrame, path: Path) -> Path:
    """Semicolon-separated, '1.177,00', dates dd.mm.yyyy, an order number and a currency."""
    lines = ["Bestellnr;customer_id;date;amount;Währung"]
    for number, (customer, day, amount) in enumerate(log.itertuples(index=False)):
        lines.append(f"{100000 + number};{customer};{day:%d.%m.%Y};{_german(amount)};EUR")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _us_export(log: pd.DataFrame, path: Path) -> Path:
    """Comma-separated, '"1,177.00"' quoted, dates mm/dd/yyyy, a currency column."""
    lines = ["customer_id,date,amount,currency"]
    for customer, day, amount in log.itertuples(index=False):
        lines.append(f'"{customer}",{day:%m/%d/%Y},"{amount:,.2f}",USD')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GERMAN = ["--sep", "semicolon", "--date-format", "%d.%m.%Y", "--quiet", "--raw-csv"]


def test_a_german_shop_export_is_told_and_scores_as_the_clean_log(
    crmvalue, tmp_path, clean_log, clean_scores
) -> None:
    source = _german_export(clean_log, tmp_path / "shop.csv")
    assert "1.234.567,89" in source.read_text() and "1.177,00" in source.read_text()
    code, _, err = crmvalue(source, "--out", tmp_path / "auto.csv", *GERMAN)
    assert code == 0, err
    note = err.strip().splitlines()
    assert len(note) == 1 and "reading numbers with a decimal comma and '.' between" in note[0]
    assert "pass --decimal comma --thousands point" in note[0]
    _same(_scores(tmp_path / "auto.csv"), clean_scores)
    said = ["--decimal", "comma", "--thousands", "point"]
    code, _, err = crmvalue(source, "--out", tmp_path / "said.csv", *GERMAN, *said)
    assert code == 0 and err == "", err
    _same(_scores(tmp_path / "said.csv"), clean_scores)


def test_the_dask_engine_reads_the_german_export_alike(
    crmvalue, tmp_path, clean_log, clean_scores
) -> None:
    source = _german_export(clean_log, tmp_path / "shop.csv")
    out = tmp_path / "dask.csv"
    code, _, err = crmvalue(source, "--out", out, *GERMAN, "--engine", "dask", "--workers", 1)
    assert code == 0, err
    _same(_scores(out), clean_scores)


def test_a_us_export_with_thousands_separators_scores_as_the_clean_log(
    crmvalue, tmp_path, clean_log, clean_scores
) -> None:
    source = _us_export(clean_log, tmp_path / "crm.csv")
    assert '"1,234,567.89"' in source.read_text()
    options = ["--date-format", "%m/%d/%Y", "--quiet", "--raw-csv"]
    code, _, err = crmvalue(source, "--out", tmp_path / "auto.csv", *options)
    assert code == 0, err
    assert "a decimal point and ',' between thousands" in err
    assert "pass --decimal point --thousands comma" in err
    _same(_scores(tmp_path / "auto.csv"), clean_scores)
    code, _, err = crmvalue(
        source, "--out", tmp_path / "said.csv", *options, "--thousands", "comma"
    )
    assert code == 0 and err == "", err
    _same(_scores(tmp_path / "said.csv"), clean_scores)


def test_a_number_outside_the_sample_that_needs_another_option_is_refused(
    crmvalue, tmp_path, clean_log, monkeypatch
) -> None:
    small = clean_log[clean_log["amount"] < 1000].copy()
    log = pd.concat([small, clean_log[clean_log["amount"] >= 1000]], ignore_index=True)
    source = _german_export(log, tmp_path / "shop.csv")
    line = len(small) + 2  # the first amount with a thousands separator
    monkeypatch.setattr(reading, "SAMPLE_ROWS", 50)
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", *GERMAN)
    assert code == 2
    message = err.strip().splitlines()[-1]
    assert message.startswith(f"crmvalue score: shop.csv, line {line}: column 'amount' holds")
    assert "pass --decimal comma --thousands point" in message
    assert not (tmp_path / "s.csv").exists()


# --------------------------------------------------------------------------------------
# What cannot be told is refused, naming the option
# --------------------------------------------------------------------------------------

HEADER = "customer_id{s}date{s}amount\n"
REFUSED = {
    "thousands or decimal comma": (
        ",",
        ['A,2024-01-01,"1,177"', "B,2024-01-02,5"],
        [
            "line 2: column 'amount' holds '1,177', which reads as 1.177 (--decimal comma",
            "1177 (--decimal point --thousands comma)",
        ],
    ),
    "decimal comma in a comma file": (
        ",",
        ['A,2024-01-01,"11,77"', "B,2024-01-02,5"],
        ["line 2: column 'amount' holds the text '11,77'", "pass --decimal comma"],
    ),
    "thousands point or decimal point": (
        ";",
        ["A;2024-01-01;1.177", "B;2024-01-02;5"],
        ["'1.177', which reads as 1.177 (--decimal point", "1177 (--decimal comma --thousands"],
    ),
    "a column mixing styles": (
        ";",
        ["A;2024-01-01;11,77", "B;2024-01-02;1,177.00", "C;2024-01-03;4"],
        ["line 3: column 'amount' holds '1,177.00', written in another way than '11,77'"],
    ),
    "a style the options exclude": (
        ",",
        ['A,2024-01-01,"1,177.00"', "B,2024-01-02,5"],
        ["holds the text '1,177.00', a number written with a decimal point and ','"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_numbers_that_cannot_be_told_are_refused(crmvalue, tmp_path, case) -> None:
    sep, rows, fragments = REFUSED[case]
    source = tmp_path / "log.csv"
    source.write_text(HEADER.format(s=sep) + "\n".join(rows) + "\n")
    extra = ["--sep", "semicolon"] if sep == ";" else []
    if case == "a style the options exclude":
        extra = ["--thousands", "none"]
    code, out, err = crmvalue(source, "--out", tmp_path / "s.csv", "--quiet", *extra)
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert not (tmp_path / "s.csv").exists()


def test_the_option_settles_an_ambiguous_file(crmvalue, tmp_path) -> None:
    rows = ['A,2024-01-01,"1,177"', "A,2024-01-08,3", 'B,2024-01-02,"2,500"', "B,2024-02-02,1"]
    source = tmp_path / "log.csv"
    source.write_text(HEADER.format(s=",") + "\n".join(rows) + "\n")
    for option, value, spend in (("thousands", "comma", 1177 + 3), ("decimal", "comma", 4.177)):
        opened = open_source(source, ReadOptions(**{option: value}))
        settled, note = reading.settle_numbers(opened, ["amount"])
        chunk = next(reading.transaction_chunks(settled, Columns()))
        assert note is None
        assert math.isclose(chunk.amounts[:2].sum(), spend, rel_tol=1e-12), option


# --------------------------------------------------------------------------------------
# The separator, on every path
# --------------------------------------------------------------------------------------

SEMICOLON_FILES = {
    "plain": "customer_id;date;amount\nC1;2024-01-05;11.77\nC2;2024-01-06;3\n",
    "decimal commas": "customer_id;date;amount\nC1;2024-01-05;11,77\nC2;2024-01-06;3,5\n",
    "the header splits": "customer_id;date;amount,currency\nC1;2024-01-05;11.77,EUR\n",
    "a customer table": "customer_id;frequency;recency;age;monetary_value\nC1;1;2;3;4\n",
}


@pytest.mark.parametrize("case", list(SEMICOLON_FILES))
@pytest.mark.parametrize(
    "extra", [[], ["--input-kind", "transactions"], ["--input-kind", "customers"]]
)
def test_a_semicolon_file_without_sep_names_the_option(crmvalue, tmp_path, case, extra) -> None:
    source = tmp_path / "log.csv"
    source.write_text(SEMICOLON_FILES[case])
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", "--quiet", *extra)
    assert code == 2
    assert err.strip().splitlines() == [
        "crmvalue score: log.csv: the file seems to use ';' between columns: pass --sep "
        "semicolon (--sep is ',' now)"
    ]


def test_a_comma_file_read_with_another_sep_names_comma(crmvalue, tmp_path) -> None:
    source = tmp_path / "log.csv"
    source.write_text("customer_id,date,amount\nC1,2024-01-05,11.77\n")
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", "--sep", "tab")
    assert code == 2 and "seems to use ',' between columns: pass --sep comma" in err


def test_a_comma_file_with_semicolons_in_its_text_is_not_taken_for_a_semicolon_file() -> None:
    text = 'customer_id,date,amount,note\nC1,2024-01-05,11.77,"a;b;c"\nC2,2024-01-06,3,x\n'
    assert seems_separated_by(text, ",") is None
    assert seems_separated_by(text.replace(",", "\t"), "tab") is None


# --------------------------------------------------------------------------------------
# Customer ids exactly as given
# --------------------------------------------------------------------------------------


def test_ids_keep_their_spaces_in_every_output(crmvalue, tmp_path) -> None:
    import openpyxl

    rows = ["C00008,2024-01-01,10", " C00008,2024-01-02,20", " C00008,2024-01-09,5"]
    rows += ["C00008 ,2024-01-03,7", "D,2024-01-01,3", "D,2024-02-01,4", "E,2024-01-01,1"]
    rows += ["E,2024-03-01,9"]
    rng = np.random.default_rng(3)  # more customers, for the models to fit
    for i in range(200):  # buying at their own rate, each dropping out after a purchase
        day, rate, drop = float(rng.integers(0, 90)), rng.gamma(2.0, 1 / 40), rng.beta(2, 5)
        spend = rng.gamma(3.0, 5.0)  # each customer's own mean spend, over customers
        while day < 365:
            when = dt.date(2024, 1, 1) + dt.timedelta(int(day))
            rows.append(f"K{i},{when},{rng.gamma(4.0, spend):.2f}")
            if rng.random() < drop:
                break
            day += rng.exponential(1 / rate)
    source = tmp_path / "log.csv"
    source.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n")
    code, out, err = crmvalue(source, "--out", tmp_path / "s.xlsx", "--quiet")
    assert code == 0, err
    assert f"205 customers from {len(rows)} transactions" in out
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    got = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    mine = {key: got[key] for key in ("C00008", " C00008", "C00008 ", "D", "E")}
    assert mine == {"C00008": 0, " C00008": 1, "C00008 ": 0, "D": 1, "E": 1}
    assert crmvalue(source, "--out", tmp_path / "s.csv", "--quiet")[0] == 0
    assert {" C00008", "C00008", "C00008 "} <= set(_scores(tmp_path / "s.csv")["customer_id"])
    source.write_text("customer_id,date,amount\nA,2024-01-01,1\n   ,2024-01-02,3\n")
    code, _, err = crmvalue(source, "--out", tmp_path / "t.csv", "--quiet")
    assert code == 2 and "log.csv, line 3: column 'customer_id' is blank" in err


# --------------------------------------------------------------------------------------
# Workbooks: formulas without saved results
# --------------------------------------------------------------------------------------


def test_formulas_without_saved_results_are_named(crmvalue, tmp_path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["customer_id", "date", "amount"])
    sheet.append(["C1", dt.datetime(2024, 1, 1), 10.0])
    sheet.append(['="C"&2', dt.datetime(2024, 1, 2), 11.0])
    workbook.save(tmp_path / "log.xlsx")
    check = openpyxl.load_workbook(tmp_path / "log.xlsx", read_only=True, data_only=True)
    assert [row[0] for row in check.active.iter_rows(values_only=True)] == [
        "customer_id",
        "C1",
        None,
    ]
    check.close()
    code, _, err = crmvalue(tmp_path / "log.xlsx", "--out", tmp_path / "s.csv")
    assert code == 2
    assert (
        "log.xlsx, row 3: column 'customer_id' holds the formula '=\"C\"&2' without a saved" in err
    )
    assert "open the file in Excel or LibreOffice and save it, or paste" in err
    # a sheet of formulas only: no row would be left, so the first one is named
    workbook = openpyxl.Workbook()
    workbook.active.append(["customer_id", "date", "amount"])
    workbook.active.append(['="C"&1', "=DATE(2024,1,1)", "=5*2"])
    workbook.save(tmp_path / "all.xlsx")
    code, _, err = crmvalue(tmp_path / "all.xlsx", "--out", tmp_path / "s.csv")
    assert code == 2 and "all.xlsx, row 2: column 'customer_id' holds the formula" in err
    # a blank cell that is really blank keeps its message
    workbook = openpyxl.Workbook()
    workbook.active.append(["customer_id", "date", "amount"])
    workbook.active.append([None, dt.datetime(2024, 1, 1), 5.0])
    workbook.save(tmp_path / "blank.xlsx")
    code, _, err = crmvalue(tmp_path / "blank.xlsx", "--out", tmp_path / "s.csv")
    assert code == 2 and "blank.xlsx, row 2: column 'customer_id' is blank" in err


# --------------------------------------------------------------------------------------
# Properties of the number styles
# --------------------------------------------------------------------------------------


def _written(amount: float, style: NumberStyle) -> str:
    """``amount`` written by hand in ``style`` (the first thousands character)."""
    from addin.tables.columns import DECIMALS, THOUSANDS

    text = f"{amount:,.2f}"
    group = THOUSANDS[style.thousands][:1]
    return text.replace(",", "\0").replace(".", DECIMALS[style.decimal]).replace("\0", group)


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2).map(float)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=30), st.sampled_from(STYLES))
def test_numbers_written_in_a_style_read_back_exactly(values, style) -> None:
    text = pd.Series([_written(v, style) for v in values])
    assert parse_numbers(text, style).tolist() == [round(v, 2) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=30), st.sampled_from(STYLES))
def test_a_sample_showing_both_marks_settles_to_its_style(values, style) -> None:
    values = [*values, 1177.25]  # one value with a thousands group and a decimal part
    sample = pd.DataFrame({"amount": [_written(v, style) for v in values]})
    settled = settle_style(sample, ["amount"], semicolons=True)
    if style.thousands == "none":
        assert settled.decimal == style.decimal
    else:
        assert settled == style
    np.testing.assert_array_equal(parse_numbers(sample["amount"], settled), np.round(values, 2))


def test_read_options_say_when_they_are_plain() -> None:
    assert ReadOptions().is_plain() and ReadOptions(sep="comma", decimal="point").is_plain()
    assert not ReadOptions(decimal="comma").is_plain()
    assert not ReadOptions(thousands="comma").is_plain()
    assert not ReadOptions(sep=";").is_plain()
    assert not ReadOptions(date_format="%d.%m.%Y").is_plain()
    assert not ReadOptions(encoding="latin-1").is_plain()


# --------------------------------------------------------------------------------------
# The CSV output opened by a real spreadsheet
# --------------------------------------------------------------------------------------

#: LibreOffice's CSV import: comma, '"', UTF-8, from line 1, ..., evaluate formulas (the
#: 13th field), so that any cell a spreadsheet would run shows up as a formula cell.
EVALUATING_CSV_IMPORT = "CSV:44,34,76,1,,0,false,false,true,false,false,0,true"


def test_libreoffice_opens_the_csv_output_without_a_formula(crmvalue, tmp_path, clean_log) -> None:
    import openpyxl

    from workbook_templates import libreoffice as lo

    if lo.find_soffice() is None:
        pytest.skip(f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}")
    log = clean_log.copy()
    log["customer_id"] = log["customer_id"].replace({"C00014": '=HYPERLINK("http://x")'})
    source = _clean_csv(log, tmp_path / "log.csv")
    for name, extra in (("safe", []), ("raw", ["--raw-csv"])):
        code, _, err = crmvalue(source, "--out", tmp_path / f"{name}.csv", "--quiet", *extra)
        assert code == 0, err
    result = lo.run_soffice(
        [
            "--convert-to",
            "xlsx",
            f"--infilter={EVALUATING_CSV_IMPORT}",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "safe.csv"),
            str(tmp_path / "raw.csv"),
        ]
    )
    cells, formulas = {}, {}
    for name in ("safe", "raw"):
        converted = tmp_path / "lo" / f"{name}.xlsx"
        assert converted.exists(), (result.stdout, result.stderr)
        sheet = openpyxl.load_workbook(converted).active
        cells[name] = {cell.value: cell.data_type for cell in sheet["A"][1:]}
        formulas[name] = sum(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    # the control: LibreOffice runs the ids of the raw file that start with '='
    assert cells["raw"]["=1+1"] == "f" and cells["raw"]['=HYPERLINK("http://x")'] == "f"
    # the default output: no formula anywhere in the column, every id shown as text
    assert formulas["safe"] == 0 and formulas["raw"] >= 2
    for text in ("=1+1", "@SUM(A1)", "-2+3", '=HYPERLINK("http://x")'):
        assert cells["safe"]["'" + text] == "s", text
    assert len(cells["safe"]) == len(cells["raw"]) == log["customer_id"].nunique()


def test_a_german_customer_table_scores_as_the_clean_one(crmvalue, tmp_path, clean_scores) -> None:
    history = ["customer_id", "frequency", "recency", "age", "monetary_value"]
    table = clean_scores[history]
    table.to_csv(tmp_path / "clean.csv", index=False)

    def german(value: float) -> str:  # every digit of the float, '.' between thousands
        return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")

    lines = [";".join(history)]
    for customer, *numbers in table.itertuples(index=False):
        lines.append(";".join([customer, *(german(float(v)) for v in numbers)]))
    (tmp_path / "kunden.csv").write_text("\n".join(lines) + "\n")
    assert re.search(r";\d{1,3}\.\d{3},\d", (tmp_path / "kunden.csv").read_text())
    results = {}
    for name, extra in (("clean.csv", []), ("kunden.csv", ["--sep", "semicolon"])):
        out = tmp_path / f"scores_{name}"
        code, _, err = crmvalue(tmp_path / name, "--out", out, "--quiet", "--raw-csv", *extra)
        assert code == 0, err
        results[name] = _scores(out)
    assert "reading numbers with a decimal comma and '.' between thousands" in err
    _same(results["kunden.csv"], results["clean.csv"])


def test_text_cells_of_a_workbook_are_read_in_the_given_style(crmvalue, tmp_path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["customer_id", "date", "amount"])
    sheet.append(["A", dt.datetime(2024, 1, 1), "1.177,00"])
    sheet.append(["A", dt.datetime(2024, 1, 5), 3.5])
    workbook.save(tmp_path / "log.xlsx")
    code, _, err = crmvalue(tmp_path / "log.xlsx", "--out", tmp_path / "s.csv")
    assert code == 2 and "row 2: column 'amount' holds the text '1.177,00'" in err
    assert "pass --decimal comma --thousands point" in err
    source = open_source(tmp_path / "log.xlsx", ReadOptions(decimal="comma", thousands="point"))
    settled, note = reading.settle_numbers(source, ["amount"])
    chunk = next(reading.transaction_chunks(settled, Columns()))
    assert note is None and chunk.amounts.tolist() == [1177.0, 3.5]


def test_a_us_value_outside_the_sample_is_refused_with_its_option(
    crmvalue, tmp_path, monkeypatch
) -> None:
    rows = [f"C{i},2024-01-0{1 + i % 9},12.50" for i in range(30)] + ['C1,2024-02-01,"1,177.00"']
    source = tmp_path / "log.csv"
    source.write_text("customer_id,date,amount\n" + "\n".join(rows) + "\n")
    monkeypatch.setattr(reading, "SAMPLE_ROWS", 10)
    code, _, err = crmvalue(source, "--out", tmp_path / "s.csv", "--quiet")
    assert code == 2
    assert "log.csv, line 32: column 'amount' holds the text '1,177.00', not a number" in err
    assert "pass --decimal point --thousands comma" in err
    assert not (tmp_path / "s.csv").exists()
