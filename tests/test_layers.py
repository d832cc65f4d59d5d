"""The direction of imports between layers holds by itself: a plain AST walk over the packages."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "delegates", "models", "ui", "warden")
# Packages that may be imported only lazily, inside functions (never at module import time).
TRAINING_ONLY = ("torch", "transformers", "peft", "flwr", "opacus")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at_top_level) for each import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []
    top_level = {id(n) for n in tree.body}

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            is_top = top and not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                found.extend((a.name, is_top) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, is_top))
            visit(child, is_top)

    visit(tree, True)
    del top_level
    return found


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _root(module: str) -> str:
    return module.split(".")[0]


def test_packages_exist() -> None:
    for p in PACKAGES:
        assert (ROOT / p / "__init__.py").exists(), p


def test_pyside6_only_under_ui() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m}"
        for p in PACKAGES
        if p != "ui"
        for f in _files(p)
        for m, _ in _imports(f)
        if _root(m) in {"PySide6", "shiboken6"}
        # the composition root may open the window, but only inside a function
        and not (p == "warden")
    ]
    assert offenders == []


def test_nothing_imports_ui() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m}"
        for p in PACKAGES
        if p not in {"ui", "warden"}
        for f in _files(p)
        for m, _ in _imports(f)
        if _root(m) == "ui"
    ]
    assert offenders == []


def test_app_imports_neither_delegates_nor_models() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m}"
        for f in _files("app")
        for m, _ in _imports(f)
        if _root(m) in {"delegates", "models", "warden"}
    ]
    assert offenders == []


def test_delegates_and_models_do_not_import_the_composition_root() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m}"
        for p in ("delegates", "models")
        for f in _files(p)
        for m, _ in _imports(f)
        if _root(m) == "warden"
    ]
    assert offenders == []


def test_training_packages_only_imported_lazily_outside_training() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m} at module level"
        for p in PACKAGES
        for f in _files(p)
        if "training" not in f.parts
        for m, top in _imports(f)
        if top and _root(m) in TRAINING_ONLY
    ]
    assert offenders == []


def test_warden_touches_qt_only_inside_functions() -> None:
    offenders = [
        f"{f.relative_to(ROOT)} imports {m} at module level"
        for f in _files("warden")
        for m, top in _imports(f)
        if top and _root(m) in {"PySide6", "ui"}
    ]
    assert offenders == []


def test_the_walker_sees_imports() -> None:
    """Guard against a walker that finds nothing and so passes every rule above."""
    found = {m for f in _files("warden") for m, _ in _imports(f)}
    assert "app.errors" in found
