"""The forest plot keeps one narrow width whatever its labels, so that a phone shows it legibly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from cnsaudit.book import plots  # noqa: E402


def _rows(labels):
    return pd.DataFrame([{"population": label, "end point": "intracranial objective response",
                          "assessed by": "investigator", "counts": "printed", "_low": 20, "_high": 80, "_pct": 50,
                          "_k": 5, "_n": 10} for label in labels])


def test_a_long_label_wraps_instead_of_widening_the_figure():
    short = plots.forest(_rows(["a"]))
    long = plots.forest(_rows(["a cohort described at length " * 4]))
    try:
        assert short.get_size_inches()[0] == long.get_size_inches()[0] <= 5.5
        texts = [t.get_text() for t in long.axes[0].texts]
        assert any("\n" in t for t in texts)
        assert min(t.get_fontsize() for t in long.axes[0].texts) >= 11
    finally:
        plt.close(short)
        plt.close(long)


def test_a_guide_mark_is_drawn_on_the_row_it_names():
    fig = plots.forest(_rows(["first", "second", "third"]), marks={"third": 73})
    try:
        ax = fig.axes[0]
        bars = [line.get_ydata()[0] for line in ax.lines if len(line.get_xdata()) == 2]
        crosses = [line for line in ax.lines if line.get_marker() == "x" and len(line.get_xdata())]
        assert len(crosses) == 1 and crosses[0].get_xdata()[0] == 73
        assert crosses[0].get_ydata()[0] == bars[2]
    finally:
        plt.close(fig)
