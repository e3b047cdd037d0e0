"""The package's layers: no import cycle (imports inside functions included), no module importing
from a layer above its own, and no module over 450 lines.

The layers are the sub-packages of cnsaudit/, lowest first: the engine (figures, tables, the audit),
the analyses of one guide or across guides, the book, and the tools. A new module goes into one of
them; the engine never imports the analyses, the book or the tools."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "cnsaudit"
MAX_LINES = 450
LAYERS = ("engine", "analyses", "book", "tools")
# The package's own entry points sit above every layer.
TOP = {"__init__", "__main__"}


def module_name(path: Path) -> str:
    """'engine.audit' for cnsaudit/engine/audit.py; '__main__' for cnsaudit/__main__.py."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _resolve(base: list[str], dotted: str | None, names: list[str], known: set[str]) -> set[str]:
    prefix = base + (dotted.split(".") if dotted else [])
    found = set()
    for name in names:
        candidate = ".".join(prefix + [name])
        found.add(candidate if candidate in known else ".".join(prefix))
    return {f for f in found if f in known}


def imports_of(path: Path, known: set[str] | None = None) -> set[str]:
    """The package modules a module imports anywhere in it, inside functions included."""
    known = set(modules()) if known is None else known
    here = module_name(path).split(".")
    package = here[:-1] if path.stem != "__init__" else here
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names]
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                found |= _resolve(base, node.module, names, known)
            elif node.module and (node.module == "cnsaudit" or node.module.startswith("cnsaudit.")):
                found |= _resolve([], node.module.removeprefix("cnsaudit").lstrip(".") or None, names, known)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("cnsaudit.") for a in node.names
                      if a.name.startswith("cnsaudit.") and a.name.removeprefix("cnsaudit.") in known}
    return found - {module_name(path)} - set(LAYERS)


def layer_of(module: str) -> str:
    return "top" if module in TOP else module.split(".")[0]


# Over the limit and not split yet (issue 19): split them next, then delete them here.
KNOWN_OVER = {
}


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(path, known) for name, path in found.items() if name not in LAYERS}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path that closes it (a → b → a)."""
    found, done = [], set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(edges.get(node, ())):
            if target in path:
                cycle = path[path.index(target):] + [target]
                if frozenset(cycle) not in done:
                    done.add(frozenset(cycle))
                    found.append(cycle)
            elif target not in seen:
                visit(target, path + [target])
        seen.add(node)

    seen: set[str] = set()
    for start in sorted(edges):
        if start not in seen:
            visit(start, [start])
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path, monkeypatch):
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", tmp_path)
    (tmp_path / "engine").mkdir()
    module = tmp_path / "engine" / "data.py"
    module.write_text("def f():\n    from ..analyses.dosing import load_rules\n    from . import audit\n"
                      "    from cnsaudit.book import report\n")
    known = {"engine.data", "engine.audit", "analyses.dosing", "book.report"}
    assert imports_of(module, known) == {"analyses.dosing", "engine.audit", "book.report"}


def test_no_import_cycle():
    found = cycles(graph())
    assert not found, ("import cycles in cnsaudit/ (imports inside functions count): "
                       + "; ".join(" → ".join(c) for c in found)
                       + ". Move what both modules need into a module below them both.")


def test_every_module_sits_in_a_layer():
    loose = [f"cnsaudit/{m.replace('.', '/')}.py" for m in modules()
             if m not in TOP and m not in LAYERS and m.split(".")[0] not in LAYERS]
    assert not loose, (f"{loose} sit outside the layers: move each into one of cnsaudit/{{{','.join(LAYERS)}}}/ "
                       "(the engine computes, the analyses study one guide or several, the book renders, "
                       "the tools are commands)")
    nested = [m for m in modules() if m.count(".") > 1]
    assert not nested, f"{nested}: one level of sub-packages only, so the layer is the folder"


def test_no_module_imports_from_a_layer_above_its_own():
    rank = {layer: i for i, layer in enumerate(LAYERS)} | {"top": len(LAYERS)}
    upward = [f"cnsaudit/{m.replace('.', '/')}.py imports {t} ({layer_of(t)} is above {layer_of(m)})"
              for m, targets in graph().items() for t in sorted(targets) if rank[layer_of(t)] > rank[layer_of(m)]]
    assert not upward, ("imports that reach up a layer: " + "; ".join(upward)
                        + ". Move the shared piece down, or the importing module up.")


def test_no_module_is_over_450_lines():
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in modules().items()}
    over = [f"cnsaudit/{m.replace('.', '/')}.py has {n} lines" for m, n in sorted(sizes.items())
            if n > MAX_LINES and m not in KNOWN_OVER]
    assert not over, (f"modules over {MAX_LINES} lines: {'; '.join(over)}. Split each by job into modules "
                      "of its own in the same layer")
    mended = [m for m in KNOWN_OVER if sizes.get(m, 0) <= MAX_LINES]
    assert not mended, (f"{mended} are no longer over {MAX_LINES} lines: delete them from KNOWN_OVER in "
                        "tests/test_layers.py")
