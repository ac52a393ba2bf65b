"""``crmvalue appraise PATH``: appraise a filled workbook, as the template would.

With ``--simulate N`` it also reads the low and high values of the Scenarios sheet and
prints the scenario table, the tornado (sensitivity) table and a Monte Carlo summary of N
draws (``--seed``, ``--distribution``, ``--correlation``); ``--json`` puts them under
``"simulation"``; ``--plot DIR`` writes a tornado chart and an NPV histogram (see
``docs/uncertainty.md``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from . import _simulation
from .common import check_outputs, input_file, progress
from .errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``appraise`` command."""
    parser = subparsers.add_parser(
        "appraise",
        help="appraise a filled template workbook",
        description=(
            "Read a filled crmvalue template, check every input, and print the year-by-year "
            "cash flows and the metrics (NPV, IRR, MIRR, ROI, payback, PI)."
        ),
    )
    parser.add_argument("path", help="the filled template (.xlsx)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", metavar="FILE.xlsx", help="write a results workbook")
    parser.add_argument(
        "--pdf", metavar="FILE.pdf", help="write a PDF of the results (needs LibreOffice)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing outputs")
    _simulation.add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Appraise the workbook at ``args.path``."""
    from crmvalue_core.appraisal import appraise, format_appraisal
    from workbook_templates.reader import read_inputs

    source = input_file(args.path)
    out = _output(args.out, ".xlsx", "--out")
    pdf = _output(args.pdf, ".pdf", "--pdf")
    check_outputs([out, pdf], force=args.force, inputs=[source])
    chosen = _simulation.options(args)
    if pdf is not None:
        _require_libreoffice()

    found = None
    if chosen is None:
        inputs = read_inputs(source)
    else:
        from workbook_templates.reader import read_uncertain

        uncertain = read_uncertain(source)
        if not uncertain.ranges:
            raise UsageError(_simulation.no_ranges_message(source))
        inputs = uncertain.case
        progress(f"simulating {chosen.draws:,} draws")
        found = _simulation.report(uncertain, chosen)
    result = appraise(inputs)
    if args.json:
        document = result.to_json_dict()
        if found is not None:
            document["simulation"] = _simulation.to_json(found)
        print(json.dumps(document, indent=2, allow_nan=False))
    else:
        print(format_appraisal(result))
        if found is not None:
            print()
            print(_simulation.format_report(found))
    if found is not None and chosen is not None and chosen.plot is not None:
        for written in _simulation.write_plots(found, chosen.plot, force=args.force):
            progress(f"wrote {written}")
    if out is not None:
        from workbook_templates.results import write_results_workbook

        write_results_workbook(result, out, force=args.force)
        progress(f"wrote the results workbook {out}")
    if pdf is not None:
        write_results_pdf(result, pdf, force=args.force)
        progress(f"wrote {pdf}")
    return 0


def _output(value: str | None, suffix: str, option: str) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() != suffix:
        raise UsageError(f"{option} {path}: give a file name ending in {suffix}")
    return path


def _require_libreoffice() -> None:
    from workbook_templates.libreoffice import INSTALL_HINT, find_soffice

    if find_soffice() is None:
        raise UsageError(f"a PDF needs LibreOffice, which is not installed; {INSTALL_HINT}")


def write_results_pdf(result: object, pdf: Path, *, force: bool) -> Path:
    """Print the Results sheet of the results workbook of ``result`` to ``pdf``."""
    from workbook_templates.libreoffice import to_pdf
    from workbook_templates.results import write_results_workbook

    progress("printing the results to PDF with LibreOffice")
    with tempfile.TemporaryDirectory(prefix="crmvalue-pdf-") as scratch:
        workbook = write_results_workbook(result, Path(scratch) / "results.xlsx")  # type: ignore[arg-type]
        return to_pdf(workbook, pdf, sheet="Results", overwrite=force)
