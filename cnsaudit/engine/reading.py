"""Where the tables are and how one table is read and validated: the layer under both the
cross-table loading (:mod:`cnsaudit.engine.data`) and the dose tables (:mod:`cnsaudit.analyses.dosing`,
:mod:`cnsaudit.engine.label_versions`), which need it without needing each other. Every error names the
file, the row and the column."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import schema

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BIBFILE = ROOT / "references.bib"


def data_dir() -> Path:
    """The tables folder: `data/`, unless CNSAUDIT_DATA points elsewhere (tests use a copy)."""
    return Path(os.environ.get("CNSAUDIT_DATA", DATA))


def bib_file() -> Path:
    return Path(os.environ.get("CNSAUDIT_BIB", BIBFILE))


def seeds_dir() -> Path:
    """Where the guide texts are looked for: `../shared/seeds` beside the repository (the
    development and CI set-up), unless CNSAUDIT_SEEDS names another folder."""
    return Path(os.environ.get("CNSAUDIT_SEEDS", ROOT.parent / "shared" / "seeds"))


def guide_texts() -> Path | None:
    """The folder of guide texts, or None where there are none (a reader's clone has none: the
    guides are not part of the repository). The book never needs them; checks against them do."""
    folder = seeds_dir()
    if folder.is_dir() and any(folder.glob("*.txt")):
        return folder
    return None


def no_guide_texts_reason() -> str:
    """One line saying why a check against the guide texts did not run."""
    return (f"the guide texts are not present ({seeds_dir()} holds none); "
            "set CNSAUDIT_SEEDS to a folder with them to run this check")


@dataclass(frozen=True)
class Problem:
    """One bad cell (or row, or file): where it is and what is wrong with it."""

    file: str
    row: int | None  # 1-based data row; the CSV line is row + 1 (after the header)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row} (line {self.row + 1})")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """Raised when a table in `data/` is bad. Its message lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("invalid data:\n" + "\n".join(f"  {p}" for p in problems))


def _rel(path: Path) -> str:
    """A path as a reader would name it: relative to the repository (or to the data copy)."""
    for base in (ROOT, data_dir().resolve().parent):
        try:
            return str(path.resolve().relative_to(base))
        except ValueError:
            continue
    return str(path)


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as text; empty cells become missing. Nothing is coerced."""
    name = _rel(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError([Problem(name, None, None, "the file is empty (no header, no rows)")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError([Problem(name, None, None,
                                 "the file starts with a byte-order mark; save it as UTF-8 without BOM")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, None, None, f"not UTF-8 text ({exc})")]) from None
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as exc:
        raise DataError([Problem(name, None, None, f"not a well-formed CSV table ({exc})")]) from None
    if df.empty:
        # A table with its header only (a new guide's, before its first claim): with no values to
        # look at, pandera accepts text columns only in pandas' string dtype, as read.
        return df
    return df.astype(object).where(df != "", None)


def _problems_from(exc: pa.errors.SchemaErrors, name: str, table: pa.DataFrameSchema) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple] = set()
    cases = exc.failure_cases
    for case in cases.itertuples(index=False):
        index = None if pd.isna(case.index) else int(case.index)
        row = None if index is None else index + 1
        check = str(case.check)
        rule = (table.name, check)
        if case.schema_context == "DataFrameSchema" and rule in schema.ROW_RULE_COLUMNS:
            key = (row, check)
            if key in seen:
                continue
            seen.add(key)
            columns = ", ".join(f"'{c}'" for c in schema.ROW_RULE_COLUMNS[rule])
            problems.append(Problem(name, row, None, f"columns {columns}: {check}"))
            continue
        column = None if case.column is None or pd.isna(case.column) else str(case.column)
        if check == "column_in_dataframe":
            problems.append(Problem(name, None, str(case.failure_case), "required column is missing"))
        elif check == "column_in_schema":
            problems.append(Problem(name, None, str(case.failure_case), "unknown column"))
        elif check == "not_nullable":
            problems.append(Problem(name, row, column, "is empty but required"))
        elif check == "field_uniqueness":
            problems.append(Problem(name, row, column, f"duplicate value {case.failure_case!r}"))
        else:
            message = _check_message(table, column, check)
            problems.append(Problem(name, row, column, f"{case.failure_case!r} {message}"))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _check_message(table: pa.DataFrameSchema, column: str | None, check: str) -> str:
    if column in table.columns:
        for c in table.columns[column].checks:
            if c.name == check or str(c) == check or c.error == check:
                return c.error or check
    return check


def validate_table(df: pd.DataFrame, table: pa.DataFrameSchema, name: str) -> pd.DataFrame:
    """Validate one table against its schema; raise DataError naming file, row and column."""
    try:
        return table.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(_problems_from(exc, name, table)) from None


# Tables already validated in this process, by schema and content. A table's validity depends on
# its bytes and its schema alone (the cross-table links are checked in `load` on every call), and
# validating is most of a load's time: the tests load many copies of data/ that differ in one cell.
_VALIDATED: dict[tuple[str, bytes], pd.DataFrame] = {}


def load_table(path: Path, table: pa.DataFrameSchema) -> pd.DataFrame:
    key = (f"{table.name}:{id(table)}", hashlib.sha256(path.read_bytes()).digest())
    valid = _VALIDATED.get(key)
    if valid is None:
        valid = validate_table(read_table(path), table, _rel(path))
        _VALIDATED[key] = valid
    return valid.copy().assign(source_file=_rel(path), source_row=range(1, len(valid) + 1))


def _load_folder(folder: Path, table: pa.DataFrameSchema) -> pd.DataFrame:
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError([Problem(_rel(folder), None, None, "no CSV tables found")])
    frames, problems = [], []
    for path in files:
        try:
            frames.append(load_table(path, table))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return pd.concat(frames, ignore_index=True)


@lru_cache(maxsize=4)
def bib_keys(path: Path = BIBFILE) -> frozenset[str]:
    """Keys of the book's bibliography (parsed with pybtex, as sphinxcontrib-bibtex does)."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError

    if not path.is_file():
        raise DataError([Problem(_rel(path), None, None, "file not found")])
    try:
        return frozenset(parse_string(path.read_text("utf-8"), "bibtex").entries.keys())
    except (PybtexError, UnicodeDecodeError) as exc:
        raise DataError([Problem(_rel(path), None, None, f"not valid BibTeX ({exc})")]) from None
