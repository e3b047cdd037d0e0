"""The bibliography style: et al. after the listed authors, PMIDs printed, working notes left out."""

from __future__ import annotations

from pybtex.database import parse_string

from cnsaudit.book.bibstyle import VancouverStyle

BIB = r"""
@article{a2020,
  author = {Fischer, Holger and others},
  title = {A title}, journal = {Neuro-Oncology}, year = {2020},
  pmid = {123456}, doi = {10.1/x},
  note = {DOI not confirmed; working note}
}
@article{b2021,
  author = {One, A. and Two, B. and Three, C. and Four, D. and Five, E. and Six, F. and Seven, G.},
  title = {Another}, journal = {J}, year = {2021}
}
"""


def _text(key: str) -> str:
    data = parse_string(BIB, "bibtex")
    entries = list(VancouverStyle().format_entries(data.entries.values()))
    return next(e for e in entries if e.key == key).text.render_as("text")


def test_others_becomes_et_al_and_notes_stay_out():
    text = _text("a2020")
    assert "et al." in text and "others" not in text
    assert "working note" not in text
    assert "PMID:123456" in text and "doi:10.1/x" in text


def test_a_long_author_list_is_cut_at_six():
    text = _text("b2021")
    assert "Six" in text and "Seven" not in text and "et al." in text
