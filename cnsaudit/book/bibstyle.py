"""The bibliography's style: numbered entries in order of citation (pybtex's unsrt), with
authors as clinical journals list them and with the identifiers a reader can follow.

- Authors: initials after surnames are abbreviated, at most six are listed, and "et al." closes
  a list that the bibliography shortens with "and others" or that runs longer.
- Identifiers: a `pmid` field is printed as a PubMed link (unsrt only knows `pubmed`), beside the
  DOI and the URL.
- Notes are working notes for the maintainers (what could not be confirmed); they stay in
  references.bib and out of the printed list.
"""

from __future__ import annotations

from pybtex.database import Entry
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import join, node, sentence

MAX_AUTHORS = 6


@node
def _vancouver_names(children, context, role, **kwargs):
    persons = context["entry"].persons[role]
    named = [p for p in persons if str(p) != "others"]
    style = context["style"]
    shown = [style.format_name(p, style.abbreviate_names) for p in named[:MAX_AUTHORS]]
    listed = join(sep=", ")[shown].format_data(context)
    if len(named) < len(persons) or len(named) > MAX_AUTHORS:
        return Text(listed, ", et al.")
    return listed


class VancouverStyle(UnsrtStyle):
    default_abbreviate_names = True

    def format_names(self, role, as_sentence=True):
        names = _vancouver_names(role)
        return sentence[names] if as_sentence else names

    def format_entry(self, label, entry, bib_data=None):
        fields = {k: v for k, v in entry.fields.items() if k.lower() not in ("note", "pmid")}
        if "pmid" in entry.fields:
            fields["pubmed"] = entry.fields["pmid"]
        public = Entry(entry.type, fields=fields, persons=entry.persons)
        public.key = entry.key
        return super().format_entry(label, public, bib_data=bib_data)


def register() -> None:
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", "cnsaudit", VancouverStyle)
