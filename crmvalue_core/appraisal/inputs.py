"""The inputs of the CRM appraisal model: the checks and the dataclasses of one case.

Every input cell of the template has a workbook-scoped defined name; each maps one-to-one
to a field of :class:`AppraisalInputs`. The input table (:data:`INPUTS`, :data:`DEFINED_NAMES`:
the label, number of cells, allowed range and default of each name) lives in
:mod:`.input_table` and is re-exported here; this module checks values against it and holds
the dataclasses :class:`General`, :class:`Costs`, :class:`BenefitDrivers` and
:class:`AppraisalInputs`. :data:`RESULT_NAMES` maps the model rows and results
(``Benefits``, ``ResultNPV``, ...) to the columns of
:attr:`~crmvalue_core.appraisal.AppraisalResult.years` and the metrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from .._inputs import check_range, fail
from ..cells import describe, is_blank
from ..currencies import CURRENCY_HINT, currency_code
from .input_table import (
    CURRENCIES,
    DEFAULT_ADOPTION_RAMP,
    DEFINED_NAMES,
    INPUTS,
    MAX_HORIZON,
    YEARS,
    InputSpec,
)

__all__ = [
    "BENEFIT_DRIVERS",
    "COST_LINES",
    "CURRENCIES",
    "DEFAULT_ADOPTION_RAMP",
    "DEFINED_NAMES",
    "FUNC",
    "INPUTS",
    "MAX_HORIZON",
    "METRICS",
    "RESULT_NAMES",
    "YEARS",
    "AppraisalInputs",
    "BenefitDrivers",
    "BenefitLine",
    "CostLine",
    "Costs",
    "General",
    "InputSpec",
    "check_number",
    "check_row",
    "name_in_words",
]

FUNC = "APPRAISAL"

#: The nine metrics of an appraisal, in the order of the Results sheet and of ``--json``.
METRICS: tuple[str, ...] = (
    "npv",
    "irr",
    "mirr",
    "roi",
    "payback",
    "discounted_payback",
    "pi",
    "pv_benefits",
    "pv_costs",
)
#: The cost lines, in the template's order (fields of :class:`Costs`).
COST_LINES: tuple[str, ...] = (
    "licences",
    "implementation",
    "data_migration",
    "training",
    "internal_staff",
    "support",
    "other",
)
#: The benefit drivers, in the template's order (keys of :attr:`CashFlows.drivers`).
BENEFIT_DRIVERS: tuple[str, ...] = (
    "retention",
    "cross_sell",
    "acquisition",
    "productivity",
    "service",
    "other",
)

_SPEC_BY_PATH: dict[str, InputSpec] = {spec.path: spec for spec in INPUTS}

#: Defined name of each model row and result -> where :func:`appraise` puts it: a column
#: of :attr:`AppraisalResult.years` (rows, years 0..10) or an attribute of
#: :class:`AppraisalResult` (results). In the template the ``Result...`` names are native
#: formulas; the add-in cross-checks beside them (``AddinNPV``...) compute the same values.
RESULT_NAMES: dict[str, str] = {
    "Benefits": "years.benefits",
    "Costs": "years.costs",
    "NetCashFlow": "years.net",
    "ResultNPV": "npv",
    "ResultIRR": "irr",
    "ResultMIRR": "mirr",
    "ResultROI": "roi",
    "ResultPayback": "payback",
    "ResultDiscountedPayback": "discounted_payback",
    "ResultPI": "pi",
    "ResultPVBenefits": "pv_benefits",
    "ResultPVCosts": "pv_costs",
}


# ------------------------------------------------------------------------ checking


def name_in_words(spec: InputSpec) -> str:
    """``DiscountRate (discount rate)``: the defined name and the input's label in words
    (the label before its parenthesis, e.g. "Discount rate (annual)"), as messages name it.
    """
    words = spec.label.split(" (")[0]
    return f"{spec.name} ({words[0].lower()}{words[1:]})"


def check_number(spec: InputSpec, where: str, value: Any) -> float:
    """One cell's value as a float, or the error naming the cell ``where``."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if is_blank(value):
        if spec.blank == "zero":
            return 0.0
        raise fail(FUNC, f"{where} is blank; enter {spec.hint}")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise fail(FUNC, f"{where} is {describe(value)}; enter {spec.hint}")
    number = float(value)
    if not math.isfinite(number):
        raise fail(FUNC, f"{where} is {describe(number)}; enter {spec.hint}")
    check_range(
        FUNC,
        where,
        np.asarray(number),
        minimum=spec.minimum,
        maximum=spec.maximum,
        whole=spec.whole,
        hint=spec.hint,
    )
    return number


def _check_value(path: str, value: Any) -> Any:
    """A checked, normalised field value (float, int, str, None or tuple of floats)."""
    spec = _SPEC_BY_PATH[path]
    where = name_in_words(spec)
    if spec.kind == "text":
        if is_blank(value):
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:g}"
        if not isinstance(value, str):
            raise fail(FUNC, f"{where} is {describe(value)}; enter a name for the case")
        return value.strip()
    if spec.kind == "currency":
        code = currency_code(value)
        if code is None:
            shown = "blank" if is_blank(value) else describe(value)
            raise fail(FUNC, f"{where} is {shown}; {CURRENCY_HINT}")
        return code
    if spec.cells == 1:
        if spec.blank == "default" and is_blank(value):
            return None
        number = check_number(spec, where, value)
        return int(number) if spec.name in ("FirstYear", "HorizonYears") else number
    return check_row(spec, where, value)


def check_row(spec: InputSpec, where: str, value: Any) -> tuple[float, ...]:
    """A row of per-year cells: up to ``spec.cells`` values, year ``spec.first_year`` first.

    A shorter row is filled up: a cost or other-benefit row with 0, the adoption ramp with
    its last value (a ramp "50%, 80%, then 100%" can be given as ``(0.5, 0.8, 1.0)``).
    """
    if hasattr(value, "to_numpy"):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.ndim > 1 and sum(n > 1 for n in value.shape) > 1:
            raise fail(FUNC, f"{where} is a table; give one row of values, one per year")
        value = value.reshape(-1).tolist()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        if is_blank(value) or isinstance(value, (int, float)):
            raise fail(
                FUNC,
                f"{where} needs one value per year, years {spec.first_year}.."
                f"{spec.first_year + spec.cells - 1}; got a single value",
            )
        raise fail(FUNC, f"{where} is {describe(value)}; give one value per year")
    items = list(value)
    if items and all(isinstance(item, (list, tuple)) for item in items):
        # A range read from a sheet: one row ([[...]]) or one column ([[x], [y], ...]).
        if len(items) == 1:
            items = list(items[0])
        elif all(len(item) == 1 for item in items):
            items = [item[0] for item in items]
    last = spec.first_year + spec.cells - 1
    if len(items) > spec.cells:
        raise fail(
            FUNC,
            f"{where} has {len(items)} values; give at most {spec.cells}, one per year "
            f"{spec.first_year}..{last}",
        )
    numbers = [
        check_number(spec, f"{spec.name} year {spec.first_year + i}", item)
        for i, item in enumerate(items)
    ]
    if len(numbers) < spec.cells:
        fill = numbers[-1] if (spec.path.endswith("adoption_ramp") and numbers) else 0.0
        numbers += [fill] * (spec.cells - len(numbers))
    return tuple(numbers)


# The names :mod:`.ranges` imports (it checks low and high values with the same rules).


def _checked_fields(instance: Any, prefix: str) -> None:
    for item in fields(instance):
        if item.name in _LINE_FIELDS:
            continue
        path = f"{prefix}.{item.name}"
        object.__setattr__(instance, item.name, _check_value(path, getattr(instance, item.name)))


# ------------------------------------------------------------------------ the inputs

#: The fields of :class:`Costs` and :class:`BenefitDrivers` that hold added lines (not
#: defined names of the template: lines a user adds to the cost block or the other-benefit
#: block).
_LINE_FIELDS = ("added_lines", "other_benefit_lines")


def _line_label(owner: str, label: Any, default: str) -> str:
    """The label of an added line, checked: text (blank gives ``default``)."""
    if is_blank(label):
        return default
    if isinstance(label, (int, float)) and not isinstance(label, bool):
        return f"{label:g}"
    if not isinstance(label, str):
        raise fail(FUNC, f"the label of {owner} is {describe(label)}; enter a text label")
    return label.strip() or default


@dataclass(frozen=True)
class CostLine:
    """A cost line a user added to the cost block: a label and one amount per year 0..10.

    ``amounts`` takes up to 11 amounts >= 0, year 0 first; a shorter row is filled with 0
    and blanks count as 0, as for the seven named cost lines. A blank label reads
    "Other cost line".

    >>> CostLine("Travel", (50_000,)).amounts[:3]
    (50000.0, 0.0, 0.0)
    """

    label: str = "Other cost line"
    amounts: tuple[float, ...] = (0.0,) * YEARS

    def __post_init__(self) -> None:
        label = _line_label("an added cost line", self.label, "Other cost line")
        rule = _SPEC_BY_PATH["costs.other"]
        where = f"cost line {label!r}"
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "amounts", check_row(_line_rule(rule, where), where, self.amounts))


@dataclass(frozen=True)
class BenefitLine:
    """A benefit line a user added below Other benefits: a label and one amount per year
    1..10, any sign, taken as entered (no adoption ramp), like ``OtherBenefits``.

    >>> BenefitLine("Lower print costs", (5_000, 8_000)).amounts[:3]
    (5000.0, 8000.0, 0.0)
    """

    label: str = "Other benefit line"
    amounts: tuple[float, ...] = (0.0,) * MAX_HORIZON

    def __post_init__(self) -> None:
        label = _line_label("an added benefit line", self.label, "Other benefit line")
        rule = _SPEC_BY_PATH["benefits.other_benefits"]
        where = f"benefit line {label!r}"
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "amounts", check_row(_line_rule(rule, where), where, self.amounts))


def _line_rule(rule: InputSpec, where: str) -> InputSpec:
    """The rule of an added line: the named line's, under the added line's name."""
    return replace(rule, name=where)


def _added_lines(owner: str, value: Any, kind: type) -> tuple[Any, ...]:
    """Added lines as a tuple of ``kind``; a (label, amounts) pair is converted."""
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise fail(FUNC, f"{owner} is {describe(value)}; give a list of {kind.__name__}")
    lines = []
    for item in value:
        if isinstance(item, kind):
            lines.append(item)
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            lines.append(kind(item[0], item[1]))
        else:
            raise fail(
                FUNC,
                f"{owner} holds {describe(item)}; give {kind.__name__}(label, amounts) items",
            )
    return tuple(lines)


@dataclass(frozen=True)
class General:
    """General settings of the case (Inputs sheet, "General").

    Attributes:
        case_name: ``CaseName``, a label for the case.
        currency: ``Currency``, a current ISO 4217 code (:data:`CURRENCIES` are the common
            ones).
        first_year: ``FirstYear``, the calendar year of year 0 (whole, 1900..2200).
        horizon_years: ``HorizonYears``, years of benefits the case covers (whole, 1..10).
        discount_rate: ``DiscountRate``, annual, between -99% and 100% (default 10%).
        finance_rate: ``FinanceRate``, for MIRR; None (blank) means the discount rate.
        reinvest_rate: ``ReinvestRate``, for MIRR; None (blank) means the discount rate.
        benefit_risk_adjustment: ``BenefitRiskAdjustment``, haircut on all benefits, a
            share in [0, 1] (default 10%).
        cost_contingency: ``CostContingency``, uplift on all costs, a share in [0, 1]
            (default 0%).
    """

    case_name: str = "CRM investment"
    currency: str = "EUR"
    first_year: int = 2027
    horizon_years: int = 5
    discount_rate: float = 0.10
    finance_rate: float | None = None
    reinvest_rate: float | None = None
    benefit_risk_adjustment: float = 0.10
    cost_contingency: float = 0.0

    def __post_init__(self) -> None:
        _checked_fields(self, "general")

    @property
    def effective_finance_rate(self) -> float:
        """The finance rate for MIRR: ``finance_rate``, or the discount rate when blank."""
        return self.discount_rate if self.finance_rate is None else self.finance_rate

    @property
    def effective_reinvest_rate(self) -> float:
        """The reinvestment rate for MIRR: ``reinvest_rate``, or the discount rate."""
        return self.discount_rate if self.reinvest_rate is None else self.reinvest_rate


@dataclass(frozen=True)
class Costs:
    """The seven named cost lines and any added ones, each one value per year 0..10.

    Each named field takes up to 11 amounts >= 0, year 0 first; a shorter row is filled
    with 0 and blanks count as 0. Years after the horizon are ignored by the model.
    ``added_lines`` holds any number of further lines (:class:`CostLine`: a label and 11
    amounts), the rows a user adds to the cost block of the template; they count in the
    costs like the named ones.

    Attributes:
        licences: ``CostLicences``, software subscription / licences.
        implementation: ``CostImplementation``, implementation and consulting.
        data_migration: ``CostDataMigration``, data migration and integration.
        training: ``CostTraining``, training and change management.
        internal_staff: ``CostInternalStaff``, internal project staff.
        support: ``CostSupport``, support and administration.
        other: ``CostOther``, other costs.
        added_lines: further cost lines (:class:`CostLine`), in the order of the sheet.

    >>> costs = Costs(implementation=(500_000,), added_lines=[CostLine("Travel", (50_000,))])
    >>> float(costs.total[0])
    550000.0
    """

    licences: tuple[float, ...] = (0.0,) * YEARS
    implementation: tuple[float, ...] = (0.0,) * YEARS
    data_migration: tuple[float, ...] = (0.0,) * YEARS
    training: tuple[float, ...] = (0.0,) * YEARS
    internal_staff: tuple[float, ...] = (0.0,) * YEARS
    support: tuple[float, ...] = (0.0,) * YEARS
    other: tuple[float, ...] = (0.0,) * YEARS
    added_lines: tuple[CostLine, ...] = ()

    def __post_init__(self) -> None:
        _checked_fields(self, "costs")
        object.__setattr__(
            self, "added_lines", _added_lines("added_lines", self.added_lines, CostLine)
        )

    @property
    def lines(self) -> np.ndarray:
        """The named cost lines as a (7, 11) array, rows in :data:`COST_LINES` order."""
        return np.array([getattr(self, line) for line in COST_LINES], dtype=float)

    @property
    def added_total(self) -> np.ndarray:
        """The sum of the added lines per year 0..10 (zeros when there are none)."""
        total = np.zeros(YEARS)
        for line in self.added_lines:
            total = total + np.asarray(line.amounts, dtype=float)
        return total

    @property
    def total(self) -> np.ndarray:
        """The sum of all cost lines per year 0..10, before contingency: the named lines
        one after the other in :data:`COST_LINES` order, then the added lines."""
        total = np.asarray(getattr(self, COST_LINES[0]), dtype=float)
        for line in COST_LINES[1:]:
            total = total + np.asarray(getattr(self, line), dtype=float)
        return total + self.added_total


@dataclass(frozen=True)
class BenefitDrivers:
    """The benefit drivers (Inputs sheet, "Benefit drivers").

    Attributes:
        adoption_ramp: ``AdoptionRamp``, a_t, share of the full benefit reached in each
            year 1..10, shares in [0, 1]; a shorter row keeps its last value
            (default 50%, 80%, then 100%).
        customers_active: ``CustomersActive``, B, active customers (whole >= 0).
        churn_baseline: ``ChurnBaseline``, c, annual churn without the CRM (share).
        churn_reduction: ``ChurnReduction``, dc, churn reduction in percentage points,
            entered as a share (2.5 points = 0.025); at most ``churn_baseline``.
        margin_per_customer: ``MarginPerCustomer``, m, annual gross margin per customer.
        cross_sell_uplift: ``CrossSellUplift``, u, uplift of the margin per customer.
        new_customers_per_year: ``NewCustomersPerYear``, N (whole >= 0).
        acquisition_cost: ``AcquisitionCost``, CAC, acquisition cost per customer.
        acquisition_cost_reduction: ``AcquisitionCostReduction``, k (share).
        sales_reps: ``SalesReps``, R (whole >= 0).
        hours_saved_per_week: ``HoursSavedPerWeek``, h, per rep (0..168).
        working_weeks: ``WorkingWeeks``, W, per year (0..53, default 46).
        hourly_cost: ``HourlyCost``, w, loaded cost per hour.
        productivity_share: ``ProductivityShare``, s, share of saved time that counts.
        service_cases: ``ServiceCases``, C, cases per year (whole >= 0).
        cost_per_case: ``CostPerCase``, q.
        service_cost_reduction: ``ServiceCostReduction``, v (share).
        other_benefits: ``OtherBenefits``, one amount per year 1..10 (any sign), taken as
            entered: no adoption ramp. A shorter row is filled with 0.
        other_benefit_lines: further benefit lines (:class:`BenefitLine`: a label and 10
            amounts), the rows a user adds below Other benefits; they add to it.

    Blank (None) single drivers count as 0, as the workbook's formulas read them.
    """

    adoption_ramp: tuple[float, ...] = DEFAULT_ADOPTION_RAMP
    customers_active: float = 0.0
    churn_baseline: float = 0.0
    churn_reduction: float = 0.0
    margin_per_customer: float = 0.0
    cross_sell_uplift: float = 0.0
    new_customers_per_year: float = 0.0
    acquisition_cost: float = 0.0
    acquisition_cost_reduction: float = 0.0
    sales_reps: float = 0.0
    hours_saved_per_week: float = 0.0
    working_weeks: float = 46.0
    hourly_cost: float = 0.0
    productivity_share: float = 0.0
    service_cases: float = 0.0
    cost_per_case: float = 0.0
    service_cost_reduction: float = 0.0
    other_benefits: tuple[float, ...] = (0.0,) * MAX_HORIZON
    other_benefit_lines: tuple[BenefitLine, ...] = ()

    def __post_init__(self) -> None:
        _checked_fields(self, "benefits")
        object.__setattr__(
            self,
            "other_benefit_lines",
            _added_lines("other_benefit_lines", self.other_benefit_lines, BenefitLine),
        )
        if self.churn_reduction > self.churn_baseline:
            raise fail(
                FUNC,
                f"{name_in_words(_SPEC_BY_PATH['benefits.churn_reduction'])} is "
                f"{self.churn_reduction:g}, more than "
                f"{name_in_words(_SPEC_BY_PATH['benefits.churn_baseline'])}, "
                f"{self.churn_baseline:g}; the CRM cannot cut churn below 0: enter a "
                "reduction of at most the baseline churn, in points as a share "
                "(2.5 points = 0.025)",
            )

    @property
    def added_other_benefits(self) -> np.ndarray:
        """The sum of the added benefit lines per year 1..10 (zeros when there are none)."""
        total = np.zeros(MAX_HORIZON)
        for line in self.other_benefit_lines:
            total = total + np.asarray(line.amounts, dtype=float)
        return total


@dataclass(frozen=True)
class AppraisalInputs:
    """Everything the appraisal model needs: one case of the template's Inputs sheet.

    Attributes:
        general: the general settings (:class:`General`).
        costs: the cost lines (:class:`Costs`).
        benefits: the benefit drivers (:class:`BenefitDrivers`).

    Each field of the three parts corresponds to one defined name of the template
    (:data:`DEFINED_NAMES`); :meth:`from_defined_names` and :meth:`to_defined_names` convert
    from and to ``{defined name: value}``, the form a template reader or filler uses.

    Examples
    --------
    >>> case = AppraisalInputs(
    ...     general=General(horizon_years=3, discount_rate=0.08),
    ...     costs=Costs(implementation=(100_000,), licences=(0, 20_000, 20_000, 20_000)),
    ...     benefits=BenefitDrivers(sales_reps=10, hours_saved_per_week=2, working_weeks=45,
    ...                             hourly_cost=50, productivity_share=1.0),
    ... )
    >>> case.get("HorizonYears"), case.get("CostLicences")[:4]
    (3, (0.0, 20000.0, 20000.0, 20000.0))
    >>> case.with_values({"DiscountRate": 0.12}).general.discount_rate
    0.12
    """

    general: General = field(default_factory=General)
    costs: Costs = field(default_factory=Costs)
    benefits: BenefitDrivers = field(default_factory=BenefitDrivers)

    def __post_init__(self) -> None:
        for name, kind in (("general", General), ("costs", Costs), ("benefits", BenefitDrivers)):
            if not isinstance(getattr(self, name), kind):
                raise fail(
                    FUNC,
                    f"{name} is {describe(getattr(self, name))}; give a {kind.__name__}",
                )

    def get(self, name: str) -> Any:
        """The value of the input with defined name ``name`` (e.g. ``"DiscountRate"``)."""
        part, attribute = _path(name).split(".")
        return getattr(getattr(self, part), attribute)

    def to_defined_names(self) -> dict[str, Any]:
        """``{defined name: value}`` for every input, rows as lists, blanks as None."""
        result: dict[str, Any] = {}
        for spec in INPUTS:
            value = self.get(spec.name)
            result[spec.name] = list(value) if isinstance(value, tuple) else value
        return result

    @classmethod
    def from_defined_names(cls, values: Mapping[str, Any]) -> AppraisalInputs:
        """Build a case from ``{defined name: value}``; names left out take the default.

        Raises CrmValueError for a name the template does not define, and for any value
        the checks refuse (the message names the defined name).
        """
        parts: dict[str, dict[str, Any]] = {"general": {}, "costs": {}, "benefits": {}}
        for name, value in values.items():
            part, attribute = _path(name).split(".")
            parts[part][attribute] = value
        return cls(
            general=General(**parts["general"]),
            costs=Costs(**parts["costs"]),
            benefits=BenefitDrivers(**parts["benefits"]),
        )

    def with_values(self, values: Mapping[str, Any]) -> AppraisalInputs:
        """A copy with the inputs named in ``values`` (defined names) replaced; the added
        cost and benefit lines are kept."""
        merged = self.to_defined_names()
        for name in values:
            _path(name)
        merged.update(values)
        case = AppraisalInputs.from_defined_names(merged)
        return replace(
            case,
            costs=replace(case.costs, added_lines=self.costs.added_lines),
            benefits=replace(case.benefits, other_benefit_lines=self.benefits.other_benefit_lines),
        )

    def driver_arrays(self) -> dict[str, Any]:
        """The keyword arguments of :func:`appraisal_cash_flows` for this case.

        Replace any of them by an array of draws (leading axes) for a Monte Carlo run;
        ``costs`` is the sum of the cost lines per year 0..10, before contingency, and
        ``other_benefits`` includes the added benefit lines.
        """
        g, b = self.general, self.benefits
        return {
            "horizon_years": g.horizon_years,
            "benefit_risk_adjustment": g.benefit_risk_adjustment,
            "cost_contingency": g.cost_contingency,
            "costs": self.costs.total,
            "adoption_ramp": np.array(b.adoption_ramp),
            "other_benefits": np.array(b.other_benefits) + b.added_other_benefits,
            **{
                item.name: getattr(b, item.name)
                for item in fields(b)
                if item.name not in ("adoption_ramp", "other_benefits", *_LINE_FIELDS)
            },
        }


def _path(name: str) -> str:
    try:
        return DEFINED_NAMES[name]
    except (KeyError, TypeError):
        raise fail(
            FUNC,
            f"{name!r} is not an input of the template; the inputs are {', '.join(DEFINED_NAMES)}",
        ) from None
