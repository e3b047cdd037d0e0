"""Which of the book's external links are broken, from what Sphinx's linkcheck builder wrote.

The scheduled link check (`scripts/linkcheck.sh`) builds the book with the linkcheck builder and
then runs ``python -m cnsaudit.book.linkcheck _build/linkcheck/output.json``: it prints one line per
broken link (the page, the line, the address and what the server said), adds the same as a table
to the job summary when ``$GITHUB_STEP_SUMMARY`` is set, and exits 1 when any link is broken.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# Sphinx's statuses for a link that a reader following it would not reach.
BROKEN = {"broken", "timeout"}


def read(output_json: Path) -> list[dict]:
    """Sphinx's linkcheck output: one JSON object per line, one line per link checked."""
    text = output_json.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def broken(results: list[dict]) -> list[dict]:
    return sorted((r for r in results if r.get("status") in BROKEN),
                  key=lambda r: (r.get("filename", ""), r.get("lineno") or 0, r.get("uri", "")))


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary(results: list[dict]) -> str:
    bad = broken(results)
    head = f"## Link check: {len(bad)} broken of {len(results)} links checked\n"
    if not bad:
        return head
    rows = [f"| {_cell(r.get('filename', ''))}:{r.get('lineno') or ''} | {_cell(r['uri'])} | "
            f"{_cell(r['status'])} | {_cell(r.get('info', ''))} |" for r in bad]
    table = "| page:line | address | status | what the server said |\n|---|---|---|---|\n"
    return head + "\n" + table + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cnsaudit.book.linkcheck _build/linkcheck/output.json", file=sys.stderr)
        return 2
    results = read(Path(args[0]))
    bad = broken(results)
    for r in bad:
        where = f"{r.get('filename', '')}:{r.get('lineno') or ''}"
        print(f"broken: {where} {r['uri']} ({r['status']}: {r.get('info', '')})")
    print(f"{len(bad)} broken of {len(results)} links checked")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as out:
            out.write(summary(results))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
