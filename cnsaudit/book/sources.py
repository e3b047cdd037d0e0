"""The notebooks' MyST Markdown text forms (jupytext), the files people edit and review.

Each notebook of the book is paired with ``sources/<name>.md`` in its own folder (jupytext.toml):
``intro.ipynb`` with ``sources/intro.md``, ``chapters/x.ipynb`` with ``chapters/sources/x.md``.
The executed ``.ipynb`` stays, because nbval compares its stored outputs and the book renders them.
"""

from __future__ import annotations

from pathlib import Path

FORMAT = "md:myst"


def text_form(notebook: Path) -> Path:
    return notebook.parent / "sources" / f"{notebook.stem}.md"


def take_inputs_from_text(notebook: Path) -> bool:
    """Copy the text form's cells into the notebook, keeping the notebook's outputs and cell ids
    where the cells still match (jupytext's own pairing). False when there is no text form."""
    import jupytext
    import nbformat
    from jupytext.combine import combine_inputs_with_outputs

    md = text_form(notebook)
    if not md.is_file():
        return False
    combined = combine_inputs_with_outputs(jupytext.read(md), nbformat.read(notebook, as_version=4), fmt=FORMAT)
    # jupytext.toml holds the pairing; a copy in each notebook would only be one more thing to differ.
    combined.metadata.pop("jupytext", None)
    nbformat.write(combined, notebook)
    return True


def write_text_form(notebook: Path) -> Path:
    import jupytext

    md = text_form(notebook)
    md.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(jupytext.read(notebook), md, fmt=FORMAT)
    return md


def out_of_sync(notebook: Path) -> str | None:
    """Why a notebook and its text form differ (cell types, sources or metadata), or None."""
    import jupytext
    from jupytext.compare import NotebookDifference, compare_notebooks

    md = text_form(notebook)
    if not md.is_file():
        return f"{md} is missing"
    try:
        compare_notebooks(jupytext.read(md), jupytext.read(notebook), fmt=FORMAT)
    except NotebookDifference as exc:
        return str(exc)
    return None
