"""The one registry of crmvalue's Excel functions.

Every Excel function of the add-in is described here once: its name, its arguments (with
help text, the kind of value each takes and, for an optional one, what leaving it out
means), a description, the Excel category, examples and the ``crmvalue_core`` function it
wraps. Everything else is read from this registry, so the pieces cannot drift apart:

* :mod:`addin.udfs` builds its xlwings decorators from it (the docstring Excel shows, the
  argument help, which arguments are ranges);
* ``crmvalue functions`` lists the functions and prints their help from it;
* tools/make_docs.py writes ``docs/functions.md`` from it;
* the tests run every example through the UDF layer and compare the registry with the
  catalogue (``FUNCTIONS.md``).

The catalogue is the contract: names, argument names and their order are those of its
headings. Examples marked ``catalogue`` are copied from it; the others were worked out by
hand from the catalogue's formulas (or taken from Excel's documentation for XNPV/XIRR)
and say so in ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from .example_data import (
    CDNOW_EVERY_12TH_AGE,
    CDNOW_EVERY_12TH_FREQUENCY,
    CDNOW_EVERY_12TH_MONETARY,
    CDNOW_EVERY_12TH_RECENCY,
)

__all__ = [
    "CATEGORY",
    "EXTENSION_MARK",
    "FUNCTIONS",
    "REGISTRY",
    "Argument",
    "Example",
    "ExcelFunction",
    "XlError",
    "find",
    "parse_formula",
]

#: The category the functions belong to in Excel's function wizard and in the docs.
CATEGORY = "CRM Value"

# What an argument takes.
NUMBER = "number"  #: one value (a number, or a rate, a share, a count)
RANGE = "range"  #: a row, a column or a table of cells
TEXT = "text"  #: one word, such as "end" or "start"
KINDS = (NUMBER, RANGE, TEXT)

# What a function gives back.
VALUE = "value"  #: one value in the cell (or one per row if a number argument is a range)
ROW = "row"  #: a row of values that spills to the right
COLUMN = "column"  #: a column of values that spills down, one per customer
TABLE = "table"  #: a table that spills down and to the right
RETURNS = (VALUE, ROW, COLUMN, TABLE)
#: What each kind of result is, in words, for the help and the docs.
RETURNS_IN_WORDS = {
    VALUE: "one value",
    ROW: "a row that spills to the right",
    COLUMN: "a column that spills down, one value per customer",
    TABLE: "a table that spills down and to the right",
}

#: The end of the section name of functions beyond the catalogue (FUNCTIONS.md), documented
#: in their own page of ``docs/`` (e.g. ``docs/uncertainty.md``).
EXTENSION_MARK = "(extension)"

#: Longest text Excel keeps for a function or argument description (Application.MacroOptions).
EXCEL_DOC_LIMIT = 255


@dataclass(frozen=True)
class Argument:
    """One argument of an Excel function.

    ``default`` is what an omitted (or blank) optional argument stands for; ``None`` means
    "not given", which the core function reads as the catalogue says (no costs, no guess,
    an infinite horizon...).
    """

    name: str
    kind: str
    help: str
    optional: bool = False
    default: Any = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind {self.kind!r} is not one of {KINDS}")
        if self.default is not None and not self.optional:
            raise ValueError(f"{self.name}: only an optional argument has a default")

    @property
    def shown(self) -> str:
        """The argument as a signature shows it: ``costs`` or ``[costs]`` when optional."""
        return f"[{self.name}]" if self.optional else self.name

    @property
    def doc(self) -> str:
        """The help Excel shows for the argument (the help, plus the default if optional)."""
        if not self.optional:
            return self.help
        if self.default is None:
            return f"{self.help} Optional."
        return f"{self.help} Optional; default {_literal(self.default)}."


@dataclass(frozen=True)
class XlError:
    """An Excel error value in a formula or a cell, e.g. ``#N/A`` or ``#DIV/0!``."""

    text: str

    def __str__(self) -> str:
        return self.text


class _Omitted:
    """An argument left out of a formula, as in ``CLV(100, 0.8, 0.12, , 0.05)``."""

    _instance: _Omitted | None = None

    def __new__(cls) -> _Omitted:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "OMITTED"


#: The value :func:`parse_formula` gives for an argument left out.
OMITTED = _Omitted()


@dataclass(frozen=True)
class Reference:
    """A cell reference in an example formula, e.g. ``A1:A100``, with what the cells hold."""

    address: str
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Example:
    """One example: a formula as typed in Excel and what the cell shows.

    ``result`` is a number, a text, or a list of rows for a result that spills. When
    ``error`` is set the example is a mistake: the cell shows the function's message,
    which contains each of the ``error`` fragments. ``cells`` gives the values of the cell
    references in ``formula`` (a list is a column), and ``where`` says in words what they
    hold. Numbers compare within ``rel_tol`` relative or ``abs_tol`` absolute, whichever
    is looser; ``abs_tol`` covers results the catalogue gives rounded.
    """

    formula: str
    result: Any = None
    error: tuple[str, ...] = ()
    cells: Mapping[str, Any] = field(default_factory=dict)
    where: str = ""
    rel_tol: float = 1e-9
    abs_tol: float = 0.0
    source: str = "catalogue"

    @property
    def shows(self) -> str:
        """What the cell shows, as the docs and the help print it."""
        if self.error:
            return "an error message naming " + ", ".join(repr(e) for e in self.error)
        return _literal(self.result)


@dataclass(frozen=True)
class ExcelFunction:
    """One Excel function: its documentation, its arguments and the core function it wraps.

    ``core`` is the dotted path of the ``crmvalue_core`` function, e.g.
    ``"crmvalue_core.discounting.npv_crm"``; ``summary`` is the one-line description
    Excel shows in the function wizard; ``description`` the full text of the help.
    """

    name: str
    section: str
    summary: str
    description: str
    args: tuple[Argument, ...]
    returns: str
    core: str
    examples: tuple[Example, ...]
    category: str = CATEGORY

    def __post_init__(self) -> None:
        if self.returns not in RETURNS:
            raise ValueError(f"{self.name}: returns {self.returns!r} is not one of {RETURNS}")
        seen_optional = False
        for arg in self.args:
            if seen_optional and not arg.optional:
                raise ValueError(f"{self.name}: {arg.name} is required after an optional one")
            seen_optional = seen_optional or arg.optional

    @property
    def signature(self) -> str:
        """``NPV_CRM(rate, flows, [costs])``: the signature as the catalogue writes it."""
        return f"{self.name}({', '.join(arg.shown for arg in self.args)})"

    @property
    def extension(self) -> bool:
        """True for a function beyond the catalogue (FUNCTIONS.md): its section ends with
        :data:`EXTENSION_MARK` and its heading is in an extension page of ``docs/``."""
        return self.section.endswith(EXTENSION_MARK)

    @property
    def arg_names(self) -> tuple[str, ...]:
        """The argument names in order."""
        return tuple(arg.name for arg in self.args)

    def core_function(self) -> Callable[..., Any]:
        """Import and return the ``crmvalue_core`` function this Excel function wraps."""
        module, _, name = self.core.rpartition(".")
        return getattr(import_module(module), name)


def _literal(value: Any) -> str:
    """A value as an Excel formula or a cell shows it (``0.95``, ``"end"``, ``{1, 2}``)."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (list, tuple)):
        rows = [row if isinstance(row, (list, tuple)) else [row] for row in value]
        if len(rows) == 1 or all(len(row) == 1 for row in rows):
            flat = rows[0] if len(rows) == 1 else [row[0] for row in rows]
            joiner = ", " if len(rows) == 1 else "; "
            return "{" + joiner.join(_literal(item) for item in flat) + "}"
        return "{" + "; ".join(", ".join(_literal(item) for item in row) for row in rows) + "}"
    return str(value)


# ---------------------------------------------------------------------------------------
# Reading example formulas
# ---------------------------------------------------------------------------------------

_CALL = re.compile(r"^\s*=?\s*([A-Za-z][A-Za-z0-9_.]*)\s*\((.*)\)\s*$", re.DOTALL)
_REFERENCE = re.compile(r"^\$?[A-Z]{1,3}\$?[0-9]+(:\$?[A-Z]{1,3}\$?[0-9]+)?$")
_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def parse_formula(formula: str, cells: Mapping[str, Any] | None = None) -> tuple[str, list[Any]]:
    """Read ``NAME(arg, ...)`` into the name and the arguments as Excel would hand them.

    Numbers become floats, ``"text"`` a str, ``TRUE``/``FALSE`` a bool, ``#N/A`` an
    :class:`XlError`, an array constant ``{1, 2; 3, 4}`` a tuple of rows, an empty
    argument :data:`OMITTED`, and a cell reference a :class:`Reference` whose values come
    from ``cells`` (a list there is a column).

    >>> parse_formula('CLV(100, 0.8, 0.12, , , , "start")')
    ('CLV', [100.0, 0.8, 0.12, OMITTED, OMITTED, OMITTED, 'start'])
    >>> parse_formula("NPS({9, 10, 6, 8})")
    ('NPS', [((9.0, 10.0, 6.0, 8.0),)])
    """
    match = _CALL.match(formula)
    if not match:
        raise ValueError(f"not a function call: {formula!r}")
    name, inner = match.group(1).upper(), match.group(2)
    parts = _split(inner, ",") if inner.strip() else []
    return name, [_argument(part, cells or {}) for part in parts]


def _split(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside quotes and braces."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "{":
            depth += 1
        elif not quoted and char == "}":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _argument(text: str, cells: Mapping[str, Any]) -> Any:
    text = text.strip()
    if not text:
        return OMITTED
    if text.startswith("{") and text.endswith("}"):
        rows = _split(text[1:-1], ";")
        return tuple(tuple(_constant(item) for item in _split(row, ",")) for row in rows)
    if _REFERENCE.match(text.upper()):
        if text not in cells:
            raise ValueError(f"the example does not say what {text} holds")
        return Reference(text, _rows(cells[text]))
    return _constant(text)


def _rows(values: Any) -> tuple[tuple[Any, ...], ...]:
    """Cell values as rows: a list is a column, a list of lists a table."""
    if isinstance(values, (list, tuple)):
        if values and all(isinstance(row, (list, tuple)) for row in values):
            return tuple(tuple(row) for row in values)
        return tuple((value,) for value in values)
    return ((values,),)


def _constant(text: str) -> Any:
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('""', '"')
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if text.upper() in _ERRORS:
        return XlError(text.upper())
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


# ---------------------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------------------

INVESTMENT = "Investment appraisal"
LIFETIME = "Customer lifetime value"
METRICS = "Customer metrics"
CLASSIFICATION = "Customer value classification"
COHORT = "Cohort retention (shifted-beta-geometric)"
UNCERTAINTY = "Uncertainty (extension)"

_FLOWS = (-100000, 30000, 35000, 40000, 45000)
_FLOWS_TEXT = "{-100000, 30000, 35000, 40000, 45000}"
_BENEFITS_TEXT = "{0, 30000, 35000, 40000, 45000}"
_COSTS_TEXT = "{100000, 0, 0, 0, 0}"


def _rate(name: str = "rate", what: str = "Discount rate per period") -> Argument:
    return Argument(name, NUMBER, f"{what}, as a decimal (10% = 0.1).")


def _flows(name: str = "flows") -> Argument:
    return Argument(
        name,
        RANGE,
        "Cash flows, one per period, period 0 (today) first; a blank cell counts as 0.",
    )


def _costs(optional: bool = True) -> Argument:
    return Argument(
        "costs",
        RANGE,
        "Costs, one per period, same length as the flows; then the flows are the benefits "
        "and the net flow is benefit minus cost.",
        optional=optional,
    )


def _scores(help_text: str = "The answers, one per cell; blank cells are skipped.") -> Argument:
    return Argument("scores", RANGE, help_text)


def _alpha_beta() -> tuple[Argument, Argument]:
    return (
        Argument("alpha", NUMBER, "sBG alpha (> 0), e.g. from SBG_FIT."),
        Argument("beta", NUMBER, "sBG beta (> 0), e.g. from SBG_FIT."),
    )


_XNPV_CELLS = {
    "A1:A5": [-10000, 2750, 4250, 3250, 2750],
    "B1:B5": [39448, 39508, 39751, 39859, 39904],  # 2008-01-01 ... 2009-04-01
}
_XNPV_WHERE = (
    "A1:A5 holds -10000, 2750, 4250, 3250, 2750 and B1:B5 the dates 2008-01-01, "
    "2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01 (Excel's own XNPV/XIRR example)"
)
_SCORES_50_30_20 = [10] * 50 + [8] * 30 + [0] * 20
_SCORES_WHERE = "A1:A100 holds 50 scores of 10, 30 of 8 and 20 of 0"
_REGULAR_COHORT = [1000, 631, 468, 382, 326, 289, 262, 241]

FUNCTIONS: tuple[ExcelFunction, ...] = (
    # -- Investment appraisal --------------------------------------------------------------
    ExcelFunction(
        name="NPV_CRM",
        section=INVESTMENT,
        summary="Net present value of cash flows, period 0 (today) not discounted: "
        "the sum of net_t / (1+rate)^t.",
        description="Net present value with the period-0 convention: item t of the flows is "
        "discounted by (1+rate)^t, so the first flow (today) is not discounted. This is NOT "
        "Excel's NPV, which discounts the first value too. With costs, the flows are the "
        "benefits and each period's net flow is benefit minus cost.",
        args=(_rate(), _flows(), _costs()),
        returns=VALUE,
        core="crmvalue_core.discounting.npv_crm",
        examples=(
            Example(f"NPV_CRM(0.10, {_FLOWS_TEXT})", 16986.54463, abs_tol=5e-6),
            Example(
                f"NPV_CRM(0.10, {_BENEFITS_TEXT}, {_COSTS_TEXT})",
                16986.54463,
                abs_tol=5e-6,
                source="by hand: the same net flows given as benefits and costs",
            ),
        ),
    ),
    ExcelFunction(
        name="IRR_CRM",
        section=INVESTMENT,
        summary="Internal rate of return: the rate at which NPV_CRM is 0. With several "
        "rates, give a guess to pick the nearest.",
        description="The rate at which NPV_CRM of the flows is 0, to 1e-10. The flows must "
        "change sign at least once. When they have more than one IRR, the function lists "
        "them and points to MIRR_CRM unless you give a guess, which picks the root nearest "
        "to it. It never returns an unconverged number.",
        args=(
            _flows(),
            _costs(),
            Argument(
                "guess",
                NUMBER,
                "A rate near the IRR you want, when the flows have more than one.",
                optional=True,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.irr_crm",
        examples=(
            Example(f"IRR_CRM({_FLOWS_TEXT})", 0.1709368634, abs_tol=5e-11),
            Example("IRR_CRM({-100, 230, -132})", error=("IRR_CRM", "10%", "20%", "MIRR_CRM")),
            Example("IRR_CRM({-100, 230, -132}, , 0.25)", 0.2, abs_tol=1e-10),
        ),
    ),
    ExcelFunction(
        name="MIRR_CRM",
        section=INVESTMENT,
        summary="Modified internal rate of return (as Excel's MIRR): negative flows "
        "financed at finance_rate, positive ones reinvested at reinvest_rate.",
        description="Excel's MIRR: ((-FV of the positive flows at reinvest_rate) / (PV of "
        "the negative flows at finance_rate))^(1/(n-1)) - 1, n the number of periods. It has "
        "exactly one value, even when the flows change sign several times.",
        args=(
            _flows(),
            _rate("finance_rate", "Rate paid on the money invested (the negative flows)"),
            _rate("reinvest_rate", "Rate earned on the money returned (the positive flows)"),
            _costs(),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.mirr_crm",
        examples=(Example(f"MIRR_CRM({_FLOWS_TEXT}, 0.10, 0.12)", 0.1515604194, abs_tol=5e-11),),
    ),
    ExcelFunction(
        name="XNPV_CRM",
        section=INVESTMENT,
        summary="Net present value of cash flows on given dates (as Excel's XNPV): "
        "each flow discounted by (1+rate)^((date - first date)/365).",
        description="Excel's XNPV: flow i is discounted by (1+rate)^((d_i - d_first)/365), "
        "d_first the first date in the range. A date earlier than the first one is an "
        "error, as in Excel. Dates are Excel dates (serial numbers).",
        args=(
            _rate(what="Annual discount rate"),
            Argument("flows", RANGE, "Cash flows, one per date; a blank cell counts as 0."),
            Argument("dates", RANGE, "The date of each flow, the first date first."),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.xnpv_crm",
        examples=(
            Example(
                "XNPV_CRM(0.09, A1:A5, B1:B5)",
                2086.647602,
                cells=_XNPV_CELLS,
                where=_XNPV_WHERE,
                abs_tol=5e-7,
                source="Excel's XNPV documentation (2,086.65)",
            ),
        ),
    ),
    ExcelFunction(
        name="XIRR_CRM",
        section=INVESTMENT,
        summary="Internal rate of return of cash flows on given dates (as Excel's XIRR).",
        description="Excel's XIRR: the rate at which XNPV_CRM of the flows is 0, with the "
        "same dates convention. With several roots, a guess picks the nearest.",
        args=(
            Argument("flows", RANGE, "Cash flows, one per date; a blank cell counts as 0."),
            Argument("dates", RANGE, "The date of each flow, the first date first."),
            Argument(
                "guess",
                NUMBER,
                "A rate near the IRR you want, when the flows have more than one.",
                optional=True,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.discounting.xirr_crm",
        examples=(
            Example(
                "XIRR_CRM(A1:A5, B1:B5)",
                0.373362535,
                cells=_XNPV_CELLS,
                where=_XNPV_WHERE,
                abs_tol=5e-9,
                source="Excel's XIRR documentation (37.34%)",
            ),
        ),
    ),
    ExcelFunction(
        name="PAYBACK",
        section=INVESTMENT,
        summary="Payback period: periods until the cumulative net cash flow turns "
        "non-negative for good, interpolated inside the period.",
        description="Periods until the cumulative net cash flow turns non-negative for good, "
        "interpolating linearly inside the period in which it turns (flows spread evenly "
        "over the period). 0 if period 0 is already non-negative; an error 'not paid back "
        "within N periods' if never.",
        args=(_flows(), _costs()),
        returns=VALUE,
        core="crmvalue_core.investment.payback",
        examples=(
            Example(f"PAYBACK({_FLOWS_TEXT})", 2.875),
            Example(
                "PAYBACK({-100, 20, 30})",
                error=("PAYBACK", "not paid back"),
                source="by hand: 50 of 100 comes back",
            ),
        ),
    ),
    ExcelFunction(
        name="DISCOUNTED_PAYBACK",
        section=INVESTMENT,
        summary="Discounted payback period: PAYBACK on the flows discounted at rate.",
        description="PAYBACK on the discounted flows: periods until the cumulative "
        "discounted net cash flow turns non-negative for good, interpolated inside the "
        "period.",
        args=(_rate(), _flows(), _costs()),
        returns=VALUE,
        core="crmvalue_core.investment.discounted_payback",
        examples=(Example(f"DISCOUNTED_PAYBACK(0.10, {_FLOWS_TEXT})", 3.447333333, abs_tol=5e-10),),
    ),
    ExcelFunction(
        name="ROI_CRM",
        section=INVESTMENT,
        summary="Return on investment: (PV of benefits - PV of costs) / PV of costs, "
        "period 0 not discounted; rate 0 gives simple ROI.",
        description="(PV of benefits - PV of costs) / PV of costs with the period-0 "
        "convention (the Forrester Total Economic Impact convention: an undiscounted "
        "initial period, then discounted years). A rate of 0 gives the simple ROI. An error "
        "if the PV of the costs is not positive.",
        args=(
            _rate(),
            Argument("benefits", RANGE, "Benefits, one per period, period 0 first."),
            Argument("costs", RANGE, "Costs, one per period, same length as the benefits."),
        ),
        returns=VALUE,
        core="crmvalue_core.investment.roi_crm",
        examples=(
            Example(
                "ROI_CRM(0.10, {0, 110, 121}, {100, 0, 0})",
                1.0,
                source="by hand: PV of benefits 200, PV of costs 100",
            ),
            Example(
                "ROI_CRM(0, {0, 60, 60}, {100, 0, 0})",
                0.2,
                source="by hand: simple ROI (120 - 100) / 100",
            ),
        ),
    ),
    ExcelFunction(
        name="PI_CRM",
        section=INVESTMENT,
        summary="Profitability index: PV of benefits / PV of costs (without costs: PV of "
        "the positive net flows / |PV of the negative ones|).",
        description="Profitability index. With costs: PV(benefits) / PV(costs). Without: "
        "PV of the positive net flows / |PV of the negative net flows|. Period-0 "
        "convention.",
        args=(_rate(), _flows(), _costs()),
        returns=VALUE,
        core="crmvalue_core.investment.pi_crm",
        examples=(
            Example(f"PI_CRM(0.10, {_FLOWS_TEXT})", 1.169865446, abs_tol=5e-10),
            Example(
                f"PI_CRM(0.10, {_BENEFITS_TEXT}, {_COSTS_TEXT})",
                1.169865446,
                abs_tol=5e-10,
                source="by hand: the same flows as benefits and costs",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_APPRAISAL",
        section=INVESTMENT,
        summary="A two-column table (label, value) that spills: PV benefits, PV costs, NPV, "
        "IRR, MIRR, ROI, payback, discounted payback, profitability index.",
        description="A two-column table (label, value): PV benefits, PV costs, NPV, IRR, "
        "MIRR, ROI, Payback, Discounted payback, Profitability index. A metric that is "
        "undefined shows a short reason in its value cell (e.g. 'n/a: not paid back') "
        "instead of failing the table. finance_rate and reinvest_rate default to rate.",
        args=(
            _rate(),
            Argument("benefits", RANGE, "Benefits, one per period, period 0 first."),
            Argument("costs", RANGE, "Costs, one per period, same length as the benefits."),
            Argument(
                "finance_rate",
                NUMBER,
                "Rate paid on the money invested, for MIRR; omitted, it is rate.",
                optional=True,
            ),
            Argument(
                "reinvest_rate",
                NUMBER,
                "Rate earned on the money returned, for MIRR; omitted, it is rate.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.investment.crm_appraisal",
        examples=(
            Example(
                f"CRM_APPRAISAL(0.10, {_BENEFITS_TEXT}, {_COSTS_TEXT}, 0.10, 0.12)",
                [
                    ["PV benefits", 116986.54463],
                    ["PV costs", 100000.0],
                    ["NPV", 16986.54463],
                    ["IRR", 0.1709368634],
                    ["MIRR", 0.1515604194],
                    ["ROI", 0.1698654463],
                    ["Payback", 2.875],
                    ["Discounted payback", 3.447333333],
                    ["Profitability index", 1.169865446],
                ],
                abs_tol=5e-6,
                source="by hand: the catalogue's NPV_CRM, IRR_CRM, MIRR_CRM, PAYBACK, "
                "DISCOUNTED_PAYBACK and PI_CRM examples in one table",
            ),
        ),
    ),
    # -- Customer lifetime value -----------------------------------------------------------
    ExcelFunction(
        name="CLV_SIMPLE",
        section=LIFETIME,
        summary="Simple customer lifetime value: average purchase value x purchases per "
        "period x lifespan in periods (x margin).",
        description="avg_purchase_value x purchases_per_period x lifespan_periods (x margin, "
        "default 1). Undiscounted: an upper bound next to CLV.",
        args=(
            Argument("avg_purchase_value", NUMBER, "Average value of one purchase (>= 0)."),
            Argument("purchases_per_period", NUMBER, "Purchases per period (>= 0)."),
            Argument("lifespan_periods", NUMBER, "Customer lifespan in those periods (>= 0)."),
            Argument(
                "margin",
                NUMBER,
                "Margin on a purchase as a decimal between 0 and 1.",
                optional=True,
                default=1.0,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv_simple",
        examples=(
            Example(
                "CLV_SIMPLE(100, 24, 3)",
                7200.0,
                where="100 a purchase, twice a month, three years",
            ),
        ),
    ),
    ExcelFunction(
        name="CLV",
        section=LIFETIME,
        summary="Customer lifetime value from margin, retention and discount rate "
        "(Gupta & Lehmann 2003); finite or infinite horizon, growth, acquisition cost.",
        description="Margin-retention-discount CLV (Gupta & Lehmann, 'Customers as Assets', "
        '2003). timing "end" (default): margins at the end of each period, the sum over '
        "t=1..T of m (1+g)^(t-1) r^t / (1+i)^t; with periods blank, T is infinite: "
        'm r / (1 + i - r(1+g)). timing "start": the first margin today. Then minus '
        "acquisition_cost. An infinite horizon needs r(1+g) < 1+i.",
        args=(
            Argument("margin", NUMBER, "Margin a customer brings per period (an amount)."),
            Argument("retention", NUMBER, "Share of customers kept each period (0 to 1)."),
            _rate("discount_rate"),
            Argument(
                "periods",
                NUMBER,
                "Horizon in whole periods; blank for an infinite horizon.",
                optional=True,
            ),
            Argument(
                "growth",
                NUMBER,
                "Growth of the margin per period as a decimal.",
                optional=True,
                default=0.0,
            ),
            Argument(
                "acquisition_cost",
                NUMBER,
                "Cost of winning the customer, subtracted from the value.",
                optional=True,
                default=0.0,
            ),
            Argument(
                "timing",
                TEXT,
                '"end": margins at the end of each period; "start": the first one today.',
                optional=True,
                default="end",
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv",
        examples=(
            Example("CLV(100, 0.8, 0.12)", 250.0),
            Example("CLV(100, 0.8, 0.12, , 0.05)", 285.7142857, abs_tol=5e-8),
            Example("CLV(100, 0.8, 0.12, 5)", 203.516392, abs_tol=5e-7),
            Example('CLV(100, 0.8, 0.12, , , , "start")', 350.0),
        ),
    ),
    ExcelFunction(
        name="CLV_FROM_CHURN",
        section=LIFETIME,
        summary="Subscription CLV shortcut: revenue per period x gross margin / churn rate "
        "(undiscounted).",
        description="Revenue x margin / churn: the undiscounted subscription shortcut.",
        args=(
            Argument("revenue_per_period", NUMBER, "Revenue per customer per period."),
            Argument("gross_margin", NUMBER, "Gross margin as a decimal (80% = 0.8)."),
            Argument("churn_rate", NUMBER, "Share of customers lost per period (2% = 0.02)."),
        ),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.clv_from_churn",
        examples=(Example("CLV_FROM_CHURN(100, 0.8, 0.02)", 4000.0),),
    ),
    ExcelFunction(
        name="EXPECTED_LIFETIME",
        section=LIFETIME,
        summary="Expected customer lifetime in periods: 1 / churn rate.",
        description="1 / churn_rate periods.",
        args=(Argument("churn_rate", NUMBER, "Share of customers lost per period (20% = 0.2)."),),
        returns=VALUE,
        core="crmvalue_core.lifetime_value.expected_lifetime",
        examples=(Example("EXPECTED_LIFETIME(0.2)", 5.0),),
    ),
    # -- Customer metrics ------------------------------------------------------------------
    ExcelFunction(
        name="NPS",
        section=METRICS,
        summary="Net Promoter Score on -100..100: % promoters (9-10) minus % detractors "
        "(0-6); blank cells are skipped.",
        description="% promoters (9-10) minus % detractors (0-6) of the answers, on "
        "-100..100. Blanks are skipped; a non-integer or a score outside 0..10 is an error "
        "naming the first bad cell; no answers at all is an error.",
        args=(_scores("The answers (whole scores 0 to 10), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps",
        examples=(
            Example("NPS({1, 2, 3, 4, 5, 6, 7, 8, 9, 10})", -40.0),
            Example("NPS({9, 10, 6, 8})", 25.0),
            Example(
                "NPS({9, 11, 6})",
                error=("NPS", "scores item 2", "11"),
                source="by hand: 11 is outside 0..10",
            ),
        ),
    ),
    ExcelFunction(
        name="NPS_COUNTS",
        section=METRICS,
        summary="Net Promoter Score from the counts of promoters, passives and detractors.",
        description="NPS from counts: 100 x (promoters - detractors) / (promoters + passives "
        "+ detractors).",
        args=(
            Argument("promoters", NUMBER, "Number of promoters (scores 9-10)."),
            Argument("passives", NUMBER, "Number of passives (scores 7-8)."),
            Argument("detractors", NUMBER, "Number of detractors (scores 0-6)."),
        ),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps_counts",
        examples=(Example("NPS_COUNTS(60, 20, 20)", 40.0),),
    ),
    ExcelFunction(
        name="NPS_MOE",
        section=METRICS,
        summary="Margin of error of the NPS in points (Wald): z x sqrt((p + d - (p - d)^2) / "
        "n) x 100.",
        description="Margin of error of the NPS in points (Wald): z x sqrt((p + d - (p - "
        "d)^2) / n) x 100, p and d the promoter and detractor shares, z from the confidence "
        "level (default 0.95).",
        args=(
            _scores("The answers (whole scores 0 to 10), one per cell; blanks are skipped."),
            Argument(
                "confidence",
                NUMBER,
                "Confidence level between 0 and 1.",
                optional=True,
                default=0.95,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.nps_moe",
        examples=(
            Example(
                "NPS_MOE(A1:A100)",
                15.31,
                cells={"A1:A100": _SCORES_50_30_20},
                where=_SCORES_WHERE + " (NPS 30)",
                abs_tol=0.005,
            ),
        ),
    ),
    ExcelFunction(
        name="NPS_CI",
        section=METRICS,
        summary="Confidence interval of the NPS as a row [low, high] (adjusted Wald, Rocks "
        "2016), clipped to -100..100.",
        description="A row [low, high]: the adjusted-Wald interval (Rocks, The American "
        "Statistician, 2016): n' = n + 3, promoters + 0.75, detractors + 0.75, then the Wald "
        "interval of the adjusted shares, clipped to [-100, 100].",
        args=(
            _scores("The answers (whole scores 0 to 10), one per cell; blanks are skipped."),
            Argument(
                "confidence",
                NUMBER,
                "Confidence level between 0 and 1.",
                optional=True,
                default=0.95,
            ),
        ),
        returns=ROW,
        core="crmvalue_core.survey_metrics.nps_ci",
        examples=(
            Example(
                "NPS_CI(A1:A100)",
                [[14.05113018, 44.20129701]],
                cells={"A1:A100": _SCORES_50_30_20},
                where=_SCORES_WHERE,
                abs_tol=5e-8,
                source="by hand from the adjusted-Wald formula",
            ),
        ),
    ),
    ExcelFunction(
        name="CSAT",
        section=METRICS,
        summary="Customer satisfaction: the mean score of the answers; blank cells are skipped.",
        description="CSAT: the mean score of the answers (100 answers summing to 800 give 8). "
        "Blanks are skipped.",
        args=(_scores("The answers (scores >= 0), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.csat",
        examples=(
            Example(
                "CSAT(A1:A100)",
                8.0,
                cells={"A1:A100": [7] * 50 + [9] * 50},
                where="A1:A100 holds 50 scores of 7 and 50 of 9 (100 answers summing to 800)",
            ),
        ),
    ),
    ExcelFunction(
        name="CSAT_TOPBOX",
        section=METRICS,
        summary="Top-box CSAT: share of answers in the top boxes (default 2) points of a "
        "1..scale_max scale.",
        description="Share of the answers in the top `boxes` (default 2) points of a "
        "1..scale_max scale, as a decimal. Blanks are skipped.",
        args=(
            _scores("The answers (whole scores 1 to scale_max), one per cell; blanks skipped."),
            Argument("scale_max", NUMBER, "Highest score of the scale (5 for a 1-5 scale)."),
            Argument(
                "boxes",
                NUMBER,
                "How many top points count as satisfied.",
                optional=True,
                default=2.0,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.csat_topbox",
        examples=(
            Example(
                "CSAT_TOPBOX({5, 4, 3, 5, 1}, 5)",
                0.6,
                source="by hand: 3 of 5 answers are 4 or 5",
            ),
        ),
    ),
    ExcelFunction(
        name="CES",
        section=METRICS,
        summary="Customer effort score: the mean effort score of the answers; blank cells are "
        "skipped.",
        description="CES: the mean effort score of the answers. Blanks are skipped.",
        args=(_scores("The answers (scores >= 0), one per cell; blanks are skipped."),),
        returns=VALUE,
        core="crmvalue_core.survey_metrics.ces",
        examples=(Example("CES({2, 3, 4})", 3.0, source="by hand: the mean"),),
    ),
    ExcelFunction(
        name="CHURN_RATE",
        section=METRICS,
        summary="Churn rate: customers lost / customers at the start of the period.",
        description="Churn = lost / start, as a decimal.",
        args=(
            Argument("customers_start", NUMBER, "Customers at the start of the period."),
            Argument("customers_lost", NUMBER, "Customers lost during the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.churn_rate",
        examples=(Example("CHURN_RATE(1000, 50)", 0.05),),
    ),
    ExcelFunction(
        name="RETENTION_RATE",
        section=METRICS,
        summary="Retention rate: (customers at the end - new customers) / customers at the start.",
        description="Retention = (end - new) / start, as a decimal.",
        args=(
            Argument("customers_start", NUMBER, "Customers at the start of the period."),
            Argument("customers_end", NUMBER, "Customers at the end of the period."),
            Argument("new_customers", NUMBER, "Customers won during the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.retention_rate",
        examples=(Example("RETENTION_RATE(1000, 1050, 200)", 0.85),),
    ),
    ExcelFunction(
        name="CAC",
        section=METRICS,
        summary="Customer acquisition cost: sales and marketing spend / new customers.",
        description="CAC = sales and marketing spend / new customers.",
        args=(
            Argument("sales_marketing_spend", NUMBER, "Sales and marketing spend of the period."),
            Argument("new_customers", NUMBER, "Customers won in the period."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.cac",
        examples=(Example("CAC(100000, 100)", 1000.0),),
    ),
    ExcelFunction(
        name="CLV_CAC",
        section=METRICS,
        summary="CLV to CAC ratio: customer lifetime value / customer acquisition cost.",
        description="CLV_CAC = clv / cac.",
        args=(
            Argument("clv", NUMBER, "Customer lifetime value, e.g. from CLV."),
            Argument("cac", NUMBER, "Customer acquisition cost, e.g. from CAC."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.clv_cac",
        examples=(Example("CLV_CAC(3000, 1000)", 3.0, source="by hand: 3000 / 1000"),),
    ),
    ExcelFunction(
        name="CAC_PAYBACK",
        section=METRICS,
        summary="CAC payback in periods: CAC / (revenue per period x gross margin).",
        description="Periods of gross margin it takes to earn back the acquisition cost: "
        "cac / (revenue_per_period x gross_margin).",
        args=(
            Argument("cac", NUMBER, "Customer acquisition cost."),
            Argument("revenue_per_period", NUMBER, "Revenue per customer per period."),
            Argument("gross_margin", NUMBER, "Gross margin as a decimal (80% = 0.8)."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.cac_payback",
        examples=(Example("CAC_PAYBACK(500, 100, 0.8)", 6.25),),
    ),
    ExcelFunction(
        name="REFERRAL_RATE",
        section=METRICS,
        summary="Referral rate: share of customers who referred at least one new customer.",
        description="referring_customers / customers, as a decimal.",
        args=(
            Argument(
                "referring_customers",
                NUMBER,
                "Customers who referred at least one new customer.",
            ),
            Argument("customers", NUMBER, "All customers."),
        ),
        returns=VALUE,
        core="crmvalue_core.customer_counts.referral_rate",
        examples=(Example("REFERRAL_RATE(150, 1000)", 0.15, source="by hand: 150 / 1000"),),
    ),
    # -- Customer value classification -----------------------------------------------------
    ExcelFunction(
        name="CUSTOMER_SEGMENT",
        section=CLASSIFICATION,
        summary="One label per customer, a column that spills: Most valuable, Growth, "
        "Standard or Negative, from actual and strategic value.",
        description="One label per customer from two equal-length ranges: 'Negative' if the "
        "actual value is below 0; 'Most valuable' for the top top_share (default 0.05) of "
        "customers by actual value; 'Growth' for the top growth_share (default 0.20) of the "
        "rest by strategic value; 'Standard' otherwise. Top k = ceil(share x n); a tie with "
        "the k-th customer joins the higher class.",
        args=(
            Argument(
                "actual_value",
                RANGE,
                "Actual value per customer: NPV of future profit, net of cost to serve.",
            ),
            Argument(
                "strategic_value",
                RANGE,
                "Strategic value per customer: further value it could bring (wallet not won).",
            ),
            Argument(
                "top_share",
                NUMBER,
                "Share of customers that are 'Most valuable'.",
                optional=True,
                default=0.05,
            ),
            Argument(
                "growth_share",
                NUMBER,
                "Share of the remaining customers that are 'Growth'.",
                optional=True,
                default=0.2,
            ),
        ),
        returns=COLUMN,
        core="crmvalue_core.segmentation.customer_segment",
        examples=(
            Example(
                "CUSTOMER_SEGMENT(A1:A5, B1:B5)",
                [["Most valuable"], ["Growth"], ["Negative"], ["Standard"], ["Standard"]],
                cells={"A1:A5": [100, 50, -10, 30, 20], "B1:B5": [0, 90, 5, 10, 80]},
                where="A1:A5 holds 100, 50, -10, 30, 20 and B1:B5 holds 0, 90, 5, 10, 80",
                source="by hand: top 1 of 5 by actual value, then top 1 of the 3 left by "
                "strategic value",
            ),
        ),
    ),
    ExcelFunction(
        name="VALUE_CONCENTRATION",
        section=CLASSIFICATION,
        summary="Share of the total value that the top top_share (default 5%) of customers bring.",
        description="Share of the total value that the top top_share (default 0.05) of "
        "customers bring: the '5% of customers bring 40% of revenue' check.",
        args=(
            Argument("values", RANGE, "Value (revenue, profit) per customer."),
            Argument(
                "top_share",
                NUMBER,
                "Share of customers at the top.",
                optional=True,
                default=0.05,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.segmentation.value_concentration",
        examples=(
            Example(
                "VALUE_CONCENTRATION({40, 20, 10, 10, 5, 5, 4, 3, 2, 1}, 0.2)",
                0.6,
                source="by hand: the top 2 of 10 customers bring 60 of 100",
            ),
        ),
    ),
    ExcelFunction(
        name="RFM_SCORE",
        section=CLASSIFICATION,
        summary="Three-digit RFM code per customer ('534'), a column that spills; each digit "
        "1..bins from equal-count bins, most recent highest.",
        description='A three-digit text code per customer ("534"): recency, frequency and '
        "monetary digits, each 1..bins (default 5) from equal-count bins of the ranks (ties "
        "broken by order), recency reversed (most recent scores highest).",
        args=(
            Argument("recency_days", RANGE, "Days since each customer's last purchase."),
            Argument("frequency", RANGE, "Number of purchases per customer."),
            Argument("monetary", RANGE, "Money spent per customer."),
            Argument(
                "bins",
                NUMBER,
                "Number of bins per digit (a whole number from 2 to 9).",
                optional=True,
                default=5.0,
            ),
        ),
        returns=COLUMN,
        core="crmvalue_core.segmentation.rfm_score",
        examples=(
            Example(
                "RFM_SCORE({10; 200; 50}, {5; 1; 3}, {100; 20; 300}, 3)",
                [["332"], ["111"], ["223"]],
                source="by hand: three customers, one per bin",
            ),
        ),
    ),
    # -- Cohort retention ------------------------------------------------------------------
    ExcelFunction(
        name="SBG_FIT",
        section=COHORT,
        summary="Fit the shifted-beta-geometric model to one cohort: a row [alpha, beta] "
        "(maximum likelihood, Fader & Hardie 2007).",
        description="A row [alpha, beta]: maximum likelihood from the customers still active "
        "at periods 0, 1, ..., n of one cohort (first value = cohort size, non-increasing). "
        "Those still active at n are censored.",
        args=(
            Argument(
                "survivors",
                RANGE,
                "Customers still active at periods 0, 1, ..., n; the first is the cohort size.",
            ),
        ),
        returns=ROW,
        core="crmvalue_core.cohort_retention.sbg_fit",
        examples=(
            Example(
                "SBG_FIT(A1:A8)",
                [[0.704, 1.182]],
                cells={"A1:A8": _REGULAR_COHORT},
                where="A1:A8 holds the 'regular' cohort 1000, 631, 468, 382, 326, 289, 262, "
                "241; the paper's estimates, to 3 decimals",
                abs_tol=1.5e-3,
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_SURVIVAL",
        section=COHORT,
        summary="sBG survival S(t) = B(alpha, beta+t) / B(alpha, beta): share of a cohort "
        "still active after t periods.",
        description="S(t) = B(alpha, beta+t)/B(alpha, beta): the share of a cohort still "
        "active after t periods.",
        args=(*_alpha_beta(), Argument("t", NUMBER, "Periods since acquisition (>= 0).")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_survival",
        examples=(
            Example(
                "SBG_SURVIVAL(1, 1, 3)",
                0.25,
                source="by hand: alpha = beta = 1 gives S(t) = 1/(1+t)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_RETENTION",
        section=COHORT,
        summary="sBG retention rate in period t: (beta+t-1) / (alpha+beta+t-1), t >= 1.",
        description="r_t = (beta+t-1)/(alpha+beta+t-1), t >= 1: the share of those active "
        "in period t-1 who renew in period t.",
        args=(*_alpha_beta(), Argument("t", NUMBER, "The period (>= 1).")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_retention",
        examples=(Example("SBG_RETENTION(1, 1, 3)", 0.75, source="by hand: (1+3-1)/(1+1+3-1)"),),
    ),
    ExcelFunction(
        name="SBG_DEL",
        section=COHORT,
        summary="sBG discounted expected lifetime from acquisition, sum over t >= 0 of "
        "S(t)/(1+d)^t; x margin for a CLV.",
        description="Discounted expected lifetime from acquisition, sum over t >= 0 of "
        "S(t)/(1+d)^t. Multiply by a margin for a CLV (or use SBG_CLV).",
        args=(*_alpha_beta(), _rate("discount_rate")),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_del",
        examples=(
            Example(
                "SBG_DEL(1, 1, 0.1)",
                2.6376848000782,
                abs_tol=1e-9,
                source="by hand: alpha = beta = 1 gives 1.1 ln(11)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_DERL",
        section=COHORT,
        summary="sBG discounted expected residual lifetime of a customer who has made "
        "`renewals` renewals (Fader & Hardie 2010).",
        description="Discounted expected residual lifetime of a customer who has made "
        "`renewals` renewals (Fader & Hardie 2010, with n = renewals + 1). Multiply by a "
        "margin for the residual value (or use SBG_CLV).",
        args=(
            *_alpha_beta(),
            _rate("discount_rate"),
            Argument("renewals", NUMBER, "Renewals the customer has made so far (>= 0)."),
        ),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_derl",
        examples=(
            Example(
                "SBG_DERL(1, 1, 0.1, 0)",
                1.8014532800860,
                abs_tol=1e-9,
                source="by hand: alpha = beta = 1 gives the sum over k >= 0 of (1/1.1)^k / (k+2)",
            ),
        ),
    ),
    ExcelFunction(
        name="SBG_CLV",
        section=COHORT,
        summary="sBG customer lifetime value: margin x SBG_DEL, or margin x SBG_DERL when "
        "renewals is given.",
        description="margin x SBG_DEL (the value at acquisition), or margin x SBG_DERL when "
        "renewals is given (the residual value of a customer who has renewed that often).",
        args=(
            *_alpha_beta(),
            Argument("margin", NUMBER, "Margin per period while the customer is active."),
            _rate("discount_rate"),
            Argument(
                "renewals",
                NUMBER,
                "Renewals made so far; omitted, the value at acquisition.",
                optional=True,
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.cohort_retention.sbg_clv",
        examples=(
            Example(
                "SBG_CLV(1, 1, 100, 0.1)",
                263.76848000782,
                abs_tol=1e-7,
                source="by hand: 100 x SBG_DEL(1, 1, 0.1)",
            ),
            Example(
                "SBG_CLV(1, 1, 100, 0.1, 0)",
                180.14532800860,
                abs_tol=1e-7,
                source="by hand: 100 x SBG_DERL(1, 1, 0.1, 0)",
            ),
        ),
    ),
    # -- Uncertainty (extension, issue 6; documented in docs/uncertainty.md) ---------------
    ExcelFunction(
        name="CRM_SCENARIO",
        section=UNCERTAINTY,
        summary="Scenario table of cash flows with low, base and high rows: NPV, IRR and "
        "payback of Pessimistic, All low, Base, All high and Optimistic.",
        description="A table: header [Scenario, NPV, IRR, Payback] and five rows. Pessimistic "
        "takes benefits low and costs high, Optimistic the reverse; All low and All high take "
        'every range as entered. Blank low or high cells are the base. "n/a" where a metric '
        "is undefined.",
        args=(
            _rate(),
            Argument(
                "benefits_low",
                RANGE,
                "Low benefits per period 0..n-1, shaped as benefits_base; blank cells are the "
                "base.",
            ),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1 (period 0 not discounted); a table holds one "
                "benefit line per row.",
            ),
            Argument(
                "benefits_high",
                RANGE,
                "High benefits per period, shaped as benefits_base; blank cells are the base.",
            ),
            Argument(
                "costs_low",
                RANGE,
                "Low costs per period (positive amounts), shaped as costs_base.",
                optional=True,
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); omit the three cost ranges when the "
                "benefits are net cash flows.",
                optional=True,
            ),
            Argument(
                "costs_high",
                RANGE,
                "High costs per period (positive amounts), shaped as costs_base.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_scenario",
        examples=(
            Example(
                "CRM_SCENARIO(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                "{100, 0, 0}, {130, 0, 0})",
                [
                    ["Scenario", "NPV", "IRR", "Payback"],
                    ["Pessimistic", -52.31404958677686, -0.2071827797755327, "n/a"],
                    ["All low", -12.31404958677686, 0.0, 2.0],
                    ["Base", 4.132231404958674, 0.13066238629180754, 5 / 3],
                    ["All high", -0.24793388429753804, 0.0986099481864548, 1.75],
                    ["Optimistic", 39.75206611570246, 0.40875331948254556, 1.25],
                ],
                abs_tol=1e-12,
                source="by hand: base NPV = -100 + 60/1.1 + 60/1.21 = 4.1322, pessimistic = "
                "-130 + 40/1.1 + 50/1.21; payback 1 + 40/60",
            ),
            Example(
                "CRM_SCENARIO(0.1, {0, 70, 50}, {0, 60, 60}, {0, 70, 80})",
                error=("benefits_low item 2", "above the base 60"),
                source="a low value above its base",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_SENSITIVITY",
        section=UNCERTAINTY,
        summary="Tornado table: the NPV with each benefit or cost line at its low and at its "
        "high row, the others at base, largest swing first.",
        description="A table: header [Input, NPV at low, NPV at high, Swing] and one row per "
        "line (each row of a benefit or cost table is a line), sorted by swing = |NPV at high "
        "- NPV at low|, largest first: the data of a tornado chart.",
        args=(
            _rate(),
            Argument(
                "benefits_low",
                RANGE,
                "Low benefits per period, shaped as benefits_base; blank cells are the base.",
            ),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1; a table holds one benefit line per row.",
            ),
            Argument(
                "benefits_high",
                RANGE,
                "High benefits per period, shaped as benefits_base; blank cells are the base.",
            ),
            Argument(
                "costs_low", RANGE, "Low costs per period, shaped as costs_base.", optional=True
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); a table holds one cost line per row.",
                optional=True,
            ),
            Argument(
                "costs_high", RANGE, "High costs per period, shaped as costs_base.", optional=True
            ),
            Argument(
                "labels",
                RANGE,
                "One name per line, benefit lines first, then cost lines; omitted: Benefits 1, "
                "Benefits 2, ..., Costs.",
                optional=True,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_sensitivity",
        examples=(
            Example(
                "CRM_SENSITIVITY(0.1, A1:C2, A3:C4, A5:C6, , A7:C7, A8:C8, A9:A11)",
                [
                    ["Input", "NPV at low", "NPV at high", "Swing"],
                    ["Retention", -4.95867768595042, 47.1074380165289, 52.06611570247932],
                    ["Licences", 21.487603305785115, -8.512396694214885, 30.0],
                    ["Service", 12.809917355371894, 27.438016528925615, 14.628099173553721],
                ],
                cells={
                    "A1:C2": [[0, 40, 50], [0, 5, 5]],
                    "A3:C4": [[0, 60, 60], [0, 10, 10]],
                    "A5:C6": [[0, 70, 80], [0, 12, 15]],
                    "A7:C7": [[100, 0, 0]],
                    "A8:C8": [[130, 0, 0]],
                    "A9:A11": ["Retention", "Service", "Licences"],
                },
                where="two benefit lines (retention, service) in rows low A1:C2, base A3:C4, "
                "high A5:C6; licences 100 in year 0, at most 130, never below",
                abs_tol=1e-12,
                source="by hand: retention at low -100 + 45/1.1 + 55/1.21 = -4.9587",
            ),
        ),
    ),
    ExcelFunction(
        name="CRM_SIMULATE",
        section=UNCERTAINTY,
        summary="Monte Carlo summary of NPV, IRR and payback: each line drawn from a PERT or "
        "triangular (low, base, high) distribution.",
        description="A table: header [Metric, Mean, P10, P50, P90, P(<0), Defined] and rows "
        "NPV, IRR, Payback. P(<0) of the NPV is the probability that the case loses value; "
        "Defined of the payback the probability of paying back within the periods. Seeded: "
        "the same numbers at every recalculation.",
        args=(
            _rate(),
            Argument(
                "benefits_low",
                RANGE,
                "Low benefits per period, shaped as benefits_base; blank cells are the base.",
            ),
            Argument(
                "benefits_base",
                RANGE,
                "Base benefits per period 0..n-1 (the most likely values); a table holds one "
                "line per row.",
            ),
            Argument(
                "benefits_high",
                RANGE,
                "High benefits per period, shaped as benefits_base; blank cells are the base.",
            ),
            Argument(
                "costs_low",
                RANGE,
                "Low costs per period, shaped as costs_base; blank (all three) when the "
                "benefits are net cash flows.",
            ),
            Argument(
                "costs_base",
                RANGE,
                "Base costs per period (positive amounts); leave the three cost arguments blank "
                "for net cash flows.",
            ),
            Argument("costs_high", RANGE, "High costs per period, shaped as costs_base."),
            Argument(
                "draws", NUMBER, "Number of draws, 1 to 10,000,000 (10,000 is plenty for a sheet)."
            ),
            Argument(
                "seed",
                NUMBER,
                "Whole number >= 0 for the random numbers; omitted: 0, the same numbers at every "
                "recalculation.",
                optional=True,
            ),
            Argument(
                "distribution",
                TEXT,
                '"PERT" or "triangular": each line between its low and high row, the base most '
                "likely; omitted: PERT.",
                optional=True,
            ),
            Argument(
                "correlation",
                NUMBER,
                "Correlation between the benefit lines, 0 to 1 (they turn out well or badly "
                "together); cost lines are independent.",
                optional=True,
                default=0.0,
            ),
        ),
        returns=TABLE,
        core="crmvalue_core.appraisal.adhoc.crm_simulate",
        examples=(
            Example(
                "CRM_SIMULATE(0.1, {0, 60, 60}, {0, 60, 60}, {0, 60, 60}, {100, 0, 0}, "
                "{100, 0, 0}, {100, 0, 0}, 100)",
                [
                    ["Metric", "Mean", "P10", "P50", "P90", "P(<0)", "Defined"],
                    ["NPV", *[4.132231404958674] * 4, 0.0, 1.0],
                    ["IRR", *[0.13066238629180754] * 4, 0.0, 1.0],
                    ["Payback", *[5 / 3] * 4, 0.0, 1.0],
                ],
                abs_tol=1e-12,
                source="by hand: low = base = high, so every draw is the base case: NPV = -100 "
                "+ 60/1.1 + 60/1.21, payback 1 + 40/60",
            ),
            Example(
                "CRM_SIMULATE(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                '{100, 0, 0}, {130, 0, 0}, 1000, 1, "PERT", 1.5)',
                error=("correlation is 1.5", "above 1"),
                source="a correlation above 1",
            ),
            Example(
                "CRM_SIMULATE(0.1, {0, 40, 50}, {0, 60, 60}, {0, 70, 80}, {90, 0, 0}, "
                "{100, 0, 0}, {130, 0, 0}, 0)",
                error=("draws is 0", "1 to 10,000,000"),
                source="no draws",
            ),
        ),
    ),
)

# -- Purchase history (extension, issue 5; documented in docs/purchase_history.md) ---------
# BG/NBD and Gamma-Gamma, beyond the catalogue. Kept in their own block (and tuple) so the
# sections of other issues can grow without touching it.

PURCHASE_HISTORY = "Purchase history (extension)"

_CDNOW_12TH_WHERE = (
    "A2:A197, B2:B197, C2:C197 and D2:D197 hold frequency, recency and age (weeks) and the "
    "mean repeat spend of every 12th customer of the CDNOW sample (IDs 12, 24, ..., 2352; "
    "addin/example_data.py)"
)
_CDNOW_12TH_CELLS = {
    "A2:A197": list(CDNOW_EVERY_12TH_FREQUENCY),
    "B2:B197": list(CDNOW_EVERY_12TH_RECENCY),
    "C2:C197": list(CDNOW_EVERY_12TH_AGE),
    "D2:D197": list(CDNOW_EVERY_12TH_MONETARY),
}
_PAPER_BGNBD = "0.243, 4.414, 0.793, 2.426"
_PAPER_GG = "6.25, 3.74, 15.44"
_CDNOW_HISTORIES = "{2; 7; 0}, {30.43; 29.43; 0}, {38.86; 38.86; 38.86}"
_CDNOW_CUSTOMERS = (
    "the papers' CDNOW estimates (weeks) and CDNOW sample customers 1, 6 and 3; lifetimes "
    "0.11.3 gives the same to 1e-8"
)


def _bgnbd_parameters() -> tuple[Argument, ...]:
    return (
        Argument("r", NUMBER, "BG/NBD r (> 0), e.g. from BGNBD_FIT."),
        Argument("alpha", NUMBER, "BG/NBD alpha (> 0), in the time unit of the data."),
        Argument("a", NUMBER, "BG/NBD a (> 0), e.g. from BGNBD_FIT."),
        Argument("b", NUMBER, "BG/NBD b (> 0), e.g. from BGNBD_FIT."),
    )


def _gg_parameters() -> tuple[Argument, ...]:
    return (
        Argument("p", NUMBER, "Gamma-Gamma p (> 0), e.g. from GG_FIT."),
        Argument("q", NUMBER, "Gamma-Gamma q (> 1), e.g. from GG_FIT."),
        Argument("gamma", NUMBER, "Gamma-Gamma gamma (> 0), e.g. from GG_FIT."),
    )


def _history(optional: bool = False) -> tuple[Argument, ...]:
    return (
        Argument(
            "frequency",
            RANGE,
            "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            optional=optional,
        ),
        Argument(
            "recency",
            RANGE,
            "Time from each customer's first to last purchase (0 without repeat purchases).",
            optional=optional,
        ),
        Argument(
            "age",
            RANGE,
            "Time from each customer's first purchase to the end of the observation period.",
            optional=optional,
        ),
    )


_MONETARY = Argument(
    "monetary_value", RANGE, "Mean value of each customer's repeat purchases (0 without)."
)

_PURCHASE_HISTORY_FUNCTIONS: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        name="BGNBD_FIT",
        section=PURCHASE_HISTORY,
        summary="Fit the BG/NBD purchase model to customers' histories: a row [r, alpha, a, b] "
        "(maximum likelihood, Fader, Hardie & Lee 2005).",
        description="A row [r, alpha, a, b]: the maximum-likelihood BG/NBD parameters of the "
        "customers' histories (one row per customer: repeat purchases, recency, age, in one "
        "time unit such as weeks). alpha is in that time unit.",
        args=_history(),
        returns=ROW,
        core="crmvalue_core.purchase_history.bgnbd_fit",
        examples=(
            Example(
                "BGNBD_FIT(A2:A197, B2:B197, C2:C197)",
                [[0.2186308927, 4.141582836, 0.8472418691, 2.276531938]],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE,
                rel_tol=1e-6,
                source="computed by crmvalue; lifetimes 0.11.3 BetaGeoFitter gives the same "
                "to 1e-5 (the whole sample gives the paper's 0.243, 4.414, 0.793, 2.426)",
            ),
            Example(
                "BGNBD_FIT({0; 0; 0}, {0; 0; 0}, {10; 20; 30})",
                error=("no customer made a repeat purchase",),
                source="nobody buys twice: nothing to fit",
            ),
            Example(
                "BGNBD_FIT({1; 2}, {5; 40}, {30; 30})",
                error=("recency item 2", "above age"),
                source="a last purchase after the end of the period",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_PURCHASES",
        section=PURCHASE_HISTORY,
        summary="BG/NBD expected purchases in the next t time units: of a new customer, or "
        "of each customer given frequency, recency and age (a column).",
        description="The expected number of purchases in (T, T+t] under BG/NBD: without the "
        "history, of a customer who has just made a first purchase (paper eq. 9); with it, "
        "of each customer given its history (eq. 10), one value per row.",
        args=(
            *_bgnbd_parameters(),
            Argument("t", NUMBER, "Length of the forecast period, in the time unit of the data."),
            *_history(optional=True),
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.bgnbd_purchases",
        examples=(
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39)",
                1.1967231933207982,
                rel_tol=1e-10,
                source="the paper's CDNOW estimates, a new customer over 39 weeks; lifetimes "
                "0.11.3 gives the same to 1e-8",
            ),
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39, {_CDNOW_HISTORIES})",
                [[1.226028174767141], [3.3370532748513844], [0.19509805201125427]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS,
            ),
            Example(
                f"BGNBD_PURCHASES({_PAPER_BGNBD}, 39, {{2; 7}})",
                error=("frequency, recency and age together",),
                source="a history needs all three ranges",
            ),
        ),
    ),
    ExcelFunction(
        name="BGNBD_P_ALIVE",
        section=PURCHASE_HISTORY,
        summary="BG/NBD probability that each customer is still alive (has not dropped out), "
        "from frequency, recency and age; 1 without repeat purchases.",
        description="P(alive | x, t_x, T) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) "
        "for x > 0, and 1 for a customer without repeat purchases; one value per row.",
        args=(*_bgnbd_parameters(), *_history()),
        returns=VALUE,
        core="crmvalue_core.purchase_history.bgnbd_p_alive",
        examples=(
            Example(
                "BGNBD_P_ALIVE(1, 1, 1, 2, {1; 0}, {1; 0}, {3; 3})",
                [[1 / 3], [1.0]],
                rel_tol=1e-12,
                source="by hand: 1 / (1 + 1/2 x (4/2)^2) = 1/3; no repeat purchase gives 1",
            ),
            Example(
                f"BGNBD_P_ALIVE({_PAPER_BGNBD}, {_CDNOW_HISTORIES})",
                [[0.726578570080673], [0.6417563459461072], [1.0]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS,
            ),
            Example(
                "BGNBD_P_ALIVE(1, 1, 1, 2, {1; 0}, {0; 0}, {3; 3})",
                error=("recency item 1", "frequency is 1"),
                source="repeat purchases need a recency above 0",
            ),
        ),
    ),
    ExcelFunction(
        name="GG_FIT",
        section=PURCHASE_HISTORY,
        summary="Fit the Gamma-Gamma spend model: a row [p, q, gamma] from repeat purchases "
        "and mean repeat spend (maximum likelihood, Fader, Hardie & Lee 2005).",
        description="A row [p, q, gamma]: the maximum-likelihood Gamma-Gamma parameters of "
        "the customers' mean repeat spend. Customers without repeat purchases are left out "
        "of the fit.",
        args=(
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            ),
            _MONETARY,
        ),
        returns=ROW,
        core="crmvalue_core.purchase_history.gg_fit",
        examples=(
            Example(
                "GG_FIT(A2:A197, D2:D197)",
                [[5.579425478, 3.411794047, 15.63314419]],
                cells=_CDNOW_12TH_CELLS,
                where=_CDNOW_12TH_WHERE,
                rel_tol=1e-6,
                source="computed by crmvalue; lifetimes 0.11.3 GammaGammaFitter gives the same "
                "to 1e-5 (the whole sample gives the paper's 6.25, 3.74, 15.44)",
            ),
            Example(
                "GG_FIT({0; 0; 3}, {0; 0; 20})",
                error=("fewer than 2 customers with repeat purchases",),
                source="one repeat buyer cannot identify a spread",
            ),
        ),
    ),
    ExcelFunction(
        name="GG_SPEND",
        section=PURCHASE_HISTORY,
        summary="Gamma-Gamma expected spend per purchase of each customer: a weighted mean of "
        "the population mean and the customer's own mean repeat spend.",
        description="E[Z | x, zbar] = (q-1)/(px+q-1) x gamma p/(q-1) + px/(px+q-1) x zbar: "
        "the population mean gamma p/(q-1) for a customer without repeat purchases, moving "
        "toward the customer's own mean with more purchases. One value per row.",
        args=(
            *_gg_parameters(),
            Argument(
                "frequency",
                RANGE,
                "Repeat purchases of each customer (whole numbers >= 0), one per row.",
            ),
            _MONETARY,
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.gg_spend",
        examples=(
            Example(
                "GG_SPEND(1, 2, 10, {2; 0}, {20; 0})",
                [[50 / 3], [10.0]],
                rel_tol=1e-12,
                source="by hand: weight 2/3 on the own mean 20 and 1/3 on the population "
                "mean 10 x 1 / (2 - 1) = 10",
            ),
            Example(
                f"GG_SPEND({_PAPER_GG}, 2, 22.35)",
                24.663713910761157,
                rel_tol=1e-12,
                source="the paper's estimates and CDNOW customer 1",
            ),
            Example(
                "GG_SPEND(6.25, 0.9, 15.44, 2, 22.35)",
                error=("q is 0.9", "q > 1"),
                source="q <= 1: the population mean spend is infinite",
            ),
        ),
    ),
    ExcelFunction(
        name="PREDICTED_CLV",
        section=PURCHASE_HISTORY,
        summary="Discounted predicted CLV of each customer over a horizon in months, from "
        "the BG/NBD and Gamma-Gamma parameters and the customer's history.",
        description="margin x GG expected spend x sum over months i = 1..months of "
        "(E[Y(t_i)] - E[Y(t_(i-1))]) / (1+d)^i, with E[Y(t)] the BG/NBD conditional expected "
        "purchases and a month of 4.345 weeks or 30 days (as lifetimes). One value per row.",
        args=(
            *_bgnbd_parameters(),
            *_gg_parameters(),
            *_history(),
            _MONETARY,
            Argument("months", NUMBER, "Horizon in months (a whole number >= 1).", True, 12.0),
            Argument(
                "discount_rate",
                NUMBER,
                "Monthly discount rate, as a decimal (1% = 0.01).",
                True,
                0.01,
            ),
            Argument(
                "margin", NUMBER, "Profit margin as a share of spend (1 = revenue).", True, 1.0
            ),
            Argument(
                "time_unit",
                TEXT,
                'Unit of recency and age: "W" weeks, "D" days or "M" months.',
                True,
                "W",
            ),
        ),
        returns=VALUE,
        core="crmvalue_core.purchase_history.predicted_clv",
        examples=(
            Example(
                f"PREDICTED_CLV({_PAPER_BGNBD}, {_PAPER_GG}, {_CDNOW_HISTORIES}, "
                "{22.35; 73.74; 0}, 12, 0.01, 0.3)",
                [[10.886763337679795], [85.05983289512702], [2.5107013076760576]],
                rel_tol=1e-10,
                source=_CDNOW_CUSTOMERS + " (customer_lifetime_value x the 30% margin)",
            ),
            Example(
                f"PREDICTED_CLV({_PAPER_BGNBD}, {_PAPER_GG}, 2, 30.43, 38.86, 22.35, 12, 0.01, "
                '0.3, "Y")',
                error=("time_unit", '"W"'),
                source="an unknown time unit",
            ),
        ),
    ),
)
FUNCTIONS = (*FUNCTIONS, *_PURCHASE_HISTORY_FUNCTIONS)

#: The functions by Excel name.
REGISTRY: dict[str, ExcelFunction] = {function.name: function for function in FUNCTIONS}

#: The sections in catalogue order.
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(function.section for function in FUNCTIONS))


def find(name: str) -> ExcelFunction | None:
    """The function called ``name`` (any case, with or without ``=`` and brackets), or None."""
    key = name.strip().lstrip("=").split("(")[0].strip().upper()
    return REGISTRY.get(key)
