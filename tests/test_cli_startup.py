"""What ``crmvalue appraise`` loads and opens: pandas and scipy only where a command needs
them, the workbook opened once.

* ``crmvalue appraise FILE`` (table, ``--json`` or ``--out``) imports neither pandas nor scipy: the
  calculator's packages load their modules on first use (:mod:`crmvalue_core._lazy`). Run
  in a fresh interpreter, and checked in its ``sys.modules``; ``--simulate`` does import
  them (so the check can fail). Its output equals the in-process appraisal's.
* The lazy names are the eager ones: every name of ``__all__`` resolves to the object of
  its module, ``scenarios`` stays the function after its module is imported.
* The reader opens a workbook once per read (``read_inputs``, ``read_uncertain``) and
  still takes a formula's saved value from that one opening.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmvalue_core import appraisal as core
from workbook_templates.filler import fill_template
from workbook_templates.reader import read_inputs, read_uncertain, read_values

from .workbook_surgery import patched, set_cell_xml

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import json, sys
from addin.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"pandas", "scipy"})
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def run_probe(*argv: object) -> tuple[dict, str]:
    """``crmvalue ARGV`` in a fresh interpreter: its status and heavy imports, and stdout."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uncertain = core.demo_uncertainty()
    folder = tmp_path_factory.mktemp("startup")
    return fill_template(uncertain.case, folder / "demo.xlsx", uncertain=uncertain)


def test_appraise_without_simulation_imports_no_pandas_or_scipy(demo) -> None:
    found, out = run_probe("appraise", demo)
    assert found == {"code": 0, "heavy": []}
    assert out.strip() == core.format_appraisal(core.appraise(core.demo_case()))
    found, out = run_probe("appraise", demo, "--json")
    assert found == {"code": 0, "heavy": []}
    assert json.loads(out)["metrics"] == core.appraise(core.demo_case()).to_json_dict()["metrics"]


def test_the_results_workbook_needs_no_pandas_either(demo, tmp_path) -> None:
    found, _ = run_probe("appraise", demo, "--out", tmp_path / "results.xlsx")
    assert found == {"code": 0, "heavy": []}
    from openpyxl import load_workbook

    assert "Results" in load_workbook(tmp_path / "results.xlsx", read_only=True).sheetnames


def test_appraise_with_simulation_imports_them(demo) -> None:
    found, _ = run_probe("appraise", demo, "--simulate", "200", "--seed", "1")
    assert found == {"code": 0, "heavy": ["pandas", "scipy"]}


@pytest.mark.parametrize("package", ["crmvalue_core", "crmvalue_core.appraisal"])
def test_every_lazy_name_is_the_object_of_its_module(package) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        value = getattr(module, name)
        assert value is not None, name
        assert name in dir(module), name
        home = getattr(value, "__module__", None)
        if home is not None and isinstance(home, str) and home.startswith("crmvalue_core"):
            assert getattr(importlib.import_module(home), name, value) is value, name
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018


def test_scenarios_is_the_function_after_its_module_loads() -> None:
    assert callable(core.simulate) and callable(core.crm_scenario)
    assert callable(core.scenarios) and core.scenarios.__name__ == "scenarios"
    from crmvalue_core.appraisal import scenarios

    assert scenarios is core.scenarios


@pytest.fixture
def openings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``data_only`` of every workbook openpyxl loads while the test runs."""
    import openpyxl

    loaded: list[bool] = []
    original = openpyxl.load_workbook

    def counting(*args, **kwargs):
        loaded.append(bool(kwargs.get("data_only")))
        return original(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    return loaded


def test_the_reader_opens_a_workbook_once(demo, openings) -> None:
    assert read_inputs(demo) == core.demo_case()
    assert openings == [False]
    openings.clear()
    uncertain = read_uncertain(demo)
    assert uncertain.ranges == core.demo_uncertainty().ranges
    assert openings == [False]


def test_a_formula_gives_its_saved_value_from_the_one_opening(demo, tmp_path, openings) -> None:
    rate = read_values(demo)["DiscountRate"]
    assert rate.sheet == "Inputs"
    from openpyxl import load_workbook

    position = load_workbook(demo, read_only=True).sheetnames.index(rate.sheet) + 1
    openings.clear()
    edited = patched(
        demo,
        tmp_path / "formula.xlsx",
        f"xl/worksheets/sheet{position}.xml",
        lambda xml: set_cell_xml(xml, rate.cell, "<f>0.06*2</f><v>0.12</v>"),
    )
    case = read_inputs(edited)
    assert case.general.discount_rate == 0.12  # the saved value, from the formula's cell
    assert openings == [False]
    assert read_values(edited)["DiscountRate"].value == 0.12


def test_appraise_with_warnings_and_ranges_opens_the_workbook_once(
    tmp_path, openings, capsys
) -> None:
    from dataclasses import replace

    from addin.cli import main

    uncertain = core.demo_uncertainty()
    case = uncertain.case
    risky = replace(case, general=replace(case.general, discount_rate=0.35))
    path = fill_template(
        risky, tmp_path / "risky.xlsx", uncertain=core.UncertainInputs(risky, uncertain.ranges)
    )
    openings.clear()
    assert main(["appraise", str(path), "--simulate", "200", "--seed", "1"]) == 0
    err = capsys.readouterr().err
    assert "warning: sheet 'Inputs', cell" in err and "DiscountRate" in err
    assert openings == [False]
