"""Shared fixtures: the validated tables, the audit, and a scratch copy of data/ to break."""

from __future__ import annotations

import shutil
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
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/, made the default for data.load() during the test."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("CNSAUDIT_DATA", str(copy))
    return copy


def edit_cell(path: Path, key_column: str, key: str, column: str, value: str) -> None:
    """Set one cell of a CSV in place, leaving every other cell as written."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hits = df.index[df[key_column] == key]
    assert len(hits) == 1, f"{key!r} not found once in {path}"
    df.loc[hits[0], column] = value
    df.to_csv(path, index=False)
