"""Committed notebooks are executed; nbval (strict, run by pytest --nbval) compares their outputs."""

from __future__ import annotations

import nbformat
import pytest
import yaml

from .conftest import ROOT


def book_notebooks():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


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
    assert '"intro.ipynb"' in config and '"chapters"' in config
