"""generators/math/answers: the bounded matrix grammar a model's matrix is read with."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.generators.math.answers import parse_number_matrix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", [[1, 2], [3, 4]]),
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]", [[1, 2], [3, 4]]),
        ("2 \\cdot \\begin{pmatrix} 0.5 & 1 \\\\ 1.5 & 2 \\end{pmatrix}", [[1, 2], [3, 4]]),
        ("\\begin{pmatrix} 1 & 2 \\\\ 3 \\end{pmatrix}", None),  # ragged
        ("\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}", None),  # a determinant
        ("\\begin{pmatrix} x & 2 \\\\ 3 & 4 \\end{pmatrix}", None),  # not a number
        ("\\begin{pmatrix} 1 \\end{pmatrix}\\begin{pmatrix} 2 \\end{pmatrix}", None),  # a product
        ("\\begin{pmatrix} 1 & 2 \\end{pmatrix}^{-1}", None),
        ("[[1, [2]], [3, 4]]", None),
    ],
)
def test_matrix_grammar(text, expected):
    found = parse_number_matrix(text)
    assert found == (None if expected is None else [[Fraction(v) for v in row] for row in expected])
