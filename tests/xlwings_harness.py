"""Drive xlwings' real classic UDF machinery on a machine without Windows or Excel.

On Linux ``xw.func`` and friends are no-ops and ``xlwings.udfs`` cannot be imported (it
needs pywin32). :func:`classic_xlwings` sets up just enough for the real code to run:

1. stand-in modules for ``pythoncom``, ``pywintypes`` and ``win32com.client`` go into
   ``sys.modules`` and the real ``xlwings.udfs`` is imported (fresh);
2. ``xlwings.func/arg/ret`` are bound to ``udfs.xlfunc/xlarg/xlret`` and ``addin.udfs`` is
   imported fresh under them, so every UDF gets its real ``__xlfunc__`` record; the
   decorators, ``sys.modules["addin.udfs"]`` and ``addin.udfs`` are restored right after,
   so other tests see the module as usual;
3. an "excel" engine is registered whose value cleaning is the very code of
   ``xlwings._xlwindows`` (``Engine``, ``_clean_value_data_element``, ``cell_errors``...,
   read from the installed xlwings' source with :mod:`ast` and run here, since the module
   itself needs Windows), plus stand-ins for what ``call_udf`` touches of COM: the
   ``xlwings._xlwindows.Range`` wrapper and ``is_range_instance``, and
   ``xlwings.com_server.loop``.

Then :meth:`ClassicXlwings.call` runs the real ``xlwings.udfs.call_udf`` with arguments
shaped as the VBA wrapper hands them over COM: a range as a COM range object whose
``Value`` is what pywin32 gives (a scalar for one cell, a tuple of row tuples otherwise;
numbers as floats, an empty cell as None, an error cell as its integer code, a date as a
``pywintypes`` time, a currency-formatted cell as a ``Decimal``), an array constant as a
tuple, and an omitted optional argument as -2147352572. ``call_udf`` converts each
argument with ``xlwings.conversion.read`` and the result with ``xlwings.conversion.write``
using the options the decorators recorded, exactly as in Excel.

What this cannot prove: the COM server, the VBA that Excel compiles and runs,
``Application.MacroOptions`` (descriptions in the function wizard) and the ribbon.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import importlib
import io
import sys
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: What VBA hands over for an omitted ``Optional`` argument (DISP_E_PARAMNOTFOUND).
MISSING = -2147352572
#: The module Excel's "UDF Modules" setting names.
UDF_MODULE = "addin.udfs"


class Omitted:
    """An argument left out of the formula (``=CLV(100, 0.8, 0.12, , 0.05)``)."""

    def __repr__(self) -> str:
        return "OMIT"


#: Pass this to :meth:`ClassicXlwings.call` for an omitted optional argument.
OMIT = Omitted()


@dataclass(frozen=True)
class XlError:
    """A cell holding an Excel error value, e.g. ``XlError("#N/A")``."""

    text: str


@dataclass(frozen=True)
class Currency:
    """A number in a cell formatted as currency: COM hands it over as a ``Decimal``."""

    value: float


class StandInTime(dt.datetime):
    """``pywintypes.TimeType``: pywin32 hands dates over as tz-aware datetimes."""


class ComRange:
    """A range argument as the VBA wrapper passes it: a COM ``Range`` object.

    ``rows`` are the cells' values as a user types them (numbers, text, None for an empty
    cell, :class:`XlError`, dates, :class:`Currency`); ``Value`` gives them as pywin32
    does.
    """

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        self.rows = [list(row) for row in rows]
        if not self.rows or len({len(row) for row in self.rows}) != 1:
            raise ValueError("a range is a non-empty rectangle of cells")

    @classmethod
    def column(cls, values: Sequence[Any]) -> ComRange:
        """A single column of cells."""
        return cls([[value] for value in values])

    @classmethod
    def row(cls, values: Sequence[Any]) -> ComRange:
        """A single row of cells."""
        return cls([list(values)])

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.rows), len(self.rows[0])

    @functools.cached_property
    def Value(self) -> Any:  # the COM property's name
        """What ``Range.Value`` returns through pywin32 (worked out once per range)."""
        if self.shape == (1, 1):
            return com_value(self.rows[0][0])
        return tuple(tuple(com_value(value) for value in row) for row in self.rows)


# ---------------------------------------------------------------------------------------
# The "excel" engine: the value cleaning of xlwings._xlwindows, run from its source
# ---------------------------------------------------------------------------------------


def _stand_in_modules() -> dict[str, types.ModuleType]:
    """Modules ``xlwings.udfs`` imports from pywin32, with what it uses of them."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = "{00020400-0000-0000-C000-000000000046}"

    def no_com(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no COM on this machine: the harness stands in for Excel")

    pythoncom.CoMarshalInterThreadInterfaceInStream = no_com
    pythoncom.CoGetInterfaceAndReleaseStream = no_com

    pywintypes = types.ModuleType("pywintypes")

    class com_error(Exception):  # pywin32's name
        """pywintypes.com_error."""

    pywintypes.com_error = com_error
    pywintypes.TimeType = StandInTime
    pywintypes.IID = str

    win32com = types.ModuleType("win32com")
    win32com.__path__ = []
    client = types.ModuleType("win32com.client")
    client.Dispatch = no_com
    win32com.client = client
    return {
        "pythoncom": pythoncom,
        "pywintypes": pywintypes,
        "win32com": win32com,
        "win32com.client": client,
    }


_ENGINE_NAMES = {"_com_time_to_datetime", "_datetime_to_com_time", "_clean_value_data_element"}


def _load_windows_engine(pywintypes: types.ModuleType) -> dict[str, Any]:
    """Run the value-cleaning code of the installed ``xlwings/_xlwindows.py``.

    Takes ``Engine``, ``cell_errors``, ``time_types`` and the three date/value helpers
    from the module's syntax tree and executes them with stand-ins for the Windows-only
    names they use, so the harness cleans values exactly as xlwings on Windows does.
    """
    import xlwings
    from xlwings.utils import np_datetime_to_datetime

    path = Path(xlwings.__file__).with_name("_xlwindows.py")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    picked: list[ast.stmt] = []
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in _ENGINE_NAMES:
            picked.append(node)
            found.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name == "Engine":
            picked.append(node)
            found.add("Engine")
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in ("cell_errors", "time_types")
            for target in node.targets
        ):
            picked.append(node)
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "np"
            and "time_types" in ast.unparse(node)
        ):
            picked.append(node)
    missing = (_ENGINE_NAMES | {"Engine", "cell_errors", "time_types"}) - found
    if missing:
        raise RuntimeError(f"xlwings/_xlwindows.py no longer defines {sorted(missing)}")

    win32timezone = types.ModuleType("win32timezone")
    win32timezone.TimeZoneInfo = types.SimpleNamespace(utc=lambda: dt.timezone.utc)
    namespace: dict[str, Any] = {
        "__name__": "xlwings._xlwindows (harness)",
        "dt": dt,
        "np": np,
        "pd": pd,
        "pywintypes": pywintypes,
        "win32timezone": win32timezone,
        "np_datetime_to_datetime": np_datetime_to_datetime,
        "xlwings": xlwings,
    }
    code = compile(ast.Module(body=picked, type_ignores=[]), str(path), "exec")
    exec(code, namespace)  # the installed xlwings' own code
    return namespace


_WINDOWS: dict[str, Any] = {}


def _windows() -> dict[str, Any]:
    if not _WINDOWS:
        _WINDOWS.update(_load_windows_engine(_stand_in_modules()["pywintypes"]))
    return _WINDOWS


def error_codes() -> dict[str, int]:
    """Excel's error values and the integer codes pywin32 hands over for them."""
    return {text: code for code, text in _windows()["cell_errors"].items()}


def com_value(value: Any) -> Any:
    """A cell's value as pywin32 hands it over (``Range.Value`` or an array constant)."""
    if isinstance(value, XlError):
        return error_codes()[value.text]
    if isinstance(value, Currency):
        return Decimal(str(round(value.value, 4)))  # VBA's Currency: 4 decimal places
    if isinstance(value, bool) or value is None or isinstance(value, (str, Decimal)):
        return value
    if isinstance(value, dt.datetime):
        return StandInTime(*value.timetuple()[:6], tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return StandInTime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, (int, float, np.number)):
        return float(value)  # every number in a cell is a double
    raise TypeError(f"a cell cannot hold {value!r}")


# ---------------------------------------------------------------------------------------
# Stand-ins for the COM objects call_udf wraps
# ---------------------------------------------------------------------------------------


class _AppImpl:
    pid = 4242

    def __init__(self, engine: Any) -> None:
        self.engine = engine


class _BookImpl:
    name = "crmvalue.xlsm"

    def __init__(self, app: _AppImpl) -> None:
        self.app = app


class _SheetImpl:
    name = "Sheet1"

    def __init__(self, book: _BookImpl) -> None:
        self.book = book


class _RangeImpl:
    """Stands in for ``xlwings._xlwindows.Range``: reads ``Value`` of the COM range."""

    max_cells_per_read = None
    max_cells_per_write = None
    sheet: _SheetImpl

    def __init__(self, xl: Any = None) -> None:
        self.xl = xl
        self.options: dict[str, Any] = {}

    @property
    def raw_value(self) -> Any:
        return self.xl.Value if self.xl is not None else None

    @property
    def api(self) -> Any:
        return self.xl


def _windows_module(engine: Any) -> types.ModuleType:
    """The ``xlwings._xlwindows`` attributes ``call_udf`` uses."""
    module = types.ModuleType("xlwings._xlwindows")
    sheet = _SheetImpl(_BookImpl(_AppImpl(engine)))

    class Range(_RangeImpl):
        pass

    Range.sheet = sheet
    module.Range = Range
    module.is_range_instance = lambda value: isinstance(value, ComRange)
    module.BOOK_CALLER = None
    return module


# ---------------------------------------------------------------------------------------
# The harness
# ---------------------------------------------------------------------------------------


@dataclass
class ClassicXlwings:
    """The real ``xlwings.udfs`` and ``addin.udfs`` as imported under classic xlwings."""

    udfs: types.ModuleType
    module: types.ModuleType
    engine: Any

    def functions(self) -> dict[str, Any]:
        """The UDFs ``generate_vba_wrapper`` would find: every object with ``__xlfunc__``."""
        return {
            name: getattr(self.module, name)
            for name in dir(self.module)
            if hasattr(getattr(self.module, name), "__xlfunc__")
        }

    def vba(self, workbook: str = "crmvalue.xlsm") -> str:
        """The VBA module ``Import Functions`` writes, from ``generate_vba_wrapper``."""
        out = io.StringIO()
        self.udfs.generate_vba_wrapper(
            UDF_MODULE, self.module, out, types.SimpleNamespace(Name=workbook)
        )
        return out.getvalue()

    def call(self, name: str, *args: Any) -> Any:
        """Call the Excel function ``name`` through ``xlwings.udfs.call_udf``.

        Each argument is a :class:`ComRange` (a range), :data:`OMIT`, a list or tuple (an
        array constant: flat for one row, rows of tuples otherwise) or one value; arguments
        left off the end are passed as Missing, as the VBA wrapper does. Returns what
        ``call_udf`` hands back to VBA: a list of rows.
        """
        declared = len(getattr(self.module, name).__xlfunc__["args"])
        if len(args) > declared:
            raise TypeError(f"{name} takes at most {declared} arguments")
        # VBA's Array(...) passes every declared argument: one left off is Missing.
        padded = (*args, *[OMIT] * (declared - len(args)))
        com_args = tuple(self._vba_argument(arg) for arg in padded)
        return self.udfs.call_udf(UDF_MODULE, name, com_args, None, ComRange([[None]]))

    def converted(self, name: str, *args: Any) -> list[Any]:
        """The arguments as ``call_udf`` hands them to the function ``name``.

        Each goes through ``conversion.read`` with the options the decorators recorded;
        an omitted one is the declared default, as in :meth:`call`.
        """
        from xlwings import conversion
        from xlwings.main import Range

        xlwings = sys.modules["xlwings"]
        declared = getattr(self.module, name).__xlfunc__["args"]
        padded = (*args, *[OMIT] * (len(declared) - len(args)))
        values = []
        for arg, arg_info in zip(padded, declared, strict=True):
            com_arg = self._vba_argument(arg)
            if isinstance(com_arg, int) and com_arg == MISSING:
                values.append(arg_info.get("optional", None))
            elif isinstance(com_arg, ComRange):
                rng = Range(impl=xlwings._xlwindows.Range(xl=com_arg))
                values.append(conversion.read(rng, None, arg_info["options"]))
            else:
                values.append(conversion.read(None, com_arg, arg_info["options"]))
        return values

    def convert_only(self, name: str, result: Any, *args: Any) -> Any:
        """xlwings' own conversion of a call to ``name`` and nothing else (a floor).

        Converts the arguments as :meth:`call` does (:meth:`converted`) and ``result``
        as the result (``conversion.write`` with the return options), without calling
        the function: what any UDF declared like ``name`` pays xlwings for these
        arguments and a result of that shape.
        """
        from xlwings import conversion

        self.converted(name, *args)
        info = getattr(self.module, name).__xlfunc__
        return conversion.write(result, None, info["ret"]["options"])

    def value(self, name: str, *args: Any) -> Any:
        """What the formula's own cell shows (the top-left value of :meth:`call`)."""
        return self.call(name, *args)[0][0]

    @staticmethod
    def _vba_argument(arg: Any) -> Any:
        if arg is OMIT:
            return MISSING
        if isinstance(arg, ComRange):
            return arg
        if isinstance(arg, (list, tuple)):
            if arg and all(isinstance(row, (list, tuple)) for row in arg):
                if len(arg) == 1:  # a one-row constant arrives as a 1-D array
                    return tuple(com_value(value) for value in arg[0])
                return tuple(tuple(com_value(value) for value in row) for row in arg)
            return tuple(com_value(value) for value in arg)
        return com_value(arg)


@contextlib.contextmanager
def classic_xlwings() -> Iterator[ClassicXlwings]:
    """Set up classic xlwings (see the module docstring); undo it all on exit."""
    import xlwings

    stand_ins = _stand_in_modules()
    windows = _windows()
    watched = [*stand_ins, "xlwings.udfs", "xlwings.com_server", UDF_MODULE]
    saved_modules = {name: sys.modules.get(name) for name in watched}
    saved_attrs = {
        name: getattr(xlwings, name, None) for name in ("func", "arg", "ret", "_xlwindows", "udfs")
    }
    import addin

    saved_addin_udfs = getattr(addin, "udfs", None)
    engine = xlwings.main.Engine(impl=windows["Engine"]())
    added_engine = "excel" not in xlwings.engines.engines_by_name
    try:
        sys.modules.update(stand_ins)
        sys.modules.pop("xlwings.udfs", None)
        udfs = importlib.import_module("xlwings.udfs")
        sys.modules["xlwings.com_server"] = types.ModuleType("xlwings.com_server")
        sys.modules["xlwings.com_server"].loop = None
        if added_engine:
            xlwings.engines.add(engine)
        xlwings._xlwindows = _windows_module(windows["Engine"]())

        xlwings.func, xlwings.arg, xlwings.ret = udfs.xlfunc, udfs.xlarg, udfs.xlret
        try:
            sys.modules.pop(UDF_MODULE, None)
            module = importlib.import_module(UDF_MODULE)
        finally:
            xlwings.func, xlwings.arg, xlwings.ret = (
                saved_attrs["func"],
                saved_attrs["arg"],
                saved_attrs["ret"],
            )
            _restore_module(UDF_MODULE, saved_modules[UDF_MODULE])
            _restore_attr(addin, "udfs", saved_addin_udfs)
        udfs.udf_modules[UDF_MODULE] = {
            "filename": module.__file__,
            "filetime": None,  # never reload: this is the module imported under the harness
            "module": module,
        }
        yield ClassicXlwings(udfs=udfs, module=module, engine=engine)
    finally:
        if added_engine and "excel" in xlwings.engines.engines_by_name:
            xlwings.engines.engines.remove(xlwings.engines.engines_by_name.pop("excel"))
        for name in ("func", "arg", "ret", "_xlwindows", "udfs"):
            _restore_attr(xlwings, name, saved_attrs[name])
        for name, module in saved_modules.items():
            _restore_module(name, module)


def _restore_module(name: str, module: types.ModuleType | None) -> None:
    if module is None:
        sys.modules.pop(name, None)
    else:
        sys.modules[name] = module


def _restore_attr(owner: Any, name: str, value: Any) -> None:
    if value is None:
        if hasattr(owner, name):
            delattr(owner, name)
    else:
        setattr(owner, name, value)
