"""crmvalue_core: the pure calculator behind crmvalue.

Every formula of crmvalue lives here (numpy, pandas, scipy; no spreadsheet libraries and
no I/O). The Excel add-in (``addin``) and the template workbook (``workbook_templates``)
are thin layers over these functions.
"""

from ._inputs import CrmValueError

__all__ = ["CrmValueError"]
