"""`python -m cnsaudit dose`: the dose, the rule and the label's words, or the refusal and why."""

from __future__ import annotations

import os

import pytest

from .test_cli import run, run_module


def test_the_module_prints_the_november_2023_adult_dose_with_the_label_words():
    out = run_module("dose", "--version", "us-2023", "--age-group", "adult", "--bsa", "1.2")
    assert out.returncode == 0, out.stderr
    assert "US prescribing information, November 2023 revision (us-2023)" in out.stdout
    assert "dose: 100 mg twice daily" in out.stdout and "rules: start-ge1" in out.stdout
    assert "Recommended Dosage in Adult and Pediatric Patients with Body Surface Area of at Least 1" in out.stdout


@pytest.mark.parametrize("version, args, dose, rule", [
    ("us-2019", ["--age-group", "paediatric", "--bsa", "0.5"], "50 mg twice daily", "start-lt1"),
    ("us-2022", ["--age-group", "paediatric", "--bsa", "0.6", "--level", "2"], "30 mg twice daily",
     "reduction2-lt1"),
    ("us-2022", ["--age-group", "adult", "--bsa", "1.8", "--drug-class", "strong-inhibitor",
                 "--unavoidable"], "50 mg twice daily", "start-ge1, strong-inhibitor"),
    ("us-2023", ["--age-group", "adult", "--bsa", "1.5", "--level", "3"], "100 mg once daily",
     "reduction3-ge1"),
    ("eu", ["--age-group", "adult", "--bsa", "0.8"], "100 mg twice daily", "start-adult"),
    ("eu", ["--age-group", "paediatric", "--bsa", "1.4"], "100 mg twice daily", "start-paediatric"),
])
def test_each_label_version_answers_with_its_own_rule(version, args, dose, rule):
    out = run("dose", "--version", version, *args)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"dose: {dose}" in out.stdout and f"rules: {rule}" in out.stdout
    assert "label words:" in out.stdout


@pytest.mark.parametrize("version, args, reason", [
    ("us-2023", ["--reaction", "liver-test", "--grade", "2"], "Table 2, Dosage Modifications for Hepatotoxicity"),
    ("us-2023", ["--reaction", "liver-test", "--grade", "4", "--resolved-within-weeks", "1"], "was not read"),
    ("us-2023", ["--age-group", "adult", "--bsa", "0.8"], "written for paediatric patients only"),
    ("us-2023", ["--bsa", "0.8"], "give the age group"),
    ("us-2023", ["--age-group", "adult", "--bsa", "1.5", "--drug-class", "strong-inducer", "--unavoidable"],
     "not in the text read"),
    ("us-2022", ["--age-group", "adult", "--bsa", "1.5", "--drug-class", "strong-inducer"], "avoid the combination"),
    ("us-2022", ["--age-group", "adult", "--bsa", "1.5", "--child-pugh", "B", "--level", "1"],
     "adjusts the starting dose only"),
    ("eu", ["--reaction", "other", "--grade", "3"], "was not read"),
])
def test_a_refusal_exits_1_and_says_why(version, args, reason):
    out = run("dose", "--version", version, *args)
    assert out.returncode == 1 and out.stderr == ""
    assert "refused: " in out.stdout and reason in out.stdout
    assert "dose:" not in out.stdout and "step:" not in out.stdout


def test_the_step_after_another_grade_3_reaction_under_november_2023():
    out = run("dose", "--version", "us-2023", "--reaction", "other", "--grade", "3", "--level", "1",
              "--resolved-within-weeks", "2")
    assert out.returncode == 0
    assert "step: resume at dose reduction 2" in out.stdout
    assert "For all other Grade 3 or 4 adverse reactions" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["--version", "us-2023", "--bsa", "120"], "outside the plausible range"),
    (["--version", "us-2023"], "--bsa (body-surface area in m²) is needed"),
    (["--version", "us-2023", "--reaction", "other"], "--reaction needs --grade"),
    (["--version", "us-2023", "--reaction", "other", "--grade", "7"], "grade must be a whole number 1 to 4"),
    (["--version", "us-2023", "--reaction", "other", "--grade", "3", "--resolved-within-weeks", "-1"],
     "must be a number ≥ 0"),
])
def test_bad_input_exits_2_with_a_message(args, message):
    out = run("dose", *args)
    assert out.returncode == 2 and out.stdout == ""
    assert message in out.stderr


def test_an_unknown_version_is_refused_by_the_parser():
    with pytest.raises(SystemExit) as info:
        run("dose", "--version", "us-2024", "--bsa", "1.2")
    assert info.value.code == 2


def test_the_command_answers_from_the_data(data_copy):
    path = data_copy / "dosing/larotrectinib.csv"
    env = {**os.environ, "CNSAUDIT_DATA": str(data_copy)}
    args = ("dose", "--version", "us-2023", "--age-group", "adult", "--bsa", "1.5", "--level", "1")
    assert "dose: 75 mg twice daily" in run(*args, env=env).stdout
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[(df["version"] == "us-2023") & (df["rule_id"] == "reduction1-ge1"), "dose"] = "70"
    df.to_csv(path, index=False)
    assert "dose: 70 mg twice daily" in run(*args, env=env).stdout


def test_the_oral_solution_volume_is_given_unrounded_where_a_strength_is_recorded():
    out = run("dose", "--version", "us-2022", "--age-group", "paediatric", "--bsa", "0.45", "--oral-solution")
    assert out.returncode == 0
    assert "dose: 45 mg twice daily" in out.stdout
    assert "oral solution: 2.25 mL per dose (unrounded" in out.stdout and "oral-solution" in out.stdout
    # No strength was read for the November 2023 copy: the volume is not borrowed from another version.
    out = run("dose", "--version", "us-2023", "--age-group", "paediatric", "--bsa", "0.45", "--oral-solution")
    assert out.returncode == 0 and "oral solution: no strength recorded for this label version" in out.stdout
