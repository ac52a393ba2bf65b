"""The Excel functions, proved through xlwings' own classic UDF machinery.

Every test here goes through :mod:`tests.xlwings_harness`: the real ``xlwings.udfs``
decorators build each function's ``__xlfunc__`` record, the real ``generate_vba_wrapper``
writes the VBA, and the real ``call_udf`` converts arguments and results with
``xlwings.conversion.read/write`` and the value cleaning of ``xlwings._xlwindows``.
"""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import math
import os
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import addin.excel.registry as registry_package
from addin.excel.registry import (
    EXCEL_DOC_LIMIT,
    FUNCTIONS,
    NUMBER,
    OMITTED,
    RANGE,
    REGISTRY,
    Example,
    ExcelFunction,
    Reference,
    parse_formula,
)
from addin.excel.registry import XlError as FormulaError
from tests.xlwings_harness import (
    MISSING,
    OMIT,
    ComRange,
    Currency,
    XlError,
    classic_xlwings,
    com_value,
    error_codes,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
EXAMPLES = [
    pytest.param(function, example, id=f"{function.name}-{i}")
    for function in FUNCTIONS
    for i, example in enumerate(function.examples)
]
BY_NAME = [pytest.param(function, id=function.name) for function in FUNCTIONS]
SCORES_FUNCTIONS = {"NPS", "NPS_MOE", "NPS_CI", "CSAT", "CSAT_TOPBOX", "CES"}
CASH_FLOW_ARGS = {"flows", "benefits", "costs"}
BLANK = ComRange([[None]])


@pytest.fixture(scope="module")
def xl():
    with classic_xlwings() as harness:
        yield harness


# ---------------------------------------------------------------------------------------
# Turning an example formula into what Excel hands over, in several layouts
# ---------------------------------------------------------------------------------------


def _flat(rows: tuple[tuple[Any, ...], ...]) -> list[Any] | None:
    """The values of a single row or column, or None for a table."""
    if len(rows) == 1:
        return list(rows[0])
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return None


def _cell(value: Any) -> Any:
    return XlError(value.text) if isinstance(value, FormulaError) else value


def _as_range(rows: tuple[tuple[Any, ...], ...], layout: str) -> ComRange:
    flat = _flat(rows)
    if flat is None:
        return ComRange([[_cell(v) for v in row] for row in rows])
    cells = [_cell(v) for v in flat]
    return ComRange.row(cells) if layout == "rows" else ComRange.column(cells)


def excel_args(function: ExcelFunction, example: Example, layout: str) -> list[Any]:
    """The example's arguments as Excel hands them over.

    ``typed``: as typed in the formula (array constants, numbers, omitted arguments);
    ``columns``/``rows``: every value in cells, ranges laid out as a column or a row;
    ``blank_optionals``: in cells, and every optional argument not given is a blank cell.
    """
    name, parsed = parse_formula(example.formula, example.cells)
    assert name == function.name
    args: list[Any] = []
    for value in parsed:
        if value is OMITTED:
            args.append(BLANK if layout == "blank_optionals" else OMIT)
        elif isinstance(value, Reference):
            args.append(_as_range(value.rows, "rows" if layout == "rows" else "columns"))
        elif isinstance(value, tuple):
            args.append(value if layout == "typed" else _as_range(value, layout))
        elif layout == "typed":
            args.append(_cell(value))
        else:
            args.append(ComRange([[_cell(value)]]))
    if layout == "blank_optionals":
        args += [BLANK] * (len(function.args) - len(args))
    return args


def plain_args(function: ExcelFunction, example: Example) -> list[Any]:
    """The example's arguments as a Python user passes them to the core function."""
    _, parsed = parse_formula(example.formula, example.cells)
    parsed += [OMITTED] * (len(function.args) - len(parsed))
    args = []
    for arg, value in zip(function.args, parsed, strict=True):
        if value is OMITTED:
            args.append(arg.default)
        elif isinstance(value, (Reference, tuple)):
            rows = value.rows if isinstance(value, Reference) else value
            flat = _flat(rows)
            args.append([list(row) for row in rows] if flat is None else flat)
        else:
            args.append(value)
    return args


def assert_shows(result: Any, function: ExcelFunction, example: Example) -> None:
    """``result`` (what call_udf hands to VBA) is what the example says the cell shows."""
    assert isinstance(result, list) and all(isinstance(row, list) for row in result)
    if example.error:
        assert len(result) == 1 and len(result[0]) == 1, result
        message = result[0][0]
        assert isinstance(message, str), f"expected an error message, got {message!r}"
        assert message.startswith(f"{function.name}: "), message
        for fragment in example.error:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        return
    expected = example.result if isinstance(example.result, list) else [[example.result]]
    assert len(result) == len(expected), result
    for got_row, want_row in zip(result, expected, strict=True):
        assert len(got_row) == len(want_row), result
        for got, want in zip(got_row, want_row, strict=True):
            if isinstance(want, str):
                assert got == want, result
            else:
                assert isinstance(got, float) and not isinstance(got, bool), result
                assert got == pytest.approx(want, rel=example.rel_tol, abs=example.abs_tol)


# ---------------------------------------------------------------------------------------
# The catalogue: names, signatures, examples
# ---------------------------------------------------------------------------------------


def _headings(text: str) -> dict[str, str]:
    """``{name: signature}`` from the ``###`` headings of a Markdown page of docs/."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("### "):
            for name, args in re.findall(r"([A-Z][A-Z0-9_]*)\(([^)]*)\)", line):
                found[name] = f"{name}({args})"
    return found


# Extensions (uncertainty, purchase history): the functions beyond the catalogue are
# documented with their signature in their own page of docs/ (not the generated functions.md).
EXTENSION_PAGES = {
    "Uncertainty (extension)": DOCS / "uncertainty.md",
    "Purchase history (extension)": DOCS / "purchase_history.md",
    "Baseline (extension)": DOCS / "baseline.md",
}


def test_extension_functions_are_documented_in_their_own_page():
    extensions = [f for f in FUNCTIONS if f.extension]
    assert {"CRM_SCENARIO", "CRM_SENSITIVITY", "CRM_SIMULATE"} <= {f.name for f in extensions}
    for function in extensions:
        page = EXTENSION_PAGES.get(function.section)
        if page is None:  # another engineer's extension section: documented elsewhere
            continue
        headings = _headings(page.read_text(encoding="utf-8"))
        assert headings.get(function.name) == function.signature, (function.name, page)


def test_registry_docs_fit_in_excel_and_examples_parse():
    for function in FUNCTIONS:
        assert len(function.summary) <= EXCEL_DOC_LIMIT, function.name
        assert "\n" not in function.summary
        assert function.category == "CRM Value"
        assert function.examples, f"{function.name} has no example"
        for arg in function.args:
            assert len(arg.doc) <= EXCEL_DOC_LIMIT, (function.name, arg.name)
            assert re.fullmatch(r"[a-z][a-z0-9_]*", arg.name), arg.name
        for example in function.examples:
            name, args = parse_formula(example.formula, example.cells)
            assert name == function.name and len(args) <= len(function.args)


REGISTRY_MODULES = [
    importlib.import_module(f"{registry_package.__name__}.{info.name}")
    for info in pkgutil.iter_modules(registry_package.__path__)
]


def test_registry_doctests():
    attempted = 0
    for module in REGISTRY_MODULES:
        results = doctest.testmod(module)
        assert results.failed == 0, module.__name__
        attempted += results.attempted
    assert attempted > 0


def test_each_excel_entry_sits_beside_its_core_siblings():
    """The entry of ``crmvalue_core.X.f`` is in ``addin.excel.registry.X``."""
    sections = [module for module in REGISTRY_MODULES if hasattr(module, "FUNCTIONS")]
    entries = [function for module in sections for function in module.FUNCTIONS]
    assert sorted(f.name for f in entries) == sorted(REGISTRY)  # each in exactly one module
    for module in sections:
        subject = module.__name__.rpartition(".")[2]
        for function in module.FUNCTIONS:
            assert subject in function.core.split(".")[1:-1], (function.name, module.__name__)


def test_example_formulas_hold_only_excel_error_values():
    from addin.excel.registry.formulas import CLASSIC_ERRORS
    from crmvalue_core.cells import EXCEL_ERRORS

    assert set(CLASSIC_ERRORS) <= EXCEL_ERRORS


@pytest.mark.parametrize("function", BY_NAME)
def test_core_function_takes_the_catalogue_arguments(function):
    import inspect

    params = [
        param
        for param in inspect.signature(function.core_function()).parameters.values()
        if param.kind is not inspect.Parameter.KEYWORD_ONLY  # e.g. errors="raise"
    ]
    assert [p.name for p in params] == list(function.arg_names)
    for param, arg in zip(params, function.args, strict=True):
        has_default = param.default is not inspect.Parameter.empty
        assert has_default == arg.optional, (function.name, arg.name)
        if arg.optional and param.default is not None and arg.default is not None:
            assert param.default == arg.default, (function.name, arg.name)


# ---------------------------------------------------------------------------------------
# What classic xlwings records and writes
# ---------------------------------------------------------------------------------------


def test_the_module_holds_exactly_the_registered_functions(xl):
    assert set(xl.functions()) == set(REGISTRY)
    assert set(xl.module.__all__) == set(REGISTRY)


@pytest.mark.parametrize("function", BY_NAME)
def test_xlfunc_record_comes_from_the_registry(xl, function):
    record = getattr(xl.module, function.name).__xlfunc__
    assert record["name"] == function.name
    assert record["sub"] is False and record["async_mode"] is None
    assert record["volatile"] is False and record["call_in_wizard"] is True
    assert record["ret"]["doc"] == function.summary
    assert "expand" not in record["ret"]["options"]  # native dynamic arrays only
    assert [a["name"] for a in record["args"]] == list(function.arg_names)
    for info, arg in zip(record["args"], function.args, strict=True):
        assert info["doc"] == arg.doc
        assert info["vararg"] is False and info["vba"] is None
        assert ("optional" in info) == arg.optional
        if arg.optional:
            assert info["optional"] == arg.default
        assert info["options"].get("err_to_str") is True
        assert info["options"].get("ndim") == (2 if arg.kind == RANGE else None)
    assert "caller" not in function.arg_names


# Excel's own functions that a name here could shadow (the catalogue adds _CRM instead).
EXCEL_BUILT_INS = {
    "NPV", "IRR", "MIRR", "XNPV", "XIRR", "PV", "FV", "PMT", "RATE", "NPER", "DB", "DDB",
    "SLN", "SYD", "ROI", "PI", "SUM", "AVERAGE", "COUNT", "RANK", "PERCENTILE", "BETA",
    "BETADIST", "BETA.DIST", "GAMMA", "LOG", "LN", "EXP", "DAYS", "DATE", "VALUE", "TEXT",
}  # fmt: skip
# VBA keywords and names that cannot be a parameter of a VBA Function.
VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency",
    "date", "decimal", "declare", "dim", "do", "double", "each", "else", "elseif", "empty",
    "end", "enum", "eqv", "erase", "error", "event", "exit", "false", "for", "friend",
    "function", "get", "global", "gosub", "goto", "if", "imp", "implements", "in",
    "integer", "is", "let", "like", "long", "loop", "lset", "me", "mod", "new", "next",
    "not", "nothing", "null", "on", "optional", "or", "paramarray", "preserve", "private",
    "property", "public", "raiseevent", "redim", "rem", "resume", "return", "rset",
    "select", "set", "single", "static", "step", "stop", "string", "sub", "then", "to",
    "true", "type", "typeof", "until", "variant", "wend", "while", "with", "xor",
}  # fmt: skip


def test_names_clash_neither_with_excel_nor_with_vba():
    for function in FUNCTIONS:
        assert function.name not in EXCEL_BUILT_INS
        for arg in function.args:
            assert arg.name.lower() not in VBA_RESERVED, (function.name, arg.name)
            # VBA: a parameter cannot have the name of its own function
            assert arg.name.lower() != function.name.lower()


def test_vba_wrapper_declares_every_function_with_its_arguments(xl):
    vba = xl.vba()
    declared = re.findall(r"^Function (\w+)\((.*)\)$", vba, flags=re.MULTILINE)
    assert sorted(name for name, _ in declared) == sorted(REGISTRY)
    assert vba.count("\nEnd Function") + vba.startswith("End Function") == len(REGISTRY)
    for name, params in declared:
        function = REGISTRY[name]
        expected = ", ".join(
            f"Optional {arg.name}" if arg.optional else arg.name for arg in function.args
        )
        assert params == expected
        call = (
            f'{name} = XLPy.CallUDF("addin.udfs", "{name}", '
            f"Array({', '.join(function.arg_names)}), ThisWorkbook, Application.Caller)"
        )
        assert call in vba
        assert f"{name} = Err.Description" in vba
    assert max(len(line) for line in vba.splitlines()) <= 1024  # VBA's line limit


# ---------------------------------------------------------------------------------------
# Every catalogue example through call_udf
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["typed", "columns", "rows", "blank_optionals"])
@pytest.mark.parametrize(("function", "example"), EXAMPLES)
def test_example_through_the_udf_layer(xl, function, example, layout):
    result = xl.call(function.name, *excel_args(function, example, layout))
    assert_shows(result, function, example)


@pytest.mark.parametrize(("function", "example"), EXAMPLES)
def test_udf_gives_what_the_core_function_gives(xl, function, example):
    if example.error:
        with pytest.raises(ValueError, match=re.escape(example.error[0])):
            function.core_function()(*plain_args(function, example))
        return
    core = function.core_function()(*plain_args(function, example))
    if function.name == "CUSTOMER_SEGMENT":  # the core also gives strategies; Excel the labels
        core = core.labels
    core = xl.module.shape_result(core, function.returns)
    got = xl.call(function.name, *excel_args(function, example, "columns"))
    expected = core if isinstance(core, list) else [[core]]
    assert got == [
        [v if isinstance(v, str) else pytest.approx(v, rel=1e-12) for v in row] for row in expected
    ]


@pytest.mark.parametrize(
    ("function", "example"),
    [p for p in EXAMPLES if p.values[0].name in SCORES_FUNCTIONS and not p.values[1].error],
)
def test_blank_cells_in_scores_are_skipped_in_a_column_or_a_table(xl, function, example):
    args = excel_args(function, example, "columns")
    scores = [row[0] for row in args[0].rows]
    with_blanks = [None]
    for score in scores:
        with_blanks += [score, None]
    args[0] = ComRange.column(with_blanks)
    assert_shows(xl.call(function.name, *args), function, example)
    if len(with_blanks) % 2:
        with_blanks.append(None)
    args[0] = ComRange([with_blanks[i : i + 2] for i in range(0, len(with_blanks), 2)])
    assert_shows(xl.call(function.name, *args), function, example)


@pytest.mark.parametrize(
    ("function", "example"),
    [p for p in EXAMPLES if CASH_FLOW_ARGS & set(p.values[0].arg_names) and not p.values[1].error],
)
def test_cash_flows_in_currency_cells_read_as_numbers(xl, function, example):
    # On Windows a currency-formatted cell reaches Python as a Decimal.
    args = excel_args(function, example, "columns")
    for i, arg in enumerate(function.args[: len(args)]):
        if arg.name in CASH_FLOW_ARGS and isinstance(args[i], ComRange):
            args[i] = ComRange([[Currency(value) for value in row] for row in args[i].rows])
            assert isinstance(args[i].Value[0][0], type(com_value(Currency(1.0))))
    assert_shows(xl.call(function.name, *args), function, example)


@pytest.mark.parametrize("name", ["XNPV_CRM", "XIRR_CRM"])
def test_dates_as_date_cells_or_serial_numbers(xl, name):
    function = REGISTRY[name]
    example = function.examples[0]
    args = excel_args(function, example, "columns")
    position = function.arg_names.index("dates")
    serials = [row[0] for row in args[position].rows]
    days = [dt.date(1899, 12, 30) + dt.timedelta(days=int(s)) for s in serials]
    assert days[0] == dt.date(2008, 1, 1)
    args[position] = ComRange.column(days)
    assert_shows(xl.call(name, *args), function, example)
    args[position] = ComRange.column([dt.datetime.combine(d, dt.time()) for d in days])
    assert_shows(xl.call(name, *args), function, example)


def test_a_blank_inside_cash_flows_counts_as_zero(xl):
    # -100 + 0/1.1 + 121/1.21 = 0, by hand
    assert xl.value("NPV_CRM", 0.1, ComRange.column([-100, None, 121])) == pytest.approx(
        0, abs=1e-12
    )


def test_omitted_optional_arrives_as_missing_and_takes_the_default(xl):
    assert MISSING == -2147352572
    typed = xl.value("CLV", 100, 0.8, 0.12, OMIT, 0.05)
    assert typed == pytest.approx(285.7142857, abs=5e-8)
    assert xl.value("CLV", 100, 0.8, 0.12, BLANK, 0.05, BLANK, BLANK) == typed
    assert xl.value("CLV", 100, 0.8, 0.12, OMIT, 0.05, 0, "end") == typed


def test_a_table_of_cash_flows_gives_one_value_per_row(xl):
    flows = [-100000, 30000, 35000, 40000, 45000]
    result = xl.call("NPV_CRM", 0.1, ComRange([flows, [-100, None, 121, 0, 0]]))
    assert result == [[pytest.approx(16986.54463, abs=5e-6)], [pytest.approx(0, abs=1e-9)]]


# ---------------------------------------------------------------------------------------
# Bad input through the UDF layer: a clear message in the cell, never a traceback
# ---------------------------------------------------------------------------------------


def _baseline(function: ExcelFunction) -> list[Any]:
    """Valid arguments in cells: those of the function's first example that works."""
    example = next(e for e in function.examples if not e.error)
    return excel_args(function, example, "columns")


def _message(xl, function: ExcelFunction, args: list[Any]) -> str:
    result = xl.call(function.name, *args)
    assert len(result) == 1 and len(result[0]) == 1, result
    message = result[0][0]
    assert isinstance(message, str), f"no error for {args}: {result}"
    assert message.startswith(f"{function.name}: "), message
    assert "Traceback" not in message
    return message


def _positions(function: ExcelFunction, kind: str) -> list[int]:
    return [i for i, arg in enumerate(function.args) if arg.kind == kind and not arg.optional]


@pytest.mark.parametrize("function", BY_NAME)
def test_text_in_a_number_cell(xl, function):
    for i in _positions(function, NUMBER):
        args = _baseline(function)
        args[i] = ComRange([["ten"]])
        message = _message(xl, function, args)
        assert function.args[i].name in message and "the text 'ten'" in message


#: Ranges in which any text is a valid value (a customer id such as "n/a").
TEXT_RANGES = {"customer_ids"}


@pytest.mark.parametrize("function", BY_NAME)
def test_text_in_a_range_is_named_by_position(xl, function):
    for i in _positions(function, RANGE):
        if function.args[i].name in TEXT_RANGES:
            continue
        args = _baseline(function)
        values = [row[0] for row in args[i].rows]
        values[1] = "n/a"
        args[i] = ComRange.column(values)
        message = _message(xl, function, args)
        assert f"{function.args[i].name} item 2 is the text 'n/a'" in message


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!"])
@pytest.mark.parametrize("function", BY_NAME)
def test_error_cells_are_named_by_position(xl, function, error):
    for i in _positions(function, NUMBER):
        args = _baseline(function)
        args[i] = ComRange([[XlError(error)]])
        message = _message(xl, function, args)
        assert function.args[i].name in message and error in message
    for i in _positions(function, RANGE):
        args = _baseline(function)
        values = [row[0] for row in args[i].rows]
        values[1] = XlError(error)
        args[i] = ComRange.row(values)
        message = _message(xl, function, args)
        assert f"{function.args[i].name} item 2 is the error value {error}" in message


def test_without_err_to_str_xlwings_would_read_an_error_cell_as_a_blank(xl):
    from xlwings import conversion

    raw = ((1.0, error_codes()["#N/A"]),)
    assert conversion.read(None, raw, {"ndim": 2}) == [[1.0, None]]
    assert conversion.read(None, raw, {"ndim": 2, "err_to_str": True}) == [[1.0, "#N/A"]]


@pytest.mark.parametrize("function", BY_NAME)
def test_a_blank_where_a_value_is_required(xl, function):
    for i in _positions(function, NUMBER):
        args = _baseline(function)
        args[i] = BLANK
        message = _message(xl, function, args)
        assert function.args[i].name in message and "blank" in message


@pytest.mark.parametrize(
    "function", [p for p in BY_NAME if len(_positions(p.values[0], RANGE)) >= 2]
)
def test_ranges_of_different_lengths(xl, function):
    args = _baseline(function)
    first, second = _positions(function, RANGE)[:2]
    values = [row[0] for row in args[second].rows]
    args[second] = ComRange.column(values[:-1])
    message = _message(xl, function, args)
    assert function.args[first].name in message and function.args[second].name in message
    assert str(len(values)) in message and str(len(values) - 1) in message


def test_a_bad_value_for_an_optional_argument(xl):
    flows = ComRange.column([-100000, 30000, 35000, 40000, 45000])
    message = _message(xl, REGISTRY["CLV"], [100, 0.8, 0.12, OMIT, OMIT, OMIT, "sometimes"])
    assert "timing" in message
    message = _message(xl, REGISTRY["IRR_CRM"], [flows, OMIT, "soon"])
    assert "guess" in message and "the text 'soon'" in message


N_BIG = 100_000


def test_a_100000_row_range(xl):
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 11, N_BIG).astype(float)
    from crmvalue_core import survey_metrics

    assert xl.value("NPS", ComRange.column(scores.tolist())) == pytest.approx(
        survey_metrics.nps(scores), rel=1e-12
    )
    bad = scores.tolist()
    bad[N_BIG - 2] = "maybe"
    message = _message(xl, REGISTRY["NPS"], [ComRange.column(bad)])
    assert f"scores item {N_BIG - 1} is the text 'maybe'" in message
    flows = rng.uniform(-1000, 1000, N_BIG)
    npv = xl.value("NPV_CRM", 0.0001, ComRange.column(flows.tolist()))
    assert math.isfinite(npv)
    assert npv == pytest.approx(float(np.sum(flows / 1.0001 ** np.arange(N_BIG))), rel=1e-9)
    labels = xl.call(
        "CUSTOMER_SEGMENT",
        ComRange.column(flows.tolist()),
        ComRange.column(rng.uniform(0, 10, N_BIG).tolist()),
    )
    assert len(labels) == N_BIG and {row[0] for row in labels} <= {
        "Most valuable",
        "Growth",
        "Standard",
        "Negative",
    }


# ---------------------------------------------------------------------------------------
# The harness itself, and the module outside it
# ---------------------------------------------------------------------------------------


def test_harness_reads_cells_as_pywin32_hands_them(xl):
    assert error_codes()["#N/A"] == -2146826246 and error_codes()["#DIV/0!"] == -2146826281
    one = ComRange([[dt.date(2024, 1, 31)]])
    assert one.Value.tzinfo is not None  # pywin32 dates are tz-aware
    assert ComRange.column([1, None]).Value == ((1.0,), (None,))
    # The engine's own cleaning turns them back into what a UDF sees.
    cleaned = xl.engine.impl.clean_value_data([[one.Value, None]], dt.datetime, None, None, True)
    assert cleaned == [[dt.datetime(2024, 1, 31), None]]


def test_harness_restores_what_it_changed():
    import xlwings

    before = {name: sys.modules.get(name) for name in ("pythoncom", "addin.udfs", "xlwings.udfs")}
    before_func = xlwings.func
    engines = len(xlwings.engines)
    with classic_xlwings() as harness:
        assert hasattr(harness.module.NPV_CRM, "__xlfunc__")
        assert xlwings.func is before_func  # bound only while addin.udfs was imported
    assert {name: sys.modules.get(name) for name in before} == before
    assert xlwings.func is before_func and len(xlwings.engines) == engines


def test_the_module_works_as_plain_python_outside_the_harness():
    module = importlib.import_module("addin.udfs")
    flows = [[-100000], [30000], [35000], [40000], [45000]]
    assert module.NPV_CRM(0.1, flows) == pytest.approx(16986.54463, abs=5e-6)
    assert module.NPV_CRM("x", flows).startswith("NPV_CRM: rate")


@pytest.mark.skipif(
    not os.environ.get("XLWINGS_LICENSE_KEY"),
    reason="xlwings Lite/Server decorators need XLWINGS_LICENSE_KEY (CI does not set it)",
)
def test_office_js_decorators_accept_the_same_module():  # pragma: no cover - needs a key
    import xlwings
    from xlwings.pro import udfs_officejs

    saved = xlwings.func, xlwings.arg, xlwings.ret
    saved_module = sys.modules.pop("addin.udfs", None)
    try:
        xlwings.func, xlwings.arg, xlwings.ret = (
            udfs_officejs.xlfunc,
            udfs_officejs.xlarg,
            udfs_officejs.xlret,
        )
        module = importlib.import_module("addin.udfs")
    finally:
        xlwings.func, xlwings.arg, xlwings.ret = saved
        sys.modules.pop("addin.udfs", None)
        if saved_module is not None:
            sys.modules["addin.udfs"] = saved_module
    meta = udfs_officejs.custom_functions_meta(module)
    by_name = {f["name"]: f for f in meta["functions"]}
    assert set(by_name) == set(REGISTRY)
    for function in FUNCTIONS:
        params = by_name[function.name]["parameters"]
        assert [p["name"] for p in params] == list(function.arg_names)
        assert [p.get("optional", False) for p in params] == [a.optional for a in function.args]
