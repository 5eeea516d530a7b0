"""Exact parsing of a written number (integer, fraction, terminating decimal, ``\\frac``) to a Fraction.

A bounded grammar, not an evaluator: ``2+3`` or ``1e999999`` is not a number here, so a copied
expression is never read as its value and no input can make the parser do unbounded work.
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_DIGITS = 4000  # longer digit strings are refused, so int() stays cheap

_SPACES = re.compile(r"\s+|\\[,;!: ]|\\q?quad|~")
_INTEGER = r"[1-9]\d{0,2}(?:,\d{3})+|\d+"  # a thousands group never starts with 0
_NUMBER = re.compile(rf"^(?P<sign>[+-]?)(?:(?P<int>{_INTEGER})(?:\.(?P<frac>\d*))?|\.(?P<frac_only>\d+))$")
_RATIO = re.compile(r"^(?P<sign>[+-]?)(?P<num>\d+)/(?P<den>\d+)$")
_LATEX_FRAC = re.compile(r"^(?P<sign>[+-]?)\\[dt]?frac\{(?P<num>[+-]?\d+)\}\{(?P<den>[+-]?\d+)\}$")
_LATEX_FRAC_SHORT = re.compile(r"^(?P<sign>[+-]?)\\[dt]?frac(?P<num>\d)(?P<den>\d)$")
_LIST_COMMA = re.compile(r",\s")
_WRAPPERS = (("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"), ("{", "}"), ("(", ")"))


def normalise(text: str) -> str:
    """Strip what never changes a number's value: spaces, TeX spacing, math delimiters, a final
    period, ``\\left``/``\\right``, unicode minus signs.

    >>> normalise(" $-\\\\dfrac{1}{2}$. ")
    '-\\\\dfrac{1}{2}'
    """
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\\left", "").replace("\\right", "")
    text = _SPACES.sub("", text)
    text = text.rstrip(".")
    changed = True
    while changed and text:
        changed = False
        for opening, closing in _WRAPPERS:
            if text.startswith(opening) and text.endswith(closing) and len(text) > len(opening) + len(closing):
                inner = text[len(opening) : -len(closing)]
                if _balanced(inner):
                    text, changed = inner, True
        if text.startswith("\\boxed{") and text.endswith("}") and _balanced(text[7:-1]):
            text, changed = text[7:-1], True
        text = text.rstrip(".")
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_number(text: str) -> Fraction | None:
    """The exact value of a written number, or None when the text is not one number.

    >>> parse_number("-3/6")
    Fraction(-1, 2)
    >>> parse_number("\\\\frac{7}{2}"), parse_number("1,234"), parse_number("0.25")
    (Fraction(7, 2), Fraction(1234, 1), Fraction(1, 4))
    >>> parse_number("2+3") is None, parse_number("1 or 2") is None, parse_number("1/0") is None
    (True, True, True)
    >>> parse_number("1, 234") is None, parse_number("0,174") is None
    (True, True)
    """
    if not isinstance(text, str) or len(text) > MAX_DIGITS + 64:
        return None
    if _LIST_COMMA.search(text):
        return None  # "1, 234" is two numbers, not 1234
    text = normalise(text)
    match = _NUMBER.match(text)
    if match:
        whole = (match.group("int") or "0").replace(",", "")
        fraction = match.group("frac") or match.group("frac_only") or ""
        if len(whole) + len(fraction) > MAX_DIGITS:
            return None
        value = Fraction(int(whole + fraction), 10 ** len(fraction)) if fraction else Fraction(int(whole))
        return -value if match.group("sign") == "-" else value
    for pattern in (_RATIO, _LATEX_FRAC, _LATEX_FRAC_SHORT):
        match = pattern.match(text)
        if match:
            numerator, denominator = match.group("num"), match.group("den")
            if len(numerator) + len(denominator) > MAX_DIGITS or int(denominator) == 0:
                return None
            value = Fraction(int(numerator), int(denominator))
            return -value if match.group("sign") == "-" else value
    return None


def format_number(value: Fraction | int) -> str:
    """The canonical text of an exact number: ``7``, ``-7/3``.

    >>> format_number(Fraction(-14, 6)), format_number(4)
    ('-7/3', '4')
    """
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
