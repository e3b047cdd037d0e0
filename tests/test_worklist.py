"""The worklist for readers with full-text access: one row per unverified claim, with the source, where
to read, what to check, the searches made and an erratum link carrying the claim id."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import yaml

from cnsaudit.engine import audit
from cnsaudit.book import worklist
from cnsaudit.engine.schema import LOOK_IN, SOURCE_KINDS

from .conftest import ROOT, edit_cell, unread
from .test_cli import run


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_command_prints_one_row_per_unverified_claim(results):
    out = run("worklist")
    assert out.returncode == 0, out.stderr
    rows = _rows(out.stdout)
    unverified = sorted(results.loc[worklist.to_check(results), "claim_id"])
    assert unverified, "the audit has unverified claims"
    assert [r["claim_id"] for r in rows] == unverified


def test_the_columns_and_no_empty_cell(results):
    out = run("worklist").stdout
    assert out.splitlines()[0] == ",".join(worklist.COLUMNS)
    assert worklist.COLUMNS[:5] == ["claim_id", "source", "where", "what_to_check", "searches"]
    for row in _rows(out):
        assert all(row[c].strip() for c in worklist.COLUMNS), row


def test_the_erratum_link_carries_the_claim_id_into_the_template_field(results):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    template = yaml.safe_load((ROOT / worklist.ERRATUM_TEMPLATE).read_text())
    field_ids = {item.get("id") for item in template["body"]}
    for row in _rows(run("worklist").stdout):
        link = urlsplit(row["erratum"])
        assert f"{link.scheme}://{link.netloc}{link.path}" == config["repository"]["url"].rstrip("/") + "/issues/new"
        query = parse_qs(link.query)
        assert query["template"] == ["erratum.yml"]
        filled = {k for k in query if k not in ("template", "title")}
        assert filled <= field_ids and query[worklist.CLAIM_FIELD] == [row["claim_id"]]
        assert row["claim_id"] in query["title"][0]


def test_no_source_claims_say_so_and_name_the_kind_of_source_that_would_settle_them(results, tables):
    status = results.set_index("claim_id")["status"]
    rows = _rows(run("worklist").stdout)
    kinds, parts = set(SOURCE_KINDS.values()), set(LOOK_IN.values())
    seen = set()
    for row in rows:
        seen.add(status[row["claim_id"]])
        if status[row["claim_id"]] == "no_source":
            assert row["source"].startswith("no primary source identified")
            assert row["where"] in kinds
        else:
            assert any(row["where"].startswith(p) for p in parts), row["where"]
    assert {"no_source", "abstract_only"} <= seen


def test_a_source_with_a_doi_is_given_by_its_address(results):
    rows = {r["claim_id"]: r for r in _rows(run("worklist").stdout)}
    # ent-26 rests on Demetri et al. 2022, recorded with a DOI.
    assert "https://doi.org/10.1158/1078-0432.CCR-21-3597" in rows["ent-26"]["source"]
    assert rows["ent-26"]["source"].startswith("Demetri et al. 2022. ")


def test_the_searches_are_the_search_logs(results, tables):
    log = audit.SearchLog(tables.searches)
    facts = results.set_index("claim_id")["fact_id"]
    for row in _rows(run("worklist").stdout):
        made = log.of(row["claim_id"], facts[row["claim_id"]])
        assert row["searches"].startswith(f"{len(made)} search")
        for query in made["query"]:
            assert query in row["searches"]


def test_reader_text_names_no_key(results, tables):
    keys = set(tables.evidence["ref"]) | set(tables.evidence["fact_id"])
    for row in _rows(run("worklist").stdout):
        text = " ".join(row[c] for c in ("source", "where", "what_to_check"))
        found = {k for k in keys if re.search(rf"\b{re.escape(k)}\b", text)}
        assert not found, (row["claim_id"], found)


def test_a_claim_made_unverified_joins_the_list_and_its_row_follows_the_data(data_copy):
    claims = lambda: [r["claim_id"] for r in _rows(run("worklist").stdout)]  # noqa: E731
    assert "lar-09" not in claims()
    unread(data_copy / "evidence/larotrectinib.csv", "lar-fusion-driver-label")
    assert "lar-09" in claims()
    edit_cell(data_copy / "to-read.csv", "fact_id", "lar-fusion-driver-label", "look_in", "methods")
    row = next(r for r in _rows(run("worklist").stdout) if r["claim_id"] == "lar-09")
    assert row["where"].startswith(LOOK_IN["methods"])


def test_an_unread_fact_without_a_worklist_row_is_refused(data_copy):
    path = data_copy / "to-read.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith("ntrk-ic-orr,")))
    out = run("validate")
    assert out.returncode == 2
    assert "column 'status': 'abstract_only', but data/to-read.csv has no row for 'ntrk-ic-orr'" in out.stderr


def test_a_worklist_row_gives_one_thing_from_its_vocabulary(data_copy):
    path = data_copy / "to-read.csv"
    edit_cell(path, "fact_id", "ntrk-ic-orr", "source_kind", "original paper")
    edit_cell(path, "fact_id", "zou-lm-n", "look_in", "the abstract")
    out = run("validate")
    assert out.returncode == 2
    assert "columns 'look_in', 'source_kind': give either the part of the full text" in out.stderr
    assert "column 'look_in': 'the abstract' is not one of" in out.stderr


def test_a_worklist_row_must_fit_its_facts_status(data_copy):
    path = data_copy / "to-read.csv"
    edit_cell(path, "fact_id", "res-paper", "source_kind", "")
    edit_cell(path, "fact_id", "res-paper", "look_in", "methods")
    edit_cell(path, "fact_id", "ntrk-ic-orr", "look_in", "")
    edit_cell(path, "fact_id", "ntrk-ic-orr", "source_kind", "original paper")
    out = run("validate")
    assert out.returncode == 2
    assert "column 'source_kind': is empty, but no primary source was identified for 'res-paper'" in out.stderr
    assert "column 'look_in': is empty, but 'ntrk-ic-orr' has a source ('abstract_only')" in out.stderr


def test_the_worklist_page_lists_every_entry_with_its_erratum_link(results, tables):
    page = worklist.worklist_html(results, tables)._repr_html_()
    for claim_id in results.loc[worklist.to_check(results), "claim_id"]:
        assert f'<tr id="worklist-{claim_id}">' in page
        assert f"claim={claim_id}&amp;" in page
        # the worklist has its own page: each claim id leads to its row on the audit page beside it
        assert f'<a href="audit.html#claim-{claim_id}">{claim_id}</a>' in page
    # Each cell carries its label, so the rows stack as labelled cards on a phone.
    assert page.count('data-label="where to read"') == worklist.to_check(results).sum()


def test_the_pdf_form_is_a_long_table_of_every_entry(results, tables):
    latex = worklist.worklist_html(results, tables).latex()
    assert latex.count("\\begin{longtable}") == 1
    for claim_id in results.loc[worklist.to_check(results), "claim_id"]:
        assert claim_id in latex
    assert "https://doi.org/10.1158/1078-0432.CCR-21-3597" in latex
    assert "<a href" not in latex and "no primary source identified; read without finding it" in latex
    first = results.loc[worklist.to_check(results), "claim_id"].min()
    assert f"\\hyperref[\\detokenize{{chapters/audit:claim-{first}}}]{{{first}}}" in latex


def test_the_reasons_count_every_claim_left_to_check_once(results):
    why = worklist.reasons(results)
    left = results[worklist.to_check(results)]
    assert why["claims"].sum() == len(left)
    assert why["unverified"].sum() == (left["verdict"] == "unverified").sum()
    assert set(why.index) <= set(worklist.LEFT_BECAUSE.values())
    assert not any("_" in words for words in why.index)  # words, not the status keys
