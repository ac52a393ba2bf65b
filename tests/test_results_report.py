"""The results report of ``crmvalue appraise --out/--pdf``: what an investment committee reads.

The PDF is printed by LibreOffice and read back with ``pdftotext -layout``: every general
assumption, the input file's name and SHA-256, the date and the version, every benefit
driver's input with its unit, every row of the year table with the workbook's own label,
every metric (with the reason where it is undefined), the warnings and, with
``--simulate``, the scenario, tornado and Monte Carlo figures are in it, each equal to the
core's value formatted here by hand from the cell's number format. The paper layout is
checked too: page numbers "Page n of m" on every page, and the year table of a 10-year
case on one page width. The workbook itself is read back with openpyxl.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from addin.cli import main
from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import FORMATS, INPUTS
from crmvalue_core.appraisal.labels import DRIVER_LABELS, SCENARIO_LABELS
from crmvalue_core.appraisal.report import METRIC_LABELS
from workbook_templates import libreoffice as lo
from workbook_templates.builder.calculation_sheet import CALCULATION_PLAN
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_uncertain

needs_pdf_tools = pytest.mark.skipif(
    lo.find_soffice() is None or shutil.which("pdftotext") is None,
    reason=f"LibreOffice and pdftotext are needed; {lo.INSTALL_HINT}; {lo.PDFTOPPM_INSTALL_HINT}",
)
SPECS = {spec.name: spec for spec in INPUTS}
GENERAL = (
    "DiscountRate",
    "FinanceRate",
    "ReinvestRate",
    "BenefitRiskAdjustment",
    "CostContingency",
)
DRAWS, SEED = 3000, 20261203
#: Names of the code that must never reach a reader.
CODE_NAMES = sorted(
    {column for column in core.appraise(core.demo_case()).years.columns if "_" in column}
    | {metric.name for metric in METRIC_LABELS if "_" in metric.name}
    | {"cumulative_pv", "pv_net", "cost_internal_staff", "npv_low", "npv_high"}
)
#: A case of ten years with costs only (IRR, MIRR and paybacks undefined) and a discount
#: rate typed as 1 (a warning).
COSTS_ONLY = core.AppraisalInputs(
    general=core.General(case_name="Costs only & more", horizon_years=10, discount_rate=1),
    costs=core.Costs(implementation=(100_000, 20_000), support=(0,) + (12_345,) * 10),
)


def shown(value: float, number_format: str, sign: str = "€") -> str:
    """``value`` as a cell with ``number_format`` shows it, formatted by hand (amounts with
    the currency ``sign`` before the number: the demo case is in euros)."""
    if number_format in (FORMATS.money, FORMATS.money2):
        digits = format(abs(value), ",.0f" if number_format == FORMATS.money else ",.2f")
        return ("-" if value < 0 else "") + sign + digits
    python = {
        FORMATS.money: ",.0f",
        FORMATS.money2: ",.2f",
        FORMATS.whole: ",.0f",
        FORMATS.number: ",.1f",
        FORMATS.percent0: ".0%",
        FORMATS.percent: ".1%",
        FORMATS.percent2: ".2%",
        FORMATS.year: ".0f",
        "0.00": ".2f",
        "#,##0.00": ",.2f",
        "0.000000": ".6f",
    }[number_format]
    return format(value, python)


def flat(text: str) -> str:
    """The text with every run of white space as one space (wrapped cells join up)."""
    return " ".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.err


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo case with its ranges, appraised with --simulate to a workbook and a PDF."""
    folder = tmp_path_factory.mktemp("report")
    source = fill_template(
        core.demo_case(), folder / "nordwerk case.xlsx", uncertain=core.demo_uncertainty()
    )
    argv = ["appraise", str(source), "--simulate", str(DRAWS), "--seed", str(SEED)]
    argv += ["--out", str(folder / "results.xlsx")]
    if lo.find_soffice() is not None:
        argv += ["--pdf", str(folder / "results.pdf")]
    code = main(argv)
    assert code == 0
    return {"source": source, "out": folder / "results.xlsx", "pdf": folder / "results.pdf"}


def row_values(sheet: Any, label: str) -> list[Any]:
    """The values (columns C..) of the last row whose column A is ``label``."""
    rows = [row for row in sheet.iter_rows() if row[0].value == label]
    assert rows, f"no row {label!r}"
    return [cell.value for cell in rows[-1][2:]]


def test_workbook_holds_the_uncertainty_tables(simulated: dict[str, Any]) -> None:
    uncertain = read_uncertain(simulated["source"])
    sheet = openpyxl.load_workbook(simulated["out"])["Results"]
    table = core.scenarios(uncertain)
    for key, scenario in SCENARIO_LABELS.items():
        values = row_values(sheet, scenario.label)
        for metric, value in zip(METRIC_LABELS, values, strict=False):
            expected = table.loc[key, metric.name]
            assert value == ("n/a" if expected != expected else pytest.approx(expected, 1e-12))
    tornado = core.sensitivity(uncertain)
    for name, row in tornado.iterrows():
        values = row_values(sheet, SPECS[str(name)].label)
        assert values[3:6] == pytest.approx([row["npv_low"], row["npv_high"], row["swing"]])
        if isinstance(row["low"], tuple):  # a per-year input: its values by year below
            assert values[:3] == ["by year"] * 3
            spec = SPECS[str(name)]
            for side in ("low", "base", "high"):
                by_year = row_values(sheet, f"{spec.label}: {side}")[:6]  # years 0..5
                shown_years = by_year[spec.first_year :]
                assert shown_years == list(row[side][: 6 - spec.first_year]), (name, side)
    summary = core.simulate(uncertain, DRAWS, seed=SEED).summary()
    first = next(row for row in sheet.iter_rows() if row[0].value == "Net present value (NPV)")
    assert first[2].value == core.appraise(uncertain.case).npv  # the metric block comes first
    assert row_values(sheet, "Net present value (NPV)")[:5] == pytest.approx(
        list(summary.loc["npv", ["mean", "std", "p10", "p50", "p90"]]), rel=1e-12
    )
    assert len(sheet._charts) == 4  # two of the years, the tornado, the histogram
    workbook = openpyxl.load_workbook(simulated["out"])
    for name in workbook.sheetnames:
        words = " ".join(str(c) for row in workbook[name].iter_rows(values_only=True) for c in row)
        for code_name in CODE_NAMES:
            assert code_name not in words, (name, code_name)
    data = openpyxl.load_workbook(simulated["out"])["Chart data"]
    counts, _ = core.simulate(uncertain, DRAWS, seed=SEED).histogram("npv", bins=40)
    column = [row[2].value for row in data.iter_rows()]
    drawn = column[column.index("Draws") + 1 :]
    assert drawn == list(counts) and sum(drawn) == DRAWS


@needs_pdf_tools
def test_pdf_lets_a_reader_check_the_case(simulated: dict[str, Any]) -> None:
    pages = pdf_pages(simulated["pdf"])
    text = flat("\n".join(pages))
    case = core.demo_case()
    general = case.general
    result = core.appraise(case)

    # the cover: the case, every general assumption, the source
    assert f"CRM appraisal: {general.case_name}" in text
    assert f"{general.currency}, years {general.first_year}-{general.first_year + 5}" in text
    assert f"First year (year 0) year {general.first_year}" in text
    assert f"Horizon years {general.horizon_years}" in text
    for name in GENERAL:
        spec = SPECS[name]
        value = getattr(general, spec.path.split(".")[1])
        value = general.discount_rate if value is None else value  # blank: the discount rate
        assert f"{spec.label} % {shown(value, spec.number_format)}" in text, spec.label
    assert "nordwerk case.xlsx" in text
    assert hashlib.sha256(simulated["source"].read_bytes()).hexdigest() in text
    assert f"Appraised on {datetime.date.today().isoformat()}" in text
    assert f"crmvalue version {metadata.version('crmvalue')}" in text

    # every benefit driver's input with its unit
    for spec in INPUTS:
        if spec.path.startswith("benefits.") and spec.cells == 1:
            value = getattr(case.benefits, spec.path.split(".")[1])
            unit = general.currency if spec.unit == "currency" else spec.unit
            assert f"{spec.label} {unit} {shown(value, spec.number_format)}" in text, spec.label

    # the metrics, the drivers' PV
    units = {"money": "EUR", "percent": "%", "years": "years", "ratio": "ratio"}
    for metric in METRIC_LABELS:
        value = getattr(result, metric.name)
        formatted = shown(
            value, {"money": FORMATS.money, "percent": FORMATS.percent}.get(metric.kind, "0.00")
        )
        assert f"{metric.label} {units[metric.kind]} {formatted}" in text, metric.label
    for name, value in result.pv_drivers.items():
        assert f"{DRIVER_LABELS[name]} EUR {shown(value, FORMATS.money)}" in text

    # the year table: the workbook's labels, every year's figure
    years = result.years.loc[0 : general.horizon_years]
    for entry in CALCULATION_PLAN:
        if getattr(entry, "key", None) in years.columns and entry.key != "calendar_year":
            figures = " ".join(shown(float(v), entry.number_format) for v in years[entry.key])
            assert f"{entry.label} " in text and figures in text, entry.label
    for code_name in CODE_NAMES:
        assert code_name not in text, code_name

    # the scenarios, the tornado, the Monte Carlo summary
    uncertain = read_uncertain(simulated["source"])
    table = core.scenarios(uncertain)
    for key, scenario in SCENARIO_LABELS.items():
        row = table.loc[key]
        npv, irr = shown(row["npv"], FORMATS.money), shown(row["irr"], FORMATS.percent)
        assert f"{scenario.label} {npv} {irr}" in text, scenario.label
    for name, row in core.sensitivity(uncertain).iterrows():
        figures = " ".join(shown(row[c], FORMATS.money) for c in ("npv_low", "npv_high", "swing"))
        assert figures in text and SPECS[str(name)].label in text, name
    summary = core.simulate(uncertain, DRAWS, seed=SEED).summary()
    npv = summary.loc["npv"]
    assert f"{DRAWS:,} draws, PERT" in text and f"seed {SEED}" in text
    figures = " ".join(shown(npv[c], FORMATS.money) for c in ("mean", "std", "p10", "p50", "p90"))
    assert f"Net present value (NPV) EUR {figures}" in text
    irr = summary.loc["irr"]
    figures = " ".join(shown(irr[c], FORMATS.percent) for c in ("mean", "std", "p10", "p50", "p90"))
    assert f"Internal rate of return (IRR) % {figures}" in text
    assert f"Probability of a negative NPV: {npv['p_negative']:.1%}" in text

    # paper: every page numbered, the title on every page
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == f"CRM appraisal: {general.case_name}"  # the title repeats


@needs_pdf_tools
def test_pdf_of_ten_years_costs_only_and_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = fill_template(COSTS_ONLY, tmp_path / "costs.xlsx")
    pdf = tmp_path / "results.pdf"
    run("appraise", str(source), "--pdf", str(pdf), capsys=capsys)
    pages = pdf_pages(pdf)
    text = flat("\n".join(pages))
    result = core.appraise(COSTS_ONLY)
    # undefined metrics: n/a and the core's reason
    assert {"irr", "mirr", "payback", "discounted_payback"} <= set(result.notes)
    for metric in METRIC_LABELS:
        if getattr(result, metric.name) is None:
            assert f"{metric.label} " in text
            assert flat(result.notes[metric.name]) in text, metric.name
    # the warning, announced under the title and listed
    assert "Check the inputs: 1 warning below" in text
    assert "DiscountRate (discount rate) is 100% (the value 1)" in text
    # the year table of years 0..10 on one page width: one line holds every calendar year
    first = COSTS_ONLY.general.first_year
    header = " ".join(str(first + t) for t in range(11))
    table_pages = [page for page in pages if "Year by year" in page]
    assert len(table_pages) == 1
    assert any(header in flat(line) for line in table_pages[0].splitlines())
    assert "year 0" in table_pages[0] and "year 10" in table_pages[0]
    support = " ".join(shown(float(v), FORMATS.money) for v in result.years["cost_support"])
    assert any(support in flat(line) for line in table_pages[0].splitlines())
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    # an ampersand in the case name reaches the footer as itself
    assert "CRM appraisal: Costs only & more" in pages[-1].splitlines()[-1]
    assert re.search(r"costs\.xlsx, \d{4}-\d\d-\d\d, crmvalue ", pages[0])
