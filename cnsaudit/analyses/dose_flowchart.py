"""The dose-adjustment flowchart of one label version, drawn from the rule rows only, so the picture
cannot drift from the calculator (:mod:`cnsaudit.analyses.dosing`)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .dose_results import DoseInputError
from ..engine.dose_rules import CHILD_PUGH, DRUG_CLASSES, MAX_LEVEL, _rows, load_rules


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
