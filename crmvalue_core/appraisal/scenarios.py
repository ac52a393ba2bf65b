"""Scenarios and one-at-a-time sensitivity of the appraisal (the data of a tornado chart).

Scenario names
--------------
``"base"``
    Every input at its base value: the case as appraised.
``"pessimistic"`` / ``"optimistic"``
    Every uncertain input on its worse / better side for the NPV: benefit drivers low and
    costs high (the baseline churn high), and the reverse. The model's NPV is monotone in
    each input, so these are the lowest and the highest NPV any mix of low, base and high
    values can give.
``"all_low"`` / ``"all_high"``
    Every uncertain input at its low / high value as entered (costs too), for users who
    think of the columns of their sheet rather than of good and bad news.

A named mix ``{defined name: "low" | "base" | "high"}`` puts the inputs it names on those
sides and leaves the others at base.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .._inputs import fail
from ..cells import describe
from ._engine import SCENARIOS, check_mix, scenario_frame, sensitivity_frame, standard_choices
from ._model_problem import appraisal_problem
from .inputs import FUNC, AppraisalInputs
from .ranges import UncertainInputs

__all__ = ["SCENARIOS", "scenario_case", "scenarios", "sensitivity"]


def _scenario_name(value: str) -> str | None:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in SCENARIOS else None


def scenario_case(uncertain: UncertainInputs, scenario: str | Mapping[str, str]) -> AppraisalInputs:
    """The case of one scenario, to appraise, fill into the template or show.

    Parameters
    ----------
    uncertain : UncertainInputs
        The case with its low and high values.
    scenario : str or mapping of str to str
        A standard scenario (:data:`SCENARIOS`: ``"pessimistic"``, ``"all_low"``,
        ``"base"``, ``"all_high"``, ``"optimistic"``; any case, spaces or hyphens for the
        underscore) or a mix ``{defined name: "low" | "base" | "high"}``.

    Returns
    -------
    AppraisalInputs
        The case with each uncertain input on the side the scenario names.

    Raises
    ------
    CrmValueError
        ``APPRAISAL: ...`` for an unknown scenario, a mix naming an input without low
        and high values, or a side other than low, base or high.

    Notes
    -----
    The pessimistic case takes each input on the side that lowers the NPV (benefit
    drivers low, baseline churn and costs high): the downside of a Forrester Total
    Economic Impact style range (Forrester, "The Total Economic Impact Methodology").

    Examples
    --------
    >>> from crmvalue_core.appraisal import UncertainInputs, appraise, demo_case
    >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015),
    ...                                   "CostImplementation": ((170_000, 30_000),
    ...                                                          (230_000, 70_000))})
    >>> worst = scenario_case(u, "pessimistic")
    >>> worst.benefits.churn_reduction, worst.costs.implementation[:2]
    (0.005, (230000.0, 70000.0))
    >>> scenario_case(u, {"ChurnReduction": "high"}).benefits.churn_reduction
    0.015
    """
    problem = appraisal_problem(uncertain)
    if isinstance(scenario, str):
        key = _scenario_name(scenario)
        if key is None:
            raise fail(
                FUNC,
                f"scenario is {describe(scenario)}; enter one of {', '.join(SCENARIOS)}, or "
                "give a mix {input: 'low', 'base' or 'high'}",
            )
        mix = standard_choices(problem)[key]
    else:
        mix = check_mix(FUNC, problem, "mix", scenario)
    values = {name: uncertain.ranges[name].value(side) for name, side in mix.items()}
    return uncertain.case.with_values(values)


def scenarios(
    uncertain: UncertainInputs, mixes: Mapping[str, Mapping[str, str]] | None = None
) -> pd.DataFrame:
    """Every metric of the standard scenarios and of any named mixes, one row each.

    Parameters
    ----------
    uncertain : UncertainInputs
        The case with its low and high values.
    mixes : mapping of str to mapping, optional
        Named mixes ``{name: {defined name: "low" | "base" | "high"}}``, shown after the
        standard scenarios; a name may not repeat a standard one.

    Returns
    -------
    pandas.DataFrame
        Index ``scenario``: ``pessimistic``, ``all_low``, ``base``, ``all_high``,
        ``optimistic``, then the mixes. Columns: ``npv``, ``irr``, ``mirr``, ``roi``,
        ``payback``, ``discounted_payback``, ``pi``, ``pv_benefits``, ``pv_costs``, as
        :func:`~crmvalue_core.appraisal.appraise` defines them (years 0..horizon); NaN
        where a metric is undefined (an IRR that does not exist, a payback not reached).

    Raises
    ------
    CrmValueError
        ``APPRAISAL: ...`` for a bad mix (see :func:`scenario_case`) or a mix named like
        a standard scenario.

    Notes
    -----
    NPV = sum_t (benefits_t - costs_t) / (1 + r)^t over t = 0..H for the case of each
    scenario (:func:`scenario_case`; low, most likely and high estimates as in Forrester's
    Total Economic Impact risk adjustment), computed for all scenarios in one batch. Equal to
    ``appraise(scenario_case(uncertain, name))`` to rounding (about 1e-15 relative), and
    pessimistic <= every other row <= optimistic for the NPV.

    Examples
    --------
    >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
    >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015),
    ...                                   "CostImplementation": ((170_000, 30_000),
    ...                                                          (230_000, 70_000))})
    >>> table = scenarios(u, {"churn only": {"ChurnReduction": "low"}})
    >>> table["npv"].round(0)
    scenario
    pessimistic    186067.0
    all_low        292067.0
    base           561181.0
    all_high       766294.0
    optimistic     872294.0
    churn only     271067.0
    Name: npv, dtype: float64
    """
    return scenario_frame(appraisal_problem(uncertain), mixes)


def sensitivity(uncertain: UncertainInputs) -> pd.DataFrame:
    """One-at-a-time sensitivity of the NPV to each uncertain input: a tornado chart's data.

    Parameters
    ----------
    uncertain : UncertainInputs
        The case with its low and high values.

    Returns
    -------
    pandas.DataFrame
        One row per input with a range (index ``input``, the defined name), sorted by
        swing, largest first (ties keep the order of the Inputs sheet). Columns:
        ``label`` (the input in words), ``low``, ``base``, ``high`` (the values; tuples
        for a row input), ``npv_low`` and ``npv_high`` (the NPV with this input at its
        low or high value and every other input at base), ``downside`` and ``upside``
        (the lower and the higher of the two minus the base NPV: the bar left and right
        of the base line) and ``swing`` = \\|npv_high - npv_low\\|. ``attrs["base_npv"]``
        holds the base NPV.

    Raises
    ------
    CrmValueError
        ``APPRAISAL: ...`` when ``uncertain`` is not an :class:`UncertainInputs`.

    Notes
    -----
    swing_i = \\|NPV(x_i = high_i, x_-i = base) - NPV(x_i = low_i, x_-i = base)\\|, the
    one-way sensitivity analysis behind a tornado diagram (e.g. Clemen & Reilly, *Making
    Hard Decisions*, ch. 5). It ignores interactions between inputs; the Monte Carlo
    simulation does not.

    Examples
    --------
    >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
    >>> u = UncertainInputs(demo_case(), {"ChurnReduction": (0.005, 0.015),
    ...                                   "HourlyCost": (50, 70)})
    >>> sensitivity(u)[["npv_low", "npv_high", "swing"]].round(0)
                     npv_low  npv_high     swing
    input
    ChurnReduction  271067.0  851294.0  580226.0
    HourlyCost      508670.0  613692.0  105022.0
    """
    return sensitivity_frame(appraisal_problem(uncertain))
