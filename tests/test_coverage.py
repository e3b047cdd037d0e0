"""Coverage: every number printed in a guide maps to a claim row (data/number-claims.csv) or to a
documented exclusion (data/exclusions.csv). The checks against the guide texts run only where the
texts are present; the tables themselves are validated everywhere."""

from __future__ import annotations

import pytest

from cnsaudit.engine import coverage, data
from cnsaudit.engine.data import DataError

from .teach import no_problems

# Numbers the inventory maps to a claim row not yet written. They are counted as gaps on the audit
# page; none is left, and none may come back.
KNOWN_PROPOSED = 0


def test_every_number_in_every_guide_is_mapped(tables, guide_texts):
    table = coverage.mapped(tables.number_claims, tables.exclusions)
    unmapped, stale = [], []
    for guide in tables.guides["guide"]:
        text = coverage.guide_text(guide_texts, guide)
        unmapped += [f"{guide}, line {line}, number {index} of the line: '{token}'"
                     for line, index, token in coverage.unmapped(guide, text, table)]
        stale += [f"{guide}, line {line}, number {index}: '{token}' is not there"
                  for line, index, token in coverage.stale(guide, text, table)]
    no_problems(unmapped, "numbers printed in a guide that neither a claim nor an exclusion accounts for",
                "add a row (guide, line, index, token) to data/number-claims.csv naming the claim ids that "
                "check it, or to data/exclusions.csv with the reason it is not audited")
    no_problems(stale, "rows of data/number-claims.csv or data/exclusions.csv that no longer match the guide text",
                "correct the row's line, index or token to where the number stands now, or delete the row")


def test_a_number_left_unmapped_is_caught(tables, guide_texts):
    guide = "003_78f3d3862d36bdb2.txt"
    text = coverage.guide_text(guide_texts, guide)
    table = coverage.mapped(tables.number_claims, tables.exclusions)
    first = table[table["guide"] == guide].iloc[0]
    dropped = table.drop(index=first.name)
    assert (int(first.line), int(first["index"]), first.token) in coverage.unmapped(guide, text, dropped)
    # A number added to the guide is caught too.
    assert coverage.unmapped(guide, text + "\nnew figure 42%\n", table) == [(len(text.splitlines()) + 1, 1, "42")]


def test_every_exclusion_has_a_reason_and_every_mapping_a_known_claim(tables):
    no_problems([f"data/exclusions.csv, {r.guide} line {r.line}: no reason" for r in tables.exclusions.itertuples()
                 if not str(r.reason).strip()],
                "exclusions without a reason", "say in 'reason' why the number is not audited")
    claim_ids = set(tables.claims["claim_id"])
    no_problems([f"data/number-claims.csv, {r.guide} line {r.line} '{r.token}': "
                 f"{sorted(set(r.claims.split()) - claim_ids)}"
                 for r in tables.number_claims.dropna(subset=["claims"]).itertuples()
                 if not set(r.claims.split()) <= claim_ids],
                "number mappings naming claim ids that no table of data/claims/ holds",
                "correct the ids in 'claims', or add the claims to data/claims/")


def test_proposed_claims_do_not_grow(tables):
    counts = coverage.per_guide(tables.number_claims, tables.exclusions)
    proposed = int(counts["to a proposed claim"].sum())
    assert proposed <= KNOWN_PROPOSED, (
        f"data/number-claims.csv maps {proposed} numbers to no claim yet (at most {KNOWN_PROPOSED}): write "
        "each as a row of data/claims/ and name its id in 'claims', or move the row to data/exclusions.csv "
        "with a reason")


def test_a_mapping_to_an_unknown_claim_is_refused(data_copy):
    path = data_copy / "number-claims.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("ent-", "ent-9", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"data/number-claims.csv, row 1 \(line 2\), column 'claims'"):
        data.load(data_copy)


def test_an_exclusion_without_a_reason_is_refused(data_copy):
    path = data_copy / "exclusions.csv"
    lines = path.read_text().splitlines()
    cells = lines[1].split(",", 4)
    lines[1] = ",".join(cells[:4]) + ","
    path.write_text("\n".join(lines) + "\n")
    expected = r"data/exclusions.csv, row 1 \(line 2\), column 'reason': is empty but required"
    with pytest.raises(DataError, match=expected):
        data.load(data_copy)
