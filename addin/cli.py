"""The ``crmvalue`` command line.

Each command lives in its own module under :mod:`addin.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a ``run(args) -> int``.
A user mistake (:class:`crmvalue_core.CrmValueError` or :class:`addin.commands.UsageError`)
prints one clear message to stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

#: The command modules, in the order ``crmvalue --help`` lists them.
COMMANDS = ("demo", "functions")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="crmvalue",
        description="Appraise a CRM investment and measure customer value.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"addin.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``crmvalue`` with ``argv`` (default: the process arguments); return the exit code."""
    from crmvalue_core import CrmValueError

    from .commands import UsageError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (CrmValueError, UsageError) as error:
        print(f"crmvalue {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"crmvalue {args.command}: interrupted; no output was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
