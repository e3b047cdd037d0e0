"""Gene and protein-change names such as ``NTRK1 G595R``: parse them, check them, find them in text.

A name is read as four parts: a gene symbol, the reference (wild-type) residue, its position in
the protein and the new residue. ``NTRK1 G595R`` says that in the protein encoded by NTRK1 (TRKA)
the glycine at position 595 is replaced by arginine.

The checks are deliberately narrow and explicit:

- the gene must be one of the HGNC symbols this book deals with (:data:`HGNC_SYMBOLS`), or one
  of the protein aliases TRKA/TRKB/TRKC, which are mapped to NTRK1/2/3;
- each residue must be a one-letter amino-acid code (three-letter codes such as ``Gly`` are read
  and normalised); the new residue may also be ``*`` (stop) or ``del`` (deletion);
- the position must be a positive whole number written without leading zeros;
- where a printed source gives the reference residue at a position (:data:`REFERENCE_RESIDUES`),
  the name must agree with it.

Nothing is guessed: a name that fails a check is reported with every reason, never corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

#: HGNC-approved symbols of the genes this book names (kinases, their targets and bypass routes).
HGNC_SYMBOLS = ("NTRK1", "NTRK2", "NTRK3", "ROS1", "ALK", "EGFR", "MET")
#: Protein names used in place of gene symbols, and the symbol each stands for.
ALIASES = {"TRKA": "NTRK1", "TRKB": "NTRK2", "TRKC": "NTRK3"}
#: Gene-family names that are not a single gene: they need a number to name one.
FAMILIES = {"NTRK": ("NTRK1", "NTRK2", "NTRK3"), "TRK": ("TRKA", "TRKB", "TRKC")}

#: The twenty standard amino acids, one-letter code to three-letter code.
AMINO_ACIDS = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
    "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
    "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val",
}
_THREE_TO_ONE = {three.upper(): one for one, three in AMINO_ACIDS.items()}
STOP, DELETION = "*", "del"

#: Reference residues at positions a printed source names: (gene, position) -> (residue, source).
#: Only what a source in references.bib prints goes here.
REFERENCE_RESIDUES = {("NTRK1", 595): ("G", "fuse2017g595r")}

VERDICTS = ("well-formed", "reference mismatch", "unknown gene", "malformed")

# What is scanned for in free text: a gene-like word, a separator (hyphen, slash or one space),
# an optional "p." and a change of 1-3 letters, 1-5 digits, then 1-3 letters or "*". The change
# deliberately admits near misses (two letters where one residue belongs: "GF95R") so that they
# are reported rather than passed over.
_GENE = r"(?P<gene>Trk[ABC]|[A-Z][A-Z0-9]{1,9})"
_CHANGE = r"(?P<change>(?:p\.)?[A-Z][A-Za-z]{0,2}[0-9]{1,5}(?:[A-Za-z]{1,3}|\*))"
CANDIDATE = re.compile(rf"(?<![\w.]){_GENE}(?P<sep>[-/ ]){_CHANGE}(?![\w*])")
_PARTS = re.compile(r"^(?:p\.)?(?P<ref>[A-Za-z]+)(?P<pos>[0-9]+)(?P<alt>[A-Za-z]+|\*)$")


@dataclass(frozen=True)
class Variant:
    """One gene + protein-change name as written, its parts, and what is wrong with it."""

    token: str
    gene_written: str
    gene: str | None = None  # the HGNC symbol, once recognised (aliases mapped)
    ref: str | None = None  # one-letter code
    position: int | None = None
    alt: str | None = None  # one-letter code, "*" or "del"
    reasons: tuple[str, ...] = ()
    reference_check: str = "not checked"
    notes: tuple[str, ...] = field(default=())
    verdict: str = "well-formed"

    @property
    def well_formed(self) -> bool:
        return not self.reasons

    @property
    def normalised(self) -> str | None:
        """`GENE X123Y` with the HGNC symbol and one-letter codes, or None if the name is bad."""
        if not self.well_formed:
            return None
        return format_variant(self.gene, self.ref, self.position, self.alt)


def format_variant(gene: str, ref: str, position: int, alt: str, sep: str = " ") -> str:
    """Write a name from its parts: ``format_variant("NTRK1", "G", 595, "R") == "NTRK1 G595R"``."""
    return f"{gene}{sep}{ref}{position}{alt}"


def _residue(text: str, role: str, reasons: list[str], notes: list[str]) -> str | None:
    """A residue as a one-letter code, or None with the reason added."""
    if role == "new" and text == STOP:
        return STOP
    if role == "new" and text == DELETION:
        return DELETION
    if len(text) == 1:
        if text in AMINO_ACIDS:
            return text
        if text.upper() in AMINO_ACIDS:
            reasons.append(f"{role} residue {text!r} is lower case; one-letter codes are capitals")
        else:
            reasons.append(f"{role} residue {text!r} is not a standard one-letter amino-acid code")
        return None
    if len(text) == 3 and text[0].isupper() and text[1:].islower() and text.upper() in _THREE_TO_ONE:
        one = _THREE_TO_ONE[text.upper()]
        notes.append(f"three-letter code {text} read as {one}")
        return one
    if len(text) == 3 and text.upper() == "TER":
        notes.append("Ter read as *")
        return STOP if role == "new" else None
    reasons.append(f"{role} residue {text!r} has {len(text)} letters; "
                   "a single one-letter amino-acid code is expected")
    return None


def _gene(text: str, reasons: list[str], notes: list[str]) -> str | None:
    upper = text.upper()
    if upper in FAMILIES:
        members = "/".join(FAMILIES[upper])
        reasons.append(f"gene symbol {text!r} is a gene family, not one gene (name one of {members})")
        return None
    if text in HGNC_SYMBOLS:
        return text
    if upper in ALIASES:
        notes.append(f"protein name {text} read as gene {ALIASES[upper]}")
        return ALIASES[upper]
    if upper in HGNC_SYMBOLS:
        reasons.append(f"gene symbol {text!r} should be written {upper} (HGNC symbols are capitals)")
        return None
    reasons.append(f"gene symbol {text!r} is not among the HGNC symbols this book checks "
                   f"({', '.join(HGNC_SYMBOLS)}; aliases {', '.join(ALIASES)})")
    return None


def parse_variant(token: str) -> Variant:
    """Parse ``GENE[-/ ]X123Y`` (``p.`` allowed before the change). Never raises: a bad name
    comes back with ``reasons`` saying what is wrong."""
    text = token.strip()
    m = re.match(r"^(?P<gene>[A-Za-z][A-Za-z0-9]*)(?P<sep>[-/ ])(?P<change>\S+)$", text)
    if not m:
        return Variant(token, text, reasons=("not of the form GENE X123Y (gene, separator, change)",),
                       verdict="malformed")
    reasons: list[str] = []
    notes: list[str] = []
    gene = _gene(m["gene"], reasons, notes)
    unknown = bool(reasons) and "is not among" in reasons[0]
    parts = _PARTS.match(m["change"])
    if not parts:
        reasons.append(f"protein change {m['change']!r} is not residue-position-residue (e.g. G595R)")
        return Variant(token, m["gene"], gene, reasons=tuple(reasons), notes=tuple(notes),
                       verdict="malformed")
    ref = _residue(parts["ref"], "reference", reasons, notes)
    alt = _residue(parts["alt"], "new", reasons, notes)
    position = None
    if parts["pos"].startswith("0"):
        reasons.append(f"position {parts['pos']!r} is not a positive whole number without leading zeros")
    else:
        position = int(parts["pos"])
    if ref is not None and alt is not None and ref == alt:
        reasons.append(f"reference and new residue are both {ref}: no change is named")
    malformed = bool(reasons) and not (len(reasons) == 1 and unknown)
    check = "not checked"
    known = REFERENCE_RESIDUES.get((gene, position)) if gene and position else None
    if known is not None and ref is not None:
        expected, source = known
        if ref == expected:
            check = f"{expected}{position} in {gene} matches {source}"
        else:
            check = f"{source} gives {expected}{position}"
            reasons.append(f"reference residue {ref}{position} does not match {expected}{position} "
                           f"in {gene} ({source})")
    if malformed:
        verdict = "malformed"
    elif unknown:
        verdict = "unknown gene"
    elif reasons:
        verdict = "reference mismatch"
    else:
        verdict = "well-formed"
    return Variant(token, m["gene"], gene, ref, position, alt, tuple(reasons), check, tuple(notes),
                   verdict)


@dataclass(frozen=True)
class Found:
    """A candidate name found in a text, where it is, and its parsed form."""

    source: str
    line: int
    start: int
    variant: Variant


def find_variants(text: str, source: str = "") -> list[Found]:
    """Every gene + protein-change candidate in `text`, near misses included, in reading order."""
    found = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        for m in CANDIDATE.finditer(line):
            token = m.group(0)
            found.append(Found(source, line_no, m.start(), parse_variant(token)))
    return found


def scan_files(paths) -> pd.DataFrame:
    """One row per candidate found in each file, with its verdict; files with none are listed with
    an empty token so that a reader sees they were scanned."""
    found = {}
    for path in sorted(paths):
        found[path.name] = [(h.line, h.variant.token) for h in find_variants(path.read_text("utf-8"), path.name)]
    return _scan_table(found)


def scan_quotes(quotes: pd.DataFrame, guides) -> pd.DataFrame:
    """The same table as `scan_files`, built from the gene-variant names recorded word for word in
    `data/quotes.csv`, so that a clone without the guide texts shows the same scan."""
    found = {guide: [] for guide in sorted(guides)}
    names = quotes[quotes["kind"] == "gene variant"].sort_values(["guide", "line"], key=_line_order, kind="stable")
    for r in names.itertuples():
        found[r.guide].append((int(r.line), r.text))
    return _scan_table(found)


def _line_order(column: pd.Series) -> pd.Series:
    return column.astype(int) if column.name == "line" else column


def _scan_table(found: dict[str, list[tuple[int, str]]]) -> pd.DataFrame:
    rows = []
    for guide in sorted(found):
        for line, token in found[guide]:
            v = parse_variant(token)
            rows.append({
                "guide": guide, "line": line, "token": v.token, "gene": v.gene or "",
                "reference": v.ref or "", "position": "" if v.position is None else str(v.position),
                "new": v.alt or "", "normalised": v.normalised or "", "verdict": v.verdict,
                "reference check": v.reference_check,
                "reasons": "; ".join(v.reasons + v.notes) or "—",
            })
        if not found[guide]:
            rows.append({"guide": guide, "line": "", "token": "(none found)",
                         "gene": "", "reference": "", "position": "", "new": "", "normalised": "",
                         "verdict": "—", "reference check": "", "reasons": "—"})
    return pd.DataFrame(rows)
