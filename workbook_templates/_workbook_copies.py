"""The workbooks LibreOffice is given: checked before a run, and copies showing one sheet.

A workbook handed to LibreOffice must exist and be a workbook of a known kind
(:func:`check_input`); to print one sheet, a copy hides every other sheet
(:func:`copy_showing_only`), since LibreOffice prints the visible sheets.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import zipfile
from pathlib import Path

from .errors import FileError, TemplateError
from .files import TEMPLATE_LIMITS, check_xlsx_archive

#: The import filter by file suffix: naming it stops LibreOffice from reading a damaged
#: workbook as plain text and "converting" it without complaint.
IMPORT_FILTERS = {
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xlsm": "Calc MS Excel 2007 XML",
    ".xls": "MS Excel 97",
    ".ods": "calc8",
}


def check_input(path: str | os.PathLike[str]) -> Path:
    """A workbook LibreOffice is asked to read: it must exist, have a known suffix, not be
    empty, and (an .xlsx or .xlsm) pass :func:`~workbook_templates.files.check_xlsx_archive`;
    else one :class:`~workbook_templates.errors.FileError` naming it."""
    source = Path(path)
    suffix = source.suffix.lower()
    if not source.exists():
        raise FileError("no such file; check the path", path=source)
    if not source.is_file():
        raise FileError("not a file (a folder?); give the path of a workbook", path=source)
    if suffix not in IMPORT_FILTERS:
        known = ", ".join(sorted(IMPORT_FILTERS))
        raise FileError(f"not a workbook LibreOffice is asked to read ({known})", path=source)
    if source.stat().st_size == 0:
        raise FileError("the file is empty, not a workbook", path=source)
    if suffix in (".xlsx", ".xlsm"):
        check_xlsx_archive(source, TEMPLATE_LIMITS)
    elif suffix == ".ods" and not zipfile.is_zipfile(source):
        raise FileError(
            "not a valid .ods workbook (it is not a zip package); is it damaged, or another "
            "kind of file renamed?",
            path=source,
        )
    return source


_SHEET_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_VIEW_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?workbookView\b[^>]*>")
_NAME_ATTR = re.compile(r'\bname\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_STATE_ATTR = re.compile(r'\s+state\s*=\s*(?:"[^"]*"|\'[^\']*\')')
_ACTIVE_ATTR = re.compile(r'\s+(?:activeTab|firstSheet)\s*=\s*(?:"[^"]*"|\'[^\']*\')')


def _with_attribute(tag: str, attribute: str) -> str:
    end = -2 if tag.endswith("/>") else -1
    return f"{tag[:end].rstrip()} {attribute}{tag[end:]}"


def show_only(workbook_xml: str, sheet: str, source: Path) -> str:
    """``xl/workbook.xml`` with every sheet but ``sheet`` hidden and ``sheet`` active."""
    tags = list(_SHEET_TAG.finditer(workbook_xml))
    names = []
    for tag in tags:
        found = _NAME_ATTR.search(tag.group(0))
        names.append(html.unescape(found.group(1) or found.group(2) or "") if found else "")
    if sheet not in names:
        raise TemplateError(
            f"has no sheet named {sheet!r}; its sheets are: "
            + ", ".join(repr(name) for name in names),
            path=source,
            sheet=sheet,
        )
    index = names.index(sheet)
    pieces = []
    last = 0
    for number, tag in enumerate(tags):
        text = _STATE_ATTR.sub("", tag.group(0))
        if number != index:
            text = _with_attribute(text, 'state="hidden"')
        pieces.append(workbook_xml[last : tag.start()])
        pieces.append(text)
        last = tag.end()
    pieces.append(workbook_xml[last:])
    edited = "".join(pieces)

    def activate(match: re.Match[str]) -> str:
        return _with_attribute(_ACTIVE_ATTR.sub("", match.group(0)), f'activeTab="{index}"')

    return _VIEW_TAG.sub(activate, edited)


def copy_showing_only(source: Path, target: Path, sheet: str) -> None:
    """Copy the xlsx ``source`` to ``target`` with only ``sheet`` visible (a layout change:
    every other part of the file is copied byte for byte, charts and styles included).

    ``source`` has passed :func:`~workbook_templates.files.check_xlsx_archive` (it is a
    workbook within :data:`~workbook_templates.files.TEMPLATE_LIMITS`)."""
    try:
        with zipfile.ZipFile(source) as zin:
            members = zin.infolist()
            workbook_xml = zin.read("xl/workbook.xml").decode("utf-8")
            edited = show_only(workbook_xml, sheet, source)
            with zipfile.ZipFile(target, "w") as zout:
                for member in members:
                    if member.filename == "xl/workbook.xml":
                        zout.writestr(member, edited.encode("utf-8"))
                        continue
                    with zin.open(member) as reader, zout.open(member, "w") as writer:
                        shutil.copyfileobj(reader, writer, 1024 * 1024)
    except (zipfile.BadZipFile, UnicodeDecodeError, EOFError) as error:
        raise FileError(f"not a valid xlsx workbook ({error})", path=source) from error
