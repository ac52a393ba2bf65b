"""The ``crmvalue`` command line: :func:`main` runs it; each command is a module here."""

from __future__ import annotations

from .app import build_parser, main

__all__ = ["build_parser", "main"]
