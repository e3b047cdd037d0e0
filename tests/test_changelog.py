"""CHANGELOG.md follows the releases: one section per version, the current one first, and every
claim whose verdict changed since the last release listed by id under that version's "Verdicts"."""

from __future__ import annotations

import re

import pandas as pd

from cnsaudit.book import sphinx_ext
from cnsaudit.tools.release import SECTION  # the heading a release check reads, so the two cannot differ

from .conftest import ROOT

CLAIM_ID = re.compile(r"\b[a-z]{3}-\d{2}\b")


def sections(text: str) -> dict[str, str]:
    heads = list(SECTION.finditer(text))
    return {m.group(1): text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
            for i, m in enumerate(heads)}


UNRELEASED = re.compile(r"^## Unreleased[ \t]*$", re.M)


def unreleased(text: str) -> str:
    """The "Unreleased" section at the head of the changelog (changes not yet in a version), or ""."""
    m = UNRELEASED.search(text)
    if m is None:
        return ""
    following = SECTION.search(text, m.end())
    return text[m.end(): following.start() if following else len(text)]


def verdicts_listed(section: str) -> set[str]:
    part = section.split("### Verdicts", 1)[1].split("\n### ", 1)[0] if "### Verdicts" in section else ""
    return set(CLAIM_ID.findall(part))


def unlisted_changes(previous: pd.DataFrame, current: pd.DataFrame, section: str) -> list[str]:
    """Claim ids whose verdict differs (or that appeared or disappeared) but are not listed."""
    before = previous.set_index("claim_id")["verdict"]
    now = current.set_index("claim_id")["verdict"]
    changed = {c for c in before.index.union(now.index) if before.get(c) != now.get(c)}
    return sorted(changed - verdicts_listed(section))


def last_release() -> tuple[str, pd.DataFrame]:
    snapshots = sorted(ROOT.glob("releases/verdicts-*.csv"),
                       key=lambda p: tuple(int(x) for x in p.stem.split("-")[1].split(".")))
    older = [p for p in snapshots if p.stem.split("-")[1] != sphinx_ext.book_version()]
    path = older[-1]
    return path.stem.split("-")[1], pd.read_csv(path, dtype=str)


def test_the_current_version_heads_the_changelog():
    found = sections((ROOT / "CHANGELOG.md").read_text())
    assert list(found)[0] == sphinx_ext.book_version(), (
        f"CHANGELOG.md: the first version heading is {list(found)[0]}, the package's version (pyproject.toml) is "
        f"{sphinx_ext.book_version()}: head the changelog with '## {sphinx_ext.book_version()} — date' under "
        "'## Unreleased', or set the version in pyproject.toml and CITATION.cff")
    versions = [tuple(int(x) for x in v.split(".")) for v in found]
    assert versions == sorted(versions, reverse=True), (
        f"CHANGELOG.md: the version headings {list(found)} are not newest first: move the sections into order")


def test_every_verdict_changed_since_the_last_release_is_listed(results):
    # A change made since the current version was written up is listed under "Unreleased".
    version, previous = last_release()
    text = (ROOT / "CHANGELOG.md").read_text()
    current = results[["claim_id", "verdict"]]
    in_version = unlisted_changes(previous, current, sections(text)[sphinx_ext.book_version()])
    assert sorted(set(in_version) & set(unlisted_changes(previous, current, unreleased(text)))) == [], (
        f"CHANGELOG.md: verdicts changed since {version} but not listed by claim id under "
        f"{sphinx_ext.book_version()}: add each claim id with its old and new verdict under 'Verdicts' "
        "(in '## Unreleased' between releases)")


def test_an_unlisted_verdict_change_is_caught():
    previous = pd.DataFrame({"claim_id": ["ent-01", "ent-02"], "verdict": ["consistent", "unverified"]})
    current = pd.DataFrame({"claim_id": ["ent-01", "ent-02", "ent-03"],
                            "verdict": ["consistent", "consistent", "caveat"]})
    assert unlisted_changes(previous, current, "### Verdicts\n\n- ent-03: new\n") == ["ent-02"]
    assert unlisted_changes(previous, current, "### Verdicts\n\n- ent-02, ent-03\n") == []
    text = "# Changelog\n\n## Unreleased\n\n### Verdicts\n\n- ent-02: x\n\n## 0.2.0 — 2026-11-30\n\n- ent-03\n"
    assert verdicts_listed(unreleased(text)) == {"ent-02"}
    assert unreleased("# Changelog\n\n## 0.2.0 — 2026-11-30\n") == ""
