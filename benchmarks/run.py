"""Benchmarks of the book on the machine it runs on (not a timed test: it prints, it never fails).

    .venv/bin/python benchmarks/run.py            # build, rebuild, tests, floor, audit scaling
    .venv/bin/python benchmarks/run.py --record   # the reader's steps on a fresh clone, written
                                                  # to data/reproduce/timings.csv

Prints: a clean forced build; a no-change rebuild; a rebuild after editing one data table; the
whole test suite; the floor (for each notebook, a kernel start plus the same imports) and the ratio
of the clean build to it; and the audit engine on the book's claims replicated 100 times, with
1x/10x/100x timings to show whether it grows linearly.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnsaudit import audit, data  # noqa: E402
from cnsaudit.sphinx_ext import book_notebooks  # noqa: E402

JB = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT)]


def timed(cmd, **kw) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed


def floor_seconds() -> float:
    """Kernel start plus the notebook's own import lines, for every notebook of the book."""
    total = 0.0
    for path in book_notebooks():
        nb = nbformat.read(path, as_version=4)
        imports = [line for cell in nb.cells if cell.cell_type == "code"
                   for line in cell.source.splitlines() if line.startswith(("import ", "from "))]
        probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(imports))])
        start = time.perf_counter()
        NotebookClient(probe, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        total += time.perf_counter() - start
    return total


def audit_scaling(tables: data.Tables) -> dict[int, float]:
    import pandas as pd

    out = {}
    for factor in (1, 10, 100):
        claims = pd.concat([tables.claims.assign(claim_id=tables.claims["claim_id"] + f"-r{i}")
                            for i in range(factor)], ignore_index=True)
        replicated = dataclasses.replace(tables, claims=claims)
        start = time.perf_counter()
        audit.run(replicated)
        out[factor] = time.perf_counter() - start
    return out


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        out = ["--path-output", tmp]
        clean = timed(JB + out)
        nochange = timed(JB + out)
        table = ROOT / "data" / "claims" / "entrectinib.csv"
        original = table.read_bytes()
        try:
            table.write_bytes(original + b"")  # same content, new mtime: Sphinx sees an edit
            os.utime(table)
            edited = timed(JB + out)
        finally:
            table.write_bytes(original)
    floor = floor_seconds()
    tests = timed([sys.executable, "-m", "pytest", "-q", "-x"], cwd=ROOT)
    scaling = audit_scaling(data.load())
    n = len(data.load().claims)
    print(f"clean forced build:            {clean:6.1f} s")
    print(f"no-change rebuild:             {nochange:6.1f} s   (target < 2 s)")
    print(f"rebuild after editing a table: {edited:6.1f} s")
    print(f"whole test suite:              {tests:6.1f} s")
    print(f"floor (kernel + imports, {len(book_notebooks())} notebooks): {floor:5.1f} s")
    print(f"clean build / floor:           {clean / floor:6.2f}     (target <= 1.3)")
    for factor, seconds in scaling.items():
        print(f"audit of {factor:>3} x {n} claims:     {seconds:6.2f} s")
    print(f"growth 10x -> 100x:            {scaling[100] / scaling[10]:6.1f} x (linear: 10 x; target 100x < 2 s)")


# The steps a reader takes, in order, each run in a fresh clone of the committed sources with
# nothing beside it; the "Reproduce this book" page shows what they took.
READER_STEPS = [
    ("setup", "create .venv and install the pinned packages (first run only)", "bash scripts/setup.sh"),
    ("build", "build the HTML book (README command; set-up already done)", "bash scripts/build-book.sh"),
    ("test", "run the whole test suite (README command)", "bash scripts/test.sh"),
    ("notebook", "re-execute one chapter", ".venv/bin/python scripts/execute_notebooks.py chapters/entrectinib.ipynb"),
    ("audit", "print the whole audit as CSV", ".venv/bin/python -m cnsaudit audit"),
]


def record_reader_steps() -> None:
    import csv
    from datetime import date

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CNSAUDIT_SEEDS")}
        for step, what, command in READER_STEPS:
            print(f"{step}: {command}", flush=True)
            seconds = timed(["bash", "-c", command], cwd=clone, env=env)
            note = {"setup": "pip's download cache was warm and graphviz was already installed",
                    "test": "Chromium and TeX Live were already installed; a first run installs them"}.get(step)
            rows.append({"step": step, "what": what, "command": command, "seconds": f"{seconds:.0f}",
                         "cores": str(os.cpu_count()), "python": sys.version.split()[0],
                         "measured": date.today().isoformat(), "note": note or ""})
    target = ROOT / "data" / "reproduce" / "timings.csv"
    target.parent.mkdir(exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    if sys.argv[1:] == ["--record"]:
        record_reader_steps()
    else:
        main()
