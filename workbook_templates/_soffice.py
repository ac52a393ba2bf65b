"""Running LibreOffice's ``soffice``: finding it, its environment, its process group.

What every run of :mod:`workbook_templates.libreoffice` and
:mod:`workbook_templates.pdf_printer` shares: where the program is, the environment it
gets (without what would mislead LibreOffice's own Python), ending its whole process group
so that no helper outlives a run, temporary folders, and the wording of a timeout or a
failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .errors import LibreOfficeError

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


def require_soffice() -> Path:
    """The ``soffice`` program (:func:`find_soffice`); raises :class:`LibreOfficeError`
    saying how to install it when there is none."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(f"LibreOffice (soffice) was not found; {INSTALL_HINT}")
    return soffice


def python_environment_bin(folder: str) -> bool:
    """Whether ``folder`` is the ``bin`` (``Scripts``) folder of a virtual or conda
    environment."""
    parent = Path(folder).parent
    return (parent / "pyvenv.cfg").is_file() or (parent / "conda-meta").is_dir()


def soffice_env() -> dict[str, str]:
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
            if folder and not python_environment_bin(folder)
        )
    return env


def group_alive(pgid: int) -> bool:
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


def end_group(pgid: int, grace: float) -> None:
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
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if group_alive(pgid):
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


@contextmanager
def temporary_directory(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A new folder (in ``parent``, else the temporary folder), deleted with everything in
    it when the block ends."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def timeout_message(timeout: float) -> str:
    """What a user is told when a run of LibreOffice took more than ``timeout`` seconds."""
    return (
        f"LibreOffice did not finish within {timeout:g} s and was stopped; "
        "try again with a longer timeout, or check the file opens in LibreOffice"
    )


def describe_failure(result: subprocess.CompletedProcess[str]) -> str:
    """What a failed run of soffice said: its exit status and its last five lines of output
    (Java's ``javaldx`` notices left out).

    >>> import subprocess
    >>> said = "Error: source file could not be loaded"
    >>> describe_failure(subprocess.CompletedProcess([], 1, "", said))
    'LibreOffice exit status 1: Error: source file could not be loaded'
    """
    lines = [
        line.strip()
        for line in (result.stdout + "\n" + result.stderr).splitlines()
        if line.strip() and "javaldx" not in line
    ]
    said = "; ".join(lines[-5:]) if lines else "it printed nothing"
    return f"LibreOffice exit status {result.returncode}: {said}"


def start_soffice(
    soffice: Path,
    profile: Path,
    args: Sequence[str],
    *,
    cwd: str | os.PathLike[str],
    env: dict[str, str] | None = None,
    output: IO[bytes] | None = None,
) -> subprocess.Popen:
    """Start ``soffice --headless ARGS`` (no logo, no start document, no restore, no lock
    check) in the profile folder ``profile``, in a process group of its own (see
    :func:`end_group`), with ``env`` (default :func:`soffice_env`). Its output goes to
    ``output`` (a binary file), else to pipes read as text. Raises
    :class:`LibreOfficeError` when it cannot start."""
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
    if output is None:
        streams: dict[str, Any] = {
            "stdout": subprocess.PIPE,
            "stderr": subprocess.PIPE,
            "text": True,
            "errors": "replace",
        }
    else:
        streams = {"stdout": output, "stderr": subprocess.STDOUT}
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=soffice_env() if env is None else env,
            start_new_session=True,
            **streams,
        )
    except OSError as error:
        raise LibreOfficeError(f"could not start LibreOffice ({soffice}): {error}") from error
