"""How a convention test fails: one line per problem, naming the file, the row and what to change,
instead of a raw comparison or a DataFrame dump."""

from __future__ import annotations

import pytest


def no_problems(problems, what: str, fix: str) -> None:
    """Fail when `problems` (one sentence each: where, and what is wrong) is not empty."""
    problems = list(problems)
    if problems:
        shown = problems[:25] + ([f"… and {len(problems) - 25} more"] if len(problems) > 25 else [])
        pytest.fail(f"{what} ({len(problems)}):\n" + "\n".join(f"  - {p}" for p in shown) + f"\nWhat to change: {fix}",
                    pytrace=False)


def expected_verdicts(results, guide: str, expected: dict[str, str], test_file: str) -> None:
    """Every claim of one guide has the verdict its test expects, and every expected claim exists."""
    got = results[results["guide"] == guide].set_index("claim_id")
    problems = [f"claim {c} ({got.loc[c, 'location']}): the audit gives '{got.loc[c, 'verdict']}', "
                f"{test_file} EXPECTED says '{v}'" for c, v in expected.items()
                if c in got.index and got.loc[c, "verdict"] != v]
    problems += [f"claim {c}: in EXPECTED of {test_file} but no row of data/claims/ gives it for {guide}"
                 for c in expected if c not in got.index]
    problems += [f"claim {c} ({got.loc[c, 'location']}): audited '{got.loc[c, 'verdict']}' but missing from "
                 f"EXPECTED of {test_file}" for c in got.index if c not in expected]
    no_problems(problems, f"verdicts of {guide} that differ from the expected ones",
                f"if the change in data/ is right, set each claim's verdict in EXPECTED of {test_file} and list "
                "the changed verdicts by claim id under 'Verdicts' in CHANGELOG.md; otherwise mend the row in data/")
