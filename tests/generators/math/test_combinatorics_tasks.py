"""math/counting, binomial_coefficient, expected_value, probability: golds recomputed by brute
force or sympy, levels."""

from __future__ import annotations

import itertools
import math
import re
from fractions import Fraction

import pytest
import sympy
from math_task_support import gold_value, level_means, probe_failures, problems, to_sympy, x

TASKS = ["math/counting", "math/binomial_coefficient", "math/expected_value", "math/probability"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_counting_by_brute_force():
    for problem in problems("math/counting", range(6)):
        data, gold = problem.data, int(problem.answer)
        if "word" in data:
            word = data["word"]
            assert gold == math.factorial(len(word)) // math.prod(math.factorial(word.count(c)) for c in set(word))
            if len(word) <= 7:
                assert gold == len(set(itertools.permutations(word)))
        elif "men" in data:
            people = ["m"] * data["men"] + ["w"] * data["women"]
            assert gold == sum(1 for c in itertools.combinations(range(len(people)), data["k"]) if len({people[i] for i in c}) == 2)
        elif "divisors" in data:
            assert gold == sum(1 for n in range(1, data["limit"] + 1) if any(n % d == 0 for d in data["divisors"]))
        elif "lows" in data:
            lows, total = data["lows"], data["total"]
            count = sum(1 for values in itertools.product(range(total + 1), repeat=len(lows) - 1)
                        if sum(values) <= total and all(v >= lo for v, lo in zip(values, lows)) and total - sum(values) >= lows[-1])
            assert gold == count
        elif data.get("repeat"):
            assert gold == len(list(itertools.product(range(data["n"]), repeat=data["k"])))
        elif "choose a" in problem.prompt or "codes" in problem.prompt:
            assert gold == len(list(itertools.permutations(range(data["n"]), data["k"])))
        else:
            assert gold == len(list(itertools.combinations(range(data["n"]), data["k"])))


def test_binomial_coefficient_by_expansion():
    for problem in problems("math/binomial_coefficient", range(5)):
        expression = to_sympy(math_of(problem.prompt))
        expanded = sympy.expand(expression)
        if "constant term" in problem.prompt:
            coefficient = expanded.as_independent(x)[0]
        else:
            power = int(re.search(r"x\^\{(-?\d+)\}", problem.prompt).group(1))
            coefficient = expanded.coeff(x, power)
        assert coefficient == sympy.Rational(gold_value(problem).numerator, gold_value(problem).denominator)


def math_of(prompt: str) -> str:
    return re.findall(r"\$([^$]+)\$", prompt)[-1]


def test_expected_value_and_probability_by_enumeration():
    for problem in problems("math/expected_value", range(5), levels=[1]):
        n = int(re.search(r"(\d+)-sided", problem.prompt).group(1))
        first, second = (int(v) for v in re.search(r"faces \$(-?\d+), (-?\d+),", problem.prompt).groups())
        faces = [first + (second - first) * i for i in range(n)]
        assert gold_value(problem) == Fraction(sum(faces), n)
    for problem in problems("math/expected_value", range(5), levels=[5]):
        n = int(re.search(r"(\d+)-sided", problem.prompt).group(1))
        dice = int(problem.prompt.split()[0])
        pick_one = max if "largest" in problem.prompt else min
        outcomes = list(itertools.product(range(1, n + 1), repeat=dice))
        assert gold_value(problem) == Fraction(sum(pick_one(o) for o in outcomes), len(outcomes))
    for problem in problems("math/probability", range(5), levels=[4]):
        n = int(re.search(r"(\d+)-sided", problem.prompt).group(1))
        target = int(re.search(r"is (?:at least )?(\d+)\?", problem.prompt).group(1))
        at_least = "at least" in problem.prompt
        pairs = list(itertools.product(range(1, n + 1), repeat=2))
        hits = sum(1 for a, b in pairs if (a + b >= target if at_least else a + b == target))
        assert gold_value(problem) == Fraction(hits, len(pairs))
    for problem in problems("math/probability", range(5), levels=[3]):
        faces, rolls = (int(v) for v in re.search(r"(\d+)-sided die is rolled (\d+) times", problem.prompt).groups())
        target = int(re.search(r"the number (\d+)", problem.prompt).group(1))
        if faces ** rolls > 200_000:
            continue
        outcomes = list(itertools.product(range(1, faces + 1), repeat=rolls))
        hits = sum(1 for o in outcomes if (target in o) == ("at least once" in problem.prompt))
        assert gold_value(problem) == Fraction(hits, len(outcomes))


def test_levels():
    sizes = level_means("math/binomial_coefficient", lambda p: int(re.search(r"\^\{(\d+)\}\$", p.prompt).group(1)))
    assert sizes[1] < sizes[5]
    denominators = level_means("math/probability", lambda p: gold_value(p).denominator)
    assert denominators[1] < denominators[5]
