"""The languages of the template and of its reports: one catalogue, one lookup.

The builder and the results report write their texts in English; a workbook in another
language is the same workbook with every text translated by :func:`translate_workbook`:
cell texts, the text inside formulas (``"agrees"``, ``"add-in not enabled"``) and the
conditional formats that compare with it, comments, the input messages and error alerts of
data validation, headers and footers, chart titles and the document title. Defined names,
formulas, sheet names, number formats and the values of input cells do not change, so a
translated template computes the very same numbers and ``crmvalue appraise`` reads it the
same way.

:func:`text` finds a translation in :data:`crmvalue_core.appraisal.translations.ZH_CN`
(the appraisal's labels, units, hints and notes) and in :data:`._zh_texts.SHEET_TEXTS`
(the sheets' and reports' own texts); texts made of known parts ("<label>: enter ...",
"<label> (low)", "Year by year (EUR)") are translated part by part (:data:`_RULES`). A text
with no translation stays as it is: a test builds the Chinese template and fails on any
English word left.

The workbook records its language in the workbook-scoped defined name
:data:`LANGUAGE_NAME` (a constant, not a cell: the reader, which reads the names of the
inputs only, never sees it); an English workbook has no such name (the committed English
template is unchanged). :func:`workbook_language` reads it back.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from crmvalue_core.appraisal.translations import LANGUAGES, ZH_CN, check_language

from ._zh_texts import SHEET_TEXTS

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAME",
    "check_language",
    "text",
    "translate_workbook",
    "workbook_language",
]

#: The workbook-scoped defined name that holds a translated workbook's language.
LANGUAGE_NAME = "TemplateLanguage"

_CATALOGUE: dict[str, str] = {**ZH_CN, **SHEET_TEXTS}
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: A prompt title is at most 32 characters (Excel's limit), an error text 225, a prompt 255.
PROMPT_TITLE_LIMIT = 32


def _zh(english: str) -> str | None:
    """The Chinese of ``english``, or None when a part of it has no translation."""
    if english in _CATALOGUE:
        return _CATALOGUE[english]
    stripped = english.strip()
    if stripped != english and stripped:
        inner = _zh(stripped)
        if inner is None:
            return None
        lead = len(english) - len(english.lstrip())
        trail = len(english) - len(english.rstrip())
        return english[:lead] + inner + english[len(english) - trail :]
    for pattern, make in _RULES:
        found = pattern.fullmatch(english)
        if found:
            made = make(found)
            if made is not None:
                return made
    return None


def _parts(*texts: str) -> list[str] | None:
    out = [_zh(part) for part in texts]
    return None if any(part is None for part in out) else out  # type: ignore[return-value]


def _join(template: str, *texts: str) -> str | None:
    parts = _parts(*texts)
    return None if parts is None else template.format(*parts)


def _sentence(english: str) -> str | None:
    """``english`` (a clause without its full stop) translated, without its full stop."""
    made = _zh(english + ".")
    return None if made is None else made.rstrip("。")


def _bounded(found: re.Match[str]) -> str | None:
    clause = _sentence(found[1])
    if clause is None:
        return None
    side = "不高于" if found[2] == "most" else "不低于"
    return f"{clause}，{side}基准值；留空即基准值（无不确定性）。"


def _entered(found: re.Match[str]) -> str | None:
    rest = found[2]
    prompt = _zh(rest[0].upper() + rest[1:])
    label = _zh(found[1])
    return None if prompt is None or label is None else f"{label}：{prompt}"


_SIDES = {"low": "低值", "high": "高值", "base": "基准值"}

#: Texts made of known parts, tried in order after the catalogue.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    (re.compile(r"CRM appraisal: (.*)", re.S), lambda m: f"CRM 投资评估：{m[1]}"),
    (re.compile(r"(.+), at (most|least) the base; blank: the base \(no uncertainty\)\."), _bounded),
    (re.compile(r"([^:]+): (enter .+)", re.S), _entered),
    (
        re.compile(r"(.+) at (low|high): (.+)"),
        lambda m: _join("{0}取" + _SIDES[m[2]] + "：{1}", m[1], m[3]),
    ),
    (re.compile(r"(.+) \((low|high)\)"), lambda m: _join("{0}（" + _SIDES[m[2]] + "）", m[1])),
    (re.compile(r"(.+) \(([A-Z]{3})\)"), lambda m: _join("{0}（" + m[2] + "）", m[1])),
    (re.compile(r"(.+) \(years\)"), lambda m: _join("{0}（年）", m[1])),
    (re.compile(r"(.+)\. (.+)"), lambda m: _join("{0}{1}", m[1] + ".", m[2])),
    (re.compile(r"([^:]+): (.+)"), lambda m: _join("{0}：{1}", m[1], m[2])),
    (re.compile(r"(.+)\."), lambda m: _join("{0}。", m[1])),
    (re.compile(r"year (\d+)"), lambda m: f"第 {m[1]} 年"),
    (re.compile(r"NPV of ([\d,]+) draws"), lambda m: f"{m[1]} 次抽样的 NPV"),
    (
        re.compile(r"Change of the NPV from the base NPV of ([A-Z]{3}) ([-\d,.]+)"),
        lambda m: f"NPV 相对基准 NPV（{m[1]} {m[2]}）的变化",
    ),
    (
        re.compile(r"NPV \(([A-Z]{3})\), lower end of each bin"),
        lambda m: f"NPV（{m[1]}），各区间的下限",
    ),
    (
        re.compile(r"Scenarios \((\d+) inputs? with a low and a high value\)"),
        lambda m: f"情景分析（{m[1]} 项输入有低值和高值）",
    ),
    (
        re.compile(
            r"([A-Z]{3}), years (\d+)-(\d+) \(year 0 = \d+, horizon (\d+) years?\); "
            r"values computed by crmvalue, no formulas"
        ),
        lambda m: (
            f"{m[1]}，{m[2]}-{m[3]} 年（第 0 年 = {m[2]}，评估期 {m[4]} 年）；"
            "数值由 crmvalue 计算，不含公式"
        ),
    ),
    (
        re.compile(
            r"Each input at its low and its high value, every other input at base "
            r"\(base NPV ([A-Z]{3}) ([-\d,.]+)\); largest swing first\.(.*)",
            re.S,
        ),
        lambda m: (
            f"每项输入分别取低值和高值，其他输入取基准值（基准 NPV {m[1]} {m[2]}）；"
            "按波动幅度从大到小排列。"
            + ("" if not m[3].strip() else (_zh(m[3].strip()) or m[3].strip()))
        ),
    ),
    (
        re.compile(
            r"([\d,]+) draws, (PERT|triangular) distribution between each input's low and "
            r"high, correlation ([\d.]+) between the benefit drivers, seed (\d+)\. "
            r"Statistics over the draws where the metric exists\."
        ),
        lambda m: (
            f"{m[1]} 次抽样，每项输入在其低值与高值之间服从 "
            f"{'PERT' if m[2] == 'PERT' else '三角'} 分布，收益驱动因素之间的相关系数为 "
            f"{m[3]}，随机种子 {m[4]}。统计量只计入指标存在的抽样。"
        ),
    ),
    (
        re.compile(
            r"Probability of a negative NPV: ([\d.]+%); of paying back within the "
            r"horizon: ([\d.]+%)\."
        ),
        lambda m: f"NPV 为负的概率：{m[1]}；在评估期内收回投资的概率：{m[2]}。",
    ),
    (
        re.compile(
            r"Measured drivers only \(([^)]*)\), the other inputs at base: probability of a "
            r"negative NPV ([\d.]+%); NPV P10 ([A-Z]{3}) ([-\d,]+), P90 ([A-Z]{3}) ([-\d,]+)\."
        ),
        lambda m: (
            f"仅抽样实测驱动因素（{m[1]}），其他输入取基准值：NPV 为负的概率 {m[2]}；"
            f"NPV P10 {m[3]} {m[4]}，P90 {m[5]} {m[6]}。"
        ),
    ),
)


def text(english: str, language: str = "en") -> str:
    """``english`` (a text of the template or of its reports) in ``language``.

    English comes back as it is; so does a text with no translation (a case name, a
    label the user typed). The sources: :data:`crmvalue_core.appraisal.translations.ZH_CN`
    and :data:`workbook_templates._zh_texts.SHEET_TEXTS`.

    >>> text("Net present value (NPV)", "zh-CN")
    '净现值（NPV）'
    >>> text("Cost per case (q) (low)", "zh-CN")
    '每个工单的成本（q）（低值）'
    >>> text("Nordwerk Industrial Supply", "zh-CN")
    'Nordwerk Industrial Supply'
    """
    if check_language(language) == "en" or not english or _CJK.search(english):
        return english
    made = _zh(english)
    return english if made is None else made


#: Number formats with words in them, translated (the year header shows "第 3 年").
_NUMBER_FORMATS: dict[str, dict[str, str]] = {"zh-CN": {'"Year "0': '"第 "0" 年"'}}

_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def _formula(formula: str, language: str) -> str:
    """``formula`` with each of its text literals translated (quotes doubled as needed)."""

    def one(found: re.Match[str]) -> str:
        inner = found[1].replace('""', '"')
        if not re.search("[A-Za-z]", inner) or ("," in inner and inner.isupper()):
            return found[0]  # no words, or a list of codes ("EUR,USD,...")
        return '"' + text(inner, language).replace('"', '""') + '"'

    return _LITERAL.sub(one, formula)


def _rich(title: Any, language: str) -> None:
    """Translate the runs of a chart or axis title in place."""
    rich = getattr(getattr(title, "tx", None), "rich", None)
    for paragraph in getattr(rich, "p", None) or ():
        for run in paragraph.r or ():
            run.t = text(run.t, language)


def _title(prompt_title: str | None, error: str | None, language: str) -> str | None:
    """A validation's prompt title translated; a title cut at 32 characters ("Annual gross
    margin per custome…") is translated from the label its error text starts with."""
    if not prompt_title:
        return prompt_title
    english = prompt_title
    if english.endswith("…") and error and ": " in error:
        english = error.split(": ", 1)[0]
    made = text(english, language)
    return made if len(made) <= PROMPT_TITLE_LIMIT else made[: PROMPT_TITLE_LIMIT - 1] + "…"


def display_width(value: str) -> int:
    """The width of ``value`` in a cell, in characters: a CJK character counts two.

    >>> display_width("NPV 净现值")
    10
    """
    return sum(2 if _CJK.match(ch) else 1 for ch in value)


#: The height of a line of Chinese text in points (a CJK font's lines are taller).
_CJK_LINE = 17


def _fit_rows(ws: Any) -> None:
    """Make each row with a wrapped, translated text tall enough for its lines (a row
    height was set for the English text; Chinese takes other widths)."""
    from openpyxl.utils import get_column_letter

    spans = {}
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = range(merged.min_col, merged.max_col + 1)
    for cell in list(ws._cells.values()):  # the cells that exist, not the grid
        value = cell.value
        if not isinstance(value, str) or not cell.alignment.wrap_text:
            continue
        height = ws.row_dimensions[cell.row].height or 15
        if not _CJK.search(value):
            continue
        columns = spans.get((cell.row, cell.column), range(cell.column, cell.column + 1))
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in columns)
        lines = -(-int(display_width(value) * 1.1) // max(1, int(width)))
        unit = value.rfind("（")
        if lines > 1 and len(columns) == 1 and value.endswith("）") and unit > 0:
            cell.value = value[:unit] + "\n" + value[unit:]  # the unit on a line of its own
            lines = max(lines, 2)
        if _CJK_LINE * lines > height:
            ws.row_dimensions[cell.row].height = _CJK_LINE * lines


def translate_workbook(wb: Workbook, language: str) -> None:
    """Translate every text of ``wb`` into ``language`` in place and record the language.

    Nothing that computes changes: formulas keep their references and functions (only
    their text literals are translated, and the conditional formats that compare with
    them), defined names, sheet names and number formats stay. English leaves ``wb`` as it
    is. See the module's description.

    >>> from openpyxl import Workbook
    >>> wb = Workbook()
    >>> wb.active["A1"] = "Discount rate (annual)"
    >>> wb.active["B1"] = '=IF(A2>0,"agrees","differs")'
    >>> translate_workbook(wb, "zh-CN")
    >>> wb.active["A1"].value, wb.active["B1"].value
    ('折现率（年）', '=IF(A2>0,"一致","不一致")')
    >>> wb.defined_names["TemplateLanguage"].attr_text
    '"zh-CN"'
    """
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.formula import ArrayFormula

    if check_language(language) == "en":
        return
    formats = _NUMBER_FORMATS.get(language, {})
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):  # the cells that exist, not the grid
            if cell.number_format in formats:
                cell.number_format = formats[cell.number_format]
            value = cell.value
            if isinstance(value, ArrayFormula) and value.text:
                value.text = _formula(value.text, language)
            elif isinstance(value, str) and value:
                if value.startswith("="):
                    cell.value = _formula(value, language)
                elif cell.data_type == "s":
                    cell.value = text(value, language)
            if cell.comment is not None:
                cell.comment.text = text(cell.comment.text, language)
        for validation in ws.data_validations.dataValidation:
            validation.promptTitle = _title(validation.promptTitle, validation.error, language)
            for field in ("prompt", "errorTitle", "error"):
                value = getattr(validation, field)
                if value:
                    setattr(validation, field, text(value, language))
        for rules in ws.conditional_formatting:
            for rule in rules.rules:
                rule.formula = [_formula(f, language) for f in rule.formula or ()]
        for header in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter):
            for part in (header.left, header.center, header.right):
                if part.text:
                    part.text = text(part.text, language)
        for chart in ws._charts:
            _rich(chart.title, language)
            for axis in (chart.x_axis, chart.y_axis):
                _rich(axis.title, language)
            for series in chart.series:
                if series.tx is not None and series.tx.v:
                    series.tx.v = text(series.tx.v, language)
        _fit_rows(ws)
    if wb.properties.title:
        wb.properties.title = text(wb.properties.title, language)
    wb.defined_names[LANGUAGE_NAME] = DefinedName(LANGUAGE_NAME, attr_text=f'"{language}"')


_LANGUAGE_XML = re.compile(
    rb'<definedName[^>]*name="'
    + LANGUAGE_NAME.encode()
    + rb'"[^>]*>(?:"|&quot;)([^&"<]*)(?:"|&quot;)<'
)


def workbook_language(path: str | os.PathLike[str]) -> str:
    """The language a workbook records (:data:`LANGUAGE_NAME`), ``"en"`` when none.

    Reads only ``xl/workbook.xml``; a file that cannot be read that way is taken as
    English (the reader reports what is wrong with it). An unknown language is English.

    >>> from workbook_templates.files import TEMPLATE_PATH
    >>> workbook_language(TEMPLATE_PATH)
    'en'
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/workbook.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return "en"
    found = _LANGUAGE_XML.search(xml)
    language = found[1].decode() if found else "en"
    return language if language in LANGUAGES else "en"
