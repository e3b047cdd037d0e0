from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnsaudit.engine.printed import PrintedNumberError, parse, same_figure


@pytest.mark.parametrize("text, kind, low, high, decimals", [
    ("63.6", "point", "63.6", "63.6", 1),
    ("1.1 - 1.15", "range", "1.1", "1.15", 2),
    ("1.1–1.15", "range", "1.1", "1.15", 2),
    ("0.6 to 1.5", "range", "0.6", "1.5", 1),
    ("≥2.8", "at_least", "2.8", "2.8", 1),
    (">0.2", "greater_than", "0.2", "0.2", 1),
    ("~0.03", "approx", "0.03", "0.03", 2),
    ("up to 3.5", "at_most", "3.5", "3.5", 1),
    ("<0.0001", "less_than", "0.0001", "0.0001", 4),
    ("P < 0.0001", "less_than", "0.0001", "0.0001", 4),
    ("40.0", "point", "40.0", "40.0", 1),
])
def test_parse_keeps_kind_and_precision(text, kind, low, high, decimals):
    p = parse(text)
    assert (p.kind, p.low, p.high, p.decimals) == (kind, Decimal(low), Decimal(high), decimals)


@pytest.mark.parametrize("text", ["", "63.6%", "abc", "1.5–1.1", "1,2", "--3", "3.", None])
def test_parse_rejects_what_is_not_a_printed_figure(text):
    with pytest.raises(PrintedNumberError):
        parse(text)


def test_a_range_has_no_single_value():
    with pytest.raises(PrintedNumberError):
        parse("1.1–1.15").value


@pytest.mark.parametrize("a, b, same", [
    ("1.1", "1.10", True),
    ("63.6", "64", True),
    ("63.6", "63.4", False),
    ("2.8", "2.9", False),       # one unit apart in the last digit: a different figure
    ("63.6", "63.7", False),
    ("≥2.8", "≥2.8", True),
    ("≥2.8", "2.8", False),      # a bound is not a point
    ("1.1–1.15", "1.1–1.15", True),
    ("1.1–1.15", "1.1–1.25", False),
    ("~0.03", "~0.030", True),
])
def test_same_figure(a, b, same):
    assert same_figure(parse(a), parse(b)) is same
    assert same_figure(parse(b), parse(a)) is same


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False))
def test_same_figure_is_reflexive(value):
    p = parse(f"{value:.2f}")
    assert same_figure(p, p)
