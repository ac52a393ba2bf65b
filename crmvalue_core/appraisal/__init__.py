"""The CRM investment appraisal model of TEMPLATE.md, in Python.

Finance staff describe a CRM investment by what it costs, year by year, and what it is
expected to bring, driver by driver. This module holds those inputs as typed, validated,
frozen dataclasses, computes the year-by-year cash flows exactly as the template workbook
does, and takes the appraisal metrics with the add-in's functions
(:func:`crmvalue_core.investment.investment_metrics`, :func:`crmvalue_core.discounting.npv_crm`).

Inputs and their defined names
------------------------------
Every input cell of the template has a workbook-scoped defined name; each maps one-to-one
to a field of :class:`AppraisalInputs`. :data:`DEFINED_NAMES` is that mapping (defined name
-> field path, e.g. ``"DiscountRate" -> "general.discount_rate"``) and :data:`INPUTS` holds,
for each name, the label, the number of cells, the allowed range and the default that the
template's data validation and this module's checks share. :data:`RESULT_NAMES` maps the
model rows and results (``Benefits``, ``ResultNPV``, ...) to the columns of
:attr:`AppraisalResult.years` and the metrics.

The model (t = 0..10; the case covers years 0..horizon)
-------------------------------------------------------
With a_t the adoption ramp (0 in year 0 and after the horizon):

* extra customers retained: E_0 = 0, E_t = E_(t-1) (1 - c) + B dc a_t
* retention benefit E_t m; cross-sell B m u a_t; acquisition N CAC k a_t;
  productivity R h W w s a_t; service C q v a_t; other benefits as entered (no ramp)
* gross benefits = the sum; benefits = gross (1 - risk adjustment)
* costs = sum of the seven cost lines (1 + contingency)
* net = benefits - costs

Every row is 0 after the horizon, and every metric is taken over years 0..horizon only.
:func:`appraisal_cash_flows` computes the rows for arrays of drivers that broadcast (one
case, or 100,000 Monte Carlo draws at once); :func:`appraise` uses it for one case.

Modules
-------
* :mod:`.inputs`: the input table (:data:`INPUTS`, :data:`DEFINED_NAMES`,
  :data:`RESULT_NAMES`), its checks and the input dataclasses;
* :mod:`.model`: :func:`appraisal_cash_flows`, :func:`appraise` and their results;
* :mod:`.demo`: :func:`demo_case` and its ranges, :func:`demo_uncertainty`;
* :mod:`.report`: :func:`format_appraisal`;
* :mod:`.ranges`: low and high values beside the base (:class:`UncertainInputs`);
* :mod:`.scenarios`: :func:`scenarios`, :func:`scenario_case`, :func:`sensitivity`;
* :mod:`.simulation`: :func:`simulate` (Monte Carlo), :func:`triangular_ppf`,
  :func:`pert_ppf`;
* :mod:`.adhoc`: CRM_SCENARIO, CRM_SENSITIVITY and CRM_SIMULATE for cash-flow rows in a
  sheet (:func:`crm_scenario`, :func:`crm_sensitivity`, :func:`crm_simulate`).

Everything public is re-exported here: import from ``crmvalue_core.appraisal``.
"""

from __future__ import annotations

from .adhoc import crm_scenario, crm_sensitivity, crm_simulate
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
    Costs,
    General,
    InputSpec,
)
from .model import METRICS, AppraisalResult, CashFlows, appraisal_cash_flows, appraise
from .ranges import NPV_DIRECTION, UNCERTAIN_NAMES, InputRange, UncertainInputs
from .report import format_appraisal
from .scenarios import SCENARIOS, scenario_case, scenarios, sensitivity
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
    "SCENARIOS",
    "UNCERTAIN_NAMES",
    "YEARS",
    "AppraisalInputs",
    "AppraisalResult",
    "BenefitDrivers",
    "CashFlows",
    "Costs",
    "General",
    "InputRange",
    "InputSpec",
    "SimulationResult",
    "UncertainInputs",
    "appraisal_cash_flows",
    "appraise",
    "crm_scenario",
    "crm_sensitivity",
    "crm_simulate",
    "demo_case",
    "demo_uncertainty",
    "format_appraisal",
    "pert_ppf",
    "scenario_case",
    "scenarios",
    "sensitivity",
    "simulate",
    "triangular_ppf",
]
