"""The audit chapter: every claim has its anchor, markup is escaped, downloads equal the CLI."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cnsaudit.engine import audit, schema
from cnsaudit.book import audit_page
from cnsaudit.tools import cli


def test_every_claim_appears_once_under_its_verdict_with_its_anchor(results, tables):
    pages = {v: audit_page.claims_html(results, tables, v)._repr_html_() for v in audit.VERDICTS}
    for r in results.itertuples():
        anchor = f'id="claim-{r.claim_id}"'
        assert anchor in pages[r.verdict]
        assert sum(anchor in page for page in pages.values()) == 1


def test_markup_in_a_claim_is_escaped(results, tables):
    evil = results.copy()
    evil.loc[0, "claim"] = "<script>alert('x')</script>"
    section = audit_page.claims_html(evil, tables, evil.loc[0, "verdict"])
    page = section._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    evil.loc[0, "claim"] = r"\input{/etc/passwd} 50% & more"
    latex = audit_page.claims_html(evil, tables, evil.loc[0, "verdict"]).latex()
    assert r"\input{" not in latex and r"\textbackslash{}input\{/etc/passwd\} 50\% \& more" in latex


def test_each_claim_links_to_the_audit_section_of_its_chapter(tables):
    assert audit_page.chapter_link(tables, "000_74ab3254b9657455.txt") == "entrectinib.html#ent-audit"


def test_downloads_are_byte_identical_to_the_cli(results, tmp_path):
    paths = audit_page.write_downloads(results, tmp_path)
    assert paths["csv"].read_text() == cli.render(results, "csv")
    assert paths["json"].read_text() == cli.render(results, "json")
    assert pd.read_csv(paths["csv"])["claim_id"].tolist() == results["claim_id"].tolist()


def test_the_pdf_form_is_a_real_table_with_every_claim_and_its_label(results, tables):
    for verdict in audit.VERDICTS:
        latex = audit_page.claims_html(results, tables, verdict).latex()
        for claim_id in results.loc[results["verdict"] == verdict, "claim_id"]:
            assert f"\\label{{\\detokenize{{chapters/audit:claim-{claim_id}}}}}{claim_id}" in latex
        if (results["verdict"] == verdict).any():
            assert "\\begin{longtable}" in latex and "p{0.25\\linewidth}" in latex


def test_each_row_is_offered_for_citation_and_links_to_its_chapter_row(results, tables):
    """The rows carry no BibTeX of their own (187 copies made the page heavy and filled search
    snippets): the table is marked citable and the page's script fills the one entry in per row."""
    page = audit_page.claims_html(results, tables, "contradicted")._repr_html_()
    assert '<table class="claim-table" data-cite="claim">' in page
    assert "@misc" not in page
    assert '<a class="claim-elsewhere" href="larotrectinib.html#claim-lar-46">in its chapter</a>' in page
    assert 'id="audit-contradicted-lar"' in page


def test_the_index_counts_each_guide_s_claims_by_verdict_and_links_to_them(results, tables):
    index = audit_page.audit_index(results, tables)
    page = index._repr_html_()
    for guide, group in results.groupby("guide"):
        topic = tables.guides.set_index("guide").loc[guide, "topic"]
        assert f'<th data-label="guide">{topic}</th>' in page
        for verdict, n in group["verdict"].value_counts().items():
            anchor = audit_page.group_anchor(tables, guide, verdict)
            assert f'<a href="#{anchor}">{n}</a>' in page
            assert f'id="{anchor}"' in audit_page.claims_html(results, tables, verdict)._repr_html_()
    assert "\\begin{longtable}" in index.latex(caption="c", label="l")


def test_a_chapter_s_claim_table_gives_each_row_an_anchor_linking_to_the_audit(results):
    from cnsaudit.book import report

    page = report.claim_table(results.head(3))._repr_html_()
    for claim_id in results.head(3)["claim_id"]:
        assert f'<tr id="claim-{claim_id}"' in page
        assert f'href="audit.html#claim-{claim_id}"' in page
    # A guide section's table repeats claims of the full table on the same page: no second id.
    assert 'id="claim-' not in report.section(results, results["location"].iloc[0])._repr_html_()


def test_the_dose_rule_table_is_in_words_with_the_dose_in_it():
    from cnsaudit.analyses import dosing
    from cnsaudit.book import report

    shown = report.dose_rules(dosing.load_rules(), "us-2023")
    assert list(shown.reset_index().columns) == ["situation", "dose or action", "body-surface area", "patient",
                                                 "label text"]
    assert "100 mg twice daily" in shown["dose or action"].tolist()
    assert "100 mg/m² twice daily" in shown["dose or action"].tolist()
    text = shown.to_string()
    for raw in ("ge1", "lt1", "paediatric", "printed", "abstract_only", "bsa_band", "rule_id"):
        assert raw not in text


def test_reasons_are_sentences_with_sources_in_words(tables):
    from cnsaudit.book import claim_table
    from cnsaudit.engine.short_cite import short_citations

    readers = audit.run_for_readers(tables)
    rows = claim_table.rows_for(readers)
    for column in ("the source says", "why"):
        keys = [k for k in short_citations() if rows[column].str.contains(rf"\b{k}\b").any()]
        assert keys == [], f"bibliography keys in the column {column!r}: {keys}"
    why = rows.set_index("claim").loc["lar-46", "why"]
    assert "the guide prints 73, while Bayer 2020 prints 71" in why


def test_the_errors_table_names_guides_by_topic_and_the_error_as_a_column(results, tables):
    from cnsaudit.book import report

    shown = report.errors_table(audit.errors(results), tables)
    assert list(shown.columns) == ["error", "verdict", "cells", "claims", "guide"]
    assert shown["cells"].sum() == (results["verdict"].isin(["contradicted", "inconsistent"])).sum()
    assert not shown["guide"].str.endswith(".txt").any()
    # A guide is named by its number (the seeds' 000_… names) and topic, or by its topic alone.
    topics = set(tables.guides["topic"])
    named = shown["guide"].map(lambda g: g in topics or (g[:3].isdigit() and g[3:5] == ": " and g[5:] in topics))
    assert named.all(), (f"errors table: guides named {list(shown.loc[~named, 'guide'])}, neither 'NNN: topic' nor the "
                         "topic of data/guides.csv; name them with report.guide_label")


def test_a_guide_without_a_number_in_its_file_name_is_named_by_its_topic(tables):
    from cnsaudit.book import report

    first = tables.guides.iloc[0]
    assert report.guide_label(tables, first["guide"]) == f"{first['guide'][:3]}: {first['topic']}"
    renamed = tables.guides.assign(guide=["a-guide-of-its-own.txt"] + list(tables.guides["guide"][1:]))
    assert report.guide_label(replace(tables, guides=renamed), "a-guide-of-its-own.txt") == first["topic"]


def test_each_unverified_claim_has_one_row_whose_searches_open_under_it(results, tables):
    page = audit_page.searches_html(results, tables)._repr_html_()
    unverified = results.loc[results["verdict"] == "unverified", ["claim_id", "fact_id"]]
    for claim_id, fact_id in unverified.itertuples(index=False):
        assert page.count(f'id="searches-{claim_id}"') == 1, claim_id
        found = audit.searches_for(tables.searches, claim_id, fact_id)
        assert f"<summary>{audit_page.search_summary(found)}</summary>" in page, claim_id
    # Every search outcome of the log has words for the reader, and no internal token is shown.
    assert set(audit_page.OUTCOME_WORDS) == set(schema.SEARCH_OUTCOMES)
    assert "not-found" not in page and "abstract-only" not in page


def test_a_search_summary_counts_each_outcome():
    log = pd.DataFrame({"outcome": ["not-found", "abstract-only", "not-found", "found-different"]})
    assert audit_page.search_summary(log) == ("4 searches: 1 found something different, 1 abstract only, "
                                              "2 not found")


def test_the_reason_counts_the_searches_the_page_lists(results, tables):
    # One count: the reason's "N searches" is the number of searches the page opens under the claim.
    import re

    for r in results[results["verdict"] == "unverified"].itertuples():
        m = re.search(r"(\d+) search(?:es)? recorded in the search log", r.reason)
        listed = len(audit.searches_for(tables.searches, r.claim_id, r.fact_id))
        assert (int(m.group(1)) if m else 0) == listed, r.claim_id


RAW = ("fact_id", "claim_id", "source_location", "maps_to", "printed", "abstract_only", "no_source", "sheet_only",
       ".txt")


def test_tables_of_evidence_and_coverage_speak_words_not_keys(results, tables):
    from cnsaudit.book import report

    for frame in (report.shown_evidence(report.evidence_rows(
                      tables, ["res-g595r-name", "alex-n-alc"], ["drug", "quantity", "value", "status", "ref",
                                                                  "source_location"])),
                  audit_page.coverage_table(tables)):
        text = frame.to_html()
        assert not [raw for raw in RAW if raw in text.replace("printed</td>", "")], text
    shown = report.shown_evidence(report.evidence_rows(tables, ["alex-n-alc"], ["drug", "status", "ref"]))
    assert list(shown.reset_index().columns) == ["drug", "what was read", "source"]
    assert shown.iloc[0]["source"] == "Mok et al. 2020"
    counts = audit_page.read_status_counts(results)
    assert counts.index.name == "what was read" and "abstract_only" not in counts.to_html()


def test_rate_ratio_and_timing_tables_name_sources_and_steps_in_words(tables):
    """The tables the PDF typesets from notebook outputs name a source by its short citation, never
    its BibTeX key, and a step of the reproduce page by what it does, never by a command with a
    notebook's file name (tests/test_pdf.py: KNOWN_RAW_IN_OUTPUTS stays empty)."""
    from cnsaudit.book import report

    row = report.proportion_row("ALEX", 3, 10, None, "printed", "gadgeel2018alex", measured=None)
    assert row["source"] == "Gadgeel et al. 2018"
    rate = report.printed_rate_row(tables.evidence, "primary CNS tumours", "lar-pcns-orr-2020", derived=True)
    assert rate["source"] == "Doz et al. 2022"
    ratios = report.ratio_symmetry_table(tables, ["ent-digoxin-auc"])
    assert "rozlytrek2019label" not in ratios.to_html() and ratios.iloc[0]["source"] == "Genentech, Inc. 2019"
    timings = pd.DataFrame([{"what": "re-execute one chapter", "seconds": 6, "note": None,
                             "command": ".venv/bin/python scripts/execute_notebooks.py chapters/x.ipynb"}])
    assert ".ipynb" not in report.timings_table(timings).to_html()
