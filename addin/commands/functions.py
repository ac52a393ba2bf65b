"""``crmvalue functions``: list the Excel functions (filled in by the add-in work)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("functions", help="list the Excel functions")
    parser.add_argument("name", nargs="?", help="a function name for its full help")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print("the function registry is not built yet")
    return 1
