"""The package's layers: no import cycle (imports inside functions included), no module importing
from a layer above its own, and no module over 450 lines.

The modules sit flat in cnsaudit/; the layers are written down here, lowest first, so a new module
must be given one. The engine (figures, tables, audit) never imports the book or the tools."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "cnsaudit"
MAX_LINES = 450

LAYERS = {
    # engine: printed figures, statistics, derivations, pooling
    "figures": ["printed", "stats", "derive", "meta", "excerpt"],
    # engine: the schemas and loading of every table, the dose rules among them
    "tables": ["schema", "reading", "dose_rules", "dose_results", "dose_flowchart", "dosing",
               "label_versions", "data", "short_cite"],
    # engine: the audit, and the analyses of one guide or across guides
    "audit": ["scope", "wording", "audit", "nomenclature", "synthesis", "coverage"],
    # the book: tables, figures, pages, citations, downloads and the Sphinx extension
    "book": ["latex_output", "citation", "bibstyle", "numbered", "findings", "claim_table", "guide_map",
             "report", "plots", "exports", "audit_page", "worklist", "datapackage", "book", "sources",
             "execution", "downloads", "sphinx_ext", "zenodo", "linkcheck", "claim_search", "latex_edition",
             "latex_index", "latex_tables"],
    # the tools: command line, scaffold, mutation score, release checks
    "tools": ["cli", "dose_cli", "new_guide", "mutation", "release", "pdf_check", "icons", "page_weight",
              "__main__", "__init__"],
}
ENGINE = ("figures", "tables", "audit")

# Over the limit and not split yet, because the audit engine is being changed in parallel (issue 19):
# split them next, then delete them here.
KNOWN_OVER = {
    "audit": "the checks of a claim against its source, the guide's own arithmetic and the verdict",
    "schema": "the schema of every table and the words of each status",
}


def imports_of(path: Path) -> set[str]:
    """The package modules a module imports anywhere in it, inside functions included."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module is None:  # from . import a, b
                found.update(alias.name for alias in node.names)
            elif node.level == 1:
                found.add(node.module.split(".")[0])
            elif node.module == "cnsaudit":
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("cnsaudit."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("cnsaudit."))
    return {m for m in found if m in modules and m != path.stem}


def graph() -> dict[str, set[str]]:
    return {p.stem: imports_of(p) for p in sorted(PACKAGE.glob("*.py"))}


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


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    module = tmp_path / "data.py"
    module.write_text("def f():\n    from .dosing import load_rules\n    from . import audit\n")
    assert imports_of(module) == {"dosing", "audit"}


def test_no_import_cycle():
    found = cycles(graph())
    assert not found, ("import cycles in cnsaudit/ (imports inside functions count): "
                       + "; ".join(" → ".join(c) for c in found)
                       + ". Move what both modules need into a module below them both.")


def test_every_module_has_a_layer():
    assigned = [m for modules in LAYERS.values() for m in modules]
    on_disk = {p.stem for p in PACKAGE.glob("*.py")}
    assert not on_disk - set(assigned), (f"cnsaudit/ modules {sorted(on_disk - set(assigned))} have no layer: "
                                         "add each to LAYERS in tests/test_layers.py")
    assert not set(assigned) - on_disk, (f"LAYERS in tests/test_layers.py names {sorted(set(assigned) - on_disk)}, "
                                         "which are not modules of cnsaudit/: remove them")


def test_no_module_imports_from_a_layer_above_its_own():
    rank = {m: i for i, modules in enumerate(LAYERS.values()) for m in modules}
    name = {m: layer for layer, modules in LAYERS.items() for m in modules}
    upward = [f"cnsaudit/{m}.py ({name[m]}) imports {t} ({name[t]})"
              for m, targets in graph().items() if m in rank for t in sorted(targets) if rank[t] > rank[m]]
    assert not upward, ("imports that reach up a layer (tests/test_layers.py, LAYERS): " + "; ".join(upward)
                        + ". Move the shared piece down, or the importing module up.")


def test_the_engine_imports_nothing_of_the_book_or_the_tools():
    engine = {m for layer in ENGINE for m in LAYERS[layer]}
    above = {m for layer, modules in LAYERS.items() if layer not in ENGINE for m in modules}
    leaks = [f"cnsaudit/{m}.py imports {sorted(graph()[m] & above)}" for m in sorted(engine)
             if graph()[m] & above]
    assert not leaks, "the engine imports the book or the tools: " + "; ".join(leaks)


def test_no_module_is_over_450_lines():
    sizes = {p.stem: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    over = [f"cnsaudit/{m}.py has {n} lines" for m, n in sorted(sizes.items())
            if n > MAX_LINES and m not in KNOWN_OVER]
    assert not over, (f"modules over {MAX_LINES} lines: {'; '.join(over)}. Split each by job into modules "
                      "of its own (and give them a layer in tests/test_layers.py)")
    mended = [m for m in KNOWN_OVER if sizes.get(m, 0) <= MAX_LINES]
    assert not mended, (f"{mended} are no longer over {MAX_LINES} lines: delete them from KNOWN_OVER in "
                        "tests/test_layers.py")
