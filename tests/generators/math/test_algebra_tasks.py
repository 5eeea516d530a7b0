"""math/linear_equation, linear_system, quadratic_roots, inequality: golds against sympy (solve,
linsolve, solve_univariate_inequality), levels, structured answers through the math verifier."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy
from math_task_support import (
    KNOWN_VERIFIER_GAPS,
    gold_value,
    level_means,
    passes,
    probe_failures,
    problems,
    to_sympy,
    x,
)

from assay.generators.math.intervals import intervals_from_data

TASKS = ["math/linear_equation", "math/linear_system", "math/quadratic_roots", "math/inequality"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, known = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])
    assert all(any(why in line for why in KNOWN_VERIFIER_GAPS) for line in known)


def test_linear_equation_gold_solves_the_equation():
    for problem in problems("math/linear_equation", range(6)):
        left, right = problem.data["question"].split("=")
        (solution,) = sympy.solve(sympy.Eq(to_sympy(left), to_sympy(right)), x)
        assert gold_value(problem) == Fraction(int(solution.p), int(solution.q))


def test_linear_system_gold_solves_the_system():
    for problem in problems("math/linear_system", range(5)):
        names = problem.data["names"]
        symbols = {n: sympy.Symbol(n) for n in names}
        equations = [sympy.Eq(to_sympy(l, symbols), to_sympy(r, symbols)) for l, r in
                     (line.strip("$").split("=") for line in problem.prompt.split("\n") if line.startswith("$"))]
        (solution,) = sympy.linsolve(equations, [symbols[n] for n in names])
        assert [Fraction(str(v)) for v in solution] == [Fraction(v) for v in problem.data["values"]]


def test_quadratic_gold_matches_sympy_roots():
    for problem in problems("math/quadratic_roots", range(6)):
        left, right = problem.data["equation"].split("=")
        expected = set(sympy.solve(sympy.Eq(to_sympy(left), to_sympy(right)), x))
        found = {to_sympy(root) for root in problem.data["roots"]}
        assert len(found) == len(expected)
        for root in found:
            assert any(sympy.simplify(root - e) == 0 for e in expected), (problem.answer, expected)


def test_inequality_gold_matches_sympy():
    for problem in problems("math/inequality", range(6)):
        text = problem.data["inequality"].replace("\\le", "<=").replace("\\ge", ">=")
        parts = re.split(r"(<=|>=|<|>)", text)
        expressions, relations = parts[::2], parts[1::2]
        condition = sympy.And(*[sympy.sympify(f"({to_sympy(a)}) {op} ({to_sympy(b)})") for a, op, b in zip(expressions, relations, expressions[1:])])
        expected = sympy.solve_univariate_inequality(condition, x, relational=False) if len(relations) == 1 else \
            sympy.Intersection(*[sympy.solve_univariate_inequality(c, x, relational=False) for c in condition.args])
        found = sympy.Union(*[sympy.Interval(-sympy.oo if i.low is None else sympy.Rational(str(i.low)),
                                             sympy.oo if i.high is None else sympy.Rational(str(i.high)),
                                             not i.low_closed, not i.high_closed) for i in intervals_from_data(problem.data["intervals"])])
        assert found == expected, (problem.data["inequality"], problem.answer, expected)


def test_levels_raise_hardness():
    unknowns = level_means("math/linear_system", lambda p: len(p.data["names"]))
    assert unknowns[1] == 2 and unknowns[5] == 4
    pieces = level_means("math/linear_equation", lambda p: p.data["question"].count("+") + p.data["question"].count("-"))
    assert pieces[1] < pieces[3] < pieces[5]
    surds = level_means("math/quadratic_roots", lambda p: "\\sqrt" in p.answer or " i" in p.answer)
    assert surds[1] == surds[2] == 0 and surds[3] == 1
    unions = level_means("math/inequality", lambda p: "\\frac" in p.data["inequality"])
    assert unions[1] == 0 and unions[5] == 1


def test_structured_answers():
    system = problems("math/linear_system", [1], levels=[2])[0]
    values = system.data["values"]
    assert passes(system, "(" + ",".join(values) + ")")
    if values != values[::-1]:
        assert not passes(system, "(" + ", ".join(reversed(values)) + ")")
    assert not passes(system, "(" + ", ".join(values[:-1]) + ")")
    quadratic = problems("math/quadratic_roots", [2], levels=[3])[0]
    low, high = quadratic.data["roots"]
    assert passes(quadratic, f"{high}, {low}")
    assert not passes(quadratic, low) and not passes(quadratic, f"{low}, {high}, 0")
    inequality = problems("math/inequality", [0], levels=[3])[0]
    assert passes(inequality, inequality.answer.replace(", ", ","))
    assert not passes(inequality, inequality.data["inequality"])


def test_double_root_accepts_the_number_and_the_set():
    problem = next(p for p in problems("math/quadratic_roots", range(60), levels=[1]) if len(p.data["roots"]) == 1)
    (root,) = problem.data["roots"]
    for answer in (root, f"\\{{{root}\\}}", f"x = {root}"):
        assert passes(problem, answer), answer
    assert not passes(problem, f"{root}, {int(root) + 1}") and not passes(problem, f"\\{{{int(root) + 1}\\}}")
