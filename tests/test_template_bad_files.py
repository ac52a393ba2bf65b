"""Bad workbooks, tried as a new user would: each gives one clear error, quickly.

A text where a rate belongs, a negative count, a horizon of 0 or 11, a missing defined name
(an older or edited template), a deleted sheet, a workbook that is not the template: each
raises one :class:`TemplateError`. A .csv or .xls renamed to .xlsx, a truncated file, a
password-protected file, an XML entity-expansion bomb inside a sheet, a zip bomb: each
raises one :class:`FileError` (the file is not a readable .xlsx; TemplateError is a kind of
FileError). Both are a ``CrmValueError``, so the command line exits with status 2; the
message names the file and says what is wrong and what to do, in bounded time and memory,
and the input file's bytes never change.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from tests.workbook_surgery import cfb, patched, set_cell_xml
from workbook_templates.errors import FileError
from workbook_templates.files import TEMPLATE_PATH
from workbook_templates.filler import fill_template
from workbook_templates.reader import TemplateError, read_inputs

SECONDS = 5.0  # far more than any case needs (each takes well under a second)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fill_template(core.demo_case(), tmp_path_factory.mktemp("demo") / "demo.xlsx")


def refused(
    path: Path, *patterns: str, kind: type[FileError] = TemplateError, **kwargs: Any
) -> FileError:
    """Read ``path``: assert one error of ``kind`` matching every pattern, fast, file unchanged."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.perf_counter()
    with pytest.raises(kind) as caught:
        read_inputs(path, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the input file changed"
    message = str(caught.value)
    assert isinstance(caught.value, CrmValueError)
    assert message.startswith(f"{path.name}: "), message
    assert "\n" not in message and "Traceback" not in message
    for pattern in patterns:
        assert re.search(pattern, message), f"{pattern!r} not in: {message}"
    return caught.value


def with_values(demo: Path, tmp_path: Path, **cells: Any) -> Path:
    """The demo workbook with some Inputs cells changed (openpyxl, keeping everything else)."""
    wb = load_workbook(demo)
    for coordinate, value in cells.items():
        wb["Inputs"][coordinate] = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


# ------------------------------------------------------------------------ bad values


def test_text_where_a_rate_belongs(demo: Path, tmp_path: Path) -> None:
    error = refused(
        with_values(demo, tmp_path, C9="10 %"),
        r"sheet 'Inputs', cell C9 \(DiscountRate\)",
        r"the text '10 %'",
        r"enter a rate between -99% and 100%",
    )
    assert (error.sheet, error.cell, error.name, error.value) == (
        "Inputs",
        "C9",
        "DiscountRate",
        "10 %",
    )


def test_number_stored_as_text(demo: Path, tmp_path: Path) -> None:
    refused(
        with_values(demo, tmp_path, C42="0.12"), r"cell C42 \(ChurnBaseline\)", "stored as text"
    )


def test_negative_count(demo: Path, tmp_path: Path) -> None:
    refused(
        with_values(demo, tmp_path, C41=-5),
        r"cell C41 \(CustomersActive\)",
        r"is -5, below the minimum 0",
        r"enter a whole number >= 0",
    )


def test_fractional_count(demo: Path, tmp_path: Path) -> None:
    refused(with_values(demo, tmp_path, C53=2.5), r"SalesReps", "not a whole number")


@pytest.mark.parametrize(
    ("horizon", "problem"), [(0, "below the minimum 1"), (11, "above the maximum 10")]
)
def test_horizon_out_of_range(demo: Path, tmp_path: Path, horizon: int, problem: str) -> None:
    refused(
        with_values(demo, tmp_path, C8=horizon),
        rf"cell C8 \(HorizonYears\) is {horizon}, {problem}",
        "from 1 to 10",
    )


def test_blank_required_input(demo: Path, tmp_path: Path) -> None:
    refused(with_values(demo, tmp_path, C8=None), r"\(HorizonYears\) is blank")


def test_bad_cell_in_a_cost_row(demo: Path, tmp_path: Path) -> None:
    refused(
        with_values(demo, tmp_path, F17="n/a"),
        r"cell F17 \(CostLicences, year 3\) holds the text 'n/a', not a number",
    )


def test_logical_value_and_unknown_currency(demo: Path, tmp_path: Path) -> None:
    refused(with_values(demo, tmp_path, C60=True), r"ServiceCases", "logical value TRUE")
    refused(
        with_values(demo, tmp_path, C6="XYZ"),
        r"\(Currency\)",
        "not an ISO 4217 currency code",
        "from the list",
    )


def test_date_where_a_rate_belongs(demo: Path, tmp_path: Path) -> None:
    refused(
        with_values(demo, tmp_path, C9=datetime.date(2026, 1, 31)),
        r"cell C9 \(DiscountRate\) holds the date 2026-01-31, not a number",
    )


def test_error_value_in_an_input(demo: Path, tmp_path: Path) -> None:
    path = patched(
        demo,
        tmp_path / "error.xlsx",
        "xl/worksheets/sheet2.xml",
        lambda xml: set_cell_xml(xml, "C9", "<v>#N/A</v>", "e"),
    )
    refused(path, r"cell C9 \(DiscountRate\) holds the error value #N/A")


def test_formula_inputs_use_the_saved_value(demo: Path, tmp_path: Path) -> None:
    path = patched(
        demo,
        tmp_path / "formula.xlsx",
        "xl/worksheets/sheet2.xml",
        lambda xml: set_cell_xml(xml, "C9", "<f>0.06*2</f><v>0.12</v>"),
    )
    assert read_inputs(path).general.discount_rate == 0.12
    unsaved = patched(
        demo,
        tmp_path / "unsaved.xlsx",
        "xl/worksheets/sheet2.xml",
        lambda xml: set_cell_xml(xml, "C9", "<f>0.06*2</f>"),
    )
    refused(unsaved, r"cell C9 \(DiscountRate\) holds the formula =0.06\*2 with no saved result")


def test_inputs_that_contradict_each_other(demo: Path, tmp_path: Path) -> None:
    refused(
        with_values(demo, tmp_path, C43=0.2),
        "ChurnReduction",
        "ChurnBaseline",
        r"ChurnReduction is sheet 'Inputs', cell C43",
    )


# ------------------------------------------------------------ template structure


def test_missing_defined_name(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    del wb.defined_names["ChurnReduction"]
    path = tmp_path / "old.xlsx"
    wb.save(path)
    error = refused(
        path, "defined name ChurnReduction is missing", "older or edited template", "crmvalue new"
    )
    assert error.name == "ChurnReduction"


def test_deleted_sheet(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    del wb["Inputs"]
    path = tmp_path / "nosheet.xlsx"
    wb.save(path)
    refused(path, r"sheet 'Inputs'.* is missing \(deleted or renamed\?\)")


def test_name_pointing_to_ref_error(demo: Path, tmp_path: Path) -> None:
    # What Excel does to a name whose cells were deleted.
    path = patched(
        demo,
        tmp_path / "ref.xlsx",
        "xl/workbook.xml",
        lambda xml: re.sub(r'(<definedName name="DiscountRate">)[^<]*', r"\1#REF!", xml),
    )
    refused(path, r"defined name DiscountRate refers to #REF!", "deleted")


def test_name_of_the_wrong_size(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    wb.defined_names["CostLicences"].attr_text = "Inputs!$C$17:$L$17"
    path = tmp_path / "short.xlsx"
    wb.save(path)
    refused(path, r"CostLicences refers to 10 cells", r"11 cells in one row")


def test_a_workbook_that_is_not_the_template(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Customer", "Revenue"])
    wb.active.append(["Acme", 1200])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    refused(path, "not the crmvalue appraisal template", "none of the template's defined names")


# --------------------------------------------------------------------- foreign files


def test_csv_renamed(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_text("name,discount_rate\nCRM,0.1\n")
    refused(
        path,
        r"a text file \(CSV or similar\) renamed to \.xlsx",
        "save it as .xlsx",
        kind=FileError,
    )


def test_xls_renamed(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 5000}))
    refused(path, r"Excel 97-2003 \(\.xls\)", "save it as .xlsx", kind=FileError)


def test_password_protected(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(
        cfb(
            {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 4100, "EncryptedPackage": b"\0" * 8192}
        )
    )
    refused(path, "password-protected", "remove the password", kind=FileError)


def test_truncated_file(tmp_path: Path) -> None:
    data = TEMPLATE_PATH.read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 100):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        refused(path, "damaged or truncated", kind=FileError)


def test_corrupt_part(demo: Path, tmp_path: Path) -> None:
    path = patched(demo, tmp_path / "bad.xlsx", "xl/workbook.xml", lambda xml: xml[: len(xml) // 2])
    refused(path, "damaged or is not a valid .xlsx", kind=FileError)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(path, "zip archive but not an Excel workbook", kind=FileError)


def test_empty_missing_and_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    refused(empty, "empty", kind=FileError)
    with pytest.raises(FileError, match="no such file"):
        read_inputs(tmp_path / "nothere.xlsx")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(FileError, match="not a file"):
        read_inputs(folder)


def test_too_large(demo: Path) -> None:
    refused(demo, r"more than the 0 MB", kind=FileError, max_bytes=1000)


# --------------------------------------------------------------------------- bombs


def test_entity_expansion_bomb_in_a_sheet(demo: Path, tmp_path: Path) -> None:
    lol = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )

    def bomb(xml: str) -> str:
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        xml = f"<!DOCTYPE worksheet [{lol}]>{body}"
        return set_cell_xml(xml, "C5", "<is><t>&lol9;</t></is>", "inlineStr")

    path = patched(demo, tmp_path / "bomb.xlsx", "xl/worksheets/sheet2.xml", bomb)
    tracemalloc.start()
    try:
        refused(path, "XML entity declarations", "refusing to read it", kind=FileError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"peak memory {peak / 2**20:.0f} MB"


def test_zip_bomb(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(demo) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        new.writestr("xl/sharedStrings.xml", b" " * (70 * 2**20))
    assert path.stat().st_size < 2**20
    refused(path, "zip bomb", kind=FileError)


def test_template_error_is_a_crmvalue_error() -> None:
    assert issubclass(TemplateError, FileError)
    assert issubclass(FileError, CrmValueError) and issubclass(FileError, ValueError)


def test_text_in_an_added_cost_line_is_refused(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    ws = wb["Inputs"]
    spare = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Other cost line")
    ws[f"A{spare}"] = "Travel"
    ws[f"D{spare}"] = "about 5k"
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    refused(
        path,
        rf"sheet 'Inputs', cell D{spare} \(the line 'Travel' of CostLines, year 1\)",
        r"holds the text 'about 5k', not a number",
        r"enter a cost >= 0",
    )


def test_a_negative_added_cost_is_refused(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    ws = wb["Inputs"]
    spare = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Other cost line")
    ws[f"C{spare}"] = -100
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    refused(path, rf"cell C{spare} \(the line 'Other cost line' of CostLines, year 0\)", "below")


def test_a_number_typed_outside_the_inputs_and_blocks_is_refused(
    demo: Path, tmp_path: Path
) -> None:
    """A cost typed into a row below the cost total counts nowhere: refused, not ignored."""
    wb = load_workbook(demo)
    ws = wb["Inputs"]
    total = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws[f"A{r}"].value == "Total costs (before contingency)"
    )
    ws[f"E{total + 2}"] = 50_000
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    refused(path, rf"cell E{total + 2} holds 50000 outside the input cells", "counts nowhere")
