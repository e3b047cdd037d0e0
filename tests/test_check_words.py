"""Reasons are data: every check of the audit records fields, and its words (the reason's clause,
the reader's sentence, the headline, the recomputation) are written from those fields by
cnsaudit.engine.wording, naming each source through the cite function it is given."""

from __future__ import annotations

from cnsaudit.engine import audit, data, wording

from .conftest import edit_cell


def _findings(tables, cite=str):
    return {f.claim["claim_id"]: f for f in audit.audit_findings(tables, cite=cite)}


def test_every_check_records_fields_and_every_kind_has_words(tables):
    kinds = set()
    for f in _findings(tables).values():
        for check in f.checks:
            assert isinstance(check.fields, dict) and check.fields, (f.claim["claim_id"], check.name)
            assert wording.say(check.kind, check.fields), (f.claim["claim_id"], check.kind)
            kinds.add(check.kind)
            if check.effect:
                meant = wording.explain(check.kind, check.fields)
                short = wording.explain(check.kind, check.fields, short=True)
                assert meant.endswith("."), (f.claim["claim_id"], check.kind, meant)
                assert len(short.split()) <= wording.HEADLINE_WORDS, (check.kind, short)
    # the data exercise the arithmetic, source and label checks, not only the evidence-scope ones
    assert {"source", "value", "count", "granularity", "log symmetry", "p from CI", "sum",
            "derivation", "label version", "label versions", "small numbers", "sizes that fit"} <= kinds


def test_the_words_follow_the_cite_function_and_the_fields_do_not(tables):
    keyed = _findings(tables)
    cited = _findings(tables, cite=lambda key: "Someone et al. 2020")
    for claim_id in ("lar-07", "lar-46", "alc-01"):
        a, b = keyed[claim_id], cited[claim_id]
        assert [c.fields for c in a.checks] == [c.fields for c in b.checks]
        assert a.verdict == b.verdict
        assert "Someone et al. 2020" in b.explanation and "Someone et al. 2020" not in a.explanation
        assert a.claim["ref"] not in b.explanation


def test_the_explanation_says_what_the_case_means(tables):
    rows = audit.run_for_readers(tables).set_index("claim_id")
    # the instruction joins an EU wording to a dose change no label read prints
    lar30 = rows.at["lar-30", "explanation"]
    assert "moderate CYP3A4 inducer" in lar30 and "double the dose" in lar30 and "EU product information" in lar30
    # the source's own figure, with its unit, against the guide's
    assert rows.at["lar-07", "explanation"].startswith("Bayer 2020 prints 71%, not the guide's 73%")
    # the label version's limit, with the grade from the rule table
    assert "grade 2 or higher" in rows.at["lar-14", "explanation"]
    # the headline stays the short sentence of the first deciding check
    assert rows.at["lar-30", "headline"].startswith("No label version read gives this instruction")


def test_a_changed_cell_changes_the_fields_and_so_the_words(data_copy):
    before = _findings(data.load())["lar-46"]
    n_check = next(c for c in before.checks if c.kind == "count" and c.fields["label"] == "n")
    edit_cell(data_copy / "claims" / "larotrectinib.csv", "claim_id", "lar-46", "n", "21")
    after = _findings(data.load())["lar-46"]
    changed = next(c for c in after.checks if c.kind == "count" and c.fields["label"] == "n")
    assert (n_check.fields["guide"], changed.fields["guide"]) == (int(before.claim["n"]), 21)
    assert "the guide gives n=21" in after.reason


# Kinds the book's data do not make fail today, each with the fields its check records.
FAILING = {
    "interval": {"ci_low": "40", "ci_high": "91", "k": 5, "n": 8, "methods": []},
    "percent from counts": {"k": 5, "n": 8, "reported": "60", "rounds": False},
    "log symmetry": {"hr": "0.5", "low": "0.3", "high": "0.9", "ok": False, "mean": 0.52},
    "p from CI": {"p": 0.012, "se": 0.28, "p_low": 0.01, "p_high": 0.014, "printed": "0.2", "ok": False},
    "sum": {"parts": ["14", "21"], "total": "40", "sum": 35, "tol": 1.5, "ok": False},
    "derivation": {"fits": 1, "bound": None, "how": {"method": "remainder", "total": 20, "parts": [3, 4], "left": 13},
                   "ref": "key2020", "reported": "12", "searches": 0, "value": 13, "of": 20, "ok": False},
    "count": {"label": "k", "guide": 5, "source": 6, "ref": "key2020"},
    "interval vs primary": {"guide": ("1", "2"), "source": ("1.1", "2"), "ref": "key2020"},
    "p vs primary": {"guide": "0.01", "source": "0.02", "ref": "key2020"},
    "steady state": {"mode": "differs", "guide": "yes", "source": "no", "ref": "key2020"},
    "like with like": {"conditions": [("a", "rat", "yes"), ("b", None, None)]},
    "label versions": {"drug_class": "moderate-inducer", "mode": "opposing", "at": 0,
                       "parts": [{"part": "factor", "value": "2", "stating": (), "opposing": ("eu",)}]},
}


def test_every_kind_of_failure_has_a_reason_a_meaning_and_a_headline():
    for kind, fields in FAILING.items():
        cited = lambda key: "Someone et al. 2020"  # noqa: E731
        said, meant = wording.say(kind, fields, cited), wording.explain(kind, fields, cited)
        short = wording.explain(kind, fields, cited, short=True)
        assert said and meant.endswith(".") and short.endswith("."), kind
        assert len(short.split()) <= wording.HEADLINE_WORDS, kind
        assert "key2020" not in said + meant + short, kind
    assert wording.say("label versions", FAILING["label versions"]).startswith("EU product information prints ")
    assert wording.recomputed("sum", FAILING["sum"]) == "sum = 35"
