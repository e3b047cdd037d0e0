"""What the dose calculator (:mod:`cnsaudit.analyses.dosing`) returns: a dose, a step, or a refusal, which is
data (a code and the rule behind it) that one function, :func:`explain`, writes out in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


from ..engine.dose_rules import VERSION_NAMES


# --- the calculator ------------------------------------------------------------------------------


class DoseInputError(ValueError):
    """A patient situation the calculator cannot accept (bad BSA, unknown class, level)."""


# Why the calculator gives no dose. Each code has its own sentence in `explain`.
REFUSAL_CODES = (
    "no-rule",           # no row of this version covers the situation
    "not-read",          # the label has a rule here, but its text was not read
    "no-number",         # the label's words here give no dose or step to compute
    "avoid",             # the label says to avoid the combination first
    "avoid-only",        # the label says to avoid the combination and gives no dose if it cannot be
    "age-group-needed",  # the version's rules differ by age group and none was given
    "hepatic-after-reduction",
    "hepatic-with-interaction",
    "reaction-needed",   # the version's adverse-reaction rules differ by reaction and none was given
)


@dataclass(frozen=True)
class Refusal:
    """Why no dose is given: a code, the version, the situation it concerns and the rule read (if any)."""

    code: str
    version: str
    subject: str  # "dose", "interaction", "hepatic", "adverse" or "continuity"
    rule_id: str | None = None
    wording: str | None = None
    status: str | None = None
    situation: tuple[tuple[str, str], ...] = ()  # (field, value) pairs naming what was asked


@dataclass(frozen=True)
class Dose:
    """The dose for one situation, or a refusal. `mg` is per administration, unrounded."""

    version: str
    bsa: float
    level: int
    drug_class: str | None
    child_pugh: str | None
    mg: Fraction | None
    frequency: str | None
    rules: tuple[str, ...] = field(default=())
    refused_because: Refusal | None = None
    age_group: str | None = None

    @property
    def refused(self) -> bool:
        return self.refused_because is not None

    @property
    def refusal(self) -> str | None:
        return None if self.refused_because is None else explain(self.refused_because)

    @property
    def mg_float(self) -> float | None:
        return None if self.mg is None else float(self.mg)


_SUBJECTS = {
    "dose": "a dose",
    "interaction": "an interacting drug",
    "hepatic": "hepatic impairment",
    "adverse": "an adverse reaction",
    "continuity": "a child started below 1.0 m² whose body-surface area has grown",
}
_STATUS_WORDS = {
    "abstract_only": "only an excerpt of the label was read and it stops before the rule",
    "not_in_full_text": "the label text read does not print it",
    "no_source": "no copy of the label was found",
}


def _situation_words(r: Refusal) -> str:
    s = dict(r.situation)
    words = []
    if "age_group" in s:
        words.append({"adult": "an adult", "paediatric": "a paediatric patient"}[s["age_group"]])
    if "band" in s:
        words.append("with body-surface area " + ("of at least 1.0 m²" if s["band"] == "ge1" else "below 1.0 m²"))
    if "drug_class" in s:
        words.append("taking a " + s["drug_class"].replace("-", " ").replace("inhibitor", "CYP3A4 inhibitor")
                     .replace("inducer", "CYP3A4 inducer"))
    if "child_pugh" in s:
        words.append(f"with Child-Pugh {s['child_pugh']} hepatic impairment")
    if "reaction" in s:
        words.append("a liver-test abnormality" if s["reaction"] == "liver-test"
                     else "a reaction other than a liver-test abnormality")
    if "grade" in s:
        words.append(f"of grade {s['grade']}")
    if "level" in s:
        words.append("at the starting dose" if s["level"] == "0" else f"at dose reduction {s['level']}")
    return " ".join(words)


def explain(r: Refusal) -> str:
    """The one place a refusal becomes words."""
    name = VERSION_NAMES.get(r.version, r.version)
    who = _situation_words(r)
    quoted = f"“{r.wording}”" if r.wording else ""
    if r.code == "no-rule":
        written_for = [value for key, value in r.situation if key == "written_for"]
        if written_for:
            groups = " and ".join(sorted({"paediatric patients" if w == "paediatric" else "adults"
                                          for w in written_for}))
            return (f"{name}: the label prints no dose for {who}; its dose for this body-surface area is "
                    f"written for {groups} only")
        return (f"{name}: no rule for {_SUBJECTS[r.subject]}" + (f" ({who})" if who else "")
                + " was recorded (not in the text read)")
    if r.code == "not-read":
        why = _STATUS_WORDS.get(r.status or "", "its text was not read")
        return (f"{name}: the label's rule for {_SUBJECTS[r.subject]}" + (f" ({who})" if who else "")
                + f" was not read ({why}), and no other rule stands in for it; the words read are {quoted}")
    if r.code == "no-number":
        return f"{name}: the label gives no dose or step to compute here; it says {quoted}"
    if r.code == "avoid":
        return (f"avoid the combination ({name}: {quoted}); if it cannot be avoided, ask again "
                "stating that it cannot be avoided")
    if r.code == "avoid-only":
        return (f"avoid the combination ({name}: {quoted}); the label gives no dose for taking them "
                "together")
    if r.code == "age-group-needed":
        return (f"{name}: the label's dose here depends on whether the patient is an adult or a "
                "paediatric patient; give the age group")
    if r.code == "reaction-needed":
        return (f"{name}: the label treats liver-test abnormalities apart from other adverse reactions; "
                "say which the reaction is")
    if r.code == "hepatic-after-reduction":
        return (f"{quoted}; the label adjusts the starting dose only and prints no reduction levels "
                "from a hepatically adjusted dose")
    if r.code == "hepatic-with-interaction":
        return f"{quoted}; the label does not say how to combine this with a CYP3A4 interaction adjustment"
    raise ValueError(f"unknown refusal code {r.code!r}")  # pragma: no cover - codes are fixed above
