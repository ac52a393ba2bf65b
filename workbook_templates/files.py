"""Files in and out, safely: the packaged template, the one atomic writer, the one xlsx guard.

Every command of crmvalue writes through :func:`write_atomically` and checks every .xlsx it
is given with :func:`check_xlsx_archive` before openpyxl sees it, so the rules live here once:

* an output is written to a temporary file in its own folder, flushed to disk, then renamed
  into place: an interrupted run leaves the previous file (or none), never half a file, and
  an existing file is replaced only when the user said so (``force``, ``--force``);
* a workbook from a user is untrusted: it must be a real .xlsx (not an old .xls, not a
  renamed CSV, not a damaged zip) and must not unpack to more than the limits of its kind
  (:data:`TEMPLATE_LIMITS` for an appraisal workbook, :data:`DATA_LIMITS` for a data table).

This module imports nothing heavy, so ``crmvalue new`` starts without numpy or openpyxl.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DATA_LIMITS",
    "MAX_FILE_BYTES",
    "OLE_MAGIC",
    "TEMPLATE_LIMITS",
    "TEMPLATE_PATH",
    "TEMPLATE_PATHS",
    "ZIP_MAGIC",
    "ArchiveLimits",
    "check_writable",
    "check_xlsx_archive",
    "template_bytes",
    "write_atomically",
]

#: Where the committed template lives (inside the package; a test keeps it equal to the build).
TEMPLATE_PATH = Path(__file__).with_name("crm_appraisal.xlsx")
#: The committed template of each language (the same workbook, its texts translated).
TEMPLATE_PATHS = {
    "en": TEMPLATE_PATH,
    "zh-CN": Path(__file__).with_name("crm_appraisal.zh-CN.xlsx"),
}

#: The first bytes of an .xlsx file (a zip archive's first local file header).
ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of an OLE compound file: an old .xls, or an encrypted (password) .xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ArchiveLimits:
    """How much an .xlsx of one kind may unpack to before it is refused as a zip bomb.

    ``what`` names the kind in messages; ``advice`` says what to do with a larger file.
    """

    what: str
    max_part_bytes: int
    max_total_bytes: int
    max_members: int
    advice: str


#: An appraisal workbook: the template is about 100 kB; a filled one stays far below these.
TEMPLATE_LIMITS = ArchiveLimits(
    what="appraisal workbook",
    max_part_bytes=64 * 2**20,
    max_total_bytes=256 * 2**20,
    max_members=10_000,
    advice="far too large for a crmvalue template",
)

#: Largest appraisal workbook *file* the reader opens (the template is about 100 kB): a rule
#: on the file as it lies on disk, checked before it is unpacked; the limits above bound
#: what its zip unpacks to.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: A data table for ``crmvalue score`` (up to Excel's 1,048,576 rows of a few columns).
DATA_LIMITS = ArchiveLimits(
    what="data workbook",
    max_part_bytes=2 * 2**30,
    max_total_bytes=4 * 2**30,
    max_members=100_000,
    advice="export the data as CSV instead",
)


def _error(message: str, path: Path) -> Exception:
    """A :class:`~workbook_templates.errors.FileError` (imported only when one is raised: it
    pulls in :mod:`crmvalue_core`)."""
    from .errors import FileError

    return FileError(message, path=path)


def template_bytes(language: str = "en") -> bytes:
    """The bytes of the packaged template workbook in ``language`` (``crm_appraisal.xlsx``,
    ``crm_appraisal.zh-CN.xlsx``: :data:`TEMPLATE_PATHS`).

    >>> template_bytes("zh-CN")[:4] == ZIP_MAGIC
    True
    """
    return TEMPLATE_PATHS[language].read_bytes()


def check_xlsx_archive(path: str | os.PathLike[str], limits: ArchiveLimits) -> None:
    """Refuse, with one clear :class:`~workbook_templates.errors.FileError`, a file that is not
    a readable .xlsx: an old .xls or encrypted workbook, a file that is no zip (a renamed
    CSV?), a damaged or truncated zip, a zip that is no workbook, or one that unpacks to more
    than ``limits`` (a zip bomb).

    >>> import io, zipfile, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "table.xlsx").write_text("id,amount\\n1,2\\n")
    14
    >>> check_xlsx_archive(folder / "table.xlsx", DATA_LIMITS)
    Traceback (most recent call last):
    ...
    workbook_templates.errors.FileError: table.xlsx: is not an Excel workbook (it does not
    start like an .xlsx file; a CSV file renamed?); give a real .xlsx file
    """
    source = Path(path)
    try:
        with source.open("rb") as stream:
            head = stream.read(8)
    except OSError as error:
        raise _error(f"cannot be read ({error.strerror}); check the path", source) from None
    if head == OLE_MAGIC:
        raise _error(
            "is an old Excel 97-2003 (.xls) or password-protected workbook, not .xlsx; open it "
            "in Excel or LibreOffice and save it as .xlsx (without a password)",
            source,
        )
    if not head.startswith(ZIP_MAGIC):
        raise _error(
            "is not an Excel workbook (it does not start like an .xlsx file; a CSV file "
            "renamed?); give a real .xlsx file",
            source,
        )
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _error(
            f"the workbook is damaged or truncated ({error}); it cannot be opened as .xlsx. "
            "Use the original file, or save it again from Excel",
            source,
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _error(
            "is a zip archive but not an Excel workbook (it has no xl/workbook.xml); give an "
            ".xlsx file",
            source,
        )
    if len(infos) > limits.max_members:
        raise _error(
            f"the workbook holds {len(infos):,} parts, more than the {limits.max_members:,} a "
            f"{limits.what} may have (a zip bomb?); refusing to read it: {limits.advice}",
            source,
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_part_bytes or total > limits.max_total_bytes:
            raise _error(
                f"the workbook unpacks to more than {_size(limits.max_total_bytes)} or has a "
                f"part over {_size(limits.max_part_bytes)} (part {info.filename} alone is "
                f"{_size(info.file_size)}): too large for a {limits.what}, or a zip bomb; "
                f"refusing to read it: {limits.advice}",
                source,
            )


def _size(count: int) -> str:
    return f"{count / 2**30:.0f} GB" if count >= 2**30 else f"{count / 2**20:.0f} MB"


_EXISTS = (
    "already exists and is kept; choose another name, or overwrite it with force=True "
    "(--force on the command line)"
)


def check_writable(path: str | os.PathLike[str], *, force: bool) -> Path:
    """Refuse, before any work is done, an output :func:`write_atomically` would refuse: an
    existing file without ``force``, or a file in a missing folder. Returns ``path``.

    Each is one :class:`~workbook_templates.errors.FileError` naming the file.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not force and target.exists():
        raise _error(_EXISTS, target)
    if not folder.is_dir():
        raise _error(f"the folder {folder} does not exist; create it first", target)
    return target


def write_atomically(
    path: str | os.PathLike[str],
    content: bytes | Callable[[Path], None],
    *,
    force: bool,
) -> Path:
    """Write ``content`` to ``path`` so that no reader ever sees half a file; return ``path``.

    ``content`` is the bytes to write, or a function that writes the file it is given (a
    temporary file in the same folder, e.g. ``frame.to_csv`` or ``figure.savefig``). The
    temporary file is flushed to disk and renamed over ``path``; on any error or interrupt
    it is removed and ``path`` is left as it was. An existing ``path`` is replaced only with
    ``force``; a missing folder, an existing file without ``force`` and a file that cannot
    be written are each one :class:`~workbook_templates.errors.FileError` naming the file.
    The new file gets the mode a plain ``open()`` would give it, or that of the file it
    replaces.

    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomically(target, b"NPV 561181\\n", force=False).read_bytes()
    b'NPV 561181\\n'
    >>> write_atomically(target, b"again", force=False)
    Traceback (most recent call last):
    ...
    workbook_templates.errors.FileError: out.txt: already exists and is kept; choose another
    name, or overwrite it with force=True (--force on the command line)
    """
    target = check_writable(path, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _error(f"cannot write in {folder} ({error.strerror})", target) from None
    temporary = Path(name)
    try:
        if isinstance(content, (bytes, bytearray, memoryview)):
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            os.close(handle)
            content(temporary)
            with temporary.open("rb+") as stream:
                os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(target))
        if not force and target.exists():
            raise _error(_EXISTS, target)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise _error(f"cannot write the file ({error.strerror})", target) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _file_mode(path: Path) -> int:
    """The mode of a new file (as ``open()`` would give it), or that of the file it replaces."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
