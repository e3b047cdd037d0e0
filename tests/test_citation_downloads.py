"""Citing and downloading: stamps on every page, CITATION.cff in step, downloads complete and
valid, and two clean builds identical apart from the declared stamps."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest
import pandas as pd
import yaml

from cnsaudit.book import citation, datapackage, sphinx_ext
from cnsaudit.tools import cli

from .conftest import ROOT, toc_pages


def test_citation_cff_matches_the_package_and_the_book():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cff["version"] == sphinx_ext.book_version()
    assert cff["title"] == sphinx_ext.TITLE == config["title"]
    # The published address and the repository are set once in _config.yml; CITATION.cff repeats them.
    assert cff["url"] == config["html"]["baseurl"]
    assert cff["repository-code"] == config["repository"]["url"]
    assert sorted(cff["license"]) == ["CC-BY-4.0", "MIT"]
    assert str(cff["date-released"]) in (ROOT / "CHANGELOG.md").read_text()


def test_the_licences_are_named_everywhere_a_reader_or_a_tool_looks(built):
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "Creative Commons Attribution 4.0 International" in (ROOT / "LICENSE-CC-BY-4.0.txt").read_text()
    package = json.loads((built / "downloads" / "data" / "datapackage.json").read_text())
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    for page in toc_pages():
        assert "CC BY 4.0" in (built / page).read_text(), page


def test_citations_use_the_published_address(built):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    base = config["html"]["baseurl"]
    text = re.sub(r"<[^>]+>", "", (built / "cite.html").read_text())
    assert f"url     = {{{base}chapters/audit.html#claim-ent-01}}" in text
    assert f"url     = {{{base}}}" in text


def test_a_claim_citation_without_an_address_says_it_is_relative():
    text = sphinx_ext.citation_bibtex(sphinx_ext.stamp(), "ent-01", "")
    assert "relative to the book's address: chapters/audit.html" in text and "url" not in text


def test_the_pages_workflow_sets_the_address(monkeypatch):
    class Config:
        html_baseurl = "https://example.org/book/"

    assert sphinx_ext.book_url(Config) == "https://example.org/book/"
    monkeypatch.setenv("CNSAUDIT_BASEURL", "https://owner.github.io/repo")
    assert sphinx_ext.book_url(Config) == "https://owner.github.io/repo/"


def test_every_page_footer_carries_version_date_and_commit(built):
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    for page in toc_pages():
        html = (built / page).read_text()
        match = re.search(r'cnsaudit-stamp">Version ([^ ]+) · built (\d{4}-\d\d-\d\d) from commit <code>([0-9a-f]+)</code>', html)  # noqa: E501 (one pattern)
        assert match, page
        assert match.group(1) == sphinx_ext.book_version() and match.group(3) == head


def test_citation_page_has_bibtex_for_the_book_and_for_a_claim(built):
    text = re.sub(r"<[^>]+>", "", (built / "cite.html").read_text())
    assert "@misc{cnsaudit" in text and "chapters/audit.html#claim-ent-01" in text
    assert f"version = {{{sphinx_ext.book_version()}}}" in text


def test_downloads_are_all_there_and_the_audit_equals_the_cli(built, tables):
    from cnsaudit.engine import audit

    results = audit.run_for_readers(tables)  # what the command line prints: sources named in words
    folder = built / "downloads"
    for path, _ in sphinx_ext.download_files():
        assert (folder / path).is_file(), path
        assert f'href="downloads/{path}"' in (built / "downloads.html").read_text(), path
    assert (folder / "cnsaudit-audit.csv").read_text() == cli.render(results, "csv")
    assert (folder / "cnsaudit-audit.json").read_text() == cli.render(results, "json")
    tables = sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*.csv"))
    assert sorted(p.relative_to(folder / "data") for p in (folder / "data").rglob("*.csv")) == tables


def test_the_worklist_download_equals_the_command_and_the_page_links_the_erratum_form(built, results, tables):
    from cnsaudit.book import worklist

    from .test_cli import run

    printed = run("worklist").stdout
    assert (built / "downloads" / worklist.DOWNLOAD).read_text() == printed == worklist.render(results, tables)
    page = (built / "chapters" / "worklist.html").read_text()
    # The worklist page's own link (Sphinx copies the notebook's file under _downloads/) is the same list.
    link = re.search(r'href="\.\./(_downloads/[0-9a-f]+/worklist\.csv)"', page)
    assert link and (built / link.group(1)).read_text() == printed
    for claim_id in results.loc[worklist.to_check(results), "claim_id"]:
        assert f'id="worklist-{claim_id}"' in page and f"claim={claim_id}&amp;" in page
        assert f'href="audit.html#claim-{claim_id}"' in page
    # The audit page keeps the section the worklist left, and leads to the worklist's page.
    audit = (built / "chapters" / "audit.html").read_text()
    assert 'id="for-readers-with-the-full-text"' in audit and 'href="worklist.html"' in audit
    assert 'id="worklist-' not in audit
    assert 'href="chapters/worklist.html"' in (built / "intro.html").read_text()


def test_the_data_package_is_valid_under_frictionless(built, monkeypatch):
    monkeypatch.chdir(built / "downloads" / "data")
    report = frictionless.validate("datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_rejects_what_the_schema_rejects(data_copy, monkeypatch):
    path = data_copy / "claims" / "entrectinib.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "species"] = "Rat"
    df.to_csv(path, index=False)
    datapackage.write(data_copy)
    monkeypatch.chdir(data_copy)
    report = frictionless.validate("datapackage.json")
    errors = report.flatten(["fieldName", "type"])
    assert ["species", "constraint-error"] in errors


def test_a_clean_build_without_the_guide_texts_is_identical_apart_from_the_stamps(built, tmp_path):
    """Two clean builds give the same book, and the second, built the way a reader's clone builds
    it (no guide texts anywhere: CNSAUDIT_SEEDS names an empty folder), is strictly built too.

    The second build renders the first one's executions (the run's execution cache): what it tests
    is that Sphinx, the extension and the downloads give the same site. That executing the notebooks
    gives the same outputs is tested by nbval against the committed notebooks, and by
    test_the_build_executes_every_notebook_afresh_and_gets_the_committed_outputs, in both of CI's
    passes, the one with the guide texts and the one without."""
    no_guides = tmp_path / "no-guides"
    no_guides.mkdir()
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going",
                           "--path-output", str(tmp_path)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "CNSAUDIT_SEEDS": str(no_guides)})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    second = tmp_path / "_build" / "html"
    # The declared stamps: the footer line, Sphinx's "last updated" date, and the citation blocks
    # (they carry the same date and commit).
    stamp = re.compile(r'cnsaudit-stamp">.*?</p>|Last updated on [^<]*|\d{4}-\d\d-\d\d from commit [0-9a-f]+', re.S)
    differ = []
    for path in sorted(built.rglob("*")):
        if not path.is_file() or ".doctrees" in path.parts or path.name == ".buildinfo":
            continue
        other = second / path.relative_to(built)
        if not other.is_file():
            differ.append(f"missing: {path.relative_to(built)}")
        elif not filecmp.cmp(path, other, shallow=False):
            if path.suffix == ".html" and stamp.sub("", path.read_text()) == stamp.sub("", other.read_text()):
                continue
            differ.append(str(path.relative_to(built)))
    assert differ == []


def test_the_source_archive_holds_exactly_the_tracked_files(built):
    import zipfile

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: nothing to compare the archive with")
    with zipfile.ZipFile(built / "downloads" / sphinx_ext.SOURCE_ARCHIVE) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert names == set(tracked.stdout.split())


def test_a_chapter_reruns_from_the_source_archive_alone(built, tmp_path, monkeypatch, no_guide_texts):
    """Unpack the archive away from the repository and run the audit and one chapter from it."""
    import zipfile

    from cnsaudit.book.sphinx_ext import execute_notebook

    with zipfile.ZipFile(built / "downloads" / sphinx_ext.SOURCE_ARCHIVE) as archive:
        archive.extractall(tmp_path)
    unpacked = tmp_path / f"cnsaudit-book-{sphinx_ext.book_version()}"
    # The unpacked package, not the installed one, is what the audit and the kernel import.
    monkeypatch.setenv("PYTHONPATH", str(unpacked))
    monkeypatch.delenv("CNSAUDIT_DATA", raising=False)
    out = subprocess.run([sys.executable, "-c", "import cnsaudit; print(cnsaudit.__file__)"],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.startswith(str(unpacked))
    audit_out = subprocess.run([sys.executable, "-m", "cnsaudit", "audit"], capture_output=True,
                               text=True, check=False, cwd=tmp_path)
    assert audit_out.returncode == 0, audit_out.stderr
    assert audit_out.stdout == (built / "downloads" / "cnsaudit-audit.csv").read_text()
    notebook = json.loads(execute_notebook(unpacked / "chapters" / "ntrk-resistance.ipynb"))
    assert all(c.get("execution_count") for c in notebook["cells"] if c["cell_type"] == "code")


def test_the_reproduce_page_gives_the_readme_commands(built):
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.*?)\n```", readme, re.S)[:2]
    assert commands == ["bash scripts/build-book.sh", "bash scripts/test.sh"]
    page = re.sub(r"<[^>]+>", "", (built / "reproduce.html").read_text())
    for command in commands:
        assert command in page
    assert "cnsaudit-book-source.zip" in (built / "downloads.html").read_text()


def test_every_page_says_what_it_is_when_shared(built):
    """OpenGraph: a link shared in a message or a review shows the page's title, the book's name
    and the page's opening words, under the published address."""
    base = yaml.safe_load((ROOT / "_config.yml").read_text())["html"]["baseurl"]
    for page in toc_pages():
        html = (built / page).read_text()
        tags = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)"', html))
        assert tags.get("url") == base + page, page
        assert tags.get("site_name") == sphinx_ext.TITLE, page
        assert tags.get("title"), page
        assert len(tags.get("description", "")) > 60, page
        assert re.search(r'<meta name="description" content="[^"]{60,}"', html), page


def test_the_cite_page_says_where_releases_are_archived(built):
    text = re.sub(r"<[^>]+>", "", (built / "cite.html").read_text())
    assert "Archived releases" in text and "Zenodo" in text
    assert ("The book has no DOI yet" in text) == (citation.concept_doi() is None)
