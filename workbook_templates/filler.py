"""Write :class:`crmvalue_core.appraisal.AppraisalInputs` into a copy of the template.

The filler opens the template (by default the packaged ``crm_appraisal.xlsx``), writes each
input into the cells of its defined name and saves the copy under a new name. It never
modifies the template or any other input file; it writes to a temporary file in the
destination folder and renames it into place, so an interrupted run leaves no
half-written workbook; and it refuses to overwrite an existing file unless ``force=True``.

Text from the inputs (the case name) is written as text, never as a formula: a name that
starts with ``=``, ``+``, ``-`` or ``@`` is shown as it is and does not execute.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmvalue_core import appraisal as core

from . import _spec as spec
from ._spec import high_name, low_name
from .errors import FileError, TemplateError
from .files import MAX_FILE_BYTES, TEMPLATE_PATH, check_writable, write_atomically
from .reader import read_values
from .serialise import workbook_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = ["FileError", "TemplateError", "fill_template", "fill_workbook"]


def fill_workbook(
    inputs: core.AppraisalInputs,
    template: str | os.PathLike[str] = TEMPLATE_PATH,
    *,
    uncertain: core.UncertainInputs | None = None,
) -> Workbook:
    """The template as an openpyxl workbook (in memory) with ``inputs`` written into it.

    The template is checked first as the reader checks a workbook (it must have every
    input defined name, pointing at cells of the right shape); the file is only read.
    ``uncertain``: low and high values for the Scenarios sheet (its case must be
    ``inputs``); every input without a range keeps blank low and high cells.
    """
    from openpyxl import load_workbook

    if not isinstance(inputs, core.AppraisalInputs):
        raise TemplateError(
            f"inputs is a {type(inputs).__name__}; give a crmvalue_core.appraisal."
            "AppraisalInputs case (e.g. demo_case())"
        )
    if uncertain is not None and not isinstance(uncertain, core.UncertainInputs):
        raise TemplateError(
            f"uncertain is a {type(uncertain).__name__}; give a crmvalue_core.appraisal."
            "UncertainInputs (e.g. demo_uncertainty()) or None"
        )
    if uncertain is not None and uncertain.case != inputs:
        raise TemplateError(
            "uncertain holds another case than inputs; give UncertainInputs(inputs, ranges)"
        )
    source = Path(template)
    places = read_values(source, max_bytes=MAX_FILE_BYTES)  # validates file, names, shape
    range_places = read_values(source, max_bytes=MAX_FILE_BYTES, ranges=True) if uncertain else {}
    with source.open("rb") as stream:
        wb = load_workbook(stream, keep_links=False)
    values = inputs.to_defined_names()
    for name, cells in places.items():
        value = values[name]
        if isinstance(cells, list):
            for cell, item in zip(cells, value, strict=True):
                _write(wb[cell.sheet][cell.cell], item)
        else:
            _write(wb[cells.sheet][cells.cell], value)
    _write_added_lines(wb, inputs, source)
    if uncertain is not None:
        for name, (low, high) in uncertain.to_defined_names().items():
            for define, value in ((low_name, low), (high_name, high)):
                cells = range_places[define(name)]
                if isinstance(cells, list):
                    for cell, item in zip(cells, value, strict=True):
                        _write(wb[cell.sheet][cell.cell], item)
                else:
                    _write(wb[cells.sheet][cells.cell], value)
    return wb


def _write_added_lines(wb: Workbook, inputs: core.AppraisalInputs, source: Path) -> None:
    """Write the added cost and benefit lines into the empty rows of their blocks.

    An empty row of a block is one that is not a named line and holds no amount (the spare
    rows of a fresh template); each added line takes one, its label in column A. A case with
    more added lines than the template has empty rows is refused.
    """
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    for block, lines in (
        (spec.COST_LINE_BLOCK, inputs.costs.added_lines),
        (spec.BENEFIT_LINE_BLOCK, inputs.benefits.other_benefit_lines),
    ):
        if not lines:
            continue
        if block.name not in wb.defined_names:
            raise TemplateError(
                f"the template has no block {block.name} for the case's {len(lines)} added "
                "line(s) (a template made before the blocks); use the current template",
                path=source,
                name=block.name,
            )
        sheet, reference = next(iter(wb.defined_names[block.name].destinations))
        min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
        ws = wb[sheet]
        named = {
            range_boundaries(ref.replace("$", ""))[1]
            for name in block.named
            for _, ref in wb.defined_names[name].destinations
        }
        free = [
            row
            for row in range(min_row + 1, max_row + 1)  # the block's first row is a heading
            if row not in named
            and all(
                ws.cell(row=row, column=col).value is None for col in range(min_col, max_col + 1)
            )
        ]
        if len(lines) > len(free):
            raise TemplateError(
                f"the case has {len(lines)} added lines for {block.name}, but the template "
                f"has {len(free)} empty rows there; insert rows inside the block (above its "
                "last row) or merge lines",
                path=source,
                name=block.name,
            )
        for row, line in zip(free, lines, strict=False):
            _write(ws.cell(row=row, column=1), line.label)
            for col, amount in zip(range(min_col, max_col + 1), line.amounts, strict=True):
                ws[f"{get_column_letter(col)}{row}"] = amount


def _write(cell: Any, value: Any) -> None:
    """Write one input; text is always text (never a formula), blanks stay blank."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=..." for a formula
        cell.quotePrefix = value[:1] in ("=", "+", "-", "@")
    else:
        cell.value = value


def fill_template(
    inputs: core.AppraisalInputs,
    destination: str | os.PathLike[str],
    *,
    force: bool = False,
    template: str | os.PathLike[str] = TEMPLATE_PATH,
    uncertain: core.UncertainInputs | None = None,
) -> Path:
    """Write ``inputs`` into a copy of ``template`` saved as ``destination``; return its path.

    ``uncertain`` (optional): the low and high values of the Scenarios sheet, an
    :class:`~crmvalue_core.appraisal.UncertainInputs` whose case is ``inputs``
    (:func:`~workbook_templates.reader.read_uncertain` reads them back).

    Refuses (:class:`~workbook_templates.errors.FileError`), before any work is done, a
    ``destination`` that is not an .xlsx name, is in a missing folder, exists (unless
    ``force=True``) or is the template itself. The file is written to a temporary file in
    the destination folder, then renamed into place.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from crmvalue_core.appraisal import demo_case
    >>> from workbook_templates.reader import read_inputs
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = fill_template(demo_case(), folder / "demo.xlsx")
    >>> read_inputs(path) == demo_case()
    True
    """
    target = Path(destination)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FileError(
            "the output must be an .xlsx file; give a name ending in .xlsx", path=target
        )
    if target.exists() and Path(template).exists() and target.resolve() == Path(template).resolve():
        raise FileError("this is the template itself; write the copy elsewhere", path=target)
    check_writable(target, force=force)
    wb = fill_workbook(inputs, template, uncertain=uncertain)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)
    data = workbook_bytes(wb, timestamp=now)
    return write_atomically(target, data, force=force)
