"""Shapes of parsed answers: labels, intervals and inequalities, named values, matrix rows, text,
literal numbers, constants of integration. Pure functions on the AST, shared by judge and probes.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assay.verifiers.math.exact import NotExact, approximate, exact
from assay.verifiers.math.lexer import ParseError
from assay.verifiers.math.nodes import (
    INF,
    MINUS_ONE,
    NEG_INF,
    PI,
    Add,
    Const,
    Deg,
    Div,
    Eq,
    Interval,
    List,
    Matrix,
    Mul,
    Neg,
    Node,
    Num,
    Pct,
    Pow,
    Rel,
    Set,
    SetMinus,
    Text,
    Tuple,
    Union,
    Var,
    integer,
    walk,
)

Span = tuple[Node, Node, bool, bool]  # an interval as (lo, hi, lo_closed, hi_closed)


def exact_or_none(node: Node) -> tuple[Fraction, Fraction] | None:
    """The exact value of a node, or None (never raises)."""
    try:
        return exact(node)
    except (NotExact, ParseError):
        return None


def lone_variable(node: Node) -> bool:
    return isinstance(node, Var) and node.name not in ("e", "i")


def function_label(node: Node) -> bool:
    """The left side of ``f(x) = ...``, ``f'(x) = ...``, ``f^{-1}(x) = ...`` (read as a product)."""
    if not isinstance(node, Mul) or len(node.factors) != 2:
        return False
    name, argument = node.factors
    if isinstance(name, Pow) and name.exp == MINUS_ONE:
        name = name.base
    arguments = argument.items if isinstance(argument, Tuple) else (argument,)
    return lone_variable(name) and all(lone_variable(a) for a in arguments)


def label(node: Node) -> bool:
    """A name on the left of an equation: ``x``, ``y'``, ``f(x)``, ``(x, y)``."""
    if isinstance(node, Tuple):
        return all(lone_variable(item) for item in node.items)
    return lone_variable(node) or function_label(node)


def names_quantity(node: Node) -> bool:
    """The left side of ``a + b + c = 12``, ``f(2) = 5``, ``\\text{area} = 5``: not a value itself (it
    holds a variable or a word), so the right side is the answer it names (a matrix is not looked into)."""
    if exact_or_none(node) is not None:
        return False
    return any(isinstance(n, Text) or lone_variable(n) for n in walk(node, matrices=False))


def decimal_places(node: Node) -> int:
    """Places written in a decimal gold such as ``0.35`` or ``-2.5``; -1 when it is not one."""
    match node:
        case Neg(arg):
            return decimal_places(arg)
        case Num(_, places) if places >= 1:
            return places
    return -1


def round_half_up(value: Fraction, places: int) -> Fraction:
    scale = 10**places
    scaled = abs(value) * scale
    rounded = Fraction(int(scaled + Fraction(1, 2)), scale)
    return rounded if value >= 0 else -rounded


def terminates(value: Fraction) -> bool:
    """Whether the decimal expansion ends: the denominator has no prime factor but 2 and 5."""
    denominator = value.denominator
    denominator >>= (denominator & -denominator).bit_length() - 1  # all factors of 2 at once
    for chunk in (5**64, 5):  # then 5s, 64 at a time: linear in the size, not quadratic
        while denominator % chunk == 0:
            denominator //= chunk
    return denominator == 1


CONSTANT_NAMES = ("C", "K", "D", "c", "k", "C_1", "C_0", "c_1")


def _constant_name(term: Node, names: tuple[str, ...]) -> bool:
    """``C``, or a multiple of it when any name is allowed (``2C`` is as arbitrary as ``C``)."""
    match term:
        case Var(name):
            return name in names
        case Mul((number, Var(name))) if len(names) > 1 and exact_or_none(number) not in (None, (0, 0)):
            return name in names  # (0C is no constant at all: the value is a (real, imaginary) pair)
    return False


def integration_constant(node: Node, names: tuple[str, ...]) -> Node | None:
    """The rest of ``F(x) + C`` when one top-level term is a lone constant name used nowhere else."""
    if not isinstance(node, Add):
        return None
    found = [term for term in node.terms if _constant_name(term, names)]
    if len(found) != 1:
        return None
    rest = tuple(term for term in node.terms if term is not found[0])
    if any(inner == found[0] for term in rest for inner in walk(term)):
        return None
    return rest[0] if len(rest) == 1 else Add(rest)


def has_lowercase_variable(node: Node) -> bool:
    """Whether ``node`` uses a lower-case variable such as x or t (e and i are constants).

    >>> from assay.verifiers.math.parse import parse
    >>> has_lowercase_variable(parse("x^2 + 1")), has_lowercase_variable(parse("A + B")), has_lowercase_variable(parse("e^2"))
    (True, False, False)
    """
    return any(isinstance(n, Var) and n.name[:1].islower() and n.name not in ("e", "i") for n in walk(node))


def mentions_pi(node: Node) -> bool:
    """Whether ``node`` uses pi (a radian measure, when it is an angle)."""
    return any(n == PI for n in walk(node))


def hoist_sign(node: Node) -> Node:
    """``-34\\%`` parses as -(34%); read it as (-34)%, and -30° as (-30)°."""
    match node:
        case Neg(Pct(arg)):
            return Pct(Neg(arg))
        case Neg(Deg(arg)):
            return Deg(Neg(arg))
    return node


_I = (Var("i"), Const("i"))


def is_literal(node: Node) -> bool:
    """A number as written: 3, -3, 3/4, \\frac{3}{4}, 2\\frac{1}{2}, 0.75, 3+4i, 2.5 \\times 10^{3} (no operations to do)."""
    match node:
        case Neg(arg) | Pct(arg):
            return not isinstance(arg, Neg) and is_literal(arg)  # --3 and -(-3) are operations to do
        case Num():
            return True
        case Div(num, den):
            return all(isinstance(part, Num) or isinstance(part, Neg) and isinstance(part.arg, Num) for part in (num, den))
        case Add((first, second)):  # a mixed number or a complex number a+bi
            if isinstance(second, Mul) and len(second.factors) == 2 and second.factors[1] in _I:
                return is_literal(first) and is_literal(second.factors[0])
            return is_literal(first) and isinstance(second, Div) and is_literal(second)
        case Mul((Num(mantissa), Pow(Num(ten), exponent))) if ten == 10 and 1 <= mantissa < 10:
            # scientific notation 2.24 \times 10^{2}, as 2.24e2 is (the mantissa in [1, 10): no other product)
            power = exponent.arg if isinstance(exponent, Neg) else exponent
            return isinstance(power, Num) and power.value.denominator == 1 and power.places <= 0
    return node in _I


def plain_text(node: Node) -> str | None:
    """A text answer as comparable letters: ``\\text{(B) Monday}`` -> ``bmonday``."""
    match node:
        case Text(text) | Var(text):
            pass
        case _:
            return None
    text = re.sub(r"\\[a-zA-Z]+", "", text)  # \textbf{(B)} -> {(B)}
    letters = "".join(c.lower() for c in text if c.isalnum())
    return TEXT_SYNONYMS.get(letters, letters) or None


# spellings of the same verdict-like answer
TEXT_SYNONYMS = {
    "doesnotexist": "dne", "nosolutions": "nosolution", "norealsolution": "nosolution",
    "norealsolutions": "nosolution", "none": "nosolution", "yes": "true", "no": "false",
}


def named_values(node: Node) -> list[tuple[str, Node]] | None:
    """``x = 1, y = 2`` (or ``(x, y) = (1, 2)``) as [(x, 1), (y, 2)]: lone-variable equations."""
    match node:
        case Eq((Tuple(left), Tuple(right))) if len(left) == len(right) and all(lone_variable(n) for n in left):
            node = List(tuple(Eq((n, v)) for n, v in zip(left, right)), (",",))
    if not isinstance(node, (List, Tuple, Set)):
        return None
    pairs = []
    for item in node.items:
        match item:
            case Eq((Var(name) as side, value)) if lone_variable(side):
                pairs.append((name, value))
            case _:
                return None
    names = [name for name, _ in pairs]
    return pairs if len(set(names)) == len(names) > 1 else None


def rows_of(node: Node) -> list[tuple[Node, ...]] | None:
    match node:
        case Tuple(items, "[]") if len(items) >= 1:
            bracketed = [bracket_row(item) for item in items]
            rows = [row for row in bracketed if row is not None]
            if len(rows) == len(bracketed) and len({len(row) for row in rows}) == 1:
                return rows  # [[1, 2], [3, 4]]: a matrix as a nested list
    match node:
        case Matrix(matrix_rows):
            if len(matrix_rows) == 1 or all(len(r) == 1 for r in matrix_rows):  # a row or column vector is a tuple
                return [tuple(x for r in matrix_rows for x in r)]
            return list(matrix_rows)
        case Tuple(items):
            return [items]
    return None


def bracket_row(node: Node) -> tuple[Node, ...] | None:
    """A row of a nested-list matrix: ``[1, 2, 3]`` (a tuple) or ``[1, 2]`` (parsed as an interval)."""
    match node:
        case Tuple(items, "[]"):
            return items
        case Interval(lo, hi, True, True):
            return (lo, hi)
    return None


def infinity_sign(node: Node) -> int:
    if node == INF:
        return 1
    if node == NEG_INF:
        return -1
    return 0


def intervals_of(node: Node, pairs: bool = False, solve: bool = True) -> list[Span] | None:
    """An interval, union or one-variable inequality as a list of (lo, hi, lo_closed, hi_closed);
    with ``pairs``, a list of pairs ``(a, b), (c, d)`` is read as a union of open intervals; with
    ``solve`` False, a linear inequality not solved for its variable (2x < 2) is no interval."""
    match node:
        case Interval(lo, hi, lo_closed, hi_closed):
            return [(lo, hi, lo_closed, hi_closed)]
        case Tuple((lo, hi), "()"):
            return [(lo, hi, False, False)]
        case SetMinus(whole, removed):
            return _without_points(intervals_of(whole, solve=solve), _cuts(removed))
        case List(items, joins) if all(isinstance(i, Rel) for i in items) and "or" not in joins:
            # "x > 1 and x < 3", "x \\le 2, x \\ne -7": conditions that must all hold
            result = intervals_of(items[0], solve=solve)
            for item in items[1:]:
                result = _intersect(result, intervals_of(item, solve=solve))
            return result
        case Union(items):
            return _joined(items, solve)
        case List(items, joins) if "and" not in joins and all(
            isinstance(i, (Rel, Interval, Union)) or pairs and _pair(i) for i in items
        ):
            return _joined(items, solve)
        case Rel(operands, ops):
            return inequality_intervals(operands, ops, solve)
    return None


def _joined(items: tuple[Node, ...], solve: bool) -> list[Span] | None:
    """The intervals of every part of a union (None when one part has none)."""
    parts: list[Span] = []
    for item in items:
        found = intervals_of(item, solve=solve)
        if found is None:
            return None
        parts.extend(found)
    return parts


def _pair(node: Node) -> bool:
    """``(a, b)``: an open interval, where a list of them reads as a union."""
    return isinstance(node, Tuple) and node.delims == "()" and len(node.items) == 2


def _cuts(removed: Node) -> list[Span] | None:
    """What ``\\setminus`` takes out: a set's points, or intervals (None when it cannot be told)."""
    if isinstance(removed, Set):
        return [(point, point, True, True) for point in removed.items]
    return intervals_of(removed)


def _without_points(intervals: list[Span] | None, cuts: list[Span] | None) -> list[Span] | None:
    """Intervals with a set of points or other intervals taken out: (-inf, inf) minus {-3} is two
    open rays, minus [-2, 2] the rays (-inf, -2) and (2, inf). None when it cannot be told."""
    if intervals is None or cuts is None:
        return None
    result = list(intervals)
    for cut in cuts:
        subtracted = _subtract(result, cut)
        if subtracted is None:
            return None
        result = subtracted
    return result


def _intersect(first: list[Span] | None, second: list[Span] | None) -> list[Span] | None:
    """The points in both interval sets: the first without every gap of the second."""
    if first is None or second is None:
        return None
    gaps = _complement(second)
    return None if gaps is None else _without_points(first, gaps)


def _complement(intervals: list[Span]) -> list[Span] | None:
    """The gaps between disjoint intervals, from minus to plus infinity."""
    positions = [(_position(low), _position(high)) for low, high, _, _ in intervals]
    if any(a is None or b is None for a, b in positions):
        return None
    ordered = [iv for _, iv in sorted(zip(positions, intervals), key=lambda pair: pair[0])]
    gaps: list[Span] = []
    start: Node = NEG_INF
    start_closed = False
    for low, high, low_closed, high_closed in ordered:
        gaps.append((start, low, start_closed, not low_closed))
        start, start_closed = high, not high_closed
    gaps.append((start, INF, start_closed, False))
    kept = []
    for low, high, low_closed, high_closed in gaps:
        low_at, high_at = _position(low), _position(high)
        assert low_at is not None and high_at is not None  # the endpoints were all placed above, and infinity is placed
        if low_at < high_at or low_at == high_at and low_closed and high_closed and infinity_sign(low) == 0:
            kept.append((low, high, low_closed, high_closed))  # (a gap may be a single point: x != -7)
    return kept


def _subtract(intervals: list[Span], cut: Span) -> list[Span] | None:
    c, d, c_closed, d_closed = cut
    c_at, d_at = _position(c), _position(d)
    if c_at is None or d_at is None:
        return None
    kept: list[Span] = []
    for low, high, low_closed, high_closed in intervals:
        low_at, high_at = _position(low), _position(high)
        if low_at is None or high_at is None:
            return None
        if d_at < low_at or c_at > high_at or (d_at == low_at and not (d_closed and low_closed)) \
                or (c_at == high_at and not (c_closed and high_closed)):
            kept.append((low, high, low_closed, high_closed))  # no overlap
            continue
        if low_at < c_at:
            kept.append((low, c, low_closed, not c_closed))
        elif low_at == c_at and low_closed and not c_closed:
            return None  # a single point would remain
        if d_at < high_at:
            kept.append((d, high, not d_closed, high_closed))
        elif d_at == high_at and high_closed and not d_closed:
            return None
    return kept


def _position(node: Node) -> float | None:
    sign = infinity_sign(node)
    if sign:
        return sign * float("inf")
    try:
        return approximate(node).real
    except (ValueError, OverflowError, ZeroDivisionError, TypeError):
        return None


_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!="}


def _real(node: Node) -> Fraction | None:
    value = exact_or_none(node)
    return value[0] if value is not None and value[1] == 0 else None


def linear_form(node: Node) -> tuple[str | None, Fraction, Fraction] | None:
    """``node`` as ``a*x + b`` with exact rational a, b and one variable x (None when it is not).

    >>> from assay.verifiers.math.parse import parse
    >>> linear_form(parse("3 - 2x")), linear_form(parse("x^2")), linear_form(parse("x/4 + 1"))[1]
    (('x', Fraction(-2, 1), Fraction(3, 1)), None, Fraction(1, 4))
    """
    constant = _real(node)
    if constant is not None:
        return None, Fraction(0), constant
    if isinstance(node, Var) and lone_variable(node):
        return node.name, Fraction(1), Fraction(0)
    match node:
        case Neg(arg):
            inner = linear_form(arg)
            return None if inner is None else (inner[0], -inner[1], -inner[2])
        case Add(terms):
            name: str | None = None
            slope, offset = Fraction(0), Fraction(0)
            for term in terms:
                part = linear_form(term)
                if part is None or part[0] is not None and name is not None and part[0] != name:
                    return None
                name = name or part[0]
                slope, offset = slope + part[1], offset + part[2]
            return name, slope, offset
        case Mul(factors):
            name, slope, offset, scale = None, Fraction(0), Fraction(0), Fraction(1)
            for factor in factors:
                number = _real(factor)
                if number is not None:
                    scale *= number
                    continue
                if name is not None:
                    return None  # x * x, or two variables
                part = linear_form(factor)
                if part is None or part[0] is None:
                    return None
                name, slope, offset = part
            return None if name is None else (name, slope * scale, offset * scale)
        case Div(num, den):
            divisor = _real(den)
            inner = linear_form(num)
            if divisor is None or divisor == 0 or inner is None:
                return None
            return inner[0], inner[1] / divisor, inner[2] / divisor
    return None


def _value(number: Fraction) -> Node:
    return integer(number) if number >= 0 else Neg(integer(-number))


def _solved(operands: tuple[Node, ...], ops: tuple[str, ...]) -> tuple[tuple[Node, ...], tuple[str, ...]] | None:
    """A linear inequality in one variable solved for it: ``-x > -1`` and ``2x < 2`` are ``x < 1``,
    ``1 < 2x + 1 < 5`` is ``0 < x < 2`` (compared as solution sets, not as written)."""
    if len(operands) == 2:
        left, right = linear_form(operands[0]), linear_form(operands[1])
        if left is None or right is None or left[0] is None and right[0] is None:
            return None
        if left[0] is not None and right[0] is not None and left[0] != right[0]:
            return None
        slope, offset = left[1] - right[1], right[2] - left[2]
        if slope == 0:
            return None
        op = ops[0] if slope > 0 else _FLIP[ops[0]]
        variable = left[0] or right[0]
        assert variable is not None  # one side has the variable (checked above)
        return (Var(variable), _value(offset / slope)), (op,)
    if len(operands) == 3:
        low, middle, high = _real(operands[0]), linear_form(operands[1]), _real(operands[2])
        if low is None or high is None or middle is None or middle[0] is None or middle[1] == 0:
            return None
        name, slope, offset = middle
        if name is None:
            return None
        bounds = ((low - offset) / slope, (high - offset) / slope)
        if slope > 0:
            return (_value(bounds[0]), Var(name), _value(bounds[1])), ops
        return (_value(bounds[1]), Var(name), _value(bounds[0])), (ops[1], ops[0])  # -1 < -x < 0: 0 < x < 1
    return None


def inequality_intervals(operands: tuple[Node, ...], ops: tuple[str, ...], solve: bool = True) -> list[Span] | None:
    flip = _FLIP
    if len(operands) == 3 and function_label(operands[1]):
        operands = (operands[0], Var("_subject"), operands[2])  # 0 < f(x) < 1: the range (0, 1)
    if solve and not any(lone_variable(side) for side in operands) and "!=" not in ops:
        solved = _solved(operands, ops)
        if solved is not None:
            operands, ops = solved
    if len(operands) == 2:
        left, right = operands
        op = ops[0]
        if lone_variable(right) and not lone_variable(left):
            left, right, op = right, left, flip[op]
        if not lone_variable(left):
            return None
        if op == "!=":
            return [(NEG_INF, right, False, False), (right, INF, False, False)]
        if op in ("<", "<="):
            return [(NEG_INF, right, False, op == "<=")]
        return [(right, INF, op == ">=", False)]
    if len(operands) == 3 and lone_variable(operands[1]) and "!=" not in ops:
        low, _, high = operands
        if all(op in ("<", "<=") for op in ops):
            return [(low, high, ops[0] == "<=", ops[1] == "<=")]
        if all(op in (">", ">=") for op in ops):
            return [(high, low, ops[1] == ">=", ops[0] == ">=")]
    return None
