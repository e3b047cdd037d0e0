"""Nothing counts the guides by hand: the titles state no number of guides, the data package names
the publishers data/guides.csv lists, and no text of the book or its documents types a count of
guides or guide chapters (a count a chapter needs is computed from data/guides.csv and glued)."""

from __future__ import annotations

import csv
import re

import yaml

from cnsaudit.book import citation, datapackage

from .conftest import ROOT

NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
COUNTED = re.compile(rf"\b{NUMBER}\s+(?:secondary\s+|supplier\s+)?(?:guides|guide chapters|write-ups)\b",
                     re.IGNORECASE)
# A count of more than one guide is plural, so "one guide" (a single guide, not the count) passes.
TEXTS = ["README.md", "CONTRIBUTING.md", "CITATION.cff", "_config.yml", "_toc.yml", "pyproject.toml", "cite.md",
         "downloads.md", "glossary.md", "sources/*.md", "chapters/sources/*.md", "cnsaudit/**/*.py", "tests/*.py",
         "scripts/*", "benchmarks/*.py", ".github/**/*.yml"]


def test_no_text_types_a_count_of_the_guides():
    found = []
    for pattern in TEXTS:
        for path in sorted(ROOT.glob(pattern)):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in COUNTED.finditer(line):
                    found.append(f"{path.relative_to(ROOT)}, line {number}: '{match.group(0)}'")
    assert not found, ("a count of guides typed by hand goes stale when a guide is added; drop the count "
                       "or compute it from data/guides.csv (glue it in a chapter): " + "; ".join(found))


def test_the_titles_state_no_count():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    titles = {"_config.yml title": config["title"], "CITATION.cff title": cff["title"],
              "cnsaudit/book/citation.py TITLE": citation.TITLE, "the data package's title": datapackage.title(),
              "a claim's citation": citation.claim_bibtex("x-01", "0.0.0", "https://example.org/")}
    counted = {where: title for where, title in titles.items() if COUNTED.search(title)}
    assert not counted, f"a title states how many guides there are: {counted}; reword it without the count"


def test_the_data_package_names_the_publishers_of_guides_csv(data_copy):
    guides = data_copy / "guides.csv"
    with guides.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows.append(dict(rows[0], guide="999_fifth.txt", publisher="A fifth publisher"))
    with guides.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    title = datapackage.title(data_copy)
    missing = [r["publisher"] for r in rows if r["publisher"] not in title]
    assert not missing, f"the data package's title leaves out the publishers {missing} of {guides.name}: {title}"
