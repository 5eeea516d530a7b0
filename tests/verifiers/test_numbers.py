"""``assay.verifiers.numbers``: one written number to its exact value, or None (shared by the
math and graph tasks that take a single number)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.verifiers.numbers import format_number, normalise, parse_number

TABLE = [
    ("7", Fraction(7), "an integer"),
    ("-3/6", Fraction(-1, 2), "a plain fraction, reduced"),
    (r"\frac{7}{2}", Fraction(7, 2), "a LaTeX fraction"),
    (r"-\dfrac{1}{2}", Fraction(-1, 2), "a signed display fraction"),
    (r"\frac12", Fraction(1, 2), "a fraction with single-token arguments"),
    ("0.25", Fraction(1, 4), "a decimal"),
    (".5", Fraction(1, 2), "a decimal without its leading zero"),
    ("1,234", Fraction(1234), "a thousands separator"),
    ("$\u22125$.", Fraction(-5), "unicode minus, math delimiters and a final period"),
    (r"\boxed{12}", Fraction(12), "a box around the number"),
    ("1, 234", None, "two numbers, not a thousands separator"),
    ("0,174", None, "a list, not a thousands separator"),
    ("2+3", None, "an expression is not a number"),
    ("1 or 2", None, "a hedge"),
    ("1/0", None, "division by zero"),
    ("9" * 5000, None, "too many digits"),
    ("", None, "nothing"),
]


@pytest.mark.parametrize("text, expected, why", TABLE, ids=[row[2] for row in TABLE])
def test_parse_number(text: str, expected: Fraction | None, why: str) -> None:
    assert parse_number(text) == expected, why


def test_non_text_is_no_number() -> None:
    assert parse_number(7) is None  # type: ignore[arg-type]


def test_format_number_round_trips() -> None:
    for value in (Fraction(-14, 6), Fraction(4), Fraction(0), Fraction(10**30, 7)):
        assert parse_number(format_number(value)) == value
    assert format_number(Fraction(-14, 6)) == "-7/3" and format_number(4) == "4"


def test_normalise_strips_only_what_never_changes_the_value() -> None:
    assert normalise(r" $\left(-\dfrac{1}{2}\right)$. ") == r"-\dfrac{1}{2}"
    assert normalise("(1)+(2)") == "(1)+(2)"  # the brackets do not wrap the whole
