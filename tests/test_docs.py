"""The README and CONTRIBUTING cannot drift from the code: the evidence statuses they list are the
schema's, the module list names every module of the package, every command they show is one the
command line offers, and every module file they name exists."""

from __future__ import annotations

import re
import subprocess
import sys

from cnsaudit.engine import schema

from .conftest import ROOT
from .teach import no_problems

DOCS = ("README.md", "CONTRIBUTING.md")
# A status is written as a code word of lower-case words joined by '_' in these documents.
STATUS_LIKE = re.compile(r"`((?:not|no)_[a-z_]+|[a-z]+_only|printed|derived)`")


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_documents_list_exactly_the_schemas_statuses():
    problems = []
    for name in DOCS:
        text = _text(name)
        named = set(STATUS_LIKE.findall(text))
        problems += [f"{name}: status `{s}` is not one of cnsaudit.engine.schema.STATUSES"
                     for s in sorted(named - set(schema.STATUSES))]
        problems += [f"{name}: status `{s}` of cnsaudit.engine.schema.STATUSES is never named" for s in schema.STATUSES
                     if s not in named]
    no_problems(problems, "statuses in the documents that differ from the schema",
                f"write the statuses as the schema has them: {', '.join(schema.STATUSES)}")


def test_the_readme_names_every_module_of_the_package():
    problems = []
    lines = _text("README.md").splitlines()
    for layer in sorted(p.name for p in (ROOT / "cnsaudit").iterdir() if (p / "__init__.py").is_file()):
        head = f"| `cnsaudit/{layer}/` |"
        row = next((line for line in lines if line.startswith(head)), None)
        if row is None:
            problems.append(f"README.md, layout table: no row `cnsaudit/{layer}/`")
            continue
        named = set(re.findall(r"`([a-z_]+)`", row.removeprefix(head)))
        modules = {p.stem for p in (ROOT / "cnsaudit" / layer).glob("*.py")} - {"__init__"}
        problems += [f"README.md, row `cnsaudit/{layer}/`: module `{m}` is not named" for m in sorted(modules - named)]
        problems += [f"README.md, row `cnsaudit/{layer}/`: `{m}` is not a module of cnsaudit/{layer}/"
                     for m in sorted(named - modules)]
    no_problems(problems, "the README's module lists and the package differ",
                "name each module of a sub-package in the README's row for it, with its job")


def test_every_module_file_the_documents_name_exists():
    problems = []
    for name in DOCS:
        for number, line in enumerate(_text(name).splitlines(), start=1):
            for module in re.findall(r"`cnsaudit/([a-z_/]+\.py)`", line):
                if not (ROOT / "cnsaudit" / module).is_file():
                    problems.append(f"{name}, line {number}: cnsaudit/{module}")
            # in the layout table, `x.py` beside `cnsaudit/...` names a module too
            if line.startswith("| `cnsaudit/"):
                first = re.match(r"\| `([^`]+)`", line).group(1)
                folder = ROOT / (first if first.endswith("/") else first.rsplit("/", 1)[0])
                problems += [f"{name}, line {number}: {m}" for m in re.findall(r"`([a-z_/]+\.py)`", line)
                             if not ((ROOT / m) if "/" in m else (folder / m)).is_file()]
    no_problems(problems, "module files named in the documents that do not exist",
                "name the module where the code now lives (tests/test_layers.py lists them)")


def test_every_command_shown_is_one_the_command_line_offers():
    helptext = subprocess.run([sys.executable, "-m", "cnsaudit", "--help"], capture_output=True, text=True,
                              check=True, cwd=ROOT).stdout
    offered = set(re.search(r"\{([a-z,-]+)\}", helptext).group(1).split(","))
    problems, shown = [], set()
    for name in DOCS:
        for number, line in enumerate(_text(name).splitlines(), start=1):
            for command in re.findall(r"-m cnsaudit ([a-z][a-z-]*)", line):
                shown.add(command)
                if command not in offered:
                    problems.append(f"{name}, line {number}: `python -m cnsaudit {command}`")
    problems += [f"`python -m cnsaudit {c}` is offered but neither document shows it" for c in sorted(offered - shown)]
    no_problems(problems, "commands in the documents that differ from `python -m cnsaudit --help`",
                "show each command as the command line spells it, and document every command")


def _commands(text: str) -> list[tuple[int, str]]:
    """(line number, command) with continued lines (ending in a backslash) joined."""
    joined, start, out = "", 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not joined:
            start = number
        joined += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            out.append((start, joined.strip()))
            joined = ""
    return out


def test_no_command_writes_into_the_repository():
    problems = [f"{name}, line {number}: '{command}'" for name in DOCS
                for number, command in _commands(_text(name))
                if re.search(r"-m cnsaudit\b[^#]*>\s*(?![/$~])[\w.-]+\.(?:csv|json)\b", command)]
    no_problems(problems, "documented commands that redirect their output into the working tree",
                "name a path outside the repository (or the command's own option for it); a file written into "
                "the clone ends up in the source archive")
