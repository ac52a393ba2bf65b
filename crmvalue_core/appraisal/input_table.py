"""The one table of the appraisal's inputs: what each input is, accepts and looks like.

Every input cell of the template has a workbook-scoped defined name; :data:`INPUTS` holds,
for each, everything the layers share: the field of
:class:`~crmvalue_core.appraisal.AppraisalInputs` it fills, its label, unit and number
format (as the template's Inputs sheet shows them, and as the core's messages name it),
the number of cells, the allowed range, what a blank means, the default and the hint of
what to enter. The core's checks (:mod:`.inputs`), the template builder's data validation
and the workbook reader all read this table, so the workbook, the reader and the core
refuse the same values with the same words. Where an input sits on the Inputs sheet is the
workbook layer's business (``workbook_templates._spec``).

This module is data only: no openpyxl, no I/O. A number format is a plain Excel format
string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..currencies import COMMON_CURRENCIES

__all__ = [
    "CURRENCIES",
    "DEFAULT_ADOPTION_RAMP",
    "DEFINED_NAMES",
    "FORMATS",
    "INPUTS",
    "MAX_HORIZON",
    "YEARS",
    "InputSpec",
    "NumberFormats",
]

#: Years of the model: 0 (implementation) .. 10.
YEARS = 11
#: Longest horizon the template holds.
MAX_HORIZON = 10

#: The currencies of the template's drop-down (ISO 4217 codes); any other current ISO 4217
#: code (:data:`crmvalue_core.currencies.ISO_4217_CODES`) may be typed in.
CURRENCIES: tuple[str, ...] = COMMON_CURRENCIES
#: The template's default adoption ramp for years 1..10: 50%, 80%, then 100%.
DEFAULT_ADOPTION_RAMP: tuple[float, ...] = (0.5, 0.8) + (1.0,) * 8


@dataclass(frozen=True)
class NumberFormats:
    """The Excel number formats of the template's cells, by name (plain format strings).

    Amounts show negative values in red; ``percent2`` has two decimals, ``percent0`` none.
    """

    general: str = "General"
    year: str = "0"
    percent0: str = "0%"
    percent: str = "0.0%"
    percent2: str = "0.00%"
    money: str = "#,##0;[Red]-#,##0"
    money2: str = "#,##0.00;[Red]-#,##0.00"
    whole: str = "#,##0"
    number: str = "#,##0.0"


#: The number formats of the template: ``FORMATS.money``, ``FORMATS.percent2``...
FORMATS = NumberFormats()


@dataclass(frozen=True)
class InputSpec:
    """One input of the template: its defined name, field, allowed values and looks.

    Attributes:
        name: the workbook-scoped defined name, e.g. ``"DiscountRate"``.
        path: the field of :class:`AppraisalInputs`, e.g. ``"general.discount_rate"``.
        label: the input in a user's words, as the Inputs sheet shows it and the messages
            name it (the words before a parenthesis, e.g. "discount rate").
        kind: ``"text"``, ``"currency"``, ``"year"``, ``"whole"`` (whole numbers),
            ``"rate"``, ``"share"``, ``"amount"`` (money) or ``"number"``.
        cells: 1 for a single cell, 11 for a cost row (years 0..10), 10 for a per-year
            driver row (years 1..10).
        first_year: the model year of the first cell of a row (0 or 1).
        minimum, maximum: inclusive bounds (None: unbounded).
        whole: whole numbers only.
        blank: what an empty cell means: ``"zero"`` (0, as a spreadsheet formula reads
            it), ``"default"`` (the default, e.g. finance rate = discount rate) or
            ``"error"`` (a value is required).
        default: the value a new workbook shows (a tuple for a row).
        hint: what to enter, for error messages and the input message of the cell.
        unit: the unit shown beside the input: ``"currency"`` (the case's currency), a
            word such as ``"customers"`` or ``"%"``, or ``""``.
        number_format: the Excel number format of the input's cells.
        note: a short remark shown beside a single-cell input (or ``""``).
    """

    name: str
    path: str
    label: str
    kind: str
    cells: int
    first_year: int
    minimum: float | None
    maximum: float | None
    whole: bool
    blank: str
    default: Any
    hint: str
    unit: str = ""
    number_format: str = FORMATS.general
    note: str = ""


# What to enter, and the bounds, of the kinds that have them.
_KIND_RULES: dict[str, tuple[float | None, float | None, str]] = {
    "rate": (-0.99, 1.0, "a rate between -99% and 100% as a decimal (10% = 0.1)"),
    "share": (0.0, 1.0, "a share between 0 and 1 as a decimal (25% = 0.25)"),
    "whole": (0.0, None, "a whole number >= 0"),
    "amount": (0.0, None, "an amount >= 0"),
}


def _input(
    name: str,
    path: str,
    label: str,
    kind: str,
    default: Any,
    *,
    unit: str,
    number_format: str,
    note: str = "",
    cells: int = 1,
    first_year: int = 0,
    minimum: float | None = None,
    maximum: float | None = None,
    blank: str = "zero",
    hint: str = "",
) -> InputSpec:
    """One entry of the table; a rate, share, count or amount gets its kind's bounds and
    hint unless bounds are given."""
    if kind in _KIND_RULES and minimum is None and maximum is None:
        minimum, maximum, kind_hint = _KIND_RULES[kind]
        hint = hint or kind_hint
    return InputSpec(
        name=name,
        path=path,
        label=label,
        kind=kind,
        cells=cells,
        first_year=first_year,
        minimum=minimum,
        maximum=maximum,
        whole=kind in ("whole", "year"),
        blank=blank,
        default=default,
        hint=hint or "a number",
        unit=unit,
        number_format=number_format,
        note=note,
    )


def _cost(name: str, line: str, label: str) -> InputSpec:
    """A cost line: one amount >= 0 per year 0..10."""
    return _input(
        name,
        f"costs.{line}",
        label,
        "amount",
        (0.0,) * YEARS,
        unit="currency",
        number_format=FORMATS.money,
        cells=YEARS,
        hint="a cost >= 0 (blank counts as 0)",
    )


def _mirr_rate(name: str, field: str, label: str) -> InputSpec:
    """A rate of MIRR (finance or reinvestment): a blank cell stands for the discount rate."""
    return _input(
        name,
        f"general.{field}",
        label,
        "rate",
        None,
        unit="%",
        number_format=FORMATS.percent2,
        note="Blank: the discount rate.",
        blank="default",
    )


#: Every input of the template (general settings, cost lines, benefit drivers).
INPUTS: tuple[InputSpec, ...] = (
    _input(
        "CaseName",
        "general.case_name",
        "Case name",
        "text",
        "CRM investment",
        unit="",
        number_format=FORMATS.general,
    ),
    _input(
        "Currency",
        "general.currency",
        "Currency (all amounts)",
        "currency",
        "EUR",
        unit="",
        number_format=FORMATS.general,
        blank="error",
    ),
    _input(
        "FirstYear",
        "general.first_year",
        "First year (year 0)",
        "year",
        2027,
        unit="year",
        number_format=FORMATS.year,
        minimum=1900,
        maximum=2200,
        blank="error",
        hint="a calendar year such as 2027",
    ),
    _input(
        "HorizonYears",
        "general.horizon_years",
        "Horizon",
        "whole",
        5,
        unit="years",
        number_format=FORMATS.year,
        note="Years 1..horizon are appraised; later years are ignored.",
        minimum=1,
        maximum=MAX_HORIZON,
        blank="error",
        hint="a whole number of years from 1 to 10",
    ),
    _input(
        "DiscountRate",
        "general.discount_rate",
        "Discount rate (annual)",
        "rate",
        0.10,
        unit="%",
        number_format=FORMATS.percent2,
        blank="error",
    ),
    _mirr_rate("FinanceRate", "finance_rate", "Finance rate (for MIRR)"),
    _mirr_rate("ReinvestRate", "reinvest_rate", "Reinvestment rate (for MIRR)"),
    _input(
        "BenefitRiskAdjustment",
        "general.benefit_risk_adjustment",
        "Benefit risk adjustment",
        "share",
        0.10,
        unit="%",
        number_format=FORMATS.percent,
        note="Haircut on all benefits.",
    ),
    _input(
        "CostContingency",
        "general.cost_contingency",
        "Cost contingency",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent,
        note="Uplift on all costs.",
    ),
    _cost("CostLicences", "licences", "Software subscription / licences"),
    _cost("CostImplementation", "implementation", "Implementation and consulting"),
    _cost("CostDataMigration", "data_migration", "Data migration and integration"),
    _cost("CostTraining", "training", "Training and change management"),
    _cost("CostInternalStaff", "internal_staff", "Internal project staff"),
    _cost("CostSupport", "support", "Support and administration"),
    _cost("CostOther", "other", "Other costs"),
    _input(
        "AdoptionRamp",
        "benefits.adoption_ramp",
        "Adoption ramp (share of the full benefit)",
        "share",
        DEFAULT_ADOPTION_RAMP,
        unit="%",
        number_format=FORMATS.percent0,
        cells=MAX_HORIZON,
        first_year=1,
    ),
    _input(
        "CustomersActive",
        "benefits.customers_active",
        "Active customers (B)",
        "whole",
        0.0,
        unit="customers",
        number_format=FORMATS.whole,
    ),
    _input(
        "ChurnBaseline",
        "benefits.churn_baseline",
        "Annual churn without the CRM (c)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent2,
    ),
    _input(
        "ChurnReduction",
        "benefits.churn_reduction",
        "Churn reduction (dc, points as a share)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent2,
        note="2.5 points = 2.50% (0.025); at most the churn.",
    ),
    _input(
        "MarginPerCustomer",
        "benefits.margin_per_customer",
        "Annual gross margin per customer (m)",
        "amount",
        0.0,
        unit="currency",
        number_format=FORMATS.money2,
    ),
    _input(
        "CrossSellUplift",
        "benefits.cross_sell_uplift",
        "Cross-sell / up-sell uplift of the margin (u)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent2,
    ),
    _input(
        "NewCustomersPerYear",
        "benefits.new_customers_per_year",
        "New customers per year (N)",
        "whole",
        0.0,
        unit="customers",
        number_format=FORMATS.whole,
    ),
    _input(
        "AcquisitionCost",
        "benefits.acquisition_cost",
        "Acquisition cost per customer (CAC)",
        "amount",
        0.0,
        unit="currency",
        number_format=FORMATS.money2,
    ),
    _input(
        "AcquisitionCostReduction",
        "benefits.acquisition_cost_reduction",
        "CAC reduction (k)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent2,
    ),
    _input(
        "SalesReps",
        "benefits.sales_reps",
        "Sales reps (R)",
        "whole",
        0.0,
        unit="reps",
        number_format=FORMATS.whole,
    ),
    _input(
        "HoursSavedPerWeek",
        "benefits.hours_saved_per_week",
        "Hours saved per rep per week (h)",
        "number",
        0.0,
        unit="hours",
        number_format=FORMATS.number,
        minimum=0.0,
        maximum=168.0,
        hint="a number of hours from 0 to 168",
    ),
    _input(
        "WorkingWeeks",
        "benefits.working_weeks",
        "Working weeks per year (W)",
        "number",
        46.0,
        unit="weeks",
        number_format=FORMATS.number,
        minimum=0.0,
        maximum=53.0,
        hint="a number of weeks from 0 to 53",
    ),
    _input(
        "HourlyCost",
        "benefits.hourly_cost",
        "Loaded cost per hour (w)",
        "amount",
        0.0,
        unit="currency",
        number_format=FORMATS.money2,
    ),
    _input(
        "ProductivityShare",
        "benefits.productivity_share",
        "Share of saved time that counts (s)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent,
    ),
    _input(
        "ServiceCases",
        "benefits.service_cases",
        "Service cases per year (C)",
        "whole",
        0.0,
        unit="cases",
        number_format=FORMATS.whole,
    ),
    _input(
        "CostPerCase",
        "benefits.cost_per_case",
        "Cost per case (q)",
        "amount",
        0.0,
        unit="currency",
        number_format=FORMATS.money2,
    ),
    _input(
        "ServiceCostReduction",
        "benefits.service_cost_reduction",
        "Cost reduction per case (v)",
        "share",
        0.0,
        unit="%",
        number_format=FORMATS.percent2,
    ),
    _input(
        "OtherBenefits",
        "benefits.other_benefits",
        "Other benefits (as entered, no ramp)",
        "number",
        (0.0,) * MAX_HORIZON,
        unit="currency",
        number_format=FORMATS.money,
        cells=MAX_HORIZON,
        first_year=1,
        hint="an amount (blank counts as 0)",
    ),
)

#: Defined name of each template input -> field path of :class:`AppraisalInputs`.
DEFINED_NAMES: dict[str, str] = {spec.name: spec.path for spec in INPUTS}
