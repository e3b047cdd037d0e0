"""The extension's reading of the toc and its notebook executor."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from cnsaudit.book import execution, project as book

NESTED_TOC = """\
format: jb-book
root: intro
parts:
  - caption: Chapters
    chapters:
      - file: chapters/one
        sections:
          - file: chapters/one-detail
            sections:
              - file: chapters/one-deeper
      - file: chapters/two
      - url: https://example.org
        title: not a document
"""


def _notebook(path: Path, source: str = "1 + 1") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)


def test_nested_sections_are_read_in_order(tmp_path):
    (tmp_path / "_toc.yml").write_text(NESTED_TOC)
    for name in ("intro", "chapters/one", "chapters/one-detail", "chapters/one-deeper", "chapters/two"):
        _notebook(tmp_path / f"{name}.ipynb")
    assert book.toc_docnames(tmp_path) == [
        "intro", "chapters/one", "chapters/one-detail", "chapters/one-deeper", "chapters/two"]
    assert [p.relative_to(tmp_path).as_posix() for p in book.book_notebooks(tmp_path)] == [
        "intro.ipynb", "chapters/one.ipynb", "chapters/one-detail.ipynb",
        "chapters/one-deeper.ipynb", "chapters/two.ipynb"]


def test_the_book_toc_lists_every_notebook_of_the_book():
    listed = {p.relative_to(book.ROOT).as_posix() for p in book.book_notebooks()}
    on_disk = {p.relative_to(book.ROOT).as_posix() for p in book.ROOT.glob("chapters/*.ipynb")}
    assert on_disk <= listed
    assert {"intro.ipynb", "reproduce.ipynb"} <= listed


def test_the_build_passes_the_configured_timeout_to_the_executor(monkeypatch):
    seen = {}
    def record(path, timeout):
        seen[path.name] = timeout
        return "{}"

    monkeypatch.setattr(execution, "execute_notebook", record)
    monkeypatch.setattr(execution, "_EXECUTED", {})
    monkeypatch.delenv(execution.EXECUTION_CACHE, raising=False)
    app = SimpleNamespace(config=SimpleNamespace(cnsaudit_execute=True, nb_execution_timeout=7), srcdir="/book")
    env = SimpleNamespace(doc2path=lambda d: f"/book/{d}.md" if d.startswith("page") else f"/book/{d}.ipynb")
    execution._execute_before_reading(app, env, ["a", "b", "page-in-markdown"])
    assert seen == {"a.ipynb": 7, "b.ipynb": 7}


def test_the_book_config_sets_the_timeout_jupyter_book_passes_on():
    import yaml

    config = yaml.safe_load((book.ROOT / "_config.yml").read_text())
    assert isinstance(config["execute"]["timeout"], int) and config["execute"]["timeout"] > 0


def test_a_cell_past_the_timeout_stops_the_notebook(tmp_path):
    slow = tmp_path / "slow.ipynb"
    _notebook(slow, "import time\ntime.sleep(60)")
    with pytest.raises(execution.NotebookExecutionError, match=r"timeout \(2 s"):
        execution.execute_notebook(slow, timeout=2)


def test_the_execution_cache_key_follows_the_code_and_every_table(tmp_path, data_copy):
    from .conftest import edit_cell

    nb = tmp_path / "page.ipynb"
    _notebook(nb, "1 + 1")
    key = execution.execution_key(nb)
    assert execution.execution_key(nb) == key
    edit_cell(data_copy / "claims/entrectinib.csv", "claim_id", "ent-26", "reported", "63.7")
    edited = execution.execution_key(nb)
    assert edited != key, "a changed table must invalidate every cached execution"
    _notebook(nb, "1 + 2")
    assert execution.execution_key(nb) not in (key, edited)


def test_a_cached_execution_is_reused_only_for_the_same_inputs(tmp_path, monkeypatch, data_copy):
    from .conftest import edit_cell

    runs = []
    monkeypatch.setattr(execution, "execute_notebook", lambda path, timeout: runs.append(path) or f"run {len(runs)}")
    monkeypatch.setenv(execution.EXECUTION_CACHE, str(tmp_path / "cache"))
    nb = tmp_path / "page.ipynb"
    _notebook(nb)
    assert execution.execute_cached(nb, 5) == ("run 1", False)
    assert execution.execute_cached(nb, 5) == ("run 1", True)
    edit_cell(data_copy / "claims/entrectinib.csv", "claim_id", "ent-26", "reported", "63.7")
    assert execution.execute_cached(nb, 5) == ("run 2", False)
    monkeypatch.delenv(execution.EXECUTION_CACHE)
    assert execution.execute_cached(nb, 5) == ("run 3", False), "without the variable every build executes"


def test_the_set_up_keeps_jsonschemas_iri_grammar_from_loading():
    """scripts/setup.sh marks rfc3987_syntax absent in the venv: importing it costs every build
    and every test worker about a second and nothing here checks an "iri" format."""
    import sys

    assert "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None
