"""The audit as text: CSV and JSON exactly as `python -m cnsaudit audit` prints them and the book's
downloads offer them (one function for both, so they cannot differ)."""

from __future__ import annotations

import json


def _audit_json(frame) -> str:
    return json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2) + "\n"


def render(frame, fmt: str) -> str:
    """The audit as CSV or JSON text, exactly as the CLI prints it (the book offers the same)."""
    if fmt == "json":
        return _audit_json(frame)
    return frame.to_csv(index=False, lineterminator="\n")
