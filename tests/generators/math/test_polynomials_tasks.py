"""math/polynomial_expansion, polynomial_factoring, rational_simplification: golds against sympy,
the form checks (expanded, completely factored, lowest terms), levels."""

from __future__ import annotations

import pytest
import sympy
from math_task_support import level_means, passes, probe_failures, problems, to_sympy, verdict, x

TASKS = ["math/polynomial_expansion", "math/polynomial_factoring", "math/rational_simplification"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_expansion_gold_matches_sympy():
    for problem in problems("math/polynomial_expansion", range(5)):
        assert sympy.expand(to_sympy(problem.data["question"]) - to_sympy(problem.answer)) == 0
        assert sympy.expand(to_sympy(problem.answer)) == to_sympy(problem.answer)


def test_factoring_gold_matches_sympy():
    for problem in problems("math/polynomial_factoring", range(5)):
        polynomial = to_sympy(problem.data["question"])
        assert sympy.expand(to_sympy(problem.answer) - polynomial) == 0
        _, factors = sympy.factor_list(polynomial)
        assert sum(k for _, k in factors) == len(problem.data["factors"]), (problem.answer, factors)


def test_simplification_gold_matches_sympy():
    for problem in problems("math/rational_simplification", range(5)):
        assert sympy.simplify(to_sympy(problem.data["question"]) - to_sympy(problem.answer)) == 0
        numerator, denominator = sympy.fraction(sympy.together(to_sympy(problem.answer)))
        assert sympy.degree(sympy.gcd(numerator, denominator), x) == 0


def test_levels_raise_degree():
    degree = lambda p: sympy.degree(to_sympy(p.answer if p.task != "math/polynomial_factoring" else p.data["question"]), x)
    expansion = level_means("math/polynomial_expansion", degree)
    assert expansion[1] == 2 and expansion[3] == 3 and expansion[5] == 5
    factoring = level_means("math/polynomial_factoring", degree)
    assert factoring[1] == 2 and factoring[4] == 3 and factoring[5] == 4


def test_expansion_form():
    problem = problems("math/polynomial_expansion", [0], levels=[2])[0]
    assert passes(problem, problem.answer)
    assert verdict(problem, problem.data["question"]).reason == "wrong_form"
    assert not passes(problem, problem.answer + " + 1")


def test_factoring_form():
    problem = next(p for p in problems("math/polynomial_factoring", range(10), levels=[3]) if abs(p.data["constant"]) > 1 and all(f[0] != "0" for f in p.data["factors"]))
    k = problem.data["constant"]
    (b1, a1), (b2, a2) = problem.data["factors"]
    assert passes(problem, f"{k}(({a1})x + ({b1}))(({a2})x + ({b2}))")
    assert verdict(problem, f"(({k * int(a1)})x + ({k * int(b1)}))(({a2})x + ({b2}))").reason == "wrong_form"
    assert verdict(problem, problem.data["question"]).reason == "wrong_form"
    assert verdict(problem, f"({a1}x + {b1})({a2}x + {b2})").reason == "wrong_answer"


def test_simplification_form():
    problem = problems("math/rational_simplification", [1], levels=[2])[0]
    assert passes(problem, problem.answer) and passes(problem, problem.answer + ", x \\neq 3")
    assert verdict(problem, problem.data["question"]).reason == "wrong_form"
    combined = problems("math/rational_simplification", [1], levels=[5])[0]
    assert verdict(combined, combined.data["question"]).reason in ("wrong_form", "wrong_answer")
    assert not passes(combined, combined.data["question"])
