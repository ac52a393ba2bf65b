"""The errors of the workbook layer: a workbook that cannot be used, a program that failed.

* :class:`FileError`: a file the user named cannot be read or written as asked (a user
  mistake: a :class:`crmvalue_core.CrmValueError`);
* :class:`TemplateError`: a workbook that is not a usable template (a kind of FileError);
* :class:`ToolError`: an external program failed, not the user's fault;
  :class:`LibreOfficeError` and :class:`LibreOfficeTimeout` for LibreOffice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from crmvalue_core import CrmValueError

__all__ = ["FileError", "LibreOfficeError", "LibreOfficeTimeout", "TemplateError", "ToolError"]


class FileError(CrmValueError):
    """A file the user named that cannot be read or written as asked: a missing folder, an
    output that exists (without ``--force``), a file that is not a real .xlsx, a zip bomb.

    The message starts with the file's name and says what to do. ``path`` holds the file.
    It is a :class:`crmvalue_core.CrmValueError`: a user mistake, exit status 2 on the
    command line.
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(f"{Path(path).name}: {message}" if path is not None else message)
        self.path = Path(path) if path is not None else None


class TemplateError(FileError):
    """A workbook that cannot be read as a filled crmvalue template, or written.

    The message names the file and, where it applies, the sheet, the cell, the defined
    name, the bad value and what to enter instead. The attributes hold the same facts for
    programs: ``path``, ``sheet``, ``cell``, ``name`` and ``value`` (None where they do not
    apply). It is a :class:`FileError` (so a :class:`crmvalue_core.CrmValueError`): the command
    line reports it with exit status 2.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        name: str | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(message, path=path)
        self.sheet = sheet
        self.cell = cell
        self.name = name
        self.value = value


class ToolError(RuntimeError):
    """An external program that crmvalue drives (LibreOffice) is missing, failed or timed out.

    Not a :class:`crmvalue_core.CrmValueError`: the user's input is not at fault, so the
    command line reports it with its own exit status (see :mod:`addin.cli.errors`) and a
    message that says which program failed, on which file, and what to try.
    """


class LibreOfficeError(ToolError):
    """LibreOffice is missing, could not be started, crashed, or produced no output.

    The message says what went wrong, with which file, and what to try (how to install
    LibreOffice, whether the file opens in LibreOffice). A problem with the file itself
    (missing, empty, not a workbook, an output that exists, no such sheet) is a
    :class:`FileError` or :class:`TemplateError` instead.
    """


class LibreOfficeTimeout(LibreOfficeError):
    """LibreOffice did not finish in time and was stopped (with every process it started)."""
