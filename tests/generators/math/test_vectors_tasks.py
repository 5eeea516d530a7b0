"""math/vector_operations: golds against sympy.Matrix, levels."""

from __future__ import annotations

import re

import sympy
from math_task_support import level_means, passes, probe_failures, problems, to_sympy


def test_reference_and_probes():
    unexpected, _ = probe_failures("math/vector_operations")
    assert not unexpected, "\n".join(unexpected[:10])


def test_golds_match_sympy():
    for problem in problems("math/vector_operations", range(4)):
        vectors = [sympy.Matrix([int(c) for c in v.split(",")]) for v in re.findall(r"= \(([^)]*)\)\$", problem.prompt)]
        gold = to_sympy(problem.answer)
        if "\\times" in problem.prompt and "triple" not in problem.prompt:
            expected = vectors[0].cross(vectors[1])
            assert list(expected) == list(gold)
        elif "projection" in problem.prompt:
            u, v = vectors
            assert list((u.dot(v) / v.dot(v)) * v) == list(gold)
        elif "triple" in problem.prompt:
            u, v, w = vectors
            assert u.dot(v.cross(w)) == gold
        else:
            assert vectors[0].dot(vectors[1]) == gold


def test_levels_and_answers():
    dimensions = level_means("math/vector_operations", lambda p: p.prompt.split("$")[1].count(",") + 1)
    assert dimensions[1] == 2 and dimensions[2] == 4
    problem = problems("math/vector_operations", [2], levels=[3])[0]
    assert passes(problem, problem.answer.replace(" ", ""))
    assert not passes(problem, "\\mathbf{u} \\times \\mathbf{v}")
