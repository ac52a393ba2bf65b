"""LibreOffice Calc, headless: recalculate workbooks and print them to PDF.

LibreOffice is the real spreadsheet engine that proves the template computes what
:mod:`crmvalue_core` computes (see docs/template.md), and what ``crmvalue demo`` uses to
write a recalculated workbook and a PDF of its Results sheet when LibreOffice is installed.

Every run of ``soffice`` here:

* uses a throwaway copy of a user profile (never the user's own profile, so a LibreOffice
  window the user has open is never involved), whose settings make LibreOffice recalculate
  every formula on load (``OOXMLRecalcMode`` = 0), never update external links, run no
  document macros and format numbers as en-US; by default a copy of the profile prepared
  once in the user's cache folder (:func:`prepared_profile`), so no run pays for
  LibreOffice setting up a new profile;
* reads a private copy of the input, so the input file and its folder are never touched;
* writes into a temporary folder beside the output and renames the finished file into
  place, so an interrupted run leaves no half-written file;
* is bounded by a timeout, runs in its own process group and leaves no process behind.

The module does no arithmetic of its own: LibreOffice computes, this module only moves
files and, for a PDF of one sheet, hides the other sheets in a temporary copy.

Errors say whose fault they are: a problem with a file (missing, empty, not a workbook, an
output that exists, no such sheet) is a :class:`~workbook_templates.errors.FileError` or
:class:`~workbook_templates.errors.TemplateError` (a user mistake); LibreOffice missing,
failing, timing out or producing nothing is a :class:`LibreOfficeError` (a
:class:`~workbook_templates.errors.ToolError`), as is pdftoppm failing (a ToolError).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from html import escape  # XML-safe (& < > " '); xml.sax.saxutils would import urllib
from pathlib import Path

from ._soffice import (
    DEFAULT_TIMEOUT,
    INSTALL_HINT,
    PDFTOPPM_INSTALL_HINT,
    TIMEOUT_PER_FILE,
    describe_failure,
    end_group,
    find_pdftoppm,
    find_soffice,
    require_soffice,
    start_soffice,
    temporary_directory,
    timeout_message,
)
from ._workbook_copies import IMPORT_FILTERS, check_input, copy_showing_only
from .errors import FileError, LibreOfficeError, LibreOfficeTimeout, ToolError

__all__ = [
    "INSTALL_HINT",
    "PDFTOPPM_INSTALL_HINT",
    "LibreOfficeError",
    "LibreOfficeTimeout",
    "copy_profile",
    "find_pdftoppm",
    "find_soffice",
    "make_profile",
    "prepared_profile",
    "profile_cache",
    "recalculate",
    "recalculate_many",
    "run_soffice",
    "to_pdf",
    "to_png",
]

_XLSX_EXPORT = "xlsx:Calc MS Excel 2007 XML"
_PDF_EXPORT = "pdf:calc_pdf_Export"


def _registry_item(path: str, prop: str, value: str, xs_type: str) -> str:
    return (
        f'<item oor:path="{escape(path)}"><prop oor:name="{escape(prop)}" oor:op="fuse" '
        f'oor:type="xs:{xs_type}"><value>{escape(value)}</value></prop></item>'
    )


def make_profile(
    directory: str | os.PathLike[str],
    *,
    recalc: bool = True,
    settings: Sequence[tuple[str, str, str, str]] = (),
) -> Path:
    """Write a LibreOffice user profile for headless runs into ``directory``; return it.

    The profile's ``user/registrymodifications.xcu`` sets:

    * ``/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode`` and ``ODFRecalcMode``
      to 0, "always recalculate", so even a file with cached values is recalculated on
      load (``recalc=False`` sets 1, "never": cached values are kept as they are);
    * external links never updated, document macros never run (the highest macro
      security level: only the profile's own macros, such as the add-in binding of the
      tests, can run), no first-run wizard, no tip of the day, no crash reporter, no
      automatic recovery data;
    * the locale en-US, so numbers print the same on every machine.

    ``settings`` adds more, each as ``(path, property, value, xs_type)``, e.g.
    :data:`~workbook_templates.basic_macros.SETUP_DONE`.

    ``directory`` is created if needed. A profile may be reused by runs one after another:
    each run works on its own copy (see :func:`run_soffice`). Other files can be added to
    the ``user`` folder (Basic libraries, Python scripts) before it is used.
    """
    root = Path(directory)
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    mode = "0" if recalc else "1"
    items = [
        _registry_item("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", mode, "int"),
        _registry_item("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", mode, "int"),
        # Links to other files or to the web: 1 = never update.
        _registry_item("/org.openoffice.Office.Calc/Content/Update", "Link", "1", "int"),
        # 3 = very high: macros in documents never run (the profile's own macros do).
        _registry_item(
            "/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3", "int"
        ),
        _registry_item("/org.openoffice.Office.Common/Misc", "FirstRun", "false", "boolean"),
        _registry_item("/org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "false", "boolean"),
        _registry_item("/org.openoffice.Office.Common/Misc", "CrashReport", "false", "boolean"),
        _registry_item(
            "/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false", "boolean"
        ),
        _registry_item(
            "/org.openoffice.Office.Linguistic/General", "DefaultLocale", "en-US", "string"
        ),
        _registry_item("/org.openoffice.Setup/L10N", "ooLocale", "en-US", "string"),
        _registry_item("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "en-US", "string"),
    ]
    items += [_registry_item(*setting) for setting in settings]
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )
    (user / "registrymodifications.xcu").write_text(text, encoding="utf-8")
    return root


#: What a copy of a profile leaves out: the marker of :func:`prepared_profile`.
_NOT_COPIED = shutil.ignore_patterns("crmvalue-profile.txt")


def copy_profile(
    target: str | os.PathLike[str],
    profile: str | os.PathLike[str] | None = None,
    soffice: Path | None = None,
    *,
    settings: Sequence[tuple[str, str, str, str]] = (),
) -> Path:
    """Copy the LibreOffice profile ``profile`` to the new folder ``target`` for one run;
    return ``target``.

    ``profile`` is a folder made by :func:`make_profile` (possibly with more files added);
    ``None`` copies the default one, :func:`prepared_profile` of ``soffice``, or makes a
    fresh one with ``settings`` (see :func:`make_profile`) where the cache folder cannot be
    written. Raises
    :class:`~workbook_templates.errors.FileError` when ``profile`` is not a profile.

    >>> import tempfile
    >>> empty = tempfile.mkdtemp()
    >>> copy_profile(Path(empty) / "copy", empty)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    FileError: /tmp/...: is not a LibreOffice profile (it has no 'user' folder); ...
    """
    copy = Path(target)
    source = Path(profile) if profile is not None else prepared_profile(soffice)
    if source is None:
        return make_profile(copy, settings=settings)
    if not (source / "user").is_dir():
        raise FileError(
            "is not a LibreOffice profile (it has no 'user' folder); make one with make_profile()",
            path=source,
        )
    shutil.copytree(source, copy, symlinks=True, ignore=_NOT_COPIED)
    return copy


def run_soffice(
    args: Sequence[str],
    *,
    profile: str | os.PathLike[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: str | os.PathLike[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``soffice --headless ARGS`` on a throwaway copy of ``profile``; return the result.

    ``profile`` is a folder made by :func:`make_profile` (possibly with more files added);
    ``None`` uses the default one, :func:`prepared_profile` (a fresh one where the cache
    folder cannot be written). The copy is deleted afterwards, so runs never share state
    and several may run at once. The run gets ``timeout`` seconds; then it is killed and
    :class:`LibreOfficeError` is raised. The process group of soffice is ended when it
    returns, so no LibreOffice process, nor any helper it started, outlives the call.
    The exit status is not checked here: soffice reports most failures on its output only.
    """
    soffice = require_soffice()
    with temporary_directory("crmvalue-lo-profile-") as scratch:
        copy = copy_profile(scratch / "profile", profile, soffice)
        return _run_in_profile(soffice, copy, args, timeout=timeout, cwd=cwd or scratch)


def _run_in_profile(
    soffice: Path,
    profile: Path,
    args: Sequence[str],
    *,
    timeout: float,
    cwd: str | os.PathLike[str],
) -> subprocess.CompletedProcess[str]:
    """Run ``soffice --headless ARGS`` in the profile folder ``profile`` itself."""
    process = start_soffice(soffice, profile, args, cwd=cwd)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        end_group(process.pid, grace=0.0)
        process.communicate()
        raise LibreOfficeTimeout(timeout_message(timeout)) from None
    except BaseException:
        end_group(process.pid, grace=0.0)
        process.communicate()
        raise
    end_group(process.pid, grace=5.0)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def profile_cache() -> Path:
    """Where the prepared profile lives: ``$XDG_CACHE_HOME/crmvalue/libreoffice-profile``,
    or ``~/.cache/crmvalue/libreoffice-profile`` when ``XDG_CACHE_HOME`` is not set (or not
    an absolute path, as the XDG rules say).

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"XDG_CACHE_HOME": "/var/cache/alice"}):
    ...     profile_cache().as_posix()
    '/var/cache/alice/crmvalue/libreoffice-profile'
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return folder / "crmvalue" / "libreoffice-profile"


def prepared_profile(soffice: Path | None = None) -> Path | None:
    """The default profile of every run: one of :func:`make_profile`, which LibreOffice has
    started with once, kept in :func:`profile_cache`. Returns its folder, or None when it
    cannot be made (a cache folder that cannot be written, LibreOffice failing to start):
    then each run makes a fresh profile, as slow but as safe.

    LibreOffice sets a new profile up on its first start (about a second); a run on a copy
    of this one starts ready. It is prepared on first use, in a temporary folder beside
    its place that is renamed into place only when complete: two runs at once never see
    half a profile (when both prepare one, the first renamed wins, the other is deleted).
    Runs never use it in place but each on its own copy (:func:`run_soffice`; a copy is a
    few hundred kB), so it needs no lock. A marker file holds the key of the settings and
    of the LibreOffice that prepared it; a profile of other settings or another
    LibreOffice is prepared again.

    A LibreOffice that cannot start leaves no profile (each run would then fail to start
    too, with its own message):

    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"XDG_CACHE_HOME": tempfile.mkdtemp()}):
    ...     prepared_profile(Path("/no/such/soffice")) is None
    True
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        return None
    target = profile_cache()
    key = _profile_key(soffice)
    marker = target / "crmvalue-profile.txt"
    try:
        if marker.read_text(encoding="utf-8") == key and (target / "user").is_dir():
            return target
    except (OSError, UnicodeDecodeError):
        pass
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".libreoffice-profile-", dir=target.parent))
    except OSError:
        return None
    try:
        made = make_profile(staging / "profile")
        result = _run_in_profile(
            soffice, made, ["--terminate_after_init"], timeout=DEFAULT_TIMEOUT, cwd=staging
        )
        if result.returncode != 0 or not (made / "user").is_dir():
            return None
        (made / "crmvalue-profile.txt").write_text(key, encoding="utf-8")
        if target.exists():  # another settings' or LibreOffice's profile: set it aside
            os.replace(target, staging / "old")
        os.replace(made, target)
    except OSError:  # another run put its profile in place first: use that one
        pass
    except LibreOfficeError:
        return None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    try:
        ready = marker.read_text(encoding="utf-8") == key
    except (OSError, UnicodeDecodeError):
        ready = False
    return target if ready else None


def _profile_key(soffice: Path) -> str:
    """What a prepared profile depends on: the settings :func:`make_profile` writes and the
    LibreOffice program (its path, size and time)."""
    with temporary_directory("crmvalue-lo-key-") as scratch:
        settings = (make_profile(scratch) / "user" / "registrymodifications.xcu").read_bytes()
    try:
        stat = Path(soffice).resolve().stat()
        program = f"{Path(soffice).resolve()} {stat.st_size} {stat.st_mtime_ns}"
    except OSError:
        program = str(soffice)
    return f"{hashlib.sha256(settings).hexdigest()} {program}\n"


def _convert(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    export: str,
    suffix: str,
    targets: Sequence[Path],
    profile: str | os.PathLike[str] | None,
    timeout: float | None,
    overwrite: bool,
) -> list[Path]:
    """Convert ``sources`` in one soffice run; move each result to its target (atomic)."""
    require_soffice()
    for target in targets:
        if target.exists() and not overwrite:
            raise FileError("already exists; pass overwrite=True to replace it", path=target)
    for source, target in zip(sources, targets, strict=True):
        if target.exists() and target.resolve() == source.resolve():
            raise FileError("the output would replace its own input", path=target)
    if timeout is None:
        timeout = DEFAULT_TIMEOUT + TIMEOUT_PER_FILE * (len(sources) - 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    by_filter: dict[str, list[int]] = {}
    for index, source in enumerate(sources):
        by_filter.setdefault(IMPORT_FILTERS[source.suffix.lower()], []).append(index)
    with (
        temporary_directory("crmvalue-lo-in-") as staging_in,
        temporary_directory(".crmvalue-lo-out-", parent=out_dir) as staging_out,
    ):
        # Private copies under unique names: soffice never sees (nor locks) the inputs,
        # and two inputs with the same name in different folders cannot collide.
        copies = []
        for index, source in enumerate(sources):
            copy = staging_in.resolve() / f"book{index}{source.suffix.lower()}"
            shutil.copyfile(source, copy)
            copies.append(copy)
        deadline = time.monotonic() + timeout
        results = []
        for infilter, indexes in by_filter.items():
            left = max(deadline - time.monotonic(), 0.1)
            try:
                result = run_soffice(
                    [
                        f"--infilter={infilter}",
                        "--convert-to",
                        export,
                        "--outdir",
                        str(staging_out.resolve()),
                        *(str(copies[i]) for i in indexes),
                    ],
                    profile=profile,
                    timeout=left,
                )
            except LibreOfficeTimeout:
                raise LibreOfficeTimeout(timeout_message(timeout)) from None
            results.append(result)
        produced = [staging_out / f"{copy.stem}{suffix}" for copy in copies]
        failed = [
            str(source)
            for source, made in zip(sources, produced, strict=True)
            if not made.is_file()
        ]
        if failed:
            detail = "; ".join(describe_failure(result) for result in results)
            raise LibreOfficeError(
                f"LibreOffice could not convert {', '.join(failed)} (is it a valid workbook? "
                f"does it open in LibreOffice?); {detail}"
            )  # it produced nothing: the file may be at fault, but only LibreOffice can say
        for made, target in zip(produced, targets, strict=True):
            os.replace(made, target)
    return list(targets)


def recalculate_many(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    profile: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Recalculate several workbooks in one LibreOffice run (about 1 s in all, not per file).

    Each workbook is written to ``out_dir`` as ``.xlsx`` under its own name (suffix
    ``.xlsx``), every formula cell carrying the value LibreOffice computed, so that
    ``openpyxl.load_workbook(path, data_only=True)`` reads the values. An error cell
    carries its error text (``#VALUE!``, ``#NAME?``...).

    ``profile``: a folder from :func:`make_profile` (default: a fresh one). ``timeout``:
    seconds for the whole batch (default 120 s plus 30 s per extra file). An existing
    output is replaced only with ``overwrite=True``; the inputs are never touched.
    Raises :class:`~workbook_templates.errors.FileError` for a bad input or output and
    :class:`LibreOfficeError` when LibreOffice is missing, fails or times out (each with
    what went wrong and how to fix it).
    """
    sources = [check_input(path) for path in paths]
    if not sources:
        return []
    out = Path(out_dir)
    targets = [out / f"{source.stem}.xlsx" for source in sources]
    names = [target.name for target in targets]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise FileError(
            f"several inputs would be written to the same file: {', '.join(duplicates)}; "
            "give the inputs different names"
        )
    return _convert(
        sources,
        out,
        export=_XLSX_EXPORT,
        suffix=".xlsx",
        targets=targets,
        profile=profile,
        timeout=timeout,
        overwrite=overwrite,
    )


def recalculate(
    path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    profile: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    overwrite: bool = False,
) -> Path:
    """Recalculate one workbook with LibreOffice; return the ``.xlsx`` written to ``out_dir``.

    The output has the input's name with suffix ``.xlsx`` and every formula cell carries
    its computed value. See :func:`recalculate_many` (which this calls) for the options.

    >>> recalculate("missing.xlsx", ".")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    FileError: missing.xlsx: no such file; check the path
    """
    return recalculate_many([path], out_dir, profile=profile, timeout=timeout, overwrite=overwrite)[
        0
    ]


def to_pdf(
    path: str | os.PathLike[str],
    out_pdf: str | os.PathLike[str],
    sheet: str | None = None,
    *,
    profile: str | os.PathLike[str] | None = None,
    recalc: bool = True,
    timeout: float | None = None,
    overwrite: bool = False,
) -> Path:
    """Print a workbook to the PDF file ``out_pdf`` with LibreOffice; return its path.

    ``sheet``: print only that sheet (an ``.xlsx``/``.xlsm`` workbook): a temporary copy
    hides every other sheet, which LibreOffice does not print; the sheet's own print setup
    (orientation, fit to width, print area) applies. ``None`` prints every visible sheet.
    The workbook is recalculated on load (``recalc=False`` prints the values cached
    in the file instead; ignored when ``profile`` is given, whose own setting applies).
    An existing ``out_pdf`` is replaced only with ``overwrite=True``; the input is never
    touched. Raises :class:`~workbook_templates.errors.FileError` (a bad input or output),
    :class:`~workbook_templates.errors.TemplateError` (no such sheet) or
    :class:`LibreOfficeError`.
    """
    source = check_input(path)
    target = Path(out_pdf)
    if target.suffix.lower() != ".pdf":
        raise FileError("the output of to_pdf must end in .pdf", path=target)
    with temporary_directory("crmvalue-lo-pdf-") as scratch:
        if profile is None and not recalc:
            profile = make_profile(scratch / "profile", recalc=False)
        if sheet is not None:
            if source.suffix.lower() not in (".xlsx", ".xlsm"):
                raise FileError("printing one sheet needs an .xlsx or .xlsm workbook", path=source)
            shown = scratch / f"{target.stem}{source.suffix.lower()}"
            copy_showing_only(source, shown, sheet)
            source_for_run = shown
        else:
            source_for_run = source
        return _convert(
            [source_for_run],
            target.parent if str(target.parent) else Path("."),
            export=_PDF_EXPORT,
            suffix=".pdf",
            targets=[target],
            profile=profile,
            timeout=timeout,
            overwrite=overwrite,
        )[0]


def to_png(
    pdf: str | os.PathLike[str],
    out_png: str | os.PathLike[str],
    *,
    page: int = 1,
    dpi: int = 110,
    timeout: float = 60.0,
    overwrite: bool = False,
) -> Path:
    """Render one page of a PDF to the PNG file ``out_png`` with ``pdftoppm``; return it.

    Needs poppler-utils (:data:`PDFTOPPM_INSTALL_HINT`). Raises
    :class:`~workbook_templates.errors.FileError` for a missing PDF or a bad output,
    ValueError for a page below 1 or a resolution outside 10..1200 dpi, and
    :class:`~workbook_templates.errors.ToolError` when pdftoppm is missing, times out or
    cannot render the page (e.g. a page the PDF does not have).
    """
    source = Path(pdf)
    target = Path(out_png)
    if not source.is_file():
        raise FileError("no such file; check the path", path=source)
    if target.suffix.lower() != ".png":
        raise FileError("the output of to_png must end in .png", path=target)
    if target.exists() and not overwrite:
        raise FileError("already exists; pass overwrite=True to replace it", path=target)
    if page < 1 or not 10 <= dpi <= 1200:
        raise ValueError(f"page must be 1 or more and dpi between 10 and 1200 (got {page}, {dpi})")
    pdftoppm = find_pdftoppm()
    if pdftoppm is None:
        raise ToolError(f"pdftoppm was not found; {PDFTOPPM_INSTALL_HINT}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with temporary_directory(".crmvalue-png-", parent=target.parent) as staging:
        prefix = staging / "page"
        command = [
            str(pdftoppm),
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(prefix),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, errors="replace", timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise ToolError(f"pdftoppm did not finish within {timeout:g} s") from None
        made = prefix.with_suffix(".png")
        if result.returncode != 0 or not made.is_file():
            raise ToolError(
                f"pdftoppm could not render page {page} of {source}: "
                f"{(result.stderr or result.stdout).strip() or 'no output'}"
            )
        os.replace(made, target)
    return target
