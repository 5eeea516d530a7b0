"""math/derivative, definite_integral, indefinite_integral, limit, series_sum: golds against sympy
(diff, integrate, limit, summation), levels, the +C check."""

from __future__ import annotations

import re

import pytest
import sympy
from math_task_support import gold_value, level_means, passes, probe_failures, problems, to_sympy, verdict, x

TASKS = ["math/derivative", "math/definite_integral", "math/indefinite_integral", "math/limit", "math/series_sum"]


def rational(value) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_derivative_gold_matches_sympy():
    for problem in problems("math/derivative", range(4)):
        f = to_sympy(problem.data["function"])
        assert sympy.diff(f, x).subs(x, sympy.Rational(problem.data["point"])) == rational(gold_value(problem))


def test_definite_integral_gold_matches_sympy():
    for problem in problems("math/definite_integral", range(4)):
        low, high = problem.data["bounds"]
        assert sympy.integrate(to_sympy(problem.data["integrand"]), (x, low, high)) == rational(gold_value(problem))


def test_indefinite_integral_gold_differentiates_to_the_integrand():
    for problem in problems("math/indefinite_integral", range(4)):
        antiderivative = to_sympy(problem.answer.replace("+ C", ""))
        assert sympy.simplify(sympy.diff(antiderivative, x) - to_sympy(problem.data["question"])) == 0


def test_limit_gold_matches_sympy():
    for problem in problems("math/limit", range(5)):
        point = re.search(r"x \\to ([^}]+)\}", problem.data["question"]).group(1)
        target = sympy.oo if point == "\\infty" else sympy.Integer(point)
        assert sympy.limit(to_sympy(problem.data["expression"]), x, target) == rational(gold_value(problem))


def test_series_gold_matches_sympy():
    k = sympy.Symbol("k", integer=True, positive=True)
    for problem in problems("math/series_sum", range(4)):
        match = re.search(r"\\sum_\{k=(\d)\}\^\{([^}]+)\} (.*)$", problem.data["question"])
        start, end, term = int(match.group(1)), match.group(2), match.group(3)
        upper = sympy.oo if end == "\\infty" else int(end)
        value = sympy.summation(to_sympy(term, {"k": k}), (k, start, upper))
        assert sympy.simplify(value - rational(gold_value(problem))) == 0, problem.data["question"]


def test_levels():
    def total_degree(problem):
        numerator, denominator = sympy.fraction(sympy.together(to_sympy(problem.data["function"])))
        return sympy.degree(numerator, x) + sympy.degree(denominator, x)

    degrees = level_means("math/derivative", total_degree)
    assert degrees[1] < degrees[3] < degrees[5]
    terms = level_means("math/indefinite_integral", lambda p: p.answer.count("x"))
    assert terms[1] < terms[3]
    assert level_means("math/limit", lambda p: "\\frac" in p.data["expression"])[1] == 0
    assert level_means("math/series_sum", lambda p: "\\infty" in p.data["question"]) == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}


def test_indefinite_integral_answers():
    problem = problems("math/indefinite_integral", [2], levels=[4])[0]
    body = problem.answer.replace(" + C", "")
    for answer in (body, body + " + C_1", body + " - 12", "C + " + body, f"F(x) = {body} + C"):
        assert passes(problem, answer), answer
    assert verdict(problem, problem.data["question"]).reason == "wrong_answer"
    assert verdict(problem, f"\\int {problem.data['question']} dx").reason == "unparseable"
    assert not passes(problem, body + " + x")
