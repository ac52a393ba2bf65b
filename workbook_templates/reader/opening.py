"""Opening a workbook from a user: the file checks and openpyxl's read-only workbook.

A missing, empty or oversized file, or one that does not start like an .xlsx (an old .xls,
an encrypted workbook, a CSV renamed...), is refused before openpyxl sees it; anything
openpyxl cannot parse (a damaged archive, an XML entity bomb) is one
:class:`~workbook_templates.errors.FileError` that says what the file is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import FileError
from ..files import OLE_MAGIC, ZIP_MAGIC

__all__ = [
    "check_file",
    "corrupt",
    "open_template",
    "open_workbook",
    "saved_results",
    "sheet_cells",
]


def check_file(path: Path, max_bytes: int) -> None:
    """Refuse a missing, empty or oversized file, or one that does not start like an .xlsx,
    with a message saying what it is (an old .xls, an encrypted workbook, a CSV renamed...).
    """
    if not path.exists():
        raise FileError("no such file; check the path", path=path)
    if not path.is_file():
        raise FileError("is not a file (a folder?); give the path of an .xlsx workbook", path=path)
    size = path.stat().st_size
    if size == 0:
        raise FileError("the file is empty (0 bytes); it is not an Excel workbook", path=path)
    if size > max_bytes:
        raise FileError(
            f"the file is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB a "
            "template workbook may have; is it the right file?",
            path=path,
        )
    with path.open("rb") as stream:
        head = stream.read(8)
        if head == OLE_MAGIC:
            stream.seek(0)
            content = stream.read(max_bytes)
            if "EncryptedPackage".encode("utf-16-le") in content:
                raise FileError(
                    "the workbook is password-protected (encrypted), so it cannot be read; "
                    "open it in Excel, remove the password (File > Info > Protect Workbook > "
                    "Encrypt with Password, clear it) and save it as .xlsx",
                    path=path,
                )
            raise FileError(
                "this is an old Excel 97-2003 (.xls) workbook or another OLE file, not an "
                ".xlsx workbook; open it in Excel or LibreOffice and save it as .xlsx",
                path=path,
            )
        if not head.startswith(ZIP_MAGIC):
            stream.seek(0)
            sample = stream.read(4096)
            raise FileError(_foreign(sample), path=path)


def _foreign(sample: bytes) -> str:
    """Say what a file that is not a zip archive looks like."""
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
    printable = text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / len(text) > 0.95
    if printable:
        stripped = text.lstrip().lower()
        if stripped.startswith(("<html", "<!doctype html", "<?xml", "<table")):
            kind = "an HTML or XML text file"
        elif any(mark in text for mark in (",", ";", "\t")):
            kind = "a text file (CSV or similar)"
        else:
            kind = "a text file"
        return (
            f"this is {kind} renamed to .xlsx, not an Excel workbook; open it in Excel or "
            "LibreOffice and save it as .xlsx, or fill a template (crmvalue new FILE.xlsx)"
        )
    return (
        "this is not an Excel .xlsx workbook (the file does not start like one); give an "
        ".xlsx file made from the crmvalue template"
    )


@contextmanager
def open_workbook(path: Path, *, data_only: bool) -> Iterator[Any]:
    """openpyxl's read-only workbook over ``path``; every failure becomes a FileError."""
    from openpyxl import load_workbook

    stream: IO[bytes] = path.open("rb")
    try:
        try:
            wb = load_workbook(stream, read_only=True, data_only=data_only, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds on a foreign file
            raise corrupt(path, error) from None
        try:
            yield wb
        finally:
            wb.close()
    finally:
        stream.close()


@contextmanager
def open_template(path: Path, max_bytes: int) -> Iterator[Any]:
    """A template workbook from a user, checked (:func:`check_file`, the archive limits of
    :data:`~workbook_templates.files.TEMPLATE_LIMITS`) and opened once for every read: its
    formulas as written; inside :func:`saved_results`, the values saved with them.

    >>> from workbook_templates.files import MAX_FILE_BYTES, TEMPLATE_PATH
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     "Inputs" in wb.sheetnames
    True
    """
    from ..files import TEMPLATE_LIMITS, check_xlsx_archive

    check_file(path, max_bytes)
    check_xlsx_archive(path, TEMPLATE_LIMITS)
    with open_workbook(path, data_only=False) as wb:
        yield wb


@contextmanager
def saved_results(wb: Any) -> Iterator[Any]:
    """The open workbook ``wb`` read as a spreadsheet saved it, inside the ``with`` block: a
    formula cell gives the value saved with it, not its formula (openpyxl's ``data_only``).

    One opening serves both reads: openpyxl's read-only worksheets parse their sheet
    anew on each read and take ``data_only`` from the workbook then (openpyxl 3.1, which
    pyproject.toml pins; a test reads a saved formula both ways through one opening).

    >>> from workbook_templates.files import MAX_FILE_BYTES, TEMPLATE_PATH
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     with saved_results(wb):
    ...         inside = wb.data_only
    ...     (inside, wb.data_only)
    (True, False)
    """
    previous = wb._data_only
    wb._data_only = True
    try:
        yield wb
    finally:
        wb._data_only = previous


def sheet_cells(wb: Any, sheet: str) -> dict[int, dict[int, Any]]:
    """Every cell of ``sheet`` that holds something, as ``{row: {column: value}}`` (1-based),
    the formulas as written or, inside :func:`saved_results`, the saved values.

    A read-only sheet is parsed from its top at every read, so each sheet is parsed once
    per mode and kept with the open workbook for all the reads of the reader; the rows
    and columns are those the sheet holds, whatever its stated dimension says.

    >>> from workbook_templates.files import MAX_FILE_BYTES, TEMPLATE_PATH
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     title = sheet_cells(wb, "Inputs")[1][1]
    >>> isinstance(title, str)
    True
    """
    kept: dict[tuple[str, bool], dict[int, dict[int, Any]]] = wb.__dict__.setdefault(
        "_crmvalue_cells", {}
    )
    key = (sheet, bool(wb._data_only))
    if key not in kept:
        ws = wb[sheet]
        ws.reset_dimensions()  # a wrong <dimension> must not hide cells
        cells: dict[int, dict[int, Any]] = {}
        for row_index, row in enumerate(ws.iter_rows(values_only=True), start=1):
            found = {col: value for col, value in enumerate(row, start=1) if value is not None}
            if found:
                cells[row_index] = found
        kept[key] = cells
    return kept[key]


def corrupt(path: Path, error: BaseException) -> FileError:
    """The error for a workbook whose content openpyxl cannot parse."""
    from defusedxml import DefusedXmlException

    causes, link = [], error  # openpyxl wraps the parser's error in its own ValueError
    while link is not None and len(causes) < 10:
        causes.append(link)
        link = link.__cause__ or link.__context__
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return FileError(
            "the workbook contains XML entity declarations (an entity-expansion bomb or a "
            "tampered file); refusing to read it. Use a workbook saved by Excel or LibreOffice",
            path=path,
        )
    if isinstance(error, FileError):
        return error
    detail = str(causes[-1]).splitlines()[0][:120] or type(causes[-1]).__name__
    return FileError(
        f"the workbook is damaged or is not a valid .xlsx file ({detail}); open it in Excel "
        "or LibreOffice and save it again, or use the original file",
        path=path,
    )
