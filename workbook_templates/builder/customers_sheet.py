"""The Customer metrics sheet: customer measures from data the user pastes in.

Survey answers are pasted in columns I (NPS) and J (CSAT); the yellow cells take the counts
and amounts of one period. Each metric is a native formula (B, what any Excel shows), with
the add-in function beside it as a cross-check (C: "add-in not enabled" until the crmvalue
functions are there) and their agreement (D); a table at the bottom classifies customers
with CUSTOMER_SEGMENT (an add-in function).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from crmvalue_core.appraisal.input_table import FORMATS

from . import parts
from .layout import CUSTOMER_CSAT_RANGE, CUSTOMER_NPS_RANGE, CUSTOMER_TABLE_ROWS
from .styles import NOTE_FONT, SECTION_FONT
from .validation import data_validation

__all__ = ["build"]


def build(wb: Workbook, ws: Worksheet) -> None:
    """The Customer metrics sheet: survey, churn, acquisition, lifetime value and the
    customer classification, each a native formula with the add-in as a cross-check."""
    parts.title(
        ws,
        "Customer metrics",
        "Paste survey answers in columns I and J (one answer a row) and fill the yellow cells. "
        "Each metric is a native formula (B); C checks it with the add-in once enabled.",
    )
    nps, csat = CUSTOMER_NPS_RANGE, CUSTOMER_CSAT_RANGE
    parts.header(
        ws,
        4,
        [
            (1, "Metric"),
            (2, "Value"),
            (3, "Add-in cross-check"),
            (4, "Agreement"),
            (5, "How it is computed"),
            (9, "NPS answers (0-10)"),
            (10, "CSAT answers"),
        ],
    )
    for column, label, kind, bounds, words, fmt in (
        ("I", "NPS answer", "whole", (0, 10), "a whole score from 0 to 10", "0"),
        ("J", "CSAT answer", "decimal", (0, 1000), "a score >= 0", "0.0"),
    ):
        ws[f"{column}5"] = "paste below"
        ws[f"{column}5"].font = NOTE_FONT
        first, last = (int(part[1:]) for part in (nps if column == "I" else csat).split(":"))
        for row in range(first, last + 1):
            parts.set_input(ws, f"{column}{row}", None, fmt)
        validation = data_validation(
            kind, *bounds, allow_blank=True, title=label, expected=words + " (blank: no answer)"
        )
        validation.add(f"{column}{first}:{column}{last}")
        ws.add_data_validation(validation)

    def section(row: int, title: str) -> None:
        ws.cell(row=row, column=1, value=title).font = SECTION_FONT

    def entry(
        row: int,
        label: str,
        kind: str,
        bounds: tuple[float | None, float | None],
        words: str,
        fmt: str,
        default: Any = None,
    ) -> str:
        ws.cell(row=row, column=1, value=label)
        parts.set_input(ws, f"B{row}", default, fmt)
        validation = data_validation(
            kind, *bounds, allow_blank=default is None, title=label, expected=words
        )
        validation.add(f"B{row}")
        ws.add_data_validation(validation)
        return f"B{row}"

    def metric(
        row: int, label: str, addin: str, native: str, fmt: str, how: str = "", probe: str = ""
    ) -> None:
        """A metric row: ``native`` in B, ``addin`` beside it in C (both formulas, blank
        where there is no data), their agreement in D; ``probe``: the bare add-in call."""
        parts.compare_row(
            ws, row, label, native, addin.removeprefix("="), fmt, columns=(2, 3, 4), probe=probe
        )
        if how:
            ws.cell(row=row, column=5, value=how).font = NOTE_FONT

    count_words, amount_words = "a whole number >= 0", "an amount >= 0"
    share_words = "a share between 0% and 100%"

    # Survey.
    section(5, "Survey")
    ws["A6"] = "NPS answers"
    ws["B6"] = f"=COUNT({nps})"
    level = entry(
        7,
        "Confidence level (NPS interval)",
        "decimal",
        (0.5, 0.999),
        "a confidence level from 50% to 99.9%",
        FORMATS.percent,
        0.95,
    )
    n = f"COUNT({nps})"
    p = f'COUNTIF({nps},">=9")/{n}'
    d = f'COUNTIF({nps},"<=6")/{n}'
    z = f"NORMSINV(1-(1-{level})/2)"
    metric(
        8,
        "NPS",
        f'=IF({n}=0,"",NPS({nps}))',
        f'=IF({n}=0,"",({p}-{d})*100)',
        "0.0",
        "% promoters (9-10) minus % detractors (0-6)",
    )
    metric(
        9,
        "NPS margin of error (points)",
        f'=IF({n}=0,"",NPS_MOE({nps},{level}))',
        f'=IF({n}=0,"",{z}*SQRT(({p}+{d}-({p}-{d})^2)/{n})*100)',
        "0.00",
        "Wald: z x sqrt((p + d - (p - d)^2) / n) x 100",
    )
    n3 = f"({n}+3)"
    pa = f'(COUNTIF({nps},">=9")+0.75)/{n3}'
    da = f'(COUNTIF({nps},"<=6")+0.75)/{n3}'
    half = f"{z}*SQRT(({pa}+{da}-({pa}-{da})^2)/{n3})"
    metric(
        10,
        "NPS interval, low",
        f'=IF({n}=0,"",INDEX(NPS_CI({nps},{level}),1,1))',
        f'=IF({n}=0,"",MAX(-100,({pa}-{da}-{half})*100))',
        "0.00",
        "adjusted Wald: n + 3, promoters and detractors + 0.75",
        probe=f"NPS_CI({nps},{level})",
    )
    metric(
        11,
        "NPS interval, high",
        f'=IF({n}=0,"",INDEX(NPS_CI({nps},{level}),1,2))',
        f'=IF({n}=0,"",MIN(100,({pa}-{da}+{half})*100))',
        "0.00",
        probe=f"NPS_CI({nps},{level})",
    )
    ws["A12"] = "CSAT answers"
    ws["B12"] = f"=COUNT({csat})"
    metric(
        13,
        "CSAT (mean score)",
        f'=IF(COUNT({csat})=0,"",CSAT({csat}))',
        f'=IF(COUNT({csat})=0,"",AVERAGE({csat}))',
        "0.00",
        "the mean of the answers",
    )

    # Churn and retention.
    section(15, "Churn and retention (one period)")
    start = entry(
        16, "Customers at the start of the period", "whole", (0, None), count_words, FORMATS.whole
    )
    lost = entry(17, "Customers lost in the period", "whole", (0, None), count_words, FORMATS.whole)
    end = entry(
        18, "Customers at the end of the period", "whole", (0, None), count_words, FORMATS.whole
    )
    new = entry(
        19, "New customers won in the period", "whole", (0, None), count_words, FORMATS.whole
    )
    metric(
        20,
        "Churn rate",
        f'=IF(COUNT({start},{lost})<2,"",CHURN_RATE({start},{lost}))',
        f'=IF(COUNT({start},{lost})<2,"",{lost}/{start})',
        FORMATS.percent2,
        "lost / start",
    )
    metric(
        21,
        "Retention rate",
        f'=IF(COUNT({start},{end},{new})<3,"",RETENTION_RATE({start},{end},{new}))',
        f'=IF(COUNT({start},{end},{new})<3,"",({end}-{new})/{start})',
        FORMATS.percent2,
        "(end - new) / start",
    )

    # Acquisition and lifetime value.
    section(23, "Acquisition and lifetime value")
    spend = entry(
        24, "Sales and marketing spend", "decimal", (0, None), amount_words, FORMATS.money
    )
    won = entry(
        25, "New customers won by that spend", "whole", (0, None), count_words, FORMATS.whole
    )
    metric(
        26,
        "CAC (acquisition cost per customer)",
        f'=IF(COUNT({spend},{won})<2,"",CAC({spend},{won}))',
        f'=IF(COUNT({spend},{won})<2,"",{spend}/{won})',
        FORMATS.money2,
        "spend / new customers",
    )
    revenue = entry(
        27, "Revenue per customer per period", "decimal", (0, None), amount_words, FORMATS.money2
    )
    margin = entry(
        28, "Gross margin (share of revenue)", "decimal", (0, 1), share_words, FORMATS.percent
    )
    metric(
        29,
        "CAC payback (periods)",
        f'=IF(COUNT(B26,{revenue},{margin})<3,"",CAC_PAYBACK(B26,{revenue},{margin}))',
        f'=IF(COUNT(B26,{revenue},{margin})<3,"",B26/({revenue}*{margin}))',
        "0.00",
        "CAC (B26) / (revenue x margin)",
    )
    ws["A30"] = "Margin per customer per period"
    ws["B30"] = f'=IF(COUNT({revenue},{margin})<2,"",{revenue}*{margin})'
    ws["B30"].number_format = FORMATS.money2
    ws["E30"] = "revenue x gross margin"
    ws["E30"].font = NOTE_FONT
    retention = entry(
        31, "Retention rate per period (for CLV)", "decimal", (0, 1), share_words, FORMATS.percent
    )
    discount = entry(
        32,
        "Discount rate per period (for CLV)",
        "decimal",
        (0, 1),
        "a rate between 0% and 100%",
        FORMATS.percent,
    )
    periods = entry(
        33,
        "Periods (blank: no limit)",
        "whole",
        (1, 1000),
        "a whole number of periods from 1, or leave it blank",
        "0",
    )
    q = f"({retention}/(1+{discount}))"
    metric(
        34,
        "CLV",
        f'=IF(COUNT(B30,{retention},{discount})<3,"",IF(ISBLANK({periods}),'
        f"CLV(B30,{retention},{discount}),CLV(B30,{retention},{discount},{periods})))",
        f'=IF(COUNT(B30,{retention},{discount})<3,"",IF(ISBLANK({periods}),'
        f"B30*{retention}/(1+{discount}-{retention}),B30*{q}*(1-{q}^{periods})/(1-{q})))",
        FORMATS.money2,
        "margins at the end of each period: m r / (1 + i - r), or the finite sum",
    )
    metric(
        35,
        "CLV : CAC",
        '=IF(COUNT(B34,B26)<2,"",CLV_CAC(B34,B26))',
        '=IF(COUNT(B34,B26)<2,"",B34/B26)',
        "0.00",
        "CLV (B34) / CAC (B26)",
    )
    parts.flag_formatting(ws, "D8:D35")

    # Customer value classification.
    section(37, "Customer value classification (CUSTOMER_SEGMENT)")
    top = entry(
        38, "Top share (Most valuable)", "decimal", (0, 1), share_words, FORMATS.percent, 0.05
    )
    growth = entry(
        39, "Growth share (of the rest)", "decimal", (0, 1), share_words, FORMATS.percent, 0.2
    )
    ws["A40"] = "Fill the table from the top, one customer a row; column D shows the segments."
    ws["A40"].font = NOTE_FONT
    first, last = CUSTOMER_TABLE_ROWS
    parts.header(
        ws,
        first - 1,
        [(1, "Customer"), (2, "Actual value"), (3, "Strategic value"), (4, "Segment")],
    )
    for row in range(first, last + 1):
        parts.set_input(ws, f"A{row}", None, "@")
        parts.set_input(ws, f"B{row}", None, FORMATS.money)
        parts.set_input(ws, f"C{row}", None, FORMATS.money)
    for cells, kind, bounds, label, words in (
        (f"A{first}:A{last}", "text", (None, 100), "Customer", "a customer name or id"),
        (
            f"B{first}:C{last}",
            "decimal",
            (None, None),
            "Customer value",
            "a value (negative for a loss-making customer)",
        ),
    ):
        validation = data_validation(kind, *bounds, allow_blank=True, title=label, expected=words)
        validation.add(cells)
        ws.add_data_validation(validation)
    filled = f"COUNT(B{first}:B{last})"
    segments = (
        f"CUSTOMER_SEGMENT(OFFSET(B{first},0,0,{filled},1),"
        f"OFFSET(C{first},0,0,{filled},1),{top},{growth})"
    )
    segments = parts.addin_formula(segments).removeprefix("=")
    rows = f"ROW(D{first}:D{last})-ROW(D{first})<{filled}"  # only the filled rows
    ws[f"D{first}"] = ArrayFormula(
        f"D{first}:D{last}", f'=IF({filled}=0,"",IF({rows},{segments},""))'
    )
    parts.finish(
        ws,
        freeze="A5",
        widths={"A": 40, "B": 16, "C": 18, "D": 22, "E": 50, "I": 18, "J": 16},
    )
