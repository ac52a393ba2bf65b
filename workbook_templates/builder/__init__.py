"""Build the CRM appraisal template workbook (``crm_appraisal.xlsx``) with openpyxl.

The template is the product: finance staff fill the yellow input cells of the Inputs sheet;
the Calculation sheet computes the model of docs/template.md year by year in plain formulas
that reference the defined names; the Results sheet shows every metric as a native formula
that any Excel computes, with the crmvalue add-in function beside it as a cross-check
("add-in not enabled" until the functions are there) and whether they agree. No number of
the model is computed here: the workbook's formulas compute them, and
:mod:`crmvalue_core.appraisal` computes the same numbers in Python. What each input is and
accepts comes from :data:`crmvalue_core.appraisal.INPUTS`.

The build is deterministic (fixed document timestamps, fixed zip member dates; see
:mod:`workbook_templates.serialise`), so a test can assert that the committed
``crm_appraisal.xlsx`` is what this package makes. Regenerate it with::

    python -m workbook_templates.builder            # writes workbook_templates/crm_appraisal.xlsx
    python -m workbook_templates.builder --out X.xlsx

The package, one module per sheet:

* :mod:`.template`: :func:`build_workbook`, :func:`build_bytes`, :func:`write_template`,
  :func:`main` (and ``__main__``);
* :mod:`.layout`: where things are (rows, columns; year t in column C + t, C = year 0 ..
  M = year 10) and the shapes of the sheets' plans;
* :mod:`.styles`, :mod:`.parts`, :mod:`.validation`: the looks, the small parts every sheet
  is made of, and the data validation of input cells;
* :mod:`.start_sheet`, :mod:`.inputs_sheet`, :mod:`.calculation_sheet`,
  :mod:`.results_sheet`, :mod:`.scenarios_sheet`, :mod:`.customers_sheet`,
  :mod:`.conf_sheet`: the sheets.
"""

from __future__ import annotations

from ..files import TEMPLATE_PATH
from ..serialise import BUILD_TIMESTAMP, workbook_bytes
from .calculation_sheet import CALCULATION_CELLS, CALCULATION_ROWS
from .layout import (
    CALC_YEAR_ROW,
    CUSTOMER_TABLE_ROWS,
    RANGE_ROW_BLOCKS,
    RANGE_ROWS,
    RESULT_ROWS,
    RESULTS_DRIVER_ROWS,
    SCENARIO_MODEL_ROWS,
    SCENARIO_NPV_COLUMN,
    SCENARIO_ROWS,
    SENSITIVITY_ROWS,
    YEAR_COLUMNS,
)
from .styles import INPUT_STYLE
from .template import build_bytes, build_workbook, main, write_template

__all__ = [
    "BUILD_TIMESTAMP",
    "CALCULATION_CELLS",
    "CALCULATION_ROWS",
    "CALC_YEAR_ROW",
    "CUSTOMER_TABLE_ROWS",
    "INPUT_STYLE",
    "RANGE_ROWS",
    "RANGE_ROW_BLOCKS",
    "RESULTS_DRIVER_ROWS",
    "RESULT_ROWS",
    "SCENARIO_MODEL_ROWS",
    "SCENARIO_NPV_COLUMN",
    "SCENARIO_ROWS",
    "SENSITIVITY_ROWS",
    "TEMPLATE_PATH",
    "YEAR_COLUMNS",
    "build_bytes",
    "build_workbook",
    "main",
    "workbook_bytes",
    "write_template",
]
