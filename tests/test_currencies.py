"""Currencies: any current ISO 4217 code, the common ones in the template's list, and the
sign of the currency in the amounts of the results report.

The list of codes is checked against an independent source, the ISO 4217 data of the
Debian iso-codes project as shipped by ``pycountry``. A case in yuan is appraised to a
PDF by LibreOffice and read back with ``pdftotext``: its amounts carry the yuan sign, its
Chinese case name is text (a CJK font is embedded, ``pdffonts``), and every figure equals
the core's.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pycountry
import pytest

from addin.cli import main
from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.currencies import (
    COMMON_CURRENCIES,
    CURRENCY_SIGNS,
    ISO_4217_CODES,
    currency_code,
)
from workbook_templates import libreoffice as lo
from workbook_templates.errors import TemplateError
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_inputs
from workbook_templates.results._sheet import money_format

needs_pdf_tools = pytest.mark.skipif(
    lo.find_soffice() is None or shutil.which("pdftotext") is None,
    reason=f"LibreOffice and pdftotext are needed; {lo.INSTALL_HINT}",
)


def in_currency(code: str, name: str = "Nordwerk: cloud CRM") -> core.AppraisalInputs:
    case = core.demo_case()
    general = dataclasses.replace(case.general, currency=code, case_name=name)
    return dataclasses.replace(case, general=general)


def test_codes_are_the_current_iso_4217_list() -> None:
    assert {currency.alpha_3 for currency in pycountry.currencies} == ISO_4217_CODES


def test_the_template_list_has_the_currencies_of_our_users() -> None:
    for code in ("EUR", "USD", "GBP", "CNY", "HKD", "SGD", "INR", "KRW", "BRL", "MXN", "ZAR"):
        assert code in COMMON_CURRENCIES
    assert set(COMMON_CURRENCIES) <= ISO_4217_CODES
    assert len(set(COMMON_CURRENCIES)) == len(COMMON_CURRENCIES)
    # Excel's list validation holds at most 255 characters.
    assert len(",".join(COMMON_CURRENCIES)) <= 255
    assert set(CURRENCY_SIGNS) <= ISO_4217_CODES


@pytest.mark.parametrize(
    ("typed", "code"),
    [("CNY", "CNY"), (" thb ", "THB"), ("RMB", None), ("¥", None), ("BGN", None), (156, None)],
)
def test_currency_code(typed: object, code: str | None) -> None:
    assert currency_code(typed) == code


def test_a_code_typed_in_beside_the_list_is_read(tmp_path: Path) -> None:
    path = fill_template(in_currency("THB"), tmp_path / "thai.xlsx")
    assert read_inputs(path).general.currency == "THB"


def test_a_withdrawn_code_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = fill_template(in_currency("EUR"), tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Inputs"]["C6"] = "BGN"  # the lev, withdrawn when Bulgaria adopted the euro
    wb.save(path)
    with pytest.raises(TemplateError, match=r"'BGN', which is not an ISO 4217 currency code"):
        read_inputs(path)


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("CNY", '"¥"#,##0;[Red]-"¥"#,##0'),
        ("EUR", '"€"#,##0;[Red]-"€"#,##0'),
        ("SEK", '#,##0" kr";[Red]-#,##0" kr"'),
        ("CHF", "#,##0;[Red]-#,##0"),  # no sign in common use: the code is in the unit column
    ],
)
def test_money_format(code: str, shown: str) -> None:
    assert money_format(FORMATS.money, code) == shown
    assert money_format(FORMATS.percent, code) == FORMATS.percent


@needs_pdf_tools
def test_a_case_in_yuan_prints_with_the_yuan_sign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "华东分销: 云CRM"
    source = fill_template(in_currency("CNY", name), tmp_path / "case.xlsx")
    pdf = tmp_path / "results.pdf"
    assert (
        main(["appraise", str(source), "--pdf", str(pdf), "--out", str(tmp_path / "r.xlsx")]) == 0
    )
    capsys.readouterr()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    result = core.appraise(in_currency("CNY", name))
    npv = result.metrics["npv"]
    assert f"¥{npv:,.0f}" in text
    assert f"¥{result.metrics['pv_costs']:,.0f}" in text
    assert name in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout, fonts.stdout
