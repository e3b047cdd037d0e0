"""Load and validate the tables in `data/`; every error names the file, the row and the column."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import excerpt, schema
from .dose_rules import load_rules
from .label_versions import check_fact_links, check_instruction_claims, load_instructions
from .reading import (  # noqa: F401  (re-exported: data is where callers look for them)
    ROOT,
    DATA,
    BIBFILE,
    data_dir,
    bib_file,
    seeds_dir,
    guide_texts,
    no_guide_texts_reason,
    Problem,
    DataError,
    _rel,
    read_table,
    validate_table,
    load_table,
    _load_folder,
    bib_keys,
)


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
    return [Problem(_rel(p), None, None, "no schema covers this table (see cnsaudit.engine.data._COVERED)")
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
        problems += check_fact_links(rules, tables.evidence, folder / "dosing" / "larotrectinib.csv")
    try:
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
