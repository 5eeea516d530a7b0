"""math/logarithms: golds against sympy, the domain of the level-5 equations, levels."""

from __future__ import annotations

import re

import sympy
from math_task_support import gold_value, passes, probe_failures, problems
from sympy.parsing.sympy_parser import implicit_multiplication_application, parse_expr, standard_transformations

x = sympy.Symbol("x", real=True)


def test_reference_and_probes():
    unexpected, _ = probe_failures("math/logarithms")
    assert not unexpected, "\n".join(unexpected[:10])


def _sympy(latex: str) -> sympy.Expr:
    text = re.sub(r"\\log_\{(\d+)\}\s*\\left\(([^)]*)\\right\)", r"log(\2, \1)", latex)
    text = re.sub(r"\\log_\{(\d+)\}\s*\\frac\{(\d+)\}\{(\d+)\}", r"log(Rational(\2, \3), \1)", text)
    text = re.sub(r"\\log_\{(\d+)\}\s*(\w+)", r"log(\2, \1)", text)
    transformations = standard_transformations + (implicit_multiplication_application,)
    return parse_expr(text, local_dict={"x": x, "log": sympy.log, "Rational": sympy.Rational}, transformations=transformations)


def test_golds_match_sympy():
    for problem in problems("math/logarithms", range(5)):
        question = problem.data["question"]
        gold = sympy.Rational(gold_value(problem).numerator, gold_value(problem).denominator)
        if "=" in question:
            left, right = question.split("=")
            solutions = sympy.solve(sympy.Eq(_sympy(left), sympy.Integer(right)), x)
            assert solutions == [gold], (question, solutions)
        else:
            assert sympy.simplify(_sympy(question) - gold) == 0, question


def test_extraneous_root_is_rejected():
    problem = problems("math/logarithms", [1], levels=[5])[0]
    assert passes(problem, problem.answer)
    assert not passes(problem, f"{problem.answer}, {problem.data['rejected_root']}")
    assert not passes(problem, problem.data["question"].split("=")[0])
