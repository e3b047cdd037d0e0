"""Executing the book's notebooks: every notebook Sphinx is about to read, concurrently, before
reading starts (myst-nb then renders the fresh outputs); the execution cache the test suite uses;
and the dependencies that make an edited table re-execute every notebook."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

from ..engine import data
from .project import ROOT
from ..engine.data import DataError, load_all


def inputs(root: Path = ROOT) -> list[Path]:
    """Everything a notebook's numbers are computed from: the tables, the bibliography and the
    package itself."""
    files = sorted((root / "data").rglob("*.csv")) + [root / "data" / "guides.csv", root / "references.bib"]
    files += sorted((root / "cnsaudit").glob("*.py"))
    return sorted(set(files))


def _note_inputs(app, docname, source) -> None:
    # Sphinx re-reads only documents whose own source changed; without these dependencies,
    # editing a CSV would leave every page showing the old numbers.
    if Path(app.env.doc2path(docname)).suffix == ".ipynb":
        for path in inputs():
            app.env.note_dependency(str(path))
        executed = _EXECUTED.get(docname)
        if executed is not None:
            source[0] = executed


# --- executing the notebooks, concurrently ------------------------------------------------------
#
# myst-nb executes notebooks one after another. Every notebook Sphinx is about to read is executed
# here instead, one kernel per core, before reading starts; myst-nb (execution mode "off") then
# renders the fresh outputs. A failing cell stops the build with the cell's error.

_EXECUTED: dict[str, str] = {}


class NotebookExecutionError(Exception):
    pass


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def execute_notebook(path: Path, timeout: int = 300) -> str:
    """Run a notebook top to bottom in a fresh kernel from its own folder; return its JSON."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    # IPC transport: the kernel talks over Unix sockets in a private folder, not over TCP, so it
    # neither opens ports nor prints ipykernel's "running over TCP without encryption" warning.
    # Each kernel gets its own folder: kernels started at once never race for a socket name.
    with tempfile.TemporaryDirectory(prefix="cnsaudit-kernel-") as sockets:
        # The async manager nbclient expects: with a blocking KernelManager nbclient never notices
        # that a cell has outrun its timeout (measured: a 2 s timeout let an 8 s cell finish).
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(cleanup_kc=True)  # nbclient leaves a kernel it did not start running
        except CellExecutionError as exc:
            raise NotebookExecutionError(f"{_shown(path)}: a cell failed:\n{exc}") from None
        except CellTimeoutError:
            # The cell is still running: stop its kernel and close its channels, or both outlive
            # the build.
            from jupyter_core.utils import run_sync

            if client.kc is not None:
                client.kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise NotebookExecutionError(f"{_shown(path)}: a cell ran longer than the execution "
                                         f"timeout ({timeout} s, `execute: timeout` in _config.yml)") from None
    return nbformat.writes(nb)


# --- an execution cache, for the test suite only ----------------------------------------------------
#
# A reader's build always executes every notebook. The test suite builds the same book several
# times (HTML, PDF, a second build for determinism) and sets CNSAUDIT_EXECUTION_CACHE to one folder
# for all of them: a notebook is then executed once per content of everything it is computed from
# (its code, every table in force, the bibliography and the package, the interpreter), and every
# later build of the same inputs renders that execution. Editing any input changes the key, so the
# cache can never show numbers older than the data.

EXECUTION_CACHE = "CNSAUDIT_EXECUTION_CACHE"


def execution_key(path: Path, root: Path = ROOT) -> str:
    import nbformat

    digest = hashlib.sha256(sys.version.encode())
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            digest.update(b"\0cell\0" + cell.source.encode())
    tables = data.data_dir()
    files = sorted(tables.rglob("*.csv")) + [data.bib_file()]
    files += sorted((root / "cnsaudit").glob("*.py"))
    for file in files:
        name = file.relative_to(tables).as_posix() if file.is_relative_to(tables) else file.name
        digest.update(b"\0file\0" + name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def execute_cached(path: Path, timeout: int, root: Path = ROOT) -> tuple[str, bool]:
    """The executed notebook's JSON, and whether it came from the cache."""
    folder = os.environ.get(EXECUTION_CACHE)
    if not folder:
        return execute_notebook(path, timeout), False
    entry = Path(folder) / f"{path.stem}-{execution_key(path, root)}.ipynb"
    if entry.is_file():
        return entry.read_text(encoding="utf-8"), True
    executed = execute_notebook(path, timeout)
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(executed, encoding="utf-8")
    partial.replace(entry)  # atomic: a build reading at the same moment sees all of it or none
    return executed, False


def _validate_data_first() -> None:
    """Stop before any kernel starts when a table is bad: the message names file, row and column."""
    from sphinx.errors import ExtensionError

    try:
        load_all()
    except DataError as exc:
        raise ExtensionError(f"data/ is not valid, so no notebook is executed:\n{exc}") from None


def _execute_before_reading(app, env, docnames) -> None:
    from concurrent.futures import ThreadPoolExecutor

    if not app.config.cnsaudit_execute:
        return
    notebooks = [d for d in docnames if Path(env.doc2path(d)).suffix == ".ipynb"]
    if notebooks:
        _validate_data_first()
    workers = max(1, min(len(notebooks), int(os.environ.get("CNSAUDIT_KERNELS", 0)) or (os.cpu_count() or 1)))
    # `execute: timeout` in _config.yml, which Jupyter Book passes on as nb_execution_timeout.
    timeout = int(getattr(app.config, "nb_execution_timeout", 300))
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {d: pool.submit(execute_cached, Path(env.doc2path(d)), timeout, Path(app.srcdir))
                   for d in notebooks}
    failures, cached = [], 0
    for docname, future in futures.items():
        try:
            _EXECUTED[docname], hit = future.result()
            cached += hit
        except NotebookExecutionError as exc:
            failures.append(str(exc))
    if notebooks:
        # benchmarks/run.py reads this line to separate execution from Sphinx's own time.
        from sphinx.util import logging

        reused = f" ({cached} taken from {EXECUTION_CACHE})" if cached else ""
        logging.getLogger(__name__).info(f"cnsaudit: executed {len(notebooks)} notebooks with {workers} "
                                         f"kernels in {time.perf_counter() - start:.2f} s{reused}")
    if failures:
        from sphinx.errors import ExtensionError

        raise ExtensionError("notebook execution failed:\n" + "\n".join(failures))
