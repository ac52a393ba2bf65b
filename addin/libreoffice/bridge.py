"""The add-in bridge for LibreOffice: it runs inside LibreOffice's own Python.

:mod:`addin.libreoffice.binding` copies this file into a LibreOffice profile as
``user/Scripts/python/crmvalue_bridge.py``, with ``crmvalue_bridge.json`` (its settings)
beside it, and writes one Basic function per add-in function into the profile's Standard
library. A cell ``=NPV_CRM(0.1, A1:A5)`` then runs: Calc -> Basic ``NPV_CRM`` -> the
Python script provider -> :func:`call` here -> ``addin.udfs.NPV_CRM``, the real function.

:func:`call` hands the function what xlwings would hand it in Excel, and gives Basic back
what xlwings would give Excel:

* a range argument of the registry (``@xw.arg(..., ndim=2)``) arrives as a list of rows,
  even for one cell; any other argument as xlwings' default: one value for one cell, a
  flat list for one row or one column, a list of rows for a table; a blank cell is
  ``None``; numbers are floats (LibreOffice hands Basic whole numbers as integers);
* an argument left out at the end of the formula is not passed (the function's default
  applies); one left out in the middle arrives as 0 from LibreOffice (see below);
* a result that is one value goes back as it is (numpy scalars as Python numbers,
  dates as Excel serial numbers); a list goes back as a table (a flat list as one row,
  as xlwings writes it), flattened as ``(rows, columns, value, value, ...)`` for Basic
  to rebuild as a 2-D array;
* an exception goes back as its text, as xlwings' VBA wrapper puts the error description
  in the cell (``addin.udfs`` itself turns a user mistake into its message).

Where LibreOffice differs from Excel (so the tests and the template avoid these cases):
Calc hands a Basic function an argument left empty in the middle of a formula
(``CLV(100, 0.8, 0.12, , 0.05)``) as 0, a TRUE cell as the number 1, and does not call
the function at all when an argument is an error value (the cell shows that error).

The add-in runs in one of two ways (``mode`` in the settings):

* ``inprocess``: LibreOffice's Python imports the add-in itself, after putting the folder
  of the ``addin`` package and the site-packages of the environment that wrote the
  profile on ``sys.path``; this needs the same Python minor version (the compiled
  packages, numpy and others, are built for it);
* ``subprocess``: one worker process of that environment's Python (this same file,
  run as a script) imports the add-in and answers one JSON line per call; it starts at
  the first call and ends when LibreOffice closes its pipe;
* ``auto`` (the default): ``inprocess`` when the Python versions match and the add-in
  imports, else ``subprocess``.

Standard library only: LibreOffice's Python has nothing else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import os
import site
import subprocess
import sys
import threading
import traceback
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

#: The name of the settings file beside the bridge in a profile.
CONFIG_NAME = "crmvalue_bridge.json"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_STATE: dict[str, Any] = {}
_LOCK = threading.RLock()


# ---------------------------------------------------------------------------------------
# What the function is handed, what goes back
# ---------------------------------------------------------------------------------------


def cell_value(value: Any) -> Any:
    """One cell's value as xlwings hands it over: a number as a float, a blank as None.

    >>> cell_value(3), cell_value(2.5), cell_value("x"), cell_value(None), cell_value(True)
    (3.0, 2.5, 'x', None, True)
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def excel_argument(value: Any, as_table: bool) -> Any:
    """An argument as xlwings hands it over: ``as_table`` for ``ndim=2``, else its default.

    LibreOffice hands a range over as a tuple of rows, one cell as one value.

    >>> excel_argument(((1,), (2,), (None,)), as_table=False)
    [1.0, 2.0, None]
    >>> excel_argument(((1, 2),), as_table=True)
    [[1.0, 2.0]]
    >>> excel_argument(5, as_table=True), excel_argument(((5,),), as_table=False)
    ([[5.0]], 5.0)
    >>> excel_argument(((1, 2), (3, 4)), as_table=False)
    [[1.0, 2.0], [3.0, 4.0]]
    """
    if not isinstance(value, (tuple, list)):
        converted = cell_value(value)
        return [[converted]] if as_table else converted
    rows = [
        [cell_value(item) for item in row] if isinstance(row, (tuple, list)) else [cell_value(row)]
        for row in value
    ]
    if as_table:
        return rows
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if len(rows) == 1:
        return rows[0]
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return rows


def result_value(value: Any) -> Any:
    """One value of a result as a cell takes it (numbers as floats, dates as serials).

    >>> result_value(2), result_value(dt.date(2008, 1, 1)), result_value(None)
    (2.0, 39448.0, None)
    """
    if hasattr(value, "item") and not isinstance(value, (list, tuple)):
        with contextlib.suppress(TypeError, ValueError):
            value = value.item()  # a numpy scalar
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EXCEL_EPOCH) / dt.timedelta(days=1)
    if isinstance(value, dt.date):
        return float((value - _EXCEL_EPOCH.date()).days)
    raise TypeError(f"a result value of type {type(value).__name__} cannot go in a cell")


def result_cells(value: Any) -> Any:
    """A function's result for Basic: one value, or ``(rows, columns, *values)``.

    >>> result_cells(16986.5)
    16986.5
    >>> result_cells([[1, "a"], [2, "b"]])
    (2, 2, 1.0, 'a', 2.0, 'b')
    >>> result_cells([1, 2, 3])
    (1, 3, 1.0, 2.0, 3.0)
    """
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()  # a numpy array (a numpy scalar gives a plain value)
    if not isinstance(value, (list, tuple)):
        return result_value(value)
    if not value:
        raise ValueError("the result is an empty list")
    if all(isinstance(row, (list, tuple)) for row in value):
        rows = [list(row) for row in value]
    elif any(isinstance(row, (list, tuple)) for row in value):
        raise ValueError("the result mixes rows and single values")
    else:
        rows = [list(value)]
    width = len(rows[0])
    if width == 0 or any(len(row) != width for row in rows):
        raise ValueError("the result's rows are empty or of different lengths")
    return (len(rows), width, *(result_value(item) for row in rows for item in row))


def error_text(error: BaseException) -> str:
    """The text a cell shows for an exception, as xlwings' VBA wrapper shows it."""
    return f"{type(error).__name__}: {error}"


def invoke(module: Any, spec: dict[str, Any], name: str, args: Any, given: str) -> Any:
    """Call ``module.NAME`` with LibreOffice's ``args`` converted; return the result for Basic.

    ``spec`` says, per argument, its name and whether it is a range (``ndim=2``);
    ``given`` has one character per argument, ``"1"`` when the formula gives it.
    An exception becomes its text (see :func:`error_text`).
    """
    function = getattr(module, name, None)
    if function is None:
        return f"{name}: no such function in {module.__name__}"
    params = spec.get("args", [])
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for index, flag in enumerate(given):
        if flag != "1":
            continue
        param = params[index] if index < len(params) else {"name": None, "range": False}
        value = excel_argument(args[index], as_table=bool(param.get("range")))
        if param["name"] is None or (not keywords and len(positional) == index):
            positional.append(value)
        else:
            keywords[param["name"]] = value
    try:
        return result_cells(function(*positional, **keywords))
    except Exception as error:
        _log(f"{name} raised:\n{traceback.format_exc()}")
        return error_text(error)


# ---------------------------------------------------------------------------------------
# Settings, log, the two ways of running the add-in
# ---------------------------------------------------------------------------------------


def _log(text: str) -> None:
    path = _STATE.get("config", {}).get("log")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"[{os.getpid()} {dt.datetime.now():%H:%M:%S}] {text.rstrip()}\n")
    except OSError:
        pass


def _config() -> dict[str, Any]:
    if "config" not in _STATE:
        here = globals().get("__file__", "")
        if here.startswith("file:"):  # LibreOffice sets __file__ to the script's URL
            here = unquote(urlparse(here).path)
        path = Path(here).with_name(CONFIG_NAME)
        _STATE["config"] = json.loads(path.read_text(encoding="utf-8"))
    return _STATE["config"]


def _put_on_path(config: dict[str, Any], site_dirs: bool) -> None:
    """Put the folder of the ``addin`` package first on ``sys.path`` (and, in LibreOffice's
    own Python, the add-in environment's site-packages right after it, ``.pth`` files
    included)."""
    before = list(sys.path)
    added: list[str] = []
    if site_dirs:
        for directory in config.get("site_dirs", []):
            site.addsitedir(directory)
        added = [path for path in sys.path if path not in before]
    rest = [path for path in before if path != config["import_root"]]
    sys.path[:] = [config["import_root"], *added, *rest]


def _module(config: dict[str, Any]) -> Any:
    return importlib.import_module(config["module"])


def _choose_mode(config: dict[str, Any]) -> str:
    wanted = config.get("mode", "auto")
    if wanted == "subprocess":
        return "subprocess"
    same = list(sys.version_info[:2]) == list(config["python_version"][:2])
    if not same:
        reason = (
            f"LibreOffice's Python is {sys.version_info[0]}.{sys.version_info[1]}, the add-in's "
            f"is {config['python_version'][0]}.{config['python_version'][1]}"
        )
        if wanted == "inprocess":
            raise RuntimeError(f"cannot run the add-in in LibreOffice's Python: {reason}")
        _log(f"{reason}: the add-in runs in a worker process")
        return "subprocess"
    try:
        _put_on_path(config, site_dirs=True)
        _module(config)
    except Exception:
        if wanted == "inprocess":
            raise
        _log(f"the add-in does not import in LibreOffice's Python:\n{traceback.format_exc()}")
        return "subprocess"
    return "inprocess"


def _mode() -> str:
    if "mode" not in _STATE:
        _STATE["mode"] = _choose_mode(_config())
        _log(f"mode {_STATE['mode']}, LibreOffice's Python {sys.version.split()[0]}")
    return _STATE["mode"]


def _as_uno(value: Any) -> Any:
    """JSON's lists back as tuples, the sequences UNO takes."""
    return tuple(value) if isinstance(value, list) else value


class _Worker:
    """One process of the add-in environment's Python that imports the add-in and answers."""

    def __init__(self, config: dict[str, Any]) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
        }
        env["PYTHONIOENCODING"] = "utf-8"
        log_path = config.get("log") or os.devnull
        with open(log_path, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [config["python"], "-u", config["bridge"], "--worker", config["config_path"]],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                encoding="utf-8",
                env=env,
                cwd=config["import_root"],
            )

    def request(self, name: str, args: Any, given: str) -> Any:
        """Send one call, wait for its answer."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"name": name, "args": args, "given": given}) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError(
                f"the worker process stopped (exit status {self.process.poll()}); see the log"
            )
        return _as_uno(json.loads(reply)["result"])


def call(name: str, args: Any, given: str) -> Any:
    """The entry point Basic calls: run add-in function ``name``; never raises.

    ``args`` holds one value per argument of the Basic function (a range as a tuple of
    rows), ``given`` one character per argument (``"1"`` given, ``"0"`` left out).
    """
    with _LOCK:
        try:
            config = _config()
            if _mode() == "inprocess":
                spec = config["functions"].get(name, {})
                return invoke(_module(config), spec, name, args, given)
            if "worker" not in _STATE:
                _STATE["worker"] = _Worker(config)
            return _STATE["worker"].request(name, args, given)
        except Exception as error:
            _log(f"bridge failure in {name}:\n{traceback.format_exc()}")
            return f"crmvalue bridge: {error_text(error)}"


def info(*_unused: Any) -> str:
    """How the add-in runs: ``mode=inprocess python=3.11.2 module=addin.udfs``."""
    with _LOCK:
        try:
            mode = _mode()
        except Exception as error:
            mode = f"failed ({error_text(error)})"
        config = _STATE.get("config", {})
        text = f"mode={mode} python={sys.version.split()[0]} module={config.get('module', '?')}"
        if mode == "subprocess":
            text += f" worker={config.get('python', '?')}"
        return text


def worker_main(config_path: str) -> int:
    """The worker process: answer one JSON line per JSON request line until stdin closes."""
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    _STATE["config"] = config
    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever the add-in prints must not break the protocol
    _put_on_path(config, site_dirs=False)
    try:
        module = _module(config)
    except Exception as error:
        _log(f"the worker cannot import {config['module']}:\n{traceback.format_exc()}")
        module = None
        failure = f"crmvalue bridge: cannot import {config['module']}: {error_text(error)}"
    for line in sys.stdin:
        request = json.loads(line)
        if module is None:
            result: Any = failure
        else:
            spec = config["functions"].get(request["name"], {})
            result = invoke(module, spec, request["name"], request["args"], request["given"])
        # JSON between two Pythons carries NaN and Infinity as they are.
        answers.write(json.dumps({"result": result}) + "\n")
        answers.flush()
    return 0


g_exportedScripts = (call, info)  # what LibreOffice lists as macros of this file

if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--worker":
    sys.exit(worker_main(sys.argv[2]))
