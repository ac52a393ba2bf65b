"""The low and high values of the Scenarios sheet: written by the filler, read by the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from crmvalue_core import appraisal as core
from workbook_templates import _spec as spec
from workbook_templates.files import TEMPLATE_PATH
from workbook_templates.filler import fill_template, fill_workbook
from workbook_templates.reader import TemplateError, read_inputs, read_uncertain
from workbook_templates.serialise import workbook_bytes


def test_demo_ranges_round_trip(tmp_path: Path) -> None:
    uncertain = core.demo_uncertainty()
    path = fill_template(uncertain.case, tmp_path / "demo.xlsx", uncertain=uncertain)
    back = read_uncertain(path)
    assert back.case == uncertain.case
    assert back.ranges == uncertain.ranges
    assert read_inputs(path) == uncertain.case
    assert core.scenarios(back).equals(core.scenarios(uncertain))


def test_a_template_without_ranges_reads_as_no_range(tmp_path: Path) -> None:
    assert read_uncertain(TEMPLATE_PATH).ranges == {}
    path = fill_template(core.demo_case(), tmp_path / "plain.xlsx")
    assert read_uncertain(path).ranges == {}


def _filled(tmp_path: Path, cells: dict[str, object], uncertain=None) -> Path:
    """The demo case filled, then the given defined names' first cells set."""
    case = core.demo_case()
    wb = fill_workbook(case, uncertain=uncertain)
    for name, value in cells.items():
        sheet, reference = next(iter(wb.defined_names[name].destinations))
        first = reference.replace("$", "").split(":")[0]
        wb[sheet][first] = value
    path = tmp_path / "edited.xlsx"
    path.write_bytes(workbook_bytes(wb))
    return path


def test_blank_cells_in_a_row_are_the_base(tmp_path: Path) -> None:
    case = core.demo_case()
    implementation = case.get("CostImplementation")
    path = _filled(tmp_path, {"CostImplementationHigh": 250_000, "ChurnReductionLow": 0.005})
    back = read_uncertain(path)
    assert set(back.ranges) == {"CostImplementation", "ChurnReduction"}
    high = back.ranges["CostImplementation"].high
    assert high[0] == 250_000 and high[1:] == implementation[1:]
    assert back.ranges["CostImplementation"].low == implementation
    churn = back.ranges["ChurnReduction"]
    assert (churn.low, churn.base, churn.high) == (0.005, 0.01, 0.01)


@pytest.mark.parametrize(
    ("cells", "fragments"),
    [
        (
            {"ChurnReductionLow": 0.05},
            ["ChurnReduction low", "above its base", "ChurnReductionLow"],
        ),
        ({"HourlyCostHigh": 10}, ["HourlyCost high", "below its base", "HourlyCostHigh"]),
        ({"MarginPerCustomerLow": "lots"}, ["MarginPerCustomerLow", "the text 'lots'"]),
        ({"ProductivityShareHigh": 1.5}, ["ProductivityShareHigh", "above the maximum 1"]),
    ],
)
def test_bad_low_or_high_names_the_cell(tmp_path: Path, cells: dict, fragments: list) -> None:
    path = _filled(tmp_path, cells)
    with pytest.raises(TemplateError) as caught:
        read_uncertain(path)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "Scenarios" in message


def test_a_template_without_the_scenarios_names_is_refused_clearly(tmp_path: Path) -> None:
    wb = load_workbook(TEMPLATE_PATH)
    for name in spec.RANGE_NAME_CELLS:
        del wb.defined_names[name]
    path = tmp_path / "old.xlsx"
    path.write_bytes(workbook_bytes(wb))
    assert read_inputs(path) == read_inputs(TEMPLATE_PATH)  # the case still reads
    with pytest.raises(TemplateError, match="no low and high values: it has no Scenarios sheet"):
        read_uncertain(path)


def test_filler_refuses_ranges_of_another_case(tmp_path: Path) -> None:
    other = core.demo_case().with_values({"HorizonYears": 3})
    with pytest.raises(TemplateError, match="another case"):
        fill_template(other, tmp_path / "x.xlsx", uncertain=core.demo_uncertainty())
    assert not (tmp_path / "x.xlsx").exists()
