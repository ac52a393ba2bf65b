"""How a ``crmvalue`` command ends when something goes wrong: one line, one exit status.

The one mapping from what went wrong to what the user sees:

====  ===========================================================================
0     the command did its work
2     a mistake in the command or its input: a :class:`UsageError` (a missing file,
      an output that exists, a bad option) or a :class:`crmvalue_core.CrmValueError`
      (a bad value; a :class:`~workbook_templates.errors.FileError`: a file that
      cannot be read or written as asked; a
      :class:`~workbook_templates.errors.TemplateError`: a workbook that is not a
      usable template). stderr: ``crmvalue COMMAND: <what is wrong and how to fix it>``
3     an external program failed (a :class:`~workbook_templates.errors.ToolError`:
      LibreOffice missing, crashed or timed out); not the user's input. stderr:
      ``crmvalue COMMAND: <which program, on which file, what to try>``
130   interrupted (Ctrl-C); stderr says that no output was written
141   the reader of the output went away (``crmvalue appraise x.xlsx | head``); quiet
====  ===========================================================================

Never a traceback for these; any other exception is a bug and shows its traceback.
``crmvalue --help`` prints the same table (:func:`exit_status_help`).

This module imports nothing heavy: the calculator and the workbook layer are looked at
only when an error is being classified, and only if they were loaded at all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

__all__ = [
    "BROKEN_PIPE",
    "EXIT_STATUSES",
    "INTERRUPTED",
    "SUCCESS",
    "TOOL_FAILED",
    "USER_MISTAKE",
    "ExitStatus",
    "Outcome",
    "UsageError",
    "exit_status_help",
    "outcome",
]


class UsageError(Exception):
    """A user mistake at the command line (a missing file, an output that exists...).

    The message says what is wrong, where, and how to fix it; the CLI prints it and exits
    with status 2.
    """


@dataclass(frozen=True)
class ExitStatus:
    """An exit status of ``crmvalue`` and what it means, in the words of ``--help``."""

    code: int
    meaning: str


SUCCESS = ExitStatus(0, "done")
USER_MISTAKE = ExitStatus(2, "a mistake in the command or its input (the message says what to fix)")
TOOL_FAILED = ExitStatus(3, "an external program (LibreOffice) is missing, failed or timed out")
INTERRUPTED = ExitStatus(130, "interrupted (no output was written)")
BROKEN_PIPE = ExitStatus(141, "the reader of the output went away (as with | head)")
#: Every exit status, in order.
EXIT_STATUSES = (SUCCESS, USER_MISTAKE, TOOL_FAILED, INTERRUPTED, BROKEN_PIPE)


@dataclass(frozen=True)
class Outcome:
    """How a command ends on an exception: its exit status and the line for stderr
    (``None``: nothing is printed)."""

    status: ExitStatus
    message: str | None


def outcome(error: BaseException, command: str) -> Outcome | None:
    """How ``crmvalue COMMAND`` ends on ``error``; None for an unexpected error (a bug),
    which should raise with its traceback.

    >>> ending = outcome(UsageError("x.xlsx: no such file; check the path"), "appraise")
    >>> ending.status.code, ending.message
    (2, 'crmvalue appraise: x.xlsx: no such file; check the path')
    >>> outcome(KeyboardInterrupt(), "demo").status is INTERRUPTED
    True
    >>> outcome(ZeroDivisionError("a bug"), "demo") is None
    True
    """
    if isinstance(error, KeyboardInterrupt):
        return Outcome(INTERRUPTED, f"crmvalue {command}: interrupted; no output was written")
    if isinstance(error, BrokenPipeError):
        return Outcome(BROKEN_PIPE, None)
    if isinstance(error, UsageError) or _raised_by(error, "crmvalue_core.errors", "CrmValueError"):
        return Outcome(USER_MISTAKE, f"crmvalue {command}: {error}")
    if _raised_by(error, "workbook_templates.errors", "ToolError"):
        return Outcome(TOOL_FAILED, f"crmvalue {command}: {error}")
    return None


def _raised_by(error: BaseException, module: str, name: str) -> bool:
    """Whether ``error`` is a ``module.name``. A module that was never imported cannot have
    raised it, so it is not imported here (a command that did not load the calculator
    ends without loading it)."""
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None) if loaded is not None else None
    return kind is not None and isinstance(error, kind)


def exit_status_help() -> str:
    """The exit statuses as a table, for the epilog of ``crmvalue --help``."""
    rows = [f"  {status.code:<4} {status.meaning}" for status in EXIT_STATUSES]
    return "\n".join(["exit status:", *rows])
