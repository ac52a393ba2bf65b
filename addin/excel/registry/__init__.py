"""The one registry of crmvalue's Excel functions.

Every Excel function of the add-in is described here once: its name, its arguments (with
help text, the kind of value each takes and, for an optional one, what leaving it out
means), a description, the Excel category, examples and the ``crmvalue_core`` function it
wraps. Everything else is read from this registry, so the pieces cannot drift apart:

* :mod:`addin.udfs` builds its xlwings decorators from it (the docstring Excel shows, the
  argument help, which arguments are ranges);
* ``crmvalue functions`` lists the functions and prints their help from it;
* ``tools/make_docs.py`` writes ``docs/functions.md`` from it;
* :mod:`addin.libreoffice.binding` binds the functions into LibreOffice from it;
* the tests run every example through the UDF layer.

The package follows the calculator: the Excel entries of the functions of
``crmvalue_core.discounting`` are in :mod:`.discounting`, those of
``crmvalue_core.survey_metrics`` in :mod:`.survey_metrics`, and so on (the uncertainty
functions of ``crmvalue_core.appraisal.adhoc`` in :mod:`.appraisal`). :mod:`.model` holds
what a function, an argument and an example are; :mod:`.arguments` the arguments several
sections share; :mod:`.formulas` reads the example formulas.

The catalogue (the agreed list of functions, documented in ``docs/functions.md``) is the
contract: names, argument names and their order are those of its headings. Examples
marked ``catalogue`` are copied from it; the others were worked out by hand from the
catalogue's formulas (or taken from Excel's documentation for XNPV/XIRR) and say so in
``source``. Sections whose name ends with ``(extension)`` go beyond the catalogue and are
documented in their own page of ``docs/``.
"""

from __future__ import annotations

from . import (
    appraisal,
    baseline,
    cohort_retention,
    customer_counts,
    discounting,
    investment,
    lifetime_value,
    purchase_history,
    segmentation,
    survey_metrics,
)
from .formulas import OMITTED, Reference, XlError, parse_formula
from .model import (
    CATEGORY,
    CLASSIFICATION,
    COHORT,
    COLUMN,
    EXCEL_DOC_LIMIT,
    EXTENSION_MARK,
    INVESTMENT,
    KINDS,
    LIFETIME,
    METRICS,
    NUMBER,
    PURCHASE_HISTORY,
    RANGE,
    RETURNS,
    RETURNS_IN_WORDS,
    ROW,
    TABLE,
    TEXT,
    UNCERTAINTY,
    VALUE,
    Argument,
    Example,
    ExcelFunction,
)

__all__ = [
    "CATEGORY",
    "CLASSIFICATION",
    "COHORT",
    "COLUMN",
    "EXCEL_DOC_LIMIT",
    "EXTENSION_MARK",
    "FUNCTIONS",
    "INVESTMENT",
    "KINDS",
    "LIFETIME",
    "METRICS",
    "NUMBER",
    "OMITTED",
    "PURCHASE_HISTORY",
    "RANGE",
    "REGISTRY",
    "RETURNS",
    "RETURNS_IN_WORDS",
    "ROW",
    "SECTIONS",
    "TABLE",
    "TEXT",
    "UNCERTAINTY",
    "VALUE",
    "Argument",
    "Example",
    "ExcelFunction",
    "Reference",
    "XlError",
    "find",
    "parse_formula",
]

#: Every Excel function, in catalogue order: section by section, as the docs list them.
FUNCTIONS: tuple[ExcelFunction, ...] = (
    *discounting.FUNCTIONS,
    *investment.FUNCTIONS,
    *lifetime_value.FUNCTIONS,
    *survey_metrics.FUNCTIONS,
    *customer_counts.FUNCTIONS,
    *segmentation.FUNCTIONS,
    *cohort_retention.FUNCTIONS,
    *appraisal.FUNCTIONS,
    *purchase_history.FUNCTIONS,
    *baseline.FUNCTIONS,
)

#: The functions by Excel name.
REGISTRY: dict[str, ExcelFunction] = {function.name: function for function in FUNCTIONS}

#: The sections in catalogue order.
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(function.section for function in FUNCTIONS))


def find(name: str) -> ExcelFunction | None:
    """The function called ``name`` (any case, with or without ``=`` and brackets), or None."""
    key = name.strip().lstrip("=").split("(")[0].strip().upper()
    return REGISTRY.get(key)
