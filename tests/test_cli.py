"""`python -m cnsaudit audit` prints the whole audit; bad data stops it with a clear error."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd

from cnsaudit import audit

from .conftest import ROOT, edit_cell

REQUIRED = ["claim_id", "guide", "location", "claim", "reported", "recomputed", "primary",
            "verdict", "checks", "reason"]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cnsaudit", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, check=False)


def test_audit_csv_has_every_claim_and_the_required_columns(results):
    out = run("audit")
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
    assert list(frame.columns[: len(REQUIRED)]) == REQUIRED
    assert len(frame) == len(results)
    assert frame["verdict"].tolist() == results["verdict"].tolist()


def test_audit_json_is_the_same_audit():
    csv = pd.read_csv(io.StringIO(run("audit").stdout), dtype=str, keep_default_na=False)
    records = json.loads(run("audit", "--format", "json").stdout)
    assert [r["claim_id"] for r in records] == csv["claim_id"].tolist()
    assert [r["verdict"] for r in records] == csv["verdict"].tolist()
    assert set(REQUIRED) <= set(records[0])
    assert list(records[0]) == audit.COLUMNS


def test_bad_data_exits_non_zero_naming_file_row_and_column(data_copy):
    import os

    edit_cell(data_copy / "claims/entrectinib.csv", "claim_id", "ent-26", "reported", "163.6")
    out = run("audit", env={**os.environ, "CNSAUDIT_DATA": str(data_copy)})
    assert out.returncode == 2
    assert out.stdout == ""
    assert "data/claims/entrectinib.csv, row 26 (line 27)" in out.stderr
    assert "a percentage must lie between 0 and 100" in out.stderr


def test_validate_reports_counts():
    out = run("validate")
    assert out.returncode == 0 and "data/ is valid" in out.stdout
