"""Discounting: NPV, IRR and MIRR of period cash flows, XNPV and XIRR of dated ones.

Five calculators:

* :func:`npv_crm` -- net present value with the period-0 convention (the first flow is
  today and is not discounted, unlike Excel's NPV);
* :func:`irr_crm` -- the rate at which that NPV is zero, unique or chosen with a guess;
* :func:`mirr_crm` -- Excel's modified IRR, which always has one answer;
* :func:`xnpv_crm` and :func:`xirr_crm` -- Excel's XNPV and XIRR for dated flows.

The period functions read the last axis as time: a ``(n_series, n_periods)`` array gives
``n_series`` results. An undefined result in such a batch is NaN (``errors="raise"``
raises instead); a single series always raises, with a message that says why.

Modules by subject: :mod:`.period_flows` (NPV_CRM, IRR_CRM, MIRR_CRM), :mod:`.dated_flows`
(XNPV_CRM, XIRR_CRM) and the IRR solver they share, :mod:`._irr_solver` (how it finds
every root is told there). The helpers shared with :mod:`crmvalue_core.investment` are in
:mod:`crmvalue_core._cashflows`. Import the calculators from here:
``from crmvalue_core.discounting import irr_crm``.
"""

from __future__ import annotations

from .dated_flows import xirr_crm, xnpv_crm
from .period_flows import irr_crm, mirr_crm, npv_crm

__all__ = ["irr_crm", "mirr_crm", "npv_crm", "xirr_crm", "xnpv_crm"]
