"""The pieces that read CRM exports as they are written: encodings, header names, dates
and amounts with a currency sign. Each is checked against text built here by hand (the
encodings with Python's own codecs; the dates against the calendar)."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.cli.errors import UsageError
from addin.tables.columns import Columns
from addin.tables.date_text import dates_from_text
from addin.tables.encodings import detect_encoding
from addin.tables.header_names import recognise_columns
from addin.tables.money_text import split_currency

CHINESE = "客户名称,下单日期,订单金额\n张三,1997/1/12,¥539.00\n李四,1997/1/13,¥1234.50\n" * 40
GERMAN = "Kunde;Datum;Betrag\nMüller GmbH;12.01.1997;1.177,00\nGroß & Söhne;13.01.1997;11,77\n"


# -- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CHINESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        (CHINESE.encode("utf-16"), "utf-16"),  # with a BOM, as Excel's "Unicode text"
        ("customer_id,date\nC1,2024-01-31\n".encode("utf-16-le"), "utf-16-le"),
        (CHINESE.encode("gb18030"), "gb18030"),
        ("客户,日期\n王,1\n".encode("gb18030"), "gb18030"),  # even a short file
    ],
)
def test_encoding_is_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(data)
    found = detect_encoding(path)
    assert found.encoding == encoding
    assert data.decode(found.encoding).lstrip("\ufeff").startswith(("客户", "customer"))
    assert (found.note is None) == encoding.startswith("utf-8")


@pytest.mark.parametrize(
    ("text", "encoding", "named"),
    [
        (GERMAN * 20, "cp1252", "--encoding cp1252"),
        ("客戶名稱,日期\n陳大文,2024/1/5\n" * 20, "big5", "--encoding big5"),
        ("顧客,日付\n田中太郎,2024/1/5\n" * 20, "shift_jis", "--encoding shift_jis"),
    ],
)
def test_an_unknown_encoding_is_refused_with_the_ones_that_decode_it(
    tmp_path: Path, text: str, encoding: str, named: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(UsageError) as caught:
        detect_encoding(path)
    message = str(caught.value)
    assert message.startswith("orders.csv: is not UTF-8 text")
    assert named in message
    assert "latin-1" not in message


def test_a_sample_cut_inside_a_character_still_reads_as_utf8(tmp_path: Path) -> None:
    from addin.tables import encodings

    text = "张" * (encodings.SAMPLE_BYTES // 3 + 1)  # 3 bytes each: the sample ends mid-way
    path = tmp_path / "long.csv"
    path.write_bytes(("id\n" + text).encode("utf-8"))
    assert detect_encoding(path).encoding == "utf-8"


# -- header names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "taken"),
    [
        (
            ("Account Name", "Invoice Date", "Grand Total"),
            ("Account Name", "Invoice Date", "Grand Total"),
        ),
        (("客户名称", "下单日期", "订单金额"), ("客户名称", "下单日期", "订单金额")),
        (("客户编号", "成交日期", "合同金额", "备注"), ("客户编号", "成交日期", "合同金额")),
        (("customer_id", "Order Date", "amount"), ("customer_id", "Order Date", "amount")),
    ],
)
def test_columns_are_recognised_by_their_names(
    header: tuple[str, ...], taken: tuple[str, ...]
) -> None:
    columns, note = recognise_columns(header, Columns())
    assert (columns.customer_id, columns.date, columns.amount) == taken
    assert note is not None and note.startswith("took the columns")


def test_documented_names_and_given_options_are_kept() -> None:
    header = ("customer_id", "date", "amount", "Grand Total")
    assert recognise_columns(header, Columns()) == (Columns(), None)
    columns = Columns(amount="Net")
    assert recognise_columns(("客户", "日期", "Net", "金额"), columns, given={"amount"})[
        0
    ] == Columns(customer_id="客户", date="日期", amount="Net")


def test_two_columns_that_could_be_the_same_thing_are_refused() -> None:
    with pytest.raises(
        UsageError,
        match=r"'Total' and 'Grand Total' could both be the amount; choose one with --amount",
    ):
        recognise_columns(("Account Name", "Invoice Date", "Total", "Grand Total"), Columns())


# -- dates ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 5))
def test_dates_written_as_crms_write_them(day: dt.date, form: int) -> None:
    text = [
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}/{day.month:02d}/{day.day:02d} 13:45",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.year}.{day.month}.{day.day} 08:00:59",
        f"{day.year}-{day.month}-{day.day}",
    ][form]
    assert dates_from_text(pd.Index([text]))[0] == np.datetime64(day, "D")


@pytest.mark.parametrize(
    "text", ["05/01/2024", "2024/2/30", "2024年13月1日", "Jan 5 2024", "", "2024/1"]
)
def test_ambiguous_or_impossible_dates_are_not_read(text: str) -> None:
    assert np.isnat(dates_from_text(pd.Index([text]))[0])


# -- amounts with a currency sign ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "sign", "numbers"),
    [
        (["¥539.00", "¥1,234.50"], "¥", ["539.00", "1,234.50"]),
        (["￥539.00", "￥1,234.50"], "￥", ["539.00", "1,234.50"]),
        (["1 234,50 €", "12,00 €"], "€", ["1 234,50", "12,00"]),
        (["USD 1,234.50", "USD 3"], "USD", ["1,234.50", "3"]),
        (["539元", "12元"], "元", ["539", "12"]),
        (["12.5", "3"], None, ["12.5", "3"]),
    ],
)
def test_the_currency_sign_comes_off(
    cells: list[str], sign: str | None, numbers: list[str]
) -> None:
    found = split_currency(pd.Series(cells))
    assert found.sign == sign
    assert found.numbers.tolist() == numbers
    assert not found.differs.any()


def test_a_column_of_mixed_currencies_shows_the_rows_that_differ() -> None:
    found = split_currency(pd.Series(["¥5", "¥6", "USD 7", "8", "", "¥9"]))
    assert found.sign == "¥"
    assert found.differs.tolist() == [False, False, True, True, False, False]
    # a later chunk of the same column keeps the first chunk's sign
    assert split_currency(pd.Series(["USD 1"]), expected="¥").differs.tolist() == [True]
