"""The landing page's findings: computed from the audit, grouped and ordered by consequence."""

from __future__ import annotations

import re

import pytest

from cnsaudit.engine import audit, data
from cnsaudit.book import findings, report

from .conftest import edit_cell


@pytest.fixture(scope="module")
def readers(tables):
    return audit.run_for_readers(tables)


def test_every_error_and_caveat_is_one_finding_and_nothing_else(tables, readers):
    found = findings.findings(readers, tables)
    expected = set(readers.loc[readers["verdict"].isin(findings.SHOWN), "claim_id"])
    assert {c for claims in found["claims"] for c in claims} == expected
    # Cells of one error (one `finding` id) are one finding: an error is counted once.
    shown = readers[readers["verdict"].isin(findings.SHOWN)]
    keys = {f or c for f, c in zip(shown["finding"], shown["claim_id"])}
    assert len(found) == len(keys)


def test_failures_come_before_caveats_and_each_in_consequence_order(tables, readers):
    found = findings.findings(readers, tables)
    caveat = (found["verdict"] == "caveat").tolist()
    assert caveat == sorted(caveat), "a caveat stands before a failure"
    for kind in (True, False):
        ranks = [findings.GROUPS.index(g) for g in found.loc[found["verdict"].eq("caveat") == kind, "group"]]
        assert ranks == sorted(ranks)


def test_each_finding_is_short_names_its_guide_and_no_key(tables, readers):
    found = findings.findings(readers, tables)
    assert (found["sentence"].str.split().str.len() <= findings.MAX_WORDS).all()
    assert set(found["guide"]) <= set(findings.guide_names(tables).values())
    text = " ".join(found["sentence"]) + " ".join(found["guide"])
    assert not [k for k in findings.short_citations() if re.search(rf"\b{k}\b", text)]
    assert not re.search(r"\b\d{3}_[0-9a-f]{16}\.txt\b", text)


def test_groups_follow_the_claim_fields(tables):
    claims = tables.claims.set_index("claim_id")
    assert findings.consequence(claims.loc["lar-30"]) == "dosing and safety rules"
    assert findings.consequence(claims.loc["alc-02"]) == "names and identifiers"


def test_a_finding_follows_the_data(data_copy):
    tables = data.load()
    first = findings.findings(audit.run_for_readers(tables), tables).iloc[0]
    # Changing the claim's consequence to the least one moves it behind the other failures.
    for claim_id in first["claims"]:
        edit_cell(data_copy / f"claims/{_file_of(tables, claim_id)}", "claim_id", claim_id, "consequence",
                  "names and identifiers")
    tables = data.load()
    found = findings.findings(audit.run_for_readers(tables), tables)
    assert found.iloc[0]["claim_id"] != first["claim_id"] or (found["group"] == "names and identifiers").all()


def _file_of(tables, claim_id: str) -> str:
    row = tables.claims.set_index("claim_id").loc[claim_id]
    return row["source_file"].split("/")[-1]


def test_the_counts_count_errors_once_and_unread_problems(tables, readers):
    found = findings.findings(readers, tables)
    numbers = findings.counts(readers, found)
    assert numbers["errors"] == len(audit.errors(readers))
    assert numbers["failing_claims"] >= numbers["errors"]
    assert numbers["claims"] == numbers["failing_claims"] + numbers["unverified"] + numbers["consistent"] + (
        readers["verdict"] == "caveat").sum()


def test_the_html_list_links_every_finding_to_its_row(tables, results):
    found = findings.findings(results, tables)
    page = findings.FindingsList(found)._repr_html_()
    for claim_id in found["claim_id"]:
        assert f'href="chapters/audit.html#claim-{claim_id}"' in page
    assert page.count('class="verdict-badge verdict-') == len(found)


def test_each_chapter_names_its_guide_by_title_publisher_date_and_hash(tables):
    for r in tables.guides.itertuples():
        identity = report.guide_identity(tables, r.chapter)
        shown = identity["the guide audited"]
        assert shown["publisher"] == r.publisher and shown["file SHA-256"] == r.sha256
        assert shown["title"].startswith("“") and len(shown["title"]) > 10


def test_a_guide_without_a_title_is_refused(data_copy):
    import pytest

    path = data_copy / "quotes.csv"
    kept = [line for line in path.read_text().splitlines() if not line.startswith("ent-q-title")]
    path.write_text("\n".join(kept) + "\n")
    with pytest.raises(ValueError, match="expected one title"):
        report.guide_identity(data.load(), "chapters/entrectinib")


def test_a_verb_after_several_authors_agrees_with_them():
    from cnsaudit.engine.short_cite import Cited, verb

    assert verb(Cited("Drilon et al. 2021", plural=True), "shows") == "show"
    assert verb(Cited("Bayer 2023"), "prints") == "prints"
    assert verb("drilon2022lung", "prints") == "prints"


def test_a_chapter_counts_its_verdicts_in_words_that_agree():
    import pandas as pd

    one = pd.DataFrame({"verdict": ["contradicted", "consistent", "consistent"]})
    assert report.verdict_sentence(one) == "Of its 3 claims, 2 are reproduced and 1 is contradicted by its source."
    unread = pd.DataFrame({"verdict": ["unverified", "consistent"]})
    assert report.verdict_sentence(unread) == (
        "Of its 2 claims: 1 is reproduced; and 1 could not be checked, because no source we could read prints it.")


def test_a_claim_row_links_its_source_by_name(tables):
    from cnsaudit.book import claim_table
    from cnsaudit.engine.short_cite import cite
    from cnsaudit.book.worklist import address

    readers = audit.run_for_readers(tables)
    row = readers[readers["claim_id"] == "ent-13"]
    page = claim_table.ClaimTable(row)._repr_html_()
    link = f'<a class="source-link" href="{address("fischer2020entrectinib")}">{cite("fischer2020entrectinib")}</a>'
    assert link in page
