"""The words for the figure checks: the guide's own arithmetic (rounding, granularity, intervals,
hazard ratios, sums) and the guide against its source (status, derivation, value, counts, interval,
p, conditions). Each check records fields (cnsaudit.engine.figure_checks, cnsaudit.engine.source_checks);
`SAY`, `EXPLAIN` and `RECOMPUTED` turn them into the reason's clause, the reader's sentence and the
recomputation shown beside the verdict. `cnsaudit.engine.wording` dispatches here by kind.
"""

from __future__ import annotations

from typing import Callable

from . import stats
from .short_cite import verb

Cite = Callable[[str], str]

# The words for a match that needs rounding twice, written here once: the reason, the checks
# column and the chapters' tables all say it this way.
ROUNDED_TWICE = ("reproduced only if rounded twice: first to one more decimal, then to the printed "
                 "digits, half up each time")
ROUNDED_TWICE_SHORT = "only if rounded twice"

# Short enough to stand in a headline beside the note that the figure itself was not read
# (wording.UNREAD_WORDS).
_INCONSISTENT = ("The guide's own figures cannot all be right: one is misprinted or comes from another "
                 "group of patients.")
UNREAD = "Unconfirmed: no source that could be read prints it."


def pct(k: int, n: int) -> str:
    return f"{k}/{n} = {float(stats.percent(k, n)):.2f}%"


def _list(ks) -> str:
    return ", ".join(str(k) for k in ks)


def _src(cite: Cite, ref: str, singular_verb: str) -> str:
    name = cite(ref)
    return f"{name} {verb(name, singular_verb)}"


def _searched(searches: int) -> str:
    if not searches:
        return ""
    return f"; {searches} search{'es' if searches != 1 else ''} recorded in the search log"


# --- the guide's own arithmetic ------------------------------------------------------------------


def _percent(f, cite):
    return f"{pct(f['k'], f['n'])} {'rounds to' if f['rounds'] else 'does not round to'} {f['reported']}%"


def _granularity(f, cite):
    if f["ks"]:
        return f"{f['reported']}% is attainable with n={f['n']} only as k = {_list(f['ks'])}"
    return f"no whole number of {f['n']} patients gives {f['reported']}%"


def _sizes(f, cite):
    return (f"n={f['n']} cannot give {f['reported']}%; the n up to {f['bound']} that give every percentage "
            f"of the row ({', '.join(p + '%' for p in f['row'])}): {_list(f['fits']) or 'none'}")


def _sizes_twice(f, cite):
    return f"further n up to {f['bound']} that give them: {_list(f['fits'])}"


_ORIGINS = {"guide": "guide", "guide n": "derived from the guide's n", "derived": "derived"}


def _origin(origin: dict, cite: Cite) -> str:
    if origin["from"] == "printed":
        return f"printed by {cite(origin['ref'])}"
    if origin["from"] == "source n":
        return f"derived from the n of {cite(origin['ref'])}"
    return _ORIGINS[origin["from"]]


def _small(f, cite):
    return "rests on single-digit counts: " + ", ".join(
        f"{c['k']}/{c['n']} ({', '.join(_origin(o, cite) for o in c['origins'])}; exact 95% CI "
        f"{c['low']:.1f}–{c['high']:.1f}%)" for c in f["counts"])


def _interval(f, cite):
    if f["methods"]:
        return (f"{f['ci_low']}–{f['ci_high']} is reproduced for {f['k']}/{f['n']} by "
                f"{' and '.join(f['methods'])}")
    return f"neither an exact nor a Wilson interval for {f['k']}/{f['n']} gives {f['ci_low']}–{f['ci_high']}"


def _symmetry(f, cite):
    return (f"HR {f['hr']} {'is' if f['ok'] else 'is not'} the geometric mean of {f['low']}–{f['high']} "
            f"({f['mean']:.3f})")


def _p_from_ci(f, cite):
    if f["printed"] is None:
        return f"p recomputed from the CI is {f['p']:.2g}"
    return (f"p recomputed from the CI is {f['p']:.2g} (range {f['p_low']:.2g}–{f['p_high']:.2g}), "
            f"{'in line with' if f['ok'] else 'against'} the printed p {f['printed']}")


def _sum(f, cite):
    parts = " + ".join(f["parts"])
    if f["total"] is not None:
        return f"{parts} = {f['sum']} {'agrees with' if f['ok'] else 'does not match'} {f['total']} (±{f['tol']})"
    return f"{parts} = {f['sum']} {'adds' if f['ok'] else 'does not add'} to 100 (±{f['tol']})"


# --- the guide against its source ----------------------------------------------------------------


def _source(f, cite):
    status, ref, where, searched = f["status"], f["ref"], f.get("source_location"), _searched(f.get("searches", 0))
    if status == "printed":
        return f"{_src(cite, ref, 'prints')} {f['value']}"
    if status == "derived":
        return (f"{_src(cite, ref, 'does')} not print it; it can only be derived "
                f"({f['note'] or 'see chapter'}){searched}")
    if status == "not_in_full_text":
        return f"not in the full text read of {cite(ref)} ({where}){searched}"
    if status == "abstract_only":
        return (f"only an abstract or excerpt of {cite(ref)} was read ({where}); the figure may be in the "
                f"full text{searched}")
    if status == "sheet_only":
        return (f"the figure comes from the starting sheet and could not be found again in {cite(ref)} or "
                f"another source read ({where}){searched}")
    return f"no primary source identified; read: {cite(ref)} ({where}){searched}"


def how(d: dict, cite: Cite) -> str:
    """How a derived figure was recomputed (cnsaudit.engine.source_checks.derivation_of)."""
    if d["method"] == "denominator":
        text = (f"{d['percent']}% ({cite(d['ref'])}) within {d['bound']} patients: "
                + (", ".join(f"{k}/{n}" for k, n in d["found"]) or "no fraction"))
        if d["cut"] is not None:  # the answer depends on how the primary shortened its percentages
            text += ("; if the primary cut off digits instead of rounding: "
                     + (", ".join(f"{k}/{n}" for k, n in d["cut"]) or "no fraction"))
        return text
    return f"{d['total']} − {' − '.join(str(p) for p in d['parts'])} = {d['left']}"


def _only(f) -> str:
    only = str(f["value"]) if f["of"] is None else f"{f['value']} of {f['of']}"
    return only if f["ok"] else f"{only}, not the guide's {f['reported']}"


def _upto(f) -> str:
    return f" (searched up to n = {f['bound']})" if f["bound"] is not None else ""


def _derivation(f, cite):
    if f["fits"] == 1:
        return (f"not printed; the only value that fits the printed figures{_upto(f)} is {_only(f)}: "
                f"{how(f['how'], cite)}")
    many = f"{f['fits']} values fit" if f["fits"] else "no value fits"
    return (f"{_src(cite, f['ref'], 'does')} not print it, and {many} the printed figures{_upto(f)}: "
            f"{how(f['how'], cite)}{_searched(f['searches'])}")


def _value(f, cite):
    if f["mode"] == "count":
        return (f"{_src(cite, f['ref'], 'prints')} {f['k']} of {f['n']} ({pct(f['k'], f['n'])}), "
                f"{'which rounds to' if f['ok'] else 'not'} the guide's {f['reported']}%")
    if f["mode"] == "heading only":
        return (f"the guide's heading names this case but its text gives no rule for it, only another case's "
                f"({f['reported']}); {_src(cite, f['ref'], 'gives')} {f['printed']} (left out, not contradicted)")
    if f["ok"]:
        return f"{_src(cite, f['ref'], 'prints')} {f['printed']}"
    return f"the guide prints {f['reported']}, while {_src(cite, f['ref'], 'prints')} {f['printed']}"


def _count(f, cite):
    return (f"the guide gives {f['label']}={f['guide']}, while {_src(cite, f['ref'], 'gives')} "
            f"{f['label']}={f['source']}")


def _granularity_source(f, cite):
    if f["ks"]:
        return f"{f['reported']}% fits n={f['n']} ({cite(f['ref'])}) only as k = {_list(f['ks'])} (derived)"
    return f"no whole number of the {f['n']} patients in {_src(cite, f['ref'], 'gives')} {f['reported']}%"


def _interval_source(f, cite):
    return (f"the guide's CI is {f['guide'][0]}–{f['guide'][1]}, while {_src(cite, f['ref'], 'prints')} "
            f"{f['source'][0]}–{f['source'][1]}")


def _p_source(f, cite):
    return f"the guide prints p {f['guide']}, while {_src(cite, f['ref'], 'prints')} p {f['source']}"


def _steady(f, cite):
    if f["mode"] == "before":
        return f"{cite(f['ref'])} measured it before steady state; the guide does not say so"
    return (f"the guide says steady state was{'' if f['guide'] == 'yes' else ' not'} reached, while "
            f"{_src(cite, f['ref'], 'says')} it was{'' if f['source'] == 'yes' else ' not'}")


def _like(f, cite):
    described = ", ".join(sorted(f"{d} ({s or 'species not given'}, steady state: {ss or 'unknown'})"
                                 for d, s, ss in f["conditions"]))
    return f"shown side by side, but measured under different conditions: {described}"


SAY = {
    "percent from counts": _percent, "granularity": _granularity, "sizes that fit": _sizes,
    "sizes that fit if rounded twice": _sizes_twice, "small numbers": _small, "interval": _interval,
    "log symmetry": _symmetry, "p from CI": _p_from_ci, "sum": _sum,
    "source": _source, "derivation": _derivation, "value": _value, "count": _count,
    "granularity (primary n)": _granularity_source, "interval vs primary": _interval_source,
    "p vs primary": _p_source, "steady state": _steady, "like with like": _like,
}


# --- what a failed check means for a reader -------------------------------------------------------


def _meaning_percent(f, cite, short):
    if short:
        return _INCONSISTENT
    return (f"{f['k']} of {f['n']} patients is {float(stats.percent(f['k'], f['n'])):.1f}%, not "
            f"{f['reported']}%; the count, the group size or the percentage is misprinted, or they come from "
            "different groups.")


def _meaning_granularity(f, cite, short):
    if short:
        return _INCONSISTENT
    return (f"No whole number of {f['n']} patients gives {f['reported']}%: either the percentage or the "
            "number of patients is misprinted, or they belong to different groups.")


def _meaning_interval(f, cite, short):
    if short:
        return _INCONSISTENT
    return (f"No usual confidence interval for {f['k']} of {f['n']} patients gives {f['ci_low']}–{f['ci_high']}; "
            "the interval or the counts are misprinted, or they belong to different groups.")


def _meaning_symmetry(f, cite, short):
    if short:
        return _INCONSISTENT
    return (f"A hazard ratio of {f['hr']} does not sit in the middle (on the log scale) of {f['low']}–{f['high']}, "
            "as it should; the ratio or its interval is misprinted.")


def _meaning_p(f, cite, short):
    if short:
        return _INCONSISTENT
    return (f"The printed p {f['printed']} does not follow from the hazard ratio's interval (recomputed "
            f"{f['p']:.2g}); one of them is misprinted.")


def _meaning_sum(f, cite, short):
    if short:
        return _INCONSISTENT
    whole = f"the guide's total {f['total']}" if f["total"] is not None else "100"
    return f"The parts {' + '.join(f['parts'])} add up to {f['sum']}, not {whole}; one of them is misprinted."


def _meaning_source(f, cite, short):
    return UNREAD


def _meaning_derivation(f, cite, short):
    if f["fits"] == 1:
        if short:
            return "The only value the source's printed figures allow differs from the guide's."
        return (f"The only value that the figures {_src(cite, f['ref'], 'prints')} allow is {f['value']}"
                f"{'' if f['of'] is None else ' of ' + str(f['of'])}, not the guide's {f['reported']}.")
    return ("No source read prints this, and the printed figures leave more than one value possible; treat "
            "it as unconfirmed." if f["fits"] else
            "No source read prints this, and no value fits the printed figures; treat it as unconfirmed.")


def _meaning_value(f, cite, short):
    if f["mode"] == "heading only":
        if short:
            return "The guide names this case but gives no rule for it; read the source's rule."
        return f"The guide names this case but gives no rule for it; {_src(cite, f['ref'], 'gives')}: {f['printed']}."
    if short:
        return "The source says something else; go by the source, not the guide."
    if f["mode"] == "count":
        return (f"{_src(cite, f['ref'], 'counts')} {f['k']} of {f['n']} patients "
                f"({float(stats.percent(f['k'], f['n'])):.1f}%), not the guide's {f['reported']}%; go by the source.")
    if f.get("category"):
        return (f"{_src(cite, f['ref'], 'gives')} “{f['printed']}” where the guide gives “{f['reported']}”; go by "
                "the source.")
    unit = "%" if f.get("unit") == "%" else ""
    return (f"{_src(cite, f['ref'], 'prints')} {f['printed']}{unit}, not the guide's {f['reported']}{unit}; "
            "go by the source.")


def _meaning_count(f, cite, short):
    if f["label"] == "n":
        if short:
            return "The source reports a different number of patients, so the figure rests on another group."
        return (f"{_src(cite, f['ref'], 'reports')} {f['source']} patients, not {f['guide']}, so the figure "
                "rests on another group.")
    if short:
        return "The source reports a different count of patients with the outcome."
    return f"{_src(cite, f['ref'], 'counts')} {f['source']} patients with the outcome, not {f['guide']}."


def _meaning_granularity_source(f, cite, short):
    if short:
        return "No whole number of the source's patients gives this percentage, so it cannot be the source's figure."
    return (f"No whole number of the {f['n']} patients {cite(f['ref'])} reports gives {f['reported']}%, so it "
            "cannot be the source's figure.")


def _meaning_interval_source(f, cite, short):
    if short:
        return "The source prints a different confidence interval."
    return (f"{_src(cite, f['ref'], 'prints')} the interval {f['source'][0]}–{f['source'][1]}, not "
            f"{f['guide'][0]}–{f['guide'][1]}.")


def _meaning_p_source(f, cite, short):
    if short:
        return "The source prints a different p-value."
    return f"{_src(cite, f['ref'], 'prints')} p {f['source']}, not p {f['guide']}."


def _meaning_steady(f, cite, short):
    if f["mode"] == "before":
        return ("The figure was measured before steady state, so it may understate exposure once steady state "
                "is reached.")
    if short:
        return "The source says otherwise about whether steady state was reached."
    return (f"{_src(cite, f['ref'], 'says')} steady state was{'' if f['source'] == 'yes' else ' not'} reached "
            f"when this was measured; the guide says it was{'' if f['guide'] == 'yes' else ' not'}.")


def _meaning_like(f, cite, short):
    return "These figures were measured under different conditions; they should not be ranked against one another."


EXPLAIN = {
    "percent from counts": _meaning_percent, "granularity": _meaning_granularity, "interval": _meaning_interval,
    "log symmetry": _meaning_symmetry, "p from CI": _meaning_p, "sum": _meaning_sum,
    "source": _meaning_source, "derivation": _meaning_derivation, "value": _meaning_value,
    "count": _meaning_count, "granularity (primary n)": _meaning_granularity_source,
    "interval vs primary": _meaning_interval_source, "p vs primary": _meaning_p_source,
    "steady state": _meaning_steady, "like with like": _meaning_like,
}


# --- what a check recomputed ----------------------------------------------------------------------


def _recomputed_granularity(f):
    return ", ".join(pct(k, f["n"]) for k in f["ks"]) or f"impossible with n={f['n']}"


def _recomputed_p(f):
    return f"SE(log HR) = {f['se']:.3f}, p = {f['p']:.2g}"


RECOMPUTED = {
    "percent from counts": lambda f: pct(f["k"], f["n"]),
    "granularity": _recomputed_granularity,
    "log symmetry": lambda f: f"√({f['low']}×{f['high']}) = {f['mean']:.3f}",
    "p from CI": _recomputed_p,
    "sum": lambda f: f"sum = {f['sum']}",
    "value": lambda f: f"{pct(f['k'], f['n'])} (primary count)" if f["mode"] == "count" else None,
    "granularity (primary n)": lambda f: (", ".join(pct(k, f["n"]) for k in f["ks"]) + " (derived)"
                                          if f["ks"] else None),
}
