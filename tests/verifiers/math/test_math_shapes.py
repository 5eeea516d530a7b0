"""``assay.verifiers.math.shapes``: intervals and inequalities as interval lists, linear forms,
labels, named values and constants of integration, on parsed answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.verifiers.math.latex import to_latex
from assay.verifiers.math.parse import parse
from assay.verifiers.math.shapes import (
    CONSTANT_NAMES,
    integration_constant,
    intervals_of,
    is_literal,
    label,
    linear_form,
    named_values,
    plain_text,
)


def _spans(text: str, **options: bool) -> list[str] | None:
    found = intervals_of(parse(text), **options)
    if found is None:
        return None
    return [("[" if lc else "(") + f"{to_latex(lo)}, {to_latex(hi)}" + ("]" if rc else ")") for lo, hi, lc, rc in found]


INTERVALS = [
    ("[1, 2)", ["[1, 2)"], "an interval"),
    (r"x \le 3", [r"(-\infty, 3]"], "a ray"),
    (r"0 < x \le 2", ["(0, 2]"], "a chain"),
    (r"-x > -1", [r"(-\infty, 1)"], "solved: the sign flips"),
    (r"1 < 2x + 1 < 5", ["(0, 2)"], "solved: a linear chain"),
    (r"x \ne 2", [r"(-\infty, 2)", r"(2, \infty)"], "all but a point"),
    (r"x > 1 \text{ and } x < 3", ["(1, 3)"], "conditions that must all hold"),
    (r"(-\infty, 1) \cup (3, \infty)", [r"(-\infty, 1)", r"(3, \infty)"], "a union"),
    (r"\mathbb{R} \setminus \{0\}", [r"(-\infty, 0)", r"(0, \infty)"], "the reals without a point"),
    ("x^2 < 4", None, "not linear: no interval"),
    ("(1, 2), (3, 4)", None, "pairs are no union unless asked"),
]


@pytest.mark.parametrize("text, expected, why", INTERVALS, ids=[row[2] for row in INTERVALS])
def test_intervals_of(text: str, expected: list[str] | None, why: str) -> None:
    assert _spans(text) == expected, why


def test_unsolved_inequalities_and_pairs_on_request() -> None:
    assert _spans("2x < 2") == [r"(-\infty, 1)"]
    assert _spans("2x < 2", solve=False) is None
    assert _spans("(1, 2), (3, 4)", pairs=True) == ["(1, 2)", "(3, 4)"]


def test_linear_form() -> None:
    assert linear_form(parse("3 - 2x")) == ("x", Fraction(-2), Fraction(3))
    assert linear_form(parse("x/4 + 1")) == ("x", Fraction(1, 4), Fraction(1))
    assert linear_form(parse("x^2")) is None and linear_form(parse("x + y")) is None


def test_labels_named_values_and_literals() -> None:
    assert label(parse("f(x)")) and label(parse("(x, y)")) and not label(parse("x + 1"))
    assert named_values(parse("x = 1, y = 2")) is not None
    assert [name for name, _ in named_values(parse("(x, y) = (1, 2)")) or []] == ["x", "y"]
    assert named_values(parse("x = 1, x = 2")) is None  # a name given twice
    assert is_literal(parse(r"2\frac{1}{2}")) and is_literal(parse("3+4i")) and not is_literal(parse("17 \\cdot 23"))
    assert plain_text(parse(r"\text{(B) Monday}")) == "bmonday" and plain_text(parse(r"\text{none}")) == "nosolution"


def test_integration_constant() -> None:
    rest = integration_constant(parse("x^2 + C"), ("C",))
    assert rest is not None and to_latex(rest) == "x^{2}"
    assert integration_constant(parse("x^2 + 2K"), CONSTANT_NAMES) is not None
    assert integration_constant(parse("C x + C"), ("C",)) is None  # used elsewhere: not a free constant
    assert integration_constant(parse("x^2 + 1"), ("C",)) is None
