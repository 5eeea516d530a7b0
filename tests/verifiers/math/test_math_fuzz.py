"""Differential fuzzer of the math verifier (issue 10): random expression pairs equal by
construction (expansion, factoring, trigonometric and logarithmic identities, rationalising,
absolute values) and near misses made by one mutation (a sign, an absolute value dropped, a
constant nudged, an interval end flipped). Each pair is also judged by an independent slow path
built from sympy objects made alongside the LaTeX (never from the verifier's parser): simplification
of the difference, then high-precision evaluation at many points of the gold's real domain. The
fast verifier must agree with it on every pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assay.verifiers.math import verify

X = sympy.Symbol("x", real=True)
POINTS = [sympy.Rational(k, 7) for k in range(-350, 351, 37)] + [sympy.Integer(v) for v in (-10**4, -999, 997, 10**4)]


@dataclass(frozen=True)
class Form:
    latex: str
    value: sympy.Expr


def _signed(k: int) -> str:
    return f"+ {k}" if k >= 0 else f"- {-k}"


small = st.integers(-9, 9).filter(lambda k: k != 0)
positive = st.integers(2, 30)


@st.composite
def equal_pairs(draw: st.DrawFn) -> tuple[Form, Form]:
    """Two forms of one expression, equal by construction."""
    kind = draw(st.sampled_from(["expand", "factor", "trig", "double", "log", "rational", "abs", "power"]))
    a, b = draw(small), draw(small)
    if kind == "expand":
        return (Form(f"(x {_signed(a)})(x {_signed(b)})", (X + a) * (X + b)),
                Form(f"x^2 {_signed(a + b)}x {_signed(a * b)}", X**2 + (a + b) * X + a * b))
    if kind == "factor":
        return (Form(f"x^2 {_signed(a + b)}x {_signed(a * b)}", X**2 + (a + b) * X + a * b),
                Form(f"(x {_signed(b)})(x {_signed(a)})", (X + b) * (X + a)))
    if kind == "trig":
        return (Form(f"{a}\\sin^2 x + {a}\\cos^2 x", a * sympy.sin(X) ** 2 + a * sympy.cos(X) ** 2), Form(str(a), sympy.Integer(a)))
    if kind == "double":
        return (Form(f"{a}\\sin(2x)", a * sympy.sin(2 * X)), Form(f"{2 * a}\\sin x\\cos x", 2 * a * sympy.sin(X) * sympy.cos(X)))
    if kind == "log":
        p, q = draw(positive), draw(positive)
        return (Form(f"\\ln {p * q}", sympy.log(p * q)), Form(f"\\ln {p} + \\ln {q}", sympy.log(p) + sympy.log(q)))
    if kind == "rational":
        p, q = draw(positive), draw(positive)
        assume(p != q and not sympy.sqrt(p).is_Rational and not sympy.sqrt(q).is_Rational)
        return (Form(f"\\frac{{1}}{{\\sqrt{{{p}}} + \\sqrt{{{q}}}}}", 1 / (sympy.sqrt(p) + sympy.sqrt(q))),
                Form(f"\\frac{{\\sqrt{{{p}}} - \\sqrt{{{q}}}}}{{{p - q}}}", (sympy.sqrt(p) - sympy.sqrt(q)) / (p - q)))
    if kind == "abs":
        return (Form(f"|x {_signed(a)}|", sympy.Abs(X + a)), Form(f"\\sqrt{{(x {_signed(a)})^2}}", sympy.sqrt((X + a) ** 2)))
    k = draw(st.integers(2, 5))
    return (Form(f"x^{{{k}}} \\cdot x^{{{b % 4 + 1}}}", X**k * X ** (b % 4 + 1)), Form(f"x^{{{k + b % 4 + 1}}}", X ** (k + b % 4 + 1)))


@st.composite
def near_misses(draw: st.DrawFn) -> tuple[Form, Form]:
    """An equal pair with one mutation of the answer."""
    a, b = draw(small), draw(small)
    kind = draw(st.sampled_from(["sign", "abs", "nudge", "tiny", "root"]))
    if kind == "sign":
        return (Form(f"(x {_signed(a)})(x {_signed(b)})", (X + a) * (X + b)),
                Form(f"x^2 {_signed(a + b)}x {_signed(-a * b)}", X**2 + (a + b) * X - a * b))
    if kind == "abs":
        return Form(f"|x {_signed(a)}|", sympy.Abs(X + a)), Form(f"x {_signed(a)}", X + a)
    if kind == "nudge":
        return (Form(f"{a}\\sin(2x)", a * sympy.sin(2 * X)), Form(f"{2 * a}\\sin x\\cos x + 1", 2 * a * sympy.sin(X) * sympy.cos(X) + 1))
    if kind == "tiny":
        p = draw(positive)
        return (Form(f"\\sqrt{{{p}}}", sympy.sqrt(p)),
                Form(f"\\sqrt{{{p}}} + e^{{-{10 * p}}}", sympy.sqrt(p) + sympy.exp(-10 * p)))
    return (Form(f"\\sqrt{{x^2 {_signed(2 * a)}x + {a * a}}}", sympy.sqrt(X**2 + 2 * a * X + a * a)),
            Form(f"x {_signed(a)}", X + a))


def slow_equal(gold: sympy.Expr, answer: sympy.Expr) -> bool | None:
    """The independent judge: simplification, then agreement at many points of the gold's real
    domain at 60 digits; None when the two disagree with each other (no verdict to compare)."""
    difference = sympy.simplify(gold - answer)
    simplified = difference == 0
    agreed = compared = 0
    for point in POINTS if gold.free_symbols or answer.free_symbols else [sympy.Integer(0)]:
        g = gold.subs(X, point).evalf(60)
        if not g.is_real:
            continue
        a = answer.subs(X, point).evalf(60)
        if not a.is_real:
            continue
        compared += 1
        scale = max(abs(g), abs(a), 1)
        agreed += bool(abs(g - a) <= sympy.Float(10, 60) ** -50 * scale)
    numeric = compared > 0 and agreed == compared
    if not (gold.free_symbols or answer.free_symbols):  # constants: the precision must grow with the gap
        numeric = abs((gold - answer).evalf(2000)) < sympy.Float(10, 2000) ** -1900
    if simplified != numeric:
        return None
    return simplified


def _judged(pair: tuple[Form, Form]) -> tuple[bool, bool | None]:
    gold, answer = pair
    verdict = verify(f"So the result is $\\boxed{{{answer.latex}}}$.", gold.latex)
    return verdict.passed, slow_equal(gold.value, answer.value)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(equal_pairs())
def test_equal_by_construction_agrees_with_the_slow_path(pair: tuple[Form, Form]) -> None:
    fast, slow = _judged(pair)
    assume(slow is not None)
    assert slow is True, pair
    assert fast is slow, pair


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(near_misses())
def test_one_mutation_agrees_with_the_slow_path(pair: tuple[Form, Form]) -> None:
    fast, slow = _judged(pair)
    assume(slow is not None)
    assert fast is slow, pair


@settings(max_examples=40, deadline=None)
@given(st.integers(-20, 20), st.integers(1, 20), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_intervals_and_inequalities_agree_with_sympy_sets(low: int, width: int, left: bool, right: bool,
                                                          flip: bool, flip_right: bool) -> None:
    high = low + width
    gold = f"{'[' if left else '('}{low}, {high}{']' if right else ')'}"
    answer_left, answer_right = (not left) if flip else left, (not right) if flip_right else right
    less, less_equal = "<", r"\le"
    relation = f"{low} {less_equal if answer_left else less} x {less_equal if answer_right else less} {high}"
    expected = sympy.Interval(low, high, not left, not right) == sympy.Interval(low, high, not answer_left, not answer_right)
    assert verify(f"$\\boxed{{{relation}}}$", gold).passed is expected, (gold, relation)
