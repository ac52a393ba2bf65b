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
import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import FileError, LibreOfficeError, LibreOfficeTimeout, TemplateError, ToolError
from .files import TEMPLATE_LIMITS, check_xlsx_archive

__all__ = [
    "INSTALL_HINT",
    "PDFTOPPM_INSTALL_HINT",
    "LibreOfficeError",
    "LibreOfficeTimeout",
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

#: How to install the spreadsheet engine on Debian or Ubuntu.
INSTALL_HINT = (
    "install LibreOffice Calc, e.g. on Debian or Ubuntu: "
    "apt-get install -y --no-install-recommends libreoffice-calc"
)
#: How to install pdftoppm (PNG pages of a PDF) on Debian or Ubuntu.
PDFTOPPM_INSTALL_HINT = (
    "install poppler-utils, e.g. on Debian or Ubuntu: "
    "apt-get install -y --no-install-recommends poppler-utils"
)

#: Seconds one soffice run may take before it is stopped (a batch gets more, see below).
DEFAULT_TIMEOUT = 120.0
#: Extra seconds per file in a batch conversion.
TIMEOUT_PER_FILE = 30.0

#: The import filter by file suffix: naming it stops LibreOffice from reading a damaged
#: workbook as plain text and "converting" it without complaint.
_IMPORT_FILTERS = {
    ".xlsx": "Calc MS Excel 2007 XML",
    ".xlsm": "Calc MS Excel 2007 XML",
    ".xls": "MS Excel 97",
    ".ods": "calc8",
}
_XLSX_EXPORT = "xlsx:Calc MS Excel 2007 XML"
_PDF_EXPORT = "pdf:calc_pdf_Export"


def find_soffice() -> Path | None:
    """The ``soffice`` program of LibreOffice, or ``None`` when it is not installed.

    The environment variable ``CRMVALUE_SOFFICE`` names it explicitly; otherwise it is
    looked for on ``PATH`` (``soffice``, then ``libreoffice``) and in the usual install
    folders of Linux, macOS and Windows. When ``None`` is returned, :data:`INSTALL_HINT` says how
    to install it.
    """
    explicit = os.environ.get("CRMVALUE_SOFFICE")
    if explicit:
        candidate = Path(explicit)
        return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    program_files = [os.environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)")]
    candidates = [
        *(Path(folder) / "LibreOffice/program/soffice.exe" for folder in program_files if folder),
        Path("/usr/lib/libreoffice/program/soffice"),
        Path("/usr/local/lib/libreoffice/program/soffice"),
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        *sorted(Path("/opt").glob("libreoffice*/program/soffice")),
    ]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_pdftoppm() -> Path | None:
    """The ``pdftoppm`` program (poppler-utils), or ``None`` when it is not installed."""
    found = shutil.which("pdftoppm")
    return Path(found) if found else None


def _require_soffice() -> Path:
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(f"LibreOffice (soffice) was not found; {INSTALL_HINT}")
    return soffice


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
    ``("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "true", "boolean")``.

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


def _python_environment_bin(folder: str) -> bool:
    """Whether ``folder`` is the ``bin`` (``Scripts``) folder of a virtual or conda
    environment."""
    parent = Path(folder).parent
    return (parent / "pyvenv.cfg").is_file() or (parent / "conda-meta").is_dir()


def _soffice_env() -> dict[str, str]:
    """The environment of a soffice run: this one, without what would mislead LibreOffice's
    own Python (the add-in binding, :mod:`addin.libreoffice.binding`, sets up its paths
    itself).

    That includes the ``bin`` folder of an activated virtual environment on ``PATH``: the
    Python embedded in LibreOffice finds its home through the ``python3`` on ``PATH``,
    and one from a virtual environment makes its start fail ("can't import __main__
    module"), so every Python macro of the profile would fail.
    """
    env = dict(os.environ)
    for name in (
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONSTARTUP",
        "PYTHONNOUSERSITE",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
    ):
        env.pop(name, None)
    if env.get("PATH"):
        env["PATH"] = os.pathsep.join(
            folder
            for folder in env["PATH"].split(os.pathsep)
            if folder and not _python_environment_bin(folder)
        )
    return env


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies, which only wait to be
    reaped by init, do not count)."""
    proc = Path("/proc")
    if proc.is_dir():
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
            fields = stat[stat.rfind(")") + 2 :].split()
            if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _end_group(pgid: int, grace: float) -> None:
    """Let the process group of a finished soffice end by itself for ``grace`` seconds
    (helpers such as the add-in binding's worker exit when soffice closes their pipe),
    then kill whatever is left. On Windows, where there are no process groups, the
    process tree of soffice is killed when ``grace`` is 0 (a timeout)."""
    if os.name == "nt":  # pragma: no cover - Windows only
        if grace == 0.0:
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(pgid)], capture_output=True, check=False
            )
        return
    deadline = time.monotonic() + grace
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _group_alive(pgid):
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


@contextmanager
def _temporary_directory(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _timeout_message(timeout: float) -> str:
    return (
        f"LibreOffice did not finish within {timeout:g} s and was stopped; "
        "try again with a longer timeout, or check the file opens in LibreOffice"
    )


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
    soffice = _require_soffice()
    with _temporary_directory("crmvalue-lo-profile-") as scratch:
        copy = scratch / "profile"
        source = Path(profile) if profile is not None else prepared_profile(soffice)
        if source is None:
            make_profile(copy)
        else:
            if not (source / "user").is_dir():
                raise FileError(
                    "is not a LibreOffice profile (it has no 'user' folder); make one with "
                    "make_profile()",
                    path=source,
                )
            shutil.copytree(source, copy, symlinks=True, ignore=_NOT_COPIED)
        return _run_in_profile(soffice, copy, args, timeout=timeout, cwd=cwd or scratch)


#: What a copy of a profile leaves out: the marker of :func:`prepared_profile`.
_NOT_COPIED = shutil.ignore_patterns("crmvalue-profile.txt")


def _run_in_profile(
    soffice: Path,
    profile: Path,
    args: Sequence[str],
    *,
    timeout: float,
    cwd: str | os.PathLike[str],
) -> subprocess.CompletedProcess[str]:
    """Run ``soffice --headless ARGS`` in the profile folder ``profile`` itself."""
    command = [
        str(soffice),
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
        *args,
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            cwd=cwd,
            env=_soffice_env(),
            start_new_session=True,
        )
    except OSError as error:
        raise LibreOfficeError(f"could not start LibreOffice ({soffice}): {error}") from error
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process.pid, grace=0.0)
        process.communicate()
        raise LibreOfficeTimeout(_timeout_message(timeout)) from None
    except BaseException:
        _end_group(process.pid, grace=0.0)
        process.communicate()
        raise
    _end_group(process.pid, grace=5.0)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


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
    with _temporary_directory("crmvalue-lo-key-") as scratch:
        settings = (make_profile(scratch) / "user" / "registrymodifications.xcu").read_bytes()
    try:
        stat = Path(soffice).resolve().stat()
        program = f"{Path(soffice).resolve()} {stat.st_size} {stat.st_mtime_ns}"
    except OSError:
        program = str(soffice)
    return f"{hashlib.sha256(settings).hexdigest()} {program}\n"


def _check_input(path: str | os.PathLike[str]) -> Path:
    """A workbook LibreOffice is asked to read: it must exist, have a known suffix, not be
    empty, and (an .xlsx or .xlsm) pass :func:`~workbook_templates.files.check_xlsx_archive`;
    else one :class:`~workbook_templates.errors.FileError` naming it."""
    source = Path(path)
    suffix = source.suffix.lower()
    if not source.exists():
        raise FileError("no such file; check the path", path=source)
    if not source.is_file():
        raise FileError("not a file (a folder?); give the path of a workbook", path=source)
    if suffix not in _IMPORT_FILTERS:
        known = ", ".join(sorted(_IMPORT_FILTERS))
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


def _describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    lines = [
        line.strip()
        for line in (result.stdout + "\n" + result.stderr).splitlines()
        if line.strip() and "javaldx" not in line
    ]
    said = "; ".join(lines[-5:]) if lines else "it printed nothing"
    return f"LibreOffice exit status {result.returncode}: {said}"


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
    _require_soffice()
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
        by_filter.setdefault(_IMPORT_FILTERS[source.suffix.lower()], []).append(index)
    with (
        _temporary_directory("crmvalue-lo-in-") as staging_in,
        _temporary_directory(".crmvalue-lo-out-", parent=out_dir) as staging_out,
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
                raise LibreOfficeTimeout(_timeout_message(timeout)) from None
            results.append(result)
        produced = [staging_out / f"{copy.stem}{suffix}" for copy in copies]
        failed = [
            str(source)
            for source, made in zip(sources, produced, strict=True)
            if not made.is_file()
        ]
        if failed:
            detail = "; ".join(_describe_failure(result) for result in results)
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
    sources = [_check_input(path) for path in paths]
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


_SHEET_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_VIEW_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?workbookView\b[^>]*>")
_NAME_ATTR = re.compile(r'\bname\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_STATE_ATTR = re.compile(r'\s+state\s*=\s*(?:"[^"]*"|\'[^\']*\')')
_ACTIVE_ATTR = re.compile(r'\s+(?:activeTab|firstSheet)\s*=\s*(?:"[^"]*"|\'[^\']*\')')


def _with_attribute(tag: str, attribute: str) -> str:
    end = -2 if tag.endswith("/>") else -1
    return f"{tag[:end].rstrip()} {attribute}{tag[end:]}"


def _show_only(workbook_xml: str, sheet: str, source: Path) -> str:
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


def _copy_showing_only(source: Path, target: Path, sheet: str) -> None:
    """Copy the xlsx ``source`` to ``target`` with only ``sheet`` visible (a layout change:
    every other part of the file is copied byte for byte, charts and styles included).

    ``source`` has passed :func:`~workbook_templates.files.check_xlsx_archive` (it is a
    workbook within :data:`~workbook_templates.files.TEMPLATE_LIMITS`)."""
    try:
        with zipfile.ZipFile(source) as zin:
            members = zin.infolist()
            workbook_xml = zin.read("xl/workbook.xml").decode("utf-8")
            edited = _show_only(workbook_xml, sheet, source)
            with zipfile.ZipFile(target, "w") as zout:
                for member in members:
                    if member.filename == "xl/workbook.xml":
                        zout.writestr(member, edited.encode("utf-8"))
                        continue
                    with zin.open(member) as reader, zout.open(member, "w") as writer:
                        shutil.copyfileobj(reader, writer, 1024 * 1024)
    except (zipfile.BadZipFile, UnicodeDecodeError, EOFError) as error:
        raise FileError(f"not a valid xlsx workbook ({error})", path=source) from error


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
    source = _check_input(path)
    target = Path(out_pdf)
    if target.suffix.lower() != ".pdf":
        raise FileError("the output of to_pdf must end in .pdf", path=target)
    with _temporary_directory("crmvalue-lo-pdf-") as scratch:
        if profile is None and not recalc:
            profile = make_profile(scratch / "profile", recalc=False)
        if sheet is not None:
            if source.suffix.lower() not in (".xlsx", ".xlsm"):
                raise FileError("printing one sheet needs an .xlsx or .xlsm workbook", path=source)
            shown = scratch / f"{target.stem}{source.suffix.lower()}"
            _copy_showing_only(source, shown, sheet)
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
    with _temporary_directory(".crmvalue-png-", parent=target.parent) as staging:
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
