"""Across the guides: CNS penetration side by side, every intracranial response rate with its
counts, and pooling only where cohorts are comparable.

The choice of rows is the chapter's editorial decision and is written here, in code, next to how
each count is obtained: printed by the source, or derived (from a printed percentage and a printed
n, from subgroup percentages and their printed total, or as the only count that fits inside a
printed cohort size). A rate whose count cannot be pinned down is left out, and the chapter says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..engine import derive, pooling, stats
from ..engine.data import Tables
from ..engine.short_cite import cite

PENETRATION = re.compile(r"efflux ratio|CSF to unbound plasma|brain to plasma|P-gp substrate|"
                         r"efflux transporters", re.I)


def penetration(tables: Tables) -> pd.DataFrame:
    """Every CNS-penetration measure in the evidence, with the conditions it was measured under."""
    e = tables.evidence
    rows = e[e["quantity"].str.contains(PENETRATION) & (e["drug"] != "none")].copy()
    rows["measure"] = (rows["quantity"].str.replace(r"\s*\(.*\)$", "", regex=True)
                       .str.replace(r"^P-gp substrate strength$", "P-gp substrate", regex=True))
    rows["value"] = rows["value"].fillna("not found")
    rows["species"] = rows["species"].fillna("not stated")
    rows["steady state"] = rows["steady_state"].fillna("not stated").where(rows["species"] != "in vitro", "n/a")
    cols = ["drug", "measure", "species", "steady state", "value", "status", "ref", "fact_id"]
    return rows[cols].sort_values(["measure", "species", "drug"]).reset_index(drop=True)


def penetration_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Measure and condition by drug, one row per measurement condition: figures measured under
    unlike conditions land in different rows and are never ranked in one."""
    printed = table[table["status"] == "printed"].copy()
    printed["condition"] = (printed["measure"] + " · " + printed["species"]
                            + " · steady state: " + printed["steady state"])
    matrix = printed.pivot_table(index="condition", columns="drug", values="value",
                                 aggfunc=lambda v: "; ".join(v))
    matrix.columns.name = None
    return matrix.fillna("—")


def unlike_conditions(table: pd.DataFrame) -> pd.DataFrame:
    """Measures printed for several drugs under more than one condition (the comparisons a
    reader must not make at face value)."""
    printed = table[table["status"] == "printed"]
    out = []
    for measure, group in printed.groupby("measure"):
        conditions = sorted(set(zip(group["species"], group["steady state"])))
        if group["drug"].nunique() > 1 and len(conditions) > 1:
            out.append({"measure": measure, "drugs": ", ".join(sorted(group["drug"].unique())),
                        "conditions": "; ".join(f"{s}, steady state: {ss}" for s, ss in conditions)})
    return pd.DataFrame(out, columns=["measure", "drugs", "conditions"])


# --- intracranial response ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    drug: str
    setting: str
    label: str
    k: int
    n: int
    counts: str  # "printed" or how the count was derived
    ref: str
    fact_ids: tuple[str, ...]
    cutoff: str | None = None
    endpoint: str | None = None  # as the source prints it (data/evidence/ `endpoint`, `assessor`)
    assessor: str | None = None


def _fact(tables: Tables, fact_id: str) -> dict:
    facts = tables.evidence.set_index("fact_id")
    if fact_id not in facts.index:
        raise KeyError(f"synthesis needs fact {fact_id!r}, which is not in data/evidence/")
    row = facts.loc[fact_id].to_dict()
    row["fact_id"] = fact_id
    return row


def _measured(f: dict) -> dict:
    """The end point and assessor of a fact, or None where the evidence does not record them."""
    return {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
            for k, v in (("endpoint", f.get("endpoint")), ("assessor", f.get("assessor")))}


def _printed(tables, fact_id, drug, setting, label) -> Rate:
    f = _fact(tables, fact_id)
    return Rate(drug, setting, label, int(f["k"]), int(f["n"]), "printed", f["ref"], (fact_id,), f["cutoff"],
                **_measured(f))


def _from_n(tables, fact_id, drug, setting, label) -> Rate:
    f = _fact(tables, fact_id)
    n = int(f["n"])
    k = derive.derive_count(f["value"], n)
    return Rate(drug, setting, label, k, n, "derived: the only k for the printed % and n",
                f["ref"], (fact_id,), f["cutoff"], **_measured(f))


def _within(tables, fact_id, cohort_fact, drug, setting, label) -> Rate:
    """The only (k, n) with n within a printed cohort size that prints as the rate."""
    f, cohort = _fact(tables, fact_id), _fact(tables, cohort_fact)
    size = int(cohort["value"])  # the cohort size, printed as a count of patients
    k, n = derive.unique_denominator(f["value"], size)
    return Rate(drug, setting, label, k, n, f"derived: the only k/n with n ≤ the cohort's {size}",
                f["ref"], (fact_id, cohort_fact), f["cutoff"], **_measured(f))


def _split(tables, fact_ids, total_fact, drug, setting, labels) -> list[Rate]:
    """Subgroup counts from subgroup percentages and the printed total they divide."""
    facts = [_fact(tables, i) for i in fact_ids]
    total = _fact(tables, total_fact)
    split = derive.unique_split([f["value"] for f in facts], int(total["n"]))
    rates = [Rate(drug, setting, lab, k, n, "derived: unique split of the printed total",
                  f["ref"], (f["fact_id"], total_fact), **_measured(f))
             for f, lab, k, n in zip(facts, labels, split.ks, split.ns)]
    k_all, n_all = derive.overall(split)
    rates.append(Rate(drug, setting, "all measurable (sum of subgroups)", k_all, n_all,
                      "derived: sum of the derived subgroups", total["ref"], (*fact_ids, total_fact),
                      **_measured(total)))
    return rates


ALEX = "ALK+ NSCLC, ALK-inhibitor-naive (ALEX, measurable CNS lesions)"
POST_CRIZ = "ALK+ NSCLC after crizotinib"
NAIVE_RW = "ALK+ NSCLC, ALK-inhibitor-naive (real world)"
TRK_CNS = "TRK fusion, primary CNS tumours"
TRK_BM = "TRK fusion, brain metastases"


def _read(tables: Tables, *fact_ids: str) -> bool:
    """Whether a source read prints every fact a rate rests on (a figure taken from the starting sheet
    and not found again gives no count)."""
    return all(_fact(tables, i)["status"] == "printed" for i in fact_ids)


def intracranial_rates(tables: Tables) -> list[Rate]:
    """Every intracranial (or CNS-tumour) response rate in the book whose count can be fixed from
    figures a source read prints."""
    rates: list[Rate] = []
    rates += _split(tables, ["alex-icorr-rt-alc", "alex-icorr-nort-alc"], "alex-icorr-alc", "alectinib",
                    ALEX, ["prior radiotherapy", "no prior radiotherapy"])
    rates += _split(tables, ["alex-icorr-rt-criz", "alex-icorr-nort-criz"], "alex-icorr-criz", "crizotinib",
                    ALEX, ["prior radiotherapy", "no prior radiotherapy"])
    candidates = [
        (("pool-orr-meas",), _from_n, "alectinib", POST_CRIZ, "pooled phase II, measurable CNS disease"),
        (("pool-orr-all",), _from_n, "alectinib", POST_CRIZ, "pooled phase II, any CNS disease"),
        (("zou-c2-icorr", "zou-c2-n"), _within, "alectinib", POST_CRIZ, "real world, cohort 2 (target lesions)"),
        (("zou-c1-icorr", "zou-c1-n"), _within, "alectinib", NAIVE_RW, "real world, cohort 1 (target lesions)"),
        (("lar-pcns-orr",), _printed, "larotrectinib", TRK_CNS, "early cut-off"),
        (("lar-pcns-orr-2020",), _from_n, "larotrectinib", TRK_CNS, "later cut-off"),
        (("lar-bm-orr",), _from_n, "larotrectinib", TRK_BM, "non-CNS primaries, early cut-off"),
        (("lar-cnsmet-orr",), _printed, "larotrectinib", TRK_BM, "CNS metastases cohort (SNO meeting)"),
    ]
    for fact_ids, make, drug, setting, label in candidates:
        if _read(tables, *fact_ids):
            rates.append(make(tables, *fact_ids, drug, setting, label))
    return rates


NOT_RECORDED = "not recorded"


def rates_frame(rates: list[Rate], level: float = 0.95) -> pd.DataFrame:
    rows = []
    for r in rates:
        low, high = stats.proportion_ci(r.k, r.n, level, "clopper-pearson")
        rows.append({"drug": r.drug, "setting": r.setting, "population": f"{r.drug}: {r.label}",
                     "end point": r.endpoint or NOT_RECORDED, "assessed by": r.assessor or NOT_RECORDED,
                     "k/n": f"{r.k}/{r.n}", "rate %": round(100 * r.k / r.n, 1),
                     "exact 95% CI": f"{low:.1f}–{high:.1f}", "counts": r.counts, "source": cite(r.ref),
                     "_rests_on": ", ".join(r.fact_ids),
                     "_k": r.k, "_n": r.n, "_low": low, "_high": high, "_pct": 100 * r.k / r.n})
    return pd.DataFrame(rows)


# --- pooling --------------------------------------------------------------------------------------

# Pools the chapter allows, with the reason the cohorts are comparable enough. Everything else is
# left unpooled: subgroups of one cohort, and cut-offs of the same patients, are never pooled.
POOLS = {
    "alectinib after crizotinib, CNS disease with target or measurable lesions": (
        POST_CRIZ, ["alectinib: pooled phase II, measurable CNS disease",
                    "alectinib: real world, cohort 2 (target lesions)"],
        "same drug and line of therapy, patients with measurable or target CNS lesions; one trial "
        "pool and one retrospective cohort, so heterogeneity is expected"),
    "alectinib first line, CNS disease with measurable or target lesions": (
        None, ["alectinib: all measurable (sum of subgroups)", "alectinib: real world, cohort 1 (target lesions)"],
        "same drug, ALK-inhibitor-naive patients with measurable or target CNS lesions; one "
        "randomised trial arm and one retrospective cohort"),
}


def _refusal(frame: pd.DataFrame, members: list[str]) -> str | None:
    """Why a declared pool cannot be formed, or None: a cohort without a count from figures a source
    read prints, or cohorts whose end point or assessor differ or are not recorded (an intracranial
    rate is not a whole-body one, and investigator assessment is not independent review)."""
    missing = [m for m in members if m not in set(frame["population"])]
    if missing:
        return "no count from a source read for " + ", ".join(missing)
    sel = frame[frame["population"].isin(members)]
    for column in ("end point", "assessed by"):
        values = sorted(set(sel[column]))
        if NOT_RECORDED in values:
            return f"the {column} of a cohort is not recorded"
        if len(values) > 1:
            return f"the cohorts differ in {column}: {', '.join(values)}"
    return None


def available_pools(frame: pd.DataFrame) -> list[tuple[str, list[str], str]]:
    """The declared pools whose cohorts all have a count from figures a source read prints and share
    one recorded end point and assessor; a pool missing a cohort is left out rather than pooled from
    fewer cohorts than it declares."""
    return [(name, members, why) for name, (_, members, why) in POOLS.items() if _refusal(frame, members) is None]


def refused_pools(frame: pd.DataFrame) -> pd.DataFrame:
    """The declared pools not formed, each with the reason."""
    rows = [{"pool": name, "why not pooled": why} for name, (_, members, _) in POOLS.items()
            if (why := _refusal(frame, members)) is not None]
    return pd.DataFrame(rows, columns=["pool", "why not pooled"]).set_index("pool")


def pooled(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, members, why in available_pools(frame):
        sel = frame[frame["population"].isin(members)]
        p = pooling.pool_proportions(sel["_k"].tolist(), sel["_n"].tolist())
        rows.append({"pool": name, "end point": sel["end point"].iloc[0], "assessed by": sel["assessed by"].iloc[0],
                     "cohorts": " + ".join(sel["k/n"]), "pooled %": round(p.percent, 1),
                     "95% CI": f"{p.low:.1f}–{p.high:.1f}", "τ²": round(p.tau2, 3), "I² %": round(p.i2, 1),
                     "Q": round(p.q, 2), "p (heterogeneity)": round(p.p_heterogeneity, 3),
                     "τ² floored": "yes" if p.floored else "no", "why comparable": why})
    columns = ["pool", "end point", "assessed by", "cohorts", "pooled %", "95% CI", "τ²", "I² %", "Q",
               "p (heterogeneity)", "τ² floored", "why comparable"]
    return pd.DataFrame(rows, columns=columns).set_index("pool")
