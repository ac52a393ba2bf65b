"""``crmvalue baseline``: the measured drivers written into a copy of the template.

The written workbook is read back (base, low, high, notes), recalculated by LibreOffice
and compared with ``crmvalue appraise`` of the same file; the notes must name the log's
SHA-256, computed here with hashlib.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.cli.app import main
from crmvalue_core.appraisal import demo_case
from crmvalue_core.baseline import measure_baseline
from workbook_templates import libreoffice as lo
from workbook_templates.filler import fill_template
from workbook_templates.reader.ranges import read_uncertain

END = "1997-09-30"


def cdnow_baseline(
    log: Path, template: Path, out: Path, *options: str, draws: int | None = None
) -> list[str]:
    """``crmvalue baseline`` of the CDNOW master log (whitespace-separated, dates as
    YYYYMMDD, amounts in ``dollar_value``) into a copy of ``template`` at ``out``, with
    ``draws`` (the command's default when None) and more ``options``."""
    cdnow = ["--sep", "whitespace", "--date-format", "%Y%m%d", "--amount", "dollar_value"]
    files = ["--template", str(template), "--out", str(out)]
    drawn = [] if draws is None else ["--draws", str(draws)]
    return ["baseline", str(log), *cdnow, *files, *drawn, *options]


@pytest.fixture(scope="module")
def written(tmp_path_factory, cdnow_master_path):
    folder = tmp_path_factory.mktemp("baseline")
    template = fill_template(demo_case(), folder / "demo.xlsx")
    before = template.read_bytes()
    out = folder / "measured.xlsx"
    argv = cdnow_baseline(
        cdnow_master_path, template, out, "--observation-end", END, "--margin", "0.3", draws=200
    )
    status = main(argv)
    return {"status": status, "out": out, "template": template, "before": before}


def test_the_measured_drivers_are_the_base_low_and_high(written, cdnow_master):
    assert written["status"] == 0
    assert written["template"].read_bytes() == written["before"]  # the input is untouched
    measured = measure_baseline(
        cdnow_master.customer_id,
        cdnow_master.date,
        cdnow_master.dollar_value,
        "19970930",
        margin=0.3,
        draws=200,
        date_format="%Y%m%d",
    )
    read = read_uncertain(written["out"])
    base = read.case.to_defined_names()
    ranges = read.to_defined_names()
    for driver in measured.drivers:
        whole = driver.name in ("CustomersActive", "NewCustomersPerYear")
        expect = [round(v) if whole else v for v in (driver.estimate, driver.p10, driver.p90)]
        assert base[driver.name] == pytest.approx(expect[0], rel=1e-12)
        assert ranges[driver.name] == pytest.approx(tuple(expect[1:]), rel=1e-12)
    # the CRM's effects stay the user's: the demo case's churn reduction is kept
    assert base["ChurnReduction"] == demo_case().to_defined_names()["ChurnReduction"]


def test_each_filled_cell_names_the_log_and_its_model(written, cdnow_master_path):
    digest = hashlib.sha256(cdnow_master_path.read_bytes()).hexdigest()
    wb = openpyxl.load_workbook(written["out"])
    for name in ("CustomersActive", "ChurnBaseline", "MarginPerCustomer", "NewCustomersPerYear"):
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        note = wb[sheet][ref.replace("$", "")].comment.text
        assert digest in note and "CDNOW_master.txt" in note
    sheet, ref = next(iter(wb.defined_names["ChurnBaseline"].destinations))
    assert "BG/NBD (r=" in wb[sheet][ref.replace("$", "")].comment.text


def test_the_output_says_what_stays_the_users(tmp_path, cdnow_master_path, capsys):
    template = fill_template(demo_case(), tmp_path / "demo.xlsx")
    argv = cdnow_baseline(
        cdnow_master_path, template, tmp_path / "m.xlsx", "--observation-end", END, draws=20
    )
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Not measured: the churn reduction" in out
    assert "less than a year" in out


@pytest.mark.skipif(lo.find_soffice() is None, reason=f"LibreOffice missing; {lo.INSTALL_HINT}")
def test_libreoffice_recalculates_what_appraise_computes(written, tmp_path, capsys):
    capsys.readouterr()
    assert main(["appraise", str(written["out"]), "--json"]) == 0
    npv = json.loads(capsys.readouterr().out)["metrics"]["npv"]
    recalculated = lo.recalculate(written["out"], tmp_path / "recalc")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    sheet, ref = next(iter(wb.defined_names["ResultNPV"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == pytest.approx(npv, rel=1e-9)


def test_a_workbook_that_is_not_the_template_is_refused(tmp_path, cdnow_master_path, capsys):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    argv = cdnow_baseline(cdnow_master_path, other, tmp_path / "m.xlsx", draws=20)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "other.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "m.xlsx").exists()


def _customers_table(path, end="1998-06-30", sep=","):
    """3,000 simulated subscribers: monthly churn p ~ Beta(1.2, 6), starts from June 1996."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    n = 3000
    starts = np.datetime64("1996-06-01") + rng.integers(0, 700, n)
    ends = starts + (rng.geometric(rng.beta(1.2, 6.0, n)) * 30.4).astype(int)
    ends = [None if e > np.datetime64(end) else e for e in ends]
    pd.DataFrame({"Start": starts, "End": ends}).to_csv(path, index=False, sep=sep)
    return starts, ends


@pytest.mark.parametrize("sep", [",", ";"])
def test_a_customers_table_gives_the_contract_churn(tmp_path, cdnow_master_path, cdnow_master, sep):
    table = tmp_path / "customers.csv"
    starts, ends = _customers_table(table, sep=sep)
    template = fill_template(demo_case(), tmp_path / "demo.xlsx")
    out = tmp_path / "m.xlsx"
    argv = cdnow_baseline(
        cdnow_master_path,
        template,
        out,
        "--customers",
        str(table),
        *(["--customers-sep", sep] if sep != "," else []),
        draws=50,
    )
    assert main(argv) == 0
    measured = measure_baseline(
        cdnow_master.customer_id,
        cdnow_master.date,
        cdnow_master.dollar_value,
        date_format="%Y%m%d",
        customer_starts=starts,
        customer_ends=ends,
        draws=50,
    )
    assert read_uncertain(out).case.benefits.churn_baseline == pytest.approx(
        measured["ChurnBaseline"].estimate, rel=1e-12
    )
    wb = openpyxl.load_workbook(out)
    sheet, ref = next(iter(wb.defined_names["ChurnBaseline"].destinations))
    note = wb[sheet][ref.replace("$", "")].comment.text
    assert hashlib.sha256(table.read_bytes()).hexdigest() in note and "sBG cohorts" in note


def test_a_customer_ending_before_the_start_is_one_line(tmp_path, cdnow_master_path, capsys):
    table = tmp_path / "customers.csv"
    table.write_text("start,end\n1997-01-05,\n1997-03-01,1997-02-01\n", encoding="utf-8")
    template = fill_template(demo_case(), tmp_path / "demo.xlsx")
    argv = cdnow_baseline(
        cdnow_master_path, template, tmp_path / "m.xlsx", "--customers", str(table), draws=20
    )
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "customer 2 ends on 1997-02-01, before the start 1997-03-01" in err
    assert "Traceback" not in err and not (tmp_path / "m.xlsx").exists()


def test_a_holdout_error_goes_into_the_notes(tmp_path, cdnow_master_path, cdnow_master, capsys):
    from crmvalue_core.purchase_history import validate_holdout

    template = fill_template(demo_case(), tmp_path / "demo.xlsx")
    out = tmp_path / "m.xlsx"
    argv = cdnow_baseline(
        cdnow_master_path,
        template,
        out,
        "--observation-end",
        END,
        "--holdout-end",
        "1998-06-30",
        draws=20,
    )
    assert main(argv) == 0
    dates = pd.to_datetime(cdnow_master.date, format="%Y%m%d").to_numpy()
    check = validate_holdout(cdnow_master.customer_id.to_numpy(), dates, END, "1998-06-30")
    error = check.errors.loc["tracking, holdout periods", "percentage_error"]
    assert f"by {error:.1%} on average" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    sheet, ref = next(iter(wb.defined_names["CustomersActive"].destinations))
    assert f"holdout error {error:.1%}" in wb[sheet][ref.replace("$", "")].comment.text


def test_a_holdout_end_before_the_observation_end_is_one_line(tmp_path, cdnow_master_path, capsys):
    template = fill_template(demo_case(), tmp_path / "demo.xlsx")
    argv = cdnow_baseline(
        cdnow_master_path,
        template,
        tmp_path / "m.xlsx",
        "--observation-end",
        END,
        "--holdout-end",
        "1997-01-31",
    )
    assert main(argv) == 2
    assert "is not after --observation-end" in capsys.readouterr().err
