"""Workbooks to xlsx bytes, deterministically: the same workbook always gives the same bytes.

Every workbook crmvalue writes (the template, a filled copy, the results workbook) is
serialised here, then written with :func:`workbook_templates.files.write_atomically`. The
document's dates and every zip member's date are fixed, and floats are written exactly, so
the committed template can be compared byte for byte with a fresh build, and a filled
workbook reads back to the very inputs written into it.

This module imports only openpyxl's writer, not the template builder: writing a file does
not load the builder's sheets.
"""

from __future__ import annotations

import datetime
import io
import math
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from openpyxl.writer.excel import ExcelWriter

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["BUILD_TIMESTAMP", "workbook_bytes"]

#: The fixed document timestamp of every build of the template.
BUILD_TIMESTAMP = datetime.datetime(2026, 1, 1, 0, 0, 0)
#: The date of every zip member (the earliest a zip can hold).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(wb: Workbook, *, timestamp: datetime.datetime | None = None) -> bytes:
    """Serialise ``wb`` to xlsx bytes, deterministically.

    The document's modified date is ``timestamp`` (default: the fixed build timestamp) and
    every zip member carries the same fixed date and attributes, so the same workbook always
    gives the same bytes.
    """
    wb.properties.modified = timestamp or BUILD_TIMESTAMP
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    with _exact_numbers():
        ExcelWriter(wb, archive).save()  # writes the properties as set above; closes it
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            target.writestr(member, source.read(info.filename), compresslevel=6)
    return out.getvalue()


@contextmanager
def _exact_numbers() -> Iterator[None]:
    """Write every float cell value exactly while saving.

    openpyxl writes numbers with 16 significant digits ("%.16g"), which changes some
    floats in the last bit; Excel writes up to 17. Where 16 digits are not exact this
    writes the shortest exact repr, so a filled workbook reads back to the very inputs
    written into it.
    """
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value: Any) -> str:
        text = original(value)
        if isinstance(value, float) and math.isfinite(value) and float(text) != value:
            return repr(value)
        return text

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original
