"""The PDF printer: a LibreOffice started before the workbook it prints exists.

Proved against LibreOffice's own ``soffice --convert-to pdf`` (the text of the two PDFs is
the same), and for what a run must never do: leave a process behind, a half-written PDF or
a folder of its own, or touch a PDF it was not allowed to replace.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from crmvalue_core.appraisal import appraise, demo_case
from tests.processes import marked_processes
from workbook_templates import libreoffice as lo
from workbook_templates.errors import FileError, TemplateError
from workbook_templates.pdf_printer import PdfPrinter
from workbook_templates.results import write_results_workbook

needs_libreoffice = pytest.mark.skipif(
    lo.find_soffice() is None, reason=f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason=f"pdftotext is missing; {lo.PDFTOPPM_INSTALL_HINT}"
)
needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The results workbook of the demo case (sheets Results, Cash flows...)."""
    folder = tmp_path_factory.mktemp("printer")
    return write_results_workbook(appraise(demo_case()), folder / "results.xlsx")


@pytest.fixture
def marker(monkeypatch: pytest.MonkeyPatch) -> str:
    """A mark in the environment of every process the test starts."""
    mark = f"crmvalue-test-{uuid.uuid4().hex}"
    monkeypatch.setenv("CRMVALUE_TEST_MARKER", mark)
    return mark


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@needs_libreoffice
@needs_pdftotext
def test_prints_what_soffice_convert_to_prints(results: Path, tmp_path: Path) -> None:
    with PdfPrinter(tmp_path / "printed.pdf") as printer:
        printed = printer.print(results, sheet="Results")
    assert printed == tmp_path / "printed.pdf"
    converted = lo.to_pdf(results, tmp_path / "converted.pdf", sheet="Results")
    text = pdf_text(printed)
    assert "Net present value (NPV)" in text and "561,181" in text
    assert text == pdf_text(converted)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["converted.pdf", "printed.pdf"]


@needs_libreoffice
@needs_pdftotext
@needs_proc
def test_a_workbook_handed_over_after_libreoffice_gave_up_is_still_printed(
    results: Path, tmp_path: Path, marker: str
) -> None:
    with PdfPrinter(tmp_path / "late.pdf", wait=0.0) as printer:
        deadline = time.monotonic() + 60
        while not marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.01)  # LibreOffice starts...
        while marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.01)  # ...finds no workbook and ends
        assert marked_processes(marker) == []
        printer.print(results, sheet="Results")
    assert "Net present value (NPV)" in pdf_text(tmp_path / "late.pdf")


@needs_libreoffice
@needs_proc
def test_a_block_left_without_printing_leaves_nothing(tmp_path: Path, marker: str) -> None:
    with pytest.raises(KeyError), PdfPrinter(tmp_path / "never.pdf"):
        time.sleep(0.2)  # LibreOffice is starting
        raise KeyError("the command failed before it printed")
    assert marked_processes(marker) == []
    assert list(tmp_path.iterdir()) == []


@needs_libreoffice
@needs_proc
def test_a_bad_sheet_or_workbook_is_refused_before_libreoffice_reads_it(
    results: Path, tmp_path: Path, marker: str
) -> None:
    with (
        pytest.raises(TemplateError, match="has no sheet named 'Summary'"),
        PdfPrinter(tmp_path / "out.pdf") as printer,
    ):
        printer.print(results, sheet="Summary")
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with (
        pytest.raises(FileError, match=r"notes\.xlsx"),
        PdfPrinter(tmp_path / "out.pdf") as printer,
    ):
        printer.print(tmp_path / "notes.xlsx")
    assert marked_processes(marker) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.xlsx"]


def test_an_existing_pdf_is_kept_unless_it_may_be_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "mine.pdf"
    mine.write_text("my own PDF")
    with pytest.raises(FileError, match="already exists; pass overwrite=True"), PdfPrinter(mine):
        pass
    with pytest.raises(FileError, match=r"must end in \.pdf"), PdfPrinter(tmp_path / "mine.png"):
        pass
    assert mine.read_text() == "my own PDF"


@needs_libreoffice
@needs_proc
def test_a_printer_that_times_out_stops_libreoffice_and_keeps_the_old_pdf(
    results: Path, tmp_path: Path, marker: str
) -> None:
    old = tmp_path / "old.pdf"
    old.write_text("the PDF of last time")
    with (
        pytest.raises(lo.LibreOfficeTimeout, match=r"did not finish within 0\.05 s"),
        PdfPrinter(old, overwrite=True, timeout=0.05) as printer,
    ):
        printer.print(results, sheet="Results")
    assert marked_processes(marker) == []
    assert old.read_text() == "the PDF of last time"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.pdf"]


@needs_proc
def test_a_libreoffice_that_fails_is_reported_with_what_it_said(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Fatal exception: Signal 6' >&2\nexit 134\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("CRMVALUE_SOFFICE", str(fake))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out" / "results.pdf"
    with pytest.raises(lo.LibreOfficeError) as raised, PdfPrinter(out) as printer:
        printer.print(results, sheet="Results")
    message = str(raised.value)
    assert "could not print" in message and "results.xlsx" in message
    assert "exit status 134: Fatal exception: Signal 6" in message
    assert list((tmp_path / "out").iterdir()) == []


def test_print_is_once_and_inside_the_block(results: Path, tmp_path: Path) -> None:
    printer = PdfPrinter(tmp_path / "out.pdf")
    with pytest.raises(RuntimeError, match="inside its with block, once"):
        printer.print(results)


@needs_libreoffice
@needs_pdftotext
def test_prints_on_a_fresh_profile_where_none_can_be_prepared(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert lo.prepared_profile() is None
    with PdfPrinter(tmp_path / "fresh.pdf") as printer:
        printer.print(results, sheet="Results")
    assert "Net present value (NPV)" in pdf_text(tmp_path / "fresh.pdf")


@needs_libreoffice
@needs_proc
def test_a_workbook_libreoffice_cannot_open_is_one_message_and_no_pdf(
    results: Path, tmp_path: Path, marker: str
) -> None:
    import zipfile

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(results) as source, zipfile.ZipFile(broken, "w") as target:
        for member in source.infolist():  # a workbook part that is no XML
            damaged = member.filename == "xl/workbook.xml"
            target.writestr(member, b"<workbook" if damaged else source.read(member))
    with (
        pytest.raises(lo.LibreOfficeError, match="LibreOffice could not open the workbook"),
        PdfPrinter(tmp_path / "out.pdf") as printer,
    ):
        printer.print(broken)
    assert marked_processes(marker) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken.xlsx"]
