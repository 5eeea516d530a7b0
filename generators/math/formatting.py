"""Exact values written as MATH-style LaTeX (numbers, polynomials, matrices, tuples, quadratic
roots), and the small exact-number helpers the math generators share (``pick``, ``squarefree_split``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from fractions import Fraction


def latex_number(value: Fraction | int) -> str:
    """An exact number as MATH-style LaTeX.

    >>> latex_number(Fraction(-3, 4)), latex_number(5)
    ('-\\\\frac{3}{4}', '5')
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def inline_number(value: Fraction | int) -> str:
    """An exact number for running prompt text inside $...$: a fraction in parentheses when negative."""
    text = latex_number(value)
    return f"\\left({text}\\right)" if value < 0 else text


def decimal_text(value: Fraction) -> str | None:
    """The exact decimal of ``value``, or None when it does not terminate.

    >>> decimal_text(Fraction(-5, 8)), decimal_text(Fraction(1, 3))
    ('-0.625', None)
    """
    value = Fraction(value)
    denominator, places = value.denominator, 0
    while denominator % 10 == 0 or denominator % 2 == 0 or denominator % 5 == 0:
        if denominator % 10 == 0:
            denominator //= 10
        elif denominator % 2 == 0:
            denominator //= 2
        else:
            denominator //= 5
        places += 1
    if denominator != 1:
        return None
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return ("-" if value < 0 else "") + text


def latex_monomial(coefficient: Fraction, power: int, variable: str = "x", first: bool = False) -> str:
    """One term ``c x^k`` with its sign: ``- \\frac{1}{2} x^{3}`` (``first``: no leading ``+``)."""
    coefficient = Fraction(coefficient)
    if power == 0:
        body = latex_number(abs(coefficient))
    else:
        monomial = variable if power == 1 else f"{variable}^{{{power}}}"
        body = monomial if abs(coefficient) == 1 else f"{latex_number(abs(coefficient))} {monomial}"
    if first:
        return f"-{body}" if coefficient < 0 else body
    return f"- {body}" if coefficient < 0 else f"+ {body}"


def latex_polynomial(coefficients: Sequence[Fraction | int], variable: str = "x") -> str:
    """A polynomial from coefficients (constant first) in descending powers.

    >>> latex_polynomial([1, -2, 3])
    '3 x^{2} - 2 x + 1'
    >>> latex_polynomial([0, Fraction(-1, 2)])
    '-\\\\frac{1}{2} x'
    """
    terms = [(k, Fraction(c)) for k, c in enumerate(coefficients) if c != 0]
    if not terms:
        return "0"
    parts = []
    for index, (power, coefficient) in enumerate(reversed(terms)):
        parts.append(latex_monomial(coefficient, power, variable, first=index == 0))
    return " ".join(parts)


def latex_matrix(rows: Sequence[Sequence[Fraction | int]]) -> str:
    """A matrix as ``\\begin{pmatrix} ... \\end{pmatrix}``.

    >>> latex_matrix([[1, 2], [3, Fraction(1, 2)]])
    '\\\\begin{pmatrix} 1 & 2 \\\\\\\\ 3 & \\\\frac{1}{2} \\\\end{pmatrix}'
    """
    body = " \\\\ ".join(" & ".join(latex_number(v) for v in row) for row in rows)
    return f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"


def latex_tuple(items: Sequence[str]) -> str:
    """An ordered tuple of already-rendered items: ``(2, -1)``."""
    return "(" + ", ".join(items) + ")"


def pick(rng: random.Random, low: int, high: int, *, nonzero: bool = False, exclude: Sequence[int] = ()) -> int:
    """A uniform integer in [low, high], optionally not 0 and not in ``exclude`` (bounded retries)."""
    for _ in range(1000):
        value = rng.randint(low, high)
        if (not nonzero or value != 0) and value not in exclude:
            return value
    raise RuntimeError(f"no integer in [{low}, {high}] satisfies the constraints")  # a generator bug


def signed(value: Fraction | int) -> str:
    """``+ 3`` or ``- 3`` for writing a term after another."""
    value = Fraction(value)
    return f"- {latex_number(-value)}" if value < 0 else f"+ {latex_number(value)}"



def squarefree_split(n: int) -> tuple[int, int]:
    """(s, m) with n = s^2 m and m squarefree (n > 0).

    >>> squarefree_split(72)
    (6, 2)
    """
    s, m, f = 1, n, 2
    while f * f <= m:
        while m % (f * f) == 0:
            m //= f * f
            s *= f
        f += 1
    return s, m


def quadratic_roots(a: int, b: int, c: int) -> list[str]:
    """The distinct roots of a x^2 + b x + c as exact LaTeX (reals ascending; complex: - before +).

    >>> quadratic_roots(1, -3, 1)
    ['\\\\frac{3 - \\\\sqrt{5}}{2}', '\\\\frac{3 + \\\\sqrt{5}}{2}']
    >>> quadratic_roots(1, 2, 5)
    ['-1 - 2 i', '-1 + 2 i']
    """
    d = b * b - 4 * a * c
    if d >= 0 and math.isqrt(d) ** 2 == d:
        roots = sorted({Fraction(-b + math.isqrt(d), 2 * a), Fraction(-b - math.isqrt(d), 2 * a)})
        return [latex_number(r) for r in roots]
    s, m = squarefree_split(abs(d))
    den = 2 * a
    g = math.gcd(math.gcd(abs(b), s), abs(den))
    rational, s, den = -b // g, s // g, den // g
    if den < 0:
        rational, den = -rational, -den
    if d > 0:
        radical = f"\\sqrt{{{m}}}" if s == 1 else f"{s} \\sqrt{{{m}}}"
    else:
        unit = "i" if m == 1 else f"\\sqrt{{{m}}} i"
        radical = unit if s == 1 else f"{s} {unit}"
    out = []
    for sign in ("-", "+"):
        if rational == 0:
            numerator = f"-{radical}" if sign == "-" else radical
        else:
            numerator = f"{rational} {sign} {radical}"
        if den == 1:
            out.append(numerator)
        elif rational == 0:
            out.append(f"{'-' if sign == '-' else ''}\\frac{{{radical}}}{{{den}}}")
        else:
            out.append(f"\\frac{{{numerator}}}{{{den}}}")
    return out
