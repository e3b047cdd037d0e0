"""Committed notebooks are executed; nbval (strict, run by pytest --nbval) compares their outputs."""

from __future__ import annotations

import re

import nbformat
import pytest

from cnsaudit.book.sphinx_ext import book_notebooks

from .conftest import ROOT

from .teach import no_problems

def sources_of(notebook) -> str:
    """The text form to edit for a notebook."""
    from cnsaudit.book.sources import text_form

    return text_form(notebook).relative_to(ROOT).as_posix()



def test_the_book_has_notebooks():
    names = {p.name for p in book_notebooks()}
    assert {"intro.ipynb", "entrectinib.ipynb"} <= names


@pytest.mark.parametrize("path", book_notebooks(), ids=lambda p: p.name)
def test_every_code_cell_was_executed_in_order_with_its_output(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    counts = [c.execution_count for c in code]
    assert None not in counts, f"{path.name}: a code cell was never executed"
    assert counts == list(range(1, len(code) + 1)), f"{path.name}: cells not run top to bottom once"
    for cell in code:
        assert cell.outputs, f"{path.name}: cell {cell.id} has no stored output"
        assert not any(o.output_type == "error" for o in cell.outputs)
        assert not any(o.get("name") == "stderr" for o in cell.outputs), f"{path.name}: warning in {cell.id}"
        assert "execution" not in cell.metadata, f"{path.name}: timing metadata makes runs differ"


def test_pytest_is_configured_to_run_nbval_strictly():
    """The README test command runs nbval on the notebooks, and never the lax mode."""
    config = (ROOT / "pyproject.toml").read_text()
    assert '"--nbval"' in config and "nbval-lax" not in config
    # Every notebook of the book is compared, the back matter's included.
    import tomllib

    testpaths = tomllib.loads(config)["tool"]["pytest"]["ini_options"]["testpaths"]
    for path in book_notebooks():
        rel = path.relative_to(ROOT)
        assert str(rel) in testpaths or str(rel.parent) in testpaths, f"nbval never sees {rel}"


# Bare numbers allowed in prose, each a name or label rather than a figure.
ALLOWED_BARE_NUMBERS = {
    "95%": "the conventional label of a confidence interval ('95% CI')",
    "360": "part of a publication's name (JNCCN 360)",
    "4.0": "part of a licence's name (CC BY 4.0)",
}
_STRIP = [
    (re.compile(r"```.*?```", re.S), " "),            # directives and code blocks (e.g. DOT)
    (re.compile(r"\{[a-z:]+\}`[^`]*`"), " "),          # roles: glue, cite, numref, ref, download
    (re.compile(r"`[^`]*`"), " "),                     # inline code
    (re.compile(r"<[^>]+>"), " "),                     # HTML tags
    (re.compile(r"^\([a-z0-9-]+\)=\s*$", re.M), " "),  # MyST labels
    (re.compile(r"\]\([^)]*\)"), "]"),                 # link targets
]


@pytest.mark.parametrize("path", book_notebooks(), ids=lambda p: p.name)
def test_no_number_is_typed_into_prose(path):
    """Numbers in text come through glue; a bare number in a markdown cell was typed by hand.
    Digits inside names (NTRK1, ABCB1, NP28673, claim ids) are not numbers and pass."""
    typed = [f"{cell.id}: {token}" for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "markdown" for token in typed_numbers(cell.source)]
    no_problems(typed, f"numbers typed into the prose of {path.relative_to(ROOT)} (cell id: number)",
                f"compute each in a code cell of {sources_of(path)} and show it with glue "
                "({glue:text}`name`), then run scripts/execute_notebooks.py on the notebook")


def typed_numbers(markdown: str) -> list[str]:
    text = markdown
    for pattern, replacement in _STRIP:
        text = pattern.sub(replacement, text)
    found = []
    for token in re.findall(r"\S+", text):
        bare = token.strip("()[],.;:*")
        if re.fullmatch(r"[~<>≥≤±−-]?\d[\d.,–-]*%?", bare) and bare not in ALLOWED_BARE_NUMBERS:
            found.append(token)
    return found


def test_the_prose_check_catches_typed_numbers_and_spares_names_and_glue():
    assert typed_numbers("The rate was 63.6% in 11 patients (≥2.8).") == ["63.6%", "11", "(≥2.8)."]
    assert typed_numbers("NTRK1 G595R in M3B cells; {glue:text}`n` of `k=7`; 95% CI") == []


# The reproduce page is instructions for rerunning the book, so it names commands and folders.
INSTRUCTION_PAGES = {"reproduce.ipynb"}
_INTERNAL_NAME = re.compile(r"\bdata/[\w/.-]*|\b[\w-]+\.(?:csv|py|bib)\b|\bcnsaudit(?:\.[a-z_]+)+")


def internal_names(markdown: str) -> list[str]:
    """Data file names, script names and package paths written in a reader's text."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"\{download\}`[^`]*`", " ", text)  # a download link names its file on purpose
    return _INTERNAL_NAME.findall(text)


@pytest.mark.parametrize("path", [p for p in book_notebooks() if p.name not in INSTRUCTION_PAGES],
                         ids=lambda p: p.name)
def test_the_prose_names_no_data_file_or_code_path(path):
    """Readers see "the chapter's claim table", not a file name or a function's dotted path."""
    named = [f"{cell.id}: {name}" for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "markdown" for name in internal_names(cell.source)]
    no_problems(named, f"file names or code paths in the prose of {path.relative_to(ROOT)} (cell id: name)",
                f"in {sources_of(path)} say what the reader gets ('the chapter's claim table'), not where it "
                "is kept; then run scripts/execute_notebooks.py on the notebook")


def test_the_internal_name_check_catches_files_and_code_paths():
    assert internal_names("from `data/claims/x.csv` by `cnsaudit.engine.audit`; see scripts/setup.py") == [
        "data/claims/x.csv", "cnsaudit.engine.audit", "setup.py"]
    assert internal_names("the claim table ({download}`CSV <downloads/a.csv>`); the cnsaudit package") == []


def _outputs(nb) -> list:
    return [(c.execution_count, c.outputs) for c in nb.cells if c.cell_type == "code"]


@pytest.mark.slow
def test_the_build_executes_every_notebook_afresh_and_gets_the_committed_outputs(build_log, execution_cache):
    """The shared strict build is the first build of the run, so it executed every notebook in a
    fresh kernel (none came from the execution cache), over IPC (no "without encryption" warning),
    and every output it got, figures included (nbval does not compare PNG images), is the one
    committed. Later builds of the same inputs in this run render these executions."""
    from cnsaudit.book.sphinx_ext import execution_key

    executed = re.search(r"cnsaudit: executed (\d+) notebooks with \d+ kernels in [\d.]+ s(.*)", build_log)
    assert executed, build_log[-2000:]
    assert int(executed.group(1)) == len(book_notebooks())
    assert executed.group(2).strip() == "", "the shared build must not take executions from the cache"
    assert "without encryption" not in build_log
    for path in book_notebooks():
        entry = execution_cache / f"{path.stem}-{execution_key(path)}.ipynb"
        assert entry.is_file(), f"{path.name} was not executed by the build"
        fresh, committed = nbformat.read(entry, as_version=4), nbformat.read(path, as_version=4)
        assert _outputs(fresh) == _outputs(committed), f"{path.name}: the build's outputs differ from the commit's"
