"""Cross-drug synthesis: counts behind every rate, pooling rules, and unlike conditions kept apart."""

from __future__ import annotations

from cnsaudit import synthesis


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


def test_pools_are_only_the_declared_ones_and_heterogeneity_is_floored(tables):
    frame = synthesis.rates_frame(synthesis.intracranial_rates(tables))
    pools = synthesis.pooled(frame)
    # The post-crizotinib pool needs the pooled phase II rate, which the sources read did not show again.
    assert list(pools.index) == [name for name in synthesis.POOLS if "after crizotinib" not in name]
    assert (pools["τ²"] >= 0).all() and (pools["I² %"] >= 0).all()


def test_unlike_conditions_never_share_a_row(tables):
    table = synthesis.penetration(tables)
    matrix = synthesis.penetration_matrix(table)
    conditions = table[table["status"] == "printed"].groupby(["measure", "species", "steady state"])
    assert len(matrix) == conditions.ngroups
    unlike = synthesis.unlike_conditions(table)
    assert "CSF to unbound plasma ratio" in set(unlike["measure"])
