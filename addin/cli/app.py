"""The ``crmvalue`` command line.

Each command lives in its own module under :mod:`addin.cli` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a ``run(args) -> int``.
What goes wrong ends the command as :mod:`addin.cli.errors` says: a user mistake
(:class:`~addin.cli.errors.UsageError` or :class:`crmvalue_core.CrmValueError`) prints one
clear line to stderr and exits with status 2, a failed external program (LibreOffice) one
line and status 3, never a traceback; an interrupt exits with 130, a closed output pipe
with 141.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import errors

#: The command modules, in the order ``crmvalue --help`` lists them.
COMMANDS = ("demo", "new", "appraise", "score", "baseline", "functions")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="crmvalue",
        description="Appraise a CRM investment and measure customer value.",
        epilog=errors.exit_status_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the epilog is a table
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"addin.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``crmvalue`` with ``argv`` (default: the process arguments); return the exit code.

    Start-up stays lean: the parser imports only the command modules, and each command
    imports what it needs when it runs (``crmvalue --help`` and ``crmvalue new`` never load
    the calculator).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return errors.USER_MISTAKE.code
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is handled below
        return code
    except (KeyboardInterrupt, Exception) as error:
        ending = errors.outcome(error, args.command)
        if ending is None:
            raise
        if ending.status is errors.BROKEN_PIPE:
            _discard_stdout()
        if ending.message is not None:
            print(ending.message, file=sys.stderr)
        return ending.status.code


def _discard_stdout() -> None:
    """Send what is left of stdout to the null device: the reader of the output went away
    (``crmvalue appraise x.xlsx | head``), and Python would complain again when it flushes
    stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
