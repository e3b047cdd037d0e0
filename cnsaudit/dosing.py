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
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schema
from .reading import DataError, Problem, _rel, bib_file, bib_keys, data_dir, read_table, validate_table

VERSIONS = ("us-2019", "us-2022", "us-2023", "eu")
# What each version is, for a reader (the CLI and the chapter name versions this way).
VERSION_NAMES = {
    "us-2019": "US prescribing information, 2018/2019 text",
    "us-2022": "US prescribing information, 2022 revision",
    "us-2023": "US prescribing information, November 2023 revision",
    "eu": "EU product information",
}
AGE_GROUPS = ("adult", "paediatric")
REACTIONS = ("liver-test", "other")
KINDS = ("start", "reduction", "continuity", "adverse", "interaction", "hepatic", "formulation")
BSA_BANDS = ("ge1", "lt1", "lt1-start", "any")
DRUG_CLASSES = ("strong-inhibitor", "moderate-inhibitor", "strong-inducer", "moderate-inducer")
CHILD_PUGH = ("A", "B", "C")
OUTCOMES = ("dose", "adjust", "refuse", "withhold", "resume", "discontinue", "strength")
DOSE_UNITS = ("mg", "mg/m2", "mg/mL")
FREQUENCIES = ("twice daily", "once daily")
LIMIT_UNITS = ("weeks", "modifications", "half-lives", "mg per dose")

BSA_THRESHOLD = 1.0  # m², printed in every US version
# Plausibility range of the calculator (not a label rule): a body-surface area outside it is a
# typing error (cm² for m², a weight for a BSA), not a patient.
BSA_MIN, BSA_MAX = 0.1, 3.5
MAX_LEVEL = 3  # starting dose (0) and three reductions

DECIMAL = r"^(?:[1-9][0-9]*(?:\.[0-9]+)?|0\.[0-9]*[1-9][0-9]*)$"  # a number > 0


# --- the schema ----------------------------------------------------------------------------------


def _vocab(values, nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.isin(values, error=f"is not one of {', '.join(values)}"),
                     nullable=nullable)


def _decimal(nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(DECIMAL, error="is not a plain positive number"),
                     nullable=nullable)


def _has(row, column) -> bool:
    value = row.get(column)
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _fields_match_outcome(row) -> bool:
    need = {
        "dose": ("dose", "dose_unit", "frequency", "bsa_band", "level"),
        "strength": ("dose", "dose_unit"),
        "adjust": ("factor", "avoid"),
        "refuse": ("avoid",) if row.get("kind") == "interaction" else (),
    }.get(row.get("outcome"), ())
    forbid = () if row.get("outcome") in ("dose", "strength") else ("dose", "dose_unit", "frequency")
    if row.get("outcome") != "adjust":
        forbid += ("factor",)
    return all(_has(row, c) for c in need) and not any(_has(row, c) for c in forbid)


def _target_matches_kind(row) -> bool:
    kind = row.get("kind")
    has_class, has_cp = _has(row, "drug_class"), _has(row, "child_pugh")
    if kind == "interaction":
        return has_class and not has_cp
    if kind == "hepatic":
        return has_cp and not has_class
    return not has_class and not has_cp


def _level_matches_kind(row) -> bool:
    level = row.get("level")
    kind = row.get("kind")
    if kind in ("start", "reduction", "continuity") and not _has(row, "age_group"):
        return False
    if kind == "start":
        return level == "0" and row.get("bsa_band") in ("ge1", "lt1", "any")
    if kind == "reduction":
        return level in ("1", "2", "3") and row.get("bsa_band") in ("ge1", "lt1", "any")
    if kind == "continuity":
        return level in ("1", "2", "3") and row.get("bsa_band") == "lt1-start"
    return not _has(row, "level") and not _has(row, "bsa_band") and not _has(row, "age_group")


def _reaction_matches_kind(row) -> bool:
    # Only an adverse-reaction rule says which reactions it covers; the rule that starts the
    # sequence (withhold, or a refusal in its place) also says from which grade.
    if row.get("kind") != "adverse":
        return not _has(row, "reaction") and not _has(row, "min_grade")
    needs_grade = row.get("outcome") in ("withhold", "refuse")
    return _has(row, "reaction") and _has(row, "min_grade") == needs_grade


def _status_matches_outcome(row) -> bool:
    # A rule whose number the label does not print can only refuse; a printed rule may do anything.
    return row.get("status") == "printed" or row.get("outcome") == "refuse"


def _limit_pair(row) -> bool:
    return _has(row, "limit") == _has(row, "limit_unit")


ROW_RULES = [
    schema.RowRule("the outcome decides which of dose, dose_unit, frequency, factor and avoid are "
                   "filled", ("outcome", "dose", "dose_unit", "frequency", "factor", "avoid"),
                   _fields_match_outcome),
    schema.RowRule("an interaction rule names a drug class, a hepatic rule a Child-Pugh class, "
                   "other rules neither", ("kind", "drug_class", "child_pugh"), _target_matches_kind),
    schema.RowRule("a starting dose is level 0, a reduction level 1 to 3, each for one BSA band and "
                   "age group; other kinds have none", ("kind", "level", "bsa_band", "age_group"),
                   _level_matches_kind),
    schema.RowRule("an adverse-reaction rule names the reactions it covers (and, if it starts the "
                   "sequence, the lowest grade); other rules neither", ("kind", "outcome", "reaction",
                                                                       "min_grade"), _reaction_matches_kind),
    schema.RowRule("a limit needs its unit and a unit its limit", ("limit", "limit_unit"), _limit_pair),
    schema.RowRule("a rule whose dose is not printed must refuse", ("status", "outcome"),
                   _status_matches_outcome),
]
# Let data.validate_table name the columns of a failed row rule, as it does for the other tables.
schema.ROW_RULE_COLUMNS.update({("dosing", r.name): r.columns for r in ROW_RULES})

RULES = pa.DataFrameSchema(
    {
        "version": _vocab(VERSIONS, nullable=False),
        "rule_id": pa.Column(str, pa.Check.str_matches(schema.ID, error="is not an id of lower-case "
                                                       "words joined by -")),
        "kind": _vocab(KINDS, nullable=False),
        "bsa_band": _vocab(BSA_BANDS),
        "level": pa.Column(str, pa.Check.isin(["0", "1", "2", "3"], error="is not a level 0 to 3"),
                           nullable=True),
        "age_group": _vocab(("any",) + AGE_GROUPS),
        "drug_class": _vocab(DRUG_CLASSES),
        "child_pugh": _vocab(CHILD_PUGH),
        "reaction": _vocab(("any",) + REACTIONS),
        "min_grade": pa.Column(str, pa.Check.isin(["1", "2", "3", "4"], error="is not a grade 1 to 4"),
                               nullable=True),
        "outcome": _vocab(OUTCOMES, nullable=False),
        "dose": _decimal(),
        "dose_unit": _vocab(DOSE_UNITS),
        "frequency": _vocab(FREQUENCIES),
        "factor": _decimal(),
        "avoid": _vocab(("yes", "no")),
        "limit": pa.Column(str, schema._printed_check(), nullable=True),
        "limit_unit": _vocab(LIMIT_UNITS),
        "status": _vocab(schema.STATUSES, nullable=False),
        "ref": pa.Column(str, pa.Check.str_matches(schema.BIBKEY, error="is not a BibTeX key")),
        "source_location": pa.Column(str, schema._text_check()),
        "wording": pa.Column(str, schema._text_check()),
        # The evidence facts (data/evidence/) this row is the label's version of, separated by spaces:
        # the audit finds the label version a claim's verdict rests on through them.
        "fact_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?: [a-z0-9]+(?:-[a-z0-9]+)*)*$",
                                                       error="is not a list of fact ids separated by spaces"),
                             nullable=True),
    },
    checks=[r.as_check() for r in ROW_RULES],
    strict=True,
    name="dosing",
)


def rules_file() -> Path:
    return data_dir() / "dosing" / "larotrectinib.csv"


def _cross_checks(df: pd.DataFrame, name: str, keys: frozenset[str]) -> list[Problem]:
    problems = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        if r["ref"] not in keys:
            problems.append(Problem(name, i, "ref", f"{r['ref']!r} is not a key in references.bib"))
    dup = df.duplicated(["version", "rule_id"], keep="first")
    for i in df.index[dup]:
        problems.append(Problem(name, int(i) + 1, "rule_id",
                                f"duplicate rule {df.loc[i, 'rule_id']!r} in version {df.loc[i, 'version']!r}"))
    # A version that prints any dose grid must print all of it: start and three reductions, both
    # bands (a row for any BSA covers both).
    for version, rows in df.groupby("version", sort=True):
        grid = rows[rows["kind"].isin(["start", "reduction"])]
        if grid.empty:
            continue
        have = set(zip(grid["level"], grid["bsa_band"]))
        for level in ("0", "1", "2", "3"):
            for band in ("ge1", "lt1"):
                if (level, band) not in have and (level, "any") not in have:
                    problems.append(Problem(name, None, "level", f"version {version!r} has no dose "
                                            f"rule for level {level}, BSA band {band}"))
    return problems


def load_rules(path: Path | None = None) -> pd.DataFrame:
    """Read and validate the rule table; raise DataError naming file, row and column."""
    path = Path(path) if path is not None else rules_file()
    if not path.is_file():
        raise DataError([Problem(_rel(path), None, None, "file not found")])
    name = _rel(path)
    df = read_table(path)
    df = validate_table(df, RULES, name)
    problems = _cross_checks(df, name, bib_keys(bib_file()))
    if problems:
        raise DataError(problems)
    return df.reset_index(drop=True)


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


# A loaded rule table is read, never changed, so its rows are turned into plain records once: the
# calculator looks rules up a few times per dose and filtering a DataFrame each time costs milliseconds.
_RECORDS: dict[int, tuple[pd.DataFrame, list[dict]]] = {}


def _records(rules: pd.DataFrame) -> list[dict]:
    held = _RECORDS.get(id(rules))
    if held is None or held[0] is not rules or len(held[1]) != len(rules):
        held = (rules, rules.to_dict("records"))  # holding the frame keeps its id from being reused
        _RECORDS[id(rules)] = held
    return held[1]


_BY_VERSION: dict[int, tuple[list[dict], dict[str, list[dict]]]] = {}


def _rows(rules: pd.DataFrame, version: str, **match) -> list[dict]:
    records = _records(rules)
    held = _BY_VERSION.get(id(rules))
    if held is None or held[0] is not records:  # indexed once per table: the audit asks per claim
        index: dict[str, list[dict]] = {}
        for row in records:
            index.setdefault(row["version"], []).append(row)
        held = (records, index)
        _BY_VERSION[id(rules)] = held
    return [row for row in held[1].get(version, ())
            if all(row[column] == value for column, value in match.items())]


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


# --- the flowchart -------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A DOT string; a "\\n" written in `text` stays DOT's centred line break."""
    return '"' + text.replace('"', '\\"') + '"'


def flowchart_dot(version: str = "us-2022", rules: pd.DataFrame | None = None) -> str:
    """DOT source of the dose-adjustment decision flowchart, built from the rule rows only.

    Laid out for a phone: top to bottom, short wrapped labels, 12-point boxes and 11-point edge
    labels, every block stacked under the previous one, so the drawing stays narrow enough to be
    shown at 390 px wide with no text below 10 px."""
    rules = load_rules() if rules is None else rules
    rows = _rows(rules, version)
    if not rows:
        raise DoseInputError(f"no rules for label version {version!r}")
    by_id = {r["rule_id"]: r for r in rows}
    br = "\\n"
    out = [
        "digraph dose {",
        "  rankdir=TB; nodesep=0.06; ranksep=0.3;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=12, '
        'fillcolor="#f2f2f2", color="#555555"];',
        '  edge [fontname="Helvetica", fontsize=11, color="#444444"];',
    ]

    def node(name, label, fill=None, shape=None):
        extra = (f', fillcolor="{fill}"' if fill else "") + (f", shape={shape}" if shape else "")
        out.append(f"  {name} [label={_q(label)}{extra}];")

    def edge(a, b, label=None, style=None):
        attrs = ([f"label={_q(label)}"] if label else []) + ([f"style={style}"] if style else [])
        out.append(f"  {a} -> {b}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")

    def dose_text(r):
        return f"{r['dose']} {r['dose_unit']} {r['frequency']}"

    grid = [r for r in rows if r["kind"] in ("start", "reduction")]
    if grid:
        resume = by_id.get("grade34-resume")
        step = ("grade 3–4" + br + "resolved" + br + f"in {resume['limit']} {resume['limit_unit']}"
                if resume else "next" + br + "reduction")
        for band, label in (("ge1", "≥ 1.0 m²"), ("lt1", "< 1.0 m²")):
            # One column per body-surface-area band, the second under the first.
            node(f"bsa_{band}", f"Body-surface area {label}", "#dbe9f6")
            prev = f"bsa_{band}"
            for level in range(MAX_LEVEL + 1):
                rid = f"start-{band}" if level == 0 else f"reduction{level}-{band}"
                if rid not in by_id:
                    continue
                title = "starting dose" if level == 0 else f"reduction {level}"
                node(f"{band}_{level}", title + br + dose_text(by_id[rid]),
                     "#e5f2e5" if level == 0 else None)
                edge(prev, f"{band}_{level}", None if level == 0 else step)
                prev = f"{band}_{level}"
            if "intolerant" in by_id:
                node(f"stop_{band}", "discontinue" + br + "permanently (not" + br + "tolerated after" + br
                     + f"{by_id['intolerant']['limit']} {by_id['intolerant']['limit_unit']})", "#f6d5c5")
                edge(prev, f"stop_{band}", "further" + br + "grade 3–4")
        if "reduction3-grown" in by_id:
            node("grown", "BSA grows past 1.0 m²:" + br + "stay on " + dose_text(by_id["reduction3-grown"]),
                 "#e5f2e5")
            edge("lt1_3", "grown", style="dashed")
    if "grade34-withhold" in by_id and "grade34-unresolved" in by_id:
        w = by_id["grade34-unresolved"]
        # A version with its own liver-test rule applies the withhold rule to the other reactions only.
        which = "any" if by_id["grade34-withhold"]["reaction"] == "any" else "other"
        node("withhold", f"{which} grade 3–4 reaction:" + br + "withhold until grade 1" + br + "or baseline",
             "#dbe9f6", "box")
        node("unresolved", "permanently discontinue", "#f6d5c5")
        edge("withhold", "unresolved", "not resolved" + br + f"in {w['limit']} {w['limit_unit']}")
    classes = [c for c in DRUG_CLASSES if c in by_id]
    # One question per kind of interacting drug, each with its strong and moderate answer side by side.
    kinds = [k for k in ("inhibitor", "inducer") if any(k in c for c in classes)]
    for k in kinds:
        node(f"cyp_{k}", f"CYP3A4 {k}?", "#dbe9f6", "diamond")
    for cls in classes:
        r = by_id[cls]
        if r["outcome"] == "refuse":
            text = "avoid; no dose given" if r["avoid"] == "yes" else "no fixed dose printed"
        else:
            factor = Fraction(r["factor"])
            change = {Fraction(1, 2): "halve the dose", Fraction(2): "double the dose"}.get(
                factor, f"multiply the dose by {r['factor']}")
            text = ("avoid; if unavoidable" + br if r["avoid"] == "yes" else "") + change
            if r["limit"]:
                text += br + f"resume {r['limit']} {r['limit_unit']}" + br + "after stopping"
        kind = "inhibitor" if "inhibitor" in cls else "inducer"
        node(cls.replace("-", "_"), text, "#fde0c5" if kind == "inhibitor" else "#e0d5f0")
        edge(f"cyp_{kind}", cls.replace("-", "_"), cls.replace("-", " "))
    for cp in CHILD_PUGH:
        rid = f"hepatic-{cp.lower()}"
        if rid in by_id:
            factor = Fraction(by_id[rid]["factor"])
            text = "no adjustment" if factor == 1 else (
                "halve the starting dose" if factor == Fraction(1, 2) else f"starting dose × {factor}")
            if not any(line.startswith("  hepatic [") for line in out):
                node("hepatic", "hepatic impairment?", "#dbe9f6", "diamond")
            node(f"hep_{cp}", f"Child-Pugh {cp}:" + br + text.replace("halve the ", "halve the" + br), "#fff3c4")
            edge("hepatic", f"hep_{cp}")
    # Stack the three blocks (reactions, interactions, liver) instead of spreading them sideways.
    names = {line.split(" [", 1)[0].strip() for line in out if " [label=" in line}
    # One vertical spine (a shared `group`), every block centred on it: the answers to a question
    # stand side by side either side of the spine (an invisible point between two answers, the
    # middle answer of three on it), and the next block starts below them.
    answers = {"lt1_3": ["stop_lt1", "grown"]} if "grown" in names else {}
    for k in kinds:
        answers[f"cyp_{k}"] = [c.replace("-", "_") for c in classes if k in c]
    answers["hepatic"] = [f"hep_{cp}" for cp in CHILD_PUGH if f"hep_{cp}" in names]
    spine = {"bsa_ge1", "bsa_lt1", "withhold", "unresolved"} | {f"cyp_{k}" for k in kinds} | {"hepatic"}
    spine |= {n for n in names if n.startswith(("ge1_", "lt1_"))} | {"stop_ge1"}
    spine |= set() if "lt1_3" in answers else {"stop_lt1"}
    below: dict[str, str] = {}  # question -> the spine node of its answers' rank
    for question, row in answers.items():
        row = [n for n in row if n in names]
        if question not in names or not row:
            continue
        if len(row) % 2:
            middle = row[len(row) // 2]
            spine.add(middle)
        else:
            middle = f"{question}_mid"
            out.append(f"  {middle} [shape=point, style=invis, width=0, label=\"\", group=main];")
            out.append(f"  {question} -> {middle} [style=invis];")
            row = row[:len(row) // 2] + [middle] + row[len(row) // 2:]
        out.append("  { rank=same; " + " -> ".join(row) + " [style=invis]; }")
        below[question] = middle
    blocks = [("stop_ge1", "bsa_lt1"), (below.get("lt1_3", "stop_lt1"), "withhold"), ("withhold", "unresolved")]
    questions = ["unresolved"] + [f"cyp_{k}" for k in kinds] + ["hepatic"]
    blocks += [(below.get(a, a), b) for a, b in zip(questions, questions[1:])]
    for a, b in blocks:
        if a in names | set(below.values()) and b in names:
            out.append(f"  {a} -> {b} [style=invis];")
    out = [line.replace(" [label=", " [group=main, label=", 1) if line.split(" [", 1)[0].strip() in spine
           and " [label=" in line else line for line in out]
    out.append("}")
    return "\n".join(out) + "\n"


def render_svg(dot_source: str) -> str:
    """Render DOT with the `dot` program to SVG text, without graphviz's version comment."""
    import re
    import subprocess

    svg = subprocess.run(["dot", "-Tsvg"], input=dot_source, capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"<!-- Generated by graphviz version [^>]*-->\n?", "", svg)


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
