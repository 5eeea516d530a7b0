"""Exact values of parsed answers without a CAS: Gaussian rationals, bounded powers and factorials.

Everything here is cheap and bounded, so it runs in the grader's process: a value past the
in-process limits, or one that needs more (pi, roots, variables), raises ``NotExact`` (the killable
CAS worker decides); one past the refusal limits (an expression bomb) raises ``TooLarge``.
"""

from __future__ import annotations

import cmath
import math
from fractions import Fraction

from assay.verifiers.math.lexer import ParseError, TooLarge
from assay.verifiers.math.nodes import (
    Abs,
    Add,
    Binom,
    Const,
    Div,
    Fact,
    Func,
    List,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pow,
    Rel,
    Root,
    Text,
    Var,
    children,
    kind_of,
)

E_VAR, E_CONST = Var("e"), Const("e")

# in-process limits: every operation on numbers this size takes well under a millisecond
EXACT_BITS = 20_000  # (about 6000 digits; gcd is quadratic, so larger waits for the worker)
EXACT_FACTORIAL = 1_000
EXACT_BINOMIAL = 5_000
# refusal limits, here and in the CAS worker: past them an answer is an expression bomb
MAX_BITS = 1_000_000
MAX_FACTORIAL = 20_000
MAX_BINOMIAL = 100_000
MAX_SYMBOLIC_EXPONENT = 10**6  # |n| in x^n beyond this is an expression bomb, not an answer

Exact = tuple[Fraction, Fraction]  # (real part, imaginary part)


class NotExact(Exception):
    """The value is not a Gaussian rational this module can compute (needs the CAS)."""


def _bits(value: Fraction) -> int:
    return max(abs(value.numerator).bit_length(), value.denominator.bit_length())


def exact(node: Node) -> Exact:
    """The exact value of a scalar AST as (real, imaginary) Fractions.

    >>> from assay.verifiers.math.parse import parse
    >>> exact(parse("(3+4i)(3-4i)"))
    (Fraction(25, 1), Fraction(0, 1))
    >>> exact(parse(r"\\frac{1}{2^{99}}"))[0] == Fraction(1, 2**99)
    True
    """
    match node:
        case Num(number):
            return number, Fraction(0)
        case Var(name) | Const(name):
            if name == "i":
                return Fraction(0), Fraction(1)
            raise NotExact(name)
        case Neg(arg):
            re, im = exact(arg)
            return -re, -im
        case Add(terms):
            re, im = Fraction(0), Fraction(0)
            for term in terms:
                a, b = exact(term)
                re, im = re + a, im + b
                _check_size((re, im))  # 1/3^k + 1/5^m + ...: denominators multiply
            return re, im
        case Mul(factors):
            value: Exact = (Fraction(1), Fraction(0))
            for factor in factors:
                value = _multiply(value, exact(factor))
                _check_size(value)
            return value
        case Div(num, den):
            value = _divide(exact(num), exact(den))
            _check_size(value)
            return value
        case Pow(base, exponent):
            return _power(base, exponent)
        case Root(radicand, index):
            return _root(exact(radicand), exact(index))
        case Fact(arg):
            n = _integer(exact(arg))
            if n < 0:
                raise ParseError("factorial of a negative number")
            if n > MAX_FACTORIAL:
                raise TooLarge(f"{n}!")
            if n > EXACT_FACTORIAL:
                raise NotExact("a large factorial")
            return Fraction(math.factorial(n)), Fraction(0)
        case Binom(top, bottom):
            n, k = _integer(exact(top)), _integer(exact(bottom))
            if n > MAX_BINOMIAL:
                raise TooLarge(f"binomial of {n}")
            if n > EXACT_BINOMIAL:
                raise NotExact("a large binomial coefficient")
            return Fraction(math.comb(n, k) if 0 <= k and n >= 0 else 0), Fraction(0)
        case Abs(arg):
            re, im = exact(arg)
            if im == 0:
                return abs(re), Fraction(0)
            return _root((re * re + im * im, Fraction(0)), (Fraction(2), Fraction(0)))
        case Func("conj", args):
            re, im = exact(args[0])
            return re, -im
        case Func("floor" | "ceil" as name, (arg,)):
            re, im = exact(arg)
            if im != 0:
                raise ParseError("floor of a complex number")
            return Fraction(math.floor(re) if name == "floor" else math.ceil(re)), Fraction(0)
        case Pct(arg):
            re, im = exact(arg)
            return re / 100, im / 100
    raise NotExact(kind_of(node))


def estimated_bits(node: Node) -> int:
    """An upper bound on the size in bits of the numbers an AST evaluates to, computed without
    evaluating it: ``\\frac{1}{3^{90000}} + \\frac{1}{5^{80000}} + ...`` is refused from this alone.

    >>> from assay.verifiers.math.parse import parse
    >>> estimated_bits(parse("2^{10} + 1")) <= 32, estimated_bits(parse("(10^7)!")) > MAX_BITS
    (True, True)
    """
    match node:
        case Num(value):
            return _bits(value)
        case Var() | Const() | Text():
            return 1
        case Pow(base_node, exponent):
            base = estimated_bits(base_node)
            if base <= 2 and _unit(base_node):
                return 1  # (-1)^{10^{100}} and i^{10^{100}} cycle: no size at all
            try:
                power = exact(exponent)
            except (NotExact, ParseError):
                return base + estimated_bits(exponent)
            except TooLarge:
                return MAX_BITS + 1
            size = abs(power[0].numerator) + abs(power[1].numerator)
            return base * size if size <= MAX_BITS else MAX_BITS + 1
        case Fact(arg) | Binom(arg, _):
            try:
                n = exact(arg)[0]
            except (NotExact, ParseError):
                return estimated_bits(arg)
            except TooLarge:
                return MAX_BITS + 1
            top = abs(n.numerator) // n.denominator
            return top * max(top.bit_length(), 1) if top <= MAX_BITS else MAX_BITS + 1
    total = 1 if isinstance(node, (List, Rel)) else 0  # (the separators have always counted one bit)
    for child in children(node):
        total += estimated_bits(child)
        if total > MAX_BITS:
            return total
    return total + 1


def _unit(node: Node) -> bool:
    try:
        return exact(node) in ((1, 0), (-1, 0), (0, 1), (0, -1))
    except (NotExact, ParseError, TooLarge):
        return False


def _check_size(value: Exact) -> None:
    bits = max(_bits(value[0]), _bits(value[1]))
    if bits > MAX_BITS:
        raise TooLarge("value too large")
    if bits > EXACT_BITS:
        raise NotExact("too large to compute here")


def _multiply(a: Exact, b: Exact) -> Exact:
    return a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]


def _divide(a: Exact, b: Exact) -> Exact:
    norm = b[0] * b[0] + b[1] * b[1]
    if norm == 0:
        raise ParseError("division by zero")
    return _multiply(a, (b[0] / norm, -b[1] / norm))


def _integer(value: Exact) -> int:
    re, im = value
    if im != 0 or re.denominator != 1:
        raise ParseError("not an integer")
    return re.numerator


def _power(base_node: Node, exponent_node: Node) -> Exact:
    exponent = exact(exponent_node)
    if exponent[1] != 0:
        raise NotExact("complex exponent")
    power = exponent[0]
    if base_node in (E_VAR, E_CONST):
        if power == 0:
            return Fraction(1), Fraction(0)
        raise NotExact("e^x")
    base = exact(base_node)
    if power.denominator != 1:
        if base[1] == 0 and base[0] >= 0 and _bits(power) < 64:
            return _root(_power_int(base, power.numerator), (Fraction(power.denominator), Fraction(0)))
        raise NotExact("fractional power")
    return _power_int(base, power.numerator)


def _power_int(base: Exact, n: int) -> Exact:
    if base == (0, 0):
        if n < 0:
            raise ParseError("zero to a negative power")
        return (Fraction(1 if n == 0 else 0), Fraction(0))
    if base in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        # units of the Gaussian integers cycle, so any exponent is cheap
        result: Exact = (Fraction(1), Fraction(0))
        for _ in range(n % 4):
            result = _multiply(result, base)
        return result
    size = max(_bits(base[0]), _bits(base[1]), 1)
    if abs(n) > MAX_BITS or size * abs(n) > MAX_BITS:
        raise TooLarge("power too large")
    if size * abs(n) > EXACT_BITS:
        raise NotExact("too large to compute here")
    if base[1] == 0:
        return base[0] ** n, Fraction(0)
    result = (Fraction(1), Fraction(0))
    square, k = base, abs(n)
    while k:
        if k & 1:
            result = _multiply(result, square)
        square = _multiply(square, square)
        k >>= 1
    return _divide((Fraction(1), Fraction(0)), result) if n < 0 else result


def _root(value: Exact, index: Exact) -> Exact:
    n = _integer(index)
    re, im = value
    if im != 0 or n < 1 or n > 64:
        raise NotExact("root")
    if re < 0:
        if n % 2 == 1:
            root = _root((-re, Fraction(0)), index)
            return -root[0], Fraction(0)
        if n == 2:
            root = _root((-re, Fraction(0)), index)
            return Fraction(0), root[0]
        raise NotExact("even root of a negative number")
    top, bottom = _integer_root(re.numerator, n), _integer_root(re.denominator, n)
    if top is None or bottom is None:
        raise NotExact("irrational root")
    return Fraction(top, bottom), Fraction(0)


def _integer_root(value: int, n: int) -> int | None:
    if value.bit_length() > EXACT_BITS:
        raise NotExact("root of a large number")
    guess = round(value ** (1.0 / n)) if value.bit_length() < 1000 else _nth_root_newton(value, n)
    for candidate in (guess - 1, guess, guess + 1):
        if candidate >= 0 and candidate**n == value:
            return candidate
    return None


def _nth_root_newton(value: int, n: int) -> int:
    x = 1 << ((value.bit_length() + n - 1) // n)
    while True:
        y = ((n - 1) * x + value // x ** (n - 1)) // n
        if y >= x:
            return x
        x = y


# -- floats, only to rule out clearly different constants cheaply ------------------------------
_FUNCTIONS = {
    "sin": cmath.sin, "cos": cmath.cos, "tan": cmath.tan, "sinh": cmath.sinh, "cosh": cmath.cosh,
    "tanh": cmath.tanh, "arcsin": cmath.asin, "arccos": cmath.acos, "arctan": cmath.atan,
    "exp": cmath.exp, "ln": cmath.log, "conj": complex.conjugate,
}


def approximate(node: Node, magnitudes: list[float] | None = None) -> complex:
    """A complex float of a constant AST (ValueError/OverflowError/ZeroDivisionError when none);
    ``magnitudes`` collects the size of every intermediate value (to detect cancellation).

    >>> from assay.verifiers.math.parse import parse
    >>> round(approximate(parse(r"\\sqrt{2}\\pi")).real, 6)
    4.442883
    """
    value = _approximate(node, magnitudes)
    if magnitudes is not None:
        magnitudes.append(abs(value))
    return value


def _approximate(node: Node, magnitudes: list[float] | None) -> complex:
    match node:
        case Num(number):
            return complex(float(number))
        case Const(name) | Var(name):
            if name == "pi":
                return complex(math.pi)
            if name == "e":
                return complex(math.e)
            if name == "i":
                return 1j
            raise ValueError(name)
        case Neg(arg):
            return -approximate(arg, magnitudes)
        case Add(terms):
            return sum((approximate(t, magnitudes) for t in terms), complex(0))
        case Mul(factors):
            product = complex(1)
            for factor in factors:
                product *= approximate(factor, magnitudes)
            return _finite(product)
        case Div(num, den):
            return _finite(approximate(num, magnitudes) / approximate(den, magnitudes))
        case Pow(base_node, exponent_node):
            base, exponent = approximate(base_node, magnitudes), approximate(exponent_node, magnitudes)
            if abs(exponent) > 1e4:
                raise OverflowError("exponent")
            if base == 0 and exponent.real <= 0:
                raise ZeroDivisionError("0 to a non-positive power")
            if base_node in (E_VAR, E_CONST):
                return _finite(cmath.exp(exponent))
            return _finite(base**exponent)
        case Root(radicand, index_node):
            radicand_value, index = approximate(radicand, magnitudes), approximate(index_node, magnitudes)
            if radicand_value.imag == 0 and radicand_value.real < 0 and index.real % 2 == 1:
                return -_finite(complex((-radicand_value.real) ** (1 / index.real)))
            return _finite(radicand_value ** (1 / index))
        case Func(name, (arg,)) if name in _FUNCTIONS:
            return _finite(_FUNCTIONS[name](approximate(arg, magnitudes)))
        case Func("log", args):
            argument = approximate(args[0], magnitudes)
            base = approximate(args[1], magnitudes) if len(args) > 1 else complex(math.e)  # \\log is ln
            return _finite(cmath.log(argument) / cmath.log(base))
        case Abs(arg):
            return complex(abs(approximate(arg, magnitudes)))
        case Fact(arg):
            value = approximate(arg, magnitudes)
            if value.imag != 0 or value.real < 0 or value.real > 170:
                raise OverflowError("factorial")
            return complex(math.gamma(value.real + 1))
        case Binom(top, bottom):
            n, k = approximate(top, magnitudes), approximate(bottom, magnitudes)
            if n.imag or k.imag or not float(n.real).is_integer() or not float(k.real).is_integer() or n.real > 1000:
                raise ValueError("binomial")
            return complex(math.comb(int(n.real), int(k.real)) if 0 <= k.real <= n.real else 0)
        case Pct(arg):
            return approximate(arg, magnitudes) / 100
    raise ValueError(kind_of(node))


def _finite(value: complex) -> complex:
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        raise OverflowError("not finite")
    return value
