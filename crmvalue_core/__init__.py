"""crmvalue_core: the pure calculator behind crmvalue.

Every formula of crmvalue lives here (numpy, pandas, scipy; no spreadsheet libraries and
no I/O). The Excel add-in (``addin``) and the template workbook (``workbook_templates``)
are thin layers over these functions. Modules by subject:

- :mod:`.discounting`: NPV, IRR, MIRR, XNPV, XIRR (period-0 convention);
- :mod:`.investment`: payback, discounted payback, ROI, profitability index, the
  appraisal table;
- :mod:`.lifetime_value`: simple, margin-retention-discount and churn-based CLV;
- :mod:`.survey_metrics`: NPS with its margin of error and interval, CSAT, CES;
- :mod:`.customer_counts`: churn, retention, CAC, CLV:CAC, CAC payback, referrals;
- :mod:`.segmentation`: customer classes, value concentration, RFM codes;
- :mod:`.cohort_retention`: the shifted-beta-geometric model of a cohort;
- :mod:`.purchase_history`, :mod:`.transactions`: BG/NBD and Gamma-Gamma from purchases;
- :mod:`.appraisal`: the CRM appraisal model of the template workbook.
"""

from ._inputs import CrmValueError
from .customer_counts import (
    cac,
    cac_payback,
    churn_rate,
    clv_cac,
    referral_rate,
    retention_rate,
)
from .lifetime_value import clv, clv_from_churn, clv_simple, expected_lifetime
from .segmentation import Segmentation, customer_segment, rfm_score, value_concentration
from .survey_metrics import ces, csat, csat_topbox, nps, nps_ci, nps_counts, nps_moe

__all__ = [
    "CrmValueError",
    "Segmentation",
    "cac",
    "cac_payback",
    "ces",
    "churn_rate",
    "clv",
    "clv_cac",
    "clv_from_churn",
    "clv_simple",
    "csat",
    "csat_topbox",
    "customer_segment",
    "expected_lifetime",
    "nps",
    "nps_ci",
    "nps_counts",
    "nps_moe",
    "referral_rate",
    "retention_rate",
    "rfm_score",
    "value_concentration",
]
