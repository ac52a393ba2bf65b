"""Money written with a currency sign or code, as CRMs export it: ``¥539.00``, ``539元``.

Exports often write the currency into every amount: ``¥539.00`` and ``￥1,234.50``
(Chinese systems; the second sign is the full-width one), ``539元``, ``1 234,50 €``,
``USD 1,234.50``, ``$1,177.00``. :func:`split_currency` takes the sign off, before or
after the number, when it is the only extra text in the cell: a currency sign in common
use or an ISO 4217 code (``RMB`` too, the everyday name of the yuan). The number that is
left goes to the usual number reading (decimal and thousands separators).

The sign must be the same on every row of the column: one column, one currency. A row
with another sign, or with none where the others have one, is reported (the reader names
its line), never converted silently.

Example:

>>> import pandas as pd
>>> found = split_currency(pd.Series(["¥539.00", "¥1,234.50", "", "¥12"]))
>>> found.sign, found.numbers.tolist(), found.differs.tolist()
('¥', ['539.00', '1,234.50', '', '12'], [False, False, False, False])
>>> split_currency(pd.Series(["539元", "USD 12"])).differs.tolist()
[False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmvalue_core.currencies import ISO_4217_CODES

__all__ = ["CURRENCY_SIGNS_IN_TEXT", "MoneyText", "split_currency"]

#: The signs read before or after an amount, besides the ISO 4217 codes.
CURRENCY_SIGNS_IN_TEXT: frozenset[str] = frozenset(
    {
        "¥", "￥", "元", "円", "RMB", "$", "US$", "€", "£", "₩", "₹", "₽", "₺", "₪", "₫",
        "R$", "HK$", "S$", "A$", "CA$", "NZ$", "NT$", "MX$", "kr", "kr.", "zł", "Kč", "Ft",
        "Fr.", "R",
    }
)  # fmt: skip
_AMOUNT = (
    r"^\s*(?P<before>[^\d\s+\-.,]{1,4}?)?\s*(?P<number>[-+]?\d(?:[\d.,'\u00a0\u202f ]*\d)?)"
    r"\s*(?P<after>[^\d\s]{1,4})?\s*$"
)


@dataclass(frozen=True)
class MoneyText:
    """The amounts without their sign, the sign of the column, and the rows that differ.

    ``numbers``: the text of each cell with the sign taken off (unchanged where there was
    none); ``sign``: the column's sign as written (None: no cell has one); ``differs``:
    True for each amount whose sign is not the column's (another sign, or none where the
    column has one).
    """

    numbers: pd.Series
    sign: str | None
    differs: np.ndarray


def _is_sign(text: str) -> bool:
    return text in CURRENCY_SIGNS_IN_TEXT or text.upper() in ISO_4217_CODES


def split_currency(texts: pd.Series, expected: str | None = None) -> MoneyText:
    """Take the currency sign off each amount of ``texts`` (see the module's description).

    ``expected`` is the sign earlier parts of the same column had (a file read in chunks
    keeps one sign from its first chunk to its last). Each distinct text is looked at once.
    """
    codes, uniques = pd.factorize(texts.astype("str"))
    if not len(uniques):
        return MoneyText(texts, None, np.zeros(len(texts), dtype=bool))
    parts = pd.Series(uniques, dtype="str").str.extract(_AMOUNT)
    before, after = parts["before"].fillna(""), parts["after"].fillna("")
    before_ok = before.map(_is_sign) | (before == "")
    after_ok = after.map(_is_sign) | (after == "")
    usable = parts["number"].notna() & before_ok & after_ok & ((before == "") | (after == ""))
    usable = usable.to_numpy()
    signs = np.where(usable, (before + after).to_numpy(dtype=object), None)
    if not any(signs[usable]):
        return MoneyText(texts, None, np.zeros(len(texts), dtype=bool))
    stripped = np.where(usable, parts["number"].to_numpy(dtype=object), uniques)
    seen = codes >= 0
    row_signs = np.full(len(texts), None, dtype=object)
    row_signs[seen] = signs[codes[seen]]
    sign = expected
    if sign is None:
        first = np.flatnonzero([bool(found) for found in row_signs])
        sign = str(row_signs[first[0]])
    # A cell that is not an amount with a sign (blank, other text) is left to the number
    # reading, which says what is wrong with it.
    read = np.array([found is not None for found in row_signs], dtype=bool)
    differs = read & (row_signs != sign)
    numbers = pd.Series(texts.astype("str").to_numpy(dtype=object), index=texts.index)
    numbers[seen] = stripped[codes[seen]]
    return MoneyText(numbers.astype("str"), sign, differs)
