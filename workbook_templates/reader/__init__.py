"""Read a filled template workbook into :class:`crmvalue_core.appraisal.AppraisalInputs`.

The reader finds every input by its workbook-scoped defined name (docs/template.md), never
by a cell address, so a user may move things around as long as the names stay. Workbooks
from users are untrusted, so reading is bounded and defensive:

* the file size (:data:`~workbook_templates.files.MAX_FILE_BYTES`) and what its zip unpacks
  to (:func:`~workbook_templates.files.check_xlsx_archive` with
  :data:`~workbook_templates.files.TEMPLATE_LIMITS`) are limited, XML is parsed by
  ``defusedxml`` (openpyxl uses it when it is installed), and only the rows that hold the
  inputs are parsed;
* a file that is not an .xlsx workbook (a CSV or an .xls renamed, a password-protected
  file, a truncated or corrupt archive, an XML entity bomb) is one
  :class:`~workbook_templates.errors.FileError` that says what the file is;
* a missing defined name (an older or edited template), a deleted sheet, a text where a
  number belongs, a value out of range: each is one :class:`TemplateError` that names the
  file, the sheet, the cell and the defined name, the bad value and what to enter.

The input file is opened read-only and never written.
"""

from __future__ import annotations

import datetime
import math
import numbers
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from crmvalue_core.cells import describe, is_blank

from .. import _spec as spec
from ..errors import FileError, TemplateError
from ..files import MAX_FILE_BYTES, OLE_MAGIC, TEMPLATE_LIMITS, ZIP_MAGIC, check_xlsx_archive

__all__ = [
    "CellValue",
    "FileError",
    "TemplateError",
    "read_inputs",
    "read_uncertain",
    "read_values",
]

_FRESH = "start from a fresh template (crmvalue new FILE.xlsx) and copy your inputs into it"


@dataclass(frozen=True)
class CellValue:
    """Where one defined name's cell is, and what it holds.

    ``index`` is the position inside a multi-cell name (0 for a single cell); ``year`` the
    model year of that cell (None for a single cell).
    """

    name: str
    sheet: str
    cell: str
    index: int
    year: int | None
    value: Any

    @property
    def where(self) -> str:
        """The cell in a user's words: ``sheet 'Inputs', cell C9 (DiscountRate)``."""
        which = self.name if self.year is None else f"{self.name}, year {self.year}"
        return f"sheet {self.sheet!r}, cell {self.cell} ({which})"


# ---------------------------------------------------------------------------------------------
# The file: size, format, archive


def _check_file(path: Path, max_bytes: int) -> None:
    """Refuse a missing, empty or oversized file, or one that does not start like an .xlsx,
    with a message saying what it is (an old .xls, an encrypted workbook, a CSV renamed...).
    """
    if not path.exists():
        raise FileError("no such file; check the path", path=path)
    if not path.is_file():
        raise FileError("is not a file (a folder?); give the path of an .xlsx workbook", path=path)
    size = path.stat().st_size
    if size == 0:
        raise FileError("the file is empty (0 bytes); it is not an Excel workbook", path=path)
    if size > max_bytes:
        raise FileError(
            f"the file is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB a "
            "template workbook may have; is it the right file?",
            path=path,
        )
    with path.open("rb") as stream:
        head = stream.read(8)
        if head == OLE_MAGIC:
            stream.seek(0)
            content = stream.read(max_bytes)
            if "EncryptedPackage".encode("utf-16-le") in content:
                raise FileError(
                    "the workbook is password-protected (encrypted), so it cannot be read; "
                    "open it in Excel, remove the password (File > Info > Protect Workbook > "
                    "Encrypt with Password, clear it) and save it as .xlsx",
                    path=path,
                )
            raise FileError(
                "this is an old Excel 97-2003 (.xls) workbook or another OLE file, not an "
                ".xlsx workbook; open it in Excel or LibreOffice and save it as .xlsx",
                path=path,
            )
        if not head.startswith(ZIP_MAGIC):
            stream.seek(0)
            sample = stream.read(4096)
            raise FileError(_foreign(sample), path=path)


def _foreign(sample: bytes) -> str:
    """Say what a file that is not a zip archive looks like."""
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
    printable = text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / len(text) > 0.95
    if printable:
        stripped = text.lstrip().lower()
        if stripped.startswith(("<html", "<!doctype html", "<?xml", "<table")):
            kind = "an HTML or XML text file"
        elif any(mark in text for mark in (",", ";", "\t")):
            kind = "a text file (CSV or similar)"
        else:
            kind = "a text file"
        return (
            f"this is {kind} renamed to .xlsx, not an Excel workbook; open it in Excel or "
            "LibreOffice and save it as .xlsx, or fill a template (crmvalue new FILE.xlsx)"
        )
    return (
        "this is not an Excel .xlsx workbook (the file does not start like one); give an "
        ".xlsx file made from the crmvalue template"
    )


@contextmanager
def _open_workbook(path: Path, *, data_only: bool) -> Iterator[Any]:
    """openpyxl's read-only workbook over ``path``; every failure becomes a FileError."""
    from openpyxl import load_workbook

    stream: IO[bytes] = path.open("rb")
    try:
        try:
            wb = load_workbook(stream, read_only=True, data_only=data_only, keep_links=False)
        except Exception as error:  # openpyxl raises many kinds on a foreign file
            raise _corrupt(path, error) from None
        try:
            yield wb
        finally:
            wb.close()
    finally:
        stream.close()


def _corrupt(path: Path, error: BaseException) -> FileError:
    """The error for a workbook whose content openpyxl cannot parse."""
    from defusedxml import DefusedXmlException

    causes, link = [], error  # openpyxl wraps the parser's error in its own ValueError
    while link is not None and len(causes) < 10:
        causes.append(link)
        link = link.__cause__ or link.__context__
    if any(isinstance(cause, DefusedXmlException) for cause in causes):
        return FileError(
            "the workbook contains XML entity declarations (an entity-expansion bomb or a "
            "tampered file); refusing to read it. Use a workbook saved by Excel or LibreOffice",
            path=path,
        )
    if isinstance(error, FileError):
        return error
    detail = str(causes[-1]).splitlines()[0][:120] or type(causes[-1]).__name__
    return FileError(
        f"the workbook is damaged or is not a valid .xlsx file ({detail}); open it in Excel "
        "or LibreOffice and save it again, or use the original file",
        path=path,
    )


# ---------------------------------------------------------------------------------------------
# Defined names -> cells


@dataclass(frozen=True)
class _Target:
    name: str
    sheet: str
    cells: tuple[str, ...]  # coordinates, in order
    first_year: int
    single: bool


def _targets(wb: Any, path: Path, items: tuple[core.InputSpec, ...] = core.INPUTS) -> list[_Target]:
    """Where every defined name of ``items`` points, checked against the template's shape.

    ``items`` are the inputs (default) or the low and high cells of the Scenarios sheet
    (:func:`_range_specs`).
    """
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    defined = wb.defined_names
    names = [item.name for item in items]
    missing = [name for name in names if name not in defined]
    if len(missing) == len(names):
        raise TemplateError(
            "this workbook is not the crmvalue appraisal template: it has none of the "
            f"template's defined names (such as {', '.join(names[:3])}); {_FRESH}",
            path=path,
        )
    if missing:
        shown = ", ".join(missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        raise TemplateError(
            f"the defined name{'s' if len(missing) > 1 else ''} {shown} "
            f"{'are' if len(missing) > 1 else 'is'} missing: an older or edited template "
            f"(Formulas > Name Manager lists the names it has); {_FRESH}",
            path=path,
            name=missing[0],
        )
    targets = []
    for item in items:
        text = str(defined[item.name].attr_text or "")
        if "#REF!" in text.upper():
            raise TemplateError(
                f"the defined name {item.name} refers to {text}: its cells or its sheet were "
                f"deleted; {_FRESH}",
                path=path,
                name=item.name,
            )
        try:
            destinations = list(defined[item.name].destinations)
        except Exception:
            destinations = []
        if len(destinations) != 1:
            raise TemplateError(
                f"the defined name {item.name} refers to {text!r}, not to cells of one sheet; "
                f"in the template it refers to {_shape(item.cells)}; {_FRESH}",
                path=path,
                name=item.name,
            )
        sheet, reference = destinations[0]
        if sheet not in wb.sheetnames:
            raise TemplateError(
                f"the sheet {sheet!r}, which holds the defined name {item.name}, is missing "
                f"(deleted or renamed?); the workbook has the sheets {', '.join(wb.sheetnames)}. "
                f"{_FRESH[0].upper()}{_FRESH[1:]}",
                path=path,
                sheet=sheet,
                name=item.name,
            )
        try:
            min_col, min_row, max_col, max_row = range_boundaries(reference.replace("$", ""))
        except (ValueError, TypeError):
            min_col = min_row = max_col = max_row = None
        if None in (min_col, min_row, max_col, max_row):
            raise TemplateError(
                f"the defined name {item.name} refers to {text!r}, which is not a range of "
                f"cells; in the template it refers to {_shape(item.cells)}",
                path=path,
                name=item.name,
            )
        count = (max_col - min_col + 1) * (max_row - min_row + 1)
        if count != item.cells or (min_col != max_col and min_row != max_row):
            raise TemplateError(
                f"the defined name {item.name} refers to {count} cells ({sheet}!{reference}); "
                f"the template has {_shape(item.cells)}: an edited template (a column inserted "
                f"or deleted inside the year columns?); undo that edit, or {_FRESH}",
                path=path,
                sheet=sheet,
                name=item.name,
            )
        cells = tuple(
            f"{get_column_letter(col)}{row}"
            for row in range(min_row, max_row + 1)
            for col in range(min_col, max_col + 1)
        )
        targets.append(_Target(item.name, sheet, cells, item.first_year, item.cells == 1))
    return targets


def _shape(cells: int) -> str:
    if cells == 1:
        return "1 cell"
    if cells == core.YEARS:
        return "11 cells in one row (years 0..10)"
    return f"{cells} cells in one row (years 1..{cells})"


def _read_cells(wb: Any, targets: list[_Target]) -> dict[tuple[str, str], Any]:
    """The values of every target cell, reading each sheet once and only the rows needed."""
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

    wanted: dict[str, set[tuple[int, int]]] = {}
    for target in targets:
        for coordinate in target.cells:
            wanted.setdefault(target.sheet, set()).add(coordinate_to_tuple(coordinate))
    values: dict[tuple[str, str], Any] = {}
    for sheet, cells in wanted.items():
        rows = [row for row, _ in cells]
        columns = [col for _, col in cells]
        min_row, max_row, min_col, max_col = min(rows), max(rows), min(columns), max(columns)
        ws = wb[sheet]
        for row_index, row in enumerate(
            ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col),
            start=min_row,
        ):
            for col_index, cell in enumerate(row, start=min_col):
                if (row_index, col_index) in cells:
                    coordinate = f"{get_column_letter(col_index)}{row_index}"
                    values[(sheet, coordinate)] = getattr(cell, "value", None)
    return values


# ---------------------------------------------------------------------------------------------
# Checking one cell


def _in_words(value: Any) -> str:
    """A bad value in a user's words (:func:`crmvalue_core.cells.describe`); a date cell, which
    openpyxl reads as a datetime at midnight, is said as the date it shows."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    return describe(value)


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _checked(cell: CellValue, path: Path, rule: core.InputSpec | None = None) -> Any:
    """The value to hand to the core for one cell, or the TemplateError that names it.

    ``rule`` defaults to the input's own (the low and high cells pass theirs).
    """
    rule = rule or spec.SPECS[cell.name]
    value = cell.value
    expected = spec.expected(rule)

    def bad(problem: str) -> TemplateError:
        return TemplateError(
            f"{cell.where} {problem}; enter {expected}",
            path=path,
            sheet=cell.sheet,
            cell=cell.cell,
            name=cell.name,
            value=value,
        )

    if is_blank(value):
        if rule.blank == "error":
            raise bad("is blank")
        return None
    if rule.kind == "text":
        if isinstance(value, str) or (
            isinstance(value, numbers.Real) and not isinstance(value, bool)
        ):
            return value
        raise bad(f"holds {_in_words(value)}")
    if rule.kind == "currency":
        if isinstance(value, str) and value.strip().upper() in core.CURRENCIES:
            return value
        raise bad(f"holds {_in_words(value)}, which is not a currency of the list")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, str) and _looks_numeric(value):
            raise bad(f"holds the text {value.strip()!r}, a number stored as text")
        raise bad(f"holds {_in_words(value)}, not a number")
    number = float(value)
    if not math.isfinite(number):
        raise bad(f"holds {_in_words(value)}, not a finite number")
    if rule.minimum is not None and number < rule.minimum:
        raise bad(f"is {_in_words(value)}, below the minimum {_bound(rule.minimum)}")
    if rule.maximum is not None and number > rule.maximum:
        raise bad(f"is {_in_words(value)}, above the maximum {_bound(rule.maximum)}")
    if rule.whole and not number.is_integer():
        raise bad(f"is {_in_words(value)}, not a whole number")
    return value


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(r"\s*[-+]?[\d.,\s]+%?\s*", text) is not None


def _formula_text(value: Any) -> str | None:
    """The formula text of a cell read with formulas, or None for a constant."""
    text = getattr(value, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text
    if isinstance(value, str) and value.startswith("="):
        return value
    return None


# ---------------------------------------------------------------------------------------------
# Public API


def read_values(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    ranges: bool = False,
) -> dict[str, CellValue | list[CellValue]]:
    """Read the raw value of every input defined name of a filled template.

    Returns ``{defined name: CellValue}`` for a one-cell name and a list of CellValue (year
    order) for a row. A cell that holds a formula gives the value Excel or LibreOffice saved
    with it. With ``ranges=True``: the low and high cells of the Scenarios sheet instead
    (``ChurnReductionLow``, ``CostLicencesHigh``...). Raises
    :class:`~workbook_templates.errors.FileError` for a file that is not a readable .xlsx
    and :class:`TemplateError` for a workbook that is not a usable template (see the module
    docstring); the values themselves are not checked here.
    """
    source = Path(path)
    _check_file(source, max_bytes)
    check_xlsx_archive(source, TEMPLATE_LIMITS)
    with _open_workbook(source, data_only=False) as wb:
        try:
            if ranges:
                _require_ranges(wb, source)
            targets = _targets(wb, source, _range_specs() if ranges else core.INPUTS)
            raw = _read_cells(wb, targets)
        except FileError:
            raise
        except Exception as error:
            raise _corrupt(source, error) from None
    formulas = {key: text for key, value in raw.items() if (text := _formula_text(value))}
    if formulas:
        with _open_workbook(source, data_only=True) as wb:
            try:
                cached = _read_cells(wb, targets)
            except Exception as error:
                raise _corrupt(source, error) from None
        for key, text in formulas.items():
            if cached.get(key) is None:
                owner = next(t for t in targets if t.sheet == key[0] and key[1] in t.cells)
                raise TemplateError(
                    f"sheet {key[0]!r}, cell {key[1]} ({owner.name}) holds the formula "
                    f"{text} with no saved result (the file was written by a program that "
                    "does not calculate); type the value, or open the file in Excel or "
                    "LibreOffice and save it",
                    path=source,
                    sheet=key[0],
                    cell=key[1],
                    name=owner.name,
                    value=text,
                )
            raw[key] = cached[key]
    result: dict[str, CellValue | list[CellValue]] = {}
    for target in targets:
        cells = [
            CellValue(
                target.name,
                target.sheet,
                coordinate,
                index,
                None if target.single else target.first_year + index,
                raw.get((target.sheet, coordinate)),
            )
            for index, coordinate in enumerate(target.cells)
        ]
        result[target.name] = cells[0] if target.single else cells
    return result


def read_inputs(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES, check_saved: bool = True
) -> core.AppraisalInputs:
    """Read a filled template into the core's :class:`~crmvalue_core.appraisal.AppraisalInputs`.

    Every input is found by its defined name and checked against the rule the core and the
    workbook's data validation share (:data:`crmvalue_core.appraisal.INPUTS`); blanks mean
    what the core says (0 for amounts and drivers, "the discount rate" for the MIRR rates).
    Raises one :class:`~workbook_templates.errors.FileError` (a
    :class:`crmvalue_core.CrmValueError`) with one clear message for the first problem: a
    file that is not a readable .xlsx (a FileError), or, as a :class:`TemplateError`, a
    missing defined name, a deleted sheet, or a bad value (naming the sheet, the cell, the
    defined name, the value and what to enter). The file is never modified.

    The blocks of lines (``CostLines``, ``OtherBenefitLines``: the named lines and the
    spare rows below them) are read row by row: every row of a block that holds an amount
    and is not a named line is an added line (its label from column A), so a row a user
    inserted inside a block counts, as it does in the workbook's own formulas.

    The safety net (``check_saved``, on by default): a workbook last saved by Excel or
    LibreOffice carries the values its formulas computed. They are compared with the
    core's appraisal of the inputs read (the total cost row, Benefits, Costs, NetCashFlow
    and the metrics, :func:`crmvalue_core.appraisal.first_saved_difference`); when one
    differs beyond rounding (a row or column inserted outside the input blocks, a formula
    overwritten with a number) the workbook is refused with a TemplateError that names the
    figure, both values and the likely cause. A workbook without saved values (written by
    openpyxl) is read as it is.

    Examples
    --------
    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> inputs = read_inputs(TEMPLATE_PATH)
    >>> inputs.general.horizon_years, inputs.general.discount_rate
    (5, 0.1)
    """
    source = Path(path)
    cells = read_values(source, max_bytes=max_bytes)
    values: dict[str, Any] = {}
    for name, cell in cells.items():
        if isinstance(cell, list):
            values[name] = [_checked(item, source) for item in cell]
        else:
            values[name] = _checked(cell, source)
    layout = _read_layout(source, cells)
    try:
        case = core.AppraisalInputs.from_defined_names(values)
        case = replace(
            case,
            costs=replace(case.costs, added_lines=layout.lines.get(spec.COST_LINE_BLOCK.name, ())),
            benefits=replace(
                case.benefits,
                other_benefit_lines=layout.lines.get(spec.BENEFIT_LINE_BLOCK.name, ()),
            ),
        )
    except CrmValueError as error:
        message = re.sub(r"^APPRAISAL: ", "", str(error))
        raise TemplateError(_with_cells(message, cells), path=source) from None
    if check_saved:
        _check_saved(source, case, layout)
    return case


def _with_cells(message: str, cells: Mapping[str, CellValue | list[CellValue]]) -> str:
    """A core message with the cells of the defined names it mentions appended."""
    places = []
    for name, cell in cells.items():
        if re.search(rf"\b{re.escape(name)}\b", message):
            first = cell[0] if isinstance(cell, list) else cell
            places.append(f"{name} is sheet {first.sheet!r}, cell {first.cell}")
    return message + (f" ({'; '.join(places)})" if places else "")


# ---------------------------------------------------------------------------------------------
# The blocks of lines and the saved values (the safety net)


@dataclass(frozen=True)
class _Area:
    """The cells a defined name covers: its sheet and bounds (1-based, inclusive)."""

    name: str
    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def coordinates(self) -> list[str]:
        """The cells, row by row."""
        from openpyxl.utils.cell import get_column_letter

        return [
            f"{get_column_letter(col)}{row}"
            for row in range(self.min_row, self.max_row + 1)
            for col in range(self.min_col, self.max_col + 1)
        ]


@dataclass(frozen=True)
class _Layout:
    """What :func:`_read_layout` found: the added lines of each block (by block name), the
    saved values of the figures the safety net compares, their cells and sheets (by name)."""

    lines: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    saved: dict[str, list[Any]] = field(default_factory=dict)
    places: dict[str, list[str]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)


def _area(wb: Any, path: Path, name: str) -> _Area | None:
    """Where defined name ``name`` points, or None when the workbook does not define it."""
    from openpyxl.utils.cell import range_boundaries

    if name not in wb.defined_names:
        return None
    text = str(wb.defined_names[name].attr_text or "")
    try:
        destinations = list(wb.defined_names[name].destinations)
        sheet, reference = destinations[0]
        bounds = range_boundaries(reference.replace("$", ""))
    except Exception:
        bounds, sheet, destinations = (None, None, None, None), "", []
    if "#REF!" in text.upper() or len(destinations) != 1 or None in bounds:
        raise TemplateError(
            f"the defined name {name} refers to {text!r}, not to a range of cells of one "
            f"sheet (its cells or its sheet were deleted?); {_FRESH}",
            path=path,
            name=name,
        )
    if sheet not in wb.sheetnames:
        raise TemplateError(
            f"the sheet {sheet!r}, which holds the defined name {name}, is missing; {_FRESH}",
            path=path,
            sheet=sheet,
            name=name,
        )
    min_col, min_row, max_col, max_row = bounds
    return _Area(name, sheet, min_col, min_row, max_col, max_row)


def _block_area(wb: Any, path: Path, block: spec.LineBlock) -> _Area | None:
    """The rows of a block of lines: from its defined name's first row (a heading) down to
    the row above its total, as the total row of the sheet adds them up (so a row inserted
    just above the total counts too); None for a workbook without the block."""
    area = _area(wb, path, block.name)
    total = _area(wb, path, block.total_name) if area is not None else None
    if area is None or total is None:
        return area
    if total.sheet == area.sheet and total.min_row > area.max_row:
        return replace(area, max_row=total.min_row - 1)
    return area


def _area_values(wb: Any, area: _Area, first_col: int = 0) -> dict[tuple[int, int], Any]:
    """The values of the area's cells by (row, column); from column ``first_col`` when
    given (to take the labels left of a block too)."""
    start = first_col or area.min_col
    values: dict[tuple[int, int], Any] = {}
    ws = wb[area.sheet]
    for row_index, row in enumerate(
        ws.iter_rows(
            min_row=area.min_row, max_row=area.max_row, min_col=start, max_col=area.max_col
        ),
        start=area.min_row,
    ):
        for col_index, cell in enumerate(row, start=start):
            values[(row_index, col_index)] = getattr(cell, "value", None)
    return values


def _read_layout(path: Path, cells: Mapping[str, CellValue | list[CellValue]]) -> _Layout:
    """The added lines of the blocks of lines, and the saved values of the safety net."""
    with _open_workbook(path, data_only=False) as wb:
        try:
            blocks = [(block, _block_area(wb, path, block)) for block in spec.LINE_BLOCKS]
            raw = {
                block.name: _area_values(wb, area, first_col=1)
                for block, area in blocks
                if area is not None
            }
            figures = {
                name: area
                for name in core.SAVED_FIGURES
                if (area := _area(wb, path, name)) is not None
            }
            if all(area is not None for _, area in blocks):
                _refuse_stray_numbers(wb, path, cells, [area for _, area in blocks])
        except FileError:
            raise
        except Exception as error:
            raise _corrupt(path, error) from None
    with _open_workbook(path, data_only=True) as wb:
        try:
            cached = {
                block.name: _area_values(wb, area, first_col=1)
                for block, area in blocks
                if area is not None
            }
            saved = {name: _area_values(wb, area) for name, area in figures.items()}
        except Exception as error:
            raise _corrupt(path, error) from None
    lines: dict[str, tuple[Any, ...]] = {}
    for block, area in blocks:
        if area is None:  # a template made before the blocks: its named lines only
            continue
        if area.max_col - area.min_col + 1 != block.spec.cells:
            raise TemplateError(
                f"the defined name {block.name} is {area.max_col - area.min_col + 1} columns "
                f"wide (sheet {area.sheet!r}); the template has {block.spec.cells}, one per "
                "year: a column inserted or deleted inside the year columns? Undo that edit, "
                f"or {_FRESH}",
                path=path,
                sheet=area.sheet,
                name=block.name,
            )
        named_rows = _named_rows(path, block, area, cells)
        found = []
        for row in range(area.min_row + 1, area.max_row + 1):  # the first row is a heading
            if row in named_rows:
                continue
            line = _block_line(path, block, area, row, raw[block.name], cached[block.name])
            if line is not None:
                found.append(line)
        lines[block.name] = tuple(found)
    for name, area in figures.items():
        expected = spec.DEFINED_NAME_CELLS.get(name, 1)
        count = (area.max_col - area.min_col + 1) * (area.max_row - area.min_row + 1)
        if count != expected:
            raise TemplateError(
                f"the defined name {name} refers to {count} cells (sheet {area.sheet!r}); the "
                f"template has {_shape(expected)}: a column inserted or deleted inside the "
                f"year columns? Undo that edit, or {_FRESH}",
                path=path,
                sheet=area.sheet,
                name=name,
            )
    return _Layout(
        lines=lines,
        saved={name: [values[key] for key in sorted(values)] for name, values in saved.items()},
        places={name: area.coordinates() for name, area in figures.items()},
        sheets={name: area.sheet for name, area in figures.items()},
    )


def _refuse_stray_numbers(
    wb: Any,
    path: Path,
    cells: Mapping[str, CellValue | list[CellValue]],
    blocks: list[Any],
) -> None:
    """Refuse a number typed on the Inputs sheet outside every input and block of lines.

    Such a number counts nowhere, neither in the sheet's totals nor in the appraisal: a
    line typed into a row inserted above a block's heading or below its total. The year
    headers (the numbers 0, 1, 2... of a header row) are not inputs and are skipped.
    """
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

    sheet = spec.SHEET_INPUTS
    if sheet not in wb.sheetnames:
        return
    covered = {
        coordinate_to_tuple(item.cell)
        for found in cells.values()
        for item in (found if isinstance(found, list) else [found])
        if item.sheet == sheet
    }
    rows = {
        row
        for area in blocks
        if area.sheet == sheet
        for row in range(area.min_row, area.max_row + 1)
    }
    for row_index, row in enumerate(wb[sheet].iter_rows(), start=1):
        if row_index in rows:
            continue
        numbers_found = [
            (col_index, cell.value)
            for col_index, cell in enumerate(row, start=1)
            if isinstance(getattr(cell, "value", None), numbers.Real)
            and not isinstance(cell.value, bool)
            and (row_index, col_index) not in covered
        ]
        if [value for _, value in numbers_found] == list(range(len(numbers_found))):
            continue  # a year header 0, 1, 2...
        col_index, value = numbers_found[0]
        coordinate = f"{get_column_letter(col_index)}{row_index}"
        raise TemplateError(
            f"sheet {sheet!r}, cell {coordinate} holds {_in_words(value)} outside the input "
            "cells and the blocks of lines, so it counts nowhere (a row inserted above a "
            "block's heading or below its total?); enter a cost line in a spare row of the "
            "cost block or a benefit line below Other benefits (or insert the row inside the "
            "block), or clear the cell",
            path=path,
            sheet=sheet,
            cell=coordinate,
            value=value,
        )


def _named_rows(
    path: Path,
    block: spec.LineBlock,
    area: _Area,
    cells: Mapping[str, CellValue | list[CellValue]],
) -> set[int]:
    """The rows of the block's named lines; each must lie inside the block."""
    from openpyxl.utils.cell import coordinate_to_tuple

    rows = set()
    for name in block.named:
        found = cells[name]
        first = found[0] if isinstance(found, list) else found
        last = found[-1] if isinstance(found, list) else found
        row, col = coordinate_to_tuple(first.cell)
        _, last_col = coordinate_to_tuple(last.cell)
        if (
            first.sheet != area.sheet
            or not area.min_row <= row <= area.max_row
            or (col, last_col) != (area.min_col, area.max_col)
        ):
            raise TemplateError(
                f"{name} (sheet {first.sheet!r}, cell {first.cell}) lies outside the block "
                f"{block.name} (sheet {area.sheet!r}, rows {area.min_row}..{area.max_row}), "
                "whose rows the workbook's formulas add up; move the line back into the "
                f"block, or {_FRESH}",
                path=path,
                sheet=first.sheet,
                cell=first.cell,
                name=name,
            )
        rows.add(row)
    return rows


def _block_line(
    path: Path,
    block: spec.LineBlock,
    area: _Area,
    row: int,
    raw: Mapping[tuple[int, int], Any],
    cached: Mapping[tuple[int, int], Any],
) -> Any:
    """The added line in ``row`` of a block (a CostLine or BenefitLine), or None when the
    row holds no amount. Each amount is checked as the block's named lines are; the label
    is column A (blank: the block's spare label)."""
    from openpyxl.utils.cell import get_column_letter

    def value(col: int) -> Any:
        found = raw.get((row, col))
        text = _formula_text(found)
        if text is None:
            return found
        saved = cached.get((row, col))
        if saved is None:
            raise TemplateError(
                f"sheet {area.sheet!r}, cell {get_column_letter(col)}{row} ({block.name}) holds "
                f"the formula {text} with no saved result; type the value, or open the file "
                "in Excel or LibreOffice and save it",
                path=path,
                sheet=area.sheet,
                cell=f"{get_column_letter(col)}{row}",
                name=block.name,
                value=text,
            )
        return saved

    columns = range(area.min_col, area.max_col + 1)
    amounts = [value(col) for col in columns]
    if all(is_blank(item) for item in amounts):
        return None
    label = value(1) if area.min_col > 1 else None
    label = label.strip() if isinstance(label, str) and label.strip() else block.spare_label
    rule = block.spec
    owner = f"the line {label!r} of {block.name}"
    checked = [
        _checked(
            CellValue(
                owner,
                area.sheet,
                f"{get_column_letter(col)}{row}",
                index,
                rule.first_year + index,
                item,
            ),
            path,
            rule,
        )
        for index, (col, item) in enumerate(zip(columns, amounts, strict=True))
    ]
    kind = core.CostLine if rule.first_year == 0 else core.BenefitLine
    try:
        return kind(label, tuple(checked))
    except CrmValueError as error:
        message = re.sub(r"^APPRAISAL: ", "", str(error))
        raise TemplateError(
            f"{message} (sheet {area.sheet!r}, row {row})", path=path, sheet=area.sheet
        ) from None


#: The figures of the safety net in words, by defined name.
_FIGURE_WORDS = {
    "TotalCosts": "the total of the cost lines",
    "TotalOtherBenefits": "the total of the other benefit lines",
    "Benefits": "the benefits",
    "Costs": "the costs",
    "NetCashFlow": "the net cash flow",
}


def _check_saved(path: Path, case: core.AppraisalInputs, layout: _Layout) -> None:
    """Refuse a workbook whose saved values differ from the core's appraisal of its inputs."""
    if not any(
        isinstance(value, numbers.Real) and not isinstance(value, bool)
        for values in layout.saved.values()
        for value in values
    ):
        return  # no saved values (written by openpyxl): nothing to compare
    result = core.appraise(case)
    found = core.first_saved_difference(result, layout.saved)
    if found is None:
        return
    cell = layout.places[found.name][found.index]
    sheet = layout.sheets[found.name]
    if found.name in _FIGURE_WORDS:
        first = 1 if found.name == spec.BENEFIT_LINE_BLOCK.total_name else 0
        what = f"{_FIGURE_WORDS[found.name]} of year {first + found.index}"
        saved, computed = f"{found.saved:,.2f}", f"{found.computed:,.2f}"
    else:
        what = f"the result {found.name}"
        saved, computed = f"{found.saved:,.6g}", f"{found.computed:,.6g}"
    raise TemplateError(
        f"sheet {sheet!r}, cell {cell} ({found.name}): the workbook saved {saved} for {what}, "
        f"but its inputs give {computed}; likely a row or column inserted outside the input "
        "blocks (a cost line belongs inside the cost block, a benefit line below Other "
        "benefits) or a formula overwritten with a number; undo that edit and save the file "
        f"again, or {_FRESH}",
        path=path,
        sheet=sheet,
        cell=cell,
        name=found.name,
    )


# ---------------------------------------------------------------------------------------------
# Uncertainty: the low and high values of the Scenarios sheet


def _range_specs() -> tuple[core.InputSpec, ...]:
    """The low and high cells as inputs: each with its input's rule, blank meaning the base."""
    from dataclasses import replace

    return tuple(
        replace(spec.SPECS[item.name], name=define(item.name), hint=_range_hint(item))
        for item in spec.UNCERTAIN_INPUTS
        for define in (spec.low_name, spec.high_name)
    )


def _range_hint(item: spec.SheetInput) -> str:
    return spec.range_words(item.spec) + " (blank: the base)"


def _require_ranges(wb: Any, path: Path) -> None:
    """Refuse, in one clear message, a workbook made before the Scenarios sheet existed."""
    names = list(spec.RANGE_NAME_CELLS)
    if not any(name in wb.defined_names for name in names):
        raise TemplateError(
            "this workbook has no low and high values: it has no Scenarios sheet (the defined "
            f"names {names[0]}, {names[1]}... are missing; a template made before them); "
            f"{_FRESH}",
            path=path,
        )


def read_uncertain(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES
) -> core.UncertainInputs:
    """Read a filled template with the low and high values of its Scenarios sheet.

    The case is read as :func:`read_inputs` reads it; beside each benefit driver and cost
    line, the low and high cells (defined names ``<Name>Low`` and ``<Name>High``) give its
    range. A blank low or high cell is the base value (that cell is certain); an input
    whose low and high cells are all blank has no range.

    Returns
    -------
    UncertainInputs
        The case with its ranges (``.ranges`` is empty when no low or high is entered).

    Raises
    ------
    TemplateError
        For anything :func:`read_inputs` refuses; for a workbook without the Scenarios
        sheet's defined names; for a low or high cell that the input itself would refuse
        (text, out of range), naming the cell; and for a low above its base or a high below
        it (or a churn reduction that some mix would make larger than the churn), with the
        cells of the names involved.

    Examples
    --------
    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> read_uncertain(TEMPLATE_PATH).ranges
    {}
    """
    source = Path(path)
    case = read_inputs(source, max_bytes=max_bytes)
    cells = read_values(source, max_bytes=max_bytes, ranges=True)
    rules = {rule.name: rule for rule in _range_specs()}
    ranges: dict[str, tuple[Any, Any]] = {}
    for item in spec.UNCERTAIN_INPUTS:
        base = case.get(item.name)
        pair = []
        for define in (spec.low_name, spec.high_name):
            found = cells[define(item.name)]
            if isinstance(found, list):
                values = [_checked(cell, source, rules[cell.name]) for cell in found]
                pair.append(
                    None
                    if all(value is None for value in values)
                    else [b if v is None else v for v, b in zip(values, base, strict=True)]
                )
            else:
                pair.append(_checked(found, source, rules[found.name]))
        if pair[0] is not None or pair[1] is not None:
            ranges[item.name] = (pair[0], pair[1])
    try:
        return core.UncertainInputs(case, ranges)
    except CrmValueError as error:
        message = re.sub(r"^APPRAISAL: ", "", str(error))
        places = []
        for item in spec.UNCERTAIN_INPUTS:
            for side, define in (("low", spec.low_name), ("high", spec.high_name)):
                if re.search(rf"\b{re.escape(item.name)} {side}\b", message):
                    found = cells[define(item.name)]
                    first = found[0] if isinstance(found, list) else found
                    places.append(f"{first.name} is sheet {first.sheet!r}, cell {first.cell}")
        suffix = f" ({'; '.join(places)})" if places else ""
        raise TemplateError(message + suffix, path=source) from None
