"""Mutation testing: nudging a recomputable figure by one unit in its last digit must be noticed."""

from __future__ import annotations

import pytest

from cnsaudit.tools import mutation

THRESHOLD = 0.95


@pytest.mark.parametrize("text, unit, nudged", [
    ("63.6", "%", "63.7"), ("100", "%", "99"), ("≥2.8", None, "≥2.9"), ("1.1–1.15", None, "1.1–1.16"),
    ("~0.03", None, "~0.04"), ("<0.0001", None, "<0.0002"), ("0", "%", "1"), ("40.0", "%", "40.1"),
])
def test_nudge_moves_the_last_printed_digit(text, unit, nudged):
    assert mutation.nudge(text, unit) == nudged


@pytest.fixture(scope="module")
def mutants(tables):
    """Every mutant's outcome, computed once for the tests of this file (about a hundred audits)."""
    return mutation.run(tables)


def test_mutation_score_is_at_least_95_percent(mutants):
    results = mutants
    assert len(results) >= 20, "too few recomputable figures to measure anything"
    score = mutation.score(results)
    survivors = results[~results["killed"]].to_string(index=False)
    assert score >= THRESHOLD, f"mutation score {score:.1%} < {THRESHOLD:.0%}; not noticed:\n{survivors}"


def test_a_mutant_of_a_matching_figure_is_noticed(mutants):
    results = mutants.set_index(["claim_id", "column"])
    row = results.loc[("ent-07", "reported")]
    assert (row["before"], row["after"], bool(row["killed"])) == ("consistent", "contradicted", True)
