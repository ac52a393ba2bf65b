"""crmvalue_core: the pure calculator behind crmvalue.

Every formula of crmvalue lives here (numpy, pandas, scipy; no spreadsheet libraries and
no I/O). The Excel add-in (``addin``) and the template workbook (``workbook_templates``)
are thin layers over these functions (docs/architecture.md). Modules by subject:

- :mod:`.discounting`: NPV, IRR, MIRR, XNPV, XIRR (period-0 convention);
- :mod:`.investment`: payback, discounted payback, ROI, profitability index, the
  appraisal table;
- :mod:`.lifetime_value`: simple, margin-retention-discount and churn-based CLV;
- :mod:`.survey_metrics`: NPS with its margin of error and interval, CSAT, CES;
- :mod:`.customer_counts`: churn, retention, CAC, CLV:CAC, CAC payback, referrals;
- :mod:`.segmentation`: customer classes, value concentration, RFM codes;
- :mod:`.cohort_retention`: the shifted-beta-geometric model of a cohort;
- :mod:`.purchase_history`, :mod:`.transactions`: BG/NBD and Gamma-Gamma from purchases;
- :mod:`.scoring`: scoring a whole customer base from its transactions;
- :mod:`.appraisal`: the CRM appraisal model of the template workbook.

Beside them: :mod:`.errors` (:class:`CrmValueError`, the one exception for bad input) and
:mod:`.cells` (the spreadsheet vocabulary every layer shares). Modules whose names start
with an underscore hold what the calculators share (reading values, shape checks,
cash-flow helpers, the fitter); they are not part of the API.

Python names and Excel names: each Excel function of the add-in (docs/functions.md) wraps
the function here of the same name in lower case (NPV_CRM is :func:`npv_crm`), with two
exceptions whose Python names say more: BGNBD_PURCHASES is
:func:`bgnbd_expected_purchases` and GG_SPEND is :func:`gg_expected_spend`. The add-in
reaches those two as ``crmvalue_core.purchase_history.bgnbd_purchases`` and
``crmvalue_core.purchase_history.gg_spend``, the Excel names lower-cased.
"""

from . import (
    appraisal,
    cohort_retention,
    customer_counts,
    discounting,
    investment,
    lifetime_value,
    purchase_history,
    segmentation,
    survey_metrics,
    transactions,
)
from ._fitting import FitResult
from .cohort_retention import (
    sbg_clv,
    sbg_del,
    sbg_derl,
    sbg_fit,
    sbg_fit_cohorts,
    sbg_retention,
    sbg_survival,
)
from .customer_counts import (
    cac,
    cac_payback,
    churn_rate,
    clv_cac,
    referral_rate,
    retention_rate,
)
from .discounting import irr_crm, mirr_crm, npv_crm, xirr_crm, xnpv_crm
from .errors import CrmValueError
from .fit_uncertainty import ParameterUncertainty, standard_errors
from .investment import (
    InvestmentMetrics,
    crm_appraisal,
    discounted_payback,
    investment_metrics,
    payback,
    pi_crm,
    roi_crm,
)
from .lifetime_value import clv, clv_from_churn, clv_simple, expected_lifetime
from .purchase_history import (
    bgnbd_expected_purchases,
    bgnbd_fit,
    bgnbd_p_alive,
    gg_expected_spend,
    gg_fit,
    predicted_clv,
)
from .segmentation import Segmentation, customer_segment, rfm_score, value_concentration
from .survey_metrics import ces, csat, csat_topbox, nps, nps_ci, nps_counts, nps_moe
from .transactions import summary_from_transactions

__all__ = [
    "CrmValueError",
    "FitResult",
    "InvestmentMetrics",
    "ParameterUncertainty",
    "Segmentation",
    "appraisal",
    "bgnbd_expected_purchases",
    "bgnbd_fit",
    "bgnbd_p_alive",
    "cac",
    "cac_payback",
    "ces",
    "churn_rate",
    "clv",
    "clv_cac",
    "clv_from_churn",
    "clv_simple",
    "cohort_retention",
    "crm_appraisal",
    "csat",
    "csat_topbox",
    "customer_counts",
    "customer_segment",
    "discounted_payback",
    "discounting",
    "expected_lifetime",
    "gg_expected_spend",
    "gg_fit",
    "investment",
    "investment_metrics",
    "irr_crm",
    "lifetime_value",
    "mirr_crm",
    "nps",
    "nps_ci",
    "nps_counts",
    "nps_moe",
    "npv_crm",
    "payback",
    "pi_crm",
    "predicted_clv",
    "purchase_history",
    "referral_rate",
    "retention_rate",
    "rfm_score",
    "roi_crm",
    "sbg_clv",
    "sbg_del",
    "sbg_derl",
    "sbg_fit",
    "sbg_fit_cohorts",
    "sbg_retention",
    "sbg_survival",
    "segmentation",
    "standard_errors",
    "summary_from_transactions",
    "survey_metrics",
    "transactions",
    "value_concentration",
    "xirr_crm",
    "xnpv_crm",
]
