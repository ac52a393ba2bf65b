"""``crmvalue functions`` and the generated function reference, both read from the registry."""

from __future__ import annotations

import subprocess
import sys

import pytest

from addin.cli import main
from addin.excel.registry import FUNCTIONS, REGISTRY
from tools import make_docs as docs


def test_listing_shows_every_function_with_signature_and_summary(capsys):
    assert main(["functions"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(FUNCTIONS)} Excel functions (category 'CRM Value')")
    joined = " ".join(out.split())  # summaries are wrapped
    for function in FUNCTIONS:
        assert f"  {function.signature}\n" in out
        assert function.summary in joined
    positions = [out.index(f"  {function.signature}\n") for function in FUNCTIONS]
    assert positions == sorted(positions)  # catalogue order


@pytest.mark.parametrize("name", ["CLV", "clv", "=npv_crm(", "RFM_SCORE"])
def test_help_of_one_function_has_arguments_and_examples(capsys, name):
    assert main(["functions", name]) == 0
    out = capsys.readouterr().out
    function = REGISTRY[name.strip("=(").upper()]
    joined = " ".join(out.split())
    assert out.startswith(function.signature + "\n")
    assert " ".join(function.description.split()) in joined
    for arg in function.args:
        assert f"  {arg.shown} ({arg.kind})" in out
        assert " ".join(arg.doc.split()) in joined
    for example in function.examples:
        assert f"  ={example.formula}\n" in out
        assert f"-> {' '.join(example.shows.split())}" in joined
    assert f"Python: {function.core}(" in out


def test_optional_defaults_show_in_the_help(capsys):
    main(["functions", "NPS_MOE"])
    assert "[confidence] (number)" in capsys.readouterr().out
    main(["functions", "CLV"])
    out = " ".join(capsys.readouterr().out.split())
    assert 'Optional; default "end".' in out and "Optional; default 0." in out


def test_unknown_name_is_a_usage_error_with_exit_2(capsys):
    assert main(["functions", "NPV"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("crmvalue functions: there is no Excel function called 'NPV'")
    assert "NPV_CRM" in captured.err  # the close match
    assert main(["functions", "QWERTY"]) == 2
    assert "Run 'crmvalue functions' for the list" in capsys.readouterr().err


def test_unknown_name_through_the_installed_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "addin.cli", "functions", "NOPE"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "no Excel function called 'NOPE'" in done.stderr


def test_docs_functions_md_is_not_stale():
    assert docs.DOCS_PATH.exists(), "run: python tools/make_docs.py"
    assert docs.DOCS_PATH.read_text(encoding="utf-8") == docs.render(), (
        "docs/functions.md is stale: run python tools/make_docs.py"
    )


def test_docs_cover_every_function_and_example():
    text = docs.render()
    for function in FUNCTIONS:
        assert f"### {function.signature}\n" in text
        for example in function.examples:
            assert f"`={example.formula}`" in text


def test_docs_check_mode(tmp_path, capsys):
    target = tmp_path / "functions.md"
    assert docs.main(["--check", "--output", str(target)]) == 1
    assert docs.main(["--output", str(target)]) == 0
    assert docs.main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert docs.main(["--check", "--output", str(target)]) == 1
    assert "stale" in capsys.readouterr().err
