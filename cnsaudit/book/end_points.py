"""End point and assessor of the efficacy figures a chapter shows side by side (issue 17, item 8).

A response rate assessed by investigators and one assessed by independent review, or an intracranial
rate and a whole-body one, are different measurements: a table groups its rows by end point and
assessor, and a figure draws one end point and assessor per panel. Both take them from the
`endpoint` and `assessor` fields of data/evidence and data/claims, never from a label, and refuse
rows that do not record them rather than put unlike figures under one heading.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ("end point", "assessed by")
NOT_RECORDED = "not recorded"


class UnlikeEndPoints(ValueError):
    """Figures of different (or unrecorded) end points or assessors were put under one label."""


def _value(row, field: str) -> str:
    value = row.get(field) if hasattr(row, "get") else None
    return NOT_RECORDED if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else value


def of(row) -> dict[str, str]:
    """The end point and assessor a row of data/evidence or data/claims records, under the column
    names the chapters show."""
    return {"end point": _value(row, "endpoint"), "assessed by": _value(row, "assessor")}


def _require_columns(frame: pd.DataFrame, what: str) -> None:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise UnlikeEndPoints(f"{what} needs the {' and '.join(missing)} of every row "
                              "(end_points.of(row) gives them from data/)")


def _pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return list(frame[list(COLUMNS)].itertuples(index=False, name=None))


def _refuse_unrecorded(frame: pd.DataFrame, label: str) -> None:
    unrecorded = [str(name) for name, pair in zip(frame[label], _pairs(frame)) if NOT_RECORDED in pair]
    if unrecorded:
        raise UnlikeEndPoints(f"no end point or assessor recorded for: {', '.join(unrecorded)}")


def one(frame: pd.DataFrame, label: str = "population") -> tuple[str, str]:
    """The single end point and assessor of every row; anything else is refused, naming what differs."""
    _require_columns(frame, "a figure of efficacy rates")
    _refuse_unrecorded(frame, label)
    pairs = sorted(set(_pairs(frame)))
    if len(pairs) > 1:
        raise UnlikeEndPoints("unlike end points or assessors under one label: "
                              + "; ".join(f"{e} ({a})" for e, a in pairs))
    return pairs[0]


def grouped(frame: pd.DataFrame, label: str = "population") -> pd.DataFrame:
    """A table of efficacy figures indexed by end point, assessor and its own label, rows of one end
    point and assessor together (in the order given within each)."""
    _require_columns(frame, "a table of efficacy figures")
    _refuse_unrecorded(frame, label)
    order = {pair: i for i, pair in enumerate(dict.fromkeys(_pairs(frame)))}
    rank = [order[pair] for pair in _pairs(frame)]
    ordered = frame.assign(_group=rank).sort_values("_group", kind="stable").drop(columns="_group")
    return ordered.set_index([*COLUMNS, label])


def check_columns(columns: dict[str, list[dict[str, str]]]) -> None:
    """For a table whose columns are quantities (a guide's table of percentages): every column must
    hold one recorded end point and assessor. `columns` maps a column to `of(row)` of each cell."""
    problems = []
    for column, cells in columns.items():
        pairs = sorted({(c["end point"], c["assessed by"]) for c in cells})
        if len(pairs) > 1 or any(NOT_RECORDED in pair for pair in pairs):
            problems.append(f"{column}: " + ", ".join(f"{e} ({a})" for e, a in pairs))
    if problems:
        raise UnlikeEndPoints("unlike or unrecorded end points or assessors in one column: " + "; ".join(problems))
