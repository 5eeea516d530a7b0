"""The bounded rational-expression grammar behind the form checks: a table of (text, value or
error, why), form predicates, and hostile inputs that must be refused quickly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assay.generators.math import expressions as P

X2_1 = P.Rational(P.poly(-1, 0, 1), P.poly(1))


@pytest.mark.parametrize(
    ("text", "numerator", "denominator", "why"),
    [
        ("x^2 - 1", (-1, 0, 1), (1,), "plain"),
        ("x^{2} - 1", (-1, 0, 1), (1,), "braced exponent"),
        ("(x-1)(x+1)", (-1, 0, 1), (1,), "implicit product of groups"),
        ("\\left(x - 1\\right)\\cdot\\left(x + 1\\right)", (-1, 0, 1), (1,), "\\left, \\cdot"),
        ("\\frac{x^2 - 1}{2}", (Fraction(-1, 2), 0, Fraction(1, 2)), (1,), "\\frac"),
        ("\\dfrac{1}{x}", (1,), (0, 1), "\\dfrac"),
        ("0.5x + .25", (Fraction(1, 4), Fraction(1, 2)), (1,), "decimals"),
        ("2x^{-2}", (2,), (0, 0, 1), "negative exponent"),
        ("-(x - 2)^{2}", (-4, 4, -1), (1,), "leading minus before a power"),
        ("x**2", (0, 0, 1), (1,), "python power"),
        ("3 \\times x", (0, 3), (1,), "\\times"),
        ("[x+1]", (1, 1), (1,), "brackets"),
    ],
)
def test_values(text, numerator, denominator, why):
    value = P.parse_rational(text)
    assert value.equals(P.Rational(P.poly(*numerator), P.poly(*denominator))), why


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("y + 1", "another variable"),
        ("x^2^3", "stacked exponents"),
        ("x^{100}", "exponent too large"),
        ("(x+1)^{30}^{2}", "stacked exponents after a group"),
        ("((x+1)^{30})^{30}", "degree bomb"),
        ("(" * 100 + "x" + ")" * 100, "nesting bomb"),
        ("9" * 50, "a number too long"),
        ("x" * 3000, "too long"),
        ("\\sin(x)", "an unknown command"),
        ("1 or 2", "words"),
        ("\\frac{1}{0}", "division by zero"),
        ("x^{1.5}", "a fractional exponent"),
        ("2 3", "two numbers side by side"),
    ],
)
def test_refused(text, why):
    with pytest.raises(P.ExpressionError):
        P.parse_rational(text)


def test_coefficient_bomb_is_refused():
    with pytest.raises(P.ExpressionError):
        P.parse_rational("(" * 30 + "99999999999999999999999999999" + ")^{30}" * 30)


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("x^{2} + 2x + 1", True),
        ("1 + 2x + x^2", True),
        ("\\frac{1}{2}x^3 - \\frac{x}{3}", True),
        ("2 \\cdot x^{2} - 3", True),
        ("(x+1)^2", False),
        ("x(x+2)", False),
        ("x^2 + x + x", False),
        ("x \\cdot x + 1", False),
        ("\\frac{x+1}{2}", False),
    ],
)
def test_is_expanded(text, expanded):
    assert P.is_expanded(P.parse_expression(text)) is expanded


def test_single_fraction_and_factor_list():
    assert P.single_fraction(P.parse_expression("\\frac{x+1}{(x-1)(x+2)}")) == (P.poly(1, 1), P.poly(-2, 1, 1))
    assert P.single_fraction(P.parse_expression("-\\frac{x+1}{x}")) == (P.poly(-1, -1), P.poly(0, 1))
    assert P.single_fraction(P.parse_expression("\\frac{1}{x} + \\frac{1}{x+1}")) is None
    assert P.single_fraction(P.parse_expression("(x+1)\\cdot\\frac{1}{x}")) is None
    factors = P.factor_list(P.parse_expression("-3(x-1)^{2}(x^2+1)"))
    assert factors == [(P.poly(-1), 1), (P.poly(3), 1), (P.poly(-1, 1), 2), (P.poly(1, 0, 1), 1)]
    assert P.factor_list(P.parse_expression("x^2 - 1")) == [(P.poly(-1, 0, 1), 1)]
    assert P.factor_list(P.parse_expression("(x+1) + (x-1)")) == [(P.poly(0, 2), 1)]


def test_irreducibility():
    assert P.is_irreducible_primitive(P.poly(1, 0, 1))  # x^2 + 1
    assert P.is_irreducible_primitive(P.poly(-2, 0, 1))  # x^2 - 2
    assert not P.is_irreducible_primitive(P.poly(-1, 0, 1))  # x^2 - 1
    assert not P.is_irreducible_primitive(P.poly(2, 2))  # 2x + 2 has content 2
    assert not P.is_irreducible_primitive(P.poly(-1, 0, 0, 1))  # x^3 - 1 has the root 1
    assert P.is_irreducible_primitive(P.poly(-2, 0, 0, 1))  # x^3 - 2


def test_polynomial_arithmetic():
    quotient, remainder = P.divmod_poly(P.poly(-1, 0, 0, 1), P.poly(-1, 1))
    assert quotient == P.poly(1, 1, 1) and remainder == ()
    assert P.gcd_poly(P.poly(-1, 0, 1), P.poly(1, 2, 1)) == P.poly(1, 1)
    assert X2_1.derivative().equals(P.Rational(P.poly(0, 2), P.poly(1)))
    assert P.Rational(P.poly(1), P.poly(0, 1)).derivative().equals(P.Rational(P.poly(-1), P.poly(0, 0, 1)))
