"""math/trig_values: every table value against sympy, the radicals-only gate, levels."""

from __future__ import annotations

import sympy
from math_task_support import level_means, passes, probe_failures, problems, to_sympy, verdict

from assay.generators.math.trigonometry import FUNCTIONS, radical_latex, value

SYMPY = {"sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "csc": sympy.csc, "sec": sympy.sec, "cot": sympy.cot}


def test_reference_and_probes():
    unexpected, _ = probe_failures("math/trig_values")
    assert not unexpected, "\n".join(unexpected[:10])


def test_every_value_matches_sympy():
    for function in FUNCTIONS:
        for degrees in range(-360, 721, 15):
            exact = SYMPY[function](sympy.pi * degrees / 180)
            found = value(function, degrees)
            if found is None:
                assert exact in (sympy.zoo, sympy.nan) or not exact.is_finite, (function, degrees, exact)
                continue
            assert sympy.simplify(to_sympy(radical_latex(found)) - exact) == 0, (function, degrees, radical_latex(found), exact)


def test_answers():
    problem = next(p for p in problems("math/trig_values", range(30), levels=[5]) if "\\sqrt{6}" in p.answer)
    assert passes(problem, problem.answer) and passes(problem, f"x = {problem.answer}")
    assert verdict(problem, problem.data["question"]).reason == "unparseable"  # equal, but the question itself
    assert not passes(problem, f"{float(to_sympy(problem.answer)):.6f}")


def test_levels():
    radians = level_means("math/trig_values", lambda p: "\\pi" in p.data["question"] or p.data["question"].endswith("(0\\right)"))
    assert radians[1] == radians[2] == 0 and radians[3] == 1
    fifteen = level_means("math/trig_values", lambda p: p.data["degrees"] % 30 != 0 and p.data["degrees"] % 45 != 0)
    assert fifteen[2] == 0 and fifteen[5] > 0.3
