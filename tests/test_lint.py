"""ruff (configured in pyproject.toml) passes over the package, tests, scripts, benchmarks and the
notebooks, as the pre-commit hook runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

RUFF = Path(sys.executable).parent / "ruff"


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), "check", "--no-cache", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_ruff_check_is_clean():
    proc = _ruff(".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_reads_the_notebooks_and_reports_an_unused_import(tmp_path):
    import nbformat

    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\n1 + 1")])
    nbformat.write(nb, tmp_path / "chapter.ipynb")
    proc = _ruff("--output-format", "concise", ".", cwd=tmp_path)
    assert proc.returncode == 1 and "chapter.ipynb:cell 1:1:8: F401" in proc.stdout, proc.stdout


def test_the_pre_commit_hook_runs_the_same_check():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert "ruff check" in hooks["ruff"]["entry"]
    assert "jupytext-sync" in hooks
