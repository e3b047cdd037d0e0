"""Shared fixtures: the validated tables, the audit, and a scratch copy of data/ to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


from cnsaudit.engine import audit, data, excerpt

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    """Mark the end-to-end tests slow: every nbval cell (a kernel per notebook) and every test
    that reads the shared book build; the ones that build on their own are marked in their files."""
    for item in items:
        if type(item).__name__ == "IPyNbCell" or "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def tables():
    return data.load()


@pytest.fixture(scope="session")
def results(tables):
    return audit.run(tables)


@pytest.fixture
def guide_texts() -> Path:
    """The folder of guide texts, for the checks that need them; skipped with a one-line reason on a
    reader's clone, which has none. CI sets CNSAUDIT_REQUIRE_GUIDES=1 where it puts them beside the
    clone, so that there these checks cannot be skipped by accident."""
    folder = data.guide_texts()
    if folder is None:
        if os.environ.get("CNSAUDIT_REQUIRE_GUIDES") == "1":
            pytest.fail(data.no_guide_texts_reason())
        pytest.skip(data.no_guide_texts_reason())
    return folder


@pytest.fixture
def no_guide_texts(tmp_path, monkeypatch) -> Path:
    """An empty guide-text folder in force: what a reader's clone has."""
    empty = tmp_path / "no-guides"
    empty.mkdir()
    monkeypatch.setenv("CNSAUDIT_SEEDS", str(empty))
    return empty


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/, made the default for data.load() during the test."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv("CNSAUDIT_DATA", str(copy))
    return copy


def verdict_of(claim_id: str) -> str:
    """The verdict the audit gives a claim, on the data folder currently in force."""
    return audit.run(data.load()).set_index("claim_id").loc[claim_id, "verdict"]


def edit_cell(path: Path, key_column: str, key: str, column: str, value: str,
              follow_excerpt: bool = True) -> None:
    """Set one cell of a CSV in place, leaving every other cell as written. An evidence row edited this
    way stands for a source that prints something else, so its excerpt follows (see
    `_excerpt_following`) unless `follow_excerpt` is False, as when a test breaks the attribution."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hits = df.index[df[key_column] == key]
    assert len(hits) == 1, f"{key!r} not found once in {path}"
    df.loc[hits[0], column] = value
    if follow_excerpt and {"excerpt", "status", "fact_id"} <= set(df.columns) and column != "excerpt":
        df.loc[hits[0], "excerpt"] = _excerpt_following(df.loc[hits[0]], column, value)
    df.to_csv(path, index=False)


def add_row(path: Path, **cells: str) -> None:
    """Append one row to a CSV, every column not given left empty; a column it lacks is an error."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = set(cells) - set(df.columns)
    assert not unknown, f"no such columns in {path.name}: {sorted(unknown)}"
    pd.concat([df, pd.DataFrame([{c: cells.get(c, "") for c in df.columns}])]).to_csv(path, index=False)


def _excerpt_following(row: pd.Series, column: str, value: str) -> str:
    """The excerpt of an evidence row after one of its cells changed: none unless it is printed; the
    new figure added to the source's words, so that the audit, not the attribution check, answers."""
    if row["status"] != "printed":
        return ""
    figures = [row[c] for c in excerpt.FIGURE_COLUMNS if row[c]]
    if not row["excerpt"]:
        return "a source printing " + ", ".join(figures) if figures else "a source printing it"
    if column in excerpt.FIGURE_COLUMNS and value:
        return f"{row['excerpt']} [{value}]"
    return row["excerpt"]


def unread(evidence: Path, fact_id: str, status: str = "abstract_only") -> None:
    """Make an evidence row one that was not read in full: no value, no excerpt, and the given
    status, with the worklist's row that every unread fact needs (what to read, or what kind of
    source to find)."""
    edit_cell(evidence, "fact_id", fact_id, "value", "")
    edit_cell(evidence, "fact_id", fact_id, "status", status)
    to_read = evidence.parent.parent / "to-read.csv"
    rows = pd.read_csv(to_read, dtype=str, keep_default_na=False)
    rows = rows[rows["fact_id"] != fact_id]
    row = {"fact_id": fact_id, "look_in": "", "source_kind": ""}
    row["source_kind" if status == "no_source" else "look_in"] = (
        "original paper" if status == "no_source" else "results")
    pd.concat([rows, pd.DataFrame([row])]).to_csv(to_read, index=False)


def strict_build(out: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A strict build of the book (-W -n --keep-going) into `out`."""
    jb = Path(sys.executable).parent / "jupyter-book"
    return subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going", *extra,
                           "--path-output", str(out)], capture_output=True, text=True, check=False,
                          env=env)


@pytest.fixture(scope="session", autouse=True)
def execution_cache(tmp_path_factory) -> Path:
    """One execution cache for every book build of this run (cnsaudit.book.sphinx_ext): the HTML, PDF
    and second determinism builds then execute each notebook once per content of its inputs.
    nbval never uses it: it always executes afresh and compares with the committed outputs."""
    from cnsaudit.book.sphinx_ext import EXECUTION_CACHE

    # Under pytest-xdist each worker's temporary folder sits in the run's common one (the
    # `worker_id` fixture is absent when xdist is not loaded at all, as in a scaffolded guide's test).
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "executions"
    folder.mkdir(exist_ok=True)
    saved = os.environ.get(EXECUTION_CACHE)
    os.environ[EXECUTION_CACHE] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop(EXECUTION_CACHE, None)
    else:
        os.environ[EXECUTION_CACHE] = saved


@pytest.fixture(scope="session")
def built_root(tmp_path_factory, worker_id) -> Path:
    """The folder holding one strict build of the whole book (html and doctrees), made once per
    test session and shared by every test that reads it.

    Under pytest-xdist each worker has its own session, so the first worker to get here builds
    into the run's common temporary folder while holding a lock, and the others wait and reuse it.
    """
    if worker_id == "master":
        out = tmp_path_factory.mktemp("book")
        proc = strict_build(out)
        (out / "build.log").write_text(proc.stdout + proc.stderr)
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
        return out
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, common to all workers
    out, done = shared / "book", shared / "book.done"
    with open(shared / "book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            proc = strict_build(out)
            out.mkdir(parents=True, exist_ok=True)
            (out / "build.log").write_text(proc.stdout + proc.stderr)
            # A failed build is recorded too, so the other workers fail at once instead of rebuilding.
            done.write_text("ok" if proc.returncode == 0 else proc.stdout[-4000:] + proc.stderr[-4000:])
    assert done.read_text() == "ok", done.read_text()
    return out


@pytest.fixture(scope="session")
def build_log(built_root) -> str:
    """What the shared strict build printed."""
    return (built_root / "build.log").read_text()


@pytest.fixture(scope="session")
def built(built_root) -> Path:
    """The shared strict build's HTML site."""
    return built_root / "_build" / "html"


def toc_pages() -> list[str]:
    """The HTML page of every file in _toc.yml, relative to the site root."""
    from cnsaudit.book.sphinx_ext import toc_docnames

    return [f"{name}.html" for name in toc_docnames()]


@pytest.fixture(scope="module")
def site(built):
    """The built site served on a free local port."""
    import functools
    import http.server
    import threading

    from .browser_support import QuietHandler

    handler = functools.partial(QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from .browser_support import CHROMIUM, FLAGS

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is not installed (scripts/setup.sh installs it)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()
