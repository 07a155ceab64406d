"""The layout rule, checked on the source: readers never touch the store, SQL lives only in lexres/store,
imports
are absolute and acyclic, and no module imports another's private names."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = {
    "lexres": "lexres",
    "lexres.loaders": "loaders",
    "lexres.augment": "augment",
    "lexres.tasks": "tasks",
}
SQL = re.compile(
    r"\b(SELECT\s+\S.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|\.execute\()"
)


def modules() -> dict[str, Path]:
    """Every module of the shipped packages, by dotted name."""
    out = {}
    for pkg, folder in PACKAGES.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            rel = path.relative_to(REPO / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([pkg, *parts])
            if pkg == "lexres" and parts and parts[0] in ("loaders", "augment", "tasks"):
                continue
            out[name] = path
    return out


MODULES = modules()


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) for every import in a file, module-level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, [], node.lineno) for a in node.names)
    return out


def edges(name: str, path: Path) -> set[str]:
    """The lexres modules `name` imports (a `from pkg import submodule` counts as the submodule)."""
    out = set()
    for module, names, _ in imports_of(path):
        if not module.startswith("lexres"):
            continue
        for n in names:
            if f"{module}.{n}" in MODULES:
                out.add(f"{module}.{n}")
                break
        else:
            if module in MODULES:
                out.add(module)
    out.discard(name)
    return out


def test_every_module_is_found():
    assert "lexres.loaders.bible.usfm" in MODULES and "lexres.store.core" in MODULES
    assert len(MODULES) > 60


def test_import_graph_has_no_cycle():
    graph = {name: edges(name, path) for name, path in MODULES.items()}
    # a package's __init__ importing its own submodules is how packages re-export; not a cycle to forbid
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_readers_never_import_the_store_the_importer_or_other_layers():
    bad = []
    for name, path in MODULES.items():
        if not name.startswith("lexres.loaders"):
            continue
        for module, _, line in imports_of(path):
            if module.startswith(
                (
                    "lexres.store",
                    "lexres.importer",
                    "lexres.augment",
                    "lexres.tasks",
                    "lexres.cli",
                    "lexres.export",
                )
            ):
                bad.append(f"{path.relative_to(REPO)}:{line}: imports {module}")
    assert not bad, "\n".join(bad)


def test_sql_lives_only_in_the_store_package():
    bad = []
    for name, path in MODULES.items():
        if name.startswith("lexres.store"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                bad.append(f"{path.relative_to(REPO)}:{n}: {line.strip()[:80]}")
    assert not bad, "SQL outside lexres/store:\n" + "\n".join(bad)


def test_no_private_name_is_imported_across_modules():
    bad = []
    for path in MODULES.values():
        for module, names, line in imports_of(path):
            if module.startswith("lexres"):
                for n in names:
                    if n.startswith("_") and not n.startswith("__"):
                        bad.append(f"{path.relative_to(REPO)}:{line}: {module}.{n}")
    assert not bad, "\n".join(bad)


def test_no_bare_top_level_package_names():
    bad = []
    for path in MODULES.values():
        for module, _, line in imports_of(path):
            if module.split(".")[0] in ("loaders", "augment", "tasks"):
                bad.append(f"{path.relative_to(REPO)}:{line}: import {module}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "module, absent",
    [
        ("lexres.loaders", ("lexres.store", "lexres.importer")),
        ("lexres.formats", ("lexres.store", "lexres.importer", "lexres.loaders.bible.usfm")),
        ("lexres", ("pandas", "numpy", "torch", "lexres.store")),
    ],
)
def test_importing_a_layer_pulls_in_nothing_it_does_not_need(module, absent):
    code = (
        f"import sys, {module}\nfrom lexres import formats\nformats.readers()\n"
        if module == "lexres.formats"
        else f"import sys, {module}\n"
    )
    code += f"print([m for m in {list(absent)!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
