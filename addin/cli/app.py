"""The ``crmvalue`` command line.

Each command lives in its own module under :mod:`addin.cli` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a ``run(args) -> int``.
A user mistake (:class:`crmvalue_core.CrmValueError` or :class:`addin.cli.errors.UsageError`)
prints one clear message to stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

#: The command modules, in the order ``crmvalue --help`` lists them.
COMMANDS = ("demo", "new", "appraise", "score", "functions")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="crmvalue",
        description="Appraise a CRM investment and measure customer value.",
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
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is handled below
        return code
    except KeyboardInterrupt:
        print(f"crmvalue {args.command}: interrupted; no output was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of the output went away (``crmvalue appraise x.xlsx | head``): stop
        # quietly, and keep Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141
    except Exception as error:
        if not _user_mistake(error):
            raise
        print(f"crmvalue {args.command}: {error}", file=sys.stderr)
        return 2


def _user_mistake(error: Exception) -> bool:
    """Whether ``error`` is a user mistake: a :class:`addin.cli.errors.UsageError` or a
    :class:`crmvalue_core.CrmValueError` (the calculator is imported here, not at start-up,
    so a command that does not need it starts faster)."""
    from .errors import UsageError

    if isinstance(error, UsageError):
        return True
    from crmvalue_core import CrmValueError

    return isinstance(error, CrmValueError)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
