"""The words a cell of `data/` may hold: the evidence statuses and what each means, and every
closed vocabulary the tables check (cnsaudit.engine.schema). A vocabulary stays closed on purpose, so
that a misspelt value is an error; widening one is a reviewed change of code.
"""

from __future__ import annotations

# What was read for a fact: "printed" (a source read prints it: full text, abstract, label section or
# table page); "derived" (computed in code from printed figures); "not_in_full_text" (the full text or
# whole label section was read and does not print it); "abstract_only" (only an abstract or an excerpt
# was read, so the figure may be in the full text); "no_source" (no primary source was identified);
# "sheet_only" (the figure was taken from the starting sheet, primary-literature.md, and could not be
# found again in a source read, so nothing a reader can open shows it).
STATUSES = ("printed", "derived", "not_in_full_text", "abstract_only", "no_source", "sheet_only")
UNREAD_STATUSES = ("not_in_full_text", "abstract_only", "no_source", "sheet_only")
STATUS_MEANING = {
    "printed": "printed in a source read",
    "derived": "derived in code from printed figures",
    "not_in_full_text": "not found in the full text read",
    "abstract_only": "only an abstract or excerpt was read; the figure may be in the full text",
    "no_source": "no primary source identified",
    "sheet_only": "taken from the starting sheet; not found again in a source read",
}
# "heading only": the guide's heading names a case its text gives no rule for. "wider than the source's
# population": the guide states for a population that contains the source's (many inhibitors, one of
# which was studied; every patient, a cohort of whom was studied) what the source shows for its own;
# the claim and its fact each name their population, and the two differ.
SCOPES = ("heading only",)

# What the evidence behind a statement is, and what a statement covers, as fields the audit compares
# (cnsaudit.engine.scope): end point and assessor (item by item, never pooled across), the design of the
# study behind a fact, the drugs it studied, the class a guide states a finding for, whether the
# guide states it as settled, and the measure of brain penetration it uses.
ENDPOINTS = (
    "objective response", "intracranial objective response",
    "best overall response", "intracranial best overall response",
    "duration of response", "intracranial duration of response",
    "progression-free survival", "CNS progression-free survival", "time to CNS progression",
    "CNS progression", "overall survival", "disease control", "intracranial disease control",
)
ASSESSORS = ("investigator", "independent central review", "not stated")
DESIGNS = (
    "randomised trial", "single-arm trial", "pooled analysis of single-arm trials",
    "retrospective study", "case report", "pharmacokinetic study", "animal study", "cell study",
    "drug label", "guideline", "review", "protocol",
)
# A statement put as settled ("translates directly", "unequivocally validated") needs evidence of
# one of these designs behind it: a randomised comparison, or the regulator's or a guideline's text,
# which is itself the authority for what it states.
SETTLING_DESIGNS = ("randomised trial", "drug label", "guideline")
STRENGTHS = ("settled",)
# Penetration is judged against the unbound plasma concentration (the free-drug hypothesis); a ratio
# to the total concentration mixes bound drug into the reference.
MEASURES = ("CSF to total plasma", "CSF to unbound plasma", "brain to plasma", "unbound brain to unbound plasma")
TOTAL_PLASMA_MEASURES = ("CSF to total plasma",)
# How much of its class a claim states a finding for, in the guide's own quantifier (empty: the class
# as such, "kinase inhibitors should be designed..."). "many" is judged as class-wide: it extends
# the finding beyond the drugs studied to members of the class it does not name, so evidence from
# some drugs of the class (one, or two comparators) leaves it a caveat, as issue 17 rules for any
# class-wide statement; only the words differ, so that the reason says what the guide says.
CLASS_EXTENTS = ("many",)
DRUG_CLASSES = {
    "TRK inhibitors": ("entrectinib", "larotrectinib", "repotrectinib", "selitrectinib"),
    "ALK inhibitors": ("alectinib", "crizotinib", "ceritinib", "lorlatinib", "entrectinib"),
    "first-generation ALK inhibitors": ("crizotinib",),
    "second-generation TRK inhibitors": ("repotrectinib", "selitrectinib"),
    "kinase inhibitors": ("entrectinib", "larotrectinib", "repotrectinib", "selitrectinib", "alectinib",
                          "crizotinib", "allitinib", "lorlatinib", "ceritinib"),
}
# How much a claim matters to a reader, most consequential first: a wrong dose or safety rule
# reaches a patient; a wrong efficacy, safety or exposure figure misleads a treatment choice; a
# misdescribed study misleads its reading; a wrong name or identifier misleads a search.
CONSEQUENCES = ("dosing and safety rules", "efficacy, safety and exposure figures", "study design",
                "names and identifiers")
SEARCH_OUTCOMES = ("found", "found-different", "abstract-only", "not-found")
DRUGS = (
    "entrectinib", "larotrectinib", "repotrectinib", "selitrectinib", "alectinib", "crizotinib",
    "allitinib", "lorlatinib", "ceritinib", "none",
)
VALUE_TYPES = ("number", "percent", "hazard_ratio", "category")
UNITS = ("%", "% of reference", "ratio", "months", "µM", "hours", "days", "patients", "mg", "mL", "°C", "sites")
SPECIES = ("human", "rat", "mouse", "dog", "in vitro", "not stated")
# A study of several species lists each, separated by SPECIES_SEPARATOR ("rat; mouse; in vitro"): a
# space cannot separate them, since "in vitro" holds one. "not stated" (the source read names no
# species for what it shows) stands alone.
SPECIES_SEPARATOR = "; "
# A fact from a study of one of these designs rests on animals or cells, so its species must be
# recorded: without it the species check cannot compare the evidence with a statement about patients.
NONHUMAN_DESIGNS = ("animal study", "cell study")
STEADY_STATE = ("yes", "no", "not stated")

QUOTE_KINDS = ("title", "term", "gene variant", "heading")

# What a reader with the full text should read to settle an unread fact (the worklist): for a fact
# whose source was read only in part, the part of the full text that would print it (`look_in`); for
# a fact with no primary source identified, the kind of source that would settle it (`source_kind`).
# The words for each value are written once, here, and the worklist renders them.
LOOK_IN = {
    "methods": "the methods section of the full text",
    "results": "the results section of the full text, with its tables and figures",
    "discussion": "the discussion of the full text",
    "supplement": "the supplementary material of the full text",
    "recommendations": "the full guideline: its recommendations and evidence tables",
    "label section": "the whole label section, of which only an excerpt was read",
    "cited source": "the cited source itself, which no search found again",
}
SOURCE_KINDS = {
    "original paper": "the original research paper itself, whose text was not found",
    "epidemiological study": "a population study of how often CNS metastases occur",
    "transporter study": "a transporter or drug-interaction study of the compound",
    "clinical protocol": "a clinical protocol for sampling CSF and plasma and assaying the drug in them",
    "comparative study": "a study or review comparing several kinase inhibitors",
}

# How a "derived" fact is computed from printed facts, so that the audit recomputes it rather than
# trusting a note: "denominator" (inputs: a printed percentage, then a printed count bounding the
# group: every k/n with n up to the bound that prints as the percentage) or "remainder" (inputs: the
# printed total, then the printed parts: the count that is left).
DERIVATION_METHODS = ("denominator", "remainder")
