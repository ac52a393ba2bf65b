"""A LibreOffice profile in which the add-in's Excel functions compute.

LibreOffice resolves a formula name it does not know to a Basic function of the same
name in the profile's Standard library. :func:`make_addin_profile` writes such a profile:

* ``user/basic/Standard/CrmValueAddin.xba``: one Basic function per add-in function
  (``Function NPV_CRM(Optional a1, Optional a2, Optional a3)``), which passes its
  arguments and which of them the formula gives to :func:`addin.libreoffice.bridge.call`
  through the Python script provider
  (``MasterScriptProviderFactory`` and the URI
  ``vnd.sun.star.script:crmvalue_bridge.py$call?language=Python&location=user``, so no
  document is involved), and turns a table it gets back into a 2-D Basic array;
* ``user/Scripts/python/crmvalue_bridge.py`` (a copy of :mod:`addin.libreoffice.bridge`)
  and ``crmvalue_bridge.json``, its settings: the folder that holds the ``addin`` package
  (found from this file), the module (``addin.udfs``), the Python and site-packages of
  the running environment, which arguments are ranges (from :mod:`addin.excel.registry`), the
  mode, and the log file.

So ``=NPV_CRM(0.1, A1:A5)`` in a workbook recalculated with this profile calls the real
``addin.udfs.NPV_CRM``. ``crmvalue demo`` uses it so that the add-in cells of the
recalculated workbook and of the PDF show values (not ``#NAME?``), and the tests use it
to prove the template's add-in cells in a real spreadsheet engine (``docs/template.md``). A
result with several values fills the cells only as an array formula over its size
(LibreOffice 7.4 has no dynamic arrays: a normal formula cell shows the first value).

LibreOffice's Python script provider is a separate Debian package:
``apt-get install -y --no-install-recommends libreoffice-script-provider-python``
(it brings ``python3-uno`` and the system Python 3). :func:`binding_unavailable` says
whether the binding can run here.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from workbook_templates.basic_macros import SETUP_DONE, write_basic_library
from workbook_templates.libreoffice import find_soffice, make_profile

from . import bridge as bridge_module
from .bridge import CONFIG_NAME

#: The folder that holds the ``addin`` package (the repo root of a development install),
#: which the bridge puts first on ``sys.path``: this file is ``addin/libreoffice/binding.py``.
IMPORT_ROOT = Path(__file__).resolve().parents[2]
#: The bridge's source (:mod:`addin.libreoffice.bridge`), copied into each profile under
#: the name :data:`BRIDGE_NAME`, the name the Basic functions call it by.
BRIDGE_SOURCE = Path(bridge_module.__file__)
BRIDGE_NAME = "crmvalue_bridge.py"
LOG_NAME = "crmvalue_bridge.log"
BASIC_MODULE = "CrmValueAddin"
#: A Basic function that tells how the bridge runs (``mode=... python=...``).
INFO_FUNCTION = "CRMVALUE_BRIDGE_INFO"
#: How many extra optional arguments a Python function with ``*args`` gets in Basic.
MAX_VARARGS = 30
#: How to install what the binding needs besides LibreOffice Calc.
PROVIDER_INSTALL_HINT = (
    "install LibreOffice's Python script provider, e.g. on Debian or Ubuntu: "
    "apt-get install -y --no-install-recommends libreoffice-script-provider-python"
)
MODES = ("auto", "inprocess", "subprocess")


@dataclass(frozen=True)
class FunctionSpec:
    """An add-in function as the binding needs it: its name and its arguments in order,
    with which are ranges (handed over as a list of rows, xlwings' ``ndim=2``)."""

    name: str
    args: tuple[str, ...]
    ranges: tuple[bool, ...]
    varargs: bool = False


def registry_specs() -> list[FunctionSpec]:
    """Every Excel function of :mod:`addin.excel.registry`, in the registry's order."""
    registry = import_module("addin.excel.registry")
    return [
        FunctionSpec(
            name=function.name,
            args=tuple(arg.name for arg in function.args),
            ranges=tuple(arg.kind == registry.RANGE for arg in function.args),
        )
        for function in registry.FUNCTIONS
    ]


def module_specs(module: str) -> list[FunctionSpec]:
    """Every public function of ``module`` whose name is upper case (an Excel name), read
    from its signature; no argument is a range (xlwings' default conversion)."""
    imported = import_module(module)
    specs = []
    for name, value in sorted(vars(imported).items()):
        if not (callable(value) and name.isupper() and not name.startswith("_")):
            continue
        params = list(inspect.signature(value).parameters.values())
        fixed = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = any(p.kind is p.VAR_POSITIONAL for p in params)
        specs.append(FunctionSpec(name, tuple(fixed), (False,) * len(fixed), varargs))
    return specs


def python_script_provider() -> Path | None:
    """LibreOffice's Python script provider (``pythonscript.py``), or None when missing."""
    soffice = find_soffice()
    if soffice is None:
        return None
    program = Path(os.path.realpath(soffice)).parent
    for candidate in (program / "pythonscript.py", program.parent / "Resources/pythonscript.py"):
        if candidate.is_file():
            return candidate
    return None


def binding_unavailable(module: str = "addin.udfs") -> str | None:
    """Why the add-in binding cannot run here, or None when it can.

    The reason (for the user, or for ``pytest.skip``): LibreOffice or its Python script
    provider missing (with how to install them), or ``module`` not importable.
    """
    from workbook_templates.libreoffice import INSTALL_HINT

    if find_soffice() is None:
        return f"LibreOffice Calc is not installed; {INSTALL_HINT}"
    if python_script_provider() is None:
        return f"LibreOffice's Python script provider is not installed; {PROVIDER_INSTALL_HINT}"
    try:
        import_module(module)
    except Exception as error:
        return f"{module} does not import ({type(error).__name__}: {error})"
    return None


def _python_facts(python: str) -> tuple[list[int], list[str]]:
    """The version and site-packages folders of the Python ``python``."""
    if Path(python).resolve() == Path(sys.executable).resolve():
        dirs = list(site.getsitepackages())
        if site.ENABLE_USER_SITE and Path(site.getusersitepackages()).is_dir():
            dirs.append(site.getusersitepackages())
        return list(sys.version_info[:2]), dirs
    script = (
        "import json, site, sys; print(json.dumps([list(sys.version_info[:2]), "
        "site.getsitepackages()]))"
    )
    result = subprocess.run(
        [python, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    version, dirs = json.loads(result.stdout)
    return version, dirs


def _basic_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def basic_source(specs: list[FunctionSpec]) -> str:
    """The Basic module: a shared caller, then one function per add-in function."""
    lines = [
        "REM Written by addin/libreoffice/binding.py: each function calls the add-in",
        "REM through the Python bridge (crmvalue_bridge.py in the profile).",
        "Option Explicit",
        "",
        "Private oCrmValueCall As Object",
        "",
        "Private Function CrmValueScript(sName As String) As Object",
        "\tDim oFactory As Object",
        "\tDim oProvider As Object",
        '\toFactory = createUnoService("com.sun.star.script.provider.MasterScriptProviderFactory")',
        '\toProvider = oFactory.createScriptProvider("")',
        "\tCrmValueScript = oProvider.getScript("
        + _basic_string(f"vnd.sun.star.script:{BRIDGE_NAME}$")
        + " & sName & "
        + _basic_string("?language=Python&location=user")
        + ")",
        "End Function",
        "",
        "Private Function CrmValueCall(sName As String, aArgs As Variant, sGiven As String)"
        " As Variant",
        "\tOn Error GoTo Failed",
        "\tDim vResult As Variant",
        "\tDim aTable() As Variant",
        "\tDim nRows As Long",
        "\tDim nCols As Long",
        "\tDim i As Long",
        "\tDim j As Long",
        "\tDim k As Long",
        "\tIf IsNull(oCrmValueCall) Then",
        '\t\toCrmValueCall = CrmValueScript("call")',
        "\tEnd If",
        "\tvResult = oCrmValueCall.invoke(Array(sName, aArgs, sGiven), Array(), Array())",
        "\tIf IsArray(vResult) Then",
        "\t\tnRows = vResult(0)",
        "\t\tnCols = vResult(1)",
        "\t\tReDim aTable(1 To nRows, 1 To nCols)",
        "\t\tk = 2",
        "\t\tFor i = 1 To nRows",
        "\t\t\tFor j = 1 To nCols",
        "\t\t\t\taTable(i, j) = vResult(k)",
        "\t\t\t\tk = k + 1",
        "\t\t\tNext j",
        "\t\tNext i",
        "\t\tCrmValueCall = aTable",
        "\tElse",
        "\t\tCrmValueCall = vResult",
        "\tEnd If",
        "\tExit Function",
        "Failed:",
        '\tCrmValueCall = "crmvalue bridge (Basic): " & Error$ & " (error " & Err & ")"',
        "End Function",
        "",
        f"Function {INFO_FUNCTION}() As Variant",
        "\tOn Error GoTo Failed",
        "\tDim oScript As Object",
        f"\toScript = CrmValueScript({_basic_string('info')})",
        "\t" + INFO_FUNCTION + " = oScript.invoke(Array(), Array(), Array())",
        "\tExit Function",
        "Failed:",
        f'\t{INFO_FUNCTION} = "crmvalue bridge (Basic): " & Error$',
        "End Function",
    ]
    for spec in specs:
        count = len(spec.args) + (MAX_VARARGS if spec.varargs else 0)
        params = ", ".join(f"Optional a{i + 1} As Variant" for i in range(count))
        lines += ["", f"Function {spec.name}({params}) As Variant"]
        if count:
            lines += [f"\tDim aArgs({count - 1}) As Variant"]
        else:
            lines += ["\tDim aArgs() As Variant"]
        lines += ["\tDim sGiven As String"]
        for i in range(count):
            lines += [
                f"\tIf IsMissing(a{i + 1}) Then",
                '\t\tsGiven = sGiven & "0"',
                "\tElse",
                f"\t\taArgs({i}) = a{i + 1}",
                '\t\tsGiven = sGiven & "1"',
                "\tEnd If",
            ]
        lines += [
            f"\t{spec.name} = CrmValueCall({_basic_string(spec.name)}, aArgs, sGiven)",
            "End Function",
        ]
    return "\n".join(lines) + "\n"


def make_addin_profile(
    directory: str | os.PathLike[str],
    specs: list[FunctionSpec] | None = None,
    *,
    module: str = "addin.udfs",
    mode: str = "auto",
    python: str = sys.executable,
) -> Path:
    """Write a LibreOffice profile in which each function of ``specs`` calls ``module``.

    ``specs`` defaults to every function of :mod:`addin.excel.registry`. ``mode`` is how the
    add-in runs (see :mod:`addin.libreoffice.bridge`): ``"auto"``, ``"inprocess"`` (in
    LibreOffice's own Python) or ``"subprocess"`` (in a worker process of ``python``,
    by default the Python running this code). Use the profile with
    :func:`workbook_templates.libreoffice.recalculate` (``profile=``); the bridge writes
    what goes wrong to ``crmvalue_bridge.log`` in it.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if specs is None:
        specs = registry_specs()
    # A new profile gets LibreOffice's presets (an empty Standard library among them) on
    # its first start, which would replace the library written here: mark the setup done.
    root = make_profile(directory, settings=[SETUP_DONE])
    user = root / "user"
    write_basic_library(root, {BASIC_MODULE: basic_source(specs)})
    scripts = user / "Scripts" / "python"
    scripts.mkdir(parents=True, exist_ok=True)
    bridge = scripts / BRIDGE_NAME
    shutil.copyfile(BRIDGE_SOURCE, bridge)
    version, site_dirs = _python_facts(python)
    config = {
        "import_root": str(IMPORT_ROOT),
        "module": module,
        "mode": mode,
        "python": python,
        "python_version": version,
        "site_dirs": site_dirs,
        "bridge": str(bridge.resolve()),
        "config_path": str((scripts / CONFIG_NAME).resolve()),
        "log": str((root / LOG_NAME).resolve()),
        "functions": {
            spec.name: {
                "args": [
                    {"name": name, "range": is_range}
                    for name, is_range in zip(spec.args, spec.ranges, strict=True)
                ]
            }
            for spec in specs
        },
    }
    (scripts / CONFIG_NAME).write_text(json.dumps(config, indent=1), encoding="utf-8")
    return root


def bridge_log(profile: str | os.PathLike[str]) -> str:
    """What the bridge logged in ``profile`` (empty when nothing went wrong)."""
    path = Path(profile) / LOG_NAME
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
