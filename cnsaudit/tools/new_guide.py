"""Scaffold what one more guide needs: ``python -m cnsaudit new-guide PATH --chapter NAME``.

It writes, in the repository at `root`:

- a row in ``data/guides.csv`` (file name, chapter, topic, publisher, date, sha256 of PATH);
- ``data/claims/NAME.csv`` and ``data/evidence/NAME.csv`` holding only the schema's headers;
- ``chapters/NAME.ipynb`` from a template that loads the tables, audits and shows the guide's
  claims, and its MyST text form ``chapters/sources/NAME.md`` (see README, "Edit a chapter");
- the toc entry in ``_toc.yml``, after the last chapter of the first part;
- ``tests/test_audit_NAME.py``, which checks every claim's verdict against what it lists;
- with ``--drug``, the compounds the guide is about in the schema's drug vocabulary.

- a row in ``data/number-claims.csv`` for every number printed in the guide (digits and number words
  such as "once", by line and position on the line, as ``tests/test_coverage.py`` counts them),
  with no claim yet: a proposed claim, which the coverage test reports until it names a claim or
  moves to ``data/exclusions.csv`` with a reason;
- the guide's title in ``data/quotes.csv`` (kind ``title``, its first line).

It returns every number as a candidate claim (line, position, the heading it sits under, number);
the command line writes them to a file outside the repository, or where the user names, and
prints the steps left to do by hand (:data:`CHECKLIST`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..engine import coverage, schema
from ..book.sources import write_text_form

# A number as guides print them: 63.6, 1,200, 0.5; a sign or bound stays with the word before it.
NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")
CHAPTER_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Candidate:
    line: int
    location: str
    number: str
    index: int = 1  # the number's position on its line, as data/number-claims.csv counts it


def _heading(lines: list[str], i: int) -> str | None:
    """The heading a line is, if it is one: a Markdown heading, or in plain text a short line in
    title case standing alone between blank lines."""
    line = lines[i].strip()
    if line.startswith("#"):
        return line.lstrip("#").strip() or None
    alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
    words = line.split()
    if not alone or not 2 <= len(words) <= 12 or len(line) > 80 or line[-1] in ".,;:!?" or not line[0].isupper():
        return None
    capitals = sum(w[0].isupper() for w in words if w[0].isalpha())
    return line if 2 * capitals >= len(words) else None


def candidates(text: str) -> list[Candidate]:
    """Every number in a guide (digits and number words, as the coverage check counts them), with
    its line, its position on the line and the heading it sits under (its location)."""
    lines = text.splitlines()
    under, heading = {}, "opening"
    for i in range(len(lines)):
        heading = _heading(lines, i) or heading
        under[i + 1] = heading
    return [Candidate(line, under[line], token, index) for line, index, token, _ in coverage.tokens(text)]


def title_line(text: str) -> tuple[int, str]:
    """The guide's first non-blank line, without Markdown's heading marks: its title."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            return number, line.strip().lstrip("#").strip()
    raise ValueError("the guide's text is empty")


# What is left to do by hand once the scaffold has run; the command prints it.
CHECKLIST = """Left to do by hand (CONTRIBUTING.md, "Add a guide"):
[ ] put the guide's text where the checks find it ($CNSAUDIT_SEEDS, or ../shared/seeds)
[ ] add claims to data/claims/{name}.csv and evidence to data/evidence/{name}.csv (references in
    references.bib with a DOI or PMID; a search row with an excerpt in data/searches.csv for every
    printed figure); a consequence for every claim; every group named in data/populations/{name}.csv;
    end point, assessor, design, class, strength and measure where they apply
[ ] for every number of the guide: name its claim ids in 'claims' of its row in
    data/number-claims.csv, or move the row to data/exclusions.csv with a reason
[ ] record each section heading in data/quotes.csv (kind 'heading', with the location prefixes of
    the claims under it)
[ ] fill EXPECTED in tests/test_audit_{module}.py; list the new claim ids in CHANGELOG.md
[ ] write the chapter in chapters/sources/{name}.md (numbers through glue, no file names in prose)
[ ] re-execute every notebook: .venv/bin/python scripts/execute_notebooks.py
[ ] git add the new files; bash scripts/build-book.sh; bash scripts/test.sh
"""


def _append_csv(path: Path, rows: list[dict]) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n").writerows(rows)


def _headers(table) -> list[str]:
    return list(table.columns)


def _chapter_notebook(name: str, topic: str):
    import nbformat

    key = name.replace("-", "_")
    cells = [
        nbformat.v4.new_markdown_cell(
            f"({name}-top)=\n# {topic}\n\n"
            f"The guide audited here is {{glue:text}}`{key}_guide`; this chapter shows its "
            f"{{glue:text}}`{key}_n_claims` claims recorded in `data/claims/{name}.csv`, each with its "
            "verdict. Add a section per part of the guide as its claims are recomputed."),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            "from myst_nb import glue\n\n"
            "from cnsaudit.book import report\nfrom cnsaudit.engine import audit, data\n\n"
            'pd.set_option("display.max_colwidth", None)\n'
            "tables = data.load()  # validates every table; a bad cell stops the chapter here\n"
            f'GUIDE = report.guide_file(tables, "chapters/{name}")\n'
            "claims = report.for_guide(audit.run_for_readers(tables), GUIDE)\n"
            f'glue("{key}_guide", GUIDE, display=False)\n'
            f'glue("{key}_n_claims", str(len(claims)), display=False)'),
        nbformat.v4.new_markdown_cell(f"({name}-audit)=\n## Every claim and its verdict"),
        nbformat.v4.new_code_cell("report.claim_table(claims)"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _test_file(name: str) -> str:
    return f'''"""The verdict of every claim of the guide audited in chapters/{name}."""

from __future__ import annotations

import pytest

from cnsaudit.book import report

CHAPTER = "chapters/{name}"
# claim_id -> the verdict the audit must give it; add one line per claim of data/claims/{name}.csv.
EXPECTED: dict[str, str] = {{}}


def test_every_claim_of_the_guide_has_its_expected_verdict(results, tables):
    guide = report.guide_file(tables, CHAPTER)
    got = report.for_guide(results, guide).set_index("claim_id")["verdict"].to_dict()
    assert got == EXPECTED


@pytest.mark.parametrize("claim_id, verdict", sorted(EXPECTED.items()))
def test_verdict(results, claim_id, verdict):
    assert results.set_index("claim_id").loc[claim_id, "verdict"] == verdict
'''


def _add_toc_entry(toc: Path, name: str) -> None:
    """Insert `- file: chapters/NAME` after the last chapter of the first part, keeping comments
    and layout (the file is edited as text; sphinx_external_toc then checks it parses)."""
    lines = toc.read_text().splitlines(keepends=True)
    entry = f"chapters/{name}"
    if any(line.strip() == f"- file: {entry}" for line in lines):
        raise FileExistsError(f"{entry} is already in {toc.name}")
    first_part = [i for i, line in enumerate(lines) if line.strip().startswith("- caption:")]
    end = first_part[1] if len(first_part) > 1 else len(lines)
    files = [i for i in range(first_part[0] if first_part else 0, end) if lines[i].strip().startswith("- file:")]
    if not files:
        raise ValueError(f"no chapter found in the first part of {toc.name}")
    last = files[-1]
    indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
    insert_at = last + 1
    while insert_at < end and lines[insert_at].strip() and not lines[insert_at].strip().startswith("- "):
        insert_at += 1  # past the last chapter's own sections:
    lines.insert(insert_at, f"{indent}- file: {entry}\n")
    toc.write_text("".join(lines))


def _add_drugs(schema_py: Path, drugs: list[str]) -> None:
    """Add compounds to the schema's drug vocabulary (cnsaudit/engine/schema.py, DRUGS). The vocabulary
    stays closed on purpose, so a misspelt drug is still an error; a new guide widens it in code
    that is reviewed like any other change."""
    text = schema_py.read_text()
    match = re.search(r"^DRUGS = \((.*?)^\)", text, re.S | re.M)
    if match is None:
        raise ValueError(f"no DRUGS vocabulary found in {schema_py}")
    known = set(re.findall(r'"([^"]+)"', match.group(1)))
    new = [d for d in drugs if d not in known]
    if not new:
        return
    for drug in new:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", drug):
            raise ValueError(f"drug {drug!r}: use the lower-case name, as the other drugs are written")
    addition = "    " + ", ".join(f'"{d}"' for d in new) + ",\n"
    schema_py.write_text(text[:match.end(1)] + addition + text[match.end(1):])


def scaffold(root: Path, guide: Path, chapter: str, topic: str | None = None,
             publisher: str = "unknown", published: str = "2026-01",
             drugs: list[str] | None = None) -> list[Candidate]:
    """Write everything a new guide needs into the repository at `root`; return the candidates."""
    import nbformat

    if not CHAPTER_NAME.fullmatch(chapter):
        raise ValueError(f"chapter name {chapter!r}: use lower-case letters, digits and hyphens")
    text_bytes = guide.read_bytes()
    targets = {
        "claims": root / "data" / "claims" / f"{chapter}.csv",
        "evidence": root / "data" / "evidence" / f"{chapter}.csv",
        "populations": root / "data" / "populations" / f"{chapter}.csv",
        "notebook": root / "chapters" / f"{chapter}.ipynb",
        "test": root / "tests" / f"test_audit_{chapter.replace('-', '_')}.py",
    }
    for path in targets.values():
        if path.exists():
            raise FileExistsError(f"{path.relative_to(root)} already exists")
    guides_csv = root / "data" / "guides.csv"
    with guides_csv.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if any(r["guide"] == guide.name for r in rows):
        raise FileExistsError(f"{guide.name} is already listed in data/guides.csv")
    title = topic or guide.stem.replace("_", " ").replace("-", " ").capitalize()
    rows.append({"guide": guide.name, "chapter": f"chapters/{chapter}", "topic": title,
                 "publisher": publisher, "published": published,
                 "sha256": hashlib.sha256(text_bytes).hexdigest()})
    with guides_csv.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=_headers(schema.GUIDES), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    for kind, table in (("claims", schema.CLAIMS), ("evidence", schema.EVIDENCE),
                        ("populations", schema.POPULATIONS)):
        targets[kind].parent.mkdir(parents=True, exist_ok=True)
        targets[kind].write_text(",".join(_headers(table)) + "\n", encoding="utf-8")
    nb = _chapter_notebook(chapter, title)
    nbformat.write(nb, targets["notebook"])
    write_text_form(targets["notebook"])
    targets["test"].write_text(_test_file(chapter), encoding="utf-8")
    if drugs:
        _add_drugs(root / "cnsaudit" / "engine" / "schema.py", drugs)
    _add_toc_entry(root / "_toc.yml", chapter)
    text = text_bytes.decode("utf-8", errors="replace")
    found = candidates(text)
    _append_csv(root / "data" / "number-claims.csv",
                [{"guide": guide.name, "line": c.line, "index": c.index, "token": c.number,
                  "note": f"candidate under '{c.location}'"} for c in found])
    line, title_text = title_line(text)
    _append_csv(root / "data" / "quotes.csv",
                [{"quote_id": f"{chapter}-q-title", "guide": guide.name, "line": line, "location": "title",
                  "kind": "title", "text": title_text}])
    return found
