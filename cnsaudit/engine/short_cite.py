"""Sources named as a reader names them: "Fischer et al. 2020", "Bayer 2019", from references.bib.

The engine writes its words with a `cite` function (a BibTeX key by default); the book, its
downloads and the command line pass `cite` from here. A name knows whether it is plural ("et al.",
"A and B"), so that the words can make the verb agree without rewriting text afterwards.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .data import bib_file


class Cited(str):
    """A source's name; `plural` where it names several authors."""

    plural: bool = False

    def __new__(cls, text: str, plural: bool = False):
        obj = super().__new__(cls, text)
        obj.plural = plural
        return obj


_PLURAL = {"prints": "print", "gives": "give", "shows": "show", "does": "do", "says": "say",
           "reports": "report"}


def verb(subject: str, singular: str) -> str:
    """The verb in the form its subject takes: 'prints' after 'Bayer 2019', 'print' after
    'Fischer et al. 2020'."""
    return _PLURAL.get(singular, singular) if getattr(subject, "plural", False) else singular


@lru_cache(maxsize=4)
def short_citations(path: Path | None = None) -> dict[str, Cited]:
    """'Fischer et al. 2020' for every key of the bibliography (a corporate author as written)."""
    from pybtex.database import parse_file

    entries = parse_file(str(path or bib_file()), "bibtex").entries
    out = {}
    for key, entry in entries.items():
        people = entry.persons.get("author", [])
        year = entry.fields.get("year", "")
        plural = False
        if not people:
            name = entry.fields.get("organization") or entry.fields.get("publisher") or key
        else:
            first = people[0]
            name = " ".join(first.last_names) or str(first)
            named = [p for p in people if str(p) != "others"]
            if len(people) > 1:
                name += " et al."
                plural = True
            elif not named:
                name = key
        out[key] = Cited(f"{name.replace('{', '').replace('}', '')} {year}".strip(), plural)
    return out


def cite(key: str) -> Cited:
    """A key's short citation (the key itself where the bibliography has no such entry)."""
    return short_citations().get(key, Cited(key))


@lru_cache(maxsize=4)
def _bibliography(path: Path) -> dict[str, dict[str, str]]:
    from pybtex.database import parse_file

    return {key: dict(entry.fields) for key, entry in parse_file(str(path), "bibtex").entries.items()}


def address(ref: str) -> str | None:
    """Where a reader finds the source: its DOI, else its PubMed record, else its recorded address."""
    fields = _bibliography(bib_file()).get(ref, {})
    if fields.get("doi"):
        return f"https://doi.org/{fields['doi']}"
    if fields.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{fields['pmid']}/"
    return fields.get("url") or None
