"""The audit on the book's claims replicated many times: does it grow linearly with the claims?

Each copy of a claim gets a new claim id, and its sum group, comparison group and finding ids are
renamed with the copy, so every copy is a book of its own; guide and location stay, so the rows
whose percentages are checked together grow with the copies (the case that used to be quadratic).
"""

from __future__ import annotations

import dataclasses
import time

import pandas as pd

from cnsaudit.engine import audit, data

FACTORS = (1, 10, 100, 1000)


def _renamed(column: pd.Series, suffix: str, tokens: bool = False) -> pd.Series:
    def rename(value):
        if not isinstance(value, str):
            return value
        if tokens:  # "group:role group:role"
            return " ".join(f"{g}{suffix}:{role}" for g, role in (t.split(":") for t in value.split()))
        return value + suffix
    return column.map(rename)


def replicate(tables: data.Tables, factor: int) -> data.Tables:
    """The tables with every claim repeated `factor` times under new ids."""
    copies = []
    for i in range(factor):
        suffix = f"-r{i}"
        c = tables.claims.copy()
        c["claim_id"] = c["claim_id"] + suffix
        c["sums"] = _renamed(c["sums"], suffix, tokens=True)
        c["compare_group"] = _renamed(c["compare_group"], suffix)
        c["finding"] = _renamed(c["finding"], suffix)
        copies.append(c)
    return dataclasses.replace(tables, claims=pd.concat(copies, ignore_index=True))


def audit_seconds(tables: data.Tables, factor: int) -> float:
    replicated = replicate(tables, factor)
    start = time.perf_counter()
    audit.run(replicated)
    return time.perf_counter() - start


def audit_scaling(tables: data.Tables, factors=FACTORS) -> dict[int, float]:
    return {factor: audit_seconds(tables, factor) for factor in factors}


if __name__ == "__main__":
    tables = data.load()
    audit.run(tables)  # warm: the dose tables and caches are read once
    for factor, seconds in audit_scaling(tables).items():
        print(f"audit of {factor:>4} x {len(tables.claims)} claims: {seconds:6.2f} s", flush=True)
