"""The gene + protein-change name checker: valid names, malformed names, near misses, scanning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnsaudit.analyses import nomenclature as nm


@pytest.mark.parametrize("token, gene, ref, position, alt", [
    ("NTRK1 G595R", "NTRK1", "G", 595, "R"),
    ("NTRK1-G595R", "NTRK1", "G", 595, "R"),
    ("NTRK1/G595R", "NTRK1", "G", 595, "R"),
    ("TRKA G595R", "NTRK1", "G", 595, "R"),
    ("TrkA G595R", "NTRK1", "G", 595, "R"),
    ("ROS1 G2032R", "ROS1", "G", 2032, "R"),
    ("ALK G1202R", "ALK", "G", 1202, "R"),
    ("NTRK3 G623R", "NTRK3", "G", 623, "R"),
    ("TRKC G623R", "NTRK3", "G", 623, "R"),
    ("EGFR T790M", "EGFR", "T", 790, "M"),
    ("EGFR p.T790M", "EGFR", "T", 790, "M"),
    ("EGFR Q787*", "EGFR", "Q", 787, "*"),
    ("EGFR E746del", "EGFR", "E", 746, "del"),
    ("NTRK1 Gly595Arg", "NTRK1", "G", 595, "R"),
])
def test_valid_names_are_parsed_into_their_parts(token, gene, ref, position, alt):
    v = nm.parse_variant(token)
    assert v.verdict == "well-formed", v.reasons
    assert (v.gene, v.ref, v.position, v.alt) == (gene, ref, position, alt)
    assert v.normalised == nm.format_variant(gene, ref, position, alt)


def test_the_guide_s_first_spelling_is_malformed_for_two_reasons():
    v = nm.parse_variant("NTRK-GF95R")
    assert v.verdict == "malformed"
    assert v.normalised is None
    assert len(v.reasons) == 2
    assert "gene family" in v.reasons[0] and "NTRK1/NTRK2/NTRK3" in v.reasons[0]
    assert "'GF' has 2 letters" in v.reasons[1]


@pytest.mark.parametrize("token, fragment", [
    ("NTRK GF95R", "gene family"),
    ("TRK G595R", "gene family"),
    ("NTRK1 GF95R", "2 letters"),
    ("NTRK1 G595RR", "2 letters"),
    ("NTRK1 B595R", "not a standard one-letter"),
    ("NTRK1 G595J", "not a standard one-letter"),
    ("NTRK1 g595R", "lower case"),
    ("ntrk1 G595R", "should be written NTRK1"),
    ("NTRK1 G0595R", "leading zeros"),
    ("NTRK1 G0R", "leading zeros"),
    ("NTRK1 G595G", "no change"),
    ("MET exon14", "not residue-position-residue"),
    ("NTRK1G595R", "not of the form"),
    ("NTRK1 595R", "not residue-position-residue"),
])
def test_malformed_and_near_miss_names_are_flagged_with_a_reason(token, fragment):
    v = nm.parse_variant(token)
    assert v.verdict == "malformed"
    assert any(fragment in r for r in v.reasons), v.reasons


def test_a_gene_outside_the_list_is_unknown_not_malformed():
    v = nm.parse_variant("KRAS G12C")
    assert v.verdict == "unknown gene"
    assert (v.ref, v.position, v.alt) == ("G", 12, "C")


def test_the_printed_reference_residue_of_trka_595_is_checked():
    assert nm.parse_variant("NTRK1 G595R").reference_check == "G595 in NTRK1 matches fuse2017g595r"
    wrong = nm.parse_variant("TRKA A595R")
    assert wrong.verdict == "reference mismatch"
    assert "does not match G595 in NTRK1 (fuse2017g595r)" in wrong.reasons[0]
    # No printed source for ROS1 2032 in this book: the residue is not judged either way.
    assert nm.parse_variant("ROS1 A2032R").reference_check == "not checked"
    assert nm.parse_variant("ROS1 A2032R").verdict == "well-formed"


def test_scanning_finds_names_and_near_misses_but_not_look_alikes():
    text = ("TPM3-NTRK1 G595R; NTRK-GF95R; ROS1/G2032R and EGFR p.T790M (NTRK3 G623R).\n"
            "ALK-positive LLC-PK1 KM12-Luc CH5424802 NP28673/NP28761 RECIST v1 Figure S1A TRK/ROS1")
    found = nm.find_variants(text, "t")
    assert [f.variant.token for f in found] == [
        "NTRK1 G595R", "NTRK-GF95R", "ROS1/G2032R", "EGFR p.T790M", "NTRK3 G623R"]
    assert [f.line for f in found] == [1] * 5
    assert found[1].variant.verdict == "malformed"


def test_every_guide_is_scanned_and_only_guide_002_names_a_mutation(guide_texts, tables):
    paths = sorted(guide_texts.glob("*.txt"))
    missing = sorted(set(tables.guides["guide"]) - {p.name for p in paths})
    assert not missing, f"{guide_texts} lacks the guide texts {missing} that data/guides.csv lists"
    table = nm.scan_files(paths)
    assert sorted(table["guide"].unique()) == [p.name for p in paths]
    hits = table[table["verdict"] != "—"]
    assert hits["token"].tolist() == ["NTRK-GF95R", "NTRK1-G595R"]
    assert hits["verdict"].tolist() == ["malformed", "well-formed"]
    assert set(hits["guide"]) == {"002_2ff37f2944dc5c1f.txt"}


_genes = st.sampled_from(nm.HGNC_SYMBOLS + tuple(nm.ALIASES))
_residues = st.sampled_from(sorted(nm.AMINO_ACIDS))
_new = st.one_of(_residues, st.sampled_from([nm.STOP, nm.DELETION]))


@settings(max_examples=300, deadline=None)
@given(gene=_genes, ref=_residues, position=st.integers(min_value=1, max_value=99_999), alt=_new,
       sep=st.sampled_from(["-", " ", "/"]))
def test_every_well_formed_name_round_trips(gene, ref, position, alt, sep):
    if ref == alt or (nm.ALIASES.get(gene, gene), position) in nm.REFERENCE_RESIDUES:
        return  # a non-change, or a residue a printed source fixes: covered by the tests above
    token = nm.format_variant(gene, ref, position, alt, sep)
    v = nm.parse_variant(token)
    assert v.verdict == "well-formed", v.reasons
    assert (v.gene, v.ref, v.position, v.alt) == (nm.ALIASES.get(gene, gene), ref, position, alt)
    assert nm.format_variant(v.gene_written, v.ref, v.position, v.alt, sep) == token
    # ... and the scanner finds it inside a sentence, unchanged.
    found = nm.find_variants(f"Cells with {token} resisted.")
    assert [f.variant.token for f in found] == [token]


@settings(max_examples=200, deadline=None)
@given(gene=_genes, ref=st.text(alphabet="ACDEFGHIKLMNPQRSTVWY", min_size=2, max_size=2),
       position=st.integers(min_value=1, max_value=9_999), alt=_residues)
def test_a_two_letter_reference_residue_is_always_caught(gene, ref, position, alt):
    token = nm.format_variant(gene, ref, position, alt, "-")
    v = nm.parse_variant(token)
    assert v.verdict == "malformed"
    found = nm.find_variants(f"the {token} mutation")
    assert [f.variant.verdict for f in found] == ["malformed"]
