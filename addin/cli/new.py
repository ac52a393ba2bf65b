"""``crmvalue new PATH``: write a fresh appraisal template to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import check_outputs
from .errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``new`` command."""
    parser = subparsers.add_parser(
        "new",
        help="write a fresh appraisal template",
        description="Write a fresh copy of the CRM appraisal template workbook to fill in.",
    )
    parser.add_argument("path", metavar="FILE.xlsx", help="where to write it, e.g. my_case.xlsx")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--language",
        choices=("en", "zh-CN"),
        default="en",
        help="language of the workbook's texts: en (default) or zh-CN (Simplified Chinese)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the template to ``args.path``.

    The packaged template of the ``--language`` is copied (it is the builder's output,
    byte for byte), so the command starts without the calculator, pandas or openpyxl.
    """
    from workbook_templates.files import template_bytes, write_atomically

    target = Path(args.path)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(
            f"{target}: the template is an .xlsx workbook; give a name ending in .xlsx"
        )
    check_outputs([target], force=args.force)
    language = getattr(args, "language", "en")
    write_atomically(target, template_bytes(language), force=args.force)
    print(f"wrote {target}: fill in the Inputs sheet, then run: crmvalue appraise {target}")
    return 0
