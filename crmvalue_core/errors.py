"""The one exception type of the calculator.

Every public function of :mod:`crmvalue_core` meets bad input with a
:class:`CrmValueError` whose message starts with the Excel name of the function, says what
is wrong, where, and how to fix it. The layers above add their own types for their own
concerns (a workbook that cannot be read, a command-line mistake, an external program that
failed); a bad value is always a :class:`CrmValueError`.
"""

from __future__ import annotations

__all__ = ["CrmValueError"]


class CrmValueError(ValueError):
    """Bad input to a crmvalue calculator.

    The message starts with the Excel name of the function and says what is wrong,
    where, and how to fix it, e.g.
    ``NPV_CRM: flows item 3 is the text 'n/a'; enter a number or leave it blank``.

    >>> from crmvalue_core import npv_crm
    >>> try:
    ...     npv_crm(0.1, [-100, "n/a", 60])
    ... except CrmValueError as error:
    ...     print(error)
    NPV_CRM: flows item 2 is the text 'n/a'; enter a number or leave it blank
    """
