"""``crmvalue appraise PATH --simulate N`` and the uncertainty part of ``crmvalue demo``.

The scenario table, the tornado table and the Monte Carlo summary printed (or put under
``"simulation"`` with ``--json``) are the numbers of ``crmvalue_core.appraisal``'s
``scenarios()``, ``sensitivity()`` and ``simulate()`` for the low and high values read from
the workbook's Scenarios sheet; ``--plot DIR`` writes two PNG charts; bad flags and a
workbook without ranges give one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from addin.cli import _simulation, main
from crmvalue_core import appraisal as core
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_uncertain

PNG = b"\x89PNG\r\n\x1a\n"
DRAWS = "2000"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``crmvalue ARGV`` in-process: exit status, stdout, stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str, *patterns: str) -> None:
    """stderr holds exactly one line, ``crmvalue appraise: ...``, matching ``patterns``."""
    lines = [line for line in err.strip().splitlines() if not line.startswith("... ")]
    assert len(lines) == 1, err
    assert lines[0].startswith("crmvalue appraise: "), err
    assert "Traceback" not in err
    for pattern in patterns:
        assert re.search(pattern, lines[0]), f"{pattern!r} not in: {lines[0]}"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("simulate")
    uncertain = core.demo_uncertainty()
    return {
        "ranges": fill_template(uncertain.case, folder / "ranges.xlsx", uncertain=uncertain),
        "plain": fill_template(uncertain.case, folder / "plain.xlsx"),
    }


def money(value: float) -> str:
    return f"{value:,.0f}"


def test_prints_the_scenarios_the_tornado_and_the_summary(
    workbooks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "appraise", str(workbooks["ranges"]), "--simulate", DRAWS)
    assert code == 0, err
    uncertain = read_uncertain(workbooks["ranges"])
    assert out.startswith(core.format_appraisal(core.appraise(uncertain.case)))
    tail = out[len(core.format_appraisal(core.appraise(uncertain.case))) :]
    scenarios = core.scenarios(uncertain)
    for label, key in (
        ("Pessimistic", "pessimistic"),
        ("All low", "all_low"),
        ("Base", "base"),
        ("All high", "all_high"),
        ("Optimistic", "optimistic"),
    ):
        line = next(line for line in tail.splitlines() if line.startswith(label + " "))
        assert money(scenarios.loc[key, "npv"]) in line, line
    # The tornado rows in the core's order (largest swing first), with their numbers.
    table = core.sensitivity(uncertain)
    positions = [tail.index(f"{label}  ") for label in table["label"]]
    assert positions == sorted(positions)
    for _, row in table.iterrows():
        line = next(line for line in tail.splitlines() if line.startswith(row["label"]))
        assert [money(row[c]) for c in ("npv_low", "npv_high", "swing")] == line.split()[-3:]
    assert f"Monte Carlo: {int(DRAWS):,} draws, PERT" in tail
    for metric in ("NPV (EUR)", "IRR", "Payback (years)"):
        assert any(line.startswith(metric) for line in tail.splitlines()), metric
    assert "Probability of a negative NPV: " in tail


def test_same_seed_same_numbers_as_the_core(
    workbooks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("appraise", str(workbooks["ranges"]), "--simulate", DRAWS, "--seed", "7")
    first = cli(capsys, *argv)
    second = cli(capsys, *argv)
    assert first[0] == 0 and first[1] == second[1]
    other = cli(capsys, "appraise", str(workbooks["ranges"]), "--simulate", DRAWS, "--seed", "8")
    assert other[1] != first[1]
    summary = core.simulate(core.demo_uncertainty(), int(DRAWS), seed=7).summary()
    line = next(line for line in first[1].splitlines() if line.startswith("NPV (EUR)"))
    assert line.split()[2:6] == [
        money(summary.loc["npv", c]) for c in ("mean", "p10", "p50", "p90")
    ]
    assert "seed 7" in first[1]


def test_json_holds_the_simulation(
    workbooks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        "appraise",
        str(workbooks["ranges"]),
        "--json",
        "--simulate",
        DRAWS,
        "--seed",
        "3",
        "--distribution",
        "triangular",
        "--correlation",
        "0.5",
    )
    assert code == 0, err
    document = json.loads(out)
    uncertain = core.demo_uncertainty()
    assert document["metrics"] == core.appraise(uncertain.case).to_json_dict()["metrics"]
    found = document["simulation"]
    assert set(found) == {
        "draws",
        "seed",
        "distribution",
        "correlation",
        "inputs",
        "base_npv",
        "scenarios",
        "sensitivity",
        "summary",
        "measured_only",
    }
    assert found["measured_only"] is None  # no measured drivers in this workbook
    assert (found["draws"], found["seed"], found["distribution"], found["correlation"]) == (
        int(DRAWS),
        3,
        "triangular",
        0.5,
    )
    assert found["inputs"] == list(uncertain.names)
    scenarios = core.scenarios(uncertain)
    assert list(found["scenarios"]) == list(core.SCENARIOS)
    for key, row in found["scenarios"].items():
        assert row["npv"] == pytest.approx(scenarios.loc[key, "npv"], rel=1e-12)
        assert set(row) == set(scenarios.columns)
    table = core.sensitivity(uncertain)
    assert [item["input"] for item in found["sensitivity"]] == list(table.index)
    for item in found["sensitivity"]:
        assert item["swing"] == pytest.approx(table.loc[item["input"], "swing"], rel=1e-12)
        for side in ("low", "base", "high"):  # a row input's values as a list
            value = table.loc[item["input"], side]
            assert item[side] == (list(value) if isinstance(value, tuple) else value)
    expected = core.simulate(
        uncertain, int(DRAWS), seed=3, distribution="triangular", correlation=0.5
    ).summary()
    assert list(found["summary"]) == ["npv", "irr", "payback"]
    for metric, row in found["summary"].items():
        assert set(row) == {"mean", "std", "p10", "p50", "p90", "p_negative", "defined"}
        for column, value in row.items():
            assert value == pytest.approx(expected.loc[metric, column], rel=1e-12)
    # Without --simulate the JSON is as before.
    code, out, _ = cli(capsys, "appraise", str(workbooks["ranges"]), "--json")
    assert code == 0 and "simulation" not in json.loads(out)


def test_plot_writes_the_tornado_and_the_histogram(
    workbooks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "charts"  # created when missing
    argv = ["appraise", str(workbooks["ranges"]), "--simulate", "500", "--seed", "1"]
    code, _, err = cli(capsys, *argv, "--plot", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["npv_histogram.png", "tornado.png"]
    for path in folder.iterdir():
        assert path.read_bytes()[:8] == PNG and path.stat().st_size > 5_000
        assert f"wrote {path}" in err
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, out, err = cli(capsys, *argv, "--plot", str(folder))
    assert (code, out) == (2, "")
    one_line_error(err, "already exists and is kept", "--force")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    code, _, err = cli(capsys, *argv, "--plot", str(folder), "--force")
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["npv_histogram.png", "tornado.png"]


def test_a_workbook_without_ranges_says_so(
    workbooks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "appraise", str(workbooks["plain"]), "--simulate", "100")
    assert (code, out) == (2, "")
    one_line_error(err, "nothing to simulate", "Scenarios", "low and a high value")


@pytest.mark.parametrize(
    ("flags", "patterns"),
    [
        (["--simulate", "0"], ["--simulate 0", "from 1 to 10,000,000"]),
        (["--simulate", "1000000000"], ["--simulate 1000000000", "from 1 to 10,000,000"]),
        (["--simulate", "lots"], ["--simulate lots", "whole number of draws"]),
        (["--simulate", "2.5"], ["--simulate 2.5", "whole number"]),
        (["--simulate", "10", "--correlation", "1.5"], ["--correlation 1.5", "0 .* to 1"]),
        (["--simulate", "10", "--correlation", "-0.2"], ["--correlation -0.2", "0 .* to 1"]),
        (["--simulate", "10", "--correlation", "nan"], ["--correlation nan"]),
        (["--simulate", "10", "--seed", "-1"], ["--seed -1", ">= 0"]),
        (["--simulate", "10", "--distribution", "normal"], ["pert or triangular"]),
        (["--seed", "1"], ["--seed needs --simulate"]),
        (["--plot", "charts"], ["--plot needs --simulate"]),
    ],
)
def test_bad_flags_exit_2_with_one_line(
    workbooks: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    patterns: list[str],
) -> None:
    code, out, err = cli(capsys, "appraise", str(workbooks["ranges"]), *flags)
    assert (code, out) == (2, "")
    one_line_error(err, *patterns)


def test_plot_folder_that_is_a_file(
    workbooks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file"
    target.write_text("mine")
    code, out, err = cli(
        capsys, "appraise", str(workbooks["ranges"]), "--simulate", "10", "--plot", str(target)
    )
    assert (code, out) == (2, "")
    one_line_error(err, "is a file; give a folder")
    assert target.read_text() == "mine"


def test_the_flag_limit_is_the_cores() -> None:
    assert _simulation.MAX_DRAWS == core.MAX_DRAWS
    assert tuple(core.DISTRIBUTIONS) == _simulation.DISTRIBUTIONS


def test_demo_prints_the_scenarios_and_a_simulation_and_draws_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.cli.demo import FILES

    folder = tmp_path / "demo"
    code, out, err = cli(capsys, "demo", "--out", str(folder), "--no-libreoffice")
    assert code == 0, err
    uncertain = core.demo_uncertainty()
    scenarios = core.scenarios(uncertain)
    assert "Scenarios (13 inputs with a low and a high value)" in out
    assert money(scenarios.loc["pessimistic", "npv"]) in out
    assert (
        "Monte Carlo: 10,000 draws, PERT, correlation 0 between the benefit drivers, seed 1" in out
    )
    summary: Any = core.simulate(uncertain, 10_000, seed=1).summary()
    assert f"Probability of a negative NPV: {summary.loc['npv', 'p_negative']:.1%}" in out
    for role in ("tornado", "histogram"):
        assert (folder / FILES[role]).read_bytes()[:8] == PNG
        assert f"  {FILES[role]}\n" in out
    back = read_uncertain(folder / FILES["workbook"])  # the Scenarios sheet holds the ranges
    assert back.ranges == uncertain.ranges
