"""Numbered result tables: the forms cnsaudit.book.sphinx_ext recognises, escaped, in HTML and LaTeX."""

from __future__ import annotations

import pandas as pd
import pytest

from cnsaudit.book.claim_table import ClaimTable
from cnsaudit.book.numbered import HTML_HEAD, LABEL, LATEX_HEAD, numbered


def test_a_frame_carries_its_name_and_caption_in_both_forms():
    frame = pd.DataFrame({"rate": [66.9, None]}, index=pd.Index(["a <b>", "c"], name="group"))
    table = numbered(frame, "tab-x-rates", 'Rates & "counts" <per> group')
    head = HTML_HEAD.match(table._repr_html_())
    assert head and head.group("name") == "tab-x-rates"
    assert "&lt;b&gt;" in table._repr_html_() and "<b>" not in table._repr_html_()
    assert 'data-label="group"' in table._repr_html_() and "—" in table._repr_html_()
    latex = table.latex()
    assert LATEX_HEAD.match(latex).group("name") == "tab-x-rates"
    assert rf"\label{{{LABEL}}}" in latex and r"Rates \& " in latex
    assert r"\begin{longtable}" in latex and "nan" not in latex


def test_a_claim_table_keeps_its_longtable_with_the_caption_and_label(results):
    table = numbered(ClaimTable(results.head(3)), "tab-x-claims", "Three claims")
    latex = table.latex()
    assert r"\caption{Three claims}" in latex and rf"\label{{{LABEL}}}" in latex
    assert results["claim_id"].iloc[0] in table._repr_html_()


@pytest.mark.parametrize("name", ["Tab-x", "tab_x", "tab x", "-tab"])
def test_a_name_must_be_a_plain_sphinx_label(name):
    with pytest.raises(ValueError):
        numbered(pd.DataFrame({"a": [1]}), name, "caption")
