"""Fill the template with the filler, read it back with the reader: the inputs come back.

Covers the demo case, the blank template (the core's defaults) and seeded random valid
cases drawn from the core's own input table, plus the filler's data safety: the template is
never changed, an existing output is kept unless ``force=True``, a failed write leaves
nothing behind, and text is written as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import os
import random
import string
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from crmvalue_core import CrmValueError
from crmvalue_core import appraisal as core
from workbook_templates import builder
from workbook_templates.errors import FileError
from workbook_templates.filler import fill_template, fill_workbook
from workbook_templates.reader import CellValue, read_inputs, read_values


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(value: Any) -> Any:
    """A cell value comparable across loads (an array formula as its range and text)."""
    return (value.ref, value.text) if isinstance(value, ArrayFormula) else value


def random_value(rng: random.Random, spec: core.InputSpec) -> Any:
    """A valid value for one input, drawn within the core's bounds (edges included)."""
    if spec.kind == "text":
        alphabet = string.ascii_letters + string.digits + " -_.,:;'\"/&ÄÖÜäöüß€"
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))).strip()
        prefix = rng.choice(["", "", "=", "+", "-", "@", "=cmd|' /C calc'!A0 "])
        return (prefix + text) or "x"
    if spec.kind == "currency":
        return rng.choice(core.CURRENCIES)
    if spec.blank == "default" and rng.random() < 0.4:
        return None

    def one() -> float:
        low = spec.minimum if spec.minimum is not None else -1e7
        high = spec.maximum if spec.maximum is not None else 1e7
        if spec.whole:
            return rng.randint(int(low), int(min(high, 1e6)))
        edge = rng.random()
        if edge < 0.1:
            return low
        if edge < 0.2:
            return high
        value = round(rng.uniform(low, high), rng.choice([0, 2, 6, 17]))
        return min(max(value, low), high)

    if spec.cells > 1:
        return tuple(one() for _ in range(spec.cells))
    return one()


def random_case(seed: int) -> core.AppraisalInputs:
    rng = random.Random(seed)
    values = {spec.name: random_value(rng, spec) for spec in core.INPUTS}
    values["ChurnReduction"] = min(values["ChurnReduction"], values["ChurnBaseline"])
    return core.AppraisalInputs.from_defined_names(values)


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    """The packaged template, copied, so a test can check its bytes stay the same."""
    path = tmp_path / "template.xlsx"
    path.write_bytes(builder.TEMPLATE_PATH.read_bytes())
    return path


def test_blank_template_reads_as_the_core_defaults() -> None:
    before = digest(builder.TEMPLATE_PATH)
    assert read_inputs(builder.TEMPLATE_PATH) == core.AppraisalInputs()
    assert digest(builder.TEMPLATE_PATH) == before


def test_demo_case_round_trips(tmp_path: Path, template_copy: Path) -> None:
    before = digest(template_copy)
    path = fill_template(core.demo_case(), tmp_path / "demo.xlsx", template=template_copy)
    assert path == tmp_path / "demo.xlsx"
    assert read_inputs(path) == core.demo_case()
    assert digest(template_copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.xlsx", "template.xlsx"]


@pytest.mark.parametrize("seed", range(24))
def test_random_valid_cases_round_trip(tmp_path: Path, seed: int) -> None:
    case = random_case(seed)
    path = fill_template(case, tmp_path / f"case{seed}.xlsx")
    assert read_inputs(path) == case


def test_values_are_found_by_their_defined_names(tmp_path: Path) -> None:
    path = fill_template(core.demo_case(), tmp_path / "demo.xlsx")
    values = read_values(path)
    rate = values["DiscountRate"]
    assert isinstance(rate, CellValue)
    assert (rate.sheet, rate.cell, rate.value) == ("Inputs", "C9", 0.1)
    licences = values["CostLicences"]
    assert isinstance(licences, list) and len(licences) == 11
    assert [cell.year for cell in licences] == list(range(11))
    assert [cell.value for cell in licences] == list(core.demo_case().costs.licences)
    assert [cell.year for cell in values["AdoptionRamp"]] == list(range(1, 11))


def test_filled_workbook_keeps_the_template(tmp_path: Path) -> None:
    path = fill_template(core.demo_case(), tmp_path / "demo.xlsx")
    filled, template = load_workbook(path), load_workbook(builder.TEMPLATE_PATH)
    assert filled.sheetnames == template.sheetnames
    assert set(filled.defined_names) == set(template.defined_names)
    for ws in filled.worksheets:
        other = template[ws.title]
        assert ws.protection.sheet
        assert len(ws.data_validations.dataValidation) == len(other.data_validations.dataValidation)
        assert len(ws._charts) == len(other._charts)
    # The formulas are untouched; only input cells changed.
    for ws in filled.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                before = template[ws.title][cell.coordinate]
                if cell.style != builder.INPUT_STYLE:
                    assert plain(cell.value) == plain(before.value), (ws.title, cell.coordinate)


def test_text_is_written_as_text_never_as_a_formula(tmp_path: Path) -> None:
    name = '=HYPERLINK("http://x","click")+1'
    case = core.demo_case().with_values({"CaseName": name})
    path = fill_template(case, tmp_path / "t.xlsx")
    cell = load_workbook(path)["Inputs"]["C5"]
    assert cell.data_type == "s" and cell.value == name
    assert read_inputs(path).general.case_name == name


def test_filler_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(FileError, match="already exists"):
        fill_template(core.demo_case(), target)
    assert target.read_bytes() == b"precious"
    fill_template(core.demo_case(), target, force=True)
    assert read_inputs(target) == core.demo_case()


def test_filler_never_writes_over_the_template(template_copy: Path) -> None:
    before = digest(template_copy)
    with pytest.raises(FileError, match="template itself"):
        fill_template(core.demo_case(), template_copy, force=True, template=template_copy)
    assert digest(template_copy) == before


def test_an_interrupted_write_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    def broken_replace(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        fill_template(core.demo_case(), tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_filler_errors(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="does not exist"):
        fill_template(core.demo_case(), tmp_path / "missing" / "out.xlsx")
    with pytest.raises(FileError, match=r"\.xlsx"):
        fill_template(core.demo_case(), tmp_path / "out.csv")
    with pytest.raises(CrmValueError, match="AppraisalInputs"):
        fill_workbook({"DiscountRate": 0.1})  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ added lines


def with_added_lines(costs: int, benefits: int) -> core.AppraisalInputs:
    """The demo case with ``costs`` added cost lines and ``benefits`` added benefit lines."""
    from dataclasses import replace

    case = core.demo_case()
    return replace(
        case,
        costs=replace(
            case.costs,
            added_lines=[
                core.CostLine(f"Cost {i}", (1_000.0 * (i + 1),) * 11) for i in range(costs)
            ],
        ),
        benefits=replace(
            case.benefits,
            other_benefit_lines=[
                core.BenefitLine(f"Benefit {i}", (-500.0, 2_000.0 * (i + 1)))
                for i in range(benefits)
            ],
        ),
    )


def test_added_lines_fill_the_spare_rows_and_come_back(tmp_path: Path) -> None:
    case = with_added_lines(3, 3)
    path = fill_template(case, tmp_path / "lines.xlsx")
    assert read_inputs(path) == case
    ws = load_workbook(path)["Inputs"]
    labels = [ws.cell(row=row, column=1).value for row in range(1, ws.max_row + 1)]
    assert {"Cost 0", "Cost 2", "Benefit 0", "Benefit 2"} <= set(labels)
    assert "Other cost line" not in labels  # the three spare rows are used


def test_more_added_lines_than_spare_rows_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileError, match=r"4 added lines for CostLines.*3 empty rows"):
        fill_template(with_added_lines(4, 0), tmp_path / "lines.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_filled_spare_row_counts_and_keeps_its_label(tmp_path: Path) -> None:
    """A user types amounts into the spare rows, as a fresh template offers them."""
    wb = load_workbook(fill_template(core.demo_case(), tmp_path / "demo.xlsx"))
    ws = wb["Inputs"]
    spare = [r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Other cost line"]
    ws[f"A{spare[0]}"] = "Travel"
    ws[f"C{spare[0]}"] = 50_000
    ws[f"E{spare[1]}"] = 7_000  # no label typed: the spare label stays
    wb.save(tmp_path / "edited.xlsx")
    case = read_inputs(tmp_path / "edited.xlsx")
    assert [(line.label, line.amounts[0], line.amounts[2]) for line in case.costs.added_lines] == [
        ("Travel", 50_000, 0),
        ("Other cost line", 0, 7_000),
    ]
    demo = core.appraise(core.demo_case())
    contingency = core.demo_case().general.cost_contingency
    # by hand: 50,000 in year 0 and 7,000 in year 2, with contingency, discounted at 10 %
    expected = demo.npv - (50_000 + 7_000 / 1.1**2) * (1 + contingency)
    assert core.appraise(case).npv == pytest.approx(expected, rel=1e-12)
