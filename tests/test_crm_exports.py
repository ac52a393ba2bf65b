"""``crmvalue score`` on exports as the CRMs our users run write them: Chinese systems
(GB18030 text, Chinese headers, ``¥`` amounts, dates such as ``1997/1/12`` and
``1997年1月12日``), Excel's "Unicode text" (UTF-16), and a Zoho-style English export.

Each export is built here from one clean log (ISO dates, plain numbers, documented column
names) and must score to exactly the customers, frequencies and money values the clean
log scores to, or be refused with one message that says what to do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.cli import app as cli

COLUMNS = ["customer_id", "frequency", "recency", "age", "monetary_value", "predicted_clv"]


def score(*args: object) -> tuple[int, str]:
    """Run ``crmvalue score ...``; (exit status, stderr)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["score", *map(str, args)])
    return code, err.getvalue()


def scores(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"customer_id": str}, keep_default_na=False)
    return frame.sort_values("customer_id", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    """300 customers with Chinese names, each buying at their own rate and level of spend
    and dropping out after a purchase with their own probability; amounts from about one
    yuan to over ten thousand."""
    rng = np.random.default_rng(16)
    rows = []
    for customer in range(300):
        day, rate, drop = float(rng.integers(0, 90)), rng.gamma(2.0, 1 / 30), rng.beta(2, 5)
        spend = rng.gamma(2.0, 300.0)
        while day < 400:
            amount = round(float(rng.gamma(3.0, spend / 3)) + 0.5, 2)
            rows.append(
                (f"客户{customer:04d}", dt.date(1997, 1, 1) + dt.timedelta(int(day)), amount)
            )
            if rng.random() < drop:
                break
            day += rng.exponential(1 / rate)
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    assert (frame["amount"] >= 1000).sum() > 20  # thousands separators get used
    return frame


@pytest.fixture(scope="module")
def expected(log, tmp_path_factory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("clean")
    path = folder / "clean.csv"
    log.assign(date=pd.to_datetime(log["date"]).dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    assert score(path, "--out", folder / "scores.csv", "--quiet")[0] == 0
    return scores(folder / "scores.csv")


def same(path: Path, expected: pd.DataFrame) -> None:
    got = scores(path)
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["frequency"].tolist() == expected["frequency"].tolist()
    for column in ("recency", "age", "monetary_value", "predicted_clv"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12, err_msg=column)


def chinese_export(log: pd.DataFrame) -> pd.DataFrame:
    """The log as a Chinese CRM exports orders: 客户名称 / 下单日期 / 订单金额, ``¥1,234.50``."""
    dates = pd.to_datetime(log["date"])
    return pd.DataFrame(
        {
            "客户名称": log["customer_id"],
            "下单日期": [f"{d.year}/{d.month}/{d.day}" for d in dates],
            "订单金额": [f"¥{amount:,.2f}" for amount in log["amount"]],
            "备注": "无",
        }
    )


def test_a_gb18030_export_with_chinese_headers_and_yuan_amounts(log, expected, tmp_path) -> None:
    path = tmp_path / "订单.csv"
    chinese_export(log).to_csv(path, index=False, encoding="gb18030")
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 0, err
    same(tmp_path / "scores.csv", expected)
    assert "read as GB18030" in err
    assert "took the columns '客户名称' (customer), '下单日期' (date), '订单金额' (amount)" in err
    assert "currency sign '¥'" in err


@pytest.mark.parametrize(
    ("sign", "write"),
    [
        ("￥", "￥{:,.2f}"),  # the full-width yuan sign
        ("元", "{:.2f}元"),
        ("RMB", "RMB {:,.2f}"),
    ],
)
def test_other_ways_of_writing_yuan(log, expected, tmp_path, sign: str, write: str) -> None:
    export = chinese_export(log).assign(订单金额=[write.format(a) for a in log["amount"]])
    path = tmp_path / "orders.csv"
    export.to_csv(path, index=False, encoding="utf-8-sig")  # Excel's "CSV UTF-8"
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 0, err
    same(tmp_path / "scores.csv", expected)
    assert f"currency sign {sign!r}" in err


def test_excel_unicode_text_utf16_tab_separated(log, expected, tmp_path) -> None:
    path = tmp_path / "orders.csv"
    chinese_export(log).to_csv(path, index=False, sep="\t", encoding="utf-16")
    code, err = score(path, "--sep", "tab", "--out", tmp_path / "scores.csv")
    assert code == 0, err
    same(tmp_path / "scores.csv", expected)
    assert "read as UTF-16" in err


def test_an_xlsx_with_chinese_headers_and_dates_as_text(log, expected, tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户编号", "成交日期", "成交金额"])
    for row in log.itertuples():
        day = pd.Timestamp(row.date)
        ws.append([row.customer_id, f"{day.year}年{day.month}月{day.day}日", row.amount])
    path = tmp_path / "orders.xlsx"
    wb.save(path)
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 0, err
    same(tmp_path / "scores.csv", expected)


def test_a_zoho_style_export(log, expected, tmp_path) -> None:
    dates = pd.to_datetime(log["date"])
    export = pd.DataFrame(
        {
            "Account Name": log["customer_id"],
            "Subject": "Order",
            "Invoice Date": [f"{d:%Y-%m-%d} 13:45" for d in dates],
            "Grand Total": [f"USD {amount:,.2f}" for amount in log["amount"]],
            "Currency": "USD",
        }
    )
    path = tmp_path / "Invoices.csv"
    export.to_csv(path, index=False)
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 0, err
    same(tmp_path / "scores.csv", expected)
    assert "'Account Name' (customer), 'Invoice Date' (date), 'Grand Total' (amount)" in err


def test_a_column_of_mixed_currencies_is_refused_with_its_lines(log, tmp_path) -> None:
    export = chinese_export(log)
    export.loc[4, "订单金额"] = "USD 12.00"
    export.loc[9, "订单金额"] = "12.00"
    path = tmp_path / "orders.csv"
    export.to_csv(path, index=False)
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 2
    assert "column '订单金额' mixes currencies" in err
    assert "line 6 ('USD 12.00'), line 11 ('12.00')" in err
    assert not (tmp_path / "scores.csv").exists()


def test_a_mixed_currency_after_the_first_rows_is_refused_with_its_line(log, tmp_path) -> None:
    export = pd.concat([chinese_export(log)] * 40, ignore_index=True)  # > 10,000 rows
    export.loc[len(export) - 1, "订单金额"] = "$5.00"
    path = tmp_path / "orders.csv"
    export.to_csv(path, index=False)
    code, err = score(path, "--out", tmp_path / "scores.csv")
    assert code == 2
    assert f"line {len(export) + 1}" in err and "'$5.00'" in err and "'¥'" in err


def test_two_columns_that_could_be_the_amount_are_refused(log, tmp_path) -> None:
    export = chinese_export(log).assign(合同金额="¥1.00")
    path = tmp_path / "orders.csv"
    export.to_csv(path, index=False)
    code, err = score(path)
    assert code == 2
    assert "'订单金额' and '合同金额' could both be the amount; choose one with --amount" in err


def test_a_file_in_an_unknown_encoding_names_the_encodings_that_decode_it(
    log, expected, tmp_path
) -> None:
    path = tmp_path / "Bestellungen.csv"
    german = log.assign(customer_id=log["customer_id"].str.replace("客户", "Müller & Söhne "))
    german.to_csv(path, index=False, encoding="cp1252")
    code, err = score(path)
    assert code == 2
    assert "is not UTF-8 text" in err and "--encoding cp1252" in err
    assert "latin-1" not in err
    code, err = score(path, "--encoding", "cp1252", "--out", tmp_path / "scores.csv")
    assert code == 0, err
    got = scores(tmp_path / "scores.csv")
    assert got["customer_id"].str.startswith("Müller & Söhne ").all()
    assert got["frequency"].tolist() == expected["frequency"].tolist()


def test_baseline_reads_the_chinese_export_as_the_clean_log(log, tmp_path) -> None:
    from crmvalue_core.appraisal import demo_case
    from workbook_templates.filler import fill_template
    from workbook_templates.reader import read_inputs

    clean = tmp_path / "clean.csv"
    log.assign(date=pd.to_datetime(log["date"]).dt.strftime("%Y-%m-%d")).to_csv(clean, index=False)
    export = tmp_path / "订单.csv"
    chinese_export(log).to_csv(export, index=False, encoding="gb18030")
    template = fill_template(demo_case(), tmp_path / "case.xlsx")
    measured = []
    for source in (clean, export):
        out = tmp_path / f"measured-{len(measured)}.xlsx"
        argv = ["baseline", str(source), "--template", str(template), "--out", str(out)]
        code = cli.main([*argv, "--margin", "0.3", "--draws", "20"])
        assert code == 0
        measured.append(read_inputs(out).benefits)
    for name in ("customers_active", "churn_baseline", "margin_per_customer"):
        assert getattr(measured[1], name) == pytest.approx(getattr(measured[0], name), rel=1e-12)
