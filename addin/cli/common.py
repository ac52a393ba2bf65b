"""The commands of the ``crmvalue`` command line, one module each, and what they share."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class UsageError(Exception):
    """A user mistake at the command line (a missing file, an output that exists...).

    The message says what is wrong, where, and how to fix it; the CLI prints it and exits
    with status 2.
    """


def progress(message: str) -> None:
    """Say what a long step is doing, on stderr (stdout stays clean for --json)."""
    print(f"... {message}", file=sys.stderr, flush=True)


def input_file(path: str | os.PathLike[str]) -> Path:
    """An input file that must exist and be a file."""
    source = Path(path)
    if not source.exists():
        raise UsageError(f"{source}: no such file; check the path")
    if not source.is_file():
        raise UsageError(f"{source}: is a folder, not a file; give the workbook's path")
    return source


def check_outputs(
    outputs: Iterable[Path | None], *, force: bool, inputs: Iterable[Path] = ()
) -> None:
    """Refuse, before anything is written, outputs that exist (without --force), outputs in
    a missing folder, and outputs that would overwrite an input."""
    sources = {source.resolve() for source in inputs}
    for output in outputs:
        if output is None:
            continue
        if output.resolve() in sources:
            raise UsageError(f"{output}: is the input file; write the output elsewhere")
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(f"{output}: the folder {folder} does not exist; create it first")
        if output.exists() and not force:
            raise UsageError(f"{output} already exists and is kept; use --force to overwrite it")


def write_atomically(path: Path, force: bool, writer: Callable[[Path], None]) -> None:
    """Call ``writer(temporary)`` in the output folder, then rename it to ``path``.

    On any error (or an interrupt) the temporary file is removed and ``path`` is left as it
    was; an existing ``path`` is only replaced with ``force``.
    """
    if path.exists() and not force:
        raise UsageError(f"{path} already exists and is kept; use --force to overwrite it")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        writer(temporary)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode of a new file (as open() would give it), or that of the file it replaces."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
