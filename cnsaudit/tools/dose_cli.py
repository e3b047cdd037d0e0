"""`python -m cnsaudit dose`: the dose calculator from the command line.

It takes the label's own inputs (label version, age group, body-surface area, dose-reduction step,
interacting drug, Child-Pugh class, and an adverse reaction with its grade) and prints the dose or
the step, the rules it applies and the label's words they rest on; or the refusal, with its reason,
and exits 1. Bad input exits 2 with a message naming the option.
"""

from __future__ import annotations

import argparse
import math

import pandas as pd

from ..analyses import dosing

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("dose", help="the larotrectinib dose (or step after an adverse reaction) under "
                       "one label version, with the label's words, or the reason for refusing")
    p.add_argument("--version", required=True, choices=dosing.VERSIONS, help="label version")
    p.add_argument("--age-group", choices=dosing.AGE_GROUPS,
                   help="adult or paediatric (the labels dose by body-surface area only in children)")
    p.add_argument("--bsa", type=float, help="body-surface area in m²")
    p.add_argument("--level", type=int, default=0,
                   help="dose-reduction step: 0 (starting dose) to 3 (third reduction)")
    p.add_argument("--drug-class", choices=dosing.DRUG_CLASSES, help="interacting CYP3A4 drug")
    p.add_argument("--unavoidable", action="store_true", help="the interacting drug cannot be avoided")
    p.add_argument("--child-pugh", choices=dosing.CHILD_PUGH, help="hepatic impairment class")
    p.add_argument("--oral-solution", action="store_true",
                   help="also give the volume of the oral solution (unrounded: no version read prints a rounding rule)")
    p.add_argument("--started-below-1m2", action="store_true",
                   help="a child started below 1.0 m² whose body-surface area has since grown")
    p.add_argument("--reaction", choices=dosing.REACTIONS,
                   help="an adverse reaction: liver-test (abnormality) or other; asks for the step, not the dose")
    p.add_argument("--grade", type=int, help="grade of the adverse reaction (1 to 4)")
    p.add_argument("--resolved-within-weeks", type=float,
                   help="weeks until the reaction resolved to grade 1 or baseline (omit while it has not)")
    return p


def _words(rules: pd.DataFrame, version: str, rule_ids) -> list[str]:
    by_id = {r["rule_id"]: r for r in rules[rules["version"] == version].to_dict("records")}
    return [f"  {rid}: “{by_id[rid]['wording']}” ({by_id[rid]['source_location']}; {by_id[rid]['ref']})"
            for rid in rule_ids if rid in by_id]


def _dose_amount(d: dosing.Dose) -> str:
    return f"{float(d.mg):g} mg {d.frequency}"


def _volume(d: dosing.Dose, rules: pd.DataFrame) -> list[str]:
    try:
        ml = dosing.solution_ml(d.mg, d.version, rules)
    except dosing.DoseInputError:
        return ["oral solution: no strength recorded for this label version"]
    return [f"oral solution: {float(ml):g} mL per dose (unrounded; this version prints no rounding rule)"]


def render_dose(d: dosing.Dose, rules: pd.DataFrame, oral_solution: bool = False) -> str:
    head = [f"label version: {dosing.VERSION_NAMES[d.version]} ({d.version})"]
    if d.refused:
        return "\n".join(head + [f"refused: {d.refusal}"] + (["rules read:"] + _words(rules, d.version, d.rules)
                                                              if d.rules else [])) + "\n"
    rule_ids = d.rules + (("oral-solution",) if oral_solution and
                          not _volume(d, rules)[0].startswith("oral solution: no") else ())
    return "\n".join(head + [f"dose: {_dose_amount(d)}"] + (_volume(d, rules) if oral_solution else [])
                     + ["rules: " + ", ".join(rule_ids), "label words:"]
                     + _words(rules, d.version, rule_ids)) + "\n"


def render_step(s: dosing.Step, rules: pd.DataFrame) -> str:
    head = [f"label version: {dosing.VERSION_NAMES[s.version]} ({s.version})"]
    if s.refused:
        return "\n".join(head + [f"refused: {dosing.explain(s.refused_because)}"]) + "\n"
    action = {"withhold": "withhold larotrectinib", "discontinue": "permanently discontinue larotrectinib",
              "resume": f"resume at dose reduction {s.level}"}[s.action]
    return "\n".join(head + [f"step: {action}", "rules: " + ", ".join(s.rules), "label words:"]
                     + _words(rules, s.version, s.rules)) + "\n"


def run(args, rules: pd.DataFrame, out, err) -> int:
    try:
        if args.reaction is not None or args.grade is not None:
            if args.grade is None:
                raise dosing.DoseInputError("--reaction needs --grade (1 to 4)")
            weeks = args.resolved_within_weeks
            if weeks is not None and (not math.isfinite(weeks) or weeks < 0):
                raise dosing.DoseInputError(f"--resolved-within-weeks must be a number ≥ 0, got {weeks:g}")
            step = dosing.adverse_step(args.grade, args.level, args.reaction, weeks, args.version, rules)
            out.write(render_step(step, rules))
            return EXIT_REFUSED if step.refused else 0
        if args.bsa is None:
            raise dosing.DoseInputError("--bsa (body-surface area in m²) is needed for a dose")
        d = dosing.calculate(args.bsa, args.level, args.drug_class, args.child_pugh, args.version,
                             age_group=args.age_group, unavoidable=args.unavoidable,
                             started_below_1m2=args.started_below_1m2, rules=rules)
    except dosing.DoseInputError as exc:
        err.write(f"cnsaudit dose: {exc}\n")
        return EXIT_BAD_INPUT
    out.write(render_dose(d, rules, args.oral_solution))
    return EXIT_REFUSED if d.refused else 0
