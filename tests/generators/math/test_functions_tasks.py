"""math/function_composition, function_inverse, function_domain: golds against sympy, levels,
the inverse check's exact fast path and its fallback to the math verifier."""

from __future__ import annotations

import re

import pytest
import sympy
from math_task_support import gold_value, level_means, passes, probe_failures, problems, to_sympy, verdict, x

from assay.generators.math.intervals import intervals_from_data

TASKS = ["math/function_composition", "math/function_inverse", "math/function_domain"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def _definitions(prompt: str) -> dict[str, sympy.Expr]:
    return {name: to_sympy(body) for name, body in re.findall(r"\$([fgh])\(x\) = ([^$]+)\$", prompt)}


def test_composition_gold_matches_sympy():
    for problem in problems("math/function_composition", range(5)):
        functions = _definitions(problem.prompt)
        asked = problem.data["question"]
        head, point_text = re.fullmatch(r"(.*?)\(([^()]*)\)+", asked).groups()
        point = to_sympy(point_text)
        chain = re.findall(r"[fgh]", head)
        value = point
        for name in reversed(chain):
            value = sympy.simplify(functions[name].subs(x, value))
        assert sympy.Rational(gold_value(problem).numerator, gold_value(problem).denominator) == value


def test_inverse_gold_matches_sympy():
    y = sympy.Symbol("y")
    for problem in problems("math/function_inverse", range(5)):
        functions = _definitions(problem.prompt)
        f = functions["g"].subs(x, functions["h"]) if "g(h(x))" in problem.prompt else functions["f"]
        (solution,) = sympy.solve(sympy.Eq(f.subs(x, y), x), y)
        assert sympy.simplify(solution - to_sympy(problem.answer)) == 0


def test_domain_gold_matches_sympy():
    for problem in problems("math/function_domain", range(5)):
        expression = to_sympy(problem.data["question"].split("=", 1)[1])
        expected = sympy.calculus.util.continuous_domain(expression, x, sympy.S.Reals)
        found = sympy.Union(*[sympy.Interval(-sympy.oo if i.low is None else sympy.Rational(str(i.low)),
                                             sympy.oo if i.high is None else sympy.Rational(str(i.high)),
                                             not i.low_closed, not i.high_closed) for i in intervals_from_data(problem.data["intervals"])])
        assert found == expected, (problem.data["question"], problem.answer, expected)


def test_levels():
    chain = level_means("math/function_composition", lambda p: len(re.findall(r"[fgh]", p.data["question"].split("\\frac")[0])))
    assert chain[1] == 2 and chain[3] == 3 and chain[5] == 3
    mobius = level_means("math/function_inverse", lambda p: "\\frac" in p.prompt.split("Find")[0])
    assert mobius[1] == 0 and mobius[4] == 1
    pieces = level_means("math/function_domain", lambda p: p.answer.count("\\cup"))
    assert pieces[1] == 0 and pieces[2] == 2


def test_inverse_answers():
    problem = problems("math/function_inverse", [3], levels=[4])[0]
    assert verdict(problem, problem.answer).detail.get("stage") == "exact"
    assert passes(problem, f"f^{{-1}}(x) = {problem.answer}")
    # a form outside the exact grammar goes to the math verifier
    assert passes(problem, f"\\left({problem.answer}\\right) \\cdot \\sin^2(x) + \\left({problem.answer}\\right) \\cdot \\cos^2(x)")
    assert not passes(problem, f"{problem.answer} + 1")
