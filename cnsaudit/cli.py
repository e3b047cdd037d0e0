"""Command line: `python -m cnsaudit audit [--format csv|json]` and `python -m cnsaudit validate`."""

from __future__ import annotations

import argparse
import json
import sys

from . import audit
from .data import DataError, load_all


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
    sub.add_parser("validate", help="validate every table in data/ and the bibliography links")
    sub.add_parser("mutation", help="nudge every recomputable figure and report the mutation score")
    args = parser.parse_args(argv)
    # Every command validates every table under data/ first, the dose rules included, and stops
    # on the first bad cell rather than print an audit built on it.
    try:
        tables, rules = load_all()
    except DataError as exc:
        print(f"cnsaudit: {exc}", file=sys.stderr)
        return 2
    if args.command == "validate":
        print(f"data/ is valid: {len(tables.claims)} claims, {len(tables.evidence)} evidence rows, "
              f"{len(tables.guides)} guides, {len(tables.quotes)} quotes, {len(rules)} dose rules")
        return 0
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
    sys.stdout.write(render(audit.run(tables), args.format))
    return 0
