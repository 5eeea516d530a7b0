"""Exact polynomials over the rationals and a bounded parser of one-variable rational expressions
written by a model (LaTeX or plain), for checks of form: expanded, factored, simplified, +C.

The parser is a grammar with hard limits on length, degree, exponent and coefficient size; it
never evaluates anything but polynomial arithmetic, so hostile text costs at most a short scan.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from assay.generators.math.formatting import latex_polynomial

Poly = tuple[Fraction, ...]  # coefficients, constant first, no trailing zeros; () is zero

MAX_TEXT = 2000
MAX_DEGREE = 60
MAX_EXPONENT = 30
MAX_COEFFICIENT_BITS = 4000
MAX_NESTING = 40


class ExpressionError(ValueError):
    """Text that is not a bounded rational expression in the allowed variable."""


class ExpressionTooLarge(ExpressionError):
    """Text past the grammar's size limits (length, nesting, degree, exponent, coefficients)."""


# -- polynomial arithmetic ---------------------------------------------------------------------
def poly(*coefficients: Fraction | int) -> Poly:
    """A trimmed polynomial from coefficients, constant first.

    >>> poly(1, 2, 0)
    (Fraction(1, 1), Fraction(2, 1))
    """
    values = [Fraction(c) for c in coefficients]
    while values and values[-1] == 0:
        values.pop()
    return tuple(values)


def degree(p: Poly) -> int:
    return len(p) - 1  # the zero polynomial has degree -1


def add(p: Poly, q: Poly) -> Poly:
    n = max(len(p), len(q))
    return poly(*((p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)))


def neg(p: Poly) -> Poly:
    return tuple(-c for c in p)


def sub(p: Poly, q: Poly) -> Poly:
    return add(p, neg(q))


def mul(p: Poly, q: Poly) -> Poly:
    if not p or not q:
        return ()
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return poly(*out)


def power(p: Poly, n: int) -> Poly:
    out: Poly = poly(1)
    for _ in range(n):
        out = mul(out, p)
    return out


def scale(p: Poly, c: Fraction | int) -> Poly:
    return poly(*(a * c for a in p))


def divmod_poly(p: Poly, q: Poly) -> tuple[Poly, Poly]:
    """Quotient and remainder of p by a non-zero q.

    >>> divmod_poly(poly(-1, 0, 1), poly(-1, 1))
    ((Fraction(1, 1), Fraction(1, 1)), ())
    """
    if not q:
        raise ZeroDivisionError("polynomial division by zero")
    remainder = list(p)
    quotient = [Fraction(0)] * max(len(p) - len(q) + 1, 1)
    while len(remainder) >= len(q) and any(remainder):
        shift = len(remainder) - len(q)
        factor = remainder[-1] / q[-1]
        quotient[shift] = factor
        for i, c in enumerate(q):
            remainder[i + shift] -= factor * c
        remainder = list(poly(*remainder))
    return poly(*quotient), poly(*remainder)


def gcd_poly(p: Poly, q: Poly) -> Poly:
    """The monic greatest common divisor (zero only when both are zero).

    >>> gcd_poly(poly(-1, 0, 1), poly(1, 2, 1))
    (Fraction(1, 1), Fraction(1, 1))
    """
    while q:
        p, q = q, divmod_poly(p, q)[1]
    return scale(p, 1 / p[-1]) if p else p


def derivative(p: Poly) -> Poly:
    return poly(*(k * c for k, c in enumerate(p) if k))


def evaluate(p: Poly, x: Fraction | int) -> Fraction:
    value = Fraction(0)
    for c in reversed(p):
        value = value * x + c
    return value


def content(p: Poly) -> Fraction:
    """The positive gcd of the coefficients of an integer polynomial (0 for zero)."""
    g = 0
    for c in p:
        g = math.gcd(g, c.numerator) if c.denominator == 1 else g
    return Fraction(g)


@dataclass(frozen=True)
class Rational:
    """A rational function ``num / den`` (not reduced: form checks need the written factors)."""

    num: Poly
    den: Poly

    def __add__(self, other: Rational) -> Rational:
        if self.den == other.den:
            return Rational(add(self.num, other.num), self.den)
        return Rational(add(mul(self.num, other.den), mul(other.num, self.den)), mul(self.den, other.den))

    def __neg__(self) -> Rational:
        return Rational(neg(self.num), self.den)

    def __mul__(self, other: Rational) -> Rational:
        return Rational(mul(self.num, other.num), mul(self.den, other.den))

    def __truediv__(self, other: Rational) -> Rational:
        if not other.num:
            raise ExpressionError("division by zero")
        return Rational(mul(self.num, other.den), mul(self.den, other.num))

    def equals(self, other: Rational) -> bool:
        return mul(self.num, other.den) == mul(other.num, self.den)

    def polynomial(self) -> Poly | None:
        """The polynomial this equals, or None when it is not one."""
        quotient, remainder = divmod_poly(self.num, self.den)
        return None if remainder else quotient

    def derivative(self) -> Rational:
        return Rational(sub(mul(derivative(self.num), self.den), mul(self.num, derivative(self.den))), mul(self.den, self.den))


# -- parsing -----------------------------------------------------------------------------------
Node = tuple  # ("num", Fraction) | ("var",) | ("add", [(sign, node)]) | ("mul", [node]) | ("div", a, b) | ("pow", a, n) | ("neg", a)

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?|\.\d+)|(?P<frac>\\[dt]?frac)|(?P<cmd>\\[A-Za-z]+)|(?P<name>[A-Za-z])|(?P<op>[-+*/^(){}\[\]]))", re.ASCII)
_NOISE = re.compile(r"\\[,;:! ]|\\left|\\right|\\cdot|\\times|\\ast|\$|\u00b7|\u00d7")


_SUPERSCRIPT_DIGITS = dict(zip("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b", "0123456789-"))


def _superscripts(text: str) -> str:
    """Runs of superscript digits as exponents: x\u00b2 is x^{2}, x\u00b9\u2070 is x^{10} (one linear pass)."""
    if not any(char in _SUPERSCRIPT_DIGITS for char in text):
        return text
    out: list[str] = []
    run: list[str] = []
    for char in text + " ":
        if char in _SUPERSCRIPT_DIGITS:
            run.append(_SUPERSCRIPT_DIGITS[char])
            continue
        if run:
            out.append("^{" + "".join(run) + "}")
            run = []
        out.append(char)
    return "".join(out)[:-1]


def _tokens(text: str) -> list[tuple[str, str]]:
    text = _superscripts(text.replace("\u2212", "-").replace("**", "^"))
    text = _NOISE.sub(lambda m: "*" if m.group(0) in ("\\cdot", "\\times", "\\ast", "\u00b7", "\u00d7") else " ", text)
    out: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected character at {position}: {text[position:position + 10]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], variable: str) -> None:
        self.tokens, self.variable, self.position = tokens, variable, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'more'} at token {self.position}")
        self.position += 1
        return token

    def expression(self) -> Node:
        terms: list[tuple[int, Node]] = []
        sign = 1
        if self.peek() and self.peek()[1] in "+-":  # type: ignore[index]
            sign = -1 if self.take()[1] == "-" else 1
        terms.append((sign, self.term()))
        while self.peek() and self.peek()[1] in ("+", "-"):  # type: ignore[index]
            sign = -1 if self.take()[1] == "-" else 1
            terms.append((sign, self.term()))
        if len(terms) == 1:
            return terms[0][1] if terms[0][0] == 1 else ("neg", terms[0][1])
        return ("add", terms)

    def term(self) -> Node:
        node = self.factor()
        factors: list[Node] = [node]
        while True:
            token = self.peek()
            if token is None:
                break
            if token[1] == "*":
                self.take()
                factors.append(self.factor())
            elif token[1] == "/":
                self.take()
                divisor = self.factor()
                left = factors[0] if len(factors) == 1 else ("mul", factors)
                factors = [("div", left, divisor)]
            elif token[0] in ("name", "frac") or token[1] in ("(", "[", "{") or (token[0] == "num" and factors[-1][0] != "num" and factors[-1][0] != "pow"):
                factors.append(self.factor())  # implicit multiplication: 2x, 3(x+1), (x+1)(x-2)
            else:
                break
        return factors[0] if len(factors) == 1 else ("mul", factors)

    def factor(self) -> Node:
        token = self.peek()
        if token is not None and token[1] == "-":
            self.take()
            return ("neg", self.factor())
        base = self.atom()
        if self.peek() is not None and self.peek()[1] == "^":  # type: ignore[index]
            self.take()
            exponent = self.exponent()
            base = ("pow", base, exponent)
            if self.peek() is not None and self.peek()[1] == "^":  # type: ignore[index]
                raise ExpressionError("stacked exponents")
        return base

    def exponent(self) -> int:
        braced = self.peek() is not None and self.peek()[1] == "{"  # type: ignore[index]
        if braced:
            self.take("{")
        sign = 1
        if self.peek() is not None and self.peek()[1] == "-":  # type: ignore[index]
            self.take()
            sign = -1
        kind, value = self.take()
        if kind == "num" and "." not in value and len(value) > 3:
            raise ExpressionTooLarge("exponent too large")
        if kind != "num" or "." in value or (not braced and len(value) > 1):
            raise ExpressionError("exponent must be a small integer")
        if braced:
            self.take("}")
        n = sign * int(value)
        if abs(n) > MAX_EXPONENT:
            raise ExpressionTooLarge("exponent too large")
        return n

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            if len(value) > 40:
                raise ExpressionTooLarge("number too long")
            return ("num", Fraction(value))
        if kind == "name":
            if value != self.variable:
                raise ExpressionError(f"unknown symbol {value!r}")
            return ("var",)
        if kind == "frac":
            self.take("{")
            top = self.expression()
            self.take("}")
            self.take("{")
            bottom = self.expression()
            self.take("}")
            return ("div", top, bottom)
        closing = {"(": ")", "[": "]", "{": "}"}.get(value)
        if closing is None:
            raise ExpressionError(f"unexpected {value!r}")
        inner = self.expression()
        self.take(closing)
        return ("group", inner)


def parse_expression(text: str, variable: str = "x") -> Node:
    """The syntax tree of a one-variable rational expression, or ExpressionError.

    >>> parse_expression("2x^{2}")
    ('mul', [('num', Fraction(2, 1)), ('pow', ('var',), 2)])
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ExpressionTooLarge("too long")
    tokens = _tokens(text.strip().rstrip("."))
    if not tokens:
        raise ExpressionError("empty")
    depth = deepest = 0
    for _, value in tokens:
        depth += 1 if value in "([{" else -1 if value in ")]}" else 0
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise ExpressionTooLarge("nested too deeply")
    parser = _Parser(tokens, variable)
    node = parser.expression()
    if parser.position != len(tokens):
        raise ExpressionError(f"trailing text at token {parser.position}")
    return node


def _check_size(p: Poly) -> Poly:
    if degree(p) > MAX_DEGREE:
        raise ExpressionTooLarge("degree too large")
    if any(c.numerator.bit_length() + c.denominator.bit_length() > MAX_COEFFICIENT_BITS for c in p):
        raise ExpressionTooLarge("coefficient too large")
    return p


def value_of(node: Node) -> Rational:
    """The rational function a tree denotes (bounded; ExpressionError past the limits).

    >>> r = value_of(parse_expression("\\\\frac{x^2 - 1}{x - 1}"))
    >>> r.polynomial()
    (Fraction(1, 1), Fraction(1, 1))
    """
    kind = node[0]
    if kind == "num":
        return Rational(poly(node[1]), poly(1))
    if kind == "var":
        return Rational(poly(0, 1), poly(1))
    if kind == "group":
        return value_of(node[1])
    if kind == "neg":
        return -value_of(node[1])
    if kind == "add":
        total = Rational((), poly(1))
        for sign, term in node[1]:
            part = value_of(term)
            total = total + (part if sign > 0 else -part)
        return Rational(_check_size(total.num), _check_size(total.den))
    if kind == "mul":
        product = Rational(poly(1), poly(1))
        for factor in node[1]:
            product = product * value_of(factor)
            _check_size(product.num), _check_size(product.den)
        return product
    if kind == "div":
        return value_of(node[1]) / value_of(node[2])
    if kind == "pow":
        base, n = value_of(node[1]), node[2]
        if degree(base.num) * abs(n) > MAX_DEGREE or degree(base.den) * abs(n) > MAX_DEGREE:
            raise ExpressionTooLarge("degree too large")
        if n < 0:
            if not base.num:
                raise ExpressionError("division by zero")
            base, n = Rational(base.den, base.num), -n
        return Rational(_check_size(power(base.num, n)), _check_size(power(base.den, n)))
    raise ExpressionError(f"unknown node {kind}")  # pragma: no cover


def parse_rational(text: str, variable: str = "x") -> Rational:
    """Parse and evaluate in one step."""
    return value_of(parse_expression(text, variable))


# -- forms -------------------------------------------------------------------------------------
def _strip(node: Node) -> Node:
    while node[0] == "group":
        node = node[1]
    return node


strip_groups = _strip  # public name: parentheses around a whole tree carry no meaning


def _monomial_degree(node: Node) -> int | None:
    """The degree of a monomial written as number(s) times a power of the variable, else None."""
    node = _strip(node)
    kind = node[0]
    if kind == "num":
        return 0
    if kind == "var":
        return 1
    if kind == "neg":
        return _monomial_degree(node[1])
    if kind == "pow":
        base = _strip(node[1])
        if base[0] == "var" and node[2] >= 0:
            return node[2]
        if base[0] == "num":
            return 0
        return None
    if kind == "mul":
        degrees = [_monomial_degree(f) for f in node[1]]
        if any(d is None for d in degrees) or sum(1 for d, f in zip(degrees, node[1]) if d) > 1:
            return None
        return sum(d for d in degrees if d)
    if kind == "div":
        top, bottom = _monomial_degree(node[1]), _strip(node[2])
        if top is None or bottom[0] != "num":
            return None
        return top
    return None


def is_expanded(node: Node) -> bool:
    """Whether a tree is a sum of monomials with distinct degrees (like terms collected).

    >>> is_expanded(parse_expression("x^{2} + 2x + 1")), is_expanded(parse_expression("(x+1)^2"))
    (True, False)
    >>> is_expanded(parse_expression("x^2 + x + x"))
    False
    """
    node = _strip(node)
    terms = node[1] if node[0] == "add" else [(1, node)]
    degrees = [_monomial_degree(term) for _, term in terms]
    return all(d is not None for d in degrees) and len(set(degrees)) == len(degrees)


def is_irreducible_primitive(p: Poly) -> bool:
    """An integer polynomial with content 1, irreducible over Q (degree 1, a quadratic with a
    non-square discriminant, or a cubic without rational roots)."""
    if any(c.denominator != 1 for c in p) or content(p) != 1 or degree(p) < 1:
        return False
    if degree(p) == 1:
        return True
    if degree(p) == 2:
        c, b, a = p
        d = b * b - 4 * a * c
        return d < 0 or math.isqrt(int(d)) ** 2 != d
    if degree(p) == 3:
        return not _has_rational_root(p)
    return False


def _has_rational_root(p: Poly) -> bool:
    constant, leading = abs(int(p[0])), abs(int(p[-1]))
    if constant == 0:
        return True
    if constant > 10**6 or leading > 10**6:
        return True  # too big to test cheaply: treat as reducible (never true of our golds)

    def divisors(n: int) -> list[int]:
        return [d for d in range(1, n + 1) if n % d == 0]

    return any(evaluate(p, Fraction(s * a, b)) == 0 for a in divisors(constant) for b in divisors(leading) for s in (1, -1))


def factor_list(node: Node) -> list[tuple[Poly, int]] | None:
    """The written factors of a product, (polynomial, exponent) each; None if the tree is not a
    product of polynomials (a sum at the top, a division by a non-constant, ...)."""
    node = _strip(node)
    if node[0] == "neg":
        inner = factor_list(node[1])
        return None if inner is None else [(poly(-1), 1)] + inner
    if node[0] == "mul":
        out: list[tuple[Poly, int]] = []
        for child in node[1]:
            part = factor_list(child)
            if part is None:
                return None
            out.extend(part)
        return out
    if node[0] == "pow" and node[2] >= 1:
        base = value_of(node[1]).polynomial()
        return None if base is None else [(base, node[2])]
    value = value_of(node).polynomial()
    return None if value is None else [(value, 1)]


def has_variable_division(node: Node) -> bool:
    """Whether the tree divides by something that is not a constant."""
    node = _strip(node)
    kind = node[0]
    if kind == "div":
        divisor = value_of(node[2]).polynomial()
        if divisor is None or degree(divisor) > 0:
            return True
        return has_variable_division(node[1]) or has_variable_division(node[2])
    if kind == "pow":
        return node[2] < 0 or has_variable_division(node[1])
    if kind in ("neg", "group"):
        return has_variable_division(node[1])
    if kind == "add":
        return any(has_variable_division(term) for _, term in node[1])
    if kind == "mul":
        return any(has_variable_division(f) for f in node[1])
    return False


def single_fraction(node: Node) -> tuple[Poly, Poly] | None:
    """(numerator, denominator) of a tree written as one fraction P/Q of polynomials (or as a
    polynomial, denominator 1); None for any other shape, such as a sum of fractions.

    >>> single_fraction(parse_expression("\\\\frac{x+1}{(x-1)(x+2)}")) is not None
    True
    >>> single_fraction(parse_expression("\\\\frac{1}{x} + \\\\frac{1}{x+1}")) is None
    True
    """
    node = _strip(node)
    sign = 1
    while node[0] == "neg":
        sign, node = -sign, _strip(node[1])
    if node[0] == "div":
        if has_variable_division(node[1]) or has_variable_division(node[2]):
            return None
        top, bottom = value_of(node[1]).polynomial(), value_of(node[2]).polynomial()
    else:
        if has_variable_division(node):
            return None
        top, bottom = value_of(node).polynomial(), poly(1)
    if top is None or bottom is None or not bottom:
        return None
    return scale(top, sign), bottom


def integer_fraction(num: Poly, den: Poly) -> tuple[Poly, Poly]:
    """Scale P/Q to integer coefficients, no common integer factor, positive leading denominator."""
    lcm = 1
    for c in num + den:
        lcm = math.lcm(lcm, c.denominator)
    num, den = scale(num, lcm), scale(den, lcm)
    g = math.gcd(int(content(num)), int(content(den))) or 1
    sign = -1 if den[-1] < 0 else 1
    return scale(num, Fraction(sign, g)), scale(den, Fraction(sign, g))


def fraction_latex(num: Poly, den: Poly) -> str:
    """P/Q as LaTeX: ``\\frac{P}{Q}``, or the polynomial P alone when Q is 1."""
    if den == poly(1):
        return latex_polynomial(list(num))
    return f"\\frac{{{latex_polynomial(list(num))}}}{{{latex_polynomial(list(den))}}}"
