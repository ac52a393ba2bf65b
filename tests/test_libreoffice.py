"""LibreOffice Calc, headless, as the spreadsheet engine of the tests (docs/template.md).

(a) :mod:`workbook_templates.libreoffice` recalculates workbooks (native formulas) and
    prints a sheet to PDF; (b) the add-in binding of :mod:`addin.libreoffice.binding` makes
    the add-in's formulas compute through the real :mod:`addin.udfs` functions.

Each LibreOffice run costs about a second, so the workbooks of a group of tests are made
once (module fixtures) and recalculated together in one run. Without LibreOffice these
tests skip with a message that says how to install it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from addin.libreoffice.binding import (
    INFO_FUNCTION,
    PROVIDER_INSTALL_HINT,
    FunctionSpec,
    basic_source,
    binding_unavailable,
    bridge_log,
    make_addin_profile,
    module_specs,
    python_script_provider,
)
from addin.libreoffice.bridge import excel_argument, result_cells
from tests.processes import marked_processes
from workbook_templates import libreoffice as lo
from workbook_templates._workbook_copies import show_only
from workbook_templates.errors import FileError, TemplateError, ToolError

SOFFICE = lo.find_soffice()
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason=f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}"
)
needs_provider = pytest.mark.skipif(
    SOFFICE is not None and python_script_provider() is None,
    reason=f"LibreOffice's Python script provider is not installed; {PROVIDER_INSTALL_HINT}",
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason=f"pdftotext is not installed; {lo.PDFTOPPM_INSTALL_HINT}",
)

SAMPLE_MODULE = "tests.libreoffice_sample_udfs"
FLOWS = [-100000.0, 30000.0, 35000.0, 40000.0, 45000.0]


def values(path: Path, sheet: str | None = None) -> Any:
    """The recalculated workbook's sheet, values only."""
    book = openpyxl.load_workbook(path, data_only=True)
    return book[sheet] if sheet else book.active


def digest(path: Path) -> tuple[str, int]:
    """A file's content hash and modification time, to prove it was not touched."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# ---------------------------------------------------------------------------------------
# Without LibreOffice: the pieces of the binding
# ---------------------------------------------------------------------------------------


def test_arguments_arrive_as_xlwings_hands_them_over() -> None:
    column = ((1,), (None,), (2.5,))
    assert excel_argument(column, as_table=True) == [[1.0], [None], [2.5]]
    assert excel_argument(column, as_table=False) == [1.0, None, 2.5]
    assert excel_argument(((1, "a"),), as_table=False) == [1.0, "a"]
    assert excel_argument(None, as_table=True) == [[None]]
    assert type(excel_argument(7, as_table=False)) is float


def test_the_bridge_examples_hold() -> None:
    # addin/ is not among the doctest paths of pytest: run the bridge's examples here
    import doctest

    from addin.libreoffice import bridge as libreoffice_bridge

    failures, tried = doctest.testmod(libreoffice_bridge, optionflags=doctest.ELLIPSIS)
    assert tried >= 9 and failures == 0


def test_results_go_back_as_a_value_or_a_flat_table() -> None:
    assert result_cells("NPV_CRM: flows item 3 is the text 'n/a'") == (
        "NPV_CRM: flows item 3 is the text 'n/a'"
    )
    assert result_cells([["PV", 1], ["NPV", 2.5]]) == (2, 2, "PV", 1.0, "NPV", 2.5)
    assert result_cells([["a"], ["b"]]) == (2, 1, "a", "b")
    for ragged in ([[1, 2], [3]], [1, [2]], [], [[]]):
        with pytest.raises(ValueError):
            result_cells(ragged)


def test_basic_module_declares_each_function_with_its_arguments() -> None:
    specs = [
        FunctionSpec("NPV_CRM", ("rate", "flows", "costs"), (False, True, True)),
        FunctionSpec("NOTHING", (), ()),
    ]
    source = basic_source(specs)
    declaration = "Function NPV_CRM(Optional a1 As Variant, Optional a2 As Variant, "
    assert declaration + "Optional a3 As Variant) As Variant" in source
    assert 'NPV_CRM = CrmValueCall("NPV_CRM", aArgs, sGiven)' in source
    assert "Function NOTHING() As Variant" in source
    assert f"Function {INFO_FUNCTION}() As Variant" in source


def test_printing_one_sheet_hides_the_others_in_the_workbook_part() -> None:
    xml = (
        '<workbook xmlns="x"><bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        '<sheet name="Start" sheetId="1" r:id="rId1"/>'
        '<sheet name="R&amp;D &quot;x&quot;" sheetId="2" state="hidden" r:id="rId2"/>'
        "<sheet name='Inputs' sheetId='3' r:id='rId3'/></sheets></workbook>"
    )
    shown = show_only(xml, 'R&D "x"', Path("book.xlsx"))
    sheets = re.findall(r"<sheet [^>]*>", shown)
    assert ['state="hidden"' in tag for tag in sheets] == [True, False, True]
    assert '<workbookView activeTab="1"/>' in shown
    with pytest.raises(TemplateError, match="no sheet named 'Results'"):
        show_only(xml, "Results", Path("book.xlsx"))


def test_without_libreoffice_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMVALUE_SOFFICE", str(tmp_path / "no-soffice-here"))
    assert lo.find_soffice() is None
    native_workbook(tmp_path / "book.xlsx", 0.1, FLOWS)
    with pytest.raises(lo.LibreOfficeError, match=r"apt-get install .*libreoffice-calc"):
        lo.recalculate(tmp_path / "book.xlsx", tmp_path / "out")
    assert not (tmp_path / "out" / "book.xlsx").exists()


# ---------------------------------------------------------------------------------------
# (a) Recalculation of native formulas
# ---------------------------------------------------------------------------------------


def native_workbook(path: Path, rate: float, flows: list[float]) -> None:
    """A workbook of native formulas only (NPV, IRR, SUM, IF, a defined name, two sheets)."""
    book = openpyxl.Workbook()
    inputs = book.active
    inputs.title = "Inputs"
    inputs["A1"] = "rate"
    inputs["B1"] = rate
    for i, flow in enumerate(flows):
        inputs.cell(row=2 + i, column=2, value=flow)
    last = 1 + len(flows)
    book.defined_names["Rate"] = DefinedName("Rate", attr_text="Inputs!$B$1")
    results = book.create_sheet("Results")
    results["A1"] = "NPV"
    results["B1"] = f"=NPV(Rate, Inputs!B3:B{last}) + Inputs!B2"
    results["A2"] = "IRR"
    results["B2"] = f"=IRR(Inputs!B2:B{last})"
    results["A3"] = "Total"
    results["B3"] = f"=SUM(Inputs!B2:B{last})"
    results["A4"] = "Flag"
    results["B4"] = '=IF(B1>0, "positive", "negative")'
    book.save(path)


@pytest.fixture(scope="module")
def native_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three workbooks written by openpyxl (no cached values), recalculated in one run."""
    if SOFFICE is None:
        pytest.skip(f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}")
    folder = tmp_path_factory.mktemp("native")
    cases = {
        "base": (0.10, FLOWS),
        "high_rate": (0.25, FLOWS),
        "long": (0.07, [-500.0, 120.0, 130.0, 0.0, 140.0, 150.0, 160.0]),
    }
    inputs = []
    for name, (rate, flows) in cases.items():
        native_workbook(folder / f"{name}.xlsx", rate, flows)
        inputs.append(folder / f"{name}.xlsx")
    before = {path: digest(path) for path in inputs}
    listing = sorted(p.name for p in folder.iterdir())
    outputs = lo.recalculate_many(inputs, folder / "out")
    return {
        "cases": cases,
        "outputs": dict(zip(cases, outputs, strict=True)),
        "inputs_untouched": all(digest(path) == before[path] for path in inputs),
        "listing_untouched": sorted(p.name for p in folder.iterdir() if p.name != "out") == listing,
        "out_dir": folder / "out",
    }


@needs_libreoffice
@pytest.mark.parametrize("case", ["base", "high_rate", "long"])
def test_native_formulas_are_recalculated(native_results: dict[str, Any], case: str) -> None:
    rate, flows = native_results["cases"][case]
    sheet = values(native_results["outputs"][case], "Results")
    npv = sum(flow / (1 + rate) ** t for t, flow in enumerate(flows))
    assert sheet["B1"].value == pytest.approx(npv, rel=1e-12)
    irr = sheet["B2"].value
    assert isinstance(irr, float)
    assert abs(sum(flow / (1 + irr) ** t for t, flow in enumerate(flows))) < 1e-6
    assert sheet["B3"].value == pytest.approx(sum(flows), rel=1e-15)
    assert sheet["B4"].value == ("positive" if npv > 0 else "negative")


@needs_libreoffice
def test_batch_leaves_the_inputs_alone_and_no_temporary_files(
    native_results: dict[str, Any],
) -> None:
    assert native_results["inputs_untouched"]
    assert native_results["listing_untouched"]
    names = sorted(p.name for p in native_results["out_dir"].iterdir())
    assert names == ["base.xlsx", "high_rate.xlsx", "long.xlsx"]


def with_cached_value(source: Path, target: Path, part: str, cell: str, cached: str) -> None:
    """Copy an xlsx, replacing the cached value of formula ``cell`` in sheet ``part``."""
    pattern = re.compile(rf'(<c r="{cell}"[^>]*>\s*<f[^>]*>[^<]*</f>\s*<v>)([^<]*)(</v>)')
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for member in zin.infolist():
            data = zin.read(member)
            if member.filename == f"xl/worksheets/{part}.xml":
                text, count = pattern.subn(rf"\g<1>{cached}\g<3>", data.decode("utf-8"))
                assert count == 1, f"no cached value for {cell}"
                data = text.encode("utf-8")
            zout.writestr(member, data)


@needs_libreoffice
def test_cached_values_are_recalculated_only_when_the_profile_says_so(
    native_results: dict[str, Any], tmp_path: Path
) -> None:
    recalculated = native_results["outputs"]["base"]
    assert values(recalculated, "Results")["B3"].value == sum(FLOWS)
    stale = tmp_path / "stale.xlsx"
    with_cached_value(recalculated, stale, "sheet2", "B3", "999")
    keep = lo.make_profile(tmp_path / "keep", recalc=False)
    kept = lo.recalculate(stale, tmp_path / "kept", profile=keep)
    again = lo.recalculate(stale, tmp_path / "again")
    assert values(kept, "Results")["B3"].value == 999
    assert values(again, "Results")["B3"].value == sum(FLOWS)


@needs_libreoffice
def test_bad_inputs_and_outputs_get_clear_errors(tmp_path: Path) -> None:
    # A bad file is the user's mistake (FileError); LibreOffice failing is not (ToolError).
    assert issubclass(lo.LibreOfficeError, ToolError) and not issubclass(ToolError, ValueError)
    assert issubclass(lo.LibreOfficeTimeout, lo.LibreOfficeError)
    with pytest.raises(FileError, match="no such file"):
        lo.recalculate(tmp_path / "missing.xlsx", tmp_path)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(FileError, match="empty"):
        lo.recalculate(tmp_path / "empty.xlsx", tmp_path / "out")
    (tmp_path / "text.xlsx").write_text("a,b\n1,2\n")
    with pytest.raises(FileError, match=r"not an Excel workbook .*a CSV file renamed\?"):
        lo.recalculate(tmp_path / "text.xlsx", tmp_path / "out")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(FileError, match="not a workbook"):
        lo.recalculate(tmp_path / "notes.txt", tmp_path / "out")
    # An .xlsx goes through the one guard of every .xlsx read (files.check_xlsx_archive).
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(FileError, match="zip archive but not an Excel workbook"):
        lo.recalculate(tmp_path / "zip.xlsx", tmp_path / "out")
    # An .ods zip that is no workbook gets past the checks here: LibreOffice refuses it.
    with zipfile.ZipFile(tmp_path / "zip.ods", "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(lo.LibreOfficeError, match="could not convert"):
        lo.recalculate(tmp_path / "zip.ods", tmp_path / "out")
    assert not (tmp_path / "out" / "zip.xlsx").exists()
    native_workbook(tmp_path / "book.xlsx", 0.1, FLOWS)
    (tmp_path / "out" / "book.xlsx").write_text("mine")
    with pytest.raises(FileError, match="already exists"):
        lo.recalculate(tmp_path / "book.xlsx", tmp_path / "out")
    assert (tmp_path / "out" / "book.xlsx").read_text() == "mine"
    with pytest.raises(FileError, match="its own input"):
        lo.recalculate(tmp_path / "book.xlsx", tmp_path, overwrite=True)
    assert list((tmp_path / "out").glob(".crmvalue-*")) == []


@needs_libreoffice
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_a_run_that_times_out_is_stopped_and_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"crmvalue-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("CRMVALUE_TEST_MARKER", marker)
    native_workbook(tmp_path / "book.xlsx", 0.1, FLOWS)
    with pytest.raises(lo.LibreOfficeError, match=r"did not finish within 0\.2 s"):
        lo.recalculate(tmp_path / "book.xlsx", tmp_path / "out", timeout=0.2)
    assert marked_processes(marker) == []
    assert not (tmp_path / "out" / "book.xlsx").exists()
    # and a normal run leaves nothing behind either
    lo.recalculate(tmp_path / "book.xlsx", tmp_path / "out")
    assert marked_processes(marker) == []


# ---------------------------------------------------------------------------------------
# (c) PDF and PNG
# ---------------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    """The text of a PDF, as pdftotext lays it out."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


@needs_libreoffice
@needs_pdftotext
def test_pdf_of_the_results_sheet_shows_its_computed_value(tmp_path: Path) -> None:
    price, quantity = 1234.5, 789.3  # no rounding tie: Calc and Python round ties apart
    book = openpyxl.Workbook()
    inputs = book.active
    inputs.title = "Inputs"
    inputs["A5"] = "ONLY-ON-INPUTS"
    inputs["B1"], inputs["B2"] = price, quantity
    results = book.create_sheet("Results")
    results["A1"] = "Revenue"
    results["B1"] = "=Inputs!B1*Inputs!B2"
    results["B1"].number_format = "#,##0.00"
    results.column_dimensions["B"].width = 20  # narrower, and the cell would show ###
    book.active = 0
    book.save(tmp_path / "book.xlsx")
    before = digest(tmp_path / "book.xlsx")

    only = lo.to_pdf(tmp_path / "book.xlsx", tmp_path / "results.pdf", sheet="Results")
    text = pdf_text(only)
    assert f"{price * quantity:,.2f}" in text
    assert "Revenue" in text
    assert "ONLY-ON-INPUTS" not in text

    everything = pdf_text(lo.to_pdf(tmp_path / "book.xlsx", tmp_path / "all.pdf"))
    assert "ONLY-ON-INPUTS" in everything
    assert f"{price * quantity:,.2f}" in everything
    assert digest(tmp_path / "book.xlsx") == before

    with pytest.raises(TemplateError, match=r"no sheet named 'Summary'.*'Results'"):
        lo.to_pdf(tmp_path / "book.xlsx", tmp_path / "x.pdf", sheet="Summary")
    with pytest.raises(FileError, match="already exists"):
        lo.to_pdf(tmp_path / "book.xlsx", only, sheet="Results")

    if lo.find_pdftoppm() is None:
        pytest.skip(f"pdftoppm is not installed; {lo.PDFTOPPM_INSTALL_HINT}")
    png = lo.to_png(only, tmp_path / "results.png", dpi=50)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) in ((425, 550), (413, 584))  # US letter or A4 at 50 dpi
    with pytest.raises(ToolError, match="page 9"):
        lo.to_png(only, tmp_path / "nine.png", page=9)


# ---------------------------------------------------------------------------------------
# (b) The add-in binding: the mechanism, with a small stand-in module
# ---------------------------------------------------------------------------------------


def sample_workbook(path: Path) -> None:
    """A workbook calling the stand-in module's functions in every way the bridge handles."""
    book = openpyxl.Workbook()
    sheet = book.active
    for i, flow in enumerate([-100000, 30000, 35000, None, 45000]):
        sheet.cell(row=1 + i, column=1, value=flow)
    sheet["C1"] = "=SUM_FLOWS(0.1, A1:A5)"
    sheet["C2"] = '=ECHO_ARGS(A1:A5, 0.1, "x", A4)'
    sheet["C3"] = "=ECHO_ARGS(1, , 3)"
    sheet["C4"] = '=FAIL_WITH("bad thing")'
    sheet["C5"] = f"={INFO_FUNCTION}()"
    sheet["C6"] = "=ECHO_ARGS(A1:A2, A1:B1)"
    sheet["C7"] = "=ECHO_ARGS()"
    sheet["C8"] = "=TABLE_OF(2, 3)"
    sheet["E1"] = ArrayFormula("E1:G2", "=TABLE_OF(2, 3)")
    sheet["C9"] = "=ECHO_ARGS({1,2,3}, {1;2})"
    sheet["C10"] = "=ECHO_ARGS(A1:A2, NA())"
    sheet["C11"] = "=ECHO_ARGS(TRUE(), DATE(2020,1,1))"
    book.save(path)


@pytest.fixture(scope="module")
def sample_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample workbook recalculated in each mode of the bridge."""
    reason = binding_unavailable(SAMPLE_MODULE)
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("sample")
    specs = module_specs(SAMPLE_MODULE)
    results = {}
    marker = f"crmvalue-test-{uuid.uuid4().hex}"
    for mode in ("inprocess", "subprocess"):
        profile = make_addin_profile(
            folder / f"profile-{mode}", specs, module=SAMPLE_MODULE, mode=mode
        )
        sample_workbook(folder / f"{mode}.xlsx")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CRMVALUE_TEST_MARKER", marker)
            out = lo.recalculate(folder / f"{mode}.xlsx", folder / "out", profile=profile)
        left = marked_processes(marker) if Path("/proc/self/environ").exists() else []
        results[mode] = (values(out), bridge_log(profile), left)
    return results


@needs_libreoffice
@needs_provider
@pytest.mark.parametrize("mode", ["inprocess", "subprocess"])
def test_binding_calls_the_python_function_with_excel_values(
    sample_results: dict[str, Any], mode: str
) -> None:
    sheet, log, left_running = sample_results[mode]
    assert left_running == []  # neither LibreOffice nor the worker process outlives the run
    assert sheet["C5"].value.startswith(f"mode={mode} "), log
    npv = sum(flow / 1.1**t for t, flow in enumerate([-100000, 30000, 35000, 0, 45000]))
    assert sheet["C1"].value == pytest.approx(npv, rel=1e-12), log
    # a column arrives as a flat list (xlwings' default), numbers as floats, a blank as None
    assert sheet["C2"].value == repr(([-100000.0, 30000.0, 35000.0, None, 45000.0], 0.1, "x", None))
    # LibreOffice hands an argument left empty in the middle over as 0 (Excel: omitted)
    assert sheet["C3"].value == repr((1.0, 0.0, 3.0))
    assert sheet["C4"].value == "ValueError: bad thing"
    assert "ValueError: bad thing" in log
    assert sheet["C6"].value == repr(([-100000.0, 30000.0], [-100000.0, None]))
    assert sheet["C7"].value == "()"
    # several values: an array formula gets them all, a plain formula the first
    assert [[cell.value for cell in row] for row in sheet["E1:G2"]] == [
        ["r1", 11, 12],
        ["r2", 21, 22],
    ]
    assert sheet["C8"].value == "r1"
    # array constants arrive as ranges do
    assert sheet["C9"].value == repr(([1.0, 2.0, 3.0], [1.0, 2.0]))
    # where LibreOffice differs from Excel: an error argument is not handed over (the
    # cell shows the error), TRUE is the number 1, a date its serial number
    assert sheet["C10"].value == "#N/A"
    assert sheet["C11"].value == repr((1.0, 43831.0))


# ---------------------------------------------------------------------------------------
# (b) The add-in binding with the real add-in: every example of the registry
# ---------------------------------------------------------------------------------------


def registry_examples() -> list[Any]:
    """``(function, number, example)`` for every example of the registry."""
    try:
        from addin.excel.registry import FUNCTIONS
    except ImportError:  # pragma: no cover - the registry not written yet
        return []
    return [
        pytest.param(function, n, example, id=f"{function.name}-{n}")
        for function in FUNCTIONS
        for n, example in enumerate(function.examples, start=1)
    ]


EXAMPLES = registry_examples()
BLANK_CELL = "ZZ1000"
RESULT_ANCHOR = (1, 60)  # row 1, column BH: clear of every example's own cells


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(float(value))


def example_sheet(book: Any, title: str, function: Any, example: Any) -> str | None:
    """Write ``example`` on a new sheet; return why LibreOffice cannot show it, or None.

    Cell references keep their addresses; an array constant goes into cells (as a user
    would enter the data) and the formula refers to them; an argument left out in the
    middle refers to a blank cell (LibreOffice would hand it over as 0); the formula is an
    array formula over the size of a result with several values.
    """
    from addin.excel.registry import OMITTED, Reference, XlError, parse_formula

    name, args = parse_formula(example.formula, example.cells)
    sheet = book.create_sheet(title)
    while args and args[-1] is OMITTED:
        args.pop()
    parts = []
    for index, arg in enumerate(args):
        if isinstance(arg, (XlError, bool)):
            return "an error value or TRUE/FALSE as an argument (LibreOffice differs)"
        if arg is OMITTED:
            parts.append(BLANK_CELL)
        elif isinstance(arg, Reference):
            first = range_boundaries(arg.address.replace("$", ""))
            for r, row in enumerate(arg.rows):
                for c, value in enumerate(row):
                    sheet.cell(row=first[1] + r, column=first[0] + c, value=value)
            parts.append(arg.address)
        elif isinstance(arg, tuple):
            top, left = 200 + 20 * index, 1
            for r, row in enumerate(arg):
                for c, value in enumerate(row):
                    if isinstance(value, (XlError, bool)):
                        return "an error value or TRUE/FALSE in a range (LibreOffice differs)"
                    sheet.cell(row=top + r, column=left + c, value=value)
            bottom, right = top + len(arg) - 1, left + len(arg[0]) - 1
            parts.append(f"A{top}:{get_column_letter(right)}{bottom}")
        else:
            parts.append(_literal(arg))
    formula = f"={name}({', '.join(parts)})"
    row, column = RESULT_ANCHOR
    anchor = f"{get_column_letter(column)}{row}"
    if isinstance(example.result, list) and not example.error:
        height, width = len(example.result), len(example.result[0])
        corner = f"{get_column_letter(column + width - 1)}{row + height - 1}"
        sheet[anchor] = ArrayFormula(f"{anchor}:{corner}", formula)
    else:
        sheet[anchor] = formula
    return None


def shown(sheet: Any, example: Any) -> Any:
    """What the example's cell (or block of cells, for several values) shows."""
    row, column = RESULT_ANCHOR
    if isinstance(example.result, list) and not example.error:
        return [
            [sheet.cell(row=row + r, column=column + c).value for c in range(len(line))]
            for r, line in enumerate(example.result)
        ]
    return sheet.cell(row=row, column=column).value


def same(actual: Any, expected: Any, example: Any) -> bool:
    """Whether a cell shows the example's result (numbers within its tolerances)."""
    if isinstance(expected, list):
        return isinstance(actual, list) and all(
            same(a, e, example)
            for row_a, row_e in zip(actual, expected, strict=True)
            for a, e in zip(row_a, row_e, strict=True)
        )
    if expected == "" and actual is None:  # an empty text: the saved cell holds no value
        return True
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(actual, (int, float)) and math.isclose(
            actual, expected, rel_tol=max(example.rel_tol, 1e-14), abs_tol=example.abs_tol
        )
    return actual == expected


@pytest.fixture(scope="module")
def addin_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One workbook, one sheet per registry example, recalculated with the real add-in."""
    reason = binding_unavailable("addin.udfs")
    if reason:
        pytest.skip(f"{reason}; the binding is proved with the stand-in module meanwhile")
    folder = tmp_path_factory.mktemp("addin")
    profile = make_addin_profile(folder / "profile")
    book = openpyxl.Workbook()
    info = book.active
    info.title = "Info"
    info["A1"] = f"={INFO_FUNCTION}()"
    # the add-in beside LibreOffice's own functions (the template's cross-checks)
    for i, flow in enumerate(FLOWS):
        info.cell(row=1 + i, column=3, value=flow)
    info["B2"] = "=NPV_CRM(0.1, C1:C5)"
    info["B3"] = "=NPV(0.1, C2:C5) + C1"
    info["B4"] = "=IRR_CRM(C1:C5)"
    info["B5"] = "=IRR(C1:C5)"
    info["B6"] = "=MIRR_CRM(C1:C5, 0.1, 0.12)"
    info["B7"] = "=MIRR(C1:C5, 0.1, 0.12)"
    unshown = {}
    for index, param in enumerate(EXAMPLES):
        function, _, example = param.values
        reason = example_sheet(book, f"E{index}", function, example)
        if reason:
            unshown[param.id] = reason
    book.save(folder / "examples.xlsx")
    out = lo.recalculate(folder / "examples.xlsx", folder / "out", profile=profile)
    book = openpyxl.load_workbook(out, data_only=True)
    return {"book": book, "unshown": unshown, "log": bridge_log(profile)}


@needs_libreoffice
@needs_provider
def test_the_add_in_runs_in_libreoffice(addin_results: dict[str, Any]) -> None:
    info = addin_results["book"]["Info"]
    assert info["A1"].value.startswith("mode="), addin_results["log"]
    assert "module=addin.udfs" in info["A1"].value


@needs_libreoffice
@needs_provider
def test_npv_crm_of_the_catalogue_example_in_a_real_spreadsheet(
    addin_results: dict[str, Any],
) -> None:
    info = addin_results["book"]["Info"]
    log = addin_results["log"]
    assert info["B2"].value == pytest.approx(16986.54463, rel=1e-9), log
    # the add-in agrees with LibreOffice's own functions, as the template's cross-checks
    assert info["B2"].value == pytest.approx(info["B3"].value, rel=1e-12)
    assert info["B4"].value == pytest.approx(info["B5"].value, rel=1e-7)
    assert info["B6"].value == pytest.approx(info["B7"].value, rel=1e-9)


@needs_libreoffice
@needs_provider
@pytest.mark.parametrize(("function", "number", "example"), EXAMPLES)
def test_registry_example_computes_in_libreoffice(
    addin_results: dict[str, Any], function: Any, number: int, example: Any
) -> None:
    key = f"{function.name}-{number}"
    if key in addin_results["unshown"]:
        pytest.skip(f"{example.formula}: {addin_results['unshown'][key]}")
    index = [param.id for param in EXAMPLES].index(key)
    actual = shown(addin_results["book"][f"E{index}"], example)
    context = f"{example.formula} shows {actual!r}\n{addin_results['log'][-3000:]}"
    if example.error:
        assert isinstance(actual, str), context
        for fragment in example.error:
            assert fragment in actual, context
    else:
        assert same(actual, example.result, example), context


def test_the_binding_profile_settings_name_the_repo_and_the_python(tmp_path: Path) -> None:
    specs = module_specs(SAMPLE_MODULE)
    profile = make_addin_profile(tmp_path / "p", specs, module=SAMPLE_MODULE, mode="subprocess")
    config = json.loads(
        (profile / "user/Scripts/python/crmvalue_bridge.json").read_text(encoding="utf-8")
    )
    assert Path(config["import_root"]) == Path(__file__).resolve().parents[1]
    assert config["mode"] == "subprocess"
    assert sorted(config["functions"]) == ["ECHO_ARGS", "FAIL_WITH", "SUM_FLOWS", "TABLE_OF"]
    assert (profile / "user/basic/Standard/CrmValueAddin.xba").is_file()
    with pytest.raises(ValueError, match="mode"):
        make_addin_profile(tmp_path / "q", specs, module=SAMPLE_MODULE, mode="fast")
    assert os.access(config["python"], os.X_OK)


@pytest.fixture
def profile_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A private cache folder for the prepared profile, and the arguments of every soffice
    run (to tell the preparing run, ``--terminate_after_init``, from the others)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs: list[list[str]] = []
    original = lo._run_in_profile

    def spy(soffice: Path, profile: Path, args: Any, **kwargs: Any) -> Any:
        runs.append(list(args))
        return original(soffice, profile, args, **kwargs)

    monkeypatch.setattr(lo, "_run_in_profile", spy)
    return runs


def _sum_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active["A1"] = "=1+2"
    book.save(path)
    return path


def _preparations(runs: list[list[str]]) -> int:
    return sum("--terminate_after_init" in args for args in runs)


@needs_libreoffice
def test_the_default_profile_is_prepared_once_then_copied(
    tmp_path: Path, profile_runs: list[list[str]]
) -> None:
    book = _sum_book(tmp_path / "sum.xlsx")
    first = lo.recalculate(book, tmp_path / "first")
    profile = lo.profile_cache()
    assert profile == tmp_path / "cache" / "crmvalue" / "libreoffice-profile"
    settings = (profile / "user" / "registrymodifications.xcu").read_bytes()
    second = lo.recalculate(book, tmp_path / "second")
    assert _preparations(profile_runs) == 1 and len(profile_runs) == 3
    for made in (first, second):  # recalculated on load: the profile's settings hold
        assert openpyxl.load_workbook(made, data_only=True).active["A1"].value == 3
    # runs work on copies: the prepared profile is as it was, and nothing is left beside it
    assert (profile / "user" / "registrymodifications.xcu").read_bytes() == settings
    assert sorted(path.name for path in profile.parent.iterdir()) == ["libreoffice-profile"]


@needs_libreoffice
def test_a_profile_of_other_settings_is_prepared_again(
    tmp_path: Path, profile_runs: list[list[str]]
) -> None:
    assert lo.prepared_profile() == lo.profile_cache()
    marker = lo.profile_cache() / "crmvalue-profile.txt"
    marker.write_text("settings of an older crmvalue\n", encoding="utf-8")
    assert lo.prepared_profile() == lo.profile_cache()
    assert marker.read_text(encoding="utf-8") != "settings of an older crmvalue\n"
    assert _preparations(profile_runs) == 2
    assert lo.prepared_profile() == lo.profile_cache() and _preparations(profile_runs) == 2


@needs_libreoffice
def test_two_runs_preparing_at_once_share_one_profile(
    tmp_path: Path, profile_runs: list[list[str]]
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        found = list(pool.map(lambda _: lo.prepared_profile(), range(2)))
    assert found == [lo.profile_cache(), lo.profile_cache()]
    assert sorted(path.name for path in lo.profile_cache().parent.iterdir()) == [
        "libreoffice-profile"
    ]
    assert (lo.profile_cache() / "user").is_dir()


@needs_libreoffice
def test_a_cache_folder_that_cannot_be_written_means_a_fresh_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile_runs: list[list[str]]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert lo.prepared_profile() is None
    made = lo.recalculate(_sum_book(tmp_path / "sum.xlsx"), tmp_path / "out")
    assert openpyxl.load_workbook(made, data_only=True).active["A1"].value == 3
    assert _preparations(profile_runs) == 0
    assert blocker.read_text() == "a file where the cache folder would be\n"
