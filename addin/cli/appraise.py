"""``crmvalue appraise PATH``: appraise a filled workbook, as the template would.

With ``--simulate N`` it also reads the low and high values of the Scenarios sheet and
prints the scenario table, the tornado (sensitivity) table and a Monte Carlo summary of N
draws (``--seed``, ``--distribution``, ``--correlation``); ``--json`` puts them under
``"simulation"``; ``--plot DIR`` writes a tornado chart and an NPV histogram (see
``docs/uncertainty.md``).

A case with no cost and no benefit is refused (exit status 2, one line). Valid but
implausible values (a rate of exactly 100%, a discount rate above 30%...: the rules of
:mod:`crmvalue_core.appraisal.plausibility`) give warnings: one line each on stderr, naming
the sheet, the cell and the defined name, a ``warnings`` list in ``--json`` and a Warnings
block in the results workbook and PDF. A warning changes no number and not the exit status.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _simulation
from .common import check_outputs, input_file, progress
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from crmvalue_core.appraisal import AppraisalInputs, AppraisalResult, PlausibilityWarning
    from workbook_templates.pdf_printer import PdfPrinter
    from workbook_templates.results import Provenance, UncertaintyReport


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
    parser.add_argument("path", metavar="FILE.xlsx", help="the filled template")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--out", metavar="FILE.xlsx", help="write a results workbook")
    parser.add_argument(
        "--pdf", metavar="FILE.pdf", help="write a PDF of the results (needs LibreOffice)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing outputs")
    _simulation.add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Appraise the workbook at ``args.path``.

    With ``--pdf``, LibreOffice starts first, while the workbook is read and appraised
    (:class:`~workbook_templates.pdf_printer.PdfPrinter`): most of a PDF's time is
    LibreOffice starting, and the command's own work hides in it."""
    source = input_file(args.path)
    out = _output(args.out, ".xlsx", "--out")
    pdf = _output(args.pdf, ".pdf", "--pdf")
    check_outputs([out, pdf], force=args.force, inputs=[source])
    chosen = _simulation.options(args)
    if pdf is None:
        return _appraise(args, source, out, None, chosen)
    _require_libreoffice()
    from workbook_templates.pdf_printer import PdfPrinter

    with PdfPrinter(pdf, overwrite=args.force) as printer:
        return _appraise(args, source, out, printer, chosen)


def _appraise(
    args: argparse.Namespace,
    source: Path,
    out: Path | None,
    printer: PdfPrinter | None,
    chosen: Any,
) -> int:
    """Appraise ``source``; print the table or JSON, write ``out`` and print with
    ``printer`` (started by :func:`run`)."""
    from crmvalue_core.appraisal import format_appraisal, plausibility_warnings, range_warnings
    from workbook_templates.files import MAX_FILE_BYTES
    from workbook_templates.language import workbook_language
    from workbook_templates.reader.opening import open_template
    from workbook_templates.reader.ranges import uncertain_of
    from workbook_templates.reader.reading import inputs_of

    found = None
    with open_template(source, MAX_FILE_BYTES) as workbook:  # opened once for every read
        if chosen is None:
            inputs = inputs_of(workbook, source)
            result = _appraised(inputs, source)
        else:
            uncertain = uncertain_of(workbook, source)
            if not uncertain.ranges:
                raise UsageError(_simulation.no_ranges_message(source))
            inputs = uncertain.case
            result = _appraised(inputs, source)
        warnings = located_warnings(plausibility_warnings(inputs), source, workbook=workbook)
        if chosen is not None:
            from workbook_templates.baseline_filler import baseline_draws_of

            ranged = located_warnings(range_warnings(uncertain), source, workbook=workbook)
            # drivers measured by `crmvalue baseline` are drawn jointly from their models
            joint = {
                name: draws
                for name, draws in baseline_draws_of(workbook, source).items()
                if name in uncertain.ranges
            }
    if chosen is not None:
        if joint:
            progress(
                f"drawing {', '.join(joint)} jointly from the {len(next(iter(joint.values()))):,} "
                "parameter draws recorded by crmvalue baseline"
            )
        progress(f"simulating {chosen.draws:,} draws")
        found = _simulation.report(uncertain, chosen, joint=joint)
        warnings += ranged
    language = workbook_language(source)
    for warning in warnings:
        print(f"crmvalue appraise: warning: {warning.line}", file=sys.stderr)
    if args.json:
        document = result.to_json_dict()
        document["warnings"] = [warning.to_json_dict() for warning in warnings]
        if found is not None:
            document["simulation"] = _simulation.to_json(found)
        print(json.dumps(document, indent=2, allow_nan=False))
    else:
        print(format_appraisal(result, language))
        if found is not None:
            print()
            print(_simulation.format_report(found, language=language))
    if found is not None and chosen is not None and chosen.plot is not None:
        for written in _simulation.write_plots(found, chosen.plot, force=args.force):
            progress(f"wrote {written}")
    source_of = provenance(source) if out is not None or printer is not None else None
    pages = uncertainty_report(found) if found is not None else None
    if out is not None:
        from workbook_templates.results import write_results_workbook

        write_results_workbook(
            result,
            out,
            force=args.force,
            warnings=warnings,
            provenance=source_of,
            uncertainty=pages,
            language=language,
        )
        progress(f"wrote the results workbook {out}")
    if printer is not None:
        pdf = write_results_pdf(
            result,
            printer,
            warnings=warnings,
            provenance=source_of,
            uncertainty=pages,
            language=language,
        )
        progress(f"wrote {pdf}")
    return 0


def provenance(source: Path) -> Provenance:
    """Where the report comes from: ``source``'s name and SHA-256, today's date and the
    installed crmvalue's version (from the package metadata).

    Example: ``provenance(Path("case.xlsx")).name`` is ``"case.xlsx"``.
    """
    import datetime
    import hashlib
    from importlib import metadata

    from workbook_templates.results import Provenance

    try:
        version = metadata.version("crmvalue")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = "unknown (not installed)"
    return Provenance(
        name=source.name,
        sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
        date=datetime.date.today().isoformat(),
        version=version,
    )


def uncertainty_report(found: _simulation.Report) -> UncertaintyReport:
    """The scenario table, the tornado data and the Monte Carlo summary and histogram of
    ``found`` (the core's numbers) for the results workbook."""
    from workbook_templates.results import UncertaintyReport

    simulation = found.simulation
    counts, edges = simulation.histogram("npv", bins=_simulation.HISTOGRAM_BINS)
    return UncertaintyReport(
        scenarios=found.scenarios,
        sensitivity=found.sensitivity,
        summary=found.summary,
        counts=counts,
        edges=edges,
        draws=simulation.draws,
        seed=simulation.seed,
        distribution=simulation.distribution,
        correlation=simulation.correlation,
        base_npv=simulation.base_npv,
        measured=None if found.measured is None else found.measured.summary().loc["npv"],
        measured_inputs=() if found.measured is None else found.measured.inputs,
    )


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


def _appraised(inputs: AppraisalInputs, source: Path) -> AppraisalResult:
    """``appraise(inputs)``; a case the core refuses (nothing entered) names the file."""
    from crmvalue_core import CrmValueError
    from crmvalue_core.appraisal import appraise
    from workbook_templates.errors import TemplateError

    try:
        return appraise(inputs)
    except CrmValueError as error:
        raise TemplateError(re.sub(r"^APPRAISAL: ", "", str(error)), path=source) from None


def located_warnings(
    warnings: Sequence[PlausibilityWarning], source: Path, *, workbook: Any = None
) -> tuple[PlausibilityWarning, ...]:
    """``warnings`` (of :func:`~crmvalue_core.appraisal.plausibility_warnings` or
    :func:`~crmvalue_core.appraisal.range_warnings`), each with the sheet and cell of
    ``source`` that holds its value, found by the defined name as the reader finds the
    inputs (``DiscountRate``; ``CrossSellUpliftHigh`` for a high value). ``workbook`` is
    ``source`` as the reader's ``open_template`` opened it, read without opening the file
    again (None: the file is opened).

    Example: a discount rate typed as 1 gives ``sheet 'Inputs', cell C9, DiscountRate
    (discount rate) is 100% (the value 1): ...; did you mean 1%? ...``.
    """
    from workbook_templates._spec import high_name, low_name
    from workbook_templates.reader import read_values
    from workbook_templates.reader.reading import values_of

    if not warnings:
        return ()

    def values(ranges: bool) -> dict[str, Any]:
        if workbook is None:
            return read_values(source, ranges=ranges)
        return values_of(workbook, source, ranges=ranges)

    cells: dict[str, Any] = {}
    if any(warning.side is None for warning in warnings):
        cells.update(values(False))
    if any(warning.side is not None for warning in warnings):
        cells.update(values(True))
    located = []
    for warning in warnings:
        name = {None: warning.name, "low": low_name(warning.name)}.get(
            warning.side, high_name(warning.name)
        )
        found = cells.get(name)
        if isinstance(found, list):
            found = next((cell for cell in found if cell.year == warning.year), None)
        located.append(warning if found is None else warning.at(found.sheet, found.cell))
    return tuple(located)


def write_results_pdf(
    result: AppraisalResult,
    printer: PdfPrinter,
    *,
    warnings: Sequence[PlausibilityWarning] = (),
    provenance: Provenance | None = None,
    uncertainty: UncertaintyReport | None = None,
    language: str = "en",
) -> Path:
    """Print the Results sheet of the results workbook of ``result`` (with its
    ``warnings``, ``provenance`` and ``uncertainty`` pages, in ``language``) with
    ``printer``; return the PDF's path."""
    from workbook_templates.results import write_results_workbook

    progress("printing the results to PDF with LibreOffice")
    with tempfile.TemporaryDirectory(prefix="crmvalue-pdf-") as scratch:
        workbook = write_results_workbook(
            result,
            Path(scratch) / "results.xlsx",
            warnings=warnings,
            provenance=provenance,
            uncertainty=uncertainty,
            language=language,
        )
        return printer.print(workbook, sheet="Results")
