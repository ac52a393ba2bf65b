"""``crmvalue functions``: list the Excel functions, or print one function's full help.

Everything printed comes from :mod:`addin.excel.registry`, the same registry the UDFs and the
documentation are made from.
"""

from __future__ import annotations

import argparse
import difflib
import textwrap
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from addin.excel.registry import ExcelFunction

# The registry is imported by the functions below, when the command runs: the other
# commands do not need it, and every command builds this command's parser.

_WIDTH = 88


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``functions`` command to the ``crmvalue`` parser."""
    parser = subparsers.add_parser(
        "functions",
        help="list the Excel functions, or show one function's help",
        description="List every Excel function with its signature and a one-line "
        "description, or print the full help of one function with examples.",
    )
    parser.add_argument(
        "name", nargs="?", metavar="NAME", help="a function name for its full help, e.g. CLV"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the listing, or the help of ``args.name``; an unknown name is a UsageError."""
    from addin.excel.registry import find

    if not args.name:
        print(listing(), end="")
        return 0
    function = find(args.name)
    if function is None:
        raise UsageError(unknown_name_message(args.name))
    print(help_text(function), end="")
    return 0


def unknown_name_message(name: str) -> str:
    """What to tell a user who asked for a function that does not exist."""
    from addin.excel.registry import REGISTRY

    close = difflib.get_close_matches(name.strip().upper(), list(REGISTRY), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    return (
        f"there is no Excel function called {name!r}.{hint} Run 'crmvalue functions' for the list."
    )


def listing() -> str:
    """Every function, by section: signature and one-line description."""
    from addin.excel.registry import FUNCTIONS, SECTIONS

    lines = [f"{len(FUNCTIONS)} Excel functions (category {FUNCTIONS[0].category!r}):", ""]
    for section in SECTIONS:
        lines.append(section)
        for function in FUNCTIONS:
            if function.section != section:
                continue
            lines.append(f"  {function.signature}")
            lines += textwrap.wrap(
                function.summary, _WIDTH, initial_indent="      ", subsequent_indent="      "
            )
        lines.append("")
    lines.append("Run 'crmvalue functions NAME' for a function's full help and examples.")
    return "\n".join(lines) + "\n"


def help_text(function: ExcelFunction) -> str:
    """The full help of one function: description, arguments, result and examples."""
    from addin.excel.registry import RETURNS_IN_WORDS

    lines = [function.signature, ""]
    lines += textwrap.wrap(function.description, _WIDTH)
    lines += ["", "Arguments:"]
    for arg in function.args:
        lines.append(f"  {arg.shown} ({arg.kind})")
        lines += textwrap.wrap(arg.doc, _WIDTH, initial_indent="      ", subsequent_indent="      ")
    lines += ["", f"Returns: {RETURNS_IN_WORDS[function.returns]}", "", "Examples:"]
    for example in function.examples:
        lines.append(f"  ={example.formula}")
        lines += textwrap.wrap(
            f"-> {example.shows}",
            _WIDTH,
            initial_indent="      ",
            subsequent_indent="         ",
            break_on_hyphens=False,
        )
        for note in (example.where, "" if example.source == "catalogue" else example.source):
            if note:
                lines += textwrap.wrap(
                    f"({note})", _WIDTH, initial_indent="      ", subsequent_indent="       "
                )
    lines += [
        "",
        f"Category: {function.category}. Section: {function.section}.",
        f"Python: {function.core}({', '.join(function.arg_names)})",
    ]
    return "\n".join(lines) + "\n"
