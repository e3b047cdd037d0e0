"""Tables the chapters show: a guide's audit, verdict counts, response rates with exact intervals.

Notebooks call these and display the result; the computation and its tests live here.
"""

from __future__ import annotations

import re

import pandas as pd

from ..engine import stats
# Chapters call report.derive_count; the one definition lives in derive.
from ..engine.derive import derive_count
from ..engine.audit import ROUNDED_TWICE_SHORT, VERDICTS
from . import end_points
from .claim_table import ClaimTable
from ..engine.data import Tables
from ..engine.printed import parse
from ..engine.short_cite import cite



def guide_file(tables: Tables, chapter: str) -> str:
    """The seed file a chapter audits, from data/guides.csv."""
    match = tables.guides[tables.guides["chapter"] == chapter]
    if len(match) != 1:
        raise KeyError(f"no single guide for chapter {chapter!r} in data/guides.csv")
    return match["guide"].iloc[0]


def guide_title(tables: Tables, chapter: str) -> str:
    """The title a chapter's guide gives itself, in quotation marks: how a reader names the guide
    (its file name is an internal key and stays in the data)."""
    guide = guide_file(tables, chapter)
    titles = tables.quotes[(tables.quotes["guide"] == guide) & (tables.quotes["kind"] == "title")]["text"]
    if len(titles) != 1:
        raise ValueError(f"{guide}: expected one title in data/quotes.csv, found {len(titles)}")
    return f"“{titles.iloc[0]}”"


def for_guide(audit: pd.DataFrame, guide: str) -> pd.DataFrame:
    return audit[audit["guide"] == guide].reset_index(drop=True)


def section(audit: pd.DataFrame, location_prefix: str | tuple[str, ...]) -> ClaimTable:
    """The audited claims from one part of a guide, as the chapter shows them."""
    rows = audit[audit["location"].str.startswith(location_prefix)]
    if rows.empty:
        raise KeyError(f"no claim located under {location_prefix!r}")
    return ClaimTable(rows)


def claim_table(audit: pd.DataFrame, name: str | None = None, caption: str | None = None):
    """Every claim of a chapter, in the reader's columns; with `name` a numbered table with this
    caption, which the text cites as {numref}`name`."""
    table = ClaimTable(audit, row_ids=True)
    if name is None:
        return table
    from .numbered import numbered

    return numbered(table, name, caption or "Every claim of the guide, with its verdict and the reason for it.")


SECTIONS_CAPTION = ("The guide's sections under their own headings (quoted, with the line where each stands in "
                    "the guide), the section of this chapter that audits the claims under each heading, and "
                    "the claims' ids. A heading with no claim under it is one from which no claim was recorded.")


def guide_sections(tables: Tables, chapter: str, name: str):
    """The numbered table mapping the guide's headings to this chapter's sections and claim ids
    (cnsaudit.book.guide_map)."""
    from .guide_map import section_map
    from .numbered import numbered

    return numbered(section_map(tables, chapter), name, SECTIONS_CAPTION)


def guide_order(tables: Tables, chapter: str) -> str:
    """Whether the chapter takes the guide's sections in the guide's order, as a phrase."""
    from .guide_map import order_sentence, section_map

    return order_sentence(section_map(tables, chapter), chapter)


def guide_label(tables: Tables, guide: str) -> str:
    """A guide as readers see it named: its number and its topic ("000: Entrectinib and …"); a guide
    whose file name carries no number (a new guide's own name), by its topic alone."""
    topic = tables.guides.set_index("guide").loc[guide, "topic"]
    number = re.match(r"([0-9]{3})_", guide)
    return f"{number.group(1)}: {topic}" if number else topic


def errors_table(errors: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """`audit.errors` for readers: each error as the claim it first shows in (its internal id stays
    in the data), each guide by its number and topic."""
    shown = errors.rename_axis("error").reset_index()
    said = tables.claims.set_index("claim_id")["claim"]
    shown["error"] = [said[claims.split(", ")[0]] for claims in shown["claims"]]
    shown["guide"] = [guide_label(tables, g) for g in shown["guide"]]
    return shown[["error", "verdict", "cells", "claims", "guide"]]


_VERDICT_PHRASES = {  # (one, several): what a count of claims with each verdict says
    "consistent": ("is reproduced", "are reproduced"),
    "caveat": ("carries a caveat the guide leaves out", "carry a caveat the guide leaves out"),
    "contradicted": ("is contradicted by its source", "are contradicted by their sources"),
    "inconsistent": ("is internally inconsistent", "are internally inconsistent"),
    "unverified": ("could not be checked, because no source we could read prints it",
                   "could not be checked, because no source we could read prints them"),
}


def verdict_sentence(claims: pd.DataFrame) -> str:
    """'Of its 52 claims, 30 are reproduced, 1 is contradicted by its source, …': every verdict with
    its count, the verb agreeing, in the order of the book's verdict table."""
    if claims.empty:  # a new guide's chapter, before its claims are recorded
        return "No claim of it is recorded yet."
    counts = claims["verdict"].value_counts()
    parts = [f"{n} {_VERDICT_PHRASES[v][n != 1]}" for v in VERDICTS if (n := int(counts.get(v, 0)))]
    sep = "; " if any("," in p for p in parts) else ", "  # a part with its own comma needs a stronger stop
    last = "; and " if sep == "; " else " and "
    listed = parts[0] if len(parts) == 1 else sep.join(parts[:-1]) + last + parts[-1]
    return f"Of its {len(claims)} claim{'s' if len(claims) != 1 else ''}{':' if sep == '; ' else ','} {listed}."


def verdict_counts(audit: pd.DataFrame, tables: Tables | None = None) -> pd.DataFrame:
    """Claims per verdict for each guide, with totals; rows named by guide topic when `tables`
    is given."""
    labels = audit["guide"]
    if tables is not None:
        labels = labels.map(lambda g: guide_label(tables, g)).rename("guide")
    table = pd.crosstab(labels, audit["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    table["total"] = table.sum(axis=1)
    table.loc["all guides"] = table.sum(axis=0)
    # The label "guide" goes in the header's corner cell: an index name would add a second header
    # row holding nothing else.
    table.index.name = None
    table.columns.name = "guide"
    return table


def evidence_rows(tables: Tables, fact_ids: list[str], columns: list[str]) -> pd.DataFrame:
    facts = tables.evidence.set_index("fact_id")
    missing = [f for f in fact_ids if f not in facts.index]
    if missing:
        raise KeyError(f"fact_id not in data/evidence/: {', '.join(missing)}")
    return facts.loc[fact_ids, columns]


def proportion_row(label: str, k: int, n: int, printed: str | None, status: str, ref: str,
                   level: float = 0.95, *, measured: dict[str, str] | None) -> dict:
    """One rate: k/n, the recomputed percentage, whether it prints as `printed`, and exact
    (Clopper–Pearson) and Wilson intervals. `measured` is the end point and assessor of the data row
    the rate comes from (`end_points.of(row)`), or None for a share that is no efficacy end point
    (how many patients had CNS metastases): every caller says which. `ref` (a BibTeX key) is shown
    as its short citation."""
    pct = stats.percent(k, n)
    cp = stats.proportion_ci(k, n, level, "clopper-pearson")
    wi = stats.proportion_ci(k, n, level, "wilson")
    return {
        "population": label,
        **(measured or {}),
        "k/n": f"{k}/{n}",
        "recomputed %": round(float(pct), 2),
        "printed %": printed or "not printed",
        "rounds to printed": "—" if printed is None else _rounds(stats.rounds_to(pct, printed)),
        "exact 95% CI": f"{cp[0]:.1f}–{cp[1]:.1f}",
        "Wilson 95% CI": f"{wi[0]:.1f}–{wi[1]:.1f}",
        "counts": status,
        "source": cite(ref),
        "_k": k, "_n": n, "_low": cp[0], "_high": cp[1], "_pct": float(pct),
    }


def _rounds(rules: list[str]) -> str:
    if stats.only_twice(rules):
        return f"yes, {ROUNDED_TWICE_SHORT}"
    return "yes" if rules else "no"


def display_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a reader sees: efficacy figures grouped by end point and assessor (rows that record
    none beside rows that do are refused), other shares by their group alone."""
    shown = frame[[c for c in frame.columns if not c.startswith("_")]]
    if any(c in shown.columns for c in end_points.COLUMNS):
        return end_points.grouped(shown.fillna(end_points.NOT_RECORDED))
    return shown.set_index("population")


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
            "source": cite(r["ref"]),
        })
    return pd.DataFrame(rows).set_index("quantity")


def bound_value(text: str) -> float:
    """The number a printed bound or point sits at (for plotting only; never for checks)."""
    p = parse(text)
    return float(p.low)


def percent_table_grid(claims: pd.DataFrame, rows: dict[str, str]) -> pd.DataFrame:
    """A guide's table of percentages, recomputed row by row (one table row = one claim location).

    For each percentage: the whole numbers of the row's n that print as it (or "impossible").
    For each `sums` group of the row: a group with a total is compared with its parts, a group
    without one must add up to 100, both within the rounding of the printed figures.
    `claims` is the claims table as loaded (figures as the guide prints them).
    """
    records = []
    measured: dict[str, list[dict[str, str]]] = {}
    for label, location in rows.items():
        sel = claims[claims["location"] == location]
        if sel.empty:
            raise KeyError(f"no claim located at {location!r}")
        n = int(sel["n"].iloc[0])
        record: dict[str, object] = {"guide row": label, "n": n}
        groups: dict[str, dict[str, list[str]]] = {}
        for r in sel.to_dict("records"):
            if r["value_type"] != "percent":
                record[r["quantity"]] = f"{r['reported']} (not a percentage)"
                continue
            measured.setdefault(r["quantity"], []).append(end_points.of(r))
            ks = stats.compatible_numerators(r["reported"], n)
            twice = set(stats.numerators_only_twice(r["reported"], n))
            record[r["quantity"]] = f"{r['reported']}% → " + (
                f"k = {', '.join(f'{k} ({ROUNDED_TWICE_SHORT})' if k in twice else str(k) for k in ks)}"
                if ks else "impossible")
            for member in (r.get("sums") or "").split():
                group, role = member.split(":")
                groups.setdefault(group, {"total": [], "part": []})[role].append(r["reported"])
        for group, members in sorted(groups.items()):
            if members["total"]:
                ok, s, _ = stats.sum_of_parts(members["total"][0], members["part"])
                record["parts vs total"] = (f"{' + '.join(members['part'])} = {s} vs "
                                            f"{members['total'][0]} ({'agrees' if ok else 'differs'})")
            else:
                ok, s, _ = stats.adds_to_100(members["part"])
                record["categories"] = f"sum {s} ({'adds to 100' if ok else 'does not add to 100'})"
        records.append(record)
    end_points.check_columns(measured)  # one column, one end point and assessor
    return pd.DataFrame(records).set_index("guide row")


def printed_rate_row(evidence: pd.DataFrame, label: str, fact_id: str, derived: bool = False,
                     level: float = 0.95) -> dict:
    """`proportion_row` for a printed response rate, with its printed interval, the interval
    methods that reproduce it, and its cut-off. With `derived`, the count is the single numerator
    that gives the printed percentage for the printed n (see `derive_count`)."""
    f = evidence.set_index("fact_id").loc[fact_id]
    n = int(f["n"])
    k = derive_count(f["value"], n) if derived else int(f["k"])
    row = proportion_row(label, k, n, f["value"],
                         "derived from printed % and n" if derived else "printed", f["ref"], level,
                         measured=end_points.of(f))
    has_ci = isinstance(f["ci_low"], str)
    methods = stats.ci_rounding(k, n, f["ci_low"], f["ci_high"], level) if has_ci else {}
    row.update({
        "printed 95% CI": f"{f['ci_low']}–{f['ci_high']}" if has_ci else "not printed",
        "reproduced by": " and ".join(f"{m} ({ROUNDED_TWICE_SHORT})" if twice else m
                                      for m, twice in methods.items()) or "—",
        "cut-off": f["cutoff"] if isinstance(f["cutoff"], str) else "not printed",
    })
    return row


def duration(seconds: str) -> str:
    """A measured time in words a reader scans: '45 s', '3 min 05 s'."""
    total = round(float(seconds))
    if total < 1:
        return "under 1 s"
    minutes, rest = divmod(total, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def timings_table(timings: pd.DataFrame) -> pd.DataFrame:
    """The reader's steps with what each took, for the "Reproduce this book" page. The commands
    themselves are in the page's code block above the table, where a reader copies them from; in a
    table a command would print a notebook's file name as if it were words."""
    return pd.DataFrame({
        "step": timings["what"],
        "time": timings["seconds"].map(duration),
        "note": timings["note"].fillna("—"),
    }).set_index("step").rename_axis(None)


def timings_summary(timings: pd.DataFrame | None) -> str:
    """One sentence saying where and when the reader's steps were measured (Markdown)."""
    if timings is None:
        return ("No measurement has been recorded yet: `benchmarks/run.py --record` runs each step "
                "in a fresh clone and writes the times to the table this page reads.")
    first = timings.iloc[0]
    return (f"Measured on a {first['cores']}-core machine on {first['measured']} with Python "
            f"{first['python']}, each step in a fresh clone of the repository with nothing beside it, "
            "in the order a reader takes them:")


def guide_identity(tables: Tables, chapter: str) -> pd.DataFrame:
    """Which guide a chapter audits: its own title (quoted from it), publisher, date, and the
    SHA-256 of the file the claims were read from, so a reader can tell exactly which text."""
    guide = guide_file(tables, chapter)
    row = tables.guides.set_index("guide").loc[guide]
    titles = tables.quotes[(tables.quotes["guide"] == guide) & (tables.quotes["kind"] == "title")]
    if len(titles) != 1:
        raise ValueError(f"{guide}: expected one title in data/quotes.csv, found {len(titles)}")
    return pd.DataFrame({"the guide audited": [f"“{titles.iloc[0]['text']}”", row["publisher"], row["published"],
                              row["sha256"]]},
                        index=pd.Index(["title", "publisher", "published", "file SHA-256"]))


# --- the dose rules of one label version, in words ---------------------------------------------------

_BANDS = {"ge1": "at least 1.0 m²", "lt1": "below 1.0 m²", "lt1-start": "started below 1.0 m², now larger",
          "any": "any"}
_AGE_GROUPS = {"any": "adult or child", "adult": "adult", "paediatric": "child"}
_REACTIONS = {"liver-test": "liver-test abnormality", "other": "other adverse reaction"}
_OUTCOMES = {"withhold": "withhold", "resume": "resume at the next lower level", "discontinue": "stop for good",
             "refuse": "no dose computed", "avoid": "avoid"}
# A time limit changes what the outcome means: resume if resolved within it, stop if not.
_WITHIN = {"resume": "if resolved within", "discontinue": "if not resolved within"}
_KINDS = {"start": "starting dose", "reduction": "dose reduction", "continuity": "child who has grown",
          "adverse": "adverse reaction", "interaction": "interacting drug", "hepatic": "liver impairment",
          "formulation": "formulation"}


def _when(r) -> str:
    parts = [] if r["reaction"] else [_KINDS.get(r["kind"], r["kind"])]
    if r["level"] and r["level"] != "0":
        parts.append(f"level {r['level']}")
    if r["reaction"]:
        grade = f", grade {r['min_grade']} or higher" if r["min_grade"] else ""
        parts.append(_REACTIONS.get(r["reaction"], r["reaction"]) + grade)
    if r["drug_class"]:
        parts.append(r["drug_class"].replace("-", " ") + " of CYP3A4")
    if r["child_pugh"]:
        parts.append(f"Child-Pugh {r['child_pugh']}")
    return ", ".join(parts)


def _dose(r) -> str:
    if r["outcome"] == "dose" and r["dose"]:
        from .claim_table import normalise_units

        return normalise_units(f"{r['dose']} {r['dose_unit']} {r['frequency']}".strip())
    if r["factor"]:
        return f"{r['factor']} × the dose"
    words = _OUTCOMES.get(r["outcome"], r["outcome"])
    if r["limit"]:
        words += f" {_WITHIN.get(r['outcome'], 'within')} {r['limit']} {r['limit_unit']}"
    return words


def dose_rules(rules: pd.DataFrame, version: str) -> pd.DataFrame:
    """One label version's dose rules as a reader reads them: the situation, the body-surface area,
    who, the dose (or what to do), and whether the label's words were read. Columns in words."""
    shown = rules[rules["version"] == version].fillna("")
    return pd.DataFrame({
        "situation": [_when(r) for _, r in shown.iterrows()],
        "dose or action": [_dose(r) for _, r in shown.iterrows()],
        "body-surface area": [_BANDS.get(b, "—") if b else "—" for b in shown["bsa_band"]],
        "patient": [_AGE_GROUPS.get(a, "—") if a else "—" for a in shown["age_group"]],
        "label text": ["read" if s == "printed" else "not read" for s in shown["status"]],
    }).set_index("situation")


# --- evidence rows as a reader reads them ------------------------------------------------------------

# The tables' column names in words; a column not named here keeps its own name (already words).
EVIDENCE_HEADINGS = {"drug": "drug", "quantity": "what is measured", "population": "population", "value": "value",
                     "n": "patients (n)", "species": "species", "steady_state": "at steady state",
                     "status": "what was read", "ref": "source", "source_location": "where in the source"}
_STATUS_SHORT = {"printed": "printed", "derived": "derived from printed figures",
                 "not_in_full_text": "not in the full text read", "abstract_only": "abstract or excerpt only",
                 "no_source": "no source identified", "sheet_only": "starting sheet only, not found again"}


def shown_evidence(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of data/evidence/ (from `evidence_rows`) in the reader's words: headings in words,
    statuses as what was read, sources as short citations, no internal ids, a dash for nothing."""
    from .findings import short_citations

    cites = short_citations()
    shown = rows.reset_index(drop=True).copy()
    if "status" in shown:
        shown["status"] = shown["status"].map(lambda s: _STATUS_SHORT.get(s, s))
    if "ref" in shown:
        shown["ref"] = shown["ref"].map(lambda r: cites.get(r, r) if isinstance(r, str) and r else "—")
    if "drug" in shown:
        shown["drug"] = shown["drug"].replace({"none": "—", "": "—"})
    if "steady_state" in shown:
        shown["steady_state"] = shown["steady_state"].map({"yes": "yes", "no": "no", True: "yes", False: "no"})
    shown = shown.rename(columns=EVIDENCE_HEADINGS)
    first = shown.columns[0]
    return shown.set_index(first).astype(object).where(shown.set_index(first).notna(), "—")


# What `dosing.csf_plasma_ratio` returns, in words.
RATIO_HEADINGS = {"csf_to_plasma": "CSF-to-plasma ratio", "csf_to_unbound_plasma": "CSF-to-unbound-plasma ratio",
                  "fu_plasma": "unbound fraction in plasma", "fu_csf": "unbound fraction in CSF"}
