"""The appraisal model as a set of uncertain inputs: what scenarios and simulations evaluate.

:func:`appraisal_problem` turns a case with low and high values
(:class:`~.ranges.UncertainInputs`) into the :class:`~._engine.Problem` that
:mod:`.scenarios` and :mod:`.simulation` evaluate in batches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .._inputs import fail
from ..cells import describe
from ._engine import Problem
from .inputs import COST_LINES, DEFINED_NAMES, FUNC
from .model import appraisal_cash_flows
from .ranges import NPV_DIRECTION, UncertainInputs

__all__ = ["appraisal_problem"]


def _check_uncertain(value: Any) -> UncertainInputs:
    if not isinstance(value, UncertainInputs):
        raise fail(
            FUNC,
            f"uncertain is {describe(value)}; give an UncertainInputs (a case with low and "
            "high values)",
        )
    return value


def appraisal_problem(uncertain: UncertainInputs) -> Problem:
    """The appraisal model of a case with ranges as a :class:`~._engine.Problem`.

    Each input with a range is one uncertain input (a row input's years after the
    horizon stay certain); ``flows`` runs :func:`~.model.appraisal_cash_flows` on a batch
    of their values and cuts the rows to years 0..horizon.

    >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
    >>> problem = appraisal_problem(UncertainInputs(demo_case(), {"HourlyCost": (50, 70)}))
    >>> problem.names, problem.direction, problem.correlated
    (('HourlyCost',), (1,), (True,))
    """
    uncertain = _check_uncertain(uncertain)
    case = uncertain.case
    g = case.general
    horizon = g.horizon_years
    fixed = case.driver_arrays()
    cost_rows = {line: np.asarray(getattr(case.costs, line), dtype=float) for line in COST_LINES}
    added_costs = case.costs.added_total  # the added cost lines are certain
    lows, bases, highs = [], [], []
    for item in uncertain.ranges.values():
        low, base, high = (np.asarray(v, dtype=float) for v in (item.low, item.base, item.high))
        if low.ndim:  # a row: the years after the horizon do not count, keep them certain
            outside = item.spec.first_year + np.arange(item.spec.cells) > horizon
            low, high = np.where(outside, base, low), np.where(outside, base, high)
        lows.append(low)
        bases.append(base)
        highs.append(high)
    shape_of = (horizon + 1,)

    def flows(values: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        kwargs = dict(fixed)
        lines = dict(cost_rows)
        for name, value in values.items():
            part, attribute = DEFINED_NAMES[name].split(".")
            if part == "costs":
                lines[attribute] = value
            elif attribute == "other_benefits":
                kwargs[attribute] = value + case.benefits.added_other_benefits
            else:
                kwargs[attribute] = value
        # The cost lines are summed in one fixed order for every case and draw, so that
        # the same inputs always give the same total, bit for bit.
        total = lines[COST_LINES[0]]
        for line in COST_LINES[1:]:
            total = total + lines[line]
        kwargs["costs"] = total + added_costs
        rows = appraisal_cash_flows(**kwargs)
        shape = (n, *shape_of)
        return (
            np.broadcast_to(rows.within_horizon(rows.benefits), shape),
            np.broadcast_to(rows.within_horizon(rows.costs), shape),
        )

    names = uncertain.names
    return Problem(
        func=FUNC,
        names=names,
        labels=tuple(uncertain.ranges[name].spec.label for name in names),
        low=tuple(lows),
        base=tuple(bases),
        high=tuple(highs),
        direction=tuple(NPV_DIRECTION[name] for name in names),
        correlated=tuple(DEFINED_NAMES[name].startswith("benefits.") for name in names),
        rate=g.discount_rate,
        finance_rate=g.effective_finance_rate,
        reinvest_rate=g.effective_reinvest_rate,
        flows=flows,
    )
