"""What the commands of the ``crmvalue`` command line share: progress lines, checked paths."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import UsageError

__all__ = ["check_folder", "check_outputs", "input_file", "progress"]


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
    missing folder or in a folder that cannot be written, and outputs that would overwrite
    an input.

    Whether a folder can be written is tried, not guessed from its permission bits (root
    passes every permission check, yet cannot write on a read-only file system): see
    :func:`check_folder`. The writers check again when they write
    (:func:`workbook_templates.files.write_atomically`); this pre-flight check says so
    before a long computation, not after it.

    Example: ``check_outputs([Path("/sys/scores.csv")], force=False)`` raises
    ``UsageError("/sys/scores.csv: cannot write in the folder /sys (Permission denied);
    choose a folder you can write to")``.
    """
    sources = {source.resolve() for source in inputs}
    tried: set[Path] = set()
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
        if folder.resolve() not in tried:
            check_folder(folder, output)
            tried.add(folder.resolve())


def check_folder(folder: Path, output: Path | None = None) -> None:
    """Refuse a ``folder`` in which no file can be created: a :class:`UsageError` naming
    ``output`` (or the folder) and the reason.

    The rule is a real try: an empty temporary file (``.crmvalue-check-*``) is created in
    ``folder`` and removed at once, so nothing is left behind. ``os.access`` alone would
    pass a read-only file system or a folder such as ``/sys`` for root.
    """
    named = output if output is not None else folder
    try:
        handle, name = tempfile.mkstemp(prefix=".crmvalue-check-", dir=folder)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageError(
            f"{named}: cannot write in the folder {folder} ({reason}); choose a folder you "
            "can write to"
        ) from None
    os.close(handle)
    Path(name).unlink(missing_ok=True)


def option_date(option: str, text: str | None, date_format: str | None) -> Any:
    """The day a date option names (``numpy.datetime64``, days), read in ``--date-format``
    or as ISO 8601; None when the option is not given; a UsageError naming the option when
    the text is not a date.

    >>> str(option_date("--holdout-end", "1998-06-30", None))
    '1998-06-30'
    >>> str(option_date("--observation-end", "30.09.1997", "%d.%m.%Y"))
    '1997-09-30'
    """
    if text is None:
        return None
    import numpy as np
    import pandas as pd

    for fmt in (date_format, "ISO8601") if date_format else ("ISO8601",):
        stamp = pd.to_datetime(pd.Index([text.strip()]), format=fmt, errors="coerce")[0]
        if stamp is not pd.NaT:
            return np.datetime64(stamp.date(), "D")
    raise UsageError(f"{option} {text!r} is not a date; give one such as 1997-09-30")
