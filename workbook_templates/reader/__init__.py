"""Read a filled template workbook into :class:`crmvalue_core.appraisal.AppraisalInputs`.

The reader finds every input by its workbook-scoped defined name (docs/template.md), never
by a cell address, so a user may move things around as long as the names stay. Workbooks
from users are untrusted, so reading is bounded and defensive:

* the file size (:data:`~workbook_templates.files.MAX_FILE_BYTES`) and what its zip unpacks
  to (:func:`~workbook_templates.files.check_xlsx_archive` with
  :data:`~workbook_templates.files.TEMPLATE_LIMITS`) are limited, XML is parsed by
  ``defusedxml`` (openpyxl uses it when it is installed), and only the rows that hold the
  inputs are parsed;
* a file that is not an .xlsx workbook (a CSV or an .xls renamed, a password-protected
  file, a truncated or corrupt archive, an XML entity bomb) is one
  :class:`~workbook_templates.errors.FileError` that says what the file is;
* a missing defined name (an older or edited template), a deleted sheet, a text where a
  number belongs, a value out of range: each is one :class:`TemplateError` that names the
  file, the sheet, the cell and the defined name, the bad value and what to enter.

The input file is opened read-only and never written.

The package, one module per subject, each using only those above it in this list:

* :mod:`.opening`: the file checks (size, format) and opening the workbook;
* :mod:`.names`: defined names -> cells, for the inputs and the Scenarios sheet;
* :mod:`.cells`: :class:`CellValue` and checking one cell;
* :mod:`.line_blocks`: the blocks of added cost and benefit lines, and the saved figures;
* :mod:`.saved_values`: the safety net that compares those with the core's appraisal;
* :mod:`.reading`: :func:`read_values` and :func:`read_inputs`;
* :mod:`.ranges`: :func:`read_uncertain`, the low and high values of the Scenarios sheet.
"""

from __future__ import annotations

from ..errors import FileError, TemplateError
from .cells import CellValue
from .ranges import read_uncertain
from .reading import read_inputs, read_values

__all__ = [
    "CellValue",
    "FileError",
    "TemplateError",
    "read_inputs",
    "read_uncertain",
    "read_values",
]
