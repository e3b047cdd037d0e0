"""`.zenodo.json`: what Zenodo records when it archives a release, generated from CITATION.cff.

Zenodo reads `.zenodo.json` in preference to CITATION.cff when a GitHub release is archived, so
the two must not disagree: this module writes the first from the second (with the book's address
and, as related identifiers, the DOI of every primary source in the bibliography). A test checks
that the committed file is exactly what this writes and that it passes the deposit schema in
`tests/schemas/`.
"""

from __future__ import annotations

import json
from pathlib import Path

from pybtex.database import parse_file

from . import citation

ROOT = citation.ROOT
ZENODO = ".zenodo.json"
# CITATION.cff's `type` and licence identifiers (SPDX) in Zenodo's vocabulary.
UPLOAD_TYPE = {"dataset": "dataset", "software": "software"}
LICENCE = {"CC-BY-4.0": "cc-by-4.0", "MIT": "mit"}
# The text and the data are what a reader of an archived release cites; the code's licence is
# named in the notes (Zenodo's deposit format takes one licence).
MAIN_LICENCE = "CC-BY-4.0"


def _references(root: Path) -> list[dict]:
    entries = parse_file(str(root / "references.bib"), "bibtex").entries
    dois = sorted({e.fields["doi"].strip() for e in entries.values() if e.fields.get("doi")})
    return [{"identifier": doi, "relation": "references", "scheme": "doi"} for doi in dois]


def metadata(root: Path = ROOT) -> dict:
    cff = citation.metadata(root)
    licences = list(cff["license"]) if isinstance(cff["license"], list) else [cff["license"]]
    others = [name for name in licences if name != MAIN_LICENCE]
    notes = (f"The book's text and its data tables are under {MAIN_LICENCE}"
             + (f"; the code (the cnsaudit package, the scripts and the tests) is under {', '.join(others)}."
                if others else "."))
    related = [{"identifier": cff["url"], "relation": "isSourceOf", "resource_type": "publication-book",
                "scheme": "url"}]
    return {
        "title": cff["title"],
        "upload_type": UPLOAD_TYPE[cff["type"]],
        "description": cff["abstract"],
        "creators": [{"name": a["name"]} if "name" in a else
                     {"name": f"{a['family-names']}, {a['given-names']}"} for a in cff["authors"]],
        "access_right": "open",
        "license": LICENCE[MAIN_LICENCE],
        "version": str(cff["version"]),
        "publication_date": str(cff["date-released"]),
        "language": "eng",
        "keywords": list(cff["keywords"]),
        "notes": notes,
        "related_identifiers": related + _references(root),
    }


def render(root: Path = ROOT) -> str:
    return json.dumps(metadata(root), ensure_ascii=False, indent=2) + "\n"


def write(root: Path = ROOT) -> Path:
    path = root / ZENODO
    path.write_text(render(root), encoding="utf-8")
    return path
