"""A fifth guide, end to end: scaffold it with `python -m cnsaudit new-guide`, add two claims and
their evidence, and see their verdicts in `python -m cnsaudit audit` and on the built audit page.

Everything happens in a copy of the repository; the guide is synthetic, about a compound that
does not exist, written for this test.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnsaudit.engine import data, schema
from cnsaudit.tools.new_guide import candidates, title_line
from cnsaudit.book.sphinx_ext import source_files, toc_docnames

from .conftest import ROOT

GUIDE = """\
# Zorvatinib and the brain: a technical note

Zorvatinib is an invented kinase inhibitor; this note exists only to test the audit.

## Intracranial activity

In the phase 2 ZEPHYR-1 study, 7 of 11 patients with measurable brain metastases responded,
an intracranial response rate of 63.6%.

## Exposure

At steady state the CSF-to-plasma ratio of zorvatinib was 0.45.
"""

BIB = """
@article{doe2026zorvatinib,
  author  = {Doe, Jane},
  title   = {Zorvatinib in brain metastases: a synthetic study for testing},
  journal = {Journal of Tests},
  year    = {2026},
  doi     = {10.0000/zorvatinib.test}
}
"""


def test_every_number_is_a_candidate_with_its_line_and_heading():
    found = [(c.line, c.location, c.number) for c in candidates(GUIDE)]
    assert found == [
        (7, "Intracranial activity", "2"), (7, "Intracranial activity", "1"),
        (7, "Intracranial activity", "7"), (7, "Intracranial activity", "11"),
        (8, "Intracranial activity", "63.6"),
        (12, "Exposure", "0.45"),
    ]


PLAIN = """\

The Reach of Zorvatinib

Zorvatinib was given once daily to 12 patients.

Exposure in the Brain

The ratio was 0.45, twice that of its predecessor.
"""


def test_plain_text_headings_and_number_words_are_candidates():
    found = [(c.line, c.index, c.location, c.number) for c in candidates(PLAIN)]
    assert found == [(4, 1, "The Reach of Zorvatinib", "once"), (4, 2, "The Reach of Zorvatinib", "12"),
                     (8, 1, "Exposure in the Brain", "0.45"), (8, 2, "Exposure in the Brain", "twice")]
    assert title_line(PLAIN) == (2, "The Reach of Zorvatinib")


def test_the_scaffold_records_every_number_and_the_title_and_writes_candidates_outside(tmp_path):
    repo = tmp_path / "repo"
    for rel in ["data/guides.csv", "data/number-claims.csv", "data/quotes.csv", "_toc.yml", "jupytext.toml"]:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    for folder in ["data/claims", "data/evidence", "chapters/sources", "tests"]:
        (repo / folder).mkdir(parents=True, exist_ok=True)
    guide = tmp_path / "zorvatinib-plain.txt"
    guide.write_text(PLAIN, encoding="utf-8")
    listing = tmp_path / "out" / "candidates.csv"
    listing.parent.mkdir()
    from cnsaudit.tools import cli

    assert cli.main(["new-guide", str(guide), "--chapter", "zorvatinib", "--root", str(repo),
                     "--candidates", str(listing)]) == 0
    rows = list(csv.DictReader((repo / "data/number-claims.csv").read_text(encoding="utf-8").splitlines()))
    mine = [(r["line"], r["index"], r["token"], r["claims"]) for r in rows if r["guide"] == guide.name]
    assert mine == [("4", "1", "once", ""), ("4", "2", "12", ""), ("8", "1", "0.45", ""), ("8", "2", "twice", "")]
    quotes = [r for r in csv.DictReader((repo / "data/quotes.csv").read_text(encoding="utf-8").splitlines())
              if r["guide"] == guide.name]
    assert [(q["quote_id"], q["line"], q["kind"], q["text"]) for q in quotes] == [
        ("zorvatinib-q-title", "2", "title", "The Reach of Zorvatinib")]
    assert listing.read_text(encoding="utf-8").splitlines()[0] == "line,index,location,number"
    assert {p.name for p in repo.iterdir()} == {"data", "_toc.yml", "jupytext.toml", "chapters", "tests"}


def test_the_guide_column_takes_a_new_guide_name_and_still_refuses_a_path():
    check = schema.GUIDES.columns["guide"]
    import pandas as pd

    ok = pd.DataFrame({"guide": ["zorvatinib-note.txt", "000_74ab3254b9657455.txt"]})
    assert check.validate(ok, lazy=True) is not None
    for bad in ["../zorvatinib.txt", "notes/zorvatinib.txt", "zorvatinib.pdf", ""]:
        with pytest.raises(Exception):
            check.validate(pd.DataFrame({"guide": [bad]}))


def _copy_repository(target: Path) -> None:
    for rel in source_files(ROOT):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest)


def _append_rows(path: Path, rows: list[dict]) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writerows({k: row.get(k, "") for k in header} for row in rows)


def _section_of(html: str, anchor: str) -> str:
    """The verdict section of the audit page a claim's row sits in."""
    at = html.index(f'id="{anchor}"')
    sections = [m.group(1) for m in re.finditer(r'<section id="([a-z-]+)"', html) if m.start() < at]
    return sections[-1]


@pytest.mark.slow
def test_a_new_guide_is_scaffolded_filled_audited_and_built(tmp_path):
    repo = tmp_path / "repo"
    _copy_repository(repo)
    guide = tmp_path / "zorvatinib-note.txt"
    guide.write_text(GUIDE, encoding="utf-8")
    # The guide texts, as the checks against them see them: the new one beside the four, or, on a
    # reader's clone, none at all.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    if data.guide_texts() is not None:
        for text in data.guide_texts().glob("*.txt"):
            shutil.copy2(text, seeds)
        shutil.copy2(guide, seeds)
    # The copy's package, not the installed one, is what the CLI, the build and the kernels import.
    env = {**os.environ, "PYTHONPATH": str(repo), "CNSAUDIT_SEEDS": str(seeds)}
    env.pop("CNSAUDIT_DATA", None)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cnsaudit", *args], cwd=repo, env=env,
                              capture_output=True, text=True, check=False)

    listing = tmp_path / "candidates.csv"
    made = cli("new-guide", str(guide), "--chapter", "zorvatinib", "--topic", "Zorvatinib and the brain",
               "--publisher", "Synthetic", "--published", "2026-11", "--drug", "zorvatinib",
               "--candidates", str(listing))
    assert made.returncode == 0, made.stderr
    assert "[ ] fill EXPECTED in tests/test_audit_zorvatinib.py" in made.stdout
    listed = list(csv.DictReader(listing.read_text(encoding="utf-8").splitlines()))
    assert {"line": "8", "index": "1", "location": "Intracranial activity", "number": "63.6"} in listed
    assert {"line": "12", "index": "1", "location": "Exposure", "number": "0.45"} in listed
    assert not (repo / "candidates.csv").exists()
    for path in ["data/claims/zorvatinib.csv", "data/evidence/zorvatinib.csv", "data/populations/zorvatinib.csv",
                 "chapters/zorvatinib.ipynb",
                 "tests/test_audit_zorvatinib.py"]:
        assert (repo / path).is_file(), path
    assert "chapters/zorvatinib" in toc_docnames(repo)
    assert cli("validate").returncode == 0  # empty tables with the schema's headers are valid

    with (repo / "references.bib").open("a", encoding="utf-8") as f:
        f.write(BIB)
    _append_rows(repo / "data/populations/zorvatinib.csv", [
        dict(population="measurable brain metastases", within="", note="the trial's CNS cohort")])
    _append_rows(repo / "data/evidence/zorvatinib.csv", [
        dict(fact_id="zor-icrr", drug="zorvatinib", quantity="intracranial response rate",
             population="measurable brain metastases", value_type="percent", value="63.6", unit="%",
             n="11", k="7", status="printed", ref="doe2026zorvatinib", source_location="abstract",
             excerpt="An intracranial response was seen in 7 of 11 patients (63.6%)."),
        dict(fact_id="zor-csf", drug="zorvatinib", quantity="CSF-to-plasma ratio", value_type="number",
             value="0.30", unit="ratio", steady_state="yes", status="printed", ref="doe2026zorvatinib",
             source_location="table 2", excerpt="CSF-to-plasma ratio at steady state: 0.30"),
    ])
    _append_rows(repo / "data/claims/zorvatinib.csv", [
        dict(claim_id="zor-01", guide=guide.name, location="Intracranial activity",
             claim="Intracranial response rate in ZEPHYR-1", drug="zorvatinib",
             quantity="intracranial response rate", population="measurable brain metastases",
             value_type="percent", reported="63.6", unit="%", n="11", k="7", fact_id="zor-icrr",
             ref="doe2026zorvatinib", consequence="efficacy, safety and exposure figures"),
        dict(claim_id="zor-02", guide=guide.name, location="Exposure", claim="CSF-to-plasma ratio",
             drug="zorvatinib", quantity="CSF-to-plasma ratio", value_type="number", reported="0.45",
             unit="ratio", steady_state="yes", fact_id="zor-csf", ref="doe2026zorvatinib",
             consequence="efficacy, safety and exposure figures"),
    ])
    expected = {"zor-01": "consistent", "zor-02": "contradicted"}

    audited = cli("audit")
    assert audited.returncode == 0, audited.stderr
    verdicts = {r["claim_id"]: r["verdict"] for r in csv.DictReader(audited.stdout.splitlines())}
    assert {k: verdicts[k] for k in expected} == expected

    # The scaffolded test file, filled in as CONTRIBUTING.md says, passes in the copy.
    test_file = repo / "tests/test_audit_zorvatinib.py"
    test_file.write_text(test_file.read_text().replace("EXPECTED: dict[str, str] = {}", f"EXPECTED = {expected!r}"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                          "-o", "addopts=", "tests/test_audit_zorvatinib.py"],
                         cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 passed" in run.stdout

    jb = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run([str(jb), "build", str(repo), "-W", "-n", "--keep-going", "--path-output",
                            str(tmp_path / "out")], env=env, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-3000:]
    site = tmp_path / "out" / "_build" / "html"
    audit_page = (site / "chapters" / "audit.html").read_text()
    for claim, verdict in expected.items():
        assert _section_of(audit_page, f"claim-{claim}") == verdict, claim
    chapter = (site / "chapters" / "zorvatinib.html").read_text()
    assert "Zorvatinib and the brain" in chapter and "zor-01" in chapter and "zor-02" in chapter
