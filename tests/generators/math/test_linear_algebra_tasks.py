"""math/determinant, matrix_inverse, matrix_product, matrix_rank, eigenvalues: golds against
sympy.Matrix, levels, the exact matrix check (scalar factors, products left unevaluated)."""

from __future__ import annotations

import pytest
import sympy
from math_task_support import gold_value, level_means, passes, probe_failures, problems, to_sympy, verdict

from assay.generators.math.answers import parse_number_matrix

TASKS = ["math/determinant", "math/matrix_inverse", "math/matrix_product", "math/matrix_rank", "math/eigenvalues"]


def matrix_of(latex: str) -> sympy.Matrix:
    rows = parse_number_matrix(latex)
    assert rows is not None, latex
    return sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in row] for row in rows])


def given(problem) -> list[sympy.Matrix]:
    return [matrix_of(m + "\\end{pmatrix}") for m in problem.prompt.split("\n")[0].split("\\end{pmatrix}")[:-1]
            for m in [m[m.index("\\begin{pmatrix}"):]]]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_golds_match_sympy():
    for problem in problems("math/determinant", range(3)):
        (a,) = given(problem)
        assert a.det() == sympy.Rational(gold_value(problem).numerator, gold_value(problem).denominator)
    for problem in problems("math/matrix_inverse", range(3)):
        (a,) = given(problem)
        assert a.inv() == matrix_of(problem.answer)
    for problem in problems("math/matrix_product", range(3)):
        product = sympy.Matrix.eye(given(problem)[0].rows)
        for factor in given(problem):
            product = product * factor
        assert product == matrix_of(problem.answer)
    for problem in problems("math/matrix_rank", range(3)):
        (a,) = given(problem)
        assert a.rank() == int(problem.answer)
    for problem in problems("math/eigenvalues", range(3)):
        (a,) = given(problem)
        expected = set(a.eigenvals())
        found = [to_sympy(root) for root in problem.data["roots"]]
        assert len(found) == len(expected) and all(any(sympy.simplify(f - e) == 0 for e in expected) for f in found)


def test_levels_grow_matrices():
    for task_id in TASKS:
        sizes = level_means(task_id, lambda p: sum(m.rows * m.cols for m in given(p)), seeds=range(3))
        assert sizes[1] < sizes[3], task_id
        if task_id != "math/eigenvalues":
            assert sizes[3] <= sizes[5], task_id
    # eigenvalues: level 5 trades size for irrational eigenvalues
    assert level_means("math/eigenvalues", lambda p: "\\sqrt" in p.answer) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1}


def test_matrix_answers():
    problem = problems("math/matrix_inverse", [1], levels=[2])[0]
    inverse = matrix_of(problem.answer)
    denominator = sympy.ilcm(*[v.q for v in inverse])
    scaled = (inverse * denominator).applyfunc(int)
    body = " \\\\ ".join(" & ".join(str(v) for v in scaled.row(i)) for i in range(scaled.rows))
    assert passes(problem, f"\\frac{{1}}{{{denominator}}}\\begin{{pmatrix}} {body} \\end{{pmatrix}}")
    assert verdict(problem, problem.data["question"]).reason == "unparseable"  # A^{-1} left unevaluated
    assert passes(problem, f"A^{{-1}} = {problem.answer}")
    # the question restated before the answer is the answer (a grader reads "M^{-1} = N" as N) ...
    assert passes(problem, f"{problem.data['question']} = {problem.answer}")
    # ... but not a chain through another matrix, nor the question equated to itself
    assert not passes(problem, f"{problem.data['question']} = {problem.data['question']}")
    assert not passes(problem, f"{problem.data['question']} = \\begin{{pmatrix}} 1 & 0 \\\\ 0 & 1 \\end{{pmatrix}} = {problem.answer}")
    product = problems("math/matrix_product", [0], levels=[1])[0]
    assert verdict(product, product.data["question"]).reason == "unparseable"  # AB left unevaluated
    assert not passes(product, product.answer.replace("pmatrix", "vmatrix"))
