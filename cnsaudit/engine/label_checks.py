"""The guide against the larotrectinib label: the label version a dose rule is read in (and whether
that version limits the rule to one age group or to some reactions), and a guide's interaction
instruction part by part against every version read. Each check records fields; the words are in
cnsaudit.engine.wording_labels.
"""

from __future__ import annotations

import pandas as pd

from . import dose_rules, label_versions
from .finding import Finding, _get


class LabelFacts:
    """What the dose-rule table says of each fact (its label version, an age limit, a narrowing to
    some reactions), worked out once per fact: many claims quote one rule."""

    def __init__(self, rules: pd.DataFrame | None):
        self.rules = rules
        self._held: dict[tuple[str, str], tuple] = {}

    def of(self, fact: dict) -> tuple:
        key = (fact["fact_id"], fact["ref"])
        if key not in self._held:
            self._held[key] = self._work_out(fact)
        return self._held[key]

    def _work_out(self, fact: dict) -> tuple:
        version = label_versions.version_of(self.rules, fact["fact_id"], fact["ref"])
        if version is None:
            return None, None, None
        return (version, label_versions.age_limit(self.rules, fact["fact_id"], version),
                label_versions.narrowing(self.rules, fact["fact_id"], version))


def check_label_version(f: Finding, labels: LabelFacts) -> None:
    """A label rule is read in the label version its fact comes from; where that version writes the
    rule for reactions other than liver-test abnormalities only, a guide stating it for every
    reaction leaves the limit out."""
    fact = f.fact
    if labels.rules is None:
        return
    version, limited, narrowed = labels.of(fact)
    f.label_version = version
    if version is None or fact["status"] != "printed":
        return
    # A claim naming no population is the guide's statement for every patient.
    if limited is not None and _get(f.claim, "population") is None:
        f.add("label version", False, {"mode": "age", "version": version, "age_group": limited["age_group"]},
              "caveat")
    if narrowed is not None:
        f.add("label version", False, {"mode": "reactions", "version": version,
                                       "min_grade": narrowed[1]["min_grade"]}, "caveat")


def _latest(versions) -> str:
    return max(versions, key=dose_rules.VERSIONS.index)


def _in_order(versions) -> list[str]:
    return sorted(versions, key=dose_rules.VERSIONS.index)


def check_instruction(f: Finding, rules: pd.DataFrame | None, instructions: dict[str, dict],
                      searches: int = 0) -> bool:
    """A guide's instruction for an interacting drug, part by part, against every label version read.

    A part some version states otherwise contradicts; a part no version states is unverified; parts
    stated only by versions of different jurisdictions, none stating them all, make a caveat (the
    guide joins two labels). Returns whether the instruction decided the comparison."""
    row = instructions.get(f.claim["claim_id"])
    if row is None or rules is None:
        return False
    support = label_versions.instruction_support(rules, row["drug_class"], _get(row, "avoid"), _get(row, "factor"))
    parts = [{"part": p.part, "value": p.value, "stating": p.stating, "opposing": p.opposing} for p in support]
    base = {"drug_class": row["drug_class"], "parts": parts}
    for at, p in enumerate(parts):
        if p["opposing"]:
            f.add("label versions", False, base | {"mode": "opposing", "at": at}, "contradicted")
        elif not p["stating"]:
            f.add("label versions", False, base | {"mode": "unstated", "at": at, "searches": searches},
                  "unverified")
    stated = [set(p["stating"]) for p in parts]
    if any(p["opposing"] for p in parts) or not all(stated):
        for at, p in enumerate(parts):
            if p["stating"] and not p["opposing"]:
                f.inform("label versions", base | {"mode": "only", "at": at})
        f.label_version = " ".join(_in_order({v for p in parts for v in p["stating"] + p["opposing"]}))
        return True
    common = set.intersection(*stated)
    if common:
        f.label_version = f.label_version if f.label_version in common else _latest(common)
        f.add("label versions", True, base | {"mode": "common", "version": f.label_version}, None)
        return True
    used = _in_order({_latest(s) for s in stated})
    f.label_version = " ".join(used)
    jurisdictions = {label_versions.JURISDICTIONS[v] for v in used}
    f.add("label versions", len(jurisdictions) == 1, base | {"mode": "joined"}, "caveat")
    return True


_RULES: dict[tuple, object] = {}


def _cached(path, loader):
    """A dose table of the data folder in force, read once per version of the file."""
    if not path.is_file():
        return None
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _RULES:
        for old in [k for k in _RULES if k[0] == key[0]]:
            del _RULES[old]
        _RULES[key] = loader(path)
    return _RULES[key]


def rules_in_force() -> pd.DataFrame | None:
    return _cached(dose_rules.rules_file(), dose_rules.load_rules)


def instructions_in_force() -> dict[str, dict]:
    found = _cached(label_versions.instructions_file(), label_versions.load_instructions)
    return {} if found is None else {r["claim_id"]: r for r in found.to_dict("records")}
