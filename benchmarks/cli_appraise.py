"""``crmvalue appraise`` on the demo workbook, as a whole process, and the CLI's start-up.

A user runs ``crmvalue appraise demo.xlsx`` and waits for the table: what counts is the
whole process, start-up included. Its peer, timed in the same run, is
``python -c "import openpyxl"``: the least any Python program that reads an .xlsx file
pays before it reads a byte. The ratio says how much more the appraisal costs (the
calculator's imports, reading and checking the inputs, the model, the output). A second
peer imports what ``appraise`` cannot do without, the calculator and openpyxl: the gap
to it is what the command line and the workbook layer add.

Two more rows show that the start-up stays lean where nothing heavy is needed:
``crmvalue --help`` and ``crmvalue new`` against a bare ``python -c pass``.

Each time is the best of 3 runs (subprocesses, output discarded). ``run()`` returns the
rows; ``python benchmarks/cli_appraise.py`` prints them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from timing import best_of

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 3
#: What ``crmvalue appraise`` cannot start without.
FLOOR_IMPORTS = "import crmvalue_core.appraisal, openpyxl"


def best_run(command: list[str], repeat: int = REPEAT) -> float:
    """The best wall time of ``repeat`` runs of ``command``, in seconds (must exit 0)."""
    return best_of(
        lambda: subprocess.run(
            command,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            timeout=300,
        ),
        repeat,
    )


def crmvalue() -> list[str]:
    """The ``crmvalue`` command as users run it: the installed script beside this Python,
    else ``python -m addin.cli``."""
    script = Path(sys.executable).with_name("crmvalue")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "addin.cli"]


def run() -> list[dict]:
    """Rows: ``case``, ``ours``, ``peer``, ``peer_s``, ``target``, ``note``."""
    sys.path.insert(0, str(ROOT))
    from crmvalue_core.appraisal import demo_case
    from workbook_templates.filler import fill_template

    command = crmvalue()
    with tempfile.TemporaryDirectory(prefix="crmvalue-bench-") as scratch:
        demo = fill_template(demo_case(), Path(scratch) / "demo.xlsx")
        new = Path(scratch) / "new.xlsx"
        openpyxl_s = best_run([sys.executable, "-c", "import openpyxl"])
        floor_s = best_run([sys.executable, "-c", FLOOR_IMPORTS])
        bare_s = best_run([sys.executable, "-c", "pass"])
        appraise_s = best_run([*command, "appraise", str(demo)])
        help_s = best_run([*command, "--help"])
        new_s = best_run([*command, "new", str(new), "--force"])
    shown = " ".join(Path(part).name if i == 0 else part for i, part in enumerate(command))
    return [
        {
            "case": "crmvalue appraise demo.xlsx (whole process)",
            "ours": appraise_s,
            "peer": 'python -c "import openpyxl"',
            "peer_s": openpyxl_s,
            "target": "report; start-up lean (no xlwings, matplotlib)",
            "note": f"{shown} appraise; best of {REPEAT}; most of it is importing the "
            "calculator (numpy, pandas, scipy)",
        },
        {
            "case": "crmvalue appraise demo.xlsx (whole process)",
            "ours": appraise_s,
            "peer": "import calculator + openpyxl",
            "peer_s": floor_s,
            "target": "the CLI and reader add little",
            "note": f'peer: python -c "{FLOOR_IMPORTS}"',
        },
        {
            "case": "crmvalue --help (whole process)",
            "ours": help_s,
            "peer": 'python -c "pass"',
            "peer_s": bare_s,
            "target": "no calculator, openpyxl or registry import",
        },
        {
            "case": "crmvalue new FILE.xlsx (whole process)",
            "ours": new_s,
            "peer": 'python -c "pass"',
            "peer_s": bare_s,
            "target": "copies the packaged template; no calculator",
        },
    ]


if __name__ == "__main__":
    for row in run():
        ratio = row["ours"] / row["peer_s"]
        print(
            f"{row['case']:<46} {row['ours']:7.3f}s  {row['peer']:<28} "
            f"{row['peer_s']:7.3f}s  {ratio:6.2f}x  {row['target']}"
        )
