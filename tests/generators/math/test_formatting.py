"""generators/math/formatting: exact numbers, polynomials and matrices written as LaTeX."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.generators.math.answers import parse_number_matrix
from assay.generators.math.formatting import (
    decimal_text,
    latex_matrix,
    latex_number,
    latex_polynomial,
    quadratic_roots,
    squarefree_split,
)


@pytest.mark.parametrize(
    ("value", "latex", "decimal"),
    [(Fraction(-3, 4), "-\\frac{3}{4}", "-0.75"), (Fraction(5), "5", "5"), (Fraction(1, 3), "\\frac{1}{3}", None),
     (Fraction(-1, 8000), "-\\frac{1}{8000}", "-0.000125")],
)
def test_numbers(value, latex, decimal):
    assert latex_number(value) == latex and decimal_text(value) == decimal


def test_polynomial_and_matrix_latex():
    assert latex_polynomial([1, -1, 0, Fraction(-1, 2)]) == "-\\frac{1}{2} x^{3} - x + 1"
    assert latex_polynomial([0]) == "0"
    rows = [[Fraction(1), Fraction(-1, 2)], [Fraction(0), Fraction(3)]]
    assert parse_number_matrix(latex_matrix(rows)) == rows


@pytest.mark.parametrize(
    ("a", "b", "c", "roots"),
    [
        (1, -3, 2, ["1", "2"]),
        (1, -3, 1, ["\\frac{3 - \\sqrt{5}}{2}", "\\frac{3 + \\sqrt{5}}{2}"]),
        (1, 2, 5, ["-1 - 2 i", "-1 + 2 i"]),
        (1, 0, -8, ["-2 \\sqrt{2}", "2 \\sqrt{2}"]),
    ],
)
def test_quadratic_roots(a, b, c, roots):
    assert quadratic_roots(a, b, c) == roots


def test_squarefree_split():
    assert [squarefree_split(n) for n in (1, 12, 72, 49, 30)] == [(1, 1), (2, 3), (6, 2), (7, 1), (1, 30)]
