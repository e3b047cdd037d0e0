"""The audit chapter: every claim has its anchor, markup is escaped, downloads equal the CLI."""

from __future__ import annotations

import pandas as pd

from cnsaudit import audit, audit_page, cli


def test_every_claim_appears_once_under_its_verdict_with_its_anchor(results, tables):
    pages = {v: audit_page.claims_html(results, tables, v) for v in audit.VERDICTS}
    for r in results.itertuples():
        anchor = f'id="claim-{r.claim_id}"'
        assert anchor in pages[r.verdict]
        assert sum(anchor in page for page in pages.values()) == 1


def test_markup_in_a_claim_is_escaped(results, tables):
    evil = results.copy()
    evil.loc[0, "claim"] = "<script>alert('x')</script>"
    page = audit_page.claims_html(evil, tables, evil.loc[0, "verdict"])
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_each_claim_links_to_the_audit_section_of_its_chapter(tables):
    assert audit_page.chapter_link(tables, "000_74ab3254b9657455.txt") == "entrectinib.html#ent-audit"


def test_downloads_are_byte_identical_to_the_cli(results, tmp_path):
    paths = audit_page.write_downloads(results, tmp_path)
    assert paths["csv"].read_text() == cli.render(results, "csv")
    assert paths["json"].read_text() == cli.render(results, "json")
    assert pd.read_csv(paths["csv"])["claim_id"].tolist() == results["claim_id"].tolist()
