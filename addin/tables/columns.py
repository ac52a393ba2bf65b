"""The columns ``crmvalue score`` reads, and the options that map them (no heavy imports).

Kept apart from the readers and writers of :mod:`addin.tables` so that building the
command-line parser does not load numpy or pandas.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Columns:
    """Which column of the input holds what (the defaults are the documented names)."""

    customer_id: str = "customer_id"
    date: str = "date"
    amount: str = "amount"
    frequency: str = "frequency"
    recency: str = "recency"
    age: str = "age"
    monetary: str = "monetary_value"
    actual_value: str | None = None
    strategic_value: str | None = None


#: The command-line option that maps each column, and what the column holds.
OPTIONS = {
    "customer_id": ("--customer-id", "the customer of each row"),
    "date": ("--date", "the date of each transaction"),
    "amount": ("--amount", "the value of each transaction"),
    "frequency": ("--frequency", "the repeat purchases of each customer"),
    "recency": ("--recency", "the time from first to last purchase"),
    "age": ("--age", "the time from first purchase to the end of the observation period"),
    "monetary": ("--monetary", "the mean value of the repeat purchases"),
    "actual_value": ("--actual-value", "the actual value of each customer"),
    "strategic_value": ("--strategic-value", "the strategic value of each customer"),
}
TRANSACTION_FIELDS = ("customer_id", "date", "amount")
CUSTOMER_FIELDS = ("customer_id", "frequency", "recency", "age", "monetary")
VALUE_FIELDS = ("actual_value", "strategic_value")

#: How numbers are written: the decimal marks ``--decimal`` takes, the thousands separators
#: ``--thousands`` takes (a space may be a no-break or narrow no-break space, an apostrophe
#: a typographic one); ``auto`` tells them from the file (:mod:`addin.tables.numbers`).
DECIMALS = {"point": ".", "comma": ","}
THOUSANDS = {
    "none": "",
    "point": ".",
    "comma": ",",
    "space": " \u00a0\u202f",
    "apostrophe": "'\u2019",
}
