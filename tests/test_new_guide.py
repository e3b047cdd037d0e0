"""A fifth guide, end to end: scaffold it with `python -m cnsaudit new-guide`, follow the checklist
it prints (CONTRIBUTING.md, "Add a guide") step by step, and run the whole fast suite and nbval on
the new chapter, which must pass on their first run.

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
from cnsaudit.book.sphinx_ext import toc_docnames

from .conftest import ROOT

GUIDE = """\
# Zorvatinib and the brain: a technical note

Zorvatinib is an invented kinase inhibitor; this note exists only to test the audit.

## Intracranial activity

In the phase 2 ZEPHYR-1 study, 7 of 11 patients with measurable brain metastases responded,
an intracranial response rate of 63.6%. The median intracranial duration of response was 9.2 months.

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
        (8, "Intracranial activity", "63.6"), (8, "Intracranial activity", "9.2"),
        (12, "Exposure", "0.45"),
    ]


PLAIN = """\

The Reach of Zorvatinib

Zorvatinib was given once daily to 12 patients.

Exposure in the Brain

The ratio was 0.45, twice that of its predecessor.
"""


def test_a_one_word_heading_of_plain_text_is_a_heading():
    text = "Quenotinib in the Brain\n\nActivity\n\nNine of 20 responded.\n\nDosing\n\nGive 200 mg.\n"
    assert [(c.location, c.number) for c in candidates(text)] == [
        ("Activity", "Nine"), ("Activity", "20"), ("Dosing", "200")]


def test_plain_text_headings_and_number_words_are_candidates():
    found = [(c.line, c.index, c.location, c.number) for c in candidates(PLAIN)]
    assert found == [(4, 1, "The Reach of Zorvatinib", "once"), (4, 2, "The Reach of Zorvatinib", "12"),
                     (8, 1, "Exposure in the Brain", "0.45"), (8, 2, "Exposure in the Brain", "twice")]
    assert title_line(PLAIN) == (2, "The Reach of Zorvatinib")


def test_the_scaffold_records_every_number_and_the_title_and_writes_candidates_outside(tmp_path):
    repo = tmp_path / "repo"
    for rel in ["data/guides.csv", "data/number-claims.csv", "data/quotes.csv", "_toc.yml", "jupytext.toml",
                "releases/pages.txt"]:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, repo / rel)
    for folder in ["data/claims", "data/evidence", "chapters/sources", "tests"]:
        (repo / folder).mkdir(parents=True, exist_ok=True)
    guide = tmp_path / "zorvatinib-plain.txt"
    guide.write_text(PLAIN, encoding="utf-8")
    listing = tmp_path / "out" / "candidates.csv"
    listing.parent.mkdir()
    from cnsaudit.tools import cli

    assert cli.main(["new-guide", str(guide), "--chapter", "zorvatinib-plain", "--root", str(repo),
                     "--candidates", str(listing)]) == 0
    rows = list(csv.DictReader((repo / "data/number-claims.csv").read_text(encoding="utf-8").splitlines()))
    mine = [(r["line"], r["index"], r["token"], r["claims"]) for r in rows if r["guide"] == guide.name]
    assert mine == [("4", "1", "once", ""), ("4", "2", "12", ""), ("8", "1", "0.45", ""), ("8", "2", "twice", "")]
    quotes = [r for r in csv.DictReader((repo / "data/quotes.csv").read_text(encoding="utf-8").splitlines())
              if r["guide"] == guide.name]
    assert [(q["quote_id"], q["line"], q["kind"], q["text"]) for q in quotes] == [
        ("zorvatinib-plain-q-title", "2", "title", "The Reach of Zorvatinib")]
    assert listing.read_text(encoding="utf-8").splitlines()[0] == "line,index,location,number"
    assert "chapters/zorvatinib-plain" in (repo / "releases/pages.txt").read_text(encoding="utf-8").splitlines()
    assert {p.name for p in repo.iterdir()} == {"data", "_toc.yml", "jupytext.toml", "chapters", "tests", "releases"}


def test_the_guide_column_takes_a_new_guide_name_and_still_refuses_a_path():
    check = schema.GUIDES.columns["guide"]
    import pandas as pd

    ok = pd.DataFrame({"guide": ["zorvatinib-note.txt", "000_74ab3254b9657455.txt"]})
    assert check.validate(ok, lazy=True) is not None
    for bad in ["../zorvatinib.txt", "notes/zorvatinib.txt", "zorvatinib.pdf", ""]:
        with pytest.raises(Exception):
            check.validate(pd.DataFrame({"guide": [bad]}))


# --- a fifth guide, end to end, as CONTRIBUTING.md's "Add a guide" tells a person to add it --------

CHAPTER = "zorvatinib"
CLI_ARGS = ["--chapter", CHAPTER, "--topic", "Zorvatinib and the brain", "--publisher", "Synthetic",
            "--published", "2026-11", "--drug", "zorvatinib"]


def _copy_repository(target: Path) -> None:
    """What a clone holds: every file git tracks or would track (the .venv and builds are ignored),
    committed, so that `git add` (the checklist's last step) works as it does in a clone."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file() and not rel.startswith(".venv/"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, target / rel)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "the repository as copied"]):
        subprocess.run(git + step, cwd=target, check=True, capture_output=True)


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _write_rows(path: Path, rows: list[dict], header: list[str] | None = None) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = header or next(csv.reader(f))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in header} for row in rows)


def _append_rows(path: Path, rows: list[dict]) -> None:
    _write_rows(path, _rows(path) + rows)


GUIDE_NAME = "zorvatinib-note.txt"
# Each claim's verdict, written from reading the guide against its source, and why.
REASONS = {
    "zor-01": ("consistent", "The source prints the same responders of the same group and end point."),
    "zor-02": ("contradicted", "The source prints another CSF-to-plasma ratio."),
    "zor-03": ("unverified", "Only the abstract was read, and it prints no duration of response."),
}
EXPECTED = {claim: verdict for claim, (verdict, _) in REASONS.items()}


def _record_claims_and_evidence(repo: Path) -> None:
    """Checklist step 2: the reference, the groups, the evidence with its searches, the claims."""
    with (repo / "references.bib").open("a", encoding="utf-8") as f:
        f.write(BIB)
    _append_rows(repo / "data/populations/zorvatinib.csv", [
        dict(population="patients with measurable brain metastases", note="the trial's CNS cohort")])
    common = dict(drug="zorvatinib", ref="doe2026zorvatinib", species="human")
    _append_rows(repo / "data/evidence/zorvatinib.csv", [
        dict(common, fact_id="zor-icrr", quantity="intracranial response rate",
             population="patients with measurable brain metastases", value_type="percent", value="63.6", unit="%",
             n="11", k="7", status="printed", source_location="abstract", design="single-arm trial",
             endpoint="intracranial objective response", assessor="investigator",
             excerpt="An intracranial response was seen in 7 of 11 patients (63.6%)."),
        dict(common, fact_id="zor-idor", quantity="median intracranial duration of response",
             population="patients with measurable brain metastases", value_type="number", unit="months",
             status="abstract_only", source_location="abstract", design="single-arm trial",
             endpoint="intracranial duration of response"),
        dict(common, fact_id="zor-csf", quantity="CSF-to-plasma ratio", value_type="number", value="0.30",
             unit="ratio", steady_state="yes", status="printed", source_location="table 2",
             design="pharmacokinetic study", excerpt="CSF-to-plasma ratio at steady state: 0.30"),
    ])
    _append_rows(repo / "data/searches.csv", [
        dict(search_id="zor-01-q1", fact_id="zor-icrr", claim_id="zor-01", searched="2026-12-05",
             corpus="stored public pages", query="zorvatinib ZEPHYR-1 intracranial response",
             returned="the study's abstract", outcome="found", ref="doe2026zorvatinib",
             excerpt="An intracranial response was seen in 7 of 11 patients (63.6%)."),
        dict(search_id="zor-02-q1", fact_id="zor-csf", claim_id="zor-02", searched="2026-12-05",
             corpus="stored public pages", query="zorvatinib CSF plasma ratio steady state",
             returned="the study's table 2", outcome="found-different", ref="doe2026zorvatinib",
             excerpt="CSF-to-plasma ratio at steady state: 0.30"),
        dict(search_id="zor-03-q1", fact_id="zor-idor", claim_id="zor-03", searched="2026-12-05",
             corpus="stored public pages", query="zorvatinib intracranial duration of response median",
             returned="the study's abstract, which gives no duration of response", outcome="abstract-only",
             ref="doe2026zorvatinib"),
    ])
    _append_rows(repo / "data/to-read.csv", [dict(fact_id="zor-idor", look_in="results")])
    common = dict(guide=GUIDE_NAME, drug="zorvatinib", ref="doe2026zorvatinib", species="human",
                  consequence="efficacy, safety and exposure figures")
    _append_rows(repo / "data/claims/zorvatinib.csv", [
        dict(common, claim_id="zor-01", location="Intracranial activity: response",
             claim="Intracranial response rate in ZEPHYR-1", quantity="intracranial response rate",
             population="patients with measurable brain metastases", value_type="percent", reported="63.6",
             unit="%", n="11", k="7", fact_id="zor-icrr", endpoint="intracranial objective response"),
        dict(common, claim_id="zor-02", location="Exposure", claim="CSF-to-plasma ratio at steady state",
             quantity="CSF-to-plasma ratio", value_type="number", reported="0.45", unit="ratio",
             steady_state="yes", fact_id="zor-csf", measure="CSF to total plasma"),
        dict(common, claim_id="zor-03", location="Intracranial activity: duration",
             claim="Median intracranial duration of response in ZEPHYR-1",
             quantity="median intracranial duration of response",
             population="patients with measurable brain metastases", value_type="number", reported="9.2",
             unit="months", fact_id="zor-idor", endpoint="intracranial duration of response"),
    ])


# Each number of the guide (line, position): its claims, or the reason it is not audited.
NUMBERS = {("7", "1"): "phase of the trial (numbering)", ("7", "2"): "part of the trial's name (ZEPHYR-1)",
           ("7", "3"): "zor-01", ("7", "4"): "zor-01", ("8", "1"): "zor-01", ("8", "2"): "zor-03",
           ("12", "1"): "zor-02"}


def _account_for_every_number(repo: Path) -> None:
    """Checklist step 3: every number of the guide names its claims or moves to the exclusions."""
    rows, excluded = [], []
    for row in _rows(repo / "data/number-claims.csv"):
        if row["guide"] != GUIDE_NAME:
            rows.append(row)
            continue
        said = NUMBERS[(row["line"], row["index"])]
        if said.startswith("zor-"):
            rows.append(dict(row, claims=said, note=""))
        else:
            excluded.append({k: row[k] for k in ("guide", "line", "index", "token")} | {"reason": said})
    _write_rows(repo / "data/number-claims.csv", rows)
    _append_rows(repo / "data/exclusions.csv", excluded)


def _record_headings(repo: Path) -> None:
    """Checklist step 4: each section heading, word for word with its line."""
    _append_rows(repo / "data/quotes.csv", [
        dict(quote_id="zor-h-intracranial", guide=GUIDE_NAME, line="5", location="Intracranial activity",
             kind="heading", text="Intracranial activity"),
        dict(quote_id="zor-h-exposure", guide=GUIDE_NAME, line="10", location="Exposure", kind="heading",
             text="Exposure"),
    ])


def _expect_and_log_verdicts(repo: Path) -> None:
    """Checklist step 5: EXPECTED in the scaffolded test, and the new claims in the changelog."""
    test_file = repo / "tests/test_audit_zorvatinib.py"
    text = test_file.read_text(encoding="utf-8")
    assert "EXPECTED: dict[str, str] = {}" in text
    lines = "".join(f"    {claim!r}: {verdict!r},\n" for claim, verdict in EXPECTED.items())
    test_file.write_text(text.replace("EXPECTED: dict[str, str] = {}", "EXPECTED = {\n" + lines + "}"),
                         encoding="utf-8")
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    entry = ("\n#### Zorvatinib and the brain: a new guide\n\n"
             + "".join(f"- {claim} (new): {verdict}. {why}\n" for claim, (verdict, why) in REASONS.items()))
    unreleased = text.index("## Unreleased")
    verdicts = text.index("### Verdicts", unreleased)
    following = [i for i in (text.find("\n### ", verdicts + 1), text.find("\n## ", verdicts + 1)) if i > 0]
    at = min(following) if following else len(text)
    changelog.write_text(text[:at].rstrip("\n") + "\n" + entry + text[at:], encoding="utf-8")


SECTIONS = '''\
## Intracranial activity

The note gives one response rate and one duration for the trial's patients with measurable brain
metastases. The study's abstract prints the same count and rate of responders: of
{glue:text}`zorvatinib_n` patients, {glue:text}`zorvatinib_k` responded. It gives no duration of
response, so that figure stays unchecked until the full text is read.

```{code-cell} ipython3
:tags: [hide-input]

facts = tables.evidence.set_index("fact_id")
glue("zorvatinib_n", facts.loc["zor-icrr", "n"], display=False)
glue("zorvatinib_k", facts.loc["zor-icrr", "k"], display=False)
report.section(claims, "Intracranial activity")
```

## Exposure

The note's ratio of drug in the cerebrospinal fluid to drug in plasma is not the one the study
prints, {glue:text}`zorvatinib_ratio`, and it is a ratio to the total plasma concentration, which
includes drug bound to plasma proteins.

```{code-cell} ipython3
:tags: [hide-input]

glue("zorvatinib_ratio", facts.loc["zor-csf", "value"], display=False)
report.section(claims, "Exposure")
```

'''


def _write_chapter(repo: Path) -> None:
    """Checklist step 6: the chapter's sections, before its final table of every claim."""
    source = repo / "chapters/sources/zorvatinib.md"
    text = source.read_text(encoding="utf-8")
    at = text.index("(zorvatinib-audit)=")
    source.write_text(text[:at] + SECTIONS + text[at:], encoding="utf-8")


def _tail(proc: subprocess.CompletedProcess, n: int = 6000) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-n:]}\n--- stderr ---\n{proc.stderr[-n:]}"


@pytest.mark.slow
def test_a_fifth_guide_added_by_the_checklist_passes_the_whole_suite_on_its_first_run(tmp_path):
    repo, shared = tmp_path / "repo", tmp_path / "shared"
    _copy_repository(repo)
    guide = tmp_path / GUIDE_NAME
    guide.write_text(GUIDE, encoding="utf-8")
    # Beside the copy, as beside a clone: the starting sheet and the guide texts, where this
    # repository has them; then every check against them runs (none may skip).
    seeds = shared / "seeds"
    seeds.mkdir(parents=True)
    sheet = ROOT.parent / "shared" / "sources" / "primary-literature.md"
    if sheet.is_file():
        (shared / "sources").mkdir()
        shutil.copy2(sheet, shared / "sources")
    texts = data.guide_texts()
    # The copy's package, not the installed one, is what the CLI, pytest and the kernels import.
    env = {**os.environ, "PYTHONPATH": str(repo), "CNSAUDIT_SEEDS": str(seeds)}
    env.pop("CNSAUDIT_DATA", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    if texts is not None:
        env["CNSAUDIT_REQUIRE_GUIDES"] = "1"
    else:
        env.pop("CNSAUDIT_REQUIRE_GUIDES", None)

    def run(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True,
                              check=False, timeout=timeout)

    where = run("-c", "import cnsaudit; print(cnsaudit.__file__)")
    assert where.stdout.strip() == str(repo / "cnsaudit" / "__init__.py"), _tail(where)

    listing = tmp_path / "candidates.csv"
    made = run("-m", "cnsaudit", "new-guide", str(guide), *CLI_ARGS, "--candidates", str(listing))
    assert made.returncode == 0, _tail(made)
    checklist = [line for line in made.stdout.splitlines() if line.startswith("[ ]")]
    assert len(checklist) == 8, made.stdout
    assert f"chapters/{CHAPTER}" in toc_docnames(repo)
    listed = _rows(listing)
    assert {"line": "8", "index": "1", "location": "Intracranial activity", "number": "63.6"} in listed
    assert {"line": "12", "index": "1", "location": "Exposure", "number": "0.45"} in listed
    # Before anything is filled in, the empty tables are valid.
    validated = run("-m", "cnsaudit", "validate")
    assert validated.returncode == 0, _tail(validated)

    # The checklist, step by step.
    if texts is not None:
        for text in texts.glob("*.txt"):
            shutil.copy2(text, seeds)
        shutil.copy2(guide, seeds)
    _record_claims_and_evidence(repo)
    zenodo = run("-m", "cnsaudit", "release", "zenodo")  # the new reference in .zenodo.json
    assert zenodo.returncode == 0, _tail(zenodo)
    _account_for_every_number(repo)
    _record_headings(repo)
    _expect_and_log_verdicts(repo)
    _write_chapter(repo)
    executed = run("scripts/execute_notebooks.py")
    assert executed.returncode == 0, _tail(executed)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)

    audited = run("-m", "cnsaudit", "audit")
    assert audited.returncode == 0, _tail(audited)
    verdicts = {r["claim_id"]: r["verdict"] for r in csv.DictReader(audited.stdout.splitlines())}
    assert {k: verdicts.get(k) for k in EXPECTED} == EXPECTED

    # The whole fast suite and nbval on the new chapter, in the copy, on their first run.
    report = tmp_path / "suite.xml"
    suite = run("-m", "pytest", "-m", "not slow", "-q", "-p", "no:randomly", f"--junitxml={report}", timeout=1800)
    assert suite.returncode == 0, _tail(suite)
    ran = report.read_text(encoding="utf-8")
    assert 'classname="tests.test_audit_zorvatinib"' in ran and 'name="test_verdict[zor-03-unverified]"' in ran
    nbval = run("-m", "pytest", "-q", "-p", "no:randomly", "chapters/zorvatinib.ipynb")
    assert nbval.returncode == 0, _tail(nbval)
    assert " passed" in nbval.stdout and "skipped" not in nbval.stdout, _tail(nbval)

    # The strict build (scripts/build-book.sh without its set-up): the new claims under their
    # verdicts on the audit page, and the chapter under its title.
    jb = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run([str(jb), "build", str(repo), "-W", "-n", "--keep-going", "--path-output",
                            str(tmp_path / "out")], env=env, capture_output=True, text=True, check=False, timeout=1800)
    assert build.returncode == 0, _tail(build)
    site = tmp_path / "out" / "_build" / "html"
    audit_page = (site / "chapters" / "audit.html").read_text(encoding="utf-8")
    for claim, verdict in EXPECTED.items():
        assert _section_of(audit_page, f"claim-{claim}") == verdict, claim
    chapter = (site / "chapters" / "zorvatinib.html").read_text(encoding="utf-8")
    assert "Zorvatinib and the brain" in chapter and all(claim in chapter for claim in EXPECTED)
    assert 'id="zorvatinib-audit"' in chapter  # where the audit page links each of its claims


def _section_of(html: str, anchor: str) -> str:
    """The verdict section of the audit page a claim's row sits in."""
    at = html.index(f'id="{anchor}"')
    sections = [m.group(1) for m in re.finditer(r'<section id="([a-z-]+)"', html) if m.start() < at]
    return sections[-1]

