"""``crmvalue demo``: the main job, end to end, on the built-in demo case.

Appraises the demo case, prints the result table, the scenario table and a Monte Carlo
summary of its agreed low and high values (:func:`~crmvalue_core.appraisal.demo_uncertainty`,
10,000 draws, seed 1), and writes to ``--out`` (default ``crmvalue-demo``): the template
filled with the case and its ranges (Scenarios sheet), PNG charts of the cumulative
discounted cash flow, the tornado and the NPV histogram and, when LibreOffice is
installed, the workbook recalculated (every formula cell carrying its value, for any
viewer) and a PDF of its Results sheet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import _simulation
from .common import check_outputs, progress
from .errors import UsageError

#: The demo's Monte Carlo run: 10,000 draws of demo_uncertainty(), PERT, seed 1.
SIMULATION = _simulation.Options(
    draws=10_000, seed=1, distribution="pert", correlation=0.0, plot=None
)

#: The files the demo writes, by role.
FILES = {
    "workbook": "demo_appraisal.xlsx",
    "chart": "demo_cumulative_cash_flow.png",
    "tornado": "demo_tornado.png",
    "histogram": "demo_npv_histogram.png",
    "recalculated": "demo_appraisal_recalculated.xlsx",
    "pdf": "demo_results.pdf",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="appraise the built-in demo case and write its workbook, chart and PDF",
        description=(
            "Appraise the built-in demo case (a mid-sized company's CRM), print the result, "
            "and write the filled workbook, a chart and (with LibreOffice) a PDF."
        ),
    )
    parser.add_argument(
        "--out",
        default="crmvalue-demo",
        metavar="FOLDER",
        help="folder for the files (default: %(default)s; created if missing)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files of an earlier demo")
    parser.add_argument(
        "--no-libreoffice",
        action="store_true",
        help="skip the recalculated workbook and the PDF even when LibreOffice is installed",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo."""
    from crmvalue_core.appraisal import appraise, demo_uncertainty, format_appraisal
    from workbook_templates.filler import fill_template
    from workbook_templates.libreoffice import INSTALL_HINT, find_soffice

    from ..charts import cumulative_cash_flow_chart

    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: is a file; give a folder")
    use_libreoffice = not args.no_libreoffice and find_soffice() is not None
    roles = ["workbook", "chart", "tornado", "histogram"] + (
        ["recalculated", "pdf"] if use_libreoffice else []
    )
    paths = {role: folder / FILES[role] for role in roles}
    if folder.is_dir():
        check_outputs(paths.values(), force=args.force)

    uncertain = demo_uncertainty()  # the demo case with its agreed low and high values
    inputs = uncertain.case
    result = appraise(inputs)
    print(format_appraisal(result))
    print()
    found = _simulation.report(uncertain, SIMULATION)
    print(_simulation.format_report(found, tornado=False))
    print()
    folder.mkdir(parents=True, exist_ok=True)
    fill_template(inputs, paths["workbook"], force=args.force, uncertain=uncertain)
    cumulative_cash_flow_chart(result, paths["chart"], force=args.force)
    _simulation.write_plots(
        found, {"tornado": paths["tornado"], "histogram": paths["histogram"]}, force=args.force
    )
    note = _recalculate(paths, force=args.force) if use_libreoffice else None
    print(f"Files in {folder}/:")
    for role in roles:
        print(f"  {paths[role].name}")
    if note:
        print(f"({note})")
    if not use_libreoffice and not args.no_libreoffice:
        print(f"(no recalculated workbook or PDF: LibreOffice is not installed; {INSTALL_HINT})")
    return 0


def _recalculate(paths: dict[str, Path], *, force: bool) -> str | None:
    """The filled workbook recalculated by LibreOffice, and a PDF of its Results sheet.

    With the add-in bound into LibreOffice (:mod:`addin.libreoffice.binding`: LibreOffice's
    Python script provider installed), the add-in cross-checks compute through
    ``addin.udfs``; otherwise LibreOffice runs with a plain profile and they say "add-in not
    enabled" (the results are native formulas and compute either way). Returns a one-line
    note for the user when the add-in cells did not compute, else None.
    """
    import shutil
    import tempfile

    from workbook_templates.libreoffice import recalculate, to_pdf

    from ..libreoffice.binding import binding_unavailable, bridge_log, make_addin_profile

    with tempfile.TemporaryDirectory(prefix="crmvalue-demo-") as scratch:
        reason = binding_unavailable()
        profile = None if reason else make_addin_profile(Path(scratch) / "profile")
        progress(
            "recalculating the workbook with LibreOffice"
            + (" (the add-in bound in)" if profile else "")
        )
        staged = Path(scratch) / paths["recalculated"].name
        shutil.copyfile(paths["workbook"], staged)
        recalculated = recalculate(
            staged, paths["recalculated"].parent, profile=profile, overwrite=force
        )
        progress("printing the Results sheet to PDF")
        to_pdf(paths["workbook"], paths["pdf"], sheet="Results", profile=profile, overwrite=force)
        if reason:
            return (
                "the add-in cross-checks say 'add-in not enabled' in the recalculated workbook "
                f"and the PDF (the results are native formulas and show their values): {reason}"
            )
        shown = _shown_npv(recalculated)
        if not isinstance(shown, (int, float)):
            log = bridge_log(profile).strip().splitlines() if profile else []
            detail = f"; the bridge logged: {log[-1]}" if log else ""
            return (
                f"the add-in cells did not compute in LibreOffice (AddinNPV shows {shown!r})"
                + detail
            )
    return None


def _shown_npv(path: Path) -> object:
    """What the add-in cell of the NPV (defined name AddinNPV) shows in a recalculated
    workbook: a number when the add-in computed, else "add-in not enabled" or an error."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet, cell = next(iter(wb.defined_names["AddinNPV"].destinations))
        return wb[sheet][cell.replace("$", "")].value
    finally:
        wb.close()
