"""A small stand-in add-in for the LibreOffice binding tests (plain Python, no xlwings).

Its functions show what the bridge hands over and gives back, independently of
:mod:`addin.udfs`: argument types, left-out arguments, tables, errors.
"""

from __future__ import annotations

from typing import Any


def ECHO_ARGS(*args: Any) -> str:
    """The arguments as Python sees them, as text: ``repr`` of the tuple."""
    return repr(args)


def SUM_FLOWS(rate: Any, flows: Any, costs: Any = None) -> float:
    """Discounted sum of a list of flows (period 0 first), minus ``costs`` when given."""
    net = [
        (f or 0.0) - ((costs[i] or 0.0) if costs is not None else 0.0) for i, f in enumerate(flows)
    ]
    return sum(value / (1 + rate) ** t for t, value in enumerate(net))


def TABLE_OF(rows: Any, cols: Any) -> list[list[Any]]:
    """A ``rows`` x ``cols`` table: row labels then ``r * 10 + c``."""
    return [
        [f"r{r}"] + [r * 10.0 + c for c in range(1, int(cols))] for r in range(1, int(rows) + 1)
    ]


def FAIL_WITH(message: Any) -> None:
    """Raise ``ValueError(message)``."""
    raise ValueError(str(message))
