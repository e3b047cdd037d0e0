"""Units in the claim tables: every cell of a claim with a unit shows it, spelt one way."""

from __future__ import annotations

import re

import pytest

from cnsaudit.book.claim_table import normalise_units, rows_for

from .teach import no_problems


@pytest.mark.parametrize("typed, shown", [
    ("at least 1.0 m2", "at least 1.0 m²"), ("100 mg/m2 twice daily", "100 mg/m² twice daily"),
    ("-80 degrees C", "−80 °C"), ("Collect 2-5 mL", "Collect 2–5 mL"), ("3-5 half-lives", "3–5 half-lives"),
    ("IC50 1.33 uM", "IC50 1.33 µM"), ("36 %", "36%"),
    # identifiers and names keep their hyphens
    ("CAS 897383-62-9", "CAS 897383-62-9"), ("NCT02075840", "NCT02075840"), ("Papp A-B", "Papp A-B"),
    ("NTRK1-G595R", "NTRK1-G595R"), ("KM12-Luc", "KM12-Luc"),
])
def test_units_are_written_one_way(typed, shown):
    assert normalise_units(typed) == shown


def test_every_claim_with_a_unit_shows_it_in_the_guide_says_cell(results, tables):
    units = tables.claims.set_index("claim_id")["unit"]
    rows = rows_for(results)
    missing = [f"{c}: {u}" for c, said in zip(rows["claim"], rows["the guide says"])
               if isinstance(u := units.get(c), str) and u and u != "ratio" and u not in said]
    no_problems(missing, "claims whose 'the guide says' cell leaves out the unit of data/claims/",
                "the claim table writes the unit from the claim row's 'unit' (cnsaudit/book/claim_table.py): "
                "correct the unit in data/claims/, or the claim table")


def test_no_cell_keeps_a_unit_spelt_another_way(results):
    rows = rows_for(results)
    spelt = re.compile(r"\bm2\b|degrees C|\buM\b|μM|\d\s%|\d-\d+\s*(?:mL|mg|days|hours|months|half-lives)")
    found = [f"claim {c}: '{m.group(0)}' in {said!r}" for c, g, s in zip(rows["claim"], rows["the guide says"],
                                                                     rows["the source says"])
             for said in (g, s) for m in spelt.finditer(said)]
    no_problems(found, "units spelt another way in the claim tables",
                "add the spelling to cnsaudit.book.claim_table.normalise_units, or write the unit one way in data/")
