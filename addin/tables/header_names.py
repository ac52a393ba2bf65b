"""Recognising the customer, date and amount columns of an export by their header names.

CRMs name these columns in their own words: Zoho CRM writes "Account Name", "Invoice Date"
and "Grand Total"; Chinese CRMs such as Fxiaoke (纷享销客) and 72crm (悟空CRM) write
客户名称, 下单日期 and 订单金额. When the command-line option for a column is not given
and the file has no column of the documented name (``customer_id``, ``date``,
``amount``), :func:`recognise_columns` looks for one of the usual names below (compared
without case, spaces, underscores or hyphens). Exactly one match is taken, and the command
says in one line which columns it took; two columns that could both be the same thing are
refused with the option to choose; none leaves the documented name, so the usual "no
column" message names the option.

Example:

>>> from addin.tables.columns import Columns
>>> columns, note = recognise_columns(("Account Name", "Invoice Date", "Grand Total"), Columns())
>>> columns.customer_id, columns.date, columns.amount
('Account Name', 'Invoice Date', 'Grand Total')
>>> note.split(" by ")[0]
"took the columns 'Account Name' (customer), 'Invoice Date' (date), 'Grand Total' (amount)"
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Sequence

from ..cli.errors import UsageError
from .columns import OPTIONS, Columns

__all__ = ["KNOWN_NAMES", "recognise_columns"]

#: The usual header names of each column of a transaction log, in English and Chinese.
KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id",
        "customer",
        "customer id",
        "customer name",
        "customer number",
        "customer no",
        "account",
        "account id",
        "account name",
        "client",
        "client id",
        "client name",
        "客户",
        "客户名称",
        "客户编号",
        "客户id",
        "客户代码",
        "客户姓名",
    ),
    "date": (
        "date",
        "order date",
        "invoice date",
        "closing date",
        "close date",
        "transaction date",
        "purchase date",
        "sales date",
        "日期",
        "下单日期",
        "下单时间",
        "订单日期",
        "签约日期",
        "成交日期",
        "交易日期",
    ),
    "amount": (
        "amount",
        "grand total",
        "total",
        "order amount",
        "invoice amount",
        "sales amount",
        "revenue",
        "金额",
        "订单金额",
        "合同金额",
        "成交金额",
        "交易金额",
        "实付金额",
    ),
}
_WORDS = {"customer_id": "customer", "date": "date", "amount": "amount"}


def _key(name: str) -> str:
    """A header name as compared: lower case, without spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


_KNOWN_KEYS = {field: {_key(name) for name in names} for field, names in KNOWN_NAMES.items()}


def recognise_columns(
    header: Sequence[str], columns: Columns, given: Collection[str] = ()
) -> tuple[Columns, str | None]:
    """``columns`` with the customer, date and amount columns found by name, and the note.

    ``given`` holds the fields whose option the user gave (those are kept as given). A
    field whose documented name is in ``header`` is kept too. Two header names that could
    be the same field are a :class:`~addin.cli.errors.UsageError` naming the option.
    """
    stripped = {name.strip() for name in header}
    taken: dict[str, str] = {}
    for field, known in _KNOWN_KEYS.items():
        current = getattr(columns, field)
        if field in given or current.strip() in stripped:
            continue
        matches = [name for name in header if _key(name) in known]
        if len(matches) > 1:
            option = OPTIONS[field][0]
            shown = " and ".join(repr(name) for name in matches)
            raise UsageError(
                f"the columns {shown} could both be the {_WORDS[field]}; choose one with "
                f"{option} COLUMN"
            )
        if matches:
            taken[field] = matches[0]
    if not taken:
        return columns, None
    used = list(taken.values())
    if len(set(used)) < len(used):  # one column named like two things: let the user say
        return columns, None
    listed = ", ".join(f"{name!r} ({_WORDS[field]})" for field, name in taken.items())
    options = ", ".join(OPTIONS[field][0] for field in taken)
    note = f"took the columns {listed} by their names; map others with {options}"
    return dataclasses.replace(columns, **taken), note
