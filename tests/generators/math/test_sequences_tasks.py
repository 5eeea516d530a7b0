"""math/sequences and math/linear_recurrence: golds recomputed term by term and by matrix powers."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy
from math_task_support import gold_value, level_means, probe_failures, problems, to_sympy

TASKS = ["math/sequences", "math/linear_recurrence"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_sequence_gold_term_by_term():
    for problem in problems("math/sequences", range(6), levels=[1, 2, 3, 4]):
        listing = re.search(r"\$([^$]*\\dots)\$", problem.prompt).group(1)
        shown = [Fraction(str(to_sympy(t))) for t in listing.split(", ")[:-1]]
        n = int(re.search(r"(?:term number|first) (\d+)", problem.prompt).group(1))
        arithmetic = "arithmetic" in problem.prompt
        terms = list(shown)
        while len(terms) < n:
            terms.append(terms[-1] + (shown[1] - shown[0]) if arithmetic else terms[-1] * (shown[1] / shown[0]))
        expected = sum(terms[:n]) if "sum" in problem.prompt else terms[n - 1]
        assert gold_value(problem) == expected, problem.prompt


def test_recurrence_gold_by_matrix_power():
    for problem in problems("math/linear_recurrence", range(5)):
        initial = [int(v) for v in re.findall(r"a_\{\d+\} = (-?\d+)", problem.prompt)]
        rule = re.search(r"a_n = (.*?)\$", problem.prompt).group(1)
        order = len(initial)
        names = {f"p{i}": sympy.Symbol(f"p{i}") for i in range(1, order + 1)}
        expression = to_sympy(re.sub(r"a_\{n-(\d)\}", r"p\1", rule), names)
        coefficients = [int(expression.coeff(names[f"p{i}"])) for i in range(1, order + 1)]
        constant = int(expression.subs({v: 0 for v in names.values()}))
        # state (a_n, ..., a_{n-k+1}, 1) advances by one companion matrix
        size = order + 1
        step = sympy.zeros(size, size)
        for j, c in enumerate(coefficients):
            step[0, j] = c
        step[0, order] = constant
        for i in range(1, order):
            step[i, i - 1] = 1
        step[order, order] = 1
        state = sympy.Matrix(list(reversed(initial)) + [1])
        index = int(re.search(r"Find \$a_\{(\d+)\}", problem.prompt).group(1))
        result = step ** (index - order) * state
        assert int(problem.answer) == result[0], (problem.prompt, coefficients, constant)


def test_levels():
    index = level_means("math/linear_recurrence", lambda p: int(re.search(r"Find \$a_\{(\d+)\}", p.prompt).group(1)))
    assert index[1] < index[3] < index[5]
    order = level_means("math/linear_recurrence", lambda p: p.prompt.count("a_{n-"))
    assert order[1] == 1 and order[3] == 2 and order[5] == 3
