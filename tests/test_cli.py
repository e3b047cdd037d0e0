"""`python -m cnsaudit audit` prints the whole audit; bad data stops it with a clear error."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import subprocess
import sys

import pandas as pd

from cnsaudit.engine import audit
from cnsaudit.tools.cli import main

from .conftest import ROOT, edit_cell

REQUIRED = ["claim_id", "guide", "location", "claim", "reported", "recomputed", "primary",
            "verdict", "checks", "reason"]


@dataclasses.dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args, env=None) -> Ran:
    """`python -m cnsaudit ARGS` run in this process (its `main`, with `env` in force), which costs
    no interpreter start and no second import of pandas; one test below runs the real module."""
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Ran(code, out.getvalue(), err.getvalue())


def run_module(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnsaudit", *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)


def test_the_module_entry_point_prints_the_audit_and_exits_zero(results):
    out = run_module("audit", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stdout == run("audit", "--format", "json").stdout
    assert [r["claim_id"] for r in json.loads(out.stdout)] == results["claim_id"].tolist()


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
    edit_cell(data_copy / "claims/entrectinib.csv", "claim_id", "ent-26", "reported", "163.6")
    out = run("audit", env={**os.environ, "CNSAUDIT_DATA": str(data_copy)})
    assert out.returncode == 2
    assert out.stdout == ""
    assert "data/claims/entrectinib.csv, row 26 (line 27)" in out.stderr
    assert "a percentage must lie between 0 and 100" in out.stderr


def test_validate_reports_counts():
    out = run("validate")
    assert out.returncode == 0 and "data/ is valid" in out.stdout


def test_audit_stops_on_a_bad_dose_rule_naming_file_row_and_column(data_copy):
    """The audit validates every table under data/, not only those its verdicts are computed from."""
    path = data_copy / "dosing/larotrectinib.csv"
    rules = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert rules.loc[0, "rule_id"] == "start-ge1"
    rules.loc[0, "dose"] = "hundred"
    rules.to_csv(path, index=False)
    out = run("audit", env={**os.environ, "CNSAUDIT_DATA": str(data_copy)})
    assert out.returncode == 2 and out.stdout == ""
    assert "data/dosing/larotrectinib.csv, row 1 (line 2), column 'dose'" in out.stderr


def test_audit_stops_on_a_table_no_schema_covers(data_copy):
    (data_copy / "claims" / "extra").mkdir()
    (data_copy / "claims" / "extra" / "more.csv").write_text("claim_id\nx-01\n")
    out = run("audit", env={**os.environ, "CNSAUDIT_DATA": str(data_copy)})
    assert out.returncode == 2 and out.stdout == ""
    assert "data/claims/extra/more.csv: no schema covers this table" in out.stderr


def test_the_audit_is_the_same_without_the_guide_texts(no_guide_texts):
    """A reader's clone has no guide texts; the audit it prints is the one CI prints beside them."""
    with_texts = run("audit", env={k: v for k, v in os.environ.items() if k != "CNSAUDIT_SEEDS"})
    without = run("audit", env={**os.environ, "CNSAUDIT_SEEDS": str(no_guide_texts)})
    assert without.returncode == 0, without.stderr
    assert without.stdout == with_texts.stdout
