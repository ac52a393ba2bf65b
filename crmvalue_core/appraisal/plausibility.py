"""Plausible input, or a question: the warnings of an appraisal case, and the empty case.

Every value the input checks accept is valid, but some valid values are seldom what a user
meant. "1" typed into a percentage cell is 100%, not 1%; a discount rate of 45% or a churn
reduction of most of the churn is possible, yet rare enough to ask about. Such values give
a **warning**: the number is still computed exactly as entered (a warning never changes a
number, nor the exit status of ``crmvalue appraise``), and the warning names the input,
its value and asks whether the user meant something else.

The rules are data (:data:`RULES`, one frozen :class:`Rule` each: which inputs, the test,
the words); :func:`plausibility_warnings` applies them to a case and returns the
:class:`PlausibilityWarning` list, at most one per cell (the first rule that fires).
``docs/template.md`` lists them under "Warnings".

A case with no cost and no benefit is not a case: :func:`check_not_empty` refuses it with
a :class:`~crmvalue_core.CrmValueError` that says what to fill in (``appraise`` calls it).

This module is pure: no I/O. Where an input sits in a workbook is the workbook layer's
business; a caller that knows the cells adds them with :meth:`PlausibilityWarning.at`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._inputs import fail
from .input_table import INPUTS, InputSpec
from .inputs import FUNC, AppraisalInputs, name_in_words

if TYPE_CHECKING:  # pragma: no cover
    from .model import CashFlows
    from .ranges import UncertainInputs

__all__ = [
    "HUGE",
    "RULES",
    "PlausibilityWarning",
    "Rule",
    "check_not_empty",
    "plausibility_warnings",
    "range_warnings",
]

_SPECS: dict[str, InputSpec] = {spec.name: spec for spec in INPUTS}

#: An amount or count above this is almost surely a typo (10^12).
HUGE = 1e12
#: A discount, finance or reinvestment rate above this is asked about (30%).
HIGH_RATE = 0.30
#: Hours saved per rep and week above this are asked about (half a working week).
MANY_HOURS = 20.0


@dataclass(frozen=True)
class PlausibilityWarning:
    """A valid but implausible value, with the question to the user.

    Attributes:
        rule: the key of the :class:`Rule` that fired, e.g. ``"percent-is-one"``.
        name: the input's defined name, e.g. ``"DiscountRate"``.
        label: the input's label, as the Inputs sheet shows it.
        value: the value as entered (a decimal for rates and shares: 1.0 is 100%).
        year: the model year of the cell for a per-year row, None for a single cell.
        message: the value in words and the question, e.g. "is 100% (the value 1); ...
            did you mean 1%? ...".
        sheet, cell: where the value sits in the workbook (None when not read from one).
        side: ``"low"`` or ``"high"`` for a low or high value of the Scenarios sheet
            (:func:`range_warnings`), None for the case's own value.
    """

    rule: str
    name: str
    label: str
    value: float
    year: int | None
    message: str
    sheet: str | None = None
    cell: str | None = None
    side: str | None = None

    @property
    def where(self) -> str:
        """The input in a user's words: its cell when known, else its defined name."""
        spec = _SPECS.get(self.name)
        words = name_in_words(spec) if spec else f"{self.name} ({self.label})"  # added line
        detail = " ".join(
            part
            for part in (self.side or "", "" if self.year is None else f"year {self.year}")
            if part
        )
        if detail:
            words = words.replace(" (", f" {detail} (", 1)
        return words if self.cell is None else f"sheet {self.sheet!r}, cell {self.cell}, {words}"

    @property
    def line(self) -> str:
        """The warning as one line: where, then the message."""
        return f"{self.where} {self.message}"

    def at(self, sheet: str, cell: str) -> PlausibilityWarning:
        """This warning located at ``cell`` of ``sheet`` (the reader knows where)."""
        return replace(self, sheet=sheet, cell=cell)

    def to_json_dict(self) -> dict[str, Any]:
        """The warning as plain JSON types (the ``warnings`` items of ``--json``)."""
        return {
            "rule": self.rule,
            "name": self.name,
            "label": self.label,
            "year": self.year,
            "value": self.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "side": self.side,
            "message": self.message,
            "text": self.line,
        }


@dataclass(frozen=True)
class Rule:
    """One plausibility rule.

    Attributes:
        key: a short, stable identifier (in ``--json`` and the docs).
        summary: the rule in a sentence, for ``docs/template.md``.
        names: the defined names the rule looks at (each cell of a row on its own).
        test: ``test(value, case, name)``: True when the value is implausible.
        words: ``words(value, case, name)``: the message, starting with "is ...": the
            value in words, why it is odd, and the question.
        alone: whether the test reads the value alone (not the rest of the case), so that
            it applies to the low and high values of the Scenarios sheet too.
    """

    key: str
    summary: str
    names: tuple[str, ...]
    test: Callable[[float, AppraisalInputs, str], bool]
    words: Callable[[float, AppraisalInputs, str], str]
    alone: bool = False


# ------------------------------------------------------------------------ wording


def _percent(value: float) -> str:
    """A decimal as the percentage a cell shows: 1 -> "100%", 0.025 -> "2.5%"."""
    return f"{round(value * 100, 6):g}%"


def _number(value: float) -> str:
    """A plain number with thousands separators: 2e12 -> "2,000,000,000,000"."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _shown(name: str, value: float, case: AppraisalInputs) -> str:
    """The value as the Inputs sheet shows it, with its unit."""
    spec = _SPECS[name]
    if spec.kind in ("rate", "share"):
        return _percent(value)
    if spec.unit == "currency":
        return f"{_number(value)} {case.general.currency}"
    return f"{_number(value)} {spec.unit}".rstrip()


# ------------------------------------------------------------------------ the rules

# What a value of 100% would mean, for each rate or share where 1 (100%) most likely was
# meant as 1%. ProductivityShare (all saved time counts) and AdoptionRamp (full adoption)
# are left out: 100% is an ordinary value there.
_AT_ONE: dict[str, str] = {
    "DiscountRate": "money a year later would be worth half as much",
    "FinanceRate": "MIRR would finance the costs at 100% a year",
    "ReinvestRate": "MIRR would reinvest the benefits at 100% a year",
    "BenefitRiskAdjustment": "every benefit would be taken off",
    "CostContingency": "every cost would be doubled",
    "ChurnBaseline": "every customer would leave each year",
    "ChurnReduction": "the CRM would stop all churn",
    "CrossSellUplift": "the margin per customer would double",
    "AcquisitionCostReduction": "acquiring a customer would cost nothing",
    "ServiceCostReduction": "a service case would cost nothing",
}

_RATES = ("DiscountRate", "FinanceRate", "ReinvestRate")


@dataclass(frozen=True)
class _Driver:
    """A benefit driver: its factors (all must be entered for it to give a benefit), and
    those whose entry shows the user means to use it (the customers and the margin serve
    both retention and cross-sell, so entering them alone does not mean both are meant;
    working weeks have a default)."""

    name: str
    factors: tuple[str, ...]
    own: tuple[str, ...]


_DRIVERS: tuple[_Driver, ...] = (
    _Driver(
        "retention",
        ("CustomersActive", "ChurnReduction", "MarginPerCustomer"),
        ("ChurnReduction",),
    ),
    _Driver(
        "cross-sell",
        ("CustomersActive", "MarginPerCustomer", "CrossSellUplift"),
        ("CrossSellUplift",),
    ),
    _Driver(
        "acquisition",
        ("NewCustomersPerYear", "AcquisitionCost", "AcquisitionCostReduction"),
        ("NewCustomersPerYear", "AcquisitionCost", "AcquisitionCostReduction"),
    ),
    _Driver(
        "productivity",
        ("SalesReps", "HoursSavedPerWeek", "WorkingWeeks", "HourlyCost", "ProductivityShare"),
        ("SalesReps", "HoursSavedPerWeek", "HourlyCost", "ProductivityShare"),
    ),
    _Driver(
        "service",
        ("ServiceCases", "CostPerCase", "ServiceCostReduction"),
        ("ServiceCases", "CostPerCase", "ServiceCostReduction"),
    ),
)
_DRIVER_FACTORS = tuple(dict.fromkeys(name for driver in _DRIVERS for name in driver.factors))


@dataclass(frozen=True)
class _HalfDriver:
    """A benefit driver the user began to fill: its factors entered and those at 0."""

    driver: str
    entered: tuple[str, ...]
    missing: tuple[str, ...]


def _incomplete(case: AppraisalInputs, name: str) -> _HalfDriver | None:
    """The first driver whose first factor at 0 is ``name`` although the user entered the
    driver's own factors (one warning per driver, at its first missing factor); None when
    there is none."""
    for driver in _DRIVERS:
        if name not in driver.factors:
            continue
        entered = tuple(factor for factor in driver.factors if case.get(factor) != 0)
        missing = tuple(factor for factor in driver.factors if factor not in entered)
        if missing and missing[0] == name and any(factor in entered for factor in driver.own):
            return _HalfDriver(driver.name, entered, missing)
    return None


def _and(names: tuple[str, ...]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _incomplete_words(value: float, case: AppraisalInputs, name: str) -> str:
    half = _incomplete(case, name)
    if half is None:  # pragma: no cover - the rule's test found one
        return "is 0 (or blank); did you mean to fill it in?"
    others = half.missing[1:]
    also = f" ({_and(others)} {'is' if len(others) == 1 else 'are'} 0 too)" if others else ""
    return (
        f"is 0 (or blank), so the {half.driver} benefit is 0 although {_and(half.entered)} "
        f"{'is' if len(half.entered) == 1 else 'are'} entered{also}; did you mean to fill "
        f"{'them' if others else 'it'} in?"
    )


def _uses_ramp(case: AppraisalInputs) -> bool:
    """Whether any ramped driver (all but other benefits) is fully entered."""
    return any(all(case.get(factor) != 0 for factor in d.factors) for d in _DRIVERS)


def _ramp_zero(value: float, case: AppraisalInputs, name: str) -> bool:
    horizon = case.general.horizon_years
    return _uses_ramp(case) and not any(case.benefits.adoption_ramp[:horizon])


def _amounts() -> tuple[str, ...]:
    """Every input that holds money or a count (single cells and rows)."""
    return tuple(
        spec.name
        for spec in INPUTS
        if spec.unit == "currency" or (spec.kind == "whole" and spec.maximum is None)
    )


#: The plausibility rules, in the order they are tried; for each cell only the first rule
#: that fires gives a warning.
RULES: tuple[Rule, ...] = (
    Rule(
        key="percent-is-one",
        summary=(
            "a rate or share of exactly 100% (the value 1), where 1% was likely meant: "
            + ", ".join(_AT_ONE)
        ),
        names=tuple(_AT_ONE),
        test=lambda value, case, name: value == 1.0,
        words=lambda value, case, name: (
            f"is 100% (the value 1): {_AT_ONE[name]}; did you mean 1%? A percentage is a "
            "decimal here (1% = 0.01); type 0.01 or 1%"
        ),
        alone=True,
    ),
    Rule(
        key="rate-above-30",
        summary="a discount, finance or reinvestment rate above 30%",
        names=_RATES,
        test=lambda value, case, name: value > HIGH_RATE,
        words=lambda value, case, name: (
            f"is {_percent(value)}, far above the usual cost of capital (most firms "
            "discount at 6% to 15%); did you mean a smaller rate? Rates are decimals "
            "(10% = 0.1)"
        ),
        alone=True,
    ),
    Rule(
        key="negative-discount-rate",
        summary="a negative discount rate",
        names=("DiscountRate",),
        test=lambda value, case, name: value < 0,
        words=lambda value, case, name: (
            f"is {_percent(value)}: a negative rate makes later money worth more than "
            f"money today; did you mean {_percent(-value)}?"
        ),
        alone=True,
    ),
    Rule(
        key="churn-reduction-over-half",
        summary="a churn reduction of more than half the baseline churn",
        names=("ChurnReduction",),
        test=lambda value, case, name: value > case.benefits.churn_baseline / 2,
        words=lambda value, case, name: (
            f"is {_percent(value)} points, more than half the baseline churn of "
            f"{_percent(case.benefits.churn_baseline)} (ChurnBaseline): the CRM would cut "
            f"churn from {_percent(case.benefits.churn_baseline)} to "
            f"{_percent(case.benefits.churn_baseline - value)} a year; did you mean a "
            "smaller reduction? It is in points as a share (2.5 points = 0.025)"
        ),
    ),
    Rule(
        key="amount-above-1e12",
        summary="an amount or a count above 10^12 (any cost, margin, price or number of "
        "customers, reps or cases)",
        names=_amounts(),
        test=lambda value, case, name: abs(value) > HUGE,
        words=lambda value, case, name: (
            f"is {_shown(name, value, case)}, more than 10^12; did you mean a smaller "
            "number (a typo, or an amount in cents)?"
        ),
        alone=True,
    ),
    Rule(
        key="hours-above-20",
        summary="more than 20 hours saved per rep and week (half a working week)",
        names=("HoursSavedPerWeek",),
        test=lambda value, case, name: value > MANY_HOURS,
        words=lambda value, case, name: (
            f"is {_number(value)} hours a week per rep, more than half a working week; did "
            "you mean hours per month?"
        ),
        alone=True,
    ),
    Rule(
        key="driver-incomplete",
        summary=(
            "a benefit driver half filled: a factor left at 0 (or blank) while the "
            "driver's other factors are entered, so that driver's benefit is 0"
        ),
        names=_DRIVER_FACTORS,
        test=lambda value, case, name: value == 0 and _incomplete(case, name) is not None,
        words=_incomplete_words,
    ),
    Rule(
        key="ramp-zero",
        summary=(
            "an adoption ramp of 0 in every year of the horizon while a benefit driver is "
            "filled in, so every driver's benefit is 0"
        ),
        names=("AdoptionRamp",),
        test=_ramp_zero,
        words=lambda value, case, name: (
            "is 0% in every year of the horizon, so every driver's benefit is 0; did you "
            "mean to enter the share of the full benefit reached each year (100% = 1)?"
        ),
    ),
)


# ------------------------------------------------------------------------ applying them


def _cells(case: AppraisalInputs, name: str) -> list[tuple[int | None, float]]:
    """The cells of input ``name``: ``(year, value)``, year None for a single cell; the
    cells of a row only up to the horizon (later years are not appraised), except that a
    rule on the whole row (the adoption ramp) looks at year 1."""
    spec = _SPECS[name]
    value = case.get(name)
    if spec.cells == 1:
        return [(None, float(value))] if value is not None else []
    last = case.general.horizon_years
    return [
        (spec.first_year + index, float(item))
        for index, item in enumerate(value)
        if spec.first_year + index <= last
    ]


def plausibility_warnings(case: AppraisalInputs) -> tuple[PlausibilityWarning, ...]:
    """The warnings of ``case``: each valid value that :data:`RULES` finds implausible.

    Rule by rule (see :data:`RULES` and docs/template.md, "Warnings"): a rate or share of
    exactly 1 where 1% was likely meant, a discount rate above 30% or below 0, a churn
    reduction above half the churn, an amount or count above 10^12, more than 20 hours
    saved per rep and week, a benefit driver half filled, an adoption ramp of 0. Each
    cell gives at most one warning (the first rule that fires), in the order of the input
    table; a row is looked at up to the horizon; a per-year rule of a whole row (the
    ramp) names its first year. Nothing is changed: the appraisal uses the values as
    entered.

    Examples
    --------
    >>> from crmvalue_core.appraisal import General, demo_case
    >>> plausibility_warnings(demo_case())
    ()
    >>> case = demo_case().with_values({"DiscountRate": 1})
    >>> [warning.line for warning in plausibility_warnings(case)]  # doctest: +ELLIPSIS
    ['DiscountRate (discount rate) is 100% (the value 1): ...; did you mean 1%? ...']
    """
    if not isinstance(case, AppraisalInputs):
        raise fail(FUNC, "give an AppraisalInputs case to check for plausibility")
    found: dict[tuple[str, int | None], PlausibilityWarning] = {}
    for rule in RULES:
        for name in rule.names:
            cells = _cells(case, name)
            if rule.key == "ramp-zero":
                cells = cells[:1]
            for year, value in cells:
                if (name, year) in found or not rule.test(value, case, name):
                    continue
                found[(name, year)] = PlausibilityWarning(
                    rule=rule.key,
                    name=name,
                    label=_SPECS[name].label,
                    value=value,
                    year=year,
                    message=rule.words(value, case, name),
                )
    order = {spec.name: index for index, spec in enumerate(INPUTS)}
    named = sorted(found.values(), key=lambda w: (order[w.name], -1 if w.year is None else w.year))
    return (*named, *_added_line_warnings(case))


#: The blocks a user adds lines to: the block's defined name, the lines of a case, the
#: model year of a line's first amount.
_LINE_BLOCKS: tuple[tuple[str, Callable[[AppraisalInputs], tuple[Any, ...]], int], ...] = (
    ("CostLines", lambda case: case.costs.added_lines, 0),
    ("OtherBenefitLines", lambda case: case.benefits.other_benefit_lines, 1),
)


def _added_line_warnings(case: AppraisalInputs) -> list[PlausibilityWarning]:
    """The amount rule on the lines a user added to the cost and benefit blocks (named by
    the block and the line's label; they have no defined name of their own)."""
    found = []
    last = case.general.horizon_years
    for block, lines, first_year in _LINE_BLOCKS:
        for line in lines(case):
            for index, value in enumerate(line.amounts):
                year = first_year + index
                if year <= last and abs(value) > HUGE:
                    found.append(
                        PlausibilityWarning(
                            rule="amount-above-1e12",
                            name=block,
                            label=line.label,
                            value=float(value),
                            year=year,
                            message=(
                                f"the added line {line.label!r} is {value:,.0f} in year "
                                f"{year}, more than 10^12; did you mean a smaller number "
                                "(a typo, or an amount in cents)?"
                            ),
                        )
                    )
    return found


def range_warnings(uncertain: UncertainInputs) -> tuple[PlausibilityWarning, ...]:
    """The warnings of the low and high values of ``uncertain`` (the Scenarios sheet).

    The rules that read a value alone (:attr:`Rule.alone`: a share of exactly 100%, an
    amount above 10^12, more than 20 hours a week...) apply to each low and high value
    that differs from its base, up to the horizon; each warning carries its ``side``.
    A high of 1 typed for a 1% uplift would otherwise stretch every scenario and draw.

    Examples
    --------
    >>> from crmvalue_core.appraisal import UncertainInputs, demo_case
    >>> u = UncertainInputs(demo_case(), {"CrossSellUplift": (0.01, 1)})
    >>> [(w.name, w.side, w.value) for w in range_warnings(u)]
    [('CrossSellUplift', 'high', 1.0)]
    """
    case = uncertain.case
    horizon = case.general.horizon_years
    found: dict[tuple[str, str, int | None], PlausibilityWarning] = {}
    for item in uncertain.ranges.values():
        spec = _SPECS[item.name]
        for side in ("low", "high"):
            values, bases = item.value(side), item.base
            if spec.cells == 1:
                cells = [(None, values, bases)]
            else:
                cells = [
                    (spec.first_year + index, value, base)
                    for index, (value, base) in enumerate(zip(values, bases, strict=True))
                    if spec.first_year + index <= horizon
                ]
            for year, value, base in cells:
                key = (item.name, side, year)
                if value == base or key in found:
                    continue
                for rule in RULES:
                    if rule.alone and item.name in rule.names and rule.test(value, case, item.name):
                        found[key] = PlausibilityWarning(
                            rule=rule.key,
                            name=item.name,
                            label=spec.label,
                            value=float(value),
                            year=year,
                            message=rule.words(value, case, item.name),
                            side=side,
                        )
                        break
    return tuple(found.values())


# ------------------------------------------------------------------------ the empty case


def check_not_empty(case: AppraisalInputs, flows: CashFlows) -> None:
    """Refuse a case whose costs and benefits are 0 in every year 0..horizon.

    Such a case is not a case: its NPV of 0 and a "payback" would be made-up numbers. The
    message says why the rows are 0 (nothing entered; amounts only after the horizon; the
    benefit drivers half filled; a risk adjustment of 100%) and what to fill in.

    ``flows`` are the case's :func:`~crmvalue_core.appraisal.appraisal_cash_flows`.

    Examples
    --------
    >>> from crmvalue_core.appraisal import appraisal_cash_flows
    >>> case = AppraisalInputs()
    >>> check_not_empty(case, appraisal_cash_flows(**case.driver_arrays()))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    crmvalue_core.errors.CrmValueError: APPRAISAL: no cost and no benefit is entered...
    """
    if np.any(flows.costs != 0) or np.any(flows.benefits != 0):
        return
    horizon = case.general.horizon_years
    fill = (
        "enter the costs (the cost lines, one amount per year 0..10) and the benefit "
        "drivers (such as CustomersActive, ChurnReduction and MarginPerCustomer for "
        "retention, or OtherBenefits); crmvalue demo shows a filled case"
    )
    entered_costs = bool(np.any(case.costs.total != 0))
    entered_benefits = any(
        case.get(name) != 0 for name in _DRIVER_FACTORS if name != "WorkingWeeks"
    ) or any(case.benefits.other_benefits)
    if np.any(flows.gross_benefits != 0):
        why = (
            "the costs are 0 and BenefitRiskAdjustment is 100%, which takes off every "
            "benefit; enter the costs, and a risk adjustment such as 10% (0.1)"
        )
        raise fail(FUNC, f"nothing to appraise: {why}")
    if not entered_costs and not entered_benefits:
        raise fail(
            FUNC, f"no cost and no benefit is entered, so there is nothing to appraise; {fill}"
        )
    raise fail(
        FUNC,
        f"nothing to appraise: the costs and the benefits of years 0..{horizon} are all 0 "
        f"(amounts after year {horizon}, the horizon HorizonYears, are ignored, and a "
        "benefit driver gives nothing until all its factors are entered); " + fill,
    )
