"""Cross-drug synthesis: counts behind every rate, pooling rules, and unlike conditions kept apart."""

from __future__ import annotations

from cnsaudit.analyses import synthesis


def test_every_rate_has_the_expected_count(tables):
    got = {r.label if r.drug != "crizotinib" else f"criz {r.label}": (r.k, r.n, r.counts.split(":")[0])
           for r in synthesis.intracranial_rates(tables)}
    assert got["all measurable (sum of subgroups)"] == (17, 21, "derived")
    assert got["criz all measurable (sum of subgroups)"] == (11, 22, "derived")
    assert got["prior radiotherapy"] == (6, 7, "derived")
    assert "pooled phase II, measurable CNS disease" not in got  # taken from the starting sheet only
    assert got["real world, cohort 1 (target lesions)"] == (9, 11, "derived")
    assert got["real world, cohort 2 (target lesions)"] == (13, 17, "derived")
    assert "early cut-off" not in got  # taken from the starting sheet only
    assert got["later cut-off"] == (10, 33, "derived")
    assert got["non-CNS primaries, early cut-off"] == (3, 5, "derived")


def test_rates_carry_exact_intervals(tables):
    frame = synthesis.rates_frame(synthesis.intracranial_rates(tables))
    row = frame.set_index("population").loc["larotrectinib: later cut-off"]
    assert row["exact 95% CI"] == "15.6–48.7"  # 10/33; Doz et al. print 16–49
    assert (frame["_low"] <= frame["_pct"]).all() and (frame["_pct"] <= frame["_high"]).all()


def test_every_declared_pool_is_formed_or_refused_with_its_reason(tables):
    frame = synthesis.rates_frame(synthesis.intracranial_rates(tables))
    pools, refused = synthesis.pooled(frame), synthesis.refused_pools(frame)
    assert sorted([*pools.index, *refused.index]) == sorted(synthesis.POOLS)
    assert (pools["τ²"] >= 0).all() and (pools["I² %"] >= 0).all()
    # The post-crizotinib pool needs the pooled phase II rate, which the sources read did not show again.
    after = next(name for name in synthesis.POOLS if "after crizotinib" in name)
    assert refused.loc[after, "why not pooled"].startswith("no count from a source read for ")


def _alike(frame, members, endpoint="intracranial objective response", assessor="independent central review"):
    frame = frame.copy()
    rows = frame["population"].isin(members)
    frame.loc[rows, "end point"], frame.loc[rows, "assessed by"] = endpoint, assessor
    return frame


def test_unlike_end_points_or_assessors_are_never_pooled(tables):
    frame = synthesis.rates_frame(synthesis.intracranial_rates(tables))
    name = next(n for n in synthesis.POOLS if "first line" in n)
    members = synthesis.POOLS[name][1]
    alike = _alike(frame, members)
    assert name in synthesis.pooled(alike).index
    one = alike.index[alike["population"] == members[0]][0]
    whole_body = alike.copy()
    whole_body.loc[one, "end point"] = "objective response"
    assert name not in synthesis.pooled(whole_body).index
    assert synthesis.refused_pools(whole_body).loc[name, "why not pooled"] == (
        "the cohorts differ in end point: intracranial objective response, objective response")
    investigator = alike.copy()
    investigator.loc[one, "assessed by"] = "investigator"
    assert "differ in assessed by" in synthesis.refused_pools(investigator).loc[name, "why not pooled"]
    unrecorded = alike.copy()
    unrecorded.loc[one, "end point"] = synthesis.NOT_RECORDED
    assert synthesis.refused_pools(unrecorded).loc[name, "why not pooled"] == (
        "the end point of a cohort is not recorded")


def test_the_forest_draws_one_panel_per_end_point_and_assessor(tables):
    import matplotlib

    matplotlib.use("Agg")
    from cnsaudit.book import plots

    frame = synthesis.rates_frame(synthesis.intracranial_rates(tables))
    frame.loc[frame.index[0], "end point"] = "objective response"
    fig = plots.forest_by(frame, by=["end point", "assessed by"], label_col="population")
    groups = frame.groupby(["end point", "assessed by"]).size()
    assert len(fig.axes) == len(groups)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    first = frame.iloc[0]
    assert f"end point: objective response\nassessed by: {first['assessed by']}" in titles


def test_unlike_conditions_never_share_a_row(tables):
    table = synthesis.penetration(tables)
    matrix = synthesis.penetration_matrix(table)
    conditions = table[table["status"] == "printed"].groupby(["measure", "species", "steady state"])
    assert len(matrix) == conditions.ngroups
    unlike = synthesis.unlike_conditions(table)
    assert "CSF to unbound plasma ratio" in set(unlike["measure"])
