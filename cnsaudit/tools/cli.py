"""Command line: `python -m cnsaudit audit [--format csv|json]`, `worklist`, `validate`, `mutation`,
`dose --version V ...`, `new-guide PATH --chapter NAME` and `release record|zenodo|check TAG|notes VERSION`."""

from __future__ import annotations

import argparse
import csv
import sys

from pathlib import Path

from ..engine import audit
from . import dose_cli
from ..book.exports import render
from ..engine.data import ROOT, DataError, load_all


def _new_guide(args) -> int:
    import tempfile

    from .new_guide import CHECKLIST, scaffold

    try:
        found = scaffold(args.root, args.path, args.chapter, args.topic, args.publisher, args.published,
                         args.drug)
    except (OSError, ValueError) as exc:
        print(f"cnsaudit: {exc}", file=sys.stderr)
        return 2
    name = args.chapter
    # The candidates go outside the repository unless the user names a place: a file left in the
    # clone would end up in the source archive.
    target = args.candidates or Path(tempfile.mkdtemp(prefix="cnsaudit-new-guide-")) / f"{name}-candidates.csv"
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["line", "index", "location", "number"])
        writer.writerows((c.line, c.index, c.location, c.number) for c in found)
    print(f"scaffolded chapters/{name}.ipynb, data/claims/{name}.csv, data/evidence/{name}.csv, "
          f"tests/test_audit_{name.replace('-', '_')}.py, the toc entry, the page in releases/pages.txt, a "
          "row in data/guides.csv, the "
          f"title in data/quotes.csv and {len(found)} rows in data/number-claims.csv")
    print(f"{len(found)} numbers in the guide, each a candidate claim: {target}\n")
    print(CHECKLIST.format(name=name, module=name.replace("-", "_")), end="")
    return 0


def _release(args, tables) -> int:
    from . import release

    if args.action == "notes":
        try:
            sys.stdout.write(release.notes(args.version.removeprefix("v")))
        except KeyError as exc:
            print(f"cnsaudit: {exc.args[0]}", file=sys.stderr)
            return 2
        return 0
    if args.action == "zenodo":
        from ..book import zenodo

        print(f"wrote {zenodo.write().relative_to(ROOT)}", file=sys.stderr)
        return 0
    results = audit.run_for_readers(tables)
    if args.action == "record":
        for path in release.record(results):
            print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
        return 0
    found = release.problems(args.tag, results)
    for problem in found:
        print(f"cnsaudit: {problem}", file=sys.stderr)
    if found:
        return 1
    print(f"{args.tag}: the versions, the changelog, the recorded verdicts, .zenodo.json and every "
          "published page agree; it can be released")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cnsaudit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_audit = sub.add_parser("audit", help="validate data/ and print every claim with its verdict")
    p_audit.add_argument("--format", choices=["csv", "json"], default="csv")
    sub.add_parser("worklist", help="print, as CSV, what a reader with the full text can check for every "
                                    "unverified claim: source, where to read, what to check, searches made")
    sub.add_parser("validate", help="validate every table in data/ and the bibliography links")
    sub.add_parser("mutation", help="nudge every recomputable figure and report the mutation score")
    dose_cli.add_parser(sub)
    p_new = sub.add_parser("new-guide", help="scaffold the data, chapter, toc entry and test a new guide needs")
    p_new.add_argument("path", type=Path, help="the guide's text (its sha256 is recorded; it is not copied)")
    p_new.add_argument("--chapter", required=True, help="chapter name: chapters/NAME.ipynb, data/*/NAME.csv")
    p_new.add_argument("--topic", help="the chapter's title (default: from the file name)")
    p_new.add_argument("--publisher", default="unknown")
    p_new.add_argument("--published", default="2026-01", help="YYYY-MM or YYYY-MM-DD")
    p_new.add_argument("--drug", action="append", default=[],
                       help="a compound the guide is about, added to the schema's drug vocabulary (repeatable)")
    p_new.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    p_new.add_argument("--candidates", type=Path, help="where to write the candidate claims as CSV "
                       "(default: a new folder under the system's temporary directory, outside the repository)")
    p_rel = sub.add_parser("release", help="record, check and describe a release (see CONTRIBUTING)")
    rel = p_rel.add_subparsers(dest="action", required=True)
    rel.add_parser("record", help="write releases/verdicts-<version>.csv and .zenodo.json from the tables")
    rel.add_parser("zenodo", help="write .zenodo.json from CITATION.cff and references.bib (after adding a reference)")
    p_check = rel.add_parser("check", help="exit 1, naming each file to change, unless TAG can be released")
    p_check.add_argument("tag", help="the tag, vX.Y.Z")
    p_notes = rel.add_parser("notes", help="print the changelog section of VERSION (the release's text)")
    p_notes.add_argument("version", help="X.Y.Z or vX.Y.Z")
    args = parser.parse_args(argv)
    if args.command == "new-guide":
        return _new_guide(args)
    # Every command validates every table under data/ first, the dose rules included, and stops
    # on the first bad cell rather than print an audit built on it.
    try:
        tables, rules = load_all()
    except DataError as exc:
        print(f"cnsaudit: {exc}", file=sys.stderr)
        return 2
    if args.command == "release":
        return _release(args, tables)
    if args.command == "validate":
        print(f"data/ is valid: {len(tables.claims)} claims, {len(tables.evidence)} evidence rows, "
              f"{len(tables.guides)} guides, {len(tables.quotes)} quotes, {len(rules)} dose rules")
        return 0
    if args.command == "dose":
        return dose_cli.run(args, rules, sys.stdout, sys.stderr)
    if args.command == "mutation":
        from . import mutation

        results = mutation.run(tables)
        print(f"mutation score: {mutation.score(results):.1%} "
              f"({int(results['killed'].sum())} of {len(results)} mutants noticed)")
        survivors = results[~results["killed"]]
        if len(survivors):
            print("not noticed (the original figure already fails the same check):")
            print(survivors.to_string(index=False))
        return 0
    if args.command == "worklist":
        from ..book import worklist

        sys.stdout.write(worklist.render(audit.run_for_readers(tables), tables))
        return 0
    sys.stdout.write(render(audit.run_for_readers(tables), args.format))
    return 0
