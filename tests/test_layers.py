"""The direction of imports between layers holds by itself: a plain AST walk over the packages.

The same walk builds the module import graph (every import: inside functions, under
``TYPE_CHECKING``, relative ones) and no module may reach itself through it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "delegates", "models", "ui", "warden")
# Packages that may be imported only lazily, inside functions (never at module import time).
TRAINING_ONLY = ("torch", "transformers", "peft", "flwr", "opacus")
# Import cycles known and tolerated for now; each entry is the set of modules in the cycle.
# Add nothing here: move the shared piece down into a small module instead.
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset(
    {
        # being removed on branch wip-store
        frozenset({"app.store.backup", "app.store.store"}),
    }
)


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


# -- import cycles --------------------------------------------------------------------------


def _module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under the packages."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imported_names(path: Path, module: str) -> Iterator[str]:
    """Every name an import statement in the file reaches, made absolute: at module level,
    inside functions and classes, under ``if TYPE_CHECKING``. ``from a import b`` yields
    ``a.b`` (a module, or a name in ``a`` that resolution trims back to ``a``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = node.level - 1
                if up > len(package):
                    continue  # beyond the top package: not ours, and Python refuses it too
                anchor = package[: len(package) - up]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                yield base if alias.name == "*" else f"{base}.{alias.name}"


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is one of our modules (or None: a third party)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(root: Path, packages: Iterable[str]) -> nx.DiGraph:
    """Module -> module it imports, over every module of ``packages`` under ``root``."""
    modules = _module_names(root, packages)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        for name in _imported_names(path, module):
            target = _resolve(name, modules)
            if target is not None and target != module:
                graph.add_edge(module, target)
    return graph


def import_cycles(graph: nx.DiGraph, allowed: frozenset[frozenset[str]] = frozenset()) -> list[str]:
    """One line per strongly connected component of more than one module, not in
    ``allowed``: a cycle through it as a path (``a -> b -> a``) and all its members."""
    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2 or frozenset(component) in allowed:
            continue
        start = min(component)
        edges = nx.find_cycle(graph.subgraph(component), source=start)
        path = " -> ".join([*(a for a, _ in edges), edges[0][0]])
        found.append(f"{path} (modules in the cycle: {', '.join(sorted(component))})")
    return sorted(found)


def test_no_import_cycles() -> None:
    cycles = import_cycles(import_graph(ROOT, PACKAGES), KNOWN_CYCLES)
    assert cycles == [], "import cycles; move the shared piece down a level:\n" + "\n".join(cycles)


def test_known_cycles_are_named_exactly() -> None:
    """The allow-list names real modules (a typo would allow nothing and hide nothing)."""
    modules = _module_names(ROOT, PACKAGES)
    assert {m for cycle in KNOWN_CYCLES for m in cycle} <= modules.keys()


def test_the_graph_sees_imports_inside_functions() -> None:
    """Guard against a graph that misses the imports cycles hide in: the composition root
    reaches ``ui`` only inside functions (the rule above), and the graph still has those."""
    graph = import_graph(ROOT, PACKAGES)
    assert any(a.startswith("warden.") and b.startswith("ui.") for a, b in graph.edges)
    assert graph.number_of_edges() > graph.number_of_nodes()


PLANTED = {
    "top-level absolute": ("import planted.b\n", "from planted.a import x\n"),
    "inside a function": (
        "def f():\n    from planted import b\n    return b\n",
        "x = 1\nimport planted.a as a\n",
    ),
    "relative module": ("from . import b\n", "from .a import x\n"),
    "under TYPE_CHECKING": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import y\n",
        "class C:\n    def m(self):\n        from planted.a import x\n",
    ),
}


def _plant(root: Path, a: str, b: str) -> None:
    pkg = root / "planted"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("x = 1\n" + a)
    (pkg / "b.py").write_text("y = 2\n" + b)
    # a bystander that imports both, and a subpackage reaching up two levels: no cycle
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from .. import a\nfrom ..b import y\n")


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_a_planted_cycle_fails(tmp_path: Path, kind: str) -> None:
    _plant(tmp_path, *PLANTED[kind])
    graph = import_graph(tmp_path, ["planted"])
    assert graph.has_edge("planted.sub.c", "planted.a")
    assert graph.has_edge("planted.sub.c", "planted.b")
    cycles = import_cycles(graph)
    assert cycles == ["planted.a -> planted.b -> planted.a (modules in the cycle: "
                      "planted.a, planted.b)"]  # fmt: skip
    assert import_cycles(graph, frozenset({frozenset({"planted.a", "planted.b"})})) == []


def test_no_cycle_when_only_one_way(tmp_path: Path) -> None:
    _plant(tmp_path, "from . import b\n", "")
    assert import_cycles(import_graph(tmp_path, ["planted"])) == []
