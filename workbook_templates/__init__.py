"""The workbook layer: the appraisal template and every workbook crmvalue reads or writes.

It sits between the command line and Excel add-in (:mod:`addin`) above and the calculator
(:mod:`crmvalue_core`) below, and imports only downwards. Modules:

* :mod:`.builder`: builds the template ``crm_appraisal.xlsx`` (a package, one module per
  sheet; ``python -m workbook_templates.builder`` rewrites the committed file);
* :mod:`._spec`: the template's layout (sheet names, the blocks of the Inputs sheet, the
  defined names); what each input is and accepts is the core's
  :data:`crmvalue_core.appraisal.INPUTS`;
* :mod:`.reader`: reads a filled template (by defined names) into the core's inputs;
* :mod:`.filler`: writes a case into a copy of the template;
* :mod:`.results`: the results workbook of ``crmvalue appraise --out`` (values and charts);
* :mod:`.libreoffice`: LibreOffice Calc, headless: recalculate workbooks, print PDFs;
* :mod:`.serialise`: workbooks to deterministic xlsx bytes;
* :mod:`.files`: the packaged template, the one atomic writer and the one xlsx guard;
* :mod:`.errors`: :class:`~.errors.FileError`, :class:`~.errors.TemplateError`,
  :class:`~.errors.ToolError` and the LibreOffice errors.

Import from the modules (``from workbook_templates.reader import read_inputs``): this
package imports nothing itself, so ``crmvalue new`` starts without openpyxl.
"""
