"""The Scenarios sheet: low and high values beside each base, and what they do to the NPV.

Beside the base of every benefit driver and cost line the user may enter a low and a high
value (defined names ``<Name>Low`` and ``<Name>High``; blank: the base, no uncertainty). The
sheet computes, with native formulas only, the NPV of the standard scenarios (pessimistic,
all low, base, all high, optimistic) and the one-at-a-time sensitivity (tornado) table, by
writing the model once per case (see :mod:`.layout` for the rows).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS
from crmvalue_core.appraisal.labels import SCENARIO_LABELS

from .. import _spec as spec
from . import parts
from .calculation_sheet import CALCULATION_ROWS
from .layout import (
    COL_Y0,
    COL_Y1,
    COL_Y10,
    FIRST_YEAR_COL,
    RANGE_FIRST_ROW,
    RANGE_ROW_BLOCKS,
    RANGE_ROWS,
    ROW_RANGE_INPUTS,
    SCENARIO_BENEFIT_YEAR_ROW,
    SCENARIO_CASES,
    SCENARIO_FIRST_ROW,
    SCENARIO_IN_CASE_ROW,
    SCENARIO_MODEL_ROWS,
    SCENARIO_NPV_COLUMN,
    SCENARIO_ROWS,
    SCENARIO_YEAR_ROW,
    SENSITIVITY_FIRST_ROW,
    SENSITIVITY_ROWS,
    SINGLE_RANGE_INPUTS,
    YEAR_COLUMNS,
)
from .styles import (
    BAD_FILL,
    BOLD,
    CENTER,
    GREY_FILL,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    RESULT_FILL,
    SECTION_FONT,
)
from .validation import data_validation

__all__ = ["build"]

# The model's letter of each single-value driver, as the generated formulas use them.
_DRIVER_OF = {
    "B": "CustomersActive",
    "c": "ChurnBaseline",
    "dc": "ChurnReduction",
    "m": "MarginPerCustomer",
    "u": "CrossSellUplift",
    "N": "NewCustomersPerYear",
    "CAC": "AcquisitionCost",
    "k": "AcquisitionCostReduction",
    "R": "SalesReps",
    "h": "HoursSavedPerWeek",
    "W": "WorkingWeeks",
    "w": "HourlyCost",
    "s": "ProductivityShare",
    "C": "ServiceCases",
    "q": "CostPerCase",
    "v": "ServiceCostReduction",
}


def _range_validation(item: spec.SheetInput, side: str) -> DataValidation:
    """The data validation of a low or high cell: the input's own rule, blank allowed."""
    rule = item.spec
    kind = "whole" if rule.whole else "decimal"
    words = spec.range_words(rule)
    fix = "at most the base" if side == "low" else "at least the base"
    return data_validation(
        kind,
        rule.minimum,
        rule.maximum,
        allow_blank=True,
        title=f"{item.label} ({side})",
        expected=f"{words}, {fix}; blank: the base (no uncertainty)",
    )


def _side_cell(name: str, side: str, column: str | None = None) -> str:
    """The cell of input ``name`` on ``side`` (low/high: the used value) on this sheet."""
    if column is None:
        row = RANGE_ROWS[name]
        letter = {"low": "F", "base": "D", "high": "G"}[side]
        return f"${letter}${row}"
    block = RANGE_ROW_BLOCKS[name]
    return f"{column}${block[{'low': 'low_used', 'base': 'base', 'high': 'high_used'}[side]]}"


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Scenarios sheet: low and high values beside each base, the scenario NPVs, the
    sensitivity table and the model once per case, all in native formulas."""
    parts.title(
        ws,
        "Scenarios",
        "Enter a low and a high value beside the base of any benefit driver or cost line "
        "(blank: the base, no uncertainty). Scenario NPVs and sensitivity are native formulas.",
    )
    sheet = spec.SHEET_SCENARIOS
    ws["A3"] = (
        "Low and high are the values as entered (a low cost is good news). Monte Carlo: "
        "crmvalue appraise FILE.xlsx --simulate 10000, or the function CRM_SIMULATE."
    )
    ws["A3"].font = NOTE_FONT
    npv_col = SCENARIO_NPV_COLUMN

    # The scenario table.
    parts.header(
        ws, SCENARIO_FIRST_ROW - 1, [(1, "Scenario"), (2, "NPV"), (3, "Unit"), (4, "Inputs")]
    )
    for key, row in SCENARIO_ROWS.items():
        label, words = SCENARIO_LABELS[key].label, SCENARIO_LABELS[key].meaning
        ws.cell(row=row, column=1, value=label).font = BOLD
        cell = ws.cell(row=row, column=2, value=f"={npv_col}{SCENARIO_MODEL_ROWS[key]}")
        cell.number_format, cell.fill, cell.font = FORMATS.money, RESULT_FILL, BOLD
        parts.unit(ws, row, "currency", column=3)
        ws.cell(row=row, column=4, value=words).font = NOTE_FONT
        parts.define(wb, spec.SCENARIO_NPV_NAMES[key], parts.ref(sheet, "B", row))

    # The sensitivity (tornado) table, in the order of the Inputs sheet; G ranks by swing.
    first, last = SENSITIVITY_FIRST_ROW, max(SENSITIVITY_ROWS.values())
    ws.cell(row=first - 2, column=1, value="Sensitivity of the NPV (tornado)").font = SECTION_FONT
    parts.header(
        ws,
        first - 1,
        [
            (1, "Input (the others at base)"),
            (2, "NPV at low"),
            (3, "NPV at high"),
            (4, "Downside"),
            (5, "Upside"),
            (6, "Swing"),
            (7, "Rank"),
            (8, "Defined names"),
        ],
    )
    base_npv = f"$B${SCENARIO_ROWS['base']}"
    for item in spec.UNCERTAIN_INPUTS:
        row = SENSITIVITY_ROWS[item.name]
        ws.cell(row=row, column=1, value=item.label)
        ws.cell(row=row, column=2, value=f"={npv_col}{SCENARIO_MODEL_ROWS[item.name + ':low']}")
        ws.cell(row=row, column=3, value=f"={npv_col}{SCENARIO_MODEL_ROWS[item.name + ':high']}")
        ws.cell(row=row, column=4, value=f"=MIN(B{row},C{row})-{base_npv}")
        ws.cell(row=row, column=5, value=f"=MAX(B{row},C{row})-{base_npv}")
        ws.cell(row=row, column=6, value=f"=ABS(C{row}-B{row})")
        ws.cell(
            row=row,
            column=7,
            value=f"=RANK(F{row},$F${first}:$F${last})+COUNTIF($F${first}:F{row},F{row})-1",
        )
        ws.cell(
            row=row,
            column=8,
            value=f"{spec.low_name(item.name)}, {spec.high_name(item.name)}",
        ).font = NOTE_FONT
        for column in range(2, 7):
            ws.cell(row=row, column=column).number_format = FORMATS.money
        ws.cell(row=row, column=6).font = BOLD

    # The single-value drivers: low, base, high and the values used.
    top = RANGE_FIRST_ROW
    ws.cell(row=top - 2, column=1, value="Ranges of the benefit drivers").font = SECTION_FONT
    parts.header(
        ws,
        top - 1,
        [
            (1, "Benefit driver"),
            (2, "Unit"),
            (3, "Low"),
            (4, "Base"),
            (5, "High"),
            (6, "Low used"),
            (7, "High used"),
            (8, "Defined names"),
        ],
    )
    for item in SINGLE_RANGE_INPUTS:
        row = RANGE_ROWS[item.name]
        ws.cell(row=row, column=1, value=item.label)
        parts.unit(ws, row, item.unit)
        for column, side in (("C", "low"), ("E", "high")):
            parts.set_input(ws, f"{column}{row}", None, item.number_format)
            validation = _range_validation(item, side)
            validation.add(f"{column}{row}")
            ws.add_data_validation(validation)
        name_low, name_high = spec.low_name(item.name), spec.high_name(item.name)
        parts.define(wb, name_low, parts.ref(sheet, "C", row))
        parts.define(wb, name_high, parts.ref(sheet, "E", row))
        ws[f"D{row}"] = f"={item.name}"
        ws[f"F{row}"] = f"=IF(ISBLANK(C{row}),D{row},C{row})"
        ws[f"G{row}"] = f"=IF(ISBLANK(E{row}),D{row},E{row})"
        for column in "DFG":
            ws[f"{column}{row}"].number_format = item.number_format
        ws.cell(row=row, column=8, value=f"{name_low}, {name_high}").font = NOTE_FONT
    single_rows = f"{min(RANGE_ROWS.values())}:{max(RANGE_ROWS.values())}"
    first_single, last_single = single_rows.split(":")
    ws.conditional_formatting.add(
        f"C{first_single}:C{last_single}",
        FormulaRule(
            formula=[f"AND(NOT(ISBLANK(C{first_single})),C{first_single}>D{first_single})"],
            fill=BAD_FILL,
        ),
    )
    ws.conditional_formatting.add(
        f"E{first_single}:E{last_single}",
        FormulaRule(
            formula=[f"AND(NOT(ISBLANK(E{first_single})),E{first_single}<D{first_single})"],
            fill=BAD_FILL,
        ),
    )

    # The row inputs: five rows each (low, base, high, low used, high used).
    first_block = min(min(block.values()) for block in RANGE_ROW_BLOCKS.values())
    ws.cell(row=first_block - 2, column=1, value="Ranges of the cost lines and per-year drivers")
    ws.cell(row=first_block - 2, column=1).font = SECTION_FONT
    parts.year_header(ws, first_block - 1, "Cost line or driver")
    # Years after the horizon are greyed, as on the Inputs sheet (a conditional format
    # cannot name HorizonYears in an .xlsx: it reads the horizon from a cell of this sheet).
    horizon_cell = f"{COL_Y10}{first_block - 2}"
    ws[f"{YEAR_COLUMNS[-2]}{first_block - 2}"] = "Horizon (years)"
    ws[f"{YEAR_COLUMNS[-2]}{first_block - 2}"].font = NOTE_FONT
    ws[horizon_cell] = "=HorizonYears"
    ws[horizon_cell].alignment = CENTER
    last_block = max(max(block.values()) for block in RANGE_ROW_BLOCKS.values())
    ws.conditional_formatting.add(
        f"{COL_Y0}{first_block}:{COL_Y10}{last_block}",
        FormulaRule(
            formula=[f"{COL_Y0}${first_block - 1}>${COL_Y10}${first_block - 2}"], fill=GREY_FILL
        ),
    )
    words = {
        "low": "low",
        "base": "base (the Inputs sheet)",
        "high": "high",
        "low_used": "low used (blank: base)",
        "high_used": "high used (blank: base)",
    }
    for item in ROW_RANGE_INPUTS:
        block = RANGE_ROW_BLOCKS[item.name]
        columns = YEAR_COLUMNS if item.spec.first_year == 0 else YEAR_COLUMNS[1:]
        for side, row in block.items():
            label = ws.cell(row=row, column=1, value=f"{item.label}: {words[side]}")
            if side == "base":
                label.font = BOLD
            elif side.endswith("used"):
                label.font = NOTE_FONT
            parts.unit(ws, row, item.unit)
            if item.spec.first_year == 1:
                ws[f"{COL_Y0}{row}"] = "(impl.)"
                ws[f"{COL_Y0}{row}"].font = NOTE_FONT
                ws[f"{COL_Y0}{row}"].alignment = CENTER
            for index, column in enumerate(columns):
                coordinate = f"{column}{row}"
                if side in ("low", "high"):
                    parts.set_input(ws, coordinate, None, item.number_format)
                    continue
                if side == "base":
                    ws[coordinate] = f"=INDEX({item.name},1,{index + 1})"
                else:
                    entered = block["low" if side == "low_used" else "high"]
                    ws[coordinate] = (
                        f"=IF(ISBLANK({column}{entered}),{column}{block['base']},{column}{entered})"
                    )
                ws[coordinate].number_format = item.number_format
        for side, define in (("low", spec.low_name), ("high", spec.high_name)):
            row = block[side]
            parts.define(wb, define(item.name), parts.ref(sheet, columns[0], row, columns[-1]))
            validation = _range_validation(item, side)
            validation.add(f"{columns[0]}{row}:{columns[-1]}{row}")
            ws.add_data_validation(validation)
            first_cell, base_cell = f"{columns[0]}{row}", f"{columns[0]}{block['base']}"
            sign = ">" if side == "low" else "<"
            ws.conditional_formatting.add(
                f"{columns[0]}{row}:{columns[-1]}{row}",
                FormulaRule(
                    formula=[f"AND(NOT(ISBLANK({first_cell})),{first_cell}{sign}{base_cell})"],
                    fill=BAD_FILL,
                ),
            )

    # The model once per case: adoption a_t, extra customers E_t, net cash flow and NPV.
    year_row = SCENARIO_YEAR_ROW
    ws.cell(
        row=year_row - 1,
        column=1,
        value="The model per scenario and per sensitivity case (as the Calculation sheet)",
    ).font = SECTION_FONT
    parts.year_header(ws, year_row, "Case")
    ws.cell(row=year_row, column=FIRST_YEAR_COL + len(YEAR_COLUMNS), value="NPV")
    header = ws.cell(row=year_row, column=FIRST_YEAR_COL + len(YEAR_COLUMNS))
    header.font, header.fill, header.alignment = HEADER_FONT, HEADER_FILL, CENTER
    for row, label, formula in (
        (
            SCENARIO_IN_CASE_ROW,
            "In the case (1 = year 0..horizon)",
            "=IF({c}${y}<=HorizonYears,1,0)",
        ),
        (
            SCENARIO_BENEFIT_YEAR_ROW,
            "Benefit year (1 = year 1..horizon)",
            "=IF(AND({c}${y}>=1,{c}${y}<=HorizonYears),1,0)",
        ),
    ):
        ws.cell(row=row, column=1, value=label)
        parts.unit(ws, row, "flag")
        for column in YEAR_COLUMNS:
            ws[f"{column}{row}"] = formula.format(c=column, y=year_row)
    cost_items = [item for item in ROW_RANGE_INPUTS if item.spec.first_year == 0]
    for case in SCENARIO_CASES:
        key = case.key
        net_row = SCENARIO_MODEL_ROWS[key]
        ramp_row, extra_row = net_row - 2, net_row - 1
        if key in SCENARIO_LABELS:
            title = SCENARIO_LABELS[key].label
        else:
            name, side = key.split(":")
            title = f"{spec.INPUTS_BY_NAME[name].label} at {side}"
        d = {letter: _side_cell(name, case.side(name)) for letter, name in _DRIVER_OF.items()}
        ramp_side = case.side("AdoptionRamp")
        other_side = case.side("OtherBenefits")
        for row, label, unit in (
            (ramp_row, f"{title}: adoption a_t", "%"),
            (extra_row, f"{title}: extra customers E_t", "customers"),
            (net_row, f"{title}: net cash flow", "currency"),
        ):
            cell = ws.cell(row=row, column=1, value=label)
            if row == net_row:
                cell.font = BOLD
            parts.unit(ws, row, unit)
        for index, column in enumerate(YEAR_COLUMNS):
            flag = f"{column}${SCENARIO_BENEFIT_YEAR_ROW}"
            if index == 0:
                ws[f"{column}{ramp_row}"] = "=0"
                ws[f"{column}{extra_row}"] = "=0"
                other = "0"
            else:
                previous = YEAR_COLUMNS[index - 1]
                ws[f"{column}{ramp_row}"] = (
                    f"=IF({flag}=1,{_side_cell('AdoptionRamp', ramp_side, column)},0)"
                )
                ws[f"{column}{extra_row}"] = (
                    f"=IF({flag}=1,{previous}{extra_row}*(1-{d['c']})"
                    f"+{d['B']}*{d['dc']}*{column}{ramp_row},0)"
                )
                # Other benefits at its side, plus the lines added below it on the Inputs
                # sheet (their total less the base of OtherBenefits).
                added = (
                    f"INDEX({spec.BENEFIT_LINE_BLOCK.total_name},1,{index})"
                    f"-{_side_cell('OtherBenefits', 'base', column)}"
                )
                other = f"IF({flag}=1,{_side_cell('OtherBenefits', other_side, column)}+{added},0)"
            a = f"{column}{ramp_row}"
            gross = (
                f"{column}{extra_row}*{d['m']}"
                f"+{d['B']}*{d['m']}*{d['u']}*{a}"
                f"+{d['N']}*{d['CAC']}*{d['k']}*{a}"
                f"+{d['R']}*{d['h']}*{d['W']}*{d['w']}*{d['s']}*{a}"
                f"+{d['C']}*{d['q']}*{d['v']}*{a}"
                f"+{other}"
            )
            lines = "+".join(
                _side_cell(item.name, case.side(item.name), column) for item in cost_items
            )
            # The cost lines added to the cost block are certain: the Calculation sheet's row.
            lines += f"+{spec.SHEET_CALC}!{column}${CALCULATION_ROWS['cost_added_lines']}"
            ws[f"{column}{net_row}"] = (
                f"=({gross})*(1-BenefitRiskAdjustment)"
                f"-IF({column}${SCENARIO_IN_CASE_ROW}=1,({lines})*(1+CostContingency),0)"
            )
            ws[f"{column}{ramp_row}"].number_format = "0.0%"
            ws[f"{column}{extra_row}"].number_format = "#,##0.00"
            ws[f"{column}{net_row}"].number_format = FORMATS.money
        npv = ws[f"{npv_col}{net_row}"]
        npv.value = (
            f"=NPV(DiscountRate,OFFSET({COL_Y1}{net_row},0,0,1,HorizonYears))+{COL_Y0}{net_row}"
        )
        npv.number_format, npv.fill, npv.font = FORMATS.money, RESULT_FILL, BOLD

    parts.finish(
        ws,
        freeze="B4",
        widths={
            "A": 52,
            "B": 15,
            **dict.fromkeys(YEAR_COLUMNS, 13),
            "D": 15,
            "H": 30,
            npv_col: 15,
        },
    )
