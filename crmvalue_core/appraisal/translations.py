"""The appraisal's own words in other languages: labels, units, hints and notes.

The English words live where they are defined (:data:`~crmvalue_core.appraisal.INPUTS`,
:mod:`.labels`, :mod:`.report`); this module holds their translations, keyed by the
English text, so one English label has one translation wherever it is shown (the
template's Inputs sheet, the text report, the results workbook). The workbook layer
adds the texts of its sheets and reports on top of these
(``workbook_templates.language``).

Languages are named by their BCP 47 tags: ``"en"`` (the default, the words as defined)
and ``"zh-CN"`` (Simplified Chinese, the financial terms of Chinese practice: 净现值,
内部收益率, 投资回收期...).
"""

from __future__ import annotations

from ..errors import CrmValueError

__all__ = ["LANGUAGES", "ZH_CN", "check_language", "translate"]

#: The languages the appraisal can be shown in, by BCP 47 tag; the first is the default.
LANGUAGES: tuple[str, ...] = ("en", "zh-CN")

#: Simplified Chinese for the appraisal's English words (labels, units, hints, notes,
#: scenario and driver names, metric names, the text report's words).
ZH_CN: dict[str, str] = {
    # The inputs: labels (crmvalue_core.appraisal.INPUTS), in the order of the table.
    "Case name": "案例名称",
    "Currency (all amounts)": "货币（所有金额）",
    "First year (year 0)": "起始年份（第 0 年）",
    "Horizon": "评估期",
    "Discount rate (annual)": "折现率（年）",
    "Finance rate (for MIRR)": "融资利率（用于 MIRR）",
    "Reinvestment rate (for MIRR)": "再投资收益率（用于 MIRR）",
    "Benefit risk adjustment": "收益风险调整",
    "Cost contingency": "成本不可预见费",
    "Software subscription / licences": "软件订阅 / 许可费",
    "Implementation and consulting": "实施与咨询",
    "Data migration and integration": "数据迁移与集成",
    "Training and change management": "培训与变革管理",
    "Internal project staff": "内部项目人员",
    "Support and administration": "运维支持与管理",
    "Other costs": "其他成本",
    "Adoption ramp (share of the full benefit)": "采用爬坡（占全部收益的比例）",
    "Active customers (B)": "活跃客户数（B）",
    "Annual churn without the CRM (c)": "无 CRM 时的年客户流失率（c）",
    "Churn reduction (dc, points as a share)": "客户流失率降低（dc，百分点，以比例计）",
    "Annual gross margin per customer (m)": "每客户年毛利（m）",
    "Cross-sell / up-sell uplift of the margin (u)": "交叉销售 / 追加销售带来的毛利提升（u）",
    "New customers per year (N)": "每年新客户数（N）",
    "Acquisition cost per customer (CAC)": "每客户获客成本（CAC）",
    "CAC reduction (k)": "获客成本降低（k）",
    "Sales reps (R)": "销售代表人数（R）",
    "Hours saved per rep per week (h)": "每位销售代表每周节省的小时数（h）",
    "Working weeks per year (W)": "每年工作周数（W）",
    "Loaded cost per hour (w)": "每小时全口径人工成本（w）",
    "Share of saved time that counts (s)": "节省时间中计入收益的比例（s）",
    "Service cases per year (C)": "每年服务工单数（C）",
    "Cost per case (q)": "每个工单的成本（q）",
    "Cost reduction per case (v)": "每个工单的成本降低（v）",
    "Other benefits (as entered, no ramp)": "其他收益（按输入计，不乘采用爬坡）",
    # Units.
    "year": "年份",
    "years": "年",
    "customers": "客户",
    "reps": "人",
    "hours": "小时",
    "weeks": "周",
    "cases": "工单",
    "currency": "货币",
    "ratio": "比率",
    # Hints (what to enter).
    "a number": "一个数字",
    "a calendar year such as 2027": "一个日历年份，例如 2027",
    "a whole number of years from 1 to 10": "1 到 10 之间的整数年数",
    "a rate between -99% and 100% as a decimal (10% = 0.1)": (
        "-99% 到 100% 之间的比率，以小数表示（10% = 0.1）"
    ),
    "a share between 0 and 1 as a decimal (25% = 0.25)": (
        "0 到 1 之间的比例，以小数表示（25% = 0.25）"
    ),
    "a cost >= 0 (blank counts as 0)": "大于等于 0 的成本（留空按 0 计）",
    "a whole number >= 0": "大于等于 0 的整数",
    "an amount >= 0": "大于等于 0 的金额",
    "a number of hours from 0 to 168": "0 到 168 之间的小时数",
    "a number of weeks from 0 to 53": "0 到 53 之间的周数",
    "an amount (blank counts as 0)": "一个金额（留空按 0 计）",
    # Notes beside the inputs.
    "Years 1..horizon are appraised; later years are ignored.": (
        "评估第 1 年至评估期末；之后的年份不计入。"
    ),
    "Blank: the discount rate.": "留空：等于折现率。",
    "Haircut on all benefits.": "对全部收益的扣减。",
    "Uplift on all costs.": "对全部成本的加成。",
    "2.5 points = 2.50% (0.025); at most the churn.": (
        "2.5 个百分点 = 2.50%（0.025）；不超过流失率。"
    ),
    # The scenarios (labels.SCENARIO_LABELS).
    "Pessimistic": "悲观",
    "All low": "全部取低值",
    "Base": "基准",
    "All high": "全部取高值",
    "Optimistic": "乐观",
    "every input on its worse side: benefit drivers low, baseline churn and costs high": (
        "每项输入取不利的一端：收益驱动因素取低值，基准流失率和成本取高值"
    ),
    "every input at its low value as entered (costs too)": "每项输入取所填的低值（成本也是）",
    "every input at its base value: the case of the Results sheet": (
        "每项输入取基准值：即 Results（结果）工作表中的案例"
    ),
    "every input at its high value as entered (costs too)": "每项输入取所填的高值（成本也是）",
    "every input on its better side: benefit drivers high, baseline churn and costs low": (
        "每项输入取有利的一端：收益驱动因素取高值，基准流失率和成本取低值"
    ),
    # The benefit drivers (labels.DRIVER_LABELS).
    "Retention": "客户保留",
    "Cross-sell and up-sell": "交叉销售与追加销售",
    "Acquisition": "客户获取",
    "Sales productivity": "销售生产率",
    "Service": "客户服务",
    "Other benefits": "其他收益",
    # The metrics (report.METRIC_LABELS).
    "Net present value (NPV)": "净现值（NPV）",
    "Internal rate of return (IRR)": "内部收益率（IRR）",
    "Modified IRR (MIRR)": "修正内部收益率（MIRR）",
    "Return on investment (ROI)": "投资回报率（ROI）",
    "Payback": "投资回收期",
    "Discounted payback": "折现回收期",
    "Profitability index (PI)": "盈利指数（PI）",
    "PV of benefits": "收益现值",
    "PV of costs": "成本现值",
    # The rows of the text report's year table.
    "Adoption ramp": "采用爬坡",
    "Extra customers retained": "额外保留的客户",
    "Gross benefits": "总收益",
    "Risk adjustment": "风险调整",
    "Benefits (risk-adjusted)": "收益（经风险调整）",
    "Licences": "许可费",
    "Implementation": "实施",
    "Data migration": "数据迁移",
    "Training": "培训",
    "Internal staff": "内部人员",
    "Support and admin": "运维支持与管理",
    "Added cost lines": "新增成本行",
    "Contingency": "不可预见费",
    "Costs": "成本",
    "Net cash flow": "净现金流",
    "Discount factor": "折现系数",
    "PV of net cash flow": "净现金流现值",
    "Cumulative net": "累计净现金流",
    "Cumulative discounted": "累计折现净现金流",
    # The text report's other words.
    "Year": "年份",
    "(unnamed case)": "（未命名案例）",
    "Metrics (years 0..horizon)": "指标（第 0 年至评估期末）",
    "What drives the benefits (PV after risk adjustment)": "收益来源（风险调整后的现值）",
    "n/a": "不适用",
    "discount rate": "折现率",
}


def check_language(language: str) -> str:
    """``language`` if it is one of :data:`LANGUAGES`, else a CrmValueError saying which are.

    >>> check_language("zh-CN")
    'zh-CN'
    """
    if language not in LANGUAGES:
        raise CrmValueError(
            f"language {language!r} is not available; use one of {', '.join(LANGUAGES)}"
        )
    return language


def translate(text: str, language: str = "en") -> str:
    """``text`` (an English word of the appraisal) in ``language``.

    English is returned as it is, and so is a text with no translation (a user's own
    label, a case name). The source of each translation is :data:`ZH_CN`.

    >>> translate("Net present value (NPV)", "zh-CN")
    '净现值（NPV）'
    >>> translate("Net present value (NPV)")
    'Net present value (NPV)'
    >>> translate("Nordwerk Industrial Supply", "zh-CN")
    'Nordwerk Industrial Supply'
    """
    if check_language(language) == "zh-CN":
        return ZH_CN.get(text, text)
    return text
