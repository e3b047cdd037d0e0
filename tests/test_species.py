"""Species where they matter (issue 17, the review of 2026-12-05): an animal or cell study names its
species, a study of several species lists them all, the species rule compares the sets, and the
words name every species studied; the class rule says the guide's own quantifier, and one drug
takes a singular verb."""

from __future__ import annotations

import pytest

from cnsaudit.engine import audit, data, schema, scope, wording

from .conftest import edit_cell, verdict_of
from .test_scope import CLAIMS, EVIDENCE, add_pair, row_of, verdict


# --- the row rule -----------------------------------------------------------------------------------


def test_every_animal_or_cell_study_in_the_data_names_its_species(tables):
    rows = tables.evidence[tables.evidence["design"].isin(schema.NONHUMAN_DESIGNS)]
    assert len(rows) > 50
    assert rows["species"].notna().all()


def test_an_animal_study_without_species_is_refused_with_file_row_and_columns(data_copy):
    edit_cell(data_copy / EVIDENCE, "fact_id", "ent-therapeutic-exposure", "species", "")
    with pytest.raises(data.DataError) as caught:
        data.load()
    message = str(caught.value)
    assert "data/evidence/entrectinib.csv" in message
    line = next(i for i, text in enumerate((data_copy / EVIDENCE).read_text().splitlines(), start=1)
                if text.startswith("ent-therapeutic-exposure,"))
    assert f"(line {line})" in message
    assert "columns 'species', 'design'" in message
    assert "an animal or cell study needs its species" in message
    # The design decides: the same blank species under a clinical design loads.
    edit_cell(data_copy / EVIDENCE, "fact_id", "ent-therapeutic-exposure", "design", "single-arm trial")
    data.load()


@pytest.mark.parametrize("value, message", [
    ("rat;mouse", "is not one of"),
    ("Rat; mouse", "is not one of"),
    ("rat; rat", "names a species twice"),
    ("not stated; rat", "'not stated' beside a species"),
])
def test_a_malformed_species_list_is_refused(data_copy, value, message):
    edit_cell(data_copy / EVIDENCE, "fact_id", "ent-therapeutic-exposure", "species", value)
    with pytest.raises(data.DataError, match=message):
        data.load()


# --- several species --------------------------------------------------------------------------------


def test_a_study_of_several_species_is_compared_as_a_set(data_copy):
    cid = add_pair(data_copy, {"species": "human"}, {"species": "rat; mouse; in vitro", "design": "animal study"})
    row = row_of(cid)
    assert row["verdict"] == "caveat"
    assert "studied this in rats, mice and cells in vitro, not in patients" in row["reason"]
    assert row["headline"] == "The evidence comes from rats, mice and cells in vitro, not from patients."
    # One cell: patients among the species studied, and the statement is covered.
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "species", "rat; mouse; human")
    assert verdict(cid) == "consistent"
    # A claim about rats is covered by a study of rats and mice; about dogs it is another figure.
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "species", "rat")
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "species", "rat; mouse")
    assert verdict(cid) == "consistent"
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "species", "dog")
    assert verdict(cid) == "contradicted"


def test_a_species_the_source_does_not_name_is_said_and_decides_nothing(data_copy):
    cid = add_pair(data_copy, {"species": "human"}, {"species": "not stated", "design": "cell study"})
    row = row_of(cid)
    assert row["verdict"] == "consistent"
    assert "does not say which species the evidence comes from" in row["reason"]


def test_ent_37_follows_the_species_of_its_evidence(data_copy):
    """Entrectinib's therapeutic CNS exposure was shown in rats, mice and cells, and the guide says it
    of treatment (patients): a caveat, as alc-40 is for alectinib."""
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc["ent-37"]
    assert row["verdict"] == "caveat"
    assert "Fischer et al. 2020 studied this in rats, mice and cells in vitro, not in patients" in row["reason"]
    edit_cell(data_copy / EVIDENCE, "fact_id", "ent-therapeutic-exposure", "species", "rat; mouse; in vitro; human")
    assert verdict_of("ent-37") == "consistent"


def test_kodama_et_al_are_said_to_have_studied_rats_mice_and_cells():
    rows = audit.run_for_readers(data.load()).set_index("claim_id")
    kodama = "Kodama et al. 2014 studied this in rats, mice and cells in vitro, not in patients"
    assert kodama in rows.loc["alc-55", "reason"]
    assert "mice only" not in rows.loc["alc-55", "reason"]
    # The brain-to-plasma ratio itself was measured in rats, and the reason no longer says "only".
    assert "Kodama et al. 2014 studied this in rats, not in patients" in rows.loc["alc-40", "reason"]


def test_the_resistance_model_is_said_to_be_cells_and_mice():
    reason = audit.run_for_readers(data.load()).set_index("claim_id").loc["res-18", "reason"]
    assert "studied this in cells in vitro and mice, not in patients" in reason


# --- the class: its quantifier and the verb -----------------------------------------------------------


def test_one_drug_studied_takes_was_and_several_were():
    one = {"drug_class": "kinase inhibitors", "studied": ["alectinib"], "ref": "r"}
    two = {"drug_class": "TRK inhibitors", "studied": ["entrectinib", "repotrectinib"], "ref": "r"}
    assert wording.explain("drug class", one).startswith("Only alectinib was studied;")
    assert wording.explain("drug class", two).startswith("Only entrectinib and repotrectinib were studied;")
    none = {"drug_class": "kinase inhibitors", "studied": [], "ref": "r"}
    assert "Only no" not in wording.explain("drug class", none)


def test_no_headline_or_explanation_says_a_single_drug_were_studied():
    results = audit.run_for_readers(data.load())
    text = " ".join(results["headline"].fillna("")) + " " + " ".join(results["explanation"].fillna(""))
    for drug in schema.DRUGS:
        assert f"Only {drug} were studied" not in text
    assert "Only alectinib was studied" in results.set_index("claim_id").loc["alc-50", "headline"]


def test_the_reason_says_the_guides_quantifier_and_the_rule_stays_class_wide(data_copy):
    cid = add_pair(data_copy, {"drug_class": "kinase inhibitors", "class_extent": "many"},
                   {"drugs_studied": "repotrectinib"})
    row = row_of(cid)
    assert "the guide states it for many kinase inhibitors" in row["reason"]
    assert "all kinase" not in row["reason"] + row["explanation"]
    # "Many" is judged as class-wide (vocabulary.CLASS_EXTENTS): one drug studied leaves a caveat ...
    assert row["verdict"] == "caveat"
    # ... and without the quantifier the words say the whole class, the verdict unchanged.
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "class_extent", "")
    row = row_of(cid)
    assert "the guide states it for all kinase inhibitors" in row["reason"]
    assert row["verdict"] == "caveat"
    # The whole class studied: consistent, whatever the quantifier.
    edit_cell(data_copy / CLAIMS, "claim_id", cid, "class_extent", "many")
    edit_cell(data_copy / EVIDENCE, "fact_id", "test-fact-1", "drugs_studied",
              " ".join(schema.DRUG_CLASSES["kinase inhibitors"]))
    assert verdict(cid) == "consistent"


def test_ent_32_quotes_many_not_all():
    row = audit.run_for_readers(data.load()).set_index("claim_id").loc["ent-32"]
    assert "many kinase inhibitors" in row["reason"] and "many kinase inhibitors" in row["headline"]
    assert "all kinase inhibitors" not in row["reason"] + row["explanation"]


def test_the_species_words_take_a_list_or_one_species():
    fields = {"claim_species": ["human"], "fact_species": ["rat", "mouse"], "extrapolated": True, "ref": "r"}
    assert wording.say("species", fields).startswith("r studied this in rats and mice, not in patients")
    found = scope.species({"species": "human"}, {"species": "rat; mouse", "ref": "r"})
    assert found.effect == "caveat" and found.fields["fact_species"] == ["rat", "mouse"]
