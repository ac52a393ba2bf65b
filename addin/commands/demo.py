"""``crmvalue demo``: appraise the built-in demo case (filled in with the appraisal model)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="appraise the built-in demo case")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print("the demo case is not built yet")
    return 1
