"""The Excel functions of crmvalue: thin xlwings UDFs over :mod:`crmvalue_core`.

Each function below converts what Excel hands it, calls one core function and shapes the
result; there is no arithmetic here. Names, argument help, which arguments are ranges and
the description Excel shows all come from :mod:`addin.excel.registry` through the
:func:`excel_function` decorator, which applies ``xw.func`` and ``xw.arg`` with only the
options classic xlwings (Windows desktop Excel) and the Office.js runtimes (xlwings Lite,
xlwings Server) both understand (see ``docs/architecture.md``):

* ``@xw.func`` with the registry's one-line summary as the docstring;
* ``@xw.arg(name, doc=..., ndim=2, err_to_str=True)``: a range argument always arrives as
  a list of rows, and an error cell as its text (``"#N/A"``) so that the core names it
  by position instead of reading it as a blank;
* defaults for optional arguments (an omitted argument or a blank cell gets the default).

A user mistake never shows a traceback: the core's :class:`~crmvalue_core.CrmValueError`
message (``NPV_CRM: flows item 3 is the text 'n/a'; ...``) becomes the cell's text. A
table of cash flows (one series per row) gives one result per row; the core is asked to
raise (``errors="raise"``) rather than leave a row's undefined result as NaN, which Excel
would show as an empty cell.
Results with several values (NPS_CI, SBG_FIT, CRM_APPRAISAL, CUSTOMER_SEGMENT,
RFM_SCORE) are returned as 2-D lists, which Excel 365 spills as native dynamic arrays.

Every function, its arguments and examples: ``docs/functions.md`` (or ``crmvalue functions``).
Classic Excel: set the UDF Modules of the xlwings add-in to ``addin.udfs`` and click
Import Functions. xlwings Lite: ``from addin.udfs import *`` in ``main.py``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import xlwings as xw

from crmvalue_core import (
    CrmValueError,
    baseline,
    cohort_retention,
    customer_counts,
    discounting,
    investment,
    lifetime_value,
    purchase_history,
    segmentation,
    survey_metrics,
)
from crmvalue_core.appraisal import adhoc
from crmvalue_core.cells import is_blank, number_array
from crmvalue_core.purchase_history import clv_intervals_table

from .excel.fit_cache import FIT_CACHE
from .excel.registry import COLUMN, RANGE, REGISTRY, ROW, TABLE, VALUE, ExcelFunction

__all__ = [function.name for function in REGISTRY.values()]


# ---------------------------------------------------------------------------------------
# Converting what Excel hands over, shaping what goes back
# ---------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """One cell's value for the core: a currency cell (a ``Decimal`` from COM) as a float."""
    return float(value) if isinstance(value, Decimal) else value


def read_value(value: Any, default: Any = None) -> Any:
    """A single-value argument: blank or omitted gives ``default``; a range is passed on
    (as a float array in one step when it holds only numbers, else cell by cell)."""
    if is_blank(value):
        return default
    if isinstance(value, (list, tuple)):
        numbers = number_array(value)
        return numbers if numbers is not None else [read_value(item) for item in value]
    return _cell(value)


def read_range(value: Any, default: Any = None, optional: bool = False) -> Any:
    """A range argument (a list of rows, as ``ndim=2`` delivers it) for the core.

    A single row or column becomes a flat list, so that the core counts positions as the
    user does (``item 3`` is the third cell); a table stays a list of rows. An optional
    range that is one blank cell counts as omitted. A range of plain numbers is handed
    over as a float array made in one step (a single number cell as a list of one, which
    costs nothing to make), and the core checks it without a Python loop; anything else
    (blanks, text, error values) goes as a list, for the core to read cell by cell.
    """
    if not isinstance(value, (list, tuple)):
        return default if optional and is_blank(value) else _cell(value)
    first = value[0] if len(value) == 1 else None
    if type(first) is list and len(first) == 1 and type(first[0]) is float:
        return first  # one cell holding a number: a range of one
    numbers = number_array(value)  # plain numbers: one array, no loop in Python
    if numbers is not None:
        return numbers.ravel() if numbers.ndim == 2 and 1 in numbers.shape else numbers
    rows = [row if isinstance(row, (list, tuple)) else [row] for row in value]
    if len(rows) == 1:
        cells: list[Any] = list(rows[0])
    elif all(len(row) == 1 for row in rows):
        cells = [row[0] for row in rows]
    else:
        numbers = number_array(rows)
        return numbers if numbers is not None else [[_cell(item) for item in row] for row in rows]
    if optional and len(cells) == 1 and is_blank(cells[0]):
        return default
    numbers = number_array(cells)
    return numbers if numbers is not None else [_cell(item) for item in cells]


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number or text Excel takes."""
    return value.item() if isinstance(value, np.generic) else value


def _python_values(result: Any, flat: bool) -> list[Any]:
    """The values of a row, column (``flat``) or table as Python lists, in one step for an
    array (or a pandas Categorical) of numbers or text."""
    if hasattr(result, "__array__") and not isinstance(result, (list, tuple)):
        array = np.asarray(result)
        if array.dtype.kind in "biufUO":
            values = (array.reshape(-1) if flat else array).tolist()
            if array.dtype.kind != "O":
                return values
            if flat:
                return [_plain(item) for item in values]
            return [[_plain(item) for item in row] for row in values]
    if flat:
        return [_plain(item) for item in result]
    return [[_plain(item) for item in row] for row in result]


def shape_result(result: Any, returns: str) -> Any:
    """The core's result as Excel takes it: one value, or a 2-D list that spills."""
    if returns == VALUE:
        if type(result) is float:
            return result
        if type(result) is np.ndarray and result.shape == (1,) and result.dtype.kind == "f":
            return [[result.item()]]  # one customer given as a one-cell range
    if returns == ROW and callable(getattr(result, "rows", None)):
        return [[_plain(item) for item in row] for row in result.rows()]  # a fit: 1 or 4 rows
    if returns in (ROW, COLUMN, TABLE):
        values = _python_values(result, flat=returns != TABLE)
        if returns == ROW:
            return [values]
        if returns == COLUMN:
            return [[item] for item in values]
        return values
    if np.ndim(result) == 0:
        return _plain(result)
    array = np.asarray(result)  # a range given where one value belongs: one result per cell
    rows = array.reshape(-1, 1) if array.ndim == 1 else array.reshape(array.shape[0], -1)
    if array.dtype.kind in "biuf":  # numbers: Python floats in one step
        return rows.tolist()
    return [[_plain(item) for item in row] for row in rows]


def _fit(name: str, fitter: Callable[..., Any], confidence: Any, *inputs: Any) -> Any:
    """A fit through the cache, kept apart for each confidence level asked for."""
    if confidence is None:
        return FIT_CACHE.fit(name, fitter, *inputs)
    with_level = functools.partial(fitter, confidence=confidence)
    return FIT_CACHE.fit(f"{name} {confidence!r}", with_level, *inputs)


# ---------------------------------------------------------------------------------------
# The decorator
# ---------------------------------------------------------------------------------------


def _check_against_registry(func: Callable[..., Any], entry: ExcelFunction) -> None:
    """Refuse (at import) a UDF whose arguments are not those of its registry entry."""
    params = list(inspect.signature(func).parameters.values())
    names = tuple(param.name for param in params)
    optional = tuple(param.default is not inspect.Parameter.empty for param in params)
    if names != entry.arg_names or optional != tuple(arg.optional for arg in entry.args):
        raise TypeError(
            f"addin.udfs.{func.__name__}{inspect.signature(func)} does not match the "
            f"registry's {entry.signature}"
        )
    for param, arg in zip(params, entry.args, strict=True):
        if arg.optional and param.default != arg.default:
            raise TypeError(
                f"addin.udfs.{func.__name__}: {arg.name} defaults to {param.default!r} but "
                f"the registry says {arg.default!r}"
            )


def _one_number_cell(value: Any) -> float | None:
    """The number of a range of one cell holding a number (``[[2.5]]``, as xlwings hands
    it over), else None."""
    if type(value) is list and len(value) == 1:
        row = value[0]
        if type(row) is list and len(row) == 1 and type(row[0]) is float:
            return row[0]
    return None


def _reader(kind: str, default: Any, optional: bool) -> Callable[[Any], Any]:
    """The reader of one argument: :func:`read_range` or :func:`read_value` with the
    argument's default bound, after a shortcut for the commonest cell of its kind (a range
    of one number cell; a text that is not blank), which reads it as they would."""
    if kind == RANGE:

        def read_one_range(value: Any) -> Any:
            if _one_number_cell(value) is not None:
                return value[0]  # one cell holding a number: a range of one
            return read_range(value, default, optional)

        return read_one_range

    def read_one_value(value: Any) -> Any:
        if type(value) is str and value.strip():
            return value  # a text is passed on as it is, for the core to read or to name
        return read_value(value, default)

    return read_one_value


#: Patterns of argument types remembered per function (a sheet uses a handful).
_PLANS = 64


def excel_function(func: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``func`` the Excel function of the same name, documented from the registry.

    The wrapper converts each argument by its registry kind (see :func:`read_range` and
    :func:`read_value`), puts an optional argument's default in place of a blank, calls
    ``func``, shapes the result with :func:`shape_result`, and turns a
    :class:`~crmvalue_core.CrmValueError` into its message, which Excel shows in the cell.
    """
    entry = REGISTRY[func.__name__]
    _check_against_registry(func, entry)
    signature = inspect.signature(func)
    readers = tuple(_reader(arg.kind, arg.default, arg.optional) for arg in entry.args)
    count, returns = len(readers), entry.returns
    # which arguments need their reader, by the types of the arguments: a number (a float)
    # is read as itself, so a call with the same types as an earlier one (every cell of a
    # column of formulas) reads only its ranges, blanks and texts, without a Python loop
    # over the numbers
    plans: dict[tuple[type, ...], tuple[int, ...]] = {}
    # a function of one value per row reads a range of one number cell as that number
    cell_ranges = frozenset(
        i for i, arg in enumerate(entry.args) if entry.per_row and arg.kind == RANGE
    )

    def general(args: tuple[Any, ...]) -> Any:
        """The call with every argument read by its reader (the general reading)."""
        try:
            result = func(*(read(value) for read, value in zip(readers, args, strict=True)))
        except CrmValueError as error:
            return str(error)
        return shape_result(result, returns)

    @functools.wraps(func)
    def udf(*args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != count:  # xlwings passes every argument, in order
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            args = bound.args
        kinds = tuple(map(type, args))
        plan = plans.get(kinds)
        if plan is None:
            plan = tuple(i for i, kind in enumerate(kinds) if kind is not float)
            if len(plans) < _PLANS:
                plans[kinds] = plan
        values: Any = args
        cells = False
        if plan:
            values = list(args)
            for i in plan:
                value = values[i]
                if i in cell_ranges:
                    number = _one_number_cell(value)
                    if number is not None:  # a range of one cell holding a number: the number
                        values[i], cells = number, True
                        continue
                values[i] = readers[i](value)
        try:
            result = func(*values)
        except CrmValueError as error:
            # a message names a range's cells as the range, as the general reading does
            return general(args) if cells else str(error)
        if cells:  # one value, as a range of one cell: what the range would have given
            return [[result]] if type(result) is float else general(args)
        return shape_result(result, returns)

    udf.__doc__ = entry.summary
    udf = xw.func(udf)
    for arg in entry.args:
        options: dict[str, Any] = {"doc": arg.doc, "err_to_str": True}
        if arg.kind == RANGE:
            options["ndim"] = 2
        udf = xw.arg(arg.name, **options)(udf)
    return udf


# ---------------------------------------------------------------------------------------
# Investment appraisal
# ---------------------------------------------------------------------------------------


@excel_function
def NPV_CRM(rate: Any, flows: Any, costs: Any = None) -> Any:
    return discounting.npv_crm(rate, flows, costs, errors="raise")


@excel_function
def IRR_CRM(flows: Any, costs: Any = None, guess: Any = None) -> Any:
    return discounting.irr_crm(flows, costs, guess, errors="raise")


@excel_function
def MIRR_CRM(flows: Any, finance_rate: Any, reinvest_rate: Any, costs: Any = None) -> Any:
    return discounting.mirr_crm(flows, finance_rate, reinvest_rate, costs, errors="raise")


@excel_function
def XNPV_CRM(rate: Any, flows: Any, dates: Any) -> Any:
    return discounting.xnpv_crm(rate, flows, dates)


@excel_function
def XIRR_CRM(flows: Any, dates: Any, guess: Any = None) -> Any:
    return discounting.xirr_crm(flows, dates, guess)


@excel_function
def PAYBACK(flows: Any, costs: Any = None) -> Any:
    return investment.payback(flows, costs, errors="raise")


@excel_function
def DISCOUNTED_PAYBACK(rate: Any, flows: Any, costs: Any = None) -> Any:
    return investment.discounted_payback(rate, flows, costs, errors="raise")


@excel_function
def ROI_CRM(rate: Any, benefits: Any, costs: Any) -> Any:
    return investment.roi_crm(rate, benefits, costs, errors="raise")


@excel_function
def PI_CRM(rate: Any, flows: Any, costs: Any = None) -> Any:
    return investment.pi_crm(rate, flows, costs, errors="raise")


@excel_function
def CRM_APPRAISAL(
    rate: Any,
    benefits: Any,
    costs: Any,
    finance_rate: Any = None,
    reinvest_rate: Any = None,
) -> Any:
    return investment.crm_appraisal(rate, benefits, costs, finance_rate, reinvest_rate)


# ---------------------------------------------------------------------------------------
# Customer lifetime value
# ---------------------------------------------------------------------------------------


@excel_function
def CLV_SIMPLE(
    avg_purchase_value: Any,
    purchases_per_period: Any,
    lifespan_periods: Any,
    margin: Any = 1.0,
) -> Any:
    return lifetime_value.clv_simple(
        avg_purchase_value, purchases_per_period, lifespan_periods, margin
    )


@excel_function
def CLV(
    margin: Any,
    retention: Any,
    discount_rate: Any,
    periods: Any = None,
    growth: Any = 0.0,
    acquisition_cost: Any = 0.0,
    timing: Any = "end",
) -> Any:
    return lifetime_value.clv(
        margin, retention, discount_rate, periods, growth, acquisition_cost, timing
    )


@excel_function
def CLV_FROM_CHURN(revenue_per_period: Any, gross_margin: Any, churn_rate: Any) -> Any:
    return lifetime_value.clv_from_churn(revenue_per_period, gross_margin, churn_rate)


@excel_function
def EXPECTED_LIFETIME(churn_rate: Any) -> Any:
    return lifetime_value.expected_lifetime(churn_rate)


# ---------------------------------------------------------------------------------------
# Customer metrics
# ---------------------------------------------------------------------------------------


@excel_function
def NPS(scores: Any) -> Any:
    return survey_metrics.nps(scores)


@excel_function
def NPS_COUNTS(promoters: Any, passives: Any, detractors: Any) -> Any:
    return survey_metrics.nps_counts(promoters, passives, detractors)


@excel_function
def NPS_MOE(scores: Any, confidence: Any = 0.95) -> Any:
    return survey_metrics.nps_moe(scores, confidence)


@excel_function
def NPS_CI(scores: Any, confidence: Any = 0.95) -> Any:
    return survey_metrics.nps_ci(scores, confidence)


@excel_function
def CSAT(scores: Any) -> Any:
    return survey_metrics.csat(scores)


@excel_function
def CSAT_TOPBOX(scores: Any, scale_max: Any, boxes: Any = 2.0) -> Any:
    return survey_metrics.csat_topbox(scores, scale_max, boxes)


@excel_function
def CES(scores: Any) -> Any:
    return survey_metrics.ces(scores)


@excel_function
def CHURN_RATE(customers_start: Any, customers_lost: Any) -> Any:
    return customer_counts.churn_rate(customers_start, customers_lost)


@excel_function
def RETENTION_RATE(customers_start: Any, customers_end: Any, new_customers: Any) -> Any:
    return customer_counts.retention_rate(customers_start, customers_end, new_customers)


@excel_function
def CAC(sales_marketing_spend: Any, new_customers: Any) -> Any:
    return customer_counts.cac(sales_marketing_spend, new_customers)


@excel_function
def CLV_CAC(clv: Any, cac: Any) -> Any:
    return customer_counts.clv_cac(clv, cac)


@excel_function
def CAC_PAYBACK(cac: Any, revenue_per_period: Any, gross_margin: Any) -> Any:
    return customer_counts.cac_payback(cac, revenue_per_period, gross_margin)


@excel_function
def REFERRAL_RATE(referring_customers: Any, customers: Any) -> Any:
    return customer_counts.referral_rate(referring_customers, customers)


# ---------------------------------------------------------------------------------------
# Customer value classification
# ---------------------------------------------------------------------------------------


@excel_function
def CUSTOMER_SEGMENT(
    actual_value: Any,
    strategic_value: Any,
    top_share: Any = 0.05,
    growth_share: Any = 0.2,
) -> Any:
    return segmentation.customer_segment(
        actual_value, strategic_value, top_share, growth_share
    ).labels


@excel_function
def VALUE_CONCENTRATION(values: Any, top_share: Any = 0.05) -> Any:
    return segmentation.value_concentration(values, top_share)


@excel_function
def RFM_SCORE(recency_days: Any, frequency: Any, monetary: Any, bins: Any = 5.0) -> Any:
    return segmentation.rfm_score(recency_days, frequency, monetary, bins)


# ---------------------------------------------------------------------------------------
# Cohort retention (shifted-beta-geometric)
# ---------------------------------------------------------------------------------------


@excel_function
def SBG_FIT(survivors: Any, confidence: Any = None) -> Any:
    return _fit("SBG_FIT", cohort_retention.sbg_fit, confidence, survivors)


@excel_function
def SBG_FIT_COHORTS(table: Any, confidence: Any = None) -> Any:
    return _fit("SBG_FIT_COHORTS", cohort_retention.sbg_fit_cohorts, confidence, table)


@excel_function
def SBG_SURVIVAL(alpha: Any, beta: Any, t: Any) -> Any:
    return cohort_retention.sbg_survival(alpha, beta, t)


@excel_function
def SBG_RETENTION(alpha: Any, beta: Any, t: Any) -> Any:
    return cohort_retention.sbg_retention(alpha, beta, t)


@excel_function
def SBG_DEL(alpha: Any, beta: Any, discount_rate: Any) -> Any:
    return cohort_retention.sbg_del(alpha, beta, discount_rate)


@excel_function
def SBG_DERL(alpha: Any, beta: Any, discount_rate: Any, renewals: Any) -> Any:
    return cohort_retention.sbg_derl(alpha, beta, discount_rate, renewals)


@excel_function
def SBG_CLV(alpha: Any, beta: Any, margin: Any, discount_rate: Any, renewals: Any = None) -> Any:
    return cohort_retention.sbg_clv(alpha, beta, margin, discount_rate, renewals)


# ---------------------------------------------------------------------------------------
# Uncertainty (extension): scenarios, tornado and Monte Carlo of cash-flow rows
# ---------------------------------------------------------------------------------------


@excel_function
def CRM_SCENARIO(
    rate: Any,
    benefits_low: Any,
    benefits_base: Any,
    benefits_high: Any,
    costs_low: Any = None,
    costs_base: Any = None,
    costs_high: Any = None,
) -> Any:
    return adhoc.crm_scenario(
        rate, benefits_low, benefits_base, benefits_high, costs_low, costs_base, costs_high
    )


@excel_function
def CRM_SENSITIVITY(
    rate: Any,
    benefits_low: Any,
    benefits_base: Any,
    benefits_high: Any,
    costs_low: Any = None,
    costs_base: Any = None,
    costs_high: Any = None,
    labels: Any = None,
) -> Any:
    return adhoc.crm_sensitivity(
        rate, benefits_low, benefits_base, benefits_high, costs_low, costs_base, costs_high, labels
    )


@excel_function
def CRM_SIMULATE(
    rate: Any,
    benefits_low: Any,
    benefits_base: Any,
    benefits_high: Any,
    costs_low: Any,
    costs_base: Any,
    costs_high: Any,
    draws: Any,
    seed: Any = None,
    distribution: Any = None,
    correlation: Any = 0.0,
) -> Any:
    return adhoc.crm_simulate(
        rate,
        benefits_low,
        benefits_base,
        benefits_high,
        costs_low,
        costs_base,
        costs_high,
        draws,
        seed,
        distribution,
        correlation,
    )


# ---------------------------------------------------------------------------------------
# Purchase history (extension): BG/NBD and Gamma-Gamma (docs/purchase_history.md)
# ---------------------------------------------------------------------------------------


@excel_function
def BGNBD_FIT(frequency: Any, recency: Any, age: Any, confidence: Any = None) -> Any:
    return _fit("BGNBD_FIT", purchase_history.bgnbd_fit, confidence, frequency, recency, age)


@excel_function
def BGNBD_PURCHASES(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    t: Any,
    frequency: Any = None,
    recency: Any = None,
    age: Any = None,
) -> Any:
    return purchase_history.bgnbd_purchases(r, alpha, a, b, t, frequency, recency, age)


@excel_function
def BGNBD_P_ALIVE(
    r: Any, alpha: Any, a: Any, b: Any, frequency: Any, recency: Any, age: Any
) -> Any:
    return purchase_history.bgnbd_p_alive(r, alpha, a, b, frequency, recency, age)


@excel_function
def GG_FIT(frequency: Any, monetary_value: Any, confidence: Any = None) -> Any:
    return _fit("GG_FIT", purchase_history.gg_fit, confidence, frequency, monetary_value)


@excel_function
def GG_SPEND(p: Any, q: Any, gamma: Any, frequency: Any, monetary_value: Any) -> Any:
    return purchase_history.gg_spend(p, q, gamma, frequency, monetary_value)


@excel_function
def PREDICTED_CLV(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12.0,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: Any = "W",
) -> Any:
    return purchase_history.predicted_clv(
        r,
        alpha,
        a,
        b,
        p,
        q,
        gamma,
        frequency,
        recency,
        age,
        monetary_value,
        months,
        discount_rate,
        margin,
        time_unit,
    )


# ---------------------------------------------------------------------------------------
# Holdout validation of BG/NBD
# ---------------------------------------------------------------------------------------


@excel_function
def BGNBD_PROB_PURCHASES(r: Any, alpha: Any, a: Any, b: Any, t: Any, x: Any) -> Any:
    return purchase_history.bgnbd_prob_purchases(r, alpha, a, b, t, x)


@excel_function
def HOLDOUT_SUMMARY(
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    amounts: Any = None,
    time_unit: Any = "W",
) -> Any:
    return purchase_history.holdout_summary(
        customer_ids, dates, calibration_end, holdout_end, amounts, time_unit
    )


@excel_function
def HOLDOUT_CONDITIONAL(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    frequency: Any,
    recency: Any,
    age: Any,
    holdout_purchases: Any,
    holdout_duration: Any,
    max_frequency: Any = 7.0,
) -> Any:
    return purchase_history.holdout_conditional(
        r, alpha, a, b, frequency, recency, age, holdout_purchases, holdout_duration, max_frequency
    )


@excel_function
def HOLDOUT_SPEND(
    p: Any,
    q: Any,
    gamma: Any,
    frequency: Any,
    monetary_value: Any,
    holdout_purchases: Any,
    holdout_total: Any,
    max_frequency: Any = 7.0,
) -> Any:
    return purchase_history.holdout_spend(
        p, q, gamma, frequency, monetary_value, holdout_purchases, holdout_total, max_frequency
    )


@excel_function
def BGNBD_HISTOGRAM(
    r: Any, alpha: Any, a: Any, b: Any, frequency: Any, age: Any, max_frequency: Any = 7.0
) -> Any:
    return purchase_history.bgnbd_histogram(r, alpha, a, b, frequency, age, max_frequency)


@excel_function
def HOLDOUT_TRACKING(
    r: Any,
    alpha: Any,
    a: Any,
    b: Any,
    customer_ids: Any,
    dates: Any,
    calibration_end: Any,
    holdout_end: Any,
    period_days: Any = 7.0,
    time_unit: Any = "W",
) -> Any:
    return purchase_history.holdout_tracking(
        r, alpha, a, b, customer_ids, dates, calibration_end, holdout_end, period_days, time_unit
    )


# ---------------------------------------------------------------------------------------
# The appraisal's baseline measured from a transaction log
# ---------------------------------------------------------------------------------------


@excel_function
def BASELINE_TABLE(
    customer_ids: Any,
    dates: Any,
    amounts: Any = None,
    observation_end: Any = None,
    margin: Any = 1.0,
    draws: Any = 500.0,
    seed: Any = 0.0,
) -> Any:
    return baseline.baseline_table(
        customer_ids, dates, amounts, observation_end, margin, draws, seed
    )


# ---------------------------------------------------------------------------------------
# Intervals of the predicted CLV (purchase history)
# ---------------------------------------------------------------------------------------


@excel_function
def PREDICTED_CLV_INTERVALS(
    frequency: Any,
    recency: Any,
    age: Any,
    monetary_value: Any,
    months: Any = 12.0,
    discount_rate: Any = 0.01,
    margin: Any = 1.0,
    time_unit: Any = "W",
    draws: Any = 1000.0,
    seed: Any = 0.0,
) -> Any:
    return purchase_history.predicted_clv_intervals_table(
        frequency,
        recency,
        age,
        monetary_value,
        months,
        discount_rate,
        margin,
        time_unit,
        draws,
        seed,
        fitted=_fit_with_errors,
    )


def _fit_with_errors(name: str, fitter: Callable[..., Any], *inputs: Any) -> Any:
    """A fit with standard errors through the cache, shared with ``BGNBD_FIT(..., 0.95)``."""
    level = clv_intervals_table.FIT_CONFIDENCE
    return FIT_CACHE.fit(f"{name} {level!r}", fitter, *inputs)
