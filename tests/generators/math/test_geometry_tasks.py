"""math/polygon_area, line_intersection, point_distance: golds against sympy.geometry, levels."""

from __future__ import annotations

import re

import pytest
import sympy
from math_task_support import gold_value, level_means, passes, probe_failures, problems, to_sympy

TASKS = ["math/polygon_area", "math/line_intersection", "math/point_distance"]


@pytest.mark.parametrize("task_id", TASKS)
def test_reference_and_probes(task_id):
    unexpected, _ = probe_failures(task_id)
    assert not unexpected, "\n".join(unexpected[:10])


def test_polygon_area_matches_sympy_and_polygon_is_convex():
    for problem in problems("math/polygon_area", range(5)):
        points = [sympy.Point(sympy.Rational(a), sympy.Rational(b)) for a, b in problem.data["vertices"]]
        polygon = sympy.Polygon(*points)
        assert abs(polygon.area) == sympy.Rational(gold_value(problem).numerator, gold_value(problem).denominator)
        assert polygon.is_convex() and len(polygon.vertices) == len(points)


def _line(text: str) -> sympy.Line:
    left, right = text.split("=")
    ys = sympy.Symbol("y")
    equation = to_sympy(left, {"y": ys}) - to_sympy(right, {"y": ys})
    return sympy.Line(equation, x=sympy.Symbol("x"), y=ys)


def test_line_intersection_matches_sympy():
    for problem in problems("math/line_intersection", range(4), levels=[1, 2, 5]):
        lines = re.findall(r"\$([^$]*=[^$]*)\$", problem.prompt.split("\n")[0])
        point = sympy.Point(*[sympy.Rational(c) for c in problem.data["point"]])
        if len(lines) == 2:
            assert _line(lines[0]).intersection(_line(lines[1])) == [point]
        else:
            (given,) = lines
            through = sympy.Point(*[to_sympy(c) for c in re.search(r"through \$\(([^)]*)\)", problem.prompt).group(1).split(",")])
            foot = _line(given).projection(through)
            assert foot == point


def test_distance_matches_sympy():
    for problem in problems("math/point_distance", range(4), levels=[1, 2, 3]):
        points = [sympy.Point(*[sympy.Integer(c) for c in p.split(",")]) for p in re.findall(r"\$\(([^)]*)\)\$", problem.prompt)]
        assert sympy.simplify(points[0].distance(points[1]) - to_sympy(problem.answer)) == 0
        assert sympy.sqrt(sympy.Rational(problem.data["square"])) == points[0].distance(points[1])


def test_levels():
    vertices = level_means("math/polygon_area", lambda p: len(p.data["vertices"]))
    assert vertices[1] == 3 and vertices[3] == 4 and vertices[5] >= 6
    radicals = level_means("math/point_distance", lambda p: "\\sqrt" in p.answer)
    assert radicals[1] == 0 and radicals[2] == 1


def test_distance_answers():
    problem = next(p for p in problems("math/point_distance", range(10), levels=[4]) if "\\frac" in p.answer)
    square = sympy.Rational(problem.data["square"])
    unsimplified = f"\\sqrt{{\\frac{{{square.p}}}{{{square.q}}}}}" if square.q != 1 else f"\\sqrt{{{square.p}}}"
    assert passes(problem, unsimplified)
    assert not passes(problem, f"{float(sympy.sqrt(square)):.5f}")
    assert not passes(problem, str(square))
