"""LaTeX for a parsed answer (the inverse of ``parse.parse``), used to write audit probes.

Output is canonical and fully braced (``\\frac{a}{b}``, ``\\left( \\right)``), so it parses back.
"""

from __future__ import annotations

from fractions import Fraction

from assay.verifiers.math.lexer import GREEK

_RELATIONS = {"=": "=", "<": "<", ">": ">", "<=": "\\le", ">=": "\\ge", "!=": "\\ne"}
_ATOMS = {"num", "var", "const", "func", "root", "abs", "binom", "tuple", "set", "matrix", "div"}


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


def _wrapped(node: tuple) -> str:
    text = to_latex(node)
    if node[0] in _ATOMS and not (node[0] == "num" and node[1] < 0):
        return text
    return f"\\left({text}\\right)"


def to_latex(node: tuple) -> str:
    """LaTeX that ``parse`` reads back as an equivalent answer.

    >>> from assay.verifiers.math.parse import parse
    >>> to_latex(parse("x^2 - 3x + 1/2"))
    'x^{2} - 3 \\\\cdot x + \\\\frac{1}{2}'
    >>> to_latex(parse(r"[1, \\infty) \\cup \\{5\\}"))
    '\\\\left[1, \\\\infty\\\\right) \\\\cup \\\\{5\\\\}'
    """
    kind = node[0]
    if kind == "num":
        return number(node[1], node[2])
    if kind == "var":
        return _name(node[1])
    if kind == "const":
        return {"pi": "\\pi", "e": "e", "i": "i", "inf": "\\infty"}[node[1]]
    if kind == "add":
        text = to_latex(node[1][0])
        for term in node[1][1:]:
            if term[0] == "neg":
                text += f" - {_wrapped(term[1]) if term[1][0] == 'add' else to_latex(term[1])}"
            else:
                text += f" + {to_latex(term)}"
        return text
    if kind == "neg":
        inner = node[1]
        return f"-{_wrapped(inner) if inner[0] in ('add', 'neg', 'pm') else to_latex(inner)}"
    if kind == "mul":
        return " \\cdot ".join(_wrapped(f) if f[0] in ("add", "neg", "pm", "mul") else to_latex(f) for f in node[1])
    if kind == "div":
        return f"\\frac{{{to_latex(node[1])}}}{{{to_latex(node[2])}}}"
    if kind == "pow":
        base = node[1]
        plain = base[0] in ("var", "const") or base[0] == "num" and base[1] >= 0 and base[1].denominator == 1
        base_text = to_latex(base) if plain else f"\\left({to_latex(base)}\\right)"
        return f"{base_text}^{{{to_latex(node[2])}}}"
    if kind == "fact":
        inner = node[1]
        return f"{to_latex(inner)}!" if inner[0] == "num" and inner[1] >= 0 and inner[1].denominator == 1 else f"\\left({to_latex(inner)}\\right)!"
    if kind == "func":
        return _function(node[1], node[2])
    if kind == "root":
        index = node[2]
        if index == ("num", Fraction(2), -1):
            return f"\\sqrt{{{to_latex(node[1])}}}"
        return f"\\sqrt[{to_latex(index)}]{{{to_latex(node[1])}}}"
    if kind == "abs":
        return f"\\left|{to_latex(node[1])}\\right|"
    if kind == "binom":
        return f"\\binom{{{to_latex(node[1])}}}{{{to_latex(node[2])}}}"
    if kind == "pct":
        return f"{_wrapped(node[1])}\\%"
    if kind == "deg":
        return f"{_wrapped(node[1])}^\\circ"
    if kind == "unit" and node[2].startswith("mod "):
        return f"{to_latex(node[1])} \\pmod{{{node[2][4:]}}}"
    if kind == "unit":
        words = " ".join(word for word in node[2].split() if not word.startswith("^"))
        powers = [word[1:] for word in node[2].split() if word.startswith("^")]
        return f"{to_latex(node[1])}\\text{{ {words}}}" + (f"^{{{powers[-1]}}}" if powers else "")
    if kind == "text":
        return node[1] if node[1].startswith("\\") else f"\\text{{{node[1]}}}"
    if kind == "pm":
        return f"{to_latex(node[1])} \\pm {to_latex(node[2])}"
    if kind == "tuple":
        opening, closing = {"()": ("(", ")"), "[]": ("[", "]"), "<>": ("\\langle ", " \\rangle")}.get(node[2], ("(", ")"))
        items = ", ".join(to_latex(item) for item in node[1])
        return f"\\left({items}\\right)" if node[2] == "()" else f"{opening}{items}{closing}"
    if kind == "set":
        return "\\{" + ", ".join(to_latex(item) for item in node[1]) + "\\}" if node[1] else "\\emptyset"
    if kind == "list":
        separator = " \\text{ or } " if node[2] == ("or",) else ", "
        return separator.join(to_latex(item) for item in node[1])
    if kind == "interval":
        low, high, low_closed, high_closed = node[1:]
        return f"\\left{'[' if low_closed else '('}{to_latex(low)}, {to_latex(high)}\\right{']' if high_closed else ')'}"
    if kind == "union":
        return " \\cup ".join(to_latex(part) for part in node[1])
    if kind == "setminus":
        return f"{to_latex(node[1])} \\setminus {to_latex(node[2])}"
    if kind == "matrix":
        rows = " \\\\ ".join(" & ".join(to_latex(cell) for cell in row) for row in node[1])
        return f"\\begin{{pmatrix}}{rows}\\end{{pmatrix}}"
    if kind == "eq":
        return " = ".join(to_latex(side) for side in node[1])
    if kind == "rel":
        text = to_latex(node[1][0])
        for op, operand in zip(node[2], node[1][1:]):
            text += f" {_RELATIONS[op]} {to_latex(operand)}"
        return text
    raise ValueError(f"no LaTeX for {kind}")


def _function(name: str, arguments: tuple) -> str:
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
