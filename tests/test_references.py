"""references.bib: every journal or meeting item a reader can follow, every label reachable.

An @article or @inproceedings entry carries a DOI or a PMID. The only exceptions are listed in
NO_IDENTIFIER with the reason; each was searched for (title, authors and journal; the entry's
`note`, hidden from readers, says so) and no page returned by the search printed a DOI or PMID for it. An entry that
gains an identifier must leave the list (the test fails while it is on both).
"""

from __future__ import annotations

from pybtex.database import parse_file

from .conftest import ROOT
from .teach import no_problems

# key -> why it has neither a DOI nor a PMID in references.bib
NO_IDENTIFIER = {
    "fischer2020entrectinib": "cited by PMCID (PMC7283026, with its PubMed Central address); the PMC page "
                              "returned by the search did not show its DOI or PMID",
    "gadgeel2018alex": "cited by PMCID (PMC6290889, with its PubMed Central address); no returned page "
                       "printed its DOI or PMID",
    "drilon2022lung": "cited by PMCID (PMC8830513, with its PubMed Central address); no returned page "
                      "printed its DOI or PMID",
    "dziadziuszko2021ros1": "no returned page printed its DOI, PMID or PMCID",
    "gainor2015alectinib": "no returned page printed its DOI, PMID or PMCID; its primary text was not found",
}

# Regulators' documents (prescribing information, EPARs, SmPCs): no DOI exists, so an address.
LABEL_MARKERS = ("prescribing information", "EPAR", "product characteristics")


def _entries():
    return parse_file(str(ROOT / "references.bib"), "bibtex").entries


def test_every_journal_and_meeting_item_has_a_doi_or_pmid():
    missing = []
    for key, entry in _entries().items():
        if entry.type.lower() not in ("article", "inproceedings"):
            continue
        fields = {name.lower() for name in entry.fields}
        has_id = bool(fields & {"doi", "pmid"})
        if has_id and key in NO_IDENTIFIER:
            missing.append(f"{key}: has an identifier now; take it off NO_IDENTIFIER")
        elif not has_id and key not in NO_IDENTIFIER:
            missing.append(f"{key}: no doi or pmid field")
    assert not missing, "\n".join(missing)


def test_the_allow_list_names_only_existing_entries_and_gives_a_reason():
    entries = _entries()
    no_problems([f"{key}: not an entry of references.bib" for key in NO_IDENTIFIER if key not in entries]
                + [f"{key}: reason '{reason}' is too short to tell why" for key, reason in NO_IDENTIFIER.items()
                   if len(reason) <= 20],
                "entries of NO_IDENTIFIER in tests/test_references.py",
                "delete keys the bibliography no longer has; say in a sentence why the source has no DOI or PMID")


def test_every_entry_cited_by_pmcid_alone_links_to_pubmed_central():
    for key, entry in _entries().items():
        fields = {name.lower(): value for name, value in entry.fields.items()}
        if "pmcid" in fields and not fields.keys() & {"doi", "pmid"}:
            assert fields.get("url", "").endswith(fields["pmcid"]), key


def test_every_label_has_an_address():
    for key, entry in _entries().items():
        title = str(entry.fields.get("title", ""))
        if entry.type.lower() == "misc" and any(m.lower() in title.lower() for m in LABEL_MARKERS):
            assert entry.fields.get("url", "").startswith("https://"), key
