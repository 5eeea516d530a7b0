"""math/decimal_arithmetic and math/percentages: golds recomputed independently, levels, answers."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy
from math_task_support import gold_value, level_means, passes, probe_failures, problems

TASKS = ["math/decimal_arithmetic", "math/percentages"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_decimal_gold_matches_sympy_and_terminates():
    for problem in problems("math/decimal_arithmetic", range(6)):
        expression = problem.data["question"].replace("\\times", "*").replace("\\div", "/")
        value = sympy.sympify(expression, rational=True)
        assert Fraction(int(value.p), int(value.q)) == Fraction(problem.answer)
        assert re.fullmatch(r"-?\d+(\.\d+)?", problem.answer), problem.answer


def test_decimal_levels_add_operands_and_places():
    operands = level_means("math/decimal_arithmetic", lambda p: len(re.findall(r"\d+(?:\.\d+)?", p.data["question"])))
    assert operands[1] < operands[3] < operands[5]
    places = level_means("math/decimal_arithmetic", lambda p: max(len(d) for d in re.findall(r"\.(\d+)", p.data["question"]) or [""]))
    assert places[1] < places[5]


def _percent_expected(prompt: str) -> Fraction:
    numbers = [Fraction(n) for n in re.findall(r"-?\d+(?:\.\d+)?", prompt.split("\n")[0])]
    if "of $" in prompt and prompt.startswith("What is"):
        p, n = numbers
        return p * n / 100
    if "is what percent of" in prompt:
        a, b = numbers
        return 100 * a / b
    if "A price increases" in prompt or "A price decreases" in prompt:
        a, b = numbers
        return 100 * (b - a) / a
    if "overall percent change" in prompt:
        up, down = numbers
        return 100 * ((1 + up / 100) * (1 - down / 100) - 1)
    first, second, final = numbers
    raised, discounted = (first, second) if prompt.index("raised") < prompt.index("discounted") else (second, first)
    return final / ((1 + raised / 100) * (1 - discounted / 100))


def test_percentages_gold_recomputed_from_the_prompt():
    for problem in problems("math/percentages", range(8)):
        assert gold_value(problem) == _percent_expected(problem.prompt), problem.prompt


def test_percent_answers():
    problem = next(p for p in problems("math/percentages", range(10), levels=[2]))
    gold = problem.answer
    assert passes(problem, gold) and passes(problem, f"{gold}\\%")
    assert not passes(problem, f"{gold} + 1") and not passes(problem, f"{gold}, {gold}1")


def test_decimal_answers():
    problem = problems("math/decimal_arithmetic", [5], levels=[3])[0]
    value = Fraction(problem.answer)
    assert passes(problem, f"{value.numerator}/{value.denominator}")
    assert passes(problem, problem.answer + "0")  # a trailing zero changes nothing
    if value.denominator > 10:
        assert not passes(problem, str(round(float(value), 1)))  # rounded
    assert not passes(problem, problem.data["question"])
