"""CRM_SCENARIO, CRM_SENSITIVITY and CRM_SIMULATE: uncertainty for cash-flow rows in a sheet.

For ad-hoc use in Excel, without the template: the user has benefits and costs per period
(period 0 = today, not discounted), each with a low and a high row beside the base row.
A range of several rows holds several lines (one benefit or cost line per row, one
period per column), and each line is one uncertain input: all its periods move together
(in a draw, every period sits at the same quantile of its own range).

Conventions shared by the three functions:

* ``*_low`` and ``*_high`` have the shape of ``*_base``; a blank cell (or an omitted
  range) means "as the base": that cell is certain. Low <= base <= high, cell by cell.
* Costs are positive amounts; omit the three cost ranges when the benefits are net flows.
* Higher benefits raise the NPV and higher costs lower it, so the pessimistic scenario
  takes benefits low and costs high, the optimistic one the reverse; "All low" and
  "All high" take every range as entered.
* An undefined metric (an IRR that does not exist, a payback not reached) shows "n/a".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .._inputs import as_number, as_values, fail, first_true, is_omitted, to_array
from ..cells import RATE_HINT, is_blank
from ._engine import (
    SIMULATED,
    Problem,
    check_correlation,
    check_distribution,
    check_draws,
    check_seed,
    scenario_frame,
    sensitivity_frame,
    simulate_arrays,
    summary_frame,
)
from .labels import SCENARIO_LABELS

__all__ = ["crm_scenario", "crm_sensitivity", "crm_simulate"]

#: The seed CRM_SIMULATE uses when none is given, so that a sheet shows the same numbers
#: at every recalculation.
DEFAULT_SEED = 0

_METRIC_LABELS = {"npv": "NPV", "irr": "IRR", "payback": "Payback"}


def _as_lines(func: str, name: str, array: np.ndarray) -> np.ndarray:
    """A range as (lines, periods): one row or column is one line, a table one per row."""
    if array.ndim == 0:
        return array.reshape(1, 1)
    if array.ndim == 1 or (array.ndim == 2 and 1 in array.shape):
        return array.reshape(1, -1)
    if array.ndim == 2:
        return array
    raise fail(func, f"{name} has {array.ndim} dimensions; give a row, a column or a table")


def _where(name: str, index: tuple[int, ...], one_d: bool) -> str:
    if one_d:
        return f"{name} item {index[1] + 1}"
    return f"{name} row {index[0] + 1}, column {index[1] + 1}"


def _shape_words(shape: tuple[int, ...]) -> str:
    if shape[0] == 1:
        return f"1 row of {shape[1]} values"
    return f"{shape[0]} rows and {shape[1]} columns"


def _read_group(
    func: str, word: str, low: Any, base: Any, high: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(low, base, high) of the benefits or the costs as (lines, periods), checked."""
    names = {side: f"{word}_{side}" for side in ("low", "base", "high")}
    if is_omitted(base):
        if not (is_omitted(low) and is_omitted(high)):
            raise fail(
                func,
                f"{names['base']} is blank but {names['low']} or {names['high']} is given; "
                f"give {names['base']} too, or leave out all three",
            )
        return None
    raw_base = as_values(func, names["base"], base, blank="zero")
    one_d = raw_base.ndim <= 1 or 1 in raw_base.shape
    base_lines = _as_lines(func, names["base"], raw_base)
    bounds = []
    for side, values in (("low", low), ("high", high)):
        name = names[side]
        if is_omitted(values):
            bounds.append(base_lines.copy())
            continue
        raw = to_array(func, name, values)
        blank = (
            np.vectorize(is_blank, otypes=[bool])(raw)
            if raw.dtype == object and raw.size
            else np.zeros(raw.shape, dtype=bool)
        )
        lines = _as_lines(func, name, as_values(func, name, values, blank="zero"))
        if lines.shape != base_lines.shape:
            raise fail(
                func,
                f"{name} has {_shape_words(lines.shape)} but {names['base']} has "
                f"{_shape_words(base_lines.shape)}; give the low, base and high ranges the "
                "same size",
            )
        bounds.append(np.where(_as_lines(func, name, blank), base_lines, lines))
    low_lines, high_lines = bounds
    for side, lines, bad, word_, fix in (
        ("low", low_lines, low_lines > base_lines, "above", "at most"),
        ("high", high_lines, high_lines < base_lines, "below", "at least"),
    ):
        if bad.any():
            index = first_true(bad)
            where = _where(names[side], index, one_d)
            raise fail(
                func,
                f"{where} is {lines[index]:g}, {word_} the base {base_lines[index]:g}; enter "
                f"a {side} value {fix} the base (or leave the cell blank: no uncertainty)",
            )
    return low_lines, base_lines, high_lines


def _labels(func: str, labels: Any, benefit_lines: int, cost_lines: int) -> list[str]:
    if is_omitted(labels):
        names = (
            ["Benefits"]
            if benefit_lines == 1
            else [f"Benefits {i + 1}" for i in range(benefit_lines)]
        )
        if cost_lines:
            names += ["Costs"] if cost_lines == 1 else [f"Costs {i + 1}" for i in range(cost_lines)]
        return names
    items = to_array(func, "labels", labels).reshape(-1).tolist()
    if len(items) != benefit_lines + cost_lines:
        raise fail(
            func,
            f"labels has {len(items)} values but there are {benefit_lines} benefit and "
            f"{cost_lines} cost rows; give one label per row, benefits first",
        )
    return [
        str(item).strip() if not is_blank(item) else f"Row {i + 1}" for i, item in enumerate(items)
    ]


def _problem(
    func: str,
    rate: Any,
    benefits_low: Any,
    benefits_base: Any,
    benefits_high: Any,
    costs_low: Any,
    costs_base: Any,
    costs_high: Any,
    labels: Any = None,
) -> Problem:
    r = as_number(func, "rate", rate, above=-1.0, hint=RATE_HINT)
    if is_omitted(benefits_base):
        raise fail(func, "benefits_base is blank; give the base benefits, one value per period")
    benefits = _read_group(func, "benefits", benefits_low, benefits_base, benefits_high)
    costs = _read_group(func, "costs", costs_low, costs_base, costs_high)
    assert benefits is not None
    periods = benefits[1].shape[1]
    if costs is not None and costs[1].shape[1] != periods:
        raise fail(
            func,
            f"benefits_base has {periods} periods but costs_base has {costs[1].shape[1]}; "
            "give benefits and costs for the same periods",
        )
    groups = [("b", benefits, 1, True)]
    if costs is not None:
        groups.append(("c", costs, -1, False))
    keys: list[str] = []
    lows: list[np.ndarray] = []
    bases: list[np.ndarray] = []
    highs: list[np.ndarray] = []
    direction: list[int] = []
    correlated: list[bool] = []
    for prefix, (low, base, high), sign, group in groups:
        for i in range(base.shape[0]):
            keys.append(f"{prefix}{i}")
            lows.append(low[i])
            bases.append(base[i])
            highs.append(high[i])
            direction.append(sign)
            correlated.append(group)
    benefit_keys = [k for k in keys if k.startswith("b")]
    cost_keys = [k for k in keys if k.startswith("c")]
    names = _labels(func, labels, len(benefit_keys), len(cost_keys))

    def flows(values: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        def total(group: list[str]) -> np.ndarray:
            if not group:
                return np.zeros((n, periods))
            result = values[group[0]]
            for key in group[1:]:
                result = result + values[key]
            return np.broadcast_to(result, (n, periods))

        return total(benefit_keys), total(cost_keys)

    return Problem(
        func=func,
        names=tuple(keys),
        labels=tuple(names),
        low=tuple(lows),
        base=tuple(bases),
        high=tuple(highs),
        direction=tuple(direction),
        correlated=tuple(correlated),
        rate=r,
        finance_rate=r,
        reinvest_rate=r,
        flows=flows,
    )


def _cell(value: float) -> float | str:
    return "n/a" if not np.isfinite(value) else float(value)


def crm_scenario(
    rate: float,
    benefits_low: ArrayLike | None,
    benefits_base: ArrayLike,
    benefits_high: ArrayLike | None,
    costs_low: ArrayLike | None = None,
    costs_base: ArrayLike | None = None,
    costs_high: ArrayLike | None = None,
) -> list[list[str | float]]:
    """Scenario table of a CRM investment with low, base and high cash flows (CRM_SCENARIO).

    Parameters
    ----------
    rate : float
        Discount rate per period as a decimal, above -1 (10% = 0.1).
    benefits_low, benefits_base, benefits_high : range
        Benefits per period 0..n-1: one row (or column), or a table with one benefit line
        per row. Low and high have the shape of the base; blank cells (or an omitted
        range) are as the base.
    costs_low, costs_base, costs_high : range, optional
        Costs as positive amounts, laid out like the benefits, same number of periods.
        Omit all three when the benefits are net cash flows.

    Returns
    -------
    list of lists
        A header ``["Scenario", "NPV", "IRR", "Payback"]`` and five rows: Pessimistic
        (benefits low, costs high), All low, Base, All high, Optimistic (benefits high,
        costs low). "n/a" where a metric is undefined.

    Raises
    ------
    CrmValueError
        ``CRM_SCENARIO: ...`` for a rate at or below -100%, text or error values in a
        range, ranges of different sizes, or a low value above its base or a high value
        below it (the message names the cell).

    Notes
    -----
    NPV = sum_t (b_t - c_t) / (1 + r)^t over the periods (NPV_CRM), IRR as IRR_CRM,
    payback as PAYBACK, for the benefits and costs of each scenario: each line on the
    side the scenario names. The NPV of the pessimistic row is the lowest any mix of
    the lines' low, base and high values gives, the optimistic one the highest.

    Examples
    --------
    >>> table = crm_scenario(0.10, [0, 40, 50], [0, 60, 60], [0, 70, 80],
    ...                      [90, 0, 0], [100, 0, 0], [130, 0, 0])
    >>> for row in table:
    ...     print([v if isinstance(v, str) else round(v, 4) for v in row])
    ['Scenario', 'NPV', 'IRR', 'Payback']
    ['Pessimistic', -52.314, -0.2072, 'n/a']
    ['All low', -12.314, 0.0, 2.0]
    ['Base', 4.1322, 0.1307, 1.6667]
    ['All high', -0.2479, 0.0986, 1.75]
    ['Optimistic', 39.7521, 0.4088, 1.25]
    """
    func = "CRM_SCENARIO"
    problem = _problem(
        func, rate, benefits_low, benefits_base, benefits_high, costs_low, costs_base, costs_high
    )
    frame = scenario_frame(problem, None)
    table: list[list[str | float]] = [["Scenario", "NPV", "IRR", "Payback"]]
    for key, scenario in SCENARIO_LABELS.items():
        label = scenario.label
        row = frame.loc[key]
        table.append([label, _cell(row["npv"]), _cell(row["irr"]), _cell(row["payback"])])
    return table


def crm_sensitivity(
    rate: float,
    benefits_low: ArrayLike | None,
    benefits_base: ArrayLike,
    benefits_high: ArrayLike | None,
    costs_low: ArrayLike | None = None,
    costs_base: ArrayLike | None = None,
    costs_high: ArrayLike | None = None,
    labels: ArrayLike | None = None,
) -> list[list[str | float]]:
    """Tornado table: the NPV with each line at its low and high value (CRM_SENSITIVITY).

    Parameters
    ----------
    rate : float
        Discount rate per period as a decimal, above -1.
    benefits_low, benefits_base, benefits_high : range
        Benefits per period; a table holds one benefit line per row (see
        :func:`crm_scenario`).
    costs_low, costs_base, costs_high : range, optional
        Costs per period, laid out like the benefits.
    labels : range, optional
        One name per line, benefit lines first, then cost lines. Omitted: "Benefits",
        "Costs" (or "Benefits 1", "Benefits 2", ... for several lines).

    Returns
    -------
    list of lists
        A header ``["Input", "NPV at low", "NPV at high", "Swing"]`` and one row per
        line, largest swing first (ties in the order given).

    Raises
    ------
    CrmValueError
        ``CRM_SENSITIVITY: ...`` for bad ranges (as :func:`crm_scenario`) or a number of
        labels that does not match the lines.

    Notes
    -----
    For line i: NPV with line i at its low (high) row and every other line at base;
    swing = \\|NPV_high - NPV_low\\|, the one-way sensitivity of a tornado diagram
    (Clemen & Reilly, *Making Hard Decisions*, ch. 5).

    Examples
    --------
    >>> table = crm_sensitivity(0.10, [[0, 40, 50], [0, 5, 5]], [[0, 60, 60], [0, 10, 10]],
    ...                         [[0, 70, 80], [0, 12, 15]], None, [100, 0, 0], [130, 0, 0],
    ...                         labels=["Retention", "Service", "Licences"])
    >>> table[0]
    ['Input', 'NPV at low', 'NPV at high', 'Swing']
    >>> for row in table[1:]:
    ...     print([row[0]] + [round(v, 2) for v in row[1:]])
    ['Retention', -4.96, 47.11, 52.07]
    ['Licences', 21.49, -8.51, 30.0]
    ['Service', 12.81, 27.44, 14.63]
    """
    func = "CRM_SENSITIVITY"
    problem = _problem(
        func,
        rate,
        benefits_low,
        benefits_base,
        benefits_high,
        costs_low,
        costs_base,
        costs_high,
        labels,
    )
    frame = sensitivity_frame(problem)
    table: list[list[str | float]] = [["Input", "NPV at low", "NPV at high", "Swing"]]
    for _, row in frame.iterrows():
        table.append(
            [row["label"], _cell(row["npv_low"]), _cell(row["npv_high"]), _cell(row["swing"])]
        )
    return table


def crm_simulate(
    rate: float,
    benefits_low: ArrayLike | None,
    benefits_base: ArrayLike,
    benefits_high: ArrayLike | None,
    costs_low: ArrayLike | None,
    costs_base: ArrayLike | None,
    costs_high: ArrayLike | None,
    draws: int,
    seed: int | None = None,
    distribution: str | None = None,
    correlation: float | None = None,
) -> list[list[str | float]]:
    """Monte Carlo summary of a CRM investment's NPV, IRR and payback (CRM_SIMULATE).

    Parameters
    ----------
    rate : float
        Discount rate per period as a decimal, above -1.
    benefits_low, benefits_base, benefits_high : range
        Benefits per period; a table holds one benefit line per row (see
        :func:`crm_scenario`).
    costs_low, costs_base, costs_high : range or blank
        Costs per period, laid out like the benefits; leave all three blank when the
        benefits are net cash flows.
    draws : int
        Number of draws, 1..10,000,000 (10,000 is plenty for a sheet).
    seed : int, optional
        A whole number >= 0. Omitted: 0, so that the sheet shows the same numbers at
        every recalculation; change it to see how much the figures move by chance.
    distribution : {"PERT", "triangular"}, optional
        Each line's distribution between low and high, the base most likely (default
        PERT).
    correlation : float, optional
        Correlation between the benefit lines, 0..1 (default 0): how much the benefits
        turn out well or badly together. Cost lines are independent.

    Returns
    -------
    list of lists
        A header ``["Metric", "Mean", "P10", "P50", "P90", "P(<0)", "Defined"]`` and
        rows NPV, IRR, Payback: mean and percentiles over the draws where the metric is
        defined, the share of them below 0 (for the NPV: the probability that the case
        loses value) and the share of draws where it is defined (for the payback: the
        probability of paying back within the periods). "n/a" where no draw defines it.

    Raises
    ------
    CrmValueError
        ``CRM_SIMULATE: ...`` for bad ranges (as :func:`crm_scenario`), draws outside
        1..10,000,000, a negative seed, an unknown distribution or a correlation outside
        [0, 1].

    Notes
    -----
    Each line is drawn from a PERT (Malcolm et al., 1959; lambda = 4) or triangular
    distribution between its low and high row, all its periods at one quantile; the
    benefit lines are linked by a Gaussian copula with the given correlation. See
    :func:`~crmvalue_core.appraisal.simulate` for the formulas; the draws are
    evaluated together, not one by one.

    Examples
    --------
    >>> table = crm_simulate(0.10, [0, 40, 50], [0, 60, 60], [0, 70, 80],
    ...                      [90, 0, 0], [100, 0, 0], [130, 0, 0], 5000)
    >>> table[0]
    ['Metric', 'Mean', 'P10', 'P50', 'P90', 'P(<0)', 'Defined']
    >>> [row[0] for row in table[1:]]
    ['NPV', 'IRR', 'Payback']
    >>> [round(v, 1) for v in table[1][1:5]]  # NPV: mean, P10, P50, P90
    [0.7, -15.1, 0.9, 16.0]
    """
    func = "CRM_SIMULATE"
    problem = _problem(
        func, rate, benefits_low, benefits_base, benefits_high, costs_low, costs_base, costs_high
    )
    count = check_draws(func, draws)
    chosen = check_seed(func, DEFAULT_SEED if is_omitted(seed) else seed)
    kind = check_distribution(func, "pert" if is_omitted(distribution) else distribution)
    rho = check_correlation(func, 0.0 if is_omitted(correlation) else correlation)
    found, _ = simulate_arrays(problem, count, chosen, kind, rho, SIMULATED)
    frame = summary_frame(found, (0.1, 0.5, 0.9))
    table: list[list[str | float]] = [["Metric", "Mean", "P10", "P50", "P90", "P(<0)", "Defined"]]
    for key, label in _METRIC_LABELS.items():
        row = frame.loc[key]
        table.append(
            [label]
            + [_cell(row[c]) for c in ("mean", "p10", "p50", "p90", "p_negative", "defined")]
        )
    return table
