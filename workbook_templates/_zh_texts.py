"""Simplified Chinese for the texts of the template's sheets and of the results report.

Keyed by the English text the builder (``workbook_templates/builder/``) or the results
report (``workbook_templates/results/``) writes; the appraisal's own labels, units, hints
and notes are in :data:`crmvalue_core.appraisal.translations.ZH_CN`. Texts made of known
parts (``"<label>: enter ..."``, ``"<label> (low)"``) are put together by
:mod:`workbook_templates.language`. Sheet names, defined names, function names, menu
items of the xlwings ribbon (which has no Chinese) and command lines stay as they are.
"""

from __future__ import annotations

__all__ = ["SHEET_TEXTS"]

#: The sheets' and reports' texts in Simplified Chinese, by their English.
SHEET_TEXTS: dict[str, str] = {
    # ------------------------------------------------------------------ Start
    "CRM investment appraisal": "CRM 投资评估",
    "A crmvalue template: what a CRM costs, what it brings, and whether it pays.": (
        "crmvalue 模板：CRM 的成本、带来的收益，以及是否值得投资。"
    ),
    "What this is": "这是什么",
    "This workbook appraises an investment in a CRM system. You enter what the CRM costs, "
    "year by year, and what it is expected to bring, driver by driver. The Calculation sheet "
    "turns this into yearly benefits, costs and net cash flows with plain formulas that "
    "anyone can audit; the Results sheet shows NPV, IRR, MIRR, ROI, payback, discounted "
    "payback and the profitability index.": (
        "本工作簿用于评估一项 CRM 系统投资。您逐年填写 CRM 的成本，并按收益驱动因素逐项填写预期"
        "收益。Calculation（计算）工作表用任何人都能审核的普通公式，将其换算为每年的收益、成本和"
        "净现金流；Results（结果）工作表给出净现值 NPV、内部收益率 IRR、修正内部收益率 MIRR、"
        "投资回报率 ROI、投资回收期、折现回收期和盈利指数。"
    ),
    "Every result is a native Excel formula, so the workbook works in any Excel, with or "
    "without the crmvalue add-in. Once the add-in is enabled, the column 'Add-in "
    "cross-check' beside each result computes it again with the crmvalue function and the "
    "Agreement column says 'agrees' (or 'differs'); until then it says 'add-in not "
    "enabled'.": (
        "每个结果都是 Excel 原生公式，因此无论是否安装 crmvalue 加载项，本工作簿在任何 Excel 中"
        "都能使用。启用加载项后，每个结果旁的“加载项交叉核对”列会用 crmvalue 函数再算一遍，"
        "“一致性”列显示“一致”（或“不一致”）；在此之前显示“加载项未启用”。"
    ),
    "How to fill it": "如何填写",
    "1. Go to the Inputs sheet. Only the yellow cells can be changed; every other cell is "
    "locked (the sheets are protected without a password).": (
        "1. 转到 Inputs（输入）工作表。只有黄色单元格可以修改；其他单元格均已锁定（工作表受保护，"
        "无密码）。"
    ),
    "2. General: case name, currency, first year, horizon (1 to 10 years), discount rate, "
    "the MIRR rates (blank = the discount rate), benefit risk adjustment and cost "
    "contingency.": (
        "2. 常规：案例名称、货币、起始年份、评估期（1 至 10 年）、折现率、MIRR 的两个利率"
        "（留空 = 折现率）、收益风险调整和成本不可预见费。"
    ),
    "3. Costs: one row per cost line, year 0 (implementation) to year 10, as positive "
    "amounts. Years after the horizon are greyed out and ignored. Need another line? Use a "
    "spare 'Other cost line' row (rename its label), or unprotect the sheet and insert a row "
    "anywhere inside the cost block: the block's total, the Calculation sheet and crmvalue "
    "appraise all include it. The same holds for the block of other benefits.": (
        "3. 成本：每个成本项一行，从第 0 年（实施年）到第 10 年，填正数金额。评估期之后的年份"
        "显示为灰色且不计入。需要再加一行？使用备用的“其他成本行”（改写其名称），或撤消工作表"
        "保护后在成本区域内任意位置插入一行：区域合计、Calculation 工作表和 crmvalue appraise "
        "都会计入。其他收益区域同样如此。"
    ),
    "4. Benefit drivers: the adoption ramp per year, other benefits per year, and the "
    "drivers of retention, cross-sell, acquisition, sales productivity and service. Leave a "
    "driver blank (0) when it does not apply. Benefits start in year 1.": (
        "4. 收益驱动因素：每年的采用爬坡、每年的其他收益，以及客户保留、交叉销售、客户获取、"
        "销售生产率和客户服务的驱动因素。不适用的驱动因素留空（0）。收益从第 1 年开始。"
    ),
    "5. Optional, on the Scenarios sheet: a low and a high value beside any benefit driver "
    "or cost line you are unsure of (blank = the base). The sheet shows the NPV of five "
    "scenarios and which input moves the NPV most (the tornado table).": (
        "5. 可选，在 Scenarios（情景）工作表中：为没有把握的收益驱动因素或成本项填写低值和高值"
        "（留空 = 基准值）。该表给出五种情景的 NPV，以及对 NPV 影响最大的输入（龙卷风表）。"
    ),
    "6. Read the Results sheet. The Customer metrics sheet computes NPS, CSAT, churn, CAC, "
    "CLV and a customer classification from data you paste in.": (
        "6. 查看 Results（结果）工作表。Customer metrics（客户指标）工作表根据您粘贴的数据计算 "
        "NPS、CSAT、客户流失率、获客成本 CAC、客户终身价值 CLV 和客户分类。"
    ),
    "Hover over an input cell for what it accepts; a value outside the allowed range is "
    "refused. Type percentages with a % sign (10%) or as decimals (0.1): a 1 typed in a "
    "percentage cell is 100%.": (
        "将鼠标悬停在输入单元格上可查看可填写的内容；超出允许范围的值会被拒绝。百分比请带 % 号"
        "输入（10%）或以小数输入（0.1）：在百分比单元格中输入 1 即为 100%。"
    ),
    "crmvalue appraise refuses a workbook with no cost and no benefit, and one whose saved "
    "results no longer follow from its inputs (a formula overwritten, or a row inserted "
    "outside the input blocks). It warns, without changing any number, of values that look "
    "like a slip: a rate or share of exactly 100%, a discount rate above 30%, a churn "
    "reduction above half the churn, an amount above 10^12 (see docs/template.md, "
    "Warnings).": (
        "crmvalue appraise 会拒绝既无成本也无收益的工作簿，以及保存的结果已与输入不符的工作簿"
        "（公式被覆盖，或在输入区域之外插入了行）。对于疑似笔误的值，它会给出警告但不改变任何"
        "数字：恰好为 100% 的比率或比例、高于 30% 的折现率、超过流失率一半的流失率降低、"
        "超过 10^12 的金额（见 docs/template.md 的 Warnings 一节）。"
    ),
    "Enabling the add-in in Windows desktop Excel (classic xlwings)": (
        "在 Windows 桌面版 Excel 中启用加载项（经典 xlwings）"
    ),
    "The results do not need it: the add-in only adds the cross-check column and the "
    "customer classification (CUSTOMER_SEGMENT). In the order you do them:": (
        "结果并不依赖加载项：加载项只增加交叉核对列和客户分类（CUSTOMER_SEGMENT）。按以下顺序操作："
    ),
    "1. Install Python, then in a command prompt: pip install xlwings crmvalue": (
        "1. 安装 Python，然后在命令提示符中运行：pip install xlwings crmvalue"
    ),
    "2. Install the xlwings Excel add-in: xlwings addin install (again after every upgrade "
    "of xlwings). Restart Excel: the ribbon gets an xlwings tab.": (
        "2. 安装 xlwings 的 Excel 加载项：xlwings addin install（每次升级 xlwings 后需重新"
        "运行）。重启 Excel：功能区会出现 xlwings 选项卡。"
    ),
    "3. In Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings, "
    "tick 'Trust access to the VBA project object model'.": (
        "3. 在 Excel 中：文件 > 选项 > 信任中心 > 信任中心设置 > 宏设置，勾选“信任对 VBA "
        "工程对象模型的访问”。"
    ),
    "4. Open this workbook and save it as a macro-enabled workbook (.xlsm). Its sheet "
    "xlwings.conf already sets 'UDF Modules' to addin.udfs.": (
        "4. 打开本工作簿并另存为启用宏的工作簿（.xlsm）。其 xlwings.conf 工作表已将 "
        "UDF Modules 设为 addin.udfs。"
    ),
    "5. Open the VBA editor (Alt+F11), Tools > References, tick 'xlwings' and click OK; "
    "close the editor.": (
        "5. 打开 VBA 编辑器（Alt+F11），工具 > 引用，勾选 xlwings 并单击“确定”；关闭编辑器。"
    ),
    "6. If your xlwings settings (the file .xlwings\\xlwings.conf in your user folder) "
    "point to another Python, or Python is not found: on the xlwings tab set "
    "'Interpreter' to the python.exe of step 1 (or add a row 'Interpreter_Win' with that "
    "path to the sheet xlwings.conf of this workbook).": (
        "6. 如果您的 xlwings 设置（用户文件夹中的 .xlwings\\xlwings.conf 文件）指向另一个 "
        "Python，或找不到 Python：在 xlwings 选项卡中将 Interpreter 设为第 1 步安装的 "
        "python.exe（或在本工作簿的 xlwings.conf 工作表中添加一行 Interpreter_Win 及该路径）。"
    ),
    "7. On the xlwings tab click 'Import Functions'. Then press Ctrl+Alt+F9: formulas "
    "already in the workbook are recalculated only then. The Agreement column of the "
    "Results sheet should now say 'agrees'. Save the workbook.": (
        "7. 在 xlwings 选项卡中单击 Import Functions。然后按 Ctrl+Alt+F9：工作簿中已有的公式"
        "只有这时才会重新计算。Results 工作表的“一致性”列此时应显示“一致”。保存工作簿。"
    ),
    "Enabling the add-in in Excel on the web, on the Mac or on Windows (xlwings Lite)": (
        "在网页版、Mac 版或 Windows 版 Excel 中启用加载项（xlwings Lite）"
    ),
    "1. Home > Add-ins: search for 'xlwings Lite' and add it; it opens an editor pane "
    "with main.py and requirements.txt.": (
        "1. 开始 > 加载项：搜索 xlwings Lite 并添加；它会打开一个包含 main.py 和 "
        "requirements.txt 的编辑器窗格。"
    ),
    "2. In requirements.txt add the line crmvalue (keep the xlwings line). In main.py add "
    "this line:": (
        "2. 在 requirements.txt 中添加一行 crmvalue（保留 xlwings 那一行）。在 main.py 中"
        "添加这一行："
    ),
    "3. Restart xlwings Lite if it asks, then recalculate the formulas already in the "
    "workbook (Ctrl+Alt+F9 on Windows). The code is stored in the workbook: whoever opens "
    "it needs only the xlwings Lite add-in.": (
        "3. 如有提示，重启 xlwings Lite，然后重新计算工作簿中已有的公式（Windows 上按 "
        "Ctrl+Alt+F9）。代码保存在工作簿中：打开它的人只需安装 xlwings Lite 加载项。"
    ),
    "Without Excel": "不使用 Excel",
    "At a command line: crmvalue appraise FILE.xlsx reads this workbook by its defined "
    "names and prints the same appraisal.": (
        "在命令行中：crmvalue appraise FILE.xlsx 按定义名称读取本工作簿，并输出相同的评估结果。"
    ),
    "Sheets": "工作表",
    "Inputs: everything you enter (each input has a defined name, e.g. DiscountRate).": (
        "Inputs（输入）：您填写的全部内容（每项输入都有一个定义名称，例如 DiscountRate）。"
    ),
    "Calculation: the model year by year (formulas only).": (
        "Calculation（计算）：逐年的模型（只有公式）。"
    ),
    "Results: the metrics (native formulas, names ResultNPV...), the add-in cross-check "
    "beside them, the present value of each driver, and two charts.": (
        "Results（结果）：各项指标（原生公式，名称为 ResultNPV 等）、旁边的加载项交叉核对、"
        "各驱动因素的现值和两张图表。"
    ),
    "Scenarios: low and high values beside the base inputs; scenario NPVs and the "
    "sensitivity (tornado) table, in native formulas.": (
        "Scenarios（情景）：基准输入旁的低值和高值；各情景的 NPV 和敏感性（龙卷风）表，"
        "均为原生公式。"
    ),
    "Customer metrics: survey, churn, acquisition and lifetime value metrics, each with its "
    "add-in cross-check, and a customer classification.": (
        "Customer metrics（客户指标）：调查、客户流失、获客和客户终身价值指标，各附加载项交叉"
        "核对，以及客户分类。"
    ),
    "xlwings.conf: the add-in settings read by xlwings.": (
        "xlwings.conf：由 xlwings 读取的加载项设置。"
    ),
    # ------------------------------------------------------------------ Inputs
    "Inputs": "输入",
    "Fill in the yellow cells; hover over a cell for what it accepts. Amounts are in the "
    "currency chosen below.": (
        "请填写黄色单元格；将鼠标悬停在单元格上可查看可填写的内容。金额均以下方所选货币计。"
    ),
    "General": "常规",
    "Unit": "单位",
    "Value": "数值",
    "Notes": "说明",
    "Note": "说明",
    "CRM investment": "CRM 投资",
    "Costs (before contingency)": "成本（不含不可预见费）",
    "Calendar year": "日历年份",
    "Other cost line": "其他成本行",
    "Total costs (before contingency)": "成本合计（不含不可预见费）",
    "To add a cost line: fill a spare row (rename its label), or unprotect the sheet "
    "(Review > Unprotect Sheet) and insert a row anywhere between 'Calendar year' and the "
    "total.": (
        "添加成本项：填写备用行（改写其名称），或撤消工作表保护（审阅 > 撤消工作表保护）后，"
        "在“日历年份”与合计之间的任意位置插入一行。"
    ),
    "Benefit drivers by year": "逐年收益驱动因素",
    "(impl.)": "（实施）",
    "Benefits as entered (no ramp), one row each": "按输入计的收益（不乘采用爬坡），每项一行",
    "Other benefit line": "其他收益行",
    "Total other benefits": "其他收益合计",
    "To add a benefit line: fill a spare row (rename its label), or unprotect the sheet "
    "(Review > Unprotect Sheet) and insert a row anywhere between 'Benefits as entered (no "
    "ramp), one row each' and the total.": (
        "添加收益项：填写备用行（改写其名称），或撤消工作表保护（审阅 > 撤消工作表保护）后，"
        "在“按输入计的收益（不乘采用爬坡），每项一行”与合计之间的任意位置插入一行。"
    ),
    "Retention and cross-sell": "客户保留与交叉销售",
    "Label of the line": "行名称",
    "Enter a label for the line (text, up to 100 characters).": (
        "请输入该行的名称（文本，最多 100 个字符）。"
    ),
    "Not a valid value": "无效的值",
    "Not in the list": "不在列表中",
    "Enter a name for the case (text).": "请输入案例名称（文本）。",
    "Enter a currency code from the list, or any other ISO 4217 code (such as THB).": (
        "请从列表中选择货币代码，或输入其他任何 ISO 4217 代码（例如 THB）。"
    ),
    "This code is not in the list of common currencies. Keep it only if it is a current "
    "ISO 4217 code (three letters, such as THB); appraise checks it.": (
        "该代码不在常用货币列表中。只有当它是现行的 ISO 4217 代码（三个字母，例如 THB）时才保留；"
        "appraise 会检查它。"
    ),
    "Enter a calendar year such as 2027.": "请输入日历年份，例如 2027。",
    "Enter a whole number of years from 1 to 10.": "请输入 1 到 10 之间的整数年数。",
    "Enter a rate between -99% and 100% as a decimal (10% = 0.1).": (
        "请输入 -99% 到 100% 之间的比率，以小数表示（10% = 0.1）。"
    ),
    "Enter a rate between -99% and 100% as a decimal (10% = 0.1), or leave it blank to use "
    "the discount rate.": (
        "请输入 -99% 到 100% 之间的比率，以小数表示（10% = 0.1），或留空以使用折现率。"
    ),
    "Enter a share between 0 and 1 as a decimal (25% = 0.25) (blank counts as 0).": (
        "请输入 0 到 1 之间的比例，以小数表示（25% = 0.25）（留空按 0 计）。"
    ),
    "Enter a share between 0 and 1 as a decimal (25% = 0.25).": (
        "请输入 0 到 1 之间的比例，以小数表示（25% = 0.25）。"
    ),
    "Enter a cost >= 0 (blank counts as 0).": "请输入大于等于 0 的成本（留空按 0 计）。",
    "Enter a cost >= 0.": "请输入大于等于 0 的成本。",
    "Enter an amount (blank counts as 0).": "请输入金额（留空按 0 计）。",
    "Enter an amount.": "请输入金额。",
    "Enter a whole number >= 0 (blank counts as 0).": "请输入大于等于 0 的整数（留空按 0 计）。",
    "Enter a whole number >= 0.": "请输入大于等于 0 的整数。",
    "Enter an amount >= 0 (blank counts as 0).": "请输入大于等于 0 的金额（留空按 0 计）。",
    "Enter an amount >= 0.": "请输入大于等于 0 的金额。",
    "Enter a number of hours from 0 to 168 (blank counts as 0).": (
        "请输入 0 到 168 之间的小时数（留空按 0 计）。"
    ),
    "Enter a number of hours from 0 to 168.": "请输入 0 到 168 之间的小时数。",
    "Enter a number of weeks from 0 to 53 (blank counts as 0).": (
        "请输入 0 到 53 之间的周数（留空按 0 计）。"
    ),
    "Enter a number of weeks from 0 to 53.": "请输入 0 到 53 之间的周数。",
    # ------------------------------------------------------------------ Calculation
    "Calculation": "计算",
    "The model of the appraisal, year by year. Every cell is a formula on the Inputs; years "
    "after the horizon are 0.": (
        "逐年的评估模型。每个单元格都是基于输入的公式；评估期之后的年份为 0。"
    ),
    "Rates used": "所用利率",
    "Discount rate": "折现率",
    "Finance rate (MIRR)": "融资利率（MIRR）",
    "Reinvestment rate (MIRR)": "再投资收益率（MIRR）",
    "In the case (1 = year 0..horizon)": "是否在案例期内（1 = 第 0 年至评估期末）",
    "flag": "标志",
    "Benefit year (1 = year 1..horizon)": "收益年（1 = 第 1 年至评估期末）",
    "Adoption a_t (0 outside years 1..horizon)": "采用率 a_t（第 1 年至评估期末之外为 0）",
    "Benefits before risk adjustment": "风险调整前的收益",
    "Extra customers retained E_t": "额外保留的客户 E_t",
    "Retention benefit (E_t x m)": "客户保留收益（E_t x m）",
    "Cross-sell benefit (B x m x u x a_t)": "交叉销售收益（B x m x u x a_t）",
    "Acquisition benefit (N x CAC x k x a_t)": "客户获取收益（N x CAC x k x a_t）",
    "Productivity benefit (R x h x W x w x s x a_t)": "生产率收益（R x h x W x w x s x a_t）",
    "Service benefit (C x q x v x a_t)": "客户服务收益（C x q x v x a_t）",
    "Other benefits (as entered, with added lines)": "其他收益（按输入计，含新增行）",
    "Risk adjustment (deducted)": "风险调整（扣减）",
    "Costs (0 after the horizon)": "成本（评估期后为 0）",
    "Added cost lines (rows added to the cost block)": "新增成本行（成本区域中新增的行）",
    "Costs before contingency (every row of the cost block)": (
        "不可预见费前的成本（成本区域的所有行）"
    ),
    "Costs (with contingency)": "成本（含不可预见费）",
    "Cash flow": "现金流",
    "Cumulative net cash flow": "累计净现金流",
    "Discount factor 1/(1+r)^t": "折现系数 1/(1+r)^t",
    "factor": "系数",
    "Discounted net cash flow": "折现净现金流",
    "Cumulative discounted net cash flow": "累计折现净现金流",
    "Payback helpers: year t when the cumulative is negative in year t, else -1": (
        "回收期辅助行：第 t 年累计值为负时取 t，否则取 -1"
    ),
    "Cumulative net negative": "累计净现金流为负",
    "Cumulative discounted net negative": "累计折现净现金流为负",
    "Last year with a negative cumulative net": "累计净现金流为负的最后一年",
    "Last year with a negative cumulative discounted net": "累计折现净现金流为负的最后一年",
    # ------------------------------------------------------------------ Results
    "Results": "结果",
    "Each metric is a native Excel formula (column B), computed in any Excel. Column D "
    "checks it with the crmvalue add-in once the add-in is enabled (see Start).": (
        "每项指标都是 Excel 原生公式（B 列），任何 Excel 都能计算。启用 crmvalue 加载项后，"
        "D 列用加载项进行核对（见 Start 工作表）。"
    ),
    "Case: ": "案例：",
    "(unnamed)": "（未命名）",
    "   ·   currency: ": "   ·   货币：",
    "   ·   years 0..": "   ·   年份 0..",
    "Metric": "指标",
    "Result": "结果",
    "Add-in cross-check": "加载项交叉核对",
    "Agreement": "一致性",
    "How the result is computed": "计算方法",
    "add-in not enabled": "加载项未启用",
    "add-in error": "加载项错误",
    "not checked": "未核对",
    "agrees": "一致",
    "differs": "不一致",
    "native undefined": "原生公式无定义",
    "add-in undefined": "加载项无定义",
    "agrees (both undefined)": "一致（均无定义）",
    "NPV(rate, net years 1..horizon) + net year 0 (year 0 is not discounted)": (
        "NPV(折现率, 第 1 年至评估期末的净现金流) + 第 0 年净现金流（第 0 年不折现）"
    ),
    "IRR(net years 0..horizon)": "IRR(第 0 年至评估期末的净现金流)",
    "MIRR(net years 0..horizon, finance rate, reinvestment rate)": (
        "MIRR(第 0 年至评估期末的净现金流, 融资利率, 再投资收益率)"
    ),
    "(PV of benefits - PV of costs) / PV of costs": "（收益现值 - 成本现值）/ 成本现值",
    "last year L with a negative cumulative net + its deficit / the net of year L+1": (
        "累计净现金流为负的最后一年 L + 其缺口 / 第 L+1 年的净现金流"
    ),
    "the same on the discounted net cash flows": "同上，基于折现净现金流",
    "Profitability index": "盈利指数",
    "PV of benefits / PV of costs": "收益现值 / 成本现值",
    "NPV(rate, benefits years 1..horizon) + benefits year 0": (
        "NPV(折现率, 第 1 年至评估期末的收益) + 第 0 年收益"
    ),
    "NPV(rate, costs years 1..horizon) + costs year 0": (
        "NPV(折现率, 第 1 年至评估期末的成本) + 第 0 年成本"
    ),
    "Agreement: the add-in's value equals the result within 1E-9 relative (IRR 1E-7); "
    "'agrees (both undefined)': neither exists, the add-in says why.": (
        "一致性：加载项的值与结果的相对误差在 1E-9 以内（IRR 为 1E-7）；“一致（均无定义）”："
        "两者都不存在，加载项会说明原因。"
    ),
    "What drives the case": "收益来源",
    "Benefit driver (PV, risk-adjusted)": "收益驱动因素（现值，经风险调整）",
    "PV": "现值",
    "Share of the PV of benefits": "占收益现值的比例",
    "Total = PV of benefits": "合计 = 收益现值",
    "Chart data (years 0..horizon)": "图表数据（第 0 年至评估期末）",
    "Cumulative PV (": "累计现值（",
    "Benefits (": "收益（",
    "Costs (": "成本（",
    ")": "）",
    "Cumulative discounted cash flow": "累计折现现金流",
    "Amount (currency: see legend)": "金额（货币见图例）",
    "Benefits and costs per year": "每年的收益与成本",
    # ------------------------------------------------------------------ Scenarios
    "Scenarios": "情景",
    "Enter a low and a high value beside the base of any benefit driver or cost line "
    "(blank: the base, no uncertainty). Scenario NPVs and sensitivity are native "
    "formulas.": (
        "在任一收益驱动因素或成本项的基准值旁填写低值和高值（留空：即基准值，无不确定性）。"
        "情景 NPV 和敏感性分析均为原生公式。"
    ),
    "Low and high are the values as entered (a low cost is good news). Monte Carlo: "
    "crmvalue appraise FILE.xlsx --simulate 10000, or the function CRM_SIMULATE.": (
        "低值和高值即所填的值（成本低是好消息）。蒙特卡洛模拟：crmvalue appraise FILE.xlsx "
        "--simulate 10000，或函数 CRM_SIMULATE。"
    ),
    "Scenario": "情景",
    "Sensitivity of the NPV (tornado)": "NPV 敏感性分析（龙卷风图）",
    "Input (the others at base)": "输入（其他输入取基准值）",
    "NPV at low": "低值时的 NPV",
    "NPV at high": "高值时的 NPV",
    "Downside": "下行",
    "Upside": "上行",
    "Swing": "波动幅度",
    "Rank": "排名",
    "Defined names": "定义名称",
    "Ranges of the benefit drivers": "收益驱动因素的取值范围",
    "Benefit driver": "收益驱动因素",
    "Low": "低值",
    "High": "高值",
    "Low used": "采用的低值",
    "High used": "采用的高值",
    "Ranges of the cost lines and per-year drivers": "成本项和逐年驱动因素的取值范围",
    "Horizon (years)": "评估期（年）",
    "Cost line or driver": "成本项或驱动因素",
    "low": "低值",
    "high": "高值",
    "base": "基准值",
    "base (the Inputs sheet)": "基准值（Inputs 工作表）",
    "low used (blank: base)": "采用的低值（留空：基准值）",
    "high used (blank: base)": "采用的高值（留空：基准值）",
    "The model per scenario and per sensitivity case (as the Calculation sheet)": (
        "各情景和各敏感性案例的模型（同 Calculation 工作表）"
    ),
    "Case": "案例",
    "adoption a_t": "采用率 a_t",
    "extra customers E_t": "额外保留的客户 E_t",
    "net cash flow": "净现金流",
    # ------------------------------------------------------------------ Customer metrics
    "Customer metrics": "客户指标",
    "Paste survey answers in columns I and J (one answer a row) and fill the yellow cells. "
    "Each metric is a native formula (B); C checks it with the add-in once enabled.": (
        "将调查答案粘贴到 I 列和 J 列（每行一个答案）并填写黄色单元格。每项指标都是原生公式"
        "（B 列）；启用加载项后，C 列用加载项核对。"
    ),
    "How it is computed": "计算方法",
    "NPS answers (0-10)": "NPS 答案（0-10）",
    "CSAT answers": "CSAT 答案",
    "Survey": "调查",
    "paste below": "粘贴到下方",
    "NPS answers": "NPS 答案",
    "Confidence level (NPS interval)": "置信水平（NPS 区间）",
    "% promoters (9-10) minus % detractors (0-6)": "推荐者（9-10）占比减去贬损者（0-6）占比",
    "NPS margin of error (points)": "NPS 误差范围（点）",
    "Wald: z x sqrt((p + d - (p - d)^2) / n) x 100": (
        "Wald 法：z x sqrt((p + d - (p - d)^2) / n) x 100"
    ),
    "NPS interval, low": "NPS 区间下限",
    "adjusted Wald: n + 3, promoters and detractors + 0.75": (
        "调整 Wald 法：n + 3，推荐者和贬损者各 + 0.75"
    ),
    "NPS interval, high": "NPS 区间上限",
    "CSAT (mean score)": "CSAT（平均分）",
    "the mean of the answers": "答案的平均值",
    "Churn and retention (one period)": "客户流失与保留（一个期间）",
    "Customers at the start of the period": "期初客户数",
    "Customers lost in the period": "期内流失客户数",
    "Customers at the end of the period": "期末客户数",
    "New customers won in the period": "期内新增客户数",
    "Churn rate": "客户流失率",
    "lost / start": "流失数 / 期初数",
    "Retention rate": "客户保留率",
    "(end - new) / start": "（期末数 - 新增数）/ 期初数",
    "Acquisition and lifetime value": "获客与客户终身价值",
    "Sales and marketing spend": "销售和营销支出",
    "New customers won by that spend": "该支出带来的新客户数",
    "CAC (acquisition cost per customer)": "获客成本 CAC（每客户）",
    "spend / new customers": "支出 / 新客户数",
    "Revenue per customer per period": "每客户每期收入",
    "Gross margin (share of revenue)": "毛利率（占收入比例）",
    "CAC payback (periods)": "CAC 回收期（期数）",
    "CAC (B26) / (revenue x margin)": "CAC（B26）/（收入 x 毛利率）",
    "Margin per customer per period": "每客户每期毛利",
    "revenue x gross margin": "收入 x 毛利率",
    "Retention rate per period (for CLV)": "每期客户保留率（用于 CLV）",
    "Discount rate per period (for CLV)": "每期折现率（用于 CLV）",
    "Periods (blank: no limit)": "期数（留空：不设上限）",
    "margins at the end of each period: m r / (1 + i - r), or the finite sum": (
        "毛利计于各期期末：m r / (1 + i - r)，或有限期求和"
    ),
    "CLV (B34) / CAC (B26)": "CLV（B34）/ CAC（B26）",
    "Customer value classification (CUSTOMER_SEGMENT)": "客户价值分类（CUSTOMER_SEGMENT）",
    "Top share (Most valuable)": "头部比例（最有价值）",
    "Growth share (of the rest)": "成长比例（其余客户中）",
    "Fill the table from the top, one customer a row; column D shows the segments.": (
        "从顶部开始填表，每行一个客户；D 列显示客户分类。"
    ),
    "Customer": "客户",
    "Actual value": "实际价值",
    "Strategic value": "战略价值",
    "Segment": "分类",
    "NPS answer": "NPS 答案",
    "Enter a whole score from 0 to 10 (blank: no answer).": (
        "请输入 0 到 10 之间的整数分（留空：未作答）。"
    ),
    "CSAT answer": "CSAT 答案",
    "Enter a score >= 0 (blank: no answer).": "请输入大于等于 0 的分数（留空：未作答）。",
    "Enter a confidence level from 50% to 99.9%.": "请输入 50% 到 99.9% 之间的置信水平。",
    "Enter a share between 0% and 100%.": "请输入 0% 到 100% 之间的比例。",
    "Enter a rate between 0% and 100%.": "请输入 0% 到 100% 之间的比率。",
    "Enter a whole number of periods from 1, or leave it blank.": (
        "请输入从 1 起的整数期数，或留空。"
    ),
    "Periods (blank: no limit): enter a whole number of periods from 1, or leave it "
    "blank.": "期数（留空：不设上限）：请输入从 1 起的整数期数，或留空。",
    "Enter a customer name or id.": "请输入客户名称或编号。",
    "Customer value": "客户价值",
    "Enter a value (negative for a loss-making customer).": "请输入价值（亏损客户为负数）。",
    # ------------------------------------------------------------------ xlwings.conf
    "xlwings reads the settings of this workbook from this sheet: keys in column A from "
    "A1 down (no gaps), values in column B.": (
        "xlwings 从本工作表读取本工作簿的设置：键在 A 列，从 A1 向下（不留空行），值在 B 列。"
    ),
    "'UDF Modules' = addin.udfs: the crmvalue functions that 'Import Functions' on the "
    "xlwings ribbon tab imports.": (
        "UDF Modules = addin.udfs：即 xlwings 功能区选项卡上 Import Functions 所导入的 "
        "crmvalue 函数。"
    ),
    "To add a setting (e.g. Interpreter_Win, Conda Path, Conda Env), unprotect the sheet "
    "(Review > Unprotect Sheet, no password) and add it in the next row.": (
        "要添加设置（例如 Interpreter_Win、Conda Path、Conda Env），请撤消工作表保护"
        "（审阅 > 撤消工作表保护，无密码），然后在下一行添加。"
    ),
    # ------------------------------------------------------------------ results report
    "CRM appraisal": "CRM 投资评估",
    "The case and its general assumptions": "案例及其常规假设",
    "Assumption": "假设",
    "blank on the Inputs sheet: the discount rate": "Inputs 工作表中留空：等于折现率",
    "Source": "来源",
    "Input file": "输入文件",
    "SHA-256 of the input file": "输入文件的 SHA-256",
    "Appraised on": "评估日期",
    "crmvalue version": "crmvalue 版本",
    "n/a: the metric does not exist for this case; the note says why.": (
        "不适用：该指标对本案例不存在；说明列给出原因。"
    ),
    "What drives the benefits: present value of each driver, after risk adjustment": (
        "收益来源：各驱动因素经风险调整后的现值"
    ),
    "Benefit drivers: the inputs": "收益驱动因素：输入值",
    "The adoption ramp, the cost lines and the other benefits are per year: see the year "
    "table.": "采用爬坡、成本项和其他收益按年填写：见逐年表。",
    "Input": "输入",
    "Year by year": "逐年明细",
    "The rows and labels of the workbook's Calculation sheet. Costs are 0 after the "
    "horizon; benefits start in year 1.": (
        "行与名称同工作簿的 Calculation 工作表。评估期后成本为 0；收益从第 1 年开始。"
    ),
    "Charts (years 0..horizon)": "图表（第 0 年至评估期末）",
    "Each scenario appraised as the base case; n/a: the metric does not exist for it.": (
        "每个情景按基准案例的方法评估；不适用：该指标对该情景不存在。"
    ),
    "Sensitivity of the NPV (tornado data)": "NPV 敏感性分析（龙卷风图数据）",
    "A per-year input (a cost line, the adoption ramp): its low, base and high by year "
    "follow on the next page.": (
        "逐年输入（成本项、采用爬坡）：其逐年的低值、基准值和高值见下一页。"
    ),
    "by year": "逐年",
    "Per-year inputs of the tornado: low, base and high by year": (
        "龙卷风图中的逐年输入：逐年的低值、基准值和高值"
    ),
    "Monte Carlo simulation": "蒙特卡洛模拟",
    "Mean": "均值",
    "Std deviation": "标准差",
    "Share < 0": "小于 0 的比例",
    "Defined": "有定义的比例",
    "Distribution of the NPV (histogram)": "NPV 的分布（直方图）",
    "Page &P of &N": "第 &P 页，共 &N 页",
    "Below the base NPV": "低于基准 NPV",
    "Above the base NPV": "高于基准 NPV",
    "NPV from": "NPV 自",
    "NPV to": "NPV 至",
    "Draws": "抽样次数",
    "NPV": "净现值 NPV",
    "IRR": "内部收益率 IRR",
    "MIRR": "修正内部收益率 MIRR",
    "ROI": "投资回报率 ROI",
}
