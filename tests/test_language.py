"""The template and its reports in Simplified Chinese (docs/template.md, "Languages").

What is proved: the zh-CN template is the English one with its texts translated (same
sheets, defined names, formulas once their text literals are set aside, data validation,
input values), has no English word left outside an allow-list of names, keeps Excel's
limits on validation texts, and computes the same numbers in LibreOffice; ``crmvalue
appraise`` reads the language back and gives the same numbers with Chinese labels, in
the text, the results workbook and the PDF (a CJK font embedded, the labels extractable).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from crmvalue_core.appraisal import INPUTS, appraise, demo_case, demo_uncertainty, format_appraisal
from crmvalue_core.appraisal.translations import ZH_CN, translate
from crmvalue_core.errors import CrmValueError
from workbook_templates import libreoffice as lo
from workbook_templates._spec import SHEETS
from workbook_templates.builder import build_bytes, build_workbook
from workbook_templates.files import TEMPLATE_PATHS
from workbook_templates.filler import fill_template
from workbook_templates.language import LANGUAGE_NAME, display_width, text, workbook_language

ROOT = Path(__file__).resolve().parents[1]

#: Words that stay as they are in the Chinese workbook: metric and model abbreviations,
#: product and program names, function names, Excel's and xlwings' own words (the xlwings
#: ribbon is English only), command lines, file names, and the variables of the formulas.
ALLOWED_WORDS = {
    *[
        "NPV",
        "IRR",
        "MIRR",
        "ROI",
        "PI",
        "PV",
        "CRM",
        "CAC",
        "CLV",
        "NPS",
        "CSAT",
        "CES",
        "ISO",
        "SHA",
        "P10",
        "P50",
        "P90",
        "PERT",
    ],
    *[
        "Excel",
        "Python",
        "LibreOffice",
        "VBA",
        "Mac",
        "Windows",
        "Lite",
        "xlwings",
        "crmvalue",
        "pip",
        "install",
        "addin",
    ],
    *[
        "udfs",
        "conf",
        "xlsm",
        "xlsx",
        "py",
        "txt",
        "exe",
        "main",
        "requirements",
        "python",
        "FILE",
        "simulate",
        "appraise",
    ],
    *[
        "Import",
        "Functions",
        "Interpreter",
        "Interpreter_Win",
        "UDF",
        "Modules",
        "Conda",
        "Path",
        "Env",
        "Ctrl",
        "Alt",
    ],
    *[
        "F9",
        "F11",
        "docs",
        "template",
        "md",
        "Warnings",
        "from",
        "import",
        "Wald",
        "sqrt",
        "E_t",
        "a_t",
        "x",
        "z",
        "p",
        "d",
        "n",
        "m",
        "r",
        "i",
    ],
    *[
        "B",
        "c",
        "dc",
        "u",
        "N",
        "k",
        "R",
        "h",
        "W",
        "w",
        "s",
        "C",
        "q",
        "v",
        "t",
        "L",
        "THB",
        "E",
        "CUSTOMER_SEGMENT",
        "CRM_SIMULATE",
    ],
}
#: The sheet names, which formulas use and which stay English (the text says what they are).
SHEET_WORDS = {word for name in SHEETS for word in re.findall(r"[A-Za-z]+", name)}
#: Currency codes, cell and column references, defined names and add-in function names.
NAME_LIKE = re.compile(
    r"[A-Z]{3}|[A-Z]{1,2}[0-9]*|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
)
FORMULA_LITERAL = re.compile(r'"((?:[^"]|"")*)"')
CONF_KEYS = {"UDF Modules", "addin.udfs"}  # read by xlwings: never translated


@pytest.fixture(scope="module")
def books() -> dict[str, Any]:
    return {"en": build_workbook("en"), "zh-CN": build_workbook("zh-CN")}


def texts(wb: Any) -> list[tuple[str, str]]:
    """Every text a user reads in ``wb``, with where it is: cells, text in formulas,
    comments, validation messages, headers and footers, chart titles."""
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                where = f"{ws.title}!{cell.coordinate}"
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value = value.text
                if isinstance(value, str) and value.startswith("="):
                    found += [(where, lit) for lit in FORMULA_LITERAL.findall(value)]
                elif isinstance(value, str):
                    found.append((where, value))
                if cell.comment is not None:
                    found.append((where + " comment", cell.comment.text))
        for dv in ws.data_validations.dataValidation:
            for field in ("promptTitle", "prompt", "errorTitle", "error"):
                found.append((f"{ws.title} {dv.sqref} {field}", getattr(dv, field) or ""))
        for part in (ws.oddHeader, ws.oddFooter):
            for piece in (part.left, part.center, part.right):
                found.append((f"{ws.title} header/footer", piece.text or ""))
        for chart in ws._charts:
            for title in (chart.title, chart.x_axis.title, chart.y_axis.title):
                rich = getattr(getattr(title, "tx", None), "rich", None)
                for paragraph in rich.p if rich else ():
                    found += [(f"{ws.title} chart", run.t) for run in paragraph.r or ()]
    return found


def english_words(value: str) -> list[str]:
    """The words of ``value`` written in Latin letters that are not allowed names."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", value)
    return [
        w
        for w in words
        if w not in ALLOWED_WORDS and w not in SHEET_WORDS and not NAME_LIKE.fullmatch(w)
    ]


# ---------------------------------------------------------------------- the catalogue


def test_every_text_of_the_chinese_template_is_chinese(books: dict[str, Any]) -> None:
    left = {
        (where, value)
        for where, value in texts(books["zh-CN"])
        if value not in CONF_KEYS and english_words(value)
    }
    assert not left, sorted(left)[:20]


def test_the_scan_finds_english(books: dict[str, Any]) -> None:
    """The scan above would fail on an untranslated label: the English template fails it."""
    assert sum(1 for _, value in texts(books["en"]) if english_words(value)) > 500
    assert english_words("Net present value (NPV)") == ["Net", "present", "value"]


def test_translation_of_core_labels() -> None:
    assert translate("Net present value (NPV)", "zh-CN") == "净现值（NPV）"
    assert translate("Internal rate of return (IRR)", "zh-CN") == "内部收益率（IRR）"
    assert translate("Payback", "zh-CN") == "投资回收期"
    assert translate("Discounted payback", "zh-CN") == "折现回收期"
    assert translate("Discount rate (annual)", "zh-CN") == "折现率（年）"
    for spec in INPUTS:  # every input's label, unit and note has its Chinese
        for english in (spec.label, spec.unit, spec.note):
            assert not english or english in ZH_CN or english == "%", english
    with pytest.raises(CrmValueError, match="zh-CN"):
        translate("Payback", "fr")


@given(st.sampled_from([spec.label for spec in INPUTS]), st.sampled_from(["low", "high"]))
def test_composed_texts_are_made_of_their_parts(label: str, side: str) -> None:
    side_zh = {"low": "低值", "high": "高值"}[side]
    assert text(f"{label} ({side})", "zh-CN") == f"{ZH_CN[label]}（{side_zh}）"
    assert text(f"{label}: {side}", "zh-CN") == f"{ZH_CN[label]}：{side_zh}"


@given(st.text(alphabet="abcXYZ :()-", max_size=30))
def test_unknown_text_is_left_as_it_is(value: str) -> None:
    """A case name or a label the user typed is never half translated."""
    made = text(value, "zh-CN")
    assert made == value or not english_words(made)


# ---------------------------------------------------------------------- the same workbook


def strip_literals(formula: str) -> str:
    return FORMULA_LITERAL.sub('""', formula)


def test_the_chinese_template_is_the_same_workbook(books: dict[str, Any]) -> None:
    en, zh = books["en"], books["zh-CN"]
    assert en.sheetnames == zh.sheetnames
    assert set(zh.defined_names) == set(en.defined_names) | {LANGUAGE_NAME}
    for name in en.defined_names:
        assert en.defined_names[name].attr_text == zh.defined_names[name].attr_text, name
    for ws_en, ws_zh in zip(en.worksheets, zh.worksheets, strict=True):
        formulas = 0
        for row_en, row_zh in zip(ws_en.iter_rows(), ws_zh.iter_rows(), strict=False):
            for a, b in zip(row_en, row_zh, strict=True):
                if isinstance(a.value, ArrayFormula):
                    assert strip_literals(a.value.text) == strip_literals(b.value.text)
                    assert a.value.ref == b.value.ref
                    formulas += 1
                elif isinstance(a.value, str) and a.value.startswith("="):
                    assert strip_literals(a.value) == strip_literals(b.value), a.coordinate
                    formulas += 1
                elif not isinstance(a.value, str) and ws_en.title != "Start":
                    assert a.value == b.value, (ws_en.title, a.coordinate)
                assert a.protection.locked == b.protection.locked, (ws_en.title, a.coordinate)
        dv_en = [
            (str(d.sqref), d.type, d.formula1, d.formula2)
            for d in ws_en.data_validations.dataValidation
        ]
        dv_zh = [
            (str(d.sqref), d.type, d.formula1, d.formula2)
            for d in ws_zh.data_validations.dataValidation
        ]
        assert dv_en == dv_zh, ws_en.title
        assert ws_en.protection.sheet == ws_zh.protection.sheet
    assert zh.defined_names[LANGUAGE_NAME].attr_text == '"zh-CN"'


def test_validation_texts_keep_excels_limits(books: dict[str, Any]) -> None:
    for ws in books["zh-CN"].worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.promptTitle or "") <= 32, dv.promptTitle
            assert len(dv.errorTitle or "") <= 32, dv.errorTitle
            assert len(dv.prompt or "") <= 255, dv.prompt
            assert len(dv.error or "") <= 225, dv.error


@pytest.mark.parametrize("language", sorted(TEMPLATE_PATHS))
def test_each_packaged_template_is_the_build_of_its_language(language: str) -> None:
    """Regenerate them with ``make docs`` (``python -m workbook_templates.builder``)."""
    packaged = TEMPLATE_PATHS[language]
    assert build_bytes(language) == packaged.read_bytes()
    assert workbook_language(packaged) == language


def test_an_unknown_or_unreadable_language_is_english(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.defined_names[LANGUAGE_NAME] = DefinedName(LANGUAGE_NAME, attr_text='"fr"')
    book.save(tmp_path / "fr.xlsx")
    assert workbook_language(tmp_path / "fr.xlsx") == "en"
    (tmp_path / "text.xlsx").write_text("not a workbook", encoding="utf-8")
    assert workbook_language(tmp_path / "text.xlsx") == "en"
    assert workbook_language(tmp_path / "missing.xlsx") == "en"


def test_the_chinese_build_is_deterministic() -> None:
    assert build_bytes("zh-CN") == build_bytes("zh-CN")


def test_start_sheet_lines_fit_the_column(books: dict[str, Any]) -> None:
    ws = books["zh-CN"]["Start"]
    lines = [c.value for (c,) in ws.iter_rows(min_row=3, max_col=1) if c.value]
    assert len(lines) > 40
    assert all(display_width(line) <= 112 for line in lines)  # punctuation may hang over
    assert not any(line.lstrip()[0] in "，。、；：）" for line in lines)
    assert not any(line.rstrip()[-1] in "（“" for line in lines)
    assert "xlwings.conf" in "\n".join(lines)  # Latin words are never cut


# ---------------------------------------------------------------------- the command line


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "addin.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        check=False,
    )


def test_new_writes_the_chinese_template(tmp_path: Path) -> None:
    done = run_cli("new", "zh.xlsx", "--language", "zh-CN", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert workbook_language(tmp_path / "zh.xlsx") == "zh-CN"
    assert (tmp_path / "zh.xlsx").read_bytes() == TEMPLATE_PATHS["zh-CN"].read_bytes()
    book = openpyxl.load_workbook(tmp_path / "zh.xlsx")
    assert book["Inputs"]["A9"].value == "折现率（年）"
    bad = run_cli("new", "fr.xlsx", "--language", "fr", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice: 'fr'" in bad.stderr
    assert not (tmp_path / "fr.xlsx").exists()


def numbers(value: str) -> list[str]:
    return re.findall(r"-?\d[\d,]*(?:\.\d+)?%?", value)


def test_text_report_has_the_same_numbers() -> None:
    result = appraise(demo_case())
    en, zh = format_appraisal(result), format_appraisal(result, "zh-CN")
    assert numbers(en.split("\n", 1)[1]) == numbers(zh.split("\n", 1)[1])
    for label in (
        "净现值（NPV）",
        "内部收益率（IRR）",
        "投资回收期",
        "折现回收期",
        "盈利指数（PI）",
    ):
        assert label in zh
    assert not english_words(zh.split("\n", 1)[1].replace("EUR", ""))


# ---------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo case with its low and high values, filled into the English and the Chinese
    template and recalculated by LibreOffice in one run."""
    if lo.find_soffice() is None:
        pytest.skip(f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}")
    folder = tmp_path_factory.mktemp("languages")
    paths = {}
    for language, template in TEMPLATE_PATHS.items():
        path = folder / f"demo_{language}.xlsx"
        fill_template(demo_case(), path, template=template, uncertain=demo_uncertainty())
        paths[language] = path
    outputs = lo.recalculate_many(list(paths.values()), folder / "out")
    return dict(zip(paths, outputs, strict=True))


def test_libreoffice_computes_the_same_numbers(recalculated: dict[str, Path]) -> None:
    en = openpyxl.load_workbook(recalculated["en"], data_only=True)
    zh = openpyxl.load_workbook(recalculated["zh-CN"], data_only=True)
    compared = 0
    for ws_en in en.worksheets:
        ws_zh = zh[ws_en.title]
        for row in ws_en.iter_rows():
            for a in row:
                b = ws_zh[a.coordinate].value
                if isinstance(a.value, (int, float)) and not isinstance(a.value, bool):
                    assert isinstance(b, (int, float)), (ws_en.title, a.coordinate, b)
                    assert math.isclose(a.value, b, rel_tol=1e-9, abs_tol=1e-9), a.coordinate
                    compared += 1
    assert compared > 3000
    npv = appraise(demo_case()).npv
    assert math.isclose(zh["Results"]["B6"].value, npv, rel_tol=1e-9)
    assert zh["Results"]["A6"].value == "净现值 NPV"


def test_appraise_follows_the_workbooks_language(
    recalculated: dict[str, Path], tmp_path: Path
) -> None:
    out = {}
    for language, path in recalculated.items():
        done = run_cli("appraise", str(path), "--json", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        out[language] = json.loads(done.stdout)
    assert out["en"]["metrics"] == out["zh-CN"]["metrics"]
    text_zh = run_cli("appraise", str(recalculated["zh-CN"]), cwd=tmp_path).stdout
    text_en = run_cli("appraise", str(recalculated["en"]), cwd=tmp_path).stdout
    assert "净现值（NPV）" in text_zh and "Net present value" not in text_zh
    assert "Net present value (NPV)" in text_en
    assert numbers(text_en.split("\n", 1)[1]) == numbers(text_zh.split("\n", 1)[1])
    simulated = {
        language: run_cli("appraise", str(path), "--simulate", "300", "--seed", "7", cwd=tmp_path)
        for language, path in recalculated.items()
    }
    for done in simulated.values():
        assert done.returncode == 0, done.stderr
    tables = {language: done.stdout.split("\n\n", 4)[-1] for language, done in simulated.items()}
    assert "情景分析" in tables["zh-CN"] and "蒙特卡洛模拟" in tables["zh-CN"]
    assert numbers(tables["en"].replace("P(<0)", "")) == numbers(
        tables["zh-CN"].replace("P(<0)", "")
    )


@pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason=f"pdffonts and pdftotext are not installed; {lo.PDFTOPPM_INSTALL_HINT}",
)
def test_the_chinese_pdf_embeds_a_cjk_font(recalculated: dict[str, Path], tmp_path: Path) -> None:
    done = run_cli(
        "appraise", str(recalculated["zh-CN"]), "--pdf", "r.pdf", "--out", "r.xlsx", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line or "Hei" in line or "Song" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # embedded
    words = subprocess.run(
        ["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    for label in ("净现值（NPV）", "内部收益率（IRR）", "投资回收期", "折现率（年）", "逐年明细"):
        assert label in words, label
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book["Results"]["A1"].value.startswith("CRM 投资评估：")
    assert workbook_language(tmp_path / "r.xlsx") == "zh-CN"
