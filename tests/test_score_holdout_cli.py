"""``crmvalue score --holdout-end``: the holdout test of the model from the command line.

Runs the real command line on the CDNOW master log (calibration to 1997-09-30, holdout to
1998-06-30). The tables' numbers are proved against lifetimes in ``test_holdout.py``; here
the workbook, the charts and the messages, and the actual side again from the raw log.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from crmvalue_core.purchase_history import bgnbd_fit
from crmvalue_core.transactions import summary_from_transactions

CDNOW_OPTIONS = [
    "--sep",
    "whitespace",
    "--date-format",
    "%Y%m%d",
    "--amount",
    "dollar_value",
    "--quiet",
]
SHEETS = ["errors", "conditional", "spend", "tracking", "histogram", "customers", "model"]


@pytest.fixture
def crmvalue(monkeypatch, capsys):
    """Run ``crmvalue score ...``; return (exit status, stdout, stderr)."""
    from addin.cli import app as cli

    if "score" not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "score"))

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["score", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def cdnow_run(tmp_path_factory, cdnow_master_path) -> tuple[Path, str]:
    """One run of the holdout test on CDNOW, with the workbook and the charts."""
    from addin.cli import app as cli

    folder = tmp_path_factory.mktemp("holdout")
    commands = cli.COMMANDS
    cli.COMMANDS = (*commands, "score") if "score" not in commands else commands
    args = [
        "score",
        str(cdnow_master_path),
        *CDNOW_OPTIONS,
        "--observation-end",
        "1997-09-30",
        "--holdout-end",
        "1998-06-30",
        "--holdout-out",
        str(folder / "holdout.xlsx"),
        "--plot",
        str(folder / "cdnow.png"),
    ]
    import contextlib
    import io

    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = cli.main(args)
    finally:
        cli.COMMANDS = commands
    assert code == 0
    return folder, printed.getvalue()


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, dtype={"customer_id": str})


def test_workbook_has_one_sheet_per_table(cdnow_run) -> None:
    folder, _ = cdnow_run
    workbook = openpyxl.load_workbook(folder / "holdout.xlsx", read_only=True)
    assert workbook.sheetnames == SHEETS
    sheets = _sheets(folder / "holdout.xlsx")
    assert sheets["conditional"]["repeat_purchases"].astype(str).tolist() == [
        "0", "1", "2", "3", "4", "5", "6", "7+",
    ]  # fmt: skip
    assert len(sheets["tracking"]) == 78
    assert len(sheets["customers"]) == 23570
    assert sheets["customers"]["customer_id"].iloc[0] == "00001"  # ids stay text


def test_workbook_actuals_from_the_raw_log(cdnow_run, cdnow_master) -> None:
    folder, _ = cdnow_run
    sheets = _sheets(folder / "holdout.xlsx")
    log = cdnow_master.assign(day=pd.to_datetime(cdnow_master["date"], format="%Y%m%d"))
    days = log.groupby(["customer_id", "day"]).size().reset_index()
    first = days.groupby("customer_id")["day"].transform("min")
    repeat = days[days["day"] > first]
    # the tracking table's last row: every repeat purchase day of the log to 1998-06-30
    assert sheets["tracking"]["actual"].iloc[-1] == len(repeat) == 44021
    # conditional: mean holdout purchase days by calibration repeat purchases
    cal = days[days["day"] <= "1997-09-30"].groupby("customer_id").size() - 1
    holdout = days[days["day"] > "1997-09-30"].groupby("customer_id").size()
    frame = pd.DataFrame({"bin": cal.clip(upper=7), "y": holdout.reindex(cal.index).fillna(0)})
    means = frame.groupby("bin")["y"].mean()
    np.testing.assert_allclose(sheets["conditional"]["actual"], means, rtol=1e-12)


def test_model_is_the_calibration_fit(cdnow_run, cdnow_master) -> None:
    folder, _ = cdnow_run
    model = _sheets(folder / "holdout.xlsx")["model"].set_index("item")["value"]
    log = cdnow_master
    summary = summary_from_transactions(
        log["customer_id"], log["date"], observation_end="1997-09-30", date_format="%Y%m%d"
    )
    fit = bgnbd_fit(summary["frequency"], summary["recency"], summary["age"])
    for name, value in fit.params.items():
        assert float(model[f"BG/NBD {name}"]) == pytest.approx(value, rel=1e-5)
    assert model["calibration end"] == "1997-09-30"
    assert model["holdout end"] == "1998-06-30"


def test_charts_are_drawn_beside_the_plot(cdnow_run) -> None:
    folder, printed = cdnow_run
    for name in ("cdnow", "cdnow-tracking", "cdnow-conditional", "cdnow-histogram"):
        data = (folder / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name
    assert "Drew the holdout charts in" in printed


def test_printed_summary_names_the_error_measures(cdnow_run) -> None:
    _, printed = cdnow_run
    assert "Holdout test: BG/NBD fitted on 23,570 customers to 1997-09-30" in printed
    assert "predicted for the 39 weeks to 1998-06-30" in printed
    assert "Cumulative repeat purchases by 1998-06-30: actual 44,021" in printed
    assert "tracking, holdout periods      39" in printed
    assert "conditional expectations        8" in printed


# --------------------------------------------------------------------------------------
# Bad options: one message, exit status 2, nothing written
# --------------------------------------------------------------------------------------


def test_holdout_end_needs_the_calibration_end(crmvalue, cdnow_master_path, tmp_path) -> None:
    code, _, err = crmvalue(
        cdnow_master_path, *CDNOW_OPTIONS, "--holdout-end", "1998-06-30",
        "--holdout-out", tmp_path / "h.xlsx",
    )  # fmt: skip
    assert code == 2
    assert "--holdout-end needs --observation-end: the calibration end" in err
    assert "Traceback" not in err and not list(tmp_path.iterdir())


@pytest.mark.parametrize("end", ["1997-09-30", "1997-01-31"])
def test_holdout_end_must_follow_the_calibration_end(crmvalue, cdnow_master_path, end) -> None:
    code, _, err = crmvalue(
        cdnow_master_path, *CDNOW_OPTIONS, "--observation-end", "1997-09-30", "--holdout-end", end
    )
    assert code == 2
    assert f"--holdout-end {end} is not after --observation-end 1997-09-30" in err


def test_holdout_out_must_be_a_workbook(crmvalue, cdnow_master_path, tmp_path) -> None:
    code, _, err = crmvalue(
        cdnow_master_path, *CDNOW_OPTIONS, "--observation-end", "1997-09-30",
        "--holdout-end", "1998-06-30", "--holdout-out", tmp_path / "h.csv",
    )  # fmt: skip
    assert code == 2
    assert (
        "h.csv: the holdout tables are written as one workbook; give a file ending in .xlsx" in err
    )


def test_existing_chart_is_kept_and_nothing_is_done(crmvalue, cdnow_master_path, tmp_path) -> None:
    (tmp_path / "p-tracking.png").write_bytes(b"mine")
    code, _, err = crmvalue(
        cdnow_master_path, *CDNOW_OPTIONS, "--observation-end", "1997-09-30",
        "--holdout-end", "1998-06-30", "--plot", tmp_path / "p.png",
    )  # fmt: skip
    assert code == 2
    assert "p-tracking.png already exists and is kept; use --force" in err
    assert (tmp_path / "p-tracking.png").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p-tracking.png"]


def test_holdout_out_without_holdout_end(crmvalue, cdnow_master_path, tmp_path) -> None:
    code, _, err = crmvalue(cdnow_master_path, *CDNOW_OPTIONS, "--holdout-out", tmp_path / "h.xlsx")
    assert code == 2
    assert "--holdout-out needs --holdout-end" in err


def test_no_transaction_before_the_calibration_end(crmvalue, cdnow_master_path) -> None:
    code, _, err = crmvalue(
        cdnow_master_path, *CDNOW_OPTIONS, "--observation-end", "1996-06-30",
        "--holdout-end", "1998-06-30",
    )  # fmt: skip
    assert code == 2
    assert "no transaction falls on or before the observation end" in err
    assert "Traceback" not in err


def test_an_empty_group_is_written_as_empty_cells_with_a_note(cdnow_master, tmp_path) -> None:
    from addin.cli._holdout import tables
    from addin.tables.writing import write_workbook
    from crmvalue_core.purchase_history import validate_holdout

    log = cdnow_master[cdnow_master["customer_id"] <= "00400"]
    days = pd.to_datetime(log["date"], format="%Y%m%d")
    check = validate_holdout(log["customer_id"], days, "1997-09-30", "1998-06-30", max_frequency=12)
    write_workbook(tables(check), tmp_path / "h.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx", read_only=True)["conditional"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # no customer of the first 400 made exactly 11 repeat purchases by 1997-09-30
    assert rows["11"] == ("11", 0, None, None, "no customer with 11 repeat purchase(s)")
    assert all(isinstance(v, float) for v in rows["10"][2:4]) and rows["10"][4] is None
