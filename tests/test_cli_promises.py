"""The promises of the ``crmvalue`` command line, and charts a reader can read.

* A user mistake prints one line and exits with status 2, before the work starts: an output
  in a folder that cannot be written (``appraise --pdf``, ``appraise --plot``,
  ``score --out``, ``score --plot``) is refused before anything is read or computed, and
  no temporary file is left behind.
* Seeded and reproducible: the seed an unseeded run prints, passed back with ``--seed``,
  repeats the run exactly (no float on the way).
* One style across the command line: no ``%%`` in any help, one metavariable style.
* The tornado chart labels its bars with the workbook's labels, wrapped between words,
  writes each input's low and high value at the ends of its bar and the base NPV on the
  centre line; the concentration chart's legend shows its bars' colours.

A folder that cannot be written: as a normal user, a folder with mode 0o555; as root (CI),
whom permission bits do not stop, ``/sys`` (sysfs refuses to create files, for root too).
Either way the folder exists, is a folder, and the test first checks that creating a file
there really fails; where no such folder exists the tests are skipped, not faked.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from addin.charts import appraisal as appraisal_charts
from addin.charts import customers as customer_charts
from addin.cli import _simulation, main
from addin.cli.app import build_parser
from crmvalue_core import appraisal as core
from crmvalue_core.appraisal.input_table import INPUTS
from workbook_templates.filler import fill_template


def _simulated_log(customers: int, seed: int) -> pd.DataFrame:
    """A transaction log: each customer buys at a random weekly rate (gamma) for 52 weeks,
    and may stop after any purchase (beta); amounts are gamma distributed."""
    rng = np.random.default_rng(seed)
    rate, drop = rng.gamma(0.5, 1 / 4.0, customers), rng.beta(0.8, 3.0, customers)
    rows = []
    for customer in range(customers):
        week = rng.uniform(0, 26)
        while week < 52:
            rows.append((customer, int(week * 7), round(rng.gamma(4.0, 8.0), 2)))
            if rng.random() < drop[customer]:
                break
            week += rng.exponential(1 / rate[customer])
    who, day, amount = map(np.array, zip(*rows, strict=True))
    start = np.datetime64("2024-01-01")
    return pd.DataFrame({"customer_id": who, "date": start + day.astype("m8[D]"), "amount": amount})


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run ``crmvalue ARGV`` in-process: exit status, stdout, stderr."""
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, command: str) -> str:
    """The one line of stderr (progress lines aside), ``crmvalue COMMAND: ...``."""
    lines = [line for line in err.strip().splitlines() if not line.startswith("... ")]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"crmvalue {command}: "), err
    assert "Traceback" not in err
    return lines[0]


def _cannot_write(folder: Path) -> bool:
    try:
        handle, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return True
    os.close(handle)
    os.unlink(name)
    return False


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A folder that exists and in which no file can be created (see the module's note)."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            assert _cannot_write(folder)
            yield folder
        finally:
            folder.chmod(0o755)
        return
    folder = Path("/sys")
    if not (folder.is_dir() and _cannot_write(folder)):
        pytest.skip("running as root and no folder here refuses root's files")
    yield folder


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case with its low and high values, as a filled template."""
    uncertain = core.demo_uncertainty()
    folder = tmp_path_factory.mktemp("promises")
    return fill_template(uncertain.case, folder / "ranges.xlsx", uncertain=uncertain)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small transaction log (300 customers who follow BG/NBD)."""
    path = tmp_path_factory.mktemp("log") / "log.csv"
    _simulated_log(300, 7).to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------------------
# An unwritable folder: one line, exit 2, before the work starts, nothing left behind


@pytest.mark.parametrize("option", ["--out", "--plot"])
def test_score_refuses_an_unwritable_folder_before_reading(
    option: str,
    locked: Path,
    log: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from addin.cli import _score_run

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the input was read before the outputs were checked")

    monkeypatch.setattr(_score_run, "open_source", no_reading)
    good = tmp_path / "good"
    good.mkdir()
    target = locked / ("scores.csv" if option == "--out" else "value.png")
    other = ["--plot", good / "value.png"] if option == "--out" else ["--out", good / "s.csv"]
    code, out, err = cli(capsys, "score", log, option, target, *other, "--quiet")
    line = one_line(err, "score")
    assert code == 2
    assert out == ""
    assert str(target) in line and f"cannot write in the folder {locked}" in line
    assert list(good.iterdir()) == []  # no output, no probe file left behind


def test_appraise_pdf_in_an_unwritable_folder_is_refused_before_the_work(
    workbook: Path, locked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = locked / "results.pdf"
    code, out, err = cli(capsys, "appraise", workbook, "--pdf", pdf, "--out", tmp_path / "r.xlsx")
    line = one_line(err, "appraise")
    assert code == 2
    assert out == ""  # nothing appraised, nothing printed, LibreOffice never started
    assert str(pdf) in line and f"cannot write in the folder {locked}" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("below", ["", "charts"])
def test_appraise_plot_in_an_unwritable_folder_is_refused_before_the_work(
    below: str, workbook: Path, locked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = locked / below if below else locked
    code, out, err = cli(capsys, "appraise", workbook, "--simulate", "500", "--plot", folder)
    line = one_line(err, "appraise")
    assert code == 2
    assert out == "" and "simulating" not in err
    assert f"cannot write in the folder {locked}" in line
    assert not (locked / "charts").exists()


def test_a_writable_folder_is_checked_without_a_trace(
    workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        capsys, "appraise", workbook, "--simulate", "200", "--seed", "3", "--plot", tmp_path
    )
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["npv_histogram.png", "tornado.png"]


# --------------------------------------------------------------------------------------
# Seeded and reproducible


def test_the_printed_seed_repeats_the_run_exactly(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, err = cli(capsys, "appraise", workbook, "--simulate", "2000")
    assert code == 0, err
    seeds = re.findall(r"seed (\d+)", first)
    assert len(seeds) == 1, first
    code, again, err = cli(capsys, "appraise", workbook, "--simulate", "2000", "--seed", seeds[0])
    assert code == 0, err
    assert again == first


def test_a_long_seed_is_used_digit_for_digit(
    workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = 2**127 + 12345  # 39 digits, as fresh entropy gives; a float would round it
    assert float(seed) != seed
    code, out, err = cli(capsys, "appraise", workbook, "--simulate", "1000", "--seed", seed)
    assert code == 0, err
    assert f"seed {seed}" in out
    want = core.simulate(core.demo_uncertainty(), 1000, seed=seed).summary()
    mean = re.search(r"^NPV \(EUR\)\s+([-\d,]+)", out, re.MULTILINE)
    assert mean is not None, out
    assert mean.group(1) == f"{want.loc['npv', 'mean']:,.0f}"
    assert _simulation.whole_number(str(seed)) == seed
    assert _simulation.whole_number("1e4") == 10_000
    assert _simulation.whole_number("2.5") is None


# --------------------------------------------------------------------------------------
# One style across the command line


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_no_help_shows_a_doubled_percent_sign() -> None:
    parser = build_parser()
    texts = {"crmvalue": parser.format_help()}
    texts.update({name: sub.format_help() for name, sub in _subparsers(parser).items()})
    for name, text in texts.items():
        assert "%%" not in text, f"crmvalue {name} --help shows %%"
    assert "--date-format %Y%m%d" in texts["score"].replace("\n", " ")


#: The metavariables of the command line: FILE (FILE.ext when one kind of file), FOLDER,
#: N for counts, and a word in capitals for anything else.
FILE_LIKE = re.compile(r"^FILE(\.[a-z]+)?$")


def test_one_metavariable_style_across_the_command_line() -> None:
    for command, parser in _subparsers(build_parser()).items():
        for action in parser._actions:
            if action.nargs == 0 or isinstance(action, argparse._HelpAction):
                continue
            shown = action.metavar or (
                "{" + ",".join(map(str, action.choices)) + "}" if action.choices else None
            )
            where = f"crmvalue {command} {'/'.join(action.option_strings) or action.dest}"
            assert shown is not None, f"{where}: no metavariable (argparse derives one)"
            if shown.startswith("{"):
                continue  # a list of choices, as argparse shows choices
            assert re.fullmatch(r"[A-Z]+(\.[a-z]+)?", shown), f"{where}: {shown}"
            assert shown not in ("DIR", "OUT", "PLOT", "PATH", "S"), f"{where}: {shown}"
            if "folder" in (action.help or "").lower():
                assert shown == "FOLDER", f"{where}: {shown}"
            elif action.dest in ("path", "input", "out", "pdf", "plot"):
                assert FILE_LIKE.match(shown), f"{where}: {shown}"


# --------------------------------------------------------------------------------------
# The tornado chart


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The matplotlib axes the charts draw on, kept for inspection (nothing is written)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    kept: list[Any] = []

    def save_figure(draw: Any, path: Any, *, force: bool = False) -> Path:
        figure = Figure(figsize=(8, 4.5))
        ax = figure.subplots()
        draw(ax)
        kept.append(ax)
        return Path(path)

    def write_png(figure: Any, path: Any, **kwargs: object) -> Path:
        kept.append(figure)
        return Path(path)

    monkeypatch.setattr(appraisal_charts, "save_figure", save_figure)
    monkeypatch.setattr(customer_charts, "write_png", write_png)
    return kept


def test_tornado_labels_values_and_base_line(drawn: list[Any]) -> None:
    uncertain = core.demo_uncertainty()
    table = core.sensitivity(uncertain)
    appraisal_charts.tornado_chart(table, "t.png", currency="EUR", title="Demo")
    (ax,) = drawn
    labels = [tick.get_text() for tick in ax.get_yticklabels()][::-1]  # top bar first
    by_name = {spec.name: spec.label for spec in INPUTS}
    assert len(labels) == len(table)
    for name, label in zip(table.index, labels, strict=True):
        assert " ".join(label.split("\n")) == by_name[name]  # the workbook's words, whole
        assert "…" not in label and "..." not in label
        assert all(len(line) <= appraisal_charts.LABEL_WIDTH for line in label.split("\n"))
    assert labels[0] == "Cross-sell / up-sell\nuplift of the margin (u)"

    base = table.attrs["base_npv"]
    texts = {text.get_text(): text for text in ax.texts}
    centre = [line for line in ax.get_lines() if list(line.get_xdata()) == [base, base]]
    assert centre, "no centre line at the base NPV"
    assert "base NPV EUR 561,181" in texts
    assert f"{base:,.0f}" == "561,181"
    # Each end of a bar: the input's value that gives it, as the Inputs sheet shows it
    # (hand-formatted here from the demo's ranges: churn reduction 0.5% .. 1.5%, margin
    # per customer 400 .. 480, churn without the CRM 10% .. 14% where high is the worse).
    ends = {
        "ChurnReduction": ("0.50%", "1.50%"),
        "MarginPerCustomer": ("EUR 400.00", "EUR 480.00"),
        "HoursSavedPerWeek": ("1.0 hours", "3.0 hours"),
        "ChurnBaseline": ("14.00%", "10.00%"),
        "CostImplementation": (
            "years 0-1: EUR 250,000 / 80,000",
            "years 0-1: EUR 170,000 / 30,000",
        ),
        "CostSupport": ("years 1-5: EUR 65,000 each", "years 1-5: EUR 50,000 each"),
    }
    for name, (left, right) in ends.items():
        row = table.loc[name]
        assert texts[left].xy == pytest.approx((base + row["downside"], texts[left].xy[1]))
        assert texts[right].xy == pytest.approx((base + row["upside"], texts[right].xy[1]))
        assert texts[left].xy[1] == texts[right].xy[1]  # on the same bar
        assert texts[left].get_horizontalalignment() == "right"
        assert texts[right].get_horizontalalignment() == "left"


def test_the_value_of_an_input_as_the_workbook_shows_it() -> None:
    show = appraisal_charts.input_value_text
    assert show("CrossSellUplift", 0.03) == "3.00%"
    assert show("ProductivityShare", 0.3) == "30.0%"
    assert show("CustomersActive", 12000, currency="EUR") == "12,000 customers"
    assert show("AcquisitionCost", 250, currency="USD") == "USD 250.00"
    ramp = (0.3, 0.6, 0.85) + (1.0,) * 7
    assert show("AdoptionRamp", ramp, (0.5, 0.8) + (1.0,) * 8) == "years 1-3: 30% / 60% / 85%"
    assert show("CostOther", (0.0, 5.0), (0.0, 5.0), "EUR") == "as base"


# --------------------------------------------------------------------------------------
# The concentration chart


def test_concentration_legend_shows_its_bars_colours(drawn: list[Any]) -> None:
    from matplotlib.colors import to_hex
    from matplotlib.offsetbox import DrawingArea
    from matplotlib.patches import Rectangle

    from crmvalue_core.scoring import PurchaseTotals, score_customers

    frame = _simulated_log(400, 11)
    totals = PurchaseTotals(None)
    totals.add(
        frame["customer_id"].astype(str).to_numpy(),
        frame["date"].to_numpy().astype("datetime64[D]"),
        frame["amount"].to_numpy(),
    )
    scored = score_customers(totals.summary("W").drop(columns=["first_purchase", "last_purchase"]))
    customer_charts.value_concentration_chart(scored, "c.png", title="log.csv")
    (figure,) = drawn
    bars = next(ax for ax in figure.axes if ax.get_title() == "By segment")
    colours_of = {
        container.get_label(): [to_hex(patch.get_facecolor()) for patch in container.patches]
        for container in bars.containers
    }
    legend = bars.get_legend()
    entries = [text.get_text() for text in legend.get_texts()]
    boxes = list(legend.findobj(DrawingArea))
    assert len(boxes) == len(entries) == 2
    for entry, box in zip(entries, boxes, strict=True):
        shown = [to_hex(p.get_facecolor()) for p in box.get_children() if isinstance(p, Rectangle)]
        label = next(name for name in colours_of if entry.startswith(name))
        assert set(shown) == set(colours_of[label]), entry  # no colour the bars lack
        if len(set(colours_of[label])) > 1:
            assert shown == colours_of[label], entry  # one patch per bar, in order
    value_colours = colours_of["share of predicted CLV"]
    assert value_colours == [
        customer_charts.SEGMENT_COLOURS[name] for name in scored.by_segment.index
    ]
    assert len(set(value_colours)) == len(value_colours) > 1
    assert customer_charts.CUSTOMER_SHARE_COLOUR not in value_colours
    assert np.isclose(
        [p.get_height() for p in bars.containers[1].patches],
        scored.by_segment["value_share"].fillna(0.0),
    ).all()
