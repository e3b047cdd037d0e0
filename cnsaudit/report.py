"""Tables the chapters show: a guide's audit, verdict counts, response rates with exact intervals.

Notebooks call these and display the result; the computation and its tests live here.
"""

from __future__ import annotations

import pandas as pd

from . import stats
from .audit import VERDICTS
from .data import Tables
from .printed import parse

AUDIT_VIEW = ["claim_id", "location", "claim", "reported", "primary", "recomputed", "verdict", "reason"]
SECTION_VIEW = ["claim_id", "claim", "reported", "primary", "verdict", "recomputed", "reason"]


def guide_file(tables: Tables, chapter: str) -> str:
    """The seed file a chapter audits, from data/guides.csv."""
    match = tables.guides[tables.guides["chapter"] == chapter]
    if len(match) != 1:
        raise KeyError(f"no single guide for chapter {chapter!r} in data/guides.csv")
    return match["guide"].iloc[0]


def for_guide(audit: pd.DataFrame, guide: str) -> pd.DataFrame:
    return audit[audit["guide"] == guide].reset_index(drop=True)


def section(audit: pd.DataFrame, location_prefix: str, columns=SECTION_VIEW) -> pd.DataFrame:
    """The audited claims from one part of a guide, as the chapter shows them (a column that is
    empty for every claim of the section is left out)."""
    rows = audit[audit["location"].str.startswith(location_prefix)]
    if rows.empty:
        raise KeyError(f"no claim located under {location_prefix!r}")
    shown = [c for c in columns if c == "claim_id" or (rows[c].astype(str).str.len() > 0).any()]
    return rows[shown].set_index("claim_id")


def verdict_counts(audit: pd.DataFrame, tables: Tables | None = None) -> pd.DataFrame:
    """Claims per verdict for each guide, with totals; rows named by guide topic when `tables`
    is given."""
    labels = audit["guide"]
    if tables is not None:
        topics = tables.guides.set_index("guide")["topic"]
        labels = labels.map(lambda g: f"{g[:3]}: {topics[g]}").rename("guide")
    table = pd.crosstab(labels, audit["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.loc["all guides"] = table.sum(axis=0)
    table.columns.name = None
    return table


def evidence_rows(tables: Tables, fact_ids: list[str], columns: list[str]) -> pd.DataFrame:
    facts = tables.evidence.set_index("fact_id")
    missing = [f for f in fact_ids if f not in facts.index]
    if missing:
        raise KeyError(f"fact_id not in data/evidence/: {', '.join(missing)}")
    return facts.loc[fact_ids, columns]


def proportion_row(label: str, k: int, n: int, printed: str | None, status: str, ref: str,
                   level: float = 0.95) -> dict:
    """One response rate: k/n, the recomputed percentage, whether it prints as `printed`, and
    exact (Clopper–Pearson) and Wilson intervals."""
    pct = stats.percent(k, n)
    cp = stats.proportion_ci(k, n, level, "clopper-pearson")
    wi = stats.proportion_ci(k, n, level, "wilson")
    return {
        "population": label,
        "k/n": f"{k}/{n}",
        "recomputed %": round(float(pct), 2),
        "printed %": printed or "not printed",
        "rounds to printed": "—" if printed is None else ("yes" if stats.rounds_to(pct, printed) else "no"),
        "exact 95% CI": f"{cp[0]:.1f}–{cp[1]:.1f}",
        "Wilson 95% CI": f"{wi[0]:.1f}–{wi[1]:.1f}",
        "counts": status,
        "source": ref,
        "_k": k, "_n": n, "_low": cp[0], "_high": cp[1], "_pct": float(pct),
    }


def display_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in frame.columns if not c.startswith("_")]].set_index("population")


def derive_count(printed_pct: str, n: int) -> int:
    """The single numerator that reproduces a printed percentage for a printed n.

    Raises ValueError when none or several fit, so a derived count is never a guess.
    """
    ks = stats.compatible_numerators(printed_pct, n)
    if len(ks) != 1:
        raise ValueError(f"{printed_pct}% with n={n} fits {len(ks)} numerators ({ks}); not unique")
    return ks[0]


def ratio_symmetry_table(tables: Tables, fact_ids: list[str]) -> pd.DataFrame:
    """For printed ratios with a CI (HR, geometric mean ratio): is the point the geometric mean of
    the bounds, as it must be for a CI built on the log scale?"""
    rows = []
    for fact_id in fact_ids:
        r = tables.evidence.set_index("fact_id").loc[fact_id]
        ok, gm = stats.hr_symmetry(r["value"], r["ci_low"], r["ci_high"])
        rows.append({
            "quantity": r["quantity"],
            "printed": f"{r['value']} ({r['ci_level']}% CI {r['ci_low']}–{r['ci_high']})",
            "geometric mean of bounds": round(gm, 2),
            "symmetric on log scale": "yes" if ok else "no",
            "source": r["ref"],
        })
    return pd.DataFrame(rows).set_index("quantity")


def bound_value(text: str) -> float:
    """The number a printed bound or point sits at (for plotting only; never for checks)."""
    p = parse(text)
    return float(p.low)
