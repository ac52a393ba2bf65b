"""Write measured baseline drivers into a copy of the appraisal template, with notes.

:func:`fill_measured` takes the template (or a filled copy), replaces the base value of
each measured input, writes its low and high values on the Scenarios sheet and puts a
note (a cell comment) on each filled cell that says where the value came from. The other
inputs and ranges of the workbook stay as they were. The input file is only read; the copy
is written atomically (:func:`~workbook_templates.files.write_atomically`).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crmvalue_core import appraisal as core

from ._spec import high_name, low_name
from .errors import FileError, TemplateError
from .files import (
    MAX_FILE_BYTES,
    TEMPLATE_LIMITS,
    check_writable,
    check_xlsx_archive,
    write_atomically,
)
from .filler import fill_workbook
from .reader import read_values
from .reader.ranges import read_uncertain
from .serialise import workbook_bytes

__all__ = ["DRAWS_SHEET", "baseline_draws_of", "fill_measured", "read_baseline_draws"]

#: The author of the notes.
NOTE_AUTHOR = "crmvalue baseline"
#: The hidden sheet that records the measured drivers' joint draws.
DRAWS_SHEET = "Baseline draws"


def fill_measured(
    template: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    measured: Mapping[str, tuple[float, float, float]],
    notes: Mapping[str, str],
    *,
    force: bool = False,
    samples: Mapping[str, Sequence[float]] | None = None,
) -> Path:
    """Write ``measured`` ({defined name: (base, low, high)}) into a copy of ``template``.

    Each name's base cell gets the base value, its Scenarios cells (``<Name>Low``,
    ``<Name>High``) the low and high, and all three the note ``notes[name]``. Every other
    input and range of ``template`` is kept. Refuses a workbook that is not crmvalue's
    template (:class:`~workbook_templates.errors.TemplateError`), an output that exists
    (unless ``force``) or is the input itself (:class:`FileError`).

    ``samples`` ({defined name: draws}, all of one length): the drivers' joint draws,
    recorded on the hidden sheet :data:`DRAWS_SHEET` (one column per driver, headed by
    its defined name) for ``crmvalue appraise --simulate`` (:func:`read_baseline_draws`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> from workbook_templates.reader.ranges import read_uncertain
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "measured.xlsx"
    >>> _ = fill_measured(TEMPLATE_PATH, out, {"CustomersActive": (1000, 900, 1100)},
    ...                   {"CustomersActive": "counted by hand"})
    >>> case = read_uncertain(out)
    >>> case.case.benefits.customers_active, case.to_defined_names()["CustomersActive"]
    (1000.0, (900.0, 1100.0))
    """
    from openpyxl.comments import Comment

    source, target = Path(template), Path(destination)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FileError(
            "the output must be an .xlsx file; give a name ending in .xlsx", path=target
        )
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise FileError(
            "the output is the template itself; the input is never modified: write the copy "
            "under another name",
            path=target,
        )
    check_writable(target, force=force)
    current = read_uncertain(source)  # refuses what is not a usable crmvalue template
    case = current.case.with_values({name: base for name, (base, _, _) in measured.items()})
    ranges = dict(current.to_defined_names())
    ranges.update({name: (low, high) for name, (_, low, high) in measured.items()})
    uncertain = core.UncertainInputs(case, ranges)
    wb = fill_workbook(case, source, uncertain=uncertain)
    places = read_values(source, max_bytes=MAX_FILE_BYTES)
    range_places = read_values(source, max_bytes=MAX_FILE_BYTES, ranges=True)
    for name, text in notes.items():
        for cell in (places[name], range_places[low_name(name)], range_places[high_name(name)]):
            comment = Comment(text, NOTE_AUTHOR)
            comment.width, comment.height = 420, 160
            wb[cell.sheet][cell.cell].comment = comment
    if DRAWS_SHEET in wb.sheetnames:
        del wb[DRAWS_SHEET]  # a workbook measured before: its draws are replaced
    if samples:
        sheet = wb.create_sheet(DRAWS_SHEET)
        sheet.sheet_state = "hidden"
        names = list(samples)
        sheet.append(names)
        for row in zip(*(samples[name] for name in names), strict=True):
            sheet.append([float(value) for value in row])
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    return write_atomically(target, workbook_bytes(wb, timestamp=now), force=force)


def read_baseline_draws(path: str | os.PathLike[str]) -> dict[str, list[float]]:
    """The joint draws of the measured drivers recorded by :func:`fill_measured`:
    ``{defined name: draws}``, empty when the workbook records none.

    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> read_baseline_draws(TEMPLATE_PATH)
    {}
    """
    from .reader.opening import check_file, open_workbook

    source = Path(path)
    check_file(source, MAX_FILE_BYTES)
    check_xlsx_archive(source, TEMPLATE_LIMITS)
    with open_workbook(source, data_only=True) as wb:
        return baseline_draws_of(wb, source)


def baseline_draws_of(wb: Any, source: Path) -> dict[str, list[float]]:
    """:func:`read_baseline_draws` from the workbook of ``source`` already open
    (``crmvalue appraise`` opens the file once for every read)."""
    if DRAWS_SHEET not in wb.sheetnames:
        return {}
    rows = list(wb[DRAWS_SHEET].iter_rows(values_only=True))
    if not rows:
        return {}
    names = [str(name) for name in rows[0]]
    found: dict[str, list[float]] = {name: [] for name in names}
    for number, row in enumerate(rows[1:], start=2):
        for name, value in zip(names, row, strict=False):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TemplateError(
                    f"sheet {DRAWS_SHEET!r}, row {number}: {name} is {value!r}, not a number; "
                    "measure the baseline again (crmvalue baseline) or delete that sheet",
                    path=source,
                )
            found[name].append(float(value))
    return found
