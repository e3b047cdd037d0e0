"""What the audit found for one claim: its checks, each with the fields it recorded, and the one
verdict they lead to.

A check records what it compared as fields (the guide's figure, the source's, the recomputed value,
n, k, the label version...); the words of the reason, the reader's sentence and the recomputation are
written from those fields by cnsaudit.engine.wording, which names each source through `cite`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import scope, wording
from .wording_figures import ROUNDED_TWICE, ROUNDED_TWICE_SHORT  # noqa: F401 (re-exported)

VERDICTS = ("consistent", "unverified", "caveat", "inconsistent", "contradicted")
# Which verdict each kind of failed check leads to, strongest first. A problem the audit established
# from what it read (a caveat or worse) outranks what it could not read; the reason and the evidence
# status still say what was not read.
_PRECEDENCE = ("contradicted", "inconsistent", "caveat", "unverified")

# A count below this is a "small number": the reason says so with the exact interval.
SMALL = 10


def _get(row: dict, key: str):
    """A cell's value, None where it is missing (None or NaN: NaN is the one value unequal to itself)."""
    value = row.get(key)
    return None if value is None or value != value else value


def _int(row: dict, key: str) -> int | None:
    value = row.get(key)
    return None if value is None or value != value else int(value)


def _level(row: dict) -> float:
    return int(_get(row, "ci_level") or 95) / 100


@dataclass(slots=True)
class Check:
    """One check on one claim. `effect` is the verdict a failure leads to (None: it passed); `kind`
    names the words for its `fields` in cnsaudit.engine.wording (the name, unless several checks of a
    kind are told apart by name, as "sum g1" and "sum g2" are)."""

    name: str
    passed: bool
    fields: dict
    effect: str | None = None
    kind: str = ""  # Finding.add and Finding.inform give the name where no kind is given
    quiet: bool = False  # left out of the one-line reason when it passes
    info: bool = False  # context shown in the reason whatever the verdict (small counts, fitting n)
    # The match holds only if the printed figure was rounded twice (stats.TWICE): accepted, and
    # said in the reason (see Finding.said).
    rounded_twice: bool = False

    @property
    def recomputed(self) -> str | None:
        return wording.recomputed(self.kind, self.fields)


@dataclass
class Finding:
    claim: dict
    fact: dict
    checks: list[Check] = field(default_factory=list)
    label_version: str | None = None  # the dose-rule label version the verdict rests on, if any
    # How a source is named in the words: its BibTeX key by default (the audit table, the CLI);
    # the book passes short citations ("Fischer et al. 2020").
    cite: Callable[[str], str] = str

    def add(self, name: str, passed: bool, fields: dict, effect_if_failed: str | None, kind: str = "",
            quiet: bool = False, rounded_twice: bool = False) -> None:
        effect = None if passed else effect_if_failed
        # A failed check may rest on a match that needs rounding twice too (the only derivable
        # value, when the guide prints another), so the flag is kept either way.
        self.checks.append(Check(name, passed, fields, effect, kind or name, quiet, rounded_twice=bool(rounded_twice)))

    def inform(self, name: str, fields: dict, rounded_twice: bool = False) -> None:
        """Context for the reader that decides nothing (shown in the reason whatever the verdict)."""
        self.checks.append(Check(name, True, fields, None, name, quiet=True, info=True, rounded_twice=rounded_twice))

    def found(self, found: scope.Found | None) -> None:
        """Record what an evidence check found; a pass stays out of the one-line reason."""
        if found is not None:
            self.checks.append(Check(found.kind, found.passed, found.fields, found.effect, found.kind,
                                     quiet=found.passed, info=found.info))

    def said(self, check: Check) -> str:
        """A check's clause as the reason gives it."""
        text = wording.say(check.kind, check.fields, self.cite)
        return f"{text} ({ROUNDED_TWICE})" if check.rounded_twice else text

    @property
    def verdict(self) -> str:
        effects = {c.effect for c in self.checks if c.effect}
        for verdict in _PRECEDENCE:
            if verdict in effects:
                return verdict
        return "consistent"

    @property
    def reason(self) -> str:
        return self.reason_for(self.verdict)

    def reason_for(self, verdict: str) -> str:
        """The one-line reason, given the verdict (computed once by the caller)."""
        said = self.said
        parts = [said(c) for c in self.checks if c.effect == verdict]
        # What could not be read is said whatever outranks it.
        if verdict != "unverified":
            parts += [said(c) for c in self.checks if c.effect == "unverified"]
        if verdict in ("unverified", "consistent", "caveat"):
            parts += [said(c) for c in self.checks if c.passed and not c.quiet]
        # A match that needs rounding twice is said whatever the verdict.
        for c in self.checks:
            if c.rounded_twice and (text := said(c)) not in parts:
                parts.append(text)
        for c in self.checks:
            if c.info and (text := said(c)) not in parts:
                parts.append(text)
        text = "; ".join(parts) if parts else "reproduced"
        # The fact's note is a sentence of its own (a capital, often several clauses), so it follows
        # the clauses as one, not after a semicolon.
        note = _get(self.fact, "note")
        if verdict == "unverified" and note and note not in text:
            text = f"{text.rstrip('.')}. {note}"
        return text

    def source(self, singular_verb: str) -> str:
        """The fact's source named, with the verb agreeing: 'Bayer 2019 prints', 'Fischer et al. 2020 print'."""
        from .short_cite import verb

        name = self.cite(self.fact["ref"])
        return f"{name} {verb(name, singular_verb)}"

    def _unread(self, verdict: str) -> Check | None:
        """The check that found the figure unread, where a problem established from what was read
        outranks it (a caveat or worse): the words then say both."""
        if verdict in ("consistent", "unverified"):
            return None
        return next((c for c in self.checks if c.effect == "unverified"), None)

    def _thing(self) -> str:
        return "statement" if self.claim.get("value_type") == "category" else "figure"

    def unread_for(self, verdict: str, short: bool = False) -> str:
        """That the figure or statement itself was not read, for a verdict it does not decide ("")."""
        check = self._unread(verdict)
        return "" if check is None else wording.unread(check.kind, check.fields, self._thing(), short)

    @property
    def explanation(self) -> str:
        """What the verdict means for a reader, from the fields of the checks that decided it."""
        return " ".join(self.meanings_for(self.verdict))

    @property
    def headline(self) -> str:
        return self.headline_for(self.verdict)

    def headline_for(self, verdict: str) -> str:
        """The first thing the verdict means, within wording.HEADLINE_WORDS words."""
        first = next((c for c in self.checks if c.effect == verdict), None)
        if first is None:
            return ""
        short = wording.explain(first.kind, first.fields, self.cite, short=True)
        if not short:
            meanings = self.meanings_for(verdict)
            short = meanings[0] if meanings else ""
        unread = self.unread_for(verdict, short=True)
        return f"{short} {unread}" if unread else short

    @property
    def meanings(self) -> list[str]:
        return self.meanings_for(self.verdict)

    def meanings_for(self, verdict: str) -> list[str]:
        """One sentence per distinct thing the deciding checks mean for a reader, first check first."""
        said: list[str] = []
        for c in self.checks:
            if c.effect != verdict:
                continue
            text = wording.explain(c.kind, c.fields, self.cite)
            if text and text not in said:
                said.append(text)
        if unread := self.unread_for(verdict):
            said.append(unread)
        return said
