"""math/complex_arithmetic: golds against sympy, the complex-literal gate, levels."""

from __future__ import annotations

from fractions import Fraction

import sympy
from math_task_support import level_means, passes, probe_failures, problems, to_sympy, verdict

from assay.generators.math.complex_numbers import literal_complex


def test_reference_and_probes():
    unexpected, _ = probe_failures("math/complex_arithmetic")
    assert not unexpected, "\n".join(unexpected[:10])


def test_gold_matches_sympy():
    for problem in problems("math/complex_arithmetic", range(5)):
        value = sympy.expand(sympy.simplify(to_sympy(problem.data["question"])))
        assert sympy.simplify(value - to_sympy(problem.answer)) == 0, (problem.data["question"], problem.answer, value)


def test_literal_grammar():
    assert literal_complex("3 - 4i") == (Fraction(3), Fraction(-4))
    assert literal_complex("-4i + 3") == (Fraction(3), Fraction(-4))
    assert literal_complex("\\frac{3}{5} - \\frac{4}{5} i") == (Fraction(3, 5), Fraction(-4, 5))
    assert literal_complex("\\frac{3 - 4 i}{5}") == (Fraction(3, 5), Fraction(-4, 5))
    assert literal_complex("z = 2i") == (Fraction(0), Fraction(2))
    for text in ("(1 + 2i)(3 - i)", "\\frac{1 + 2i}{2 + i}", "i^{2}", "(2 + i)^{2}", "\\frac{(1+i)(1-i)}{2}", "3 + 4j"):
        assert literal_complex(text) is None, text


def test_answers():
    problem = problems("math/complex_arithmetic", [0], levels=[2])[0]
    assert passes(problem, problem.answer.replace(" ", ""))
    assert verdict(problem, problem.data["question"]).reason in ("unparseable", "wrong_answer")
    assert not passes(problem, problem.data["question"])


def test_levels():
    fractional = level_means("math/complex_arithmetic", lambda p: "\\frac" in p.answer)
    assert fractional[1] == fractional[2] == 0 and fractional[3] > 0.5
