"""How the numbers of a CSV export are written: the decimal mark and the thousands separator.

A German shop export writes one thousand one hundred seventy-seven euros as ``1.177,00``,
a US export as ``1,177.00``, a Swiss one as ``1'177.00``, a French one as ``1 177,00``. A
:class:`NumberStyle` names one such way (``--decimal``, ``--thousands``) and
:func:`parse_numbers` reads text in it, strictly: digits, an optional sign, the decimal
mark, and the thousands separator only between groups of exactly three digits. Anything
else (``1.17,5``, a currency sign) is not a number, so a wrong style is refused, never
read as a wrong number.

:func:`settle_style` decides the style of a file whose options say ``auto`` from a sample
of its number columns, and refuses what it cannot tell:

* a decimal comma is taken on its own only in a semicolon-separated file (the usual
  European layout); elsewhere ``11,77`` asks for ``--decimal comma``;
* a thousands separator is taken when the sample shows it unambiguously (``1,177.00``:
  a point decimal after comma groups of three; ``1.177,00``);
* a value that reads as two different numbers in the styles the sample allows (``1,177``:
  1177 or 1.177) or a column mixing styles (``11,77`` and ``1,177.00``) is refused with a
  message naming the value, its line and the options to pass.

Text only: the numbers themselves are computed by :mod:`crmvalue_core`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .columns import DECIMALS, THOUSANDS

__all__ = [
    "DECIMALS",
    "PLAIN",
    "THOUSANDS",
    "NumberStyle",
    "StyleProblem",
    "parse_numbers",
    "settle_style",
    "style_hint",
]

_SHOWN = {"point": "'.'", "comma": "','", "space": "a space", "apostrophe": "an apostrophe"}


@dataclass(frozen=True)
class NumberStyle:
    """One way of writing numbers: the decimal mark and the thousands separator, by name.

    >>> NumberStyle("comma", "point").describe()
    "a decimal comma and '.' between thousands"
    >>> NumberStyle().plain, NumberStyle("comma", "point").options()
    (True, '--decimal comma --thousands point')
    """

    decimal: str = "point"
    thousands: str = "none"
    #: the currency sign every amount of the file carries (``¥539.00``), taken off before
    #: the number is read (:mod:`addin.tables.money_text`); None: no sign
    sign: str | None = None

    @property
    def plain(self) -> bool:
        """True for the standard style: a decimal point, no thousands separator, no sign."""
        return self.decimal == "point" and self.thousands == "none" and self.sign is None

    def describe(self) -> str:
        """The style in words, for messages."""
        mark = f"a decimal {self.decimal}"
        if self.thousands == "none":
            return f"{mark} and no thousands separator"
        return f"{mark} and {_SHOWN[self.thousands]} between thousands"

    def with_sign(self, sign: str | None) -> NumberStyle:
        """This style with the currency sign ``sign``."""
        return NumberStyle(self.decimal, self.thousands, sign)

    def options(self) -> str:
        """The options that choose this style."""
        return f"--decimal {self.decimal} --thousands {self.thousands}"

    def pattern(self) -> str:
        """The regular expression a whole number text matches in this style."""
        decimal = re.escape(DECIMALS[self.decimal])
        whole = r"\d+"
        if self.thousands != "none":
            group = "[" + re.escape(THOUSANDS[self.thousands]) + "]"
            whole = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)"
        return rf"[+-]?(?:{whole}(?:{decimal}\d*)?|{decimal}\d+)"


PLAIN = NumberStyle()

#: Every style, the simplest first: the order in which an undecided sample is settled.
STYLES = tuple(
    NumberStyle(decimal, thousands)
    for thousands in THOUSANDS
    for decimal in DECIMALS
    if DECIMALS[decimal] not in THOUSANDS[thousands]
)


def parse_numbers(text: pd.Series, style: NumberStyle) -> np.ndarray:
    """The numbers that ``text`` (stripped strings) writes in ``style``; NaN where a text
    is not a number in that style.

    The thousands separator must sit between groups of three digits, so ``1.17,5`` is not
    a number in the German style, and ``1,177`` is 1177 only with ``--thousands comma``.

    >>> text = pd.Series(["1.177,00", "11,77", "-3", "1.17,5", "12.50", "12.500"])
    >>> parse_numbers(text, NumberStyle("comma", "point")).tolist()
    [1177.0, 11.77, -3.0, nan, nan, 12500.0]
    >>> parse_numbers(pd.Series(["1,177.00", "1 177.5", "11.77"]), NumberStyle("point", "comma"))
    array([1177.  ,    nan,   11.77])
    """
    text = text.astype("str")
    fits = np.array(text.str.fullmatch(style.pattern()).fillna(False), dtype=bool)
    numbers = np.full(len(text), np.nan)
    if not fits.any():
        return numbers
    kept = text[fits]
    for char in THOUSANDS[style.thousands]:
        kept = kept.str.replace(char, "", regex=False)
    if style.decimal != "point":
        kept = kept.str.replace(DECIMALS[style.decimal], ".", regex=False)
    numbers[fits] = kept.astype("float64").to_numpy(dtype=float)  # each fits: a float's text
    return numbers


def style_hint(value: str, style: NumberStyle) -> str:
    """What to pass when ``value`` is not a number in ``style`` but is one in another.

    >>> print(style_hint("1.177,00", NumberStyle()))
    ; if the file writes numbers like that (a decimal comma and '.' between thousands), pass
    --decimal comma --thousands point
    >>> style_hint("12 EUR", NumberStyle())
    ''
    """
    text = pd.Series([value.strip()])
    for other in STYLES:
        if other != style and np.isfinite(parse_numbers(text, other)[0]):
            return (
                f"; if the file writes numbers like that ({other.describe()}), pass "
                f"{other.options()}"
            )
    return ""


class StyleProblem(Exception):
    """The style of the numbers cannot be told; ``row`` (0-based, in the sample) and
    ``column`` say where, ``text`` what to do."""

    def __init__(self, row: int, column: str, text: str) -> None:
        super().__init__(row, column, text)
        self.row = row
        self.column = column
        self.text = text


def settle_style(
    sample: pd.DataFrame,
    columns: list[str],
    *,
    decimal: str = "auto",
    thousands: str = "auto",
    semicolons: bool = False,
    where: Callable[[int], str] = str,
) -> NumberStyle:
    """The style of the number ``columns`` of ``sample`` (text, the first rows of a file).

    ``decimal`` and ``thousands`` are the options (a name, or ``"auto"``); a decimal comma
    is found on its own only when ``semicolons`` (the file is semicolon-separated). Among
    the styles that read every number-like value of the sample, the simplest is taken when
    they all give the same numbers; otherwise :class:`StyleProblem` names the value and the
    options to pass. ``where`` turns a sample row into the user's terms for messages.

    >>> german = pd.DataFrame({"amount": ["11,77", "1.177,00", "3"]})
    >>> settle_style(german, ["amount"], semicolons=True)
    NumberStyle(decimal='comma', thousands='point')
    >>> settle_style(pd.DataFrame({"amount": ["1,177.00", "5"]}), ["amount"])
    NumberStyle(decimal='point', thousands='comma')
    >>> try:
    ...     settle_style(pd.DataFrame({"amount": ["1,177", "5"]}), ["amount"])
    ... except StyleProblem as problem:
    ...     print(problem.text)
    holds '1,177', which reads as 1.177 (--decimal comma --thousands none) or 1177 (--decimal
    point --thousands comma); pass the options that fit
    """
    permitted = [
        style
        for style in STYLES
        if decimal in ("auto", style.decimal) and thousands in ("auto", style.thousands)
    ]
    allowed = [s for s in permitted if decimal != "auto" or s.decimal == "point" or semicolons]
    found = _number_like(sample, columns)
    texts = pd.Series([text for _, _, text in found], dtype="str")
    read = {style: parse_numbers(texts, style) for style in STYLES}
    fits = {style: np.isfinite(numbers) for style, numbers in read.items()}
    candidates = list(allowed)
    plausible = list(permitted)  # the styles the sample allows, a decimal comma included
    for i, (row, column, text) in enumerate(found):
        if not any(fits[style][i] for style in allowed):
            fitting = next((s for s in permitted if fits[s][i]), None) or next(
                s for s in STYLES if fits[s][i]
            )
            raise StyleProblem(
                row,
                column,
                f"holds the text {text!r}, a number written with {fitting.describe()}; pass "
                f"{_needed(fitting, decimal, thousands)} if the file writes numbers like that",
            )
        kept = [style for style in candidates if fits[style][i]]
        if not kept:
            clash = [j for j in range(i) if not any(fits[s][j] and fits[s][i] for s in STYLES)]
            first_row, first_column, first = found[clash[0] if clash else 0]
            raise StyleProblem(
                row,
                column,
                f"holds {text!r}, written in another way than {first!r} "
                f"({where(first_row)}, column {first_column!r}); write the numbers of the "
                "file alike, or pass --decimal and --thousands",
            )
        candidates = kept
        plausible = [style for style in plausible if fits[style][i]]  # holds the candidates
    standard = decimal == "auto" and not semicolons
    for i, (row, column, text) in enumerate(found):
        if standard and fits[PLAIN][i]:
            continue  # a decimal point is the standard outside semicolon files
        readings = _distinct(plausible, read, fits, i)
        if len(readings) > 1:
            said = " or ".join(f"{read[s][i]:.15g} ({s.options()})" for s in readings)
            raise StyleProblem(
                row, column, f"holds {text!r}, which reads as {said}; pass the options that fit"
            )
    return candidates[0]


def _distinct(
    styles: list[NumberStyle],
    read: dict[NumberStyle, np.ndarray],
    fits: dict[NumberStyle, np.ndarray],
    i: int,
) -> list[NumberStyle]:
    """The first style of each distinct reading of value ``i``."""
    seen: dict[float, NumberStyle] = {}
    for style in styles:
        if fits[style][i]:
            seen.setdefault(float(read[style][i]), style)
    return list(seen.values())


def _needed(style: NumberStyle, decimal: str, thousands: str) -> str:
    """The options to pass for ``style`` given the options already passed."""
    parts = []
    if decimal != style.decimal and (decimal != "auto" or style.decimal != "point"):
        parts.append(f"--decimal {style.decimal}")
    if thousands != style.thousands and (thousands != "auto" or style.thousands != "none"):
        parts.append(f"--thousands {style.thousands}")
    return " ".join(parts) or style.options()


def _number_like(sample: pd.DataFrame, columns: list[str]) -> list[tuple[int, str, str]]:
    """The distinct texts of the columns that are numbers in some style: (row, column,
    text), in file order (the row of each text's first appearance)."""
    found: list[tuple[int, str, str]] = []
    for column in columns:
        text = sample[column].astype("str").str.strip()
        first = ~text.duplicated() & text.ne("")
        distinct = text[first]
        some = np.zeros(len(distinct), dtype=bool)
        for style in STYLES:
            some |= np.array(distinct.str.fullmatch(style.pattern()).fillna(False), dtype=bool)
        rows = np.flatnonzero(first.to_numpy())[some]
        found += [(int(r), column, t) for r, t in zip(rows, distinct[some], strict=True)]
    found.sort(key=lambda item: item[0])
    return found
