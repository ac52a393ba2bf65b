"""Build the whole template: every sheet in order, the document properties, the bytes.

:func:`build_workbook` makes the workbook in memory, :func:`build_bytes` serialises it
deterministically and :func:`write_template` writes it (by default over the packaged
``crm_appraisal.xlsx``); :func:`main` is ``python -m workbook_templates.builder``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .. import _spec as spec
from ..files import TEMPLATE_PATH, TEMPLATE_PATHS, write_atomically
from ..language import check_language, translate_workbook
from ..serialise import BUILD_TIMESTAMP, workbook_bytes
from . import (
    calculation_sheet,
    conf_sheet,
    customers_sheet,
    inputs_sheet,
    results_sheet,
    scenarios_sheet,
    start_sheet,
)
from .styles import input_style

__all__ = ["SHEET_BUILDERS", "build_bytes", "build_workbook", "main", "write_template"]

#: Each sheet of the template with the function that fills it, in the order they are built
#: (the Results sheet's charts need the Calculation sheet).
SHEET_BUILDERS: tuple[tuple[str, Callable[[Workbook, Worksheet], None]], ...] = (
    (spec.SHEET_START, start_sheet.build),
    (spec.SHEET_INPUTS, inputs_sheet.build),
    (spec.SHEET_CALC, calculation_sheet.build),
    (spec.SHEET_RESULTS, results_sheet.build),
    (spec.SHEET_SCENARIOS, scenarios_sheet.build),
    (spec.SHEET_CUSTOMERS, customers_sheet.build),
    (spec.SHEET_CONF, conf_sheet.build),
)


#: The currency a template in a language other than English starts with.
DEFAULT_CURRENCY = {"zh-CN": "CNY"}


def build_workbook(language: str = "en") -> Workbook:
    """Build the template in memory: every sheet, defined name, style, validation and chart.

    :func:`build_bytes` serialises it; the committed ``crm_appraisal.xlsx`` is those bytes.
    ``language`` (``"en"``, ``"zh-CN"``): the language of every text; the workbook is
    otherwise the same (:mod:`workbook_templates.language`), apart from the currency it
    starts with (:data:`DEFAULT_CURRENCY`: yuan in Chinese).
    """
    check_language(language)
    wb = Workbook()
    wb.add_named_style(input_style())
    wb.active.title = spec.SHEET_START
    for name in spec.SHEETS[1:]:
        wb.create_sheet(name)
    for name, build in SHEET_BUILDERS:
        build(wb, wb[name])
    if language != "en":
        start = wb[spec.SHEET_START]
        for row in start.iter_rows(min_row=3):
            for cell in row:
                cell.value = None
                cell.style = "Normal"
        start_sheet.build(wb, start, language)
    wb.active = 0
    props = wb.properties
    props.creator = "crmvalue"
    props.lastModifiedBy = "crmvalue"
    props.title = "CRM investment appraisal"
    props.created = BUILD_TIMESTAMP
    props.modified = BUILD_TIMESTAMP
    translate_workbook(wb, language)
    if language in DEFAULT_CURRENCY:  # the currency its users work in, instead of EUR
        sheet, reference = next(iter(wb.defined_names["Currency"].destinations))
        wb[sheet][reference.replace("$", "")] = DEFAULT_CURRENCY[language]
    return wb


def build_bytes(language: str = "en") -> bytes:
    """The template in ``language`` as xlsx bytes: the same bytes on every call."""
    return workbook_bytes(build_workbook(language))


def write_template(
    path: str | os.PathLike[str] = TEMPLATE_PATH, *, force: bool = True, language: str = "en"
) -> Path:
    """Build the template in ``language`` and write it to ``path`` (default: the packaged
    English template).

    With ``force=False`` an existing file is kept and a
    :class:`~workbook_templates.errors.FileError` raised (what ``crmvalue new`` does without
    ``--force``).
    """
    return write_atomically(path, build_bytes(language), force=force)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m workbook_templates.builder [--out PATH]``: regenerate the packaged
    template of every language (:data:`~workbook_templates.files.TEMPLATE_PATHS`), or write
    the English one to ``PATH``."""
    parser = argparse.ArgumentParser(
        prog="python -m workbook_templates.builder",
        description="Build the CRM appraisal template workbook.",
    )
    parser.add_argument(
        "--out", help="write the English template there (default: regenerate the packaged ones)"
    )
    args = parser.parse_args(argv)
    if args.out is not None:
        print(f"wrote {write_template(args.out)}")
        return 0
    for language, path in TEMPLATE_PATHS.items():
        print(f"wrote {write_template(path, language=language)}")
    return 0
