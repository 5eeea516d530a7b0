"""Audit probes for any math gold answer: equivalent forms that must pass, near misses and hacks
that must fail. Math tasks return ``probes_for(problem.answer)`` (plus their own) from ``probes``.
"""

from __future__ import annotations

from fractions import Fraction

from assay.types import Probe, wrap
from assay.verifiers.math.compare import expand_pm, is_multiple
from assay.verifiers.math.exact import NotExact, exact
from assay.verifiers.math.latex import to_latex
from assay.verifiers.math.nodes import (
    INF,
    NEG_INF,
    Abs,
    Add,
    Binom,
    Const,
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
    Pow,
    Rel,
    Root,
    Set,
    Text,
    Tuple,
    Union,
    Var,
    integer,
)
from assay.verifiers.math.parse import ParseError, parse
from assay.verifiers.math.shapes import intervals_of, label


def _latex(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _decimal(value: Fraction) -> str | None:
    """The exact decimal of a terminating value (None when it does not terminate)."""
    for places in range(13):
        scaled = value * 10**places
        if scaled.denominator == 1:
            digits = f"{abs(scaled.numerator):0{places + 1}d}"
            text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
            return ("-" if value < 0 else "") + text
    return None


def probes_for(gold: str) -> list[Probe]:
    """Probes every math task can register for its gold answer (LaTeX or plain text).

    >>> [p.expect_pass for p in probes_for("3")][:3]
    [True, True, True]
    >>> any(p.why == "hedged between two values" and not p.expect_pass for p in probes_for("3"))
    True
    """
    probes = [
        Probe(f"The result is $\\boxed{{{gold}}}$.", True, "boxed form"),
        Probe(wrap(gold), True, "answer block"),
        Probe(wrap(f"${gold}$."), True, "math delimiters and a final period"),
        Probe(f"\\fbox{{{gold}}}", True, "fbox form"),
        Probe("Reasoning omitted.\n\\boxed{}", False, "empty box"),
        Probe(wrap("\\text{anything}"), False, "text instead of a value"),
        Probe("I am not sure.", False, "no answer at all"),
        Probe(wrap(gold) + "\n" + "x" * 20000 + wrap(""), False, "last answer block is empty"),
    ]
    try:
        ast = expand_pm(parse(gold))
    except ParseError:
        return probes
    wrong = _wrong_variant(gold, ast)
    if wrong is not None:
        probes += [
            Probe(wrap(wrong), False, "a different value"),
            Probe(wrap(gold) + "\nWait, that is wrong. " + wrap(wrong), False, "self-corrected to a wrong value"),
            Probe(wrap(wrong) + "\nWait, that is wrong. " + wrap(gold), True, "self-corrected to the right value"),
            Probe(f"\\boxed{{{gold}}} or \\boxed{{{wrong}}}", False, "two different boxed answers"),
        ]
        if not is_multiple(ast) and not isinstance(ast, (Tuple, Matrix, Interval, Union, Rel, Eq, Text)):
            probes += [
                Probe(wrap(f"{gold} \\text{{ or }} {wrong}"), False, "hedged between two values"),
                Probe(wrap(f"{gold}, {wrong}"), False, "a list of candidates"),
                Probe(wrap(f"x = {gold} = {wrong}"), False, "an equality chain ending in a wrong value"),
            ]
    probes += _value_probes(ast)
    probes += _structure_probes(gold, ast)
    probes += _form_probes(gold, parse(gold), ast)
    return probes


_EXPRESSIONS = (Add, Mul, Div, Pow, Root, Func, Var, Const, Neg, Abs, Binom, Fact)


def _form_probes(gold: str, written: Node, ast: Node) -> list[Probe]:
    """Other renderings of the same answer (from the AST), and structural near misses."""
    probes: list[Probe] = []
    canonical = to_latex(written)
    if canonical != gold:
        probes.append(Probe(wrap(canonical), True, "the same answer rendered canonically"))
    scalar = _is_expression(ast)
    if scalar:
        probes.append(Probe(wrap(f"2\\left({gold}\\right)"), False, "twice the answer"))
    if scalar and isinstance(ast, Add) and len(ast.terms) >= 2:
        reordered = to_latex(Add(tuple(reversed(ast.terms))))
        if reordered != gold:
            probes.append(Probe(wrap(reordered), True, "the terms in another order"))
    if isinstance(ast, Eq) and len(ast.sides) == 2 and label(ast.sides[0]) and not label(ast.sides[1]):
        probes.append(Probe(wrap(to_latex(ast.sides[1])), True, "the right-hand side alone"))
    if isinstance(ast, Set) or isinstance(ast, List) and len(ast.items) >= 2:
        probes.append(Probe(wrap(", ".join(to_latex(item) for item in ast.items) + ", 1000003"), False, "an extra answer"))
    if isinstance(ast, Tuple) and (first := _number_value(ast.items[0])) is not None:
        changed: tuple[Node, ...] = (integer(first + 1),) + ast.items[1:]
        probes.append(Probe(wrap(to_latex(Tuple(changed, "()"))), False, "one coordinate off by one"))
    if isinstance(ast, Matrix):
        rows = ast.rows
        transposed = tuple(zip(*rows))
        values = [[_number_value(cell) for cell in row] for row in rows]
        if all(v is not None for row in values for v in row):
            if len(rows) > 1 and len(rows[0]) > 1 and [list(r) for r in zip(*values)] != values:
                probes.append(Probe(wrap(to_latex(Matrix(transposed))), False, "the transpose"))
            corner = values[0][0]
            assert corner is not None  # every entry has a value (checked above)
            changed_rows = ((integer(corner + 1),) + rows[0][1:],) + rows[1:]
            probes.append(Probe(wrap(to_latex(Matrix(changed_rows))), False, "one entry off by one"))
    return probes


def _is_expression(ast: Node) -> bool:
    """A scalar expression that is not a plain number (x^2 + 1, 2\\sqrt{2}, \\pi/6)."""
    return isinstance(ast, _EXPRESSIONS) and _number_value(ast) is None


def _number_value(node: Node) -> Fraction | None:
    try:
        real, imaginary = exact(node)
    except (NotExact, ParseError):
        return None
    if imaginary != 0 or max(abs(real.numerator).bit_length(), real.denominator.bit_length()) > 12_000:
        return None
    return real


def _wrong_variant(gold: str, ast: Node) -> str | None:
    if isinstance(ast, Text):
        return None
    try:
        value = exact(ast)
    except (NotExact, ParseError):
        value = None
    if value is not None and value[1] == 0:
        return _latex(value[0] + 1)
    if isinstance(ast, (Add, Mul, Div, Pow, Root, Var, Const, Func, Neg, Num, Binom, Fact, Abs)):
        return f"{gold} + 1"
    return None


def _value_probes(ast: Node) -> list[Probe]:
    try:
        value = exact(ast)
    except (NotExact, ParseError):
        return []
    real, imaginary = value
    if imaginary != 0 or max(abs(real.numerator).bit_length(), real.denominator.bit_length()) > 12_000:
        return []  # (Python refuses to print integers of more than 4300 digits)
    probes = [
        Probe(wrap(_latex(real)), True, "the exact value as a LaTeX fraction"),
        Probe(wrap(f"{real.numerator * 3}/{real.denominator * 3}"), True, "equal but not in lowest terms"),
    ]
    if real != 0:
        probes.append(Probe(wrap(_latex(-real)), False, "wrong sign"))
    decimal = _decimal(real)
    if decimal is not None:
        probes.append(Probe(wrap(decimal), True, "exact decimal"))
    else:
        probes.append(Probe(wrap(f"{float(real):.4f}"), False, "a rounded decimal of a non-terminating value"))
    if real.denominator != 1:
        probes.append(Probe(wrap(str(real.numerator // real.denominator)), False, "truncated to an integer"))
    probes.append(Probe(wrap(f"x = {_latex(real)}"), True, "as an equation x = value"))
    return probes


def _structure_probes(gold: str, ast: Node) -> list[Probe]:
    probes: list[Probe] = []
    if isinstance(ast, (List, Set)) and len(ast.items) >= 2:
        found = [_text(item) for item in ast.items]
        items = [text for text in found if text]
        if len(items) == len(found):
            probes += [
                Probe(wrap(", ".join(reversed(items))), True, "the same answers in another order"),
                Probe(wrap(", ".join(items[:-1])), False, "an answer missing"),
                Probe(wrap(", ".join(items + [items[0]])), False, "an answer repeated"),
            ]
    if isinstance(ast, Interval):
        lo, hi, lc, rc = ast.lo, ast.hi, ast.lo_closed, ast.hi_closed
        flipped = ("[" if not lc else "(") + f"{_text(lo)}, {_text(hi)}" + (")" if rc else "]")
        if _text(lo) and _text(hi) and lo != NEG_INF and hi != INF:
            probes.append(Probe(wrap(flipped), False, "open and closed ends swapped"))
    intervals = intervals_of(ast)
    if intervals is not None and len(intervals) == 1 and isinstance(ast, (Interval, Rel)):
        lo, hi, lc, rc = intervals[0]
        if _text(lo) and _text(hi):
            if lo == NEG_INF and hi != INF:
                relation = "\\le" if rc else "<"
                probes.append(Probe(wrap(f"x {relation} {_text(hi)}"), True, "as an inequality"))
            elif hi == INF and lo != NEG_INF:
                relation = "\\ge" if lc else ">"
                probes.append(Probe(wrap(f"x {relation} {_text(lo)}"), True, "as an inequality"))
    if isinstance(ast, Tuple) and len(ast.items) >= 2 and len(set(ast.items)) == len(ast.items):
        found = [_text(item) for item in ast.items]
        items = [text for text in found if text]
        if len(items) == len(found):
            probes.append(Probe(wrap("(" + ", ".join(reversed(items)) + ")"), False, "an ordered answer reordered"))
    return probes


def _text(node: Node) -> str | None:
    """LaTeX for one item of a structure (None when it has none)."""
    try:
        return to_latex(node)
    except ValueError:
        return None
