"""Each guide's headings map to the chapter sections that audit their claims (cnsaudit.book.guide_map)."""

from __future__ import annotations

import csv

import pytest

from cnsaudit.book import guide_map

from .conftest import ROOT
from .teach import no_problems

# Every chapter data/guides.csv lists, a guide added later included.
with (ROOT / "data" / "guides.csv").open(encoding="utf-8", newline="") as _f:
    CHAPTERS = [row["chapter"] for row in csv.DictReader(_f)]

# Where a chapter leaves the guide's order. The chapter's section "The guide's sections in this
# chapter" says why; when this list changes, that explanation must be rewritten with it.
DEPARTURES = {
    "chapters/entrectinib": [],
    "chapters/alectinib": ["“Compound Focus”", "“Table 2: Intracranial Objective Response Rates (IC-ORR)”"],
    "chapters/ntrk-resistance": [],
    "chapters/larotrectinib": ["“Data Presentation”"],
}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_claim_sits_under_a_heading_of_its_guide(tables, chapter):
    no_problems([f"claim {c} (location '{loc}')" for c, loc in tables.claims.set_index("claim_id").loc[
                     guide_map.unmapped_claims(tables, chapter), "location"].items()],
                f"claims of {chapter} under no heading of their guide",
                "record the guide's heading above each claim in data/quotes.csv (kind 'heading', word for word, "
                "with its line) and list the claim's location prefix in its 'location', separated by '; '")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_map_lists_every_claim_once_and_each_heading_in_the_guide_s_order(tables, chapter):
    table = guide_map.section_map(tables, chapter)
    assert list(table.index) == sorted(table.index)
    guide = tables.guides.set_index("chapter").loc[chapter, "guide"]
    n_claims = (tables.claims["guide"] == guide).sum()
    listed = sum(_count(cell) for cell in table["claims"] if cell != "none")
    assert listed == n_claims


def _count(cell: str) -> int:
    total = 0
    for part in cell.split(", "):
        if " to " in part:
            first, last = part.split(" to ")
            total += int(last.rpartition("-")[2]) - int(first.rpartition("-")[2]) + 1
        else:
            total += 1
    return total


def test_a_heading_location_names_claims_unless_it_says_it_has_none(tables):
    headings = tables.quotes[tables.quotes["kind"] == "heading"]
    for h in headings.itertuples():
        claims = tables.claims[tables.claims["guide"] == h.guide]["location"]
        for prefix in h.location.split("; "):
            named = claims.map(lambda loc, p=prefix: loc.startswith(p)).any()
            assert named != prefix.startswith("section: "), (h.quote_id, prefix)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_departures_from_the_guide_s_order_are_the_ones_the_chapter_explains(tables, chapter):
    table = guide_map.section_map(tables, chapter)
    assert guide_map.out_of_order(table, chapter) == DEPARTURES.get(chapter, []), (
        f"{chapter} departs from its guide's order; say why in its section \"The guide's sections in this "
        "chapter\" and list the headings in DEPARTURES of tests/test_guide_map.py")


def test_claim_ranges_shorten_runs():
    assert guide_map.claim_ranges(["a-01", "a-02", "a-03", "a-05", "a-06", "b-07"]) == "a-01 to a-03, a-05, a-06, b-07"


def test_chapter_sections_read_the_sections_and_their_claim_calls(tmp_path):
    (tmp_path / "chapters" / "sources").mkdir(parents=True)
    (tmp_path / "chapters" / "sources" / "x.md").write_text(
        "# Title\n\n## First\n\n```{code-cell} ipython3\nreport.section(claims, \"intro\")\n```\n\n"
        "## Second\n\n```{code-cell} ipython3\n## not a heading\nreport.section(claims, 'table 1')\n```\n"
        "## Third\n\n```{code-cell} ipython3\nreport.section(claims, (\"table 2: a\", 'table 2: b'))\n```\n")
    assert guide_map.chapter_sections("chapters/x", tmp_path) == [
        ("First", ["intro"]), ("Second", ["table 1"]), ("Third", ["table 2: a", "table 2: b"])]
