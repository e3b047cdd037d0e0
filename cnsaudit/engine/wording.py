"""The words for what the evidence checks found (cnsaudit.engine.scope), written here once.

`say` gives the part of a claim's reason (terse, one clause); `explain` gives one plain sentence of
what the finding means for a reader. Both take the fields a check recorded and a `cite` function
that names a source (a BibTeX key in the audit table; a short citation in reader text), so the same
fields read the same way on the web, in the PDF and at the command line.

The other checks' words (the guide's arithmetic, the source, the label) are in wording_figures and
wording_labels; `say`, `explain` and `recomputed` dispatch to them by kind.
"""

from __future__ import annotations

from typing import Callable

from . import wording_figures, wording_labels
from .short_cite import Cited, verb

Cite = Callable[[str], str]


def _key(ref: str) -> str:
    return ref


def _src(cite: Cite, f: dict, singular_verb: str) -> str:
    if f.get("study_by"):
        return f"{_by(cite, f)} {verb(Cited(f['study_by'], plural=True), singular_verb)}"
    name = cite(f["ref"])
    return f"{name} {verb(name, singular_verb)}"


def _by(cite: Cite, f: dict) -> str:
    """Who did the study: its authors where the source read only reports it (a secondary source,
    which verifies nothing), else the source read."""
    if f.get("study_by"):
        return f"{f['study_by']} (not read; as reported by {cite(f['ref'])})"
    return cite(f["ref"])


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _names(drugs: list[str]) -> str:
    if not drugs:
        return "no named drug"
    return drugs[0] if len(drugs) == 1 else ", ".join(drugs[:-1]) + " and " + drugs[-1]


_SPECIES = {"human": "patients", "rat": "rats", "mouse": "mice", "dog": "dogs", "in vitro": "cells in vitro"}


def _species(value: list[str] | str) -> str:
    """Every species of a list (or one), in words: "rats, mice and cells in vitro"."""
    listed = [value] if isinstance(value, str) else value
    return _names([_SPECIES[s] for s in listed])


def _was(drugs: list[str]) -> str:
    return "was" if len(drugs) == 1 else "were"


def _class_named(f: dict) -> str:
    """The class as the guide states it: with its own quantifier ("many kinase inhibitors") where it
    has one, else the whole class ("all kinase inhibitors")."""
    return f"{f.get('extent') or 'all'} {f['drug_class']}"


def _newer(r: dict, cite: Cite) -> str:
    unit = "%" if r["unit"] == "%" else (f" {r['unit']}" if r["unit"] else "")
    parts = [f"{r['quantity']} {r['value']}{unit}"]
    if r["n"]:
        parts.append(f"n={r['n']}")
    if r["cutoff"]:
        parts.append(f"cut-off {r['cutoff']}")
    return f"{parts[0]} ({', '.join(parts[1:] + [cite(r['ref'])])})"


def say(kind: str, f: dict, cite: Cite = _key) -> str:
    """The clause of the reason for one check."""
    if kind in _SAY:
        return _SAY[kind](f, cite)
    if kind == "population":
        if f["relation"] == "same":
            return f"{_src(cite, f, 'shows')} it for the group the guide names ({f['fact_group']})"
        if f["relation"] == "wider":
            return (f"{_src(cite, f, 'shows')} it for {f['fact_group']} only; the guide states it for "
                    f"{f['claim_group']}, a wider group")
        if f["relation"] == "narrower":
            return (f"{_src(cite, f, 'gives')} it for {f['fact_group']} as a whole; the guide gives it for "
                    f"{f['claim_group']}, a part of that group")
        return f"{_src(cite, f, 'shows')} it for {f['fact_group']}; the guide states it for {f['claim_group']}"
    if kind == "species":
        if f.get("unstated"):
            return (f"the guide says {_species(f['claim_species'])}; the part of {_by(cite, f)} read does not "
                    "say which species the evidence comes from")
        if f.get("extrapolated"):
            return (f"{_by(cite, f)} studied this in {_species(f['fact_species'])}, not in patients; the guide "
                    "states it for patients")
        if set(f["claim_species"]) <= set(f["fact_species"]):
            return f"{_by(cite, f)} studied this in {_species(f['fact_species'])}, as the guide says"
        return (f"the guide says {_species(f['claim_species'])}; {_by(cite, f)} studied this in "
                f"{_species(f['fact_species'])}")
    if kind == "drug class":
        return (f"{_by(cite, f)} studied {_names(f['studied'])}; the guide states it for "
                f"{_class_named(f)}")
    if kind == "strength":
        return (f"the guide states it as settled; the evidence behind it is {_a(f['design'])} "
                f"({_by(cite, f)})")
    if kind == "measure":
        if "bound" not in f:
            return ("the measure divides by the total plasma concentration; penetration is judged "
                    "against the unbound concentration")
        return (f"the measure divides by the total plasma concentration of a drug {f['bound']}% bound "
                f"to plasma proteins ({cite(f['bound_ref'])}); penetration is judged against the "
                "unbound concentration")
    if kind == "end point":
        if f["claim_endpoint"] == f["fact_endpoint"]:
            return f"same end point ({f['fact_endpoint']})"
        return f"the guide gives it as {f['claim_endpoint']}; {_src(cite, f, 'prints')} it for {f['fact_endpoint']}"
    if kind == "assessor":
        if f["fact_assessor"] == "not stated":
            return (f"the guide says {f['claim_assessor']} assessed it; the part of {cite(f['ref'])} "
                    "read does not say who did")
        if f["claim_assessor"] == f["fact_assessor"]:
            return f"assessed by {f['fact_assessor']}, as the guide says"
        return f"the guide says {f['claim_assessor']}; {_src(cite, f, 'reports')} {f['fact_assessor']} assessment"
    if kind == "currency":
        if not f["newer"]:
            return "no later report of the same patients found"
        when = f"the {f['cutoff']} cut-off" if f["cutoff"] else f"the report of {cite(f['ref'])}"
        return f"a later report of the same patients than {when}: " + "; ".join(_newer(r, cite) for r in f["newer"])
    raise KeyError(kind)


HEADLINE_WORDS = 30

# What was not read behind a claim whose verdict a problem established from what was read decides
# (a caveat or worse outranks "unverified"): said beside that problem, so that a reader does not take
# the figure itself for confirmed. By the fact's status (the source check) or, for a figure no source
# prints and the printed ones do not pin down, by the derivation check.
_NOT_READ = {
    "abstract_only": "only an abstract or excerpt of the source was read",
    "not_in_full_text": "the full text read does not print it",
    "no_source": "no primary source for it was identified",
    "sheet_only": "it comes from the starting sheet and was not found again in a source read",
}


def unread(kind: str, f: dict, thing: str, short: bool = False) -> str:
    """That the figure or statement (`thing`) behind a caveat or worse was itself not read, from the
    fields of the check that found it unread; `short`: for a headline."""
    if short:  # within UNREAD_WORDS, so that it fits beside a short meaning (HEADLINE_WORDS in all)
        return f"The {thing} itself was not read in the source."
    if kind == "derivation":
        return (f"The {thing} itself is not printed in any source read, and the printed figures do not "
                "pin it down.")
    return f"The {thing} itself was not read in the source ({_NOT_READ[f['status']]}), so it is unconfirmed."


# The words a headline's note of what was not read takes ("The statement itself was not read in the
# source."): a short meaning that may stand beside it has at most HEADLINE_WORDS - UNREAD_WORDS.
UNREAD_WORDS = 9


def explain(kind: str, f: dict, cite: Cite = _key, short: bool = False) -> str:
    """What a failed check means for a reader, in one sentence; `short`: without the groups' names,
    for a headline that must stay within HEADLINE_WORDS."""
    if kind in _EXPLAIN:
        return _EXPLAIN[kind](f, cite, short)
    if kind == "population" and short:
        return ("The evidence covers a narrower group than the guide names." if f["relation"] == "wider"
                else "The result belongs to another group of patients than the one the guide names.")
    if kind == "population":
        if f["relation"] == "wider":
            return f"Shown only for {f['fact_group']}; it may not hold for all {f['claim_group']}."
        return f"The result belongs to {f['fact_group']}, not to {f['claim_group']}."
    if kind == "species" and short and f.get("extrapolated"):
        return f"The evidence comes from {_species(f['fact_species'])}, not from patients."
    if kind == "measure" and short:
        return "A ratio to total plasma concentration understates the unbound drug reaching the CSF."
    if kind == "species":
        if f.get("extrapolated"):
            return (f"The evidence comes from {_species(f['fact_species'])}; whether it holds in patients "
                    "has not been shown by the source.")
        return f"The source studied {_species(f['fact_species'])}, not {_species(f['claim_species'])}."
    if kind == "drug class":
        if not f["studied"]:
            return (f"The evidence names no drug of the class; it does not show the finding for "
                    f"{_class_named(f)}.")
        if f.get("extent"):
            return (f"Only {_names(f['studied'])} {_was(f['studied'])} studied; that does not show it for "
                    f"{_class_named(f)}, as the guide states it.")
        return (f"Only {_names(f['studied'])} {_was(f['studied'])} studied; the finding may not hold for other "
                f"{f['drug_class']}.")
    if kind == "strength":
        return (f"The evidence is {_a(f['design'])}, which cannot settle the question the way the guide "
                "says it does.")
    if kind == "measure":
        return ("A ratio to total plasma concentration understates how much unbound drug reaches the CSF "
                "for a protein-bound drug; compare against unbound plasma instead.")
    if kind == "end point":
        return (f"The figure is {f['fact_endpoint']}, not {f['claim_endpoint']}; the two measure different "
                "things and should not be compared or pooled.")
    if kind == "assessor" and f["fact_assessor"] == "not stated":
        return "Who assessed the response is not confirmed by the source read."
    if kind == "assessor":
        return (f"The source reports {f['fact_assessor']} assessment, not {f['claim_assessor']}; the two "
                "often differ.")
    if kind == "currency":
        return "A later report of the same patients exists; quote its figures rather than the earlier ones."
    raise KeyError(kind)


# The figure and label checks' words are in modules of their own, one entry each by kind.
_SAY = wording_figures.SAY | wording_labels.SAY
_EXPLAIN = wording_figures.EXPLAIN | wording_labels.EXPLAIN
_RECOMPUTED = wording_figures.RECOMPUTED | wording_labels.RECOMPUTED
RECOMPUTING = frozenset(_RECOMPUTED)  # the kinds of check that recompute something


def recomputed(kind: str, f: dict) -> str | None:
    """What a check recomputed, as the audit's column shows it (None: nothing)."""
    render = _RECOMPUTED.get(kind)
    return None if render is None else render(f)
