"""A user edits the template's layout; no edit gives a silently wrong number.

LibreOffice itself makes the edits a finance user makes, through its UNO API (a Python
macro run headless in a throwaway profile): unprotect a sheet, insert rows or columns, type
a label and amounts, overwrite a formula with a number; then it recalculates and saves the
workbook as .xlsx, with the values it computed. Each edited workbook is then either

* included correctly: ``read_inputs`` reads the added lines, and every model row and total
  LibreOffice saved (Benefits, Costs, NetCashFlow, the totals of the Inputs sheet, the
  native NPV) equals the core's appraisal within 1e-9; the NPV also equals a hand
  computation of the edit's effect; or
* refused by ``crmvalue appraise`` with exit status 2 and one line that names the figure,
  both values and the likely cause.

On the code before the cost block had its own name, the first kind was read without the
added line (the NPV unchanged) and the second was read silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.cli.app import main
from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from workbook_templates import _spec as spec
from workbook_templates import libreoffice as lo
from workbook_templates.builder import CALCULATION_ROWS
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_inputs, read_values

pytestmark = pytest.mark.skipif(
    lo.find_soffice() is None, reason=f"LibreOffice Calc is not installed; {lo.INSTALL_HINT}"
)

#: The Python macro LibreOffice runs: each job loads a workbook, applies its operations
#: through the UNO API, recalculates and stores it as .xlsx.
MACRO = """
import json
import traceback

import uno
from com.sun.star.beans import PropertyValue

JOBS = @JOBS@


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def main(*args):
    ctx = XSCRIPTCONTEXT.getComponentContext()
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    with open(JOBS, encoding="utf-8") as stream:
        jobs = json.load(stream)
    log = []
    for job in jobs:
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(job["source"]), "_blank", 0, (_prop("Hidden", True),)
            )
            for op in job["ops"]:
                kind, sheet = op[0], doc.Sheets.getByName(op[1])
                sheet.unprotect("")
                if kind == "insert_rows":
                    sheet.Rows.insertByIndex(op[2] - 1, op[3])
                elif kind == "insert_columns":
                    sheet.Columns.insertByIndex(op[2] - 1, op[3])
                elif kind == "set":
                    cell = sheet.getCellRangeByName(op[2])
                    if isinstance(op[3], str):
                        cell.setString(op[3])
                    else:
                        cell.setValue(op[3])
                sheet.protect("")
            doc.calculateAll()
            doc.storeToURL(
                uno.systemPathToFileUrl(job["target"]),
                (_prop("FilterName", "Calc MS Excel 2007 XML"),),
            )
            doc.close(True)
            log.append("ok " + job["target"])
        except Exception:
            log.append("error " + job["target"] + " " + traceback.format_exc())
    with open(JOBS + ".log", "w", encoding="utf-8") as stream:
        stream.write(json.dumps(log))


g_exportedScripts = (main,)
"""

REL = 1e-9


def _row(name: str) -> int:
    """The first row of defined name ``name`` in the template."""
    found = read_values(spec_template())[name]
    first = found[0] if isinstance(found, list) else found
    return int(re.sub(r"[A-Z]+", "", first.cell))


def spec_template() -> Path:
    from workbook_templates.files import TEMPLATE_PATH

    return TEMPLATE_PATH


def _name_row(name: str, fallback: int) -> int:
    """The row of a defined name that is not an input (TotalCosts...) in the template;
    ``fallback`` where the template has no such name (to run these tests on older code)."""
    wb = openpyxl.load_workbook(spec_template())
    if name not in wb.defined_names:
        return fallback
    _, reference = next(iter(wb.defined_names[name].destinations))
    return int(re.sub(r"[^0-9]", "", reference.split(":")[0]))


@dataclass(frozen=True)
class Edit:
    """One edit of the demo workbook: LibreOffice operations, and what must follow.

    ``npv_change``: for an edit that must be included, the change of the NPV worked out by
    hand; ``refused``: for one that must be refused, patterns of the one-line message.
    """

    ops: tuple[tuple[Any, ...], ...]
    npv_change: float | None = None
    refused: tuple[str, ...] = ()


DEMO = core.demo_case()
RATE = DEMO.general.discount_rate
RISK = DEMO.general.benefit_risk_adjustment
CONTINGENCY = DEMO.general.cost_contingency
HORIZON = DEMO.general.horizon_years


def cost_pv(amounts: dict[int, float]) -> float:
    """Hand computation: the PV of added costs by year, with contingency, within the horizon."""
    return sum(a * (1 + CONTINGENCY) / (1 + RATE) ** t for t, a in amounts.items() if t <= HORIZON)


def benefit_pv(amounts: dict[int, float]) -> float:
    """Hand computation: the PV of added benefits by year, after the risk adjustment."""
    return sum(a * (1 - RISK) / (1 + RATE) ** t for t, a in amounts.items() if 1 <= t <= HORIZON)


def edits() -> dict[str, Edit]:
    implementation = _row("CostImplementation")
    licences = _row("CostLicences")
    other = _row("OtherBenefits")
    total_costs = _name_row("TotalCosts", _row("CostOther") + 1)
    total_other = _name_row("TotalOtherBenefits", other + 1)
    spare = total_costs - 1  # the last spare row of the cost block
    calc = spec.SHEET_CALC
    retention = CALCULATION_ROWS["retention"]
    costs_row = CALCULATION_ROWS["costs_before_contingency"]
    inputs = spec.SHEET_INPUTS
    return {
        # The issue's own case: "Travel", 50,000 in year 0, inside the cost block.
        "travel_inside_the_cost_block": Edit(
            (
                ("insert_rows", inputs, implementation, 1),
                ("set", inputs, f"A{implementation}", "Travel"),
                ("set", inputs, f"C{implementation}", 50_000),
            ),
            npv_change=-cost_pv({0: 50_000}),
        ),
        "row_above_the_first_cost_line": Edit(
            (
                ("insert_rows", inputs, licences, 2),
                ("set", inputs, f"A{licences + 1}", "Consultant"),
                ("set", inputs, f"D{licences + 1}", 20_000),
                ("set", inputs, f"E{licences + 1}", 20_000),
            ),
            npv_change=-cost_pv({1: 20_000, 2: 20_000}),
        ),
        "row_just_above_the_cost_total": Edit(
            (
                ("insert_rows", inputs, total_costs, 1),
                ("set", inputs, f"A{total_costs}", "Legal review"),
                ("set", inputs, f"E{total_costs}", 10_000),
                ("set", inputs, f"M{total_costs}", 99_000),  # after the horizon: ignored
            ),
            npv_change=-cost_pv({2: 10_000}),
        ),
        "spare_cost_row_filled": Edit(
            (
                ("set", inputs, f"A{spare}", "Licence audit"),
                ("set", inputs, f"C{spare}", 5_000),
                ("set", inputs, f"F{spare}", 5_000),
            ),
            npv_change=-cost_pv({0: 5_000, 3: 5_000}),
        ),
        "benefit_line_above_other_benefits": Edit(
            (
                ("insert_rows", inputs, other, 1),
                ("set", inputs, f"A{other}", "Print savings"),
                *(("set", inputs, f"{c}{other}", 30_000) for c in "DEF"),
            ),
            npv_change=benefit_pv({1: 30_000, 2: 30_000, 3: 30_000}),
        ),
        "benefit_line_above_its_total": Edit(
            (
                ("insert_rows", inputs, total_other, 2),
                ("set", inputs, f"A{total_other + 1}", "Lower churn of partners"),
                ("set", inputs, f"G{total_other + 1}", -4_000),
            ),
            npv_change=benefit_pv({4: -4_000}),
        ),
        "column_inserted_before_the_labels": Edit(
            (("insert_columns", inputs, 1, 1),), npv_change=0.0
        ),
        "rows_inserted_above_everything": Edit((("insert_rows", inputs, 3, 2),), npv_change=0.0),
        "empty_row_inserted_in_the_calculation": Edit(
            (("insert_rows", calc, costs_row, 1),), npv_change=0.0
        ),
        # Refused: the sheet computes another number than the core from the same inputs.
        "number_typed_into_a_row_inserted_in_the_calculation": Edit(
            (
                ("insert_rows", calc, retention + 1, 1),
                ("set", calc, f"D{retention + 1}", 100_000),
            ),
            refused=(
                r"\(Benefits\)",
                r"saved [\d,.]+ for the benefits of year 1, but its inputs give [\d,.]+",
                "row or column inserted outside the input blocks",
                "formula overwritten with a number",
            ),
        ),
        "calculation_formula_overwritten_with_a_number": Edit(
            (("set", calc, f"C{costs_row}", 1_000),),
            refused=(r"\(Costs\)", "the costs of year 0", "formula overwritten with a number"),
        ),
        "cost_total_overwritten_with_a_number": Edit(
            (("set", inputs, f"D{total_costs}", 0),),
            refused=(r"\(TotalCosts\)", "the total of the cost lines of year 1"),
        ),
        "line_typed_into_a_row_inserted_below_the_cost_total": Edit(
            (
                ("insert_rows", inputs, total_costs + 1, 1),
                ("set", inputs, f"A{total_costs + 1}", "Travel"),
                ("set", inputs, f"C{total_costs + 1}", 50_000),
            ),
            refused=(
                rf"sheet 'Inputs', cell C{total_costs + 1} holds 50000 outside the input cells",
                "counts nowhere",
                "spare row",
            ),
        ),
        "column_inserted_inside_the_year_columns": Edit(
            (("insert_columns", inputs, 5, 1),),
            refused=("column inserted or deleted inside the year columns",),
        ),
    }


EDITS = edits()


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every edit made by LibreOffice on a copy of the demo workbook, in one run."""
    folder = tmp_path_factory.mktemp("edits")
    source = fill_template(DEMO, folder / "demo.xlsx")
    profile = lo.make_profile(folder / "profile")
    scripts = profile / "user" / "Scripts" / "python"
    scripts.mkdir(parents=True, exist_ok=True)
    jobs = folder / "jobs.json"
    (scripts / "crmvalue_edits.py").write_text(
        MACRO.replace("@JOBS@", repr(str(jobs))), encoding="utf-8"
    )
    targets = {name: folder / f"{name}.xlsx" for name in [*EDITS, "unedited"]}
    jobs.write_text(
        json.dumps(
            [
                {"source": str(source), "target": str(targets[name]), "ops": list(edit.ops)}
                for name, edit in [*EDITS.items(), ("unedited", Edit(()))]
            ]
        ),
        encoding="utf-8",
    )
    lo.run_soffice(
        ["vnd.sun.star.script:crmvalue_edits.py$main?language=Python&location=user"],
        profile=profile,
        timeout=600,
    )
    log = json.loads(Path(f"{jobs}.log").read_text(encoding="utf-8"))
    assert all(line.startswith("ok ") for line in log), log
    return targets


def saved_rows(path: Path) -> dict[str, list[Any]]:
    """What LibreOffice saved in the model rows, the totals and the native NPV."""
    wb = openpyxl.load_workbook(path, data_only=True)
    found = {}
    for name in ("Benefits", "Costs", "NetCashFlow", "TotalCosts", "TotalOtherBenefits"):
        ((sheet, reference),) = wb.defined_names[name].destinations
        cells = wb[sheet][reference.replace("$", "")]
        found[name] = [cell.value for row in cells for cell in row]
    ((sheet, reference),) = wb.defined_names["ResultNPV"].destinations
    found["ResultNPV"] = [wb[sheet][reference.replace("$", "")].value]
    return found


def close(actual: Any, expected: float, scale: float) -> bool:
    return isinstance(actual, (int, float)) and abs(actual - expected) <= REL * (
        abs(expected) + scale
    )


INCLUDED = [name for name, edit in EDITS.items() if edit.npv_change is not None]
REFUSED = [name for name, edit in EDITS.items() if edit.refused]


def test_the_unedited_workbook_saved_by_libreoffice_reads_as_the_demo(
    edited: dict[str, Path],
) -> None:
    assert read_inputs(edited["unedited"]) == DEMO


@pytest.mark.parametrize("name", INCLUDED)
def test_an_edit_inside_the_blocks_is_included(edited: dict[str, Path], name: str) -> None:
    path = edited[name]
    result = core.appraise(read_inputs(path))
    # the NPV moves by what a hand computation of the edit says
    expected_npv = core.appraise(DEMO).npv + EDITS[name].npv_change
    assert result.npv == pytest.approx(expected_npv, rel=1e-12, abs=1e-6)
    # and every figure LibreOffice computed equals the core's
    saved = saved_rows(path)
    scale = float(max(result.years["costs"].abs().max(), result.years["benefits"].abs().max()))
    benefits = result.inputs.benefits
    expected = {
        "Benefits": result.years["benefits"],
        "Costs": result.years["costs"],
        "NetCashFlow": result.years["net"],
        "TotalCosts": result.inputs.costs.total,
        "TotalOtherBenefits": [
            a + b
            for a, b in zip(benefits.other_benefits, benefits.added_other_benefits, strict=True)
        ],
        "ResultNPV": [result.npv],
    }
    for key, values in expected.items():
        for index, value in enumerate(values):
            assert close(saved[key][index], float(value), scale), (key, index, saved[key][index])


def test_the_added_lines_keep_their_labels(edited: dict[str, Path]) -> None:
    case = read_inputs(edited["travel_inside_the_cost_block"])
    assert [line.label for line in case.costs.added_lines] == ["Travel"]
    assert case.costs.added_lines[0].amounts[0] == 50_000
    case = read_inputs(edited["benefit_line_above_other_benefits"])
    assert [line.label for line in case.benefits.other_benefit_lines] == ["Print savings"]


@pytest.mark.parametrize("name", REFUSED)
def test_an_edit_outside_the_blocks_is_refused(
    edited: dict[str, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited[name]
    before = path.read_bytes()
    code = main(["appraise", str(path)])
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("crmvalue appraise: ")
    assert "Traceback" not in captured.err
    for pattern in EDITS[name].refused:
        assert re.search(pattern, lines[0]), f"{pattern!r} not in: {lines[0]}"
    assert captured.out == ""
    assert path.read_bytes() == before  # the user's file is never modified


def test_the_refusal_names_both_values(edited: dict[str, Path]) -> None:
    """The overwritten cost cell: the saved costs of year 0 are 1,000 x (1 + contingency)."""
    path = edited["calculation_formula_overwritten_with_a_number"]
    with pytest.raises(CrmValueError) as caught:
        read_inputs(path)
    message = str(caught.value)
    shown = f"{1_000 * (1 + CONTINGENCY):,.2f}"
    computed = f"{core.appraise(DEMO).years['costs'][0]:,.2f}"
    assert f"saved {shown} for the costs of year 0, but its inputs give {computed}" in message


def test_a_workbook_without_saved_values_is_read_as_before(tmp_path: Path) -> None:
    """openpyxl writes no computed values: nothing to compare, the inputs are read."""
    wb = openpyxl.load_workbook(fill_template(DEMO, tmp_path / "demo.xlsx"))
    wb[spec.SHEET_CALC][f"C{CALCULATION_ROWS['costs_before_contingency']}"] = 1_000
    wb.save(tmp_path / "overwritten.xlsx")
    assert read_inputs(tmp_path / "overwritten.xlsx") == DEMO
