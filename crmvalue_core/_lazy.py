"""Loading a package's heavy modules on first use (PEP 562: a module ``__getattr__``).

``crmvalue appraise`` needs numpy and the appraisal model, not pandas or scipy; the Excel
functions and the other commands need them. So a package ``__init__`` names where each
public name lives, and the module that holds it is imported when the name is first
looked up (``crmvalue_core.bgnbd_fit``, ``from crmvalue_core import bgnbd_fit``), then
kept in the package's namespace like an eager import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str,
    names: Mapping[str, str],
    namespace: dict[str, Any],
    modules: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` that import on first use.

    ``names`` maps each public name to the submodule (relative, without the dot) that
    defines it; ``modules`` lists the submodules reachable as attributes; ``namespace`` is
    the package's ``globals()``, where each value found is kept. When a submodule is
    imported for a name, all its names are kept at once: so a function named like its
    module (``scenarios`` of ``appraisal.scenarios``) stays the function, as with eager
    imports, although importing the module sets the package's attribute to the module.

    >>> import sys, types
    >>> fake = types.ModuleType("fake")
    >>> getter, listing = lazy_names("json", {"JSONDecoder": "decoder"}, vars(fake), ["encoder"])
    >>> getter("JSONDecoder").__module__, getter("encoder").__name__
    ('json.decoder', 'json.encoder')
    >>> "JSONDecoder" in vars(fake), [name for name in listing() if not name.startswith("_")]
    (True, ['JSONDecoder', 'encoder'])
    >>> getter("missing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'json' has no attribute 'missing'
    """
    submodules = frozenset(modules)

    def __getattr__(name: str) -> Any:
        if name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        elif name in names:
            module = importlib.import_module(f"{package}.{names[name]}")
            for other, home in names.items():
                if home == names[name]:
                    namespace[other] = getattr(module, other)
            value = namespace[name]
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names) | submodules)

    return __getattr__, __dir__
