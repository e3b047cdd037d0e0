"""Convention tests fail with what to change: the claim, its place in the guide, the test file, and
the fix; not a raw comparison."""

from __future__ import annotations

import pytest

from .teach import expected_verdicts, no_problems

GUIDE = "000_74ab3254b9657455.txt"


def _failure(call) -> str:
    with pytest.raises(pytest.fail.Exception) as info:
        call()
    return str(info.value)


def test_a_changed_verdict_names_the_claim_the_file_and_the_fix(results):
    expected = results[results["guide"] == GUIDE].set_index("claim_id")["verdict"].to_dict()
    claim = next(iter(expected))
    expected[claim] = "contradicted" if expected[claim] != "contradicted" else "consistent"
    expected["ent-99"] = "consistent"
    del expected[list(expected)[1]]
    message = _failure(lambda: expected_verdicts(results, GUIDE, expected, "tests/test_audit_entrectinib.py"))
    assert f"claim {claim} (" in message and f"EXPECTED says '{expected[claim]}'" in message
    assert "claim ent-99: in EXPECTED of tests/test_audit_entrectinib.py but no row" in message
    assert "missing from EXPECTED" in message
    assert "What to change:" in message and "CHANGELOG.md" in message
    assert "==" not in message and "DataFrame" not in message


def test_no_problems_passes_quietly_and_lists_each_problem_on_its_own_line():
    no_problems([], "nothing", "nothing")
    message = _failure(lambda: no_problems(["a.csv, row 2: x", "a.csv, row 5: y"], "rows", "mend them"))
    assert message.splitlines() == ["rows (2):", "  - a.csv, row 2: x", "  - a.csv, row 5: y",
                                    "What to change: mend them"]
