"""Every notebook of the book has a MyST text form, in step with it (README, "Edit a chapter")."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from cnsaudit.book import sources
from cnsaudit.book.sphinx_ext import book_notebooks

from .conftest import ROOT


@pytest.mark.parametrize("notebook", book_notebooks(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_notebook_is_in_step_with_its_text_form(notebook):
    assert sources.text_form(notebook).is_file(), (
        f"{notebook.relative_to(ROOT)} has no text form: run .venv/bin/python scripts/execute_notebooks.py "
        f"{notebook.relative_to(ROOT)} to write {sources.text_form(notebook).relative_to(ROOT)}")
    assert sources.out_of_sync(notebook) is None, (
        f"{notebook.relative_to(ROOT)} and its text form differ; edit the text form, then run "
        f".venv/bin/python scripts/execute_notebooks.py {notebook.relative_to(ROOT)}")


def test_the_text_forms_are_where_jupytext_pairs_them():
    config = (ROOT / "jupytext.toml").read_text()
    assert 'formats = "ipynb,sources//md:myst"' in config
    assert sources.text_form(ROOT / "chapters" / "audit.ipynb") == ROOT / "chapters" / "sources" / "audit.md"


@pytest.fixture
def chapter_copy(tmp_path):
    notebook = tmp_path / "chapters" / "audit.ipynb"
    notebook.parent.mkdir()
    shutil.copy2(ROOT / "chapters" / "audit.ipynb", notebook)
    (notebook.parent / "sources").mkdir()
    shutil.copy2(sources.text_form(ROOT / "chapters" / "audit.ipynb"), sources.text_form(notebook))
    return notebook


def test_an_edit_to_the_text_form_is_noticed_and_carried_into_the_notebook(chapter_copy):
    md = sources.text_form(chapter_copy)
    md.write_text(md.read_text().replace("# The claims audit", "# The claims audit, revised"))
    assert "revised" in sources.out_of_sync(chapter_copy)
    before = nbformat.read(chapter_copy, as_version=4)
    assert sources.take_inputs_from_text(chapter_copy)
    after = nbformat.read(chapter_copy, as_version=4)
    assert sources.out_of_sync(chapter_copy) is None
    assert "# The claims audit, revised" in after.cells[0].source
    # Outputs and cell ids survive, so only the edited cell shows in the notebook's diff.
    assert [c.id for c in after.cells] == [c.id for c in before.cells]
    assert [c.get("outputs") for c in after.cells] == [c.get("outputs") for c in before.cells]
    assert "jupytext" not in after.metadata


def test_a_code_edit_in_the_notebook_alone_is_noticed(chapter_copy):
    nb = nbformat.read(chapter_copy, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\nextra = 1"
    nbformat.write(nb, chapter_copy)
    assert sources.out_of_sync(chapter_copy) is not None
