"""The cash-flow model of the CRM appraisal and the appraisal of one case.

With a_t the adoption ramp (0 in year 0 and after the horizon), for t = 0..10:

* extra customers retained: E_0 = 0, E_t = E_(t-1) (1 - c) + B dc a_t
* retention benefit E_t m; cross-sell B m u a_t; acquisition N CAC k a_t;
  productivity R h W w s a_t; service C q v a_t; other benefits as entered (no ramp),
  with any added benefit lines
* gross benefits = the sum; benefits = gross (1 - risk adjustment)
* costs = sum of the cost lines, the seven named and any added (1 + contingency)
* net = benefits - costs

Every row is 0 after the horizon, and every metric is taken over years 0..horizon only.
:func:`appraisal_cash_flows` computes the rows for arrays of drivers that broadcast (one
case, or 100,000 Monte Carlo draws at once); :func:`appraise` uses it for one case.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .._inputs import fail
from ..cells import describe
from ..discounting import npv_crm
from ..investment import investment_metrics
from .inputs import (
    BENEFIT_DRIVERS,
    COST_LINES,
    FUNC,
    MAX_HORIZON,
    METRICS,
    YEARS,
    AppraisalInputs,
)
from .plausibility import check_not_empty

if TYPE_CHECKING:  # pragma: no cover - pandas loads only when the table is asked for
    import pandas as pd

# -------------------------------------------------------------- the cash-flow model


@dataclass(frozen=True)
class CashFlows:
    """The model rows, each an array whose last axis is the year 0..10.

    Leading axes are those the drivers broadcast to (none for one case). Every row is 0
    in year 0 (except costs and net) and after the horizon.

    Attributes:
        horizon_years: the horizon the rows were computed for.
        adoption_ramp: a_t, 0 in year 0 and after the horizon.
        extra_customers: E_t, extra customers retained.
        retention, cross_sell, acquisition, productivity, service, other: the benefit of
            each driver, before risk adjustment.
        gross_benefits: the sum of the drivers.
        benefits: gross benefits x (1 - risk adjustment): the ``Benefits`` row.
        costs_before_contingency: the sum of the cost lines.
        costs: with contingency: the ``Costs`` row.
        net: benefits - costs: the ``NetCashFlow`` row.
    """

    horizon_years: int
    adoption_ramp: np.ndarray
    extra_customers: np.ndarray
    retention: np.ndarray
    cross_sell: np.ndarray
    acquisition: np.ndarray
    productivity: np.ndarray
    service: np.ndarray
    other: np.ndarray
    gross_benefits: np.ndarray
    benefits: np.ndarray
    costs_before_contingency: np.ndarray
    costs: np.ndarray
    net: np.ndarray

    @property
    def drivers(self) -> dict[str, np.ndarray]:
        """The benefit of each driver before risk adjustment, in :data:`BENEFIT_DRIVERS`
        order."""
        return {name: getattr(self, name) for name in BENEFIT_DRIVERS}

    def within_horizon(self, row: np.ndarray) -> np.ndarray:
        """``row`` cut to the years of the case, 0..horizon (what the metrics read)."""
        return row[..., : self.horizon_years + 1]


def _as_array(name: str, value: Any, cells: int | None = None) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise fail(FUNC, f"{name} is {describe(value)}; give numbers") from None
    if not np.all(np.isfinite(array)):
        raise fail(FUNC, f"{name} holds NaN or infinite values; give finite numbers")
    if cells is not None and (array.ndim == 0 or array.shape[-1] != cells):
        got = 1 if array.ndim == 0 else array.shape[-1]
        raise fail(FUNC, f"{name} needs {cells} values per case along its last axis; got {got}")
    return array


def appraisal_cash_flows(
    *,
    horizon_years: int,
    costs: Any,
    adoption_ramp: Any,
    other_benefits: Any,
    benefit_risk_adjustment: Any = 0.0,
    cost_contingency: Any = 0.0,
    customers_active: Any = 0.0,
    churn_baseline: Any = 0.0,
    churn_reduction: Any = 0.0,
    margin_per_customer: Any = 0.0,
    cross_sell_uplift: Any = 0.0,
    new_customers_per_year: Any = 0.0,
    acquisition_cost: Any = 0.0,
    acquisition_cost_reduction: Any = 0.0,
    sales_reps: Any = 0.0,
    hours_saved_per_week: Any = 0.0,
    working_weeks: Any = 0.0,
    hourly_cost: Any = 0.0,
    productivity_share: Any = 0.0,
    service_cases: Any = 0.0,
    cost_per_case: Any = 0.0,
    service_cost_reduction: Any = 0.0,
) -> CashFlows:
    """Year-by-year benefits, costs and net cash flow of the appraisal model, vectorised.

    Parameters
    ----------
    horizon_years : int
        Years of the case, 1..10 (one value for all cases).
    costs : array_like, shape (..., 11)
        Sum of the cost lines per year 0..10, before contingency.
    adoption_ramp : array_like, shape (..., 10)
        a_t for years 1..10.
    other_benefits : array_like, shape (..., 10)
        Other benefits for years 1..10 (no ramp).
    benefit_risk_adjustment, cost_contingency, customers_active, ... : array_like
        The single-value drivers of :class:`BenefitDrivers` and :class:`General`, each a
        number or an array of shape (...,).

    All arguments broadcast over their leading axes, so 100,000 Monte Carlo draws of any
    driver compute in one call. Values are not range-checked here (build an
    :class:`AppraisalInputs` for that); they must be finite.

    Returns
    -------
    CashFlows
        Every model row with shape ``batch + (11,)``.

    Notes
    -----
    For t = 1..H (H the horizon), with every row 0 in year 0 and after H:

    .. math::

        E_t &= E_{t-1} (1 - c) + B \\, dc \\, a_t, \\quad E_0 = 0 \\\\
        gross_t &= E_t m + B m u a_t + N \\, CAC \\, k \\, a_t + R h W w s \\, a_t
                  + C q v \\, a_t + other_t \\\\
        benefits_t &= gross_t (1 - risk), \\quad
        costs_t = \\sum lines_t (1 + contingency), \\; t = 0..H \\\\
        net_t &= benefits_t - costs_t

    (the Calculation sheet of the template, docs/template.md; the retention term is the
    margin of the customers kept by a churn reduction of dc points, each cohort of kept
    customers churning at c afterwards.)

    Examples
    --------
    >>> flows = appraisal_cash_flows(
    ...     horizon_years=2, costs=[100, 10, 10] + [0] * 8,
    ...     adoption_ramp=[0.5] + [1] * 9, other_benefits=[0] * 10,
    ...     customers_active=1000, churn_baseline=0.2, churn_reduction=0.02,
    ...     margin_per_customer=10)
    >>> flows.extra_customers[:4]
    array([ 0., 10., 28.,  0.])
    >>> flows.net[:4]
    array([-100.,  90., 270.,   0.])

    Draws broadcast along leading axes:

    >>> appraisal_cash_flows(
    ...     horizon_years=2, costs=[100, 10, 10] + [0] * 8,
    ...     adoption_ramp=[1] * 10, other_benefits=[0] * 10,
    ...     customers_active=1000, margin_per_customer=10,
    ...     cross_sell_uplift=[0.01, 0.02, 0.03]).net[:, :3]
    array([[-100.,  90.,  90.],
           [-100., 190., 190.],
           [-100., 290., 290.]])
    """
    horizon = _horizon(horizon_years)
    cost_rows = _as_array("costs", costs, YEARS)
    ramp_rows = _as_array("adoption_ramp", adoption_ramp, MAX_HORIZON)
    other_rows = _as_array("other_benefits", other_benefits, MAX_HORIZON)
    scalars = {
        name: _as_array(name, value)
        for name, value in (
            ("benefit_risk_adjustment", benefit_risk_adjustment),
            ("cost_contingency", cost_contingency),
            ("customers_active", customers_active),
            ("churn_baseline", churn_baseline),
            ("churn_reduction", churn_reduction),
            ("margin_per_customer", margin_per_customer),
            ("cross_sell_uplift", cross_sell_uplift),
            ("new_customers_per_year", new_customers_per_year),
            ("acquisition_cost", acquisition_cost),
            ("acquisition_cost_reduction", acquisition_cost_reduction),
            ("sales_reps", sales_reps),
            ("hours_saved_per_week", hours_saved_per_week),
            ("working_weeks", working_weeks),
            ("hourly_cost", hourly_cost),
            ("productivity_share", productivity_share),
            ("service_cases", service_cases),
            ("cost_per_case", cost_per_case),
            ("service_cost_reduction", service_cost_reduction),
        )
    }
    shapes = {name: value.shape for name, value in scalars.items()}
    shapes.update(
        costs=cost_rows.shape[:-1],
        adoption_ramp=ramp_rows.shape[:-1],
        other_benefits=other_rows.shape[:-1],
    )
    try:
        batch = np.broadcast_shapes(*shapes.values())
    except ValueError:
        shown = ", ".join(f"{name} {shape}" for name, shape in shapes.items() if shape)
        raise fail(
            FUNC, f"the drivers' draws do not fit together ({shown}); give arrays that broadcast"
        ) from None

    def col(name: str) -> np.ndarray:
        """A single-value driver as a column that broadcasts against a year axis."""
        return scalars[name][..., np.newaxis]

    shape = (*batch, YEARS)
    years = np.arange(YEARS)
    in_case = years <= horizon  # years 0..H
    benefit_year = in_case & (years >= 1)  # years 1..H
    ramp = np.zeros(shape)
    ramp[..., 1:] = ramp_rows
    ramp = np.where(benefit_year, ramp, 0.0)

    customers = scalars["customers_active"]
    keep = 1.0 - scalars["churn_baseline"]
    kept_each_year = customers * scalars["churn_reduction"]
    extra = np.zeros(shape)
    for t in range(1, horizon + 1):
        extra[..., t] = extra[..., t - 1] * keep + kept_each_year * ramp[..., t]

    margin = col("margin_per_customer")
    retention = extra * margin
    cross_sell = col("customers_active") * margin * col("cross_sell_uplift") * ramp
    acquisition = (
        col("new_customers_per_year")
        * col("acquisition_cost")
        * col("acquisition_cost_reduction")
        * ramp
    )
    productivity = (
        col("sales_reps")
        * col("hours_saved_per_week")
        * col("working_weeks")
        * col("hourly_cost")
        * col("productivity_share")
        * ramp
    )
    service = col("service_cases") * col("cost_per_case") * col("service_cost_reduction") * ramp
    other = np.zeros(shape)
    other[..., 1:] = other_rows
    other = np.where(benefit_year, other, 0.0)

    gross = retention + cross_sell + acquisition + productivity + service + other
    benefits = gross * (1.0 - col("benefit_risk_adjustment"))
    before = np.where(in_case, np.broadcast_to(cost_rows, shape), 0.0)
    costs_with = before * (1.0 + col("cost_contingency"))
    return CashFlows(
        horizon_years=horizon,
        adoption_ramp=ramp,
        extra_customers=extra,
        retention=retention,
        cross_sell=np.broadcast_to(cross_sell, shape).copy(),
        acquisition=np.broadcast_to(acquisition, shape).copy(),
        productivity=np.broadcast_to(productivity, shape).copy(),
        service=np.broadcast_to(service, shape).copy(),
        other=other,
        gross_benefits=gross,
        benefits=benefits,
        costs_before_contingency=before,
        costs=costs_with,
        net=benefits - costs_with,
    )


def _horizon(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise fail(FUNC, f"horizon_years is {describe(value)}; enter a whole number 1..10")
    number = float(value)
    if not (number.is_integer() and 1 <= number <= MAX_HORIZON):
        raise fail(
            FUNC,
            f"HorizonYears (horizon in years) is {number:g}; enter a whole number of years "
            "from 1 to 10",
        )
    return int(number)


# ---------------------------------------------------------------------- the result


@dataclass(frozen=True)
class AppraisalResult:
    """The appraisal of one case: the year-by-year table and every metric.

    Attributes:
        inputs: the case appraised.
        columns: the columns of :attr:`years` as numpy arrays of years 0..10, by name
            (the table without pandas: ``columns["net"]`` is ``years["net"]``).
        years: a pandas DataFrame, built from ``columns`` when first asked for (so that
            appraising a case loads no pandas): one row per year 0..10 (index ``year``),
            columns: ``calendar_year``,
            ``adoption_ramp``, ``extra_customers``, one column per benefit driver
            (``retention``, ``cross_sell``, ``acquisition``, ``productivity``,
            ``service``, ``other``; before risk adjustment), ``gross_benefits``,
            ``risk_adjustment`` (the amount taken off), ``benefits`` (the ``Benefits``
            row), one column per cost line (``cost_licences`` ... ``cost_other``, as
            entered, 0 after the horizon), ``contingency`` (the amount added), ``costs``
            (the ``Costs`` row), ``net`` (``NetCashFlow``), ``discount_factor``
            (1/(1+rate)^t, every year), ``pv_net`` (net x discount factor),
            ``cumulative_net`` and ``cumulative_pv``. Rows after the horizon hold 0
            in every flow column.
        npv, irr, mirr, roi, payback, discounted_payback, pi, pv_benefits, pv_costs: the
            metrics over years 0..horizon; None where undefined, with the reason in
            ``notes``.
        pv_drivers: the present value of each benefit driver after risk adjustment
            (they add up to ``pv_benefits``).
        notes: metric name -> why it is undefined.
    """

    inputs: AppraisalInputs
    columns: Mapping[str, np.ndarray] = field(compare=False)
    npv: float | None
    irr: float | None
    mirr: float | None
    roi: float | None
    payback: float | None
    discounted_payback: float | None
    pi: float | None
    pv_benefits: float | None
    pv_costs: float | None
    pv_drivers: dict[str, float]
    notes: dict[str, str]

    @cached_property
    def years(self) -> pd.DataFrame:
        """The year table: one row per year 0..10 (index ``year``), a column per entry of
        :attr:`columns`."""
        import pandas as pd

        return pd.DataFrame(dict(self.columns), index=pd.RangeIndex(YEARS, name="year"))

    @property
    def metrics(self) -> dict[str, float | None]:
        """The nine metrics as ``{name: value}``, in the ``--json`` order."""
        return {name: getattr(self, name) for name in METRICS}

    def to_json_dict(self) -> dict[str, Any]:
        """The ``crmvalue appraise --json`` object (plain Python types, JSON-ready).

        Keys: ``metrics`` (the nine metrics, None where undefined), ``notes`` (metric ->
        reason), ``years`` (one object per year 0..10 with every column of
        :attr:`years` and ``year``), ``pv_drivers`` (PV per benefit driver) and ``case``
        (name, currency, first year, horizon, and the added cost and benefit lines, each
        with its label and amounts).
        """
        rows = []
        for year in range(YEARS):
            item: dict[str, Any] = {"year": year}
            for column, values in self.columns.items():
                value = values[year]
                item[column] = int(value) if column == "calendar_year" else _plain(value)
            rows.append(item)
        g = self.inputs.general
        return {
            "metrics": {name: _plain(value) for name, value in self.metrics.items()},
            "notes": dict(self.notes),
            "years": rows,
            "pv_drivers": {name: _plain(value) for name, value in self.pv_drivers.items()},
            "case": {
                "name": g.case_name,
                "currency": g.currency,
                "first_year": g.first_year,
                "horizon_years": g.horizon_years,
                "added_cost_lines": [
                    {"label": line.label, "amounts": list(line.amounts)}
                    for line in self.inputs.costs.added_lines
                ],
                "added_benefit_lines": [
                    {"label": line.label, "amounts": list(line.amounts)}
                    for line in self.inputs.benefits.other_benefit_lines
                ],
            },
        }


def _plain(value: Any) -> float | None:
    """A metric as a Python float, or None when undefined (None, NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def appraise(inputs: AppraisalInputs) -> AppraisalResult:
    """Appraise one CRM investment case: the year-by-year model and every metric.

    Parameters
    ----------
    inputs : AppraisalInputs
        The case (see :func:`demo_case` for a complete example).

    Returns
    -------
    AppraisalResult
        The table of years 0..10 and the metrics over years 0..horizon.

    Raises
    ------
    CrmValueError
        For a case whose costs and benefits are 0 in every year 0..horizon (nothing
        entered): it is not a case (:func:`~crmvalue_core.appraisal.plausibility.check_not_empty`).
        Valid but implausible values are not refused: see
        :func:`~crmvalue_core.appraisal.plausibility.plausibility_warnings`.

    Notes
    -----
    The rows follow :func:`appraisal_cash_flows` (the template's Calculation sheet). The
    metrics are those of :func:`crmvalue_core.investment.investment_metrics` on the
    benefits and costs of years 0..H, discounted with the period-0 convention (year 0
    undiscounted):

    .. math::

        NPV = \\sum_{t=0}^{H} net_t / (1 + r)^t, \\quad
        ROI = (PV_{benefits} - PV_{costs}) / PV_{costs}, \\quad
        PI = PV_{benefits} / PV_{costs}

    with IRR, MIRR (finance and reinvestment rates default to r), payback and discounted
    payback as docs/functions.md defines them. The PV of each driver is
    ``NPV_CRM(r, driver_t (1 - risk adjustment))``.

    Examples
    --------
    >>> from crmvalue_core.appraisal import BenefitDrivers, Costs, General
    >>> result = appraise(AppraisalInputs(
    ...     general=General(horizon_years=2, benefit_risk_adjustment=0),
    ...     costs=Costs(implementation=(100_000,)),
    ...     benefits=BenefitDrivers(adoption_ramp=(1,), other_benefits=(60_000, 60_000))))
    >>> result.years.loc[0:3, ["benefits", "costs", "net"]]
          benefits     costs      net
    year
    0          0.0  100000.0 -100000.0
    1      60000.0       0.0  60000.0
    2      60000.0       0.0  60000.0
    3          0.0       0.0      0.0
    >>> round(result.npv, 2), round(result.payback, 4)
    (4132.23, 1.6667)
    """
    if not isinstance(inputs, AppraisalInputs):
        raise fail(FUNC, f"inputs is {describe(inputs)}; give an AppraisalInputs case")
    g = inputs.general
    flows = appraisal_cash_flows(**inputs.driver_arrays())
    check_not_empty(inputs, flows)
    horizon = g.horizon_years
    rate = g.discount_rate
    years = np.arange(YEARS)
    in_case = years <= horizon
    keep = 1.0 - g.benefit_risk_adjustment

    metrics = investment_metrics(
        rate,
        flows.within_horizon(flows.benefits),
        flows.within_horizon(flows.costs),
        finance_rate=g.effective_finance_rate,
        reinvest_rate=g.effective_reinvest_rate,
    )
    driver_rows = np.array([flows.within_horizon(row) * keep for row in flows.drivers.values()])
    driver_pv = np.asarray(npv_crm(rate, driver_rows), dtype=float)

    discount = (1.0 + rate) ** -years.astype(float)
    table: dict[str, Any] = {
        "calendar_year": g.first_year + years,
        "adoption_ramp": flows.adoption_ramp,
        "extra_customers": flows.extra_customers,
        **flows.drivers,
        "gross_benefits": flows.gross_benefits,
        "risk_adjustment": flows.gross_benefits - flows.benefits,
        "benefits": flows.benefits,
        **{
            f"cost_{line}": np.where(in_case, row, 0.0)
            for line, row in zip(COST_LINES, inputs.costs.lines, strict=True)
        },
        "cost_added_lines": np.where(in_case, inputs.costs.added_total, 0.0),
        "contingency": flows.costs - flows.costs_before_contingency,
        "costs": flows.costs,
        "net": flows.net,
        "discount_factor": discount,
        "pv_net": flows.net * discount,
        "cumulative_net": np.cumsum(flows.net),
        "cumulative_pv": np.cumsum(flows.net * discount),
    }
    return AppraisalResult(
        inputs=inputs,
        columns={name: np.asarray(values) for name, values in table.items()},
        npv=_plain(metrics.npv),
        irr=_plain(metrics.irr),
        mirr=_plain(metrics.mirr),
        roi=_plain(metrics.roi),
        payback=_plain(metrics.payback),
        discounted_payback=_plain(metrics.discounted_payback),
        pi=_plain(metrics.pi),
        pv_benefits=_plain(metrics.pv_benefits),
        pv_costs=_plain(metrics.pv_costs),
        pv_drivers={
            name: float(value) for name, value in zip(BENEFIT_DRIVERS, driver_pv, strict=True)
        },
        notes=dict(metrics.notes),
    )
