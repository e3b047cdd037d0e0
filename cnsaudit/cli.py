"""Command line: `python -m cnsaudit audit [--format csv|json]`, `worklist`, `validate`, `mutation`,
`dose --version V ...`, `new-guide PATH --chapter NAME` and `release record|check TAG|notes VERSION`."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from pathlib import Path

from . import audit, dose_cli
from .data import ROOT, DataError, load_all


def _new_guide(args) -> int:
    from .new_guide import scaffold

    try:
        found = scaffold(args.root, args.path, args.chapter, args.topic, args.publisher, args.published,
                         args.drug)
    except (OSError, ValueError) as exc:
        print(f"cnsaudit: {exc}", file=sys.stderr)
        return 2
    name = args.chapter
    print(f"scaffolded chapters/{name}.ipynb, data/claims/{name}.csv, data/evidence/{name}.csv, "
          f"tests/test_audit_{name.replace('-', '_')}.py, the toc entry and a row in data/guides.csv",
          file=sys.stderr)
    print(f"{len(found)} numbers in the guide, each a candidate claim (CSV on stdout)", file=sys.stderr)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["line", "location", "number"])
    writer.writerows((c.line, c.location, c.number) for c in found)
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


def _audit_json(frame) -> str:
    return json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2) + "\n"


def render(frame, fmt: str) -> str:
    """The audit as CSV or JSON text, exactly as the CLI prints it (the book offers the same)."""
    if fmt == "json":
        return _audit_json(frame)
    return frame.to_csv(index=False, lineterminator="\n")


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
    p_rel = sub.add_parser("release", help="record, check and describe a release (see CONTRIBUTING)")
    rel = p_rel.add_subparsers(dest="action", required=True)
    rel.add_parser("record", help="write releases/verdicts-<version>.csv and .zenodo.json from the tables")
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
        from . import worklist

        sys.stdout.write(worklist.render(audit.run_for_readers(tables), tables))
        return 0
    sys.stdout.write(render(audit.run_for_readers(tables), args.format))
    return 0
