"""The results workbook of ``crmvalue appraise --out``, also printed to PDF by ``--pdf``.

A record a committee can check the case from: values and charts, no formulas, on one
printed sheet, Results:

1. the case (name, currency, first year, horizon), every general assumption (discount,
   finance and reinvestment rates, risk adjustment, contingency), the input file's name
   and SHA-256, the date and crmvalue's version; the benefit drivers' inputs with their
   units; the metrics (n/a with the reason where one is undefined); the PV of each driver;
   the warnings, announced in red under the title;
2. the year-by-year table with the labels and units of the workbook's Calculation sheet;
3. two charts (cumulative discounted net cash flow; benefits and costs per year);
4. with ``--simulate``: the scenario table, the tornado table and chart, the Monte Carlo
   summary and the histogram of the NPV (their chart data on the sheet Chart data).

Laid out for paper: A4 landscape, fit to the page width (the year table to year 10 on
one page width), each part from a new page, the title and the year header repeated on
every page, "Page n of m" in the footer. Labels, units and number formats are those of
the template (:data:`crmvalue_core.appraisal.input_table.INPUTS`, the Calculation
sheet); every number comes from the core, this package only lays it out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from crmvalue_core.appraisal import AppraisalResult, PlausibilityWarning

from ..files import write_atomically
from ..language import translate_workbook
from ..serialise import workbook_bytes
from ._case import Provenance, write_case
from ._sheet import FIRST_VALUE_COLUMN, SheetWriter, sign_amounts
from ._uncertainty import UncertaintyReport, write_uncertainty
from ._years import write_charts, write_year_table

__all__ = [
    "Provenance",
    "UncertaintyReport",
    "results_workbook",
    "write_results_workbook",
]

#: The printed sheet, and the sheet of the uncertainty charts' data.
RESULTS_SHEET = "Results"
CHART_DATA_SHEET = "Chart data"


def _footer_text(value: str) -> str:
    """``value`` for a header or footer, where ``&`` starts a code."""
    return value.replace("&", "&&")


def results_workbook(
    result: AppraisalResult,
    warnings: Sequence[PlausibilityWarning] = (),
    *,
    provenance: Provenance | None = None,
    uncertainty: UncertaintyReport | None = None,
    language: str = "en",
) -> Workbook:
    """Lay out ``result`` as the results workbook (see the module's description).

    ``warnings`` (:func:`crmvalue_core.appraisal.plausibility_warnings`, located by the
    command) change no number; ``provenance`` names the input file, the date and the
    version; ``uncertainty`` adds the pages of ``--simulate``; ``language`` (``"en"``,
    ``"zh-CN"``: that of the input workbook) the words
    (:func:`workbook_templates.language.translate_workbook`; the warnings stay English).

    Example: ``results_workbook(appraise(demo_case()))["Results"]["A1"].value`` is
    ``"CRM appraisal: Nordwerk Industrial Supply: cloud CRM"``.
    """
    general = result.inputs.general
    wb = Workbook()
    ws = wb.active
    ws.title = RESULTS_SHEET
    # The printed columns: the years of the case, at least those of the uncertainty tables.
    last = max(FIRST_VALUE_COLUMN + general.horizon_years, 10 if uncertainty else 8)
    w = SheetWriter(ws, last_column=last)
    write_case(w, result, provenance, warnings)
    w.page_break()
    rows = write_year_table(w, result)
    w.page_break()
    write_charts(w, result, rows)
    if uncertainty is not None:
        data = wb.create_sheet(CHART_DATA_SHEET)
        write_uncertainty(
            w, data, uncertainty, general.currency, general.horizon_years, general.first_year
        )
        data.column_dimensions["A"].width = 46
        for column in ("B", "C"):
            data.column_dimensions[column].width = 18
    w.set_widths()
    for sheet in wb.worksheets:
        sign_amounts(sheet, general.currency)

    ws.print_area = f"A1:{get_column_letter(last)}{w.row}"
    ws.print_title_rows = "1:2"  # the title of the case on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.footer = 0.3
    case = _footer_text(general.case_name or "(unnamed case)")
    ws.oddFooter.left.text = f"CRM appraisal: {case}"
    ws.oddFooter.center.text = "Page &P of &N"
    if provenance is not None:
        ws.oddFooter.right.text = _footer_text(
            f"{provenance.name}, {provenance.date}, crmvalue {provenance.version}"
        )
    translate_workbook(wb, language)
    return wb


def write_results_workbook(
    result: AppraisalResult,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    warnings: Sequence[PlausibilityWarning] = (),
    provenance: Provenance | None = None,
    uncertainty: UncertaintyReport | None = None,
    language: str = "en",
) -> Path:
    """Write the results workbook of ``result`` to ``path`` (temp file, then rename).

    An existing ``path`` is kept unless ``force=True``
    (:class:`~workbook_templates.errors.FileError` otherwise).
    """
    workbook = results_workbook(
        result, warnings, provenance=provenance, uncertainty=uncertainty, language=language
    )
    return write_atomically(path, workbook_bytes(workbook), force=force)
