"""The errors of the ``crmvalue`` command line."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A user mistake at the command line (a missing file, an output that exists...).

    The message says what is wrong, where, and how to fix it; the CLI prints it and exits
    with status 2.
    """
