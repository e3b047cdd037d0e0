"""What must agree before a tag `vX.Y.Z` becomes a release, and what a release keeps.

A release is cited in reviews, so the tag, the package version, CITATION.cff, `.zenodo.json`, the
changelog and the recorded verdicts must all name the same version, and every address a reader
may have cited must still lead somewhere. :func:`problems` lists every disagreement in words that
say which file to change; the release workflow runs it (``python -m cnsaudit release check``) and
stops on the first tag that fails it.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from pathlib import Path

import pandas as pd
import yaml

from ..book import citation, zenodo
from ..book.project import toc_docnames as _toc_walk

ROOT = citation.ROOT
TAG = re.compile(r"^v(\d+\.\d+\.\d+)$")
SECTION = re.compile(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d\d-\d\d)$", re.M)
PAGES = "releases/pages.txt"


def package_version(root: Path = ROOT) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def changelog_sections(root: Path = ROOT) -> dict[str, tuple[str, str]]:
    """version -> (date, text of its section), in the order CHANGELOG.md gives them."""
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    heads = list(SECTION.finditer(text))
    return {m.group(1): (m.group(2), text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)].strip())
            for i, m in enumerate(heads)}


def notes(version: str, root: Path = ROOT) -> str:
    """The changelog section of one version: the text of its release."""
    sections = changelog_sections(root)
    if version not in sections:
        raise KeyError(f"CHANGELOG.md has no section '## {version} — YYYY-MM-DD'")
    return sections[version][1] + "\n"


def verdicts_path(version: str, root: Path = ROOT) -> Path:
    return root / "releases" / f"verdicts-{version}.csv"


def verdicts_csv(results: pd.DataFrame) -> str:
    """Every claim's verdict, as `releases/verdicts-<version>.csv` records it."""
    return results[["claim_id", "verdict"]].sort_values("claim_id").to_csv(index=False, lineterminator="\n")


def record(results: pd.DataFrame, root: Path = ROOT) -> list[Path]:
    """Write the files a release records from the tables: the verdicts and `.zenodo.json`."""
    path = verdicts_path(package_version(root), root)
    path.write_text(verdicts_csv(results), encoding="utf-8")
    return [path, zenodo.write(root)]


def _version_problems(version: str, root: Path) -> list[str]:
    found = []
    if package_version(root) != version:
        found.append(f"pyproject.toml: version is {package_version(root)}, the tag says {version}")
    cff = citation.metadata(root)
    if str(cff.get("version")) != version:
        found.append(f"CITATION.cff: version is {cff.get('version')}, the tag says {version}")
    sections = changelog_sections(root)
    if re.search(r"^## Unreleased", (root / "CHANGELOG.md").read_text(encoding="utf-8"), re.M):
        found.append(f"CHANGELOG.md: the section '## Unreleased' must become '## {version} — YYYY-MM-DD'")
    if not sections or next(iter(sections)) != version:
        found.append(f"CHANGELOG.md: the first section must be '## {version} — YYYY-MM-DD'")
    elif str(cff.get("date-released")) != sections[version][0]:
        found.append(f"CITATION.cff: date-released is {cff.get('date-released')}, CHANGELOG.md dates "
                     f"{version} {sections[version][0]}")
    return found


def _record_problems(version: str, results: pd.DataFrame, root: Path) -> list[str]:
    found = []
    path = verdicts_path(version, root)
    if not path.is_file():
        found.append(f"releases/verdicts-{version}.csv is missing: run `python -m cnsaudit release record`")
    elif path.read_text(encoding="utf-8") != verdicts_csv(results):
        found.append(f"releases/verdicts-{version}.csv differs from the audit: run "
                     "`python -m cnsaudit release record` after the last change to data/")
    zen = root / zenodo.ZENODO
    if not zen.is_file() or zen.read_text(encoding="utf-8") != zenodo.render(root):
        found.append(".zenodo.json is not what CITATION.cff and references.bib give: run "
                     "`python -m cnsaudit release record`")
    return found


def problems(tag: str, results: pd.DataFrame, root: Path = ROOT) -> list[str]:
    """Every reason the tag cannot be released as the repository stands; empty when it can."""
    match = TAG.match(tag)
    if not match:
        return [f"the tag {tag!r} is not of the form vX.Y.Z"]
    version = match.group(1)
    return _version_problems(version, root) + _record_problems(version, results, root) + unreachable_pages(root)


# --- addresses a reader may have cited -----------------------------------------------------------


def toc_docnames(root: Path = ROOT) -> set[str]:
    return set(_toc_walk(root))


def redirects(root: Path = ROOT) -> dict[str, str]:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return dict(config.get("sphinx", {}).get("config", {}).get("redirects") or {})


def published_pages(root: Path = ROOT) -> list[str]:
    lines = (root / PAGES).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def redirect_target(old: str, target: str) -> str:
    """The document a redirect of `old` leads to (targets are relative to the old page's folder)."""
    page = target.split("#", 1)[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(old), page))
    return joined[: -len(".html")] if joined.endswith(".html") else joined


def unreachable_pages(root: Path = ROOT) -> list[str]:
    """Published pages a reader can no longer reach, and redirects that lead nowhere."""
    toc, moved = toc_docnames(root), redirects(root)
    published = published_pages(root)
    found = [f"{PAGES}: '{page}' was published but is neither in _toc.yml nor redirected "
             "(add it to `redirects` in _config.yml, old name -> new page)"
             for page in published if page not in toc and page not in moved]
    found += [f"_config.yml redirects: '{old}' leads to '{target}', which is not a page of the book"
              for old, target in moved.items() if redirect_target(old, target) not in toc]
    found += [f"{PAGES}: '{page}' is in _toc.yml but not listed as published (add the line)"
              for page in sorted(toc - set(published))]
    return found
