"""Benchmarks of the book on the machine it runs on (not a timed test: it prints, it never fails).

    .venv/bin/python benchmarks/run.py            # build, rebuild, tests, floor, audit scaling
    .venv/bin/python benchmarks/run.py --record   # the reader's steps on a fresh clone, written
                                                  # to data/reproduce/timings.csv

Prints: a clean forced build; a no-change rebuild; a rebuild after editing one data table; the
whole test suite, measured in the same run as the clean build, and its ratio to it (target <= 3);
two floors for the clean build, with its ratio to each: the serial floor (for each notebook, a
kernel start plus the same imports, one after another) and the concurrent floor (the same kernel
starts and imports divided across the kernels the build used, plus Sphinx's own time on the same
pages, i.e. the clean build less the execution time the build reports); and the audit engine on the
book's claims replicated 1,000 times, with 1x/10x/100x/1000x timings to show whether it grows linearly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cnsaudit.engine import data  # noqa: E402
from scaling import audit_scaling  # noqa: E402  (beside this script)
from cnsaudit.book.project import book_notebooks  # noqa: E402

JB = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT)]


def timed(cmd, **kw) -> float:
    return timed_output(cmd, **kw)[0]


def timed_output(cmd, **kw) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed, proc.stdout + proc.stderr


def timed_run(cmd, **kw) -> tuple[float, str]:
    """Elapsed time and pytest's summary line; a failing suite is timed and reported, not hidden."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return elapsed, (lines[-1] if lines else f"exit {proc.returncode}")


EXECUTED = re.compile(r"cnsaudit: executed (\d+) notebooks with (\d+) kernels in ([\d.]+) s")


def floor_seconds() -> float:
    """Kernel start plus the notebook's own import lines, for every notebook of the book."""
    total = 0.0
    for path in book_notebooks():
        nb = nbformat.read(path, as_version=4)
        imports = [line for cell in nb.cells if cell.cell_type == "code"
                   for line in cell.source.splitlines() if line.startswith(("import ", "from "))]
        probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("\n".join(imports))])
        # The same kernel set-up as the build's (IPC transport, a private socket folder).
        with tempfile.TemporaryDirectory(prefix="cnsaudit-kernel-") as sockets:
            km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
            start = time.perf_counter()
            NotebookClient(probe, km=km, resources={"metadata": {"path": str(path.parent)}}).execute()
            total += time.perf_counter() - start
    return total


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = ["--path-output", tmp]
        clean, log = timed_output(JB + ["-W", "-n", "--keep-going"] + out)
        nochange = timed(JB + out)
        table = ROOT / "data" / "claims" / "entrectinib.csv"
        original = table.read_bytes()
        try:
            table.write_bytes(original + b"")  # same content, new mtime: Sphinx sees an edit
            os.utime(table)
            edited = timed(JB + out)
        finally:
            table.write_bytes(original)
    executed = EXECUTED.search(log)
    if executed is None:
        raise SystemExit("the build did not report its execution time (cnsaudit.book.sphinx_ext)")
    n_notebooks, kernels, execution = int(executed[1]), int(executed[2]), float(executed[3])
    sphinx_own = clean - execution
    # The suite right after the clean build, on the same machine and load: the README's command
    # without the set-up step (pytest with the options in pyproject.toml).
    suite, suite_ok = timed_run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT)
    fast, fast_ok = timed_run([sys.executable, "-m", "pytest", "-q", "-m", "not slow"], cwd=ROOT)
    floor = floor_seconds()
    concurrent_floor = floor / kernels + sphinx_own
    scaling = audit_scaling(data.load())
    n = len(data.load().claims)
    print(f"clean forced build:            {clean:6.1f} s   ({n_notebooks} notebooks executed in "
          f"{execution:.1f} s on {kernels} kernels; Sphinx's own time {sphinx_own:.1f} s)")
    print(f"no-change rebuild:             {nochange:6.1f} s   (target < 2 s)")
    print(f"rebuild after editing a table: {edited:6.1f} s")
    print(f"whole test suite:              {suite:6.1f} s   {suite_ok}")
    print(f"suite / clean build:           {suite / clean:6.2f}     (target <= 3)")
    print(f"-m 'not slow' tests:           {fast:6.1f} s   (target < 30 s)   {fast_ok}")
    print(f"serial floor (kernel + imports, {len(book_notebooks())} notebooks, one after another): {floor:5.1f} s")
    print(f"clean build / serial floor:    {clean / floor:6.2f}")
    print(f"concurrent floor ({floor:.1f} s / {kernels} kernels + Sphinx {sphinx_own:.1f} s): "
          f"{concurrent_floor:5.1f} s")
    print(f"clean build / concurrent floor:{clean / concurrent_floor:6.2f}")
    for factor, seconds in scaling.items():
        print(f"audit of {factor:>4} x {n} claims:    {seconds:6.2f} s")
    print(f"growth 100x -> 1000x:          {scaling[1000] / scaling[100]:6.1f} x (linear: 10 x; target 1000x < 10 s)")


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
