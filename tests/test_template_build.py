"""The template workbook: the committed file is the builder's output, and it is built right.

Checks the structure docs/template.md asks for: every defined name with its cell count, the
input style, data validation, protection, formulas that both Excel and LibreOffice 7.4
compute, the Results sheet (add-in formula and native check per metric), the charts and
the xlwings settings sheet. That the formulas compute the core's numbers is proved by
recalculating in LibreOffice (the LibreOffice tests).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.formulas import FORMULAE
from openpyxl.worksheet.formula import ArrayFormula

from crmvalue_core import appraisal as core
from tests.cases import TEMPLATE_DEFINED_NAMES
from workbook_templates import _spec as spec
from workbook_templates import builder
from workbook_templates.errors import FileError

TEMPLATE_DOC = Path(__file__).resolve().parents[1] / "docs" / "template.md"

#: The table of defined names of docs/template.md with their cell counts (the public interface).
DEFINED_NAMES = TEMPLATE_DEFINED_NAMES
INPUT_NAMES = [item.name for item in core.INPUTS]
RATES = ["DiscountRate", "FinanceRate", "ReinvestRate"]
COUNTS = ["CustomersActive", "NewCustomersPerYear", "SalesReps", "ServiceCases"]
ADDIN_FUNCTIONS = {"NPV_CRM", "IRR_CRM", "MIRR_CRM", "ROI_CRM", "PAYBACK", "DISCOUNTED_PAYBACK"}


@pytest.fixture(scope="module")
def built() -> bytes:
    return builder.build_bytes()


@pytest.fixture(scope="module")
def wb(built: bytes, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("template") / "built.xlsx"
    path.write_bytes(built)
    return load_workbook(path)


def cells_of(wb, name: str) -> list:
    """The cells a defined name points to, in order."""
    destinations = list(wb.defined_names[name].destinations)
    assert len(destinations) == 1, name
    sheet, reference = destinations[0]
    found = wb[sheet][reference]
    if not isinstance(found, tuple):
        return [found]
    return [cell for row in found for cell in (row if isinstance(row, tuple) else (row,))]


def formulas(wb) -> list[tuple[str, str, str]]:
    """(sheet, cell, formula text) of every formula cell."""
    result = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value = value.text
                if isinstance(value, str) and value.startswith("="):
                    result.append((ws.title, cell.coordinate, value))
    return result


def validation_of(ws, coordinate: str):
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{coordinate} has {len(found)} data validations"
    return found[0]


# --------------------------------------------------------------------------- the file


def test_committed_template_is_the_builder_output(built: bytes) -> None:
    committed = builder.TEMPLATE_PATH
    assert committed.exists(), "run: python -m workbook_templates.builder"
    with (
        zipfile.ZipFile(committed) as old,
        zipfile.ZipFile(io.BytesIO(built)) as new,
    ):
        assert old.namelist() == new.namelist(), "run: python -m workbook_templates.builder"
        for name in new.namelist():
            assert old.read(name) == new.read(name), (
                f"{name} of the committed template differs from the builder's output; "
                "run: python -m workbook_templates.builder"
            )
    assert committed.read_bytes() == built


def test_build_is_deterministic(built: bytes) -> None:
    assert builder.build_bytes() == built
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core_xml = archive.read("docProps/core.xml").decode()
    assert "2026-01-01T00:00:00Z" in core_xml


def test_main_writes_the_template(tmp_path: Path, built: bytes) -> None:
    out = tmp_path / "t.xlsx"
    assert builder.main(["--out", str(out)]) == 0
    assert out.read_bytes() == built


# --------------------------------------------------------------------- defined names


def test_every_defined_name_exists_with_its_cell_count(wb) -> None:
    for name, count in DEFINED_NAMES.items():
        assert name in wb.defined_names, name
        assert wb.defined_names[name].localSheetId is None  # workbook-scoped
        cells = cells_of(wb, name)
        assert len(cells) == count, (name, len(cells))
        _, reference = next(iter(wb.defined_names[name].destinations))
        _, min_row, _, max_row = range_boundaries(reference.replace("$", ""))
        assert min_row == max_row, f"{name} is one row"


def test_the_name_table_of_docs_template_md_is_the_workbooks() -> None:
    text = TEMPLATE_DOC.read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        match = re.match(r"\|\s*([A-Za-z, ]+?)\s*\|.*\|\s*(1 each|1[01] each)", line)
        if match:
            count = int(match.group(2).split()[0])
            for name in match.group(1).split(","):
                table[name.strip()] = count
    assert table == DEFINED_NAMES
    assert set(spec.DEFINED_NAME_CELLS) == set(DEFINED_NAMES)
    assert spec.DEFINED_NAME_CELLS == DEFINED_NAMES


def test_inputs_are_those_of_the_core() -> None:
    assert set(core.DEFINED_NAMES) == {n for n in DEFINED_NAMES if n in spec.INPUTS_BY_NAME}
    assert [item.name for item in spec.INPUTS] == sorted(
        INPUT_NAMES, key=[item.name for item in spec.INPUTS].index
    )
    assert len(spec.INPUTS) == len(core.INPUTS)


# ------------------------------------------------------------ styles and protection


def test_input_cells_have_the_input_style_and_are_unlocked(wb) -> None:
    assert builder.INPUT_STYLE in wb.style_names
    for name in INPUT_NAMES:
        for cell in cells_of(wb, name):
            assert cell.style == builder.INPUT_STYLE, (name, cell.coordinate)
            assert cell.protection.locked is False, (name, cell.coordinate)


def test_every_other_cell_is_locked_and_every_sheet_protected(wb) -> None:
    unlocked = 0
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert not ws.protection.password, ws.title
        for row in ws.iter_rows():
            for cell in row:
                if cell.style == builder.INPUT_STYLE:
                    assert cell.protection.locked is False
                    unlocked += 1
                else:
                    assert cell.protection.locked is not False, (ws.title, cell.coordinate)
    assert unlocked > 100


def test_model_and_result_cells_are_formulas_not_inputs(wb) -> None:
    for name in [*spec.MODEL_ROWS, *spec.RESULT_NAMES, *spec.ADDIN_NAMES]:
        for cell in cells_of(wb, name):
            assert isinstance(cell.value, str) and cell.value.startswith("="), (name, cell)
            assert cell.style != builder.INPUT_STYLE


# -------------------------------------------------------------------- validation


def test_every_input_cell_has_validation_with_message_and_stop_alert(wb) -> None:
    currency = cells_of(wb, "Currency")[0]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.style != builder.INPUT_STYLE:
                    continue
                dv = validation_of(ws, cell.coordinate)
                assert dv.showInputMessage and dv.prompt and dv.promptTitle
                # The currency list warns: any other ISO 4217 code may be typed in.
                alert = (
                    "warning"
                    if (ws, cell.coordinate) == (currency.parent, currency.coordinate)
                    else "stop"
                )
                assert dv.showErrorMessage and dv.error and dv.errorStyle == alert
                assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32


def test_validation_rules(wb) -> None:
    def dv(name: str):
        cell = cells_of(wb, name)[0]
        return validation_of(cell.parent, cell.coordinate)

    for name in RATES:
        rule = dv(name)
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
            "decimal",
            "between",
            "-0.99",
            "1",
        ), name
    for name in COUNTS:
        rule = dv(name)
        assert (rule.type, rule.operator, rule.formula1) == ("whole", "greaterThanOrEqual", "0")
    rule = dv("HorizonYears")
    assert (rule.type, rule.formula1, rule.formula2, rule.allow_blank) == (
        "whole",
        "1",
        "10",
        False,
    )
    rule = dv("Currency")
    assert rule.type == "list"
    assert rule.formula1.strip('"').split(",") == list(core.CURRENCIES)
    for name in ["ChurnBaseline", "AdoptionRamp", "BenefitRiskAdjustment", "CostContingency"]:
        rule = dv(name)
        assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "1"), name
    for name in ["CostLicences", "MarginPerCustomer", "HourlyCost"]:
        rule = dv(name)
        assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
    # A row's validation covers all its cells.
    for name in ["CostLicences", "AdoptionRamp", "OtherBenefits"]:
        cells = cells_of(wb, name)
        rules = {id(validation_of(cells[0].parent, cell.coordinate)) for cell in cells}
        assert len(rules) == 1


def test_validation_matches_the_core_bounds(wb) -> None:
    for item in core.INPUTS:
        cell = cells_of(wb, item.name)[0]
        rule = validation_of(cell.parent, cell.coordinate)
        assert rule.allow_blank == (item.blank != "error"), item.name
        if item.kind in ("text", "currency"):
            continue
        assert rule.type == ("whole" if item.whole else "decimal"), item.name
        if item.minimum is not None:
            assert float(rule.formula1) == item.minimum, item.name
        if item.maximum is not None:
            assert float(rule.formula2) == item.maximum, item.name


# ---------------------------------------------------------------------- defaults


def test_defaults_are_the_core_defaults(wb) -> None:
    shown = {name: [cell.value for cell in cells_of(wb, name)] for name in INPUT_NAMES}
    assert shown["HorizonYears"] == [5]
    assert shown["DiscountRate"] == [0.1]
    assert shown["BenefitRiskAdjustment"] == [0.1]
    assert shown["CostContingency"] == [0]
    assert shown["FinanceRate"] == [None] and shown["ReinvestRate"] == [None]
    assert shown["AdoptionRamp"] == [0.5, 0.8] + [1] * 8
    for item in core.INPUTS:
        values = shown[item.name]
        default = item.default if isinstance(item.default, tuple) else (item.default,)
        assert len(values) == len(default), item.name
        for value, expected in zip(values, default, strict=True):
            # A default of 0 shows as a blank cell outside the general settings.
            assert value == expected or (value is None and expected == 0), item.name
    assert all(v is None for v in shown["CostLicences"] + shown["OtherBenefits"])


# ------------------------------------------------------------------------ formulas


def _functions_and_names(formula: str) -> tuple[set[str], set[str]]:
    functions, names = set(), set()
    for token in Tokenizer(formula).items:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            functions.add(token.value[:-1].upper())
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            reference = token.value.split("!")[-1].replace("$", "")
            if not re.fullmatch(r"[A-Z]{1,3}\d+(:[A-Z]{1,3}\d+)?", reference):
                names.add(token.value)
    return functions, names


def test_formulas_use_only_portable_functions_and_defined_names(wb) -> None:
    from addin.excel.registry import REGISTRY

    used_addin = set()
    for sheet, cell, text in formulas(wb):
        assert "[" not in text, f"{sheet}!{cell}: structured or external reference: {text}"
        functions, names = _functions_and_names(text)
        for function in functions:
            assert function not in spec.FORBIDDEN_FUNCTIONS, f"{sheet}!{cell}: {function}"
            assert not function.startswith("_XLFN"), f"{sheet}!{cell}: {function}"
            assert function in FORMULAE or function in REGISTRY, f"{sheet}!{cell}: {function}"
            if function in REGISTRY:
                used_addin.add(function)
        for name in names:
            assert name in wb.defined_names, f"{sheet}!{cell} uses the unknown name {name}"
    assert used_addin >= ADDIN_FUNCTIONS
    assert {"NPS", "NPS_MOE", "NPS_CI", "CSAT", "CHURN_RATE", "RETENTION_RATE", "CAC"} <= used_addin
    assert {"CLV", "CLV_CAC", "CAC_PAYBACK", "CUSTOMER_SEGMENT", "PI_CRM"} <= used_addin


def test_addin_calls_have_valid_argument_counts(wb) -> None:
    from addin.excel.registry import REGISTRY

    for sheet, cell, text in formulas(wb):
        depth, stack = 0, []
        for token in Tokenizer(text).items:
            if token.type == Token.FUNC and token.subtype == Token.OPEN:
                stack.append([token.value[:-1].upper(), 0, depth + 1, False])
                depth += 1
            elif token.type == Token.SEP and token.subtype == Token.ARG and stack:
                if stack[-1][2] == depth:
                    stack[-1][1] += 1
            elif token.type == Token.FUNC and token.subtype == Token.CLOSE:
                name, commas, _, _ = stack.pop()
                depth -= 1
                if name in REGISTRY:
                    args = REGISTRY[name].args
                    required = sum(not arg.optional for arg in args)
                    assert required <= commas + 1 <= len(args), f"{sheet}!{cell}: {name}"


def test_model_rows_hold_a_formula_every_year(wb) -> None:
    calc = wb[spec.SHEET_CALC]
    for key, row in builder.CALCULATION_ROWS.items():
        for column in builder.YEAR_COLUMNS:
            value = calc[f"{column}{row}"].value
            assert isinstance(value, str) and value.startswith("="), (key, column)
    for name in spec.MODEL_ROWS:
        cells = cells_of(wb, name)
        assert [cell.column_letter for cell in cells] == list(builder.YEAR_COLUMNS)


def test_results_are_native_formulas_with_the_addin_beside_them(wb) -> None:
    """Every Excel computes the results (B, ``Result...``): no add-in function in them; the
    add-in cell (D, ``Addin...``) says "add-in not enabled" for #NAME? (ERROR.TYPE 5)."""
    results = wb[spec.SHEET_RESULTS]
    for key, row in builder.RESULT_ROWS.items():
        native, addin, flag = (results[f"{c}{row}"].value for c in "BDE")
        functions, _ = _functions_and_names(addin)
        assert functions & ADDIN_FUNCTIONS | functions & {"PI_CRM"}, key
        assert "HorizonYears" in addin and "OFFSET(" in addin, key
        assert addin.startswith("=IFERROR(") and "ERROR.TYPE(" in addin, key
        assert '=5,"add-in not enabled",' in addin, key
        native_functions, _ = _functions_and_names(native)
        assert not native_functions & (ADDIN_FUNCTIONS | {"PI_CRM"}), key
        assert '"differs"' in flag and f"B{row}" in flag and f"D{row}" in flag
        assert '"not checked"' in flag
    assert cells_of(wb, "ResultNPV")[0].value.startswith("=NPV(DiscountRate,OFFSET(NetCashFlow,0,1")
    call = "NPV_CRM(DiscountRate,OFFSET(NetCashFlow,0,0,1,HorizonYears+1))"
    assert cells_of(wb, "AddinNPV")[0].value == (
        f'=IFERROR({call},IF(ERROR.TYPE({call})=5,"add-in not enabled",{call}))'
    )
    assert cells_of(wb, "ResultIRR")[0].value == "=IRR(OFFSET(NetCashFlow,0,0,1,HorizonYears+1))"
    for key, row in builder.RESULTS_DRIVER_ROWS.items():
        assert key in core.BENEFIT_DRIVERS
        assert "NPV(" in results[f"B{row}"].value and "NPV_CRM" not in results[f"B{row}"].value
        assert "NPV_CRM" in results[f"D{row}"].value
    # the reader's columns: no tolerance column, no developer's "1E-9" in a cell of its own
    values = [cell.value for row in results.iter_rows() for cell in row]
    assert "Tolerance" not in values and 1e-9 not in values and 1e-7 not in values


def test_no_add_in_function_outside_a_not_enabled_guard(wb) -> None:
    """Every cell that calls an add-in function shows "add-in not enabled" without it."""
    from addin.excel.registry import REGISTRY

    for sheet, cell, text in formulas(wb):
        functions, _ = _functions_and_names(text)
        if functions & set(REGISTRY):
            assert "ERROR.TYPE(" in text and '"add-in not enabled"' in text, (sheet, cell)


def test_customer_metrics_sheet_uses_the_addin(wb) -> None:
    ws = wb[spec.SHEET_CUSTOMERS]
    first, last = builder.CUSTOMER_TABLE_ROWS
    segment = ws[f"D{first}"].value
    assert isinstance(segment, ArrayFormula) and segment.ref == f"D{first}:D{last}"
    assert "CUSTOMER_SEGMENT(" in segment.text
    texts = " ".join(text for sheet, _, text in formulas(wb) if sheet == spec.SHEET_CUSTOMERS)
    for function in ["NPS(", "NPS_MOE(", "NPS_CI(", "CSAT(", "CHURN_RATE(", "CLV_CAC("]:
        assert function in texts


# ------------------------------------------------------------- layout and settings


def test_sheets_charts_and_print_setup(built: bytes, wb) -> None:
    assert wb.sheetnames == list(spec.SHEETS)
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if "charts/chart" in n]
    assert len(charts) == 2
    # straight segments (no smoothing), x values that stop at the horizon (#N/A after it)
    for chart in charts:
        assert re.search(r"<(\w+:)?scatterChart>", chart)
        assert not re.search(r'<(\w+:)?smooth val="(1|true)"', chart)
        assert re.search(r'<(\w+:)?smooth val="(0|false)"', chart)
        assert "'Results'!$A$" in chart  # the x values: the chart data block's years
    ws = wb[spec.SHEET_RESULTS]
    first = builder.results_sheet.CHART_DATA_FIRST_ROW
    for offset, column in enumerate(builder.YEAR_COLUMNS):
        year = ws[f"A{first + offset}"].value
        assert year.startswith(f"=IF(Calculation!${column}$") and year.endswith(",NA())")
    headers = [ws.cell(first - 1, column).value for column in range(2, 5)]
    assert all("Currency" in header for header in headers)  # the legend names the currency
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.column_dimensions["A"].width > 10
    for title in (spec.SHEET_INPUTS, spec.SHEET_CALC, spec.SHEET_RESULTS, spec.SHEET_CUSTOMERS):
        assert wb[title].freeze_panes, title
    for name, fmt in [("DiscountRate", "%"), ("CostLicences", "#,##0"), ("HourlyCost", "#,##0")]:
        assert fmt in cells_of(wb, name)[0].number_format, name


def test_xlwings_conf_sheet_sets_the_udf_module(wb) -> None:
    import xlwings

    conf = wb[spec.SHEET_CONF]
    # xlwings reads keys from A1 down to the first blank cell, values in column B.
    assert conf["A1"].value == "UDF Modules" and conf["B1"].value == "addin.udfs"
    assert conf["A2"].value is None
    bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(errors="replace")
    assert 'GetConfig("UDF MODULES")' in bas and 'PROJECT_NAME & ".conf"' in bas
    assert "UCase(cell.Value)" in bas  # keys are compared upper-cased


def test_write_template_keeps_an_existing_file_unless_forced(tmp_path: Path, built: bytes) -> None:
    target = tmp_path / "new.xlsx"
    target.write_bytes(b"mine")
    with pytest.raises(FileError, match="already exists and is kept"):
        builder.write_template(target, force=False)
    assert target.read_bytes() == b"mine"
    builder.write_template(target, force=True)
    assert target.read_bytes() == built
    with pytest.raises(FileError, match="does not exist"):
        builder.write_template(tmp_path / "nowhere" / "new.xlsx", force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx"]


# ------------------------------------------------------ Scenarios sheet (uncertainty)


def test_every_low_and_high_name_is_an_input_row_beside_its_base(wb) -> None:
    assert set(spec.RANGE_NAME_CELLS) == {
        f"{name}{side}" for name in core.UNCERTAIN_NAMES for side in ("Low", "High")
    }
    for name, count in spec.RANGE_NAME_CELLS.items():
        assert name in wb.defined_names, name
        assert wb.defined_names[name].localSheetId is None
        sheet, reference = next(iter(wb.defined_names[name].destinations))
        assert sheet == spec.SHEET_SCENARIOS, name
        _, min_row, _, max_row = range_boundaries(reference.replace("$", ""))
        assert min_row == max_row, f"{name} is one row"
        cells = cells_of(wb, name)
        assert len(cells) == count, (name, len(cells))
        for cell in cells:
            assert cell.style == builder.INPUT_STYLE and cell.value is None, (name, cell)
            dv = validation_of(wb[sheet], cell.coordinate)
            assert dv.allow_blank and "blank: the base" in dv.prompt, name
    # The base beside a single driver links to its Inputs cell; the used values fall back
    # to it when low or high is blank.
    ws = wb[spec.SHEET_SCENARIOS]
    for name, row in builder.RANGE_ROWS.items():
        assert ws[f"D{row}"].value == f"={name}"
        assert ws[f"F{row}"].value == f"=IF(ISBLANK(C{row}),D{row},C{row})"
    for name, rows in builder.RANGE_ROW_BLOCKS.items():
        first = cells_of(wb, f"{name}Low")[0]
        assert ws[f"{first.column_letter}{rows['base']}"].value == f"=INDEX({name},1,1)"


def test_scenario_npvs_and_sensitivity_are_native_formulas(wb) -> None:
    ws = wb[spec.SHEET_SCENARIOS]
    for key, name in spec.SCENARIO_NPV_NAMES.items():
        (cell,) = cells_of(wb, name)
        assert cell.row == builder.SCENARIO_ROWS[key] and cell.value.startswith("=")
        net_row = builder.SCENARIO_MODEL_ROWS[key]
        npv = ws[f"{builder.SCENARIO_NPV_COLUMN}{net_row}"].value
        assert npv.startswith("=NPV(DiscountRate,OFFSET(") and "HorizonYears" in npv
    assert set(builder.SENSITIVITY_ROWS) == set(core.UNCERTAIN_NAMES)
    from addin.excel.registry import REGISTRY

    texts = [text for sheet, _, text in formulas(wb) if sheet == spec.SHEET_SCENARIOS]
    assert len(texts) > 1500
    for text in texts:
        functions, _ = _functions_and_names(text)
        assert not functions & set(REGISTRY), text  # no add-in function: native only


# ------------------------------------------------------------- Start and Scenarios


def _start_text(wb) -> str:
    """The Start sheet's text, its wrapped lines joined."""
    cells = [str(c.value) for row in wb[spec.SHEET_START].iter_rows() for c in row if c.value]
    return re.sub(r"\s+", " ", " ".join(cells))


def test_start_sheet_gives_every_classic_excel_step_in_order(wb) -> None:
    text = _start_text(wb)
    steps = [
        "pip install xlwings crmvalue",
        "xlwings addin install",
        "Trust access to the VBA project object model",
        "macro-enabled workbook (.xlsm)",
        "Tools > References, tick 'xlwings'",
        "'Interpreter'",
        "'Import Functions'",
        "Ctrl+Alt+F9",
    ]
    places = [text.find(step) for step in steps]
    assert -1 not in places, dict(zip(steps, places, strict=True))
    assert places == sorted(places), dict(zip(steps, places, strict=True))
    lite = text.find("xlwings Lite")
    assert lite > places[-1] and "from addin.udfs import *" in text[lite:]
    assert "requirements.txt" in text[lite:]
    assert "#NAME?" not in text  # the workbook no longer shows it without the add-in


def test_start_sheet_lists_the_scenarios_sheet(wb) -> None:
    text = _start_text(wb)
    fill, sheets = text.index("How to fill it"), text.index("Sheets")
    assert "Scenarios sheet" in text[fill:sheets]
    listed = [name for name in spec.SHEETS if f"{name}:" in text[sheets:]]
    assert listed == [name for name in spec.SHEETS if name != spec.SHEET_START]


def test_scenarios_low_and_high_cells_are_greyed_after_the_horizon(wb) -> None:
    ws = wb[spec.SHEET_SCENARIOS]
    first = min(min(block.values()) for block in builder.RANGE_ROW_BLOCKS.values())
    last = max(max(block.values()) for block in builder.RANGE_ROW_BLOCKS.values())
    horizon = ws[f"{builder.YEAR_COLUMNS[-1]}{first - 2}"]
    assert horizon.value == "=HorizonYears"
    header = [ws[f"{column}{first - 1}"].value for column in builder.YEAR_COLUMNS]
    assert header == list(range(len(builder.YEAR_COLUMNS)))
    rules = [
        (str(area.sqref), rule)
        for area in ws.conditional_formatting
        for rule in area.rules
        if rule.dxf is not None
        and rule.dxf.fill is not None
        and rule.dxf.fill.fgColor.rgb.endswith("D9D9D9")
    ]
    assert len(rules) == 1, rules
    area, rule = rules[0]
    assert area == f"C{first}:M{last}"
    assert rule.formula == [f"C${first - 1}>$M${first - 2}"]
    for block in builder.RANGE_ROW_BLOCKS.values():
        assert first <= block["low"] <= last and first <= block["high"] <= last
