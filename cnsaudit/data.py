"""Load and validate the tables in `data/`; every error names the file, the row and the column."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import excerpt, schema

ROOT = Path(__file__).resolve().parent.parent
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


def _unique_across(df: pd.DataFrame, column: str) -> list[Problem]:
    dup = df[df.duplicated(column, keep="first")]
    return [Problem(r.source_file, r.source_row, column, f"duplicate value {getattr(r, column)!r} "
                    "(already used in another table)") for r in dup.itertuples()]


def _check_links(guides: pd.DataFrame, evidence: pd.DataFrame, claims: pd.DataFrame,
                 keys: frozenset[str]) -> list[Problem]:
    problems = _unique_across(evidence, "fact_id") + _unique_across(claims, "claim_id")
    facts = evidence.set_index("fact_id")
    known_guides = set(guides["guide"])
    for table in (evidence, claims):
        for r in table.itertuples():
            if r.ref not in keys:
                problems.append(Problem(r.source_file, r.source_row, "ref",
                                        f"{r.ref!r} is not a key in references.bib"))
    for r in claims.itertuples():
        if r.guide not in known_guides:
            problems.append(Problem(r.source_file, r.source_row, "guide",
                                    f"{r.guide!r} is not listed in data/guides.csv"))
        if r.fact_id not in facts.index:
            problems.append(Problem(r.source_file, r.source_row, "fact_id",
                                    f"{r.fact_id!r} is not a fact_id in data/evidence/"))
        elif facts.loc[r.fact_id, "ref"] != r.ref:
            problems.append(Problem(r.source_file, r.source_row, "ref",
                                    f"{r.ref!r} differs from the reference of fact "
                                    f"{r.fact_id!r} ({facts.loc[r.fact_id, 'ref']!r})"))
    return problems


def _check_populations(populations: pd.DataFrame, evidence: pd.DataFrame,
                       claims: pd.DataFrame) -> list[Problem]:
    """Every group a claim or a fact names is in data/populations/, and the groups form a tree."""
    problems = _unique_across(populations, "population")
    known = dict(zip(populations["population"], populations["within"]))
    for r in populations.itertuples():
        if r.within is not None and r.within not in known:
            problems.append(Problem(r.source_file, r.source_row, "within",
                                    f"{r.within!r} is not a population listed in data/populations/"))
            continue
        seen, at = {r.population}, r.within
        while at is not None and at in known:
            if at in seen:
                problems.append(Problem(r.source_file, r.source_row, "within",
                                        f"{r.population!r} lies within itself (through {at!r})"))
                break
            seen.add(at)
            at = known[at]
    for table in (evidence, claims):
        for r in table.itertuples():
            if r.population is not None and r.population not in known:
                problems.append(Problem(r.source_file, r.source_row, "population",
                                        f"{r.population!r} is not a population listed in data/populations/ "
                                        "(add it there, within the group that contains it)"))
    return problems


def _check_settled(evidence: pd.DataFrame, claims: pd.DataFrame) -> list[Problem]:
    """A claim stated as settled is judged by the design of the evidence behind it, so its fact
    must record that design."""
    designs = dict(zip(evidence["fact_id"], evidence["design"]))
    return [Problem(r.source_file, r.source_row, "strength",
                    f"'settled' needs the design of fact {r.fact_id!r} (its `design` in data/evidence/ is empty)")
            for r in claims.itertuples() if r.strength == "settled" and r.fact_id in designs
            and (designs[r.fact_id] is None or pd.isna(designs[r.fact_id]))]


def _check_quote_guides(guides: pd.DataFrame, quotes: pd.DataFrame) -> list[Problem]:
    known = set(guides["guide"])
    return [Problem(r.source_file, r.source_row, "guide", f"{r.guide!r} is not listed in data/guides.csv")
            for r in quotes.itertuples() if r.guide not in known]


def _check_searches(searches: pd.DataFrame, evidence: pd.DataFrame, claims: pd.DataFrame,
                    keys: frozenset[str]) -> list[Problem]:
    """Each search names a known fact (and claim, and reference); a fact the audit could not read
    (status not_in_full_text, abstract_only or no_source) linked from a claim has at least one search."""
    facts, claim_ids = set(evidence["fact_id"]), set(claims["claim_id"])
    problems = []
    for r in searches.itertuples():
        if r.fact_id not in facts:
            problems.append(Problem(r.source_file, r.source_row, "fact_id",
                                    f"{r.fact_id!r} is not a fact_id in data/evidence/"))
        if r.claim_id is not None and r.claim_id not in claim_ids:
            problems.append(Problem(r.source_file, r.source_row, "claim_id",
                                    f"{r.claim_id!r} is not a claim_id in data/claims/"))
        if r.ref is not None and r.ref not in keys:
            problems.append(Problem(r.source_file, r.source_row, "ref",
                                    f"{r.ref!r} is not a key in references.bib"))
    searched = set(searches["fact_id"])
    linked = set(claims["fact_id"])
    for r in evidence.itertuples():
        if r.status in schema.UNREAD_STATUSES and r.fact_id in linked and r.fact_id not in searched:
            problems.append(Problem(r.source_file, r.source_row, "status",
                                    f"{r.status!r}, but data/searches.csv records no search for "
                                    f"{r.fact_id!r}"))
    return problems


def _check_excerpts(evidence: pd.DataFrame) -> list[Problem]:
    """Each figure of a printed row appears in the source's own words recorded beside it, so that
    attribution can be checked: a figure typed without its source, or changed after it was read,
    stops the build."""
    problems = []
    for r in evidence[evidence["status"] == "printed"].to_dict("records"):
        if r.get("excerpt") is None:
            continue  # the schema's row rule reports a printed row without an excerpt
        for column, figure in excerpt.missing(r, category=r["value_type"] == "category"):
            problems.append(Problem(r["source_file"], r["source_row"], column,
                                    f"{figure!r} does not appear in the row's excerpt (the source's own "
                                    f"words must print every figure of a printed row)"))
    return problems


def _check_to_read(to_read: pd.DataFrame, evidence: pd.DataFrame, claims: pd.DataFrame) -> list[Problem]:
    """Each row names an unread fact and says what fits its status: a part of the full text where
    the source was read only in part, a kind of source where none was identified; every unread
    fact linked from a claim has a row, so the worklist leaves no unverified claim without one."""
    status = dict(zip(evidence["fact_id"], evidence["status"]))
    problems = []
    for r in to_read.itertuples():
        fact_status = status.get(r.fact_id)
        if fact_status is None:
            problems.append(Problem(r.source_file, r.source_row, "fact_id",
                                    f"{r.fact_id!r} is not a fact_id in data/evidence/"))
        elif fact_status not in schema.UNREAD_STATUSES:
            continue  # read since: the row no longer reaches the worklist, and may stay
        elif fact_status == "no_source" and r.source_kind is None:
            problems.append(Problem(r.source_file, r.source_row, "source_kind",
                                    f"is empty, but no primary source was identified for {r.fact_id!r}: "
                                    "name the kind of source that would settle it"))
        elif fact_status != "no_source" and r.look_in is None:
            problems.append(Problem(r.source_file, r.source_row, "look_in",
                                    f"is empty, but {r.fact_id!r} has a source ({fact_status!r}): name the "
                                    "part of its full text to read"))
    listed, linked = set(to_read["fact_id"]), set(claims["fact_id"])
    for r in evidence.itertuples():
        if r.status in schema.UNREAD_STATUSES and r.fact_id in linked and r.fact_id not in listed:
            problems.append(Problem(r.source_file, r.source_row, "status",
                                    f"{r.status!r}, but data/to-read.csv has no row for {r.fact_id!r}"))
    return problems


def _check_derivations(derivations: pd.DataFrame, evidence: pd.DataFrame) -> list[Problem]:
    """Each derivation computes a fact whose status is "derived" from printed facts."""
    status = dict(zip(evidence["fact_id"], evidence["status"]))
    problems = []
    for r in derivations.itertuples():
        if status.get(r.fact_id) != "derived":
            problems.append(Problem(r.source_file, r.source_row, "fact_id",
                                    f"{r.fact_id!r} is not a fact with status 'derived' in data/evidence/"))
        for fact_id in r.inputs.split():
            if status.get(fact_id) != "printed":
                problems.append(Problem(r.source_file, r.source_row, "inputs",
                                        f"{fact_id!r} is not a fact with status 'printed' in data/evidence/"))
        if r.method == "denominator" and len(r.inputs.split()) != 2:
            problems.append(Problem(r.source_file, r.source_row, "inputs",
                                    "a denominator needs two facts: the percentage, then the count bounding n"))
    return problems


def _check_numbers(number_claims: pd.DataFrame, exclusions: pd.DataFrame, guides: pd.DataFrame,
                   claims: pd.DataFrame) -> list[Problem]:
    """Each recorded number names a listed guide and existing claims, and each place (guide, line,
    position) is recorded once across both tables."""
    known, claim_ids, seen = set(guides["guide"]), set(claims["claim_id"]), set()
    problems = []
    for table in (number_claims, exclusions):
        for r in table.itertuples():
            if r.guide not in known:
                problems.append(Problem(r.source_file, r.source_row, "guide",
                                        f"{r.guide!r} is not listed in data/guides.csv"))
            place = (r.guide, r.line, r.index)
            if place in seen:
                problems.append(Problem(r.source_file, r.source_row, "index",
                                        f"line {r.line}, position {r.index} of {r.guide} is recorded twice"))
            seen.add(place)
            for claim_id in (getattr(r, "claims", None) or "").split():
                if claim_id not in claim_ids:
                    problems.append(Problem(r.source_file, r.source_row, "claims",
                                            f"{claim_id!r} is not a claim_id in data/claims/"))
    return problems


def _check_seeds(guides: pd.DataFrame) -> list[Problem]:
    """Each guide file exists in the seeds folder and is the version the claims were read from."""
    folder = guide_texts()
    if folder is None:
        return []  # a reader's clone: nothing to compare with, and the book does not need them
    problems = []
    for r in guides.itertuples():
        path = folder / r.guide
        if not path.is_file():
            problems.append(Problem(r.source_file, r.source_row, "guide",
                                    f"{r.guide!r} does not exist in {folder}"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != r.sha256:
            problems.append(Problem(r.source_file, r.source_row, "sha256",
                                    f"{r.guide!r} in {folder} has changed since its claims were read"))
    return problems


@dataclass(frozen=True)
class Tables:
    guides: pd.DataFrame
    evidence: pd.DataFrame
    claims: pd.DataFrame
    quotes: pd.DataFrame
    searches: pd.DataFrame
    number_claims: pd.DataFrame
    exclusions: pd.DataFrame
    derivations: pd.DataFrame
    to_read: pd.DataFrame
    populations: pd.DataFrame | None = None


def load(folder: Path | None = None, bibfile: Path | None = None) -> Tables:
    """Load every table in `data/`, validated, or raise DataError listing every problem."""
    folder = Path(folder) if folder is not None else data_dir()
    bibfile = Path(bibfile) if bibfile is not None else bib_file()
    problems: list[Problem] = []
    loaded = {}
    for name, loader in [
        ("guides", lambda: load_table(folder / "guides.csv", schema.GUIDES)),
        ("evidence", lambda: _load_folder(folder / "evidence", schema.EVIDENCE)),
        ("claims", lambda: _load_folder(folder / "claims", schema.CLAIMS)),
        ("quotes", lambda: load_table(folder / "quotes.csv", schema.QUOTES)),
        ("searches", lambda: load_table(folder / "searches.csv", schema.SEARCHES)),
        ("number_claims", lambda: load_table(folder / "number-claims.csv", schema.NUMBER_CLAIMS)),
        ("exclusions", lambda: load_table(folder / "exclusions.csv", schema.EXCLUSIONS)),
        ("derivations", lambda: load_table(folder / "derivations.csv", schema.DERIVATIONS)),
        ("to_read", lambda: load_table(folder / "to-read.csv", schema.TO_READ)),
        ("populations", lambda: _load_folder(folder / "populations", schema.POPULATIONS)),
    ]:
        try:
            loaded[name] = loader()
        except DataError as exc:
            problems.extend(exc.problems)
        except FileNotFoundError as exc:
            problems.append(Problem(_rel(Path(exc.filename)), None, None, "file not found"))
    if problems:
        raise DataError(problems)
    try:
        keys = bib_keys(bibfile)
    except DataError as exc:
        raise DataError(exc.problems) from None
    problems = _check_links(loaded["guides"], loaded["evidence"], loaded["claims"], keys)
    problems += _check_quote_guides(loaded["guides"], loaded["quotes"])
    problems += _check_searches(loaded["searches"], loaded["evidence"], loaded["claims"], keys)
    problems += _check_numbers(loaded["number_claims"], loaded["exclusions"], loaded["guides"],
                               loaded["claims"])
    problems += _check_derivations(loaded["derivations"], loaded["evidence"])
    problems += _check_excerpts(loaded["evidence"])
    problems += _check_to_read(loaded["to_read"], loaded["evidence"], loaded["claims"])
    problems += _check_seeds(loaded["guides"])
    problems += _check_populations(loaded["populations"], loaded["evidence"], loaded["claims"])
    problems += _check_settled(loaded["evidence"], loaded["claims"])
    if problems:
        raise DataError(problems)
    return Tables(**loaded)


# Every table under data/ and the schema that covers it; a CSV that no schema covers is an error,
# so a new table cannot slip into the book unchecked.
_COVERED = ("guides.csv", "quotes.csv", "searches.csv", "number-claims.csv", "exclusions.csv", "derivations.csv",
            "to-read.csv", "claims/*.csv", "populations/*.csv",
            "evidence/*.csv", "dosing/larotrectinib.csv", "dosing/guide-instructions.csv",
            "reproduce/timings.csv")


def _uncovered_tables(folder: Path) -> list[Problem]:
    covered = {p for pattern in _COVERED for p in folder.glob(pattern)}
    return [Problem(_rel(p), None, None, "no schema covers this table (see cnsaudit.data._COVERED)")
            for p in sorted(folder.rglob("*.csv")) if p not in covered]


def load_timings(folder: Path | None = None) -> pd.DataFrame | None:
    """How long each step of reproducing the book took (data/reproduce/timings.csv), or None
    where nothing has been measured yet (`benchmarks/run.py --record` writes the table)."""
    folder = Path(folder) if folder is not None else data_dir()
    path = folder / "reproduce" / "timings.csv"
    return load_table(path, schema.TIMINGS) if path.is_file() else None


def load_all(folder: Path | None = None) -> tuple[Tables, pd.DataFrame]:
    """Every table under data/, validated: the audit's tables, the dose-rule table and the timings.
    Raise DataError listing every problem in all of them at once."""
    from .dosing import load_rules  # the dose-rule schema lives with the calculator

    folder = Path(folder) if folder is not None else data_dir()
    problems: list[Problem] = []
    tables = rules = None
    try:
        tables = load(folder)
    except DataError as exc:
        problems += exc.problems
    try:
        rules = load_rules(folder / "dosing" / "larotrectinib.csv")
    except DataError as exc:
        problems += exc.problems
    if tables is not None and rules is not None:
        from .label_versions import check_fact_links

        problems += check_fact_links(rules, tables.evidence, folder / "dosing" / "larotrectinib.csv")
    try:
        from .label_versions import check_instruction_claims, load_instructions

        path = folder / "dosing" / "guide-instructions.csv"
        instructions = load_instructions(path)
        if tables is not None:
            problems += check_instruction_claims(instructions, tables.claims, path)
    except DataError as exc:
        problems += exc.problems
    try:
        load_timings(folder)
    except DataError as exc:
        problems += exc.problems
    problems += _uncovered_tables(folder)
    if problems:
        raise DataError(problems)
    return tables, rules
