"""No chapter table or figure puts efficacy figures of unlike end points or assessors under one label
(issue 17, item 8): the helpers the chapters use group them, draw one panel each, or refuse."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cnsaudit.book import end_points, plots, report  # noqa: E402
from cnsaudit.engine import data  # noqa: E402

from .conftest import edit_cell  # noqa: E402


def _rate(label, fact_id, tables):
    return report.printed_rate_row(tables.evidence, label, fact_id, derived=True)


def test_a_rate_carries_the_end_point_and_assessor_its_data_row_records(tables):
    row = _rate("lung", "lar-lung-orr", tables)
    assert (row["end point"], row["assessed by"]) == ("objective response", "investigator")


def test_a_forest_refuses_unlike_end_points_under_one_label(tables):
    frame = pd.DataFrame([_rate("primary CNS", "lar-pcns-orr-2020", tables), _rate("lung", "lar-lung-orr", tables)])
    plt.close(plots.forest(frame))  # both investigator-assessed objective response: one label is right
    frame.loc[1, "assessed by"] = "independent central review"
    with pytest.raises(end_points.UnlikeEndPoints, match="independent central review"):
        plots.forest(frame)
    fig = plots.forest_by(frame)  # one panel each instead
    try:
        assert len(fig.axes) == 2
    finally:
        plt.close(fig)


def test_one_edited_cell_of_data_splits_a_chapter_figure(data_copy):
    """The larotrectinib chapter's two investigator-assessed rates share a panel; recorded as assessed
    by independent review, one of them leaves it (a forest of both is refused)."""
    def frame():
        tables = data.load()
        return pd.DataFrame([_rate("primary CNS", "lar-pcns-orr-2020", tables), _rate("lung", "lar-lung-orr", tables)])

    assert end_points.one(frame()) == ("objective response", "investigator")
    edit_cell(data_copy / "evidence/larotrectinib.csv", "fact_id", "lar-lung-orr", "assessor",
              "independent central review")
    with pytest.raises(end_points.UnlikeEndPoints):
        end_points.one(frame())
    assert report.display_columns(frame()).index.get_level_values("assessed by").tolist() == [
        "investigator", "independent central review"]


def test_a_table_groups_rates_by_end_point_and_refuses_unrecorded_ones(tables):
    rows = [_rate("lung", "lar-lung-orr", tables), _rate("brain metastases", "lar-bm-orr", tables),
            _rate("primary CNS", "lar-pcns-orr-2020", tables)]
    shown = report.display_columns(pd.DataFrame(rows))
    assert shown.index.names == ["end point", "assessed by", "population"]
    assert shown.index.get_level_values("population").tolist() == ["lung", "primary CNS", "brain metastases"]
    rows[1] = {**rows[1], "assessed by": None}
    with pytest.raises(end_points.UnlikeEndPoints, match="brain metastases"):
        report.display_columns(pd.DataFrame(rows))


def test_a_share_that_is_no_end_point_is_shown_by_its_group(tables):
    row = report.proportion_row("baseline CNS metastases", 3, 10, None, "printed", "x", measured=None)
    assert report.display_columns(pd.DataFrame([row])).index.name == "population"
    mixed = pd.DataFrame([row, _rate("lung", "lar-lung-orr", tables)])
    with pytest.raises(end_points.UnlikeEndPoints, match="baseline CNS metastases"):
        report.display_columns(mixed)


def test_a_guide_table_column_of_one_end_point_only(tables):
    locations = {"primary CNS tumours": "table 2 (efficacy) row 1 primary CNS",
                 "brain metastases": "table 2 (efficacy) row 2 brain metastases"}
    report.percent_table_grid(tables.claims, locations)
    claims = tables.claims.copy()
    claims.loc[claims["claim_id"] == "lar-41", "endpoint"] = "intracranial objective response"
    with pytest.raises(end_points.UnlikeEndPoints, match="objective response rate"):
        report.percent_table_grid(claims, locations)


def test_panels_are_always_split_by_end_point_and_assessor(tables):
    frame = pd.DataFrame([_rate("lung", "lar-lung-orr", tables)])
    with pytest.raises(end_points.UnlikeEndPoints, match="assessed by"):
        plots.forest_by(frame, by=["end point"])
