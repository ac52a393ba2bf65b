"""Print a workbook to PDF with a LibreOffice started before the workbook exists.

Most of a one-off ``soffice --convert-to pdf`` is LibreOffice starting (about a second
here), not the printing. A command that must first compute and write the workbook it
prints (``crmvalue appraise --pdf``) can start LibreOffice first and let it start while
Python works: :class:`PdfPrinter` starts ``soffice`` on entry with a Basic macro of its
profile (:data:`PRINT_MACRO`), which waits for the workbook to appear at a path agreed in
advance, opens it, prints it to PDF and ends LibreOffice. :meth:`PdfPrinter.print` hands
the workbook over (a copy, moved into place in one step, so the macro never reads half a
file) and waits for the PDF.

Each printer has what every run of :mod:`workbook_templates.libreoffice` has: its own copy
of the prepared profile (recalculation on load, no document macros, en-US), a private copy
of the input, the PDF written beside its target and renamed into place, a timeout, and
its own process group, ended (killed if need be) when the ``with`` block ends, also on
an error or Ctrl-C. The macro gives up waiting after ``wait`` seconds (so a LibreOffice
whose Python was killed ends by itself); a workbook handed over after that starts a new
LibreOffice.

The macro prints what ``soffice --convert-to pdf`` prints: the workbook opened with the
same import filter and recalculated on load, stored with the ``calc_pdf_Export`` filter
and its default settings (the tests compare the two PDFs' text).
"""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from ._soffice import (
    DEFAULT_TIMEOUT,
    describe_failure,
    end_group,
    require_soffice,
    soffice_env,
    start_soffice,
    temporary_directory,
    timeout_message,
)
from ._workbook_copies import IMPORT_FILTERS, check_input, copy_showing_only
from .basic_macros import SETUP_DONE, write_basic_library
from .errors import FileError, LibreOfficeError, LibreOfficeTimeout
from .libreoffice import copy_profile

__all__ = ["PRINT_MACRO", "PdfPrinter"]

#: The Basic module of the printer's profile (``Standard.CrmValuePrint``). Its ``PrintPdf``
#: reads the environment: ``CRMVALUE_PDF_SOURCE`` (the URL of the workbook it waits for),
#: ``CRMVALUE_PDF_FILTER`` (its import filter), ``CRMVALUE_PDF_TARGET`` (the URL of the PDF),
#: ``CRMVALUE_PDF_DONE`` (the URL of a file it makes once the PDF is written),
#: ``CRMVALUE_PDF_ERRORS`` (the URL of a file for what went wrong) and
#: ``CRMVALUE_PDF_WAIT`` (seconds to wait for the workbook).
PRINT_MACRO = """\
Option Explicit

Sub PrintPdf
    Dim source As String, target As String, deadline As Double
    Dim document As Object, channel As Integer
    On Error GoTo Failed
    source = Environ("CRMVALUE_PDF_SOURCE")
    target = Environ("CRMVALUE_PDF_TARGET")
    deadline = Now + CDbl(Environ("CRMVALUE_PDF_WAIT")) / 86400
    Dim hidden(0) As New com.sun.star.beans.PropertyValue
    hidden(0).Name = "Hidden"
    hidden(0).Value = True
    Dim empty As Object
    If Not FileExists(source) Then
        ' while waiting, an empty spreadsheet loads what opening the workbook needs
        empty = StarDesktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, hidden())
    End If
    Do While Not FileExists(source)
        If Now > deadline Then
            StarDesktop.terminate
            Exit Sub
        End If
        Wait 10
    Loop
    Dim opening(1) As New com.sun.star.beans.PropertyValue
    opening(0).Name = "Hidden"
    opening(0).Value = True
    opening(1).Name = "FilterName"
    opening(1).Value = Environ("CRMVALUE_PDF_FILTER")
    document = StarDesktop.loadComponentFromURL(source, "_blank", 0, opening())
    If IsNull(document) Then
        Error 1
    End If
    Dim printing(0) As New com.sun.star.beans.PropertyValue
    printing(0).Name = "FilterName"
    printing(0).Value = "calc_pdf_Export"
    document.storeToURL(target, printing())
    channel = FreeFile
    Open Environ("CRMVALUE_PDF_DONE") For Output As #channel
    Close #channel
    document.close(True)
    If Not IsNull(empty) Then
        empty.close(True)
    End If
    StarDesktop.terminate
    Exit Sub
Failed:
    channel = FreeFile
    Open Environ("CRMVALUE_PDF_ERRORS") For Output As #channel
    If IsNull(document) Then
        Print #channel, "LibreOffice could not open the workbook"
    Else
        Print #channel, "Basic error " & Err & " on line " & Erl & ": " & Error$
    End If
    Close #channel
    StarDesktop.terminate
End Sub
"""
_MACRO_URL = "macro:///Standard.CrmValuePrint.PrintPdf"
#: Seconds the macro waits for the workbook before LibreOffice ends by itself.
DEFAULT_WAIT = 600.0


class PdfPrinter:
    """A LibreOffice, started on entering the ``with`` block, that prints one workbook to
    the PDF file ``out_pdf``.

    Used as::

        with PdfPrinter("results.pdf", overwrite=True) as printer:
            workbook = write_the_workbook()  # while LibreOffice starts
            printer.print(workbook, sheet="Results")

    ``overwrite``: replace an existing ``out_pdf`` (else a
    :class:`~workbook_templates.errors.FileError` on entry, before LibreOffice starts):

    >>> import tempfile
    >>> last_year = Path(tempfile.mkdtemp()) / "results.pdf"
    >>> _ = last_year.write_bytes(b"%PDF-1.4 last year's results")
    >>> with PdfPrinter(last_year):  # doctest: +IGNORE_EXCEPTION_DETAIL
    ...     pass
    Traceback (most recent call last):
    FileError: .../results.pdf: already exists; pass overwrite=True to replace it

    LibreOffice runs on a copy of the prepared profile
    (:func:`~workbook_templates.libreoffice.prepared_profile`; a fresh one where none can
    be kept), with the macro as its Standard Basic library. ``timeout``: seconds
    :meth:`print` waits for the PDF. ``wait``: seconds LibreOffice waits for the workbook.
    """

    def __init__(
        self,
        out_pdf: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        wait: float = DEFAULT_WAIT,
    ) -> None:
        self.target = Path(out_pdf)
        self.overwrite = overwrite
        self.timeout = timeout
        self.wait = wait
        self._process: subprocess.Popen[bytes] | None = None
        self._stack = ExitStack()

    def __enter__(self) -> PdfPrinter:
        target = self.target
        if target.suffix.lower() != ".pdf":
            raise FileError("the output of a PDF printer must end in .pdf", path=target)
        if target.exists() and not self.overwrite:
            raise FileError("already exists; pass overwrite=True to replace it", path=target)
        self._soffice = require_soffice()
        parent = target.parent if str(target.parent) else Path(".")
        parent.mkdir(parents=True, exist_ok=True)
        stack = self._stack
        try:
            self._scratch = stack.enter_context(temporary_directory("crmvalue-lo-print-"))
            self._staging = stack.enter_context(
                temporary_directory(".crmvalue-lo-out-", parent=parent)
            )
            self._output = stack.enter_context(open(self._scratch / "output.txt", "wb"))
            stack.callback(self._stop)  # first of all when the block ends
            self._profile = copy_profile(
                self._scratch / "profile", None, self._soffice, settings=[SETUP_DONE]
            )
            write_basic_library(self._profile, {"CrmValuePrint": PRINT_MACRO})
            self._handover = self._scratch / "workbook.xlsx"
            self._made = self._staging / f"{target.stem or 'results'}.pdf"
            self._errors = self._scratch / "errors.txt"
            self._done = self._scratch / "done.txt"
            self._start()
        except BaseException:
            stack.close()
            raise
        return self

    def _start(self) -> None:
        env = dict(
            soffice_env(),
            CRMVALUE_PDF_SOURCE=self._handover.resolve().as_uri(),
            CRMVALUE_PDF_FILTER=IMPORT_FILTERS[".xlsx"],
            CRMVALUE_PDF_TARGET=self._made.resolve().as_uri(),
            CRMVALUE_PDF_ERRORS=self._errors.resolve().as_uri(),
            CRMVALUE_PDF_DONE=self._done.resolve().as_uri(),
            CRMVALUE_PDF_WAIT=f"{self.wait:g}",
        )
        self._process = start_soffice(
            self._soffice,
            self._profile,
            [_MACRO_URL],
            cwd=self._scratch,
            env=env,
            output=self._output,
        )

    def print(self, workbook: str | os.PathLike[str], sheet: str | None = None) -> Path:
        """Print the ``.xlsx`` (or ``.xlsm``) ``workbook`` (only ``sheet``, if given: the
        other sheets are hidden in the copy handed over) to the printer's PDF; return its
        path. Once per printer. Raises
        :class:`~workbook_templates.errors.FileError` (a bad workbook),
        :class:`~workbook_templates.errors.TemplateError` (no such sheet) or
        :class:`~workbook_templates.libreoffice.LibreOfficeError` (LibreOffice failing or
        timing out); the PDF is then left untouched.
        """
        if self._process is None:
            raise RuntimeError("a PdfPrinter prints inside its with block, once")
        source = check_input(workbook)
        if source.suffix.lower() not in (".xlsx", ".xlsm"):
            raise FileError("the PDF printer prints .xlsx and .xlsm workbooks", path=source)
        waiting = self._scratch / "workbook.part"
        if sheet is None:
            waiting.write_bytes(source.read_bytes())
        else:
            copy_showing_only(source, waiting, sheet)
        if self._process.poll() is not None:  # LibreOffice gave up waiting (or failed)
            self._process = None
            self._start()
        os.replace(waiting, self._handover)
        process = self._process
        deadline = time.monotonic() + self.timeout
        while not self._done.exists() and process.poll() is None:
            if time.monotonic() > deadline:
                self._stop()
                raise LibreOfficeTimeout(timeout_message(self.timeout))
            time.sleep(0.005)
        printed = self._done.exists()
        # once the PDF is written (and closed), LibreOffice's own shutdown is not waited for
        self._stop(now=printed)
        if not printed or self._errors.is_file() or not self._made.is_file():
            said = (self._scratch / "output.txt").read_text(errors="replace")
            result = subprocess.CompletedProcess(process.args, process.returncode, said, "")
            macro = (
                self._errors.read_text(errors="replace").strip() + "; "
                if self._errors.is_file()
                else ""
            )
            raise LibreOfficeError(
                f"LibreOffice could not print {source} to PDF (does it open in LibreOffice?); "
                f"{macro}{describe_failure(result)}"
            )
        if self.target.exists() and not self.overwrite:
            raise FileError("already exists; pass overwrite=True to replace it", path=self.target)
        os.replace(self._made, self.target)
        return self.target

    def _stop(self, now: bool = False) -> None:
        """End LibreOffice's process group: let it end by itself for a moment after its
        macro ended it, else (or ``now``) at once."""
        process, self._process = self._process, None
        if process is None:
            return
        finished = process.poll() is not None
        end_group(process.pid, grace=5.0 if finished and not now else 0.0)
        process.wait()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stack.close()
