"""Quiet diffs: a figure drawn twice from the same data, in two fresh interpreters, is the same
bytes, as the notebook stores it (inline PNG) and as SVG, so re-executing a notebook after an
unrelated data change leaves its figures untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

DRAW = """
import sys, base64
import pandas as pd
from IPython.core.pylabtools import print_figure
from cnsaudit.book import plots
counts = pd.DataFrame({"consistent": [3, 1], "caveat": [1, 0], "unverified": [2, 2], "inconsistent": [0, 1],
                       "contradicted": [1, 0]}, index=["guide a", "guide b"])
fig = plots.verdict_bars(counts)
if sys.argv[1] == "inline":
    data = print_figure(fig, "png")  # what the notebook's inline backend stores
else:
    data = plots.figure_bytes(fig, sys.argv[1])
sys.stdout.write(base64.b64encode(data).decode())
"""


def _draw(fmt: str) -> str:
    return subprocess.run([sys.executable, "-c", DRAW, fmt], capture_output=True, text=True, check=True,
                          env={"MPLBACKEND": "Agg", "PYTHONHASHSEED": "random", "PATH": ""}).stdout


@pytest.mark.parametrize("fmt", ["inline", "png", "svg"])
def test_a_figure_drawn_twice_is_the_same_bytes(fmt):
    first, second = _draw(fmt), _draw(fmt)
    assert first, "nothing was drawn"
    assert first == second, (f"the {fmt} figure differs between two runs on the same data: set what varies "
                             "(ids, dates) in cnsaudit/book/plots.py, or the notebook's diff will show it on every run")
