"""Shared fixtures: the validated tables, the audit, and a scratch copy of data/ to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


from cnsaudit import audit, data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tables():
    return data.load()


@pytest.fixture(scope="session")
def results(tables):
    return audit.run(tables)


@pytest.fixture
def guide_texts() -> Path:
    """The folder of guide texts, for the checks that need them; skipped with a one-line reason on a
    reader's clone, which has none. CI sets CNSAUDIT_REQUIRE_GUIDES=1 where it puts them beside the
    clone, so that there these checks cannot be skipped by accident."""
    folder = data.guide_texts()
    if folder is None:
        if os.environ.get("CNSAUDIT_REQUIRE_GUIDES") == "1":
            pytest.fail(data.no_guide_texts_reason())
        pytest.skip(data.no_guide_texts_reason())
    return folder


@pytest.fixture
def no_guide_texts(tmp_path, monkeypatch) -> Path:
    """An empty guide-text folder in force: what a reader's clone has."""
    empty = tmp_path / "no-guides"
    empty.mkdir()
    monkeypatch.setenv("CNSAUDIT_SEEDS", str(empty))
    return empty


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/, made the default for data.load() during the test."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("CNSAUDIT_DATA", str(copy))
    return copy


def verdict_of(claim_id: str) -> str:
    """The verdict the audit gives a claim, on the data folder currently in force."""
    return audit.run(data.load()).set_index("claim_id").loc[claim_id, "verdict"]


def edit_cell(path: Path, key_column: str, key: str, column: str, value: str) -> None:
    """Set one cell of a CSV in place, leaving every other cell as written."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hits = df.index[df[key_column] == key]
    assert len(hits) == 1, f"{key!r} not found once in {path}"
    df.loc[hits[0], column] = value
    df.to_csv(path, index=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One strict build of the whole book (-W -n --keep-going, forced execution), shared by the
    build and browser tests."""
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going",
                           "--path-output", str(out)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return out / "_build" / "html"


def toc_pages() -> list[str]:
    """The HTML page of every file in _toc.yml, relative to the site root."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{f}.html" for f in files]
