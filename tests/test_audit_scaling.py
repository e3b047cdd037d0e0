"""The audit grows linearly with the claims: the book's claims replicated 10, 20 and 1,000 times
(benchmarks/scaling.py gives every copy new ids and its own sum groups, comparison groups and
findings; guide and location stay, so the rows checked together grow with the copies)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from cnsaudit.engine import audit, figure_checks, finding, label_checks, source_checks

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from scaling import replicate  # noqa: E402

CHECK_MODULES = (audit, finding, figure_checks, source_checks, label_checks)
LIMIT_1000 = 10.0  # seconds for 1,000 × the claims on the development machine (2 cores)


def test_every_copy_is_audited_alike(tables):
    """The copies differ from the book only in their ids (searches and guide instructions filed
    under a claim id stay with the original), so the copies must agree with one another."""
    copies = audit.run(replicate(tables, 3))
    copies["copy"] = copies["claim_id"].str.extract(r"-r(\d+)$", expand=False)
    copies["original"] = copies["claim_id"].str.replace(r"-r\d+$", "", regex=True)
    columns = ["verdict", "reason", "checks", "recomputed"]

    def copy(number: str):
        # a check names its sum group, which carries the copy's suffix
        one = copies[copies["copy"] == number].set_index("original")[columns]
        return one.apply(lambda col: col.str.replace(f"-r{number}", "", regex=False))

    first = copy("0")
    for number in ("1", "2"):
        other = copy(number)
        for column in columns:
            differs = sorted(other.index[other[column] != first.loc[other.index, column]])
            assert not differs, (f"copy {number} of {', '.join(differs)} audits differently from copy 0 in "
                                 f"'{column}': the audit of one claim must not depend on how many other "
                                 "claims share its guide row (cnsaudit/engine/figure_checks.py, row_size_checks)")


def _work(tables, factor: int, monkeypatch) -> int:
    """How many times the audit reads a whole number from a claim or fact: a count of its work that
    does not depend on the machine's load."""
    calls = 0
    real = audit._int

    def counted(row, key):
        nonlocal calls
        calls += 1
        return real(row, key)

    # Every module of the audit that reads whole numbers holds its own name for the reader.
    readers = [m for m in CHECK_MODULES if getattr(m, "_int", None) is real]
    assert len(readers) >= 3, "the audit's checks no longer read whole numbers through finding._int"
    for module in readers:
        monkeypatch.setattr(module, "_int", counted)
    audit.audit_findings(replicate(tables, factor))
    for module in readers:
        monkeypatch.setattr(module, "_int", real)
    assert calls, "no whole number was read: the count no longer measures the audit's work"
    return calls


def test_the_audit_does_twice_the_work_for_twice_the_claims(tables, monkeypatch):
    ten, twenty = _work(tables, 5, monkeypatch), _work(tables, 10, monkeypatch)
    assert twenty <= 2.02 * ten, (
        f"the audit read {ten} figures for 5 × the claims and {twenty} for 10 ×, {twenty / ten:.2f} times "
        "as many: some check compares every claim with every other (cnsaudit/engine/audit.py and its check "
        "modules); index the "
        "claims once instead of scanning them for each claim")


@pytest.mark.slow
def test_a_thousand_times_the_claims_are_audited_in_under_ten_seconds(tables):
    audit.run(tables)  # the dose tables are read once, as in any run
    replicated = replicate(tables, 1000)
    start = time.perf_counter()
    audit.run(replicated)
    seconds = time.perf_counter() - start
    assert seconds < LIMIT_1000, (
        f"auditing {len(replicated.claims)} claims took {seconds:.1f} s (limit {LIMIT_1000} s). Profile with "
        "cProfile over audit.run(replicate(tables, 200)); work done once per fact or per table (the search "
        "log, a fact's label version and later reports, the records) must not be redone per claim, and the "
        "cycle collector stays paused while the findings are built (cnsaudit/engine/audit.py)")
