"""Attribution: every printed evidence row carries the source's own words, and every figure of the row
appears in them (cnsaudit.engine.excerpt, enforced by cnsaudit.engine.data when the tables load)."""

from __future__ import annotations

import pytest

from cnsaudit.engine import data, excerpt
from cnsaudit.engine.data import DataError

from .conftest import edit_cell

from .teach import no_problems
EVIDENCE = "evidence/alectinib.csv"


def gaps(text: str, category: bool = False, **cells) -> list[tuple[str, str]]:
    return excerpt.missing({"excerpt": text, **cells}, category)


@pytest.mark.parametrize("text, cells", [
    ("CNS ORR was 85.7% with alectinib", {"value": "85.7", "unit": "%"}),
    ("the ORR was 63% (95% CI, 25 to 91)", {"value": "63", "ci_low": "25", "ci_high": "91", "unit": "%"}),
    ("ORR 63% (95% CI 25–91)", {"value": "63", "ci_low": "25", "ci_high": "91", "unit": "%"}),
    ("a response rate of 0.63", {"value": "63", "unit": "%"}),                # a proportion
    ("From 295,676 patients", {"n": "295676"}),                              # thousands separator
    ("HR 0·40 (0·25–0·64)", {"value": "0.40", "ci_low": "0.25", "ci_high": "0.64"}),  # middle dots
    ("[HR 0.58 (95% CI 0.34-1.00)]", {"value": "0.58", "ci_low": "0.34", "ci_high": "1.00"}),
    ("stored at −80 °C", {"value": "-80"}),                                  # unicode minus
    ("(P < 0.0001)", {"p": "<0.0001"}),
    ("lower AP-ER (1.1–1.15) than crizotinib and larotrectinib (≥2.8)", {"value": "1.1–1.15"}),
    ("Sixty-five patients were eligible", {"value": "65"}),                  # a number in words
    ("from six hospitals in China", {"value": "6"}),
    ("three (20%) had stable disease", {"value": "3"}),
    ("from three phase I/II trials", {"value": "2"}),                       # a trial phase in Roman numerals
])
def test_the_forms_a_source_prints_a_figure_in_are_found(text, cells):
    assert gaps(text, **cells) == []


@pytest.mark.parametrize("text, cells, missing", [
    ("A total of 163 patients", {"n": "63"}, [("n", "63")]),           # not inside a larger number
    ("ORR 0.4", {"value": "0.40"}, [("value", "0.40")]),               # precision is part of the figure
    ("ORR 40.0%", {"value": "40"}, [("value", "40")]),
    ("ROS1 fusion-positive", {"n": "1"}, [("n", "1")]),                # not inside a gene name
    ("the NTRK1 G595R mutation", {"value": "595"}, [("value", "595")]),
    ("stored at −80 °C", {"value": "80"}, [("value", "80")]),            # the sign is part of the figure
    ("ORR 63% (95% CI 25–90)", {"value": "63", "ci_low": "25", "ci_high": "91", "unit": "%"},
     [("ci_high", "91")]),
    ("a response rate of 0.63", {"n": "63"}, [("n", "63")]),           # a count is never a proportion
])
def test_a_figure_the_words_do_not_print_is_missing(text, cells, missing):
    assert gaps(text, **cells) == missing


def test_a_category_is_checked_by_its_tokens_with_a_digit():
    assert gaps("The recommended dosage of VITRAKVI is 100 mg/m2 orally twice daily", True,
                value="100 mg/m2 twice daily") == []
    assert gaps("The recommended dosage of VITRAKVI is 100 mg/m² orally twice daily", True,
                value="100 mg/m2 twice daily") == []
    assert gaps("75 mg/m2 orally twice daily", True, value="100 mg/m2 twice daily") == [("value", "100")]
    assert gaps("in the NTRK1 kinase domain, including G595R", True, value="NTRK1 G667C") == [("value", "G667C")]
    assert gaps("from three phase I/II trials", True, value="integrated analyses of phase 1–2 trials") == []
    assert gaps("I/II", True, value="phase 1–2") == [("value", "1"), ("value", "2")]


def test_every_printed_row_is_quoted_and_prints_its_figures(tables):
    printed = tables.evidence[tables.evidence["status"] == "printed"]
    no_problems([f"{r.source_file}, row {r.source_row}, fact {r.fact_id}: printed, "
                 "no excerpt" for r in printed[printed["excerpt"].isna()].itertuples()],
                "printed facts without the source's words", "copy the words that print the figure into 'excerpt'")
    unread = tables.evidence[(tables.evidence["status"] != "printed") & tables.evidence["excerpt"].notna()]
    no_problems([f"fact {r.fact_id}: status {r.status} with an excerpt" for r in unread.itertuples()],
                "facts not printed that carry an excerpt",
                "set the status to printed if the excerpt prints the figure, else empty 'excerpt'")
    no_problems([f"fact {row['fact_id']}: the excerpt does not print {gap}"
                 for row in printed.to_dict("records")
                 for gap in excerpt.missing(row, row["value_type"] == "category")],
                "printed facts whose excerpt leaves out a figure of the row",
                "extend the excerpt with the source's words that print the figure, or correct the figure")


def _problems(data_copy) -> str:
    with pytest.raises(DataError) as err:
        data.load(data_copy)
    return str(err.value)


def test_a_printed_row_without_an_excerpt_stops_the_load(data_copy):
    edit_cell(data_copy / EVIDENCE, "fact_id", "alex-pfs-cns", "excerpt", "")
    message = _problems(data_copy)
    assert f"data/{EVIDENCE}" in message and "columns 'excerpt', 'status'" in message
    assert "an excerpt (the source's own words where the value was read) is given exactly when" in message


def test_an_excerpt_beside_an_unread_row_stops_the_load(data_copy):
    edit_cell(data_copy / EVIDENCE, "fact_id", "alc-epi-diagnosis", "excerpt", "some words", follow_excerpt=False)
    assert "columns 'excerpt', 'status'" in _problems(data_copy)


def test_a_value_absent_from_its_excerpt_stops_the_load(data_copy):
    edit_cell(data_copy / EVIDENCE, "fact_id", "alex-pfs-cns", "value", "0.41", follow_excerpt=False)
    rows = (data_copy / EVIDENCE).read_text("utf-8").splitlines()
    row = next(i for i, line in enumerate(rows) if line.startswith("alex-pfs-cns,"))
    assert (f"data/{EVIDENCE}, row {row} (line {row + 1}), column 'value': '0.41' does not appear in the "
            "row's excerpt") in _problems(data_copy)


def test_a_count_absent_from_its_excerpt_stops_the_load(data_copy):
    edit_cell(data_copy / "evidence/entrectinib.csv", "fact_id", "ntrk-orr", "k", "74", follow_excerpt=False)
    assert "column 'k': '74' does not appear in the row's excerpt" in _problems(data_copy)
