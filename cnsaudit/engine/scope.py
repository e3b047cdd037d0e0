"""Does the evidence behind a claim cover what the claim states?

Each check compares fields that the claim and its fact record (the group, the species, the drugs, the
design, the end point and who assessed it, the measure, the cut-off) and returns what it found as
fields; `cnsaudit.engine.wording` writes the words. None of these needs the figure itself to have been read:
the group a source studied, its species and its design are known from its abstract, so a problem
found here stands whatever the fact's status (and outranks "unverified", see cnsaudit.engine.audit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import schema

NUMERIC = ("number", "percent", "hazard_ratio")


def _get(row: dict, key: str):
    value = row.get(key)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


@dataclass(frozen=True)
class Found:
    """One comparison: its kind (a key of cnsaudit.engine.wording), whether it holds, the verdict a failure
    leads to, and the fields the words are written from."""

    kind: str
    passed: bool
    effect: str | None
    fields: dict
    info: bool = False  # context for the reason that decides nothing


class Groups:
    """The tree of data/populations/: each group and the group that contains it."""

    def __init__(self, populations: pd.DataFrame | None):
        self.within: dict[str, str | None] = {}
        if populations is not None:
            for p, w in zip(populations["population"], populations["within"]):
                self.within[p] = None if w is None or (isinstance(w, float) and pd.isna(w)) else w

    def chain(self, group: str) -> list[str]:
        """The group and every group that contains it, innermost first."""
        out, at = [], group
        while at is not None and at not in out:
            out.append(at)
            at = self.within.get(at)
        return out

    def relation(self, claim_group: str, fact_group: str) -> str:
        """"same", "wider" (the claim's group contains the fact's), "narrower" (the fact's contains
        the claim's) or "other"."""
        if claim_group == fact_group:
            return "same"
        if claim_group in self.chain(fact_group):
            return "wider"
        if fact_group in self.chain(claim_group):
            return "narrower"
        return "other"


def _source(fact: dict) -> dict:
    """Who the words name for what a fact's study did: the source read (`ref`) and, where that is a
    secondary report of a study not read, the study's authors (`study_by`)."""
    by = _get(fact, "study_by")
    return {"ref": fact["ref"], **({"study_by": by} if by else {})}


def population(claim: dict, fact: dict, groups: Groups) -> Found | None:
    a, b = _get(claim, "population"), _get(fact, "population")
    if not a or not b:
        return None
    relation = groups.relation(a, b)
    fields = {"claim_group": a, "fact_group": b, "relation": relation, **_source(fact)}
    if relation == "same":
        return Found("population", True, None, fields)
    if relation == "wider":
        return Found("population", False, "caveat", fields)
    figure = claim["value_type"] in NUMERIC
    if relation == "narrower" and not figure:
        # A rule or statement the source makes for a whole group holds for a part of it.
        return Found("population", True, None, fields)
    # A figure of another group (or of the whole, given for a part) is not this group's figure; a
    # statement drawn from another group is unsupported for this one, though not contradicted.
    return Found("population", False, "contradicted" if figure else "caveat", fields)


def species(claim: dict, fact: dict) -> Found | None:
    """The species a claim names against those its fact was studied in, as sets (a study of rats, mice
    and cells lists all three): covered when the fact's include the claim's; patients from animals or
    cells only is a wider statement (caveat); another species named is another figure (contradicted)."""
    a, b = schema.species_list(_get(claim, "species")), schema.species_list(_get(fact, "species"))
    if not a or not b or "not stated" in a:
        return None
    fields = {"claim_species": a, "fact_species": b, **_source(fact)}
    if b == ["not stated"]:
        # The source read names no species: said in the reason, deciding nothing.
        return Found("species", True, None, fields | {"unstated": True}, info=True)
    if set(a) <= set(b):
        return Found("species", True, None, fields)
    if "human" in a and "human" not in b:  # patients from animals or cells: a wider statement
        return Found("species", False, "caveat", fields | {"extrapolated": True})
    return Found("species", False, "contradicted", fields | {"extrapolated": False})


def drug_class(claim: dict, fact: dict) -> Found | None:
    """A finding stated for a class against the drugs its evidence studied. A quantifier ("many",
    `class_extent`) is kept for the words; the rule is the class-wide one either way (see
    vocabulary.CLASS_EXTENTS)."""
    cls = _get(claim, "drug_class")
    if not cls:
        return None
    studied = (_get(fact, "drugs_studied") or fact["drug"]).split()
    missing = [d for d in schema.DRUG_CLASSES[cls] if d not in studied]
    fields = {"drug_class": cls, "studied": [d for d in studied if d != "none"], **_source(fact)}
    if extent := _get(claim, "class_extent"):
        fields["extent"] = extent
    return Found("drug class", not missing, "caveat" if missing else None, fields)


def strength(claim: dict, fact: dict) -> Found | None:
    if _get(claim, "strength") != "settled":
        return None
    design = _get(fact, "design")
    if design is None:  # cnsaudit.engine.data refuses this: a settled statement needs its evidence's design
        return None
    ok = design in schema.SETTLING_DESIGNS
    return Found("strength", ok, None if ok else "caveat",
                 {"design": design, "species": _get(fact, "species"), **_source(fact)})


def measure(claim: dict, binding: dict | None) -> Found | None:
    m = _get(claim, "measure")
    if m is None:
        return None
    if m not in schema.TOTAL_PLASMA_MEASURES:
        return Found("measure", True, None, {"measure": m})
    fields = {"measure": m, "drug": claim["drug"]}
    if binding is not None:
        fields |= {"bound": binding["value"], "bound_ref": binding["ref"]}
    return Found("measure", False, "caveat", fields)


def endpoint(claim: dict, fact: dict) -> list[Found]:
    found = []
    a, b = _get(claim, "endpoint"), _get(fact, "endpoint")
    if a and b:
        found.append(Found("end point", a == b, None if a == b else "contradicted",
                           {"claim_endpoint": a, "fact_endpoint": b, "ref": fact["ref"]}))
    a, b = _get(claim, "assessor"), _get(fact, "assessor")
    if a and b and a != "not stated" and b != "not stated":
        found.append(Found("assessor", a == b, None if a == b else "contradicted",
                           {"claim_assessor": a, "fact_assessor": b, "ref": fact["ref"]}))
    elif a and a != "not stated" and b == "not stated":
        # The guide names who assessed it and the source read does not say: said in the reason, so it
        # never passes in silence, but it decides nothing (the figure itself is the source's).
        found.append(Found("assessor", True, None,
                           {"claim_assessor": a, "fact_assessor": b, "ref": fact["ref"]}, info=True))
    return found


class Reports:
    """Printed facts by drug and group, and by series: the reports a later one may supersede."""

    def __init__(self, evidence: pd.DataFrame):
        self.by_group: dict[tuple[str, str], list[dict]] = {}
        self.by_series: dict[str, list[dict]] = {}
        for r in evidence.to_dict("records"):
            if r["status"] != "printed":
                continue
            if _get(r, "population"):
                self.by_group.setdefault((r["drug"], r["population"]), []).append(r)
            if _get(r, "series"):
                self.by_series.setdefault(r["series"], []).append(r)

    def newer(self, fact: dict) -> list[dict]:
        """Printed reports of the same patients (same drug and group, or the same series) with a later
        cut-off, or, where a cut-off is missing, more patients; earliest first."""
        candidates = {}
        if _get(fact, "population"):
            for r in self.by_group.get((fact["drug"], fact["population"]), []):
                candidates[r["fact_id"]] = r
        if _get(fact, "series"):
            for r in self.by_series.get(fact["series"], []):
                candidates[r["fact_id"]] = r
        candidates.pop(fact["fact_id"], None)
        # A report of another end point of the same patients does not supersede this one's figure.
        if _get(fact, "endpoint"):
            candidates = {k: r for k, r in candidates.items() if _get(r, "endpoint") == fact["endpoint"]}
        return sorted((r for r in candidates.values() if _later(r, fact)),
                      key=lambda r: (_get(r, "cutoff") or "", int(_get(r, "n") or 0)))


def _later(other: dict, fact: dict) -> bool:
    a, b = _get(other, "cutoff"), _get(fact, "cutoff")
    if a and b:
        # Compared at the precision both print: 2019-07-15 is not later than 2019-07.
        shared = min(len(a), len(b))
        return a[:shared] > b[:shared]
    n_other, n_fact = _get(other, "n"), _get(fact, "n")
    return n_other is not None and n_fact is not None and int(n_other) > int(n_fact)


def currency(fact: dict, reports: Reports) -> Found | None:
    if not _get(fact, "population") and not _get(fact, "series"):
        return None
    newer = reports.newer(fact)
    fields = {"cutoff": _get(fact, "cutoff"), "n": _get(fact, "n"), "ref": fact["ref"],
              "quantity": fact["quantity"],
              "newer": [{k: _get(r, k) for k in ("quantity", "value", "unit", "n", "cutoff", "ref")}
                        for r in newer]}
    return Found("currency", not newer, "caveat" if newer else None, fields)


def binding_facts(evidence: pd.DataFrame) -> dict[str, dict]:
    """The printed plasma protein binding of each drug, where a source read prints it."""
    rows = evidence[(evidence["quantity"] == "plasma protein binding") & (evidence["status"] == "printed")]
    return {r["drug"]: r for r in rows.to_dict("records")}
