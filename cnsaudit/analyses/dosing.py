"""Larotrectinib dose rules, read from `data/dosing/larotrectinib.csv`, and a calculator over them.

The rule table holds one row set per label version (``us-2019``: the original US text;
``us-2022``: the 2022 US revision; ``us-2023``: the US revision of November 2023, which sends liver-test
abnormalities of grade 2 and higher to a hepatotoxicity table of its own; ``eu``: the EU product
information). Each row is one printed instruction, for the patients the label names (age group,
body-surface-area band). The calculator only combines rows; where no row covers a situation, or the
label gives no number, it refuses, and the refusal is data (:class:`Refusal`: a code and the rule
behind it) that one function, :func:`explain`, writes out in words. The same table draws the
dose-adjustment flowchart (:func:`flowchart_dot`), so the picture cannot drift from the code.

Doses are returned unrounded, in mg per administration: no label version read prints a rounding rule
for body-surface-area dosing or for the oral-solution volume, so none is applied here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

# The rule table, the results and the flowchart live in modules of their own; callers keep finding
# them here, where the calculator is.
from .dose_flowchart import flowchart_dot, render_svg  # noqa: F401
from .dose_results import REFUSAL_CODES, Dose, DoseInputError, Refusal, explain  # noqa: F401
from ..engine.dose_rules import (  # noqa: F401
    AGE_GROUPS,
    BSA_MAX,
    BSA_MIN,
    BSA_THRESHOLD,
    CHILD_PUGH,
    DRUG_CLASSES,
    MAX_LEVEL,
    REACTIONS,
    RULES,
    VERSION_NAMES,
    VERSIONS,
    _has,
    _rows,
    load_rules,
    rules_file,
)


def _check_inputs(rules, bsa, level, drug_class, child_pugh, version, age_group) -> float:
    if version not in VERSIONS:
        raise DoseInputError(f"unknown label version {version!r}; expected one of {', '.join(VERSIONS)}")
    if isinstance(bsa, bool) or not isinstance(bsa, (int, float, Fraction)):
        raise DoseInputError(f"body-surface area must be a number in m², got {bsa!r}")
    if not math.isfinite(float(bsa)) or not BSA_MIN <= float(bsa) <= BSA_MAX:
        raise DoseInputError(f"body-surface area {bsa!r} m² is outside the plausible range "
                             f"{BSA_MIN}–{BSA_MAX} m² (is it in m²?)")
    if isinstance(level, bool) or not isinstance(level, int) or level < 0:
        raise DoseInputError(f"reduction level must be a whole number 0 to {MAX_LEVEL}, got {level!r}")
    if level > MAX_LEVEL:
        stop = _rows(rules, "us-2022", rule_id="intolerant") or _rows(rules, "us-2019", rule_id="intolerant")
        why = stop[0]["wording"] if stop else "the label prints three reductions only"
        raise DoseInputError(f"there is no dose reduction {level}: {why}")
    if drug_class is not None and drug_class not in DRUG_CLASSES:
        raise DoseInputError(f"unknown interacting drug class {drug_class!r}; expected one of "
                             f"{', '.join(DRUG_CLASSES)} or None")
    if child_pugh is not None and child_pugh not in CHILD_PUGH:
        raise DoseInputError(f"unknown Child-Pugh class {child_pugh!r}; expected A, B, C or None")
    if age_group is not None and age_group not in AGE_GROUPS:
        raise DoseInputError(f"unknown age group {age_group!r}; expected adult, paediatric or None")
    return float(bsa)


def _as_fraction(text: str) -> Fraction:
    return Fraction(text)


def _dose_row(rules, version, level, band, age_group) -> dict | Refusal:
    """The dose rule for a level, a BSA band and an age group; a refusal if none, or if the rules
    differ by age group and none was given."""
    kind = "start" if level == 0 else "reduction"
    found = [r for r in _rows(rules, version, kind=kind, level=str(level)) if r["bsa_band"] in (band, "any")]
    situation = (("level", str(level)), ("band", band))
    if age_group is None:
        if found and all(r["age_group"] == "any" for r in found):
            return found[0]
        if found or _rows(rules, version, kind=kind, level=str(level)):
            return Refusal("age-group-needed", version, "dose", situation=situation)
    fits = [r for r in found if r["age_group"] in (age_group, "any")]
    if not fits:
        # Say whom the label's rule for this band is written for, when it is written for someone else.
        others = tuple(("written_for", r["age_group"]) for r in found)
        return Refusal("no-rule", version, "dose", situation=(("age_group", age_group),) + situation + others)
    # The row written for this age group is more specific than one for every age.
    fits.sort(key=lambda r: r["age_group"] == "any")
    return fits[0]


def calculate(bsa, level: int = 0, drug_class: str | None = None, child_pugh: str | None = None,
              version: str = "us-2022", *, age_group: str | None = None, unavoidable: bool = False,
              started_below_1m2: bool = False, rules: pd.DataFrame | None = None) -> Dose:
    """The dose per administration for one patient situation under one label version.

    bsa: body-surface area in m²; level: 0 (starting dose) to 3 (third reduction); drug_class: an
    interacting CYP3A4 drug class or None; child_pugh: "A", "B", "C" or None (no hepatic
    impairment); age_group: "adult", "paediatric" or None (not given: refused wherever the
    version's rule depends on it); unavoidable: the interacting drug cannot be replaced (otherwise
    an "avoid" rule refuses); started_below_1m2: a child started below 1.0 m² whose BSA has since grown.
    """
    rules = load_rules() if rules is None else rules
    bsa = _check_inputs(rules, bsa, level, drug_class, child_pugh, version, age_group)
    situation = dict(version=version, bsa=bsa, level=level, drug_class=drug_class, child_pugh=child_pugh,
                     age_group=age_group)

    def refuse(reason: Refusal, applied=()):
        return Dose(**situation, mg=None, frequency=None, rules=tuple(applied), refused_because=reason)

    def from_row(code, subject, row, **asked):
        return Refusal(code, version, subject, row["rule_id"], row["wording"], row["status"],
                       tuple((k, str(v)) for k, v in asked.items()))

    # An interaction rule that refuses (or says avoid) is the label's first word: check it first.
    interaction = None
    if drug_class is not None:
        found = _rows(rules, version, kind="interaction", drug_class=drug_class)
        if not found:
            return refuse(Refusal("no-rule", version, "interaction", situation=(("drug_class", drug_class),)))
        interaction = found[0]
        if interaction["outcome"] == "refuse":
            code = ("not-read" if interaction["status"] != "printed" else
                    "avoid-only" if interaction["avoid"] == "yes" else "no-number")
            return refuse(from_row(code, "interaction", interaction, drug_class=drug_class),
                          [interaction["rule_id"]])
        if interaction["avoid"] == "yes" and not unavoidable:
            return refuse(from_row("avoid", "interaction", interaction, drug_class=drug_class),
                          [interaction["rule_id"]])

    band = "ge1" if bsa >= BSA_THRESHOLD else "lt1"
    base = None
    if started_below_1m2 and band == "ge1" and age_group != "adult":
        grown = _rows(rules, version, kind="continuity", bsa_band="lt1-start", level=str(level))
        if grown and grown[0]["outcome"] == "refuse":
            return refuse(from_row("not-read", "continuity", grown[0], level=level))
        base = grown[0] if grown else None
    if base is None:
        found = _dose_row(rules, version, level, band, age_group)
        if isinstance(found, Refusal):
            return refuse(found)
        base = found
    applied = [base["rule_id"]]
    mg = _as_fraction(base["dose"])
    if base["dose_unit"] == "mg/m2":
        mg *= Fraction(str(bsa))
    if base["limit_unit"] == "mg per dose":
        mg = min(mg, _as_fraction(base["limit"]))
    frequency = base["frequency"]

    if interaction is not None:
        applied.append(interaction["rule_id"])
        mg *= _as_fraction(interaction["factor"])

    if child_pugh is not None:
        found = _rows(rules, version, kind="hepatic", child_pugh=child_pugh)
        if not found:
            return refuse(Refusal("no-rule", version, "hepatic", situation=(("child_pugh", child_pugh),)),
                          applied)
        rule = found[0]
        factor = _as_fraction(rule["factor"])
        if factor != 1 and level > 0:
            return refuse(from_row("hepatic-after-reduction", "hepatic", rule, child_pugh=child_pugh),
                          applied + [rule["rule_id"]])
        if factor != 1 and drug_class is not None:
            return refuse(from_row("hepatic-with-interaction", "hepatic", rule, child_pugh=child_pugh),
                          applied + [rule["rule_id"]])
        applied.append(rule["rule_id"])
        mg *= factor

    if mg <= 0:  # pragma: no cover - the schema admits positive numbers only
        raise AssertionError("a dose must be positive")
    return Dose(**situation, mg=mg, frequency=frequency, rules=tuple(applied))


@dataclass(frozen=True)
class Step:
    """What the label says to do about an adverse reaction: an action with its rules, or a refusal."""

    version: str
    action: str | None  # "withhold", "resume", "discontinue"
    level: int | None  # the level to resume at, when the action is "resume"
    rules: tuple[str, ...] = ()
    wording: tuple[str, ...] = ()
    refused_because: Refusal | None = None

    @property
    def refused(self) -> bool:
        return self.refused_because is not None


def _adverse_entry(rules, version, reaction, grade) -> dict | Refusal | None:
    """The rule that opens the sequence for this reaction and grade: the row for this reaction
    before the row for any reaction, the highest grade threshold the grade reaches."""
    entries = [r for r in _rows(rules, version, kind="adverse") if _has(r, "min_grade")]
    if not entries:
        return None
    specific = {r["reaction"] for r in entries} - {"any"}
    if reaction is None and specific:
        return Refusal("reaction-needed", version, "adverse")
    fits = [r for r in entries if r["reaction"] in (reaction, "any") and grade >= int(r["min_grade"])]
    if not fits:
        return None
    fits.sort(key=lambda r: (int(r["min_grade"]), r["reaction"] != "any"), reverse=True)
    return fits[0]


def adverse_step(grade: int, level: int = 0, reaction: str | None = None,
                 resolved_within_weeks: float | None = None, version: str = "us-2022",
                 rules: pd.DataFrame | None = None) -> Step:
    """The label's step for an adverse reaction of `grade` at dose `level`.

    reaction: "liver-test", "other" or None (not said: refused where the version tells them
    apart); resolved_within_weeks: weeks until the reaction resolved to grade 1 or baseline, or None
    while it has not (then the answer is to withhold, or to discontinue past the label's limit).
    """
    rules = load_rules() if rules is None else rules
    if version not in VERSIONS:
        raise DoseInputError(f"unknown label version {version!r}; expected one of {', '.join(VERSIONS)}")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
        raise DoseInputError(f"grade must be a whole number 1 to 4, got {grade!r}")
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
        raise DoseInputError(f"reduction level must be a whole number 0 to {MAX_LEVEL}, got {level!r}")
    if reaction is not None and reaction not in REACTIONS:
        raise DoseInputError(f"unknown reaction {reaction!r}; expected liver-test, other or None")
    asked = tuple((k, str(v)) for k, v in (("reaction", reaction), ("grade", grade)) if v is not None)

    def refuse(r: Refusal, applied=()):
        return Step(version, None, None, tuple(applied), refused_because=r)

    entry = _adverse_entry(rules, version, reaction, grade)
    if entry is None:
        return refuse(Refusal("no-rule", version, "adverse", situation=asked))
    if isinstance(entry, Refusal):
        return refuse(entry)
    if entry["outcome"] == "refuse":
        code = "no-number" if entry["status"] == "printed" else "not-read"
        return refuse(Refusal(code, version, "adverse", entry["rule_id"], entry["wording"], entry["status"],
                              asked), [entry["rule_id"]])
    scope = entry["reaction"]
    by_id = {r["rule_id"]: r for r in _rows(rules, version, kind="adverse") if r["reaction"] == scope}
    withhold = by_id[entry["rule_id"]]
    if resolved_within_weeks is None:
        return Step(version, "withhold", None, (withhold["rule_id"],), (withhold["wording"],))
    resume, stop = by_id.get("grade34-resume"), by_id.get("grade34-unresolved")
    if resume is None or stop is None:
        return refuse(Refusal("no-rule", version, "adverse", situation=asked), [withhold["rule_id"]])
    if resolved_within_weeks > float(Fraction(resume["limit"])):
        return Step(version, "discontinue", None, (withhold["rule_id"], stop["rule_id"]),
                    (withhold["wording"], stop["wording"]))
    intolerant = by_id.get("intolerant")
    if level + 1 > MAX_LEVEL:
        if intolerant is None:
            return refuse(Refusal("no-rule", version, "adverse", situation=asked + (("level", str(level)),)),
                          [withhold["rule_id"]])
        return Step(version, "discontinue", None, (withhold["rule_id"], intolerant["rule_id"]),
                    (withhold["wording"], intolerant["wording"]))
    return Step(version, "resume", level + 1, (withhold["rule_id"], resume["rule_id"]),
                (withhold["wording"], resume["wording"]))


def after_grade_3_4(level: int, resolved_within_weeks: float | None, version: str = "us-2022",
                    rules: pd.DataFrame | None = None, reaction: str | None = None,
                    ) -> tuple[int | None, str, tuple[str, ...]]:
    """The next step after a grade 3 or 4 adverse reaction at `level`.

    resolved_within_weeks: weeks until the reaction resolved to grade 1 or baseline, or None if it
    has not. Returns (new level or None, what to do, rule ids); a refusal gives (None, its reason, ids).
    """
    rules = load_rules() if rules is None else rules
    if version not in VERSIONS:
        raise DoseInputError(f"unknown label version {version!r}")
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
        raise DoseInputError(f"reduction level must be a whole number 0 to {MAX_LEVEL}, got {level!r}")
    # A reaction that never resolves is the same question with no resolution time.
    step = adverse_step(3, level, reaction, resolved_within_weeks if resolved_within_weeks is not None
                        else math.inf, version, rules)
    if step.refused:
        return None, explain(step.refused_because), step.rules
    return step.level, step.wording[-1], step.rules


def solution_ml(mg: Fraction, version: str = "us-2022", rules: pd.DataFrame | None = None) -> Fraction:
    """Volume of the oral solution holding `mg` (strength from the rule table)."""
    rules = load_rules() if rules is None else rules
    found = _rows(rules, version, kind="formulation", rule_id="oral-solution")
    if not found:
        raise DoseInputError(f"label version {version!r}: no oral-solution strength recorded")
    return Fraction(mg) / _as_fraction(found[0]["dose"])


def reduction_table(version: str = "us-2022", rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """The label's reduction table as text, rebuilt from the rule rows (levels × BSA bands)."""
    rules = load_rules() if rules is None else rules
    names = {0: "starting dose", 1: "first reduction", 2: "second reduction", 3: "third reduction"}
    out = {}
    for level in range(MAX_LEVEL + 1):
        cells = {}
        # Adults (and children of 1.0 m² or more) in one column, children below 1.0 m² in the other.
        for band, age, label in (("ge1", "adult", "BSA ≥ 1.0 m²"), ("lt1", "paediatric", "BSA < 1.0 m²")):
            found = _dose_row(rules, version, level, band, age)
            cells[label] = ("not recorded" if isinstance(found, Refusal) else
                            f"{found['dose']} {found['dose_unit']} {found['frequency']}"
                            + (f" (at most {found['limit']} {found['limit_unit']})"
                               if found["limit_unit"] == "mg per dose" else ""))
        out[names[level]] = cells
    return pd.DataFrame(out).T


def lookup_table(version: str = "us-2022", bsas=None, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dose per administration (mg, unrounded) and oral-solution volume (mL) for a BSA grid of
    paediatric patients (adults are not dosed by body-surface area)."""
    rules = load_rules() if rules is None else rules
    if bsas is None:
        bsas = [Fraction(k, 10) for k in range(3, 21)]
    records = []
    for bsa in bsas:
        row = {"BSA (m²)": f"{float(bsa):.1f}"}
        for level, name in ((0, "start"), (1, "red. 1"), (2, "red. 2"), (3, "red. 3")):
            d = calculate(float(bsa), level, version=version, age_group="paediatric", rules=rules)
            if d.refused:
                row[f"{name} mg"] = row[f"{name} mL"] = "refused"
                continue
            freq = "" if d.frequency == "twice daily" else " once daily"
            row[f"{name} mg"] = f"{float(d.mg):g}{freq}"
            row[f"{name} mL"] = f"{float(solution_ml(d.mg, version, rules)):g}"
        records.append(row)
    return pd.DataFrame(records).set_index("BSA (m²)")


# --- CSF penetration -----------------------------------------------------------------------------


def csf_plasma_ratio(csf: float, plasma: float, fu_plasma: float | None = None,
                     fu_csf: float = 1.0) -> dict[str, float]:
    """CSF-to-plasma concentration ratio, and the unbound-corrected ratio if fu_plasma is given.

    The unbound ratio compares unbound concentrations: (fu_csf × C_csf) / (fu_plasma × C_plasma).
    CSF carries little protein, so fu_csf defaults to 1 (CSF concentration taken as unbound).
    Concentrations must be in the same unit; fractions unbound lie in (0, 1].
    """
    for name, value in (("csf", csf), ("plasma", plasma)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} concentration must be a finite number, got {value!r}")
    if csf < 0:
        raise ValueError(f"CSF concentration must be ≥ 0, got {csf}")
    if plasma <= 0:
        raise ValueError(f"plasma concentration must be > 0, got {plasma}")
    out = {"csf_to_plasma": csf / plasma}
    for name, fu in (("fu_plasma", fu_plasma), ("fu_csf", fu_csf)):
        if fu is not None and (isinstance(fu, bool) or not isinstance(fu, (int, float))
                               or not 0 < fu <= 1):
            raise ValueError(f"{name} must lie in (0, 1], got {fu!r}")
    if fu_plasma is not None:
        out["csf_to_unbound_plasma"] = (fu_csf * csf) / (fu_plasma * plasma)
    return out


# --- comparing label versions -------------------------------------------------------------------


def describe(d: Dose) -> str:
    """One dose or refusal as a short phrase for tables."""
    if d.refused:
        return f"refused: {d.refusal}"
    return f"{float(d.mg):g} mg {d.frequency}"


def interaction_table(bsa: float = 1.5, level: int = 0, rules: pd.DataFrame | None = None,
                      age_group: str = "adult") -> pd.DataFrame:
    """For each interacting drug class and label version: does the label say to avoid the
    combination first, and what dose (or refusal) follows if it cannot be avoided."""
    rules = load_rules() if rules is None else rules
    records = []
    for cls in DRUG_CLASSES:
        for version in VERSIONS:
            found = _rows(rules, version, kind="interaction", drug_class=cls)
            d = calculate(bsa, level, cls, version=version, age_group=age_group, unavoidable=True,
                          rules=rules)
            records.append({
                "drug class": cls.replace("-", " "),
                "version": version,
                "avoid first": (found[0]["avoid"] if found else "no rule recorded"),
                f"dose if unavoidable (BSA {bsa:g} m²)": describe(d),
                "rule": found[0]["rule_id"] if found else "",
            })
    return pd.DataFrame(records).set_index(["drug class", "version"])
