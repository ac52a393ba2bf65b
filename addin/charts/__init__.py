"""PNG charts for the command line (matplotlib, headless), one module per subject.

* :mod:`.appraisal`: the cumulative discounted cash flow of an appraisal, the tornado
  chart and the histogram of simulated NPVs;
* :mod:`.customers`: the value concentration of a scored customer base;
* :mod:`.figures`: writing a figure as a PNG through the one atomic writer.

Every number drawn comes from :mod:`crmvalue_core`; the charts only draw. matplotlib is
imported when a chart is drawn, not with this package.
"""

from __future__ import annotations

from .appraisal import cumulative_cash_flow_chart, npv_histogram_chart, tornado_chart
from .customers import value_concentration_chart
from .figures import save_figure

__all__ = [
    "cumulative_cash_flow_chart",
    "npv_histogram_chart",
    "save_figure",
    "tornado_chart",
    "value_concentration_chart",
]
