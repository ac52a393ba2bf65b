"""The packaged template and safe file writing, with no heavy imports.

``crmvalue new`` needs only these two things, so it starts without numpy, pandas, scipy
or openpyxl: the bytes of the packaged ``crm_appraisal.xlsx`` (the builder's output; a
test fails when they differ) and a write that never leaves a half-written file.
:mod:`workbook_templates.builder` re-exports both.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["TEMPLATE_PATH", "template_bytes", "write_bytes_atomically"]

#: Where the committed template lives (inside the package).
TEMPLATE_PATH = Path(__file__).with_name("crm_appraisal.xlsx")


def _error(message: str, path: Path) -> Exception:
    """A :class:`~workbook_templates.errors.TemplateError` (imported only when one is
    raised: it pulls in :mod:`crmvalue_core`)."""
    from .errors import TemplateError

    return TemplateError(message, path=path)


def template_bytes() -> bytes:
    """The template as xlsx bytes: the packaged file, or a fresh build when it is missing."""
    try:
        return TEMPLATE_PATH.read_bytes()
    except FileNotFoundError:
        from .builder import build_bytes

        return build_bytes()


def write_bytes_atomically(
    data: bytes, path: str | os.PathLike[str], *, force: bool = True
) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    An interrupted write leaves the previous file (or none), never a half-written one. With
    ``force=False`` an existing ``path`` is kept and
    :class:`~workbook_templates.errors.TemplateError` raised; a missing folder or a file
    that cannot be written is a TemplateError too.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    exists = (
        "already exists and is kept; choose another name, or overwrite it with force=True "
        "(--force on the command line)"
    )
    if not force and target.exists():
        raise _error(exists, target)
    if not folder.is_dir():
        raise _error(f"the folder {folder} does not exist; create it first", target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _error(f"cannot write in {folder} ({error.strerror})", target) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        if not force and target.exists():
            raise _error(exists, target)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _error(f"cannot write the file ({error.strerror})", target) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
