"""The workbook commands: ``crmvalue new``, ``crmvalue demo`` and ``crmvalue appraise``.

Run in-process through :func:`addin.cli.main` (fast), and a few as real processes (exit
status, stderr, no traceback, what a start-up imports). Bad workbooks, tried as a new
user would, each give exit status 2 and one clear line on stderr; no input file is ever
changed and an existing output is kept unless ``--force``. The LibreOffice parts (the
recalculated demo workbook, the PDFs) run when LibreOffice is installed and skip with how
to install it otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from addin.cli import main
from crmvalue_core import appraisal as core
from tests.cases import APPRAISAL_METRICS
from tests.implausible_cases import FIRES
from tests.workbook_surgery import cfb, patched, set_cell_xml
from workbook_templates import libreoffice as lo
from workbook_templates.builder import RESULT_ROWS, TEMPLATE_PATH
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_inputs, read_values

ROOT = Path(__file__).resolve().parents[1]
METRICS = set(APPRAISAL_METRICS)
needs_libreoffice = pytest.mark.skipif(
    lo.find_soffice() is None, reason=f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason=f"pdftotext is not installed; {lo.PDFTOPPM_INSTALL_HINT}",
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``crmvalue ARGV`` in-process: exit status, stdout, stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str, command: str, *patterns: str) -> None:
    """stderr holds exactly one line, ``crmvalue COMMAND: ...``, matching ``patterns``."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"crmvalue {command}: "), err
    assert "Traceback" not in err
    for pattern in patterns:
        assert re.search(pattern, lines[0]), f"{pattern!r} not in: {lines[0]}"


def labelled_values(sheet: Any) -> dict[Any, Any]:
    """Column A -> column C of the results workbook's printed sheet (label -> value)."""
    return {row[0].value: row[2].value for row in sheet.iter_rows(min_col=1, max_col=3)}


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill_template(core.demo_case(), tmp_path_factory.mktemp("filled") / "demo.xlsx")


# ---------------------------------------------------------------------------------------
# crmvalue new
# ---------------------------------------------------------------------------------------


def test_new_writes_the_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "my case.xlsx"
    code, out, err = cli(capsys, "new", str(target))
    assert (code, err) == (0, "")
    assert f"crmvalue appraise {target}" in out
    assert target.read_bytes() == TEMPLATE_PATH.read_bytes()
    assert read_inputs(target) == core.AppraisalInputs()


def test_new_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "case.xlsx"
    target.write_bytes(b"my filled workbook")
    code, out, err = cli(capsys, "new", str(target))
    assert (code, out) == (2, "")
    one_line_error(err, "new", "already exists and is kept", "--force")
    assert target.read_bytes() == b"my filled workbook"
    assert cli(capsys, "new", str(target), "--force")[0] == 0
    assert target.read_bytes() == TEMPLATE_PATH.read_bytes()


@pytest.mark.parametrize(
    ("name", "pattern"),
    [("case.xls", r"ending in \.xlsx"), ("missing/case.xlsx", "does not exist; create it")],
)
def test_new_refuses_a_bad_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, pattern: str
) -> None:
    code, _, err = cli(capsys, "new", str(tmp_path / name))
    assert code == 2
    one_line_error(err, "new", pattern)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------
# crmvalue demo
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``crmvalue demo --out DIR`` run once (with LibreOffice when it is installed)."""
    folder = tmp_path_factory.mktemp("demo") / "out"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["demo", "--out", str(folder)])
    return {"code": code, "out": out.getvalue(), "err": err.getvalue(), "folder": folder}


def test_demo_prints_the_table_and_writes_the_files(demo_run: dict[str, Any]) -> None:
    from addin.cli.demo import FILES

    assert demo_run["code"] == 0, demo_run["err"]
    result = core.appraise(core.demo_case())
    assert demo_run["out"].startswith(core.format_appraisal(result))
    folder = demo_run["folder"]
    assert read_inputs(folder / FILES["workbook"]) == core.demo_case()
    assert (folder / FILES["chart"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    written = sorted(path.name for path in folder.iterdir())
    if lo.find_soffice() is None:
        assert written == sorted(
            [FILES["workbook"], FILES["chart"], FILES["tornado"], FILES["histogram"]]
        )
        assert "LibreOffice is not installed" in demo_run["out"]
    else:
        assert written == sorted(FILES.values())
        assert "... recalculating the workbook with LibreOffice" in demo_run["err"]
    for name in written:
        assert f"  {name}\n" in demo_run["out"]


@needs_libreoffice
def test_demo_recalculated_workbook_carries_every_value(demo_run: dict[str, Any]) -> None:
    from addin.cli.demo import FILES
    from addin.libreoffice.binding import binding_unavailable

    result = core.appraise(core.demo_case())
    wb = openpyxl.load_workbook(demo_run["folder"] / FILES["recalculated"], data_only=True)
    results = wb["Results"]
    row = RESULT_ROWS["npv"]
    assert results[f"B{row}"].value == pytest.approx(result.npv, rel=1e-12)  # ResultNPV, native
    if binding_unavailable() is None:
        assert results[f"D{row}"].value == pytest.approx(result.npv, rel=1e-12)  # AddinNPV
        assert [results[f"E{r}"].value for r in RESULT_ROWS.values()] == ["agrees"] * 9
        assert "#NAME?" not in demo_run["out"]
    else:
        assert "the add-in cross-checks say 'add-in not enabled'" in demo_run["out"]


@needs_libreoffice
@needs_pdftotext
def test_demo_results_sheet_renders_to_pdf_and_png(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    from addin.cli.demo import FILES
    from addin.libreoffice.binding import binding_unavailable

    pdf = demo_run["folder"] / FILES["pdf"]
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
    text = pdf_text(pdf)
    npv = core.appraise(core.demo_case()).npv
    shown = f"{npv:,.2f}"  # as the Results sheet formats it, #,##0.00
    # the native result, and the add-in cross-check when the add-in is bound into LibreOffice
    assert text.count(shown) == (2 if binding_unavailable() is None else 1), text
    assert "What drives the case" in text
    assert "Adoption ramp" not in text  # only the Results sheet is printed
    if lo.find_pdftoppm() is None:
        pytest.skip(f"pdftoppm is not installed; {lo.PDFTOPPM_INSTALL_HINT}")
    png = lo.to_png(pdf, tmp_path / "results.png", dpi=60)
    from PIL import Image

    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 300 and image.height > 300
        darkest, lightest = image.convert("L").getextrema()
    assert darkest < 100 < lightest  # text on a page, not a blank image


def test_demo_second_run_keeps_the_files_unless_forced(
    demo_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = demo_run["folder"]
    before = {path.name: digest(path) for path in folder.iterdir()}
    code, out, err = cli(capsys, "demo", "--out", str(folder))
    assert (code, out) == (2, "")
    one_line_error(err, "demo", "already exists and is kept", "--force")
    assert {path.name: digest(path) for path in folder.iterdir()} == before

    inode = (folder / "demo_appraisal.xlsx").stat().st_ino
    code, out, err = cli(capsys, "demo", "--out", str(folder), "--force", "--no-libreoffice")
    assert code == 0, err
    assert (folder / "demo_appraisal.xlsx").stat().st_ino != inode  # written anew
    assert read_inputs(folder / "demo_appraisal.xlsx") == core.demo_case()
    assert sorted(path.name for path in folder.iterdir()) == sorted(before)  # no temp files


def test_demo_without_libreoffice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "demo", "--out", str(tmp_path / "d"), "--no-libreoffice")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [
        "demo_appraisal.xlsx",
        "demo_cumulative_cash_flow.png",
        "demo_npv_histogram.png",  # the uncertainty of the demo case
        "demo_tornado.png",
    ]
    assert "LibreOffice" not in out and "recalculating" not in err


def test_demo_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = cli(capsys, "demo", "--out", str(tmp_path / "f"))
    assert code == 2
    one_line_error(err, "demo", "is a file; give a folder")


class FakeLibreOffice:
    """Stands in for LibreOffice: records the profile of each run (None for the plain one,
    else whether it binds the add-in), writes plain files."""

    def __init__(self) -> None:
        self.profiles: list[Any] = []

    def record(self, profile: Any) -> None:
        basic = "user/basic/Standard/CrmValueAddin.xba"
        self.profiles.append(None if profile is None else (Path(profile) / basic).is_file())

    def recalculate(self, path: Path, out_dir: Path, *, profile: Any = None, **_: Any) -> Path:
        self.record(profile)
        target = Path(out_dir) / f"{Path(path).stem}.xlsx"
        shutil.copyfile(path, target)  # no cached values: AddinNPV reads as None
        return target

    def to_pdf(self, path: Path, out_pdf: Path, sheet: Any = None, **kwargs: Any) -> Path:
        self.record(kwargs.get("profile"))
        Path(out_pdf).write_bytes(b"%PDF-1.4 fake")
        return Path(out_pdf)


@pytest.mark.parametrize("bound", [False, True])
def test_demo_uses_the_addin_profile_when_it_can(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    bound: bool,
) -> None:
    import addin.libreoffice.binding as binding

    fake = FakeLibreOffice()
    monkeypatch.setattr(lo, "find_soffice", lambda: Path("/usr/bin/soffice"))
    monkeypatch.setattr(lo, "recalculate", fake.recalculate)
    monkeypatch.setattr(lo, "to_pdf", fake.to_pdf)
    reason = f"LibreOffice's Python script provider is missing; {binding.PROVIDER_INSTALL_HINT}"
    monkeypatch.setattr(binding, "binding_unavailable", lambda: None if bound else reason)
    code, out, err = cli(capsys, "demo", "--out", str(tmp_path / "d"))
    assert code == 0, err
    notes = [line for line in out.splitlines() if line.startswith("(")]
    assert len(notes) == 1, out
    if bound:
        # the add-in profile for both runs; the fake computes nothing, which the demo notices
        assert fake.profiles == [True, True]
        assert "did not compute in LibreOffice (AddinNPV shows None)" in notes[0]
    else:
        assert fake.profiles == [None, None]
        expected = (
            "the add-in cross-checks say 'add-in not enabled' in the recalculated workbook "
            "and the PDF (the results are native formulas and show their values)"
        )
        assert notes[0] == f"({expected}: {reason})"


# ---------------------------------------------------------------------------------------
# crmvalue appraise
# ---------------------------------------------------------------------------------------


def test_appraise_prints_the_table_and_metrics(
    demo_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(demo_workbook)
    code, out, err = cli(capsys, "appraise", str(demo_workbook))
    assert (code, err) == (0, "")
    result = core.appraise(core.demo_case())
    assert out == core.format_appraisal(result) + "\n"
    assert f"{result.npv:,.0f}" in out
    assert digest(demo_workbook) == before


def test_appraise_json(demo_workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "appraise", str(demo_workbook), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    result = core.appraise(core.demo_case())
    assert set(data["metrics"]) == METRICS
    assert data["metrics"] == result.metrics  # exactly: JSON keeps every digit of a float
    assert data["notes"] == {}
    assert data["warnings"] == []
    assert [row["year"] for row in data["years"]] == list(range(core.YEARS))
    for row in data["years"]:
        assert row["net"] == result.years.loc[row["year"], "net"]
        assert row["calendar_year"] == 2027 + row["year"]


def test_appraise_json_undefined_metrics_are_null_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = core.AppraisalInputs(
        general=core.General(horizon_years=3), costs=core.Costs(implementation=(50_000,))
    )
    path = fill_template(case, tmp_path / "costs_only.xlsx")
    code, out, _ = cli(capsys, "appraise", str(path), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["metrics"]["irr"] is None and data["metrics"]["payback"] is None
    assert data["notes"] == core.appraise(case).notes
    assert set(data["notes"]) >= {"irr", "mirr", "payback", "discounted_payback"}
    assert data["metrics"]["npv"] == core.appraise(case).npv


def test_appraise_out_writes_a_results_workbook(
    demo_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "results.xlsx"
    code, _, err = cli(capsys, "appraise", str(demo_workbook), "--out", str(out_path))
    assert code == 0, err
    assert f"wrote the results workbook {out_path}" in err
    wb = openpyxl.load_workbook(out_path, data_only=True)
    sheet = wb["Results"]
    result = core.appraise(core.demo_case())
    shown = labelled_values(sheet)
    assert shown["Net present value (NPV)"] == result.npv
    assert shown["Internal rate of return (IRR)"] == result.irr
    assert shown["Payback"] == result.payback
    assert shown["PV of costs"] == result.pv_costs
    assert len(sheet._charts) == 2
    with zipfile.ZipFile(out_path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    horizon = core.demo_case().general.horizon_years
    last = get_column_letter(3 + horizon)  # years 0..horizon in columns C..
    for chart in charts:
        # the categories: the calendar years of the year table, no year after the horizon
        assert re.search(rf"<f>'Results'!\$C\$(\d+):\${last}\$\1</f>", chart), chart
        assert "<a:t>EUR</a:t>" in chart  # the value axis names the currency
    line = next(chart for chart in charts if "<lineChart>" in chart)
    assert '<smooth val="0"' in line and '<smooth val="1"' not in line

    before = digest(out_path)
    code, _, err = cli(capsys, "appraise", str(demo_workbook), "--out", str(out_path))
    assert code == 2
    one_line_error(err, "appraise", "already exists and is kept", "--force")
    assert digest(out_path) == before
    assert cli(capsys, "appraise", str(demo_workbook), "--out", str(out_path), "--force")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx"]


@needs_libreoffice
@needs_pdftotext
def test_appraise_pdf(
    demo_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "results.pdf"
    code, _, err = cli(capsys, "appraise", str(demo_workbook), "--pdf", str(pdf))
    assert code == 0, err
    text = pdf_text(pdf)
    result = core.appraise(core.demo_case())
    assert f"{result.npv:,.0f}" in text  # the results workbook's format, #,##0
    assert "Net present value (NPV)" in text


def test_appraise_pdf_without_libreoffice(
    demo_workbook: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRMVALUE_SOFFICE", str(tmp_path / "no-soffice"))
    code, out, err = cli(capsys, "appraise", str(demo_workbook), "--pdf", str(tmp_path / "r.pdf"))
    assert (code, out) == (2, "")
    one_line_error(err, "appraise", "needs LibreOffice", "apt-get install")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "pattern"),
    [
        (["appraise", "{dir}/missing.xlsx"], "no such file"),
        (["appraise", "{demo}", "--out", "{dir}/r.csv"], r"ending in \.xlsx"),
        (["appraise", "{demo}", "--pdf", "{dir}/r.png"], r"ending in \.pdf"),
        (["appraise", "{demo}", "--out", "{demo}", "--force"], "is the input file"),
        (["appraise", "{demo}", "--out", "{dir}/no/r.xlsx"], "does not exist; create it"),
    ],
)
def test_appraise_usage_errors(
    demo_workbook: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    pattern: str,
) -> None:
    before = digest(demo_workbook)
    filled = [arg.format(dir=tmp_path, demo=demo_workbook) for arg in argv]
    code, out, err = cli(capsys, *filled)
    assert (code, out) == (2, "")
    one_line_error(err, "appraise", pattern)
    assert digest(demo_workbook) == before
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------
# Plausible input, or a question: the empty case and the warnings
# ---------------------------------------------------------------------------------------


def test_appraise_refuses_a_fresh_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "fresh.xlsx"
    assert cli(capsys, "new", str(fresh))[0] == 0
    before = digest(fresh)
    out_path = tmp_path / "results.xlsx"
    code, out, err = cli(capsys, "appraise", str(fresh), "--json", "--out", str(out_path))
    assert (code, out) == (2, "")
    one_line_error(
        err,
        "appraise",
        r"^crmvalue appraise: fresh\.xlsx: no cost and no benefit is entered",
        r"enter the costs .* and the benefit drivers",
    )
    assert digest(fresh) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.xlsx"]


def test_process_refuses_a_fresh_template(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    assert crmvalue("new", str(fresh)).returncode == 0
    done = crmvalue("appraise", str(fresh))
    assert (done.returncode, done.stdout) == (2, "")
    one_line_error(done.stderr, "appraise", "no cost and no benefit is entered")


def defined_cell(path: Path, name: str, index: int = 0) -> tuple[str, str]:
    """Where the workbook's defined name points (its ``index``-th cell), read with openpyxl."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    wb = openpyxl.load_workbook(path)
    ((sheet, reference),) = list(wb.defined_names[name].destinations)
    min_col, min_row, *_ = range_boundaries(reference.replace("$", ""))
    return sheet, f"{get_column_letter(min_col + index)}{min_row}"


#: A hand case at a discount rate typed as 1 (100%): -100,000 + 60,000/2 + 60,000/4.
ODD_RATE = core.AppraisalInputs(
    general=core.General(horizon_years=2, discount_rate=1, benefit_risk_adjustment=0),
    costs=core.Costs(implementation=(100_000,)),
    benefits=core.BenefitDrivers(adoption_ramp=(1,), other_benefits=(60_000, 60_000)),
)
ODD_RATE_NPV = -100_000 + 60_000 / 2 + 60_000 / 4


def test_appraise_warns_of_a_rate_of_one_and_keeps_the_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill_template(ODD_RATE, tmp_path / "odd.xlsx")
    sheet, cell = defined_cell(path, "DiscountRate")
    code, out, err = cli(capsys, "appraise", str(path))
    assert code == 0
    assert out == core.format_appraisal(core.appraise(ODD_RATE)) + "\n"
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(
        f"crmvalue appraise: warning: sheet {sheet!r}, cell {cell}, DiscountRate (discount "
        "rate) is 100% (the value 1)"
    )
    assert "did you mean 1%?" in lines[0]

    code, out, err = cli(capsys, "appraise", str(path), "--json")
    assert code == 0 and len(err.strip().splitlines()) == 1
    data = json.loads(out)
    assert data["metrics"]["npv"] == pytest.approx(ODD_RATE_NPV, abs=1e-9)
    (warning,) = data["warnings"]
    assert warning["rule"] == "percent-is-one"
    assert (warning["name"], warning["value"], warning["year"]) == ("DiscountRate", 1.0, None)
    assert (warning["sheet"], warning["cell"]) == (sheet, cell)
    assert warning["label"] == "Discount rate (annual)"
    assert "crmvalue appraise: warning: " + warning["text"] == lines[0]


@pytest.mark.parametrize(
    ("rule", "values", "where", "value", "words"),
    FIRES,
    ids=[f"{rule}-{'-'.join(values)}" for rule, values, *_ in FIRES],
)
def test_appraise_warns_of_each_rule_naming_the_cell(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rule: str,
    values: dict[str, Any],
    where: tuple[str, int | None],
    value: float,
    words: str,
) -> None:
    case = core.demo_case().with_values(values)
    path = fill_template(case, tmp_path / "case.xlsx")
    name, year = where
    spec = {item.name: item for item in core.INPUTS}[name]
    sheet, cell = defined_cell(path, name, 0 if year is None else year - spec.first_year)
    code, out, err = cli(capsys, "appraise", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["metrics"] == core.appraise(case).metrics  # the numbers as entered
    found = [w for w in data["warnings"] if (w["name"], w["year"]) == where]
    assert len(found) == 1, data["warnings"]
    assert (found[0]["rule"], found[0]["value"]) == (rule, value)
    assert (found[0]["sheet"], found[0]["cell"]) == (sheet, cell)
    assert re.search(words, found[0]["message"])
    assert f"crmvalue appraise: warning: sheet {sheet!r}, cell {cell}, {name}" in err
    assert len(err.strip().splitlines()) == len(data["warnings"])


def test_results_workbook_lists_the_warnings(
    tmp_path: Path, demo_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fill_template(ODD_RATE.with_values({"CostContingency": 1}), tmp_path / "odd.xlsx")
    out_path = tmp_path / "results.xlsx"
    code, _, err = cli(capsys, "appraise", str(path), "--json", "--out", str(out_path))
    assert code == 0
    texts = [line.removeprefix("crmvalue appraise: warning: ") for line in err.splitlines()]
    texts = [text for text in texts if not text.startswith("...")]
    assert len(texts) == 2  # the rate and the contingency
    sheet = openpyxl.load_workbook(out_path)["Results"]
    column = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    assert column[2] == "Check the inputs: 2 warnings below (the numbers use the values as entered)"
    start = column.index("Warnings: valid values that look like a slip")
    assert column[start + 1 : start + 3] == texts
    shown = labelled_values(sheet)
    # by hand: costs doubled, -200,000 + 60,000 / 2 + 60,000 / 4
    assert shown["Net present value (NPV)"] == pytest.approx(-155_000, abs=1e-9)

    # no warning: no block
    clean = tmp_path / "clean.xlsx"
    assert cli(capsys, "appraise", str(demo_workbook), "--out", str(clean))[0] == 0
    sheet = openpyxl.load_workbook(clean)["Results"]
    column = [sheet.cell(row, 1).value for row in range(1, sheet.max_row + 1)]
    assert column[2] is None
    assert not any(str(text).startswith("Warnings") for text in column if text)


def test_appraise_simulate_warns_of_a_high_value_naming_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = core.demo_case()
    uncertain = core.UncertainInputs(case, {"CrossSellUplift": (0.01, 1)})
    path = fill_template(case, tmp_path / "ranges.xlsx", uncertain=uncertain)
    sheet, cell = defined_cell(path, "CrossSellUpliftHigh")
    code, out, err = cli(capsys, "appraise", str(path), "--simulate", "200", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["metrics"] == core.appraise(case).metrics
    (warning,) = data["warnings"]
    assert (warning["name"], warning["side"], warning["value"]) == ("CrossSellUplift", "high", 1)
    assert (warning["sheet"], warning["cell"]) == (sheet, cell)
    lines = [line for line in err.splitlines() if "warning:" in line]
    assert lines == [f"crmvalue appraise: warning: {warning['text']}"]
    assert lines[0].startswith(
        f"crmvalue appraise: warning: sheet {sheet!r}, cell {cell}, CrossSellUplift high "
    )


@needs_libreoffice
@needs_pdftotext
def test_results_pdf_shows_the_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fill_template(ODD_RATE, tmp_path / "odd.xlsx")
    pdf = tmp_path / "results.pdf"
    code, _, err = cli(capsys, "appraise", str(path), "--pdf", str(pdf))
    assert code == 0, err
    text = " ".join(pdf_text(pdf).split())
    assert "Check the inputs: 1 warning below" in text
    assert "DiscountRate (discount rate) is 100% (the value 1)" in text
    assert "did you mean 1%?" in text


# ---------------------------------------------------------------------------------------
# Bad workbooks through the command line
# ---------------------------------------------------------------------------------------


def edited(demo: Path, target: Path, **values: Any) -> Path:
    """The demo workbook with inputs (by defined name) set to ``values``."""
    places = read_values(demo)
    wb = openpyxl.load_workbook(demo)
    for name, value in values.items():
        place = places[name]
        wb[place.sheet][place.cell] = value
    wb.save(target)
    return target


def written(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def without_name(demo: Path, target: Path) -> Path:
    wb = openpyxl.load_workbook(demo)
    del wb.defined_names["ChurnReduction"]
    wb.save(target)
    return target


def without_sheet(demo: Path, target: Path) -> Path:
    wb = openpyxl.load_workbook(demo)
    del wb["Inputs"]
    wb.save(target)
    return target


def foreign_workbook(demo: Path, target: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["Customer", "Revenue"])
    wb.active.append(["Acme", 1200])
    wb.save(target)
    return target


def entity_bomb(demo: Path, target: Path) -> Path:
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    place = read_values(demo)["CaseName"]

    def bomb(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        xml = f"<!DOCTYPE worksheet [{entities}]>{body}"
        return set_cell_xml(xml, place.cell, "<is><t>&lol9;</t></is>", "inlineStr")

    return patched(demo, target, "xl/worksheets/sheet2.xml", bomb)


BAD_WORKBOOKS = {
    "text_rate": (
        lambda demo, t: edited(demo, t, DiscountRate="ten percent"),
        [r"sheet 'Inputs', cell C\d+ \(DiscountRate\)", "the text 'ten percent'", "enter a rate"],
    ),
    "negative_count": (
        lambda demo, t: edited(demo, t, SalesReps=-3),
        [r"\(SalesReps\) is -3, below the minimum 0", "whole number >= 0"],
    ),
    "horizon_0": (
        lambda demo, t: edited(demo, t, HorizonYears=0),
        [r"\(HorizonYears\) is 0, below the minimum 1", "from 1 to 10"],
    ),
    "horizon_11": (
        lambda demo, t: edited(demo, t, HorizonYears=11),
        [r"\(HorizonYears\) is 11, above the maximum 10"],
    ),
    "missing_name": (without_name, ["defined name ChurnReduction is missing", "crmvalue new"]),
    "deleted_sheet": (without_sheet, [r"sheet 'Inputs'.* is missing \(deleted or renamed\?\)"]),
    "not_the_template": (foreign_workbook, ["not the crmvalue appraisal template"]),
    "csv_renamed": (
        lambda demo, t: written(t, b"name,discount_rate\nCRM,0.1\n"),
        [r"a text file \(CSV or similar\) renamed to \.xlsx"],
    ),
    "xls_renamed": (
        lambda demo, t: written(t, cfb({"Workbook": b"\x09\x08" + b"\0" * 5000})),
        [r"Excel 97-2003 \(\.xls\)", "save it as .xlsx"],
    ),
    "truncated": (
        lambda demo, t: written(t, demo.read_bytes()[: demo.stat().st_size // 2]),
        ["damaged or truncated"],
    ),
    "password_protected": (
        lambda demo, t: written(
            t,
            cfb(
                {
                    "EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 4100,
                    "EncryptedPackage": b"\0" * 8192,
                }
            ),
        ),
        ["password-protected", "remove the password"],
    ),
    "entity_bomb": (entity_bomb, ["XML entity declarations", "refusing to read it"]),
}


@pytest.mark.parametrize("kind", list(BAD_WORKBOOKS))
def test_bad_workbook_exits_2_with_one_clear_line(
    demo_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    make, patterns = BAD_WORKBOOKS[kind]
    bad = make(demo_workbook, tmp_path / "bad.xlsx")
    existing = tmp_path / "results.xlsx"
    existing.write_bytes(b"an earlier result")
    before = digest(bad)
    # --force: the bad input is found before anything is written, the output is kept
    code, out, err = cli(capsys, "appraise", str(bad), "--json", "--out", str(existing), "--force")
    assert (code, out) == (2, "")
    one_line_error(err, "appraise", r"^crmvalue appraise: bad\.xlsx: ", *patterns)
    assert digest(bad) == before
    assert existing.read_bytes() == b"an earlier result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "results.xlsx"]
    # without --force the existing output is named first, and kept
    code, _, err = cli(capsys, "appraise", str(bad), "--out", str(existing))
    assert code == 2
    one_line_error(err, "appraise", "results.xlsx already exists and is kept")
    assert existing.read_bytes() == b"an earlier result"


# ---------------------------------------------------------------------------------------
# Exit statuses: a user mistake 2, a failed external program 3, never a traceback
# ---------------------------------------------------------------------------------------


def test_exit_statuses_are_one_mapping() -> None:
    import doctest

    from addin.cli import errors
    from crmvalue_core import CrmValueError
    from workbook_templates.errors import FileError, TemplateError, ToolError

    assert doctest.testmod(errors).failed == 0
    cases = [
        (errors.UsageError("x.xlsx: no such file"), 2),
        (CrmValueError("NPV_CRM: rate is the text 'x'"), 2),
        (FileError("already exists and is kept", path="out.xlsx"), 2),
        (TemplateError("sheet 'Inputs' is missing", path="case.xlsx"), 2),
        (ToolError("LibreOffice stopped on case.xlsx (exit status 134); try again"), 3),
        (KeyboardInterrupt(), 130),
        (BrokenPipeError(), 141),
    ]
    for error, code in cases:
        ending = errors.outcome(error, "appraise")
        assert ending is not None and ending.status.code == code, error
        if code in (2, 3):
            assert ending.message == f"crmvalue appraise: {error}"
    assert errors.outcome(BrokenPipeError(), "appraise").message is None
    assert errors.outcome(ValueError("a bug"), "appraise") is None
    assert errors.outcome(RuntimeError("a bug"), "appraise") is None


def test_help_lists_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for code in (0, 2, 3, 130, 141):
        assert f" {code} " in out
    assert "3 an external program (LibreOffice) is missing, failed or timed out" in out


def crashed_libreoffice(*_: Any, **__: Any) -> Path:
    from workbook_templates.errors import ToolError

    raise ToolError("LibreOffice stopped (exit status 134) on demo_appraisal.xlsx; try again")


def test_a_failed_libreoffice_exits_3_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import addin.libreoffice.binding as binding

    monkeypatch.setattr(lo, "find_soffice", lambda: Path("/usr/bin/soffice"))
    monkeypatch.setattr(lo, "recalculate", crashed_libreoffice)
    monkeypatch.setattr(binding, "binding_unavailable", lambda: "no script provider")
    code, _, err = cli(capsys, "demo", "--out", str(tmp_path / "d"))
    assert code == 3
    lines = [line for line in err.strip().splitlines() if not line.startswith("... ")]
    assert lines == [
        "crmvalue demo: LibreOffice stopped (exit status 134) on demo_appraisal.xlsx; try again"
    ]
    assert "Traceback" not in err


def test_a_failed_pdf_exits_3_and_writes_nothing(
    demo_workbook: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import workbook_templates.pdf_printer as pdf_printer

    class CrashingPrinter:
        """A printer whose LibreOffice crashes on the workbook it is handed."""

        def __init__(self, *_: Any, **__: Any) -> None:
            pass

        def __enter__(self) -> CrashingPrinter:
            return self

        def __exit__(self, *_: object) -> None:
            pass

        print = staticmethod(crashed_libreoffice)

    monkeypatch.setattr(lo, "find_soffice", lambda: Path("/usr/bin/soffice"))
    monkeypatch.setattr(pdf_printer, "PdfPrinter", CrashingPrinter)
    code, _, err = cli(capsys, "appraise", str(demo_workbook), "--pdf", str(tmp_path / "r.pdf"))
    assert code == 3
    lines = [line for line in err.strip().splitlines() if not line.startswith("... ")]
    assert len(lines) == 1 and lines[0].startswith("crmvalue appraise: LibreOffice stopped")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------
# Real processes
# ---------------------------------------------------------------------------------------


def crmvalue(*argv: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "addin.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        **kwargs,
    )


def test_process_bad_workbook(demo_workbook: Path, tmp_path: Path) -> None:
    bad = entity_bomb(demo_workbook, tmp_path / "bomb.xlsx")
    before = digest(bad)
    done = crmvalue("appraise", str(bad))
    assert (done.returncode, done.stdout) == (2, "")
    one_line_error(done.stderr, "appraise", "bomb.xlsx: the workbook contains XML entity")
    assert digest(bad) == before


def test_process_stops_quietly_when_the_reader_goes_away(demo_workbook: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "addin.cli", "appraise", str(demo_workbook)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `crmvalue appraise x.xlsx | head -0`
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert err == ""


LEAN_CHECK = """
import json, sys
from addin.cli import main
heavy = ("xlwings", "matplotlib", "scipy.optimize", "addin.udfs", "addin.excel.registry",
         "crmvalue_core", "pandas", "openpyxl")
loaded = {}
for name, argv in (("help", ["--help"]), ("new", ["new", sys.argv[1]]),
                   ("appraise", ["appraise", sys.argv[2]])):
    try:
        main(argv)
    except SystemExit:
        pass
    loaded[name] = [module for module in heavy if module in sys.modules]
print(json.dumps(loaded), file=sys.stderr)
"""


def test_start_up_imports_only_what_a_command_needs(demo_workbook: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LEAN_CHECK, str(tmp_path / "new.xlsx"), str(demo_workbook)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert loaded["help"] == []
    assert loaded["new"] == []
    # appraise needs the calculator (numpy, pandas; scipy.optimize for the IRR) and openpyxl,
    # never xlwings, matplotlib, the add-in's UDFs or the function registry
    assert {"xlwings", "matplotlib", "addin.udfs", "addin.excel.registry"}.isdisjoint(
        loaded["appraise"]
    )
    assert {"crmvalue_core", "openpyxl"} <= set(loaded["appraise"])
    assert os.path.getsize(tmp_path / "new.xlsx") == TEMPLATE_PATH.stat().st_size
