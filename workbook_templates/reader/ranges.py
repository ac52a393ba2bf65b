"""Uncertainty: a filled template with the low and high values of its Scenarios sheet."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core

from .. import _spec as spec
from ..errors import TemplateError
from ..files import MAX_FILE_BYTES
from .cells import checked_value
from .names import range_specs
from .opening import open_template
from .reading import inputs_of, values_of

__all__ = [
    "read_uncertain",
    "uncertain_of",
]


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
    with open_template(source, max_bytes) as wb:  # one opening for the case and its ranges
        return uncertain_of(wb, source)


def uncertain_of(wb: Any, source: Path) -> core.UncertainInputs:
    """:func:`read_uncertain` of the workbook ``wb``, opened by
    :func:`~.opening.open_template` from ``source`` (one opening for every read).

    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> with open_template(TEMPLATE_PATH, MAX_FILE_BYTES) as wb:
    ...     uncertain_of(wb, TEMPLATE_PATH).ranges
    {}
    """
    case = inputs_of(wb, source)
    cells = values_of(wb, source, ranges=True)
    rules = {rule.name: rule for rule in range_specs()}
    ranges: dict[str, tuple[Any, Any]] = {}
    for item in spec.UNCERTAIN_INPUTS:
        base = case.get(item.name)
        pair = []
        for define in (spec.low_name, spec.high_name):
            found = cells[define(item.name)]
            if isinstance(found, list):
                values = [checked_value(cell, source, rules[cell.name]) for cell in found]
                pair.append(
                    None
                    if all(value is None for value in values)
                    else [b if v is None else v for v, b in zip(values, base, strict=True)]
                )
            else:
                pair.append(checked_value(found, source, rules[found.name]))
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
