"""generators/math/intervals: exact real intervals solved on a cut line and written as LaTeX."""

from __future__ import annotations

from fractions import Fraction

from assay.generators.math.intervals import Interval, solve_region, union_latex


def test_intervals():
    region = solve_region(lambda x: x != 2 and (x - 1) * (x - 3) <= 0, [Fraction(1), Fraction(2), Fraction(3)])
    assert union_latex(region) == "[1, 2) \\cup (2, 3]"
    assert solve_region(lambda x: x * x >= 0, [Fraction(0)]) == [Interval(None, None)]
    assert solve_region(lambda x: x * x < 0, [Fraction(0)]) == []
    assert Interval(Fraction(-1), Fraction(3), False, True).inequality() == "-1 < x \\le 3"
    assert Interval(Fraction(2), None, True).inequality() == "x \\ge 2"
