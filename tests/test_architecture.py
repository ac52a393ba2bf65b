"""Guards of the architecture: the layers import downwards only, and the repository stands alone.

The three packages are layers (docs/architecture.md): ``addin`` may import
``workbook_templates``, which may import ``crmvalue_core``, never the other way round, and the
calculator imports no workbook, Excel or plotting library. Modules are read with :mod:`ast`,
never imported, so a guard has no import side effects and sees every import, including those
inside functions (lazy imports) and under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The installed packages, top layer first.
PACKAGES = ("addin", "workbook_templates", "crmvalue_core")
#: Code of this repository: the packages and the development tools.
FIRST_PARTY = (*PACKAGES, "tools")


@dataclass(frozen=True)
class LayerRule:
    """What the modules of one package must not import (top-level package names)."""

    package: str
    forbidden: frozenset[str]
    why: str


LAYER_RULES = (
    LayerRule(
        "crmvalue_core",
        frozenset(
            {"workbook_templates", "addin", "tools", "openpyxl", "xlwings", "matplotlib"}
            | {"defusedxml", "xlsxwriter"}
        ),
        "the calculator is numpy, pandas and scipy only: no workbook, Excel, plotting or I/O",
    ),
    LayerRule(
        "workbook_templates",
        frozenset({"addin", "tools", "xlwings", "matplotlib"}),
        "the workbook layer sits below the add-in and draws its charts with openpyxl",
    ),
    LayerRule(
        "addin",
        frozenset({"tools"}),
        "tools/ holds development tools that are not installed with the package",
    ),
)

#: Folders and documents outside the repository that nothing in it may point to (spelled in
#: pieces so that this file does not name them itself).
OUTSIDE_REFERENCES = (
    "../" + "shared",
    "shared/" + "spec",
    "shared/" + "data",
    *(f"{document}.md" for document in ("FUNCTIONS", "TEMPLATE", "ARCHITECTURE")),
)
#: Folders that are not the repository's own text (environments, caches, build output).
NOT_SOURCE = {
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",
    "dist",
    "crmvalue-demo",
    "out",
}


@dataclass(frozen=True)
class Import:
    """One import statement of a module, with the imported module made absolute."""

    module: str  # the importing module, e.g. "crmvalue_core.appraisal.model"
    line: int
    target: str  # the imported module, absolute, e.g. "crmvalue_core.discounting"
    names: tuple[str, ...] = ()  # for "from target import a, b": ("a", "b")

    @property
    def root(self) -> str:
        """The top-level package imported, e.g. "crmvalue_core"."""
        return self.target.split(".")[0]

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.module}, line {self.line}: imports {self.target}{names}"


def module_name(path: Path) -> str:
    """The dotted name of the module in ``path`` (a package for ``__init__.py``)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Every import of a module's source, relative imports resolved, without importing it.

    ``import_module("name")`` and ``importlib.import_module("name")`` with a literal name
    count as imports too.

    >>> [i.target for i in imports_in("from ..cells import describe", "crmvalue_core.a.b")]
    ['crmvalue_core.cells']
    """
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = tuple(alias.name for alias in node.names)
            found.append(Import(module, node.lineno, target, names))
        elif (
            isinstance(node, ast.Call)
            and _called_name(node.func) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(module, node.lineno, node.args[0].value))
    return found


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def modules_of(package: str) -> Iterator[Path]:
    """Every ``.py`` file of a package or folder of the repository."""
    yield from sorted((ROOT / package).rglob("*.py"))


def imports_of(path: Path) -> list[Import]:
    """Every import of the module in ``path``."""
    source = path.read_text(encoding="utf-8")
    return imports_in(source, module_name(path), is_package=path.name == "__init__.py")


def layer_violations(rule: LayerRule) -> list[str]:
    """The imports of ``rule.package`` that reach a package it must not import."""
    return [
        str(found)
        for path in modules_of(rule.package)
        for found in imports_of(path)
        if found.root in rule.forbidden
    ]


def is_repository_module(dotted: str) -> bool:
    """True when ``dotted`` is a module or package of this repository."""
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def private_names(statement: Import) -> list[str]:
    """The underscore names a ``from x import ...`` of this repository takes from ``x``.

    Importing a private *module* (``from . import _spec``, ``from .._inputs import fail``)
    is how a package shares helpers between its own modules; reaching into another module
    for one of its underscore names is not. Dunder names (``__version__``) are public.
    """
    if statement.root not in FIRST_PARTY:
        return []
    return [
        name
        for name in statement.names
        if name.startswith("_")
        and not (name.startswith("__") and name.endswith("__"))
        and not is_repository_module(f"{statement.target}.{name}")
    ]


def repository_text_files() -> Iterator[Path]:
    """The files of the repository: what git tracks or would add, else a walk of the tree."""
    git = shutil.which("git")
    listed = None
    if git and (ROOT / ".git").exists():
        result = subprocess.run(
            [git, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if result.returncode == 0:
            listed = [ROOT / name for name in result.stdout.decode().split("\0") if name]
    if listed is None:
        listed = [
            path
            for path in ROOT.rglob("*")
            if not NOT_SOURCE.intersection(path.relative_to(ROOT).parts)
            and not any(part.endswith(".egg-info") for part in path.parts)
        ]
    for path in sorted(listed):
        if path.is_file():
            yield path


def outside_references(path: Path, root: Path = ROOT) -> list[str]:
    """The lines of a text file that point outside the repository (none for binary files)."""
    data = path.read_bytes()
    if b"\0" in data:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    where = path.relative_to(root)
    return [
        f"{where}:{number}: {reference}"
        for number, line in enumerate(text.splitlines(), start=1)
        for reference in OUTSIDE_REFERENCES
        if reference in line
    ]


# --------------------------------------------------------------------------------------
# The guards
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", LAYER_RULES, ids=lambda rule: rule.package)
def test_layers_import_downwards_only(rule: LayerRule) -> None:
    assert list(modules_of(rule.package)), f"no module found in {rule.package}/"
    violations = layer_violations(rule)
    assert not violations, f"{rule.why}:\n" + "\n".join(violations)


def test_no_module_imports_another_modules_private_name() -> None:
    violations = [
        f"{statement}: {name} is private to {statement.target}"
        for package in FIRST_PARTY
        for path in modules_of(package)
        for statement in imports_of(path)
        for name in private_names(statement)
    ]
    assert not violations, "\n".join(violations)


def test_nothing_points_outside_the_repository() -> None:
    """Code, tests, docs, Makefile and CI name only what the repository holds."""
    files = list(repository_text_files())
    assert any(path.name == "pyproject.toml" for path in files)
    violations = [line for path in files for line in outside_references(path)]
    assert not violations, "\n".join(violations)


def test_tests_never_import_from_one_another() -> None:
    """Shared test helpers live in conftest.py or a helper module, not in a test module."""
    violations = [
        str(found)
        for path in modules_of("tests")
        for found in imports_of(path)
        if found.target.startswith("tests.test_")
        or (found.target == "tests" and any(n.startswith("test_") for n in found.names))
    ]
    assert not violations, "\n".join(violations)


# --------------------------------------------------------------------------------------
# The guards see what they must see
# --------------------------------------------------------------------------------------


def test_relative_imports_are_resolved() -> None:
    source = "from . import _spec\nfrom .._inputs import fail\nfrom .model import appraise\n"
    found = imports_in(source, "crmvalue_core.appraisal.inputs")
    assert [(i.target, i.names) for i in found] == [
        ("crmvalue_core.appraisal", ("_spec",)),
        ("crmvalue_core._inputs", ("fail",)),
        ("crmvalue_core.appraisal.model", ("appraise",)),
    ]
    assert imports_in("from .cells import describe", "crmvalue_core", is_package=True)[
        0
    ].target == ("crmvalue_core.cells")


def test_lazy_and_dynamic_imports_are_seen() -> None:
    source = (
        "import importlib\n"
        "def chart():\n"
        "    import matplotlib.pyplot as plt\n"
        "    return importlib.import_module('xlwings')\n"
    )
    roots = {found.root for found in imports_in(source, "crmvalue_core.example")}
    assert {"matplotlib", "xlwings"} <= roots


def test_private_modules_may_be_imported_private_names_not() -> None:
    assert is_repository_module("crmvalue_core._inputs")
    assert is_repository_module("crmvalue_core")
    assert not is_repository_module("crmvalue_core._no_such_module")
    source = "from crmvalue_core import _inputs, _nothing, __all__\nfrom numpy import _x\n"
    assert [private_names(s) for s in imports_in(source, "addin.example")] == [["_nothing"], []]


def test_outside_references_are_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    lines = [f"see {OUTSIDE_REFERENCES[3]}", "and docs/functions.md, docs/template.md"]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert outside_references(page, root=tmp_path) == [f"page.md:1: {OUTSIDE_REFERENCES[3]}"]
    (tmp_path / "book.xlsx").write_bytes(b"PK\3\4\0" + OUTSIDE_REFERENCES[0].encode())
    assert outside_references(tmp_path / "book.xlsx", root=tmp_path) == []
