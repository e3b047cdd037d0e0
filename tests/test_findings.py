"""The landing page's findings: computed from the audit, grouped and ordered by consequence."""

from __future__ import annotations

from cnsaudit import audit, data, findings, report

from .conftest import edit_cell


def test_every_failing_or_qualified_claim_is_a_finding_and_nothing_else(tables, results):
    found = findings.findings(results, tables)
    expected = set(results.loc[results["verdict"].isin(findings.SHOWN), "claim_id"])
    assert set(found["claim_id"]) == expected
    assert found["claim_id"].is_unique


def test_within_a_guide_failures_come_before_caveats_and_dosing_first(tables, results):
    found = findings.findings(results, tables)
    lar = found[found["guide"] == "Larotrectinib dosing with CNS metastases"]
    kinds = (lar["verdict"] == "caveat").tolist()
    assert kinds == sorted(kinds), "a caveat stands before a failure"
    failures = lar[lar["verdict"] != "caveat"]
    ranks = [findings.GROUPS.index(g) for g in failures["group"]]
    assert ranks == sorted(ranks) and len(failures)
    # No dosing claim of this guide fails since the moderate-inducer rule is read label by label.
    assert "dosing and safety rules" not in set(failures["group"])
    caveats = lar[lar["verdict"] == "caveat"]
    # Dosing caveats lead (the same dose with CNS metastases, shown for one cohort; the steps after a
    # reaction, which the November 2023 label keeps for reactions other than liver-test abnormalities;
    # doses below 1.0 m² written for children; a rule left out).
    dosing_caveats = caveats[caveats["group"] == "dosing and safety rules"]
    assert caveats.iloc[: len(dosing_caveats)]["group"].eq("dosing and safety rules").all()
    assert caveats.iloc[0]["claim_id"] == "lar-01"
    assert {"lar-14", "lar-15", "lar-16", "lar-19", "lar-28"} <= set(dosing_caveats["claim_id"])


def test_groups_follow_the_claim_fields(tables):
    claims = tables.claims.set_index("claim_id")
    assert findings.consequence(claims.loc["lar-30"]) == "dosing and safety rules"
    assert findings.consequence(claims.loc["alc-02"]) == "names and identifiers"
    assert findings.consequence(claims.loc["alc-29"]) == "study design"
    assert findings.consequence(claims.loc["lar-46"]) == "efficacy, safety and exposure figures"


def test_sentences_name_sources_in_words_not_keys(tables, results):
    found = findings.findings(results, tables)
    text = " ".join(found["sentence"])
    keys = findings.short_citations()
    assert not [k for k in keys if k in text]
    row = found.set_index("claim_id").loc["lar-46"]
    assert "Bayer 2020 prints 71%" in row["sentence"] and "n=19" in row["sentence"]


def test_a_finding_follows_the_data(data_copy):
    edit_cell(data_copy / "claims/larotrectinib.csv", "claim_id", "lar-07", "reported", "71")
    tables = data.load()
    found = findings.findings(audit.run(tables), tables)
    assert "lar-07" not in set(found["claim_id"])


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
    assert findings.agree("Drilon et al. 2021 shows it; Costa and Shaw 2015 do; Bayer 2023 prints 5") == (
        "Drilon et al. 2021 show it; Costa and Shaw 2015 do; Bayer 2023 prints 5")
    assert findings.plain("drilon2022lung prints 63", {"drilon2022lung": "Drilon et al. 2022"}) == (
        "Drilon et al. 2022 print 63")
