"""How the book and one claim are cited.

`CITATION.cff` is the one place the book's citation metadata is written down: title, version,
release date and, once the first release has been archived, the DOI that Zenodo mints for all
versions (the concept DOI, ``doi:`` at the top of the file). The cite page, every claim's citation
and `.zenodo.json` (:mod:`cnsaudit.book.zenodo`) read it from there, so a DOI is added once and shows
everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CFF = "CITATION.cff"
TITLE = "Brain-penetrant kinase inhibitors: an executable audit of secondary guides"
AUTHOR = "The cnsaudit contributors"
# The audit page shows one claim's entry with this in place of the claim's id; its "cite" buttons
# (_static/cnsaudit-audit.js) put each row's id there, so every claim's citation comes from this module.
CLAIM_PLACEHOLDER = "CLAIM-ID"
# The DOI syntax CITATION.cff's own schema accepts for `doi`.
DOI = re.compile(r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-\.\(\)\[\]\\]+$")


class CitationError(ValueError):
    """CITATION.cff holds something a citation cannot carry."""


def metadata(root: Path | None = None) -> dict:
    return yaml.safe_load(((root or ROOT) / CFF).read_text(encoding="utf-8"))


def concept_doi(root: Path | None = None) -> str | None:
    """The DOI of every version (CITATION.cff `doi`), or None before the first archived release."""
    value = metadata(root).get("doi")
    if value is None:
        return None
    if not isinstance(value, str) or not DOI.match(value):
        raise CitationError(f"{CFF}, key 'doi': {value!r} is not a DOI such as 10.5281/zenodo.1234567")
    return value


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


def claim_address(claim: str, baseurl: str) -> str:
    """Where a claim's row is: absolute under the published book, else relative to the book."""
    return f"{baseurl}chapters/audit.html#claim-{claim}"


def _doi_line(doi: str | None) -> str:
    return f"  doi     = {{{doi}}},\n" if doi else ""


def book_bibtex(stamp: dict[str, str], claim: str | None = None, baseurl: str = "",
                doi: str | None = None) -> str:
    """BibTeX for the book, or for one claim, with the build's version, date and commit."""
    year = stamp["date"][:4]
    if baseurl:
        where = f"  url     = {{{baseurl if claim is None else claim_address(claim, baseurl)}}},\n"
    elif claim is not None:
        # No published address configured: say plainly that the anchor is relative to the book.
        where = f"  howpublished = {{relative to the book's address: chapters/audit.html\\#claim-{claim}}},\n"
    else:
        where = ""
    title = TITLE if claim is None else f"Claim {claim}, in: {TITLE}"
    key = f"cnsaudit{year}" if claim is None else f"cnsaudit{year}-{claim}"
    return (f"@misc{{{key},\n"
            f"  title   = {{{title}}},\n"
            f"  author  = {{{{{AUTHOR}}}}},\n"
            f"  year    = {{{year}}},\n"
            f"  version = {{{stamp['version']}}},\n"
            f"{_doi_line(doi)}"
            f"{where}"
            f"  note    = {{Built {stamp['date']} from commit {stamp['commit']}}}\n}}")


def claim_bibtex(claim: str, version: str, baseurl: str, doi: str | None = None) -> str:
    """BibTeX for one claim as the audit page offers it beside the claim's row. The page is an
    executed notebook whose outputs are compared on every test run, so this form carries what does
    not change from commit to commit: the version, the address and the DOI."""
    where = claim_address(claim, baseurl)
    return (f"@misc{{cnsaudit-{claim},\n  title   = {{Claim {claim}, in: {TITLE}}},\n"
            f"  author  = {{{{{AUTHOR}}}}},\n  version = {{{version}}},\n"
            f"{_doi_line(doi)}"
            f"  url     = {{{where}}}\n}}")
