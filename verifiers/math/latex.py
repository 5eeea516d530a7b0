"""LaTeX for a parsed answer (the inverse of ``parse.parse``), used to write audit probes.

Output is canonical and fully braced (``\\frac{a}{b}``, ``\\left( \\right)``), so it parses back.
"""

from __future__ import annotations

from fractions import Fraction

from assay.verifiers.math.lexer import GREEK
from assay.verifiers.math.nodes import (
    Abs,
    Add,
    Binom,
    Const,
    Deg,
    Div,
    Eq,
    Fact,
    Func,
    Interval,
    List,
    Matrix,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pm,
    Pow,
    Rel,
    Root,
    Set,
    SetMinus,
    Text,
    Tuple,
    Union,
    Unit,
    Var,
    integer,
    kind_of,
)

_RELATIONS = {"=": "=", "<": "<", ">": ">", "<=": "\\le", ">=": "\\ge", "!=": "\\ne"}
_ATOMS = (Num, Var, Const, Func, Root, Abs, Binom, Tuple, Set, Matrix, Div)


def number(value: Fraction, places: int = -1) -> str:
    """``3``, ``-\\frac{7}{3}``, or a decimal with ``places`` places when it was written as one.

    >>> number(Fraction(-7, 3)), number(Fraction(5, 2), 1)
    ('-\\\\frac{7}{3}', '2.5')
    """
    if places >= 1:
        scaled = abs(value) * 10**places
        if scaled.denominator == 1:
            digits = f"{scaled.numerator:0{places + 1}d}"
            return ("-" if value < 0 else "") + f"{digits[:-places]}.{digits[-places:]}"
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _name(name: str) -> str:
    base, _, subscript = name.partition("_")
    primes = len(base) - len(base.rstrip("'"))
    base = base.rstrip("'")
    text = f"\\{base}" if base in GREEK else base
    text += "'" * primes
    return f"{text}_{{{subscript}}}" if subscript else text


def _wrapped(node: Node) -> str:
    text = to_latex(node)
    if isinstance(node, _ATOMS) and not (isinstance(node, Num) and node.value < 0):
        return text
    return f"\\left({text}\\right)"


def _plain_integer(node: Node) -> bool:
    """A non-negative integer as written, which needs no brackets before ``^`` or ``!``."""
    return isinstance(node, Num) and node.value >= 0 and node.value.denominator == 1


def to_latex(node: Node) -> str:
    """LaTeX that ``parse`` reads back as an equivalent answer.

    >>> from assay.verifiers.math.parse import parse
    >>> to_latex(parse("x^2 - 3x + 1/2"))
    'x^{2} - 3 \\\\cdot x + \\\\frac{1}{2}'
    >>> to_latex(parse(r"[1, \\infty) \\cup \\{5\\}"))
    '\\\\left[1, \\\\infty\\\\right) \\\\cup \\\\{5\\\\}'
    """
    match node:
        case Num(value, places):
            return number(value, places)
        case Var(name):
            return _name(name)
        case Const(name):
            return {"pi": "\\pi", "e": "e", "i": "i", "inf": "\\infty"}[name]
        case Add(terms):
            text = to_latex(terms[0])
            for term in terms[1:]:
                if isinstance(term, Neg):
                    text += f" - {_wrapped(term.arg) if isinstance(term.arg, Add) else to_latex(term.arg)}"
                else:
                    text += f" + {to_latex(term)}"
            return text
        case Neg(inner):
            return f"-{_wrapped(inner) if isinstance(inner, (Add, Neg, Pm)) else to_latex(inner)}"
        case Mul(factors):
            return " \\cdot ".join(_wrapped(f) if isinstance(f, (Add, Neg, Pm, Mul)) else to_latex(f) for f in factors)
        case Div(num, den):
            return f"\\frac{{{to_latex(num)}}}{{{to_latex(den)}}}"
        case Pow(base, exponent):
            plain = isinstance(base, (Var, Const)) or _plain_integer(base)
            base_text = to_latex(base) if plain else f"\\left({to_latex(base)}\\right)"
            return f"{base_text}^{{{to_latex(exponent)}}}"
        case Fact(inner):
            return f"{to_latex(inner)}!" if _plain_integer(inner) else f"\\left({to_latex(inner)}\\right)!"
        case Func(name, arguments):
            return _function(name, arguments)
        case Root(radicand, index):
            if index == integer(2):
                return f"\\sqrt{{{to_latex(radicand)}}}"
            return f"\\sqrt[{to_latex(index)}]{{{to_latex(radicand)}}}"
        case Abs(inner):
            return f"\\left|{to_latex(inner)}\\right|"
        case Binom(top, bottom):
            return f"\\binom{{{to_latex(top)}}}{{{to_latex(bottom)}}}"
        case Pct(inner):
            return f"{_wrapped(inner)}\\%"
        case Deg(inner):
            return f"{_wrapped(inner)}^\\circ"
        case Unit(value, unit) if unit.startswith("mod "):
            return f"{to_latex(value)} \\pmod{{{unit[4:]}}}"
        case Unit(value, unit):
            words = " ".join(word for word in unit.split() if not word.startswith("^"))
            powers = [word[1:] for word in unit.split() if word.startswith("^")]
            return f"{to_latex(value)}\\text{{ {words}}}" + (f"^{{{powers[-1]}}}" if powers else "")
        case Text(text):
            return text if text.startswith("\\") else f"\\text{{{text}}}"
        case Pm(left, right):
            return f"{to_latex(left)} \\pm {to_latex(right)}"
        case Tuple(items, delims):
            opening, closing = {"()": ("(", ")"), "[]": ("[", "]"), "<>": ("\\langle ", " \\rangle")}.get(delims, ("(", ")"))
            inside = ", ".join(to_latex(item) for item in items)
            return f"\\left({inside}\\right)" if delims == "()" else f"{opening}{inside}{closing}"
        case Set(items):
            return "\\{" + ", ".join(to_latex(item) for item in items) + "\\}" if items else "\\emptyset"
        case List(items, joins):
            separator = " \\text{ or } " if joins == ("or",) else ", "
            return separator.join(to_latex(item) for item in items)
        case Interval(low, high, low_closed, high_closed):
            return f"\\left{'[' if low_closed else '('}{to_latex(low)}, {to_latex(high)}\\right{']' if high_closed else ')'}"
        case Union(parts):
            return " \\cup ".join(to_latex(part) for part in parts)
        case SetMinus(whole, removed):
            return f"{to_latex(whole)} \\setminus {to_latex(removed)}"
        case Matrix(rows):
            body = " \\\\ ".join(" & ".join(to_latex(cell) for cell in row) for row in rows)
            return f"\\begin{{pmatrix}}{body}\\end{{pmatrix}}"
        case Eq(sides):
            return " = ".join(to_latex(side) for side in sides)
        case Rel(operands, ops):
            text = to_latex(operands[0])
            for op, operand in zip(ops, operands[1:]):
                text += f" {_RELATIONS[op]} {to_latex(operand)}"
            return text
    raise ValueError(f"no LaTeX for {kind_of(node)}")


def _function(name: str, arguments: tuple[Node, ...]) -> str:
    if name == "log" and len(arguments) == 2:
        return f"\\log_{{{to_latex(arguments[1])}}}\\left({to_latex(arguments[0])}\\right)"
    if name in ("floor", "ceil"):
        left, right = ("\\lfloor ", " \\rfloor") if name == "floor" else ("\\lceil ", " \\rceil")
        return f"{left}{to_latex(arguments[0])}{right}"
    if name == "conj":
        return f"\\overline{{{to_latex(arguments[0])}}}"
    if name == "det":
        return to_latex(arguments[0]).replace("pmatrix", "vmatrix")
    return f"\\{name}\\left({to_latex(arguments[0])}\\right)"
