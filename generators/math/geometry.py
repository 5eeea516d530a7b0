"""Coordinate geometry: polygon areas (shoelace), intersections of lines (ordered pairs) and
distances in exact radical form.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from assay.config import require_choice, require_int
from assay.generators.math.answers import MathTask, NumberTask, Posed, delegate
from assay.generators.math.formatting import latex_number, latex_tuple, pick, squarefree_split
from assay.generators.math.probes import merged
from assay.registry import ANSWER_INSTRUCTION, Draft, Probe, TaskConfig, register_task, wrap
from assay.types import Problem, Verdict
from assay.verifiers.math.probes import probes_for

Point = tuple[Fraction, Fraction]


def point_latex(p: tuple[Fraction, ...]) -> str:
    return latex_tuple([latex_number(c) for c in p])


def convex_hull(points: list[Point]) -> list[Point]:
    """Counter-clockwise hull without collinear points (Andrew's monotone chain)."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def cross(o: Point, a: Point, b: Point) -> Fraction:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def shoelace(polygon: list[Point]) -> Fraction:
    twice = sum((polygon[i][0] * polygon[(i + 1) % len(polygon)][1] - polygon[(i + 1) % len(polygon)][0] * polygon[i][1]
                 for i in range(len(polygon))), Fraction(0))
    return abs(twice) / 2


# -- polygon area ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PolygonConfig(TaskConfig):
    vertices: int = 3
    magnitude: int = 8
    right_triangle: bool = False
    halves: bool = False  # coordinates may be half-integers

    def __post_init__(self) -> None:
        require_int("vertices", self.vertices, 3, 12)
        require_int("magnitude", self.magnitude, 3, 1000)


@register_task
class PolygonArea(NumberTask[PolygonConfig]):
    id = "math/polygon_area"
    description = "The area of a convex polygon given by the coordinates of its vertices."
    Config = PolygonConfig
    levels = {
        1: PolygonConfig(3, 8, right_triangle=True),
        2: PolygonConfig(3, 8),
        3: PolygonConfig(4, 10),
        4: PolygonConfig(6, 12),
        5: PolygonConfig(8, 20, halves=True),
    }

    def pose(self, rng: random.Random, config: PolygonConfig) -> Posed:
        m = config.magnitude
        if config.right_triangle:
            x, y = rng.randint(-m, m), rng.randint(-m, m)
            a, b = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)
            polygon = [(Fraction(x), Fraction(y)), (Fraction(x + a), Fraction(y)), (Fraction(x), Fraction(y + b))]
        else:
            want = rng.randint(max(3, config.vertices - 2), config.vertices) if config.vertices > 4 else config.vertices
            scale = 2 if config.halves else 1
            for _ in range(1000):
                cloud = [(Fraction(rng.randint(-m * scale, m * scale), scale), Fraction(rng.randint(-m * scale, m * scale), scale))
                         for _ in range(want + 6)]
                hull = convex_hull(cloud)
                if len(hull) >= want:
                    keep = sorted(rng.sample(range(len(hull)), want))
                    polygon = [hull[i] for i in keep]
                    if shoelace(polygon) > 0:
                        break
            else:
                raise RuntimeError("could not draw a convex polygon")  # a generator bug
            start = rng.randrange(len(polygon))
            polygon = polygon[start:] + polygon[:start]
        listed = ", ".join(point_latex(p) for p in polygon)
        shape = {3: "triangle", 4: "convex quadrilateral", 5: "convex pentagon", 6: "convex hexagon"}.get(len(polygon), f"convex polygon with {len(polygon)} vertices")
        text = f"Find the area of the {shape} with vertices ${listed}$ (in order around the boundary)."
        return Posed(text, shoelace(polygon), "", {"vertices": [[str(c) for c in p] for p in polygon]})


# -- intersection of two lines -----------------------------------------------------------------
@dataclass(frozen=True)
class IntersectionConfig(TaskConfig):
    kind: str = "slope_intercept"  # "slope_intercept", "standard", "through_points", "perpendicular_foot"
    magnitude: int = 6

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("slope_intercept", "standard", "through_points", "perpendicular_foot"))
        require_int("magnitude", self.magnitude, 2, 100)


def _line_latex(a: Fraction, b: Fraction, c: Fraction, reduce: bool = True) -> str:
    """a x + b y = c with integer coefficients (common factors cancelled when ``reduce``)."""
    lcm = math.lcm(a.denominator, b.denominator, c.denominator)
    a, b, c = a * lcm, b * lcm, c * lcm
    g = (math.gcd(math.gcd(int(a), int(b)), int(c)) or 1) if reduce else 1
    a, b, c = a / g, b / g, c / g
    if a < 0 or (a == 0 and b < 0):
        a, b, c = -a, -b, -c
    terms: list[str] = []
    for coefficient, name in ((a, "x"), (b, "y")):
        if coefficient == 0:
            continue
        body = name if abs(coefficient) == 1 else f"{latex_number(abs(coefficient))} {name}"
        terms.append((("-" if coefficient < 0 else "") + body) if not terms else (f"- {body}" if coefficient < 0 else f"+ {body}"))
    return f"{' '.join(terms)} = {latex_number(c)}"


@register_task
class LineIntersection(MathTask[IntersectionConfig]):
    id = "math/line_intersection"
    description = "The intersection point of two lines in the plane, as an ordered pair."
    answer_format = "an ordered pair (x, y) with exact coordinates"
    verification = "Delegated to assay.verifiers.math.verify (ordered pair against the exact gold)."
    Config = IntersectionConfig
    levels = {
        1: IntersectionConfig("slope_intercept", 6),
        2: IntersectionConfig("standard", 6),
        3: IntersectionConfig("through_points", 8),
        4: IntersectionConfig("through_points", 10),
        5: IntersectionConfig("perpendicular_foot", 8),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: IntersectionConfig) -> Draft:
        m = config.magnitude
        for _ in range(1000):
            if config.kind in ("slope_intercept", "standard"):
                x0, y0 = Fraction(rng.randint(-m, m)), Fraction(rng.randint(-m, m))
                if config.kind == "slope_intercept":
                    m1, m2 = rng.sample([s for s in range(-m, m + 1)], 2)
                    lines = [f"y = {_slope_form(Fraction(m1), y0 - m1 * x0)}", f"y = {_slope_form(Fraction(m2), y0 - m2 * x0)}"]
                else:
                    (a1, b1), (a2, b2) = [(pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)) for _ in range(2)]
                    if a1 * b2 == a2 * b1:
                        continue
                    lines = [_line_latex(Fraction(a1), Fraction(b1), a1 * x0 + b1 * y0), _line_latex(Fraction(a2), Fraction(b2), a2 * x0 + b2 * y0)]
                point = (x0, y0)
                description = f"the lines ${lines[0]}$ and ${lines[1]}$"
            elif config.kind == "through_points":
                pts = [(Fraction(rng.randint(-m, m)), Fraction(rng.randint(-m, m))) for _ in range(4)]
                if pts[0] == pts[1] or pts[2] == pts[3]:
                    continue
                l1, l2 = _through(pts[0], pts[1]), _through(pts[2], pts[3])
                solved = _intersect(l1, l2)
                if solved is None:
                    continue
                point = solved
                if config.magnitude <= 8:
                    description = (f"the line through ${point_latex(pts[0])}$ and ${point_latex(pts[1])}$ and the line "
                                   f"${_line_latex(*l2)}$")
                else:
                    description = (f"the line through ${point_latex(pts[0])}$ and ${point_latex(pts[1])}$ and the line "
                                   f"through ${point_latex(pts[2])}$ and ${point_latex(pts[3])}$")
            else:
                a, b = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)
                c = Fraction(rng.randint(-3 * m, 3 * m))
                p = (Fraction(rng.randint(-m, m)), Fraction(rng.randint(-m, m)))
                t = (a * p[0] + b * p[1] - c) / (a * a + b * b)
                point = (p[0] - a * t, p[1] - b * t)
                if point == p:
                    continue
                description = (f"the line ${_line_latex(Fraction(a), Fraction(b), c)}$ and the line through "
                               f"${point_latex(p)}$ perpendicular to it")
            break
        else:
            raise RuntimeError("could not draw two intersecting lines")  # a generator bug
        gold = point_latex(point)
        prompt = (f"Find the intersection point of {description}.\n\nGive it as an ordered pair $(x, y)$ with exact "
                  f"coordinates. {ANSWER_INSTRUCTION}")
        return Draft(prompt, gold, {"gold": gold, "ordered": True, "point": [str(c) for c in point]})

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        x, y = (Fraction(c) for c in problem.data["point"])
        own = [
            Probe(wrap(f"x = {latex_number(x)}, y = {latex_number(y)}"), True, "as equations for x and y"),
            Probe(wrap(f"(x, y) = {problem.answer}"), True, "(x, y) = the pair"),
            Probe(wrap(point_latex((x + 1, y))), False, "x off by one"),
            Probe(wrap(latex_number(x)), False, "only the x coordinate"),
            Probe(wrap(f"{problem.answer} \\text{{ or }} {point_latex((x, y + 1))}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        if x != y:
            own.append(Probe(wrap(point_latex((y, x))), False, "coordinates swapped"))
        return merged(probes_for(problem.answer), own)


def _slope_form(slope: Fraction, intercept: Fraction) -> str:
    if slope == 0:
        return latex_number(intercept)
    head = "x" if slope == 1 else "-x" if slope == -1 else f"{latex_number(slope)} x"
    if intercept == 0:
        return head
    return f"{head} {'+' if intercept > 0 else '-'} {latex_number(abs(intercept))}"


def _through(p: Point, q: Point) -> tuple[Fraction, Fraction, Fraction]:
    a, b = q[1] - p[1], p[0] - q[0]
    return a, b, a * p[0] + b * p[1]


def _intersect(l1: tuple[Fraction, Fraction, Fraction], l2: tuple[Fraction, Fraction, Fraction]) -> Point | None:
    (a1, b1, c1), (a2, b2, c2) = l1, l2
    det = a1 * b2 - a2 * b1
    if det == 0:
        return None
    return (c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det


# -- distance ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DistanceConfig(TaskConfig):
    kind: str = "pythagorean"  # "pythagorean", "plane", "space", "point_line", "parallel_lines"
    magnitude: int = 9

    def __post_init__(self) -> None:
        require_choice("kind", self.kind, ("pythagorean", "plane", "space", "point_line", "parallel_lines"))
        require_int("magnitude", self.magnitude, 2, 1000)


def sqrt_latex(square: Fraction) -> str:
    """The exact square root of a non-negative rational, simplified and rationalised.

    >>> sqrt_latex(Fraction(50)), sqrt_latex(Fraction(49, 5)), sqrt_latex(Fraction(9, 4))
    ('5 \\\\sqrt{2}', '\\\\frac{7 \\\\sqrt{5}}{5}', '\\\\frac{3}{2}')
    """
    den = square.denominator
    outside, inside = squarefree_split(square.numerator * den) if square else (0, 1)
    coefficient = Fraction(outside, den)
    if inside == 1:
        return latex_number(coefficient)
    radical = f"\\sqrt{{{inside}}}"
    top = radical if coefficient.numerator == 1 else f"{coefficient.numerator} {radical}"
    return top if coefficient.denominator == 1 else f"\\frac{{{top}}}{{{coefficient.denominator}}}"


@register_task
class PointDistance(MathTask[DistanceConfig]):
    id = "math/point_distance"
    description = "Exact distances: between points in the plane or space, from a point to a line, between parallel lines."
    answer_format = "an exact value in simplest radical form, such as 5 \\sqrt{2} or \\frac{7 \\sqrt{5}}{5}"
    verification = "Delegated to assay.verifiers.math.verify (exact and symbolic comparison; decimals do not match)."
    Config = DistanceConfig
    levels = {
        1: DistanceConfig("pythagorean", 9),
        2: DistanceConfig("plane", 9),
        3: DistanceConfig("space", 6),
        4: DistanceConfig("point_line", 8),
        5: DistanceConfig("parallel_lines", 8),
    }
    timeout_s = 10.0

    def build(self, rng: random.Random, config: DistanceConfig) -> Draft:
        m = config.magnitude
        for _ in range(1000):
            if config.kind in ("pythagorean", "plane", "space"):
                dims = 3 if config.kind == "space" else 2
                p = tuple(Fraction(rng.randint(-m, m)) for _ in range(dims))
                if config.kind == "pythagorean":
                    a, b, _c = rng.choice([(3, 4, 5), (5, 12, 13), (6, 8, 10), (8, 15, 17), (9, 12, 15), (7, 24, 25)])
                    a, b = (a, b) if rng.random() < 0.5 else (b, a)
                    q: tuple[Fraction, ...] = (p[0] + a * rng.choice([1, -1]), p[1] + b * rng.choice([1, -1]))
                else:
                    q = tuple(Fraction(rng.randint(-m, m)) for _ in range(dims))
                square = sum(((u - v) ** 2 for u, v in zip(p, q)), Fraction(0))
                if square == 0 or (config.kind != "pythagorean" and math.isqrt(int(square)) ** 2 == square):
                    continue
                question = f"the points ${point_latex(p)}$ and ${point_latex(q)}$"
            elif config.kind == "point_line":
                a, b, c = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True), rng.randint(-3 * m, 3 * m)
                p = (Fraction(rng.randint(-m, m)), Fraction(rng.randint(-m, m)))
                square = Fraction((a * p[0] + b * p[1] + c) ** 2, a * a + b * b)
                if square == 0:
                    continue
                question = f"the point ${point_latex(p)}$ and the line ${_line_latex(Fraction(a), Fraction(b), Fraction(-c))}$"
            else:
                a, b = pick(rng, -m, m, nonzero=True), pick(rng, -m, m, nonzero=True)
                c1, c2, k = rng.randint(-3 * m, 3 * m), rng.randint(-3 * m, 3 * m), rng.randint(2, 3)
                if c1 * k == c2:
                    continue
                square = Fraction((c1 - Fraction(c2, k)) ** 2) / (a * a + b * b)
                question = (f"the parallel lines ${_line_latex(Fraction(a), Fraction(b), Fraction(-c1))}$ and "
                            f"${_line_latex(Fraction(k * a), Fraction(k * b), Fraction(-c2), reduce=False)}$")
            break
        else:
            raise RuntimeError("could not draw a distance problem")  # a generator bug
        gold = sqrt_latex(square)
        prompt = (f"Find the distance between {question}.\n\nGive the exact value in simplest radical form (no decimals). "
                  f"{ANSWER_INSTRUCTION}")
        return Draft(prompt, gold, {"gold": gold, "square": str(square)})

    def check(self, problem: Problem, completion: str) -> Verdict:
        return delegate(problem, completion)

    def probes(self, problem: Problem) -> list[Probe]:
        square = Fraction(problem.data["square"])
        own = [
            Probe(wrap(f"\\sqrt{{{latex_number(square)}}}"), True, "the unsimplified square root"),
            Probe(wrap(f"d = {problem.answer}"), True, "written as d = value"),
            Probe(wrap(sqrt_latex(square * 4)), False, "twice the distance"),
            Probe(wrap(f"{problem.answer} \\text{{ or }} {sqrt_latex(square + 1)}"), False, "hedged"),
            Probe(wrap(""), False, "empty"),
        ]
        if square != 1:
            own.append(Probe(wrap(latex_number(square)), False, "the squared distance"))
        if math.isqrt(square.numerator) ** 2 != square.numerator or math.isqrt(square.denominator) ** 2 != square.denominator:
            own.append(Probe(wrap(f"{float(square) ** 0.5:.4f}"), False, "a decimal approximation of an irrational distance"))
        return merged(probes_for(problem.answer), own)
