"""Figures shared by the chapters. Each returns a matplotlib Figure; notebooks end with plt.show()."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..engine.printed import parse
from . import end_points

# Figures re-rendered from unchanged data must come out byte for byte the same, so that a data-only
# change rewrites only the outputs it changes: SVG ids from a fixed salt instead of a random one,
# and no creation date in SVG or PNG files saved from here.
plt.rcParams["svg.hashsalt"] = "cnsaudit"
QUIET_METADATA = {"svg": {"Date": None}, "png": {"Software": None}, "pdf": {"CreationDate": None}}


def figure_bytes(fig, fmt: str = "png") -> bytes:
    """A figure as the bytes of one file format, with no metadata that changes from run to run."""
    import io

    out = io.BytesIO()
    fig.savefig(out, format=fmt, metadata=QUIET_METADATA.get(fmt))
    return out.getvalue()

# Colour-blind-safe (Okabe–Ito) and distinguishable in grey by marker as well.
COLOURS = {"printed": "#0072B2", "derived": "#E69F00", "yes": "#0072B2", "no": "#D55E00"}
_MARKERS = {"point": "o", "range": "s", "at_least": "^", "greater_than": "^", "approx": "D",
            "at_most": "v", "less_than": "v"}


def ratio_panel(ax, rows: pd.DataFrame, title: str, log: bool = True) -> None:
    """One panel of a measured ratio per drug: marker shape says how it was printed (a range, a
    lower bound, an approximate value); colour says whether it was measured at steady state."""
    for i, r in enumerate(rows.itertuples()):
        p = parse(r.value)
        colour = COLOURS.get(getattr(r, "steady_state", None) or "", "#555555")
        if p.kind == "range":
            ax.plot([float(p.low), float(p.high)], [i, i], color=colour, lw=3)
        ax.plot(float(p.low), i, _MARKERS[p.kind], color=colour, ms=9)
        if p.kind in ("at_least", "greater_than"):
            ax.annotate("", xy=(float(p.low) * 1.6, i), xytext=(float(p.low), i),
                        arrowprops={"arrowstyle": "->", "color": colour})
        ax.text(float(p.high) * 1.08 if log else float(p.high) + 0.05, i + 0.22, r.value,
                fontsize=9, color="#222222")
    ax.set_yticks(range(len(rows)), rows["drug"])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)


def forest(frame: pd.DataFrame, label_col: str = "population", ax=None, xlabel: str | None = None,
           marks: dict[str, float] | None = None, mark_legend: bool = False):
    """Forest plot of proportions of one end point and assessor with exact 95% intervals; derived
    counts drawn hollow. Rates of unlike end points or assessors are refused (`forest_by` draws one
    panel for each); the x axis names the end point and assessor unless `xlabel` is given.

    Each row's label is written above its interval, across the plot, so the figure keeps one
    narrow width (about 5 inches at 11 pt) whatever the labels: shown at a phone's 358 px it is
    scaled by about 0.7, and its text stays near 11 px. `marks` draws a guide's figure (a cross)
    on the rows it names, by their label (`mark_legend`: explain the cross even with none here)."""
    from textwrap import wrap

    endpoint, assessor = end_points.one(frame, label_col)
    if xlabel is None:
        xlabel = f"{endpoint} (assessed by: {assessor}), %"
    unknown = set(marks or {}) - set(frame[label_col])
    if unknown:
        raise KeyError(f"marks name rows the figure does not have: {', '.join(sorted(unknown))}")

    labels = ["\n".join(wrap(str(v), 50)) for v in frame[label_col]]
    lines = [label.count("\n") + 1 for label in labels]
    # Each row, in inches: a gap from the row above, its label's lines, then the interval just below.
    heights = [0.3 + 0.28 * n + 0.22 for n in lines]
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.2, sum(heights) + 1.3))
    else:
        fig = ax.figure
    y, ticks = 0.0, {}
    for r, label, n in zip(frame.to_dict("records"), labels, lines):
        y += 0.3 + 0.28 * n + 0.22
        derived = "derived" in r["counts"]
        colour = COLOURS["derived" if derived else "printed"]
        ax.text(0.5, y - 0.16, label, va="bottom", ha="left", fontsize=11)
        ax.plot([r["_low"], r["_high"]], [y, y], color=colour, lw=2)
        ax.plot(r["_pct"], y, "o", ms=8, color=colour, mfc="white" if derived else colour, mew=2)
        ax.text(101, y, f"{r['_k']}/{r['_n']}", va="center", fontsize=11)
        ticks[r[label_col]] = y
    for name, value in (marks or {}).items():
        ax.plot(float(value), ticks[name], "x", color="#D55E00", ms=10, mew=2.5)
    ax.set_yticks([])
    ax.set_ylim(y + 0.3, 0)
    ax.set_xlim(0, 100)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(f"{xlabel},\nwith exact 95% interval", fontsize=11)
    ax.plot([], [], "o", color=COLOURS["printed"], label="counts printed")
    ax.plot([], [], "o", color=COLOURS["derived"], mfc="white", mew=2, label="counts derived")
    if marks or mark_legend:
        ax.plot([], [], "x", color="#D55E00", ms=10, mew=2.5, label="guide's figure")
    # The legend goes above the plot, outside the data: inside, its marker read as a data point.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=11, frameon=False)
    ax.tick_params(labelsize=11)
    fig.tight_layout()
    return fig


def _panel_height(group: pd.DataFrame, label_col: str) -> float:
    """The inches `forest` gives a panel's rows (labels wrapped at 50 characters)."""
    from textwrap import wrap

    return sum(0.3 + 0.28 * len(wrap(str(v), 50)) + 0.22 for v in group[label_col]) + 0.3


def forest_by(frame: pd.DataFrame, by: list[str] | None = None, label_col: str = "population",
              marks: dict[str, float] | None = None):
    """One forest panel per end point and assessor (and any further column of `by`), stacked at the
    phone-readable width `forest` uses, sorted by end point and assessor: rates of unlike end
    points are never drawn under one heading. `marks` as in `forest`, by row label."""
    by = list(by or end_points.COLUMNS)
    missing = [c for c in end_points.COLUMNS if c not in by]
    if missing:
        raise end_points.UnlikeEndPoints(f"panels must be drawn by {' and '.join(missing)} as well")
    groups = list(frame.groupby(by, sort=True))
    heights = [_panel_height(g, label_col) for _, g in groups]
    fig, axes = plt.subplots(len(groups), 1, squeeze=False,
                             figsize=(5.2, sum(heights) + 1.2 * len(groups) + 0.6),
                             gridspec_kw={"height_ratios": heights})
    for ax, (key, group) in zip(axes[:, 0], groups):
        own = {k: v for k, v in (marks or {}).items() if k in set(group[label_col])}
        forest(group.reset_index(drop=True), label_col, ax=ax, xlabel="rate (%)", marks=own or None,
               mark_legend=bool(marks) and ax is axes[0, 0])
        key = key if isinstance(key, tuple) else (key,)
        ax.set_title("\n".join(f"{name}: {value}" for name, value in zip(by, key)), fontsize=11, loc="left",
                     pad=(46 if marks else 28) if ax is axes[0, 0] else 6)  # room for the legend's rows
        if ax is not axes[0, 0]:
            ax.get_legend().remove()
    fig.tight_layout()
    return fig


VERDICT_COLOURS = {"consistent": "#009E73", "caveat": "#56B4E9", "unverified": "#BBBBBB",
                   "inconsistent": "#E69F00", "contradicted": "#D55E00"}


def verdict_bars(counts: pd.DataFrame):
    """Stacked bars of claims per verdict for each guide (rows of report.verdict_counts, without
    the totals), one colour per verdict, counts written on each segment."""
    rows = counts.drop(index="all guides", errors="ignore").drop(columns="total", errors="ignore")
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(rows) + 1.4))
    left = [0] * len(rows)
    for verdict, colour in VERDICT_COLOURS.items():
        values = rows[verdict].tolist() if verdict in rows else [0] * len(rows)
        ax.barh(range(len(rows)), values, left=left, color=colour, label=verdict, edgecolor="white")
        for i, (v, start) in enumerate(zip(values, left)):
            if v:
                ax.text(start + v / 2, i, str(v), ha="center", va="center", fontsize=10)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(range(len(rows)), rows.index)
    ax.invert_yaxis()
    ax.set_xlabel("claims")
    ax.legend(ncol=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=10, frameon=False)
    ax.tick_params(labelsize=10)
    fig.tight_layout()
    return fig


class Diagram:
    """A Graphviz diagram drawn from DOT: SVG on the page, PNG in the PDF (pdflatex cannot include
    SVG). _config.yml makes the HTML builder prefer the SVG."""

    def __init__(self, dot_source: str):
        self.dot = dot_source

    def _render(self, fmt: str) -> bytes:
        import subprocess

        # Resolution for the PNG only: Graphviz scales an SVG's drawing by dpi/72 inside a viewBox
        # it leaves at 72 dpi, so at 150 dpi the page showed the drawing twice too large, cut off.
        dpi = ["-Gdpi=150"] if fmt == "png" else []
        return subprocess.run(["dot", f"-T{fmt}", *dpi], input=self.dot.encode(), capture_output=True,
                              check=True).stdout

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64
        import re

        svg = re.sub(r"<!-- Generated by graphviz version [^>]*-->\n?", "", self._render("svg").decode())
        return {"image/svg+xml": svg, "image/png": base64.b64encode(self._render("png")).decode("ascii"),
                "text/plain": "Graphviz diagram"}
