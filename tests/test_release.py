"""Releases: the metadata files pass their schemas, every file names the same version, every
published page stays reachable, the DOI reaches every citation once it exists, and the workflows
that build, release and watch the book are valid."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cnsaudit.book import citation, zenodo
from cnsaudit.tools import cli, release

from .conftest import ROOT
from .teach import no_problems

CHECK = Path(sys.executable).parent / "check-jsonschema"
ZENODO_SCHEMA = ROOT / "tests" / "schemas" / "zenodo-deposit.schema.json"
RELEASE_FILES = ["pyproject.toml", "CITATION.cff", "CHANGELOG.md", ".zenodo.json", "_config.yml", "_toc.yml",
                 "references.bib", "releases"]


def check_jsonschema(path: Path, *schema: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK), *schema, str(path)], capture_output=True, text=True, check=False)


def builtin(name: str) -> tuple[str, str]:
    return ("--builtin-schema", f"vendor.{name}")


# --- metadata files ------------------------------------------------------------------------------


def test_citation_cff_is_valid_under_the_citation_file_format_schema():
    proc = check_jsonschema(ROOT / "CITATION.cff", *builtin("citation-file-format"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_cff_check_rejects_a_broken_citation_file(tmp_path):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    cff["license"] = ["CC-BY-4"]  # not an SPDX identifier
    del cff["authors"]
    broken = tmp_path / "CITATION.cff"
    broken.write_text(yaml.safe_dump(cff))
    proc = check_jsonschema(broken, *builtin("citation-file-format"))
    assert proc.returncode == 1 and "authors" in proc.stdout + proc.stderr


def test_zenodo_metadata_is_generated_from_citation_cff_and_valid():
    assert (ROOT / ".zenodo.json").read_text() == zenodo.render(), (
        ".zenodo.json is out of step with CITATION.cff or references.bib: run `python -m cnsaudit release zenodo`")
    proc = check_jsonschema(ROOT / ".zenodo.json", "--schemafile", str(ZENODO_SCHEMA))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    meta = json.loads((ROOT / ".zenodo.json").read_text())
    cff = citation.metadata()
    assert (meta["title"], meta["version"], meta["keywords"]) == (cff["title"], cff["version"], cff["keywords"])
    assert meta["license"] == "cc-by-4.0" and "MIT" in meta["notes"]
    dois = {r["identifier"] for r in meta["related_identifiers"] if r["relation"] == "references"}
    assert "10.1016/S1470-2045(19)30691-6" in dois  # one of the bibliography's DOIs


@pytest.mark.parametrize("edit", [
    lambda m: m.update(upload_type="book"),
    lambda m: m["related_identifiers"].append({"identifier": "10.1/x", "relation": "cite", "scheme": "doi"}),
    lambda m: m.update(licence="cc-by-4.0"),
    lambda m: m.pop("creators"),
])
def test_the_zenodo_schema_rejects_what_zenodo_would_refuse_or_drop(tmp_path, edit):
    meta = zenodo.metadata()
    edit(meta)
    path = tmp_path / ".zenodo.json"
    path.write_text(json.dumps(meta))
    assert check_jsonschema(path, "--schemafile", str(ZENODO_SCHEMA)).returncode == 1


# --- the DOI -------------------------------------------------------------------------------------


STAMP = {"version": "1.2.3", "date": "2027-01-15", "commit": "0123456789ab"}


def test_without_a_doi_a_citation_carries_version_and_commit_only():
    text = citation.book_bibtex(STAMP, "ent-01", "https://example.org/book/", None)
    assert "doi" not in text and "version = {1.2.3}" in text and "commit 0123456789ab" in text


def test_a_doi_in_citation_cff_reaches_the_book_and_every_claim_citation(tmp_path, monkeypatch):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    cff["doi"] = "10.5281/zenodo.1234567"
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(cff))
    doi = citation.concept_doi(tmp_path)
    assert doi == "10.5281/zenodo.1234567"
    assert "  doi     = {10.5281/zenodo.1234567},\n" in citation.book_bibtex(STAMP, None, "https://e.org/", doi)
    assert "  doi     = {10.5281/zenodo.1234567},\n" in citation.claim_bibtex("ent-01", "1.2.3", "https://e.org/", doi)
    # The book's own pages read CITATION.cff at the repository root.
    monkeypatch.setattr(citation, "ROOT", tmp_path)
    from cnsaudit.book import audit_page, sphinx_ext

    assert "doi     = {10.5281/zenodo.1234567}" in audit_page.claim_citation("ent-01")
    assert "doi     = {10.5281/zenodo.1234567}" in sphinx_ext.citation_bibtex(STAMP, "ent-01", "https://e.org/")


def test_a_malformed_doi_is_refused_naming_the_file(tmp_path):
    (tmp_path / "CITATION.cff").write_text("doi: zenodo 1234567\n")
    with pytest.raises(citation.CitationError, match=r"CITATION.cff, key 'doi'"):
        citation.concept_doi(tmp_path)


def test_the_repository_has_no_doi_until_a_release_is_archived():
    # When the first deposit has a DOI, put it in CITATION.cff (CONTRIBUTING, "Release") and drop
    # this test: the cite page and every citation then carry it.
    assert citation.concept_doi() is None


# --- what must agree before a tag is released ----------------------------------------------------


@pytest.fixture
def repo(tmp_path, results):
    """The files a release check reads, copied, with the current verdicts recorded and the changes
    since the last release written up under the version (as step 2 of CONTRIBUTING's release)."""
    for name in RELEASE_FILES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    text = (tmp_path / "CHANGELOG.md").read_text()
    (tmp_path / "CHANGELOG.md").write_text(re.sub(r"^## Unreleased\n", "", text, flags=re.M))
    release.record(results, tmp_path)
    return tmp_path


def tag(root: Path) -> str:
    return f"v{release.package_version(root)}"


def test_a_consistent_repository_can_be_released(repo, results):
    assert release.problems(tag(repo), results, repo) == []


def test_a_tag_that_is_not_a_version_is_refused(repo, results):
    assert release.problems("0.2", results, repo) == ["the tag '0.2' is not of the form vX.Y.Z"]


def test_each_file_that_names_another_version_is_named(repo, results):
    found = release.problems("v9.9.9", results, repo)
    assert any(p.startswith("pyproject.toml: version is") for p in found)
    assert any(p.startswith("CITATION.cff: version is") for p in found)
    assert any(p.startswith("CHANGELOG.md: the first section must be '## 9.9.9") for p in found)
    assert any(p.startswith("releases/verdicts-9.9.9.csv is missing") for p in found)


def test_an_unreleased_section_left_in_the_changelog_is_named(repo, results):
    text = (repo / "CHANGELOG.md").read_text()
    (repo / "CHANGELOG.md").write_text(re.sub(r"^## (?=\d)", "## Unreleased\n\n- a change\n\n## ", text, count=1,
                                              flags=re.M))
    assert any("'## Unreleased' must become" in p for p in release.problems(tag(repo), results, repo))


def test_a_release_date_that_differs_from_the_changelog_is_named(repo, results):
    cff = (repo / "CITATION.cff").read_text()
    (repo / "CITATION.cff").write_text(cff.replace("date-released:", "date-released: 2001-01-01\n# was:"))
    assert any("date-released is 2001-01-01" in p for p in release.problems(tag(repo), results, repo))


def test_verdicts_recorded_before_the_last_change_to_data_are_named(repo, results):
    changed = results.copy()
    first = changed.index[0]
    changed.loc[first, "verdict"] = "consistent" if changed.loc[first, "verdict"] != "consistent" else "caveat"
    assert any("differs from the audit" in p for p in release.problems(tag(repo), changed, repo))


def test_a_stale_zenodo_file_is_named(repo, results):
    meta = json.loads((repo / ".zenodo.json").read_text())
    meta["keywords"].append("stale")
    (repo / ".zenodo.json").write_text(json.dumps(meta))
    assert any(p.startswith(".zenodo.json is not what") for p in release.problems(tag(repo), results, repo))


def test_release_notes_are_the_changelog_section(repo):
    notes = release.notes(release.package_version(repo), repo)
    assert notes.strip() and not notes.startswith("## ") and "\n## " not in notes
    with pytest.raises(KeyError):
        release.notes("0.0.9", repo)


# --- addresses a reader may have cited -----------------------------------------------------------


def test_every_published_page_is_still_in_the_book():
    no_problems(release.unreachable_pages(), "published pages a reader may have cited that no longer resolve",
                "put the page back in _toc.yml, or add 'old/name: new/page.html' under redirects in _config.yml")


def _move(repo: Path, old: str, new: str) -> None:
    toc = (repo / "_toc.yml").read_text()
    (repo / "_toc.yml").write_text(toc.replace(f"file: {old}\n", f"file: {new}\n"))


def test_a_page_moved_without_a_redirect_is_named_and_a_redirect_mends_it(repo):
    _move(repo, "glossary", "chapters/glossary")
    assert any("'glossary' was published but is neither in _toc.yml nor redirected" in p
               for p in release.unreachable_pages(repo))
    config = yaml.safe_load((repo / "_config.yml").read_text())
    config["sphinx"]["config"]["redirects"] = {"glossary": "chapters/glossary.html"}
    (repo / "_config.yml").write_text(yaml.safe_dump(config))
    with open(repo / release.PAGES, "a") as pages:
        pages.write("chapters/glossary\n")
    assert release.unreachable_pages(repo) == []


def test_a_redirect_to_no_page_and_an_unlisted_page_are_named(repo):
    config = yaml.safe_load((repo / "_config.yml").read_text())
    config["sphinx"]["config"]["redirects"] = {"chapters/old": "gone.html"}
    (repo / "_config.yml").write_text(yaml.safe_dump(config))
    _move(repo, "cite", "chapters/cite")
    found = release.unreachable_pages(repo)
    assert "_config.yml redirects: 'chapters/old' leads to 'gone.html', which is not a page of the book" in found
    assert any("'chapters/cite' is in _toc.yml but not listed as published" in p for p in found)


@pytest.mark.parametrize("old, target, page", [
    ("glossary", "chapters/glossary.html", "chapters/glossary"),
    ("chapters/old", "audit.html#claim-ent-01", "chapters/audit"),
    ("chapters/old", "../cite.html", "cite"),
])
def test_redirect_targets_are_read_relative_to_the_old_page(old, target, page):
    assert release.redirect_target(old, target) == page


# --- the command line ----------------------------------------------------------------------------


def test_the_release_check_command_names_what_to_change(capsys):
    assert cli.main(["release", "check", "v9.9.9"]) == 1
    err = capsys.readouterr().err
    assert "cnsaudit: pyproject.toml: version is" in err and "the tag says 9.9.9" in err


def test_the_release_notes_command_prints_the_section(capsys):
    assert cli.main(["release", "notes", f"v{release.package_version()}"]) == 0
    assert capsys.readouterr().out == release.notes(release.package_version())
    assert cli.main(["release", "notes", "0.0.9"]) == 2


# --- workflows -----------------------------------------------------------------------------------


WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_is_valid(workflow):
    proc = check_jsonschema(workflow, *builtin("github-workflows"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_workflow_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n      - run: echo\n")  # no runs-on
    assert check_jsonschema(broken, *builtin("github-workflows")).returncode == 1


def test_the_erratum_form_is_a_valid_issue_form():
    proc = check_jsonschema(ROOT / ".github/ISSUE_TEMPLATE/erratum.yml", *builtin("github-issue-forms"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_workflows_run_the_documented_commands():
    book = (ROOT / ".github/workflows/book.yml").read_text()
    for command in ["bash scripts/build-book.sh", "bash scripts/test.sh", "bash scripts/build-pdf.sh",
                    "python -m cnsaudit release check", "python -m cnsaudit release notes"]:
        assert command in book, command
    watch = (ROOT / ".github/workflows/watch.yml").read_text()
    for command in ["bash scripts/linkcheck.sh", "bash scripts/build-newest.sh", "bash scripts/build-newest.sh sphinx"]:
        assert command in watch, command
    assert "schedule" in yaml.safe_load(watch)[True]  # PyYAML reads the key `on` as True
