"""What the commands of the ``crmvalue`` command line share: progress lines, checked paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError

__all__ = ["check_outputs", "input_file", "progress"]


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
    """Refuse, before any work starts, outputs that exist (without --force), outputs in a
    missing folder, and outputs that would overwrite an input.

    The writers check again when they write (:func:`workbook_templates.files.write_atomically`);
    this pre-flight check says so before a long computation, not after it.
    """
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
