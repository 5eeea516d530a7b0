"""Shapes of parsed answers: labels, intervals and inequalities, named values, matrix rows, text,
literal numbers, constants of integration. Pure functions on the AST, shared by judge and probes.
"""

from __future__ import annotations

import re
from fractions import Fraction

from assay.verifiers.math.exact import NotExact, approximate, exact
from assay.verifiers.math.parse import ParseError

_INF = ("const", "inf")


def exact_or_none(node: tuple) -> tuple | None:
    """The exact value of a node, or None (never raises)."""
    try:
        return exact(node)
    except (NotExact, ParseError):
        return None


def lone_variable(node: tuple) -> bool:
    return node[0] == "var" and node[1] not in ("e", "i")


def function_label(node: tuple) -> bool:
    """The left side of ``f(x) = ...``, ``f'(x) = ...``, ``f^{-1}(x) = ...`` (read as a product)."""
    if node[0] != "mul" or len(node[1]) != 2:
        return False
    name, argument = node[1]
    if name[0] == "pow" and name[2] == ("neg", ("num", Fraction(1), -1)):
        name = name[1]
    arguments = argument[1] if argument[0] == "tuple" else (argument,)
    return lone_variable(name) and all(lone_variable(a) for a in arguments)


def label(node: tuple) -> bool:
    """A name on the left of an equation: ``x``, ``y'``, ``f(x)``, ``(x, y)``."""
    if node[0] == "tuple":
        return all(lone_variable(item) for item in node[1])
    return lone_variable(node) or function_label(node)


def names_quantity(node: tuple) -> bool:
    """The left side of ``a + b + c = 12``, ``f(2) = 5``, ``\\text{area} = 5``: not a value itself (it
    holds a variable or a word), so the right side is the answer it names."""
    if exact_or_none(node) is not None:
        return False
    stack = [node]
    while stack:
        current = stack.pop()
        if current[0] == "text" or current[0] == "var" and current[1] not in ("e", "i"):
            return True
        for child in current[1:]:
            if isinstance(child, tuple) and child and isinstance(child[0], str):
                stack.append(child)
            elif isinstance(child, tuple):
                stack.extend(item for item in child if isinstance(item, tuple) and item and isinstance(item[0], str))
    return False


def decimal_places(node: tuple) -> int:
    """Places written in a decimal gold such as ``0.35`` or ``-2.5``; -1 when it is not one."""
    if node[0] == "neg":
        return decimal_places(node[1])
    if node[0] == "num" and node[2] >= 1:
        return node[2]
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


def _constant_name(term: tuple, names: tuple[str, ...]) -> bool:
    """``C``, or a multiple of it when any name is allowed (``2C`` is as arbitrary as ``C``)."""
    if term[0] == "var":
        return term[1] in names
    if len(names) > 1 and term[0] == "mul" and len(term[1]) == 2 and exact_or_none(term[1][0]) is not None:
        return term[1][1][0] == "var" and term[1][1][1] in names
    return False


def integration_constant(node: tuple, names: tuple[str, ...]) -> tuple | None:
    """The rest of ``F(x) + C`` when one top-level term is a lone constant name used nowhere else."""
    if node[0] != "add":
        return None
    found = [term for term in node[1] if _constant_name(term, names)]
    if len(found) != 1 or repr(found[0]) in repr(tuple(t for t in node[1] if t is not found[0])):
        return None
    rest = tuple(term for term in node[1] if term is not found[0])
    return rest[0] if len(rest) == 1 else ("add", rest)


def _walk(node: tuple):
    """Every node under ``node`` (an AST is at most MAX_DEPTH deep: the parser refuses deeper ones)."""
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple) and item:
            if isinstance(item[0], str):
                yield item
                stack.extend(child for child in item[1:] if isinstance(child, tuple))
            else:
                stack.extend(item)


def has_lowercase_variable(node: tuple) -> bool:
    """Whether ``node`` uses a lower-case variable such as x or t (e and i are constants).

    >>> from assay.verifiers.math.parse import parse
    >>> has_lowercase_variable(parse("x^2 + 1")), has_lowercase_variable(parse("A + B")), has_lowercase_variable(parse("e^2"))
    (True, False, False)
    """
    return any(n[0] == "var" and n[1][:1].islower() and n[1] not in ("e", "i") for n in _walk(node))


def mentions_pi(node: tuple) -> bool:
    """Whether ``node`` uses pi (a radian measure, when it is an angle)."""
    return any(n == ("const", "pi") for n in _walk(node))


def hoist_sign(node: tuple) -> tuple:
    """``-34\\%`` parses as -(34%); read it as (-34)%, and -30° as (-30)°."""
    if node[0] == "neg" and node[1][0] in ("pct", "deg"):
        return (node[1][0], ("neg", node[1][1]))
    return node


def is_literal(node: tuple) -> bool:
    """A number as written: 3, -3, 3/4, \\frac{3}{4}, 2\\frac{1}{2}, 0.75, 3+4i (no operations to do)."""
    kind = node[0]
    if kind == "neg":
        return is_literal(node[1])
    if kind == "num":
        return True
    if kind == "div":
        return all(part[0] == "num" or part[0] == "neg" and part[1][0] == "num" for part in node[1:])
    if kind == "add" and len(node[1]) == 2:  # a mixed number or a complex number a+bi
        first, second = node[1]
        imaginary = second[0] == "mul" and len(second[1]) == 2 and second[1][1] in (("var", "i"), ("const", "i"))
        return is_literal(first) and (second[0] == "div" and is_literal(second) or imaginary and is_literal(second[1][0]))
    if kind == "pct":
        return is_literal(node[1])
    return node in (("var", "i"), ("const", "i"))


def plain_text(node: tuple) -> str | None:
    """A text answer as comparable letters: ``\\text{(B) Monday}`` -> ``bmonday``."""
    if node[0] == "text" or node[0] == "var":
        text = node[1]
    else:
        return None
    text = re.sub(r"\\[a-zA-Z]+", "", text)  # \textbf{(B)} -> {(B)}
    letters = "".join(c.lower() for c in text if c.isalnum())
    return TEXT_SYNONYMS.get(letters, letters) or None


# spellings of the same verdict-like answer
TEXT_SYNONYMS = {
    "doesnotexist": "dne", "nosolutions": "nosolution", "norealsolution": "nosolution",
    "norealsolutions": "nosolution", "none": "nosolution", "yes": "true", "no": "false",
}


def named_values(node: tuple) -> list[tuple[str, tuple]] | None:
    """``x = 1, y = 2`` (or ``(x, y) = (1, 2)``) as [(x, 1), (y, 2)]: lone-variable equations."""
    if node[0] == "eq" and len(node[1]) == 2 and all(side[0] == "tuple" for side in node[1]):
        names, values = node[1][0][1], node[1][1][1]
        if len(names) == len(values) and all(lone_variable(n) for n in names):
            node = ("list", tuple(("eq", (n, v)) for n, v in zip(names, values)), (",",))
    if node[0] not in ("list", "tuple", "set"):
        return None
    pairs = []
    for item in node[1]:
        if item[0] != "eq" or len(item[1]) != 2 or not lone_variable(item[1][0]):
            return None
        pairs.append((item[1][0][1], item[1][1]))
    names = [name for name, _ in pairs]
    return pairs if len(set(names)) == len(names) > 1 else None


def rows_of(node: tuple) -> list[tuple] | None:
    if node[0] == "tuple" and node[2] == "[]" and len(node[1]) >= 1:
        bracketed = [bracket_row(item) for item in node[1]]
        rows = [row for row in bracketed if row is not None]
        if len(rows) == len(bracketed) and len({len(row) for row in rows}) == 1:
            return rows  # [[1, 2], [3, 4]]: a matrix as a nested list
    if node[0] == "matrix":
        rows = list(node[1])
        if len(rows) == 1 or all(len(r) == 1 for r in rows):  # a row or column vector is a tuple
            return [tuple(x for r in rows for x in r)]
        return rows
    if node[0] == "tuple":
        return [node[1]]
    return None


def bracket_row(node: tuple) -> tuple | None:
    """A row of a nested-list matrix: ``[1, 2, 3]`` (a tuple) or ``[1, 2]`` (parsed as an interval)."""
    if node[0] == "tuple" and node[2] == "[]":
        return node[1]
    if node[0] == "interval" and node[3] and node[4]:
        return (node[1], node[2])
    return None


def infinity_sign(node: tuple) -> int:
    if node == _INF:
        return 1
    if node == ("neg", _INF):
        return -1
    return 0


def intervals_of(node: tuple, pairs: bool = False, solve: bool = True) -> list[tuple] | None:
    """An interval, union or one-variable inequality as a list of (lo, hi, lo_closed, hi_closed);
    with ``pairs``, a list of pairs ``(a, b), (c, d)`` is read as a union of open intervals; with
    ``solve`` False, a linear inequality not solved for its variable (2x < 2) is no interval."""
    kind = node[0]
    if kind == "interval":
        return [node[1:]]
    if kind == "tuple" and node[2] == "()" and len(node[1]) == 2:
        return [(node[1][0], node[1][1], False, False)]
    if kind == "setminus":
        return _without_points(intervals_of(node[1], solve=solve), node[2])
    conditions = kind == "list" and all(i[0] == "rel" for i in node[1]) and "or" not in node[2]
    if conditions:
        # "x > 1 and x < 3", "x \\le 2, x \\ne -7": conditions that must all hold
        result = intervals_of(node[1][0], solve=solve)
        for item in node[1][1:]:
            result = _intersect(result, intervals_of(item, solve=solve))
        return result
    if kind == "union" or (
        kind == "list" and "and" not in node[2]
        and all(i[0] in ("rel", "interval", "union") or pairs and i[0] == "tuple" and i[2] == "()" and len(i[1]) == 2
                for i in node[1])
    ):
        parts: list[tuple] = []
        for item in node[1]:
            found = intervals_of(item, solve=solve)
            if found is None:
                return None
            parts.extend(found)
        return parts
    if kind == "rel":
        return inequality_intervals(node[1], node[2], solve)
    return None


def _without_points(intervals: list[tuple] | None, removed: tuple) -> list[tuple] | None:
    """Intervals with a set of points or other intervals taken out: (-inf, inf) minus {-3} is two
    open rays, minus [-2, 2] the rays (-inf, -2) and (2, inf). None when it cannot be told."""
    if intervals is None:
        return None
    if removed[0] == "set":
        cuts = [(point, point, True, True) for point in removed[1]]
    elif removed[0] == "intervals":
        cuts = list(removed[1])
    else:
        found = intervals_of(removed)
        if found is None:
            return None
        cuts = found
    result = list(intervals)
    for cut in cuts:
        subtracted = _subtract(result, cut)
        if subtracted is None:
            return None
        result = subtracted
    return result


def _intersect(first: list[tuple] | None, second: list[tuple] | None) -> list[tuple] | None:
    """The points in both interval sets: the first without every gap of the second."""
    if first is None or second is None:
        return None
    gaps = _complement(second)
    return None if gaps is None else _without_points(first, ("intervals", gaps))


def _complement(intervals: list[tuple]) -> list[tuple] | None:
    """The gaps between disjoint intervals, from minus to plus infinity."""
    positions = [(_position(low), _position(high)) for low, high, _, _ in intervals]
    if any(a is None or b is None for a, b in positions):
        return None
    ordered = [iv for _, iv in sorted(zip(positions, intervals), key=lambda pair: pair[0])]
    gaps: list[tuple] = []
    start, start_closed = ("neg", _INF), False
    for low, high, low_closed, high_closed in ordered:
        gaps.append((start, low, start_closed, not low_closed))
        start, start_closed = high, not high_closed
    gaps.append((start, _INF, start_closed, False))
    kept = []
    for low, high, low_closed, high_closed in gaps:
        low_at, high_at = _position(low), _position(high)
        assert low_at is not None and high_at is not None  # the endpoints were all placed above, and infinity is placed
        if low_at < high_at or low_at == high_at and low_closed and high_closed and infinity_sign(low) == 0:
            kept.append((low, high, low_closed, high_closed))  # (a gap may be a single point: x != -7)
    return kept


def _subtract(intervals: list[tuple], cut: tuple) -> list[tuple] | None:
    c, d, c_closed, d_closed = cut
    c_at, d_at = _position(c), _position(d)
    if c_at is None or d_at is None:
        return None
    kept: list[tuple] = []
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


def _position(node: tuple) -> float | None:
    sign = infinity_sign(node)
    if sign:
        return sign * float("inf")
    try:
        return approximate(node).real
    except (ValueError, OverflowError, ZeroDivisionError, TypeError):
        return None


_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!="}


def _real(node: tuple) -> Fraction | None:
    value = exact_or_none(node)
    return value[0] if value is not None and value[1] == 0 else None


def linear_form(node: tuple) -> tuple[str | None, Fraction, Fraction] | None:
    """``node`` as ``a*x + b`` with exact rational a, b and one variable x (None when it is not).

    >>> from assay.verifiers.math.parse import parse
    >>> linear_form(parse("3 - 2x")), linear_form(parse("x^2")), linear_form(parse("x/4 + 1"))[1]
    (('x', Fraction(-2, 1), Fraction(3, 1)), None, Fraction(1, 4))
    """
    constant = _real(node)
    if constant is not None:
        return None, Fraction(0), constant
    kind = node[0]
    if lone_variable(node):
        return node[1], Fraction(1), Fraction(0)
    if kind == "neg":
        inner = linear_form(node[1])
        return None if inner is None else (inner[0], -inner[1], -inner[2])
    if kind == "add":
        name, slope, offset = None, Fraction(0), Fraction(0)
        for term in node[1]:
            part = linear_form(term)
            if part is None or part[0] is not None and name is not None and part[0] != name:
                return None
            name = name or part[0]
            slope, offset = slope + part[1], offset + part[2]
        return name, slope, offset
    if kind == "mul":
        name, slope, offset, scale = None, Fraction(0), Fraction(0), Fraction(1)
        for factor in node[1]:
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
    if kind == "div":
        divisor = _real(node[2])
        inner = linear_form(node[1])
        if divisor is None or divisor == 0 or inner is None:
            return None
        return inner[0], inner[1] / divisor, inner[2] / divisor
    return None


def _value(number: Fraction) -> tuple:
    return ("num", number, -1) if number >= 0 else ("neg", ("num", -number, -1))


def _solved(operands: tuple, ops: tuple) -> tuple[tuple, tuple] | None:
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
        return (("var", left[0] or right[0]), _value(offset / slope)), (op,)
    if len(operands) == 3:
        low, middle, high = _real(operands[0]), linear_form(operands[1]), _real(operands[2])
        if low is None or high is None or middle is None or middle[0] is None or middle[1] == 0:
            return None
        name, slope, offset = middle
        bounds = ((low - offset) / slope, (high - offset) / slope)
        if slope > 0:
            return (_value(bounds[0]), ("var", name), _value(bounds[1])), ops
        return (_value(bounds[1]), ("var", name), _value(bounds[0])), (ops[1], ops[0])  # -1 < -x < 0: 0 < x < 1
    return None


def inequality_intervals(operands: tuple, ops: tuple, solve: bool = True) -> list[tuple] | None:
    flip = _FLIP
    if len(operands) == 3 and function_label(operands[1]):
        operands = (operands[0], ("var", "_subject"), operands[2])  # 0 < f(x) < 1: the range (0, 1)
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
            return [(("neg", _INF), right, False, False), (right, _INF, False, False)]
        if op in ("<", "<="):
            return [(("neg", _INF), right, False, op == "<=")]
        return [(right, _INF, op == ">=", False)]
    if len(operands) == 3 and lone_variable(operands[1]) and "!=" not in ops:
        low, _, high = operands
        if all(op in ("<", "<=") for op in ops):
            return [(low, high, ops[0] == "<=", ops[1] == "<=")]
        if all(op in (">", ">=") for op in ops):
            return [(high, low, ops[1] == ">=", ops[0] == ">=")]
    return None
