"""The shared math-task helpers (LaTeX rendering, the matrix grammar, exact intervals) and the
catalogue as a whole: enough task types, five documented levels each, deterministic problems."""

from __future__ import annotations

from fractions import Fraction

import pytest
from assay.generators.math._common import (
    decimal_text,
    latex_matrix,
    latex_number,
    latex_polynomial,
    parse_number_matrix,
)
from assay.generators.math._intervals import Interval, solve_region, union_latex

import assay
from assay.types import Problem

MATH_TASKS = assay.list_tasks("math")


def test_catalogue_has_enough_task_types():
    assert len(MATH_TASKS) >= 25
    families = {assay.get_task(t).__module__.rsplit(".", 1)[1] for t in MATH_TASKS}
    assert {"number_theory", "algebra", "calculus", "linear_algebra", "combinatorics", "geometry", "functions", "sequences"} <= families


@pytest.mark.parametrize("task_id", MATH_TASKS)
def test_every_task_documents_five_levels_and_is_deterministic(task_id):
    task = assay.get_task(task_id)
    assert sorted(task.levels) == [1, 2, 3, 4, 5]
    assert len({repr(task.config_for(level)) for level in task.levels}) == 5
    for level in task.levels:
        first, again = task.generate(7, difficulty=level), task.generate(7, difficulty=level)
        assert first.to_row() == again.to_row()
        assert Problem.from_row(first.to_row()) == first
        assert "<answer>" in first.prompt and first.data["gold"]


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


def test_intervals():
    region = solve_region(lambda x: x != 2 and (x - 1) * (x - 3) <= 0, [Fraction(1), Fraction(2), Fraction(3)])
    assert union_latex(region) == "[1, 2) \\cup (2, 3]"
    assert solve_region(lambda x: x * x >= 0, [Fraction(0)]) == [Interval(None, None)]
    assert solve_region(lambda x: x * x < 0, [Fraction(0)]) == []
    assert Interval(Fraction(-1), Fraction(3), False, True).inequality() == "-1 < x \\le 3"
    assert Interval(Fraction(2), None, True).inequality() == "x \\ge 2"


HOSTILE = [
    "x" * 1_000_000,
    "(" * 50_000 + "x" + ")" * 50_000,
    "10^{10^{10^{10}}}",
    "(10^7)!",
    "\\frac{" * 5000 + "1" + "}{2}" * 5000,
    "x^{99999999}",
    "(x+1)^{30}" * 200,
    "2^{64} \\cdot " * 3000 + "3",
    "[[" + "1," * 100_000 + "1]]",
    "\\begin{pmatrix}" + " 1 & " * 50_000 + "1 \\end{pmatrix}",
]


@pytest.mark.parametrize("task_id", MATH_TASKS)
def test_hostile_answers_score_zero(task_id):
    task = assay.get_task(task_id)
    problem = task.generate(0, difficulty=5)
    for text in HOSTILE:
        result = task.check(problem, f"<answer>{text}</answer>")
        assert not result.passed and result.score == 0, (task_id, text[:40], result)
