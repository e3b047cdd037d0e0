"""The words for the label checks: the label version a dose rule is read in, and a guide's
interaction instruction against every label version (cnsaudit.engine.label_checks records the
fields; `cnsaudit.engine.wording` dispatches here by kind).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from .dose_rules import VERSION_NAMES
from .wording_figures import _searched

Cite = Callable[[str], str]
_GROUPS = {"paediatric": "paediatric patients", "adult": "adults"}


def _factor(value: str) -> str:
    return {Fraction(1, 2): "halve the dose", Fraction(2): "double the dose"}.get(
        Fraction(value), f"multiply the dose by {value}")


def part(p: dict) -> str:
    """One part of an instruction as the reader would be told it."""
    return "avoid the combination" if p["part"] == "avoid" else _factor(p["value"])


def _versions(versions) -> str:
    return " and ".join(VERSION_NAMES[v] for v in versions)


def _cls(f: dict) -> str:
    strength, kind = f["drug_class"].split("-")
    return f"{strength} CYP3A4 {kind}"


def _print(versions) -> str:
    return f"print{'s' if len(versions) == 1 else ''}"


def _label_version(f, cite):
    name = VERSION_NAMES[f["version"]]
    if f["mode"] == "age":
        return (f"{name} gives this dose for {_GROUPS[f['age_group']]} only; the guide gives it for every "
                "patient in the body-surface-area band")
    return (f"{name} gives this rule for adverse reactions other than liver-test abnormalities only; those of "
            f"grade {f['min_grade']} and higher follow its hepatotoxicity rules; the guide states it for every "
            "grade 3 or 4 reaction")


def _label_versions(f, cite):
    mode, cls = f["mode"], _cls(f)
    if mode == "opposing":
        p = f["parts"][f["at"]]
        return f"{_versions(p['opposing'])} {_print(p['opposing'])} another instruction than '{part(p)}' for a {cls}"
    if mode == "unstated":
        return (f"no label version read tells the reader to {part(f['parts'][f['at']])} for a {cls}"
                f"{_searched(f['searches'])}")
    if mode == "only":
        p = f["parts"][f["at"]]
        return f"only {_versions(p['stating'])} {_print(p['stating'])} '{part(p)}' for a {cls}"
    if mode == "common":
        return (f"{VERSION_NAMES[f['version']]} prints '" + "; ".join(part(p) for p in f["parts"])
                + f"' for a {cls}")
    detail = "; ".join(f"{_versions(p['stating'])} {_print(p['stating'])} '{part(p)}'" for p in f["parts"])
    return f"the guide joins rules of two labels for a {cls}: {detail}; no one label gives them together"


SAY = {"label version": _label_version, "label versions": _label_versions}


def _meaning_label_version(f, cite, short):
    if short:
        return ("The label version this rule comes from limits it to some patients or reactions; check the "
                "label in force before applying it.")
    name = VERSION_NAMES[f["version"]]
    if f["mode"] == "age":
        return (f"{name} gives this dose for {_GROUPS[f['age_group']]} only, not for every patient the guide "
                "names; check the label in force before applying it.")
    return (f"{name} gives this rule for reactions other than liver-test abnormalities only; a liver-test "
            f"abnormality of grade {f['min_grade']} or higher follows its hepatotoxicity rules instead.")


def _stated_elsewhere(f: dict) -> str:
    """What the versions read do print of the instruction, for the reader's sentence."""
    said = [f"{_versions(p['stating'])} {'tells' if len(p['stating']) == 1 else 'tell'} you to {part(p)}"
            for p in f["parts"] if p["stating"] and not p["opposing"]]
    return "; ".join(said)


def _meaning_label_versions(f, cite, short):
    mode, cls = f["mode"], _cls(f)
    if mode == "opposing":
        p = f["parts"][f["at"]]
        if short:
            return "A label version read gives another instruction for this interaction."
        return (f"{_versions(p['opposing'])} {'does' if len(p['opposing']) == 1 else 'do'} not tell you to "
                f"{part(p)} for a {cls}; {'it gives' if len(p['opposing']) == 1 else 'they give'} another "
                "instruction. Follow the label in force, not the guide.")
    if mode == "unstated":
        if short:
            return "No label version read gives this instruction; follow the label in force rather than the guide."
        elsewhere = _stated_elsewhere(f)
        text = f"No label version read tells you to {part(f['parts'][f['at']])} for a {cls}"
        text += f"; only {elsewhere}." if elsewhere else "."
        return text + " Follow the label in force where you prescribe."
    if short:
        return ("The guide combines instructions from two jurisdictions' labels; no single label gives them "
                "together, so follow the label in force where you prescribe.")
    return (f"No single label gives the guide's instruction for a {cls}: {_stated_elsewhere(f)}. Follow the "
            "label in force where you prescribe.")


EXPLAIN = {"label version": _meaning_label_version, "label versions": _meaning_label_versions}
RECOMPUTED: dict = {}
