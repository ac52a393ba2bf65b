"""The model of the registry: what an Excel function, an argument and an example are.

Each section module of :mod:`addin.excel.registry` describes its functions with these
frozen dataclasses: :class:`ExcelFunction` (name, section, help, arguments, result, the
``crmvalue_core`` function it wraps, examples), :class:`Argument` (name, kind, help, and
for an optional one what leaving it out means) and :class:`Example` (a formula as typed
in Excel and what the cell shows). The constants name the kinds of argument, the kinds of
result and the sections, in words the help and ``docs/functions.md`` print.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

__all__ = [
    "CATEGORY",
    "CLASSIFICATION",
    "COHORT",
    "COLUMN",
    "EXCEL_DOC_LIMIT",
    "EXTENSION_MARK",
    "INVESTMENT",
    "KINDS",
    "LIFETIME",
    "METRICS",
    "NUMBER",
    "PURCHASE_HISTORY",
    "RANGE",
    "RETURNS",
    "RETURNS_IN_WORDS",
    "ROW",
    "TABLE",
    "TEXT",
    "UNCERTAINTY",
    "VALUE",
    "Argument",
    "Example",
    "ExcelFunction",
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

#: The end of the section name of functions beyond the catalogue (the agreed list of
#: functions); each extension is documented in its own page of ``docs/`` (e.g.
#: ``docs/uncertainty.md``).
EXTENSION_MARK = "(extension)"

#: Longest text Excel keeps for a function or argument description (Application.MacroOptions).
EXCEL_DOC_LIMIT = 255

# The sections of the catalogue, in its order (the section modules of the registry).
INVESTMENT = "Investment appraisal"
LIFETIME = "Customer lifetime value"
METRICS = "Customer metrics"
CLASSIFICATION = "Customer value classification"
COHORT = "Cohort retention (shifted-beta-geometric)"
UNCERTAINTY = "Uncertainty (extension)"
PURCHASE_HISTORY = "Purchase history (extension)"


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
    ``per_row`` says that the function gives one value per row of its ranges (each holds
    one value per customer, and the result is one value per customer), so a range of one
    cell means what that cell's number means: the Excel layer then reads such a cell as
    its number (a formula typed once per customer) and gives the one value as a range of
    one cell, as the range would give it.
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
    per_row: bool = False

    def __post_init__(self) -> None:
        if self.returns not in RETURNS:
            raise ValueError(f"{self.name}: returns {self.returns!r} is not one of {RETURNS}")
        if self.per_row and self.returns != VALUE:
            raise ValueError(f"{self.name}: only a function that returns one value is per_row")
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
        """True for a function beyond the catalogue: its section ends with
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
