"""The CRM investment appraisal model of the template workbook, in Python.

Finance staff describe a CRM investment by what it costs, year by year, and what it is
expected to bring, driver by driver. This package holds those inputs as typed, validated,
frozen dataclasses, computes the year-by-year cash flows exactly as the template workbook
does (its Calculation sheet, docs/template.md), and takes the appraisal metrics with the
add-in's functions (:func:`crmvalue_core.investment.investment_metrics`,
:func:`crmvalue_core.discounting.npv_crm`). Beside the base case, users may give low and
high values of the inputs, for scenarios, a sensitivity table and a Monte Carlo
simulation.

Modules
-------
* :mod:`.inputs`: the input table (:data:`INPUTS`, :data:`DEFINED_NAMES`,
  :data:`RESULT_NAMES`: every input cell of the template has a defined name that maps to
  a field of :class:`AppraisalInputs`), its checks and the input dataclasses;
* :mod:`.model`: the model's formulas, :func:`appraisal_cash_flows` (vectorised over
  cases or draws), :func:`appraise` (one case, every metric) and their results;
* :mod:`.demo`: :func:`demo_case` and its ranges, :func:`demo_uncertainty`;
* :mod:`.plausibility`: :func:`plausibility_warnings` (valid but implausible values, by
  the :data:`RULES`) and the refusal of an empty case;
* :mod:`.report`: :func:`format_appraisal`;
* :mod:`.labels`: the words every output uses for scenarios and benefit drivers;
* :mod:`.ranges`: low and high values beside the base (:class:`UncertainInputs`);
* :mod:`.scenarios`: :func:`scenarios`, :func:`scenario_case`, :func:`sensitivity`;
* :mod:`.simulation`: :func:`simulate` (Monte Carlo), :func:`triangular_ppf`,
  :func:`pert_ppf`;
* :mod:`.adhoc`: CRM_SCENARIO, CRM_SENSITIVITY and CRM_SIMULATE for cash-flow rows in a
  sheet (:func:`crm_scenario`, :func:`crm_sensitivity`, :func:`crm_simulate`);
* :mod:`._engine` and :mod:`._model_problem`: the batch machinery the last three share
  (internal).

Everything public is re-exported here: import from ``crmvalue_core.appraisal``. The
modules of one case (inputs, model, report, plausibility, ranges) need numpy only; those
of scenarios, simulation and the ad-hoc functions also pandas and scipy, so they are
imported when one of their names is first used (``crmvalue appraise`` without
``--simulate`` never loads pandas or scipy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
from .demo import demo_case, demo_uncertainty
from .inputs import (
    BENEFIT_DRIVERS,
    COST_LINES,
    CURRENCIES,
    DEFAULT_ADOPTION_RAMP,
    DEFINED_NAMES,
    FUNC,
    INPUTS,
    MAX_HORIZON,
    RESULT_NAMES,
    YEARS,
    AppraisalInputs,
    BenefitDrivers,
    BenefitLine,
    CostLine,
    Costs,
    General,
    InputSpec,
)
from .labels import SCENARIOS
from .model import METRICS, AppraisalResult, CashFlows, appraisal_cash_flows, appraise
from .plausibility import RULES, PlausibilityWarning, Rule, plausibility_warnings, range_warnings
from .ranges import NPV_DIRECTION, UNCERTAIN_NAMES, InputRange, UncertainInputs
from .report import format_appraisal
from .saved import SAVED_FIGURES, SavedDifference, first_saved_difference

#: The names of the modules that need pandas and scipy, imported on first use.
_NAMES = {
    **dict.fromkeys(("crm_scenario", "crm_sensitivity", "crm_simulate"), "adhoc"),
    **dict.fromkeys(("scenario_case", "scenarios", "sensitivity"), "scenarios"),
    **dict.fromkeys(
        (
            "DISTRIBUTIONS",
            "MAX_DRAWS",
            "PERT_LAMBDA",
            "SimulationResult",
            "pert_ppf",
            "simulate",
            "triangular_ppf",
        ),
        "simulation",
    ),
}

#: ``scenarios`` is the function, as with eager imports (not its module).
__getattr__, __dir__ = lazy_names(__name__, _NAMES, globals(), ("adhoc", "simulation"))

if TYPE_CHECKING:  # what a type checker and an editor see: the eager imports
    from .adhoc import crm_scenario, crm_sensitivity, crm_simulate
    from .scenarios import scenario_case, scenarios, sensitivity
    from .simulation import (
        DISTRIBUTIONS,
        MAX_DRAWS,
        PERT_LAMBDA,
        SimulationResult,
        pert_ppf,
        simulate,
        triangular_ppf,
    )

__all__ = [
    "BENEFIT_DRIVERS",
    "COST_LINES",
    "CURRENCIES",
    "DEFAULT_ADOPTION_RAMP",
    "DEFINED_NAMES",
    "DISTRIBUTIONS",
    "FUNC",
    "INPUTS",
    "MAX_DRAWS",
    "MAX_HORIZON",
    "METRICS",
    "NPV_DIRECTION",
    "PERT_LAMBDA",
    "RESULT_NAMES",
    "RULES",
    "SAVED_FIGURES",
    "SCENARIOS",
    "UNCERTAIN_NAMES",
    "YEARS",
    "AppraisalInputs",
    "AppraisalResult",
    "BenefitDrivers",
    "BenefitLine",
    "CashFlows",
    "CostLine",
    "Costs",
    "General",
    "InputRange",
    "InputSpec",
    "PlausibilityWarning",
    "Rule",
    "SavedDifference",
    "SimulationResult",
    "UncertainInputs",
    "appraisal_cash_flows",
    "appraise",
    "crm_scenario",
    "crm_sensitivity",
    "crm_simulate",
    "demo_case",
    "demo_uncertainty",
    "first_saved_difference",
    "format_appraisal",
    "pert_ppf",
    "plausibility_warnings",
    "range_warnings",
    "scenario_case",
    "scenarios",
    "sensitivity",
    "simulate",
    "triangular_ppf",
]
